// nn.MultiheadAttention, the Transformer layers and F.scaledDotProductAttention against real PyTorch
// 1.13 (test/fixtures/attention.json, from scripts/gen_attention_fixtures.py): outputs, attention
// weights, grad_fn names and the gradients of a scalar loss w.r.t. the inputs and every parameter,
// with the parameters loaded from PyTorch's state dict; seeded initialization; printouts; errors;
// float64 gradchecks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import * as nn from "../src/nn/index.js";
import { BACKENDS, onBackend } from "./helpers/numerics.js";

const F = nn.functional;

type Num = number | string | boolean;
interface Enc { shape: number[]; dtype: string; data: Num[] }
type Json = Record<string, unknown>;
interface ModuleCase {
  name: string; kind: string; ctor: Json; training: boolean; grad: boolean; seed: number | null;
  state: Record<string, Enc>; inputs: Record<string, Enc>; aliases: Record<string, string>; kw: Record<string, Enc | boolean>;
  out: Enc; weights: Enc | null; outGradFn: string | null; weightsGradFn: string | null;
  rOut?: Enc; rWeights?: Enc; grads?: Record<string, Enc>; paramGrads?: Record<string, Enc>;
}
interface SdpaCase { name: string; q: Enc; k: Enc; v: Enc; attnMask: Enc | null; isCausal: boolean; out: Enc; r: Enc; grads: Record<string, Enc> }
const fx = JSON.parse(readFileSync(new URL("./fixtures/attention.json", import.meta.url), "utf8")) as {
  modules: ModuleCase[]; sdpa: SdpaCase[];
  init: Record<string, { kind: string; ctor: Json; state: Record<string, Enc>; params: string[] }>;
  masks: Record<string, Enc>; reprs: Record<string, string>; errors: Record<string, { type: string; message: string }>;
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, bool: torch.bool, int64: torch.int64 };
const num = (v: Num): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));
function dec(e: Enc): Tensor {
  const dtype = DTYPES[e.dtype]!;
  const data = dtype === torch.bool ? e.data.map(Boolean) : e.data.map(num);
  return torch.tensor(data, { dtype }).reshape(e.shape);
}
/**
 * |got - want| <= atol + rtol |want| elementwise (NaN matches NaN, infinities must be equal).
 * NOTE: float32 sums of a few dozen products, through up to a dozen layers, summed in other orders
 * than PyTorch's kernels: outputs come within 2e-6 (measured), checked at rtol 1e-5 / atol 1e-5;
 * gradients (up to ~17, summed over more terms) within 1e-5, checked at rtol 1e-4 / atol 2e-5.
 * The atol matters for gradients that are zero in exact arithmetic (the key bias's: softmax does not
 * see a shift of all scores), which come out as rounding noise around 1e-6, in PyTorch too.
 */
function close(got: Tensor | null | undefined, want: Enc, what: string, rtol = 1e-5, atol = 1e-5): void {
  assert.ok(got, `${what}: missing`);
  assert.deepEqual(got!.shape, want.shape, `${what}: shape`);
  assert.equal(got!.dtype.name, want.dtype, `${what}: dtype`);
  const g = Array.from(got!.detach().reshape(-1).tolist() as (number | boolean)[], Number);
  let bad = 0, first = "";
  want.data.forEach((v, i) => {
    const w = num(v), x = g[i]!;
    if (Number.isNaN(w) ? Number.isNaN(x) : !Number.isFinite(w) ? x === w : Math.abs(x - w) <= atol + rtol * Math.abs(w)) return;
    if (!bad++) first = `[${i}] got ${x}, want ${w}`;
  });
  assert.equal(bad, 0, `${what}: ${bad} of ${want.data.length} differ; first ${first}`);
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function activation(a: unknown): nn.TransformerLayerOptions["activation"] {
  if (a === undefined) return undefined;
  if (a === "gelu_module") return new nn.GELU("tanh");
  return a as "relu" | "gelu";
}
function layerOpts(c: Json): nn.TransformerLayerOptions {
  const o: nn.TransformerLayerOptions = {};
  if (c.dim_feedforward !== undefined) o.dimFeedforward = c.dim_feedforward as number;
  if (c.dropout !== undefined) o.dropout = c.dropout as number;
  if (c.activation !== undefined) o.activation = activation(c.activation);
  if (c.layer_norm_eps !== undefined) o.layerNormEps = c.layer_norm_eps as number;
  if (c.batch_first !== undefined) o.batchFirst = c.batch_first as boolean;
  if (c.norm_first !== undefined) o.normFirst = c.norm_first as boolean;
  return o;
}
/** The module a fixture's constructor arguments (PyTorch's names) describe. */
function build(kind: string, c: Json): nn.Module {
  switch (kind) {
    case "mha": {
      const o: nn.MultiheadAttentionOptions = {};
      for (const [k, v] of Object.entries(c)) if (k !== "embed_dim" && k !== "num_heads") (o as Json)[camel(k)] = v;
      return new nn.MultiheadAttention(c.embed_dim as number, c.num_heads as number, o);
    }
    case "encoder_layer": return new nn.TransformerEncoderLayer(c.d_model as number, c.nhead as number, layerOpts(c));
    case "decoder_layer": return new nn.TransformerDecoderLayer(c.d_model as number, c.nhead as number, layerOpts(c));
    case "encoder": {
      const layer = new nn.TransformerEncoderLayer(c.d_model as number, c.nhead as number, layerOpts(c));
      return new nn.TransformerEncoder(layer, c.num_layers as number, c.final_norm ? new nn.LayerNorm(c.d_model as number) : null);
    }
    case "decoder": {
      const layer = new nn.TransformerDecoderLayer(c.d_model as number, c.nhead as number, layerOpts(c));
      return new nn.TransformerDecoder(layer, c.num_layers as number, c.final_norm ? new nn.LayerNorm(c.d_model as number) : null);
    }
    case "transformer":
      return new nn.Transformer({
        ...layerOpts(c), dModel: c.d_model as number, nhead: c.nhead as number,
        numEncoderLayers: c.num_encoder_layers as number, numDecoderLayers: c.num_decoder_layers as number,
      });
  }
  throw new Error(`unknown kind ${kind}`);
}
function call(kind: string, m: nn.Module, ins: Record<string, Tensor>, kw: Record<string, unknown>): [Tensor, Tensor | null] {
  switch (kind) {
    case "mha": return m(ins.query, ins.key, ins.value, kw) as [Tensor, Tensor | null];
    case "encoder_layer": case "encoder": return [m(ins.src, kw) as Tensor, null];
    case "decoder_layer": case "decoder": return [m(ins.tgt, ins.memory, kw) as Tensor, null];
    case "transformer": return [m(ins.src, ins.tgt, kw) as Tensor, null];
  }
  throw new Error(`unknown kind ${kind}`);
}

// ---------------------------------------------------------------- modules against PyTorch
const GRAD_TOL = [1e-4, 2e-5] as const;
for (const c of fx.modules) for (const backend of BACKENDS) {
  test(`${c.kind}: ${c.name}${backend === "wasm" ? "" : ` [${backend}]`}`, () => onBackend(backend, () => {
    const m = build(c.kind, c.ctor);
    // the parameters PyTorch used, loaded through its state dict keys (strict: the names must match)
    assert.deepEqual([...m.stateDict().keys()], Object.keys(c.state), "state dict keys, in PyTorch's order");
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, dec(e)])));
    m.train(c.training);
    const ins: Record<string, Tensor> = {};
    for (const [k, e] of Object.entries(c.inputs)) ins[k] = dec(e).requiresGrad_(c.grad);
    for (const [k, other] of Object.entries(c.aliases)) ins[k] = ins[other]!;
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.kw)) kw[camel(k)] = typeof v === "object" ? dec(v) : v;
    if (c.seed !== null) torch.manualSeed(c.seed);
    const [out, w] = c.grad ? call(c.kind, m, ins, kw) : torch.noGrad(() => call(c.kind, m, ins, kw));
    close(out, c.out, "output");
    assert.equal(out.gradFn?.name() ?? null, c.outGradFn, "output grad_fn");
    if (c.weights === null) assert.equal(w, null, "no weights");
    else {
      close(w, c.weights, "attention weights");
      assert.equal(w!.gradFn?.name() ?? null, c.weightsGradFn, "weights grad_fn");
    }
    if (!c.grad) return;
    let loss = out.mul(dec(c.rOut!)).sum();
    if (w) loss = loss.add(w.mul(dec(c.rWeights!)).sum());
    loss.backward();
    for (const [k, g] of Object.entries(c.grads!)) close(ins[k]!.grad, g, `grad of ${k}`, ...GRAD_TOL);
    const params = new Map(m.namedParameters());
    assert.deepEqual([...params.keys()], Object.keys(c.paramGrads!), "parameter names, in PyTorch's order");
    for (const [k, g] of Object.entries(c.paramGrads!)) close(params.get(k)!.grad, g, `grad of ${k}`, ...GRAD_TOL);
  }));
}

// ---------------------------------------------------------------- scaled_dot_product_attention
for (const c of fx.sdpa) {
  test(`scaledDotProductAttention: ${c.name}`, () => {
    const q = dec(c.q).requiresGrad_(), k = dec(c.k).requiresGrad_(), v = dec(c.v).requiresGrad_();
    const out = F.scaledDotProductAttention(q, k, v, { attnMask: c.attnMask ? dec(c.attnMask) : null, isCausal: c.isCausal });
    const f64 = c.q.dtype === "float64";
    close(out, c.out, "output", f64 ? 1e-12 : 1e-5, f64 ? 1e-12 : 1e-5);
    out.mul(dec(c.r)).sum().backward();
    const [rtol, atol] = f64 ? [1e-10, 1e-10] : GRAD_TOL;
    close(q.grad, c.grads.q!, "grad q", rtol, atol);
    close(k.grad, c.grads.k!, "grad k", rtol, atol);
    close(v.grad, c.grads.v!, "grad v", rtol, atol);
  });
}

test("scaledDotProductAttention: a bool mask keeps True positions (MultiheadAttention's rule is the opposite)", () => {
  torch.manualSeed(0);
  const q = torch.randn([1, 3, 4]), k = torch.randn([1, 3, 4]), v = torch.randn([1, 3, 4]);
  const keep = torch.tensor([[true, false, false], [true, true, false], [true, true, true]]);
  const a = F.scaledDotProductAttention(q, k, v, { attnMask: keep });
  const b = F.scaledDotProductAttention(q, k, v, { isCausal: true });
  assert.deepEqual(a.tolist(), b.tolist());
  // the same keys through multi_head_attention_forward's bool rule: True = masked out
  const I = torch.eye(4);
  const w = torch.cat([I, I, I]);
  const [o] = F.multiHeadAttentionForward(q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), 4, 1, w, null, null, null, false, 0, I, null, {
    attnMask: keep.logicalNot(),
  });
  close(o.transpose(0, 1), { shape: a.shape, dtype: "float32", data: a.reshape(-1).tolist() as number[] }, "mha with the inverted mask", 1e-6, 1e-6);
  // scale and dropout (PyTorch's dropout: under the same seed, the same mask as F.dropout on the weights)
  const s = F.scaledDotProductAttention(q, k, v, { scale: 0.25 });
  const ref = q.matmul(k.transpose(-2, -1)).mul(0.25).softmax(-1).matmul(v);
  close(s, { shape: ref.shape, dtype: "float32", data: ref.reshape(-1).tolist() as number[] }, "scale", 1e-6, 1e-6);
  torch.manualSeed(5);
  const d = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5 });
  torch.manualSeed(5);
  const dref = F.dropout(q.matmul(k.transpose(-2, -1)).div(2).softmax(-1), 0.5).matmul(v);
  close(d, { shape: dref.shape, dtype: "float32", data: dref.reshape(-1).tolist() as number[] }, "dropout", 1e-6, 1e-6);
});

// ---------------------------------------------------------------- seeded initialization
for (const [name, c] of Object.entries(fx.init)) {
  test(`manualSeed(0) initialization: ${name}`, () => {
    torch.manualSeed(0);
    const m = build(c.kind, c.ctor);
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state), "state dict keys");
    assert.deepEqual(m.namedParameters().map(([k]) => k), c.params, "named parameters");
    // NOTE: the same generator draws in the same order; xavier/kaiming bounds are computed in double
    // as PyTorch does, so the values agree to float32 rounding of the bound
    for (const [k, e] of Object.entries(c.state)) close(sd.get(k)!, e, k, 1e-6, 1e-7);
  });
}

// ---------------------------------------------------------------- printouts, masks, deep copies
test("printouts are PyTorch's", () => {
  for (const [name, c] of Object.entries(fx.init)) assert.equal(String(build(c.kind, c.ctor)), fx.reprs[name], name);
});

test("Transformer.generateSquareSubsequentMask", () => {
  for (const [n, e] of Object.entries(fx.masks)) close(nn.Transformer.generateSquareSubsequentMask(Number(n)), e, `mask ${n}`, 0, 0);
});

test("TransformerEncoder deep-copies its layer: independent parameters, same values, same class and options", () => {
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, activation: new nn.GELU("tanh") });
  const enc = new nn.TransformerEncoder(layer, 2);
  const l0 = enc.layers.at(0) as nn.TransformerEncoderLayer, l1 = enc.layers.at(1) as nn.TransformerEncoderLayer;
  assert.ok(l0 instanceof nn.TransformerEncoderLayer && l0 !== layer && l0 !== l1);
  assert.ok(l0.self_attn instanceof nn.MultiheadAttention && l0.self_attn.batchFirst && l0.activationReluOrGelu === 2);
  assert.ok(l0.activation instanceof nn.GELU && l0.activation !== layer.activation && (l0.activation as nn.GELU).approximate === "tanh");
  assert.deepEqual(l0.self_attn.in_proj_weight!.tolist(), layer.self_attn.in_proj_weight!.tolist());
  assert.ok(l0.self_attn.in_proj_weight !== l1.self_attn.in_proj_weight && l0.self_attn.in_proj_weight!.requiresGrad);
  torch.noGrad(() => l0.linear1.weight.fill_(3));
  assert.notEqual((l1.linear1.weight.tolist() as number[][])[0]![0], 3);
  assert.notEqual((layer.linear1.weight.tolist() as number[][])[0]![0], 3);
  assert.equal(enc.parameters().length, 2 * layer.parameters().length);
  const x = torch.randn([3, 5, 8]);
  assert.deepEqual(l1(x).shape, [3, 5, 8], "a copy runs");
});

test("camelCase aliases read PyTorch's registered names", () => {
  const m = new nn.MultiheadAttention(8, 2, { kdim: 6, addBiasKv: true });
  assert.equal(m.qProjWeight, m.q_proj_weight);
  assert.equal(m.inProjWeight, null);
  assert.equal(m.biasK, m.bias_k);
  assert.equal(m.outProj, m.out_proj);
  const t = new nn.TransformerDecoderLayer(8, 2, 16, 0.0);
  assert.equal(t.linear1.outFeatures, 16);
  assert.equal(t.dropout.p, 0);
  assert.equal(t.multiheadAttn, t.multihead_attn);
});

// ---------------------------------------------------------------- errors in PyTorch's words
const q3 = () => torch.zeros([4, 3, 8]), k3 = () => torch.zeros([5, 3, 8]);
const M = (o: nn.MultiheadAttentionOptions = {}) => new nn.MultiheadAttention(8, 2, o);
const B = { dtype: torch.bool }, L = { dtype: torch.int64 };
const errorCases: Record<string, () => unknown> = {
  embed_dim_not_divisible: () => new nn.MultiheadAttention(10, 3),
  attn_mask_2d_shape: () => { const q = q3(); return M()(q, q, q, { attnMask: torch.zeros([3, 4]) }); },
  attn_mask_2d_shape_cross: () => M()(q3(), k3(), k3(), { attnMask: torch.zeros([4, 4]) }),
  attn_mask_3d_shape: () => M()(q3(), k3(), k3(), { attnMask: torch.zeros([3, 4, 5]) }),
  attn_mask_4d: () => M()(q3(), k3(), k3(), { attnMask: torch.zeros([1, 6, 4, 5]) }),
  attn_mask_int: () => M()(q3(), k3(), k3(), { attnMask: torch.zeros([4, 5], L) }),
  attn_mask_unbatched_3d: () => M()(torch.zeros([4, 8]), torch.zeros([5, 8]), torch.zeros([5, 8]), { attnMask: torch.zeros([6, 4, 5]) }),
  attn_mask_unbatched_1d: () => M()(torch.zeros([4, 8]), torch.zeros([5, 8]), torch.zeros([5, 8]), { attnMask: torch.zeros([5]) }),
  key_padding_mask_shape: () => M()(q3(), k3(), k3(), { keyPaddingMask: torch.zeros([3, 4], B) }),
  key_padding_mask_dim: () => M()(q3(), k3(), k3(), { keyPaddingMask: torch.zeros([3, 4, 5], B) }),
  key_padding_mask_unbatched_dim: () => M()(torch.zeros([4, 8]), torch.zeros([5, 8]), torch.zeros([5, 8]), { keyPaddingMask: torch.zeros([3, 5], B) }),
  key_padding_mask_int: () => M()(q3(), k3(), k3(), { keyPaddingMask: torch.zeros([3, 5], L) }),
  query_4d: () => M()(torch.zeros([1, 4, 3, 8]), k3(), k3()),
  key_2d_batched_query: () => M()(q3(), torch.zeros([5, 8]), k3()),
  key_3d_unbatched_query: () => M()(torch.zeros([4, 8]), k3(), k3()),
  embed_dim_mismatch: () => M()(torch.zeros([4, 3, 6]), torch.zeros([5, 3, 6]), torch.zeros([5, 3, 6])),
  key_value_shape: () => M()(q3(), k3(), torch.zeros([6, 3, 8])),
  kdim_key_value_seq: () => M({ kdim: 6, vdim: 6 })(q3(), torch.zeros([5, 3, 6]), torch.zeros([4, 3, 6])),
  activation_string: () => new nn.TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" }),
  encoder_layer_kpm_int: () => new nn.TransformerEncoderLayer(8, 2, 16)(q3(), { srcKeyPaddingMask: torch.zeros([3, 4], L) }),
  encoder_kpm_int: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 1)(q3(), { srcKeyPaddingMask: torch.zeros([3, 4], L) }),
  transformer_batch: () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 })(torch.zeros([5, 3, 8]), torch.zeros([4, 2, 8])),
  transformer_batch_first_batch: () =>
    new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true })(torch.zeros([3, 5, 8]), torch.zeros([2, 4, 8])),
  transformer_d_model: () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 })(torch.zeros([5, 3, 8]), torch.zeros([4, 3, 6])),
  sdpa_causal_and_mask: () => F.scaledDotProductAttention(torch.zeros([2, 3, 4]), torch.zeros([2, 3, 4]), torch.zeros([2, 3, 4]), { attnMask: torch.ones([3, 3], B), isCausal: true }),
};
test("every error fixture has a typetorch call", () => {
  assert.deepEqual(Object.keys(errorCases).sort(), Object.keys(fx.errors).sort());
});
for (const [name, want] of Object.entries(fx.errors)) {
  test(`error: ${name}`, () => {
    assert.throws(errorCases[name]!, (e: Error) => {
      assert.equal(`${e.name}: ${e.message.split("\n")[0]}`, `${want.type}: ${want.message}`);
      return true;
    });
  });
}

// ---------------------------------------------------------------- float64 gradchecks
test("gradcheck (float64): a tiny MultiheadAttention, w.r.t. query, key, value and every parameter", () => {
  torch.manualSeed(0);
  const m = new nn.MultiheadAttention(4, 2, { addBiasKv: true, kdim: 3, vdim: 3 }).double();
  const q = torch.randn([3, 2, 4], { dtype: torch.float64, requiresGrad: true });
  const k = torch.randn([2, 2, 3], { dtype: torch.float64, requiresGrad: true });
  const v = torch.randn([2, 2, 3], { dtype: torch.float64, requiresGrad: true });
  const attnMask = torch.randn([3, 2], { dtype: torch.float64 });
  const keyPaddingMask = torch.tensor([[false, true], [false, false]]);
  const ps = m.parameters();
  assert.equal(ps.length, 8); // q, k, v projections, in_proj_bias, bias_k, bias_v, out_proj.weight, out_proj.bias
  assert.ok(torch.autograd.gradcheck((a, b, c) => {
    const [o, w] = m(a, b, c, { attnMask, keyPaddingMask, averageAttnWeights: false }) as [Tensor, Tensor];
    return [o, w];
  }, [q, k, v, ...ps]));
});

test("gradcheck (float64): self-attention with a packed projection and zero attention, unbatched and batched", () => {
  torch.manualSeed(1);
  const m = new nn.MultiheadAttention(4, 2, { addZeroAttn: true }).double();
  const x = torch.randn([3, 4], { dtype: torch.float64, requiresGrad: true });
  const xb = torch.randn([3, 2, 4], { dtype: torch.float64, requiresGrad: true });
  const causal = torch.tensor([[false, true, true], [false, false, true], [false, false, false]]);
  assert.ok(torch.autograd.gradcheck((a) => (m(a, a, a, { attnMask: causal }) as [Tensor, Tensor])[0], [x, ...m.parameters()]));
  assert.ok(torch.autograd.gradcheck((a) => (m(a, a, a) as [Tensor, Tensor])[1]!, [xb]));
});

test("gradcheck (float64): scaledDotProductAttention with a float mask, and causal", () => {
  torch.manualSeed(2);
  const D = { dtype: torch.float64, requiresGrad: true };
  const q = torch.randn([2, 3, 4], D), k = torch.randn([2, 5, 4], D), v = torch.randn([2, 5, 2], D);
  const mask = torch.randn([3, 5], D);
  assert.ok(torch.autograd.gradcheck((a, b, c, d) => F.scaledDotProductAttention(a, b, c, { attnMask: d }), [q, k, v, mask]));
  assert.ok(torch.autograd.gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v]));
});

test("gradcheck (float64): a TransformerEncoderLayer (pre-norm, gelu) and a TransformerDecoderLayer", () => {
  torch.manualSeed(3);
  const enc = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation: "gelu", normFirst: true }).double();
  const dec = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 }).double();
  const src = torch.randn([3, 2, 4], { dtype: torch.float64, requiresGrad: true });
  const tgt = torch.randn([2, 2, 4], { dtype: torch.float64, requiresGrad: true });
  assert.ok(torch.autograd.gradcheck((s) => enc(s, { srcKeyPaddingMask: torch.tensor([[false, false, true], [false, false, false]]) }), [src, ...enc.parameters()]));
  const tgtMask = nn.Transformer.generateSquareSubsequentMask(2, { dtype: torch.float64 });
  assert.ok(torch.autograd.gradcheck((t, m) => dec(t, m, { tgtMask }), [tgt, src, ...dec.parameters()]));
});

test("PyTorch's positional order works as the options object does; an unknown option throws TypeError", () => {
  torch.manualSeed(4);
  const a = new nn.MultiheadAttention(8, 2, 0.0, true, true, false, 6, 5, true);
  torch.manualSeed(4);
  const b = new nn.MultiheadAttention(8, 2, { dropout: 0.0, addBiasKv: true, kdim: 6, vdim: 5, batchFirst: true });
  assert.deepEqual([...a.stateDict().keys()], [...b.stateDict().keys()]);
  for (const [k, t] of a.stateDict()) assert.deepEqual(t.tolist(), b.stateDict().get(k)!.tolist(), k);
  const q = torch.randn([2, 3, 8]), k = torch.randn([2, 4, 6]), v = torch.randn([2, 4, 5]);
  const kpm = torch.tensor([[false, false, true, false], [false, false, false, false]]);
  const mask = torch.randn([3, 4]);
  const [o1, w1] = a(q, k, v, kpm, true, mask, false) as [Tensor, Tensor];
  const [o2, w2] = b(q, k, v, { keyPaddingMask: kpm, attnMask: mask, averageAttnWeights: false }) as [Tensor, Tensor];
  assert.deepEqual(o1.tolist(), o2.tolist());
  assert.deepEqual(w1.tolist(), w2.tolist());
  assert.deepEqual(w1.shape, [2, 2, 3, 5]); // (N, heads, L, S + 1 for bias_k)
  assert.equal((a(q, k, v, kpm, false) as [Tensor, Tensor | null])[1], null);
  assert.throws(() => a(q, k, v, { attn_mask: mask }), (e: Error) => e.name === "TypeError" && e.message === "forward() got an unexpected keyword argument 'attn_mask'");
  assert.throws(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as nn.MultiheadAttentionOptions), /unexpected keyword argument 'batch_first'/);

  torch.manualSeed(5);
  const l1 = new nn.TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-6, false, true);
  torch.manualSeed(5);
  const l2 = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, activation: "gelu", layerNormEps: 1e-6, normFirst: true });
  assert.equal(String(l1), String(l2));
  const src = torch.randn([5, 2, 8]), srcMask = nn.Transformer.generateSquareSubsequentMask(5);
  const skpm = torch.tensor([[false, false, false, false, true], [false, false, false, false, false]]);
  assert.deepEqual(l1(src, srcMask, skpm).tolist(), l2(src, { srcMask, srcKeyPaddingMask: skpm }).tolist());
  assert.throws(() => l1(src, { mask: srcMask }), /unexpected keyword argument 'mask'/);
  const enc = new nn.TransformerEncoder(l1, 2, null, false);
  assert.equal(enc.enableNestedTensor, false);
  assert.deepEqual(enc(src, srcMask, skpm).tolist(), enc(src, { mask: srcMask, srcKeyPaddingMask: skpm }).tolist());

  torch.manualSeed(6);
  const t1 = new nn.Transformer(8, 2, 1, 1, 16, 0.0);
  torch.manualSeed(6);
  const t2 = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0.0 });
  const tgt = torch.randn([3, 2, 8]), tgtMask = nn.Transformer.generateSquareSubsequentMask(3);
  assert.deepEqual(t1(src, tgt, null, tgtMask, null, skpm).tolist(), t2(src, tgt, { tgtMask, srcKeyPaddingMask: skpm }).tolist());
  const d = t1.decoder as nn.TransformerDecoder;
  const memory = torch.randn([5, 2, 8]);
  assert.deepEqual(d(tgt, memory, tgtMask, null, null, skpm).tolist(), d(tgt, memory, { tgtMask, memoryKeyPaddingMask: skpm }).tolist());
});
