// Plain loops for resampling along one dim (interpolation, reflection / replication padding) and
// their adjoints, over the tensor's values in row-major order. Forward passes and backward passes
// that need no graph run here; a backward under create_graph composes indexSelect / indexAdd instead.
// NOTE: float32 products and sums are rounded to float32 as float32 ops would round them (Math.fround,
// and stores into a Float32Array). An interpolated value is x0 * l0 + fround(x1 * l1) rounded once:
// PyTorch 1.13's compiled kernel contracts `t0 * w0 + t1 * w1` into a fused multiply-add (measured:
// every value of a 1-d case and all but 2 of 315 bilinear ones agree; the product of two float32 is
// exact in a double, so only the final sum can round differently from a true fma, rarely).
import type { Tensor } from "../tensor/tensor.js";
import { backend, fromStorage } from "../ops/core.js";
import { arrayTypeFor, float32 } from "../tensor/dtype.js";

type Floats = Float32Array | Float64Array;

/** One gather along a dim: output o reads input idx[o] (scaled by w[o] when given). */
export interface Tap {
  idx: Int32Array;
  w: Float64Array | null;
}

function around(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[dim]!, inner];
}

function alloc(t: Tensor, n: number): Floats {
  const A = arrayTypeFor(t.dtype);
  return new A(n) as Floats;
}

function wrap(values: Floats, shape: number[], like: Tensor): Tensor {
  return fromStorage(backend().fromValues(like.dtype, values), shape, like.dtype);
}

/** out[a, o, b] = sum over taps of x[a, idx[o], b] (* w[o]), along `dim`; the output has O = idx.length there. */
export function tapsAlong(t: Tensor, dim: number, taps: readonly Tap[]): Tensor {
  const x = t.contiguous()._values() as Floats;
  const [outer, n, inner] = around(t.shape, dim);
  const O = taps[0]!.idx.length;
  const out = alloc(t, outer * O * inner);
  if (taps.length === 1 && taps[0]!.w === null) {
    const idx = taps[0]!.idx;
    if (inner === 1) {
      for (let a = 0, d = 0; a < outer; a++) {
        const base = a * n;
        for (let o = 0; o < O; o++) out[d++] = x[base + idx[o]!]!;
      }
    } else
      for (let a = 0; a < outer; a++)
        for (let o = 0; o < O; o++) {
          const src = (a * n + idx[o]!) * inner, dst = (a * O + o) * inner;
          for (let b = 0; b < inner; b++) out[dst + b] = x[src + b]!;
        }
  } else if (taps.length === 2 && taps[0]!.w && taps[1]!.w) {
    // NOTE: the two taps in one pass; the float32 and float64 loops apart, so that each stays monomorphic
    const i0 = taps[0]!.idx, i1 = taps[1]!.idx, w0 = taps[0]!.w, w1 = taps[1]!.w;
    if (t.dtype === float32) linear2f32(x as Float32Array, out as Float32Array, outer, n, O, inner, i0, i1, w0, w1);
    else linear2f64(x as Float64Array, out as Float64Array, outer, n, O, inner, i0, i1, w0, w1);
  } else throw new Error("tapsAlong: one plain tap or two weighted ones");
  const shape = t.shape.slice();
  shape[dim] = O;
  return wrap(out, shape, t);
}

/** The adjoint of tapsAlong: out[a, idx[o], b] += g[a, o, b] (* w[o]), to size n along `dim`. */
export function tapsAlongAdjoint(g: Tensor, dim: number, n: number, taps: readonly Tap[]): Tensor {
  const y = g.contiguous()._values() as Floats;
  const [outer, O, inner] = around(g.shape, dim);
  const out = alloc(g, outer * n * inner);
  // NOTE: each tap's contributions in turn, in output order; a float32 sum rounds at each store
  for (const { idx, w } of taps) {
    if (g.dtype === float32) adjointF32(y as Float32Array, out as Float32Array, outer, n, O, inner, idx, w);
    else adjointF64(y as Float64Array, out as Float64Array, outer, n, O, inner, idx, w);
  }
  const shape = g.shape.slice();
  shape[dim] = n;
  return wrap(out, shape, g);
}

function adjointF32(y: Float32Array, out: Float32Array, outer: number, n: number, O: number, inner: number, idx: Int32Array, w: Float64Array | null): void {
  const f = Math.fround;
  for (let a = 0; a < outer; a++)
    for (let o = 0; o < O; o++) {
      const src = (a * O + o) * inner, dst = (a * n + idx[o]!) * inner;
      if (inner === 1) out[dst] += w ? f(y[src]! * w[o]!) : y[src]!;
      else if (w) {
        const k = w[o]!;
        for (let b = 0; b < inner; b++) out[dst + b] += f(y[src + b]! * k);
      } else for (let b = 0; b < inner; b++) out[dst + b] += y[src + b]!;
    }
}
function adjointF64(y: Float64Array, out: Float64Array, outer: number, n: number, O: number, inner: number, idx: Int32Array, w: Float64Array | null): void {
  for (let a = 0; a < outer; a++)
    for (let o = 0; o < O; o++) {
      const src = (a * O + o) * inner, dst = (a * n + idx[o]!) * inner;
      if (inner === 1) out[dst] += w ? y[src]! * w[o]! : y[src]!;
      else if (w) {
        const k = w[o]!;
        for (let b = 0; b < inner; b++) out[dst + b] += y[src + b]! * k;
      } else for (let b = 0; b < inner; b++) out[dst + b] += y[src + b]!;
    }
}

function linear2f32(x: Float32Array, out: Float32Array, outer: number, n: number, O: number, inner: number, i0: Int32Array, i1: Int32Array, w0: Float64Array, w1: Float64Array): void {
  const f = Math.fround;
  for (let a = 0; a < outer; a++)
    for (let o = 0; o < O; o++) {
      const s0 = (a * n + i0[o]!) * inner, s1 = (a * n + i1[o]!) * inner, d = (a * O + o) * inner, k0 = w0[o]!, k1 = w1[o]!;
      if (inner === 1) out[d] = x[s0]! * k0 + f(x[s1]! * k1);
      else for (let b = 0; b < inner; b++) out[d + b] = x[s0 + b]! * k0 + f(x[s1 + b]! * k1);
    }
}
function linear2f64(x: Float64Array, out: Float64Array, outer: number, n: number, O: number, inner: number, i0: Int32Array, i1: Int32Array, w0: Float64Array, w1: Float64Array): void {
  for (let a = 0; a < outer; a++)
    for (let o = 0; o < O; o++) {
      const s0 = (a * n + i0[o]!) * inner, s1 = (a * n + i1[o]!) * inner, d = (a * O + o) * inner, k0 = w0[o]!, k1 = w1[o]!;
      if (inner === 1) out[d] = x[s0]! * k0 + x[s1]! * k1;
      else for (let b = 0; b < inner; b++) out[d + b] = x[s0 + b]! * k0 + x[s1 + b]! * k1;
    }
}

/**
 * Bilinear resampling of [B, C, H, W] in one pass, as PyTorch 1.13's channels-last kernel computes
 * it (the kernel it takes for an input whose strides are also channels-last, such as one channel):
 * four weights w_hw = l_h * l_w in the input's float type, then the four products summed in double
 * and rounded once (measured against it: 350 of 350 values agree).
 */
export function bilinearDirect(t: Tensor, th: readonly [Tap, Tap], tw: readonly [Tap, Tap]): Tensor {
  const x = t.contiguous()._values() as Floats;
  const [B, C, H, W] = t.shape as [number, number, number, number];
  const OH = th[0].idx.length, OW = tw[0].idx.length;
  const out = alloc(t, B * C * OH * OW);
  const r = t.dtype === float32 ? Math.fround : (v: number) => v;
  const h0 = th[0].idx, h1 = th[1].idx, a0 = th[0].w!, a1 = th[1].w!, w0 = tw[0].idx, w1 = tw[1].idx, b0 = tw[0].w!, b1 = tw[1].w!;
  let d = 0;
  for (let p = 0; p < B * C; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const r0 = base + h0[oh]! * W, r1 = base + h1[oh]! * W, ha = a0[oh]!, hb = a1[oh]!;
      for (let ow = 0; ow < OW; ow++) {
        const c0 = w0[ow]!, c1 = w1[ow]!, wa = b0[ow]!, wb = b1[ow]!;
        out[d++] = r(ha * wa) * x[r0 + c0]! + r(ha * wb) * x[r0 + c1]! + r(hb * wa) * x[r1 + c0]! + r(hb * wb) * x[r1 + c1]!;
      }
    }
  }
  return wrap(out, [B, C, OH, OW], t);
}
