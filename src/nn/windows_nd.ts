// Sliding windows over any number of spatial dims (im2col / col2im), for the layers beyond
// conv_functional's 2-d ones: conv3d, the transposed convolutions and F.unfold / F.fold.
// NOTE: conv_functional.ts keeps its own 2-d helpers (their Window2d also feeds the fused kernels);
// these are the same three ideas in N dims: patches as one strided copy of the padded input (no
// graph), patches gathered by flat offsets (a graph, for create_graph), and patch gradients added
// back by indexAdd (col2im, differentiable).
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { full, tensor } from "../ops/creation.js";
import { arrayTypeFor, int64 } from "../tensor/dtype.js";
import { backend, fromStorage } from "../ops/core.js";
import { IndexError, RuntimeError } from "../errors.js";

/**
 * Where the windows lie: input [B, C, ...inSize], padded by padBefore / padAfter per spatial dim,
 * windows of size k with stride s and dilation d; outSize windows per dim. The patch matrix is
 * [B, C * prod(k), prod(outSize)], rows ordered (c, k1, ..., kn), columns (o1, ..., on).
 * padAfter may exceed what the windows reach (a transposed convolution's output_padding): those
 * positions take no part.
 */
export interface WindowsNd {
  B: number;
  C: number;
  inSize: number[];
  outSize: number[];
  k: number[];
  s: number[];
  d: number[];
  padBefore: number[];
  padAfter: number[];
  /** @internal the flat offsets of every patch element in the padded [C, ...padded] block, made on first use */
  idx?: Tensor;
}

export const prod = (a: readonly number[]): number => a.reduce((x, y) => x * y, 1);

/** The padded spatial sizes. */
export function paddedSize(w: WindowsNd): number[] {
  return w.inSize.map((n, i) => n + w.padBefore[i]! + w.padAfter[i]!);
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i]!;
  }
  return st;
}

/** x [B, C, ...inSize] padded with `value` (no graph). */
function padInput(x: Tensor, w: WindowsNd, value: number): Tensor {
  if (w.padBefore.every((p) => p === 0) && w.padAfter.every((p) => p === 0)) return x;
  const P = paddedSize(w);
  const o = full([w.B, w.C, ...P], value, { dtype: x.dtype });
  let r = o;
  w.inSize.forEach((n, i) => (r = r.narrow(2 + i, w.padBefore[i]!, n)));
  r.copy_(x);
  return o;
}

/**
 * x [B, C, ...inSize] -> patches [B, C * prod(k), prod(outSize)], no graph. NOTE: one strided view
 * [B, C, ...k, ...out] of the padded input made contiguous: a single strided copy.
 */
export function im2col(x: Tensor, w: WindowsNd, padValue = 0): Tensor {
  return noGrad(() => {
    const xp = padInput(x, w, padValue).contiguous();
    const P = paddedSize(w), pst = stridesOf(P), plane = prod(P);
    const shape = [w.B, w.C, ...w.k, ...w.outSize];
    const strides = [w.C * plane, plane, ...w.k.map((_, i) => w.d[i]! * pst[i]!), ...w.outSize.map((_, i) => w.s[i]! * pst[i]!)];
    return xp.asStrided(shape, strides, xp.storageOffset()).contiguous().reshape(w.B, w.C * prod(w.k), prod(w.outSize));
  });
}

/** The offsets (in a padded plane) of a window's elements, in k order, and of the windows' origins, in out order. */
function offsets(w: WindowsNd): [number[], number[]] {
  const pst = stridesOf(paddedSize(w));
  // the offsets of a window's elements (k order) and of the windows' origins (out order)
  let kOff = [0];
  w.k.forEach((k, i) => {
    const next: number[] = [];
    for (const b of kOff) for (let j = 0; j < k; j++) next.push(b + j * w.d[i]! * pst[i]!);
    kOff = next;
  });
  let oOff = [0];
  w.outSize.forEach((o, i) => {
    const next: number[] = [];
    for (const b of oOff) for (let j = 0; j < o; j++) next.push(b + j * w.s[i]! * pst[i]!);
    oOff = next;
  });
  return [kOff, oOff];
}

/** Flat offsets into a [C, ...padded] block of each patch element, ordered (c, ...k, ...out). */
function patchIndex(w: WindowsNd): Tensor {
  if (w.idx) return w.idx;
  const plane = prod(paddedSize(w));
  const [kOff, oOff] = offsets(w);
  const out = new Array<number>(w.C * kOff.length * oOff.length);
  let p = 0;
  for (let c = 0; c < w.C; c++) for (const a of kOff) for (const b of oOff) out[p++] = c * plane + a + b;
  w.idx = tensor(out, { dtype: int64 });
  return w.idx;
}

/**
 * im2col recorded in the graph (for double backward): a differentiable constant pad, then a gather
 * by flat offsets (indexSelect, whose backward adds overlapping windows up).
 */
export function im2colDiff(x: Tensor, w: WindowsNd): Tensor {
  const pads: number[] = [];
  for (let i = w.inSize.length - 1; i >= 0; i--) pads.push(w.padBefore[i]!, w.padAfter[i]!);
  const xp = pads.every((p) => p === 0) ? x : constantPadNd(x, pads, 0);
  return xp.reshape(w.B, w.C * prod(paddedSize(w))).indexSelect(1, patchIndex(w)).view(w.B, w.C * prod(w.k), prod(w.outSize));
}

/**
 * Patches [B, C * prod(k), prod(outSize)] -> their sum over the unpadded input [B, C, ...inSize]
 * (col2im): a plain loop when no graph is recorded, else indexAdd (differentiable).
 */
export function col2im(cols: Tensor, w: WindowsNd): Tensor {
  const P = paddedSize(w);
  let z: Tensor;
  if (!(isGradEnabled() && cols.requiresGrad)) {
    const src = cols.contiguous()._values();
    const plane = prod(P), [kOff, oOff] = offsets(w);
    const A = arrayTypeFor(cols.dtype);
    const out = new A(w.B * w.C * plane);
    // NOTE: a float32 sum is rounded at each store into the Float32Array, as float32 adds are
    const ko = Int32Array.from(kOff), oo = Int32Array.from(oOff), nk = ko.length, no = oo.length;
    let p = 0;
    for (let bc = 0; bc < w.B * w.C; bc++) {
      const base = bc * plane;
      for (let i = 0; i < nk; i++) {
        const at = base + ko[i]!;
        for (let j = 0; j < no; j++) out[at + oo[j]!] += src[p++]!;
      }
    }
    z = fromStorage(backend().fromValues(cols.dtype, out), [w.B, w.C * plane], cols.dtype);
  } else z = full([w.B, w.C * prod(P)], 0, { dtype: cols.dtype }).indexAdd(1, patchIndex(w), cols.reshape(w.B, -1));
  let r = z.view(w.B, w.C, ...P);
  w.inSize.forEach((n, i) => (r = r.narrow(2 + i, w.padBefore[i]!, n)));
  return r;
}

/** PyTorch's narrow checks, in its words (start wrapped as a dim index, then start + length within the size). */
function checkedNarrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const n = t.size(dim);
  if (start !== n && (start < -n || start > n - 1)) {
    const lo = Math.min(-n, -1), hi = Math.max(n - 1, 0);
    throw new IndexError(`Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${start})`);
  }
  if (start < 0) start += n;
  if (!(length >= 0 && start <= n - length)) throw new RuntimeError(`start (${start}) + length (${length}) exceeds dimension size (${n}).`);
  return t.narrow(dim, start, length);
}

/**
 * PyTorch's constant_pad_nd: `pad` lists (before, after) pairs from the last dim backwards; negative
 * entries crop. One node, ConstantPadNdBackward0, whose backward is constant_pad_nd of the gradient
 * with the pads negated (crop what was padded, zero-fill what was cropped).
 */
export function constantPadNd(input: Tensor, pad: readonly number[], value: number): Tensor {
  if (pad.length % 2 !== 0) throw new RuntimeError(`Length of pad must be even but instead it equals ${pad.length}`);
  const nd = input.dim(), lp = pad.length / 2, ld = nd - lp;
  if (nd < lp) throw new RuntimeError(`Length of pad should be no more than twice the number of dimensions of the input. Pad length is ${pad.length}while the input has ${nd}dimensions.`);
  const y = noGrad(() => {
    // NOTE: PyTorch's order: negative pads narrow the input first (their errors come first), then the
    // output's sizes are checked, then the output is filled and the (narrowed) input copied in
    let c = input;
    let allNonPositive = true;
    for (let i = ld; i < nd; i++) {
      const pi = 2 * (nd - i - 1);
      const before = pad[pi]!, after = pad[pi + 1]!;
      if (before < 0) c = checkedNarrow(c, i, -before, c.size(i) + before);
      else if (before !== 0) allNonPositive = false;
      if (after < 0) c = checkedNarrow(c, i, 0, c.size(i) + after);
      else if (after !== 0) allNonPositive = false;
    }
    if (allNonPositive) return c.clone();
    const shape = input.shape.slice();
    for (let i = 0; i < lp; i++) {
      const pi = pad.length - (i + 1) * 2;
      const n = shape[ld + i]!, nn = n + pad[pi]! + pad[pi + 1]!;
      if (!(nn > 0))
        throw new RuntimeError(`The input size ${n}, plus negative padding ${pad[pi]} and ${pad[pi + 1]} resulted in a negative output size, which is invalid. Check dimension ${ld + i} of your input.`);
      shape[ld + i] = nn;
    }
    const out = full(shape, value, { dtype: input.dtype });
    let o = out;
    for (let i = ld; i < nd; i++) {
      const pi = 2 * (nd - i - 1);
      if (pad[pi]! > 0) o = o.narrow(i, pad[pi]!, o.size(i) - pad[pi]!);
      if (pad[pi + 1]! > 0) o = o.narrow(i, 0, o.size(i) - pad[pi + 1]!);
    }
    o.copy_(c);
    return out;
  });
  return record("ConstantPadNdBackward0", [input], y, (g) => [constantPadNd(g, pad.map((p) => -p), 0)]);
}

/** An int or a list of ints, one per spatial dim (PyTorch's IntArrayRef arguments). */
export type IntOrTuple = number | readonly number[];

/**
 * PyTorch's expand_param_if_needed: one value for every spatial dim, or exactly one per dim.
 */
export function expandParam(v: IntOrTuple, n: number, name: string): number[] {
  if (typeof v === "number") return Array<number>(n).fill(v);
  if (v.length === 1) return Array<number>(n).fill(v[0]!);
  if (v.length !== n)
    throw new RuntimeError(`expected ${name} to be a single integer value or a list of ${n} values to match the convolution dimensions, but got ${name}=[${v.join(", ")}]`);
  return [...v];
}
