/**
 * Tensor printing: byte for byte what PyTorch 1.13 prints for `repr(t)` / `str(t)`.
 *
 * The algorithm follows `torch/_tensor_str.py` (PyTorch 1.13):
 *  - `_Formatter` looks at the (summarized) elements once and picks a mode and a common width:
 *    integers (`1.`), fixed (`4.5000`) or scientific (`1.0000e-05`);
 *  - `_tensor_str_with_formatter` nests brackets, breaks long rows at `linewidth`, and puts `...`
 *    where a dimension is summarized;
 *  - `_str_intern` adds the suffixes (`dtype=`, `size=`, `grad_fn=`/`requires_grad=`) and wraps
 *    them onto a new line when they would pass `linewidth`.
 *
 * NOTE: Python formats numbers with correctly rounded decimal conversions that break exact ties
 * to even (`"{:.0f}".format(2.5) == "2"`), while JavaScript's `toFixed`/`toExponential` break
 * them away from zero and switch to exponent form past 1e21. So the `{:.Nf}` and `{:.Ne}`
 * conversions here are done exactly with BigInt arithmetic on the double's binary value.
 *
 * @example
 * ```ts
 * formatTensor([5.3671, -17.3012].map(Math.fround), [2], "float32", { requiresGrad: true });
 * // "tensor([  5.3671, -17.3012], requires_grad=True)"
 * ```
 */

import { getDefaultDtype } from "./dtype.js";

export type DTypeName = "float32" | "float64" | "int64" | "int32" | "bool" | "float16" | "bfloat16" | "uint8" | "int8" | "int16";

export interface PrintOptions {
  /** Digits after the decimal point (fixed) or after the first digit (scientific). Default 4. */
  precision: number;
  /** Tensors with more elements than this are summarized with `...`. Default 1000. */
  threshold: number;
  /** Items kept at the start and end of each summarized dimension. Default 3. */
  edgeitems: number;
  /** Characters per line before a row is broken. Default 80. */
  linewidth: number;
  /** Force (true) or forbid (false) scientific notation; null lets the formatter decide. */
  sciMode: boolean | null;
}

export interface ReprInfo {
  /** A leaf that requires grad prints `, requires_grad=True`. */
  requiresGrad?: boolean;
  /** A non-leaf prints `, grad_fn=<MulBackward0>`; it wins over `requiresGrad`. */
  gradFnName?: string | null;
}

const DEFAULT_OPTIONS: PrintOptions = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
};

const PRINT_OPTS: PrintOptions = { ...DEFAULT_OPTIONS };

/**
 * `torch.set_printoptions`. A profile is applied first, then the explicit options.
 *
 * NOTE: like PyTorch 1.13, every call resets `sciMode` to its argument (null when omitted), so
 * `setPrintOptions({ precision: 2 })` also turns a forced scientific mode off.
 *
 * @example
 * ```ts
 * setPrintOptions({ precision: 2 });
 * formatTensor([1.12345], [1], "float64"); // "tensor([1.12], dtype=torch.float64)"
 * setPrintOptions({ profile: "default" });
 * ```
 */
export function setPrintOptions(
  opts: Partial<PrintOptions> & { profile?: "default" | "short" | "full" },
): void {
  if (opts.profile !== undefined) {
    switch (opts.profile) {
      case "default":
        Object.assign(PRINT_OPTS, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
        break;
      case "short":
        Object.assign(PRINT_OPTS, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
        break;
      case "full":
        Object.assign(PRINT_OPTS, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
        break;
      default: {
        const never: never = opts.profile;
        throw new Error(`setPrintOptions: unknown profile ${String(never)}; use "default", "short" or "full"`);
      }
    }
  }
  if (opts.precision !== undefined) PRINT_OPTS.precision = opts.precision;
  if (opts.threshold !== undefined) PRINT_OPTS.threshold = opts.threshold;
  if (opts.edgeitems !== undefined) PRINT_OPTS.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined) PRINT_OPTS.linewidth = opts.linewidth;
  PRINT_OPTS.sciMode = opts.sciMode ?? null;
}

/** `torch._tensor_str.PRINT_OPTS`, as a copy. */
export function getPrintOptions(): PrintOptions {
  return { ...PRINT_OPTS };
}

// ---------------------------------------------------------------------------------------------
// Exact decimal conversions of doubles (Python's `{:.Nf}`, `{:.Ne}`, `repr`)
// ---------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// NOTE: typed arrays use the platform's byte order; every platform Node runs on is little-endian,
// but we check rather than assume.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A positive finite double as the exact fraction num / den (den a power of two). */
function exactFraction(x: number): { num: bigint; den: bigint } {
  F64[0] = x;
  const hi = U32[LITTLE_ENDIAN ? 1 : 0]!;
  const lo = U32[LITTLE_ENDIAN ? 0 : 1]!;
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biasedExp === 0) {
    exp = -1074; // subnormal
  } else {
    mant |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}

/** round(num / den) with exact ties going to the even integer, as Python's formatting does. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  const twiceR = 2n * (num % den);
  if (twiceR > den || (twiceR === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function hasMinusSign(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function nonFiniteStr(x: number): string {
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

/** Python's `"{:.{p}f}".format(x)`. */
export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const sign = hasMinusSign(x) ? "-" : "";
  const a = Math.abs(x);
  if (a === 0) return sign + "0" + (precision > 0 ? "." + "0".repeat(precision) : "");
  const { num, den } = exactFraction(a);
  const digits = divRoundHalfEven(num * pow10(precision), den).toString().padStart(precision + 1, "0");
  if (precision === 0) return sign + digits;
  return sign + digits.slice(0, digits.length - precision) + "." + digits.slice(digits.length - precision);
}

/** Python's `"{:.{p}e}".format(x)`. */
export function formatScientific(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const sign = hasMinusSign(x) ? "-" : "";
  const a = Math.abs(x);
  let digits: string;
  let k = 0;
  if (a === 0) {
    digits = "0".repeat(precision + 1);
  } else {
    const { num, den } = exactFraction(a);
    // Decimal exponent k with 10^k <= a < 10^(k+1): estimate with log10, then fix exactly.
    k = Math.floor(Math.log10(a));
    const below = (kk: number): boolean => // a < 10^kk
      kk >= 0 ? num < pow10(kk) * den : num * pow10(-kk) < den;
    while (below(k)) k -= 1;
    while (!below(k + 1)) k += 1;
    const shift = precision - k; // a * 10^shift has precision+1 digits before the point
    let q = shift >= 0 ? divRoundHalfEven(num * pow10(shift), den) : divRoundHalfEven(num, den * pow10(-shift));
    if (q === pow10(precision + 1)) {
      // rounding carried into a new digit (9.99995 -> 10.0000)
      q = pow10(precision);
      k += 1;
    }
    digits = q.toString();
  }
  const mantissa = precision > 0 ? digits[0] + "." + digits.slice(1) : digits;
  return sign + mantissa + "e" + (k < 0 ? "-" : "+") + String(Math.abs(k)).padStart(2, "0");
}

/**
 * Python's `repr(float)`: the shortest string that round-trips, in fixed notation when the
 * decimal exponent is in [-4, 16), else `d.ddde±XX`.
 *
 * @example
 * ```ts
 * pyFloatRepr(2); // "2.0"
 * pyFloatRepr(1e16); // "1e+16"
 * pyFloatRepr(3.0251036150730215e-5); // "3.0251036150730215e-05"
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const sign = hasMinusSign(x) ? "-" : "";
  if (x === 0) return sign + "0.0";
  // NOTE: JavaScript's Number-to-String also yields the shortest round-tripping digits (closest
  // to the exact value when several are equally short), the same digits as Python's repr; only
  // the layout differs. Parse them out and lay them out Python's way.
  const s = String(Math.abs(x));
  const eAt = s.indexOf("e");
  const mant = eAt < 0 ? s : s.slice(0, eAt);
  const exp10 = eAt < 0 ? 0 : Number(s.slice(eAt + 1));
  const dot = mant.indexOf(".");
  let digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  let pointPos = (dot < 0 ? mant.length : dot) + exp10; // value = 0.digits * 10^pointPos
  const lead = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(lead);
  pointPos -= lead;
  digits = digits.replace(/0+$/, "");
  const decpt = pointPos; // value = 0.d1d2... * 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + "0." + "0".repeat(-decpt) + digits;
    if (decpt >= digits.length) return sign + digits + "0".repeat(decpt - digits.length) + ".0";
    return sign + digits.slice(0, decpt) + "." + digits.slice(decpt);
  }
  const e = decpt - 1;
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return sign + m + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
}

/** Python's `"{}".format(v)` for an element of an integer or bool tensor. */
function formatIntegral(v: number, dtype: DTypeName): string {
  if (dtype === "bool") return v ? "True" : "False";
  // NOTE: int64 values arrive as doubles; BigInt prints an integral double exactly, where
  // String(x) would switch to exponent form from 1e21 (not reachable for int64, but exact anyway).
  return Number.isInteger(v) ? BigInt(v).toString() : String(v);
}

function isFloating(dtype: DTypeName): boolean {
  // (float16 and bfloat16 print as PyTorch prints them: converted to float first)
  return dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16";
}

// ---------------------------------------------------------------------------------------------
// The element formatter (`_Formatter`)
// ---------------------------------------------------------------------------------------------

class Formatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(
    values: readonly number[],
    private readonly dtype: DTypeName,
    private readonly opts: PrintOptions,
  ) {
    this.floating = isFloating(dtype);
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, formatIntegral(v, dtype).length);
    } else {
      // NOTE: only nonzero finite values choose the mode and width; zeros, nan and inf are
      // padded to whatever width the others need.
      const vals = values.filter((v) => Number.isFinite(v) && v !== 0);
      if (vals.length === 0) return; // NOTE: returns before the sciMode override, as PyTorch does
      let min = Infinity;
      let max = 0;
      for (const v of vals) {
        const a = Math.abs(v);
        if (a < min) min = a;
        if (a > max) max = a;
      }
      this.intMode = vals.every((v) => v === Math.ceil(v));
      const p = opts.precision;
      // NOTE: the thresholds are PyTorch's: a spread of more than 1000x, or anything above 1e8,
      // or (for non-integers) anything below 1e-4 switches to scientific notation. The ratio is
      // computed in double precision, as PyTorch converts to double first.
      if (this.intMode) {
        if (max / min > 1000.0 || max > 1.0e8) {
          this.sciMode = true;
          for (const v of vals) this.maxWidth = Math.max(this.maxWidth, formatScientific(v, p).length);
        } else {
          for (const v of vals) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
        }
      } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
        this.sciMode = true;
        for (const v of vals) this.maxWidth = Math.max(this.maxWidth, formatScientific(v, p).length);
      } else {
        for (const v of vals) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, p).length);
      }
    }
    if (opts.sciMode !== null) this.sciMode = opts.sciMode;
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    let ret: string;
    if (this.floating) {
      if (this.sciMode) {
        ret = formatScientific(v, this.opts.precision);
      } else if (this.intMode) {
        ret = formatFixed(v, 0);
        if (Number.isFinite(v)) ret += ".";
      } else {
        ret = formatFixed(v, this.opts.precision);
      }
    } else {
      ret = formatIntegral(v, this.dtype);
    }
    // NOTE: Python's `n * " "` is empty for negative n; a forced sciMode can make `ret` wider.
    return " ".repeat(Math.max(0, this.maxWidth - ret.length)) + ret;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout (`_tensor_str_with_formatter`, `get_summarized_data`, `_add_suffixes`)
// ---------------------------------------------------------------------------------------------

/** Indices kept along a dimension of `size`, with -1 standing for the `...` marker. */
function keptIndices(size: number, summarize: boolean, edge: number, isLastDim: boolean): number[] {
  const all = (from: number, to: number): number[] => {
    const r: number[] = [];
    for (let i = from; i < to; i++) r.push(i);
    return r;
  };
  if (!summarize || size <= 2 * edge) return all(0, size);
  if (isLastDim) {
    // NOTE: PyTorch slices `self[:edge]` and `self[-edge:]`; in Python `-0:` is the whole row.
    const head = all(0, Math.min(edge, size));
    const tail = edge === 0 ? all(0, size) : all(Math.max(size - edge, 0), size);
    return [...head, -1, ...tail];
  }
  return [...all(0, edge), -1, ...all(size - edge, size)];
}

interface Layout {
  values: ArrayLike<number>;
  shape: readonly number[];
  strides: number[];
  summarize: boolean;
  opts: PrintOptions;
}

/** The elements the formatter sees: all of them, or only those a summary shows. */
function summarizedValues(l: Layout): number[] {
  const out: number[] = [];
  const { shape, strides } = l;
  const visit = (offset: number, d: number): void => {
    if (d === shape.length) {
      out.push(l.values[offset]!);
      return;
    }
    for (const i of keptIndices(shape[d]!, l.summarize, l.opts.edgeitems, d === shape.length - 1)) {
      if (i >= 0) visit(offset + i * strides[d]!, d + 1);
    }
  };
  visit(0, 0);
  return out;
}

function vectorStr(l: Layout, offset: number, indent: number, f: Formatter): string {
  const d = l.shape.length - 1;
  const elementLength = f.width() + 2; // the element plus ", "
  const perLine = Math.max(1, Math.floor((l.opts.linewidth - indent) / elementLength));
  const data = keptIndices(l.shape[d]!, l.summarize, l.opts.edgeitems, true).map((i) =>
    i < 0 ? " ..." : f.format(l.values[offset + i * l.strides[d]!]!),
  );
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function tensorStr(l: Layout, offset: number, d: number, indent: number, f: Formatter): string {
  const dim = l.shape.length - d;
  if (dim === 0) return f.format(l.values[offset]!);
  if (dim === 1) return vectorStr(l, offset, indent, f);
  const slices = keptIndices(l.shape[d]!, l.summarize, l.opts.edgeitems, false).map((i) =>
    i < 0 ? "..." : tensorStr(l, offset + i * l.strides[d]!, d + 1, indent + 1, f),
  );
  return "[" + slices.join("," + "\n".repeat(dim - 1) + " ".repeat(indent + 1)) + "]";
}

function addSuffixes(tensorStr: string, suffixes: string[], indent: number, linewidth: number): string {
  const parts = [tensorStr];
  // NOTE: PyTorch's `len(s) - s.rfind("\n") + 1` counts two more than the last line's length.
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(", " + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}

function pyTupleStr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * `repr(t)` of a dense CPU tensor, as PyTorch 1.13 prints it with the current print options.
 *
 * @param values the elements in row-major order, already rounded to the dtype (`Math.fround`
 *   for float32; bool as 0/1; int64 as doubles).
 *
 * @example
 * ```ts
 * formatTensor([1, 1, 1, 1], [2, 2], "float32", { requiresGrad: true });
 * // "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"
 * ```
 */
export function formatTensor(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DTypeName,
  info: ReprInfo = {},
): string {
  const opts = getPrintOptions();
  const numel = shape.reduce((a, b) => a * b, 1);
  if (values.length !== numel) {
    throw new Error(`formatTensor: got ${values.length} values for shape [${shape.join(", ")}] (${numel} elements)`);
  }
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  const dtypeSuffix = "dtype=torch." + dtype;
  const defaultName = getDefaultDtype().name;
  let body: string;
  if (numel === 0) {
    // NOTE: an empty tensor shows its size unless it is 1-d, and any dtype but the default
    // (int64 and bool included: there are no elements to tell them apart).
    if (shape.length !== 1) suffixes.push("size=" + pyTupleStr(shape));
    if (dtype !== defaultName) suffixes.push(dtypeSuffix);
    body = "[]";
  } else {
    // NOTE: PyTorch's has_default_dtype: the default dtype (torch.get_default_dtype(), so float64
    // tensors print without it after set_default_dtype(torch.float64)), int64 and bool go unnamed.
    if (dtype !== defaultName && dtype !== "int64" && dtype !== "bool") suffixes.push(dtypeSuffix);
    const strides: number[] = new Array<number>(shape.length);
    let s = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d]!;
    }
    const layout: Layout = { values, shape, strides, summarize: numel > opts.threshold, opts };
    const formatter = new Formatter(summarizedValues(layout), dtype, opts);
    body = tensorStr(layout, 0, 0, indent, formatter);
  }
  if (info.gradFnName != null) suffixes.push(`grad_fn=<${info.gradFnName}>`);
  else if (info.requiresGrad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + body, suffixes, indent, opts.linewidth);
}
