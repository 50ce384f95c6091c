// Helpers shared by the optimizers (internal).
import { Tensor } from "../tensor/tensor.js";
import { isLasting, tensor, zerosLike, zerosLikeLasting } from "../ops/creation.js";
import { float32 } from "../tensor/dtype.js";
import { IndexError, TorchTypeError, ValueError, pythonTypeName } from "../errors.js";

/** A 0-d float32 tensor, as PyTorch's `torch.tensor(x)` for the `step`/`eta`/`mu` state entries. */
export function scalarTensor(x: number): Tensor {
  return tensor(x, { dtype: float32 });
}
export function zerosOf(p: Tensor): Tensor {
  // state lives where its parameter lives (see ops/creation.ts's emptyLasting)
  return isLasting(p) ? zerosLikeLasting(p) : zerosLike(p);
}
/** Throws PyTorch's ValueError with msg unless ok (the constructors' option checks). */
export function check(ok: boolean, msg: string): void {
  if (!ok) throw new ValueError(msg);
}
/**
 * A number in PyTorch's messages. NOTE: Python prints what the user passed (`-1` or `-1.0`);
 * JavaScript has one number type, so integers print as `-1` (what `lr=-1` gives in PyTorch).
 */
export function fmt(x: number): string {
  return Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x);
}
/** Python's str() of a float (1 -> "1.0"), for options that are always floats in PyTorch (betas). */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** camelCase option name -> PyTorch's snake_case key (`weightDecay` -> `weight_decay`). */
export function toSnake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}
/**
 * PyTorch's constructor checks with its exact messages, in the order of the keys given: `lr`
 * ("Invalid learning rate"), `eps` ("Invalid epsilon value"), `rho` (in [0, 1]), `betas` (each
 * in [0, 1)); any other option must be >= 0 ("Invalid weight_decay value: -1"). A `required`
 * marker (a symbol: SGD's lr) is skipped; Optimizer's group check reports it.
 * @example
 * validate({ lr: 0.1, eps: 1e-8 }); // fine
 * try { validate({ lr: -1, eps: 1e-8 }); } catch (e) { (e as Error).message; } // ValueError("Invalid learning rate: -1")
 */
export function validate(values: Record<string, any>, compare: "<=" | "<" = "<="): void {
  // NOTE: PyTorch compares each option with 0.0 in Python, so a string (`lr: "0.1"`) or None is a
  // TypeError there: `not 0.0 <= lr` for most optimizers, `lr < 0.0` for SGD (its other words)
  const number = (v: unknown): void => {
    if (typeof v === "number" || typeof v === "boolean") return;
    const t = pythonTypeName(v);
    throw new TorchTypeError(compare === "<=" ? `'<=' not supported between instances of 'float' and '${t}'` : `'<' not supported between instances of '${t}' and 'float'`);
  };
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === "symbol") continue;
    if (name === "betas") {
      if (!Array.isArray(v)) throw new TorchTypeError(`'${pythonTypeName(v)}' object is not subscriptable`);
      if (v.length < 2) throw new IndexError("tuple index out of range");
      v.forEach(number);
    } else number(v);
    // (SGD's `lr < 0.0` lets NaN through; `not 0.0 <= x` does not)
    const neg = (x: number) => (compare === "<" ? x < 0 : !(x >= 0));
    if (name === "lr") check(!neg(v), `Invalid learning rate: ${fmt(v)}`);
    else if (name === "eps") check(!neg(v), `Invalid epsilon value: ${fmt(v)}`);
    else if (name === "rho") check(v >= 0 && v <= 1, `Invalid rho value: ${fmt(v)}`);
    else if (name === "betas")
      for (const i of [0, 1]) check(v[i] >= 0 && v[i] < 1, `Invalid beta parameter at index ${i}: ${pyFloat(v[i])}`);
    else check(!neg(v), `Invalid ${toSnake(name)} value: ${fmt(v)}`);
  }
}

// ---------------------------------------------------------------- Python's float ** float
// NOTE: PyTorch's optimizers compute their scalars in Python (`1 - beta2 ** step`,
// `0.96 ** (step * momentum_decay)`), and CPython's ** is C's pow, correctly rounded in glibc.
// V8's Math.pow / ** is not (0.9 ** 4, 0.99 ** 6 and 0.8 ** 13 are one ulp off), which changes a
// float64 trajectory's bits. pyPow evaluates exp(y * log(x)) in double-double arithmetic
// (~100 bits) and rounds once.

type DD = [number, number];
const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b, bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return fastTwoSum(s, e + a[1] + b[1]);
}
function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return fastTwoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function ddDiv(a: DD, d: number): DD {
  const q = a[0] / d;
  const [p, e] = twoProd(q, d);
  return fastTwoSum(q, (a[0] - p - e + a[1]) / d);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
/** 1/n! for n = 0..12, as double-doubles. */
const INV_FACT: DD[] = [[1, 0]];
for (let n = 1; n <= 12; n++) INV_FACT.push(ddDiv(INV_FACT[n - 1]!, n));

function ddExp(x: DD): DD {
  const k = Math.round(x[0] / LN2[0]);
  let r = ddAdd(x, ddMul([-k, 0], LN2));
  r = [r[0] / 1024, r[1] / 1024];
  // Taylor series at |r| < 4e-4 (12 terms: far below 2^-106), then squared 10 times
  let s: DD = INV_FACT[12]!;
  for (let n = 11; n >= 0; n--) s = ddAdd(ddMul(s, r), INV_FACT[n]!);
  for (let i = 0; i < 10; i++) s = ddMul(s, s);
  const scale = 2 ** k;
  return [s[0] * scale, s[1] * scale];
}
function ddLog(x: number): DD {
  const l0 = Math.log(x);
  const e = ddExp([l0, 0]);
  // one Newton step: log(x) = l0 + log(x / e) ~ l0 + (x - e) / e
  const d = ddAdd([x, 0], [-e[0], -e[1]]);
  return twoSum(l0, d[0] / e[0]);
}

/**
 * Python's `x ** y` for floats (C's correctly rounded pow) where x > 0 and the result is a normal
 * double; elsewhere Math.pow.
 * @example
 * pyPow(0.9, 4);  // 0.6561, as Python prints (0.9 ** 4 in JavaScript is 0.6561000000000001)
 */
export function pyPow(x: number, y: number): number {
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(y) || y === 0 || x === 1) return Math.pow(x, y);
  if (y === 1) return x;
  const t = ddMul(ddLog(x), [y, 0]);
  if (Math.abs(t[0]) > 700) return Math.pow(x, y);
  const r = ddExp(t);
  return r[0] + r[1];
}
