// torchvision.transforms, the common ones: ToTensor, Normalize, Compose, Lambda, RandomCrop,
// RandomHorizontalFlip, RandomVerticalFlip, Resize, CenterCrop. Followed: torchvision 0.14's
// transforms/transforms.py (defaults, checks and their words, and what the random ones draw from
// torch's global generator: `torch.randint(0, n, (1,))` per crop offset, `torch.rand(1)` per flip).
//
// NOTE: typetorch has them under `torch.utils.data.transforms` (PyTorch keeps them in torchvision);
// a transform is callable, `t(img)`, like torchvision's, and `forward(img)` does the same.
import { Tensor } from "../../tensor/tensor.js";
import { rand, randint } from "../../ops/creation.js";
import { TorchTypeError, ValueError } from "../../errors.js";
import type { RawImage } from "./image.js";
import * as F from "./transforms_functional.js";
import type { ImageOrTensor, Interpolation, PaddingMode } from "./transforms_functional.js";

export * as functional from "./transforms_functional.js";
export { InterpolationMode } from "./transforms_functional.js";
export type { ImageOrTensor, Interpolation, PaddingMode } from "./transforms_functional.js";

/** A transform is callable: `t(x)` runs `t.forward(x)`. */
export interface Transform {
  (input: any): any;
}

/** The base of the transform classes: callable, with torchvision's repr as `toString()`. */
export abstract class Transform {
  constructor() {
    // NOTE: as nn.Module does: the instance is an arrow function given this class's prototype,
    // so `transform(img)` works; `length`/`name` are dropped so that fields of those names work.
    const self = ((x: unknown) => (self as Transform).forward(x)) as unknown as Transform;
    Reflect.deleteProperty(self, "length");
    Reflect.deleteProperty(self, "name");
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }
  abstract forward(input: any): any;
  /** torchvision's `__repr__`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}

/** A transform or a plain function (what Compose and the datasets' `transform` accept). */
export type TransformLike<I = any, O = any> = Transform | ((input: I) => O);

/** Python's repr of a number list: `[0.5, 0.25]`, floats as Python prints them. */
function pyList(v: number | readonly number[]): string {
  const num = (x: number) => (Number.isInteger(x) ? String(x) : String(x));
  return typeof v === "number" ? num(v) : `[${v.map(num).join(", ")}]`;
}

/** torchvision's `_setup_size`: an int, [int] or [h, w] -> [h, w]. */
function setupSize(size: number | readonly number[], errorMsg: string): [number, number] {
  if (typeof size === "number") return [Math.trunc(size), Math.trunc(size)];
  if (Array.isArray(size) && size.length === 1) return [size[0]!, size[0]!];
  if (!Array.isArray(size) || size.length !== 2) throw new ValueError(errorMsg);
  return [size[0]!, size[1]!];
}

export interface Compose {
  (input: any): any;
}
/**
 * `transforms.Compose`: the transforms one after another.
 * @example
 * const t = new torch.utils.data.transforms.Compose([
 *   new torch.utils.data.transforms.ToTensor(),
 *   new torch.utils.data.transforms.Normalize([0.5], [0.5]),
 * ]);
 * const x = t(torch.utils.data.rawImage("L", 2, 1, new Uint8Array([0, 255])));
 * x.tolist(); // [[[-1, 1]]]
 */
export class Compose extends Transform {
  readonly transforms: TransformLike[];
  constructor(transforms: readonly TransformLike[]) {
    super();
    this.transforms = [...transforms];
  }
  forward(img: any): any {
    let x = img;
    for (const t of this.transforms) x = t(x);
    return x;
  }
  override toString(): string {
    const lines = this.transforms.map((t) => `    ${t instanceof Transform ? t.toString() : `Lambda()`}`);
    return `Compose(\n${lines.join("\n")}${lines.length ? "\n" : ""})`;
  }
}

export interface ToTensor {
  (pic: RawImage): Tensor;
}
/**
 * `transforms.ToTensor`: an image (HWC, bytes) to a CHW tensor of the default dtype, scaled to
 * [0, 1] (`x / 255`).
 * @example
 * const x = new torch.utils.data.transforms.ToTensor()(torch.utils.data.rawImage("RGB", 1, 1, new Uint8Array([0, 51, 255])));
 * x.shape; // [3, 1, 1]; values 0, 0.2, 1
 */
export class ToTensor extends Transform {
  forward(pic: RawImage): Tensor {
    return F.toTensor(pic);
  }
}

export interface Normalize {
  (tensor: Tensor): Tensor;
}
/**
 * `transforms.Normalize(mean, std, inplace=False)`: `(x - mean[c]) / std[c]` for each channel c
 * of a float tensor image.
 * @example
 * const n = new torch.utils.data.transforms.Normalize([0.1307], [0.3081]);
 * n(torch.ones(1, 2, 2)).shape; // [1, 2, 2]
 */
export class Normalize extends Transform {
  constructor(readonly mean: number | readonly number[], readonly std: number | readonly number[], readonly inplace = false) {
    super();
  }
  forward(t: Tensor): Tensor {
    return F.normalize(t, this.mean, this.std, this.inplace);
  }
  override toString(): string {
    return `Normalize(mean=${pyList(this.mean)}, std=${pyList(this.std)})`;
  }
}

export interface Lambda {
  (input: any): any;
}
/** `transforms.Lambda(fn)`: a function as a transform. */
export class Lambda extends Transform {
  readonly lambd: (input: any) => any;
  constructor(lambd: (input: any) => any) {
    super();
    if (typeof lambd !== "function") {
      const t = lambd === null ? "NoneType" : typeof lambd === "object" ? (lambd as object).constructor?.name ?? "object" : typeof lambd === "number" ? (Number.isInteger(lambd) ? "int" : "float") : typeof lambd === "string" ? "str" : typeof lambd;
      throw new TorchTypeError(`Argument lambd should be callable, got '${t}'`);
    }
    this.lambd = lambd;
  }
  forward(img: any): any {
    return this.lambd(img);
  }
}

export interface RandomCropOptions {
  /** Padding added to each border first: an int, [left/right, top/bottom] or [left, top, right, bottom]. */
  padding?: number | readonly number[] | null;
  /** Pad a side shorter than the crop (on both ends, by the shortfall each), as torchvision does. */
  padIfNeeded?: boolean;
  /** The constant mode's fill (a number, or one per channel for an image). */
  fill?: number | readonly number[];
  /** "constant" (default), "edge", "reflect" or "symmetric". */
  paddingMode?: PaddingMode;
}

export interface RandomCrop {
  <X extends ImageOrTensor>(img: X): X;
}
/**
 * `transforms.RandomCrop(size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant")`:
 * pads, then crops `size` at a random place: `i = torch.randint(0, h - th + 1, (1,))`, then
 * `j = torch.randint(0, w - tw + 1, (1,))`, from the global generator (nothing when the crop is the
 * whole image). `new RandomCrop(32, 4)` is `RandomCrop(32, padding=4)`.
 * @example
 * torch.manualSeed(0);
 * const crop = new torch.utils.data.transforms.RandomCrop(2, { padding: 1 });
 * crop(torch.arange(9, { dtype: torch.float32 }).reshape(1, 3, 3)).shape; // [1, 2, 2]
 */
export class RandomCrop extends Transform {
  readonly size: [number, number];
  readonly padding: number | readonly number[] | null;
  readonly padIfNeeded: boolean;
  readonly fill: number | readonly number[];
  readonly paddingMode: PaddingMode;
  constructor(size: number | readonly number[], options: RandomCropOptions | number | readonly number[] = {}) {
    super();
    const o: RandomCropOptions = typeof options === "number" || Array.isArray(options) ? { padding: options as number | number[] } : (options as RandomCropOptions);
    this.size = setupSize(size, "Please provide only two dimensions (h, w) for size.");
    this.padding = o.padding ?? null;
    this.padIfNeeded = o.padIfNeeded ?? false;
    this.fill = o.fill ?? 0;
    this.paddingMode = o.paddingMode ?? "constant";
  }
  /** `RandomCrop.get_params`: [top, left, height, width] of a random crop of `outputSize`. */
  static getParams(img: ImageOrTensor, outputSize: readonly [number, number]): [number, number, number, number] {
    const [, h, w] = F.getDimensions(img);
    const [th, tw] = outputSize;
    if (h + 1 < th || w + 1 < tw) {
      throw new ValueError(`Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
    }
    if (w === tw && h === th) return [0, 0, h, w];
    const i = randint(0, h - th + 1, [1]).item();
    const j = randint(0, w - tw + 1, [1]).item();
    return [i, j, th, tw];
  }
  forward<X extends ImageOrTensor>(img: X): X {
    let x: ImageOrTensor = img;
    if (this.padding !== null) x = F.pad(x, this.padding, this.fill, this.paddingMode);
    const [, height, width] = F.getDimensions(x);
    if (this.padIfNeeded && width < this.size[1]) x = F.pad(x, [this.size[1] - width, 0], this.fill, this.paddingMode);
    if (this.padIfNeeded && height < this.size[0]) x = F.pad(x, [0, this.size[0] - height], this.fill, this.paddingMode);
    const [i, j, h, w] = RandomCrop.getParams(x, this.size);
    return F.crop(x, i, j, h, w) as X;
  }
  override toString(): string {
    const p = this.padding === null ? "None" : pyList(this.padding as number | number[]);
    return `RandomCrop(size=(${this.size.join(", ")}), padding=${p})`;
  }
}

export interface RandomHorizontalFlip {
  <X extends ImageOrTensor>(img: X): X;
}
/**
 * `transforms.RandomHorizontalFlip(p=0.5)`: mirrors left to right when `torch.rand(1) < p` (one
 * draw from the global generator per call).
 * @example
 * const flip = new torch.utils.data.transforms.RandomHorizontalFlip(1);
 * flip(torch.tensor([[[1, 2, 3]]])).tolist(); // [[[3, 2, 1]]]
 */
export class RandomHorizontalFlip extends Transform {
  constructor(readonly p = 0.5) {
    super();
  }
  forward<X extends ImageOrTensor>(img: X): X {
    return rand(1).item() < this.p ? F.hflip(img) : img;
  }
  override toString(): string {
    return `RandomHorizontalFlip(p=${this.p})`;
  }
}

export interface RandomVerticalFlip {
  <X extends ImageOrTensor>(img: X): X;
}
/** `transforms.RandomVerticalFlip(p=0.5)`: mirrors top to bottom when `torch.rand(1) < p`. */
export class RandomVerticalFlip extends Transform {
  constructor(readonly p = 0.5) {
    super();
  }
  forward<X extends ImageOrTensor>(img: X): X {
    return rand(1).item() < this.p ? F.vflip(img) : img;
  }
  override toString(): string {
    return `RandomVerticalFlip(p=${this.p})`;
  }
}

export interface ResizeOptions {
  /** "bilinear" (default) or "nearest" (torchvision's InterpolationMode.BILINEAR / NEAREST). */
  interpolation?: Interpolation;
  /** The most the longer edge may be, when `size` gives the smaller edge. */
  maxSize?: number | null;
  /** Only false/null (torchvision 0.14's tensor default); true is not implemented. */
  antialias?: boolean | null;
}

export interface Resize {
  <X extends ImageOrTensor>(img: X): X;
}
/**
 * `transforms.Resize(size, interpolation=BILINEAR, max_size=None, antialias=None)` of a tensor
 * image: an int resizes the smaller edge (keeping the aspect ratio), [h, w] is the size. See
 * {@link F.resize} for why an image (PIL's path) must go through ToTensor first.
 * @example
 * new torch.utils.data.transforms.Resize([2, 4])(torch.ones(3, 4, 8)).shape; // [3, 2, 4]
 */
export class Resize extends Transform {
  readonly size: number | readonly number[];
  readonly interpolation: Interpolation;
  readonly maxSize: number | null;
  readonly antialias: boolean | null;
  constructor(size: number | readonly number[], options: ResizeOptions = {}) {
    super();
    if (typeof size !== "number" && !Array.isArray(size)) throw new TorchTypeError(`Size should be int or sequence. Got ${F.pyType(size)}`);
    if (Array.isArray(size) && size.length !== 1 && size.length !== 2) throw new ValueError("If size is a sequence, it should have 1 or 2 values");
    this.size = size;
    this.interpolation = options.interpolation ?? "bilinear";
    this.maxSize = options.maxSize ?? null;
    this.antialias = options.antialias ?? null;
  }
  forward<X extends ImageOrTensor>(img: X): X {
    return F.resize(img, this.size, this.interpolation, this.maxSize, this.antialias);
  }
  override toString(): string {
    return `Resize(size=${pyList(this.size as number | number[])}, interpolation=${this.interpolation}, max_size=${this.maxSize ?? "None"}, antialias=${this.antialias === null ? "None" : this.antialias ? "True" : "False"})`;
  }
}

export interface CenterCrop {
  <X extends ImageOrTensor>(img: X): X;
}
/**
 * `transforms.CenterCrop(size)`: the central box of `size` (int or [h, w]); a smaller image is
 * zero-padded first.
 * @example
 * new torch.utils.data.transforms.CenterCrop(2)(torch.ones(1, 4, 4)).shape; // [1, 2, 2]
 */
export class CenterCrop extends Transform {
  readonly size: [number, number];
  constructor(size: number | readonly number[]) {
    super();
    this.size = setupSize(size, "Please provide only two dimensions (h, w) for size.");
  }
  forward<X extends ImageOrTensor>(img: X): X {
    return F.centerCrop(img, this.size);
  }
  override toString(): string {
    return `CenterCrop(size=(${this.size.join(", ")}))`;
  }
}
