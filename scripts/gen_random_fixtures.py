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
    return cases


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
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
