// float32 elementwise kernels through WebAssembly SIMD (elementwise_simd.wat) for the fast backend:
// operands are copied into the module's memory a chunk at a time, combined in place there, and the
// result copied out. No Node imports, no eval: it bundles for browsers; the module (~7 KiB) compiles
// synchronously on first use, also on a browser's main thread. Where WebAssembly SIMD is missing (or
// setSimdEnabled(false)), every function here returns false and the caller's TypeScript loop runs.
//
// Two kinds of kernels:
// - exp / log / tanh / sigmoid / silu: polynomials within 1-3 ulp (SIMD_OPS). NOTE: measured on the
//   2-core Zen 4 (Node 24, 1M floats, CPU time on a shared machine): Math.exp in a monomorphic loop
//   costs ~18 ns an element, Math.tanh ~30; this module with the copies ~5 and ~8 (the reference's
//   Sleef emulation ~90 and ~320).
// - exact ones (add, sub, mul, div, maximum, minimum, addScaled, comparisons, mask products, relu,
//   neg, abs, sqrt, ...): the bits of the TypeScript loops, NaN, -0, infinities and denormals
//   included (see the .wat for why; a NaN's payload may differ). NOTE: measured (Node 24, Zen 3): a
//   monomorphic JS loop over Float32Arrays costs 1.5-3 ns an element; TypedArray.prototype.set
//   copies ~0.1 ns an element per operand and an f32x4 loop over data in L1 ~0.1, so on long runs
//   this path is several times faster (see EXACT_MIN_LENGTH for where it starts to pay).
import type { BinaryOp, UnaryOp } from "../backend.js";
import { ELEMENTWISE_SIMD_WASM_BASE64 } from "./elementwise_simd.generated.js";
import { wasmBytes } from "../wasm_module.js";

type Fn = (...args: number[]) => void;

/** The module's exports: the memory and one function per kernel (see elementwise_simd.wat). */
type SimdExports = { memory: WebAssembly.Memory } & Record<string, Fn>;

/** The ops the polynomial kernels give. */
export const SIMD_OPS: ReadonlySet<UnaryOp> = new Set(["exp", "log", "tanh", "sigmoid", "silu"]);

/**
 * Shorter runs of the polynomial ops go to the TypeScript loop. NOTE: measured (Node 24, CPU time,
 * 1000 calls): exp of 16 floats 0.41 us through wasm against 0.30 us with Math.exp, of 32 floats 0.48
 * against 0.66, of 256 1.8 against 3.3 (tanh's Math loop is slower still).
 */
export const SIMD_MIN_LENGTH = 24;

/**
 * Shorter runs of the exact ops with one float operand (unary ops, a scalar operand, mask products,
 * comparisons with a scalar) go to the TypeScript loop: below it the fixed costs (a subarray view
 * where an operand is not a whole array, ~25 ns per TypedArray.prototype.set, the call into wasm)
 * exceed what the loop takes. NOTE: measured (Node 24, 2-core EPYC (Zen 3) shared with other work, the
 * fast backend's binary / unary into a preallocated output, best of 7 x 200+ calls, ns a call, loop
 * against SIMD): relu of 32 floats 224 / 237, of 64 162 / 126, of 256 417 / 163, of 1024 1465 / 359;
 * x * scalar of 64 208 / 207, of 256 397 / 228; mask product of 64 213 / 184; x > 0 of 64 178 / 169.
 */
export const EXACT_MIN_LENGTH = 64;
/**
 * The same for two float operands (a op b, comparisons of two arrays, the bias row): one more copy.
 * NOTE: measured as above: a + b of 64 floats 214 / 255, of 96 240 / 275, of 128 280 / 269, of 256
 * 429 / 300, of 1024 1349 / 590.
 */
export const EXACT_MIN_LENGTH_TWO = 128;

/** Floats per chunk and operand: 32 KiB each, A and B together in L1/L2 while they are combined. */
const CHUNK = 8192;
/**
 * Byte addresses of the module's regions: A (the first operand and the result), B, bytes; each
 * starts half-way into a 4 KiB page. NOTE: measured on the 2-core EPYC (Zen 3; glibc's memmove behind
 * TypedArray.prototype.set): a copy whose destination lies 4-28 bytes past its source modulo 4 KiB
 * runs 6-20x slower (~1.5 ns a float instead of 0.1). glibc places a freshly mapped block (128 KiB and
 * more) 16 bytes into a page, so with page-aligned regions the copy out into such an output was
 * always the slow case (measured: 3 of 6 runs of relu on 100K floats took 3 ns a float, none since);
 * half a page away, only an operand that happens to lie within those bytes of a region is slow
 * (measured: 1-2 of 256 16-byte placements; a memmove between two JS arrays has the same odds).
 */
const A = 2048, B = A + 4 * CHUNK, U = B + 4 * CHUNK;

interface Mod {
  w: SimdExports;
  buf: ArrayBuffer;
  fa: Float32Array;
  fb: Float32Array;
  u: Uint8Array;
  /** views of the first len floats of A and bytes of U, by len (see resultOf) */
  floats: Map<number, Float32Array>;
  bytes: Map<number, Uint8Array>;
}
let mod: Mod | null | undefined; // undefined: not tried; null: unavailable
let enabled = true;

/** Turns the SIMD paths off (the TypeScript loops run) or on; returns the previous setting. For tests and comparisons. */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

function modOf(m: WebAssembly.Module): Mod {
  const w = new WebAssembly.Instance(m, {}).exports as unknown as SimdExports;
  // (the memory never grows, so these views stay valid)
  const buf = w.memory.buffer;
  return { w, buf, fa: new Float32Array(buf, A, CHUNK), fb: new Float32Array(buf, B, CHUNK), u: new Uint8Array(buf, U, CHUNK), floats: new Map(), bytes: new Map() };
}

/**
 * Compiles the module synchronously. NOTE: the module is ~7 KiB; Chrome has refused synchronous
 * compiles over 4 KiB on a page's main thread (today's limit is 8 MiB, but not every build has it):
 * where the synchronous compile throws, it compiles asynchronously and the TypeScript loops run
 * until that is done.
 */
function load(): Mod | null {
  const bytes = wasmBytes(ELEMENTWISE_SIMD_WASM_BASE64);
  if (bytes === null) return null; // no SIMD in this engine
  try {
    return modOf(new WebAssembly.Module(bytes));
  } catch {
    WebAssembly.compile(bytes).then((m) => { mod = modOf(m); }, () => { /* stays unavailable */ });
    return null;
  }
}

/** Whether the SIMD module is available here (compiling it on first call). */
export function simdAvailable(): boolean {
  if (mod === undefined) mod = load();
  return mod !== null;
}

/** The module when the SIMD paths are on and it loads. */
function get(): Mod | null {
  if (!enabled) return null;
  if (mod === undefined) mod = load();
  return mod;
}

/**
 * arr[off, off + len) for TypedArray.prototype.set: the array itself where it is exactly that (a
 * fresh tensor's storage). NOTE: measured, a subarray view costs 40-70 ns, as much as copying 256
 * floats; it is most of this path's fixed cost on short runs.
 */
function part<T extends Float32Array | Uint8Array>(arr: T, off: number, len: number): T {
  return off === 0 && arr.length === len ? arr : (arr.subarray(off, off + len) as T);
}

/** Views of a region's first len elements, kept by len (shapes repeat from step to step). */
const MAX_VIEWS = 64;
function floatsOf(m: Mod, len: number): Float32Array {
  if (len === CHUNK) return m.fa;
  let v = m.floats.get(len);
  if (!v) {
    if (m.floats.size >= MAX_VIEWS) m.floats.clear();
    m.floats.set(len, (v = new Float32Array(m.buf, A, len)));
  }
  return v;
}
function bytesOf(m: Mod, len: number): Uint8Array {
  if (len === CHUNK) return m.u;
  let v = m.bytes.get(len);
  if (!v) {
    if (m.bytes.size >= MAX_VIEWS) m.bytes.clear();
    m.bytes.set(len, (v = new Uint8Array(m.buf, U, len)));
  }
  return v;
}

// -------------------------------------------------------------------------------------------- unary

/** Exact unary ops without parameters: the op's export. */
const EXACT_UNARY: Partial<Record<UnaryOp, string>> = {
  relu: "relu", neg: "neg", abs: "abs", sqrt: "sqrt", square: "square", reciprocal: "reciprocal", rsqrt: "rsqrt",
  floor: "floor", ceil: "ceil", trunc: "trunc", round: "nearest", sign: "sign",
  clamp: "clamp", leakyRelu: "leaky_relu", gtScalarMask: "gt_mask",
};
/** powScalar's exponents the float32 loop computes without Math.pow: the export that does the same. */
const POW: Record<number, string> = { 2: "square", 3: "cube", [-2]: "rsquare", [-1]: "reciprocal", 0.5: "sqrt", [-0.5]: "rsqrt" };

/** The export for a unary op with its (float32-rounded) parameters, or undefined. */
function unaryExport(op: UnaryOp, p0: number): string | undefined {
  if (op === "powScalar") return POW[p0];
  return SIMD_OPS.has(op) ? op : EXACT_UNARY[op];
}

/**
 * o[io + k] = op(x[ix + k]) for k < n through the SIMD module when it has the op, n is long enough
 * and the module is available; returns whether it ran (false: the caller computes). p0, p1: the op's
 * scalar parameters as the float32 loop takes them (rounded to float32). x and o may be the same
 * array at the same offset.
 */
export function simdUnaryF32(op: UnaryOp, n: number, x: Float32Array, ix: number, o: Float32Array, io: number, p0 = 0, p1 = 0): boolean {
  if (n < (SIMD_OPS.has(op) ? SIMD_MIN_LENGTH : EXACT_MIN_LENGTH)) return false;
  const name = unaryExport(op, p0);
  const m = name === undefined ? null : get();
  if (!m) return false;
  const fn = m.w[name!]!, f = m.fa;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    f.set(part(x, ix + s, len));
    fn(A, len, p0, p1);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}

// ------------------------------------------------------------------------------------------- binary

/** Binary ops with float32 results the module gives exactly (addScaled in float64, see the .wat). */
const EXACT_BINARY: ReadonlySet<BinaryOp> = new Set(["add", "sub", "mul", "div", "maximum", "minimum", "addScaled"]);
/** Each exact binary op's exports: both operands vectors; the scalar second; the scalar first (add and mul commute). */
const VV: Partial<Record<BinaryOp, string>> = {
  add: "add_vv", sub: "sub_vv", mul: "mul_vv", div: "div_vv", maximum: "maximum_vv", minimum: "minimum_vv", addScaled: "axpy_vv",
};
const VS: Partial<Record<BinaryOp, string>> = { add: "add_vs", sub: "sub_vs", mul: "mul_vs", div: "div_vs", maximum: "maximum_vs", minimum: "minimum_vs" };
const SV: Partial<Record<BinaryOp, string>> = { add: "add_vs", sub: "sub_sv", mul: "mul_vs", div: "div_sv", maximum: "maximum_sv", minimum: "minimum_sv" };
/** Comparisons' exports: both vectors; the scalar second; the scalar first (`s < x` is `x > s`). */
const CMP_VV: Partial<Record<BinaryOp, string>> = { eq: "eq_vv", ne: "ne_vv", lt: "lt_vv", le: "le_vv", gt: "gt_vv", ge: "ge_vv" };
const CMP_VS: Partial<Record<BinaryOp, string>> = { eq: "eq_vs", ne: "ne_vs", lt: "lt_vs", le: "le_vs", gt: "gt_vs", ge: "ge_vs" };
const CMP_SV: Partial<Record<BinaryOp, string>> = { eq: "eq_vs", ne: "ne_vs", lt: "gt_vs", le: "ge_vs", gt: "lt_vs", ge: "le_vs" };

/** Whether simdBinaryF32 and its scalar and row forms may take op (they still check lengths). */
export function simdBinaryOp(op: BinaryOp): boolean {
  return EXACT_BINARY.has(op);
}

/** Whether simdCompareF32 and its scalar form may take op. */
export function simdCompareOp(op: BinaryOp): boolean {
  return CMP_VV[op] !== undefined;
}

/**
 * o[io + k] = a[ia + k] op b[ib + k] for k < n (p: addScaled's factor, float32-rounded as the loop
 * takes it); returns whether it ran. o may be a or b at the same offset.
 */
export function simdBinaryF32(op: BinaryOp, n: number, a: Float32Array, ia: number, b: Float32Array, ib: number, o: Float32Array, io: number, p: number): boolean {
  if (n < EXACT_MIN_LENGTH_TWO || !EXACT_BINARY.has(op)) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w[VV[op]!]!, fa = m.fa, fb = m.fb;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(a, ia + s, len));
    fb.set(part(b, ib + s, len));
    fn(A, B, len, p);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}

/**
 * o[io + k] = a[ia + k] op y for k < n, or y op a[ia + k] when scalarFirst (y: a float32 value);
 * returns whether it ran. o may be a at the same offset.
 */
export function simdBinaryScalarF32(
  op: BinaryOp, n: number, a: Float32Array, ia: number, y: number, scalarFirst: boolean, o: Float32Array, io: number, p: number,
): boolean {
  if (n < EXACT_MIN_LENGTH || !EXACT_BINARY.has(op)) return false;
  const m = get();
  if (!m) return false;
  let fn: Fn, s0: number, s1: number;
  if (op === "addScaled") {
    // NOTE: the loop's p * y is one float64 product, the same for every element: computed here once
    if (scalarFirst) [fn, s0, s1] = [m.w.axpy_sv!, y, p];
    else [fn, s0, s1] = [m.w.axpy_vs!, p * y, 0];
  } else {
    fn = m.w[(scalarFirst ? SV : VS)[op]!]!;
    [s0, s1] = [y, 0];
  }
  const fa = m.fa;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(a, ia + s, len));
    fn(A, len, s0, s1);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}

/**
 * The row broadcast ([M, N] op [N], a bias add): o[io + r len + k] = a[ia + r len + k] op b[ib + k]
 * for r < rows, k < len (rowFirst: b[ib + k] op a[ia + r len + k], taken for add and mul only,
 * which commute); returns whether it ran. NOTE: b's row is tiled across region B once, so that each
 * chunk of whole rows is one call of the contiguous kernel, also for rows much shorter than a chunk
 * (N = 10 logits); rows longer than half a chunk return false (the caller's per-row contiguous calls
 * cost no more then). o may be a at the same offset.
 */
export function simdBinaryRowF32(
  op: BinaryOp, rows: number, len: number, a: Float32Array, ia: number, b: Float32Array, ib: number, rowFirst: boolean,
  o: Float32Array, io: number, p: number,
): boolean {
  const n = rows * len;
  if (n < EXACT_MIN_LENGTH_TWO || !EXACT_BINARY.has(op) || len > CHUNK / 2 || (rowFirst && op !== "add" && op !== "mul")) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w[VV[op]!]!, fa = m.fa, fb = m.fb;
  const per = Math.min(rows, Math.floor(CHUNK / len)), tile = per * len; // rows per chunk
  fb.set(part(b, ib, len));
  for (let t = len; t < tile; t *= 2) fb.copyWithin(t, 0, Math.min(t, tile - t));
  for (let s = 0; s < n; s += tile) {
    const l = Math.min(tile, n - s);
    fa.set(part(a, ia + s, l));
    fn(A, B, l, p);
    o.set(floatsOf(m, l), io + s);
  }
  return true;
}

/** o[io + k] = a[ia + k] op b[ib + k] (1 or 0) for a comparison op; returns whether it ran. */
export function simdCompareF32(op: BinaryOp, n: number, a: Float32Array, ia: number, b: Float32Array, ib: number, o: Uint8Array, io: number): boolean {
  if (n < EXACT_MIN_LENGTH_TWO || CMP_VV[op] === undefined) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w[CMP_VV[op]!]!, fa = m.fa, fb = m.fb, u = m.u;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(a, ia + s, len));
    fb.set(part(b, ib + s, len));
    fn(A, B, U, len);
    o.set(bytesOf(m, len), io + s);
  }
  return true;
}

/** o[io + k] = a[ia + k] op y, or y op a[ia + k] when scalarFirst (1 or 0); returns whether it ran. */
export function simdCompareScalarF32(op: BinaryOp, n: number, a: Float32Array, ia: number, y: number, scalarFirst: boolean, o: Uint8Array, io: number): boolean {
  if (n < EXACT_MIN_LENGTH || CMP_VV[op] === undefined) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w[(scalarFirst ? CMP_SV : CMP_VS)[op]!]!, fa = m.fa, u = m.u;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(a, ia + s, len));
    fn(A, U, len, y);
    o.set(bytesOf(m, len), io + s);
  }
  return true;
}

/**
 * o[io + k] = (mask[im + k] !== 0) === (when === 1) ? v : x[ix + k] for a bool mask (a where with one
 * scalar side: relu's backward g.masked_fill(y <= 0, 0)); returns whether it ran. v is a float32 value.
 */
export function simdSelectMaskF32(n: number, mask: Uint8Array, im: number, v: number, x: Float32Array, ix: number, o: Float32Array, io: number, when: 0 | 1): boolean {
  if (n < EXACT_MIN_LENGTH) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w.select_mask!, fa = m.fa, u = m.u;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(x, ix + s, len));
    u.set(part(mask, im + s, len));
    fn(A, U, len, v, when);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}

/**
 * o[io + k] = y[iy + k] <= t ? +0 : g[ig + k] (PyTorch's threshold_backward: relu's backward with
 * t = 0, a NaN y keeping g), t a float32 value; returns whether it ran. o may be g at the same offset.
 */
export function simdThresholdBackwardF32(n: number, g: Float32Array, ig: number, y: Float32Array, iy: number, t: number, o: Float32Array, io: number): boolean {
  if (n < EXACT_MIN_LENGTH_TWO) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w.threshold_bwd!, fa = m.fa, fb = m.fb;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(g, ig + s, len));
    fb.set(part(y, iy + s, len));
    fn(A, B, len, t);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}

/**
 * o[io + k] = x[ix + k] * mask[im + k] for a bool mask (relu's backward); returns whether it ran.
 * o may be x at the same offset.
 */
export function simdMulMaskF32(n: number, x: Float32Array, ix: number, mask: Uint8Array, im: number, o: Float32Array, io: number): boolean {
  if (n < EXACT_MIN_LENGTH) return false;
  const m = get();
  if (!m) return false;
  const fn = m.w.mul_mask!, fa = m.fa, u = m.u;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    fa.set(part(x, ix + s, len));
    u.set(part(mask, im + s, len));
    fn(A, U, len);
    o.set(floatsOf(m, len), io + s);
  }
  return true;
}
