/**
 * The 32-bit Mersenne Twister (MT19937), laid out the way PyTorch's `at::mt19937` keeps it
 * (aten/src/ATen/core/MT19937RNGEngine.h): 624 words of state, a `left` countdown and a `next`
 * index, plus the 64-bit seed it was initialised with.
 *
 * NOTE: everything here is uint32 arithmetic on a Uint32Array (`Math.imul`, `>>> 0`); no BigInt
 * in the hot path. Only the seed is kept as a bigint because PyTorch stores and reports all
 * 64 bits of it (`initial_seed()`), although only its low 32 bits seed the state.
 */

export const MERSENNE_STATE_N = 624;
export const MERSENNE_STATE_M = 397;
// As an int32 so that `-(y & 1) & MATRIX_A` stays in 32-bit integer arithmetic.
const MATRIX_A = 0x9908b0df | 0;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

export class MT19937 {
  /** The seed as PyTorch reports it (uint64). */
  seed: bigint = 0n;
  /** Draws left before the state is regenerated (PyTorch's `left_`, starts at 1). */
  left = 1;
  /** Whether the engine was seeded (always true once constructed; kept for the state format). */
  seeded = true;
  /** Index of the next state word to temper (PyTorch's `next_`). */
  next = 0;
  readonly state = new Uint32Array(MERSENNE_STATE_N);

  constructor(seed: bigint = 5489n) {
    this.init(seed);
  }

  /** Seeds as `at::mt19937(seed)`: the classic `init_genrand` on the low 32 bits of the seed. */
  init(seed: bigint): void {
    this.seed = BigInt.asUintN(64, seed);
    this.seeded = true;
    const s = this.state;
    s[0] = Number(this.seed & 0xffffffffn);
    for (let j = 1; j < MERSENNE_STATE_N; j++) {
      const prev = s[j - 1]!;
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /**
   * Regenerates all 624 words (the "twist").
   * NOTE: `-(y & 1) & MATRIX_A` instead of `y & 1 ? MATRIX_A : 0`: the branchy form mixes a
   * double constant (0x9908b0df > 2^31) into int32 code and runs 4x slower in V8.
   */
  private nextState(): void {
    const s = this.state;
    this.left = MERSENNE_STATE_N;
    this.next = 0;
    let k = 0;
    for (; k < MERSENNE_STATE_N - MERSENNE_STATE_M; k++) {
      const y = (s[k]! & UMASK) | (s[k + 1]! & LMASK);
      s[k] = s[k + MERSENNE_STATE_M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; k < MERSENNE_STATE_N - 1; k++) {
      const y = (s[k]! & UMASK) | (s[k + 1]! & LMASK);
      s[k] = s[k + MERSENNE_STATE_M - MERSENNE_STATE_N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (s[k]! & UMASK) | (s[0]! & LMASK);
    s[k] = s[k + MERSENNE_STATE_M - MERSENNE_STATE_N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }

  /** The next tempered uint32, as a non-negative JS number. */
  nextUint32(): number {
    if (--this.left === 0) this.nextState();
    let y = this.state[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Fills `out` with the next `out.length` uint32 draws (same stream as repeated nextUint32). */
  fillUint32(out: Uint32Array): void {
    const s = this.state;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (--this.left === 0) this.nextState();
      // Draw as many as are left in this block without re-checking per element.
      let next = this.next;
      const avail = Math.min(this.left - 1, n - i - 1) + 1; // this draw plus up to left-1 more
      for (let k = 0; k < avail; k++) {
        let y = s[next++]!;
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        out[i++] = y >>> 0;
      }
      this.next = next;
      this.left -= avail - 1;
    }
  }

  copyFrom(other: MT19937): void {
    this.seed = other.seed;
    this.left = other.left;
    this.seeded = other.seeded;
    this.next = other.next;
    this.state.set(other.state);
  }
}
