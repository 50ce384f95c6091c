// Little-endian element bytes of every dtype typetorch holds, to and from its storage arrays.
// Shared by the `.pt` writer and the safetensors reader and writer. Browser-safe.
import { arrayTypeFor, type DType, type TypedArray } from "../tensor/dtype.js";

const TWO_32 = 4294967296;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half precision bits to a number (exact: every half is a float32). */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * The IEEE half bits of a number that is exactly a float16 (typetorch's float16 storage holds only
 * such numbers). NaN is written as the quiet NaN 0x7E00.
 */
export function numberToHalf(v: number): number {
  if (v !== v) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a * 2 ** 24);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

/** The bfloat16 bits of a number that is exactly a bfloat16 (its float32's top half); NaN as 0x7FC0. */
export function numberToBfloat16(v: number): number {
  if (v !== v) return 0x7fc0;
  f32[0] = v;
  return u32[0]! >>> 16;
}

/** n elements of dtype d from little-endian bytes, as the typed array typetorch stores d in. */
export function decodeLE(bytes: Uint8Array, d: DType, n: number): TypedArray {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n * d.itemsize);
  const a = new (arrayTypeFor(d))(n);
  switch (d.name) {
    case "float32": for (let i = 0; i < n; i++) a[i] = dv.getFloat32(4 * i, true); break;
    case "float64": for (let i = 0; i < n; i++) a[i] = dv.getFloat64(8 * i, true); break;
    case "int32": for (let i = 0; i < n; i++) a[i] = dv.getInt32(4 * i, true); break;
    case "int16": for (let i = 0; i < n; i++) a[i] = dv.getInt16(2 * i, true); break;
    case "int8": for (let i = 0; i < n; i++) a[i] = dv.getInt8(i); break;
    case "uint8": for (let i = 0; i < n; i++) a[i] = bytes[i]!; break;
    // NOTE: PyTorch's bools are bytes 0/1; any other byte reads as true, as a C++ bool would be tested
    case "bool": for (let i = 0; i < n; i++) a[i] = bytes[i] ? 1 : 0; break;
    case "float16": for (let i = 0; i < n; i++) a[i] = halfToNumber(dv.getUint16(2 * i, true)); break;
    case "bfloat16": {
      const bits = new Uint32Array(a.buffer);
      for (let i = 0; i < n; i++) bits[i] = dv.getUint16(2 * i, true) << 16;
      break;
    }
    case "int64":
      // (int64 is held in doubles: exact up to 2^53; the callers refuse larger magnitudes first)
      for (let i = 0; i < n; i++) a[i] = dv.getInt32(8 * i + 4, true) * TWO_32 + dv.getUint32(8 * i, true);
      break;
  }
  return a;
}

/** Index of the first int64 element in bytes beyond 2^53 in magnitude (typetorch cannot hold it), or -1. */
export function int64OutOfRange(bytes: Uint8Array, n: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n * 8);
  for (let i = 0; i < n; i++) {
    const lo = dv.getUint32(8 * i, true), hi = dv.getInt32(8 * i + 4, true);
    if (hi < -2097152 || hi > 2097152 || (hi === 2097152 && lo !== 0)) return i;
  }
  return -1;
}

/** The little-endian bytes of values (elements of dtype d, as typetorch stores them). */
export function encodeLE(values: ArrayLike<number>, d: DType): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n * d.itemsize);
  const dv = new DataView(out.buffer);
  switch (d.name) {
    case "float32": for (let i = 0; i < n; i++) dv.setFloat32(4 * i, values[i]!, true); break;
    case "float64": for (let i = 0; i < n; i++) dv.setFloat64(8 * i, values[i]!, true); break;
    case "int32": for (let i = 0; i < n; i++) dv.setInt32(4 * i, values[i]!, true); break;
    case "int16": for (let i = 0; i < n; i++) dv.setInt16(2 * i, values[i]!, true); break;
    case "int8": for (let i = 0; i < n; i++) dv.setInt8(i, values[i]!); break;
    case "uint8": for (let i = 0; i < n; i++) out[i] = values[i]!; break;
    case "bool": for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0; break;
    case "float16": for (let i = 0; i < n; i++) dv.setUint16(2 * i, numberToHalf(values[i]!), true); break;
    case "bfloat16": for (let i = 0; i < n; i++) dv.setUint16(2 * i, numberToBfloat16(values[i]!), true); break;
    case "int64":
      for (let i = 0; i < n; i++) {
        const v = Math.trunc(values[i]!);
        const hi = Math.floor(v / TWO_32);
        dv.setUint32(8 * i, v - hi * TWO_32, true);
        dv.setInt32(8 * i + 4, hi, true);
      }
      break;
  }
  return out;
}
