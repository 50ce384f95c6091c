// Images as datasets hand them to transforms: what PIL's Image is to torchvision, in plain data.
// Browser-safe: decoding here uses the browser's own decoder (createImageBitmap); Node's decoding
// (pngjs, jpeg-js) lives in src/node/image.ts so the core bundles carry no Node code.
import { ValueError, TorchTypeError } from "../../errors.js";

/** PIL's image modes that typetorch's datasets produce: 8 bits per channel. */
export type ImageMode = "L" | "RGB" | "RGBA";

/**
 * An 8-bit image, row-major, channels last (HWC): the role PIL's `Image` plays in torchvision.
 * `data[(y * width + x) * channels + c]`. Transforms never write into an image they are given.
 */
export interface RawImage {
  readonly mode: ImageMode;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** The number of channels of a mode ("L" 1, "RGB" 3, "RGBA" 4): PIL's `len(img.getbands())`. */
export function channelsOf(mode: ImageMode): number {
  return mode === "L" ? 1 : mode === "RGB" ? 3 : 4;
}

/**
 * An image of `mode`, `width` x `height`, over `data` (HWC bytes; zeros when omitted). Checks that
 * the data has the right length.
 * @example
 * const img = torch.utils.data.rawImage("RGB", 2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]));
 * img.width; // 2
 */
export function rawImage(mode: ImageMode, width: number, height: number, data?: Uint8Array): RawImage {
  if (mode !== "L" && mode !== "RGB" && mode !== "RGBA") throw new ValueError(`unknown image mode: ${String(mode)} (typetorch has L, RGB and RGBA)`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new ValueError(`image size must be non-negative integers, got ${width}x${height}`);
  }
  const n = width * height * channelsOf(mode);
  const bytes = data ?? new Uint8Array(n);
  if (!(bytes instanceof Uint8Array)) throw new TorchTypeError(`image data must be a Uint8Array, got ${typeof bytes}`);
  if (bytes.length !== n) {
    throw new ValueError(`a ${mode} image of ${width}x${height} needs ${n} bytes, got ${bytes.length}`);
  }
  return { mode, width, height, data: bytes };
}

/** Whether `x` is a {@link RawImage} (an image, not a tensor). */
export function isRawImage(x: unknown): x is RawImage {
  if (x === null || typeof x !== "object") return false;
  const r = x as Partial<RawImage>;
  return (r.mode === "L" || r.mode === "RGB" || r.mode === "RGBA") && typeof r.width === "number" && typeof r.height === "number" && r.data instanceof Uint8Array;
}

/**
 * PIL's `img.convert(mode)` between L, RGB and RGBA: RGB -> L is ITU-R 601-2 luma in PIL's fixed
 * point, `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16`; RGBA -> RGB drops alpha (no blending, as
 * PIL); L -> RGB repeats the value; to RGBA adds an opaque alpha.
 * @example
 * const gray = torch.utils.data.convertImage(torch.utils.data.rawImage("RGB", 1, 1, new Uint8Array([10, 200, 30])), "L");
 * gray.data[0]; // 124, as PIL
 */
export function convertImage(img: RawImage, mode: ImageMode): RawImage {
  if (img.mode === mode) return img;
  const n = img.width * img.height;
  const src = img.data;
  const cin = channelsOf(img.mode);
  const cout = channelsOf(mode);
  const out = new Uint8Array(n * cout);
  for (let p = 0; p < n; p++) {
    const s = p * cin, d = p * cout;
    let r: number, g: number, b: number;
    if (cin === 1) r = g = b = src[s]!;
    else {
      r = src[s]!;
      g = src[s + 1]!;
      b = src[s + 2]!;
    }
    if (cout === 1) {
      // NOTE: PIL's L24 macro; exact integer arithmetic (the products fit a double exactly).
      out[d] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    } else {
      out[d] = r;
      out[d + 1] = g;
      out[d + 2] = b;
      if (cout === 4) out[d + 3] = cin === 4 ? src[s + 3]! : 255;
    }
  }
  return { mode, width: img.width, height: img.height, data: out };
}

/** Where an image's encoded bytes come from in a browser: bytes, a Blob/File, or a fetch Response. */
export type EncodedImage = Uint8Array | ArrayBuffer | Blob;

interface BrowserCanvasLike {
  getContext(kind: "2d", opts?: unknown): {
    drawImage(img: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}

/**
 * Decodes a PNG, JPEG (or any format the browser knows) with the browser's decoder,
 * `createImageBitmap`, into an RGB image (torchvision's loader: `Image.open(f).convert("RGB")`).
 *
 * NOTE: browsers only. Node has no createImageBitmap: there `typetorch/node`'s `decodeImage`
 * decodes PNG and JPEG with pngjs and jpeg-js. Pixels are read back through a 2-D canvas with
 * color-space conversion turned off: opaque pixels are PIL's exactly (Chromium decodes JPEG with
 * libjpeg-turbo, as PIL does), but a canvas stores colours premultiplied by alpha, so the colour
 * of a semi-transparent pixel comes back rounded (off by up to 255 / (2 * alpha)), where PIL's
 * `convert("RGB")` keeps it as stored (WebCodecs' ImageDecoder premultiplies too).
 * @example
 * // (not run: needs a browser)
 * const img = await torch.utils.data.decodeImage(await (await fetch("cat.png")).blob());
 */
export async function decodeImage(source: EncodedImage, mode: ImageMode = "RGB"): Promise<RawImage> {
  const g = globalThis as {
    createImageBitmap?: (b: Blob, opts?: unknown) => Promise<{ width: number; height: number; close?(): void }>;
    OffscreenCanvas?: new (w: number, h: number) => BrowserCanvasLike;
    document?: { createElement(tag: "canvas"): BrowserCanvasLike & { width: number; height: number } };
  };
  if (typeof g.createImageBitmap !== "function") {
    throw new TorchTypeError(
      "decodeImage needs a browser (createImageBitmap); in Node, import { decodeImage, readImage } from \"typetorch/node\" (PNG and JPEG through pngjs and jpeg-js)",
    );
  }
  const blob = source instanceof Blob ? source : new Blob([source instanceof Uint8Array ? source.slice() : source]);
  const bitmap = await g.createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
  const { width, height } = bitmap;
  let canvas: BrowserCanvasLike;
  if (typeof g.OffscreenCanvas === "function") canvas = new g.OffscreenCanvas(width, height);
  else if (g.document) {
    const c = g.document.createElement("canvas");
    c.width = width;
    c.height = height;
    canvas = c;
  } else throw new TorchTypeError("decodeImage: no OffscreenCanvas or document to read the pixels with");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new TorchTypeError("decodeImage: could not get a 2-D canvas context");
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close?.();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const img: RawImage = { mode: "RGBA", width, height, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
  return convertImage(img, mode);
}
