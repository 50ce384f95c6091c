# The differential fuzzer's generator (issue 9): seeded random programs over views, in-place ops,
# dtypes, broadcasting, reductions, indexing, matmul, losses and calls that must fail, generated
# and run step by step in real PyTorch 1.13; every step's outcome is recorded so that
# test/fuzz.test.ts can replay the programs through typetorch and compare.
#
#   /usr/bin/python3 scripts/fuzz/gen_fuzz_fixtures.py            # writes test/fixtures/fuzz.json
#   /usr/bin/python3 scripts/fuzz/gen_fuzz_fixtures.py --seed 7 --count 500 --out /tmp/f.json
#
# A program is a list of steps, each making register r<i> (or failing). Arguments are registers
# ("r3"), numbers, lists, or fresh tensors ({"t": {...}}). Recorded per step: shape, dtype,
# requires_grad, grad_fn's name and the values, or the error's class and first line. At the end:
# every register's values and grad_fn again (in-place ops reach views), then a backward of a
# weighted sum of some float registers and every leaf's gradient (or the error).
import argparse, json, math, random, sys
import torch
import torch.nn.functional as F

FLOAT = ("float32", "float64")
DT = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}

def enc(v):
    if isinstance(v, bool): return v
    if isinstance(v, float):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
        if v == 0 and math.copysign(1, v) < 0: return "-0"
    return v

def values(t):
    # (a double backward's gradient may be PyTorch's efficient zero tensor, which has no storage to read)
    if t._is_zerotensor(): return [enc(0.0)] * t.numel()
    return [enc(x) for x in t.detach().reshape(-1).tolist()]

def fresh(rng, shape, dtype, edge=0.03):
    n = 1
    for s in shape: n *= s
    if dtype in FLOAT:
        vals = []
        for _ in range(n):
            u = rng.random()
            if u < edge: vals.append(rng.choice([0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan")]))
            else: vals.append(round(rng.uniform(-3, 3), 2))
    elif dtype == "int64": vals = [rng.randint(-5, 5) for _ in range(n)]
    else: vals = [rng.random() < 0.5 for _ in range(n)]
    return {"shape": list(shape), "dtype": dtype, "values": [enc(v) for v in vals]}

def make(spec):
    vals = [(-0.0 if v == "-0" else v) for v in spec["values"]]
    vals = [float(v) if isinstance(v, str) else v for v in vals]
    # (clone: a fresh tensor, not a view of the flat one)
    t = torch.tensor(vals, dtype=DT[spec["dtype"]]).reshape(spec["shape"]).clone()
    if spec.get("requires_grad"): t.requires_grad_(True)
    return t

def scalar(rng, lo=-2, hi=2):
    """A float scalar that is not integral (JavaScript cannot tell 2.0 from 2, Python can)."""
    v = round(rng.uniform(lo, hi), 1)
    return v + 0.1 if v == int(v) else v

def rshape(rng, maxd=3):
    return [rng.randint(1, 4) for _ in range(rng.randint(0, maxd))]

UNARY = ["neg", "abs", "exp", "tanh", "sigmoid", "relu", "sin", "sqrt", "log", "floor", "round", "sign",
         "reciprocal", "clone", "contiguous", "t", "detach", "float", "double", "long", "square"]
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "eq", "lt", "gt", "where", "masked_fill"]
REDUCE = ["sum", "mean", "amax", "amin", "prod", "argmax", "var", "std", "norm", "logsumexp", "cumsum", "softmax", "log_softmax"]
VIEW = ["view", "reshape", "permute", "transpose", "unsqueeze", "squeeze", "expand", "narrow", "select", "flatten", "slice", "diagonal"]
INPLACE = ["add_", "mul_", "sub_", "clamp_", "relu_", "exp_", "zero_", "fill_", "copy_", "neg_", "index_put_"]
OTHER = ["mm", "matmul", "gather", "index_select", "mse_loss", "cross_entropy", "cat", "stack"]
# (session 5: the sorting and manipulation ops of issue 10)
NEWOPS = ["sort", "argsort", "topk", "kthvalue", "median", "cummax", "logcumsumexp", "flip", "roll", "tril", "triu",
          "repeat", "repeat_interleave", "trace", "diag", "nan_to_num"]

def pick_dim(rng, t, allow_none=True):
    d = t.dim()
    if allow_none and rng.random() < 0.25: return None
    if d == 0: return rng.choice([0, -1])
    if rng.random() < 0.05: return d  # out of range: an error
    return rng.randint(-d, d - 1)

def gen_step(rng, regs):
    """A random step over the registers' actual tensors: (op, args)."""
    names = list(regs)
    kind = rng.choices(["unary", "binary", "reduce", "view", "inplace", "other", "new"], [3, 4, 3, 5, 4, 2, 3])[0]
    # in-place ops mostly on tensors that allow them (not leaves that require grad: PyTorch's error)
    writable = [k for k in names if not (regs[k].is_leaf and regs[k].requires_grad)]
    r = rng.choice(writable) if kind == "inplace" and writable and rng.random() < 0.9 else rng.choice(names)
    t = regs[r]
    shp = list(t.shape)
    if kind == "unary":
        return rng.choice(UNARY), [r]
    if kind == "new":
        op = rng.choice(NEWOPS)
        d = t.dim()
        dim = pick_dim(rng, t, False)
        size = (shp[dim] if shp and -d <= dim < d else 1)
        if op in ("sort", "argsort"): return op, [r, dim, rng.random() < 0.5]
        if op == "topk": return op, [r, rng.randint(0, size + (1 if rng.random() < 0.1 else 0)), dim, rng.random() < 0.7]
        if op == "kthvalue": return op, [r, rng.randint(0 if rng.random() < 0.1 else 1, max(size, 1)), dim]
        if op == "median": return op, [r, pick_dim(rng, t)]
        if op in ("cummax", "logcumsumexp"): return op, [r, dim]
        if op == "flip": return op, [r, sorted(set(rng.randint(-max(d, 1), max(d, 1) - 1) for _ in range(rng.randint(1, 2))))]
        if op == "roll": return op, [r, rng.randint(-3, 3), None if rng.random() < 0.3 else dim]
        if op in ("tril", "triu"): return op, [r, rng.randint(-2, 2)]
        if op == "repeat": return op, [r, [rng.randint(1, 2) for _ in range(d + rng.randint(0, 1) - (1 if rng.random() < 0.05 else 0))]]
        if op == "repeat_interleave": return op, [r, rng.randint(0, 2), None if rng.random() < 0.3 else dim]
        if op == "diag": return op, [r, rng.randint(-1, 1)]
        return op, [r]
    if kind == "binary":
        op = rng.choice(BINARY)
        if op == "where":
            return op, [r, {"t": fresh(rng, shp, "bool")}, {"t": fresh(rng, shp[rng.randint(0, len(shp)):] if shp else [], "float32")}]
        if op == "masked_fill":
            return op, [r, {"t": fresh(rng, shp[rng.randint(0, len(shp)):] if shp else [], "bool" if rng.random() < 0.9 else "int64")}, scalar(rng)]
        if op == "pow":
            return op, [r, rng.choice([2, 3, 0.5, -1, 0, 1.5, -2])]
        u = rng.random()
        if u < 0.35: other = scalar(rng) if rng.random() < 0.8 else rng.randint(-2, 3)
        elif u < 0.6: other = rng.choice(names)
        else:
            s = shp[rng.randint(0, len(shp)):] if shp else []
            if s and rng.random() < 0.3: s[rng.randrange(len(s))] = 1
            if rng.random() < 0.1: s = rshape(rng)
            other = {"t": fresh(rng, s, rng.choices(["float32", "float64", "int64", "bool"], [6, 1, 2, 1])[0])}
        return op, [r, other]
    if kind == "reduce":
        op = rng.choice(REDUCE)
        if op in ("cumsum", "softmax", "log_softmax"):
            return op, [r, pick_dim(rng, t, False)]
        if op == "logsumexp":
            return op, [r, pick_dim(rng, t, False), rng.random() < 0.3]
        if op == "norm":
            return op, [r, rng.choice([2, 1, 0, 3, "inf", 0.5]), pick_dim(rng, t), rng.random() < 0.3]
        if op in ("var", "std", "prod", "argmax"):
            return op, [r, pick_dim(rng, t)]
        return op, [r, pick_dim(rng, t), rng.random() < 0.3]
    if kind == "view":
        op = rng.choice(VIEW)
        d = t.dim()
        if op in ("view", "reshape"):
            n = t.numel()
            cands = [[n], [-1]] + ([[1, n], [n, 1]] if n > 1 else [[]] if n == 1 else [[0]])
            for a in range(2, n):
                if n % a == 0: cands.append([a, n // a]); cands.append([a, -1])
            if rng.random() < 0.1: cands.append([n + 1])
            return op, [r, rng.choice(cands)]
        if op == "permute":
            p = list(range(d)); rng.shuffle(p)
            if rng.random() < 0.1: p = p + [0]
            return op, [r, p]
        if op == "transpose":
            return op, [r, rng.randint(-max(d, 1), max(d, 1) - 1), rng.randint(-max(d, 1), max(d, 1) - 1)]
        if op == "unsqueeze":
            return op, [r, rng.randint(-d - 1, d)]
        if op == "squeeze":
            return op, [r] if rng.random() < 0.4 or d == 0 else [r, rng.randint(-d, d - 1)]
        if op == "expand":
            s = [rng.randint(1, 3)] * rng.randint(0, 1) + [(x if x != 1 or rng.random() < 0.5 else rng.randint(2, 3)) for x in shp]
            if rng.random() < 0.2: s = [(-1 if rng.random() < 0.5 else x) for x in s]
            return op, [r, s]
        if op == "narrow":
            if d == 0: return op, [r, 0, 0, 1]
            dim = rng.randint(0, d - 1); n = shp[dim]
            st = rng.randint(0, n); ln = rng.randint(0, n - st + (1 if rng.random() < 0.1 else 0))
            return op, [r, dim, st, ln]
        if op == "select":
            if d == 0: return op, [r, 0, 0]
            dim = rng.randint(0, d - 1)
            if shp[dim] == 0: return op, [r, dim, 0]
            return op, [r, dim, rng.randint(-shp[dim], shp[dim] - (0 if rng.random() < 0.1 else 1))]
        if op == "flatten":
            return op, [r]
        if op == "diagonal":
            return op, [r] if d >= 2 else [r, 0, 0, 1]
        # slice: x[a:b] on dim 0 (or x[..., a:b])
        if d == 0: return "slice", [r, 0, None, None, 1]
        dim = rng.choice([0, d - 1]); n = shp[dim]
        return "slice", [r, dim, rng.randint(-n, n), rng.choice([None, rng.randint(-n, n + 1)]), rng.choice([1, 1, 2])]
    if kind == "inplace":
        op = rng.choice(INPLACE)
        if op in ("add_", "sub_"):
            return op, [r, rng.choice(names) if rng.random() < 0.5 else {"t": fresh(rng, shp[rng.randint(0, len(shp)):] if shp else [], "float32")}]
        if op == "mul_": return op, [r, scalar(rng)]
        if op == "clamp_": return op, [r, -0.5, rng.choice([0.5, None])]
        if op == "fill_": return op, [r, scalar(rng)]
        if op == "copy_": return op, [r, rng.choice(names)]
        if op == "index_put_":
            if not shp: return op, [r, [None], 1.5]
            return op, [r, [rng.randint(-shp[0], shp[0] - 1)] if rng.random() < 0.5 and shp[0] > 0 else [{"t": fresh(rng, shp, "bool")}], scalar(rng)]
        return op, [r]
    op = rng.choice(OTHER)
    if op in ("mm", "matmul"):
        fits = [k for k in names if regs[k].dim() >= 1 and shp and regs[k].shape[0] == shp[-1]]
        if fits and rng.random() < 0.6 or rng.random() < 0.1: return op, [r, rng.choice(fits or names)]
        k = shp[-1] if shp else 1
        s = [k, rng.randint(1, 3)] if rng.random() < 0.8 else [k + 1, 2]
        if op == "matmul" and len(shp) == 1 and rng.random() < 0.5: s = [k]
        return op, [r, {"t": fresh(rng, s, "float32")}]
    if op in ("gather", "index_select"):
        d = max(t.dim(), 1); dim = rng.randint(0, d - 1)
        n = shp[dim] if shp else 1
        hi = n - 1 if rng.random() < 0.9 else n
        if op == "index_select":
            # (never an empty index of a 0-dim tensor: PyTorch returns uninitialized memory there)
            idx = {"shape": [rng.randint(0 if t.dim() else 1, 3)], "dtype": "int64", "values": None}
            idx["values"] = [rng.randint(-1 if rng.random() < 0.1 else 0, max(hi, 0)) for _ in range(idx["shape"][0])]
            return op, [r, dim, {"t": idx}]
        s = [max(1, x - rng.randint(0, 1)) for x in shp] if shp else []
        cnt = 1
        for x in s: cnt *= x
        return op, [r, dim, {"t": {"shape": s, "dtype": "int64", "values": [rng.randint(0, max(hi, 0)) for _ in range(cnt)]}}]
    if op == "mse_loss":
        return op, [r, {"t": fresh(rng, shp, "float32")}]
    if op == "cross_entropy":
        if t.dim() != 2: return "cross_entropy", [r, {"t": {"shape": [shp[0] if shp else 1], "dtype": "int64", "values": [0] * (shp[0] if shp else 1)}}]
        n, c = shp
        return op, [r, {"t": {"shape": [n], "dtype": "int64", "values": [rng.randint(0, max(c - 1, 0) if rng.random() < 0.95 else c) for _ in range(n)]}}]
    if op in ("cat", "stack"):
        return op, [[r, rng.choice(names)], rng.randint(0, max(t.dim() - (1 if op == "cat" else 0), 0))]
    return "clone", [r]

def arg(a, regs):
    if isinstance(a, str) and a.startswith("r"): return regs[a]
    if a in ("inf", "-inf", "nan"): return float(a)
    if isinstance(a, dict) and "t" in a: return make(a["t"])
    if isinstance(a, list): return [arg(x, regs) for x in a]
    return a

def run_op(op, a):
    x = a[0]
    if op in UNARY:
        return getattr(x, op)()
    if op == "where": return torch.where(a[1], x, a[2])
    if op == "masked_fill": return x.masked_fill(a[1], a[2])
    if op in BINARY: return getattr(x, op)(a[1])
    if op in ("sum", "mean", "amax", "amin"):
        return getattr(x, op)(*( [] if a[1] is None and op in ("sum", "mean") else [() if a[1] is None else a[1], a[2]] ))
    if op in ("var", "std", "prod", "argmax"):
        return getattr(x, op)() if a[1] is None else getattr(x, op)(a[1])
    if op == "norm": return x.norm(a[1], a[2], a[3])
    if op in ("logsumexp",): return x.logsumexp(a[1], a[2])
    if op in ("cumsum", "softmax", "log_softmax"): return getattr(x, op)(a[1])
    if op in ("view", "reshape", "permute", "expand"): return getattr(x, op)(a[1])
    if op in ("transpose", "narrow", "select", "unsqueeze", "squeeze", "flatten", "diagonal"): return getattr(x, op)(*a[1:])
    if op == "slice":
        dim, st, sp, step = a[1], a[2], a[3], a[4]
        idx = (slice(None),) * dim + (slice(st, sp, step),)
        return x[idx] if len(idx) > 1 else x[idx[0]]  # (typetorch's x.index(s) is x[s], x.index(a, b) x[a, b])
    if op in ("add_", "sub_", "mul_", "fill_", "copy_"): return getattr(x, op)(a[1])
    if op == "clamp_": return x.clamp_(a[1], a[2])
    if op in ("relu_", "exp_", "zero_", "neg_"): return getattr(x, op)()
    if op == "index_put_":
        x[tuple(a[1])] = a[2]
        return x
    if op in ("mm", "matmul"): return getattr(x, op)(a[1])
    if op == "gather": return x.gather(a[1], a[2])
    if op == "index_select": return x.index_select(a[1], a[2])
    if op == "mse_loss": return F.mse_loss(x, a[1])
    if op == "cross_entropy": return F.cross_entropy(x, a[1])
    if op == "sort": return x.sort(a[1], a[2])[0]
    if op == "argsort": return x.argsort(a[1], a[2])
    if op == "topk": return x.topk(a[1], a[2], a[3])[0]
    if op == "kthvalue": return x.kthvalue(a[1], a[2])[0]
    if op == "median": return x.median() if a[1] is None else x.median(a[1])[0]
    if op == "cummax": return x.cummax(a[1])[0]
    if op == "logcumsumexp": return x.logcumsumexp(a[1])
    if op == "flip": return x.flip(a[1])
    if op == "roll": return x.roll(a[1], a[2]) if a[2] is not None else x.roll(a[1])
    if op in ("tril", "triu"): return getattr(x, op)(a[1])
    if op == "repeat": return x.repeat(*a[1]) if a[1] else x.repeat(())
    if op == "repeat_interleave": return x.repeat_interleave(a[1], a[2])
    if op == "trace": return x.trace()
    if op == "diag": return x.diag(a[1])
    if op == "nan_to_num": return x.nan_to_num()
    if op == "cat": return torch.cat(x, a[1])
    if op == "stack": return torch.stack(x, a[1])
    raise ValueError(op)

def outcome(t):
    if not isinstance(t, torch.Tensor): return {"error": {"type": "TypeError", "message": "not a tensor"}}
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "requires_grad": t.requires_grad,
            "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None, "values": values(t)}

def err(e):
    return {"type": type(e).__name__, "message": str(e).split("\n")[0]}

def run_step(step, regs, leaves):
    """Runs one step on the registers, recording its outcome in step["result"]; False if it failed."""
    name = f"r{len(regs)}"
    try:
        if step["op"] == "leaf":
            spec = step["args"][0]["t"]
            y = make(spec)
            if spec.get("requires_grad"): leaves.append(name)
        else:
            a = arg(step["args"], regs)
            if step.get("no_grad"):
                with torch.no_grad(): y = run_op(step["op"], a)
            else: y = run_op(step["op"], a)
        regs[name] = y
        step["result"] = outcome(y)
        return True
    except Exception as e:
        step["result"] = {"error": err(e)}
        return False

def finish(prog, regs, leaves, used, weights, double=None):
    """Records every register at the end, then the loss's backward and each leaf's gradient. With
    `double` (weights per leaf), a double backward instead: the leaves' gradients taken with
    create_graph (recorded: grad_fn, requires_grad, values), then the backward of
    sum((grad * double[leaf]).sum()) into the leaves' .grad."""
    prog["final"] = {k: outcome(v) for k, v in regs.items()}
    if not used: return prog
    prog["loss"] = {"terms": used, "weights": weights}
    try:
        total = sum((regs[k] * make(weights[k])).sum() for k in used)
        if double is None:
            total.backward()
        else:
            prog["loss"]["double"] = double
            gs = torch.autograd.grad(total, [regs[k] for k in leaves], create_graph=True, allow_unused=True)
            prog["first"] = {k: (outcome(g) if g is not None else None) for k, g in zip(leaves, gs)}
            terms = [(g * make(double[k])).sum() for k, g in zip(leaves, gs) if g is not None and g.requires_grad]
            if terms: sum(terms).backward()
        prog["grads"] = {k: (values(regs[k].grad) if regs[k].grad is not None else None) for k in leaves}
    except Exception as e:
        prog["backward_error"] = err(e)
    return prog

def program(rng, pid):
    regs, steps, leaves = {}, [], []
    for i in range(rng.randint(1, 2)):
        dtype = rng.choices(["float32", "float64", "int64", "bool"], [8, 1, 1, 1])[0]
        spec = fresh(rng, rshape(rng), dtype, 0.01)
        spec["requires_grad"] = dtype in FLOAT and rng.random() < 0.85
        name = f"r{len(regs)}"
        steps.append({"op": "leaf", "args": [{"t": spec}]})
        run_step(steps[-1], regs, leaves)
        if spec["requires_grad"] and rng.random() < 0.7:  # a non-leaf to work on
            steps.append({"op": "mul", "args": [name, 1.5]})
            run_step(steps[-1], regs, leaves)
    for _ in range(rng.randint(2, 7)):
        op, args = gen_step(rng, regs)
        step = {"op": op, "args": args}
        if op.endswith("_") and rng.random() < 0.15: step["no_grad"] = True
        steps.append(step)
        if not run_step(step, regs, leaves): return {"id": pid, "steps": steps}
    prog = {"id": pid, "steps": steps}
    cands = [k for k, v in regs.items() if v.requires_grad and v.dtype in (torch.float32, torch.float64)]
    used = rng.sample(cands, min(len(cands), rng.randint(1, 3))) if cands else []
    weights = {k: fresh(rng, list(regs[k].shape), str(regs[k].dtype).replace("torch.", ""), 0) for k in used}
    double = None
    if used and rng.random() < 0.3:
        double = {k: fresh(rng, list(regs[k].shape), str(regs[k].dtype).replace("torch.", ""), 0) for k in leaves}
    return finish(prog, regs, leaves, used, weights, double)

def execute(prog):
    """Runs a program's steps (and its loss, where its terms still fit) afresh, recording every outcome:
    for scripts/fuzz/shrink.ts, which removes steps from a disagreeing program."""
    regs, leaves, steps = {}, [], []
    for s in prog["steps"]:
        steps.append({k: v for k, v in s.items() if k != "result"})
        if not run_step(steps[-1], regs, leaves): return {"id": prog["id"], "steps": steps}
    loss = prog.get("loss") or {"terms": [], "weights": {}}
    used = [k for k in loss["terms"] if k in regs and regs[k].requires_grad and regs[k].dtype in (torch.float32, torch.float64)
            and list(regs[k].shape) == loss["weights"][k]["shape"]]
    double = loss.get("double")
    if double is not None and any(k not in double or list(regs[k].shape) != double[k]["shape"] for k in leaves): double = None
    return finish({"id": prog["id"], "steps": steps}, regs, leaves, used, {k: loss["weights"][k] for k in used}, double)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--out", default="test/fixtures/fuzz.json")
    ap.add_argument("--run", action="store_true", help="read programs (JSON list) on stdin, run them, write them with their outcomes on stdout")
    o = ap.parse_args()
    if o.run:
        torch.manual_seed(0)
        json.dump([execute(p) for p in json.load(sys.stdin)], sys.stdout, separators=(",", ":"))
        return
    torch.manual_seed(0)
    progs = []
    for i in range(o.count):
        rng = random.Random(o.seed * 1_000_003 + i)
        progs.append(program(rng, i))
    doc = {"generator": "scripts/fuzz/gen_fuzz_fixtures.py", "torch": torch.__version__, "seed": o.seed, "programs": progs}
    with open(o.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    errs = sum(1 for p in progs if any("error" in s["result"] for s in p["steps"]))
    print(f"{len(progs)} programs ({errs} end in an error) -> {o.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
