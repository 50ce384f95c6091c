// torchvision.transforms.functional: the image operations behind the transform classes, for an
// image (RawImage, PIL's role) or a tensor image ([..., C, H, W]). Followed: torchvision 0.14's
// transforms/functional.py, functional_tensor.py and functional_pil.py (checks, words, rounding).
// Plain loops over the bytes or the tensor's values: these run per sample in a data pipeline and
// are not differentiated (as torchvision's are not meant to be).
import { Tensor } from "../../tensor/tensor.js";
import { type DType, float32, float64, getDefaultDtype } from "../../tensor/dtype.js";
import { tensor, asTensor } from "../../ops/creation.js";
import { NotImplementedError, RuntimeError, TorchTypeError, ValueError } from "../../errors.js";
import { type RawImage, channelsOf, isRawImage } from "./image.js";

/** What the geometric transforms take and give: an image or a tensor image. */
export type ImageOrTensor = RawImage | Tensor;
/** torchvision's padding modes. */
export type PaddingMode = "constant" | "edge" | "reflect" | "symmetric";
/** torchvision's `InterpolationMode`, the two that typetorch implements for tensors. */
export type Interpolation = "nearest" | "bilinear";
/** `torchvision.transforms.InterpolationMode`'s names for the modes typetorch has. */
export const InterpolationMode = { NEAREST: "nearest", BILINEAR: "bilinear" } as const;

/** Python's `type(x)` in torchvision's messages. */
export function pyType(x: unknown): string {
  if (x instanceof Tensor) return "<class 'torch.Tensor'>";
  if (isRawImage(x)) return "<class 'RawImage'>";
  if (x === null || x === undefined) return "<class 'NoneType'>";
  if (Array.isArray(x)) return "<class 'list'>";
  if (typeof x === "number") return Number.isInteger(x) ? "<class 'int'>" : "<class 'float'>";
  if (typeof x === "string") return "<class 'str'>";
  if (typeof x === "boolean") return "<class 'bool'>";
  if (typeof x === "function") return "<class 'function'>";
  return `<class '${(x as object).constructor?.name ?? "object"}'>`;
}

function assertImageTensor(img: Tensor): void {
  if (img.dim() < 2) throw new TorchTypeError("Tensor is not a torch image.");
}

function checkInput(img: unknown): asserts img is ImageOrTensor {
  if (!(img instanceof Tensor) && !isRawImage(img)) throw new TorchTypeError(`img should be PIL Image or Tensor. Got ${pyType(img)}`);
}

/**
 * `F.get_dimensions`: `[channels, height, width]` of an image or a tensor image.
 * @example
 * torch.utils.data.transforms.functional.getDimensions(torch.zeros(3, 4, 5)); // [3, 4, 5]
 */
export function getDimensions(img: ImageOrTensor): [number, number, number] {
  checkInput(img);
  if (img instanceof Tensor) {
    assertImageTensor(img);
    const s = img.shape, n = s.length;
    return [n === 2 ? 1 : s[n - 3]!, s[n - 2]!, s[n - 1]!];
  }
  return [channelsOf(img.mode), img.height, img.width];
}

/**
 * `F.to_tensor`: an HWC uint8 image to a CHW tensor of the default dtype in [0, 1].
 * NOTE: `v / 255` in double then rounded to float32 is float32's own correctly rounded division
 * (a double has more than 2 * 24 + 2 bits), so the values are PyTorch's `img.float().div(255)`.
 */
export function toTensor(pic: RawImage): Tensor {
  if (!isRawImage(pic)) throw new TorchTypeError(`pic should be PIL Image or ndarray. Got ${pyType(pic)}`);
  const dtype = getDefaultDtype();
  const c = channelsOf(pic.mode), hw = pic.width * pic.height, src = pic.data;
  const out = dtype === float64 ? new Float64Array(c * hw) : new Float32Array(c * hw);
  for (let ch = 0; ch < c; ch++) {
    for (let p = 0; p < hw; p++) out[ch * hw + p] = src[p * c + ch]! / 255;
  }
  return tensor(out, { dtype }).reshape([c, pic.height, pic.width]);
}

/**
 * `F.normalize`: `(tensor - mean) / std` per channel, over a float tensor image `[..., C, H, W]`.
 * With `inplace`, the tensor itself is changed (`sub_`, `div_`).
 */
export function normalize(t: Tensor, mean: number | readonly number[], std: number | readonly number[], inplace = false): Tensor {
  if (!(t instanceof Tensor)) throw new TorchTypeError(`img should be Tensor Image. Got ${pyType(t)}`);
  assertImageTensor(t);
  if (!t.isFloatingPoint()) throw new TorchTypeError(`Input tensor should be a float tensor. Got ${t.dtype}.`);
  if (t.dim() < 3) {
    throw new ValueError(`Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = torch.Size([${t.shape.join(", ")}])`);
  }
  const x = inplace ? t : t.clone();
  let m = asTensor(mean as number[], { dtype: t.dtype });
  let s = asTensor(std as number[], { dtype: t.dtype });
  if (s.eq(0).any().item()) {
    throw new ValueError(`std evaluated to zero after conversion to ${t.dtype}, leading to division by zero.`);
  }
  if (m.dim() === 1) m = m.view(-1, 1, 1);
  if (s.dim() === 1) s = s.view(-1, 1, 1);
  return x.sub_(m).div_(s);
}

/** The values of a tensor image as a contiguous typed array, with its shape split [...batch, H, W]. */
function planes(img: Tensor): { values: ArrayLike<number>; lead: number[]; h: number; w: number } {
  const s = img.shape;
  const h = s[s.length - 2]!, w = s[s.length - 1]!;
  return { values: img.dataSync(), lead: s.slice(0, -2), h, w };
}

function fromValues(values: Float64Array | Float32Array, shape: number[], dtype: DType): Tensor {
  return tensor(values, { dtype }).reshape(shape);
}

/** The source index of output index `i` for a padding mode (`-1`: the fill value). */
function padIndex(i: number, before: number, n: number, mode: PaddingMode): number {
  const s = i - before;
  if (s >= 0 && s < n) return s;
  switch (mode) {
    case "constant":
      return -1;
    case "edge":
      return s < 0 ? 0 : n - 1;
    case "reflect":
      return s < 0 ? -s : 2 * (n - 1) - s;
    case "symmetric":
      return s < 0 ? -s - 1 : 2 * n - 1 - s;
  }
}

/** torchvision's `_parse_pad_padding`: [left, right, top, bottom] from an int or 1, 2 or 4 values. */
function parsePadding(padding: number | readonly number[]): [number, number, number, number] {
  if (typeof padding === "number") return [padding, padding, padding, padding];
  if (padding.length === 1) return [padding[0]!, padding[0]!, padding[0]!, padding[0]!];
  if (padding.length === 2) return [padding[0]!, padding[0]!, padding[1]!, padding[1]!];
  return [padding[0]!, padding[2]!, padding[1]!, padding[3]!];
}

/**
 * `F.pad`: pads the image on each border. `padding`: one int for all borders, [left/right,
 * top/bottom], or [left, top, right, bottom]; `fill` is used by the constant mode (a number, or
 * one per channel for an image); `paddingMode` "constant", "edge", "reflect" (without repeating
 * the edge) or "symmetric" (repeating it).
 * @example
 * F.pad(torch.ones(1, 2, 2), [1, 0]).shape; // [1, 2, 4]
 */
export function pad(
  img: ImageOrTensor,
  padding: number | readonly number[],
  fill: number | readonly number[] = 0,
  paddingMode: PaddingMode = "constant",
): ImageOrTensor {
  checkInput(img);
  if (img instanceof Tensor) assertImageTensor(img);
  if (typeof padding !== "number" && !Array.isArray(padding)) throw new TorchTypeError("Got inappropriate padding arg");
  if (typeof fill !== "number" && !(Array.isArray(fill) && isRawImage(img))) throw new TorchTypeError("Got inappropriate fill arg");
  if (typeof paddingMode !== "string") throw new TorchTypeError("Got inappropriate padding_mode arg");
  if (Array.isArray(padding) && ![1, 2, 4].includes(padding.length)) {
    throw new ValueError(`Padding must be an int or a 1, 2, or 4 element tuple, not a ${padding.length} element tuple`);
  }
  if (!["constant", "edge", "reflect", "symmetric"].includes(paddingMode)) {
    throw new ValueError("Padding mode should be either constant, edge, reflect or symmetric");
  }
  const [left, right, top, bottom] = parsePadding(padding);
  const [c, h, w] = getDimensions(img);
  if (paddingMode === "reflect") {
    // NOTE: torch's reflection pad refuses a padding that reaches past the opposite edge
    if (Math.max(left, right) >= w || Math.max(top, bottom) >= h) {
      throw new RuntimeError(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${left}, ${right}) at dimension ${img instanceof Tensor ? img.dim() - 1 : 1} of input [${h}, ${w}]`,
      );
    }
  }
  const oh = h + top + bottom, ow = w + left + right;
  if (oh < 0 || ow < 0) throw new RuntimeError(`padding [${left}, ${right}, ${top}, ${bottom}] leaves a negative size (${oh}, ${ow})`);
  const rows = Int32Array.from({ length: oh }, (_, i) => padIndex(i, top, h, paddingMode));
  const cols = Int32Array.from({ length: ow }, (_, j) => padIndex(j, left, w, paddingMode));
  if (img instanceof Tensor) {
    const { values, lead } = planes(img);
    const nplanes = lead.reduce((a, b) => a * b, 1);
    const out = img.dtype === float32 ? new Float32Array(nplanes * oh * ow) : new Float64Array(nplanes * oh * ow);
    const f = img.dtype.isFloatingPoint ? fill as number : Math.trunc(fill as number);
    for (let p = 0; p < nplanes; p++) {
      const si = p * h * w, di = p * oh * ow;
      for (let i = 0; i < oh; i++) {
        const r = rows[i]!;
        for (let j = 0; j < ow; j++) {
          const k = cols[j]!;
          out[di + i * ow + j] = r < 0 || k < 0 ? f : values[si + r * w + k]!;
        }
      }
    }
    return fromValues(out, [...lead, oh, ow], img.dtype);
  }
  let fills: number[];
  if (typeof fill === "number") fills = new Array<number>(c).fill(fill);
  else {
    if (fill.length !== c && !(fill.length === 1)) {
      throw new ValueError(`The number of elements in 'fill' does not match the number of bands of the image (${fill.length} != ${c})`);
    }
    fills = fill.length === 1 ? new Array<number>(c).fill(fill[0]!) : fill.slice();
  }
  const out = new Uint8Array(oh * ow * c);
  for (let i = 0; i < oh; i++) {
    const r = rows[i]!;
    for (let j = 0; j < ow; j++) {
      const k = cols[j]!, d = (i * ow + j) * c;
      if (r < 0 || k < 0) for (let ch = 0; ch < c; ch++) out[d + ch] = fills[ch]!;
      else out.set(img.data.subarray((r * w + k) * c, (r * w + k) * c + c), d);
    }
  }
  return { mode: img.mode, width: ow, height: oh, data: out };
}

/**
 * `F.crop`: the `height` x `width` box at (`top`, `left`); parts outside the image are zeros. A
 * tensor image inside its bounds gives a view, as torchvision's slicing does.
 */
export function crop<X extends ImageOrTensor>(img: X, top: number, left: number, height: number, width: number): X {
  checkInput(img);
  const [, h, w] = getDimensions(img);
  const right = left + width, bottom = top + height;
  if (img instanceof Tensor) {
    if (left < 0 || top < 0 || right > w || bottom > h) {
      // torchvision: crop what is inside, then zero-pad the rest
      const t0 = Math.max(top, 0), l0 = Math.max(left, 0);
      const inner = img.narrow(-2, Math.min(t0, h), Math.max(0, Math.min(bottom, h) - Math.min(t0, h)))
        .narrow(-1, Math.min(l0, w), Math.max(0, Math.min(right, w) - Math.min(l0, w)));
      const ltrb = [Math.max(-left + Math.min(0, right), 0), Math.max(-top + Math.min(0, bottom), 0), Math.max(right - Math.max(w, left), 0), Math.max(bottom - Math.max(h, top), 0)];
      return pad(inner, ltrb, 0) as X;
    }
    return img.narrow(-2, top, height).narrow(-1, left, width) as X;
  }
  // PIL's img.crop((left, top, right, bottom)): zeros outside
  const im = img as RawImage;
  const c = channelsOf(im.mode);
  const out = new Uint8Array(Math.max(0, height) * Math.max(0, width) * c);
  for (let i = 0; i < height; i++) {
    const y = top + i;
    if (y < 0 || y >= h) continue;
    const x0 = Math.max(left, 0), x1 = Math.min(right, w);
    if (x1 <= x0) continue;
    out.set(im.data.subarray((y * w + x0) * c, (y * w + x1) * c), (i * width + (x0 - left)) * c);
  }
  return { mode: im.mode, width, height, data: out } as RawImage as X;
}

/** `F.hflip`: mirrors the image left to right. */
export function hflip<X extends ImageOrTensor>(img: X): X {
  checkInput(img);
  if (img instanceof Tensor) {
    assertImageTensor(img);
    return img.flip(-1) as X;
  }
  const im = img as RawImage, c = channelsOf(im.mode), w = im.width;
  const out = new Uint8Array(im.data.length);
  for (let y = 0; y < im.height; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * c, d = (y * w + (w - 1 - x)) * c;
      for (let ch = 0; ch < c; ch++) out[d + ch] = im.data[s + ch]!;
    }
  }
  return { ...im, data: out } as X;
}

/** `F.vflip`: mirrors the image top to bottom. */
export function vflip<X extends ImageOrTensor>(img: X): X {
  checkInput(img);
  if (img instanceof Tensor) {
    assertImageTensor(img);
    return img.flip(-2) as X;
  }
  const im = img as RawImage, row = im.width * channelsOf(im.mode);
  const out = new Uint8Array(im.data.length);
  for (let y = 0; y < im.height; y++) out.set(im.data.subarray(y * row, (y + 1) * row), (im.height - 1 - y) * row);
  return { ...im, data: out } as X;
}

/** Python's round(): halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * `F.center_crop`: the central `size` box (an int for a square, or [h, w]); an image smaller than
 * the box is zero-padded first, as torchvision does.
 */
export function centerCrop<X extends ImageOrTensor>(img: X, outputSize: number | readonly number[]): X {
  let [ch, cw] = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize.length === 1 ? [outputSize[0]!, outputSize[0]!] : [outputSize[0]!, outputSize[1]!];
  ch = Math.trunc(ch);
  cw = Math.trunc(cw);
  let [, ih, iw] = getDimensions(img);
  let x: ImageOrTensor = img;
  if (cw > iw || ch > ih) {
    const ltrb = [
      cw > iw ? Math.floor((cw - iw) / 2) : 0,
      ch > ih ? Math.floor((ch - ih) / 2) : 0,
      cw > iw ? Math.floor((cw - iw + 1) / 2) : 0,
      ch > ih ? Math.floor((ch - ih + 1) / 2) : 0,
    ];
    x = pad(x, ltrb, 0);
    [, ih, iw] = getDimensions(x);
    if (cw === iw && ch === ih) return x as X;
  }
  const top = roundHalfEven((ih - ch) / 2), left = roundHalfEven((iw - cw) / 2);
  return crop(x, top, left, ch, cw) as X;
}

/**
 * torchvision's `_compute_resized_output_size`: an int (or [int]) resizes the smaller edge to it,
 * keeping the aspect ratio (the longer edge truncated), at most `maxSize` on the longer edge;
 * [h, w] is the size itself.
 */
export function resizedOutputSize(h: number, w: number, size: number | readonly number[], maxSize: number | null = null): [number, number] {
  const sz = typeof size === "number" ? [size] : size;
  if (sz.length === 1) {
    const [short, long] = w <= h ? [w, h] : [h, w];
    const req = sz[0]!;
    let newShort = req, newLong = Math.trunc((req * long) / short);
    if (maxSize !== null) {
      if (maxSize <= req) {
        throw new ValueError(`max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = [${sz.join(", ")}]`);
      }
      if (newLong > maxSize) {
        newShort = Math.trunc((maxSize * newShort) / newLong);
        newLong = maxSize;
      }
    }
    return w <= h ? [newLong, newShort] : [newShort, newLong];
  }
  if (maxSize !== null) {
    throw new ValueError(`max_size should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.`);
  }
  return [sz[0]!, sz[1]!];
}

/**
 * `F.resize` of a tensor image: `F.interpolate` with `align_corners=False` and no antialiasing
 * (torchvision 0.14's default for tensors), over the last two dims. Integer tensors are resized in
 * float32 and rounded back, as torchvision does.
 *
 * NOTE: an image (PIL's path) is resized by PIL's antialiased resampling in torchvision, which
 * typetorch does not reproduce: apply ToTensor first (then it is torchvision's tensor path).
 */
export function resize<X extends ImageOrTensor>(
  img: X,
  size: number | readonly number[],
  interpolation: Interpolation = "bilinear",
  maxSize: number | null = null,
  antialias: boolean | null = null,
): X {
  checkInput(img);
  if (!(img instanceof Tensor)) {
    throw new NotImplementedError(
      "Resize of an image (torchvision's PIL path, with PIL's antialiased resampling) is not implemented in typetorch: put ToTensor() before Resize to resize the tensor (torchvision's tensor path)",
    );
  }
  assertImageTensor(img);
  if (antialias) throw new NotImplementedError("Resize with antialias=True is not implemented in typetorch (torchvision 0.14's tensor default is False)");
  if (interpolation !== "bilinear" && interpolation !== "nearest") {
    throw new NotImplementedError(`interpolation mode ${String(interpolation)} is not implemented in typetorch (nearest and bilinear are)`);
  }
  const [, h, w] = getDimensions(img);
  const [oh, ow] = resizedOutputSize(h, w, size, maxSize);
  if (typeof size === "number" || size.length === 1) {
    // torchvision returns the tensor itself when the smaller edge already has the size
    if (Math.min(h, w) === (typeof size === "number" ? size : size[0]) && oh === h && ow === w) return img;
  }
  const isFloat = img.dtype === float32 || img.dtype === float64;
  const { values, lead } = planes(img);
  const nplanes = lead.reduce((a, b) => a * b, 1);
  const f32 = img.dtype !== float64;
  const r = f32 ? Math.fround : (v: number) => v;
  const out = f32 ? new Float32Array(nplanes * oh * ow) : new Float64Array(nplanes * oh * ow);
  if (interpolation === "nearest") {
    const ys = Int32Array.from({ length: oh }, (_, i) => nearestIndex(i, h, oh));
    const xs = Int32Array.from({ length: ow }, (_, j) => nearestIndex(j, w, ow));
    for (let p = 0; p < nplanes; p++) {
      for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) out[(p * oh + i) * ow + j] = values[(p * h + ys[i]!) * w + xs[j]!]!;
    }
  } else {
    const ly = linearIndices(h, oh, r), lx = linearIndices(w, ow, r);
    for (let p = 0; p < nplanes; p++) {
      const base = p * h * w;
      for (let i = 0; i < oh; i++) {
        const y0 = base + ly.i0[i]! * w, y1 = base + ly.i1[i]! * w, a0 = ly.l0[i]!, a1 = ly.l1[i]!;
        for (let j = 0; j < ow; j++) {
          const x0 = lx.i0[j]!, x1 = lx.i1[j]!, b0 = lx.l0[j]!, b1 = lx.l1[j]!;
          // NOTE: PyTorch's order: each row interpolated along x, then the rows along y, each as
          // its compiled loop computes `a * wa + b * wb`: b * wb rounded, then one fused multiply-add
          // (a product of two floats is exact in a double, so one rounding of the sum is the fma).
          const t0 = r(values[y0 + x0]! * b0 + r(values[y0 + x1]! * b1));
          const t1 = r(values[y1 + x0]! * b0 + r(values[y1 + x1]! * b1));
          out[(p * oh + i) * ow + j] = r(t0 * a0 + r(t1 * a1));
        }
      }
    }
  }
  if (!isFloat) {
    // torchvision's _cast_squeeze_out: round (half to even, torch.round) and cast back
    for (let k = 0; k < out.length; k++) out[k] = roundHalfEven(out[k]!);
    return fromValues(out, [...lead, oh, ow], img.dtype) as X;
  }
  return fromValues(out, [...lead, oh, ow], img.dtype) as X;
}

/** ATen's nearest_idx (UpSample.h): the float32 scale in/out, floor, clamped; exact for 1x and 2x. */
function nearestIndex(i: number, inSize: number, outSize: number): number {
  if (outSize === inSize) return i;
  if (outSize === 2 * inSize) return i >> 1;
  const scale = Math.fround(inSize / outSize);
  return Math.min(Math.floor(Math.fround(i * scale)), inSize - 1);
}

/** ATen's compute_source_index_and_lambda with align_corners=False, in the tensor's precision. */
function linearIndices(inSize: number, outSize: number, r: (v: number) => number) {
  const i0 = new Int32Array(outSize), i1 = new Int32Array(outSize);
  const l0 = new Float64Array(outSize), l1 = new Float64Array(outSize);
  const scale = r(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (outSize === inSize) {
      i0[i] = i1[i] = i;
      l0[i] = 1;
      l1[i] = 0;
      continue;
    }
    // NOTE: PyTorch 1.13's weights, as read back from one-hot inputs: the scale in the tensor's
    // precision, the source index and its fraction in double, lambda1 rounded once, and
    // lambda0 = 1 - lambda1 in the tensor's precision.
    let src = scale * (i + 0.5) - 0.5;
    if (src < 0) src = 0;
    const k = Math.trunc(src);
    i0[i] = k;
    i1[i] = k + (k < inSize - 1 ? 1 : 0);
    l1[i] = r(Math.min(Math.max(src - k, 0), 1));
    l0[i] = r(1 - l1[i]!);
  }
  return { i0, i1, l0, l1 };
}
