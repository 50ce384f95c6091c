// nn.RNN / nn.LSTM / nn.GRU, their cells and nn.utils.rnn against real PyTorch 1.13
// (test/fixtures/rnn.json and rnn_lstm_proj.pt, from scripts/gen_rnn_fixtures.py): outputs, final
// states and the gradients of a weighted-sum loss with respect to the input, h0/c0 and every
// parameter; seeded initialisation; dropout between layers under manualSeed; packing and padding;
// reprs and error messages. Plus float64 gradchecks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

const nn = torch.nn;
const R = nn.utils.rnn;

interface Enc {
  shape: number[];
  dtype: string;
  data: number[];
}
type Args = {
  input_size: number; hidden_size: number; num_layers?: number; bias?: boolean; batch_first?: boolean; dropout?: number;
  bidirectional?: boolean; proj_size?: number; nonlinearity?: "tanh" | "relu";
};
interface ModuleCase {
  name: string; kind: "RNN" | "LSTM" | "GRU"; args: Args; dtype: string; train: boolean; seed: number | null;
  state: Record<string, Enc>; input?: Enc; seqs?: Enc[]; h0?: Enc; c0?: Enc;
  packed?: { lengths: number[]; enforce_sorted: boolean; from: "seqs" | "padded"; batch_first?: boolean };
  batch_sizes?: number[]; sorted_indices?: number[] | null; unsorted_indices?: number[] | null; padded?: Enc; lengths_out?: number[];
  out: Enc; out_stride: number[]; hN: Enc; cN?: Enc; w_out: Enc; w_h: Enc; w_c?: Enc; loss: number;
  grads: Record<string, Enc>; param_grads: Record<string, Enc>;
}
interface CellCase {
  name: string; kind: "RNNCell" | "LSTMCell" | "GRUCell"; args: Args; state: Record<string, Enc>; input: Enc; h0?: Enc; c0?: Enc;
  outs: Enc[]; ws: Enc[]; grads: Record<string, Enc>; param_grads: Record<string, Enc>;
}
type UtilResult = (Enc & { grad_fn: string | null; stride: number[] }) | { value: unknown };
interface UtilCase { name: string; leaves: Enc[]; results: Record<string, UtilResult>; ws: Record<string, Enc>; grads?: (Enc | null)[] }
const fx = JSON.parse(readFileSync(new URL("./fixtures/rnn.json", import.meta.url), "utf8")) as {
  module_cases: ModuleCase[]; cell_cases: CellCase[];
  inits: { name: string; state: Record<string, Enc>; after: Enc; repr: string }[];
  utils: UtilCase[]; packed_repr: string; packed_repr_unsorted: string;
  errors: Record<string, { type: string; message: string }>; reprs: Record<string, string>;
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64 };
function dec(e: Enc): Tensor {
  return torch.tensor(e.data.length ? e.data : [], { dtype: DTYPES[e.dtype]! }).reshape(e.shape);
}
const leaf = (e: Enc): Tensor => dec(e).requiresGrad_(true);

/**
 * NOTE: tolerances. float32 results are compared to PyTorch's float32 results within rtol 1e-5 /
 * atol 1e-6, as nn.test.ts does for single layers: the two differ only by the rounding of their
 * matrix products' summation orders (and an ulp in tanh/sigmoid), carried through the time steps;
 * measured, the worst case is ~4 ulps (a bias gradient of 13.2 summed over 30 steps of lstm_long).
 * The float64 cases agree with PyTorch to ~1e-15, so they are held to rtol 1e-12.
 */
function tolFor(dtype: string): { rtol: number; atol: number } {
  return dtype === "float64" ? { rtol: 1e-12, atol: 1e-13 } : { rtol: 1e-5, atol: 1e-6 };
}
function close(actual: Tensor | null | undefined, expected: Enc, what: string, tol = tolFor(expected.dtype)): void {
  assert.ok(actual, `${what}: missing`);
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  const a = Array.from(actual.detach().contiguous().dataSync() as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = expected.data[i]!;
    if (x === y) continue;
    assert.ok(Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y), `${what}[${i}]: got ${x}, expected ${y}`);
  }
}
/** Exact equality (float32 values through Math.fround: the fixture holds their shortest decimals). */
function exact(actual: Tensor, expected: Enc, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = Array.from(actual.dataSync() as ArrayLike<number | bigint>, Number);
  const f = expected.dtype === "float32" ? Math.fround : (v: number) => v;
  assert.deepEqual(a, expected.data.map(f), `${what}: values`);
}
const ints = (t: Tensor | null): number[] | null => (t ? (t.tolist() as (number | bigint)[]).map(Number) : null);

function moduleOpts(a: Args, dtype?: torch.DType) {
  const o: Record<string, unknown> = {};
  if (a.num_layers !== undefined) o.numLayers = a.num_layers;
  if (a.bias !== undefined) o.bias = a.bias;
  if (a.batch_first !== undefined) o.batchFirst = a.batch_first;
  if (a.dropout !== undefined) o.dropout = a.dropout;
  if (a.bidirectional !== undefined) o.bidirectional = a.bidirectional;
  if (a.proj_size !== undefined) o.projSize = a.proj_size;
  if (a.nonlinearity !== undefined) o.nonlinearity = a.nonlinearity;
  if (dtype) o.dtype = dtype;
  return o;
}
function buildModule(kind: ModuleCase["kind"], a: Args, dtype?: torch.DType): torch.nn.RNNBase {
  const o = moduleOpts(a, dtype);
  if (kind === "LSTM") return new nn.LSTM(a.input_size, a.hidden_size, o);
  if (kind === "GRU") return new nn.GRU(a.input_size, a.hidden_size, o);
  return new nn.RNN(a.input_size, a.hidden_size, o);
}
function stateOf(s: Record<string, Enc>): Map<string, Tensor> {
  return new Map(Object.entries(s).map(([k, v]) => [k, dec(v)]));
}

// ---------------------------------------------------------------- modules
for (const c of fx.module_cases) {
  test(`module ${c.name}: output, final states and gradients match PyTorch`, () => {
    const dtype = DTYPES[c.dtype]!;
    const m = buildModule(c.kind, c.args, dtype);
    assert.deepEqual([...m.stateDict().keys()], Object.keys(c.state), "state dict keys");
    m.loadStateDict(stateOf(c.state));
    m.train(c.train);
    const leaves: Record<string, Tensor> = {};
    let input: Tensor | InstanceType<typeof R.PackedSequence>;
    if (c.packed) {
      if (c.packed.from === "seqs") {
        const seqs = c.seqs!.map(leaf);
        seqs.forEach((s, i) => (leaves[`seq${i}`] = s));
        input = R.packSequence(seqs, { enforceSorted: c.packed.enforce_sorted });
      } else {
        const x = leaf(c.input!);
        leaves.input = x;
        input = R.packPaddedSequence(x, c.packed.lengths, { batchFirst: c.packed.batch_first ?? false, enforceSorted: c.packed.enforce_sorted });
      }
    } else {
      input = leaves.input = leaf(c.input!);
    }
    let hx: Tensor | [Tensor, Tensor] | null = null;
    if (c.h0) {
      leaves.h0 = leaf(c.h0);
      if (c.c0) {
        leaves.c0 = leaf(c.c0);
        hx = [leaves.h0, leaves.c0];
      } else hx = leaves.h0;
    }
    if (c.seed !== null) torch.manualSeed(c.seed);
    const [out, hidden] = m(input, hx) as [Tensor | InstanceType<typeof R.PackedSequence>, Tensor | [Tensor, Tensor]];
    const [hN, cN] = Array.isArray(hidden) ? hidden : [hidden, null];
    let outT: Tensor;
    if (c.packed) {
      assert.ok(out instanceof R.PackedSequence, "a PackedSequence comes back");
      assert.deepEqual(ints(out.batchSizes), c.batch_sizes, "batch sizes");
      assert.deepEqual(ints(out.sortedIndices), c.sorted_indices, "sorted indices");
      assert.deepEqual(ints(out.unsortedIndices), c.unsorted_indices, "unsorted indices");
      const [padded, lens] = R.padPackedSequence(out, { batchFirst: c.packed.batch_first ?? false });
      close(padded, c.padded!, "padded output");
      assert.deepEqual(ints(lens), c.lengths_out, "lengths");
      outT = out.data;
    } else {
      assert.ok(!(out instanceof R.PackedSequence));
      outT = out;
      assert.deepEqual(outT.stride(), c.out_stride, "output strides");
    }
    close(outT, c.out, "output");
    close(hN, c.hN, "h_n");
    if (c.cN) close(cN, c.cN, "c_n");
    else assert.equal(cN, null);
    let loss = outT.mul(dec(c.w_out)).sum().add(hN.mul(dec(c.w_h)).sum());
    if (c.w_c) loss = loss.add(cN!.mul(dec(c.w_c)).sum());
    loss.backward();
    for (const [k, g] of Object.entries(c.grads)) close(leaves[k]!.grad, g, `grad of ${k}`);
    const params = new Map(m.namedParameters());
    assert.deepEqual([...params.keys()], Object.keys(c.param_grads), "parameter names");
    for (const [k, g] of Object.entries(c.param_grads)) close(params.get(k)!.grad, g, `grad of ${k}`);
  });
}

// ---------------------------------------------------------------- cells
function buildCell(c: CellCase): torch.nn.RNNCellBase {
  const a = c.args;
  if (c.kind === "RNNCell") return new nn.RNNCell(a.input_size, a.hidden_size, a.bias ?? true, a.nonlinearity ?? "tanh");
  if (c.kind === "LSTMCell") return new nn.LSTMCell(a.input_size, a.hidden_size, { bias: a.bias ?? true });
  return new nn.GRUCell(a.input_size, a.hidden_size, a.bias ?? true);
}
for (const c of fx.cell_cases) {
  test(`cell ${c.name}: output and gradients match PyTorch`, () => {
    const m = buildCell(c);
    m.loadStateDict(stateOf(c.state));
    const leaves: Record<string, Tensor> = { input: leaf(c.input) };
    let hx: Tensor | [Tensor, Tensor] | null = null;
    if (c.h0) {
      leaves.h0 = leaf(c.h0);
      if (c.c0) hx = [leaves.h0, (leaves.c0 = leaf(c.c0))];
      else hx = leaves.h0;
    }
    const r = m(leaves.input, hx) as Tensor | [Tensor, Tensor];
    const outs = Array.isArray(r) ? r : [r];
    assert.equal(outs.length, c.outs.length);
    outs.forEach((o, i) => close(o, c.outs[i]!, `output ${i}`));
    let loss = outs[0]!.mul(dec(c.ws[0]!)).sum();
    for (let i = 1; i < outs.length; i++) loss = loss.add(outs[i]!.mul(dec(c.ws[i]!)).sum());
    loss.backward();
    for (const [k, g] of Object.entries(c.grads)) close(leaves[k]!.grad, g, `grad of ${k}`);
    for (const [k, p] of m.namedParameters()) close(p.grad, c.param_grads[k]!, `grad of ${k}`);
    assert.deepEqual(m.namedParameters().map(([k]) => k), Object.keys(c.param_grads));
  });
}

// ---------------------------------------------------------------- seeded initialisation
const INITS: Record<string, () => torch.nn.Module> = {
  lstm_10_20_2_bidir: () => new nn.LSTM(10, 20, 2, { bidirectional: true }),
  lstm_proj: () => new nn.LSTM(6, 8, { numLayers: 2, projSize: 3, batchFirst: true, bidirectional: true }),
  gru_nobias: () => new nn.GRU(5, 7, { bias: false, dropout: 0.25, numLayers: 2 }),
  rnn_relu: () => new nn.RNN(3, 4, { nonlinearity: "relu" }),
  rnncell: () => new nn.RNNCell(3, 4, false, "relu"),
  lstmcell: () => new nn.LSTMCell(3, 4),
  grucell: () => new nn.GRUCell(3, 4),
};
test("init: every fixture module has a constructor here", () => {
  assert.deepEqual(Object.keys(INITS).sort(), fx.inits.map((i) => i.name).sort());
});
for (const c of fx.inits) {
  test(`init ${c.name}: torch.manualSeed(0) gives PyTorch's exact initial weights, in PyTorch's draw order`, () => {
    torch.manualSeed(0);
    const m = INITS[c.name]!();
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state), "keys");
    for (const [k, e] of Object.entries(c.state)) exact(sd.get(k)!, e, k);
    // the generator has advanced exactly as far as PyTorch's
    exact(torch.rand(c.after.shape), c.after, "next draw");
    assert.equal(String(m), c.repr, "repr");
  });
}
test("a PyTorch checkpoint (torch.save(lstm.state_dict())) loads with loadStateDict", () => {
  const sd = torch.load(new URL("./fixtures/rnn_lstm_proj.pt", import.meta.url)) as Map<string, Tensor>;
  torch.manualSeed(123);
  const m = new nn.LSTM(6, 8, { numLayers: 2, projSize: 3, batchFirst: true, bidirectional: true });
  m.loadStateDict(sd);
  const want = fx.inits.find((i) => i.name === "lstm_proj")!;
  for (const [k, p] of m.namedParameters()) exact(p.detach(), want.state[k]!, k);
});

// ---------------------------------------------------------------- nn.utils.rnn
const UTILS: Record<string, (s: Tensor[]) => Record<string, Tensor | unknown>> = {
  pad_sequence: (s) => ({ out: R.padSequence(s) }),
  pad_sequence_batch_first_value: (s) => ({ out: R.padSequence(s, { batchFirst: true, paddingValue: -1.5 }) }),
  pad_sequence_1d: (s) => ({ out: R.padSequence(s, true) }),
  pack_sequence_sorted: (s) => packedDict(R.packSequence(s)),
  pack_sequence_unsorted: (s) => packedDict(R.packSequence(s, { enforceSorted: false })),
  pack_padded_batch_first: (s) => packedDict(R.packPaddedSequence(s[0]!, [3, 3, 1], { batchFirst: true })),
  pack_padded_unsorted_ties: (s) => packedDict(R.packPaddedSequence(s[0]!, torch.tensor([2, 3, 2, 3, 1], { dtype: torch.int64 }), { enforceSorted: false })),
  pack_padded_unsorted_large_ties: (s) => packedDict(R.packPaddedSequence(s[0]!, Array.from({ length: 40 }, (_, i) => (i % 2) + 1), true, false)),
  pack_padded_float_lengths: (s) => packedDict(R.packPaddedSequence(s[0]!, torch.tensor([3.7, 2.2]))),
  pad_packed: (s) => roundtrip(s, {}),
  pad_packed_batch_first_value_total: (s) => roundtrip(s, { batchFirst: true, paddingValue: 9.0, totalLength: 6 }),
  pad_packed_sorted_total: (s) => {
    const [out, lengths] = R.padPackedSequence(R.packSequence(s), false, 0, 5);
    return { out, lengths };
  },
  unpack_sequence: (s) => Object.fromEntries(R.unpackSequence(R.packSequence(s, false)).map((t, i) => [`seq${i}`, t])),
};
function packedDict(p: InstanceType<typeof R.PackedSequence>): Record<string, unknown> {
  return { data: p.data, batch_sizes: p.batchSizes, sorted_indices: ints(p.sortedIndices), unsorted_indices: ints(p.unsortedIndices) };
}
function roundtrip(s: Tensor[], o: { batchFirst?: boolean; paddingValue?: number; totalLength?: number }): Record<string, unknown> {
  const [out, lengths] = R.padPackedSequence(R.packSequence(s, { enforceSorted: false }), o);
  return { out, lengths };
}
test("utils: every fixture case has a TypeScript case", () => {
  assert.deepEqual(Object.keys(UTILS).sort(), fx.utils.map((u) => u.name).sort());
});
for (const c of fx.utils) {
  test(`utils ${c.name}: values, grad_fn, strides and gradients match PyTorch`, () => {
    const leaves = c.leaves.map(leaf);
    const res = UTILS[c.name]!(leaves);
    assert.deepEqual(Object.keys(res).sort(), Object.keys(c.results).sort(), "result names");
    let loss: Tensor | null = null;
    for (const [k, want] of Object.entries(c.results)) {
      const got = res[k];
      if ("value" in want) {
        assert.deepEqual(got, want.value, k);
        continue;
      }
      const t = got as Tensor;
      exact(t, want, k);
      assert.equal(t.dtype.name, want.dtype, `${k}: dtype`);
      assert.equal(t.gradFn ? t.gradFn.name() : null, want.grad_fn, `${k}: grad_fn`);
      assert.deepEqual(t.stride(), want.stride, `${k}: strides`);
      if (c.ws[k]) {
        const term = t.mul(dec(c.ws[k]!)).sum();
        loss = loss ? loss.add(term) : term;
      }
    }
    if (c.grads) {
      loss!.backward();
      c.grads.forEach((g, i) => (g ? close(leaves[i]!.grad, g, `grad of leaf ${i}`) : assert.equal(leaves[i]!.grad, null)));
    }
  });
}
test("utils: PackedSequence prints as PyTorch's named tuple, and unpacks like it", () => {
  torch.manualSeed(0);
  const p = R.packSequence([torch.randn(3, 2), torch.randn(1, 2)]);
  assert.equal(String(p), fx.packed_repr);
  torch.manualSeed(0);
  const q = R.packSequence([torch.randn(1, 2), torch.randn(3, 2)], false);
  assert.equal(String(q), fx.packed_repr_unsorted);
  const [data, batchSizes, sorted, unsorted] = q;
  assert.equal(data, q.data);
  assert.equal(batchSizes, q.batchSizes);
  assert.equal(sorted, q.sortedIndices);
  assert.equal(unsorted, q.unsortedIndices);
  assert.deepEqual(ints(R.invertPermutation(torch.tensor([2, 0, 1], { dtype: torch.int64 }))), [1, 2, 0]);
});
test("utils: packed gradients support double backward (PackPaddedSequenceBackward0 is written with tensor ops)", () => {
  const x = torch.randn([3, 2, 2], { dtype: torch.float64, requiresGrad: true });
  const f = (t: Tensor) => R.packPaddedSequence(t.mul(t), [3, 1]).data.sum();
  assert.ok(torch.autograd.gradcheck(f, [x]));
  const [g] = torch.autograd.grad(f(x), [x], { createGraph: true });
  const [gg] = torch.autograd.grad(g!.sum(), [x]);
  // d/dx sum over packed positions of 2x: 2 where packed, 0 in the padding
  const mask = torch.tensor([[[1, 1], [1, 1]], [[1, 1], [0, 0]], [[1, 1], [0, 0]]], { dtype: torch.float64 });
  assert.deepEqual(gg!.tolist(), mask.mul(2).tolist());
});

// ---------------------------------------------------------------- errors
const t = (...s: number[]) => torch.randn(s);
const ERRORS: Record<string, () => unknown> = {
  lstm_input_size: () => new nn.LSTM(10, 20)(t(4, 3, 5)),
  lstm_h_shape: () => new nn.LSTM(10, 20)(t(4, 3, 10), [t(2, 3, 20), t(1, 3, 20)]),
  lstm_c_shape: () => new nn.LSTM(10, 20)(t(4, 3, 10), [t(1, 3, 20), t(1, 2, 20)]),
  lstm_proj_c_shape: () => new nn.LSTM(10, 20, { projSize: 5 })(t(4, 3, 10), [t(1, 3, 5), t(1, 3, 5)]),
  lstm_hx_dims: () => new nn.LSTM(10, 20)(t(4, 3, 10), [t(3, 20), t(1, 3, 20)]),
  lstm_hx_dims_unbatched: () => new nn.LSTM(10, 20)(t(4, 10), [t(1, 1, 20), t(1, 20)]),
  lstm_1d_input: () => new nn.LSTM(10, 20)(t(10)),
  lstm_4d_input: () => new nn.LSTM(10, 20)(t(2, 2, 2, 10)),
  lstm_seq_len_0: () => new nn.LSTM(10, 20)(t(0, 3, 10)),
  lstm_packed_h_shape: () => new nn.LSTM(2, 3)(R.packSequence([t(3, 2), t(2, 2)]), [t(1, 3, 3), t(1, 2, 3)]),
  lstm_packed_data_dims: () => new nn.LSTM(2, 3)(new R.PackedSequence(t(5, 2, 2), torch.tensor([2, 2, 1], { dtype: torch.int64 }))),
  lstm_dtype_mismatch: () => new nn.LSTM(10, 20)(torch.randn([4, 3, 10], { dtype: torch.float64 })),
  gru_dtype_mismatch: () => new nn.GRU(3, 4)(torch.randn([2, 1, 3], { dtype: torch.float64 })),
  rnn_nobias_long_input: () => new nn.RNN(3, 4, { bias: false })(torch.ones([2, 1, 3], { dtype: torch.int64 })),
  lstm_nobias_h0_float64: () => new nn.LSTM(3, 4, { bias: false })(t(2, 1, 3), [torch.randn([1, 1, 4], { dtype: torch.float64 }), t(1, 1, 4)]),
  gru_h0_float64: () => new nn.GRU(3, 4)(t(2, 1, 3), torch.randn([1, 1, 4], { dtype: torch.float64 })),
  lstmcell_float64_input: () => new nn.LSTMCell(3, 4)(torch.randn([2, 3], { dtype: torch.float64 })),
  grucell_nobias_long_input: () => new nn.GRUCell(3, 4, false)(torch.ones([2, 3], { dtype: torch.int64 })),
  rnn_h_shape: () => new nn.RNN(10, 20)(t(4, 3, 10), t(2, 3, 20)),
  rnn_batch_first_h_shape: () => new nn.RNN(10, 20, { batchFirst: true })(t(4, 3, 10), t(1, 3, 20)),
  rnn_hx_dims: () => new nn.RNN(10, 20)(t(4, 3, 10), t(3, 20)),
  rnn_hx_dims_unbatched: () => new nn.RNN(10, 20)(t(4, 10), t(1, 3, 20)),
  gru_bidir_h_shape: () => new nn.GRU(10, 20, { bidirectional: true })(t(4, 3, 10), t(1, 3, 20)),
  gru_hx_dims_unbatched: () => new nn.GRU(10, 20)(t(4, 10), t(2)),
  rnn_nonlinearity: () => new nn.RNN(10, 20, { nonlinearity: "sigmoid" as "tanh" }),
  gru_proj_size: () => new nn.GRU(10, 20, { projSize: 5 } as object),
  rnn_proj_size: () => new nn.RNN(10, 20, { projSize: 5 } as object),
  lstm_proj_too_big: () => new nn.LSTM(10, 20, { projSize: 20 }),
  lstm_proj_negative: () => new nn.LSTM(10, 20, { projSize: -1 }),
  lstm_dropout_range: () => new nn.LSTM(10, 20, { dropout: 1.5 }),
  rnncell_3d: () => new nn.RNNCell(10, 20)(t(2, 3, 10)),
  lstmcell_3d: () => new nn.LSTMCell(10, 20)(t(2, 3, 10)),
  grucell_0d: () => new nn.GRUCell(10, 20)(torch.tensor(1.0)),
  rnncell_input_size: () => new nn.RNNCell(10, 20)(t(3, 5)),
  rnncell_hidden_batch: () => new nn.RNNCell(10, 20)(t(3, 10), t(2, 20)),
  rnncell_hidden_size: () => new nn.RNNCell(10, 20)(t(3, 10), t(3, 5)),
  rnncell_batched_1d_hidden: () => new nn.RNNCell(10, 20)(t(3, 10), t(20)),
  rnncell_unbatched_2d_hidden: () => new nn.RNNCell(10, 20)(t(10), t(1, 20)),
  rnncell_nonlinearity: () => new nn.RNNCell(10, 20, true, "foo" as "tanh")(t(3, 10)),
  lstmcell_c_size: () => new nn.LSTMCell(10, 20)(t(3, 10), [t(3, 20), t(3, 5)]),
  lstmcell_c_batch: () => new nn.LSTMCell(10, 20)(t(3, 10), [t(3, 20), t(2, 20)]),
  grucell_hidden_size: () => new nn.GRUCell(10, 20)(t(3, 10), t(3, 21)),
  lstmcell_input_size: () => new nn.LSTMCell(10, 20)(t(3, 11)),
  pad_sequence_empty: () => R.padSequence([]),
  pack_padded_unsorted: () => R.packPaddedSequence(torch.ones([3, 2]), [2, 3]),
  pack_sequence_unsorted: () => R.packSequence([torch.ones(2), torch.ones(3)]),
  pack_padded_lengths_len: () => R.packPaddedSequence(torch.ones([3, 2]), [3, 2, 1]),
  pack_padded_zero_length: () => R.packPaddedSequence(torch.ones([3, 2]), [3, 0]),
  pack_padded_zero_length_unsorted: () => R.packPaddedSequence(torch.ones([3, 2]), [0, 3], { enforceSorted: false }),
  pack_padded_empty: () => R.packPaddedSequence(torch.ones([0, 2]), [0, 0]),
  pad_packed_total_length: () => R.padPackedSequence(R.packSequence([torch.ones(3), torch.ones(2)]), { totalLength: 2 }),
};
test("errors: every fixture case has a TypeScript case", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), Object.keys(fx.errors).sort());
});
for (const [name, want] of Object.entries(fx.errors)) {
  test(`error ${name}: PyTorch's class and words`, () => {
    assert.throws(ERRORS[name]!, (e: Error) => {
      assert.equal(`${e.name}: ${e.message.split("\n")[0]}`, `${want.type}: ${want.message}`);
      return true;
    });
  });
}

// ---------------------------------------------------------------- reprs
const REPRS: Record<string, () => torch.nn.Module> = {
  rnn: () => new nn.RNN(10, 20),
  rnn_relu: () => new nn.RNN(10, 20, 2, { nonlinearity: "relu" }),
  lstm_all: () => new nn.LSTM(10, 20, 3, { bias: false, batchFirst: true, dropout: 0.1, bidirectional: true, projSize: 5 }),
  gru: () => new nn.GRU(4, 8, { dropout: 0.5, numLayers: 2 }),
  rnncell: () => new nn.RNNCell(3, 4),
  rnncell_relu_nobias: () => new nn.RNNCell(3, 4, { bias: false, nonlinearity: "relu" }),
  lstmcell: () => new nn.LSTMCell(3, 4),
  grucell_nobias: () => new nn.GRUCell(3, 4, false),
  seq: () => new nn.Sequential(new nn.LSTM(3, 4), new nn.Linear(4, 2)),
};
test("reprs match PyTorch's", () => {
  assert.deepEqual(Object.keys(REPRS).sort(), Object.keys(fx.reprs).sort());
  for (const [k, want] of Object.entries(fx.reprs)) assert.equal(String(REPRS[k]!()), want, k);
});

// ---------------------------------------------------------------- gradcheck (float64)
const D64 = { dtype: torch.float64 };
test("gradcheck: LSTM (2 layers, bidirectional, projections) in float64, w.r.t. input, h0, c0 and every parameter", () => {
  torch.manualSeed(1);
  const m = new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true, projSize: 2, dtype: torch.float64 });
  const x = torch.randn([3, 2, 2], { ...D64, requiresGrad: true });
  const h0 = torch.randn([4, 2, 2], { ...D64, requiresGrad: true });
  const c0 = torch.randn([4, 2, 3], { ...D64, requiresGrad: true });
  const fn = (xx: Tensor, hh: Tensor, cc: Tensor) => {
    const [out, [h, c]] = m.forward(xx, [hh, cc]);
    return [out, h, c];
  };
  assert.ok(torch.autograd.gradcheck(fn, [x, h0, c0, ...m.parameters()]));
});
test("gradcheck: GRU (bidirectional, packed sequences of unequal lengths) in float64", () => {
  torch.manualSeed(2);
  const m = new nn.GRU(2, 3, { bidirectional: true, dtype: torch.float64 });
  const a = torch.randn([3, 2], { ...D64, requiresGrad: true });
  const b = torch.randn([1, 2], { ...D64, requiresGrad: true });
  const c = torch.randn([2, 2], { ...D64, requiresGrad: true });
  const h0 = torch.randn([2, 3, 3], { ...D64, requiresGrad: true });
  const fn = (aa: Tensor, bb: Tensor, cc: Tensor, hh: Tensor) => {
    const [out, h] = m.forward(R.packSequence([aa, bb, cc], false), hh);
    return [R.padPackedSequence(out)[0], h];
  };
  assert.ok(torch.autograd.gradcheck(fn, [a, b, c, h0, ...m.parameters()]));
});
test("gradcheck: RNN (relu, batch first) and the three cells in float64", () => {
  torch.manualSeed(3);
  const rnn = new nn.RNN(2, 3, { nonlinearity: "relu", batchFirst: true, numLayers: 2, dtype: torch.float64 });
  const x = torch.randn([2, 3, 2], { ...D64, requiresGrad: true });
  assert.ok(torch.autograd.gradcheck((xx: Tensor) => rnn.forward(xx)[0], [x, ...rnn.parameters()]));
  const cells: [torch.nn.RNNCellBase, (m: torch.nn.RNNCellBase, x: Tensor, h: Tensor) => Tensor[]][] = [
    [new nn.RNNCell(2, 3, { dtype: torch.float64 }), (m, xx, hh) => [m(xx, hh)]],
    [new nn.LSTMCell(2, 3, { dtype: torch.float64 }), (m, xx, hh) => m(xx, [hh, hh.mul(0.5)])],
    [new nn.GRUCell(2, 3, { dtype: torch.float64 }), (m, xx, hh) => [m(xx, hh)]],
  ];
  for (const [m, f] of cells) {
    const xx = torch.randn([2, 2], { ...D64, requiresGrad: true });
    const hh = torch.randn([2, 3], { ...D64, requiresGrad: true });
    assert.ok(torch.autograd.gradcheck((a: Tensor, b: Tensor) => f(m, a, b), [xx, hh, ...m.parameters()]), m.constructor.name);
  }
});

// ---------------------------------------------------------------- behaviour
test("dropout between layers: nothing drawn in eval mode, a mask in training mode", () => {
  const m = new nn.LSTM(2, 3, { numLayers: 2, dropout: 0.5 });
  const x = torch.randn(4, 1, 2);
  m.eval();
  torch.manualSeed(5);
  const [a] = m(x);
  const after = torch.rand(1).item();
  torch.manualSeed(5);
  assert.equal(torch.rand(1).item(), after, "eval mode: no draw");
  m.train();
  torch.manualSeed(5);
  const [b] = m(x);
  assert.notDeepEqual(a.tolist(), b.tolist(), "train mode: dropout applied");
});
test("allWeights and _flatWeights list the parameters per layer and direction, as PyTorch", () => {
  const m = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
  assert.deepEqual(m._allWeights[1], ["weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_hr_l0_reverse"]);
  assert.equal(m.allWeights[3]![0], m._parameters.get("weight_ih_l1_reverse"));
  assert.deepEqual(m.allWeights[2]!.map((p) => p.shape), [[16, 4], [16, 2], [16], [16], [2, 4]]);
  assert.equal(m._flatWeights.length, 20);
});
test("the doc comments' examples run and give the shapes they say", () => {
  const rnn = new nn.RNN(10, 20, 2);
  const [output, hn] = rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 20)) as [Tensor, Tensor];
  assert.deepEqual([output.shape, hn.shape], [[5, 3, 20], [2, 3, 20]]);
  const lstm = new nn.LSTM(10, 20, 2);
  const [, [h, c]] = lstm(torch.randn(5, 3, 10)) as [Tensor, [Tensor, Tensor]];
  assert.deepEqual([h.shape, c.shape], [[2, 3, 20], [2, 3, 20]]);
  const gru = new nn.GRU(10, 20, { batchFirst: true });
  assert.deepEqual((gru(torch.randn(3, 5, 10)) as [Tensor, Tensor])[0].shape, [3, 5, 20]);
  const cell = new nn.RNNCell(10, 20);
  assert.deepEqual((cell(torch.randn(3, 10), torch.randn(3, 20)) as Tensor).shape, [3, 20]);
  const [hc, cc] = new nn.LSTMCell(10, 20)(torch.randn(3, 10)) as [Tensor, Tensor];
  assert.deepEqual([hc.shape, cc.shape], [[3, 20], [3, 20]]);
  assert.deepEqual((new nn.GRUCell(10, 20)(torch.randn(3, 10)) as Tensor).shape, [3, 20]);
  assert.deepEqual(R.padSequence([torch.ones(3), torch.ones(2)]).shape, [3, 2]);
  assert.deepEqual(ints(R.packSequence([torch.ones(3), torch.ones(2)]).batchSizes), [2, 2, 1]);
  const x = torch.randn(2, 3, 4);
  assert.deepEqual(ints(R.packPaddedSequence(x, [3, 1], { batchFirst: true }).batchSizes), [2, 1, 1]);
  assert.deepEqual(ints(R.packSequence([torch.ones(2), torch.ones(3)], { enforceSorted: false }).sortedIndices), [1, 0]);
});
