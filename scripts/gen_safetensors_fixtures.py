"""Fixtures for test/safetensors.test.ts: safetensors files written on the PyTorch side.

The `safetensors` Python package cannot be installed here (no pip index; Debian has no
python3-safetensors), so the files are written by the small writer below, which follows the format's
specification and the Rust crate's source (safetensors/src/tensor.rs: `prepare` sorts tensors by
dtype, largest alignment first in its `Dtype` enum order, then by name; the header is serde_json's
compact JSON with `__metadata__` first; it is padded with spaces to a multiple of 8), with the
tensors' bytes from PyTorch itself. `read_file` below is the matching reader, used by
scripts/check_dtypes_in_pytorch.py on files typetorch writes.
Run: /usr/bin/python3 scripts/gen_safetensors_fixtures.py
"""
import json
import math
import os
import struct

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "safetensors")

CODE = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
        torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
DTYPE = {v: k for k, v in CODE.items()}
# the Rust crate's Dtype enum, in declaration (= Ord) order
ORDER = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ",
         "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64"]


def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.numel() == 0:
        return b""
    return t.view(-1).view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else t.to(torch.uint8).numpy().tobytes()


def write_bytes(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(CODE[kv[1].dtype]), kv[0].encode("utf-8")))
    header, datas, off = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {"dtype": CODE[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        datas.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(datas)


def read_file(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", None)
    out = {}
    for name, info in header.items():
        s, e = info["data_offsets"]
        raw = bytearray(data[8 + n + s:8 + n + e])
        dt = DTYPE[info["dtype"]]
        if len(raw) == 0:
            out[name] = torch.empty(info["shape"], dtype=dt)
        elif dt == torch.bool:
            out[name] = torch.frombuffer(raw, dtype=torch.uint8).to(torch.bool).reshape(info["shape"])
        else:
            out[name] = torch.frombuffer(raw, dtype=dt).reshape(info["shape"]).clone()
    return out, meta, header


def num(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return str(v)
    if isinstance(v, float) and v == 0 and math.copysign(1, v) < 0:
        return "-0.0"
    return v


def enc(t):
    flat = t.reshape(-1)
    vals = flat.double().tolist() if t.dtype.is_floating_point else flat.tolist()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": [num(v) for v in vals]}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    files = {
        "all_dtypes": ({
            "f32": torch.tensor([[1.5, -0.0], [float("inf"), 3e-40]]),
            "f64": torch.tensor([math.pi, -1e300], dtype=torch.float64),
            "f16": torch.tensor([0.1, 65504.0, -6e-8, float("nan")], dtype=torch.float16),
            "bf16": torch.tensor([0.1, 3e38, -1e-39], dtype=torch.bfloat16),
            "i64": torch.tensor([0, -1, 2 ** 53, -(2 ** 40)], dtype=torch.int64),
            "i32": torch.tensor([-(2 ** 31), 2 ** 31 - 1], dtype=torch.int32),
            "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
            "i8": torch.tensor([-128, 127], dtype=torch.int8),
            "u8": torch.tensor([[0, 1], [254, 255]], dtype=torch.uint8),
            "bool": torch.tensor([True, False, True]),
            "scalar": torch.tensor(2.5),
            "empty": torch.zeros(0, 3),
        }, None),
        "model": ({"weight": lin.weight.detach(), "bias": lin.bias.detach(), "a.b.half": lin.weight.detach().half(), "Z": torch.arange(5, dtype=torch.int64)}, {"format": "pt"}),
        "same_dtype_names": ({"b": torch.ones(2), "a": torch.zeros(1), "B": torch.ones(1), "a2": torch.ones(3), "é": torch.ones(1), "z": torch.ones(1)}, None),
    }
    expected = {}
    for name, (tensors, meta) in files.items():
        with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
            f.write(write_bytes(tensors, meta))
        back, m, header = read_file(os.path.join(OUT, name + ".safetensors"))
        assert m == meta and set(back) == set(tensors)
        for k in tensors:
            assert back[k].dtype == tensors[k].dtype and torch.equal(back[k].float().nan_to_num(7), tensors[k].float().nan_to_num(7))
        expected[name] = {"metadata": meta, "tensors": {k: enc(v) for k, v in tensors.items()}, "order": list(header.keys())}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, allow_nan=False)
    print("wrote", list(files))
