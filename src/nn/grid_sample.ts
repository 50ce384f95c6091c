// Spatial transformers for nn.functional: F.affine_grid (2-d and 3-d) and F.grid_sample (4-d inputs:
// bilinear and nearest, zeros / border / reflection padding).
// NOTE: affine_grid is PyTorch 1.13's affine_grid_generator composed of tensor ops: a base grid of
// linspace(-1, 1) coordinates (scaled by (n - 1) / n without align_corners) and a 1 column, times
// theta transposed (bmm). Its node, AffineGridGeneratorBackward0, is written with tensor ops too, so
// double backward works.
// NOTE: grid_sample is a plain loop written as PyTorch 1.13's vectorized 2-d CPU kernel
// (aten/src/ATen/native/cpu/GridSamplerKernel.cpp) computes: unnormalize as (g + 1) * scale (- 0.5),
// reflection by trunc of |x| / twice_span, clipping, weights (1 - dx)(1 - dy)..., the four corners
// summed nw, ne, sw, se; every float32 operation rounded (Math.fround), and the multiply-adds that
// GCC fuses in that kernel fused here too (see fmaOf). The backward follows the same
// kernel: input gradients added corner by corner over blocks of 8 (float32) or 4 (float64) grid
// points, as the AVX2 kernel's lanes do, so that repeated targets add up in PyTorch's order; grid
// gradients summed over channels then scaled. Like PyTorch 1.13, the backward is not itself
// differentiable (grid_sampler_2d_backward has no derivative).
import type { Tensor } from "../tensor/tensor.js";
import { backend, fromStorage } from "../ops/core.js";
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import { stack } from "../ops/views.js";
import { linspace, ones, tensor } from "../ops/creation.js";
import { arrayTypeFor } from "../tensor/dtype.js";
import { NotImplementedError, RuntimeError, ValueError } from "../errors.js";

type Arr = Float32Array | Float64Array;

/**
 * a * b + c as PyTorch's AVX2 kernel computes it: GCC contracts the vector multiply and add into one
 * fused multiply-add. NOTE: in float32 the product of two floats is exact in a double, so the
 * double sum rounded to float32 is the fused result (up to a rare double rounding: 1640 of 1640
 * fixture values agree); float64 has no cheap fused form here, so it rounds twice (last-bit
 * differences at most).
 */
const fmaOf = (f: (v: number) => number) => (a: number, b: number, c: number): number => f(a * b + c);
const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

const ALIGN_WARNING =
  "UserWarning: Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.";
const UNIT_WARNING =
  "UserWarning: Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.";
// NOTE: Python shows a UserWarning once per place that raises it; each warning here prints once per process
const warned = new Set<string>();
function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  globalThis.console?.warn(msg);
}

/** linspace(-1, 1, n) (times (n - 1) / n without align_corners); [0] where n <= 1, as PyTorch's linspace_from_neg_one. */
function linspaceFromNegOne(theta: Tensor, n: number, alignCorners: boolean): Tensor {
  if (n <= 1) return tensor([0], { dtype: theta.dtype });
  let r = linspace(-1, 1, n, { dtype: theta.dtype });
  if (!alignCorners) r = r.mul(n - 1).div(n);
  return r;
}

/**
 * F.affine_grid: the sampling grid (N, H, W, 2) (or (N, D, H, W, 3)) of the affine maps theta
 * (N, 2, 3) (or (N, 3, 4)) for an output of `size` (N, C, H, W) (or (N, C, D, H, W)). alignCorners
 * left out warns as PyTorch 1.13 does and means false. One node, AffineGridGeneratorBackward0.
 */
export function affineGrid(theta: Tensor, size: readonly number[], alignCorners?: boolean | null): Tensor {
  if (alignCorners === undefined || alignCorners === null) {
    warnOnce(ALIGN_WARNING);
    alignCorners = false;
  }
  if (!theta.dtype.isFloatingPoint) throw new ValueError(`Expected theta to have floating point type, but got torch.${theta.dtype.name}`);
  const thetaShape = `torch.Size(${shapeStr(theta.shape)})`;
  let spatial: number[];
  if (size.length === 4) {
    if (theta.dim() !== 3 || theta.size(-2) !== 2 || theta.size(-1) !== 3)
      throw new ValueError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${shapeStr(size)}. Got ${thetaShape}.`);
    spatial = size.slice(-2);
  } else if (size.length === 5) {
    if (theta.dim() !== 3 || theta.size(-2) !== 3 || theta.size(-1) !== 4)
      throw new ValueError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${shapeStr(size)}. Got ${thetaShape}.`);
    spatial = size.slice(-3);
  } else throw new NotImplementedError(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${shapeStr(size)}.`);
  if (alignCorners && Math.min(...spatial) === 1) warnOnce(UNIT_WARNING);
  else if (Math.min(...size) <= 0) throw new ValueError(`Expected non-zero, positive output size. Got ${shapeStr(size)}`);
  const N = size[0]!, nd = spatial.length, L = spatial.reduce((a, b) => a * b, 1);
  if (theta.size(0) !== N)
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${N}, ${nd + 1}] but got: [${theta.size(0)}, ${nd + 1}].`);
  // the base grid [N, ...spatial, nd + 1]: x (the last spatial dim) first, then y (then z), then 1
  const cols: Tensor[] = [];
  for (let j = 0; j < nd; j++) {
    const dim = nd - 1 - j; // the coordinate's spatial dim
    const shape = spatial.map((_, i) => (i === dim ? spatial[i]! : 1));
    cols.push(linspaceFromNegOne(theta, spatial[dim]!, alignCorners).reshape(shape).expand(spatial));
  }
  cols.push(ones(spatial, { dtype: theta.dtype }));
  const baseGrid = stack(cols, -1).reshape(1, L, nd + 1).expand(N, L, nd + 1).contiguous();
  const grid = noGrad(() => baseGrid.bmm(theta.transpose(1, 2)).reshape(N, ...spatial, nd));
  return record("AffineGridGeneratorBackward0", [theta], grid, (g) => [
    baseGrid.transpose(1, 2).bmm(g.reshape(N, L, nd)).transpose(1, 2),
  ]);
}

export type GridSampleMode = "bilinear" | "nearest" | "bicubic";
export type GridSamplePaddingMode = "zeros" | "border" | "reflection";
export interface GridSampleOptions {
  mode?: GridSampleMode;
  paddingMode?: GridSamplePaddingMode;
  alignCorners?: boolean | null;
}

/** Round half to even (the AVX round PyTorch's nearest mode uses). */
function nearbyint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * PyTorch's ComputeLocation for one spatial dim of `size` points: the source coordinate of a grid
 * value and d(coordinate)/d(grid value), in the kernel's type (`f` rounds to it).
 */
class Location {
  readonly maxVal: number;
  readonly scale: number;
  readonly low: number;
  readonly twiceSpan: number;
  readonly empty: boolean;
  readonly fma: (a: number, b: number, c: number) => number;
  constructor(size: number, readonly padding: GridSamplePaddingMode, readonly align: boolean, readonly f: (v: number) => number) {
    this.maxVal = size - 1;
    this.scale = f(align ? (size - 1) / 2 : size / 2);
    this.low = align ? 0 : -0.5;
    this.twiceSpan = align ? (size - 1) * 2 : size * 2;
    this.empty = align ? size <= 1 : size <= 0;
    this.fma = fmaOf(f);
  }
  unnormalize(v: number): number {
    const f = this.f;
    return this.align ? f(f(v + 1) * this.scale) : this.fma(f(v + 1), this.scale, -0.5);
  }
  /** [clipped, in bounds (gradient passes)]; NaN clips to 0. */
  clip(v: number): [number, boolean] {
    const lo = v > 0 ? v : 0; // NaN -> 0
    const r = lo < this.maxVal ? lo : this.maxVal;
    return [r, lo !== 0 && r !== this.maxVal];
  }
  /** [reflected, gradient sign]. */
  reflect(v: number): [number, number] {
    if (this.align && this.empty) return [0, 0];
    const f = this.f, low = this.low;
    const inMinusLow = f(v - low);
    const neg = inMinusLow < 0;
    const a = Math.abs(inMinusLow);
    const flips = Math.trunc(f(a / this.twiceSpan));
    const extra = f(a - f(flips * this.twiceSpan));
    const reflected = f(this.twiceSpan - extra);
    const more = extra > reflected;
    return [f((more ? reflected : extra) + low), more !== neg ? -1 : 1];
  }
  /** [coordinate, gradient multiplier]. */
  apply(v: number): [number, number] {
    const x = this.unnormalize(v);
    if (this.padding === "zeros") return [x, this.scale];
    if (this.padding === "border") {
      const [c, ok] = this.clip(x);
      return [c, ok ? this.scale : 0];
    }
    const [r, sign] = this.reflect(x);
    const [c, ok] = this.clip(r);
    return [c, ok ? this.f(sign * this.scale) : 0];
  }
}

function checkGridSampler(input: Tensor, grid: Tensor, mode: GridSampleMode): void {
  if (input.size(0) !== grid.size(0))
    throw new RuntimeError(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${shapeStr(input.shape)} and grid with sizes ${shapeStr(grid.shape)}`);
  if (grid.size(-1) !== input.dim() - 2)
    throw new RuntimeError(`grid_sampler(): expected grid to have size ${input.dim() - 2} in last dimension, but got grid with sizes ${shapeStr(grid.shape)}`);
  for (let i = 2; i < input.dim(); i++)
    if (!(input.size(i) > 0))
      throw new RuntimeError(`grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes ${shapeStr(input.shape)} with dimension ${i} being empty`);
  if (input.dim() === 4) {
    if (grid.dim() !== 4)
      throw new RuntimeError(`grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with sizes ${shapeStr(input.shape)} and grid with sizes ${shapeStr(grid.shape)}`);
  } else {
    if (input.dim() !== 5 || grid.dim() !== 5)
      throw new RuntimeError(`grid_sampler(): expected 5D input and grid with same number of dimensions, but got input with sizes ${shapeStr(input.shape)} and grid with sizes ${shapeStr(grid.shape)}`);
    if (mode === "bicubic") throw new RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input");
    throw new NotImplementedError("grid_sample: 5-D (volumetric) inputs are not implemented in typetorch yet");
  }
  if (input.dtype.name !== "float32" && input.dtype.name !== "float64") throw new RuntimeError(`grid_sampler_2d_cpu not implemented for ${input.dtype.scalarName}`);
  if (grid.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${grid.dtype.scalarName}`);
}

interface Sampler {
  N: number; C: number; H: number; W: number; OH: number; OW: number;
  mode: GridSampleMode; lx: Location; ly: Location; f: (v: number) => number; f32: boolean;
}

/** The four corners' weights, offsets and masks at one grid point (PyTorch's compute_interp_params). */
function interp(s: Sampler, x: number, y: number) {
  const f = s.f;
  const xw = Math.floor(x), yn = Math.floor(y);
  const w = f(x - xw), e = f(1 - w), n = f(y - yn), so = f(1 - n);
  const inb = s.lx.padding !== "zeros";
  const wm = inb || (xw > -1 && xw < s.W), nm = inb || (yn > -1 && yn < s.H);
  const em = xw + 1 > -1 && xw + 1 < s.W, sm = yn + 1 > -1 && yn + 1 < s.H;
  return {
    n, s: so, w, e, nw: f(so * e), ne: f(so * w), sw: f(n * e), se: f(n * w),
    nwm: inb || (wm && nm), nem: em && nm, swm: wm && sm, sem: em && sm, xw, yn,
  };
}

function sampleForward(x: Arr, g: Arr, s: Sampler, out: Arr): void {
  const { N, C, H, W, OH, OW, f } = s, L = OH * OW, HW = H * W, fma = fmaOf(f);
  for (let b = 0; b < N; b++)
    for (let p = 0; p < L; p++) {
      const gx = g[(b * L + p) * 2]!, gy = g[(b * L + p) * 2 + 1]!;
      const xs = s.lx.apply(gx)[0], ys = s.ly.apply(gy)[0];
      if (s.mode === "nearest") {
        const ix = nearbyint(xs), iy = nearbyint(ys);
        const ok = s.lx.padding !== "zeros" || (ix > -1 && ix < W && iy > -1 && iy < H);
        for (let c = 0; c < C; c++) out[(b * C + c) * L + p] = ok ? x[(b * C + c) * HW + iy * W + ix]! : 0;
        continue;
      }
      const q = interp(s, xs, ys), at = q.yn * W + q.xw;
      for (let c = 0; c < C; c++) {
        const base = (b * C + c) * HW + at;
        const vnw = q.nwm ? x[base]! : 0, vne = q.nem ? x[base + 1]! : 0;
        const vsw = q.swm ? x[base + W]! : 0, vse = q.sem ? x[base + W + 1]! : 0;
        out[(b * C + c) * L + p] = fma(vse, q.se, fma(vsw, q.sw, fma(vne, q.ne, f(vnw * q.nw))));
      }
    }
}

/** grid_sampler_2d_backward: [d input, d grid] of the output gradient `go`. */
function sampleBackward(x: Arr, g: Arr, go: Arr, s: Sampler, gin: Arr | null, ggrid: Arr): void {
  const { N, C, H, W, OH, OW, f } = s, L = OH * OW, HW = H * W, fma = fmaOf(f);
  const lanes = s.f32 ? 8 : 4; // AVX2 vector width
  for (let b = 0; b < N; b++)
    for (let p0 = 0; p0 < L; p0 += lanes) {
      const len = Math.min(lanes, L - p0);
      const pts = [];
      for (let j = 0; j < len; j++) {
        const p = p0 + j;
        const [xs, mx] = s.lx.apply(g[(b * L + p) * 2]!), [ys, my] = s.ly.apply(g[(b * L + p) * 2 + 1]!);
        pts.push({ p, xs, ys, mx, my, q: s.mode === "nearest" ? null : interp(s, xs, ys) });
      }
      if (s.mode === "nearest") {
        if (gin)
          for (let c = 0; c < C; c++)
            for (const t of pts) {
              const ix = nearbyint(t.xs), iy = nearbyint(t.ys);
              if (s.lx.padding !== "zeros" || (ix > -1 && ix < W && iy > -1 && iy < H)) {
                const k = (b * C + c) * HW + iy * W + ix;
                gin[k] = f(gin[k]! + go[(b * C + c) * L + t.p]!);
              }
            }
        continue; // the grid gradient stays 0
      }
      const gxs = new Array<number>(len).fill(0), gys = new Array<number>(len).fill(0);
      for (let c = 0; c < C; c++) {
        const base = (b * C + c) * HW;
        if (gin)
          for (const [wk, mk, dx, dy] of [["nw", "nwm", 0, 0], ["ne", "nem", 1, 0], ["sw", "swm", 0, 1], ["se", "sem", 1, 1]] as const)
            for (const t of pts) {
              const q = t.q!;
              if (!q[mk]) continue;
              const k = base + (q.yn + dy) * W + q.xw + dx;
              gin[k] = f(gin[k]! + f(q[wk] * go[(b * C + c) * L + t.p]!));
            }
        pts.forEach((t, j) => {
          const q = t.q!, at = base + q.yn * W + q.xw, gOut = go[(b * C + c) * L + t.p]!;
          const vnw = q.nwm ? x[at]! : 0, vne = q.nem ? x[at + 1]! : 0;
          const vsw = q.swm ? x[at + W]! : 0, vse = q.sem ? x[at + W + 1]! : 0;
          // NOTE: GCC fuses the second product of each sum into the add (measured: the other order misses by an ulp)
          gxs[j] = fma(fma(f(vse - vsw), q.n, f(f(vne - vnw) * q.s)), gOut, gxs[j]!);
          gys[j] = fma(fma(f(vse - vne), q.w, f(f(vsw - vnw) * q.e)), gOut, gys[j]!);
        });
      }
      pts.forEach((t, j) => {
        ggrid[(b * L + t.p) * 2] = f(gxs[j]! * t.mx);
        ggrid[(b * L + t.p) * 2 + 1] = f(gys[j]! * t.my);
      });
    }
}

/**
 * F.grid_sample: input (N, C, H, W) sampled at grid (N, OH, OW, 2) (x, y in [-1, 1]) -> (N, C, OH, OW),
 * with PyTorch 1.13's modes ("bilinear", "nearest"), padding modes ("zeros", "border",
 * "reflection") and alignCorners (left out: a warning, then false). One node, GridSampler2DBackward0.
 */
export function gridSample(input: Tensor, grid: Tensor, opts: GridSampleOptions = {}): Tensor {
  const mode = opts.mode ?? "bilinear", paddingMode = opts.paddingMode ?? "zeros";
  if (mode !== "bilinear" && mode !== "nearest" && mode !== "bicubic")
    throw new ValueError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${String(mode)}'`);
  if (paddingMode !== "zeros" && paddingMode !== "border" && paddingMode !== "reflection")
    throw new ValueError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${String(paddingMode)}'`);
  let align = opts.alignCorners;
  if (align === undefined || align === null) {
    warnOnce(ALIGN_WARNING);
    align = false;
  }
  checkGridSampler(input, grid, mode);
  if (mode === "bicubic") throw new NotImplementedError("grid_sample: mode 'bicubic' is not implemented in typetorch yet");
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const OH = grid.size(1), OW = grid.size(2);
  const f32 = input.dtype.name === "float32", f = f32 ? Math.fround : (v: number) => v;
  const s: Sampler = { N, C, H, W, OH, OW, mode, lx: new Location(W, paddingMode, align, f), ly: new Location(H, paddingMode, align, f), f, f32 };
  const A = arrayTypeFor(input.dtype);
  const xv = input.contiguous()._values() as Arr, gv = grid.contiguous()._values() as Arr;
  const out = new A(N * C * OH * OW) as Arr;
  sampleForward(xv, gv, s, out);
  const be = backend();
  const y = fromStorage(be.fromValues(input.dtype, out), [N, C, OH, OW], input.dtype);
  return record("GridSampler2DBackward0", [input, grid], y, (go, _saved, needs) => {
    const gin = needs(0) ? (new A(N * C * H * W) as Arr) : null, gg = new A(N * OH * OW * 2) as Arr;
    sampleBackward(xv, gv, go.contiguous()._values() as Arr, s, gin, gg);
    return [
      gin ? fromStorage(backend().fromValues(input.dtype, gin), [N, C, H, W], input.dtype) : null,
      needs(1) ? fromStorage(backend().fromValues(input.dtype, gg), grid.shape as number[], input.dtype) : null,
    ];
  });
}

export const affine_grid = affineGrid;
export const grid_sample = gridSample;
