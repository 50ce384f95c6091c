// nn (Module, Parameter, init, functional, layers, losses) against real PyTorch 1.13
// (fixtures from scripts/gen_nn_fixtures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import * as nn from "../src/nn/index.js";
import { Tensor } from "../src/tensor/tensor.js";

const F = nn.functional;

interface Enc {
  shape: number[];
  dtype: string;
  data: number[];
  requiresGrad?: boolean;
}
interface Case {
  name: string;
  fn: string;
  kw: Record<string, any>;
  inputs: (Enc | null)[];
  out: Enc;
  gradFn: string | null;
  gout?: Enc;
  grads?: (Enc | null)[];
  after?: Record<string, Enc>;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/nn.json", import.meta.url), "utf8")) as {
  cases: Case[];
  inits: Record<string, Record<string, Enc>>;
  initFns: Record<string, Enc>;
  gains: Record<string, number>;
  reprs: Record<string, string>;
  keys: Record<string, Record<string, string[]>>;
  errors: Record<string, { type: string; message: string }>;
  bnRun: { x1: Enc; x2: Enc; state: Record<string, Enc>; evalOut: Enc };
  moduleCases: (Omit<Case, "fn" | "kw" | "after"> & { paramGrads?: Record<string, Enc>; state: Record<string, Enc> })[];
  parameterRepr: string[];
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, bool: torch.bool };
function dec(e: Enc): Tensor {
  const t = torch.tensor(e.data.length ? e.data : [], { dtype: DTYPES[e.dtype]! }).reshape(e.shape);
  if (e.requiresGrad) t.requiresGrad_(true);
  return t;
}
/** rtol 1e-5 / atol 1e-6 for float32 values (PyTorch's own float32 tolerances are looser still). */
function close(actual: Tensor | null | undefined, expected: Enc, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.ok(actual, `${what}: missing`);
  assert.deepEqual(actual!.shape, expected.shape, `${what}: shape`);
  assert.equal(actual!.dtype.name.replace("torch.", ""), expected.dtype, `${what}: dtype`);
  const a = Array.from(actual!.dataSync() as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = expected.data[i]!;
    if (x === y) continue;
    assert.ok(Math.abs(x - y) <= atol + rtol * Math.abs(y), `${what}[${i}]: got ${x}, expected ${y}`);
  }
}

type Fn = (ins: (Tensor | null)[], kw: Record<string, any>) => Tensor;
const red = (kw: Record<string, any>) => ({ reduction: kw.reduction ?? "mean" });
const convOpts = (kw: Record<string, any>) => ({ stride: kw.stride, padding: kw.padding, dilation: kw.dilation, groups: kw.groups });
const FNS: Record<string, Fn> = {
  linear: ([x, w, b]) => F.linear(x!, w!, b ?? null),
  relu: ([x]) => F.relu(x!),
  leaky_relu: ([x], kw) => F.leakyRelu(x!, kw.negative_slope),
  elu: ([x], kw) => F.elu(x!, kw.alpha),
  gelu: ([x], kw) => F.gelu(x!, { approximate: kw.approximate }),
  silu: ([x]) => F.silu(x!),
  sigmoid: ([x]) => F.sigmoid(x!),
  tanh: ([x]) => F.tanh(x!),
  softplus: ([x], kw) => F.softplus(x!, kw.beta, kw.threshold),
  softmax: ([x], kw) => F.softmax(x!, kw.dim),
  log_softmax: ([x], kw) => F.logSoftmax(x!, kw.dim),
  dropout: ([x], kw) => {
    torch.manualSeed(3);
    return F.dropout(x!, kw.p, kw.training);
  },
  layer_norm: ([x, w, b], kw) => F.layerNorm(x!, kw.normalized_shape, w, b, kw.eps),
  batch_norm: ([x, rm, rv, w, b], kw) => F.batchNorm(x!, rm!, rv!, w, b, kw.training, kw.momentum, kw.eps),
  embedding: ([i, w], kw) => F.embedding(i!, w!, kw.padding_idx),
  conv1d: ([x, w, b], kw) => F.conv1d(x!, w!, b, convOpts(kw)),
  conv2d: ([x, w, b], kw) => F.conv2d(x!, w!, b, convOpts(kw)),
  max_pool2d: ([x], kw) => F.maxPool2d(x!, kw.kernel_size, { stride: kw.stride, padding: kw.padding, dilation: kw.dilation, ceilMode: kw.ceil_mode }),
  avg_pool2d: ([x], kw) => F.avgPool2d(x!, kw.kernel_size, { stride: kw.stride, padding: kw.padding, ceilMode: kw.ceil_mode, countIncludePad: kw.count_include_pad }),
  adaptive_avg_pool2d: ([x], kw) => F.adaptiveAvgPool2d(x!, kw.output_size),
  pad: ([x], kw) => F.pad(x!, kw.pad, "constant", kw.value),
  flatten: ([x], kw) => F.flatten(x!, kw.start_dim, kw.end_dim),
  one_hot: ([x], kw) => F.oneHot(x!, kw.num_classes),
  mse_loss: ([x, t], kw) => F.mseLoss(x!, t!, red(kw)),
  l1_loss: ([x, t], kw) => F.l1Loss(x!, t!, red(kw)),
  smooth_l1_loss: ([x, t], kw) => F.smoothL1Loss(x!, t!, { ...red(kw), beta: kw.beta }),
  huber_loss: ([x, t], kw) => F.huberLoss(x!, t!, { ...red(kw), delta: kw.delta }),
  binary_cross_entropy: ([x, t, w], kw) => F.binaryCrossEntropy(x!, t!, { ...red(kw), weight: w ?? null }),
  binary_cross_entropy_with_logits: ([x, t, w, pw], kw) => F.binaryCrossEntropyWithLogits(x!, t!, { ...red(kw), weight: w ?? null, posWeight: pw ?? null }),
  nll_loss: ([x, t, w], kw) => F.nllLoss(x!, t!, { ...red(kw), weight: w ?? null, ignoreIndex: kw.ignore_index }),
  cross_entropy: ([x, t, w], kw) =>
    F.crossEntropy(x!, t!, { ...red(kw), weight: w ?? null, ignoreIndex: kw.ignore_index, labelSmoothing: kw.label_smoothing }),
  kl_div: ([x, t], kw) => F.klDiv(x!, t!, { reduction: kw.reduction ?? "mean", logTarget: kw.log_target }),
};

for (const c of fx.cases) {
  test(`functional: ${c.name}`, () => {
    const fn = FNS[c.fn];
    assert.ok(fn, `no TS mapping for ${c.fn}`);
    const ins = c.inputs.map((e) => (e ? dec(e) : null));
    const out = fn!(ins, c.kw);
    close(out, c.out, "output");
    assert.equal(out.gradFn ? out.gradFn.name() : null, c.gradFn, "grad_fn");
    if (c.gout) {
      out.backward(dec(c.gout));
      c.grads!.forEach((g, i) => {
        if (g) close(ins[i]!.grad, g, `grad of input ${i}`);
      });
    }
    for (const [i, e] of Object.entries(c.after ?? {})) close(ins[Number(i)], e, `input ${i} after`);
  });
}

// ---------------------------------------------------------------- default inits under manualSeed(0)
const MODULES: Record<string, () => nn.Module> = {
  "Linear(3, 2)": () => new nn.Linear(3, 2),
  "Linear(5, 4, bias=False)": () => new nn.Linear(5, 4, false),
  "Conv2d(3, 4, 3)": () => new nn.Conv2d(3, 4, 3),
  "Conv2d(4, 6, (3, 2), groups=2, bias=False)": () => new nn.Conv2d(4, 6, [3, 2], { groups: 2, bias: false }),
  "Conv1d(2, 3, 5, stride=2)": () => new nn.Conv1d(2, 3, 5, { stride: 2 }),
  "Embedding(5, 3)": () => new nn.Embedding(5, 3),
  "Embedding(5, 3, padding_idx=2)": () => new nn.Embedding(5, 3, { paddingIdx: 2 }),
  "LayerNorm(4)": () => new nn.LayerNorm(4),
  "BatchNorm1d(3)": () => new nn.BatchNorm1d(3),
  "BatchNorm2d(2, affine=False)": () => new nn.BatchNorm2d(2, { affine: false }),
  "Sequential(Linear(2, 3), ReLU(), Linear(3, 1))": () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)),
};
for (const [name, expected] of Object.entries(fx.inits)) {
  test(`init: ${name} under manualSeed(0)`, () => {
    torch.manualSeed(0);
    const m = MODULES[name]!();
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(expected));
    for (const [k, e] of Object.entries(expected)) close(sd.get(k), e, k);
  });
}

const INITS: Record<string, (t: Tensor) => unknown> = {
  "xavier_uniform_": (t) => nn.init.xavierUniform_(t),
  "xavier_uniform_ gain 2": (t) => nn.init.xavier_uniform_(t, 2.0),
  "xavier_normal_": (t) => nn.init.xavierNormal_(t),
  "kaiming_uniform_": (t) => nn.init.kaimingUniform_(t),
  "kaiming_uniform_ relu fan_out": (t) => nn.init.kaiming_uniform_(t, { mode: "fan_out", nonlinearity: "relu" }),
  "kaiming_normal_": (t) => nn.init.kaimingNormal_(t),
  "kaiming_normal_ a=0.1": (t) => nn.init.kaimingNormal_(t, { a: 0.1 }),
  "uniform_": (t) => nn.init.uniform_(t, -0.5, 0.5),
  "normal_": (t) => nn.init.normal_(t, 1.0, 0.1),
  "constant_": (t) => nn.init.constant_(t, 0.3),
  "eye_": (t) => nn.init.eye_(t),
  "trunc_normal_": (t) => nn.init.truncNormal_(t),
  "trunc_normal_ 0.5 0.2 [0, 1]": (t) => nn.init.trunc_normal_(t, 0.5, 0.2, 0, 1),
  "orthogonal_": (t) => nn.init.orthogonal_(t),
  "orthogonal_ gain": (t) => nn.init.orthogonal_(t.view(5, 4), 1.5),
};
for (const [name, e] of Object.entries(fx.initFns)) {
  test(`init fn: ${name}`, () => {
    torch.manualSeed(0);
    const t = torch.empty(4, 5);
    INITS[name]!(t);
    close(t, e, name);
  });
}
test("init: calculateGain", () => {
  for (const [k, v] of Object.entries(fx.gains)) {
    const [nl, p] = k.split(",");
    assert.ok(Math.abs(nn.init.calculateGain(nl as nn.init.Nonlinearity, p ? Number(p) : undefined) - v) < 1e-15, k);
  }
});

// ---------------------------------------------------------------- reprs, registries
class LinearRegression extends nn.Module {
  linear = new nn.Linear(1, 1);
  override forward(x: Tensor): Tensor {
    return this.linear.call(x);
  }
}
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 6, 5);
  pool = new nn.MaxPool2d(2, { stride: 2 });
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  bn = new nn.BatchNorm1d(120);
  drop = new nn.Dropout(0.25);
  head = new nn.Sequential(new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10), new nn.LogSoftmax(1));
  override forward(x: Tensor): Tensor {
    x = this.pool.call(F.relu(this.conv1.call(x)));
    x = this.pool.call(F.relu(this.conv2.call(x)));
    x = this.drop.call(F.relu(this.bn.call(this.fc1.call(x.flatten(1)))));
    return this.head.call(x);
  }
}
const REPRS: Record<string, () => nn.Module> = {
  LinearRegression: () => new LinearRegression(),
  Net: () => new Net(),
  "Sequential(Linear(2, 3), ReLU(), Linear(3, 1))": MODULES["Sequential(Linear(2, 3), ReLU(), Linear(3, 1))"]!,
  ModuleList: () => new nn.ModuleList([new nn.Linear(1, 2), new nn.Tanh()]),
  ModuleDict: () => new nn.ModuleDict({ act: new nn.Sigmoid(), lin: new nn.Linear(2, 2, false) }),
  "Sequential()": () => new nn.Sequential(),
  Identity: () => new nn.Identity(),
  Flatten: () => new nn.Flatten(),
  "Embedding(10, 3, padding_idx=0)": () => new nn.Embedding(10, 3, { paddingIdx: 0 }),
  "Dropout(0.1)": () => new nn.Dropout(0.1),
  "LayerNorm((3, 4), eps=1e-6)": () => new nn.LayerNorm([3, 4], 1e-6),
  "BatchNorm1d(4)": () => new nn.BatchNorm1d(4),
  "BatchNorm2d(3, momentum=None, affine=False)": () => new nn.BatchNorm2d(3, { momentum: null, affine: false }),
  "Conv1d(2, 4, 3, padding='same')": () => new nn.Conv1d(2, 4, 3, { padding: "same" }),
  "Conv2d(1, 2, 3, stride=2, padding=1, dilation=2, groups=1, bias=False)": () => new nn.Conv2d(1, 2, 3, { stride: 2, padding: 1, dilation: 2, bias: false }),
  "Conv2d(4, 4, (3, 1), groups=2)": () => new nn.Conv2d(4, 4, [3, 1], { groups: 2 }),
  "MaxPool2d(2)": () => new nn.MaxPool2d(2),
  "MaxPool2d((3, 2), stride=1, padding=1)": () => new nn.MaxPool2d([3, 2], { stride: 1, padding: 1 }),
  "AvgPool2d(3, stride=2)": () => new nn.AvgPool2d(3, { stride: 2 }),
  "AdaptiveAvgPool2d((1, 1))": () => new nn.AdaptiveAvgPool2d([1, 1]),
  "AdaptiveAvgPool2d(2)": () => new nn.AdaptiveAvgPool2d(2),
  "ReLU()": () => new nn.ReLU(),
  "ReLU(inplace=True)": () => new nn.ReLU(true),
  "LeakyReLU(0.2)": () => new nn.LeakyReLU(0.2),
  "ELU()": () => new nn.ELU(),
  "GELU()": () => new nn.GELU(),
  "GELU('tanh')": () => new nn.GELU("tanh"),
  "SiLU()": () => new nn.SiLU(),
  "Sigmoid()": () => new nn.Sigmoid(),
  "Tanh()": () => new nn.Tanh(),
  "Softplus()": () => new nn.Softplus(),
  "Softmax(dim=1)": () => new nn.Softmax(1),
  "LogSoftmax(dim=-1)": () => new nn.LogSoftmax(-1),
  "MSELoss()": () => new nn.MSELoss(),
  "CrossEntropyLoss()": () => new nn.CrossEntropyLoss(),
  "BCEWithLogitsLoss()": () => new nn.BCEWithLogitsLoss(),
  "KLDivLoss()": () => new nn.KLDivLoss(),
};
for (const [name, text] of Object.entries(fx.reprs)) {
  test(`repr: ${name}`, () => assert.equal(REPRS[name]!().toString(), text));
}
test("registries: LinearRegression and Net names in PyTorch's order", () => {
  for (const name of ["LinearRegression", "Net"]) {
    const m = REPRS[name]!();
    const k = fx.keys[name]!;
    assert.deepEqual([...m.stateDict().keys()], k.stateDict);
    assert.deepEqual(m.namedParameters().map(([n]) => n), k.parameters);
    assert.deepEqual(m.namedBuffers().map(([n]) => n), k.buffers);
    assert.deepEqual(m.namedModules().map(([n]) => n), k.modules);
    assert.deepEqual(m.namedChildren().map(([n]) => n), k.children);
  }
  assert.deepEqual([...new nn.CrossEntropyLoss({ weight: torch.ones(3) }).stateDict().keys()], fx.keys["CrossEntropyLoss(weight)"]!.stateDict);
});
test("registries: subclass of a subclass keeps assignment order", () => {
  class A extends nn.Module {
    first = new nn.Linear(1, 2);
    scale = new nn.Parameter(torch.ones(1));
  }
  class B extends A {
    second = new nn.Linear(2, 1);
    constructor() {
      super();
      this.registerBuffer("steps", torch.zeros(1));
    }
  }
  const b = new B();
  assert.deepEqual([...b.stateDict().keys()], ["scale", "steps", "first.weight", "first.bias", "second.weight", "second.bias"]);
  assert.deepEqual(b.namedParameters().map(([n]) => n), ["scale", "first.weight", "first.bias", "second.weight", "second.bias"]);
  assert.ok(b.first instanceof nn.Linear);
});
test("Parameter repr", () => {
  assert.equal(new nn.Parameter(torch.tensor([1, 2])).toString(), fx.parameterRepr[0]);
  assert.equal(new nn.Parameter(torch.ones(2), false).toString(), fx.parameterRepr[1]);
});

// ---------------------------------------------------------------- modules end to end
class SmallNet extends nn.Module {
  conv = new nn.Conv2d(1, 3, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(3);
  pool = new nn.MaxPool2d(2);
  drop = new nn.Dropout(0.2);
  fc = new nn.Linear(3 * 4 * 4, 5);
  ln = new nn.LayerNorm(5);
  override forward(x: Tensor): Tensor {
    x = this.pool.call(F.relu(this.bn.call(this.conv.call(x))));
    return F.logSoftmax(this.ln.call(this.fc.call(this.drop.call(x.flatten(1)))), 1);
  }
}
const MODULE_CASES: Record<string, () => nn.Module> = {
  "Linear(3, 2)": () => new nn.Linear(3, 2),
  "Linear(3, 2, bias=False) 3d": () => new nn.Linear(3, 2, false),
  "Conv1d(2, 3, 3, padding=1)": () => new nn.Conv1d(2, 3, 3, { padding: 1 }),
  "Conv2d(2, 4, 3, stride=2, padding=1)": () => new nn.Conv2d(2, 4, 3, { stride: 2, padding: 1 }),
  "Conv2d(4, 4, 3, groups=4, bias=False)": () => new nn.Conv2d(4, 4, 3, { groups: 4, bias: false }),
  "Embedding(7, 3, padding_idx=1)": () => new nn.Embedding(7, 3, { paddingIdx: 1 }),
  "LayerNorm(5)": () => new nn.LayerNorm(5),
  "LayerNorm((2, 5), elementwise_affine=False)": () => new nn.LayerNorm([2, 5], 1e-5, false),
  "BatchNorm1d(3) train": () => new nn.BatchNorm1d(3),
  "BatchNorm1d(3, momentum=None) train 3d": () => new nn.BatchNorm1d(3, { momentum: null }),
  "BatchNorm2d(2) train": () => new nn.BatchNorm2d(2),
  "BatchNorm2d(2) eval": () => new nn.BatchNorm2d(2),
  "BatchNorm1d(3, track_running_stats=False) eval": () => new nn.BatchNorm1d(3, { trackRunningStats: false }),
  "Dropout(0.4) train": () => new nn.Dropout(0.4),
  "Dropout(0.4) eval": () => new nn.Dropout(0.4),
  "MaxPool2d(2)": () => new nn.MaxPool2d(2),
  "AvgPool2d(3, stride=1, padding=1)": () => new nn.AvgPool2d(3, { stride: 1, padding: 1 }),
  "AdaptiveAvgPool2d((2, 2))": () => new nn.AdaptiveAvgPool2d([2, 2]),
  "Flatten()": () => new nn.Flatten(),
  "Identity()": () => new nn.Identity(),
  "ReLU()": () => new nn.ReLU(),
  "LeakyReLU(0.1)": () => new nn.LeakyReLU(0.1),
  "ELU(0.7)": () => new nn.ELU(0.7),
  "GELU()": () => new nn.GELU(),
  "GELU('tanh')": () => new nn.GELU("tanh"),
  "SiLU()": () => new nn.SiLU(),
  "Sigmoid()": () => new nn.Sigmoid(),
  "Tanh()": () => new nn.Tanh(),
  "Softplus(2)": () => new nn.Softplus(2),
  "Softmax(dim=1)": () => new nn.Softmax(1),
  "LogSoftmax(dim=1)": () => new nn.LogSoftmax(1),
  "MSELoss()": () => new nn.MSELoss(),
  "MSELoss(sum)": () => new nn.MSELoss({ reduction: "sum" }),
  "L1Loss(none)": () => new nn.L1Loss({ reduction: "none" }),
  "SmoothL1Loss(beta=0.3)": () => new nn.SmoothL1Loss({ beta: 0.3 }),
  "HuberLoss(delta=2)": () => new nn.HuberLoss({ delta: 2 }),
  "BCELoss(weight)": () => new nn.BCELoss({ weight: torch.tensor([0.5, 1.0, 2.0]) }),
  "BCEWithLogitsLoss(pos_weight)": () => new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2.0, 0.5, 1.0]) }),
  "NLLLoss(weight, ignore_index=0)": () => new nn.NLLLoss({ weight: torch.tensor([1.0, 2.0, 0.5]), ignoreIndex: 0 }),
  "CrossEntropyLoss()": () => new nn.CrossEntropyLoss(),
  "CrossEntropyLoss(label_smoothing=0.1, sum)": () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: "sum" }),
  "KLDivLoss(batchmean)": () => new nn.KLDivLoss({ reduction: "batchmean" }),
  "KLDivLoss(sum, log_target)": () => new nn.KLDivLoss({ reduction: "sum", logTarget: true }),
  "SmallNet train": () => new SmallNet(),
  "SmallNet eval": () => new SmallNet(),
};
for (const c of fx.moduleCases) {
  test(`module: ${c.name}`, () => {
    torch.manualSeed(0);
    const m = MODULE_CASES[c.name]!();
    m.train(!c.name.endsWith("eval"));
    const ins = c.inputs.map((e) => dec(e!));
    const out = m.call(...ins) as Tensor;
    close(out, c.out, "output");
    assert.equal(out.gradFn ? out.gradFn.name() : null, c.gradFn, "grad_fn");
    if (c.gout) {
      out.backward(dec(c.gout));
      c.grads!.forEach((g, i) => {
        if (g) close(ins[i]!.grad, g, `grad of input ${i}`);
      });
      const params = new Map(m.namedParameters());
      assert.deepEqual([...params.keys()].filter((k) => params.get(k)!.grad), Object.keys(c.paramGrads!));
      for (const [k, e] of Object.entries(c.paramGrads!)) close(params.get(k)!.grad, e, `grad of ${k}`);
    }
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state));
    for (const [k, e] of Object.entries(c.state)) close(sd.get(k), e, `state ${k}`);
  });
}

// ---------------------------------------------------------------- errors
const ERRS: Record<string, () => unknown> = {
  "load missing+unexpected+size": () => new nn.Linear(3, 2).loadStateDict(new Map([["weight", torch.zeros(3, 3)], ["foo", torch.zeros(1)]])),
  "load missing": () => new nn.Linear(3, 2).loadStateDict({ weight: torch.zeros(2, 3) }),
  "load unexpected": () => new nn.Linear(3, 2).loadStateDict({ weight: torch.zeros(2, 3), bias: torch.zeros(2), "extra.w": torch.zeros(1) }),
  "load size": () => new LinearRegression().loadStateDict({ "linear.weight": torch.zeros(1, 2), "linear.bias": torch.zeros(1) }),
  "linear shapes": () => F.linear(torch.zeros(4, 3), torch.zeros(5, 2)),
  "conv2d channels": () => F.conv2d(torch.zeros(1, 3, 5, 5), torch.zeros(2, 1, 3, 3)),
  "conv2d rank": () => F.conv2d(torch.zeros(2, 3), torch.zeros(2, 1, 3, 3)),
  "nll batch": () => F.nllLoss(torch.zeros(3, 4), torch.tensor([0, 1], { dtype: torch.int64 })),
  "nll out of bounds": () => F.nllLoss(torch.zeros(3, 4), torch.tensor([0, 1, 4], { dtype: torch.int64 })),
  "bce size": () => F.binaryCrossEntropy(torch.full([3], 0.5), torch.zeros(3, 1)),
  "bce_logits size": () => F.binaryCrossEntropyWithLogits(torch.zeros(3), torch.zeros(3, 1)),
  "layer_norm shape": () => F.layerNorm(torch.zeros(2, 3), [4]),
  "dropout p": () => F.dropout(torch.zeros(2), 1.5),
  "embedding index": () => F.embedding(torch.tensor([5], { dtype: torch.int64 }), torch.zeros(3, 2)),
  "batch_norm one value": () => F.batchNorm(torch.zeros(1, 3), torch.zeros(3), torch.ones(3), null, null, true),
  "max_pool2d pad": () => F.maxPool2d(torch.zeros(1, 1, 4, 4), 2, { padding: 2 }),
  reduction: () => F.mseLoss(torch.zeros(2), torch.zeros(2), { reduction: "avg" as any }),
  "assign tensor to parameter": () => {
    const m = new nn.Linear(1, 1);
    (m as any).weight = torch.ones(1, 1).mul(2);
  },
};
for (const [name, e] of Object.entries(fx.errors)) {
  test(`error: ${name}`, () => {
    assert.throws(ERRS[name]!, (err: Error) => {
      assert.equal(err.name, e.type);
      assert.equal(err.message, e.message);
      return true;
    });
  });
}

// ---------------------------------------------------------------- module behaviour
test("BatchNorm1d: two training steps then eval, as PyTorch", () => {
  torch.manualSeed(0);
  const bn = new nn.BatchNorm1d(3);
  bn.call(dec(fx.bnRun.x1));
  bn.call(dec(fx.bnRun.x2));
  bn.eval();
  assert.equal(bn.training, false);
  const y = bn.call(dec(fx.bnRun.x1));
  const sd = bn.stateDict();
  for (const [k, e] of Object.entries(fx.bnRun.state)) close(sd.get(k), e, k);
  close(y, fx.bnRun.evalOut, "eval output");
});
test("Sequential: indexing, iteration, append, call", () => {
  const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
  assert.ok(net[0] instanceof nn.Linear);
  assert.equal(net[-1], net.at(1));
  assert.equal((net.at<nn.Linear>(0)).weight.shape.join(","), "3,2");
  net.append(new nn.Linear(3, 1));
  assert.equal([...net].length, 3);
  assert.equal(net.length, 3);
  assert.deepEqual(net.call(torch.ones(4, 2)).shape, [4, 1]);
});
test("zeroGrad: 1.13 default zeroes in place; setToNone drops", () => {
  const lin = new nn.Linear(2, 1);
  lin.call(torch.ones(3, 2)).sum().backward();
  const g = lin.weight.grad!;
  lin.zeroGrad();
  assert.equal(lin.weight.grad, g);
  assert.deepEqual(g.tolist(), [[0, 0]]);
  lin.zeroGrad(true);
  assert.equal(lin.weight.grad, null);
});
test("train/eval, hooks, apply, requiresGrad_, to(float64), loadStateDict round trip", () => {
  const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
  net.eval();
  assert.equal(net.at(1).training, false);
  net.train();
  assert.equal(net.at(1).training, true);
  const calls: string[] = [];
  const h1 = net.registerForwardPreHook(() => void calls.push("pre"));
  const h2 = net.registerForwardHook((_m, _i, out) => {
    calls.push("post");
    return (out as Tensor).mul(0);
  });
  const y = net.call(torch.ones(1, 2));
  assert.deepEqual(calls, ["pre", "post"]);
  assert.deepEqual(y.abs().tolist(), [[0, 0]]);
  h1.remove();
  h2.remove();
  const names: string[] = [];
  net.apply((m) => void names.push(m.constructor.name));
  assert.deepEqual(names, ["Linear", "Dropout", "Sequential"]);
  net.requiresGrad_(false);
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
  net.to(torch.float64);
  assert.ok(net.parameters().every((p) => p.dtype === torch.float64));
  const other = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5)).double();
  other.loadStateDict(net.stateDict());
  assert.deepEqual(other.at(0).weight.tolist(), net.at(0).weight.tolist());
  const r = new nn.Linear(2, 2).loadStateDict({ weight: torch.zeros(2, 2) }, false);
  assert.deepEqual(r.missingKeys, ["bias"]);
});
test("CrossEntropyLoss module trains a linear model", () => {
  torch.manualSeed(0);
  const model = new nn.Linear(4, 3);
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(8, 4), t = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: torch.int64 });
  const first = lossFn.call(model.call(x), t).item();
  for (let i = 0; i < 50; i++) {
    model.zeroGrad();
    const loss = lossFn.call(model.call(x), t);
    loss.backward();
    torch.noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.5));
    });
  }
  assert.ok(lossFn.call(model.call(x), t).item() < first * 0.7);
});

// ---------------------------------------------------------------- gradcheck (float64 finite differences)
const d64 = { dtype: torch.float64 };
const r64 = (...shape: number[]) => torch.rand(shape, d64).mul(4).sub(2).requiresGrad_(true);
const idx = (vals: number[]) => torch.tensor(vals, { dtype: torch.int64 });
const GRADCHECKS: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  "conv2d stride/pad/dilation": [(x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2] }), () => [r64(2, 2, 5, 6), r64(3, 2, 2, 3), r64(3)]],
  "conv2d groups": [(x, w) => F.conv2d(x, w, null, { groups: 2 }), () => [r64(1, 4, 4, 4), r64(4, 2, 3, 3)]],
  "conv1d same": [(x, w, b) => F.conv1d(x, w, b, { padding: "same" }), () => [r64(2, 2, 6), r64(3, 2, 4), r64(3)]],
  "max_pool2d": [(x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }), () => [r64(1, 2, 5, 5)]],
  "avg_pool2d": [(x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), () => [r64(1, 2, 5, 5)]],
  "adaptive_avg_pool2d": [(x) => F.adaptiveAvgPool2d(x, [2, 3]), () => [r64(1, 2, 5, 7)]],
  "layer_norm": [(x, w, b) => F.layerNorm(x, [4], w, b), () => [r64(3, 4), r64(4), r64(4)]],
  "batch_norm train": [(x, w, b) => F.batchNorm(x, null, null, w, b, true), () => [r64(4, 3, 2), r64(3), r64(3)]],
  // NOTE: without padding_idx: the padding row's zero gradient is by design, not the derivative
  "embedding": [(w) => F.embedding(idx([0, 2, 2, 1]), w), () => [r64(3, 2)]],
  "pad": [(x) => F.pad(x, [1, 0, 2, 1], "constant", 3), () => [r64(2, 3)]],
  "linear": [(x, w, b) => F.linear(x, w, b), () => [r64(2, 3, 4), r64(2, 4), r64(2)]],
  "smooth_l1": [(x, t) => F.smoothL1Loss(x, t, { beta: 0.5 }), () => [r64(3, 4), r64(3, 4)]],
  "huber": [(x, t) => F.huberLoss(x, t, { reduction: "sum", delta: 0.7 }), () => [r64(3, 4), r64(3, 4)]],
  "bce": [(x, t) => F.binaryCrossEntropy(x.sigmoid(), t.sigmoid(), { weight: torch.tensor([1, 2, 0.5, 1], d64) }), () => [r64(3, 4), r64(3, 4)]],
  "bce_with_logits pos_weight": [(x, t) => F.binaryCrossEntropyWithLogits(x, t.sigmoid(), { posWeight: torch.tensor([2, 0.5, 1, 3], d64) }), () => [r64(3, 4), r64(3, 4)]],
  "nll weight": [(x) => F.nllLoss(x, idx([0, 3, 1]), { weight: torch.tensor([1, 2, 0.5, 1], d64) }), () => [r64(3, 4)]],
  "cross_entropy smoothing": [(x) => F.crossEntropy(x, idx([0, 3, 1]), { labelSmoothing: 0.2 }), () => [r64(3, 4)]],
  "cross_entropy probs": [(x, t) => F.crossEntropy(x, t.softmax(1)), () => [r64(3, 4), r64(3, 4)]],
  "kl_div batchmean": [(x, t) => F.klDiv(x, t.softmax(1), { reduction: "batchmean" }), () => [r64(3, 4), r64(3, 4)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADCHECKS)) {
  test(`gradcheck: ${name}`, () => {
    torch.manualSeed(0);
    assert.ok(torch.autograd.gradcheck(fn, mk()));
  });
}
// second order: gradcheck of the first derivative taken with createGraph
const GRADGRAD: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  conv2d: [(x, w) => F.conv2d(x, w, null, { padding: 1, stride: 2 }), () => [r64(1, 2, 4, 4), r64(2, 2, 3, 3)]],
  layer_norm: [(x, w) => F.layerNorm(x, [4], w), () => [r64(2, 4), r64(4)]],
  batch_norm: [(x) => F.batchNorm(x, null, null, null, null, true), () => [r64(4, 2)]],
  mse: [(x, t) => F.mseLoss(x, t), () => [r64(2, 3), r64(2, 3)]],
  cross_entropy: [(x) => F.crossEntropy(x, idx([1, 0])), () => [r64(2, 3)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADGRAD)) {
  test(`gradgradcheck: ${name}`, () => {
    torch.manualSeed(0);
    const inputs = mk();
    // enableGrad: gradcheck evaluates fn for finite differences under noGrad
    const first = (...xs: Tensor[]) =>
      torch.enableGrad(() => {
        const y = fn(...xs);
        const gs = torch.autograd.grad(y.mul(y).sum(), xs, { createGraph: true });
        return torch.cat(gs.map((g) => g!.reshape(-1)));
      });
    assert.ok(torch.autograd.gradcheck(first, inputs));
  });
}

test("modules are callable as in Python: model(x) runs hooks and forward like model.call(x)", () => {
  class Net extends nn.Module {
    override name = "net"; // a field named like a Function property still registers as a plain field
    linear = new nn.Linear(3, 2);
    override forward(x: Tensor): Tensor {
      return this.linear(x) as Tensor;
    }
  }
  torch.manualSeed(0);
  const net = new Net();
  const x = torch.randn(4, 3);
  let seen = 0;
  const h = net.registerForwardHook((_m, _i, out) => {
    seen++;
    return (out as Tensor).mul(2);
  });
  const viaCall = net(x) as Tensor;
  assert.equal(seen, 1);
  assert.deepEqual(viaCall.tolist(), (net.call(x) as Tensor).tolist());
  assert.equal(seen, 2);
  h.remove();
  assert.deepEqual((net(x) as Tensor).tolist(), net.forward(x).tolist());
  assert.equal(viaCall.gradFn?.name(), "MulBackward0");
  assert.ok(net instanceof Net && net instanceof nn.Module);
  assert.equal(net.name, "net");
  assert.deepEqual(net.namedParameters().map(([n]) => n), ["linear.weight", "linear.bias"]);
  assert.equal(String(net), "Net(\n  (linear): Linear(in_features=3, out_features=2, bias=True)\n)");
  const seq = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU());
  assert.equal(seq.length, 2);
  assert.deepEqual((seq(x) as Tensor).shape, [4, 2]);
  assert.throws(() => new nn.Module()(x), { name: "NotImplementedError", message: "Module [Module] is missing the required \"forward\" function" });
});
