#!/usr/bin/env python3
"""Generates test/fixtures/grid_pool3d.json from real PyTorch 1.13: generated data, do not edit the output.

Sections:
  cases   functional calls (max_pool3d, avg_pool3d, affine_grid, grid_sample): inputs, keyword
          arguments (PyTorch's names), outputs (and indices), grad_fn names, and the gradients of
          loss = sum(out * r) w.r.t. every float input.
  reprs   str(module) of MaxPool3d / AvgPool3d
  errors  exception type and message (first line) for bad calls
Run: /usr/bin/python3 scripts/gen_grid_pool3d_fixtures.py
"""
import json, math, os, warnings
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.simplefilter("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "grid_pool3d.json")


def num(v, f32):
    if isinstance(v, bool) or isinstance(v, int):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    # NOTE: a float32 as the shortest decimal that reads back as the same float32 (numpy's repr)
    return float(str(np.float32(v))) if f32 else v


def enc(t):
    d = t.detach()
    f32 = d.dtype == torch.float32
    return {"shape": list(d.shape), "dtype": str(d.dtype).replace("torch.", ""), "data": [num(v, f32) for v in d.reshape(-1).tolist()]}


G = torch.Generator().manual_seed(20240611)


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, generator=G, dtype=dtype)


def rand(*shape, lo=-1.0, hi=1.0, dtype=torch.float32):
    return torch.rand(*shape, generator=G, dtype=dtype) * (hi - lo) + lo


FUNCS = {"max_pool3d": F.max_pool3d, "avg_pool3d": F.avg_pool3d, "affine_grid": F.affine_grid, "grid_sample": F.grid_sample}
cases = []


def case(name, fn, args, kw=None, grad=True):
    kw = kw or {}
    ins = [a.clone().requires_grad_(grad and a.dtype.is_floating_point) if isinstance(a, torch.Tensor) else a for a in args]
    r = FUNCS[fn](*ins, **kw)
    outs = list(r) if isinstance(r, tuple) else [r]
    rec = {"name": name, "fn": fn, "args": [enc(a) if isinstance(a, torch.Tensor) else a for a in args], "kw": kw,
           "outs": [enc(o) for o in outs], "gradFn": outs[0].grad_fn.name() if outs[0].grad_fn is not None else None}
    if grad:
        rr = randn(*outs[0].shape, dtype=outs[0].dtype)
        (outs[0] * rr).sum().backward()
        rec["r"] = enc(rr)
        rec["grads"] = [enc(a.grad) if isinstance(a, torch.Tensor) and a.requires_grad else None for a in ins]
    cases.append(rec)


# 3-d pooling
case("max_pool3d", "max_pool3d", [randn(2, 2, 4, 5, 6)], {"kernel_size": 2})
case("max_pool3d all", "max_pool3d", [randn(1, 2, 5, 6, 7)], {"kernel_size": [3, 2, 3], "stride": [2, 1, 2], "padding": [1, 1, 0], "dilation": [1, 2, 1], "ceil_mode": True, "return_indices": True})
case("max_pool3d unbatched indices", "max_pool3d", [randn(3, 4, 4, 5)], {"kernel_size": 3, "stride": 1, "padding": 1, "return_indices": True})
case("max_pool3d float64", "max_pool3d", [randn(1, 2, 3, 4, 5, dtype=torch.float64)], {"kernel_size": [2, 3, 2], "stride": 1})
ties = torch.tensor([1.0, 1.0, 2.0, 2.0, 0.5, 2.0, 3.0, 3.0, float("nan"), 1.0, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0]).reshape(1, 1, 2, 2, 4)
case("max_pool3d ties and nan", "max_pool3d", [ties], {"kernel_size": [2, 2, 2], "stride": [1, 1, 2], "return_indices": True}, grad=False)
case("max_pool3d empty batch", "max_pool3d", [torch.zeros(0, 2, 3, 4, 5)], {"kernel_size": 2}, grad=False)
case("avg_pool3d", "avg_pool3d", [randn(2, 2, 4, 5, 6)], {"kernel_size": 2})
case("avg_pool3d all", "avg_pool3d", [randn(1, 2, 5, 6, 7)], {"kernel_size": [3, 2, 3], "stride": [2, 1, 2], "padding": [1, 1, 0], "ceil_mode": True, "count_include_pad": False})
case("avg_pool3d ceil include pad", "avg_pool3d", [randn(3, 5, 5, 6)], {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True})
case("avg_pool3d divisor_override", "avg_pool3d", [randn(1, 1, 4, 4, 4)], {"kernel_size": [2, 3, 2], "stride": 1, "padding": [1, 1, 0], "divisor_override": 5})
case("avg_pool3d float64", "avg_pool3d", [randn(1, 2, 3, 4, 5, dtype=torch.float64)], {"kernel_size": 2, "stride": 1, "padding": 1, "count_include_pad": False})
case("avg_pool3d int64", "avg_pool3d", [torch.tensor([7, 3, 2, 9, -7, -3, -2, -9], dtype=torch.int64).reshape(1, 1, 2, 2, 2)], {"kernel_size": [1, 2, 2]}, grad=False)

# affine_grid
th2 = randn(2, 2, 3)
case("affine_grid 2d", "affine_grid", [th2, [2, 3, 4, 5]], {"align_corners": False})
case("affine_grid 2d align", "affine_grid", [th2, [2, 1, 3, 6]], {"align_corners": True})
case("affine_grid 2d unit", "affine_grid", [randn(1, 2, 3), [1, 1, 1, 4]], {"align_corners": True})
case("affine_grid 3d", "affine_grid", [randn(2, 3, 4), [2, 1, 3, 4, 2]], {"align_corners": False})
case("affine_grid 3d align float64", "affine_grid", [randn(1, 3, 4, dtype=torch.float64), [1, 2, 2, 3, 4]], {"align_corners": True})

# grid_sample
for mode in ["bilinear", "nearest"]:
    for pad in ["zeros", "border", "reflection"]:
        for align in [False, True]:
            case(f"grid_sample {mode} {pad} align={align}", "grid_sample", [randn(2, 3, 4, 5), rand(2, 3, 6, 2, lo=-1.3, hi=1.3)], {"mode": mode, "padding_mode": pad, "align_corners": align})
case("grid_sample reflection far", "grid_sample", [randn(1, 2, 3, 4), rand(1, 4, 5, 2, lo=-4.0, hi=4.0)], {"padding_mode": "reflection", "align_corners": False})
case("grid_sample reflection far align", "grid_sample", [randn(1, 2, 3, 4), rand(1, 4, 5, 2, lo=-4.0, hi=4.0)], {"padding_mode": "reflection", "align_corners": True})
case("grid_sample float64", "grid_sample", [randn(2, 2, 5, 4, dtype=torch.float64), rand(2, 5, 3, 2, lo=-1.2, hi=1.2, dtype=torch.float64)], {"align_corners": False})
case("grid_sample float64 border", "grid_sample", [randn(1, 2, 5, 4, dtype=torch.float64), rand(1, 5, 3, 2, lo=-1.2, hi=1.2, dtype=torch.float64)], {"padding_mode": "border", "align_corners": True})
# many points land in the same cells: the input gradient adds up in the kernel's order
case("grid_sample crowded", "grid_sample", [randn(1, 2, 2, 3), rand(1, 7, 9, 2, lo=-0.9, hi=0.9)], {"align_corners": False})
case("grid_sample size 1 input", "grid_sample", [randn(1, 2, 1, 4), rand(1, 3, 3, 2)], {"padding_mode": "reflection", "align_corners": True})
case("grid_sample affine", "grid_sample", [randn(2, 3, 6, 7), F.affine_grid(torch.tensor([[[0.8, -0.3, 0.1], [0.25, 0.9, -0.2]], [[1.1, 0.0, 0.3], [0.0, 0.7, 0.05]]]), [2, 3, 5, 4], align_corners=False)], {"align_corners": False})

reprs = {
    "MaxPool3d": str(nn.MaxPool3d(2)),
    "MaxPool3d all": str(nn.MaxPool3d((1, 2, 3), stride=1, padding=(0, 1, 1), dilation=2, return_indices=True, ceil_mode=True)),
    "AvgPool3d": str(nn.AvgPool3d(2)),
    "AvgPool3d all": str(nn.AvgPool3d((1, 2, 3), stride=(1, 2, 1), padding=(0, 1, 1), ceil_mode=True, count_include_pad=False, divisor_override=3)),
}

z = torch.zeros
x5 = z(2, 3, 4, 5, 6)
x4 = z(2, 3, 4, 5)
g4 = z(2, 3, 6, 2)
ERRORS = {
    "mp3 kernel 0": lambda: F.max_pool3d(x5, 0),
    "mp3 kernel 0 stride 1": lambda: F.max_pool3d(x5, 0, stride=1),
    "mp3 stride 0": lambda: F.max_pool3d(x5, 2, stride=0),
    "mp3 stride negative": lambda: F.max_pool3d(x5, 2, stride=-1),
    "mp3 dilation 0": lambda: F.max_pool3d(x5, 2, dilation=0),
    "mp3 pad": lambda: F.max_pool3d(x5, 2, padding=2),
    "mp3 negative pad": lambda: F.max_pool3d(x5, 2, padding=-1),
    "mp3 too small": lambda: F.max_pool3d(x5, 5),
    "mp3 3d input": lambda: F.max_pool3d(z(3, 4, 5), 2),
    "mp3 6d input": lambda: F.max_pool3d(z(1, 2, 3, 4, 5, 6), 2),
    "mp3 empty dim": lambda: F.max_pool3d(z(0, 3, 4, 5), 2),
    "mp3 kernel list": lambda: F.max_pool3d(x5, [2, 2]),
    "mp3 stride list": lambda: F.max_pool3d(x5, 2, stride=[1, 2]),
    "mp3 padding list": lambda: F.max_pool3d(x5, 2, padding=[1, 2]),
    "mp3 dilation list": lambda: F.max_pool3d(x5, 2, dilation=[1, 2]),
    "mp3 int": lambda: F.max_pool3d(torch.zeros(2, 3, 4, 5, 6, dtype=torch.int64), 2),
    "ap3 kernel 0": lambda: F.avg_pool3d(x5, 0, stride=1),
    "ap3 stride 0": lambda: F.avg_pool3d(x5, 2, stride=0),
    "ap3 pad": lambda: F.avg_pool3d(x5, 2, padding=2),
    "ap3 negative pad": lambda: F.avg_pool3d(x5, 2, padding=-1),
    "ap3 kernel too big": lambda: F.avg_pool3d(x5, 5),
    "ap3 kernel list": lambda: F.avg_pool3d(x5, [2, 2]),
    "ap3 stride list": lambda: F.avg_pool3d(x5, 2, stride=[1, 2]),
    "ap3 padding list": lambda: F.avg_pool3d(x5, 2, padding=[1, 2]),
    "ap3 3d input": lambda: F.avg_pool3d(z(3, 4, 5), 2),
    "ap3 empty dim": lambda: F.avg_pool3d(z(1, 0, 3, 4, 5), 2),
    "ap3 divisor 0": lambda: F.avg_pool3d(x5, 2, divisor_override=0),
    "ap3 int32": lambda: F.avg_pool3d(torch.zeros(1, 1, 2, 2, 2, dtype=torch.int32), 2),
    "gs bad mode": lambda: F.grid_sample(x4, g4, mode="foo"),
    "gs bad padding": lambda: F.grid_sample(x4, g4, padding_mode="foo"),
    "gs 3d input": lambda: F.grid_sample(z(3, 4, 5), g4, align_corners=False),
    "gs grid last dim": lambda: F.grid_sample(x4, z(2, 3, 6, 3), align_corners=False),
    "gs batch": lambda: F.grid_sample(x4, z(3, 3, 6, 2), align_corners=False),
    "gs 5d grid": lambda: F.grid_sample(x4, z(2, 3, 6, 1, 2), align_corners=False),
    "gs dtype": lambda: F.grid_sample(x4, z(2, 3, 6, 2, dtype=torch.float64), align_corners=False),
    "gs int": lambda: F.grid_sample(x4.long(), g4.long(), align_corners=False),
    "gs empty spatial": lambda: F.grid_sample(z(2, 3, 0, 5), g4, align_corners=False),
    "gs bicubic 5d": lambda: F.grid_sample(x5, z(2, 3, 6, 2, 3), mode="bicubic", align_corners=False),
    "ag int theta": lambda: F.affine_grid(z(1, 2, 3, dtype=torch.long), [1, 1, 4, 5], align_corners=False),
    "ag 2d shape": lambda: F.affine_grid(z(1, 2, 2), [1, 1, 4, 5], align_corners=False),
    "ag 3d shape": lambda: F.affine_grid(z(1, 2, 3), [1, 1, 4, 5, 6], align_corners=False),
    "ag size length": lambda: F.affine_grid(z(1, 2, 3), [1, 4, 5], align_corners=False),
    "ag size 0": lambda: F.affine_grid(z(1, 2, 3), [1, 1, 0, 5], align_corners=False),
    "ag batch": lambda: F.affine_grid(z(1, 2, 3), [2, 1, 4, 5], align_corners=False),
    "ag 2d theta": lambda: F.affine_grid(z(2, 3), [1, 1, 4, 5], align_corners=False),
}
errors = {}
for name, fn in ERRORS.items():
    try:
        fn()
        raise SystemExit(f"no error: {name}")
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}

with open(OUT, "w") as fh:
    json.dump({"cases": cases, "reprs": reprs, "errors": errors}, fh, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases, {len(errors)} errors, {os.path.getsize(OUT)} bytes")
