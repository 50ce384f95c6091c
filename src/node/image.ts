// Decoding PNG and JPEG files in Node: pngjs and jpeg-js (pure JavaScript, no native build), into
// the RawImage that torchvision's PIL images become in typetorch. Node-only (node:fs), so it lives
// in typetorch/node, away from the browser-safe core (which decodes with createImageBitmap).
import { readFileSync } from "node:fs";
import pngjs from "pngjs";
import jpeg from "jpeg-js";
import { RuntimeError, utils } from "../index.js";
import type { ImageMode, RawImage } from "../utils/data/image.js";

const { convertImage } = utils.data;

const isPNG = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJPEG = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Decodes PNG or JPEG bytes into an image of `mode` (default RGB, as torchvision's loader does
 * `Image.open(f).convert("RGB")`). `source` names the file in errors.
 *
 * NOTE: PNG pixels are exact (8-bit PNGs; a 16-bit PNG is scaled to 8 bits, where PIL clips).
 * jpeg-js's IDCT and chroma upsampling are not libjpeg's, so a JPEG's pixels may differ from PIL's
 * by a few units (test/data_extra.test.ts measures it on its fixtures).
 * @example
 * import { decodeImage } from "typetorch/node";
 * import { readFileSync } from "node:fs";
 * const img = decodeImage(readFileSync("cat.png")); // { mode: "RGB", width, height, data }
 */
export function decodeImage(bytes: Uint8Array, mode: ImageMode = "RGB", source = "<bytes>"): RawImage {
  let rgba: RawImage;
  if (isPNG(bytes)) {
    let png: { width: number; height: number; data: Uint8Array };
    try {
      png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new RuntimeError(`${source}: cannot decode PNG: ${(e as Error).message}`);
    }
    rgba = { mode: "RGBA", width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } else if (isJPEG(bytes)) {
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    } catch (e) {
      throw new RuntimeError(`${source}: cannot decode JPEG: ${(e as Error).message}`);
    }
    rgba = { mode: "RGBA", width: img.width, height: img.height, data: img.data };
  } else {
    throw new RuntimeError(`${source}: not a PNG or JPEG file (typetorch/node decodes those two; convert other formats first)`);
  }
  return convertImage(rgba, mode);
}

/**
 * Reads and decodes a PNG or JPEG file (torchvision's `pil_loader`: RGB unless told).
 * @example
 * import { readImage } from "typetorch/node";
 * const img = readImage("data/train/cat/1.png");
 */
export function readImage(path: string, mode: ImageMode = "RGB"): RawImage {
  return decodeImage(readFileSync(path), mode, path);
}
