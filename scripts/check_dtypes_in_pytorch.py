"""The other direction of test/dtypes.test.ts and test/safetensors.test.ts: files typetorch writes
(.pt and .safetensors, every dtype) read by real PyTorch and checked byte for byte.

Runs a small TypeScript program (npx tsx) that builds tensors of each dtype from the same float64
values as below and saves them; PyTorch then loads the .pt with torch.load and the .safetensors with
the spec reader in gen_safetensors_fixtures.py (the `safetensors` package is not installable here),
and compares each tensor's raw bytes with the tensor PyTorch builds itself.
Run: /usr/bin/python3 scripts/check_dtypes_in_pytorch.py   (prints one line per check; exit 1 on a failure)
"""
import json
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(__file__))
from gen_safetensors_fixtures import read_file, tensor_bytes  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VALUES = {
    "float16": [0.1, -2.5, 65504.0, 6e-8, 1e5, -0.0, 1 / 3],
    "bfloat16": [0.1, -2.5, 3e38, 1e-39, 1 / 3, 257.0],
    "uint8": [0, 1, 128, 255, 7],
    "int8": [-128, -1, 0, 127],
    "int16": [-32768, -1, 0, 32767],
    "float32": [0.1, -2.5],
    "int64": [0, -(2 ** 40), 2 ** 53],
    "bool": [1, 0, 1],
}
PROGRAM = r"""
import * as torch from "__ROOT__/src/index.js";
const values = JSON.parse(process.argv[3]!) as Record<string, number[]>;
const out = process.argv[2]!;
const t: Record<string, torch.Tensor> = {};
for (const [k, v] of Object.entries(values)) {
  const d = (torch as unknown as Record<string, torch.DType>)[k]!;
  t[k] = k === "bool" ? torch.tensor(v.map((x) => x !== 0)) : torch.tensor(v, { dtype: torch.float64 }).to(d);
}
t["u8_t"] = torch.arange(6, { dtype: torch.uint8 }).reshape(2, 3).t();
torch.save(t, out + "/all.pt");
torch.safetensors.saveFile(t, out + "/all.safetensors", { source: "typetorch" });
"""


def main():
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "w.ts")
        with open(prog, "w") as f:
            f.write(PROGRAM.replace("__ROOT__", ROOT))
        subprocess.run(["npx", "tsx", prog, tmp, json.dumps(VALUES)], cwd=ROOT, check=True)
        want = {k: (torch.tensor(v, dtype=torch.float64).to(getattr(torch, k)) if k != "bool" else torch.tensor([x != 0 for x in v])) for k, v in VALUES.items()}
        want["u8_t"] = torch.arange(6, dtype=torch.uint8).reshape(2, 3).t()
        pt = torch.load(os.path.join(tmp, "all.pt"))
        st, meta, _ = read_file(os.path.join(tmp, "all.safetensors"))
        for where, got_all in [(".pt", pt), (".safetensors", st)]:
            for k, w in want.items():
                g = got_all[k]
                ok = g.dtype == w.dtype and g.shape == w.shape and tensor_bytes(g) == tensor_bytes(w)
                if where == ".pt":
                    ok = ok and g.stride() == w.stride()
                print(("ok  " if ok else "FAIL"), where, k, g.dtype, g.reshape(-1).tolist())
                fails += not ok
        ok = meta == {"source": "typetorch"}
        print(("ok  " if ok else "FAIL"), ".safetensors metadata", meta)
        fails += not ok
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
