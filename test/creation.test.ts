// Tensor creation against real PyTorch 1.13 (fixtures from scripts/gen_tensor_fixtures.py):
// torch.tensor from nested arrays, typed arrays, bools, bigints and tensors; zeros/ones/full/empty with
// varargs or arrays and options; arange, linspace, eye; the *Like forms; and the random factories
// after torch.manualSeed(0) (their streams are tested in test/random.test.ts; here, the integration).
import { test } from "node:test";
import assert from "node:assert/strict";

import * as torch from "../src/index.js";

import { ar, fixture, runSection } from "./helpers/fixtures.js";

const L = torch.int64;
const seeded = (f: () => unknown) => (): unknown => {
  torch.manualSeed(0);
  return f();
};

runSection("creation", {
  tensor_nested: () => torch.tensor([[1, 2], [3, 4]]),
  tensor_scalar: () => torch.tensor(2),
  tensor_bools: () => torch.tensor([true, false]),
  tensor_bool_scalar: () => torch.tensor(false),
  tensor_mixed_bool_num: () => torch.tensor([true, 2.5]),
  tensor_bigint: () => torch.tensor([1n, -2n, 3n]),
  tensor_bigint_nested: () => torch.tensor([[1n, 2n], [3n, 4n]]),
  tensor_dtype_int64: () => torch.tensor([1, 2], { dtype: L }),
  tensor_dtype_float64: () => torch.tensor([[1, 2]], { dtype: torch.float64 }),
  tensor_float64array: () => torch.tensor(new Float64Array([0.1, 0.2])),
  tensor_float32array: () => torch.tensor(new Float32Array([0.5, 1.5])),
  tensor_int32array: () => torch.tensor(new Int32Array([1, 2])),
  tensor_bigint64array: () => torch.tensor(new BigInt64Array([5n, 6n])),
  tensor_of_tensors: () => torch.tensor([torch.tensor(1), torch.tensor(2)]),
  tensor_of_1d_tensors: () => torch.tensor([torch.tensor([1, 2]), torch.tensor([3, 4])]),
  tensor_empty: () => torch.tensor([]),
  tensor_empty_nested: () => torch.tensor([[], []]),
  tensor_ragged: () => torch.tensor([[1, 2], [3]]),
  tensor_requires_grad: () => torch.tensor([1, 2], { requiresGrad: true }),
  tensor_requires_grad_int: () => torch.tensor([1n, 2n], { requiresGrad: true }),
  zeros_varargs: () => torch.zeros(2, 3),
  zeros_array: () => torch.zeros([2, 3]),
  zeros_0d: () => torch.zeros([]),
  zeros_dtype: () => torch.zeros(2, { dtype: L }),
  zeros_requires_grad: () => torch.zeros(2, 2, { requiresGrad: true }),
  zeros_negative: () => torch.zeros(2, -1),
  ones_varargs: () => torch.ones(2, 2),
  ones_array_dtype: () => torch.ones([3], { dtype: torch.float64 }),
  ones_bool: () => torch.ones(2, { dtype: torch.bool }),
  ones_requires_grad: () => torch.ones(3, { requiresGrad: true }),
  empty_shape: () => torch.empty(2, 5).shape,
  empty_dtype: () => torch.empty(3, { dtype: torch.int32 }).dtype,
  full: () => torch.full([2, 2], 7),
  full_int_dtype: () => torch.full([3], 4, { dtype: L }),
  full_bool: () => torch.full([2], true),
  full_requires_grad: () => torch.full([2], 1.5, { requiresGrad: true }),
  arange_int: () => torch.arange(5),
  arange_start_end: () => torch.arange(2, 7),
  arange_step: () => torch.arange(1, 10, 3),
  arange_neg_step: () => torch.arange(5, 0, -2),
  arange_float: () => torch.arange(0, 1, 0.25),
  arange_float_end: () => torch.arange(2.5),
  arange_float_dtype: () => torch.arange(5, { dtype: torch.float32 }),
  arange_float64: () => torch.arange(0, 1, 0.1, { dtype: torch.float64 }),
  arange_float32_tenth: () => torch.arange(0, 1, 0.1),
  arange_empty: () => torch.arange(0),
  arange_bad_sign: () => torch.arange(0, 5, -1),
  arange_zero_step: () => torch.arange(0, 5, 0),
  arange_requires_grad: () => torch.arange(3, { dtype: torch.float32, requiresGrad: true }),
  linspace_5: () => torch.linspace(0, 1, 5),
  linspace_7: () => torch.linspace(-1, 1, 7),
  linspace_thirds: () => torch.linspace(0, 1, 10),
  linspace_float64: () => torch.linspace(0, 1, 11, { dtype: torch.float64 }),
  linspace_one: () => torch.linspace(3, 4, 1),
  linspace_zero: () => torch.linspace(3, 4, 0),
  linspace_int64: () => torch.linspace(0, 10, 4, { dtype: L }),
  linspace_desc: () => torch.linspace(5, -5, 6),
  eye_3: () => torch.eye(3),
  eye_rect: () => torch.eye(2, 4),
  eye_dtype: () => torch.eye(2, { dtype: L }),
  eye_float64: () => torch.eye(3, { dtype: torch.float64 }),
  eye_bool: () => torch.eye(2, { dtype: torch.bool }),
  zeros_like: () => torch.zerosLike(torch.arange(3)),
  ones_like_dtype: () => torch.onesLike(torch.arange(3), { dtype: torch.float32 }),
  full_like: () => torch.fullLike(ar(2, 2), 3),
  full_like_long_trunc: () => torch.fullLike(torch.arange(2), 2.7),
  empty_like: () => torch.emptyLike(ar(2, 2).t()).shape,
  like_of_transposed_strides: () => torch.zerosLike(ar(2, 3).t()),
  like_requires_grad: () => torch.onesLike(torch.zeros(2), { requiresGrad: true }),
  randn_2x3: seeded(() => torch.randn(2, 3)),
  randn_array_f64: seeded(() => torch.randn([2], { dtype: torch.float64 })),
  randn_requires_grad: seeded(() => torch.randn(2, { requiresGrad: true })),
  rand_4: seeded(() => torch.rand(4)),
  rand_then_randn: seeded(() => [torch.rand(2), torch.randn(2)]),
  randint_high: seeded(() => torch.randint(10, [5])),
  randint_low_high: seeded(() => torch.randint(3, 6, [2, 3])),
  randint_bad: seeded(() => torch.randint(5, 5, [2])),
  randperm_6: seeded(() => torch.randperm(6)),
  normal_scalar: seeded(() => torch.normal(2, 3, [3])),
  normal_tensors: seeded(() => torch.normal(torch.zeros(3), torch.ones(3))),
  randn_long_error: seeded(() => torch.randn(2, { dtype: L })),
  tensor_bool_dtype: () => torch.tensor([1, 0, 2], { dtype: torch.bool }),
  tensor_float_to_long_trunc: () => torch.tensor([-1.5, 2.7], { dtype: L }),
  tensor_nested_ragged_deep: () => torch.tensor([[[1], [2]], [[3]]]),
  tensor_int32_nested: () => torch.tensor([[1, 2]], { dtype: torch.int32 }),
  tensor_0d_bigint: () => torch.tensor(5n),
  eye_0: () => torch.eye(0),
  eye_cols0: () => torch.eye(2, 0),
  eye_requires_grad: () => torch.eye(2, { requiresGrad: true }),
  linspace_neg_steps: () => torch.linspace(0, 1, -1),
  arange_float_neg: () => torch.arange(1, -1.5, -0.5),
  arange_long_dtype_from_floats: () => torch.arange(0, 2.5, 0.5, { dtype: L }),
  arange_float64_dtype_int_args: () => torch.arange(3, { dtype: torch.float64 }),
  full_negative_zero_long: () => torch.full([2], -0.5, { dtype: L }).tolist(),
  zeros_long_requires_grad: () => torch.zeros(2, { dtype: L, requiresGrad: true }),
  ones_like_bool: () => torch.onesLike(torch.tensor([true, false])),
  randint_dtype: seeded(() => torch.randint(0, 4, [3], { dtype: torch.int32 })),
  rand_float64: seeded(() => torch.rand(3, { dtype: torch.float64 })),
  randperm_dtype: seeded(() => torch.randperm(4, { dtype: torch.float32 })),
  zeros_size_float: () => torch.zeros(2.5),
  tensor_of_noncontig_tensor: () => torch.tensor(ar(2, 3).t()),
  tensor_of_tensor_rows: () => torch.tensor([ar(2, 2).index(0), ar(2, 2).index(1)]),
  zeros_0_size: () => torch.zeros(0, 3),
  arange_big_float: () => torch.arange(0, 3, 0.3),
});

test("creation: requiresGrad_ on an integer tensor says PyTorch's words", () => {
  assert.throws(() => torch.arange(3).requiresGrad_(), { name: "RuntimeError", message: "only Tensors of floating point dtype can require gradients" });
});

test("creation: linspace equals PyTorch bit for bit (float32, float64, int64; scalar and vectorised runs)", () => {
  const sweep = (fixture as unknown as { linspace_sweep: { start: number; end: number; steps: number; dtype: string; values: number[] }[] }).linspace_sweep;
  assert.ok(sweep.length > 100);
  for (const c of sweep) {
    const got = torch.linspace(c.start, c.end, c.steps, { dtype: torch[c.dtype as "float32" | "float64" | "int64"] }).tolist();
    assert.deepEqual(got, c.values, `linspace(${c.start}, ${c.end}, ${c.steps}, ${c.dtype})`);
  }
});
