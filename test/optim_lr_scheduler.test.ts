// Learning-rate schedulers against real PyTorch 1.13 (fixtures from scripts/gen_optim_fixtures.py).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import "../src/index.js"; // registers the CPU backend
import { tensor } from "../src/ops/creation.js";
import * as optim from "../src/optim/index.js";
import { toCamel } from "../src/optim/optimizer.js";

const fx = JSON.parse(readFileSync(new URL("./fixtures/optim.json", import.meta.url), "utf8"));
const sched = optim.lr_scheduler;

// NOTE: schedules are plain float64 arithmetic in both languages; the same operations in the same
// order give the same doubles, so values are compared to 1e-12 relative (Math.cos/Math.pow may
// differ from C's libm in the last bit).
const RTOL = 1e-12;
function close(a: number | null | undefined, e: number | null | undefined, what: string): void {
  if (e === null || e === undefined) return assert.equal(a ?? null, e ?? null, what);
  assert.ok(typeof a === "number" && Math.abs(a - e) <= RTOL * Math.abs(e) + 1e-15, `${what}: got ${a}, expected ${e}`);
}
function closeList(a: number[], e: number[], what: string): void {
  assert.equal(a.length, e.length, what);
  a.forEach((x, i) => close(x, e[i], `${what}[${i}]`));
}

const LAMBDAS: Record<string, (e: number) => number> = {
  pow095: (e) => 0.95 ** e,
  warmup5: (e) => Math.min(1.0, (e + 1) / 5),
  const097: () => 0.97,
};

function makeOpt(kind: string, groups: boolean): optim.Optimizer {
  const p = tensor([0, 0], { requiresGrad: true }), q = tensor([0, 0, 0], { requiresGrad: true });
  if (kind === "SGD") return new optim.SGD(groups ? [{ params: [p] }, { params: [q], lr: 0.05 }] : [p, q], { lr: 0.1, momentum: 0.9 });
  return new optim.Adam(groups ? [{ params: [p] }, { params: [q], lr: 0.005 }] : [p, q], { lr: 0.01 });
}

function camel(kw: Record<string, unknown>): Record<string, any> {
  const o: Record<string, any> = {};
  for (const [k, v] of Object.entries(kw)) o[k.startsWith("T_") ? k : toCamel(k)] = v;
  return o;
}

function makeSched(name: string, kw: Record<string, unknown>, opt: optim.Optimizer): optim.lr_scheduler.LRScheduler {
  const o = camel(kw);
  const take = (k: string) => { const v = o[k]; delete o[k]; return v; };
  switch (name) {
    case "StepLR": return new sched.StepLR(opt, take("stepSize"), o);
    case "MultiStepLR": return new sched.MultiStepLR(opt, take("milestones"), o);
    case "ExponentialLR": return new sched.ExponentialLR(opt, take("gamma"), o);
    case "CosineAnnealingLR": return new sched.CosineAnnealingLR(opt, take("T_max"), o);
    case "CosineAnnealingWarmRestarts": {
      const T0 = take("T_0"), tMult = take("T_mult");
      return new sched.CosineAnnealingWarmRestarts(opt, T0, { ...o, ...(tMult !== undefined ? { tMult } : {}) });
    }
    case "LambdaLR":
    case "MultiplicativeLR": {
      const f = take("lrLambda");
      const fn = Array.isArray(f) ? f.map((x: string) => LAMBDAS[x]!) : LAMBDAS[f]!;
      return name === "LambdaLR" ? new sched.LambdaLR(opt, fn, o) : new sched.MultiplicativeLR(opt, fn, o);
    }
    case "LinearLR": return new sched.LinearLR(opt, o);
    case "ConstantLR": return new sched.ConstantLR(opt, o);
    case "PolynomialLR": return new sched.PolynomialLR(opt, o);
    case "OneCycleLR": return new sched.OneCycleLR(opt, take("maxLr"), o);
    case "CyclicLR": { const base = take("baseLr"); return new sched.CyclicLR(opt, base, take("maxLr"), o); }
  }
  throw new Error("unknown scheduler " + name);
}

const momenta = (opt: optim.Optimizer) => opt.paramGroups.map((g) => (g["betas"] ? g["betas"][0] : g["momentum"] ?? null));

/** Compares our state dict with PyTorch's (inf as "inf", tuples as lists). */
function compareSd(ours: Record<string, any>, theirs: Record<string, any>, what: string): void {
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${what} keys`);
  const norm = (v: any): any => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : Array.isArray(v) ? v.map(norm) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)])) : v);
  for (const k of Object.keys(theirs)) {
    const a = norm(ours[k]), e = theirs[k];
    if (k === "_schedulers") (e as any[]).forEach((s, i) => compareSd(ours[k][i], s, `${what}._schedulers[${i}]`));
    else if (typeof e === "number") close(a, e, `${what}.${k}`);
    else if (Array.isArray(e) && e.every((x) => typeof x === "number")) closeList(a, e, `${what}.${k}`);
    else assert.deepEqual(a, e, `${what}.${k}`);
  }
}

describe("lr schedulers reproduce PyTorch", () => {
  for (const c of fx.schedulers) {
    if (c.closed_form_epochs || ["SequentialLR", "ChainedScheduler", "ReduceLROnPlateau"].includes(c.name)) continue;
    test(`${c.name} ${JSON.stringify(c.kwargs)} ${c.optimizer}${c.groups ? " groups" : ""}`, () => {
      const opt = makeOpt(c.optimizer, c.groups);
      const s = makeSched(c.name, c.kwargs, opt);
      closeList(s.getLastLr(), c.lrs[0], "lr at 0");
      closeList(momenta(opt), c.momenta[0], "momentum at 0");
      for (let i = 1; i <= c.steps; i++) {
        opt.step();
        s.step();
        closeList(s.getLastLr(), c.lrs[i], `lr at ${i}`);
        closeList(opt.paramGroups.map((g) => g.lr), c.lrs[i], `group lr at ${i}`);
        closeList(momenta(opt), c.momenta[i], `momentum at ${i}`);
      }
      compareSd(s.stateDict(), c.state_dict, "state_dict");
      // the extra keys schedulers write into the optimizer's groups (initial_lr, max_lr, ...)
      const groups = opt.stateDict().param_groups.map((g) => { const { params: _p, ...rest } = g; return rest; });
      groups.forEach((g, i) => {
        for (const [k, v] of Object.entries(c.opt_param_groups[i] as Record<string, any>)) {
          if (typeof v === "number") close(g[k], v, `group ${i}.${k}`);
          else if (Array.isArray(v)) closeList(g[k], v, `group ${i}.${k}`);
          else assert.deepEqual(g[k], v, `group ${i}.${k}`);
        }
      });
    });
  }

  for (const c of fx.schedulers.filter((c: any) => c.closed_form_epochs)) {
    test(`${c.name} ${JSON.stringify(c.kwargs)} step(epoch) closed form`, () => {
      const opt = makeOpt("SGD", false);
      const s = makeSched(c.name, c.kwargs, opt);
      c.closed_form_epochs.forEach((e: number, i: number) => {
        s.step(e);
        closeList(s.getLastLr(), c.lrs[i], `lr after step(${e})`);
      });
    });
  }

  for (const c of fx.schedulers.filter((c: any) => c.name === "SequentialLR")) {
    test(`SequentialLR ${c.label}`, () => {
      const opt = makeOpt("SGD", false);
      const parts = c.label === "linear+exp"
        ? [new sched.LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new sched.ExponentialLR(opt, 0.9)]
        : [new sched.ConstantLR(opt, { factor: 0.5, totalIters: 4 }), new sched.StepLR(opt, 3, { gamma: 0.5 }), new sched.CosineAnnealingLR(opt, 8)];
      const s = new sched.SequentialLR(opt, parts, c.milestones);
      closeList(s.getLastLr(), c.lrs[0], "lr at 0");
      for (let i = 1; i <= c.steps; i++) {
        opt.step();
        s.step();
        closeList(s.getLastLr(), c.lrs[i], `lr at ${i}`);
      }
      compareSd(s.stateDict(), c.state_dict, "state_dict");
    });
  }

  test("ChainedScheduler", () => {
    const c = fx.schedulers.find((x: any) => x.name === "ChainedScheduler");
    const opt = makeOpt("SGD", false);
    const s = new sched.ChainedScheduler([new sched.ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new sched.ExponentialLR(opt, 0.9)]);
    closeList(s.getLastLr(), c.lrs[0], "lr at 0");
    for (let i = 1; i <= c.steps; i++) {
      opt.step();
      s.step();
      closeList(s.getLastLr(), c.lrs[i], `lr at ${i}`);
    }
  });

  for (const c of fx.schedulers.filter((c: any) => c.name === "ReduceLROnPlateau")) {
    test(`ReduceLROnPlateau ${JSON.stringify(c.kwargs)}`, () => {
      const opt = makeOpt("SGD", c.groups);
      const s = new sched.ReduceLROnPlateau(opt, camel(c.kwargs));
      compareSd(s.stateDict(), c.state_dict0, "initial state_dict");
      c.metrics.forEach((m: number, i: number) => {
        s.step(m);
        closeList(opt.paramGroups.map((g) => g.lr), c.lrs[i], `lr after metric ${i}`);
      });
      compareSd(s.stateDict(), c.state_dict, "state_dict");
    });
  }
});

describe("scheduler state dicts and errors", () => {
  test("StepLR stateDict / loadStateDict resumes the schedule", () => {
    const opt = makeOpt("SGD", false);
    const s = new sched.StepLR(opt, 3, { gamma: 0.5 });
    for (let i = 0; i < 4; i++) s.step();
    const opt2 = makeOpt("SGD", false);
    const s2 = new sched.StepLR(opt2, 100);
    s2.loadStateDict(s.stateDict());
    opt2.loadStateDict(opt.stateDict());
    for (let i = 0; i < 6; i++) {
      s.step();
      s2.step();
      assert.deepEqual(s2.getLastLr(), s.getLastLr());
    }
    assert.equal(s2.lastEpoch, 10);
  });
  test("ReduceLROnPlateau round trip keeps best and counters", () => {
    const opt = makeOpt("SGD", false);
    const s = new sched.ReduceLROnPlateau(opt, { patience: 1 });
    for (const m of [1, 0.5, 0.6]) s.step(m);
    const s2 = new sched.ReduceLROnPlateau(makeOpt("SGD", false));
    s2.loadStateDict(s.stateDict());
    assert.equal(s2.best, 0.5);
    assert.equal(s2.numBadEpochs, 1);
    assert.equal(s2.patience, 1);
  });
  test("resuming without initial_lr is a KeyError, as in PyTorch", () => {
    assert.throws(() => new sched.StepLR(makeOpt("SGD", false), 3, { lastEpoch: 5 }), {
      name: "KeyError",
      message: `"param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer"`,
    });
  });
  test("PyTorch's validation messages", () => {
    const opt = makeOpt("SGD", false);
    assert.throws(() => new sched.ReduceLROnPlateau(opt, { factor: 1 }), { message: "Factor should be < 1.0." });
    assert.throws(() => new sched.OneCycleLR(opt, 0.1), { message: "You must define either total_steps OR (epochs AND steps_per_epoch)" });
    assert.throws(() => new sched.CosineAnnealingWarmRestarts(opt, 0), { message: "Expected positive integer T_0, but got 0" });
    assert.throws(() => new sched.LinearLR(opt, { startFactor: 2 }), { message: "Starting multiplicative factor expected to be between 0 and 1." });
    const o = new sched.OneCycleLR(makeOpt("SGD", false), 0.1, { totalSteps: 2 });
    o.step();
    o.step();
    assert.throws(() => o.step(), { message: "Tried to step 4 times. The specified number of total steps is 2" });
  });
  test("optim.lr_scheduler namespace", () => {
    for (const n of ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "LambdaLR", "LinearLR", "OneCycleLR", "SequentialLR", "ReduceLROnPlateau", "CyclicLR", "ConstantLR", "PolynomialLR", "MultiplicativeLR", "ChainedScheduler"])
      assert.equal(typeof (sched as Record<string, unknown>)[n], "function", n);
  });
});

describe("doc examples", () => {
  test("a training loop: SGD with momentum, StepLR, zeroGrad / backward / step", () => {
    // y = 2x + 1, fitted by w, b
    const x = tensor([0, 1, 2, 3]), y = tensor([1, 3, 5, 7]);
    const w = tensor([0], { requiresGrad: true }), b = tensor([0], { requiresGrad: true });
    const opt = new optim.SGD([w, b], { lr: 0.05, momentum: 0.9 });
    const s = new sched.StepLR(opt, 50, { gamma: 0.5 });
    for (let epoch = 0; epoch < 200; epoch++) {
      opt.zeroGrad();
      const loss = x.mul(w).add(b).sub(y).pow(2).mean();
      loss.backward();
      opt.step();
      s.step();
    }
    assert.ok(Math.abs((w.item() as number) - 2) < 1e-3);
    assert.ok(Math.abs((b.item() as number) - 1) < 1e-3);
    assert.equal(s.getLastLr()[0], 0.05 * 0.5 ** 4);
  });
  test("LBFGS with a closure", () => {
    const x = tensor([3, -2], { requiresGrad: true });
    const opt = new optim.LBFGS([x], { lineSearchFn: "strong_wolfe" });
    opt.step(() => { opt.zeroGrad(); const l = x.sub(tensor([1, 1])).pow(2).sum(); l.backward(); return l; });
    assert.deepEqual((x.tolist() as number[]).map((v) => Math.round(v * 1e4) / 1e4), [1, 1]);
  });
});
