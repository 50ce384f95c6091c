"""Fixtures for test/dtypes.test.ts: float16, bfloat16, uint8, int8, int16 in real PyTorch 1.13.

Writes test/fixtures/dtypes.json (promotion, casts, op results bit for bit, printouts, errors,
gradients) and test/fixtures/dtypes/*.pt (torch.save files holding every dtype).
Run: /usr/bin/python3 scripts/gen_dtypes_fixtures.py
"""
import json
import math
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "test", "fixtures")
PT = os.path.join(OUT, "dtypes")
os.makedirs(PT, exist_ok=True)

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
NARROW = ["uint8", "int8", "int16", "float16", "bfloat16"]
D = lambda n: getattr(torch, n)
dname = lambda d: str(d).replace("torch.", "")


def num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return str(v)
    if isinstance(v, float) and v == 0 and math.copysign(1, v) < 0:
        return "-0.0"
    return v


def enc(t):
    t = t.detach()
    flat = t.reshape(-1)
    vals = flat.double().tolist() if t.dtype.is_floating_point else flat.tolist()
    return {"dtype": dname(t.dtype), "shape": list(t.shape), "data": [num(v) for v in vals]}


def outcome(f):
    try:
        r = f()
        return {"ok": enc(r)} if isinstance(r, torch.Tensor) else {"ok": r}
    except Exception as e:  # noqa: BLE001
        return {"error": [type(e).__name__, str(e).split("\n")[0]]}


fx = {}
fx["promote"] = {a: {b: dname(torch.promote_types(D(a), D(b))) for b in NAMES} for a in NAMES}

# result types of binary ops with Python scalars and 0-dim tensors (JS numbers: integer-valued is int)
rt = []
for n in NARROW + ["bool"]:
    x = torch.ones(2, dtype=D(n))
    for label, other in [("int 1", 1), ("int 1000", 1000), ("float 1.5", 1.5), ("bool True", True)]:
        rt.append({"a": n, "other": {"scalar": other}, "label": label, "dtype": dname(torch.result_type(x, other))})
    for m in NAMES:
        z = torch.tensor(1, dtype=D(m))
        rt.append({"a": n, "other": {"zerodim": m}, "dtype": dname(torch.result_type(x, z))})
fx["result_type"] = rt
fx["scalar_ops"] = {
    "int8_plus_1000": enc(torch.tensor([1, 2, -100], dtype=torch.int8) + 1000),
    "uint8_plus_1_5": enc(torch.tensor([1, 2, 255], dtype=torch.uint8) + 1.5),
    "uint8_times_3": enc(torch.tensor([100, 2, 255], dtype=torch.uint8) * 3),
    "half_times_0_1": enc(torch.tensor([1.0, 3.0, 1000.0], dtype=torch.float16) * 0.1),
    "bf16_plus_half_0d": enc(torch.tensor([1.0, 3.0], dtype=torch.bfloat16) + torch.tensor(0.1, dtype=torch.float16)),
}

# casts
CAST_IN = [300.7, -1.5, float("nan"), float("inf"), -float("inf"), 1e10, -129.9, 3e9, 70000.2, -40000.0,
           2147483653.0, 4294967303.0, -2147483653.0, 1e19, 2.0 ** 40 + 300, 0.5, -0.5, 255.9, 127.5, -128.7]
casts = []
for src in ["float64", "float32", "float16", "bfloat16"]:
    x = torch.tensor(CAST_IN, dtype=torch.float64).to(D(src))
    for dst in ["uint8", "int8", "int16"]:
        casts.append({"src": src, "dst": dst, "input": enc(x), "out": enc(x.to(D(dst)))})
F_IN = [0.1, 1 / 3, 65504.0, 65519.0, 65520.0, 1e-8, 6e-8, 5.96e-8, 2.98e-8, 3e-5, 1.0009765625 + 2 ** -11,
        1.0 + 2 ** -11, 3.0e38, 3.4e38, 1e-39, -0.0, float("nan"), float("inf"), 1 + 2 ** -8, 1 + 3 * 2 ** -8, 2049.0, 4097.0]
for src in ["float64", "float32"]:
    x = torch.tensor(F_IN, dtype=torch.float64).to(D(src))
    for dst in ["float16", "bfloat16"]:
        casts.append({"src": src, "dst": dst, "input": enc(x), "out": enc(x.to(D(dst)))})
ints = torch.tensor([0, 1, -1, 127, 128, 255, 256, -129, 300, 32767, 32768, -32769, 65537, 2 ** 40 + 5, 2049, 4097], dtype=torch.int64)
for dst in ["uint8", "int8", "int16", "float16", "bfloat16"]:
    casts.append({"src": "int64", "dst": dst, "input": enc(ints), "out": enc(ints.to(D(dst)))})
for src in ["uint8", "int8", "int16"]:
    x = ints.to(D(src))
    for dst in NARROW + ["bool", "float32"]:
        casts.append({"src": src, "dst": dst, "input": enc(x), "out": enc(x.to(D(dst)))})
fx["casts"] = casts
fx["tensor_ctor"] = {}
for v in [[300], [-1], [255, -128], [1e10], [0.1, 2.5, 70000]]:
    for n in NARROW:
        fx["tensor_ctor"][f"{n} {v}"] = {"values": v, "dtype": n, "outcome": outcome(lambda: torch.tensor(v, dtype=D(n)))}

# ops, bit for bit
g = torch.Generator().manual_seed(0)
ops = []


def rnd(shape, lo, hi, dt):
    return (torch.rand(shape, generator=g, dtype=torch.float64) * (hi - lo) + lo).to(dt)


for n in ["float16", "bfloat16"]:
    dt = D(n)
    a, b = rnd([64], -4, 4, dt), rnd([64], 0.5, 4, dt)
    big = rnd([1500], 0, 1, dt)
    unary = ["neg", "abs", "reciprocal", "square"] + (["exp", "log", "sqrt", "tanh", "sigmoid", "sin", "relu", "floor", "rsqrt"] if n == "bfloat16" else [])
    for u in unary:
        x = b if u in ("log", "sqrt", "rsqrt") else a
        ops.append({"op": u, "args": [enc(x)], "out": enc(getattr(torch, u)(x))})
    for bo in ["add", "sub", "mul", "div", "maximum", "pow", "remainder"]:
        y = b
        ops.append({"op": bo, "args": [enc(a), enc(y)], "out": enc(getattr(torch, bo)(a, y))})
    ops.append({"op": "sum", "args": [enc(big)], "out": enc(big.sum())})
    ops.append({"op": "mean", "args": [enc(big)], "out": enc(big.mean())})
    ops.append({"op": "max", "args": [enc(a)], "out": enc(a.max())})
    m = a.reshape(8, 8)
    ops.append({"op": "sum_dim1", "args": [enc(m)], "out": enc(m.sum(1))})
    ops.append({"op": "to_float32_add", "args": [enc(a), enc(b.float())], "out": enc(a + b.float())})
    if n == "bfloat16":
        p, q = rnd([8, 16], -2, 2, dt), rnd([16, 5], -2, 2, dt)
        ops.append({"op": "matmul", "args": [enc(p), enc(q)], "out": enc(p @ q)})
        ops.append({"op": "softmax", "args": [enc(m)], "out": enc(torch.softmax(m, -1))})
        ops.append({"op": "cumsum", "args": [enc(a)], "out": enc(a.cumsum(0))})
for n in ["uint8", "int8", "int16"]:
    dt = D(n)
    lo, hi = (0, 255) if n == "uint8" else (-128, 127) if n == "int8" else (-32768, 32767)
    a = torch.randint(lo, hi + 1, (64,), generator=g, dtype=torch.int64).to(dt)
    b = torch.randint(1, min(hi, 200) + 1, (64,), generator=g, dtype=torch.int64).to(dt)
    for bo in ["add", "sub", "mul", "div", "floor_divide", "remainder", "maximum"]:
        ops.append({"op": bo, "args": [enc(a), enc(b)], "out": enc(getattr(torch, bo)(a, b))})
    for u in ["neg", "abs", "exp", "sqrt", "sign"]:
        ops.append({"op": u, "args": [enc(a)], "out": enc(getattr(torch, u)(a))})
    ops.append({"op": "sum", "args": [enc(a)], "out": enc(a.sum())})
    ops.append({"op": "max", "args": [enc(a)], "out": enc(a.max())})
    ops.append({"op": "cumsum", "args": [enc(a)], "out": enc(a.cumsum(0))})
    p, q = a[:12].reshape(3, 4), b[:8].reshape(4, 2)
    ops.append({"op": "matmul", "args": [enc(p), enc(q)], "out": enc(p @ q)})
fx["ops"] = ops

# printouts
reprs = []
for n, v, shape in [
    ("float16", [1.1, 2.2, 65504.0, 70000, 1e-8, -0.0, float("nan")], [7]),
    ("bfloat16", [1.1, 2.2, 65504.0, 3e38, 1e-8, -0.0], [6]),
    ("float16", [1.0, 2.0, 3.0, 4.5], [2, 2]),
    ("bfloat16", [1.25, 3.0], [2]),
    ("float16", [2.5], []),
    ("float16", [], [0]),
    ("uint8", [1, 2, 3, 250], [2, 2]),
    ("int8", [-128, 5, 127], [3]),
    ("int16", [-32768, 7], [2]),
    ("uint8", [3], []),
    ("int8", [], [0, 2]),
]:
    t = torch.tensor(v, dtype=torch.float64).to(D(n)).reshape(shape)
    reprs.append({"input": enc(t), "repr": repr(t)})
h = torch.tensor([0.5, 1.5], dtype=torch.float16, requires_grad=True)
reprs.append({"input": enc(h), "requires_grad": True, "repr": repr(h)})
reprs.append({"input": enc(h), "requires_grad": True, "op": "mul2", "repr": repr(h * 2)})
fx["reprs"] = reprs

# errors (and successes) of common ops per dtype
F = torch.nn.functional
ERR_OPS = {
    "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "relu": torch.relu, "gelu": F.gelu, "silu": F.silu, "floor": torch.floor, "round": torch.round,
    "matmul": lambda t: t @ t, "mm": lambda t: t.mm(t), "bmm": lambda t: torch.bmm(t[None], t[None]),
    "mv": lambda t: torch.mv(t, t[0]), "dot": lambda t: torch.dot(t[0], t[0]),
    "linear": lambda t: F.linear(t, t), "softmax_last": lambda t: torch.softmax(t, -1),
    "log_softmax_last": lambda t: torch.log_softmax(t, -1), "softmax_0": lambda t: torch.softmax(t, 0),
    "mean": torch.mean, "var": torch.var, "sum": torch.sum, "max": torch.max, "abs": torch.abs, "neg": torch.neg,
    "add": lambda t: t + t, "mul": lambda t: t * t, "div": lambda t: t / t,
}
errs = []
for n in NARROW:
    t = torch.ones(2, 2, dtype=D(n))
    for name, f in ERR_OPS.items():
        errs.append({"dtype": n, "op": name, "outcome": outcome(lambda: f(t))})
fx["op_outcomes"] = errs

# autograd
grads = []
for n in ["float16", "bfloat16"]:
    x = torch.tensor([0.1, -0.7, 1.3, 2.2], dtype=D(n), requires_grad=True)
    y = torch.tensor([1.5, 0.25, -3.0, 0.3], dtype=D(n), requires_grad=True)
    z = (x * y + x / y - x * x).sum()
    z.backward()
    grads.append({"dtype": n, "expr": "(x*y + x/y - x*x).sum()", "x": enc(x), "y": enc(y), "z": enc(z), "gx": enc(x.grad), "gy": enc(y.grad), "grad_fn": type(z.grad_fn).__name__})
    x.grad = None
    w = x.float().mul(2).sum()
    w.backward()
    grads.append({"dtype": n, "expr": "x.float().mul(2).sum()", "x": enc(x), "z": enc(w), "gx": enc(x.grad)})
fx["grads"] = grads

x = torch.tensor([1.0], dtype=torch.float16)
fx["finfo"] = {n: {k: getattr(torch.finfo(D(n)), k) for k in ["bits", "eps", "max", "min", "tiny", "resolution"]} for n in ["float16", "bfloat16", "float32", "float64"]}
fx["iinfo"] = {n: {k: getattr(torch.iinfo(D(n)), k) for k in ["bits", "max", "min"]} for n in ["uint8", "int8", "int16", "int32"]}

# .pt files holding every dtype
torch.manual_seed(3)
lin = torch.nn.Linear(3, 2)
state = {
    "f16": torch.tensor([0.1, -2.5, 65504.0, 6e-8, float("inf"), -0.0], dtype=torch.float16),
    "bf16": torch.tensor([0.1, -2.5, 3e38, 1e-39], dtype=torch.bfloat16),
    "u8": torch.tensor([[0, 1, 2], [128, 254, 255]], dtype=torch.uint8),
    "i8": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
    "i16": torch.tensor([-32768, -1, 0, 32767], dtype=torch.int16),
    "u8_t": torch.arange(6, dtype=torch.uint8).reshape(2, 3).t(),
    "half_linear_weight": lin.weight.detach().half(),
    "bf16_linear_bias": lin.bias.detach().bfloat16(),
}
torch.save(state, os.path.join(PT, "all_dtypes.pt"))
fx["pt"] = {"all_dtypes.pt": {k: dict(enc(v), stride=list(v.stride())) for k, v in state.items()}}

with open(os.path.join(OUT, "dtypes.json"), "w") as f:
    json.dump(fx, f, separators=(",", ":"), allow_nan=False)
print("wrote dtypes.json", len(ops), "ops", len(casts), "casts")
