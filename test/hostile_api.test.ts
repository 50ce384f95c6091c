// Issue 12: careless and hostile arguments to the public API, each made in real PyTorch 1.13 first
// (test/fixtures/hostile_api.json, from scripts/gen_hostile_api_fixtures.py). Every case must end as
// PyTorch's did: the same result, or an error of typetorch's own classes (src/errors.ts) with
// PyTorch's class and words; never a hang, a raw JavaScript error (RangeError, TypeError) or a result
// where PyTorch refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

interface Outcome { shape?: number[]; dtype?: string; values?: (number | string | boolean)[]; ok?: boolean; error?: { type: string; message: string } }
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/hostile_api.json", import.meta.url), "utf8")) as Record<string, Outcome>;
const { nn, optim } = torch;
const F = nn.functional;
const data = torch.utils.data;
const L = { dtype: torch.int64 };
// (JavaScript values where TypeScript's types forbid them: what a careless caller passes anyway)
const any = (v: unknown) => v as never;
const P = () => [torch.ones([1], { requiresGrad: true })];
const x4 = () => torch.ones(1, 1, 5, 5), w3 = () => torch.ones(1, 1, 3, 3);
/** A dataset whose getItem gives nothing past index 2 although its length says 5. */
class ShortDataset extends torch.utils.data.Dataset<Tensor> {
  get length() { return 5; }
  getItem(i: number): Tensor { return (i < 3 ? torch.tensor([i]) : undefined) as Tensor; }
}

/**
 * Cases whose TypeScript call has no spelling of PyTorch's own: the error's class must still be
 * PyTorch's, the words are typetorch's (each with the reason).
 */
const ownWords: Record<string, string> = {
  dtype_as_string: "Python's overload resolution lists every signature of ones(); one argument is named here",
  add_string: "Python's operator dispatch names its operand types; add() names the argument",
  permute_too_few: "PyTorch's message names the sparse kernel (permute(sparse_coo)) it fell through to",
  reshape_zero_infer: "PyTorch's full message is one line longer than the first line compared",
};

const cases: Record<string, () => unknown> = {
  eye_negative: () => torch.eye(-1),
  eye_negative_m: () => torch.eye(2, -1),
  eye_float: () => torch.eye(2.5),
  arange_nan_end: () => torch.arange(0, NaN),
  arange_inf_end: () => torch.arange(0.5, Infinity),
  arange_nan_step: () => torch.arange(0, 10, NaN),
  arange_zero_step: () => torch.arange(0, 10, 0),
  arange_wrong_sign: () => torch.arange(10, 0, 1),
  arange_overflow: () => torch.arange(0, 1e20),
  full_string: () => torch.full([2], any("a")),
  full_none: () => torch.full([2], any(null)),
  full_list: () => torch.full([2], any([1])),
  zeros_negative: () => torch.zeros(-1),
  zeros_negative_2d: () => torch.zeros(2, -3),
  randn_negative: () => torch.randn(-1),
  rand_negative: () => torch.rand(3, -1),
  ones_negative: () => torch.ones(-2),
  empty_huge: () => torch.empty(3000000000000),
  zeros_huge: () => torch.zeros(1000000, 1000000),
  linspace_negative_steps: () => torch.linspace(0, 1, -1),
  randint_empty_range: () => torch.randint(0, 0, [3]),
  randint_reversed: () => torch.randint(5, 2, [3]),
  randperm_negative: () => torch.randperm(-1),
  normal_negative_std: () => torch.normal(0, -1, [2]),
  tensor_ragged: () => torch.tensor(any([[1, 2], [3]])),
  tensor_ragged_deep: () => torch.tensor(any([[[1], [2]], [[3], [4, 5]]])),
  tensor_none: () => torch.tensor(any(null)),
  tensor_none_inside: () => torch.tensor(any([1, null])),
  tensor_string: () => torch.tensor(any(["a"])),
  tensor_dict: () => torch.tensor(any({})),
  tensor_int_overflow: () => torch.tensor(any(2n ** 70n)),
  tensor_int_overflow_list: () => torch.tensor(any([1n, -(2n ** 63n) - 1n])),
  dtype_as_string: () => torch.ones(2, { dtype: any("float32") }),
  nan_to_long: () => torch.tensor([NaN, Infinity, -Infinity]).long(),
  nan_index: () => torch.ones(3).index(torch.tensor([NaN]).long()),
  nan_embedding: () => F.embedding(torch.tensor([NaN]).long(), torch.ones(3, 2)),
  nan_gather: () => torch.ones(3).gather(0, torch.tensor([NaN]).long()),
  nan_cross_entropy_target: () => F.crossEntropy(torch.ones(1, 3), torch.tensor([NaN]).long()),
  nan_index_select: () => torch.ones(3).indexSelect(0, torch.tensor([NaN]).long()),
  nan_one_hot: () => F.oneHot(torch.tensor([NaN]).long(), 3),
  view_two_inferred: () => torch.ones(2).view(-1, -1),
  view_bad_size: () => torch.ones(6).view(4, -1),
  reshape_negative: () => torch.ones(6).reshape(-2, 3),
  reshape_zero_infer: () => torch.ones(0).reshape(0, -1),
  view_noncontiguous: () => torch.ones(2, 3).t().view(6),
  expand_negative: () => torch.ones(2).expand(-2, 2),
  permute_repeated: () => torch.ones(2, 3).permute(0, 0),
  permute_too_few: () => torch.ones(2, 3).permute(0),
  transpose_out_of_range: () => torch.ones(2, 3).transpose(0, 2),
  squeeze_out_of_range: () => torch.ones(2, 3).squeeze(3),
  unsqueeze_out_of_range: () => torch.ones(2, 3).unsqueeze(4),
  narrow_negative_length: () => torch.ones(3).narrow(0, 0, -1),
  select_out_of_range: () => torch.ones(3).select(0, 3),
  chunk_zero: () => torch.ones(3).chunk(0),
  split_zero: () => torch.ones(3).split(0),
  flatten_bad_dims: () => torch.ones(2, 3, 4).flatten(2, 1),
  cat_empty_list: () => torch.cat([]),
  cat_dim_mismatch: () => torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
  stack_shape_mismatch: () => torch.stack([torch.ones(2), torch.ones(3)]),
  sum_dim_out_of_range: () => torch.ones(2, 2).sum(5),
  sum_dim_repeated: () => torch.ones(2, 2).sum([0, 0]),
  index_float_tensor: () => torch.ones(3).index(torch.tensor([0.5])),
  index_out_of_range: () => torch.ones(3).index(5),
  index_too_many: () => torch.ones(3).index(0, 0),
  mask_wrong_shape: () => torch.ones(3).index(torch.tensor([true, false])),
  matmul_shapes: () => torch.ones(2, 3).matmul(torch.ones(2, 3)),
  add_shapes: () => torch.ones(3).add(torch.ones(4)),
  add_string: () => torch.ones(3).add(any("a")),
  int_div_zero: () => torch.tensor([1], L).floorDivide(torch.tensor([0], L)),
  int_remainder_zero: () => torch.tensor([1], L).remainder(torch.tensor([0], L)),
  bool_neg: () => torch.tensor([true]).neg(),
  pow_negative_int: () => torch.tensor([2], L).pow(-1),
  clamp_no_bounds: () => torch.ones(2).clamp(),
  softmax_dim_out_of_range: () => torch.ones(2).softmax(1),
  mean_of_long: () => torch.tensor([1, 2], L).mean(),
  std_of_long: () => torch.tensor([1, 2], L).std(),
  requires_grad_long: () => torch.tensor([1, 2], L).requiresGrad_(),
  backward_nonscalar: () => torch.ones([2], { requiresGrad: true }).mul(2).backward(),
  backward_no_grad: () => torch.ones(2).sum().backward(),
  grad_wrong_shape: () => torch.ones([2], { requiresGrad: true }).mul(2).backward(torch.ones(3)),
  backward_str_gradient: () => torch.ones([2], { requiresGrad: true }).mul(2).sum().backward(any("a")),
  backward_options_first: () => {
    const t = torch.ones([2], { requiresGrad: true });
    t.mul(2).sum().backward({ retainGraph: true });
    return t.grad;
  },
  hook_changes_size: () => {
    const a = torch.ones([2], { requiresGrad: true }), b = a.mul(2);
    b.registerHook(() => torch.ones(3));
    b.sum().backward();
  },
  hook_changes_dtype: () => {
    const a = torch.ones([2], { requiresGrad: true }), b = a.mul(2);
    b.registerHook((g) => g.double());
    b.sum().backward();
    return a.grad;
  },
  hook_changes_to_long: () => {
    const a = torch.ones([2], { requiresGrad: true }), b = a.mul(2);
    b.registerHook((g) => g.long());
    b.sum().backward();
    return a.grad;
  },
  leaf_hook_changes_size: () => {
    const a = torch.ones([2], { requiresGrad: true });
    a.registerHook(() => torch.ones(3));
    a.mul(2).sum().backward();
  },
  grad_assign_wrong_shape: () => { torch.ones([2], { requiresGrad: true }).grad = torch.ones(3); },
  grad_assign_wrong_dtype: () => { torch.ones([2], { requiresGrad: true }).grad = torch.ones([2], { dtype: torch.float64 }); },
  linear_negative: () => new nn.Linear(-1, 2),
  linear_float_size: () => new nn.Linear(2.5, 2),
  linear_input_shape: () => new nn.Linear(3, 2).forward(torch.ones(2, 4)),
  linear_input_dtype: () => new nn.Linear(3, 2).forward(torch.ones([2, 3], { dtype: torch.float64 })),
  linear_input_long: () => new nn.Linear(3, 2).forward(torch.ones([2, 3], L)),
  conv_kernel_zero: () => F.conv2d(x4(), torch.ones(1, 1, 0, 3)),
  conv_stride_zero: () => F.conv2d(x4(), w3(), null, { stride: 0 }),
  conv_stride_negative: () => F.conv2d(x4(), w3(), null, { stride: -1 }),
  conv_padding_negative: () => F.conv2d(x4(), w3(), null, { padding: -1 }),
  conv_dilation_zero: () => F.conv2d(x4(), w3(), null, { dilation: 0 }),
  conv_groups_zero: () => F.conv2d(x4(), w3(), null, { groups: 0 }),
  conv_kernel_too_big: () => F.conv2d(x4(), torch.ones(1, 1, 7, 7)),
  conv1d_kernel_zero: () => F.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 0)),
  conv1d_stride_zero: () => F.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 2), null, { stride: 0 }),
  conv2d_module_kernel_zero_forward: () => new nn.Conv2d(1, 1, 0).forward(x4()),
  conv2d_module_stride_zero_forward: () => new nn.Conv2d(1, 1, 3, { stride: 0 }).forward(x4()),
  conv_wrong_channels: () => new nn.Conv2d(3, 1, 3).forward(x4()),
  conv_wrong_rank: () => new nn.Conv2d(1, 1, 3).forward(torch.ones(5, 5)),
  max_pool_kernel_zero: () => F.maxPool2d(x4(), 0),
  max_pool_kernel_zero_stride: () => F.maxPool2d(x4(), 0, { stride: 1 }),
  max_pool_stride_zero: () => F.maxPool2d(x4(), 2, { stride: 0 }),
  max_pool_stride_negative: () => F.maxPool2d(x4(), 2, { stride: -1 }),
  max_pool_kernel_negative: () => F.maxPool2d(x4(), -1),
  max_pool_padding_negative: () => F.maxPool2d(x4(), 2, { padding: -1 }),
  max_pool_padding_big: () => F.maxPool2d(x4(), 2, { padding: 2 }),
  max_pool_dilation_zero: () => F.maxPool2d(x4(), 2, { dilation: 0 }),
  max_pool_too_small: () => F.maxPool2d(x4(), 7),
  avg_pool_kernel_zero: () => F.avgPool2d(x4(), 0),
  avg_pool_kernel_zero_stride: () => F.avgPool2d(x4(), 0, { stride: 1 }),
  avg_pool_stride_zero: () => F.avgPool2d(x4(), 2, { stride: 0 }),
  avg_pool_stride_negative: () => F.avgPool2d(x4(), 2, { stride: -1 }),
  avg_pool_padding_negative: () => F.avgPool2d(x4(), 2, { padding: -1 }),
  dropout_p_big: () => new nn.Dropout(1.5),
  dropout_p_negative: () => F.dropout(torch.ones(2), -0.1),
  embedding_out_of_range: () => new nn.Embedding(3, 3).forward(torch.tensor([3], L)),
  embedding_negative: () => new nn.Embedding(3, 3).forward(torch.tensor([-1], L)),
  embedding_float_index: () => new nn.Embedding(3, 3).forward(torch.tensor([1.0])),
  sequential_int: () => new nn.Sequential(any(5)),
  sequential_string: () => new nn.Sequential(any("a")),
  sequential_module_then_int: () => new nn.Sequential(new nn.ReLU(), any(5)),
  module_list_int: () => new nn.ModuleList([any(5)]),
  add_module_int: () => new nn.Linear(2, 2).addModule("x", any(5)),
  add_module_dotted_name: () => new nn.Linear(2, 2).addModule("a.b", new nn.ReLU()),
  add_module_empty_name: () => new nn.Linear(2, 2).addModule("", new nn.ReLU()),
  load_state_dict_none: () => new nn.Linear(2, 2).loadStateDict(any(null)),
  load_state_dict_int: () => new nn.Linear(2, 2).loadStateDict(any(5)),
  load_state_dict_list: () => new nn.Linear(2, 2).loadStateDict(any([1])),
  load_state_dict_wrong_shape: () => new nn.Linear(2, 2).loadStateDict({ weight: torch.ones(3, 3), bias: torch.ones(2) }),
  load_state_dict_missing: () => new nn.Linear(2, 2).loadStateDict({ weight: torch.ones(2, 2) }),
  mse_shape_mismatch_error: () => F.mseLoss(torch.ones(2, 3), torch.ones(4, 3)),
  cross_entropy_float_target_shape: () => F.crossEntropy(torch.ones(2, 3), torch.ones(2)),
  cross_entropy_target_out_of_range: () => F.crossEntropy(torch.ones(2, 3), torch.tensor([0, 3], L)),
  cross_entropy_negative_target: () => F.crossEntropy(torch.ones(2, 3), torch.tensor([0, -1], L)),
  cross_entropy_label_smoothing_big: () => F.crossEntropy(torch.ones(2, 3), torch.tensor([0, 1], L), { labelSmoothing: 1.5 }),
  bce_out_of_range_input: () => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1.0])),
  bce_nan_input: () => F.binaryCrossEntropy(torch.tensor([NaN]), torch.tensor([1.0])),
  reduction_unknown: () => F.mseLoss(torch.ones(2), torch.ones(2), { reduction: any("avg") }),
  batch_norm_one_value: () => new nn.BatchNorm1d(3).forward(torch.ones(1, 3)),
  layer_norm_shape: () => F.layerNorm(torch.ones(2, 3), [4]),
  sgd_lr_string: () => new optim.SGD(P(), { lr: any("0.1") }),
  sgd_lr_none: () => new optim.SGD(P(), { lr: any(null) }),
  sgd_lr_negative: () => new optim.SGD(P(), { lr: -0.1 }),
  sgd_lr_nan: () => new optim.SGD(P(), { lr: NaN }),
  sgd_momentum_string: () => new optim.SGD(P(), { lr: 0.1, momentum: any("a") }),
  sgd_momentum_negative: () => new optim.SGD(P(), { lr: 0.1, momentum: -1 }),
  sgd_nesterov_without_momentum: () => new optim.SGD(P(), { lr: 0.1, nesterov: true }),
  sgd_empty_params: () => new optim.SGD([], { lr: 0.1 }),
  sgd_tensor_params: () => new optim.SGD(any(torch.ones([2], { requiresGrad: true })), { lr: 0.1 }),
  adam_lr_string: () => new optim.Adam(P(), { lr: any("0.1") }),
  adam_lr_nan: () => new optim.Adam(P(), { lr: NaN }),
  adam_betas_big: () => new optim.Adam(P(), { betas: [1.5, 0.9] }),
  adam_betas_string: () => new optim.Adam(P(), { betas: any(["a", 0.9]) }),
  adam_betas_number: () => new optim.Adam(P(), { betas: any(0.9) }),
  adam_eps_negative: () => new optim.Adam(P(), { eps: -0.5 }),
  adam_weight_decay_negative: () => new optim.Adam(P(), { weightDecay: -0.5 }),
  adamw_lr_string: () => new optim.AdamW(P(), { lr: any("0.1") }),
  rmsprop_alpha_negative: () => new optim.RMSprop(P(), { alpha: -0.5 }),
  rmsprop_lr_string: () => new optim.RMSprop(P(), { lr: any("0.1") }),
  adagrad_lr_decay_negative: () => new optim.Adagrad(P(), { lrDecay: -0.5 }),
  adadelta_rho_big: () => new optim.Adadelta(P(), { rho: 1.5 }),
  sgd_duplicate_params: () => { const p = torch.ones([1], { requiresGrad: true }); new optim.SGD([p, p], { lr: 0.1 }); },
  sgd_non_leaf_param: () => new optim.SGD([torch.ones([1], { requiresGrad: true }).mul(2)], { lr: 0.1 }),
  step_lr_step_size_string: () => new optim.lr_scheduler.StepLR(new optim.SGD(P(), { lr: 0.1 }), any("a")).step(),
  dataloader_batch_size_zero: () => new data.DataLoader(any([1, 2, 3]), { batchSize: 0 }),
  dataloader_batch_size_negative: () => new data.DataLoader(any([1, 2, 3]), { batchSize: -1 }),
  dataloader_batch_size_float: () => new data.DataLoader(any([1, 2, 3]), { batchSize: 1.5 }),
  dataloader_shuffle_and_sampler: () => new data.DataLoader(any([1, 2, 3]), { shuffle: true, sampler: new data.SequentialSampler(any([1, 2, 3])) }),
  random_split_bad_lengths: () => data.randomSplit(any([1, 2, 3]), [2, 2]),
  tensor_dataset_size_mismatch: () => new data.TensorDataset(torch.ones(3), torch.ones(4)),
  dataloader_dataset_shorter_than_length: () => [...new data.DataLoader(new ShortDataset(), { batchSize: 2 })],
  dataloader_list_with_string: () => [...new data.DataLoader(any([1, "a", 3]), { batchSize: 3 })],
  dataloader_ragged_tensors: () => [...new data.DataLoader([torch.ones(2), torch.ones(3)], { batchSize: 2 })],
  dataloader_list_of_numbers: () => [...new data.DataLoader([1, 2, 3], { batchSize: 3 })][0],
  manual_seed_big: () => torch.manualSeed(2n ** 64n),
  manual_seed_nan: () => torch.manualSeed(NaN),
  manual_seed_inf: () => torch.manualSeed(Infinity),
  manual_seed_string: () => torch.manualSeed(any("a")),
  manual_seed_none: () => torch.manualSeed(any(null)),
  set_num_threads_zero: () => torch.setNumThreads(0),
  set_num_threads_float: () => torch.setNumThreads(1.5),
  to_cuda: () => torch.ones(2).to("cuda"),
  to_gpu: () => torch.ones(2).to(any("gpu")),
  device_bad: () => torch.device(any("tpu")),
  device_index_negative: () => torch.device("cpu", -2),
  set_default_dtype_long: () => torch.setDefaultDtype(torch.int64),
};

const num = (v: number | string | boolean) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));
const classOf = (e: unknown) => (e instanceof torch.TorchTypeError ? "TypeError" : (e as Error).constructor.name);
const ours: (abstract new (...a: never[]) => Error)[] = [
  torch.RuntimeError, torch.IndexError, torch.ValueError, torch.TorchTypeError, torch.KeyError, torch.NotImplementedError,
  torch.AssertionError, torch.FileNotFoundError, torch.OverflowError,
];

test("every fixture case has a typetorch call, and every call a fixture", () => {
  assert.deepEqual(Object.keys(fixtures).filter((k) => !cases[k]), []);
  assert.deepEqual(Object.keys(cases).filter((k) => !fixtures[k]), []);
});

for (const [name, want] of Object.entries(fixtures)) {
  test(`hostile api: ${name}`, () => {
    const f = cases[name]!;
    if (want.error) {
      assert.throws(f, (e: unknown) => {
        assert.ok(e instanceof Error && ours.some((c) => e instanceof c), `an error of typetorch's classes, not ${String(e)}`);
        if (ownWords[name]) assert.equal(classOf(e), want.error!.type);
        else assert.equal(`${classOf(e)}: ${e.message.split("\n")[0]}`, `${want.error!.type}: ${want.error!.message}`);
        return true;
      });
      return;
    }
    const r = f() as Tensor | undefined;
    if (want.ok) return;
    assert.ok(r instanceof torch.Tensor, "a tensor");
    assert.deepEqual([...r.shape], want.shape, "shape");
    assert.equal(r.dtype.name, want.dtype, "dtype");
    const got = (r.reshape([-1]).tolist() as (number | boolean)[]).map(Number);
    want.values!.forEach((v, i) => {
      const w = num(v);
      if (Number.isNaN(w)) assert.ok(Number.isNaN(got[i]!), `value ${i}`);
      else assert.equal(got[i], w, `value ${i}`);
    });
  });
}

test("noGrad/enableGrad refuse an async callback before it runs, and a returned promise", () => {
  const w = torch.ones([2], { requiresGrad: true });
  let ran = false;
  assert.throws(() => torch.noGrad(async () => { ran = true; await null; return w.mul(2); }), (e: Error) => e instanceof torch.TorchTypeError && /synchronous function/.test(e.message));
  assert.equal(ran, false);
  assert.throws(() => torch.enableGrad(() => Promise.resolve(w.mul(2))), torch.TorchTypeError);
  assert.equal(torch.isGradEnabled(), true, "grad mode restored");
  assert.equal(torch.noGrad(() => w.mul(2)).requiresGrad, false);
});
