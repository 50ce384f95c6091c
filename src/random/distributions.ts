/**
 * PyTorch's CPU samplers over plain typed arrays, bit for bit.
 *
 * Each function draws from a {@link Generator} exactly what the matching PyTorch 1.13 CPU kernel
 * draws, in the same order, and returns the values a contiguous tensor of `n` elements would
 * hold (row-major). The Tensor layer wraps these arrays; nothing here knows about shapes.
 *
 * Sources followed (PyTorch 1.13): aten/src/ATen/core/DistributionsHelper.h and
 * TransformationHelper.h (the per-element transforms), aten/src/ATen/native/cpu/
 * DistributionTemplates.h (the kernels and which path each size takes),
 * aten/src/ATen/native/TensorFactories.cpp (randperm), torch/utils/data/dataloader.py and
 * sampler.py (what DataLoader draws).
 *
 * ## What `DataLoader(dataset, batchSize, { shuffle: true })` draws, per epoch
 *
 * With `num_workers=0`, a map-style dataset, and no `generator=` passed to the DataLoader
 * (so everything comes from the global generator, `defaultGenerator`), each epoch, i.e. each
 * `iter(loader)` / `for batch of loader`, does exactly this:
 *
 * 1. When the iterator is created (`_BaseDataLoaderIter.__init__`):
 *    `_base_seed = torch.empty((), dtype=torch.int64).random_().item()`
 *    -> `randomInt64(defaultGenerator)`: ONE `random64()` (two uint32 draws), value unused by
 *    the single-process loader but the draw still advances the global stream.
 *    (`iter(self._index_sampler)` runs just before it but is a lazy Python generator: it draws
 *    nothing yet. `_shared_seed` is drawn only for IterDataPipe datasets.)
 * 2. When the first batch is requested, `RandomSampler.__iter__` starts and draws
 *    `seed = int(torch.empty((), dtype=torch.int64).random_().item())`
 *    -> `randomInt64(defaultGenerator)`: a second `random64()`.
 * 3. It builds a private `torch.Generator()` seeded with that value
 *    -> `new Generator(seed)` (only the low 32 bits of the seed matter to mt19937),
 *    and takes `torch.randperm(n, generator=that)` -> `randperm(new Generator(seed), n)`.
 *    The epoch's indices are that permutation in order, cut into batches of `batch_size`
 *    (the last one shorter unless `drop_last`).
 *
 * So each epoch consumes exactly 4 uint32 draws of the global stream (two `random64`), the
 * first at `iter()` time and the second at the first `next()`. With
 * `DataLoader(..., generator=g)` both draws come from `g` instead, and the sampler does NOT
 * draw a seed: it calls `randperm(g, n)` directly on `g`, right after the `_base_seed` draw.
 * (RandomSampler with `replacement=True` instead draws `randint(gen, 32, 0, n)` chunks of 32,
 * then one of `num_samples % 32`; with `num_samples > n` it concatenates several randperms.)
 * Both the default path and the `generator=g` path and `replacement=True` were checked against
 * PyTorch. With `num_workers > 0` the same two draws happen in the same order (reading
 * dataloader.py; not tested): the workers seed themselves from `_base_seed + worker_id` and
 * never touch the parent's generator, but the sampler's seed is then drawn while the iterator
 * prefetches, i.e. already inside `iter()`.
 *
 * ```ts
 * // per epoch, reproducing PyTorch:
 * randomInt64(defaultGenerator);                          // _base_seed
 * const seed = randomInt64(defaultGenerator);             // RandomSampler's seed
 * const order = randperm(new Generator(seed), n);         // index order of this epoch
 * ```
 *
 * ## CPU capability
 *
 * PyTorch compiles these kernels once per CPU capability and picks one at start-up. Results
 * differ between them (see `setCpuCapability`): the default here is "avx2", what PyTorch uses
 * on any x86-64 CPU with AVX2 (AVX-512 machines run the same AVX2 normal kernel).
 */

import { fma32, fma64 } from "./fma.js";
import { normalFill16Avx2 } from "./avx_mathfun.js";
import { normalFillSimd } from "./normal_simd.js";
import { Generator } from "./generator.js";
import { RuntimeError } from "../errors.js";

export type FloatDType = "float32" | "float64";
/** The typed array a float dtype lives in. */
export type FloatArrayOf<D extends FloatDType> = D extends "float64" ? Float64Array : Float32Array;

/**
 * Which of PyTorch's per-capability kernel builds to reproduce.
 * - "avx2": x86-64 with AVX2 (AVX-512 CPUs run the same code for these kernels: checked);
 *   what nearly all Linux/Windows desktops and servers run. Integers and every float32 stream
 *   are bit-exact. float64 normals go through libm's log/sin/cos, and V8's Math functions
 *   (fdlibm) differ from glibc's in the last bit for a few percent of samples, so those match
 *   to about 1e-16 relative.
 * - "default": the baseline build (`ATEN_CPU_CAPABILITY=default`, or a CPU without AVX2). Uses
 *   no FMA, and the float32 normals call libm's float log/sin/cos, which we can only
 *   approximate (about 1.5% of samples differ in the last bit). Uniforms and integers are exact.
 * Other platforms (ARM, e.g. Apple silicon) were not checked.
 */
export type CpuCapability = "avx2" | "default";

let capability: CpuCapability = "avx2";

/** Selects which PyTorch CPU kernel build the samplers reproduce (default "avx2"). */
export function setCpuCapability(c: CpuCapability): void {
  if (c !== "avx2" && c !== "default") {
    throw new RangeError(`unknown CPU capability "${String(c)}"; expected "avx2" or "default"`);
  }
  capability = c;
}

export function getCpuCapability(): CpuCapability {
  return capability;
}

const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;
const TWO_32 = 2 ** 32;
const TWO_PI = 2 * Math.PI;
const fr = Math.fround;

function allocFloat<D extends FloatDType>(dtype: D, n: number): FloatArrayOf<D> {
  checkCount(n);
  if (dtype === "float32") return new Float32Array(n) as FloatArrayOf<D>;
  if (dtype === "float64") return new Float64Array(n) as FloatArrayOf<D>;
  throw new TypeError(`expected dtype "float32" or "float64", but got "${String(dtype)}"`);
}

function checkCount(n: number): void {
  if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  if (!Number.isSafeInteger(n)) throw new RuntimeError(`expected a non-negative integer number of elements, but got ${n}`);
}

// ------------------------------------------------------------------------------------------
// Single draws
// ------------------------------------------------------------------------------------------

/**
 * `uniform_real_distribution<double>(0, 1)`: the low 53 bits of `random64()` times 2^-53.
 * NOTE: float64 samples use 53 bits of a 64-bit draw (two uint32: the first is the high word,
 * of which only 21 bits survive the mask).
 */
function uniform53(gen: Generator): number {
  const hi = gen.engine.nextUint32();
  const lo = gen.engine.nextUint32();
  return ((hi & 0x1fffff) * TWO_32 + lo) * TWO_M53;
}

/**
 * `uniform_real_distribution<float>(0, 1)`: the low 24 bits of ONE uint32 times 2^-24.
 * NOTE: float32 samples use 24 bits of a single 32-bit draw; the top 8 bits are discarded.
 */
function uniform24(gen: Generator): number {
  return (gen.engine.nextUint32() & 0xffffff) * TWO_M24;
}

const drawScratch = new Uint32Array(4096);
/**
 * out[i] = uniform24(gen) for i in [0, n), in order: the same draws, taken a block at a time
 * (MT19937.fillUint32) instead of one call each. NOTE: measured (Node 24, 2-core Zen 3, 4M floats,
 * best of 7): torch.rand 13-21 ns a value before, 8.7-12 after (PyTorch: 7-10); torch.randn 17-25
 * before, 13-19 after, the draws bounding it now that its Box-Muller runs in SIMD.
 */
function uniform24Into(gen: Generator, out: Float32Array | Float64Array, n: number): void {
  const eng = gen.engine;
  for (let i = 0; i < n; i += drawScratch.length) {
    const len = Math.min(drawScratch.length, n - i);
    const d = len === drawScratch.length ? drawScratch : drawScratch.subarray(0, len);
    eng.fillUint32(d);
    for (let k = 0; k < len; k++) out[i + k] = (d[k]! & 0xffffff) * TWO_M24;
  }
}

/**
 * One sample of PyTorch's scalar `normal_distribution<double>(mean, std)`, including its cache:
 * Box-Muller yields two samples; the cosine one is returned and the sine one stored in
 * `gen.nextDoubleNormalSample`, to be returned (scaled) by the next call.
 *
 * NOTE: this is the path for tensors of fewer than 16 elements (and non-contiguous ones), for
 * float32 too: they are sampled in double and then rounded. Because of the cache, two
 * `torch.randn(7)` in a row share a Box-Muller pair across the call boundary.
 */
export function normalScalar(gen: Generator, mean = 0, std = 1): number {
  const fused = capability === "avx2";
  const cached = gen.nextDoubleNormalSample;
  if (cached !== null) {
    gen.nextDoubleNormalSample = null;
    return fused ? fma64(cached, std, mean) : cached * std + mean;
  }
  const u1 = uniform53(gen);
  const u2 = uniform53(gen);
  // NOTE: PyTorch takes the log of 1 - u2 (in (0, 1], so finite). For a 53-bit u2, 1 - u2 is
  // exact, so log1p(-u2) is the same number, and V8's log1p agrees with glibc's log more often
  // than V8's log does.
  const r = Math.sqrt(-2.0 * Math.log1p(-u2));
  const theta = TWO_PI * u1;
  gen.nextDoubleNormalSample = r * Math.sin(theta);
  const ret = r * Math.cos(theta);
  // NOTE: transformation::normal is `val * std + mean`, one FMA in the AVX2 build.
  return fused ? fma64(ret, std, mean) : ret * std + mean;
}

// ------------------------------------------------------------------------------------------
// uniform
// ------------------------------------------------------------------------------------------

/**
 * Fills `out` as `Tensor.uniform_(from, to)` fills a contiguous tensor (one draw per element,
 * in order). `from` and `to` are first rounded to the array's precision, as PyTorch casts them.
 */
export function fillUniform(gen: Generator, out: Float32Array | Float64Array, from = 0, to = 1): void {
  checkUniformRange(from, to);
  const n = out.length;
  const eng = gen.engine;
  const fused = capability === "avx2";
  if (out instanceof Float32Array) {
    const f = fr(from);
    const t = fr(to);
    const w = fr(t - f);
    if (f === 0 && t === 1) {
      uniform24Into(gen, out, n);
      return;
    }
    // NOTE: `x * (to - from) + from` in float; the AVX2 build fuses it into one FMA.
    for (let i = 0; i < n; i++) {
      const x = (eng.nextUint32() & 0xffffff) * TWO_M24;
      out[i] = fused ? fma32(x, w, f) : fr(fr(x * w) + f);
    }
  } else {
    const w = to - from;
    for (let i = 0; i < n; i++) {
      const hi = eng.nextUint32();
      const lo = eng.nextUint32();
      const x = ((hi & 0x1fffff) * TWO_32 + lo) * TWO_M53;
      out[i] = fused ? fma64(x, w, from) : x * w + from;
    }
  }
}

function checkUniformRange(from: number, to: number): void {
  if (!(from <= to)) {
    throw new RangeError(
      `uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`,
    );
  }
  if (!Number.isFinite(to - from)) {
    throw new RangeError(
      `uniform_ expects to-from <= std::numeric_limits<float>::max(), but found to=${to} and from=${from} which result in to-from to exceed the limit`,
    );
  }
}

/**
 * `torch.rand(n)` (from=0, to=1) and `torch.empty(n).uniform_(from, to)`.
 *
 * @example
 * ```ts
 * uniform(new Generator(0), 2, "float32"); // Float32Array [0.49625658988952637, 0.7682217955589294]
 * ```
 */
export function uniform<D extends FloatDType = "float32">(
  gen: Generator,
  n: number,
  dtype: D = "float32" as D,
  from = 0,
  to = 1,
): FloatArrayOf<D> {
  const out = allocFloat(dtype, n);
  fillUniform(gen, out, from, to);
  return out;
}

// ------------------------------------------------------------------------------------------
// normal
// ------------------------------------------------------------------------------------------

/**
 * Fills `out` as `Tensor.normal_(mean, std)` fills a tensor of `out.length` elements.
 *
 * NOTE: PyTorch's normal_kernel takes one of three paths:
 *  1. float32, >= 16 elements, contiguous: `normal_fill_AVX2` (AVX2 build): first ALL n
 *     uniforms are drawn (24-bit, one uint32 each), then each block of 16 becomes 16 normals by
 *     Box-Muller over lanes (j, j+8) with the avx_mathfun log/sincos. The generator's normal
 *     cache is neither used nor touched.
 *  2. float64 (or float32 in the "default" build), >= 16 elements, contiguous: `normal_fill`,
 *     the same blocking with 53-bit uniforms and libm log/cos/sin.
 *  In both, when n is not a multiple of 16, the LAST 16 slots are refilled with 16 fresh
 *  uniforms and transformed again, overwriting the tail of the previous block. So n = 17 draws
 *  17 + 16 uniforms.
 *  3. fewer than 16 elements, or a non-contiguous tensor: element by element with the scalar
 *     double sampler (`normalScalar`, with its cached second sample), then cast.
 *
 * @param contiguous false for a non-contiguous tensor: forces path 3. The values are then
 *   produced in the order PyTorch's TensorIterator visits the elements, which the caller maps.
 */
export function fillNormal(
  gen: Generator,
  out: Float32Array | Float64Array,
  mean = 0,
  std = 1,
  contiguous = true,
): void {
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const n = out.length;
  if (n >= 16 && contiguous) {
    if (out instanceof Float32Array) {
      const fill16 = capability === "avx2" ? normalFill16Avx2 : normalFill16FloatDefault;
      blockedNormalFill(gen, out, uniform24, fill16, fr(mean), fr(std), capability === "avx2" ? normalFillSimd : undefined);
    } else {
      blockedNormalFill(gen, out, uniform53, normalFill16Double, mean, std);
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = normalScalar(gen, mean, std);
}

/**
 * The blocked fill shared by PyTorch's `normal_fill` and `normal_fill_AVX2`: all n uniforms
 * first, then Box-Muller on each block of 16, then (if n % 16 != 0) 16 fresh uniforms for the
 * last 16 slots, transformed again.
 */
function blockedNormalFill<A extends Float32Array | Float64Array>(
  gen: Generator,
  data: A,
  draw: (gen: Generator) => number,
  fill16: (data: A, o: number, mean: number, std: number) => void,
  mean: number,
  std: number,
  /** the same transform on every whole block at once (fill16's bits), or false where it cannot run */
  fillBlocks?: (data: A, blocks: number, mean: number, std: number) => boolean,
): void {
  const n = data.length;
  if (draw === uniform24) uniform24Into(gen, data, n);
  else for (let i = 0; i < n; i++) data[i] = draw(gen);
  if (!fillBlocks?.(data, Math.floor(n / 16), mean, std)) for (let i = 0; i + 16 <= n; i += 16) fill16(data, i, mean, std);
  if (n % 16 !== 0) {
    const o = n - 16;
    for (let i = 0; i < 16; i++) data[o + i] = draw(gen);
    fill16(data, o, mean, std);
  }
}

/** `normal_fill_16<float>` of the baseline build: float libm calls, no FMA. */
function normalFill16FloatDefault(data: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fr(1 - data[o + j]!);
    const u2 = data[o + j + 8]!;
    const radius = fr(Math.sqrt(fr(-2 * fr(Math.log(u1)))));
    // NOTE: `2.0f * c10::pi<double> * u2` is computed in double, then stored to a float.
    const theta = fr(TWO_PI * u2);
    data[o + j] = fr(fr(fr(radius * fr(Math.cos(theta))) * std) + mean);
    data[o + j + 8] = fr(fr(fr(radius * fr(Math.sin(theta))) * std) + mean);
  }
}

/** `normal_fill_16<double>`; the AVX2 build fuses `(radius * cos) * std + mean` into an FMA. */
function normalFill16Double(data: Float64Array, o: number, mean: number, std: number): void {
  const fused = capability === "avx2";
  for (let j = 0; j < 8; j++) {
    const u2 = data[o + j + 8]!;
    // NOTE: PyTorch takes log(1 - u); 1 - u is exact for a 53-bit u, so log1p(-u) is the same
    // number, and V8's log1p agrees with glibc's log far more often than V8's log does
    // (0.1% of samples differ in the last bit instead of 7%).
    const radius = Math.sqrt(-2 * Math.log1p(-data[o + j]!));
    const theta = TWO_PI * u2;
    const c = radius * Math.cos(theta);
    const s = radius * Math.sin(theta);
    data[o + j] = fused ? fma64(c, std, mean) : c * std + mean;
    data[o + j + 8] = fused ? fma64(s, std, mean) : s * std + mean;
  }
}

/**
 * `torch.randn(n)` (mean 0, std 1), `torch.normal(mean, std, size)` with float mean and std,
 * and `Tensor.normal_(mean, std)`, for a contiguous tensor of n elements.
 *
 * @example
 * ```ts
 * normal(new Generator(0), 3, "float32"); // Float32Array [1.5409960746765137, -0.293428897857666, -2.1787893772125244]
 * ```
 */
export function normal<D extends FloatDType = "float32">(
  gen: Generator,
  n: number,
  dtype: D = "float32" as D,
  mean = 0,
  std = 1,
): FloatArrayOf<D> {
  const out = allocFloat(dtype, n);
  fillNormal(gen, out, mean, std);
  return out;
}

/**
 * `torch.normal(mean, std)` where mean and/or std are tensors. Pass the tensor arguments as
 * flat arrays already broadcast to the output's shape (row-major), the float ones as numbers.
 *
 * NOTE: PyTorch does not sample N(mean_i, std_i) element by element. It fills the output with
 * `normal_(0, 1)` (or `normal_(0, std)` when only the mean is a tensor), then applies
 * `out.mul_(std)` and `out.add_(mean)` as two separate elementwise ops in the output dtype,
 * each rounding once. Which normal path is taken depends on the output size as in `fillNormal`.
 */
export function normalTensorParams<D extends FloatDType = "float32">(
  gen: Generator,
  mean: number | ArrayLike<number>,
  std: number | ArrayLike<number>,
  dtype: D = "float32" as D,
): FloatArrayOf<D> {
  const meanIsTensor = typeof mean !== "number";
  const stdIsTensor = typeof std !== "number";
  let n: number;
  if (meanIsTensor && stdIsTensor) {
    if (mean.length !== std.length) {
      throw new RangeError(
        `normalTensorParams: mean has ${mean.length} elements and std ${std.length}; broadcast them to the output shape first`,
      );
    }
    n = mean.length;
  } else if (meanIsTensor) {
    n = mean.length;
  } else if (stdIsTensor) {
    n = std.length;
  } else {
    throw new TypeError("normalTensorParams needs a tensor mean or std; use normal() for two floats");
  }
  if (stdIsTensor) {
    for (let i = 0; i < n; i++) {
      if (!(std[i]! >= 0)) throw new RangeError("normal expects all elements of std >= 0.0");
    }
  }
  const out = allocFloat(dtype, n);
  const round = out instanceof Float32Array ? fr : (x: number) => x;
  if (!stdIsTensor) {
    // normal(Tensor mean, float std): normal_(0, std), then add_(mean).
    fillNormal(gen, out, 0, std);
    const m = mean as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = round(out[i]! + round(m[i]!));
    return out;
  }
  // normal(float|Tensor mean, Tensor std): normal_(0, 1), then mul_(std), then add_(mean).
  fillNormal(gen, out, 0, 1);
  for (let i = 0; i < n; i++) out[i] = round(out[i]! * round(std[i]!));
  if (meanIsTensor) {
    for (let i = 0; i < n; i++) out[i] = round(out[i]! + round(mean[i]!));
  } else {
    const m = round(mean);
    for (let i = 0; i < n; i++) out[i] = round(out[i]! + m);
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// integers
// ------------------------------------------------------------------------------------------

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * `torch.randint(low, high, (n,))` and `Tensor.random_(low, high)`: values in [low, high),
 * as doubles (exact up to 2^53). The same stream for every integer dtype (int64, int32, ...).
 *
 * NOTE: each value is `random() % (high - low) + low` with ONE uint32 draw; only when the range
 * is 2^32 or more (int64/float/double tensors) does PyTorch switch to `random64() % range`.
 * The modulo bias is PyTorch's too.
 *
 * @example
 * ```ts
 * randint(new Generator(0), 5, 0, 10); // Float64Array [4, 9, 3, 0, 3]
 * ```
 */
export function randint(gen: Generator, n: number, low: number, high: number): Float64Array {
  checkCount(n);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    throw new RangeError(`randint expects integer bounds within +-2^53, but got low=${low}, high=${high}`);
  }
  if (!(low < high)) {
    throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  const out = new Float64Array(n);
  const range = high - low;
  const eng = gen.engine;
  if (range < TWO_32) {
    for (let i = 0; i < n; i++) out[i] = (eng.nextUint32() % range) + low;
  } else {
    const r = BigInt(range);
    const b = BigInt(low);
    for (let i = 0; i < n; i++) {
      const v = Number((gen.random64() % r) + b);
      if (Math.abs(v) > MAX_SAFE) throw new RangeError("randint value beyond 2^53");
      out[i] = v;
    }
  }
  return out;
}

/**
 * `torch.randperm(n)` (any dtype), as doubles.
 *
 * NOTE: PyTorch 1.13 uses a single algorithm for every n: start from 0..n-1 and, for
 * i = 0..n-2, swap slot i with slot i + (random() % (n - i)), one uint32 per step
 * (n - 1 draws in all; none for n <= 1).
 *
 * @example
 * ```ts
 * randperm(new Generator(0), 5); // Float64Array [4, 0, 1, 3, 2]
 * ```
 */
export function randperm(gen: Generator, n: number): Float64Array {
  checkCount(n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const eng = gen.engine;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (eng.nextUint32() % (n - i));
    const t = out[i]!;
    out[i] = out[z]!;
    out[z] = t;
  }
  return out;
}

const INT64_MASK = (1n << 63n) - 1n;

/**
 * `torch.empty((), dtype=torch.int64).random_().item()`: a value in [0, 2^63), as a bigint
 * (it does not fit a double). This is how DataLoader and RandomSampler draw seeds; see the
 * comment at the top of this file.
 *
 * NOTE: `random_()` on int64 takes `random64() % 2^63`, i.e. drops the top bit of the first
 * uint32 draw.
 */
export function randomInt64(gen: Generator): bigint {
  return gen.random64() & INT64_MASK;
}

/**
 * `Tensor.random_()` with no bounds, for n elements of the given integer dtype, as doubles:
 * int64 -> random64() % 2^63 (beyond 2^53: use randomInt64), int32 -> random() % 2^31,
 * int16 -> % 2^15, int8 -> % 2^7, uint8 -> % 2^8, bool -> random() & 1.
 * For float32 it is random() % (2^24 + 1), for float64 random64() % (2^53 + 1).
 */
export function randomBits(
  gen: Generator,
  n: number,
  dtype: "int32" | "int16" | "int8" | "uint8" | "bool" | "float32" | "float64",
): Float64Array {
  checkCount(n);
  const out = new Float64Array(n);
  const eng = gen.engine;
  switch (dtype) {
    case "int32":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() % 2 ** 31;
      break;
    case "int16":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() % 2 ** 15;
      break;
    case "int8":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() % 2 ** 7;
      break;
    case "uint8":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() % 2 ** 8;
      break;
    case "bool":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() & 1;
      break;
    case "float32":
      for (let i = 0; i < n; i++) out[i] = eng.nextUint32() % (2 ** 24 + 1);
      break;
    case "float64": {
      const m = (1n << 53n) + 1n;
      for (let i = 0; i < n; i++) out[i] = Number(gen.random64() % m);
      break;
    }
    default: {
      const never: never = dtype;
      throw new TypeError(`randomBits: unsupported dtype ${String(never)}`);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// bernoulli
// ------------------------------------------------------------------------------------------

/**
 * `Tensor.bernoulli_(p)` with a float p (what `nn.Dropout` uses on CPU, with p = 1 - dropout p):
 * 1 where a 53-bit uniform is < p, else 0.
 *
 * NOTE: without MKL (this Debian build: `torch.backends.mkl.is_available()` is False) the
 * kernel samples `bernoulli_distribution<double>` element by element, so each element costs one
 * `random64()` (two uint32), whatever the tensor's dtype. MKL builds on Intel CPUs use a
 * different generator (VSL MCG31 seeded by one `random()`), which is not reproduced here.
 */
export function bernoulli<D extends FloatDType = "float32">(
  gen: Generator,
  n: number,
  p: number,
  dtype: D = "float32" as D,
): FloatArrayOf<D> {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  const out = allocFloat(dtype, n);
  for (let i = 0; i < n; i++) out[i] = uniform53(gen) < p ? 1 : 0;
  return out;
}

/**
 * `torch.bernoulli(probs)` / `Tensor.bernoulli_(probs)` with a tensor of probabilities (already
 * broadcast to the output's shape, row-major): 1 where a uniform draw is < probs[i].
 *
 * NOTE: unlike the float-p form, the draw follows the dtype of the PROBABILITIES: float32 probs
 * use one 24-bit draw per element (`bernoulli_distribution<float>`), float64 probs one 53-bit
 * `random64()` draw. So `torch.bernoulli(p)` equals `(torch.rand_like(p) < p)` for a contiguous p.
 */
export function bernoulliTensor<D extends FloatDType = "float32">(
  gen: Generator,
  probs: ArrayLike<number>,
  probsDtype: FloatDType = "float32",
  dtype: D = "float32" as D,
): FloatArrayOf<D> {
  const n = probs.length;
  const out = allocFloat(dtype, n);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`bernoulli expects all elements of p to be in [0, 1], but got ${p}`);
    }
  }
  if (probsDtype === "float32") {
    for (let i = 0; i < n; i++) out[i] = uniform24(gen) < fr(probs[i]!) ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = uniform53(gen) < probs[i]! ? 1 : 0;
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// exponential
// ------------------------------------------------------------------------------------------

/**
 * Formats a double as C++'s `ostream << double` does (printf's `%g`, 6 significant digits), so
 * that messages quoting a double read as PyTorch's: -1 -> "-1", 1e-7 -> "1e-07", NaN -> "nan".
 */
export function cppDouble(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, expStr] = x.toExponential(5).split("e") as [string, string];
  const exp = Number(expStr);
  const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return strip(x.toFixed(5 - exp));
}

/**
 * Fills `out` as `Tensor.exponential_(lambd)` fills a contiguous tensor: one 53-bit uniform u per
 * element, in order, and `-1 / lambd * log(1 - u)` in double, then rounded to the array's type.
 *
 * NOTE: without MKL, PyTorch's CPU kernel is `exponential_distribution<double>` element by
 * element (serial), whatever the tensor's dtype and size: so float32 costs two uint32 draws per
 * element like float64, and no path depends on the size. MKL builds use a different generator
 * (as for bernoulli_) and are not reproduced.
 * NOTE: PyTorch takes log(1 - u) with glibc's log; we take V8's log1p(-u) (1 - u is exact for
 * a 53-bit u, so it is the same number). The two disagree in the last bit for about 7% of
 * float64 samples (glibc's log is nearly correctly rounded, V8's log and log1p are not), so
 * float64 matches to 1 ulp. Rounded to float32 those differences vanish: float32 is bit-exact
 * (no difference in 200000 samples).
 * NOTE: for u = 0, log(1) is +0 and -1 * +0 gives PyTorch's -0; lambd = 0 gives inf, as
 * PyTorch does (only negative and NaN lambd are refused).
 *
 * @example
 * ```ts
 * exponential(new Generator(0), 2, "float32"); // Float32Array [3.508326292037964, 1.2303847074508667]
 * ```
 */
export function fillExponential(gen: Generator, out: Float32Array | Float64Array, lambd = 1): void {
  if (!(lambd >= 0)) {
    throw new RangeError(`exponential_ expects lambda >= 0.0, but found lambda=${cppDouble(lambd)}`);
  }
  const c = -1.0 / lambd;
  const n = out.length;
  // NOTE: `+ 0` turns log1p(-0) = -0 into log(1) = +0, so that u = 0 gives PyTorch's -0.
  for (let i = 0; i < n; i++) out[i] = c * (Math.log1p(-uniform53(gen)) + 0);
}

/** `torch.empty(n, dtype).exponential_(lambd)` for a contiguous tensor of n elements. */
export function exponential<D extends FloatDType = "float32">(
  gen: Generator,
  n: number,
  dtype: D = "float32" as D,
  lambd = 1,
): FloatArrayOf<D> {
  const out = allocFloat(dtype, n);
  fillExponential(gen, out, lambd);
  return out;
}
