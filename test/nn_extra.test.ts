// Normalization, activation, small-layer and loss functions and modules of issue 10, and nn.utils
// weight_norm / spectral_norm / prune / parametrize, against real PyTorch 1.13
// (test/fixtures/nn_extra.json, from scripts/gen_nn_extra_fixtures.py): outputs, grad_fn names and
// the gradients of a weighted sum of each output; seeded initialisation; dropout and rrelu draws under
// manualSeed; module runs with their running statistics; pruning and parametrization steps; reprs
// and error messages. Plus float64 gradchecks of every differentiable op and a few double backwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { BACKENDS, onBackend } from "./helpers/numerics.js";

const nn = torch.nn;
const F = torch.nn.functional;
const U = torch.nn.utils;

type Num = number | "inf" | "-inf" | "nan";
interface Enc { shape: number[]; dtype: string; data: Num[] }
type Kw = Record<string, unknown>;
interface Case {
  name: string; fn: string; kw: Kw; inputs: Record<string, Enc | unknown>; grad: string[]; out: Enc; grad_fn: string | null;
  w?: Enc; grads?: Record<string, Enc | null>; after?: Record<string, Enc>; weight_after?: Enc;
}
interface Init { name: string; seed: number; state: Record<string, Enc>; params: string[]; buffers: string[]; repr: string }
interface ModuleRun {
  name: string; train: boolean; steps: number; seed: number | null; state: Record<string, Enc>; inputs: Enc[]; out: Enc; grad_fn: string | null;
  w: Enc; input_grads: (Enc | null)[]; param_grads: Record<string, Enc>; after: Record<string, Enc>;
}
interface Draw { name: string; seed: number; input: Enc; out: Enc; next: Enc }
interface PruneStep { params: string[]; buffers: string[]; state: Record<string, Enc>; is_pruned: boolean; weight: Enc; weight_grad_fn: string | null }
interface PruneCase { name: string; seed: number; state0: Record<string, Enc>; steps: PruneStep[]; x: Enc; out: Enc; grads: Record<string, Enc> }
interface ParamCase {
  name: string; state0: Record<string, Enc>; repr: string; params: string[]; state: Record<string, Enc>; weight: Enc; weight_grad_fn: string | null;
  x: Enc; out: Enc; grads: Record<string, Enc>; after_set?: Record<string, Enc>; set_error?: string;
  removed: { repr: string; params: string[]; state: Record<string, Enc> };
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/nn_extra.json", import.meta.url), "utf8")) as {
  cases: Case[]; inits: Init[]; module_runs: ModuleRun[]; draws: Draw[]; prunes: PruneCase[]; params: ParamCase[];
  reprs: Record<string, string>; errors: Record<string, { type: string; message: string }>;
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, bool: torch.bool };
const num = (v: Num): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v);
function dec(e: Enc): Tensor {
  return torch.tensor(e.data.map(num), { dtype: DTYPES[e.dtype]! }).reshape(e.shape);
}
const isEnc = (v: unknown): v is Enc => typeof v === "object" && v !== null && "dtype" in v && "data" in v;

/**
 * NOTE: tolerances. float32 results are held to rtol 2e-5 / atol 2e-6 of PyTorch's: the kernels run
 * the same operations, but their reductions (norms, means, sums over a bag or a group) add in
 * another order than PyTorch's vectorised loops, and exp/log/tanh may differ by an ulp; a few ulps
 * remain after normalizing by a group's statistics. float64 agrees to ~1e-15, held to 1e-11.
 */
function tolFor(dtype: string): { rtol: number; atol: number } {
  return dtype === "float64" ? { rtol: 1e-11, atol: 1e-12 } : { rtol: 2e-5, atol: 2e-6 };
}
function close(actual: Tensor | null | undefined, expected: Enc, what: string, tol = tolFor(expected.dtype)): void {
  assert.ok(actual, `${what}: missing`);
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  const a = Array.from(actual.detach().contiguous().dataSync() as ArrayLike<number | bigint | boolean>, Number);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = num(expected.data[i]!);
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    assert.ok(Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y), `${what}[${i}]: got ${x}, expected ${y}`);
  }
}
/** Exact equality (seeded draws: the same generator stream gives the same bits). */
function exact(actual: Tensor, expected: Enc, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const f = expected.dtype === "float32" ? Math.fround : (v: number) => v;
  assert.deepEqual(Array.from(actual.contiguous().dataSync() as ArrayLike<number>, Number), expected.data.map((v) => f(num(v))), `${what}: values`);
}
function stateOf(s: Record<string, Enc>): Map<string, Tensor> {
  return new Map(Object.entries(s).map(([k, v]) => [k, dec(v)]));
}

// ---------------------------------------------------------------- functional cases
type In = Record<string, Tensor>;
const red = (kw: Kw) => (kw.reduction as "mean" | "sum" | "none" | undefined) ?? "mean";
const opt = <T>(v: unknown): T | undefined => (v === undefined ? undefined : (v as T));
const inplaceOf = (f: (x: Tensor) => Tensor) => (i: In) => f(i.input!.mul(1));
const CASES: Record<string, (i: In, kw: Kw) => Tensor> = {
  group_norm: (i, kw) => F.groupNorm(i.input!, kw.num_groups as number, i.weight, i.bias, opt<number>(kw.eps)),
  instance_norm: (i, kw) => F.instanceNorm(i.input!, {
    runningMean: i.running_mean ?? null, runningVar: i.running_var ?? null, weight: i.weight ?? null, bias: i.bias ?? null,
    useInputStats: opt<boolean>(kw.use_input_stats), momentum: opt<number>(kw.momentum), eps: opt<number>(kw.eps),
  }),
  local_response_norm: (i, kw) => F.localResponseNorm(i.input!, kw.size as number, opt<number>(kw.alpha), opt<number>(kw.beta), opt<number>(kw.k)),
  normalize: (i, kw) => F.normalize(i.input!, opt<number>(kw.p), opt<number>(kw.dim), opt<number>(kw.eps)),
  prelu: (i) => F.prelu(i.input!, i.weight!),
  hardswish: (i) => F.hardswish(i.input!),
  hardsigmoid: (i) => F.hardsigmoid(i.input!),
  mish: (i) => F.mish(i.input!),
  softsign: (i) => F.softsign(i.input!),
  tanhshrink: (i) => F.tanhshrink(i.input!),
  logsigmoid: (i) => F.logsigmoid(i.input!),
  selu: (i) => F.selu(i.input!),
  celu: (i, kw) => F.celu(i.input!, opt<number>(kw.alpha)),
  softshrink: (i, kw) => F.softshrink(i.input!, kw.lambd as number),
  hardshrink: (i, kw) => F.hardshrink(i.input!, kw.lambd as number),
  threshold: (i, kw) => F.threshold(i.input!, kw.threshold as number, kw.value as number),
  glu: (i, kw) => F.glu(i.input!, opt<number>(kw.dim)),
  softmin: (i, kw) => F.softmin(i.input!, kw.dim as number, kw.dtype ? { dtype: DTYPES[kw.dtype as string]! } : {}),
  softmax2d: (i) => new nn.Softmax2d()(i.input!),
  rrelu: (i, kw) => F.rrelu(i.input!, kw.lower as number, kw.upper as number),
  hardtanh_module: (i, kw) => new nn.Hardtanh(kw.min_val as number, kw.max_val as number)(i.input!),
  relu6_module: (i) => new nn.ReLU6()(i.input!),
  hardswish_inplace: inplaceOf((x) => F.hardswish(x, true)),
  hardsigmoid_inplace: inplaceOf((x) => F.hardsigmoid(x, true)),
  mish_inplace: inplaceOf((x) => F.mish(x, true)),
  celu_inplace: (i, kw) => F.celu(i.input!.mul(1), kw.alpha as number, true),
  selu_inplace: inplaceOf((x) => F.selu(x, true)),
  threshold_inplace: (i, kw) => F.threshold(i.input!.mul(1), kw.threshold as number, kw.value as number, true),
  rrelu_inplace: inplaceOf((x) => F.rrelu(x, 1 / 8, 1 / 3, false, true)),
  cosine_similarity: (i, kw) => F.cosineSimilarity(i.x1!, i.x2!, opt<number>(kw.dim), opt<number>(kw.eps)),
  pairwise_distance: (i, kw) => F.pairwiseDistance(i.x1!, i.x2!, opt<number>(kw.p), opt<number>(kw.eps), opt<boolean>(kw.keepdim)),
  bilinear: (i) => F.bilinear(i.input1!, i.input2!, i.weight!, i.bias),
  unflatten: (i, kw) => new nn.Unflatten(kw.dim as number, kw.sizes as number[])(i.input!),
  embedding_bag: (i, kw) => F.embeddingBag(i.input!, i.weight!, {
    offsets: i.offsets ?? null, perSampleWeights: i.per_sample_weights ?? null, mode: opt(kw.mode), paddingIdx: opt(kw.padding_idx),
    includeLastOffset: opt(kw.include_last_offset), scaleGradByFreq: opt(kw.scale_grad_by_freq), maxNorm: opt(kw.max_norm),
  }),
  margin_ranking_loss: (i, kw) => F.marginRankingLoss(i.input1!, i.input2!, i.target!, { margin: opt(kw.margin), reduction: red(kw) }),
  hinge_embedding_loss: (i, kw) => F.hingeEmbeddingLoss(i.input!, i.target!, { margin: opt(kw.margin), reduction: red(kw) }),
  cosine_embedding_loss: (i, kw) => F.cosineEmbeddingLoss(i.input1!, i.input2!, i.target!, { margin: opt(kw.margin), reduction: red(kw) }),
  triplet_margin_loss: (i, kw) => F.tripletMarginLoss(i.anchor!, i.positive!, i.negative!, {
    margin: opt(kw.margin), p: opt(kw.p), eps: opt(kw.eps), swap: opt(kw.swap), reduction: red(kw),
  }),
  multilabel_soft_margin_loss: (i, kw) => F.multilabelSoftMarginLoss(i.input!, i.target!, { weight: i.weight ?? null, reduction: red(kw) }),
  multi_margin_loss: (i, kw) => F.multiMarginLoss(i.input!, i.target!, { p: opt(kw.p), margin: opt(kw.margin), weight: i.weight ?? null, reduction: red(kw) }),
  multilabel_margin_loss: (i, kw) => F.multilabelMarginLoss(i.input!, i.target!, { reduction: red(kw) }),
  soft_margin_loss: (i, kw) => F.softMarginLoss(i.input!, i.target!, { reduction: red(kw) }),
  poisson_nll_loss: (i, kw) => F.poissonNllLoss(i.input!, i.target!, { logInput: opt(kw.log_input), full: opt(kw.full), eps: opt(kw.eps), reduction: red(kw) }),
  gaussian_nll_loss: (i, kw) => F.gaussianNllLoss(i.input!, i.target!, i.var!, { full: opt(kw.full), eps: opt(kw.eps), reduction: red(kw) }),
  binary_cross_entropy: (i, kw) => F.binaryCrossEntropy(i.input!, i.target!, { weight: i.weight ?? null, reduction: red(kw) }),
  binary_cross_entropy_with_logits: (i, kw) => F.binaryCrossEntropyWithLogits(i.input!, i.target!, { weight: i.weight ?? null, posWeight: i.pos_weight ?? null, reduction: red(kw) }),
  ctc_loss: (i, kw) => F.ctcLoss(i.logits!.logSoftmax(-1), i.targets!, kw.input_lengths as number[], kw.target_lengths as number[], {
    blank: opt(kw.blank), reduction: red(kw), zeroInfinity: opt(kw.zero_infinity),
  }),
};

// (each case on the fast default backend, whose fused normalization group_norm and batch norm use,
// and on the reference backend, which composes it from primitives)
for (const c of fx.cases) for (const backend of BACKENDS) {
  test(`${c.name}${backend === "wasm" ? "" : ` [${backend}]`}: output, grad_fn and gradients match PyTorch`, () => onBackend(backend, () => {
    const fn = CASES[c.fn];
    assert.ok(fn, `no TypeScript case for ${c.fn}`);
    const ins: In = {};
    for (const [k, v] of Object.entries(c.inputs)) if (isEnc(v)) ins[k] = dec(v);
    for (const k of c.grad) ins[k]!.requiresGrad_(true);
    const out = fn(ins, c.kw);
    close(out, c.out, "output");
    assert.equal(out.gradFn?.name() ?? null, c.grad_fn, "grad_fn");
    if (c.after) for (const [k, e] of Object.entries(c.after)) close(ins[k], e, `${k} after`);
    if (c.weight_after) close(ins.weight, c.weight_after, "weight after max_norm");
    if (!c.grads) return;
    out.mul(dec(c.w!)).sum().backward();
    for (const [k, g] of Object.entries(c.grads)) {
      if (g === null) assert.equal(ins[k]!.grad, null, `grad of ${k}: PyTorch has none`);
      else close(ins[k]!.grad, g, `grad of ${k}`);
    }
  }));
}
test("every fixture function has a TypeScript case, and every TypeScript case a fixture", () => {
  assert.deepEqual([...new Set(fx.cases.map((c) => c.fn))].sort(), Object.keys(CASES).sort());
});

// ---------------------------------------------------------------- seeded initialisation
const INITS: Record<string, () => torch.nn.Module> = {
  prelu_3: () => new nn.PReLU(3, 0.1),
  bilinear: () => new nn.Bilinear(3, 2, 4),
  bilinear_nobias: () => new nn.Bilinear(2, 2, 3, false),
  embedding_bag_pad: () => new nn.EmbeddingBag(6, 3, { mode: "sum", paddingIdx: -2 }),
  group_norm: () => new nn.GroupNorm(2, 4),
  instance_norm_tracked: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  batch_norm_3d: () => new nn.BatchNorm3d(2),
  spectral_norm_linear: () => U.spectralNorm(new nn.Linear(4, 3)),
  spectral_norm_conv_dim1: () => U.spectralNorm(new nn.Conv1d(2, 3, 2), "weight", 1, 1e-12, 1),
  weight_norm_linear: () => U.weightNorm(new nn.Linear(4, 3)),
  weight_norm_linear_none: () => U.weightNorm(new nn.Linear(4, 3), "weight", null),
};
for (const c of fx.inits) {
  test(`init ${c.name}: parameters and buffers under manualSeed(${c.seed}) are PyTorch's`, () => {
    torch.manualSeed(c.seed);
    const m = INITS[c.name]!();
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state), "state dict keys");
    // NOTE: the draws are bit-exact; the values normalized from them (spectral norm's u and v,
    // weight norm's g) are float results and compared with the float tolerance.
    for (const [k, e] of Object.entries(c.state)) (/_(u|v|g)$/.test(k) ? close : exact)(sd.get(k)!, e, k);
    assert.deepEqual(m.namedParameters().map(([k]) => k), c.params);
    assert.deepEqual(m.namedBuffers().map(([k]) => k), c.buffers);
    assert.equal(String(m), c.repr);
  });
}

// ---------------------------------------------------------------- module runs
const RUNS: Record<string, () => torch.nn.Module> = {
  group_norm: () => new nn.GroupNorm(2, 4),
  instance_norm1d_tracked_train: () => new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }),
  instance_norm1d_tracked_eval: () => new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }),
  instance_norm2d_unbatched: () => new nn.InstanceNorm2d(3, { trackRunningStats: true }),
  instance_norm3d: () => new nn.InstanceNorm3d(2, { affine: true }),
  batch_norm3d_train: () => new nn.BatchNorm3d(2),
  batch_norm3d_eval: () => new nn.BatchNorm3d(2),
  local_response_norm: () => new nn.LocalResponseNorm(3, 1e-2, 0.75, 1.5),
  prelu: () => new nn.PReLU(4),
  bilinear: () => new nn.Bilinear(3, 2, 4),
  embedding_bag: () => new nn.EmbeddingBag(7, 3, { mode: "max" }),
  rrelu_train: () => new nn.RReLU(0.1, 0.4),
  rrelu_train_inplace_nonleaf: () => new nn.Sequential(new nn.Hardtanh(-10, 10), new nn.RReLU(1 / 8, 1 / 3, true)),
  dropout1d: () => new nn.Dropout1d(0.4),
  dropout1d_unbatched: () => new nn.Dropout1d(0.5),
  dropout2d: () => new nn.Dropout2d(0.3),
  dropout3d: () => new nn.Dropout3d(0.5),
  dropout3d_unbatched: () => new nn.Dropout3d(0.5),
  alpha_dropout: () => new nn.AlphaDropout(0.2),
  alpha_dropout_f64: () => new nn.AlphaDropout(0.6),
  feature_alpha_dropout: () => new nn.FeatureAlphaDropout(0.5),
  dropout2d_eval: () => new nn.Dropout2d(0.3),
  weight_norm: () => U.weightNorm(new nn.Linear(4, 3)),
  weight_norm_dim1: () => U.weightNorm(new nn.Linear(4, 3), "weight", 1),
  weight_norm_none: () => U.weightNorm(new nn.Linear(4, 3), "weight", null),
  weight_norm_conv_dim1: () => U.weightNorm(new nn.Conv1d(2, 3, 2), "weight", 1),
  spectral_norm_train: () => U.spectralNorm(new nn.Linear(4, 3)),
  spectral_norm_eval: () => U.spectralNorm(new nn.Linear(4, 3), "weight", 2),
  spectral_norm_conv: () => U.spectralNorm(new nn.Conv2d(2, 3, 2), "weight", 2),
};
for (const c of fx.module_runs) {
  test(`module run ${c.name}: output, gradients and state after match PyTorch`, () => {
    const m = RUNS[c.name]!();
    assert.deepEqual([...m.stateDict().keys()], Object.keys(c.state), "state dict keys");
    m.loadStateDict(stateOf(c.state));
    m.train(c.train);
    const xs = c.inputs.map((e) => { const t = dec(e); return t.dtype.isFloatingPoint ? t.requiresGrad_(true) : t; });
    if (c.seed !== null) torch.manualSeed(c.seed);
    let out: Tensor | null = null;
    for (let s = 0; s < c.steps; s++) out = m(...xs) as Tensor;
    close(out, c.out, "output");
    assert.equal(out!.gradFn?.name() ?? null, c.grad_fn, "grad_fn");
    out!.mul(dec(c.w)).sum().backward();
    c.input_grads.forEach((g, i) => (g === null ? assert.equal(xs[i]!.grad, null) : close(xs[i]!.grad, g, `grad of input ${i}`)));
    const params = new Map(m.namedParameters());
    for (const [k, g] of Object.entries(c.param_grads)) close(params.get(k)!.grad, g, `grad of ${k}`);
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.after), "state dict keys after");
    for (const [k, e] of Object.entries(c.after)) close(sd.get(k)!, e, `${k} after`);
  });
}

// ---------------------------------------------------------------- draws under manualSeed
const DRAWS: Record<string, (x: Tensor) => Tensor> = {
  dropout1d_p03: (x) => F.dropout1d(x, 0.3),
  dropout2d_3d_input: (x) => F.dropout2d(x, 0.5),
  dropout2d_p1: (x) => F.dropout2d(x, 1.0),
  alpha_dropout_train: (x) => F.alphaDropout(x, 0.3, true),
  alpha_dropout_default_eval: (x) => F.alphaDropout(x, 0.3),
  feature_alpha_dropout_train: (x) => F.featureAlphaDropout(x, 0.4, true),
  rrelu_train_f64: (x) => F.rrelu(x, 0.2, 0.5, true),
  rrelu_train_equal_bounds: (x) => F.rrelu(x, 0.25, 0.25, true),
  dropout1d_inplace_unbatched: (x) => F.dropout1d(x.clone(), 0.5, true, true),
};
for (const c of fx.draws) {
  test(`draw ${c.name}: the mask under manualSeed(${c.seed}) and the generator's next state are PyTorch's`, () => {
    torch.manualSeed(c.seed);
    const y = DRAWS[c.name]!(dec(c.input));
    close(y, c.out, "output");
    exact(torch.rand(3), c.next, "the next draw");
  });
}

// ---------------------------------------------------------------- prune
const P = U.prune;
const PRUNES: Record<string, [() => torch.nn.Linear, ((m: torch.nn.Linear) => unknown)[]]> = {
  l1: [() => new nn.Linear(5, 4), [(m) => P.l1Unstructured(m, "weight", 0.3)]],
  l1_count_then_random: [() => new nn.Linear(5, 4), [(m) => P.l1Unstructured(m, "weight", 3), (m) => P.randomUnstructured(m, "weight", 0.5)]],
  random_then_remove: [() => new nn.Linear(4, 3), [(m) => P.randomUnstructured(m, "weight", 0.4), (m) => P.remove(m, "weight")]],
  identity_bias_l1: [() => new nn.Linear(3, 4), [(m) => P.identity(m, "weight"), (m) => P.l1Unstructured(m, "bias", 2)]],
  l1_importance: [() => new nn.Linear(3, 3), [(m) => P.l1Unstructured(m, "weight", 0.5, torch.arange(9, { dtype: torch.float32 }).reshape(3, 3).flip([0]))]],
  custom_mask: [() => new nn.Linear(3, 2), [(m) => P.customFromMask(m, "weight", torch.tensor([[1, 0, 1], [0, 1, 1]]))]],
  global_l1: [() => new nn.Linear(3, 3), [(m) => P.globalUnstructured([[m, "weight"], [m, "bias"]], P.L1Unstructured, null, { amount: 4 })]],
};
for (const c of fx.prunes) {
  test(`prune ${c.name}: parameters, masks, weights and gradients match PyTorch`, () => {
    const [build, ops] = PRUNES[c.name]!;
    const m = build();
    m.loadStateDict(stateOf(c.state0));
    torch.manualSeed(c.seed + 1);
    ops.forEach((op, i) => {
      op(m);
      const s = c.steps[i]!;
      assert.deepEqual(m.namedParameters().map(([k]) => k), s.params, `step ${i}: parameters`);
      assert.deepEqual(m.namedBuffers().map(([k]) => k), s.buffers, `step ${i}: buffers`);
      const sd = m.stateDict();
      assert.deepEqual([...sd.keys()], Object.keys(s.state), `step ${i}: state dict keys`);
      for (const [k, e] of Object.entries(s.state)) exact(sd.get(k)!, e, `step ${i}: ${k}`);
      assert.equal(P.isPruned(m), s.is_pruned, `step ${i}: isPruned`);
      exact(m.weight, s.weight, `step ${i}: weight`);
      assert.equal(m.weight.gradFn?.name() ?? null, s.weight_grad_fn, `step ${i}: weight's grad_fn`);
    });
    const out = m(dec(c.x)) as Tensor;
    close(out, c.out, "output");
    out.sum().backward();
    const params = new Map(m.namedParameters());
    assert.deepEqual([...params.keys()].filter((k) => params.get(k)!.grad), Object.keys(c.grads));
    for (const [k, g] of Object.entries(c.grads)) close(params.get(k)!.grad, g, `grad of ${k}`);
  });
}

// ---------------------------------------------------------------- parametrize
const PZ = U.parametrize;
class Symmetric extends nn.Module {
  override forward(X: Tensor): Tensor {
    return X.triu().add(X.triu(1).transpose(0, 1));
  }
}
class Scale extends nn.Module {
  declare s: number;
  constructor(s: number) {
    super();
    this.s = s;
  }
  override forward(X: Tensor): Tensor {
    return X.mul(this.s);
  }
  rightInverse(X: Tensor): Tensor {
    return X.div(this.s);
  }
}
const PARAMS: Record<string, [(m: torch.nn.Linear) => void, boolean]> = {
  symmetric_then_scale: [(m) => { PZ.registerParametrization(m, "weight", new Symmetric()); PZ.registerParametrization(m, "weight", new Scale(3)); }, true],
  scale_leave_false: [(m) => { PZ.registerParametrization(m, "weight", new Scale(2)); }, false],
  scale_bias: [(m) => { PZ.registerParametrization(m, "bias", new Scale(0.5)); }, true],
};
for (const c of fx.params) {
  test(`parametrize ${c.name}: repr, state dict, forward, gradients, assignment and removal match PyTorch`, () => {
    const m = new nn.Linear(3, 3);
    m.loadStateDict(stateOf(c.state0));
    const [op, leave] = PARAMS[c.name]!;
    op(m);
    assert.equal(String(m), c.repr);
    assert.deepEqual(m.namedParameters().map(([k]) => k), c.params);
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state));
    for (const [k, e] of Object.entries(c.state)) close(sd.get(k)!, e, k);
    close(m.weight, c.weight, "weight");
    assert.equal(m.weight.gradFn?.name() ?? null, c.weight_grad_fn);
    const out = m(dec(c.x)) as Tensor;
    close(out, c.out, "output");
    out.sum().backward();
    const params = new Map(m.namedParameters());
    for (const [k, g] of Object.entries(c.grads)) close(params.get(k)!.grad, g, `grad of ${k}`);
    if (PZ.isParametrized(m, "weight")) {
      const set = () => { (m as unknown as { weight: Tensor }).weight = torch.eye(3).mul(2); };
      if (c.set_error !== undefined) assert.throws(set, (e: Error) => e.name === "RuntimeError" && e.message === c.set_error);
      else {
        set();
        for (const [k, e] of Object.entries(c.after_set!)) close(m.stateDict().get(k)!, e, `${k} after assignment`);
      }
      PZ.removeParametrizations(m, "weight", leave);
    }
    assert.equal(String(m), c.removed.repr);
    assert.deepEqual(m.namedParameters().map(([k]) => k), c.removed.params);
    for (const [k, e] of Object.entries(c.removed.state)) close(m.stateDict().get(k)!, e, `${k} after removal`);
  });
}

// ---------------------------------------------------------------- reprs
const REPRS: Record<string, () => torch.nn.Module> = {
  group_norm: () => new nn.GroupNorm(2, 4), group_norm_noaffine: () => new nn.GroupNorm(2, 4, 1e-3, false),
  instance_norm1d: () => new nn.InstanceNorm1d(3), instance_norm2d: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  instance_norm3d: () => new nn.InstanceNorm3d(3, { eps: 1e-3, momentum: 0.2 }), batch_norm3d: () => new nn.BatchNorm3d(3),
  lrn: () => new nn.LocalResponseNorm(2), lrn_args: () => new nn.LocalResponseNorm(3, 1e-3, 0.5, 2.0),
  prelu: () => new nn.PReLU(), prelu_3: () => new nn.PReLU(3, 0.1), hardtanh: () => new nn.Hardtanh(), hardtanh_inplace: () => new nn.Hardtanh(-2.0, 2.5, true),
  relu6: () => new nn.ReLU6(), relu6_inplace: () => new nn.ReLU6(true), hardswish: () => new nn.Hardswish(), hardswish_inplace: () => new nn.Hardswish(true),
  hardsigmoid: () => new nn.Hardsigmoid(), mish: () => new nn.Mish(), mish_inplace: () => new nn.Mish(true), softsign: () => new nn.Softsign(),
  tanhshrink: () => new nn.Tanhshrink(), softshrink: () => new nn.Softshrink(), softshrink_03: () => new nn.Softshrink(0.3), hardshrink: () => new nn.Hardshrink(),
  threshold: () => new nn.Threshold(0.1, 20), threshold_inplace: () => new nn.Threshold(0.5, -1.5, true), glu: () => new nn.GLU(), glu_1: () => new nn.GLU(1),
  logsigmoid: () => new nn.LogSigmoid(), softmin: () => new nn.Softmin(), softmin_1: () => new nn.Softmin(1), softmax2d: () => new nn.Softmax2d(),
  celu: () => new nn.CELU(), celu_2_inplace: () => new nn.CELU(2.0, true), selu: () => new nn.SELU(), selu_inplace: () => new nn.SELU(true),
  rrelu: () => new nn.RReLU(), rrelu_args: () => new nn.RReLU(0.1, 0.3, true),
  unflatten: () => new nn.Unflatten(1, [2, 2]), dropout1d: () => new nn.Dropout1d(), dropout2d: () => new nn.Dropout2d(0.2), dropout3d: () => new nn.Dropout3d(0.3, true),
  alpha_dropout: () => new nn.AlphaDropout(), feature_alpha_dropout: () => new nn.FeatureAlphaDropout(0.2),
  embedding_bag: () => new nn.EmbeddingBag(10, 3), embedding_bag_args: () => new nn.EmbeddingBag(10, 3, { maxNorm: 1.0, normType: 1.0, mode: "max", paddingIdx: 0 }),
  embedding_bag_freq: () => new nn.EmbeddingBag(10, 3, { mode: "sum", scaleGradByFreq: true }),
  bilinear: () => new nn.Bilinear(2, 3, 4), bilinear_nobias: () => new nn.Bilinear(2, 3, 4, false), cosine_similarity: () => new nn.CosineSimilarity(),
  pairwise_distance: () => new nn.PairwiseDistance(1.0, 1e-5, true),
  margin_ranking: () => new nn.MarginRankingLoss({ margin: 0.5 }), hinge_embedding: () => new nn.HingeEmbeddingLoss(), cosine_embedding: () => new nn.CosineEmbeddingLoss(),
  triplet_margin: () => new nn.TripletMarginLoss(), multilabel_soft_margin: () => new nn.MultiLabelSoftMarginLoss(), multi_margin: () => new nn.MultiMarginLoss(),
  multilabel_margin: () => new nn.MultiLabelMarginLoss(), soft_margin: () => new nn.SoftMarginLoss(), poisson_nll: () => new nn.PoissonNLLLoss(),
  gaussian_nll: () => new nn.GaussianNLLLoss(), ctc: () => new nn.CTCLoss(),
  seq: () => new nn.Sequential(new nn.GroupNorm(1, 2), new nn.PReLU(2), new nn.Dropout2d(0.1), new nn.Unflatten(1, [1, 2])),
  weight_norm_linear: () => U.weightNorm(new nn.Linear(2, 3)),
};
test("reprs: every module prints as PyTorch's", () => {
  assert.deepEqual(Object.keys(REPRS).sort(), Object.keys(fx.reprs).sort());
  for (const [k, r] of Object.entries(fx.reprs)) assert.equal(String(REPRS[k]!()), r, k);
});

// ---------------------------------------------------------------- errors
const x = torch.randn(2, 3);
const li = (v: unknown) => torch.tensor(v as number[], { dtype: torch.int64 });
const lp = torch.randn(5, 2, 4).logSoftmax(2);
const tg = li([[1, 2, 2], [3, 0, 0]]);
class Shape3 extends nn.Module {
  override forward(): Tensor {
    return torch.zeros(3);
  }
}
const ERRORS: Record<string, () => unknown> = {
  group_norm_groups: () => F.groupNorm(torch.randn(2, 6, 3), 4),
  group_norm_weight: () => F.groupNorm(torch.randn(2, 6, 3), 3, torch.ones(5)),
  group_norm_bias: () => F.groupNorm(torch.randn(2, 6, 3), 3, torch.ones(6), torch.ones(2, 3)),
  group_norm_one_value: () => F.groupNorm(torch.randn(1, 2), 2),
  group_norm_module: () => new nn.GroupNorm(4, 6),
  instance_norm_spatial: () => F.instanceNorm(torch.randn(2, 3, 1)),
  instance_norm_no_stats: () => F.instanceNorm(torch.randn(2, 3, 4), { useInputStats: false }),
  instance_norm2d_dim: () => new nn.InstanceNorm2d(3)(torch.randn(2, 3)),
  instance_norm1d_dim: () => new nn.InstanceNorm1d(3)(torch.randn(2, 3, 4, 5)),
  batch_norm3d_dim: () => new nn.BatchNorm3d(3)(torch.randn(2, 3, 4, 5)),
  lrn_dim: () => F.localResponseNorm(torch.randn(2, 3), 2),
  prelu_mismatch: () => F.prelu(x, torch.ones(2)),
  prelu_weight_dim: () => F.prelu(x, torch.ones(1, 3)),
  prelu_zero_dim: () => F.prelu(torch.tensor(1), torch.ones(2)),
  prelu_long: () => F.prelu(li([1, 2]), torch.ones(1)),
  hardswish_long: () => F.hardswish(li([1, 2])),
  mish_long: () => F.mish(li([1, 2])),
  softshrink_negative: () => F.softshrink(x, -1),
  celu_zero: () => F.celu(x, 0),
  rrelu_bounds: () => F.rrelu(x, 0.5, 0.1),
  glu_odd: () => F.glu(x),
  glu_scalar: () => F.glu(torch.tensor(1)),
  glu_dim: () => F.glu(x, 2),
  softmax2d_dim: () => new nn.Softmax2d()(x),
  hardtanh_bounds: () => new nn.Hardtanh(1, -1),
  unflatten_sizes: () => new nn.Unflatten(1, [2, 2])(torch.randn(2, 3)),
  dropout1d_dim: () => F.dropout1d(torch.randn(2, 3, 4, 5)),
  dropout_p: () => F.dropout2d(x, 1.5),
  dropout_module_p: () => new nn.Dropout3d(-0.1),
  feature_dropout_1d: () => F.featureAlphaDropout(torch.randn(3), 0.5, true),
  embedding_bag_2d_offsets: () => F.embeddingBag(li([[1, 2]]), torch.randn(5, 2), { offsets: li([0]) }),
  embedding_bag_no_offsets: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2)),
  embedding_bag_offsets_2d: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([[0]]) }),
  embedding_bag_3d: () => F.embeddingBag(li([[[1]]]), torch.randn(5, 2)),
  embedding_bag_mode: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), mode: "foo" as "sum" }),
  embedding_bag_max_freq: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), mode: "max", scaleGradByFreq: true }),
  embedding_bag_psw_mean: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), perSampleWeights: torch.ones(2) }),
  embedding_bag_psw_shape: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), mode: "sum", perSampleWeights: torch.ones(3) }),
  embedding_bag_psw_dtype: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), mode: "sum", perSampleWeights: torch.ones(2, { dtype: torch.float64 }) }),
  embedding_bag_float_indices: () => F.embeddingBag(torch.tensor([1, 2]), torch.randn(5, 2), { offsets: li([0]) }),
  embedding_bag_offset0: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([1]) }),
  embedding_bag_offset_last: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0, 3]) }),
  embedding_bag_index_fbgemm: () => F.embeddingBag(li([1, 5]), torch.randn(5, 2), { offsets: li([0]), mode: "sum" }),
  embedding_bag_index_max: () => F.embeddingBag(li([1, 5]), torch.randn(5, 2), { offsets: li([0]), mode: "max" }),
  embedding_bag_padding: () => F.embeddingBag(li([1, 2]), torch.randn(5, 2), { offsets: li([0]), paddingIdx: 5 }),
  embedding_bag_module_padding: () => new nn.EmbeddingBag(5, 2, { paddingIdx: 5 }),
  bilinear_dims: () => F.bilinear(torch.randn(5, 2), torch.randn(3), torch.randn(4, 2, 3)),
  bilinear_batch: () => F.bilinear(torch.randn(5, 2), torch.randn(4, 3), torch.randn(4, 2, 3)),
  bilinear_in1: () => F.bilinear(torch.randn(5, 3), torch.randn(5, 3), torch.randn(4, 2, 3)),
  bilinear_in2: () => F.bilinear(torch.randn(5, 2), torch.randn(5, 2), torch.randn(4, 2, 3)),
  bilinear_bias: () => F.bilinear(torch.randn(5, 2), torch.randn(5, 3), torch.randn(4, 2, 3), torch.ones(3)),
  cosine_similarity_ints: () => F.cosineSimilarity(li([1, 2]), li([1, 2]), 0),
  cosine_similarity_shapes: () => F.cosineSimilarity(torch.randn(3, 2), torch.randn(4, 2)),
  margin_ranking_dims: () => F.marginRankingLoss(x, x.select(0, 0), x),
  margin_ranking_reduction: () => F.marginRankingLoss(x, x, x, { reduction: "foo" as "sum" }),
  cosine_embedding_target_dim: () => F.cosineEmbeddingLoss(x, x, torch.ones(2, 1)),
  cosine_embedding_1d_target: () => F.cosineEmbeddingLoss(x.select(0, 0), x.select(0, 1), torch.ones(3)),
  cosine_embedding_0d_target: () => F.cosineEmbeddingLoss(x, x, torch.tensor(1)),
  triplet_dims: () => F.tripletMarginLoss(x, x.select(0, 0), x),
  multi_margin_target: () => F.multiMarginLoss(x, li([0, 3])),
  multi_margin_target_size: () => F.multiMarginLoss(x, li([0])),
  multi_margin_p: () => F.multiMarginLoss(x, li([0, 1]), { p: 3 }),
  multi_margin_weight_dim: () => F.multiMarginLoss(x, li([0, 1]), { weight: torch.ones(1, 3) }),
  multi_margin_3d: () => F.multiMarginLoss(torch.randn(2, 3, 4), li([0, 1])),
  multi_margin_long: () => F.multiMarginLoss(li([[1, 2]]), li([0])),
  multi_margin_float_target: () => F.multiMarginLoss(x, torch.tensor([0, 1])),
  multilabel_margin_range: () => F.multilabelMarginLoss(x, li([[0, 3, -1], [0, 1, 2]])),
  multilabel_margin_range_low: () => F.multilabelMarginLoss(x, li([[0, -2, -1], [0, 1, 2]])),
  multilabel_margin_size: () => F.multilabelMarginLoss(x, li([[0, 1], [0, 1]])),
  soft_margin_target_grad: () => F.softMarginLoss(x, torch.ones(2, 3, { requiresGrad: true })),
  gaussian_nll_var_size: () => F.gaussianNllLoss(x, x, torch.ones(2, 2)),
  gaussian_nll_negative: () => F.gaussianNllLoss(x, x, torch.ones(2, 3).neg()),
  gaussian_nll_reduction: () => F.gaussianNllLoss(x, x, torch.ones(2, 3), { reduction: "foo" as "sum" }),
  poisson_nll_reduction: () => F.poissonNllLoss(x, x, { reduction: "foo" as "sum" }),
  multilabel_soft_margin_reduction: () => F.multilabelSoftMarginLoss(x, x, { reduction: "foo" as "sum" }),
  ctc_concat_size: () => F.ctcLoss(lp, li([1, 2, 2, 3]), [5, 4], [3, 2]),
  ctc_input_length: () => F.ctcLoss(lp, tg, [6, 4], [3, 1]),
  ctc_input_lengths_size: () => F.ctcLoss(lp, tg, [5, 4, 3], [3, 1]),
  ctc_target_lengths_size: () => F.ctcLoss(lp, tg, [5, 4], [3, 1, 2]),
  ctc_blank: () => F.ctcLoss(lp, tg, [5, 4], [3, 1], { blank: 4 }),
  ctc_target_length: () => F.ctcLoss(lp, tg, [5, 4], [4, 1]),
  ctc_reduction: () => F.ctcLoss(lp, tg, [5, 4], [3, 1], { reduction: "foo" as "sum" }),
  weight_norm_twice: () => U.weightNorm(U.weightNorm(new nn.Linear(2, 2))),
  remove_weight_norm_missing: () => U.removeWeightNorm(new nn.Linear(2, 2)),
  spectral_norm_iterations: () => U.spectralNorm(new nn.Linear(2, 2), "weight", 0),
  spectral_norm_none: () => U.spectralNorm(new nn.Linear(2, 2, false), "bias"),
  spectral_norm_twice: () => U.spectralNorm(U.spectralNorm(new nn.Linear(2, 2))),
  remove_spectral_norm_missing: () => U.removeSpectralNorm(new nn.Linear(2, 2)),
  prune_amount: () => P.l1Unstructured(new nn.Linear(2, 2), "weight", 1.5),
  prune_amount_negative: () => P.randomUnstructured(new nn.Linear(2, 2), "weight", -1),
  prune_amount_count: () => P.l1Unstructured(new nn.Linear(2, 2), "weight", 5),
  prune_remove_missing: () => P.remove(new nn.Linear(2, 2), "weight"),
  parametrize_missing: () => PZ.registerParametrization(new nn.Linear(2, 2), "foo", new Symmetric()),
  parametrize_shape: () => PZ.registerParametrization(new nn.Linear(2, 2), "bias", new Shape3()),
  remove_parametrizations_missing: () => PZ.removeParametrizations(new nn.Linear(2, 2), "weight"),
};
test("errors: every fixture error has a TypeScript case", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), Object.keys(fx.errors).sort());
});
for (const [k, e] of Object.entries(fx.errors)) {
  test(`error ${k}: PyTorch's class and words`, () => {
    assert.throws(ERRORS[k]!, (err: unknown) => {
      assert.ok(err instanceof Error, "threw a non-Error");
      assert.equal(err.name, e.type, `error class (message: ${err.message})`);
      assert.equal(err.message, e.message);
      return true;
    });
  });
}

// ---------------------------------------------------------------- float64 gradchecks
const gc = torch.autograd.gradcheck;
/** A float64 leaf drawn from U(lo, hi) under a fixed seed. */
function leaf(shape: number[], lo = -2, hi = 2, seed = 3): Tensor {
  torch.manualSeed(seed);
  return torch.rand(shape, { dtype: torch.float64 }).mul(hi - lo).add(lo).requiresGrad_(true);
}
const d64 = (v: number[] | number[][]) => torch.tensor(v as number[], { dtype: torch.float64 });
const GRADCHECKS: Record<string, () => boolean> = {
  group_norm: () => gc((a, w, b) => F.groupNorm(a, 2, w, b), [leaf([2, 4, 3]), leaf([4], 0.5, 2, 4), leaf([4], -1, 1, 5)]),
  group_norm_plain: () => gc((a) => F.groupNorm(a, 3, null, null, 1e-3), [leaf([2, 6])]),
  instance_norm: () => gc((a, w, b) => F.instanceNorm(a, { weight: w, bias: b }), [leaf([2, 3, 4]), leaf([3], 0.5, 2, 4), leaf([3], -1, 1, 5)]),
  instance_norm_eval: () => gc((a) => F.instanceNorm(a, { runningMean: d64([0.1, -0.2]), runningVar: d64([1.5, 0.7]), useInputStats: false }), [leaf([2, 2, 3])]),
  local_response_norm_3d: () => gc((a) => F.localResponseNorm(a, 3, 0.1, 0.75, 1), [leaf([2, 4, 3])]),
  local_response_norm_4d: () => gc((a) => F.localResponseNorm(a, 2, 0.5, 0.5, 2), [leaf([1, 3, 2, 2])]),
  normalize: () => gc((a) => F.normalize(a), [leaf([3, 4])]),
  normalize_p3: () => gc((a) => F.normalize(a, 3, 0), [leaf([3, 4], 0.2, 2)]),
  prelu: () => gc((a, w) => F.prelu(a, w), [leaf([2, 3, 4]), leaf([3], 0, 0.5, 4)]),
  prelu_shared: () => gc((a, w) => F.prelu(a, w), [leaf([5]), leaf([1], 0, 0.5, 4)]),
  hardswish: () => gc((a) => F.hardswish(a), [leaf([12], -5, 5)]),
  hardsigmoid: () => gc((a) => F.hardsigmoid(a), [leaf([12], -5, 5)]),
  mish: () => gc((a) => F.mish(a), [leaf([10], -5, 5)]),
  softsign: () => gc((a) => F.softsign(a), [leaf([10])]),
  tanhshrink: () => gc((a) => F.tanhshrink(a), [leaf([10])]),
  softshrink: () => gc((a) => F.softshrink(a, 0.5), [leaf([10])]),
  hardshrink: () => gc((a) => F.hardshrink(a, 0.5), [leaf([10])]),
  threshold: () => gc((a) => F.threshold(a, 0.1, 20), [leaf([10])]),
  glu: () => gc((a) => F.glu(a, 1), [leaf([2, 4, 3])]),
  logsigmoid: () => gc((a) => F.logsigmoid(a), [leaf([10], -6, 6)]),
  softmin: () => gc((a) => F.softmin(a, 1), [leaf([3, 4])]),
  celu: () => gc((a) => F.celu(a, 1.5), [leaf([10], -4, 3)]),
  selu: () => gc((a) => F.selu(a), [leaf([10], -4, 3)]),
  rrelu_eval: () => gc((a) => F.rrelu(a, 0.1, 0.3), [leaf([10])]),
  rrelu_train: () => gc((a) => { torch.manualSeed(9); return F.rrelu(a, 0.1, 0.3, true); }, [leaf([10])]),
  dropout2d: () => gc((a) => { torch.manualSeed(9); return F.dropout2d(a, 0.4); }, [leaf([2, 5, 2, 2])]),
  alpha_dropout: () => gc((a) => { torch.manualSeed(9); return F.alphaDropout(a, 0.4, true); }, [leaf([3, 5])]),
  cosine_similarity: () => gc((a, b) => F.cosineSimilarity(a, b), [leaf([3, 4]), leaf([3, 4], -2, 2, 4)]),
  cosine_similarity_broadcast: () => gc((a, b) => F.cosineSimilarity(a, b, 0), [leaf([1, 4]), leaf([3, 4], -2, 2, 4)]),
  pairwise_distance: () => gc((a, b) => F.pairwiseDistance(a, b), [leaf([3, 4]), leaf([3, 4], -2, 2, 4)]),
  pairwise_distance_p1: () => gc((a, b) => F.pairwiseDistance(a, b, 1, 1e-6, true), [leaf([3, 4]), leaf([3, 4], -2, 2, 4)]),
  bilinear: () => gc((a, b, w, c) => F.bilinear(a, b, w, c), [leaf([3, 2]), leaf([3, 3], -2, 2, 4), leaf([4, 2, 3], -1, 1, 5), leaf([4], -1, 1, 6)]),
  embedding_bag_sum_psw: () => gc((w, p) => F.embeddingBag(li([1, 2, 4, 1, 0]), w, { offsets: li([0, 2, 2]), mode: "sum", perSampleWeights: p }), [leaf([5, 3]), leaf([5], -1, 1, 4)]),
  embedding_bag_mean_padding: () => gc((w) => F.embeddingBag(li([[1, 2, 0], [0, 3, 3]]), w, { mode: "mean", paddingIdx: 0 }), [leaf([5, 3])]),
  embedding_bag_max: () => gc((w) => F.embeddingBag(li([1, 2, 4, 3]), w, { offsets: li([0, 2]), mode: "max" }), [leaf([5, 3])]),
  margin_ranking: () => gc((a, b, t) => F.marginRankingLoss(a, b, t, { margin: 0.3 }), [leaf([6]), leaf([6], -2, 2, 4), leaf([6], -1, 1, 5)]),
  hinge_embedding: () => gc((a) => F.hingeEmbeddingLoss(a, d64([[1, -1, 1], [-1, -1, 1]]), { margin: 1.5, reduction: "none" }), [leaf([2, 3])]),
  cosine_embedding: () => gc((a, b) => F.cosineEmbeddingLoss(a, b, d64([1, -1, -1]), { margin: -0.5, reduction: "sum" }), [leaf([3, 4]), leaf([3, 4], -2, 2, 4)]),
  triplet_margin: () => gc((a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 3, swap: true, reduction: "none" }), [leaf([3, 4]), leaf([3, 4], -2, 2, 4), leaf([3, 4], -2, 2, 5)]),
  multilabel_soft_margin: () => gc((a) => F.multilabelSoftMarginLoss(a, d64([[1, 0, 1], [0, 0, 1]]), { weight: d64([0.5, 1, 2]) }), [leaf([2, 3])]),
  multi_margin_p1: () => gc((a) => F.multiMarginLoss(a, li([0, 3, 1]), { reduction: "none" }), [leaf([3, 4])]),
  multi_margin_p2_weight: () => gc((a) => F.multiMarginLoss(a, li([0, 3, 1]), { p: 2, margin: 0.6, weight: d64([1, 2, 0.5, 1.5]) }), [leaf([3, 4])]),
  multilabel_margin: () => gc((a) => F.multilabelMarginLoss(a, li([[3, 0, -1, 1], [1, 2, 3, 0]]), { reduction: "sum" }), [leaf([2, 4])]),
  soft_margin: () => gc((a) => F.softMarginLoss(a, d64([[1, -1, 1], [-1, -1, 1]])), [leaf([2, 3])]),
  poisson_nll_full: () => gc((a, t) => F.poissonNllLoss(a, t, { logInput: false, full: true, reduction: "none" }), [leaf([2, 3], 0.5, 3), leaf([2, 3], 0, 4, 4)]),
  poisson_nll_log: () => gc((a, t) => F.poissonNllLoss(a, t), [leaf([2, 3]), leaf([2, 3], 0, 4, 4)]),
  gaussian_nll: () => gc((a, t, v) => F.gaussianNllLoss(a, t, v, { full: true }), [leaf([3, 2]), leaf([3, 2], -2, 2, 4), leaf([3, 1], 0.2, 2, 5)]),
  bce_weight: () => gc((a, t) => F.binaryCrossEntropy(a, t, { weight: d64([0.5, 2, 1]) }), [leaf([2, 3], 0.1, 0.9), leaf([2, 3], 0, 1, 4)]),
  bce_logits_pos_weight: () => gc((a, t) => F.binaryCrossEntropyWithLogits(a, t, { posWeight: d64([0.5, 2, 1]), reduction: "sum" }), [leaf([2, 3]), leaf([2, 3], 0, 1, 4)]),
  // (PyTorch's CTC gradient is that of the logits before log_softmax: checked through it, as PyTorch's own tests do)
  ctc: () => gc((a) => F.ctcLoss(a.logSoftmax(2), li([[1, 2, 2], [3, 1, 0]]), [6, 5], [3, 2], { reduction: "sum" }), [leaf([6, 2, 4])]),
  ctc_mean_concat: () => gc((a) => F.ctcLoss(a.logSoftmax(2), li([1, 1, 2, 3]), [5, 4], [3, 1]), [leaf([5, 2, 4])]),
  weight_norm_dim0: () => gc((v, g) => wn(v, g, 0), [leaf([2, 3]), leaf([2, 1], 0.5, 2, 4)]),
  weight_norm_none: () => gc((v, g) => wn(v, g, -1), [leaf([2, 3]), leaf([], 0.5, 2, 4)]),
  weight_norm_dim1: () => gc((v, g) => wn(v, g, 1), [leaf([2, 3]), leaf([1, 3], 0.5, 2, 4)]),
  weight_norm_conv_dim1: () => gc((v, g) => wn(v, g, 1), [leaf([3, 2, 2]), leaf([1, 2, 1], 0.5, 2, 4)]),
  spectral_norm_eval: () => gc((w) => {
    torch.manualSeed(2);
    const m = U.spectralNorm(new nn.Linear(3, 2).double()).eval();
    m._parameters.set("weight_orig", w as torch.nn.Parameter);
    for (const hook of m._forwardPreHooks.values()) hook(m, []);
    return (m as unknown as { weight: Tensor }).weight;
  }, [leaf([2, 3])]),
};
/**
 * The weight a weight-normed module computes from v and g: its weight_v and weight_g are replaced by
 * the checked leaves and its forward pre-hook recomputes the weight from them.
 */
function wn(v: Tensor, g: Tensor, dim: number): Tensor {
  const s = v.shape;
  const m = s.length === 3 ? U.weightNorm(new nn.Conv1d(s[1]!, s[0]!, s[2]!).double(), "weight", dim) : U.weightNorm(new nn.Linear(s[1]!, s[0]!).double(), "weight", dim);
  m._parameters.set("weight_v", v as torch.nn.Parameter);
  m._parameters.set("weight_g", g as torch.nn.Parameter);
  for (const hook of m._forwardPreHooks.values()) hook(m, []);
  return (m as unknown as { weight: Tensor }).weight;
}
for (const [k, f] of Object.entries(GRADCHECKS)) test(`gradcheck (float64): ${k}`, () => assert.ok(f()));

// ---------------------------------------------------------------- double backward
/** gradcheck of the gradient itself (create_graph): the backward is differentiable. */
function gradgradcheck(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): boolean {
  // (enableGrad: gradcheck evaluates the function under noGrad for its finite differences)
  return gc((...ys: Tensor[]) => torch.enableGrad(() => {
    const out = f(...ys);
    const gs = torch.autograd.grad(out.mul(leafW(out.shape)).sum(), ys, { createGraph: true });
    return torch.cat(gs.map((g, i) => (g ?? ys[i]!.mul(0)).reshape(-1)));
  }), xs);
}
const leafW = (shape: number[]) => { torch.manualSeed(17); return torch.rand(shape, { dtype: torch.float64 }).add(0.5); };
const DOUBLE: Record<string, () => boolean> = {
  group_norm: () => gradgradcheck((a, w, b) => F.groupNorm(a, 2, w, b), [leaf([2, 4, 2]), leaf([4], 0.5, 2, 4), leaf([4], -1, 1, 5)]),
  hardswish: () => gradgradcheck((a) => F.hardswish(a), [leaf([8], -5, 5)]),
  mish: () => gradgradcheck((a) => F.mish(a), [leaf([8], -4, 4)]),
  glu: () => gradgradcheck((a) => F.glu(a, 0), [leaf([4, 2])]),
  prelu: () => gradgradcheck((a, w) => F.prelu(a, w), [leaf([2, 3]), leaf([3], 0, 0.5, 4)]),
  logsigmoid: () => gradgradcheck((a) => F.logsigmoid(a), [leaf([8], -5, 5)]),
  celu: () => gradgradcheck((a) => F.celu(a, 2), [leaf([8], -4, 3)]),
  soft_margin: () => gradgradcheck((a) => F.softMarginLoss(a, d64([1, -1, 1, -1])), [leaf([4])]),
  embedding_bag_psw: () => gradgradcheck((w, p) => F.embeddingBag(li([1, 2, 0]), w, { offsets: li([0, 1]), mode: "sum", perSampleWeights: p }), [leaf([3, 2]), leaf([3], -1, 1, 4)]),
  weight_norm: () => gradgradcheck((v, g) => wn(v, g, 0), [leaf([2, 3]), leaf([2, 1], 0.5, 2, 4)]),
};
for (const [k, f] of Object.entries(DOUBLE)) test(`double backward (float64): ${k}`, () => assert.ok(f()));

test("double backward of multi_margin, multilabel_margin and ctc raises PyTorch's NotImplemented error", () => {
  const cases: [string, (a: Tensor) => Tensor][] = [
    ["aten::multi_margin_loss_backward", (a) => F.multiMarginLoss(a, li([0, 1, 2]), { p: 2 })],
    ["aten::multilabel_margin_loss_backward", (a) => F.multilabelMarginLoss(a, li([[0, 1, -1, 0], [1, -1, 0, 0], [2, 3, 1, 0]]))],
    ["aten::_ctc_loss_backward", (a) => F.ctcLoss(a.logSoftmax(1).unsqueeze(1), li([[1, 2]]), [3], [2])],
  ];
  for (const [aten, f] of cases) {
    const a = leaf([3, 4]);
    const [g] = torch.autograd.grad(f(a), [a], { createGraph: true });
    assert.ok(g!.requiresGrad, `${aten}: the gradient requires grad`);
    assert.throws(() => torch.autograd.grad(g!.sum(), [a]), (e: Error) => e.name === "RuntimeError" && e.message === `derivative for ${aten} is not implemented`);
  }
});

// ---------------------------------------------------------------- inplace options and parametrize.cached
test("inplace activation modules write into their input (the same tensor comes back, with the out-of-place values)", () => {
  const mods: [torch.nn.Module, torch.nn.Module][] = [
    [new nn.Hardswish(true), new nn.Hardswish()], [new nn.Hardsigmoid(true), new nn.Hardsigmoid()], [new nn.Mish(true), new nn.Mish()],
    [new nn.CELU(1.5, true), new nn.CELU(1.5)], [new nn.SELU(true), new nn.SELU()], [new nn.Threshold(0.1, -2, true), new nn.Threshold(0.1, -2)],
    [new nn.RReLU(0.1, 0.3, true).eval(), new nn.RReLU(0.1, 0.3).eval()], [new nn.Hardtanh(-0.5, 0.5, true), new nn.Hardtanh(-0.5, 0.5)],
    [new nn.ReLU6(true), new nn.ReLU6()],
  ];
  for (const [inplace, plain] of mods) {
    const x = torch.randn(3, 4).mul(3);
    const want = plain(x) as Tensor;
    const v = x._version.value;
    const got = inplace(x) as Tensor;
    assert.equal(got, x, `${String(inplace)}: returns its input`);
    assert.ok(x._version.value > v, `${String(inplace)}: bumps the version`);
    assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()), `${String(inplace)}: values`);
  }
});

test("parametrize.cached computes a parametrized tensor once inside, afresh outside", () => {
  const m = PZ.registerParametrization(new nn.Linear(2, 2), "weight", new Scale(2));
  const r = m as unknown as { weight: Tensor };
  assert.notEqual(r.weight, r.weight);
  PZ.cached(() => {
    const a = r.weight;
    assert.equal(r.weight, a);
  });
  assert.notEqual(r.weight, r.weight);
});
