/**
 * A reader of IDX files, the format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte`,
 * optionally gzip-compressed as they are distributed).
 *
 * NOTE: Node only (node:fs, node:zlib). It is kept out of the `torch` namespace so the core stays
 * browser-safe; examples import it directly: `import { readIdx } from "../src/utils/idx.js"`.
 *
 * The format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number `0x00 0x00 T N`, where
 * T is the element type (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
 * 0x0E float64) and N the number of dimensions; then N big-endian uint32 sizes; then the
 * values, row-major, big-endian.
 */
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Tensor } from "../tensor/tensor.js";
import { type DType, float32, float64, int32, int64 } from "../tensor/dtype.js";
import { tensor } from "../ops/creation.js";

export interface IdxOptions {
  /**
   * The tensor's dtype (default float32). typetorch has no uint8 dtype, so bytes become float32
   * (images, values 0..255 unscaled) or int64 (labels). float64 and int32 are accepted too.
   */
  dtype?: DType;
}

const TYPES: Record<number, { name: string; size: number; get: (v: DataView, o: number) => number }> = {
  0x08: { name: "uint8", size: 1, get: (v, o) => v.getUint8(o) },
  0x09: { name: "int8", size: 1, get: (v, o) => v.getInt8(o) },
  0x0b: { name: "int16", size: 2, get: (v, o) => v.getInt16(o, false) },
  0x0c: { name: "int32", size: 4, get: (v, o) => v.getInt32(o, false) },
  0x0d: { name: "float32", size: 4, get: (v, o) => v.getFloat32(o, false) },
  0x0e: { name: "float64", size: 8, get: (v, o) => v.getFloat64(o, false) },
};

/**
 * Parses the bytes of an IDX file (gunzipped first if they start with the gzip magic 1f 8b).
 * `source` names the file in error messages.
 */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}, source = "<bytes>"): Tensor {
  const dtype = options.dtype ?? float32;
  if (dtype !== float32 && dtype !== float64 && dtype !== int64 && dtype !== int32) {
    throw new TypeError(`readIdx: dtype must be float32, float64, int64 or int32, but got ${dtype.name}`);
  }
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new Error(`${source}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4) throw new Error(`${source}: not an IDX file: only ${buf.length} bytes`);
  const magic = view.getUint32(0, false);
  const type = TYPES[buf[2]!];
  const ndim = buf[3]!;
  if (buf[0] !== 0 || buf[1] !== 0 || type === undefined) {
    throw new Error(
      `${source}: not an IDX file: bad magic number 0x${magic.toString(16).padStart(8, "0")} ` +
        "(expected 0x0000TTNN: TT the type 08/09/0b/0c/0d/0e, NN the number of dimensions)",
    );
  }
  const headerLen = 4 + 4 * ndim;
  if (buf.length < headerLen) throw new Error(`${source}: truncated IDX header (${ndim} dimensions, ${buf.length} bytes)`);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const numel = shape.reduce((a, b) => a * b, 1);
  const expected = headerLen + numel * type.size;
  if (buf.length < expected) {
    throw new Error(`${source}: truncated IDX file: shape [${shape.join(", ")}] of ${type.name} needs ${expected} bytes, found ${buf.length}`);
  }
  if (buf.length > expected) {
    throw new Error(`${source}: corrupt IDX file: ${buf.length - expected} bytes after the data of shape [${shape.join(", ")}]`);
  }
  const values = dtype === float32 ? new Float32Array(numel) : dtype === int32 ? new Int32Array(numel) : new Float64Array(numel);
  if (type.size === 1 && buf[2] === 0x08) {
    values.set(buf.subarray(headerLen, expected));
  } else {
    for (let i = 0; i < numel; i++) values[i] = type.get(view, headerLen + i * type.size);
  }
  return tensor(values, { dtype }).reshape(shape);
}

/**
 * Reads an IDX file (raw or gzip-compressed) into a tensor of its shape.
 * @example
 * // (not run: needs Debian's dataset-fashion-mnist package, or the files from elsewhere)
 * const images = readIdx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"); // [60000, 28, 28]
 * const labels = readIdx(".../train-labels-idx1-ubyte.gz", { dtype: torch.int64 });     // [60000]
 */
export function readIdx(path: string, options: IdxOptions = {}): Tensor {
  if (!existsSync(path)) throw new Error(`no such IDX file: ${path}`);
  return parseIdx(readFileSync(path), options, path);
}
