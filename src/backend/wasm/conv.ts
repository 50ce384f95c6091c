// The fast backend's conv kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
//
// Convolution is im2col + GEMM over chunks of batch items (and each group): the patches of a chunk
// are gathered side by side into one patch matrix, and one product per chunk runs through
// matmulInto (the wasm SIMD GEMM). The backward scatters the patch gradients back (col2im) and
// rebuilds the patches for the weight's gradient rather than keeping them from the forward. The
// patch moves run in wasm (conv.wat) where the window moves by 1 along W, else as TypeScript loops.
// NOTE: rebuilding beats saving: the patches of a batch are 9x the input (42 MB for the MNIST CNN's
// second conv at batch 64) and a fresh buffer that size costs more in first-touch page faults than
// the gather costs to redo, while a chunk's patches are reused from one buffer.
// NOTE: that buffer (the module's memory, or a scratch array) grows to the largest chunk seen and is
// kept: at most max(K, O/groups) x 2M elements when items are grouped, one item's K x OH*OW otherwise.
// Pooling runs as plain loops over each plane but for 2x2 max pooling with stride 2 in float32, which
// runs in wasm SIMD. Only float32 and float64 come here; nn.functional checks dtypes before calling.
import type { Backend, Storage, View, Window2d } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { matmulInto } from "../cpu/matmul.js";
import { zeroedArray } from "../buffer_pool.js";
import { CONV_WASM_BASE64 } from "./conv.generated.js";
import { CONV_SHARED_WASM_BASE64 } from "./conv_shared.generated.js";
import { arenaRegion, releaseArenaRegion } from "../cpu/wasm/index.js";
import { wasmModule } from "../wasm_module.js";

type Floats = Float32Array | Float64Array;

/** Whether v covers its storage's elements in row-major order from its offset. */
function isContiguous(v: View): boolean {
  let expect = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const n = v.shape[i]!;
    if (n !== 1 && v.strides[i] !== expect) return false;
    expect *= n;
  }
  return true;
}

/** The view's elements in row-major order: the storage itself where it can be, else a copy. */
function data(be: Backend, v: View): Floats {
  const s = v.storage as Floats;
  if (isContiguous(v)) {
    let n = 1;
    for (const d of v.shape) n *= d;
    return v.offset === 0 && s.length === n ? s : (s.subarray(v.offset, v.offset + n) as Floats);
  }
  return be.read(v) as Floats;
}

/** A zeroed output (gradients are accumulated into some), from the backward pool where it has one. */
function alloc(like: Floats, n: number): Floats {
  return like instanceof Float32Array ? zeroedArray(Float32Array, n) : zeroedArray(Float64Array, n);
}

// Scratch buffers per float type (two: patches and a gathered output/gradient), grown on demand and
// reused by every call (kernels do not nest).
const scratch32: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
const scratch64: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function scratch(like: Floats, n: number, slot: 0 | 1): Floats {
  if (like instanceof Float32Array) {
    if (scratch32[slot]!.length < n) scratch32[slot] = new Float32Array(n);
    return scratch32[slot]!;
  }
  if (scratch64[slot]!.length < n) scratch64[slot] = new Float64Array(n);
  return scratch64[slot]!;
}

/** First output position o with o * s + off >= 0 (off = k * d - pad), at most count. */
function validLo(off: number, s: number, count: number): number {
  return off >= 0 ? 0 : Math.min(count, Math.ceil(-off / s));
}
/** One past the last output position o with o * s + off < n, at least lo. */
function validHi(off: number, s: number, n: number, count: number, lo: number): number {
  return Math.max(lo, Math.min(count, Math.floor((n - 1 - off) / s) + 1));
}

/**
 * Patches of one item: cols[colOff + ((c * kh + i) * kw + j) * ld + oh * OW + ow] =
 * x[xOff + c * H * W + (oh * sh + i * dh - padT) * W + ow * sw + j * dw - padL] (0 outside the
 * input), for Cg channels (x contiguous [.., C, H, W]). `ld` is the row length of cols (several items
 * side by side).
 */
function im2col(x: Floats, xOff: number, Cg: number, g: Window2d, cols: Floats, colOff: number, ld: number): void {
  const { H, W, OH, OW, kh, kw, sh, sw, dh, dw, padT, padL } = g;
  const L = OH * OW, HW = H * W;
  let row = colOff;
  for (let c = 0; c < Cg; c++) {
    const xc = xOff + c * HW;
    for (let i = 0; i < kh; i++) {
      const ohLo = validLo(i * dh - padT, sh, OH), ohHi = validHi(i * dh - padT, sh, H, OH, ohLo);
      for (let j = 0; j < kw; j++, row += ld) {
        const owLo = validLo(j * dw - padL, sw, OW), owHi = validHi(j * dw - padL, sw, W, OW, owLo);
        if (ohLo > 0) cols.fill(0, row, row + ohLo * OW);
        if (ohHi < OH) cols.fill(0, row + ohHi * OW, row + L);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const d = row + oh * OW;
          const s = xc + (oh * sh + i * dh - padT) * W + j * dw - padL;
          for (let ow = 0; ow < owLo; ow++) cols[d + ow] = 0;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) cols[d + ow] = x[s + ow]!;
          else for (let ow = owLo; ow < owHi; ow++) cols[d + ow] = x[s + ow * sw]!;
          for (let ow = owHi; ow < OW; ow++) cols[d + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: gx[c, ih, iw] += cols[...] for every patch position inside the input. */
function col2im(cols: Floats, colOff: number, ld: number, Cg: number, g: Window2d, gx: Floats, gxOff: number): void {
  const { H, W, OH, OW, kh, kw, sh, sw, dh, dw, padT, padL } = g;
  const HW = H * W;
  let row = colOff;
  for (let c = 0; c < Cg; c++) {
    const xc = gxOff + c * HW;
    for (let i = 0; i < kh; i++) {
      const ohLo = validLo(i * dh - padT, sh, OH), ohHi = validHi(i * dh - padT, sh, H, OH, ohLo);
      for (let j = 0; j < kw; j++, row += ld) {
        const owLo = validLo(j * dw - padL, sw, OW), owHi = validHi(j * dw - padL, sw, W, OW, owLo);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const d = row + oh * OW;
          const s = xc + (oh * sh + i * dh - padT) * W + j * dw - padL;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) gx[s + ow] += cols[d + ow]!;
          else for (let ow = owLo; ow < owHi; ow++) gx[s + ow * sw] += cols[d + ow]!;
        }
      }
    }
  }
}

// ---------------------------------------------------------------- the patches' home
// NOTE: the patch matrix lives in wasm memory whenever the window moves by 1 along W (nearly every
// convolution): im2col and col2im run there 16 bytes at a time, and the GEMM reads and writes the
// patches through a typed-array view of that memory. Where matmul runs on worker threads that memory
// is the matmul kernels' own shared memory (a region lent by arenaRegion): the GEMM then reads the
// patches (the B operand of the forward and of the weight's gradient) and writes the patch gradients
// where they lie, with no copy between memories. Elsewhere conv.wat runs on a memory of its own and
// the GEMM copies them in and out. Each item's input (or input gradient) is copied in beside them.
// Measured (Node 24, profiles of 12 MNIST CNN steps): the TypeScript loops took ~15% of the step's
// time, the wasm moves ~2.5% (plus ~1% copying items in and out); the GEMM's copies of the patches
// between the two memories ~8%.
interface ConvExports {
  im2col(x: number, cols: number, es: number, Cg: number, chan: number, ow: number, l: number, kh: number, kw: number, rowStep: number, ld: number, tab: number): void;
  col2im(cols: number, gx: number, es: number, Cg: number, chan: number, ow: number, kh: number, kw: number, rowStep: number, ld: number, tab: number): void;
  maxpool2x2_f32(x: number, y: number, idx: number, P: number, H: number, W: number, OH: number, OW: number): void;
}

/** The module instantiated on a memory: the matmul kernels' shared one, or a plain one of its own. */
interface ConvHome { ex: ConvExports; memory: WebAssembly.Memory }
let ownHome: ConvHome | null | undefined; // undefined: not tried yet; null: unavailable
let sharedHome: ConvHome | null = null;

function instantiateConv(base64: string, memory: WebAssembly.Memory): ConvExports | null {
  const m = wasmModule(base64);
  try {
    return m && (new WebAssembly.Instance(m, { env: { memory } }).exports as unknown as ConvExports);
  } catch {
    return null;
  }
}

/** Lets tests run the TypeScript loops (false) or the wasm ones where they apply (true, the default). */
let convWasmAllowed = true;
export function setConvWasm(on: boolean): boolean {
  const was = convWasmAllowed;
  convWasmAllowed = on;
  return was;
}

/**
 * Lets tests keep conv.wat off the matmul kernels' memory (false: always a memory of its own, the
 * patches copied in and out by the GEMM, as where threads are unavailable) or on it (true, the default).
 */
let convOnArena = true;
export function setConvOnArena(on: boolean): boolean {
  const was = convOnArena;
  convOnArena = on;
  return was;
}

/** Where a call's data goes: the module, its memory's current buffer, and the first byte it may use. */
interface Region { ex: ConvExports; buffer: ArrayBufferLike; at: number }

/**
 * `bytes` bytes of wasm memory for one call, with conv.wat instantiated on it: a region of the matmul
 * kernels' shared memory (released by the caller with releaseArenaRegion, in a finally) or else the
 * module's own memory, grown as needed; null without wasm SIMD or room.
 */
function region(bytes: number): Region | null {
  if (!convWasmAllowed) return null;
  const lent = convOnArena ? arenaRegion(bytes) : null;
  if (lent) {
    if (sharedHome?.memory !== lent.memory) {
      const ex = instantiateConv(CONV_SHARED_WASM_BASE64, lent.memory);
      sharedHome = ex ? { ex, memory: lent.memory } : null;
    }
    if (sharedHome) return { ex: sharedHome.ex, buffer: lent.buffer, at: lent.at };
    releaseArenaRegion();
  }
  if (ownHome === undefined) {
    ownHome = null;
    try {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const ex = instantiateConv(CONV_WASM_BASE64, memory);
      if (ex) ownHome = { ex, memory };
    } catch { /* no wasm here */ }
  }
  if (ownHome === null || bytes >= 2 ** 31) return null;
  const have = ownHome.memory.buffer.byteLength;
  if (bytes > have) {
    try { ownHome.memory.grow(Math.ceil((bytes - have) / 65536)); } catch { return null; }
  }
  return { ex: ownHome.ex, buffer: ownHome.memory.buffer, at: 0 };
}

/** A call's patch matrix (K rows of ld elements) and how its items move in and out of it. */
interface Patches {
  cols: Floats;
  wasm: ConvExports | null; // set when cols is a view of wasm memory
  item: Floats | null; // the module's view of one item's Cg input channels
  tabAt: number; // byte offsets in the module's memory
  colsAt: number;
  itemAt: number;
  es: number;
}
const TABLE_BYTES = 1024; // the kernel's row/column ranges: 12 bytes per kernel row and column

function patches(like: Floats, g: Window2d, Cg: number, K: number, ld: number): Patches {
  const es = like.BYTES_PER_ELEMENT, itemN = Cg * g.H * g.W;
  const itemOff = TABLE_BYTES, colsOff = itemOff + Math.ceil((itemN * es) / 64) * 64, bytes = colsOff + K * ld * es;
  const r = g.sw === 1 && 12 * (g.kh + g.kw) <= TABLE_BYTES && bytes < 2 ** 31 ? region(bytes) : null;
  if (r) {
    const buf = r.buffer, tabAt = r.at, itemAt = r.at + itemOff, colsAt = r.at + colsOff;
    const { H, W, OH, OW, kh, kw, sh, dh, dw, padT, padL } = g;
    const tab = new Int32Array(buf, tabAt, 3 * (kh + kw));
    for (let i = 0; i < kh; i++) {
      const lo = validLo(i * dh - padT, sh, OH);
      tab[3 * i] = lo;
      tab[3 * i + 1] = validHi(i * dh - padT, sh, H, OH, lo);
      tab[3 * i + 2] = (lo * sh + i * dh - padT) * W * es;
    }
    for (let j = 0; j < kw; j++) {
      const lo = validLo(j * dw - padL, 1, OW), t = 3 * (kh + j);
      tab[t] = lo;
      tab[t + 1] = validHi(j * dw - padL, 1, W, OW, lo);
      tab[t + 2] = (lo + j * dw - padL) * es;
    }
    const view = like instanceof Float32Array
      ? { cols: new Float32Array(buf, colsAt, K * ld), item: new Float32Array(buf, itemAt, itemN) }
      : { cols: new Float64Array(buf, colsAt, K * ld), item: new Float64Array(buf, itemAt, itemN) };
    return { ...view, wasm: r.ex, tabAt, colsAt, itemAt, es };
  }
  return { cols: scratch(like, K * ld, 0), wasm: null, item: null, tabAt: 0, colsAt: 0, itemAt: 0, es };
}

/** Patches of one item's Cg channels (from x at xOff) into columns [j * L, (j + 1) * L) of p.cols. */
function gatherItem(p: Patches, x: Floats, xOff: number, Cg: number, g: Window2d, j: number, ld: number): void {
  const L = g.OH * g.OW;
  if (p.wasm === null) return im2col(x, xOff, Cg, g, p.cols, j * L, ld);
  const n = Cg * g.H * g.W, es = p.es;
  p.item!.set(x.subarray(xOff, xOff + n));
  p.wasm.im2col(p.itemAt, p.colsAt + j * L * es, es, Cg, g.H * g.W * es, g.OW, L, g.kh, g.kw, g.sh * g.W * es, ld * es, p.tabAt);
}

/**
 * Columns [j * L, (j + 1) * L) of p.cols added back into one item's Cg channels of gx at gxOff,
 * which nothing else writes (each item and group is scattered once into a zero gx).
 */
function scatterItem(p: Patches, Cg: number, g: Window2d, j: number, ld: number, gx: Floats, gxOff: number): void {
  const L = g.OH * g.OW;
  if (p.wasm === null) return col2im(p.cols, j * L, ld, Cg, g, gx, gxOff);
  const es = p.es;
  p.item!.fill(0);
  p.wasm.col2im(p.colsAt + j * L * es, p.itemAt, es, Cg, g.H * g.W * es, g.OW, g.kh, g.kw, g.sh * g.W * es, ld * es, p.tabAt);
  gx.set(p.item!, gxOff);
}

/**
 * How many batch items go side by side into one product. NOTE: measured on the wasm GEMM, an item's
 * product of ~1M multiply-adds or more runs as fast alone as side by side (the MNIST CNN's second
 * conv: 64x288 @ 288x576 ran at 37 GFLOP/s, 64x288 @ 288x2304 at 31), while small ones (its first
 * conv: K = 9, 32x9 @ 9x676) lose most of their time to per-call costs (operand copies, packing), so
 * items are grouped up to ~1M; the chunk's patches (K * nb * L) stay at most 2M elements.
 */
function chunkItems(N: number, L: number, K: number, Og: number): number {
  let nb = Math.min(N, Math.max(1, Math.ceil((1 << 20) / (Og * K * L))));
  while (nb > 1 && Math.max(K, Og) * nb * L > 1 << 21) nb--;
  return nb;
}

/** o (M x N, row-major) = a @ b, or += with accumulate; a and b given by element strides. */
function gemm(
  a: Floats, aOff: number, sam: number, sak: number,
  b: Floats, bOff: number, sbk: number, sbn: number,
  o: Floats, oOff: number, M: number, K: number, N: number, accumulate: boolean,
): void {
  const out = oOff === 0 && o.length === M * N ? o : (o.subarray(oOff, oOff + M * N) as Floats);
  matmulInto(a as TypedArray, [0, sam, sak], aOff, b as TypedArray, [0, sbk, sbn], bOff, out as TypedArray, 1, M, K, N, accumulate);
}

/**
 * Rows of nb items side by side and back: dst[o * nb * L + m * L + l] = src[((n0 + m) * O + o0 + o) * L + l]
 * for m < nb, o < Og (gather), or the reverse (scatter).
 */
function gatherRows(src: Floats, n0: number, nb: number, O: number, o0: number, Og: number, L: number, dst: Floats): void {
  for (let o = 0; o < Og; o++)
    for (let m = 0; m < nb; m++) {
      const s = ((n0 + m) * O + o0 + o) * L;
      dst.set(src.subarray(s, s + L), (o * nb + m) * L);
    }
}
function scatterRows(src: Floats, n0: number, nb: number, O: number, o0: number, Og: number, L: number, dst: Floats): void {
  for (let o = 0; o < Og; o++)
    for (let m = 0; m < nb; m++) {
      const s = (o * nb + m) * L;
      dst.set(src.subarray(s, s + L), ((n0 + m) * O + o0 + o) * L);
    }
}

function conv2d(this: Backend, xv: View, wv: View, bv: View | null, g: Window2d, O: number, groups: number): Storage {
  try {
    return conv2dIn(this, xv, wv, bv, g, O, groups);
  } finally {
    releaseArenaRegion();
  }
}
function conv2dIn(be: Backend, xv: View, wv: View, bv: View | null, g: Window2d, O: number, groups: number): Storage {
  const x = data(be, xv), w = data(be, wv);
  const b = bv ? data(be, bv) : null;
  const { N, C, H, W, OH, OW, kh, kw } = g;
  const L = OH * OW, Cg = C / groups, Og = O / groups, K = Cg * kh * kw, HW = H * W;
  const y = alloc(x, N * O * L);
  const nb = chunkItems(N, L, K, Og), ld = nb * L;
  const p = patches(x, g, Cg, K, ld), cols = p.cols;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0), cw = m * L;
    for (let gi = 0; gi < groups; gi++) {
      for (let j = 0; j < m; j++) gatherItem(p, x, ((n0 + j) * C + gi * Cg) * HW, Cg, g, j, cw);
      // one item: the product lands in y itself; several: in a chunk buffer, then row by row in y
      const one = m === 1;
      const out = one ? y : scratch(x, Og * cw, 1);
      const oOff = one ? (n0 * O + gi * Og) * L : 0;
      if (b) {
        // NOTE: the output starts as the bias and the products are added into it (BLAS's beta = 1),
        // as PyTorch's CPU convolution does
        for (let o = 0; o < Og; o++) out.fill(b[gi * Og + o]!, oOff + o * cw, oOff + (o + 1) * cw);
      }
      gemm(w, gi * Og * K, K, 1, cols, 0, cw, 1, out, oOff, Og, K, cw, b !== null);
      if (!one) scatterRows(out, n0, m, O, gi * Og, Og, L, y);
    }
  }
  return y;
}

function conv2dBackward(
  this: Backend, gyv: View, xv: View, wv: View, g: Window2d, O: number, groups: number,
  mask: readonly [boolean, boolean, boolean],
): [Storage | null, Storage | null, Storage | null] {
  try {
    return conv2dBackwardIn(this, gyv, xv, wv, g, O, groups, mask);
  } finally {
    releaseArenaRegion();
  }
}
function conv2dBackwardIn(
  be: Backend, gyv: View, xv: View, wv: View, g: Window2d, O: number, groups: number,
  mask: readonly [boolean, boolean, boolean],
): [Storage | null, Storage | null, Storage | null] {
  const gy = data(be, gyv);
  const { N, C, H, W, OH, OW, kh, kw } = g;
  const L = OH * OW, Cg = C / groups, Og = O / groups, K = Cg * kh * kw, HW = H * W;
  let gx: Floats | null = null, gw: Floats | null = null, gb: Floats | null = null;
  if (mask[0] || mask[1]) {
    const w = mask[0] ? data(be, wv) : null, x = mask[1] ? data(be, xv) : null;
    if (mask[0]) gx = alloc(gy, N * C * HW);
    // NOTE: the weight's gradient is taken as its transpose (K x Og) when K is not a multiple of 4 and
    // Og is: the wasm GEMM runs output columns four at a time (the first conv of a net has K = 9)
    const wT = mask[1] && (K & 3) !== 0 && (Og & 3) === 0;
    if (mask[1]) gw = alloc(gy, O * K);
    const gwT = wT ? alloc(gy, O * K) : null;
    const nb = chunkItems(N, L, K, Og), ld = nb * L;
    const p = patches(gy, g, Cg, K, ld), cols = p.cols;
    for (let n0 = 0; n0 < N; n0 += nb) {
      const m = Math.min(nb, N - n0), cw = m * L;
      for (let gi = 0; gi < groups; gi++) {
        // this chunk's output gradient, Og x (m * L)
        let gc: Floats, gcOff: number;
        if (m === 1) { gc = gy; gcOff = (n0 * O + gi * Og) * L; }
        else { gc = scratch(gy, Og * cw, 1); gcOff = 0; gatherRows(gy, n0, m, O, gi * Og, Og, L, gc); }
        if (gx) {
          // patch gradients (K x cw) = w_g^T (K x Og) @ gc (Og x cw), then added back into gx
          gemm(w!, gi * Og * K, 1, K, gc, gcOff, cw, 1, cols, 0, K, Og, cw, false);
          for (let j = 0; j < m; j++) scatterItem(p, Cg, g, j, cw, gx, ((n0 + j) * C + gi * Cg) * HW);
        }
        if (gw) {
          for (let j = 0; j < m; j++) gatherItem(p, x!, ((n0 + j) * C + gi * Cg) * HW, Cg, g, j, cw);
          // gw_g (Og x K) += gc (Og x cw) @ cols^T (cw x K), or its transpose
          if (gwT) gemm(cols, 0, cw, 1, gc, gcOff, 1, cw, gwT, gi * Og * K, K, cw, Og, true);
          else gemm(gc, gcOff, cw, 1, cols, 0, 1, cw, gw, gi * Og * K, Og, cw, K, true);
        }
      }
    }
    if (gwT && gw) for (let gi = 0; gi < groups; gi++) transposeInto(gwT, gi * Og * K, K, Og, gw);
  }
  if (mask[2]) {
    gb = alloc(gy, O);
    sumChannels(gy, N, O, L, gb);
  }
  return [gx, gw, gb];
}
// NOTE: the hot loops live in small functions of their own: V8 then optimizes each as a whole
// instead of replacing loops on the stack inside one big function (measured: repeated "exit from
// OSR'd inner loop" deoptimizations of conv2dBackward while it held them).

/** dst[off + c * R + r] = src[off + r * C + c] for an R x C block. */
function transposeInto(src: Floats, off: number, R: number, C: number, dst: Floats): void {
  for (let c = 0; c < C; c++) for (let r = 0; r < R; r++) dst[off + c * R + r] = src[off + r * C + c]!;
}

/**
 * out[o] = the sum of x[n, o, l] over n and l (the bias's gradient).
 * NOTE: each channel's sum in float64, rounded once (PyTorch's sum reduces float32 in float32 with a
 * cascade; both are within float tolerance, this one never worse).
 */
function sumChannels(x: Floats, N: number, O: number, L: number, out: Floats): void {
  const L4 = L & ~3;
  for (let o = 0; o < O; o++) {
    // four accumulators: one chain of dependent adds would wait on each add's latency
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let n = 0; n < N; n++) {
      const p = (n * O + o) * L;
      let l = 0;
      for (; l < L4; l += 4) {
        s0 += x[p + l]!;
        s1 += x[p + l + 1]!;
        s2 += x[p + l + 2]!;
        s3 += x[p + l + 3]!;
      }
      for (; l < L; l++) s0 += x[p + l]!;
    }
    out[o] = s0 + s1 + (s2 + s3);
  }
}

/** Windows start at oh * sh - padT, step by the dilation and are clipped to the input (PyTorch's rule). */
function maxPool2d(this: Backend, xv: View, g: Window2d): { values: Storage; indices: Storage } {
  const x = data(this, xv);
  const { N, C, H, W, OH, OW, kh, kw, sh, sw, dh, dw, padT, padL } = g;
  const P = N * C, HW = H * W, L = OH * OW;
  const y = alloc(x, P * L);
  const idx = zeroedArray(Float64Array, P * L);
  // the common 2x2 window with stride 2, no padding, dilation or ceil-mode overhang
  if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && dh === 1 && dw === 1 && padT === 0 && padL === 0 && 2 * OH <= H && 2 * OW <= W) {
    if (!(x instanceof Float32Array && y instanceof Float32Array && maxPool2x2Wasm(x, P, H, W, OH, OW, y, idx)))
      maxPool2x2(x, P, H, W, OH, OW, y, idx);
  } else maxPoolAny(x, g, y, idx);
  return { values: y, indices: idx };
}

/**
 * maxPool2x2 for float32 in wasm SIMD, four windows at a time and no branches (the TypeScript loop
 * mispredicts about every other comparison on real data); false where the module is unavailable.
 * NOTE: a chunk of planes (~1 MB of input) at a time, copied in and the results out: the module's
 * memory stays small and the copy is still in cache when the kernel reads it.
 */
function maxPool2x2Wasm(x: Float32Array, P: number, H: number, W: number, OH: number, OW: number, y: Float32Array, idx: Float64Array): boolean {
  const HW = H * W, L = OH * OW;
  const per = Math.max(1, Math.min(P, Math.floor((1 << 18) / HW)));
  // room after each part for the kernel's reads and writes past a row's end (see conv.wat)
  const yOff = Math.ceil((per * HW * 4 + 64) / 64) * 64, iOff = yOff + Math.ceil((per * L * 4 + 64) / 64) * 64;
  const bytes = iOff + per * L * 4 + 64;
  const r = bytes < 2 ** 31 ? region(bytes) : null;
  if (r === null) return false;
  const buf = r.buffer, xAt = r.at, yAt = r.at + yOff, iAt = r.at + iOff;
  try {
    const xv = new Float32Array(buf, xAt, per * HW), yv = new Float32Array(buf, yAt, per * L), iv = new Int32Array(buf, iAt, per * L);
    for (let p0 = 0; p0 < P; p0 += per) {
      const n = Math.min(per, P - p0);
      xv.set(x.subarray(p0 * HW, (p0 + n) * HW));
      r.ex.maxpool2x2_f32(xAt, yAt, iAt, n, H, W, OH, OW);
      y.set(n === per ? yv : yv.subarray(0, n * L), p0 * L);
      idx.set(n === per ? iv : iv.subarray(0, n * L), p0 * L);
    }
  } finally {
    releaseArenaRegion();
  }
  return true;
}

function maxPool2x2(x: Floats, P: number, H: number, W: number, OH: number, OW: number, y: Floats, idx: Float64Array): void {
  const HW = H * W;
  for (let p = 0, q = 0; p < P; p++) {
    const xp = p * HW;
    for (let oh = 0; oh < OH; oh++) {
      const r0 = 2 * oh * W;
      for (let ow = 0; ow < OW; ow++, q++) {
        const i0 = r0 + 2 * ow, i1 = i0 + 1, i2 = i0 + W, i3 = i2 + 1;
        const v0 = x[xp + i0]!, v1 = x[xp + i1]!, v2 = x[xp + i2]!, v3 = x[xp + i3]!;
        let m = v0, mi = i0;
        // NOTE: written as PyTorch's test (val > max || isnan(val)), so ties keep the first and a NaN wins
        if (v1 > m || v1 !== v1) { m = v1; mi = i1; }
        if (v2 > m || v2 !== v2) { m = v2; mi = i2; }
        if (v3 > m || v3 !== v3) { m = v3; mi = i3; }
        y[q] = m;
        idx[q] = mi;
      }
    }
  }
}

function maxPoolAny(x: Floats, g: Window2d, y: Floats, idx: Float64Array): void {
  const { N, C, H, W, OH, OW, kh, kw, sh, sw, dh, dw, padT, padL } = g;
  const P = N * C, HW = H * W;
  for (let p = 0, q = 0; p < P; p++) {
    const xp = p * HW;
    for (let oh = 0; oh < OH; oh++) {
      let hs = oh * sh - padT;
      const he = Math.min(hs + (kh - 1) * dh + 1, H);
      while (hs < 0) hs += dh;
      for (let ow = 0; ow < OW; ow++, q++) {
        let ws = ow * sw - padL;
        const we = Math.min(ws + (kw - 1) * dw + 1, W);
        while (ws < 0) ws += dw;
        let m = -Infinity, mi = hs * W + ws;
        for (let h = hs; h < he; h += dh)
          for (let w = ws; w < we; w += dw) {
            const v = x[xp + h * W + w]!;
            if (v > m || v !== v) { m = v; mi = h * W + w; }
          }
        y[q] = m;
        idx[q] = mi;
      }
    }
  }
}

function maxPool2dBackward(this: Backend, gyv: View, iv: View, g: Window2d): Storage {
  const gy = data(this, gyv);
  const idx = data(this, iv) as Float64Array;
  const P = g.N * g.C, HW = g.H * g.W, L = g.OH * g.OW;
  const gx = alloc(gy, P * HW);
  // windows that do not overlap send each input at most one gradient: stored, not added
  if (g.sh >= (g.kh - 1) * g.dh + 1 && g.sw >= (g.kw - 1) * g.dw + 1) scatterStore(gy, idx, P, HW, L, gx);
  else scatterAdd(gy, idx, P, HW, L, gx);
  return gx;
}
// NOTE: `idx[q] | 0`: the indices (plane offsets, below H * W) come from a Float64Array, and a float64
// in an element index sends V8 through its number-to-index check at every store; as an int32 the
// store is direct. Measured (the MNIST CNN's pooling backward, 590K windows): 8-9 ns a window before,
// ~2.8 after.
function scatterStore(gy: Floats, idx: Float64Array, P: number, HW: number, L: number, gx: Floats): void {
  for (let p = 0, q = 0; p < P; p++) {
    const xp = p * HW;
    for (let l = 0; l < L; l++, q++) gx[xp + (idx[q]! | 0)] = gy[q]!;
  }
}
function scatterAdd(gy: Floats, idx: Float64Array, P: number, HW: number, L: number, gx: Floats): void {
  for (let p = 0, q = 0; p < P; p++) {
    const xp = p * HW;
    for (let l = 0; l < L; l++, q++) gx[xp + (idx[q]! | 0)] += gy[q]!;
  }
}

/** Each window's divisor, PyTorch's avg_pool2d rule (windows clipped to the padded input). */
function avgDivisors(g: Window2d, countIncludePad: boolean, divisorOverride: number): Float64Array {
  const { H, W, OH, OW, kh, kw, sh, sw, padT, padL } = g;
  const div = new Float64Array(OH * OW);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++) {
      let hs = oh * sh - padT, ws = ow * sw - padL;
      let he = Math.min(hs + kh, H + padT), we = Math.min(ws + kw, W + padL);
      const poolSize = (he - hs) * (we - ws);
      hs = Math.max(hs, 0); ws = Math.max(ws, 0); he = Math.min(he, H); we = Math.min(we, W);
      div[oh * OW + ow] = divisorOverride ? divisorOverride : countIncludePad ? poolSize : (he - hs) * (we - ws);
    }
  return div;
}

function avgPool2d(this: Backend, xv: View, g: Window2d, countIncludePad: boolean, divisorOverride: number): Storage {
  const x = data(this, xv);
  const { N, C, H, W, OH, OW, kh, kw, sh, sw, padT, padL } = g;
  const P = N * C, HW = H * W, L = OH * OW;
  const div = avgDivisors(g, countIncludePad, divisorOverride);
  const y = alloc(x, P * L);
  for (let p = 0; p < P; p++) {
    const xp = p * HW;
    for (let oh = 0, q = p * L; oh < OH; oh++) {
      const hs = Math.max(oh * sh - padT, 0), he = Math.min(oh * sh - padT + kh, H);
      for (let ow = 0; ow < OW; ow++, q++) {
        const ws = Math.max(ow * sw - padL, 0), we = Math.min(ow * sw - padL + kw, W);
        let s = 0;
        for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) s += x[xp + h * W + w]!;
        y[q] = s / div[q - p * L]!;
      }
    }
  }
  return y;
}

function avgPool2dBackward(this: Backend, gyv: View, g: Window2d, countIncludePad: boolean, divisorOverride: number): Storage {
  const gy = data(this, gyv);
  const { N, C, H, W, OH, OW, kh, kw, sh, sw, padT, padL } = g;
  const P = N * C, HW = H * W, L = OH * OW;
  const div = avgDivisors(g, countIncludePad, divisorOverride);
  const gx = alloc(gy, P * HW);
  for (let p = 0; p < P; p++) {
    const xp = p * HW;
    for (let oh = 0, q = p * L; oh < OH; oh++) {
      const hs = Math.max(oh * sh - padT, 0), he = Math.min(oh * sh - padT + kh, H);
      for (let ow = 0; ow < OW; ow++, q++) {
        const ws = Math.max(ow * sw - padL, 0), we = Math.min(ow * sw - padL + kw, W);
        const v = gy[q]! / div[q - p * L]!;
        for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) gx[xp + h * W + w] += v;
      }
    }
  }
  return gx;
}

export const convKernels: Partial<Backend> = {
  conv2d,
  conv2dBackward,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
};
