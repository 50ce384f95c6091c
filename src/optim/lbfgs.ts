import { Tensor } from "../tensor/tensor.js";
import { noGrad, enableGrad } from "../autograd/grad_mode.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { ValueError, RuntimeError } from "../errors.js";
import { cat } from "../ops/views.js";
import { zeros } from "../ops/creation.js";
import { float32 } from "../tensor/dtype.js";

export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: "strong_wolfe" | null;
}

// NOTE: PyTorch's L-BFGS mixes Python floats with 0-d tensors of the parameters' dtype (ys, ro,
// H_diag, al, gtd, and t once it comes out of a tensor expression), and which one a value is
// decides how it rounds: with float32 parameters, `c1 * t * gtd` is computed in float32 when t is
// a tensor and partly in double when it is not. `Sc` marks a 0-d tensor's value and `Arith` does
// PyTorch's arithmetic on the mix (a Python scalar meeting a tensor is cast to the tensor's dtype
// first; `scalar / tensor` is `tensor.reciprocal() * scalar`; Python's min/max return one of their
// arguments unchanged), so float32 runs take the same branches as PyTorch's.

/** The value of a 0-d tensor (already rounded to its dtype). */
export class Sc {
  constructor(readonly v: number) {}
}
/** A Python float or a 0-d tensor. */
export type Num = number | Sc;
const val = (x: Num): number => (x instanceof Sc ? x.v : x);

/** PyTorch's scalar arithmetic for 0-d tensors of one floating dtype (round = Math.fround for float32). */
export class Arith {
  constructor(readonly round: (x: number) => number) {}
  /** a 0-d tensor holding x */
  sc(x: number): Sc { return new Sc(this.round(x)); }
  private bin(a: Num, b: Num, op: (x: number, y: number) => number): Num {
    if (!(a instanceof Sc) && !(b instanceof Sc)) return op(a, b);
    return this.sc(op(this.round(val(a)), this.round(val(b))));
  }
  add(a: Num, b: Num): Num { return this.bin(a, b, (x, y) => x + y); }
  sub(a: Num, b: Num): Num { return this.bin(a, b, (x, y) => x - y); }
  mul(a: Num, b: Num): Num { return this.bin(a, b, (x, y) => x * y); }
  div(a: Num, b: Num): Num {
    if (b instanceof Sc && !(a instanceof Sc)) return this.sc(this.round(1 / b.v) * this.round(a)); // __rtruediv__
    return this.bin(a, b, (x, y) => x / y);
  }
  abs(a: Num): Num { return a instanceof Sc ? new Sc(Math.abs(a.v)) : Math.abs(a); }
  neg(a: Num): Num { return a instanceof Sc ? new Sc(-a.v) : -a; }
  sqrt(a: Num): Num { return a instanceof Sc ? this.sc(Math.sqrt(a.v)) : Math.sqrt(a); }
  private cmp(a: Num, b: Num): [number, number] {
    return a instanceof Sc || b instanceof Sc ? [this.round(val(a)), this.round(val(b))] : [a as number, b as number];
  }
  lt(a: Num, b: Num): boolean { const [x, y] = this.cmp(a, b); return x < y; }
  le(a: Num, b: Num): boolean { const [x, y] = this.cmp(a, b); return x <= y; }
  gt(a: Num, b: Num): boolean { const [x, y] = this.cmp(a, b); return x > y; }
  ge(a: Num, b: Num): boolean { const [x, y] = this.cmp(a, b); return x >= y; }
  /** Python's min(a, b, ...): the first of the smallest, unchanged. */
  min(...xs: Num[]): Num { let m = xs[0]!; for (const x of xs.slice(1)) if (this.lt(x, m)) m = x; return m; }
  max(...xs: Num[]): Num { let m = xs[0]!; for (const x of xs.slice(1)) if (this.gt(x, m)) m = x; return m; }
}

const F64 = new Arith((x) => x);
const F32 = new Arith(Math.fround);

/** Minimizer of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped to bounds. */
export function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num], A: Arith = F64): Num {
  const [lo, hi] = bounds ?? (A.le(x1, x2) ? [x1, x2] : [x2, x1]);
  // NOTE: the formula of Nocedal & Wright (2006), eq. 3.59, as minFunc and PyTorch use it
  const d1 = A.sub(A.add(g1, g2), A.div(A.mul(3, A.sub(f1, f2)), A.sub(x1, x2)));
  const d2Square = A.sub(A.mul(d1, d1), A.mul(g1, g2));
  if (A.ge(d2Square, 0)) {
    const d2 = A.sqrt(d2Square);
    const minPos = A.le(x1, x2)
      ? A.sub(x2, A.mul(A.sub(x2, x1), A.div(A.sub(A.add(g2, d2), d1), A.add(A.sub(g2, g1), A.mul(2, d2)))))
      : A.sub(x1, A.mul(A.sub(x1, x2), A.div(A.sub(A.add(g1, d2), d1), A.add(A.sub(g1, g2), A.mul(2, d2)))));
    return A.min(A.max(minPos, lo), hi);
  }
  return A.div(A.add(lo, hi), 2);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/**
 * Line search for a step satisfying the strong Wolfe conditions (PyTorch's `_strong_wolfe`):
 * bracket a step t along d (growing it by cubic extrapolation), then zoom into the bracket by
 * cubic interpolation until f(x + t d) <= f + c1 t gtd and |g(x + t d) . d| <= -c2 gtd.
 * Returns [fNew, gNew, t, funcEvals].
 */
export function strongWolfe(objFunc: ObjFunc, x: Tensor[], t: Num, d: Tensor, f: number, g: Tensor, gtd: Num, c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25, A: Arith = F64): [number, Tensor, Num, number] {
  const dNorm = new Sc(d.abs().max().item() as number);
  g = g.clone();
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: Num = new Sc(gNew.dot(d).item());
  let tPrev: Num = 0, fPrev = f, gPrev = g, gtdPrev: Num = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [], bracketF: number[] = [], bracketG: Tensor[] = [], bracketGtd: Num[] = [];
  const armijo = (tt: Num) => A.add(f, A.mul(A.mul(c1, tt), gtd)); // f + c1 * t * gtd
  while (lsIter < maxLs) {
    if (A.gt(fNew, armijo(t)) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (A.le(A.abs(gtdNew), A.mul(-c2, gtd))) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew]; done = true;
      break;
    }
    if (A.ge(gtdNew, 0)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = A.add(t, A.mul(0.01, A.sub(t, tPrev)));
    const maxStep = A.mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep], A);
    tPrev = tmp; fPrev = fNew; gPrev = gNew.clone(); gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = new Sc(gNew.dot(d).item());
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
  }
  // zoom
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (A.lt(A.mul(A.abs(A.sub(bracket[1]!, bracket[0]!)), dNorm), toleranceChange)) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!, undefined, A);
    const eps = A.mul(0.1, A.sub(A.max(...bracket), A.min(...bracket)));
    if (A.lt(A.min(A.sub(A.max(...bracket), t), A.sub(t, A.min(...bracket))), eps)) {
      if (insufProgress || A.ge(t, A.max(...bracket)) || A.le(t, A.min(...bracket))) {
        t = A.lt(A.abs(A.sub(t, A.max(...bracket))), A.abs(A.sub(t, A.min(...bracket)))) ? A.sub(A.max(...bracket), eps) : A.add(A.min(...bracket), eps);
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = new Sc(gNew.dot(d).item());
    lsIter += 1;
    if (A.gt(fNew, armijo(t)) || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew.clone(); bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (A.le(A.abs(gtdNew), A.mul(-c2, gtd))) done = true;
      else if (A.ge(A.mul(gtdNew, A.sub(bracket[highPos]!, bracket[lowPos]!)), 0)) {
        bracket[highPos] = bracket[lowPos]!; bracketF[highPos] = bracketF[lowPos]!; bracketG[highPos] = bracketG[lowPos]!; bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew.clone(); bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}

const lossOf = (x: Tensor | number): number => (typeof x === "number" ? x : (x.item() as number));

/**
 * L-BFGS (torch.optim.LBFGS), after minFunc. One `step(closure)` runs up to maxIter iterations:
 * ```
 * g = grad f(x); if max|g| <= tolGrad: return
 * repeat:
 *   first iteration: d = -g, H = 1
 *   else: y = g - gPrev; s = d * t; if y.s > 1e-10: push (y, s, 1/y.s) (keep historySize), H = y.s / y.y
 *         d = two-loop recursion(-g) with initial Hessian H
 *   t = (first ever iteration ? min(1, 1 / sum|g|) : 1) * lr
 *   if g.d > -tolChange: stop
 *   strong Wolfe line search along d (or a fixed step t), x += t d
 *   stop on maxIter, maxEval, max|g| <= tolGrad, max|t d| <= tolChange, |f - fPrev| < tolChange
 * ```
 * The state (`d`, `t`, `old_dirs`, `old_stps`, `ro`, `H_diag`, `al`, ...) keeps PyTorch's keys;
 * its scalars are JavaScript numbers.
 * @example
 * const x = torch.tensor([1.5, -0.5], { requiresGrad: true });
 * const f = (x: Tensor) => x.pow(2).sum();
 * const opt = new optim.LBFGS([x], { lineSearchFn: "strong_wolfe" });
 * opt.step(() => { opt.zeroGrad(); const l = f(x); l.backward(); return l; });
 */
export class LBFGS extends Optimizer {
  private readonly _params: Tensor[];
  constructor(params: Params, opts: LBFGSOptions = {}) {
    const { lr = 1, maxIter = 20, toleranceGrad = 1e-7, toleranceChange = 1e-9, historySize = 100, lineSearchFn = null } = opts;
    const maxEval = opts.maxEval ?? Math.floor((maxIter * 5) / 4);
    super(params, { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn });
    if (this.paramGroups.length !== 1) throw new ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.paramGroups[0]!.params;
  }

  private gatherFlatGrad(): Tensor {
    return cat(this._params.map((p) => (p.grad === null ? zeros(p.numel(), { dtype: p.dtype }) : p.grad.reshape(-1))), 0);
  }
  private addGrad(stepSize: Num, update: Tensor): void {
    let offset = 0;
    for (const p of this._params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).reshape(p.shape), { alpha: val(stepSize) });
      offset += n;
    }
  }
  private directionalEvaluate(closure: () => Tensor | number, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = lossOf(enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this._params.forEach((p, i) => p.copy_(x[i]!));
    return [loss, flatGrad];
  }

  step(closure?: () => Tensor | number): Tensor | number | null {
    if (!closure) throw new RuntimeError("LBFGS requires a closure that reevaluates the model and returns the loss");
    return noGrad(() => this._step(closure));
  }

  private _step(closure: () => Tensor | number): Tensor | number {
    const group = this.paramGroups[0]!;
    const lr: number = group.lr, maxIter: number = group["maxIter"], maxEval: number = group["maxEval"];
    const tolGrad: number = group["toleranceGrad"], tolChange: number = group["toleranceChange"];
    const lineSearchFn: string | null = group["lineSearchFn"], historySize: number = group["historySize"];
    const A = this._params[0]!.dtype === float32 ? F32 : F64;
    const sc = (t: Tensor) => new Sc(t.item() as number);
    const state: ParamState = this.stateOf(this._params[0]!);
    state["func_evals"] ??= 0;
    state["n_iter"] ??= 0;

    const origLoss = enableGrad(closure);
    let loss = lossOf(origLoss);
    let currentEvals = 1;
    state["func_evals"] += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = A.le(sc(flatGrad.abs().max() as Tensor), tolGrad);
    if (optCond) return origLoss;

    // NOTE: scalars are stored as plain numbers between steps; their values are already rounded to
    // the dtype, and a 0-d tensor (from a state dict PyTorch wrote) is read as one.
    const load = (v: any): any => (v instanceof Tensor && v.dim() === 0 ? sc(v) : v);
    let d: Tensor = state["d"], t: Num = load(state["t"]);
    let oldDirs: Tensor[] = state["old_dirs"], oldStps: Tensor[] = state["old_stps"];
    let ro: Num[] = state["ro"] ? (state["ro"] as any[]).map(load) : state["ro"];
    let hDiag: Num = load(state["H_diag"]);
    let prevFlatGrad: Tensor | undefined = state["prev_flat_grad"] ?? undefined;
    let prevLoss: number = state["prev_loss"];

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state["n_iter"] += 1;
      if (state["n_iter"] === 1) {
        d = flatGrad.neg();
        oldDirs = []; oldStps = []; ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d.mul(val(t));
        const ys = sc(y.dot(s));
        if (A.gt(ys, 1e-10)) {
          if (oldDirs.length === historySize) { oldDirs.shift(); oldStps.shift(); ro.shift(); }
          oldDirs.push(y); oldStps.push(s); ro.push(A.div(1, ys));
          hDiag = A.div(ys, sc(y.dot(y)));
        }
        const numOld = oldDirs.length;
        if (!("al" in state)) state["al"] = new Array(historySize).fill(null);
        const al: (Num | null)[] = state["al"];
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = A.mul(sc(oldStps[i]!.dot(q)), ro[i]!);
          q.add_(oldDirs[i]!, { alpha: -val(al[i]!) });
        }
        const r = q.mul(val(hDiag));
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = A.mul(sc(oldDirs[i]!.dot(r)), ro[i]!);
          r.add_(oldStps[i]!, { alpha: val(A.sub(al[i]!, beI)) });
        }
      }
      if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;
      t = state["n_iter"] === 1 ? A.mul(A.min(1, A.div(1, sc(flatGrad.abs().sum()))), lr) : lr;
      const gtd = sc(flatGrad.dot(d));
      if (A.gt(gtd, -tolChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null && lineSearchFn !== undefined) {
        if (lineSearchFn !== "strong_wolfe") throw new RuntimeError("only 'strong_wolfe' is supported");
        const xInit = this._params.map((p) => p.clone());
        const obj: ObjFunc = (x, tt, dd) => this.directionalEvaluate(closure, x, tt, dd);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(obj, xInit, t, d, loss, flatGrad, gtd, 1e-4, 0.9, 1e-9, 25, A);
        this.addGrad(t, d);
        optCond = A.le(sc(flatGrad.abs().max() as Tensor), tolGrad);
      } else {
        this.addGrad(t, d);
        if (nIter !== maxIter) {
          loss = lossOf(enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = A.le(sc(flatGrad.abs().max() as Tensor), tolGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state["func_evals"] += lsFuncEvals;
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (A.le(sc(d.mul(val(t)).abs().max() as Tensor), tolChange)) break;
      if (Math.abs(loss - prevLoss) < tolChange) break;
    }
    const plain = (v: Num | null | undefined) => (v instanceof Sc ? v.v : v);
    state["d"] = d; state["t"] = plain(t);
    state["old_dirs"] = oldDirs; state["old_stps"] = oldStps; state["ro"] = ro.map(plain);
    state["H_diag"] = plain(hDiag); state["prev_flat_grad"] = prevFlatGrad; state["prev_loss"] = prevLoss;
    if (Array.isArray(state["al"])) state["al"] = (state["al"] as (Num | null)[]).map(plain);
    return origLoss;
  }
}
