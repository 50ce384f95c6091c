// torch.finfo and torch.iinfo: the limits of each dtype, as PyTorch 1.13 reports them.
import { TorchTypeError } from "../errors.js";
import type { DType } from "./dtype.js";

/** torch.finfo's fields. */
export interface FInfo {
  bits: number;
  eps: number;
  max: number;
  min: number;
  tiny: number;
  smallestNormal: number;
  resolution: number;
  dtype: string;
}
/** torch.iinfo's fields. */
export interface IInfo {
  bits: number;
  max: number;
  min: number;
  dtype: string;
}

const F: Record<string, [bits: number, mantissa: number, maxExp: number, minExp: number, resolution: number]> = {
  float16: [16, 10, 15, -14, 0.001],
  bfloat16: [16, 7, 127, -126, 0.01],
  float32: [32, 23, 127, -126, 1e-6],
  float64: [64, 52, 1023, -1022, 1e-15],
};

/** torch.finfo(dtype): machine limits of a floating-point dtype (default: the default dtype). */
export function finfo(dtype: DType): FInfo {
  const f = F[dtype.name];
  if (!f) throw new TorchTypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
  const [bits, m, maxExp, minExp, resolution] = f;
  const max = (2 - 2 ** -m) * 2 ** maxExp;
  return { bits, eps: 2 ** -m, max, min: -max, tiny: 2 ** minExp, smallestNormal: 2 ** minExp, resolution, dtype: dtype.name };
}

const I: Record<string, [bits: number, min: number, max: number]> = {
  uint8: [8, 0, 255],
  int8: [8, -128, 127],
  int16: [16, -32768, 32767],
  int32: [32, -2147483648, 2147483647],
  // (int64's limits as doubles: typetorch holds int64 in float64)
  int64: [64, -9223372036854775808, 9223372036854775807],
};

/** torch.iinfo(dtype): limits of an integer dtype. */
export function iinfo(dtype: DType): IInfo {
  const i = I[dtype.name];
  if (!i)
    throw new TorchTypeError(dtype.name === "bool" ? "torch.bool is not supported by torch.iinfo" : "torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
  return { bits: i[0], min: i[1], max: i[2], dtype: dtype.name };
}
