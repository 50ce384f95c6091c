#!/usr/bin/env python3
"""Generates test/fixtures/conv_extra.json from real PyTorch 1.13: generated data, do not edit the output.

Sections:
  cases    functional calls (conv_transpose1d/2d, conv3d, the 1-d / adaptive / with-indices pooling,
           max_unpool2d, interpolate, pixel_shuffle / pixel_unshuffle, pad in every mode, unfold /
           fold): inputs, keyword arguments (PyTorch's names), outputs (and indices), grad_fn names,
           and the gradients of loss = sum(out * r) w.r.t. every float input.
  modules  modules run with given parameters (loaded by the test through load_state_dict): the
           ConvTranspose layers with output_size, MaxPool1d / AdaptiveMaxPool2d with return_indices,
           MaxPool2d + MaxUnpool2d, Upsample, the padding layers...: outputs, grad_fn names and gradients.
  init     state dicts of layers built under torch.manual_seed(0)
  reprs    str(module)
  errors   exception type and message (first line) for bad calls
Run: /usr/bin/python3 scripts/gen_conv_extra_fixtures.py
"""
import json, math, os, warnings
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.simplefilter("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "conv_extra.json")


def num(v, f32):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
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


G = torch.Generator().manual_seed(20240610)


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, generator=G, dtype=dtype)


# ---------------------------------------------------------------- functional cases
FUNCS = {
    "conv_transpose1d": F.conv_transpose1d,
    "conv_transpose2d": F.conv_transpose2d,
    "conv3d": F.conv3d,
    "max_pool1d": F.max_pool1d,
    "max_pool2d": F.max_pool2d,
    "avg_pool1d": F.avg_pool1d,
    "adaptive_avg_pool1d": F.adaptive_avg_pool1d,
    "adaptive_max_pool1d": F.adaptive_max_pool1d,
    "adaptive_max_pool2d": F.adaptive_max_pool2d,
    "max_unpool2d": F.max_unpool2d,
    "interpolate": F.interpolate,
    "pixel_shuffle": F.pixel_shuffle,
    "pixel_unshuffle": F.pixel_unshuffle,
    "pad": F.pad,
    "unfold": F.unfold,
    "fold": F.fold,
}

cases = []


def gfn(t):
    # NOTE: typetorch's name() of the hand-written C++ node is its class name, CopySlices (PyTorch's
    # name() qualifies it, torch::autograd::CopySlices), as in gen_rnn_fixtures.py
    return type(t.grad_fn).__name__ if type(t.grad_fn).__name__ == "CopySlices" else t.grad_fn.name() if t.grad_fn is not None else None


def case(name, fn, args, kw=None, grad=True):
    """args: positional arguments; tensors among them are inputs (float ones get gradients)."""
    kw = kw or {}
    ins = [a.clone().requires_grad_(grad and a.dtype.is_floating_point) if isinstance(a, torch.Tensor) else a for a in args]
    r = FUNCS[fn](*ins, **kw)
    outs = list(r) if isinstance(r, tuple) else [r]
    rec = {
        "name": name, "fn": fn,
        "args": [enc(a) if isinstance(a, torch.Tensor) else a for a in args],
        "kw": kw,
        "outs": [enc(o) for o in outs],
        "gradFn": gfn(outs[0]),
    }
    if grad:
        rr = randn(*outs[0].shape, dtype=outs[0].dtype)
        (outs[0] * rr).sum().backward()
        rec["r"] = enc(rr)
        rec["grads"] = [enc(a.grad) if isinstance(a, torch.Tensor) and a.requires_grad else None for a in ins]
    cases.append(rec)


# transposed convolutions
case("conv_transpose2d stride padding output_padding", "conv_transpose2d", [randn(2, 4, 4, 5), randn(4, 3, 3, 3), randn(3)], {"stride": 2, "padding": 1, "output_padding": 1})
case("conv_transpose2d groups dilation", "conv_transpose2d", [randn(1, 4, 3, 4), randn(4, 2, 3, 2)], {"stride": [1, 2], "padding": [1, 0], "groups": 2, "dilation": [2, 1]})
case("conv_transpose2d output_padding below dilation", "conv_transpose2d", [randn(1, 2, 3, 3), randn(2, 2, 2, 2), randn(2)], {"dilation": 3, "output_padding": [2, 1]})
case("conv_transpose2d unbatched", "conv_transpose2d", [randn(3, 3, 2), randn(3, 2, 2, 3), randn(2)], {"stride": [2, 1]})
case("conv_transpose2d float64", "conv_transpose2d", [randn(2, 2, 3, 3, dtype=torch.float64), randn(2, 3, 3, 2, dtype=torch.float64), randn(3, dtype=torch.float64)], {"stride": [2, 3], "padding": [1, 1], "output_padding": [0, 2]})
case("conv_transpose1d", "conv_transpose1d", [randn(2, 4, 6), randn(4, 3, 3), randn(3)], {"stride": 3, "padding": 1, "output_padding": 2, "dilation": 2})
case("conv_transpose1d groups unbatched", "conv_transpose1d", [randn(4, 5), randn(4, 1, 2)], {"groups": 2, "stride": 2})
case("conv3d", "conv3d", [randn(2, 2, 4, 5, 3), randn(3, 2, 2, 3, 2), randn(3)], {"stride": [1, 2, 1], "padding": 1, "dilation": [2, 1, 1]})
case("conv3d groups same", "conv3d", [randn(1, 4, 3, 4, 4), randn(2, 2, 3, 2, 3)], {"padding": "same", "groups": 2})
case("conv3d valid unbatched", "conv3d", [randn(2, 3, 3, 4), randn(2, 2, 2, 2, 3), randn(2)], {"padding": "valid"})

# pooling
case("max_pool1d ceil dilation indices", "max_pool1d", [randn(2, 3, 9)], {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2, "ceil_mode": True, "return_indices": True})
case("max_pool1d", "max_pool1d", [randn(3, 8)], {"kernel_size": 2})
case("max_pool1d no grad, no window fits", "max_pool1d", [randn(2, 3, 4)], {"kernel_size": 5}, grad=False)
case("max_pool2d with indices", "max_pool2d", [randn(2, 2, 6, 7)], {"kernel_size": 3, "stride": 2, "padding": 1, "return_indices": True})
case("max_pool2d with indices dilation ceil", "max_pool2d", [randn(1, 2, 7, 6)], {"kernel_size": [2, 3], "dilation": [2, 1], "ceil_mode": True, "return_indices": True})
case("avg_pool1d", "avg_pool1d", [randn(2, 3, 9)], {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False})
case("avg_pool1d default", "avg_pool1d", [randn(3, 8)], {"kernel_size": 2})
case("adaptive_avg_pool1d", "adaptive_avg_pool1d", [randn(2, 3, 9)], {"output_size": 4})
case("adaptive_avg_pool1d to 1", "adaptive_avg_pool1d", [randn(3, 5)], {"output_size": 1})
case("adaptive_max_pool1d", "adaptive_max_pool1d", [randn(2, 3, 9)], {"output_size": 4, "return_indices": True})
case("adaptive_max_pool2d", "adaptive_max_pool2d", [randn(2, 3, 5, 7)], {"output_size": [3, None], "return_indices": True})
case("adaptive_max_pool2d unbatched", "adaptive_max_pool2d", [randn(2, 4, 5)], {"output_size": 2})
case("adaptive_max_pool2d ties", "adaptive_max_pool2d", [torch.tensor([[[1.0, 1.0, 2.0], [2.0, 0.5, 2.0], [float("nan"), 1.0, 3.0]]])], {"output_size": 2, "return_indices": True}, grad=False)
x = randn(2, 2, 6, 7)
v, i = F.max_pool2d(x, 2, return_indices=True)
case("max_unpool2d output_size", "max_unpool2d", [v, i], {"kernel_size": 2, "output_size": [6, 7]})
v, i = F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
case("max_unpool2d stride padding", "max_unpool2d", [v, i], {"kernel_size": 3, "stride": 2, "padding": 1, "output_size": [1, 1, 6, 7]})
case("max_unpool2d unbatched", "max_unpool2d", [v[0], i[0]], {"kernel_size": 3, "stride": 2, "padding": 1, "output_size": [6, 7]})

# interpolate
case("nearest scale 2", "interpolate", [randn(1, 2, 3, 4)], {"scale_factor": 2})
case("nearest scale 0.7 1d", "interpolate", [randn(2, 2, 7)], {"scale_factor": 0.7})
case("nearest scale 0.7 recompute", "interpolate", [randn(2, 2, 7)], {"scale_factor": 0.7, "recompute_scale_factor": True})
case("nearest scales 2d", "interpolate", [randn(1, 2, 4, 3)], {"scale_factor": [1.5, 2.3]})
case("nearest scale 2.3, out = 2 in", "interpolate", [randn(1, 2, 2, 3)], {"scale_factor": 2.3})
case("nearest scale 1.0001, out = in", "interpolate", [randn(1, 2, 4)], {"scale_factor": 1.0001})
case("nearest float64 scale 0.7", "interpolate", [randn(1, 1, 7, dtype=torch.float64)], {"scale_factor": 0.7})
case("nearest size 2d", "interpolate", [randn(1, 1, 5, 3)], {"size": [3, 7]})
case("nearest size 3d", "interpolate", [randn(1, 1, 2, 3, 2)], {"size": [3, 2, 5]})
case("nearest-exact", "interpolate", [randn(1, 2, 4, 5)], {"scale_factor": 1.7, "mode": "nearest-exact"})
case("bilinear scale 2", "interpolate", [randn(1, 2, 3, 4)], {"scale_factor": 2, "mode": "bilinear"})
case("bilinear align_corners size", "interpolate", [randn(2, 1, 4, 5)], {"size": [7, 3], "mode": "bilinear", "align_corners": True})
case("bilinear downscale", "interpolate", [randn(1, 2, 7, 6)], {"scale_factor": 0.6, "mode": "bilinear"})
case("bilinear scale 1.5 recompute", "interpolate", [randn(1, 1, 5, 4)], {"scale_factor": [1.5, 2.5], "mode": "bilinear", "recompute_scale_factor": True})
case("bilinear one channel, align_corners", "interpolate", [randn(2, 1, 3, 5)], {"scale_factor": [1.7, 0.8], "mode": "bilinear", "align_corners": True})
case("bilinear float64", "interpolate", [randn(1, 2, 3, 5, dtype=torch.float64)], {"size": [5, 4], "mode": "bilinear"})
case("linear", "interpolate", [randn(2, 2, 5)], {"size": 11, "mode": "linear"})
case("linear align_corners", "interpolate", [randn(1, 3, 4)], {"scale_factor": 2.5, "mode": "linear", "align_corners": True})
case("area", "interpolate", [randn(1, 2, 6, 5)], {"size": [3, 2], "mode": "area"})

# pixel shuffle
case("pixel_shuffle", "pixel_shuffle", [randn(2, 8, 2, 3)], {"upscale_factor": 2})
case("pixel_shuffle 5d", "pixel_shuffle", [randn(1, 2, 9, 2, 1)], {"upscale_factor": 3})
case("pixel_unshuffle", "pixel_unshuffle", [randn(2, 2, 4, 6)], {"downscale_factor": 2})

# pad
case("pad constant", "pad", [randn(2, 2, 3, 4)], {"pad": [1, 2, 0, 1], "value": 1.5})
case("pad constant crop", "pad", [randn(2, 3, 4)], {"pad": [-1, 2, 1, -1]})
case("pad constant all negative", "pad", [randn(2, 3, 4)], {"pad": [-1, -2]})
case("pad reflect 1d", "pad", [randn(2, 2, 5)], {"pad": [2, 3], "mode": "reflect"})
case("pad reflect 1d unbatched", "pad", [randn(3, 4)], {"pad": [3, 1], "mode": "reflect"})
case("pad reflect 2d", "pad", [randn(1, 2, 3, 4)], {"pad": [1, 2, 0, 2], "mode": "reflect"})
case("pad reflect 2d negative", "pad", [randn(2, 3, 4)], {"pad": [-1, 2, 1, -1], "mode": "reflect"})
case("pad reflect 3d", "pad", [randn(1, 1, 3, 3, 4)], {"pad": [1, 2, 2, 0, 1, 1], "mode": "reflect"})
case("pad replicate 1d", "pad", [randn(2, 2, 3)], {"pad": [2, 4], "mode": "replicate"})
case("pad replicate 2d", "pad", [randn(2, 1, 3, 3)], {"pad": [3, 0, 1, 2], "mode": "replicate"})
case("pad replicate 2d negative", "pad", [randn(1, 4, 5)], {"pad": [-2, 1, 2, -1], "mode": "replicate"})
case("pad replicate 3d unbatched", "pad", [randn(2, 2, 3, 2)], {"pad": [1, 1, 0, 2, 1, 0], "mode": "replicate"})
case("pad circular 1d", "pad", [randn(2, 2, 4)], {"pad": [2, 1], "mode": "circular"})
case("pad circular 2d", "pad", [randn(1, 2, 3, 4)], {"pad": [1, 2, 2, 1], "mode": "circular"})
case("pad circular 2d negative", "pad", [randn(1, 1, 3, 4)], {"pad": [-1, 2, 1, -1], "mode": "circular"})
case("pad circular 3d", "pad", [randn(1, 1, 2, 3, 2)], {"pad": [1, 0, 1, 1, 2, 1], "mode": "circular"})

# unfold / fold
case("unfold", "unfold", [randn(2, 2, 5, 6)], {"kernel_size": [2, 3], "dilation": [1, 2], "padding": 1, "stride": [2, 1]})
case("unfold unbatched", "unfold", [randn(3, 3, 4)], {"kernel_size": 2})
case("fold", "fold", [randn(2, 12, 12)], {"output_size": [4, 5], "kernel_size": 2})
case("fold stride padding dilation", "fold", [randn(1, 6, 6)], {"output_size": [5, 4], "kernel_size": [3, 2], "dilation": [2, 1], "padding": [1, 0], "stride": [1, 2]})
case("fold unbatched", "fold", [randn(8, 4)], {"output_size": [3, 5], "kernel_size": [2, 2], "stride": [1, 2]})

# ---------------------------------------------------------------- modules with given parameters
modules = []


def module_case(name, ctor, make, inputs, call_kw=None, extra_args=None):
    """make(): the module; inputs: float tensors (with gradients); extra_args: non-differentiable positional args."""
    torch.manual_seed(0)
    m = make()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(randn(*p.shape))
    ins = [t.clone().requires_grad_() for t in inputs]
    r = m(*ins, *(extra_args or []), **(call_kw or {}))
    outs = list(r) if isinstance(r, tuple) else [r]
    rr = randn(*outs[0].shape)
    (outs[0] * rr).sum().backward()
    modules.append({
        "name": name, "ctor": ctor,
        "state": {k: enc(v) for k, v in m.state_dict().items()},
        "inputs": [enc(t) for t in inputs], "extra": [enc(t) if isinstance(t, torch.Tensor) else t for t in (extra_args or [])],
        "callKw": call_kw or {},
        "outs": [enc(o) for o in outs], "gradFn": gfn(outs[0]),
        "r": enc(rr), "grads": [enc(t.grad) for t in ins],
        "paramGrads": {k: enc(p.grad) for k, p in m.named_parameters()},
    })


module_case("ConvTranspose2d output_size", ["ConvTranspose2d", 3, 2, 3, {"stride": 2, "padding": 1}], lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1), [randn(2, 3, 4, 4)], {"output_size": [8, 8]})
module_case("ConvTranspose2d output_size with batch dims", ["ConvTranspose2d", 2, 4, [2, 3], {"stride": [3, 2], "groups": 2, "bias": False}], lambda: nn.ConvTranspose2d(2, 4, (2, 3), stride=(3, 2), groups=2, bias=False), [randn(1, 2, 3, 3)], {"output_size": [1, 4, 9, 8]})
module_case("ConvTranspose1d", ["ConvTranspose1d", 2, 3, 4, {"stride": 2, "padding": 1, "output_padding": 1}], lambda: nn.ConvTranspose1d(2, 3, 4, stride=2, padding=1, output_padding=1), [randn(2, 2, 5)])
module_case("Conv3d", ["Conv3d", 2, 2, 2, {"padding": [1, 0, 0]}], lambda: nn.Conv3d(2, 2, 2, padding=(1, 0, 0)), [randn(1, 2, 3, 3, 3)])
module_case("MaxPool1d return_indices", ["MaxPool1d", 3, {"stride": 2, "return_indices": True}], lambda: nn.MaxPool1d(3, stride=2, return_indices=True), [randn(2, 3, 8)])
module_case("AvgPool1d", ["AvgPool1d", 3, {"stride": 1, "padding": 1}], lambda: nn.AvgPool1d(3, stride=1, padding=1), [randn(2, 6)])
module_case("AdaptiveAvgPool1d", ["AdaptiveAvgPool1d", 3], lambda: nn.AdaptiveAvgPool1d(3), [randn(2, 2, 7)])
module_case("AdaptiveMaxPool1d", ["AdaptiveMaxPool1d", 3], lambda: nn.AdaptiveMaxPool1d(3), [randn(2, 2, 7)])
module_case("AdaptiveMaxPool2d return_indices", ["AdaptiveMaxPool2d", [None, 2], True], lambda: nn.AdaptiveMaxPool2d((None, 2), True), [randn(1, 2, 3, 5)])
module_case("MaxPool2d return_indices", ["MaxPool2d", 3, {"stride": 2, "padding": 1, "return_indices": True}], lambda: nn.MaxPool2d(3, stride=2, padding=1, return_indices=True), [randn(1, 2, 5, 6)])
pool = nn.MaxPool2d(2, return_indices=True)
v, i = pool(randn(1, 2, 5, 5))
module_case("MaxUnpool2d output_size", ["MaxUnpool2d", 2], lambda: nn.MaxUnpool2d(2), [v.detach()], {"output_size": [5, 5]}, extra_args=[i])
module_case("Upsample bilinear", ["Upsample", {"scale_factor": 2, "mode": "bilinear", "align_corners": False}], lambda: nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), [randn(1, 2, 3, 3)])
module_case("Upsample nearest size", ["Upsample", {"size": [5, 2]}], lambda: nn.Upsample(size=(5, 2)), [randn(1, 2, 3, 3)])
module_case("UpsamplingBilinear2d", ["UpsamplingBilinear2d", {"scale_factor": 2}], lambda: nn.UpsamplingBilinear2d(scale_factor=2), [randn(1, 1, 3, 2)])
module_case("UpsamplingNearest2d", ["UpsamplingNearest2d", {"size": 5}], lambda: nn.UpsamplingNearest2d(size=5), [randn(1, 1, 3, 2)])
module_case("PixelShuffle", ["PixelShuffle", 2], lambda: nn.PixelShuffle(2), [randn(1, 4, 2, 2)])
module_case("PixelUnshuffle", ["PixelUnshuffle", 2], lambda: nn.PixelUnshuffle(2), [randn(1, 1, 4, 2)])
module_case("Unfold", ["Unfold", [2, 2], {"stride": 2}], lambda: nn.Unfold((2, 2), stride=2), [randn(1, 2, 4, 4)])
module_case("Fold", ["Fold", [3, 3], 2], lambda: nn.Fold((3, 3), 2), [randn(1, 4, 4)])
module_case("ZeroPad2d", ["ZeroPad2d", [1, 0, 2, 1]], lambda: nn.ZeroPad2d((1, 0, 2, 1)), [randn(1, 1, 2, 3)])
module_case("ConstantPad1d", ["ConstantPad1d", 2, 3.5], lambda: nn.ConstantPad1d(2, 3.5), [randn(2, 3)])
module_case("ConstantPad3d", ["ConstantPad3d", [1, 0, 0, 1, 1, 0], -1], lambda: nn.ConstantPad3d((1, 0, 0, 1, 1, 0), -1), [randn(1, 2, 2, 2)])
module_case("ReflectionPad2d", ["ReflectionPad2d", 1], lambda: nn.ReflectionPad2d(1), [randn(1, 2, 3, 3)])
module_case("ReflectionPad1d", ["ReflectionPad1d", [2, 1]], lambda: nn.ReflectionPad1d((2, 1)), [randn(1, 2, 3)])
module_case("ReflectionPad3d", ["ReflectionPad3d", 1], lambda: nn.ReflectionPad3d(1), [randn(1, 1, 2, 2, 3)])
module_case("ReplicationPad2d", ["ReplicationPad2d", [2, 0, 1, 1]], lambda: nn.ReplicationPad2d((2, 0, 1, 1)), [randn(1, 1, 2, 3)])
module_case("ReplicationPad1d", ["ReplicationPad1d", 2], lambda: nn.ReplicationPad1d(2), [randn(1, 2, 3)])
module_case("ReplicationPad3d", ["ReplicationPad3d", [1, 1, 0, 0, 1, 0]], lambda: nn.ReplicationPad3d((1, 1, 0, 0, 1, 0)), [randn(1, 1, 2, 2, 2)])

# ---------------------------------------------------------------- seeded initialization and printouts
INIT = {
    "ConvTranspose2d": (["ConvTranspose2d", 4, 6, 3, {"stride": 2, "padding": 1, "output_padding": 1}], lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)),
    "ConvTranspose2d groups no bias": (["ConvTranspose2d", 4, 6, [2, 3], {"groups": 2, "bias": False, "dilation": 2}], lambda: nn.ConvTranspose2d(4, 6, (2, 3), groups=2, bias=False, dilation=2)),
    "ConvTranspose1d": (["ConvTranspose1d", 3, 5, 4, {"stride": 3}], lambda: nn.ConvTranspose1d(3, 5, 4, stride=3)),
    "Conv3d": (["Conv3d", 2, 4, 3, {"padding": 1}], lambda: nn.Conv3d(2, 4, 3, padding=1)),
    "Conv3d same groups": (["Conv3d", 4, 2, [1, 2, 3], {"padding": "same", "groups": 2, "bias": False}], lambda: nn.Conv3d(4, 2, (1, 2, 3), padding="same", groups=2, bias=False)),
}
init = {}
for name, (ctor, make) in INIT.items():
    torch.manual_seed(0)
    m = make()
    init[name] = {"ctor": ctor, "state": {k: enc(v) for k, v in m.state_dict().items()}, "params": [k for k, _ in m.named_parameters()]}

REPRS = {
    "ConvTranspose2d": nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1),
    "ConvTranspose1d all": nn.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, groups=2, bias=False, dilation=2),
    "ConvTranspose2d plain": nn.ConvTranspose2d(1, 1, (2, 4)),
    "Conv3d": nn.Conv3d(2, 3, (1, 2, 3), padding=1),
    "Conv3d same": nn.Conv3d(2, 4, 3, padding="same", groups=2, bias=False),
    "MaxPool1d": nn.MaxPool1d(3),
    "MaxPool1d all": nn.MaxPool1d(3, 2, 1, 2, True, True),
    "AvgPool1d": nn.AvgPool1d(3),
    "AvgPool1d all": nn.AvgPool1d(3, 2, 1, True, False),
    "AdaptiveAvgPool1d": nn.AdaptiveAvgPool1d(4),
    "AdaptiveMaxPool1d": nn.AdaptiveMaxPool1d(4),
    "AdaptiveMaxPool2d": nn.AdaptiveMaxPool2d((3, None), True),
    "AdaptiveMaxPool2d int": nn.AdaptiveMaxPool2d(3),
    "MaxUnpool2d": nn.MaxUnpool2d(2),
    "MaxUnpool2d all": nn.MaxUnpool2d((2, 3), stride=1, padding=(0, 1)),
    "Upsample": nn.Upsample(scale_factor=2),
    "Upsample size bilinear": nn.Upsample(size=(4, 5), mode="bilinear", align_corners=True),
    "Upsample size int": nn.Upsample(size=4),
    "Upsample scales": nn.Upsample(scale_factor=(2, 1.5), mode="bilinear"),
    "UpsamplingNearest2d": nn.UpsamplingNearest2d(scale_factor=2),
    "UpsamplingBilinear2d": nn.UpsamplingBilinear2d(size=3),
    "PixelShuffle": nn.PixelShuffle(2),
    "PixelUnshuffle": nn.PixelUnshuffle(3),
    "Unfold": nn.Unfold(2),
    "Unfold all": nn.Unfold((2, 3), 2, 1, 1),
    "Fold": nn.Fold((4, 5), 2),
    "Fold all": nn.Fold(4, (2, 3), 1, 0, 2),
    "ZeroPad2d": nn.ZeroPad2d(2),
    "ZeroPad2d tuple": nn.ZeroPad2d((1, 2, 3, 4)),
    "ConstantPad1d": nn.ConstantPad1d(2, 3.5),
    "ConstantPad2d": nn.ConstantPad2d((1, 0, 2, 0), -1),
    "ConstantPad3d": nn.ConstantPad3d(1, 0.25),
    "ReflectionPad1d": nn.ReflectionPad1d(2),
    "ReflectionPad2d": nn.ReflectionPad2d((1, 0, 2, 3)),
    "ReflectionPad3d": nn.ReflectionPad3d(1),
    "ReplicationPad1d": nn.ReplicationPad1d((3, 1)),
    "ReplicationPad2d": nn.ReplicationPad2d(1),
    "ReplicationPad3d": nn.ReplicationPad3d((2, 2, 2, 2, 1, 1)),
    "Sequential": nn.Sequential(nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="bilinear"), nn.ReflectionPad2d(1)),
}
reprs = {k: str(v) for k, v in REPRS.items()}

# ---------------------------------------------------------------- errors
errors = {}


def err(name, f):
    try:
        f()
    except Exception as e:
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        return
    raise SystemExit(f"expected an error: {name}")


z = torch.zeros
x4 = z(2, 4, 5, 6)
w4 = z(4, 3, 3, 3)
err("ct2 5d input", lambda: F.conv_transpose2d(z(1, 2, 4, 5, 6), w4))
err("ct2 output_padding", lambda: F.conv_transpose2d(x4, w4, stride=2, output_padding=2))
err("ct2 groups divisible", lambda: F.conv_transpose2d(x4, w4, groups=3))
err("ct2 groups at least", lambda: F.conv_transpose2d(x4, w4, groups=5))
err("ct2 groups 0", lambda: F.conv_transpose2d(x4, w4, groups=0))
err("ct2 channels", lambda: F.conv_transpose2d(z(2, 5, 5, 6), w4))
err("ct2 bias", lambda: F.conv_transpose2d(x4, w4, z(4)))
err("ct2 negative padding", lambda: F.conv_transpose2d(x4, w4, padding=-1))
err("ct2 negative output_padding", lambda: F.conv_transpose2d(x4, w4, output_padding=-1))
err("ct2 stride 0", lambda: F.conv_transpose2d(x4, w4, stride=0))
err("ct2 dilation 0", lambda: F.conv_transpose2d(x4, w4, dilation=0))
err("ct2 kernel 0", lambda: F.conv_transpose2d(x4, z(4, 3, 0, 3)))
err("ct2 output too small", lambda: F.conv_transpose2d(x4, w4, padding=5))
err("ct2 3d weight", lambda: F.conv_transpose2d(x4, z(4, 3, 3)))
err("ct2 5d weight", lambda: F.conv_transpose2d(x4, z(4, 3, 3, 3, 3)))
err("ct2 stride list", lambda: F.conv_transpose2d(x4, w4, stride=[1, 2, 3]))
err("ct2 weight dtype", lambda: F.conv_transpose2d(x4, w4.double()))
err("ct2 bias dtype", lambda: F.conv_transpose2d(x4, w4, z(3).double()))
err("ct1 4d input", lambda: F.conv_transpose1d(x4, z(4, 3, 3)))
err("ct1 output_padding", lambda: F.conv_transpose1d(z(2, 4, 5), z(4, 3, 3), stride=2, output_padding=2))
err("ct1 dilation 0", lambda: F.conv_transpose1d(z(2, 4, 5), z(4, 3, 2), dilation=0))
err("ct1 output too small", lambda: F.conv_transpose1d(z(2, 4, 2), z(4, 3, 2), padding=3))
x5 = z(1, 2, 4, 5, 6)
w5 = z(3, 2, 2, 2, 2)
err("c3 3d input", lambda: F.conv3d(z(4, 5, 6), w5))
err("c3 kernel too big", lambda: F.conv3d(z(1, 2, 2, 5, 6), z(3, 2, 3, 2, 2)))
err("c3 channels", lambda: F.conv3d(z(1, 4, 4, 5, 6), w5))
err("c3 bias", lambda: F.conv3d(x5, w5, z(4)))
err("c3 groups", lambda: F.conv3d(x5, w5, groups=2))
err("c3 same strided", lambda: F.conv3d(x5, w5, padding="same", stride=2))
err("c3 bad padding string", lambda: F.conv3d(x5, w5, padding="foo"))
err("c3 dilation 0", lambda: F.conv3d(x5, w5, dilation=0))
err("c3 kernel 0", lambda: F.conv3d(x5, z(3, 2, 0, 2, 2)))
err("c3 negative padding", lambda: F.conv3d(x5, w5, padding=-1))
err("c3 weight dtype", lambda: F.conv3d(x5, w5.double()))
m2 = nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1)
err("ConvTranspose2d output_size range", lambda: m2(x4, output_size=[12, 12]))
err("ConvTranspose2d output_size length", lambda: m2(x4, output_size=[10]))
err("ConvTranspose2d padding_mode", lambda: nn.ConvTranspose2d(4, 3, 3, padding_mode="reflect"))
err("ConvTranspose2d groups", lambda: nn.ConvTranspose2d(4, 3, 3, groups=2))
err("ConvTranspose1d output_size length", lambda: nn.ConvTranspose1d(4, 3, 3)(z(4, 5), output_size=[1, 2, 3]))
xg = z(2, 3, 8, requires_grad=True)
err("mp1 1d input", lambda: F.max_pool1d(z(8), 3))
err("mp1 4d input", lambda: F.max_pool1d(z(2, 3, 4, 5), 3))
err("mp1 grad pad", lambda: F.max_pool1d(xg, 3, padding=2))
err("mp1 grad kernel 0", lambda: F.max_pool1d(xg, 0))
err("mp1 grad dilation 0", lambda: F.max_pool1d(xg, 2, dilation=0))
err("mp1 grad too small", lambda: F.max_pool1d(xg, 9))
err("mp1 grad negative pad", lambda: F.max_pool1d(xg, 2, padding=-1))
err("mp1 kernel list", lambda: F.max_pool1d(xg, [2, 2]))
err("mp1 pad", lambda: F.max_pool1d(z(2, 3, 8), 3, padding=2))
err("mp1 kernel 0", lambda: F.max_pool1d(z(2, 3, 8), 0))
err("mp1 stride 0", lambda: F.max_pool1d(z(2, 3, 8), 2, stride=0))
err("mp1 dilation 0", lambda: F.max_pool1d(z(2, 3, 8), 2, dilation=0))
err("mp1 negative pad", lambda: F.max_pool1d(z(2, 3, 8), 2, padding=-1))
err("mp1 int", lambda: F.max_pool1d(torch.arange(8).reshape(1, 8), 2))
err("mp1 indices too small", lambda: F.max_pool1d(z(2, 3, 8), 9, return_indices=True))
err("mp1 indices 4d", lambda: F.max_pool1d(z(2, 3, 4, 5), 2, return_indices=True))
err("mp2 indices too small", lambda: F.max_pool2d(z(2, 3, 4, 5), 9, return_indices=True))
err("mp2 indices pad", lambda: F.max_pool2d(z(2, 3, 4, 5), 2, padding=(0, 2), return_indices=True))
err("mp2 indices 2d", lambda: F.max_pool2d(z(4, 5), 2, return_indices=True))
err("ap1 4d", lambda: F.avg_pool1d(z(2, 3, 4, 5), 3))
err("ap1 pad", lambda: F.avg_pool1d(z(2, 3, 8), 3, padding=2))
err("ap1 too small", lambda: F.avg_pool1d(z(2, 3, 8), 9))
err("ap1 kernel 0", lambda: F.avg_pool1d(z(2, 3, 8), 0))
err("ap1 kernel list", lambda: F.avg_pool1d(z(2, 3, 8), [2, 2]))
err("aap1 4d", lambda: F.adaptive_avg_pool1d(z(2, 3, 4, 5), 5))
err("aap1 tuple", lambda: F.adaptive_avg_pool1d(z(2, 3, 8), (5, 2)))
err("amp1 4d", lambda: F.adaptive_max_pool1d(z(2, 3, 4, 5), 5))
err("amp1 empty", lambda: F.adaptive_max_pool1d(z(2, 0, 4), 2))
err("amp2 5d", lambda: F.adaptive_max_pool2d(z(1, 2, 3, 4, 5), 3))
err("amp2 empty", lambda: F.adaptive_max_pool2d(z(2, 0, 3, 3), 2))
err("amp2 3 sizes", lambda: F.adaptive_max_pool2d(z(2, 3, 4, 5), (1, 2, 3)))
err("amp2 int", lambda: F.adaptive_max_pool2d(torch.arange(16).reshape(1, 4, 4), 2))
xu = torch.arange(24.0).reshape(2, 3, 2, 2)
iu = torch.tensor([0, 1, 4, 5]).repeat(6).reshape(2, 3, 2, 2)
err("unpool index out of range", lambda: F.max_unpool2d(xu, iu.index_put((torch.tensor([1]), torch.tensor([2]), torch.tensor([1]), torch.tensor([0])), torch.tensor([16])), 2))
err("unpool output_size range", lambda: F.max_unpool2d(xu, iu, 2, output_size=[7, 5]))
err("unpool output_size length", lambda: F.max_unpool2d(xu, iu, 2, output_size=[7]))
err("unpool indices shape", lambda: F.max_unpool2d(xu, iu[:, :2], 2))
err("unpool indices dtype", lambda: F.max_unpool2d(xu, iu.int(), 2))
err("unpool 2d", lambda: F.max_unpool2d(xu[0, 0], iu[0, 0], 2))
xi = z(2, 3, 4, 5)
err("interp both", lambda: F.interpolate(xi, size=3, scale_factor=2))
err("interp neither", lambda: F.interpolate(xi))
err("interp size length", lambda: F.interpolate(xi, size=[3]))
err("interp scale length", lambda: F.interpolate(xi, scale_factor=[3.0]))
err("interp recompute with size", lambda: F.interpolate(xi, size=3, recompute_scale_factor=True))
err("interp align_corners nearest", lambda: F.interpolate(xi, size=3, align_corners=False))
err("interp bilinear 3d", lambda: F.interpolate(z(2, 3, 5), size=3, mode="bilinear"))
err("interp linear 4d", lambda: F.interpolate(xi, size=3, mode="linear"))
err("interp 2d input", lambda: F.interpolate(z(4, 5), size=3))
err("interp bad mode", lambda: F.interpolate(xi, size=3, mode="foo"))
err("interp size 0", lambda: F.interpolate(xi, size=0))
err("interp scale too small", lambda: F.interpolate(xi, scale_factor=0.1, mode="bilinear"))
err("interp 1d size 0", lambda: F.interpolate(z(2, 3, 5), size=0))
err("interp empty channels", lambda: F.interpolate(z(2, 0, 2, 5), size=3))
err("interp int nearest", lambda: F.interpolate(torch.arange(20).reshape(1, 1, 4, 5), size=3))
err("interp int bilinear", lambda: F.interpolate(torch.arange(20).reshape(1, 1, 4, 5), size=3, mode="bilinear"))
err("interp int nearest 2 channels", lambda: F.interpolate(torch.arange(40).reshape(1, 2, 4, 5), size=3))
err("interp int linear", lambda: F.interpolate(torch.arange(10).reshape(1, 2, 5), size=3, mode="linear"))
err("interp int nearest 3d", lambda: F.interpolate(torch.zeros(1, 1, 2, 2, 5, dtype=torch.long), size=3))
err("interp antialias nearest", lambda: F.interpolate(xi, size=3, antialias=True))
err("ps channels", lambda: F.pixel_shuffle(z(2, 6, 3, 4), 2))
err("ps 2d", lambda: F.pixel_shuffle(z(6, 3), 2))
err("ps factor 0", lambda: F.pixel_shuffle(z(2, 8, 3, 4), 0))
err("pu height", lambda: F.pixel_unshuffle(z(2, 2, 3, 6), 2))
err("pu width", lambda: F.pixel_unshuffle(z(2, 2, 4, 5), 2))
err("pu 2d", lambda: F.pixel_unshuffle(z(4, 6), 2))
err("pu factor 0", lambda: F.pixel_unshuffle(z(2, 2, 4, 6), 0))
x3 = z(2, 3, 4)
err("pad odd", lambda: F.pad(xi, [1, 2, 3]))
err("pad too long", lambda: F.pad(z(3, 4), [1, 1, 1, 1, 1, 1]))
err("pad bad mode", lambda: F.pad(xi, [1, 1], mode="foo"))
err("pad reflect value", lambda: F.pad(x3, [1, 1], mode="reflect", value=1.5))
err("pad reflect 1d on 4d", lambda: F.pad(xi, [1, 1], mode="reflect"))
err("pad reflect 2d on 2d", lambda: F.pad(z(3, 4), [1, 1, 1, 1], mode="reflect"))
err("pad reflect 1d on 1d", lambda: F.pad(z(4), [1, 1], mode="reflect"))
err("pad reflect 1d too big", lambda: F.pad(x3, [4, 1], mode="reflect"))
err("pad reflect 2d too big h", lambda: F.pad(xi, [1, 1, 4, 1], mode="reflect"))
err("pad reflect 2d too big w", lambda: F.pad(xi, [5, 0, 0, 0], mode="reflect"))
err("pad reflect 3d too big", lambda: F.pad(x5, [0, 0, 0, 0, 4, 0], mode="reflect"))
err("pad reflect 1d too small", lambda: F.pad(x3, [-3, -2], mode="reflect"))
err("pad reflect 2d negative", lambda: F.pad(xi, [0, 0, -3, -2], mode="reflect"))
err("pad reflect 1d empty", lambda: F.pad(z(2, 0, 4), [1, 1], mode="reflect"))
err("pad reflect 2d empty", lambda: F.pad(z(2, 0, 3, 4), [1, 1, 1, 1], mode="reflect"))
err("pad reflect int", lambda: F.pad(torch.arange(12).reshape(1, 3, 4), [1, 1], mode="reflect"))
err("pad replicate 1d too small", lambda: F.pad(x3, [-3, -2], mode="replicate"))
err("pad replicate 2d negative", lambda: F.pad(xi, [-3, -3, 0, 0], mode="replicate"))
err("pad replicate 3d negative", lambda: F.pad(x5, [0, 0, 0, 0, -3, -2], mode="replicate"))
err("pad replicate 1d empty", lambda: F.pad(z(2, 3, 0), [1, 1], mode="replicate"))
err("pad replicate 2d empty", lambda: F.pad(z(2, 0, 3, 4), [1, 1, 1, 1], mode="replicate"))
err("pad replicate int", lambda: F.pad(torch.arange(12).reshape(1, 3, 4), [1, 1], mode="replicate"))
err("pad replicate 2d int", lambda: F.pad(torch.arange(12).reshape(1, 1, 3, 4), [1, 1, 1, 1], mode="replicate"))
err("pad circular wrap", lambda: F.pad(x3, [5, 1], mode="circular"))
err("pad circular empty", lambda: F.pad(x3, [-3, -2], mode="circular"))
err("pad circular unbatched", lambda: F.pad(x3, [1, 1, 1, 1], mode="circular"))
err("pad circular 2d input", lambda: F.pad(z(3, 4), [1, 1], mode="circular"))
err("pad constant narrow", lambda: F.pad(x3, [-3, -2, 1, 1]))
err("pad constant start", lambda: F.pad(x3, [-5, 1]))
err("pad constant empty dim", lambda: F.pad(x3, [-2, -2, 1, 1]))
err("pad float pads", lambda: F.pad(x3, [1.5, 1]))
err("unfold 5d", lambda: F.unfold(z(1, 2, 3, 4, 5), 2))
err("unfold 2d", lambda: F.unfold(z(4, 5), 2))
err("unfold kernel 0", lambda: F.unfold(xi, 0))
err("unfold stride 0", lambda: F.unfold(xi, 2, stride=0))
err("unfold dilation 0", lambda: F.unfold(xi, 2, dilation=0))
err("unfold negative padding", lambda: F.unfold(xi, 2, padding=-1))
err("unfold too big", lambda: F.unfold(xi, 5))
err("unfold empty", lambda: F.unfold(z(2, 0, 4, 5), 2))
err("unfold int", lambda: F.unfold(torch.arange(20).reshape(1, 1, 4, 5), 2))
c = z(2, 12, 12)
err("fold 1d", lambda: F.fold(z(12), (4, 5), 2))
err("fold 4d", lambda: F.fold(z(1, 2, 12, 12), (4, 5), 2))
err("fold channels", lambda: F.fold(z(2, 13, 12), (4, 5), 2))
err("fold blocks", lambda: F.fold(z(2, 12, 11), (4, 5), 2))
err("fold kernel 0", lambda: F.fold(c, (4, 5), 0))
err("fold stride 0", lambda: F.fold(c, (4, 5), 2, stride=0))
err("fold dilation 0", lambda: F.fold(c, (4, 5), 2, dilation=0))
err("fold negative padding", lambda: F.fold(c, (4, 5), 2, padding=-1))
err("fold output 0", lambda: F.fold(c, (0, 5), 2))

json.dump({"cases": cases, "modules": modules, "init": init, "reprs": reprs, "errors": errors}, open(OUT, "w"), separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases, {len(modules)} modules, {len(init)} inits, {len(reprs)} reprs, {len(errors)} errors, {os.path.getsize(OUT)} bytes")
