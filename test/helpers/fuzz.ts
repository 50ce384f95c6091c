// Replays the differential fuzzer's programs (scripts/fuzz/gen_fuzz_fixtures.py, run in real PyTorch
// 1.13) through typetorch and says where they disagree: test/fuzz.test.ts and scripts/fuzz/replay.ts
// use it. Each step makes register r<i> from PyTorch's call of the same name (spelled for
// TypeScript) or fails; the outcome is compared with PyTorch's: the error's class and first line,
// else shape, dtype, requires_grad, grad_fn's name and the values (float32 within 1e-4 relative,
// float64 1e-6, integers and bools exactly). Then every register again (in-place ops reach views),
// then a backward of the recorded weighted sum and every leaf's gradient.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const F = torch.nn.functional;

export type Flat = (number | boolean | string | null)[];
export interface TensorSpec { shape: number[]; dtype: string; values: Flat; requires_grad?: boolean }
export type Arg = string | number | boolean | null | Arg[] | { t: TensorSpec };
export interface Outcome {
  shape?: number[];
  dtype?: string;
  requires_grad?: boolean;
  grad_fn?: string | null;
  values?: Flat;
  error?: { type: string; message: string };
}
export interface Step { op: string; args: Arg[]; no_grad?: boolean; result: Outcome }
export interface Program {
  id: number;
  steps: Step[];
  final?: Record<string, Outcome>;
  /** double: a double backward (first-order gradients with createGraph, weighted by these, summed, backward) */
  loss?: { terms: string[]; weights: Record<string, TensorSpec>; double?: Record<string, TensorSpec> };
  /** with loss.double: the leaves' first-order gradients (null: PyTorch's None) */
  first?: Record<string, Outcome | null>;
  grads?: Record<string, Flat | null>;
  backward_error?: { type: string; message: string };
}

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, bool: torch.bool };

export function num(v: number | boolean | string | null): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === "-0") return -0;
  return Number(v);
}

function make(s: TensorSpec): Tensor {
  const dt = DTYPES[s.dtype]!;
  // (clone: a fresh tensor, not a view of the flat one, as the generator makes it)
  const t = (s.dtype === "bool" ? torch.tensor(s.values.map(Boolean), { dtype: dt }) : torch.tensor(s.values.map(num), { dtype: dt })).reshape(s.shape).clone();
  return s.requires_grad ? t.requiresGrad_(true) : t;
}

/** Thrown where typetorch lacks the call a program makes (reported, never a pass). */
export class Missing extends Error {}

function arg(a: Arg, regs: Map<string, Tensor>): unknown {
  if (typeof a === "string") {
    if (a === "inf" || a === "-inf" || a === "nan") return num(a);
    const t = regs.get(a);
    if (!t) throw new Error(`no register ${a}`);
    return t;
  }
  if (Array.isArray(a)) return a.map((x) => arg(x, regs));
  if (a !== null && typeof a === "object") return make(a.t);
  return a;
}

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  neg: (x) => x.neg(), abs: (x) => x.abs(), exp: (x) => x.exp(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(),
  relu: (x) => x.relu(), sin: (x) => x.sin(), sqrt: (x) => x.sqrt(), log: (x) => x.log(), floor: (x) => x.floor(),
  round: (x) => x.round(), sign: (x) => x.sign(), reciprocal: (x) => x.reciprocal(), clone: (x) => x.clone(),
  contiguous: (x) => x.contiguous(), t: (x) => x.t(), detach: (x) => x.detach(), float: (x) => x.float(),
  double: (x) => x.double(), long: (x) => x.long(), square: (x) => x.square(),
};

type T = Tensor;
/** One step: PyTorch's call `op` on the decoded arguments. */
function call(op: string, a: unknown[]): Tensor {
  const x = a[0] as T;
  const u = UNARY[op];
  if (u) return u(x);
  const any = x as unknown as Record<string, (...args: unknown[]) => Tensor>;
  switch (op) {
    case "add": case "sub": case "mul": case "div": case "maximum": case "minimum": case "pow": case "eq": case "lt": case "gt":
      return any[op]!.call(x, a[1]);
    case "where": return torch.where(a[1] as T, x, a[2] as T);
    case "masked_fill": return x.maskedFill(a[1] as T, a[2] as number);
    case "sum": case "mean":
      return a[1] === null ? x[op]() : x[op](a[1] as number, a[2] as boolean);
    case "amax": case "amin":
      return x[op](a[1] === null ? [] : (a[1] as number), a[2] as boolean);
    case "var": case "std":
      return a[1] === null ? x[op]() : x[op](a[1] as number);
    case "prod": case "argmax":
      return a[1] === null ? x[op]() : x[op](a[1] as number);
    case "norm": return x.norm(a[1] as number, a[2] as number | null, a[3] as boolean);
    case "logsumexp": return x.logsumexp(a[1] as number, a[2] as boolean);
    case "cumsum": return x.cumsum(a[1] as number);
    case "softmax": return x.softmax(a[1] as number);
    case "log_softmax": return x.logSoftmax(a[1] as number);
    case "view": return x.view(a[1] as number[]);
    case "reshape": return x.reshape(a[1] as number[]);
    case "permute": return x.permute(a[1] as number[]);
    case "expand": return x.expand(a[1] as number[]);
    case "transpose": return x.transpose(a[1] as number, a[2] as number);
    case "narrow": return x.narrow(a[1] as number, a[2] as number, a[3] as number);
    case "select": return x.select(a[1] as number, a[2] as number);
    case "unsqueeze": return x.unsqueeze(a[1] as number);
    case "squeeze": return a.length > 1 ? x.squeeze(a[1] as number) : x.squeeze();
    case "flatten": return x.flatten();
    case "diagonal": return x.diagonal(...(a.slice(1) as number[]));
    case "slice": {
      const [dim, start, stop, step] = a.slice(1) as [number, number | null, number | null, number];
      return x.index(...new Array<string>(dim).fill(":"), torch.slice(start, stop, step));
    }
    case "add_": return x.add_(a[1] as T);
    case "sub_": return x.sub_(a[1] as T);
    case "mul_": return x.mul_(a[1] as number);
    case "fill_": return x.fill_(a[1] as number);
    case "copy_": return x.copy_(a[1] as T);
    case "clamp_": return x.clamp_(a[1] as number, a[2] as number | null);
    case "relu_": return x.relu_();
    case "exp_": return x.exp_();
    case "zero_": return x.zero_();
    case "neg_": return x.neg_();
    case "index_put_": return x.indexPut_(a[1] as (number | T | null)[], a[2] as number);
    case "mm": return x.mm(a[1] as T);
    case "matmul": return x.matmul(a[1] as T);
    case "gather": return x.gather(a[1] as number, a[2] as T);
    case "index_select": return x.indexSelect(a[1] as number, a[2] as T);
    case "mse_loss": return F.mseLoss(x, a[1] as T);
    case "cross_entropy": return F.crossEntropy(x, a[1] as T);
    case "sort": return x.sort(a[1] as number, a[2] as boolean).values;
    case "argsort": return x.argsort(a[1] as number, a[2] as boolean);
    case "topk": return x.topk(a[1] as number, a[2] as number, a[3] as boolean).values;
    case "kthvalue": return x.kthvalue(a[1] as number, a[2] as number).values;
    case "median": return a[1] === null ? x.median() : x.median(a[1] as number).values;
    case "cummax": return x.cummax(a[1] as number).values;
    case "logcumsumexp": return x.logcumsumexp(a[1] as number);
    case "flip": return x.flip(a[1] as number[]);
    case "roll": return a[2] === null ? x.roll(a[1] as number) : x.roll(a[1] as number, a[2] as number);
    case "tril": return x.tril(a[1] as number);
    case "triu": return x.triu(a[1] as number);
    case "repeat": return x.repeat(a[1] as number[]);
    case "repeat_interleave": return x.repeatInterleave(a[1] as number, a[2] as number | null);
    case "trace": return x.trace();
    case "diag": return x.diag(a[1] as number);
    case "nan_to_num": return x.nanToNum();
    case "cat": return torch.cat(a[0] as T[], a[1] as number);
    case "stack": return torch.stack(a[0] as T[], a[1] as number);
    default: throw new Missing(`typetorch has no call for ${op}`);
  }
}

/** PyTorch's class name of a typetorch error (TorchTypeError is Python's TypeError). */
function errorType(e: unknown): string {
  if (e instanceof torch.TorchTypeError) return "TypeError";
  return e instanceof Error ? e.constructor.name : typeof e;
}

function same(got: number, want: number, dtype: string): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  if (dtype !== "float32" && dtype !== "float64") return got === want;
  // NOTE: a float64 value may carry a float32 computation's error (a cast, a promotion): 1e-6 relative
  const rtol = dtype === "float32" ? 1e-4 : 1e-6, atol = dtype === "float32" ? 1e-5 : 1e-9;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

function valuesDiffer(t: Tensor, want: Flat, dtype: string): string | null {
  const got = Array.from(t.detach().reshape([-1]).tolist() as (number | boolean)[], (v) => Number(v));
  if (got.length !== want.length) return `${got.length} values, PyTorch ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const w = typeof want[i] === "boolean" ? Number(want[i]) : num(want[i]!);
    if (!same(got[i]!, w, dtype)) return `value ${i}: ${got[i]}, PyTorch ${w}`;
  }
  return null;
}

/** The first way t differs from PyTorch's outcome, or null. */
function differs(t: Tensor, o: Outcome, what: string): string | null {
  if (o.error) return `${what}: typetorch gives a tensor, PyTorch ${o.error.type}: ${o.error.message}`;
  if (JSON.stringify([...t.shape]) !== JSON.stringify(o.shape)) return `${what}: shape [${t.shape.join(", ")}], PyTorch [${o.shape!.join(", ")}]`;
  if (t.dtype.name !== o.dtype) return `${what}: dtype ${t.dtype.name}, PyTorch ${o.dtype}`;
  if (t.requiresGrad !== o.requires_grad) return `${what}: requires_grad ${t.requiresGrad}, PyTorch ${o.requires_grad}`;
  const gf = t.gradFn ? t.gradFn.name() : null;
  if (gf !== o.grad_fn) return `${what}: grad_fn ${gf}, PyTorch ${o.grad_fn}`;
  const v = valuesDiffer(t, o.values!, o.dtype!);
  return v && `${what}: ${v}`;
}

function errorDiffers(e: unknown, o: Outcome | undefined, what: string): string | null {
  if (e instanceof Missing) return `${what}: ${e.message}`;
  const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  if (!o?.error) return `${what}: typetorch raises ${errorType(e)}: ${msg}; PyTorch does not`;
  if (errorType(e) !== o.error.type || msg !== o.error.message) return `${what}: typetorch ${errorType(e)}: ${msg}; PyTorch ${o.error.type}: ${o.error.message}`;
  return null;
}

/** Replays one program; returns the first disagreement with PyTorch (null: they agree). */
export function replay(p: Program, upTo = p.steps.length): string | null {
  const regs = new Map<string, Tensor>();
  const leaves: string[] = [];
  for (let i = 0; i < Math.min(upTo, p.steps.length); i++) {
    const s = p.steps[i]!;
    const name = `r${regs.size}`, what = `step ${i} (${s.op})`;
    let y: Tensor;
    try {
      if (s.op === "leaf") {
        const spec = (s.args[0] as { t: TensorSpec }).t;
        y = make(spec);
        if (spec.requires_grad) leaves.push(name);
      } else {
        const a = arg(s.args, regs) as unknown[];
        y = s.no_grad ? torch.noGrad(() => call(s.op, a)) : call(s.op, a);
      }
    } catch (e) {
      return errorDiffers(e, s.result, what);
    }
    const d = differs(y, s.result, what);
    if (d) return d;
    if (s.result.error) return null;
    regs.set(name, y);
  }
  if (upTo < p.steps.length || !p.final) return null;
  for (const [k, o] of Object.entries(p.final)) {
    const d = differs(regs.get(k)!, o, `${k} at the end`);
    if (d) return d;
  }
  if (!p.loss) return null;
  try {
    let total: Tensor | null = null;
    for (const k of p.loss.terms) {
      const term = regs.get(k)!.mul(make(p.loss.weights[k]!)).sum();
      total = total ? total.add(term) : term;
    }
    const double = p.loss.double;
    if (!double) total!.backward();
    else {
      const gs = torch.autograd.grad(total!, leaves.map((k) => regs.get(k)!), { createGraph: true, allowUnused: true });
      // (no first-order gradients recorded: PyTorch's autograd.grad failed)
      if (!p.first) return `backward: typetorch succeeds, PyTorch ${p.backward_error?.type}: ${p.backward_error?.message}`;
      for (let i = 0; i < leaves.length; i++) {
        const k = leaves[i]!, want = p.first?.[k] ?? null, g = gs[i] ?? null;
        if (want === null || g === null) {
          if ((want === null) !== (g === null)) return `first-order ${k}.grad: ${g ? "a tensor" : "None"}, PyTorch ${want ? "a tensor" : "None"}`;
          continue;
        }
        const d = differs(g, want, `first-order ${k}.grad`);
        if (d) return d;
      }
      let second: Tensor | null = null;
      gs.forEach((g, i) => {
        if (!g || !g.requiresGrad) return;
        const term = g.mul(make(double[leaves[i]!]!)).sum();
        second = second ? second.add(term) : term;
      });
      if (second) (second as Tensor).backward();
    }
  } catch (e) {
    return errorDiffers(e, p.backward_error ? { error: p.backward_error } : undefined, "backward");
  }
  if (p.backward_error) return `backward: typetorch succeeds, PyTorch ${p.backward_error.type}: ${p.backward_error.message}`;
  for (const k of leaves) {
    const want = p.grads?.[k] ?? null, g = regs.get(k)!.grad;
    if (want === null) {
      if (g) return `${k}.grad: typetorch has one, PyTorch None`;
      continue;
    }
    if (!g) return `${k}.grad: None, PyTorch has one`;
    const v = valuesDiffer(g, want, g.dtype.name);
    if (v) return `${k}.grad: ${v}`;
  }
  return null;
}

/** replay, with a replay that throws (a bug of typetorch's, not PyTorch's) reported as a disagreement. */
export function disagreement(p: Program): string | null {
  try {
    return replay(p);
  } catch (e) {
    return `the replay threw: ${(e as Error).message}`;
  }
}

/** The program cut to its first `n` steps (no end checks): for shrinking a disagreement. */
export function prefix(p: Program, n: number): Program {
  return { id: p.id, steps: p.steps.slice(0, n) };
}
