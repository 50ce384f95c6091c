// The narrow dtypes (float16, bfloat16, uint8, int8, int16): how a value is rounded or wrapped when it
// is stored into one, as PyTorch 1.13's CPU casts do.
// NOTE: float16 and bfloat16 live in Float32Arrays whose every element is exactly representable in
// the narrow type: kernels compute in float32 (as PyTorch's CPU kernels compute Half and BFloat16:
// convert to float, compute, round on store) and each result is rounded to nearest-even on store.
// uint8/int8/int16 live in Uint8Array/Int8Array/Int16Array, which wrap an integer modulo 2^8 / 2^16
// on store, as C's integer conversions do.
import type { DType } from "../../tensor/dtype.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * A number rounded to float32, then to the nearest float16 (ties to even), overflow to ±inf, NaN kept.
 * NOTE: through float32 first, as c10::Half is built from a double (its constructor takes a float).
 */
export function f16round(x: number): number {
  return nativeF16 ? nativeF16(Math.fround(x)) : f16roundSoft(Math.fround(x));
}
const nativeF16 = (Math as { f16round?: (x: number) => number }).f16round;

/** f16round without Math.f16round (older engines): exact arithmetic on doubles. */
export function f16roundSoft(x: number): number {
  if (x !== x || x === 0 || !isFinite(x)) return x;
  const a = Math.abs(x);
  // (65520 and up round to infinity: halfway between 65504 and 2^16)
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // the spacing of float16 values near a: 2^(e - 10) for normals, 2^-24 for subnormals
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  let ulp = Math.pow(2, e - 10);
  if (a / ulp >= 2048) ulp *= 2; // (log2 rounding at a power of two)
  const q = a / ulp;
  let r = Math.round(q);
  if (r - q === 0.5 && r % 2 === 1) r -= 1; // ties to even (Math.round rounds ties up)
  const v = r * ulp;
  return x < 0 ? -v : v;
}

/** A number rounded to float32, then to the nearest bfloat16 (ties to even), as c10::BFloat16 rounds. */
export function bf16round(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  // NOTE: c10's round_to_nearest_even turns every NaN into the quiet NaN 0x7FC0.
  if (x !== x) return NaN;
  u32[0] = ((b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000) >>> 0;
  return f32[0]!;
}

/** Whether d is one of the narrow dtypes this file stores. */
export function isNarrow(d: DType): boolean {
  const n = d.name;
  return n === "float16" || n === "bfloat16" || n === "uint8" || n === "int8" || n === "int16";
}

const toInt32 = (x: number): number => (x >= -2147483648 && x < 2147483648 ? Math.trunc(x) : -2147483648);
const toInt64 = (x: number): number => (x >= -9223372036854775808 && x < 9223372036854775808 ? Math.trunc(x) : 0);

/**
 * The function a value of dtype `from` goes through on its way into storage of the narrow dtype `to`
 * (the typed array's own store then wraps integers). Null: a plain store is already exact.
 * NOTE: PyTorch's float-to-small-integer casts go through a machine conversion first, and which one
 * depends on the pair (checked against PyTorch 1.13): float64 to uint8 through int64 (2^32 + 7 -> 7),
 * every other float to uint8/int8/int16 through int32, where NaN, infinities and out-of-range values
 * become -2^31, whose low bits are 0.
 */
export function narrowStore(from: DType, to: DType): ((x: number) => number) | null {
  switch (to.name) {
    case "float16":
      return from.name === "float16" || from.name === "bool" || from.name === "uint8" || from.name === "int8" ? null : f16round;
    case "bfloat16":
      return from.name === "bfloat16" || from.name === "bool" || from.name === "uint8" || from.name === "int8" ? null : bf16round;
    case "uint8":
    case "int8":
    case "int16":
      if (!from.isFloatingPoint) return null;
      return from.name === "float64" && to.name === "uint8" ? toInt64 : toInt32;
    default:
      return null;
  }
}

/** The wide dtype name a kernel producing a narrow result computes in (float32 for the halves, int64 for integers). */
export function wideName(d: DType): "float32" | "int64" {
  return d.name === "float16" || d.name === "bfloat16" ? "float32" : "int64";
}
