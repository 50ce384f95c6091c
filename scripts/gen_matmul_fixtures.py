#!/usr/bin/env python3
"""Generates test/fixtures/matmul.json: float32 torch.mm results, bit for bit, from real PyTorch.

PyTorch's float32 mm on CPU calls its BLAS's sgemm, and the summation order of that kernel decides
the last bits (and, through training, program 06's printed loss). The reference outputs of
../shared/programs were made with OpenBLAS's Cooperlake/SkylakeX kernel running threaded, so this
script pins that kernel (OPENBLAS_CORETYPE=Cooperlake, set before torch loads OpenBLAS) and records
the exact float32 bits. Inputs are torch.randn under a seed, which typetorch reproduces bit for bit,
so the fixture stores only seeds, shapes and the outputs.

Run: /usr/bin/python3 scripts/gen_matmul_fixtures.py   (generated file: do not edit by hand)
Needs Debian's python3-torch with libopenblas0-pthread, on a CPU with AVX-512 and at least 2 cores.
"""
import base64
import json
import os
import sys

os.environ["OPENBLAS_CORETYPE"] = "Cooperlake"
# OpenBLAS keeps its own thread pool (one thread per core; torch.get_num_threads() does not set it),
# and its threaded driver splits K differently: measured, 64x1000x100 matches the threaded split with
# 2 cores and the single-threaded one only under OPENBLAS_NUM_THREADS=1.
if (os.cpu_count() or 1) < 2 or os.environ.get("OPENBLAS_NUM_THREADS") == "1":
    sys.exit("needs OpenBLAS running threaded: at least 2 cores, OPENBLAS_NUM_THREADS not 1")
import torch  # noqa: E402  (must come after OPENBLAS_CORETYPE)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (m, k, n): program 06's products (or their transposed shapes, same K) (forward and backward), long-K shapes on both sides of
# OpenBLAS's threading threshold, K below, at and between the block sizes, and edges that do not
# fill a 4x4 tile. Then one or more shapes per rule of src/backend/cpu/matmul.ts (f32Plan, dotTail);
# appended so earlier shapes keep their seeds:
# - dot-style tail (n % 16 = 1..8, K >= 32, m*k*n <= 100^3): n % 16 = 1, 2, 3, 5, 6, 7 with m % 4 = 1..3
#   (the halving corner), K not a multiple of 16 (33, 47, 641);
# - no dot tail: n % 16 = 12 and 15 (more than 8 tail columns), K = 31 < 32;
# - n = 1 (one plain chain up to 100^3, driver blocks above), m = 1;
# - the small-matrix limit: 10x1000x100 (= 100^3: small, no K blocks) and 10x1001x100 (driver);
# - layouts (4th field; default "nn", both row-major): "tb" b is a transposed (column-major) view, the
#   TN kernel when m*n <= 1200 and k >= 32 (30x100x40 at the limit, 31x100x40 and K = 31 past it,
#   20x700x70 past it with threaded K blocks);
#   "ta" a is one (NT), "tt" both (TT). Same values as "nn" under the seed, only the strides differ.
SHAPES = [
    (64, 1000, 100), (64, 100, 10), (64, 10, 100), (100, 64, 10), (10, 64, 100), (100, 64, 100),
    (16, 700, 24), (8, 1000, 8), (33, 641, 17), (12, 320, 12), (9, 321, 5), (5, 7, 3), (1, 50, 1),
    (32, 784, 64),
    (35, 64, 17), (37, 100, 18), (39, 47, 19), (38, 33, 21), (7, 200, 22), (6, 40, 23), (3, 96, 20),
    (13, 100, 28), (9, 50, 31), (20, 31, 20),
    (40, 200, 1), (40, 2000, 1), (2000, 700, 1), (1, 100, 40), (1, 40, 1),
    (10, 1000, 100), (10, 1001, 100),
    (10, 64, 100, "tb"), (33, 641, 17, "tb"), (37, 33, 7, "tb"), (30, 100, 40, "tb"), (31, 100, 40, "tb"),
    (40, 31, 30, "tb"), (40, 200, 1, "tb"), (20, 700, 70, "tb"),
    (16, 700, 24, "ta"), (100, 64, 10, "ta"), (33, 641, 17, "ta"), (8, 1000, 8, "tt"), (16, 700, 24, "tt"),
    # torch.addmm(bias, a, b) with a 1-D bias drawn after b (nn.Linear: b is weight.t(), "tb"): BLAS's
    # beta = 1 path on the driver (64x300x100), the small kernels with a dot tail, TN, n = 1, and NN.
    (64, 300, 100, "tb", "bias"), (35, 64, 17, "nn", "bias"), (10, 64, 100, "tb", "bias"),
    (30, 100, 40, "tb", "bias"), (40, 200, 1, "tb", "bias"), (64, 1000, 100, "nn", "bias"),
    (16, 700, 24, "ta", "bias"),
]


def main():
    cases = []
    for i, (m, k, n, *rest) in enumerate(SHAPES):
        layout = rest[0] if rest else "nn"
        with_bias = len(rest) > 1 and rest[1] == "bias"
        seed = 100 + i
        torch.manual_seed(seed)
        a = torch.randn(m, k)
        b = torch.randn(k, n)
        if layout in ("ta", "tt"):
            a = a.t().contiguous().t()
        if layout in ("tb", "tt"):
            b = b.t().contiguous().t()
        if with_bias:
            bias = torch.randn(n)
            out = torch.addmm(bias, a, b).contiguous()
        else:
            out = torch.mm(a, b).contiguous()
        case = {"seed": seed, "m": m, "k": k, "n": n}
        if layout != "nn" or with_bias:
            case["layout"] = layout
        if with_bias:
            case["bias"] = True
        case["out"] = base64.b64encode(out.numpy().astype("<f4").tobytes()).decode("ascii")
        cases.append(case)
    meta = {
        "torch": torch.__version__,
        "openblas_coretype": os.environ["OPENBLAS_CORETYPE"],
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
    }
    with open(os.path.join(ROOT, "test", "fixtures", "matmul.json"), "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote", len(cases), "cases", meta, file=sys.stderr)


if __name__ == "__main__":
    main()
