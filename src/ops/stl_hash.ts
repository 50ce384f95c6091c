// The iteration order of GNU libstdc++'s std::unordered_set (GCC 12), for torch.unique.
// NOTE: PyTorch 1.13's CPU unique (aten/src/ATen/native/Unique.cpp) builds a
// std::unordered_set<scalar_t> from the input and copies it out in its iteration order
// (sorted=False), or sorts that copy with a bare `<` (sorted=True, where NaNs make the result
// depend on the order). That order is the set's singly linked list: std::hash (the identity for
// integers, _Hash_bytes of the bits for floats), buckets = hash % a prime from libstdc++'s table,
// a new element put at the front of its bucket's run (or of the whole list for an empty bucket),
// and rehashes that relink the list. This file replays those steps.

/** libstdc++'s __prime_list (read from libstdc++.so.6), up to the largest prime below 2^32. */
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113,
  127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467,
  503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879, 2029,
  2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517, 8123,
  8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267, 28411,
  30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203,
  99733, 107897, 116731, 126271, 136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261,
  299951, 324503, 351061, 379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049,
  834181, 902483, 976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627,
  2144977, 2320627, 2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259,
  5515729, 5967347, 6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489, 12117689,
  13109983, 14183539, 15345007, 16601593, 17961079, 19431899, 21023161, 22744717, 24607243, 26622317, 28802401,
  31160981, 33712729, 36473443, 39460231, 42691603, 46187573, 49969847, 54061849, 58488943, 63278561, 68460391,
  74066549, 80131819, 86693767, 93793069, 101473717, 109783337, 118773397, 128499677, 139022417, 150406843,
  162723577, 176048909, 190465427, 206062531, 222936881, 241193053, 260944219, 282312799, 305431229, 330442829,
  357502601, 386778277, 418451333, 452718089, 489790921, 529899637, 573292817, 620239453, 671030513, 725980837,
  785430967, 849749479, 919334987, 994618837, 1076067617, 1164186217, 1259520799, 1362662261, 1474249943,
  1594975441, 1725587117, 1866894511, 2019773507, 2185171673, 2364114217, 2557710269, 2767159799, 2993761039,
  3238918481, 3504151727, 3791104843, 4101556399, 4294967291,
];
/** _Prime_rehash_policy::_M_next_bkt's table for small counts. */
const FAST_BKT = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

// ---------------------------------------------------------------- 64-bit words as [hi, lo] uint32 pairs
let H = 0, L = 0; // the result of the last mul64 / hashBits

/** H:L = (aH:aL * bH:bL) mod 2^64. */
function mul64(aH: number, aL: number, bH: number, bL: number): void {
  const a0 = aL & 0xffff, a1 = aL >>> 16, b0 = bL & 0xffff, b1 = bL >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  const lo = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  const hi = a1 * b1 + Math.floor(mid / 65536) + Math.floor(lo / 4294967296);
  L = lo >>> 0;
  H = (hi + Math.imul(aH, bL) + Math.imul(aL, bH)) >>> 0;
}

const MUL_H = 0xc6a4a793, MUL_L = 0x5bd1e995, SEED = 0xc70f6907;

/** std::_Hash_bytes(bytes, len, 0xc70f6907) of a 4- or 8-byte value given as words (hi is 0 for 4 bytes). */
function hashBits(wordHi: number, wordLo: number, len: 4 | 8): void {
  mul64(0, len, MUL_H, MUL_L);
  let hH = H >>> 0, hL = (L ^ SEED) >>> 0;
  if (len === 8) {
    // data = shift_mix(word * mul) * mul; hash ^= data; hash *= mul
    mul64(wordHi, wordLo, MUL_H, MUL_L);
    const dH = H, dL = (L ^ (H >>> 15)) >>> 0;
    mul64(dH, dL, MUL_H, MUL_L);
    hH = (hH ^ H) >>> 0;
    hL = (hL ^ L) >>> 0;
  } else {
    hH = (hH ^ wordHi) >>> 0;
    hL = (hL ^ wordLo) >>> 0;
  }
  mul64(hH, hL, MUL_H, MUL_L);
  // hash = shift_mix(hash) * mul; hash = shift_mix(hash)
  mul64(H, (L ^ (H >>> 15)) >>> 0, MUL_H, MUL_L);
  L = (L ^ (H >>> 15)) >>> 0;
}

/** (hi:lo) mod p for p < 2^32, in exact double arithmetic. */
function mod64(hi: number, lo: number, p: number): number {
  let r = hi % p;
  r = (r * 65536 + (lo >>> 16)) % p;
  return (r * 65536 + (lo & 0xffff)) % p;
}

export type HashKind = "int" | "float32" | "float64";

/**
 * The positions (into `vals`) of the elements a std::unordered_set built from `vals` in order keeps,
 * in the set's iteration order. `inserted[i]` says whether element i is new to the set (each value's
 * first occurrence, and every NaN, which equals nothing): inserting a value already there changes
 * nothing, so only those are replayed.
 */
export function unorderedSetOrder(vals: ArrayLike<number>, inserted: Uint8Array, kind: HashKind): number[] {
  const n = vals.length;
  // node 0 is _M_before_begin; node k > 0 holds position pos[k - 1]
  const next = new Int32Array(n + 1).fill(-1);
  const hashH = new Float64Array(n + 1), hashL = new Float64Array(n + 1);
  const pos: number[] = [];
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  const f64 = new Float64Array(1), w64 = new Uint32Array(f64.buffer);
  let nb = 1, nextResize = 0, count = 0;
  let buckets = new Int32Array(1).fill(-1);
  const bucketOf = (node: number, size: number): number => mod64(hashH[node]!, hashL[node]!, size);

  const nextBkt = (want: number): number => {
    if (want < FAST_BKT.length) {
      if (want === 0) return 1;
      nextResize = FAST_BKT[want]!;
      return FAST_BKT[want]!;
    }
    let lo = 6, hi = PRIMES.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (PRIMES[mid]! < want) lo = mid + 1;
      else hi = mid;
    }
    nextResize = PRIMES[lo]!;
    return PRIMES[lo]!;
  };
  /** _M_need_rehash(nb, count, 1): the new bucket count, or 0. */
  const needRehash = (): number => {
    if (count + 1 > nextResize) {
      const minBkts = Math.max(count + 1, nextResize ? 0 : 11);
      if (minBkts >= nb) return nextBkt(Math.max(minBkts + 1, nb * 2));
      nextResize = nb;
    }
    return 0;
  };
  /** _M_rehash_aux(size, unique keys): relinks the list into new buckets. */
  const rehash = (size: number): void => {
    const nbk = new Int32Array(size).fill(-1);
    let p = next[0]!;
    next[0] = -1;
    let bbegin = 0;
    while (p !== -1) {
      const nx = next[p]!;
      const b = bucketOf(p, size);
      if (nbk[b] === -1) {
        next[p] = next[0]!;
        next[0] = p;
        nbk[b] = 0;
        if (next[p] !== -1) nbk[bbegin] = p;
        bbegin = b;
      } else {
        next[p] = next[nbk[b]!]!;
        next[nbk[b]!] = p;
      }
      p = nx;
    }
    buckets = nbk;
    nb = size;
  };

  for (let i = 0; i < n; i++) {
    if (!inserted[i]) continue;
    const x = vals[i]!;
    const node = pos.length + 1;
    pos.push(i);
    if (kind === "int") {
      // std::hash of an integer is its value as a size_t (two's complement)
      hashL[node] = ((x % 4294967296) + 4294967296) % 4294967296;
      hashH[node] = ((Math.floor(x / 4294967296) % 4294967296) + 4294967296) % 4294967296;
    } else if (x === 0) {
      hashH[node] = 0; // (std::hash<float/double> of +-0 is 0)
      hashL[node] = 0;
    } else {
      if (kind === "float32") {
        f32[0] = x;
        hashBits(0, u32[0]!, 4);
      } else {
        f64[0] = x;
        hashBits(w64[1]!, w64[0]!, 8);
      }
      hashH[node] = H;
      hashL[node] = L;
    }
    const grow = needRehash();
    if (grow) rehash(grow);
    const b = bucketOf(node, nb);
    if (buckets[b] !== -1) {
      next[node] = next[buckets[b]!]!;
      next[buckets[b]!] = node;
    } else {
      next[node] = next[0]!;
      next[0] = node;
      if (next[node] !== -1) buckets[bucketOf(next[node]!, nb)] = node;
      buckets[b] = 0;
    }
    count++;
  }
  const order: number[] = [];
  for (let p = next[0]!; p !== -1; p = next[p]!) order.push(pos[p - 1]!);
  return order;
}
