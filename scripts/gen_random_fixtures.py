#!/usr/bin/python3
"""Writes test/fixtures/random.json: PyTorch's CPU random streams, for test/random.test.ts.

Run with the real PyTorch (1.13) this project targets:

    /usr/bin/python3 scripts/gen_random_fixtures.py

Each case is a small program: seed a generator, then run ops on it in order. The TypeScript
test replays the same ops with src/random and compares every output. Big outputs are stored as
their first 20 and last 20 values, 20 evenly spaced samples, and an exact (math.fsum) float64
sum; small ones in full. Floats are stored as the exact doubles PyTorch produced.

The "avx2" cases run in this process (PyTorch picks the AVX2 kernels on any AVX2 CPU); the
"default" cases re-run this script in a child process with ATEN_CPU_CAPABILITY=default.
"""

import base64
import json
import math
import os
import subprocess
import sys

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "random.json")
FULL_LIMIT = 64
EDGE = 20
SAMPLES = 20

torch.set_num_threads(1)


def summarize(t):
    """A JSON summary of a 1-D view of t's values, in row-major order."""
    flat = t.reshape(-1)
    vals = flat.tolist()
    if flat.dtype == torch.bool:
        vals = [int(v) for v in vals]
    n = len(vals)
    if n <= FULL_LIMIT:
        return {"n": n, "values": vals}
    step = n // SAMPLES
    idx = [i * step + step // 2 for i in range(SAMPLES)]
    return {
        "n": n,
        "head": vals[:EDGE],
        "tail": vals[-EDGE:],
        "sample_index": idx,
        "sample": [vals[i] for i in idx],
        "sum": math.fsum(float(v) for v in vals),
    }


DTYPES = {"float32": torch.float32, "float64": torch.float64}
INT_DTYPES = {
    "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8,
    "uint8": torch.uint8, "bool": torch.bool, "float32": torch.float32, "float64": torch.float64,
}


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def multinomial_weights(op):
    """The weights of a "multinomial" op: given in full, or a formula test/random.test.ts repeats.

    Formula: rows x n, w[r][i] = ((37 i + 11 r) % 101) / 7 (a zero when that is 0), and with
    zero_every = z > 0 only the entries with (i + r) % z == 0 kept (the rest 0): few positive
    weights, so that topk meets ties among the zeros.
    """
    if "weights" in op:
        return op["weights"]
    z = op.get("zero_every", 0)
    return [[0.0 if z and (i + r) % z else ((37 * i + 11 * r) % 101) / 7 for i in range(op["n"])]
            for r in range(op["rows"])]


def run_op(op, gen):
    """Runs one op on gen (None = the global generator); returns its expected output."""
    kw = {} if gen is None else {"generator": gen}
    k = op["op"]
    if k == "rand":
        return summarize(torch.rand(*op["shape"], dtype=DTYPES[op["dtype"]], **kw))
    if k == "uniform":
        t = torch.empty(*op["shape"], dtype=DTYPES[op["dtype"]])
        return summarize(t.uniform_(op["from"], op["to"], **kw))
    if k == "randn":
        return summarize(torch.randn(*op["shape"], dtype=DTYPES[op["dtype"]], **kw))
    if k == "normal":  # torch.normal(float mean, float std, size)
        return summarize(torch.normal(op["mean"], op["std"], size=tuple(op["shape"]),
                                      dtype=DTYPES[op["dtype"]], **kw))
    if k == "normal_":  # Tensor.normal_(mean, std)
        t = torch.empty(*op["shape"], dtype=DTYPES[op["dtype"]])
        return summarize(t.normal_(op["mean"], op["std"], **kw))
    if k == "normal_tensor":
        dt = DTYPES[op["dtype"]]
        mean = op["mean"] if isinstance(op["mean"], float) else torch.tensor(op["mean"], dtype=dt)
        std = op["std"] if isinstance(op["std"], float) else torch.tensor(op["std"], dtype=dt)
        return summarize(torch.normal(mean, std, **kw))
    if k == "randint":
        return summarize(torch.randint(op["low"], op["high"], tuple(op["shape"]),
                                       dtype=INT_DTYPES[op.get("dtype", "int64")], **kw))
    if k == "randperm":
        return summarize(torch.randperm(op["n"], **kw))
    if k == "random_int64":
        return str(torch.empty((), dtype=torch.int64).random_(**kw).item())
    if k == "random_":
        t = torch.empty(op["n"], dtype=INT_DTYPES[op["dtype"]])
        return summarize(t.random_(**kw))
    if k == "bernoulli":
        t = torch.empty(op["n"], dtype=DTYPES[op["dtype"]])
        return summarize(t.bernoulli_(op["p"], **kw))
    if k == "bernoulli_tensor":  # torch.bernoulli(probs)
        return summarize(torch.bernoulli(torch.tensor(op["probs"], dtype=DTYPES[op["probs_dtype"]]), **kw))
    if k == "dropout":  # F.dropout on a ones tensor: 0 or 1/(1-p), the mask is bernoulli_(1-p)
        assert gen is None
        return summarize(F.dropout(torch.ones(op["n"]), op["p"], training=True))
    if k == "dataloader":
        # DataLoader(TensorDataset(arange(n)), batch_size, shuffle=True), num_workers=0: the
        # index order of each epoch, and the batch sizes.
        assert gen is None
        loader = DataLoader(TensorDataset(torch.arange(op["n"])), batch_size=op["batch_size"],
                            shuffle=True)
        epochs = []
        for _ in range(op["epochs"]):
            batches = [b[0].tolist() for b in loader]
            epochs.append({"order": [i for b in batches for i in b],
                           "batch_sizes": [len(b) for b in batches]})
        return epochs
    if k == "exponential":  # Tensor.exponential_(lambd)
        t = torch.empty(*op["shape"], dtype=DTYPES[op["dtype"]])
        return summarize(t.exponential_(op["lambd"], **kw))
    if k == "multinomial":  # torch.multinomial(weights, k, replacement), int64 indices
        p = torch.tensor(multinomial_weights(op), dtype=DTYPES[op["dtype"]])
        if op.get("transpose"):
            p = p.t()
        if op.get("oned"):
            p = p[0]
        return summarize(torch.multinomial(p, op["k"], op["replacement"], **kw))
    if k == "state":
        state = torch.get_rng_state() if gen is None else gen.get_state()
        return base64.b64encode(bytes(state.tolist())).decode("ascii")
    if k == "initial_seed":
        return str(torch.initial_seed() if gen is None else gen.initial_seed())
    raise ValueError(k)


def run_case(case):
    gen = None
    if case["gen"] == "global":
        torch.manual_seed(case["seed"])
    else:
        gen = torch.Generator()
        if case["seed"] is not None:
            gen.manual_seed(case["seed"])
    return [run_op(op, gen) for op in case["ops"]]


def R(op, **kw):
    return dict(op=op, **kw)


def avx2_cases():
    f32, f64 = "float32", "float64"
    cases = [
        # The streams a user's training program depends on (MLP weights and data).
        dict(name="program: randn(64,1000), randn(64,10), randn(1000,100), randn(100,10)",
             gen="global", seed=0,
             ops=[R("randn", shape=[64, 1000], dtype=f32), R("randn", shape=[64, 10], dtype=f32),
                  R("randn", shape=[1000, 100], dtype=f32), R("randn", shape=[100, 10], dtype=f32)]),
        dict(name="rand(100,1) then randn(100,1)", gen="global", seed=0,
             ops=[R("rand", shape=[100, 1], dtype=f32), R("randn", shape=[100, 1], dtype=f32),
                  R("random_int64"), R("random_int64"), R("randn", shape=[3], dtype=f32)]),
        dict(name="DataLoader(TensorDataset(arange(100)), batch_size=32, shuffle=True), 2 epochs",
             gen="global", seed=0,
             ops=[R("dataloader", n=100, batch_size=32, epochs=2), R("randn", shape=[3], dtype=f32)]),
        dict(name="rand(100,1), randn(100,1), then a shuffled DataLoader for 2 epochs",
             gen="global", seed=0,
             ops=[R("rand", shape=[100, 1], dtype=f32), R("randn", shape=[100, 1], dtype=f32),
                  R("dataloader", n=100, batch_size=10, epochs=2), R("randn", shape=[3], dtype=f32)]),
        dict(name="randn float32 around the 16-element paths", gen="global", seed=0,
             ops=[R("randn", shape=[n], dtype=f32) for n in (7, 15, 16, 17, 31, 33, 1000, 1, 2, 3)]),
        dict(name="randn(17) with seed 42", gen="global", seed=42,
             ops=[R("randn", shape=[17], dtype=f32)]),
        dict(name="randn 7, 7 share a Box-Muller pair; 17 leaves the cache alone", gen="global",
             seed=3,
             ops=[R("randn", shape=[7], dtype=f32), R("randn", shape=[7], dtype=f32),
                  R("randn", shape=[17], dtype=f32), R("randn", shape=[1], dtype=f32),
                  R("state")]),
        dict(name="randn float64", gen="global", seed=0,
             ops=[R("randn", shape=[5], dtype=f64), R("randn", shape=[16], dtype=f64),
                  R("randn", shape=[33], dtype=f64), R("randn", shape=[1000], dtype=f64)]),
        dict(name="rand float64 and float32", gen="global", seed=0,
             ops=[R("rand", shape=[5], dtype=f64), R("rand", shape=[5], dtype=f32),
                  R("rand", shape=[1000], dtype=f64), R("rand", shape=[1000], dtype=f32)]),
        dict(name="torch.normal with float mean and std", gen="global", seed=0,
             ops=[R("normal", mean=0.0, std=1.0, shape=[1000, 2], dtype=f32),
                  R("normal", mean=0.0, std=0.01, shape=[1000], dtype=f32),
                  R("normal", mean=0.0, std=0.01, shape=[2, 1], dtype=f32),
                  R("normal", mean=0.3, std=0.7, shape=[100], dtype=f32),
                  R("normal", mean=-2.5, std=3.0, shape=[9], dtype=f32),
                  R("normal", mean=0.3, std=0.7, shape=[100], dtype=f64),
                  R("normal", mean=0.3, std=0.7, shape=[9], dtype=f64)]),
        dict(name="normal_(mean, std) in place", gen="global", seed=7,
             ops=[R("normal_", mean=0.0, std=0.02, shape=[128, 64], dtype=f32),
                  R("normal_", mean=1.0, std=0.02, shape=[64], dtype=f32),
                  R("normal_", mean=0.5, std=2.0, shape=[10], dtype=f32)]),
        dict(name="torch.normal with tensor mean and/or std", gen="global", seed=1,
             ops=[R("normal_tensor", mean=[i / 4 - 1 for i in range(5)], std=[0.1 + i / 5 for i in range(5)], dtype=f32),
                  R("normal_tensor", mean=[i / 20 - 1 for i in range(40)], std=[0.1 + i / 20 for i in range(40)], dtype=f32),
                  R("normal_tensor", mean=[i / 20 - 1 for i in range(40)], std=0.5, dtype=f32),
                  R("normal_tensor", mean=[i / 4 - 1 for i in range(5)], std=0.5, dtype=f32),
                  R("normal_tensor", mean=0.3, std=[0.1 + i / 20 for i in range(40)], dtype=f32),
                  R("normal_tensor", mean=0.3, std=[0.1 + i / 5 for i in range(5)], dtype=f32),
                  R("normal_tensor", mean=[i / 20 - 1 for i in range(40)], std=[0.1 + i / 20 for i in range(40)], dtype=f64)]),
        dict(name="uniform_ (kaiming-style bounds)", gen="global", seed=0,
             ops=[R("uniform", shape=[3, 4], dtype=f32, **{"from": -0.5, "to": 0.5}),
                  R("uniform", shape=[128, 784], dtype=f32, **{"from": -1 / math.sqrt(784), "to": 1 / math.sqrt(784)}),
                  R("uniform", shape=[128], dtype=f32, **{"from": -1 / math.sqrt(784), "to": 1 / math.sqrt(784)}),
                  R("uniform", shape=[1000], dtype=f32, **{"from": -0.37, "to": 0.91}),
                  R("uniform", shape=[1000], dtype=f64, **{"from": -0.37, "to": 0.91}),
                  R("uniform", shape=[5], dtype=f32, **{"from": 2.0, "to": 2.0})]),
        dict(name="randint", gen="global", seed=0,
             ops=[R("randint", low=0, high=10, shape=[20]),
                  R("randint", low=0, high=10, shape=[20], dtype="int32"),
                  R("randint", low=-5, high=1000003, shape=[30]),
                  R("randint", low=0, high=2**32, shape=[5]),
                  R("randint", low=-2**40, high=2**40, shape=[5]),
                  R("randint", low=0, high=60000, shape=[1000])]),
        dict(name="randperm", gen="global", seed=0,
             ops=[R("randperm", n=10), R("randperm", n=1000), R("randperm", n=0), R("randperm", n=1),
                  R("randperm", n=2), R("randperm", n=100000)]),
        dict(name="randperm on a fresh torch.Generator() (default seed 67280421310721)",
             gen="private", seed=None,
             ops=[R("initial_seed"), R("randperm", n=5), R("randn", shape=[3], dtype=f32)]),
        dict(name="private generator with a big seed", gen="private", seed=3969543146641149120,
             ops=[R("initial_seed"), R("randperm", n=20), R("state")]),
        dict(name="random_ without bounds", gen="global", seed=0,
             ops=[R("random_int64"), R("random_int64")] +
                 [R("random_", n=6, dtype=d) for d in ("int32", "int16", "int8", "uint8", "bool", "float32", "float64")]),
        dict(name="bernoulli_(p) and dropout", gen="global", seed=0,
             ops=[R("bernoulli", n=10, p=0.5, dtype=f32), R("bernoulli", n=1000, p=0.5, dtype=f32),
                  R("bernoulli", n=100, p=0.9, dtype=f64), R("dropout", n=1000, p=0.3),
                  R("dropout", n=20, p=0.5),
                  R("bernoulli_tensor", probs=[i / 49 for i in range(50)], probs_dtype=f32),
                  R("bernoulli_tensor", probs=[i / 49 for i in range(50)], probs_dtype=f64)]),
        dict(name="state bytes after seeding and after draws", gen="global", seed=0,
             ops=[R("state"), R("randn", shape=[3], dtype=f32), R("state"),
                  R("randint", low=0, high=10, shape=[700]), R("state")]),
        dict(name="negative seed", gen="global", seed=-1,
             ops=[R("initial_seed"), R("rand", shape=[3], dtype=f32)]),
    ]
    cases += multinomial_cases()
    return cases


def multinomial_cases():
    f32, f64 = "float32", "float64"
    M = lambda **kw: R("multinomial", **kw)  # noqa: E731
    w4 = [[1.0, 2.0, 3.0, 4.0]]
    rows3 = [[1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0, 1.0]]
    cases = [
        dict(name="exponential_ float32 and float64, several lambd", gen="global", seed=0,
             ops=[R("exponential", shape=[5], dtype=f32, lambd=1.0),
                  R("exponential", shape=[1000], dtype=f32, lambd=1.0),
                  R("exponential", shape=[17], dtype=f32, lambd=0.5),
                  R("exponential", shape=[5], dtype=f64, lambd=1.0),
                  R("exponential", shape=[1000], dtype=f64, lambd=1.0),
                  R("exponential", shape=[33], dtype=f64, lambd=3.7),
                  R("exponential", shape=[10, 30], dtype=f32, lambd=2.0),
                  R("randn", shape=[3], dtype=f32)]),
        dict(name="exponential_ on a private generator", gen="private", seed=42,
             ops=[R("exponential", shape=[100000], dtype=f32, lambd=1.0),
                  R("exponential", shape=[100000], dtype=f64, lambd=1.0), R("state")]),
    ]
    for seed in (0, 1, 42):
        for dt in (f32, f64):
            cases.append(dict(
                name=f"multinomial small 1-D and 2-D, {dt}, seed {seed}", gen="global", seed=seed,
                ops=[M(weights=w4, oned=True, k=1, replacement=False, dtype=dt),
                     M(weights=w4, oned=True, k=2, replacement=False, dtype=dt),
                     M(weights=w4, oned=True, k=4, replacement=False, dtype=dt),
                     M(weights=w4, oned=True, k=10, replacement=True, dtype=dt),
                     M(weights=[[0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 1.0, 0.0]], oned=True, k=8,
                       replacement=False, dtype=dt),
                     M(weights=rows3, k=1, replacement=False, dtype=dt),
                     M(weights=rows3, k=3, replacement=False, dtype=dt),
                     M(weights=rows3, k=5, replacement=False, dtype=dt),
                     M(weights=rows3, k=7, replacement=True, dtype=dt),
                     M(weights=[[1e-30, 1.0, 1e30]], oned=True, k=3, replacement=False, dtype=dt),
                     M(weights=[[1e-30, 1.0, 1e30]], oned=True, k=5, replacement=True, dtype=dt),
                     R("randint", low=0, high=1000, shape=[3])]))
    cases.append(dict(
        name="multinomial of a transposed matrix (its exponential_ fills column by column)",
        gen="global", seed=2,
        ops=[M(weights=[[float(1 + (3 * i + j) % 7) for j in range(4)] for i in range(5)],
               transpose=True, k=3, replacement=False, dtype="float32"),
             M(weights=[[float(1 + (3 * i + j) % 7) for j in range(4)] for i in range(5)],
               transpose=True, k=6, replacement=True, dtype="float32"),
             R("randint", low=0, high=1000, shape=[3])]))
    for seed in (0, 7):
        for dt in (f32, f64):
            cases.append(dict(
                name=f"multinomial large category counts (topk paths, ties among zeros), {dt}, seed {seed}",
                gen="global", seed=seed,
                ops=[M(n=1000, rows=1, oned=True, k=1, replacement=False, dtype=dt),
                     M(n=1000, rows=1, oned=True, k=15, replacement=False, dtype=dt),  # partial_sort
                     M(n=1000, rows=1, oned=True, k=16, replacement=False, dtype=dt),  # nth_element
                     M(n=1000, rows=1, oned=True, k=1000, replacement=False, dtype=dt),
                     M(n=5000, rows=2, zero_every=500, k=20, replacement=False, dtype=dt),
                     M(n=5000, rows=2, zero_every=500, k=100, replacement=False, dtype=dt),
                     M(n=300, rows=3, zero_every=7, k=300, replacement=False, dtype=dt),
                     M(n=20000, rows=1, oned=True, k=5000, replacement=True, dtype=dt),
                     M(n=3000, rows=4, zero_every=3, k=700, replacement=True, dtype=dt),
                     M(n=100000, rows=1, oned=True, k=1000, replacement=False, dtype=dt),
                     R("randint", low=0, high=1000, shape=[3])]))
    cases.append(dict(
        name="multinomial on a private generator", gen="private", seed=5,
        ops=[M(weights=rows3, k=2, replacement=False, dtype=f32),
             M(n=500, rows=2, k=40, replacement=True, dtype=f64), R("state")]))
    return cases


def multinomial_errors():
    """The messages of torch.multinomial and exponential_ for bad input, by case name (the test
    repeats each call by its name)."""
    inf, nan = float("inf"), float("nan")
    calls = [
        ("negative weight", lambda: torch.multinomial(torch.tensor([1.0, -1.0]), 1)),
        ("negative weight, replacement", lambda: torch.multinomial(torch.tensor([1.0, -1.0]), 1, True)),
        ("inf weight", lambda: torch.multinomial(torch.tensor([1.0, inf]), 1)),
        ("inf weight, replacement", lambda: torch.multinomial(torch.tensor([1.0, inf]), 1, True)),
        ("nan weight", lambda: torch.multinomial(torch.tensor([1.0, nan]), 1)),
        ("nan weight, replacement", lambda: torch.multinomial(torch.tensor([1.0, nan]), 1, True)),
        ("zero sum", lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1)),
        ("zero sum, replacement", lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1, True)),
        ("a zero-sum row", lambda: torch.multinomial(torch.tensor([[1.0, 1.0], [0.0, 0.0]]), 1)),
        ("a zero-sum row, replacement", lambda: torch.multinomial(torch.tensor([[1.0, 1.0], [0.0, 0.0]]), 1, True)),
        ("more samples than categories", lambda: torch.multinomial(torch.tensor([1.0, 1.0]), 3)),
        ("zero samples", lambda: torch.multinomial(torch.tensor([1.0, 1.0]), 0)),
        ("negative samples", lambda: torch.multinomial(torch.tensor([1.0, 1.0]), -1, True)),
        ("3-D", lambda: torch.multinomial(torch.ones(2, 2, 2), 1)),
        ("0-D", lambda: torch.multinomial(torch.tensor(1.0), 1)),
        ("int64 weights", lambda: torch.multinomial(torch.tensor([1, 2]), 1)),
        ("no categories, replacement", lambda: torch.multinomial(torch.ones(0), 1, True)),
        ("exponential_ with negative lambd", lambda: torch.empty(3).exponential_(-1)),
        ("exponential_ with lambd -1e-7", lambda: torch.empty(3).exponential_(-1e-7)),
        ("exponential_ with lambd nan", lambda: torch.empty(3).exponential_(nan)),
        ("exponential_ on int64", lambda: torch.empty(3, dtype=torch.int64).exponential_()),
    ]
    out = []
    for name, f in calls:
        try:
            f()
            msg = None
        except RuntimeError as e:
            msg = str(e)
        out.append({"name": name, "error": msg})
    return out


def default_cases():
    f32, f64 = "float32", "float64"
    return [
        dict(name="default build: randn/normal float32 and float64", gen="global", seed=0,
             ops=[R("randn", shape=[1000], dtype=f32), R("randn", shape=[7], dtype=f32),
                  R("normal", mean=0.3, std=0.7, shape=[100], dtype=f32),
                  R("normal", mean=0.3, std=0.7, shape=[100], dtype=f64),
                  R("normal", mean=0.3, std=0.7, shape=[9], dtype=f32)]),
        dict(name="default build: uniform_", gen="global", seed=0,
             ops=[R("uniform", shape=[1000], dtype=f32, **{"from": -0.37, "to": 0.91}),
                  R("uniform", shape=[1000], dtype=f64, **{"from": -0.37, "to": 0.91})]),
    ]


def capability():
    return torch.__config__.show().split("CPU capability usage:")[1].split()[0]


def run_cases(cases):
    out = []
    for case in cases:
        # Seeds as strings: some exceed 2^53 and would not survive JSON.parse as numbers.
        seed = None if case["seed"] is None else str(case["seed"])
        out.append(dict(case, seed=seed, expect=run_case(case)))
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--default-only":
        json.dump({"capability": capability(), "cases": run_cases(default_cases())}, sys.stdout)
        return
    cap = capability()
    if cap not in ("AVX2", "AVX512"):
        sys.exit(f"expected PyTorch to pick its AVX2 kernels, but it uses {cap}")
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--default-only"],
                           env=dict(os.environ, ATEN_CPU_CAPABILITY="default"),
                           check=True, capture_output=True, text=True)
    default = json.loads(child.stdout)
    if default["capability"] != "NO":
        sys.exit(f"ATEN_CPU_CAPABILITY=default was not honoured: {default['capability']}")
    fixture = {
        "generated_by": "scripts/gen_random_fixtures.py (generated, do not edit)",
        "torch_version": torch.__version__,
        "capabilities": {
            "avx2": run_cases(avx2_cases()),
            "default": default["cases"],
        },
        "multinomial_errors": multinomial_errors(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
