// nn.init: in-place initialisers. They run under noGrad and draw from the generator exactly as
// PyTorch's torch/nn/init.py does (one uniform_ or normal_ call over the whole tensor), so default
// inits match PyTorch number for number under manualSeed.
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../ops/creation.js";
import { float32 } from "../tensor/dtype.js";
// NOTE: the CPU backend's erf is plain double-precision math (no backend state), reused here.
import { erf } from "../backend/cpu/math.js";
import { noGrad } from "../autograd/grad_mode.js";
import { ValueError } from "../errors.js";
import type { Generator } from "../random/index.js";

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

/** The recommended gain for a nonlinearity (PyTorch's calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  const linearFns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];
  if (linearFns.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    const slope = param === undefined || param === null ? 0.01 : param;
    if (typeof slope !== "number") throw new ValueError(`negative_slope ${slope} not a valid number`);
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** [fan_in, fan_out] of a weight: size(1) and size(0) times the receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  const d = t.dim();
  if (d < 2) throw new ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  let receptive = 1;
  for (let i = 2; i < d; i++) receptive *= t.size(i);
  return [t.size(1) * receptive, t.size(0) * receptive];
}

function fanOf(t: Tensor, mode: "fan_in" | "fan_out"): number {
  if (mode !== "fan_in" && mode !== "fan_out") throw new ValueError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fi, fo] = calculateFanInAndFanOut(t);
  return mode === "fan_in" ? fi : fo;
}

type GenOpts = { generator?: Generator };

export function uniform_(t: Tensor, a = 0, b = 1, opts: GenOpts = {}): Tensor {
  return noGrad(() => t.uniform_(a, b, opts));
}
export function normal_(t: Tensor, mean = 0, std = 1, opts: GenOpts = {}): Tensor {
  return noGrad(() => t.normal_(mean, std, opts));
}
export function constant_(t: Tensor, val: number): Tensor {
  return noGrad(() => t.fill_(val));
}
export function ones_(t: Tensor): Tensor {
  return noGrad(() => t.fill_(1));
}
export function zeros_(t: Tensor): Tensor {
  return noGrad(() => t.zero_());
}
/** Fills a 2-D tensor with the identity matrix. */
export function eye_(t: Tensor): Tensor {
  if (t.dim() !== 2) throw new ValueError("Only tensors with 2 dimensions are supported");
  return noGrad(() => {
    t.zero_();
    const n = Math.min(t.size(0), t.size(1));
    for (let i = 0; i < n; i++) t.select(0, i).select(0, i).fill_(1);
    return t;
  });
}
/** Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1, opts: GenOpts = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2.0 / (fi + fo));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a, opts);
}
/** Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, opts: GenOpts = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2.0 / (fi + fo));
  return normal_(t, 0, std, opts);
}
export interface KaimingOptions extends GenOpts {
  a?: number;
  mode?: "fan_in" | "fan_out";
  nonlinearity?: Nonlinearity;
}
/** He uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) return t; // PyTorch warns "Initializing zero-element tensors is a no-op"
  const fan = fanOf(t, opts.mode ?? "fan_in");
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, opts);
}
/** He normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) return t;
  const fan = fanOf(t, opts.mode ?? "fan_in");
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  const std = gain / Math.sqrt(fan);
  return normal_(t, 0, std, opts);
}

// snake_case aliases, as PyTorch spells them
export const calculate_gain = calculateGain;
export const xavier_uniform_ = xavierUniform_;
export const xavier_normal_ = xavierNormal_;
export const kaiming_uniform_ = kaimingUniform_;
export const kaiming_normal_ = kaimingNormal_;

// ---------------------------------------------------------------- truncated normal, orthogonal
/** erfinv(y) in double precision: Giles' single-precision approximation polished by Newton steps. */
function erfinv(y: number): number {
  if (y <= -1) return y === -1 ? -Infinity : NaN;
  if (y >= 1) return y === 1 ? Infinity : NaN;
  let w = -Math.log((1 - y) * (1 + y)), x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
    x = p * y;
  }
  for (let i = 0; i < 3; i++) {
    const err = erf(x) - y;
    x -= err / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  }
  return x;
}

function writeValues(t: Tensor, vals: ArrayLike<number>): void {
  const src = tensor(Array.from(vals), { dtype: t.dtype }).view(t.shape);
  noGrad(() => t.copy_(src));
}

/**
 * Normal(mean, std^2) truncated to [a, b], by inverse CDF as PyTorch 1.13 does: one uniform_ over
 * [2 cdf(a) - 1, 2 cdf(b) - 1], then erfinv, scale, shift and clamp.
 * NOTE: erfinv runs in double on the float32 uniforms; PyTorch's float32 erfinv may differ in the last bit.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts: GenOpts = {}): Tensor {
  const normCdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const l = normCdf((a - mean) / std), u = normCdf((b - mean) / std);
  noGrad(() => t.uniform_(2 * l - 1, 2 * u - 1, opts));
  const v = Float64Array.from(t.dataSync() as ArrayLike<number>, (x) => Math.fround(erfinv(x)));
  const f = t.dtype === float32 ? Math.fround : (x: number) => x;
  const s = f(std * Math.sqrt(2));
  for (let i = 0; i < v.length; i++) v[i] = Math.min(Math.max(f(f(f(v[i]!) * s) + mean), a), b);
  writeValues(t, v);
  return t;
}

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a normal sample, signs fixed by diag(R),
 * as PyTorch's orthogonal_. NOTE: QR here is Householder in double; Q is unique once the signs of
 * diag(R) are fixed, so it matches LAPACK up to float32 rounding.
 */
export function orthogonal_(t: Tensor, gain = 1, opts: GenOpts = {}): Tensor {
  if (t.dim() < 2) throw new ValueError("Only tensors with 2 or more dimensions are supported");
  if (t.numel() === 0) return t;
  const rows = t.size(0), cols = t.numel() / rows;
  const flat = noGrad(() => t.newZeros(rows, cols).normal_(0, 1, opts));
  const src = Float64Array.from(flat.dataSync() as ArrayLike<number>);
  // A is m x n with m >= n (transposed when rows < cols)
  const tr = rows < cols;
  const m = tr ? cols : rows, n = tr ? rows : cols;
  const A = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) (tr ? (A[j * n + i] = src[i * cols + j]!) : (A[i * n + j] = src[i * cols + j]!));
  // Householder QR: accumulate Q (m x n) explicitly
  const R = A.slice();
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += R[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = R[k * n + k]! > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = R[i * n + k]!;
    v[k] = v[k]! - alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! ** 2;
    if (vn > 0) for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i]! * R[i * n + j]!;
      const c = (2 * d) / vn;
      for (let i = k; i < m; i++) R[i * n + j] = R[i * n + j]! - c * v[i]!;
    }
    vs.push(vn > 0 ? v.map((x) => x / Math.sqrt(vn)) : v);
  }
  const Q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i]! * Q[i * n + j]!;
      for (let i = k; i < m; i++) Q[i * n + j] = Q[i * n + j]! - 2 * d * v[i]!;
    }
  }
  // q *= sign(diag(r))
  for (let j = 0; j < n; j++) {
    const sgn = Math.sign(R[j * n + j]!);
    for (let i = 0; i < m; i++) Q[i * n + j] = Q[i * n + j]! * sgn;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = (tr ? Q[j * n + i]! : Q[i * n + j]!) * gain;
  writeValues(t, out);
  return t;
}

export const trunc_normal_ = truncNormal_;
