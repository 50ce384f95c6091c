// torch.optim.lr_scheduler: learning-rate schedules, with PyTorch 1.13's exact values, including
// its chainable form (each step multiplies the current lr) and the closed form used by step(epoch).

import { Optimizer, ParamGroup, toSnake } from "../optimizer.js";
import { ValueError, KeyError, TorchTypeError, pythonTypeName } from "../../errors.js";

export type SchedulerStateDict = Record<string, any>;

/** Python's bisect.bisect_right over a sorted array. */
function bisectRight(a: readonly number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python's `a % b` (the result takes the sign of b). */
function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Field name -> the attribute name PyTorch uses in state_dict(), where toSnake is not enough. */
const PY_KEYS: Record<string, string> = {
  stepCount: "_step_count",
  lastLr: "_last_lr",
  getLrCalledWithinStep: "_get_lr_called_within_step",
  tMax: "T_max",
  t0Restart: "T_0",
  tI: "T_i",
  tMult: "T_mult",
  tCur: "T_cur",
  schedulePhases: "_schedule_phases",
  milestonesSeq: "_milestones",
  scaleFnCustom: "_scale_fn_custom",
};
const pyKey = (k: string): string => PY_KEYS[k] ?? toSnake(k);
const fieldOf = (py: string): string => Object.entries(PY_KEYS).find(([, v]) => v === py)?.[0] ?? py.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Fields that are not state (the optimizer, functions, child schedulers). */
const NOT_STATE = new Set(["optimizer", "lrLambdas", "schedulers", "annealStrategy"]);

/**
 * Base class of the epoch-indexed schedulers (PyTorch's `_LRScheduler`). Subclasses set their
 * fields, then call `this.initialize(lastEpoch)` (PyTorch sets them before `super().__init__`,
 * which TypeScript forbids), which records `initialLr` in each group and takes the first step.
 *
 * NOTE: PyTorch also wraps optimizer.step to warn when the scheduler steps first; that warning
 * (and the deprecation warning of step(epoch)) are not reproduced.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  baseLrs!: number[];
  lastEpoch!: number;
  verbose!: boolean;
  stepCount!: number;
  getLrCalledWithinStep!: boolean;
  lastLr!: number[];

  constructor(optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) throw new TorchTypeError(`${(optimizer as object)?.constructor?.name} is not an Optimizer`);
    this.optimizer = optimizer;
  }

  protected initialize(lastEpoch: number, verbose: boolean): void {
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g["initialLr"] === undefined) g["initialLr"] = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g["initialLr"] === undefined) throw new KeyError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.baseLrs = groups.map((g) => g["initialLr"] as number);
    this.lastEpoch = lastEpoch;
    this.verbose = verbose;
    this.initialStep();
  }

  /** @internal resets the step count and takes the first step (PyTorch's `_initial_step`). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The learning rates of the groups for `lastEpoch` (chainable form). */
  abstract getLr(): number[];
  /** The closed form, used by step(epoch); schedulers without one use getLr. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one epoch (or jumps to `epoch`, deprecated in PyTorch) and sets the groups' lr. */
  step(epoch?: number): void {
    this.stepCount += 1;
    this.getLrCalledWithinStep = true;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr() ?? this.getLr();
      }
    } finally {
      this.getLrCalledWithinStep = false;
    }
    this.setLrs(values, epoch);
  }

  protected setLrs(values: number[], epoch?: number): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
      if (this.verbose) printLr(i, g.lr, epoch);
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The last learning rates this scheduler computed. */
  getLastLr(): number[] {
    return this.lastLr;
  }

  /** Every field but the optimizer, under PyTorch's attribute names. */
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      if (NOT_STATE.has(k) || v === undefined || typeof v === "function") continue;
      sd[pyKey(k)] = structuredClone(v);
    }
    return sd;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(stateDict)) {
      if (k === "lr_lambdas" || k === "_schedulers" || k === "anneal_func") continue;
      (this as any)[fieldOf(k)] = structuredClone(v);
    }
  }

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }
}

function printLr(group: number, lr: number, epoch?: number): void {
  const e = lr.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
  if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${e}.`);
  else console.log(`Epoch ${String(epoch).padStart(5, "0")}: adjusting learning rate of group ${group} to ${e}.`);
}

type LrLambda = (epoch: number) => number;

function lambdas(optimizer: Optimizer, fn: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(fn)) return new Array(n).fill(fn);
  if (fn.length !== n) throw new ValueError(`Expected ${n} lr_lambdas, but got ${fn.length}`);
  return [...fn];
}

/**
 * lr = initialLr * lrLambda(epoch) (torch.optim.lr_scheduler.LambdaLR).
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const s = new optim.lr_scheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[], opts: { lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.lrLambdas = lambdas(optimizer, lrLambda);
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    return this.lrLambdas.map((f, i) => this.baseLrs[i]! * f(this.lastEpoch));
  }
  /** NOTE: PyTorch saves the __dict__ of callable objects; plain functions save as None (null). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }
}

/** lr = lr * lrLambda(epoch) from epoch 1 on (torch.optim.lr_scheduler.MultiplicativeLR). */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[], opts: { lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.lrLambdas = lambdas(optimizer, lrLambda);
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch > 0) return this.groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return this.groups.map((g) => g.lr);
  }
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }
}

/**
 * Multiplies lr by gamma every stepSize epochs (torch.optim.lr_scheduler.StepLR).
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const s = new optim.lr_scheduler.StepLR(opt, 30, { gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;
  constructor(optimizer: Optimizer, stepSize: number, opts: { gamma?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    // (PyTorch fails at the first step() that computes last_epoch % step_size; the same words here, up front)
    if (typeof stepSize !== "number") throw new TorchTypeError(`unsupported operand type(s) for %: 'int' and '${pythonTypeName(stepSize)}'`);
    this.stepSize = stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/**
 * Multiplies lr by gamma at each milestone (torch.optim.lr_scheduler.MultiStepLR); a milestone
 * given twice multiplies by gamma^2 (PyTorch keeps a Counter).
 */
export class MultiStepLR extends LRScheduler {
  /** milestone -> how many times it was given (PyTorch's Counter). */
  milestones: Record<number, number>;
  gamma: number;
  constructor(optimizer: Optimizer, milestones: number[], opts: { gamma?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.milestones = {};
    for (const m of milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = opts.gamma ?? 0.1;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    const n = this.milestones[this.lastEpoch];
    if (n === undefined) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** n);
  }
  protected override closedFormLr(): number[] {
    const ms: number[] = [];
    for (const [m, n] of Object.entries(this.milestones)) for (let i = 0; i < n; i++) ms.push(Number(m));
    ms.sort((a, b) => a - b);
    return this.baseLrs.map((b) => b * this.gamma ** bisectRight(ms, this.lastEpoch));
  }
}

/** lr * factor until epoch totalIters, then lr (torch.optim.lr_scheduler.ConstantLR). */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;
  constructor(optimizer: Optimizer, opts: { factor?: number; totalIters?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    const factor = opts.factor ?? 1 / 3;
    if (factor > 1.0 || factor < 0) throw new ValueError("Constant multiplicative factor expected to be between 0 and 1.");
    this.factor = factor;
    this.totalIters = opts.totalIters ?? 5;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch > this.totalIters || this.lastEpoch !== this.totalIters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1.0 / this.factor));
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/**
 * Scales lr linearly from startFactor to endFactor over totalIters epochs
 * (torch.optim.lr_scheduler.LinearLR).
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  constructor(optimizer: Optimizer, opts: { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    const startFactor = opts.startFactor ?? 1 / 3, endFactor = opts.endFactor ?? 1.0;
    if (startFactor > 1.0 || startFactor < 0) throw new ValueError("Starting multiplicative factor expected to be between 0 and 1.");
    if (endFactor > 1.0 || endFactor < 0) throw new ValueError("Ending multiplicative factor expected to be between 0 and 1.");
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = opts.totalIters ?? 5;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    return this.groups.map((g) => g.lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
}

/** lr * gamma every epoch (torch.optim.lr_scheduler.ExponentialLR). */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: Optimizer, gamma: number, opts: { lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.gamma = gamma;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** Polynomial decay to 0 over totalIters epochs (torch.optim.lr_scheduler.PolynomialLR). */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;
  constructor(optimizer: Optimizer, opts: { totalIters?: number; power?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.totalIters = opts.totalIters ?? 5;
    this.power = opts.power ?? 1.0;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.groups.map((g) => g.lr);
    const f = ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.groups.map((g) => g.lr * f);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

/**
 * Cosine annealing from the initial lr to etaMin over tMax epochs
 * (torch.optim.lr_scheduler.CosineAnnealingLR). NOTE: PyTorch's chainable form, kept as is:
 * past tMax the lr climbs back up (a period of 2 tMax), and rounding accumulates step by step,
 * so values differ from the closed form in the last bits exactly as PyTorch's do.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;
  constructor(optimizer: Optimizer, tMax: number, opts: { etaMin?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    this.tMax = tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialize(opts.lastEpoch ?? -1, opts.verbose ?? false);
  }
  getLr(): number[] {
    const e = this.lastEpoch, T = this.tMax, m = this.etaMin;
    if (e === 0) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if (pyMod(e - 1 - T, 2 * T) === 0) return this.groups.map((g, i) => g.lr + ((this.baseLrs[i]! - m) * (1 - Math.cos(Math.PI / T))) / 2);
    return this.groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - m) + m);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}

/**
 * Cosine annealing with warm restarts every tI epochs, tI growing by tMult
 * (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts). Accepts fractional epochs in step(epoch).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0Restart: number;
  tI: number;
  tMult: number;
  etaMin: number;
  tCur: number;
  constructor(optimizer: Optimizer, T0: number, opts: { tMult?: number; etaMin?: number; lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    const tMult = opts.tMult ?? 1, lastEpoch = opts.lastEpoch ?? -1;
    if (T0 <= 0 || !Number.isInteger(T0)) throw new ValueError(`Expected positive integer T_0, but got ${T0}`);
    if (tMult < 1 || !Number.isInteger(tMult)) throw new ValueError(`Expected integer T_mult >= 1, but got ${tMult}`);
    this.t0Restart = T0;
    this.tI = T0;
    this.tMult = tMult;
    this.etaMin = opts.etaMin ?? 0;
    this.tCur = lastEpoch;
    this.initialize(lastEpoch, opts.verbose ?? false);
  }
  getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }
  override step(epoch?: number): void {
    // NOTE: PyTorch's override does not count steps (no `_step_count += 1` here after the first).
    if (this.stepCount === undefined) this.stepCount = 0;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (epoch < 0) throw new ValueError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.t0Restart) {
        if (this.tMult === 1) this.tCur = pyMod(epoch, this.t0Restart);
        else {
          const n = Math.trunc(Math.log((epoch / this.t0Restart) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0Restart * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0Restart * this.tMult ** n;
        }
      } else {
        this.tI = this.t0Restart;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.getLrCalledWithinStep = true;
    const values = this.getLr();
    this.getLrCalledWithinStep = false;
    this.setLrs(values, epoch);
  }
  override initialStep(): void {
    this.stepCount = 0;
    this.step();
  }
}

export interface CyclicLROptions {
  stepSizeUp?: number;
  stepSizeDown?: number | null;
  mode?: "triangular" | "triangular2" | "exp_range";
  gamma?: number;
  scaleFn?: ((x: number) => number) | null;
  scaleMode?: "cycle" | "iterations";
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
  verbose?: boolean;
}

/**
 * Cyclical learning rates between baseLr and maxLr (torch.optim.lr_scheduler.CyclicLR), with
 * momentum cycling inversely; step it after every batch.
 * ```
 * cycle = floor(1 + epoch / (up + down));  x = 1 + epoch / (up + down) - cycle
 * s = x <= up / (up + down) ? x / ratio : (x - 1) / (ratio - 1)
 * lr = baseLr + (maxLr - baseLr) * s * scale(cycle or epoch)
 * ```
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const s = new optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, { stepSizeUp: 5 });
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleFnCustom: ((x: number) => number) | null;
  scaleMode: "cycle" | "iterations";
  cycleMomentum: boolean;
  baseMomentums?: number[];
  maxMomentums?: number[];
  constructor(optimizer: Optimizer, baseLr: number | number[], maxLr: number | number[], opts: CyclicLROptions = {}) {
    super(optimizer);
    const { stepSizeUp = 2000, stepSizeDown = null, mode = "triangular", gamma = 1, scaleFn = null, scaleMode = "cycle",
      cycleMomentum = true, baseMomentum = 0.8, maxMomentum = 0.9, lastEpoch = -1, verbose = false } = opts;
    const baseLrs = formatParam("base_lr", optimizer, baseLr);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]!));
    this.maxLrs = formatParam("max_lr", optimizer, maxLr);
    const down = stepSizeDown ?? stepSizeUp;
    this.totalSize = stepSizeUp + down;
    this.stepRatio = stepSizeUp / this.totalSize;
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && scaleFn === null) throw new ValueError("mode is invalid and scale_fn is None");
    this.mode = mode;
    this.gamma = gamma;
    this.scaleFnCustom = scaleFn;
    this.scaleMode = scaleFn === null ? (mode === "exp_range" ? "iterations" : "cycle") : scaleMode;
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults)) throw new ValueError("optimizer must support momentum with `cycle_momentum` option enabled");
      const baseMs = formatParam("base_momentum", optimizer, baseMomentum);
      if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g["momentum"] = baseMs[i]!));
      this.baseMomentums = optimizer.paramGroups.map((g) => g["momentum"] as number);
      this.maxMomentums = formatParam("max_momentum", optimizer, maxMomentum);
    }
    this.initialize(lastEpoch, verbose);
    this.baseLrs = baseLrs;
  }
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.scaleFnCustom(x);
    if (this.mode === "triangular2") return 1 / 2.0 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1.0;
  }
  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scale = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === "cycle" ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i]! - b) * scale * this.scaleFn(at));
    if (this.cycleMomentum)
      this.groups.forEach((g, i) => {
        const bm = this.baseMomentums![i]!, mm = this.maxMomentums![i]!;
        g["momentum"] = mm - (mm - bm) * scale * this.scaleFn(at);
      });
    return lrs;
  }
}

interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

export interface OneCycleLROptions {
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
  verbose?: boolean;
}

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): lr rises from maxLr / divFactor to
 * maxLr over pctStart of the steps, then anneals to initialLr / finalDivFactor (three phases with
 * threePhase); momentum (or Adam's beta1) cycles the opposite way. Step it after every batch.
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const s = new optim.lr_scheduler.OneCycleLR(opt, 0.1, { totalSteps: 100 });
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  schedulePhases: Phase[];
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1?: boolean;
  constructor(optimizer: Optimizer, maxLr: number | number[], opts: OneCycleLROptions = {}) {
    super(optimizer);
    const { totalSteps = null, epochs = null, stepsPerEpoch = null, pctStart = 0.3, annealStrategy = "cos", cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1, verbose = false } = opts;
    if (totalSteps === null && epochs === null && stepsPerEpoch === null)
      throw new ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)");
    else if (totalSteps !== null) {
      if (totalSteps <= 0 || !Number.isInteger(totalSteps)) throw new ValueError(`Expected positive integer total_steps, but got ${totalSteps}`);
      this.totalSteps = totalSteps;
    } else {
      if (epochs === null || epochs <= 0 || !Number.isInteger(epochs)) throw new ValueError(`Expected positive integer epochs, but got ${epochs}`);
      if (stepsPerEpoch === null || stepsPerEpoch <= 0 || !Number.isInteger(stepsPerEpoch)) throw new ValueError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      this.totalSteps = epochs * stepsPerEpoch;
    }
    const T = this.totalSteps;
    this.schedulePhases = threePhase
      ? [
          { end_step: pctStart * T - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: 2 * pctStart * T - 2, start_lr: "max_lr", end_lr: "initial_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
          { end_step: T - 1, start_lr: "initial_lr", end_lr: "min_lr", start_momentum: "max_momentum", end_momentum: "max_momentum" },
        ]
      : [
          { end_step: pctStart * T - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: T - 1, start_lr: "max_lr", end_lr: "min_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
        ];
    if (pctStart < 0 || pctStart > 1) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    if (annealStrategy !== "cos" && annealStrategy !== "linear")
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${annealStrategy}`);
    this.annealStrategy = annealStrategy;
    const groups = optimizer.paramGroups;
    const maxLrs = formatParam("max_lr", optimizer, maxLr);
    if (lastEpoch === -1)
      groups.forEach((g, i) => {
        g["initialLr"] = maxLrs[i]! / divFactor;
        g["maxLr"] = maxLrs[i]!;
        g["minLr"] = g["initialLr"] / finalDivFactor;
      });
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults))
        throw new ValueError("optimizer must support momentum with `cycle_momentum` option enabled");
      this.useBeta1 = "betas" in optimizer.defaults;
      const maxMs = formatParam("max_momentum", optimizer, maxMomentum), baseMs = formatParam("base_momentum", optimizer, baseMomentum);
      if (lastEpoch === -1)
        groups.forEach((g, i) => {
          if (this.useBeta1) g["betas"] = [maxMs[i]!, ...g["betas"].slice(1)];
          else g["momentum"] = maxMs[i]!;
          g["maxMomentum"] = maxMs[i]!;
          g["baseMomentum"] = baseMs[i]!;
        });
    }
    this.initialize(lastEpoch, verbose);
  }
  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "cos") return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }
  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) throw new ValueError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    const key = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    return this.groups.map((g) => {
      let startStep = 0, lr = 0, momentum = 0;
      for (let i = 0; i < this.schedulePhases.length; i++) {
        const ph = this.schedulePhases[i]!;
        const endStep = ph.end_step;
        if (stepNum <= endStep || i === this.schedulePhases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(g[key(ph.start_lr)], g[key(ph.end_lr)], pct);
          if (this.cycleMomentum) momentum = this.anneal(g[key(ph.start_momentum)], g[key(ph.end_momentum)], pct);
          break;
        }
        startStep = ph.end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g["betas"] = [momentum, ...g["betas"].slice(1)];
        else g["momentum"] = momentum;
      }
      return lr;
    });
  }
}

function formatParam(name: string, optimizer: Optimizer, p: number | number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(p)) {
    if (p.length !== n) throw new ValueError(`expected ${n} values for ${name}, got ${p.length}`);
    return p;
  }
  return new Array(n).fill(p);
}

/**
 * Runs schedulers one after another, switching at the milestones
 * (torch.optim.lr_scheduler.SequentialLR).
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const warmup = new optim.lr_scheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new optim.lr_scheduler.ExponentialLR(opt, 0.9);
 * const s = new optim.lr_scheduler.SequentialLR(opt, [warmup, decay], [5]);
 */
export class SequentialLR extends LRScheduler {
  schedulers: LRScheduler[];
  milestonesSeq: number[];
  constructor(optimizer: Optimizer, schedulers: LRScheduler[], milestones: number[], opts: { lastEpoch?: number; verbose?: boolean } = {}) {
    super(optimizer);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw new ValueError(`Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`);
    });
    if (milestones.length !== schedulers.length - 1)
      throw new ValueError(`Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`);
    this.schedulers = schedulers;
    this.milestonesSeq = milestones;
    this.lastEpoch = (opts.lastEpoch ?? -1) + 1;
    for (const g of optimizer.paramGroups) g.lr = g["initialLr"];
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0]!.initialStep();
    this.lastLr = schedulers[0]!.getLastLr();
  }
  getLr(): number[] {
    return this.lastLr;
  }
  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestonesSeq, this.lastEpoch);
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestonesSeq[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(sd);
    (sd["_schedulers"] as SchedulerStateDict[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}

/** Steps several schedulers together, each multiplying in turn (torch.optim.lr_scheduler.ChainedScheduler). */
export class ChainedScheduler extends LRScheduler {
  schedulers: LRScheduler[];
  constructor(schedulers: LRScheduler[]) {
    super(schedulers[0]!.optimizer);
    for (let i = 1; i < schedulers.length; i++)
      if (schedulers[i]!.optimizer !== schedulers[0]!.optimizer)
        throw new ValueError(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
    this.schedulers = [...schedulers];
    this.lastLr = this.schedulers[this.schedulers.length - 1]!.optimizer.paramGroups.map((g) => g.lr);
  }
  getLr(): number[] {
    return this.lastLr;
  }
  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.schedulers[this.schedulers.length - 1]!.optimizer.paramGroups.map((g) => g.lr);
  }
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(sd);
    (sd["_schedulers"] as SchedulerStateDict[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

/**
 * Reduces lr by `factor` once a metric has stopped improving for `patience` epochs
 * (torch.optim.lr_scheduler.ReduceLROnPlateau; not an LRScheduler in PyTorch 1.13 either).
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const s = new optim.lr_scheduler.ReduceLROnPlateau(opt, { patience: 3 });
 * const valLoss = 0.25; // the epoch's validation loss
 * s.step(valLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: "min" | "max";
  threshold: number;
  thresholdMode: "rel" | "abs";
  best = 0;
  numBadEpochs = 0;
  modeWorse = 0;
  eps: number;
  lastEpoch = 0;
  lastLr?: number[];

  constructor(optimizer: Optimizer, opts: ReduceLROnPlateauOptions = {}) {
    const { mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel", cooldown = 0, minLr = 0, eps = 1e-8, verbose = false } = opts;
    if (factor >= 1.0) throw new ValueError("Factor should be < 1.0.");
    this.factor = factor;
    if (!(optimizer instanceof Optimizer)) throw new TorchTypeError(`${(optimizer as object)?.constructor?.name} is not an Optimizer`);
    this.optimizer = optimizer;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else this.minLrs = new Array(n).fill(minLr);
    this.patience = patience;
    this.verbose = verbose;
    this.cooldown = cooldown;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.eps = eps;
    this.initIsBetter();
    this.reset();
  }
  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }
  /** Records the metric of one epoch. */
  step(metrics: number | { item(): number }, epoch?: number): void {
    const current = typeof metrics === "number" ? metrics : metrics.item();
    epoch ??= this.lastEpoch + 1;
    this.lastEpoch = epoch;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs += 1;
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
  private reduceLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) {
        g.lr = newLr;
        if (this.verbose) console.log(`Epoch ${String(epoch).padStart(5, "0")}: reducing learning rate of group ${i} to ${newLr.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2")}.`);
      }
    });
  }
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }
  private initIsBetter(): void {
    if (this.mode !== "min" && this.mode !== "max") throw new ValueError("mode " + this.mode + " is unknown!");
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") throw new ValueError("threshold mode " + this.thresholdMode + " is unknown!");
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
  }
  getLastLr(): number[] | undefined {
    return this.lastLr;
  }
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer" && v !== undefined) sd[pyKey(k)] = structuredClone(v);
    return sd;
  }
  loadStateDict(sd: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(sd)) (this as any)[fieldOf(k)] = structuredClone(v);
    this.initIsBetter();
  }
}

/** PyTorch 1.13's name for the base class. */
export { LRScheduler as _LRScheduler };
