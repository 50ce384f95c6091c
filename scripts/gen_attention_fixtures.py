#!/usr/bin/env python3
"""Generates test/fixtures/attention.json from real PyTorch 1.13: generated data, do not edit the output.

Sections:
  modules  nn.MultiheadAttention, TransformerEncoderLayer/Encoder, TransformerDecoderLayer/Decoder and
           nn.Transformer: constructor arguments, the parameters (loaded by the test with
           load_state_dict), inputs and masks, outputs (and attention weights), grad_fn names, and the
           gradients of loss = sum(out * r) (+ sum(weights * rw)) w.r.t. the inputs and every parameter.
           Cases with "grad": false run under no_grad in eval mode (PyTorch's fast paths).
  sdpa     scaled_dot_product_attention (PyTorch 2.0's API, absent from 1.13): the expected values are
           the same math composed in 1.13, softmax(q @ k^T / sqrt(E) + mask) @ v, with a bool mask
           meaning True = take part; checked here against 1.13's private _scaled_dot_product_attention.
  init     state dicts of modules built under torch.manual_seed(0)
  masks    Transformer.generate_square_subsequent_mask
  reprs    str(module)
  errors   exception type and message (first line) for bad calls
Run: /usr/bin/python3 scripts/gen_attention_fixtures.py
"""
import json, math, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "attention.json")


def num(v, f32):
    if isinstance(v, bool):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    # NOTE: a float32 is written as the shortest decimal that reads back as the same float32 (numpy's
    # repr), which keeps the file small; float64 values keep Python's full repr.
    return float(str(np.float32(v))) if f32 else v


def enc(t):
    if t is None:
        return None
    d = t.detach()
    f32 = d.dtype == torch.float32
    return {"shape": list(d.shape), "dtype": str(d.dtype).replace("torch.", ""), "data": [num(v, f32) for v in d.reshape(-1).tolist()]}


G = torch.Generator().manual_seed(1234)


def randn(*shape, scale=1.0):
    return torch.randn(*shape, generator=G) * scale


def build(kind, ctor):
    ctor = dict(ctor)
    act = ctor.pop("activation", None)
    if act == "gelu_module":
        ctor["activation"] = nn.GELU(approximate="tanh")
    elif act is not None:
        ctor["activation"] = act
    if kind == "mha":
        return nn.MultiheadAttention(**ctor)
    if kind == "encoder_layer":
        return nn.TransformerEncoderLayer(**ctor)
    if kind == "decoder_layer":
        return nn.TransformerDecoderLayer(**ctor)
    if kind == "encoder":
        n, norm = ctor.pop("num_layers"), ctor.pop("final_norm")
        layer = nn.TransformerEncoderLayer(**ctor)
        return nn.TransformerEncoder(layer, n, nn.LayerNorm(ctor["d_model"]) if norm else None)
    if kind == "decoder":
        n, norm = ctor.pop("num_layers"), ctor.pop("final_norm")
        layer = nn.TransformerDecoderLayer(**ctor)
        return nn.TransformerDecoder(layer, n, nn.LayerNorm(ctor["d_model"]) if norm else None)
    if kind == "transformer":
        return nn.Transformer(**ctor)
    raise ValueError(kind)


def call(kind, m, ins, kw):
    if kind == "mha":
        return m(ins["query"], ins["key"], ins["value"], **kw)
    if kind == "encoder_layer":
        return m(ins["src"], **kw)
    if kind == "encoder":
        return m(ins["src"], **kw)
    if kind in ("decoder_layer", "decoder"):
        return m(ins["tgt"], ins["memory"], **kw)
    if kind == "transformer":
        return m(ins["src"], ins["tgt"], **kw)
    raise ValueError(kind)


modules = []


def case(name, kind, ctor, inputs, kw=None, training=True, grad=True, seed=None, aliases=None):
    """inputs: name -> tensor; aliases: name -> other input name (the same tensor object, as PyTorch's
    `query is key` tests see it); kw: masks (tensors) and flags."""
    kw = kw or {}
    aliases = aliases or {}
    torch.manual_seed(0)
    m = build(kind, ctor)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(randn(*p.shape, scale=0.3))
    m.train(training)
    ins = {}
    for k, t in inputs.items():
        ins[k] = t.clone().requires_grad_(grad)
    for k, other in aliases.items():
        ins[k] = ins[other]
    if seed is not None:
        torch.manual_seed(seed)
    with torch.set_grad_enabled(grad):
        r = call(kind, m, ins, kw)
    out, w = (r if kind == "mha" else (r, None))
    rec = {
        "name": name, "kind": kind, "ctor": ctor, "training": training, "grad": grad, "seed": seed,
        "state": {k: enc(v) for k, v in m.state_dict().items()},
        "inputs": {k: enc(v) for k, v in inputs.items()}, "aliases": aliases,
        "kw": {k: (enc(v) if isinstance(v, torch.Tensor) else v) for k, v in kw.items()},
        "out": enc(out), "weights": enc(w),
        "outGradFn": out.grad_fn.name() if out.grad_fn is not None else None,
        "weightsGradFn": w.grad_fn.name() if (w is not None and w.grad_fn is not None) else None,
    }
    if grad:
        r_out = randn(*out.shape)
        loss = (out * r_out).sum()
        rec["rOut"] = enc(r_out)
        if w is not None:
            r_w = randn(*w.shape)
            loss = loss + (w * r_w).sum()
            rec["rWeights"] = enc(r_w)
        loss.backward()
        rec["grads"] = {k: enc(ins[k].grad) for k in inputs}
        rec["paramGrads"] = {k: enc(p.grad) for k, p in m.named_parameters()}
    modules.append(rec)


E, H = 8, 2
L, S, N = 4, 5, 3


def causal(n, m=None):
    m = n if m is None else m
    return torch.ones(n, m, dtype=torch.bool).triu(1)


x = randn(L, N, E)
kv = randn(S, N, E)
vv = randn(S, N, E)
kpm = torch.tensor([[False, False, False, False, True], [False, True, False, False, False], [False] * 5])
kpm_self = torch.tensor([[False, False, False, True], [False, True, False, False], [False] * 4])
fmask = randn(L, S)
fmask_self = randn(L, L)

# ---------------------------------------------------------------- MultiheadAttention
mha = lambda **kw: {"embed_dim": E, "num_heads": H, **kw}
case("mha_self", "mha", mha(), {"query": x}, aliases={"key": "query", "value": "query"})
case("mha_self_per_head_weights", "mha", mha(), {"query": x}, {"average_attn_weights": False}, aliases={"key": "query", "value": "query"})
case("mha_self_no_weights", "mha", mha(), {"query": x}, {"need_weights": False}, aliases={"key": "query", "value": "query"})
case("mha_self_bool_causal_mask", "mha", mha(), {"query": x}, {"attn_mask": causal(L)}, aliases={"key": "query", "value": "query"})
case("mha_self_float_mask_bool_kpm", "mha", mha(), {"query": x}, {"attn_mask": fmask_self, "key_padding_mask": kpm_self}, aliases={"key": "query", "value": "query"})
case("mha_cross_kv_same", "mha", mha(), {"query": x, "key": kv}, aliases={"value": "key"})
case("mha_cross", "mha", mha(), {"query": x, "key": kv, "value": vv}, {"key_padding_mask": kpm})
case("mha_cross_float_mask", "mha", mha(), {"query": x, "key": kv, "value": vv}, {"attn_mask": fmask})
case("mha_cross_3d_float_mask", "mha", mha(), {"query": x, "key": kv, "value": vv}, {"attn_mask": randn(N * H, L, S)})
case("mha_cross_3d_bool_mask_kpm", "mha", mha(), {"query": x, "key": kv, "value": vv},
     {"attn_mask": torch.rand(N * H, L, S, generator=G) > 0.8, "key_padding_mask": kpm})
case("mha_cross_bool_mask_float_kpm", "mha", mha(), {"query": x, "key": kv, "value": vv},
     {"attn_mask": torch.rand(L, S, generator=G) > 0.8, "key_padding_mask": kpm.float() * -1.5})
case("mha_cross_float_kpm", "mha", mha(), {"query": x, "key": kv, "value": vv}, {"key_padding_mask": randn(N, S)})
case("mha_batch_first", "mha", mha(batch_first=True), {"query": x.transpose(0, 1).contiguous(), "key": kv.transpose(0, 1).contiguous(),
     "value": vv.transpose(0, 1).contiguous()}, {"key_padding_mask": kpm, "attn_mask": fmask})
case("mha_batch_first_self", "mha", mha(batch_first=True), {"query": x.transpose(0, 1).contiguous()}, {"key_padding_mask": kpm_self},
     aliases={"key": "query", "value": "query"})
case("mha_kdim_vdim", "mha", mha(kdim=6, vdim=5), {"query": x, "key": randn(S, N, 6), "value": randn(S, N, 5)}, {"key_padding_mask": kpm, "attn_mask": fmask})
case("mha_bias_kv_zero_attn", "mha", mha(add_bias_kv=True, add_zero_attn=True), {"query": x, "key": kv, "value": vv},
     {"key_padding_mask": kpm, "attn_mask": fmask})
case("mha_bias_kv_bool_mask", "mha", mha(add_bias_kv=True), {"query": x, "key": kv, "value": vv},
     {"key_padding_mask": kpm, "attn_mask": causal(L, S)})
case("mha_zero_attn_kdim", "mha", mha(add_zero_attn=True, kdim=6, vdim=6), {"query": x, "key": randn(S, N, 6)}, {"attn_mask": causal(L, S)}, aliases={"value": "key"})
case("mha_no_bias", "mha", mha(bias=False), {"query": x, "key": kv, "value": vv}, {"key_padding_mask": kpm})
case("mha_no_bias_bias_kv", "mha", mha(bias=False, add_bias_kv=True), {"query": x, "key": kv, "value": vv})
case("mha_unbatched", "mha", mha(), {"query": x[:, 0], "key": kv[:, 0], "value": vv[:, 0]},
     {"key_padding_mask": kpm[0], "attn_mask": randn(H, L, S)})
case("mha_unbatched_self_batch_first", "mha", mha(batch_first=True), {"query": x[:, 1]}, {"attn_mask": causal(L)}, aliases={"key": "query", "value": "query"})
case("mha_unbatched_per_head", "mha", mha(), {"query": x[:, 0], "key": kv[:, 0], "value": vv[:, 0]}, {"average_attn_weights": False})
case("mha_dropout_train", "mha", mha(dropout=0.3), {"query": x, "key": kv, "value": vv}, {"key_padding_mask": kpm}, seed=7)
case("mha_dropout_eval", "mha", mha(dropout=0.3), {"query": x, "key": kv, "value": vv}, training=False)
case("mha_three_heads", "mha", {"embed_dim": 6, "num_heads": 3}, {"query": randn(L, N, 6), "key": randn(S, N, 6), "value": randn(S, N, 6)}, {"attn_mask": fmask})
# no_grad + eval + batch_first + self-attention: PyTorch's fast path (_native_multi_head_attention)
xb = x.transpose(0, 1).contiguous()
case("mha_fast_path", "mha", mha(batch_first=True), {"query": xb}, {"key_padding_mask": kpm_self}, training=False, grad=False, aliases={"key": "query", "value": "query"})
case("mha_fast_path_float_kpm", "mha", mha(batch_first=True), {"query": xb}, {"key_padding_mask": randn(N, L)}, training=False, grad=False, aliases={"key": "query", "value": "query"})
case("mha_fast_path_per_head", "mha", mha(batch_first=True), {"query": xb}, {"average_attn_weights": False}, training=False, grad=False, aliases={"key": "query", "value": "query"})
case("mha_fully_masked_row", "mha", mha(), {"query": x}, {"key_padding_mask": torch.tensor([[True] * L, [False] * L, [False, True, True, False]])},
     training=False, grad=False, aliases={"key": "query", "value": "query"})

# ---------------------------------------------------------------- Transformer layers
src = randn(S, N, E)
tgt = randn(L, N, E)
srcb, tgtb = src.transpose(0, 1).contiguous(), tgt.transpose(0, 1).contiguous()
skpm = torch.tensor([[False, False, False, True, True], [False] * 5, [False, False, False, False, True]])
tkpm = torch.tensor([[False, False, False, True], [False] * 4, [False, False, True, True]])
lay = lambda **kw: {"d_model": E, "nhead": H, "dim_feedforward": 16, "dropout": 0.0, **kw}
case("encoder_layer_post_relu", "encoder_layer", lay(), {"src": src}, {"src_mask": randn(S, S), "src_key_padding_mask": skpm})
case("encoder_layer_pre_gelu_batch_first", "encoder_layer", lay(activation="gelu", norm_first=True, batch_first=True, layer_norm_eps=1e-6),
     {"src": srcb}, {"src_key_padding_mask": skpm})
case("encoder_layer_activation_module", "encoder_layer", lay(activation="gelu_module"), {"src": src}, {"src_mask": causal(S)})
case("encoder_layer_unbatched", "encoder_layer", lay(), {"src": src[:, 0]}, {"src_key_padding_mask": skpm[0]})
case("encoder_post_relu", "encoder", lay(num_layers=2, final_norm=False), {"src": src}, {"mask": randn(S, S), "src_key_padding_mask": skpm})
case("encoder_pre_gelu_norm", "encoder", lay(num_layers=2, final_norm=True, activation="gelu", norm_first=True), {"src": src}, {"mask": causal(S)})
case("encoder_post_gelu_batch_first_norm", "encoder", lay(num_layers=2, final_norm=True, activation="gelu", batch_first=True), {"src": srcb},
     {"src_key_padding_mask": skpm})
case("encoder_dropout_train", "encoder", {**lay(num_layers=2, final_norm=True), "dropout": 0.2}, {"src": src}, {"src_key_padding_mask": skpm}, seed=11)
case("decoder_layer_post", "decoder_layer", lay(), {"tgt": tgt, "memory": src},
     {"tgt_mask": causal(L), "memory_mask": randn(L, S), "tgt_key_padding_mask": tkpm, "memory_key_padding_mask": skpm})
case("decoder_layer_pre_gelu_batch_first", "decoder_layer", lay(norm_first=True, activation="gelu", batch_first=True), {"tgt": tgtb, "memory": srcb},
     {"tgt_mask": causal(L).float() * -1e9, "memory_key_padding_mask": skpm})
case("decoder_post_norm", "decoder", lay(num_layers=2, final_norm=True), {"tgt": tgt, "memory": src}, {"tgt_mask": causal(L), "memory_key_padding_mask": skpm})
case("transformer_causal", "transformer", {"d_model": E, "nhead": H, "num_encoder_layers": 2, "num_decoder_layers": 2, "dim_feedforward": 16, "dropout": 0.0},
     {"src": src, "tgt": tgt}, {"tgt_mask": nn.Transformer.generate_square_subsequent_mask(L), "src_key_padding_mask": skpm,
                               "memory_key_padding_mask": skpm, "tgt_key_padding_mask": tkpm})
case("transformer_pre_gelu_batch_first", "transformer", {"d_model": E, "nhead": H, "num_encoder_layers": 1, "num_decoder_layers": 2, "dim_feedforward": 12,
     "dropout": 0.0, "activation": "gelu", "norm_first": True, "batch_first": True}, {"src": srcb, "tgt": tgtb},
     {"tgt_mask": nn.Transformer.generate_square_subsequent_mask(L)})
case("transformer_unbatched", "transformer", {"d_model": E, "nhead": H, "num_encoder_layers": 1, "num_decoder_layers": 1, "dim_feedforward": 12, "dropout": 0.0},
     {"src": src[:, 0], "tgt": tgt[:, 0]}, {"tgt_mask": nn.Transformer.generate_square_subsequent_mask(L)})
# eval + no_grad + batch_first: PyTorch's fast paths (_transformer_encoder_layer_fwd, and in the encoder
# a nested tensor built from the left-aligned padding mask: padded positions come back as zeros, and
# the sequence is cut to the longest unpadded length)
case("encoder_layer_fast_path", "encoder_layer", lay(batch_first=True), {"src": srcb}, {"src_key_padding_mask": skpm}, training=False, grad=False)
case("encoder_layer_fast_path_float_kpm", "encoder_layer", lay(batch_first=True), {"src": srcb}, {"src_key_padding_mask": randn(N, S)}, training=False, grad=False)
case("encoder_layer_fast_path_gelu_pre", "encoder_layer", lay(batch_first=True, activation="gelu", norm_first=True), {"src": srcb}, training=False, grad=False)
# (a GELU module is run as the exact gelu there: its approximate="tanh" is not passed on)
case("encoder_layer_fast_path_gelu_module", "encoder_layer", lay(batch_first=True, activation="gelu_module"), {"src": srcb}, training=False, grad=False)
case("encoder_layer_eval_gelu_module_with_grad", "encoder_layer", lay(batch_first=True, activation="gelu_module"), {"src": srcb}, training=False)
case("encoder_fast_path_nested", "encoder", lay(num_layers=2, final_norm=True, batch_first=True), {"src": srcb}, {"src_key_padding_mask": skpm},
     training=False, grad=False)
case("encoder_fast_path_nested_cut", "encoder", lay(num_layers=2, final_norm=False, batch_first=True), {"src": srcb},
     {"src_key_padding_mask": torch.tensor([[False, False, True, True, True], [False, False, False, True, True], [False, True, True, True, True]])},
     training=False, grad=False)
case("encoder_fast_path_not_left_aligned", "encoder", lay(num_layers=2, final_norm=True, batch_first=True), {"src": srcb},
     {"src_key_padding_mask": torch.tensor([[False, True, False, True, True], [False] * 5, [False, False, False, False, True]])},
     training=False, grad=False)
case("encoder_eval_with_grad", "encoder", lay(num_layers=2, final_norm=True, batch_first=True), {"src": srcb}, {"src_key_padding_mask": skpm},
     training=False, grad=True)
case("transformer_eval_no_grad", "transformer", {"d_model": E, "nhead": H, "num_encoder_layers": 2, "num_decoder_layers": 1, "dim_feedforward": 12,
     "dropout": 0.1, "batch_first": True}, {"src": srcb, "tgt": tgtb},
     {"tgt_mask": nn.Transformer.generate_square_subsequent_mask(L), "src_key_padding_mask": skpm, "memory_key_padding_mask": skpm},
     training=False, grad=False)

# ---------------------------------------------------------------- scaled_dot_product_attention
sdpa = []
private_sdpa = torch._C._nn._scaled_dot_product_attention


def sdpa_case(name, q, k, v, attn_mask=None, is_causal=False, dtype=torch.float32):
    q, k, v = [t.to(dtype).clone().requires_grad_(True) for t in (q, k, v)]
    Lq, Sk = q.size(-2), k.size(-2)
    bias = torch.zeros(Lq, Sk, dtype=dtype)
    if is_causal:
        bias = bias.masked_fill(torch.ones(Lq, Sk, dtype=torch.bool).tril().logical_not(), float("-inf"))
    if attn_mask is not None:
        bias = bias.masked_fill(attn_mask.logical_not(), float("-inf")) if attn_mask.dtype == torch.bool else bias + attn_mask
    out = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)) + bias, dim=-1) @ v
    ref, _ = private_sdpa(q, k, v, attn_mask, 0.0, False, is_causal)
    assert torch.allclose(out, ref, atol=1e-6, equal_nan=True), name
    r = randn(*out.shape).to(dtype)
    (out * r).sum().backward()
    sdpa.append({"name": name, "q": enc(q), "k": enc(k), "v": enc(v), "attnMask": enc(attn_mask), "isCausal": is_causal,
                 "out": enc(out), "r": enc(r), "grads": {"q": enc(q.grad), "k": enc(k.grad), "v": enc(v.grad)}})


sdpa_case("plain", randn(2, 3, 4, 8), randn(2, 3, 6, 8), randn(2, 3, 6, 5))
sdpa_case("bool_mask_broadcast", randn(2, 3, 4, 8), randn(2, 3, 6, 8), randn(2, 3, 6, 8), attn_mask=torch.rand(4, 6, generator=G) > 0.3)
sdpa_case("float_mask", randn(2, 3, 4, 8), randn(2, 3, 6, 8), randn(2, 3, 6, 8), attn_mask=randn(2, 3, 4, 6))
sdpa_case("causal_rect", randn(2, 5, 8), randn(2, 7, 8), randn(2, 7, 4), is_causal=True)
sdpa_case("causal_square_3d", randn(3, 4, 4), randn(3, 4, 4), randn(3, 4, 4), is_causal=True)
sdpa_case("float64", randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 3), attn_mask=randn(3, 5), dtype=torch.float64)

# ---------------------------------------------------------------- init under manual_seed(0), reprs, masks
init = {}
reprs = {}


def init_case(name, kind, ctor):
    torch.manual_seed(0)
    m = build(kind, ctor)
    init[name] = {"kind": kind, "ctor": ctor, "state": {k: enc(v) for k, v in m.state_dict().items()},
                  "params": [k for k, _ in m.named_parameters()]}
    reprs[name] = str(m)


init_case("mha", "mha", {"embed_dim": 8, "num_heads": 2})
init_case("mha_kdim_bias_kv", "mha", {"embed_dim": 8, "num_heads": 2, "kdim": 6, "vdim": 5, "add_bias_kv": True})
init_case("mha_no_bias", "mha", {"embed_dim": 6, "num_heads": 3, "bias": False, "dropout": 0.1})
init_case("encoder_layer", "encoder_layer", {"d_model": 8, "nhead": 2, "dim_feedforward": 16})
init_case("encoder_layer_gelu_module", "encoder_layer", {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "activation": "gelu_module", "norm_first": True})
init_case("decoder_layer", "decoder_layer", {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "dropout": 0.2})
init_case("encoder", "encoder", {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "num_layers": 2, "final_norm": True})
init_case("transformer", "transformer", {"d_model": 8, "nhead": 2, "num_encoder_layers": 2, "num_decoder_layers": 1, "dim_feedforward": 16})

masks = {str(n): enc(nn.Transformer.generate_square_subsequent_mask(n)) for n in (1, 4)}

# ---------------------------------------------------------------- errors
errors = {}


def err(name, fn):
    torch.manual_seed(0)
    try:
        fn()
    except Exception as e:
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        return
    raise SystemExit(f"{name}: no error")


M = lambda **kw: nn.MultiheadAttention(8, 2, **kw)
q3, k3 = torch.randn(4, 3, 8), torch.randn(5, 3, 8)
err("embed_dim_not_divisible", lambda: nn.MultiheadAttention(10, 3))
err("attn_mask_2d_shape", lambda: M()(q3, q3, q3, attn_mask=torch.zeros(3, 4)))
err("attn_mask_2d_shape_cross", lambda: M()(q3, k3, k3, attn_mask=torch.zeros(4, 4)))
err("attn_mask_3d_shape", lambda: M()(q3, k3, k3, attn_mask=torch.zeros(3, 4, 5)))
err("attn_mask_4d", lambda: M()(q3, k3, k3, attn_mask=torch.zeros(1, 6, 4, 5)))
err("attn_mask_int", lambda: M()(q3, k3, k3, attn_mask=torch.zeros(4, 5, dtype=torch.long)))
err("attn_mask_unbatched_3d", lambda: M()(q3[:, 0], k3[:, 0], k3[:, 0], attn_mask=torch.zeros(6, 4, 5)))
err("attn_mask_unbatched_1d", lambda: M()(q3[:, 0], k3[:, 0], k3[:, 0], attn_mask=torch.zeros(5)))
err("key_padding_mask_shape", lambda: M()(q3, k3, k3, key_padding_mask=torch.zeros(3, 4, dtype=torch.bool)))
err("key_padding_mask_dim", lambda: M()(q3, k3, k3, key_padding_mask=torch.zeros(3, 4, 5, dtype=torch.bool)))
err("key_padding_mask_unbatched_dim", lambda: M()(q3[:, 0], k3[:, 0], k3[:, 0], key_padding_mask=torch.zeros(3, 5, dtype=torch.bool)))
err("key_padding_mask_int", lambda: M()(q3, k3, k3, key_padding_mask=torch.zeros(3, 5, dtype=torch.long)))
err("query_4d", lambda: M()(torch.zeros(1, 4, 3, 8), k3, k3))
err("key_2d_batched_query", lambda: M()(q3, k3[:, 0], k3))
err("key_3d_unbatched_query", lambda: M()(q3[:, 0], k3, k3))
err("embed_dim_mismatch", lambda: M()(torch.zeros(4, 3, 6), torch.zeros(5, 3, 6), torch.zeros(5, 3, 6)))
err("key_value_shape", lambda: M()(q3, k3, torch.zeros(6, 3, 8)))
err("kdim_key_value_seq", lambda: M(kdim=6, vdim=6)(q3, torch.zeros(5, 3, 6), torch.zeros(4, 3, 6)))
err("activation_string", lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"))
err("encoder_layer_kpm_int", lambda: nn.TransformerEncoderLayer(8, 2, 16)(q3, src_key_padding_mask=torch.zeros(3, 4, dtype=torch.long)))
err("encoder_kpm_int", lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 1)(q3, src_key_padding_mask=torch.zeros(3, 4, dtype=torch.long)))
err("transformer_batch", lambda: nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(5, 3, 8), torch.zeros(4, 2, 8)))
err("transformer_batch_first_batch", lambda: nn.Transformer(8, 2, 1, 1, 16, batch_first=True)(torch.zeros(3, 5, 8), torch.zeros(2, 4, 8)))
err("transformer_d_model", lambda: nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(5, 3, 8), torch.zeros(4, 3, 6)))
err("sdpa_causal_and_mask", lambda: private_sdpa(torch.zeros(2, 3, 4), torch.zeros(2, 3, 4), torch.zeros(2, 3, 4), torch.ones(3, 3, dtype=torch.bool), 0.0, False, True))

with open(OUT, "w") as f:
    json.dump({"modules": modules, "sdpa": sdpa, "init": init, "masks": masks, "reprs": reprs, "errors": errors}, f, separators=(",", ":"))
    f.write("\n")
print(len(modules), "module cases,", len(sdpa), "sdpa cases,", len(init), "inits,", len(errors), "errors ->", OUT)
