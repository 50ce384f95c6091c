"""Generates test/fixtures/bitwise.json with real PyTorch (1.13, CPU, AVX2 kernels): elementwise ops
with scalar parameters or fused multiply-adds, and optimizer trajectories, to be matched bit for bit.
Outputs are stored compactly: base64 of the raw little-endian bytes for small sizes, SHA-256 of the
bytes for large ones (sizes that do and do not fill whole 8/16-wide vectors, so PyTorch's vectorised
loop, its scalar tail and its parallel chunks are all covered).
Run: /usr/bin/python3 scripts/gen_bitwise_fixtures.py   (generated output, do not edit by hand)
     /usr/bin/python3 scripts/gen_bitwise_fixtures.py --dump DIR   (also writes every output to DIR)"""
import base64
import hashlib
import json
import os
import sys

import torch
import torch.nn.functional as F

RAW_MAX = 64
SIZES = [1, 5, 16, 21, 1003, 100003]
DTYPES = {"float32": torch.float32, "float64": torch.float64}

# (op, args): each is computed by the TypeScript test with the same inputs
OP_CASES = [
    ("add", {"alpha": 0.01}), ("add", {"alpha": -0.1}), ("add", {"alpha": 0.3333}),
    ("sub", {"alpha": 0.3333}), ("sub", {"alpha": -2.7}),
    ("addScalar", {"other": 2.5, "alpha": 0.3}), ("addColumn", {"alpha": 0.3}),
    ("rsub", {"other": 0.7, "alpha": 0.3333}), ("rsub", {"other": 1.0, "alpha": 1}),
    ("leakyRelu", {"slope": 0.01}), ("leakyRelu", {"slope": 0.2}),
    ("pow", {"exponent": 2}), ("pow", {"exponent": 3}), ("pow", {"exponent": -2}), ("pow", {"exponent": -1}),
    ("pow", {"exponent": 0.5}), ("pow", {"exponent": -0.5}),
    ("rsqrt", {}),
    ("clamp", {"min": -0.3, "max": 0.7}),
    ("addcmul", {"value": 0.1}), ("addcmul", {"value": -0.3333}), ("addcmul", {"value": 1}),
    ("addcdiv", {"value": 0.1}), ("addcdiv", {"value": -0.3333}), ("addcdiv", {"value": 1}),
    ("lerp", {"weight": 0.3}), ("lerp", {"weight": -0.2}), ("lerp", {"weight": 0.5}), ("lerp", {"weight": 0.7}),
    ("lerp", {"weight": 1.3}), ("lerpTensor", {}),
]


def randn(shape, dtype):
    """randn in dtype. NOTE: float64 values are made from two float32 draws (x + 1e-7 * y, exact
    IEEE ops in both libraries) with full 53-bit significands, so that the test does not depend on
    float64 randn's own bits."""
    if dtype == torch.float32:
        return torch.randn(shape)
    x = torch.randn(shape).double()
    return x.add(torch.randn(shape).double().mul(1e-7))


def inputs(n, dtype):
    torch.manual_seed(0)
    a = randn(n, dtype)
    b = randn(n, dtype)
    c = randn(n, dtype)
    w = torch.rand(n).to(dtype).mul(2).sub(0.5)
    return a, b, c, w


def run_op(op, args, a, b, c, w):
    if op == "add": return torch.add(a, b, alpha=args["alpha"])
    if op == "sub": return torch.sub(a, b, alpha=args["alpha"])
    if op == "addScalar": return torch.add(a, args["other"], alpha=args["alpha"])
    if op == "addColumn":  # rows of 21 (or n) plus alpha times a broadcast column
        m = min(a.numel(), 21)
        rows = a.numel() // m
        return torch.add(a[:rows * m].view(rows, m), b[:rows].view(rows, 1), alpha=args["alpha"])
    if op == "rsub": return torch.sub(args["other"], a, alpha=args["alpha"]) if args["alpha"] != 1 else args["other"] - a
    if op == "leakyRelu": return F.leaky_relu(a, args["slope"])
    if op == "pow": return torch.pow(a.abs(), args["exponent"])
    if op == "rsqrt": return torch.rsqrt(a.abs())
    if op == "clamp": return torch.clamp(a, args["min"], args["max"])
    if op == "addcmul": return torch.addcmul(a, b, c, value=args["value"])
    if op == "addcdiv": return torch.addcdiv(a, b, c, value=args["value"])
    if op == "lerp": return torch.lerp(a, b, args["weight"])
    if op == "lerpTensor": return torch.lerp(a, b, w)
    raise ValueError(op)


def encode(t):
    raw = t.contiguous().numpy().tobytes()
    if t.numel() <= RAW_MAX:
        return {"b64": base64.b64encode(raw).decode()}
    return {"sha256": hashlib.sha256(raw).hexdigest()}


# ---------------------------------------------------------------- optimizers
OPT_STEPS = 20
OPT_RECORD = [1, 2, 5, 10, 20]
OPT_CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "maximize": True}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-8}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.05}),
    ("Adamax", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1, "maximize": True}),
    ("ASGD", {"lr": 0.05}),
    ("ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 10, "weight_decay": 0.1}),
    ("Rprop", {"lr": 0.01}),
    ("Rprop", {"lr": 0.02, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.1), "maximize": True}),
    ("NAdam", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05, "betas": (0.8, 0.99), "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("RAdam", {"lr": 0.05}),
    ("RAdam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.05, "betas": (0.8, 0.99), "maximize": True}),
    ("Adagrad", {"lr": 0.1, "maximize": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "maximize": True}),
]


def run_opt(name, kw, dtype):
    """Params of 37 and 3x5 elements (a vectorised body with a tail, and a tail only); the gradient
    at each step is 0.5 * (p - target) + 0.1 * noise, from ops that are exact in both libraries."""
    torch.manual_seed(1)
    p1 = randn(37, dtype)
    p2 = randn((3, 5), dtype)
    t1 = randn(37, dtype)
    t2 = randn((3, 5), dtype)
    params = [p1.requires_grad_(), p2.requires_grad_()]
    opt = getattr(torch.optim, name)(params, **kw)
    traj = {}
    for step in range(1, OPT_STEPS + 1):
        torch.manual_seed(100 + step)
        with torch.no_grad():
            for p, t in ((p1, t1), (p2, t2)):
                p.grad = p.detach().sub(t).mul(0.5).add(randn(p.shape, dtype).mul(0.1))
        opt.step()
        if step in OPT_RECORD:
            traj[str(step)] = base64.b64encode(torch.cat([p1.detach().flatten(), p2.detach().flatten()]).numpy().tobytes()).decode()
    return {"optimizer": name, "options": {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()},
            "dtype": str(dtype).replace("torch.", ""), "steps": OPT_STEPS, "trajectory": traj}


def main():
    dump = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None
    torch.set_num_threads(1)
    out = {"ops": [], "optimizers": []}
    for dname, dtype in DTYPES.items():
        for n in SIZES:
            a, b, c, w = inputs(n, dtype)
            for op, args in OP_CASES:
                y = run_op(op, args, a, b, c, w)
                assert y.dtype == dtype
                out["ops"].append({"op": op, "args": args, "n": n, "dtype": dname, **encode(y)})
                if dump:
                    key = f"{op}_{'_'.join(f'{k}={v}' for k, v in args.items())}_{n}_{dname}"
                    y.numpy().tofile(os.path.join(dump, key + ".bin"))
    # Python's float ** float (C's pow), as the optimizers' scalar math uses it
    out["pow"] = [[x, y, x ** y] for x in (0.9, 0.999, 0.8, 0.99, 0.95, 0.9999) for y in map(float, range(1, 61))]
    out["pow"] += [[0.96, s * 0.004, 0.96 ** (s * 0.004)] for s in range(1, 61)]
    out["pow"] += [[1 + 1e-4 * 0.05 * s, 0.75, (1 + 1e-4 * 0.05 * s) ** 0.75] for s in range(1, 61)]
    for dtype in (torch.float32, torch.float64):
        for name, kw in OPT_CASES:
            out["optimizers"].append(run_opt(name, kw, dtype))
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "bitwise.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(out['ops'])} op cases, {len(out['optimizers'])} optimizer runs")


if __name__ == "__main__":
    main()
