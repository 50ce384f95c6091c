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
import torch  # noqa: E402  (must come after OPENBLAS_CORETYPE)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (m, k, n): program 06's products (or their transposed shapes, same K) (forward and backward), long-K shapes on both sides of
# OpenBLAS's threading threshold, K below, at and between the block sizes, and edges that do not
# fill a 4x4 tile.
SHAPES = [
    (64, 1000, 100), (64, 100, 10), (64, 10, 100), (100, 64, 10), (10, 64, 100), (100, 64, 100),
    (16, 700, 24), (8, 1000, 8), (33, 641, 17), (12, 320, 12), (9, 321, 5), (5, 7, 3), (1, 50, 1),
    (32, 784, 64),
]


def main():
    cases = []
    for i, (m, k, n) in enumerate(SHAPES):
        seed = 100 + i
        torch.manual_seed(seed)
        a = torch.randn(m, k)
        b = torch.randn(k, n)
        out = torch.mm(a, b).contiguous()
        cases.append({
            "seed": seed, "m": m, "k": k, "n": n,
            "out": base64.b64encode(out.numpy().astype("<f4").tobytes()).decode("ascii"),
        })
    meta = {
        "torch": torch.__version__,
        "openblas_coretype": os.environ["OPENBLAS_CORETYPE"],
        "threads": torch.get_num_threads(),
    }
    with open(os.path.join(ROOT, "test", "fixtures", "matmul.json"), "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote", len(cases), "cases", meta, file=sys.stderr)


if __name__ == "__main__":
    main()
