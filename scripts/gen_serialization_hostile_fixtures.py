"""Writes test/fixtures/serialization/hostile.json: hostile and corrupt .pt inputs and what real
PyTorch (1.13) does with each, for test/serialization_hostile.test.ts (issue 12).

Each case is one input and PyTorch's outcome: {"ok": facts} (facts the test checks on typetorch's
result) or {"error": [Python class, message]}. Inputs come in four kinds:
- "pkl": a data.pkl (base64) and its storage records, put in a PyTorch zip archive;
- "file": a whole file (base64);
- "recipe": a large pickle both sides build from a short recipe (deep nesting, a million items, a
  1 MB integer); its sha256 proves the two builders agree;
- "mutate": a committed fixture with byte edits (truncate, set, insert), sha256 of the result.
Nothing a case holds names a Python global that would run code, so PyTorch's default (unsafe)
torch.load is safe to run on all of them.

Run from the repository root:  /usr/bin/python3 scripts/gen_serialization_hostile_fixtures.py
Generated file: do not edit by hand.
"""
import base64
import collections
import hashlib
import io
import json
import os
import pickle
import struct
import tarfile
import tempfile
import warnings
import zipfile

import torch

warnings.filterwarnings("ignore")
HERE = os.path.dirname(__file__)
FIX = os.path.join(HERE, "..", "test", "fixtures", "serialization")
TMP = tempfile.mkdtemp(prefix="typetorch-hostile-")
cases = []


# ------------------------------------------------------------------------------ pickle opcodes
def u32(n):
    return struct.pack("<I", n)


def pint(v):
    """A Python int as CPython's protocol-2 pickler writes it."""
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if 0 <= v < 65536:
        return b"M" + struct.pack("<H", v)
    if -(2**31) <= v < 2**31:
        return b"J" + struct.pack("<i", v)
    n = (v.bit_length() + 8) // 8 if v >= 0 else ((~v).bit_length() + 8) // 8
    b = v.to_bytes(n, "little", signed=True)
    return (b"\x8a" + bytes([n]) if n < 256 else b"\x8b" + u32(n)) + b


def pstr(s):
    b = s.encode()
    return b"X" + u32(len(b)) + b


def ptuple(items):
    return b"(" + b"".join(items) + b"t"


PROTO = b"\x80\x02"
OD = b"ccollections\nOrderedDict\n)R"


def tensor_pkl(offset=0, size=(4,), stride=(1,), numel=4, storage=b"FloatStorage", key="0", pid=None):
    """_rebuild_tensor_v2 of one storage, each argument given as Python values or raw opcodes."""
    enc = lambda v: v if isinstance(v, bytes) else pint(v)
    encs = lambda t: t if isinstance(t, bytes) else ptuple([enc(x) for x in t])
    if pid is None:
        pid = ptuple([pstr("storage"), b"ctorch\n" + storage + b"\n", pstr(key), pstr("cpu"), enc(numel)])
    return (PROTO + b"ctorch._utils\n_rebuild_tensor_v2\n(" + pid + b"Q" + enc(offset) + encs(size) + encs(stride)
            + b"\x89" + OD + b"tR.")


F4 = struct.pack("<4f", 1, 2, 3, 4)


# ------------------------------------------------------------------------------ running PyTorch
def summarize(v):
    """Facts about a loaded value that the TypeScript test can check on its own result."""
    if torch.is_tensor(v):
        flat = v.detach().reshape(-1).tolist() if v.numel() <= 64 else None
        return {"tensor": {"dtype": str(v.dtype)[6:], "shape": list(v.shape), "stride": list(v.stride()), "offset": v.storage_offset(),
                           "values": [x if x == x else "nan" for x in flat] if flat is not None else None}}
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else {"bigint": str(v)}
    if isinstance(v, float):
        return v if v == v and abs(v) != float("inf") else {"float": str(v)}
    if isinstance(v, collections.OrderedDict):
        return {"odict": [[summarize(k), summarize(x)] for k, x in v.items()], "attrs": sorted(v.__dict__)}
    if isinstance(v, dict):
        return {"dict": [[summarize(k), summarize(x)] for k, x in v.items()]}
    if isinstance(v, list):
        return {"list": [summarize(x) for x in v]}
    if isinstance(v, tuple):
        return {"tuple": [summarize(x) for x in v]}
    return {"other": type(v).__name__}


def pytorch(data, facts=None):
    path = os.path.join(TMP, "case.pt")
    with open(path, "wb") as f:
        f.write(data)
    try:
        r = torch.load(path)
    except BaseException as e:  # noqa: BLE001 -- recording what PyTorch raises is the point
        return {"error": [type(e).__name__, str(e)]}
    return {"ok": facts(r) if facts else summarize(r)}


def archive(pkl, storages):
    path = os.path.join(TMP, "archive.pt")
    w = torch._C.PyTorchFileWriter(path)
    w.write_record("data.pkl", pkl, len(pkl))
    for k, v in storages.items():
        w.write_record(f"data/{k}", v, len(v))
    w.write_record("version", b"3\n", 2)
    w.write_end_of_file()
    del w
    with open(path, "rb") as f:
        return f.read()


def b64(b):
    return base64.b64encode(b).decode()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def pkl_case(name, what, pkl, storages=None, facts=None):
    storages = storages or {}
    cases.append({"name": name, "what": what, "input": {"kind": "pkl", "pkl": b64(pkl), "storages": {k: b64(v) for k, v in storages.items()}},
                  "pytorch": pytorch(archive(pkl, storages), facts)})


def file_case(name, what, data, facts=None):
    cases.append({"name": name, "what": what, "input": {"kind": "file", "file": b64(data)}, "pytorch": pytorch(data, facts)})


# ------------------------------------------------------------------------------ recipes (mirrored in the test)
def recipe(name, n):
    if name == "deep_list":  # n nested lists: [[[...[]...]]]
        return PROTO + b"]" * n + b"a" * (n - 1) + b"."
    if name == "deep_tuple":  # n nested 1-tuples around ()
        return PROTO + b")" + b"\x85" * n + b"."
    if name == "deep_dict":  # n nested dicts {"k": {"k": ... None}}
        return PROTO + (b"}" + pstr("k")) * n + b"N" + b"s" * n + b"."
    if name == "deep_marks":  # n nested lists built with MARK ... LIST
        return PROTO + b"(" * n + b"l" * n + b"."
    if name == "flat_appends":  # one list of n ints, one APPENDS
        return PROTO + b"](" + b"K\x01" * n + b"e."
    if name == "flat_setitems":  # one dict of n int keys, one SETITEMS
        return PROTO + b"}(" + b"".join(b"J" + struct.pack("<i", i) + b"N" for i in range(n)) + b"u."
    if name == "long4":  # one LONG4 of n bytes, positive
        return PROTO + b"\x8b" + u32(n) + bytes((i * 7 + 1) & 0xFF for i in range(n - 1)) + b"\x5a."
    if name == "long4_neg":  # one LONG4 of n bytes, negative
        return PROTO + b"\x8b" + u32(n) + bytes((i * 7 + 1) & 0xFF for i in range(n - 1)) + b"\xa5."
    if name == "memo_fanout":  # a list holding itself n times (one object, n references)
        return PROTO + b"]q\x00(" + b"h\x00" * n + b"e."
    raise ValueError(name)


def depth(v):
    d = 0
    while isinstance(v, (list, tuple, dict)) and len(v):
        v = v["k"] if isinstance(v, dict) else v[0]
        d += 1
    return d


RECIPE_FACTS = {
    "deep_list": lambda v: {"depth": depth(v)},
    "deep_tuple": lambda v: {"depth": depth(v)},
    "deep_dict": lambda v: {"depth": depth(v)},
    "deep_marks": lambda v: {"depth": depth(v)},
    "flat_appends": lambda v: {"len": len(v), "sum": sum(v)},
    "flat_setitems": lambda v: {"len": len(v), "last": max(v)},
    "long4": lambda v: {"bits": v.bit_length(), "neg": v < 0, "low64": str(v % 2**64), "high64": str(abs(v) >> (abs(v).bit_length() - 64))},
    "long4_neg": lambda v: {"bits": v.bit_length(), "neg": v < 0, "low64": str(v % 2**64), "high64": str(abs(v) >> (abs(v).bit_length() - 64))},
    "memo_fanout": lambda v: {"len": len(v), "self": all(x is v for x in v)},
}


def recipe_case(name, what, recipe_name, n):
    pkl = recipe(recipe_name, n)
    cases.append({"name": name, "what": what, "input": {"kind": "recipe", "recipe": recipe_name, "n": n, "sha256": sha(pkl)},
                  "pytorch": pytorch(archive(pkl, {}), RECIPE_FACTS[recipe_name])})


def mutate(base, ops):
    with open(os.path.join(FIX, base), "rb") as f:
        b = bytearray(f.read())
    for op in ops:
        if op[0] == "truncate":
            del b[op[1]:]
        elif op[0] == "set":
            at = op[1] if op[1] >= 0 else len(b) + op[1]
            b[at:at + len(op[2]) // 2] = bytes.fromhex(op[2])
        elif op[0] == "insert":
            b[op[1]:op[1]] = bytes.fromhex(op[2])
        elif op[0] == "splice":
            b[op[1]:op[1] + op[2]] = bytes.fromhex(op[3])
    return bytes(b)


def mutate_case(name, what, base, ops, facts=None):
    data = mutate(base, ops)
    cases.append({"name": name, "what": what, "input": {"kind": "mutate", "base": base, "ops": ops, "sha256": sha(data)}, "pytorch": pytorch(data, facts)})


# ------------------------------------------------------------------------------ the cases
# --- the pickle machine
pkl_case("memo_missing", "BINGET of a memo entry never PUT", PROTO + b"h\x05.")
pkl_case("memo_missing_long", "LONG_BINGET of a memo entry never PUT", PROTO + b"j\x00\x00\x00\x10.")
pkl_case("memo_missing_text", "GET (text) of a memo entry never PUT", PROTO + b"g7\n.")
pkl_case("unterminated", "a pickle without STOP", PROTO + b"]")
pkl_case("unterminated_arg", "a pickle that ends inside a BINUNICODE", PROTO + b"X\x10\x00\x00\x00ab")
pkl_case("unterminated_long1", "a pickle that ends inside a LONG1", PROTO + b"\x8a\x05ab")
pkl_case("unterminated_global", "a GLOBAL without its newline", PROTO + b"ccollections")
pkl_case("empty_pkl", "an empty data.pkl", b"")
pkl_case("underflow_append", "APPEND on an empty stack", PROTO + b"a.")
pkl_case("underflow_stop", "STOP on an empty stack", PROTO + b".")
pkl_case("underflow_setitem", "SETITEM with two items on the stack", PROTO + b"K\x01K\x02s.")
pkl_case("underflow_tuple3", "TUPLE3 with one item", PROTO + b"K\x01\x87.")
pkl_case("underflow_reduce", "REDUCE with nothing to call", PROTO + b"R.")
pkl_case("underflow_put", "BINPUT on an empty stack", PROTO + b"q\x00N.")
pkl_case("unexpected_mark", "STOP right after a MARK", PROTO + b"(.")
pkl_case("pop_mark_without_mark", "POP_MARK with no MARK", PROTO + b"1.")
pkl_case("appends_without_mark", "APPENDS with no MARK", PROTO + b"e.")
pkl_case("setitems_odd", "SETITEMS with an odd number of items", PROTO + b"}(K\x01u.")
pkl_case("invalid_opcode", "an opcode byte pickle does not know", PROTO + b"\xff.")
pkl_case("invalid_opcode_printable", "a printable byte that is no opcode", PROTO + b"!.")
pkl_case("proto6", "PROTO 6", b"\x80\x06N.")
pkl_case("long4_negative_count", "LONG4 with a negative length", PROTO + b"\x8b\xff\xff\xff\xff.")
pkl_case("binunicode_huge_length", "BINUNICODE claiming 4 GB", PROTO + b"X\xff\xff\xff\xff.")
pkl_case("binbytes8_huge_length", "BINBYTES8 claiming 2^63 bytes", PROTO + b"\x8e" + struct.pack("<Q", 2**63) + b".")
pkl_case("frame_beyond_end", "a FRAME longer than the data", b"\x80\x04\x95" + struct.pack("<Q", 2**40) + b"N.")
pkl_case("append_to_dict", "APPEND on a dict", PROTO + b"}K\x01a.")
pkl_case("setitem_on_list", "SETITEM on a list", PROTO + b"]K\x01K\x02s.")
pkl_case("build_on_dict", "BUILD on a plain dict", PROTO + b"}}b.")
pkl_case("build_on_list", "BUILD on a list", PROTO + b"]}b.")
pkl_case("stack_global_not_str", "STACK_GLOBAL with an int module", b"\x80\x04K\x01K\x02\x93.")
pkl_case("dup_ok", "DUP then STOP", PROTO + b"N2q\x00.")
pkl_case("memo_long_binput_max", "LONG_BINPUT at index 2^32-1, then its GET", PROTO + b"K\x07r\xff\xff\xff\xff0j\xff\xff\xff\xff.")
pkl_case("protocol1_text_ops", "protocol 1's text INT/LONG/FLOAT as torch.save(pickle_protocol=1) writes bools and big ints",
         b"(I01\nI00\nI-12\nL1180591620717411303424L\nF0.25\nl.")
pkl_case("text_string_escapes", "STRING (text) with escapes", b"S'a\\nb\\x41\\''\n.")
pkl_case("dict_keys_like_js_internals", "a dict whose keys are __proto__, constructor, hasOwnProperty, get",
         PROTO + b"}(" + pstr("__proto__") + b"K\x01" + pstr("constructor") + b"K\x02" + pstr("hasOwnProperty") + b"K\x03" + pstr("get") + b"K\x04u.")
pkl_case("od_build_metadata", "an OrderedDict with a _metadata attribute (as state_dict() has)",
         PROTO + OD + pstr("w") + b"K\x01s}" + pstr("_metadata") + b"}sb.")
for attr in ["get", "has", "set", "constructor", "__proto__", "size", "keys", "forEach"]:
    pkl_case(f"od_build_{attr}", f"BUILD that sets the attribute {attr!r} on an OrderedDict",
             PROTO + OD + pstr("w") + b"K\x01s}" + pstr(attr) + b"K\x05sb.")
pkl_case("od_build_slotstate", "BUILD with (dictstate, slotstate) on an OrderedDict", PROTO + OD + b"N}" + pstr("x") + b"K\x01s\x86b.")

# --- globals: only the allow-list; nothing here would run code even in PyTorch
pkl_case("global_unknown_torch", "a torch global outside the allow-list (torch.zeros)", PROTO + b"ctorch\nzeros\nK\x02\x85R.")
pkl_case("global_unknown_storage", "a storage type that does not exist", PROTO + b"ctorch\nFooStorage\n.")
pkl_case("global_missing_module", "a module that does not exist", PROTO + b"cno_such_module_typetorch\nx\n.")
pkl_case("device_not_str", "torch.device called with a list", PROTO + b"ctorch\ndevice\n]\x85R.")
pkl_case("device_ok", "torch.device('cuda', 1)", PROTO + b"ctorch\ndevice\n" + pstr("cuda") + b"K\x01\x86R.")
pkl_case("size_ok", "torch.Size((2, 3))", PROTO + b"ctorch\nSize\n" + ptuple([pint(2), pint(3)]) + b"\x85R.")
pkl_case("od_bad_pairs", "OrderedDict([1])", PROTO + b"ccollections\nOrderedDict\n]K\x01a\x85R.")

# --- tensors: sizes, strides, offsets, storages (PyTorch's set_ checks)
pkl_case("tensor_ok", "a valid 4-element tensor", tensor_pkl(), {"0": F4})
pkl_case("tensor_numel_overflow", "sizes (2^40, 2^40), strides 0: numel past 2^63", tensor_pkl(size=(2**40, 2**40), stride=(0, 0)), {"0": F4})
pkl_case("tensor_numel_overflow_32", "sizes (2^32, 2^32), strides 0", tensor_pkl(size=(2**32, 2**32), stride=(0, 0)), {"0": F4})
pkl_case("tensor_numel_overflow_3d", "sizes (2^31, 2^31, 4), strides 0", tensor_pkl(size=(2**31, 2**31, 4), stride=(0, 0, 0)), {"0": F4})
pkl_case("tensor_numel_overflow_then_zero", "sizes (2^40, 2^40, 0): overflows before the 0", tensor_pkl(size=(2**40, 2**40, 0), stride=(0, 0, 0)), {"0": F4})
pkl_case("tensor_zero_then_huge", "sizes (0, 2^40): no elements", tensor_pkl(size=(0, 2**40), stride=(1, 1)), {"0": F4})
pkl_case("tensor_expanded_2e40", "sizes (2^20, 2^20), strides 0: 2^40 elements of one", tensor_pkl(size=(2**20, 2**20), stride=(0, 0)), {"0": F4},
         facts=lambda t: {"tensor": {"dtype": "float32", "shape": list(t.shape), "stride": list(t.stride()), "offset": 0, "values": None}})
pkl_case("tensor_expanded_2e62", "sizes (2^31, 2^31), strides 0: 2^62 elements (PyTorch loads it)", tensor_pkl(size=(2**31, 2**31), stride=(0, 0)), {"0": F4},
         facts=lambda t: {"tensor": {"dtype": "float32", "shape": list(t.shape), "stride": list(t.stride()), "offset": 0, "values": None}})
pkl_case("tensor_negative_size", "size -1", tensor_pkl(size=(-1,), stride=(1,)), {"0": F4})
pkl_case("tensor_negative_stride", "stride -1", tensor_pkl(size=(2,), stride=(-1,)), {"0": F4})
pkl_case("tensor_negative_stride_empty", "stride -1 of an empty dim", tensor_pkl(size=(0,), stride=(-1,)), {"0": F4})
pkl_case("tensor_negative_offset", "storage offset -1", tensor_pkl(offset=-1, size=(2,), stride=(1,)), {"0": F4})
pkl_case("tensor_offset_beyond", "storage offset 10 of a 4-element storage", tensor_pkl(offset=10, size=(2,), stride=(1,)), {"0": F4})
pkl_case("tensor_offset_at_end_empty", "storage offset 4 (the end), no elements", tensor_pkl(offset=4, size=(0,), stride=(1,)), {"0": F4})
pkl_case("tensor_size_beyond", "5 elements of a 4-element storage", tensor_pkl(size=(5,), stride=(1,)), {"0": F4})
pkl_case("tensor_stride_beyond", "2 elements, stride 4, of a 4-element storage", tensor_pkl(size=(2,), stride=(4,)), {"0": F4})
pkl_case("tensor_huge_size", "size 2^62", tensor_pkl(size=(2**62,), stride=(1,)), {"0": F4})
pkl_case("tensor_huge_stride", "stride 2^62", tensor_pkl(size=(2,), stride=(2**62,)), {"0": F4})
pkl_case("tensor_huge_offset", "storage offset 2^62", tensor_pkl(offset=2**62, size=(1,), stride=(1,)), {"0": F4})
pkl_case("tensor_size_beyond_int64", "size 2^64", tensor_pkl(size=(2**64,), stride=(1,)), {"0": F4})
pkl_case("tensor_size_3000_bytes", "a size that is a 3000-byte integer", tensor_pkl(size=b"(" + pint(3**6000) + b"t", stride=(1,)), {"0": F4})
pkl_case("tensor_rank_mismatch", "2 sizes, 1 stride", tensor_pkl(size=(2, 2), stride=(1,)), {"0": F4})
pkl_case("tensor_size_not_tuple", "size is a str", tensor_pkl(size=pstr("abc"), stride=(1,)), {"0": F4})
pkl_case("tensor_size_float", "a size that is a float", tensor_pkl(size=b"(G@\x04\x00\x00\x00\x00\x00\x00t", stride=(1,)), {"0": F4})
pkl_case("tensor_numel_beyond_record", "a storage of 100 elements whose record holds 4 (PyTorch reads past it)", tensor_pkl(size=(2,), numel=100), {"0": F4},
         facts=lambda t: {"tensor": {"dtype": "float32", "shape": list(t.shape), "stride": list(t.stride()), "offset": 0, "values": t.tolist()}})
pkl_case("tensor_numel_negative", "a storage of -1 elements", tensor_pkl(size=(0,), numel=-1), {"0": F4})
pkl_case("tensor_numel_huge", "a storage of 2^62 elements", tensor_pkl(size=(1,), numel=2**62), {"0": F4})
def located(loc):
    return tensor_pkl(pid=ptuple([pstr("storage"), b"ctorch\nFloatStorage\n", pstr("0"), loc, pint(4)]))


pkl_case("location_int", "a storage whose location is an int", located(pint(5)), {"0": F4})
pkl_case("location_list", "a storage whose location is a list", located(b"]"), {"0": F4})
pkl_case("location_unknown", "a storage on a device PyTorch does not know", located(pstr("foo")), {"0": F4})
pkl_case("location_cuda", "a storage saved on cuda:1 (this PyTorch has no CUDA)", located(pstr("cuda:1")), {"0": F4})
pkl_case("location_bytes", "a storage whose location is bytes b'cpu' (Python 2 files)", located(b"C\x03cpu"), {"0": F4})
pkl_case("tensor_record_missing", "a storage key with no record", tensor_pkl(key="7"), {"0": F4})
pkl_case("tensor_uint8", "a uint8 storage (a dtype typetorch lacks)", tensor_pkl(storage=b"ByteStorage", numel=4), {"0": b"\x01\x02\x03\x04"})
pkl_case("tensor_half", "a float16 storage", tensor_pkl(storage=b"HalfStorage", numel=4), {"0": struct.pack("<4e", 1, -2, 0.5, 65504)})
pkl_case("tensor_bool_bytes", "a bool storage holding bytes other than 0/1", tensor_pkl(storage=b"BoolStorage", numel=4), {"0": b"\x00\x01\x02\xff"})
pkl_case("pid_not_tuple", "a persistent id that is a str", PROTO + pstr("storage") + b"Q.")
pkl_case("pid_wrong_typename", "a persistent id whose typename is not 'storage'", PROTO + ptuple([pstr("module"), pint(1), pint(2), pint(3), pint(4)]) + b"Q.")
pkl_case("pid_short", "a persistent id of 3 items", PROTO + ptuple([pstr("storage"), b"ctorch\nFloatStorage\n", pstr("0")]) + b"Q.", {"0": F4})
pkl_case("pid_long", "a persistent id of 6 items", PROTO + ptuple([pstr("storage"), b"ctorch\nFloatStorage\n", pstr("0"), pstr("cpu"), pint(4), b"N"]) + b"Q.", {"0": F4})
pkl_case("pid_not_storage_type", "a persistent id naming OrderedDict as its storage type",
         PROTO + ptuple([pstr("storage"), b"ccollections\nOrderedDict\n", pstr("0"), pstr("cpu"), pint(4)]) + b"Q.", {"0": F4})
pkl_case("rebuild_not_storage", "_rebuild_tensor_v2 given an int for its storage", PROTO + b"ctorch._utils\n_rebuild_tensor_v2\n(K\x01K\x00(K\x01t(K\x01t\x89" + OD + b"tR.")
pkl_case("rebuild_no_args", "_rebuild_tensor_v2()", PROTO + b"ctorch._utils\n_rebuild_tensor_v2\n)R.")
pkl_case("parameter_of_int", "_rebuild_parameter(1, True, {})", PROTO + b"ctorch._utils\n_rebuild_parameter\nK\x01\x88" + OD + b"\x87R.")

# --- big inputs: linear time, no recursion
recipe_case("deep_list_1e5", "10^5 nested lists", "deep_list", 100000)
recipe_case("deep_tuple_1e5", "10^5 nested tuples", "deep_tuple", 100000)
recipe_case("deep_dict_1e5", "10^5 nested dicts", "deep_dict", 100000)
recipe_case("deep_marks_1e5", "10^5 nested MARK ... LIST", "deep_marks", 100000)
recipe_case("flat_appends_1e6", "one APPENDS of 10^6 items", "flat_appends", 1000000)
recipe_case("flat_setitems_1e6", "one SETITEMS of 10^6 items", "flat_setitems", 1000000)
recipe_case("long4_1mb", "a 1 MB LONG4", "long4", 1 << 20)
recipe_case("long4_1mb_negative", "a 1 MB negative LONG4", "long4_neg", 1 << 20)
recipe_case("memo_fanout_1e6", "a list holding itself 10^6 times", "memo_fanout", 1000000)

# --- whole files: zip containers and the legacy format
mlp = open(os.path.join(FIX, "mlp.pt"), "rb").read()
n = len(mlp)
mutate_case("zip_half", "mlp.pt cut in half", "mlp.pt", [["truncate", n // 2]])
mutate_case("zip_minus_3", "mlp.pt without its last 3 bytes", "mlp.pt", [["truncate", n - 3]])
mutate_case("zip_minus_22", "mlp.pt without its end-of-central-directory record", "mlp.pt", [["truncate", n - 22]])
mutate_case("zip_header_only", "the first 30 bytes of mlp.pt", "mlp.pt", [["truncate", 30]])
mutate_case("zip_4_bytes", "PK\\x03\\x04 and nothing else", "mlp.pt", [["truncate", 4]])
mutate_case("zip_bad_magic", "mlp.pt with its first byte changed", "mlp.pt", [["set", 0, "51"]])
# PyTorch writes a zip64 end record (56 bytes) and its locator (20 bytes) before the classic one (22)
mutate_case("zip_cd_offset_beyond", "a central directory offset past the end (both end records)", "mlp.pt", [["set", -6, "ffffff7f"], ["set", -50, "ffffffffffffff7f"]])
mutate_case("zip_cd_offset_beyond_classic", "a central directory offset past the end (the classic end record only)", "mlp.pt", [["set", -6, "ffffff7f"]])
mutate_case("zip_cd_size_huge", "a central directory size of 2^62 (zip64 end record)", "mlp.pt", [["set", -58, "0000000000000040"]])
mutate_case("zip_entry_count_huge", "2^40 entries (zip64 end record)", "mlp.pt", [["set", -66, "0000000000010000"], ["set", -74, "0000000000010000"]])
mutate_case("zip_entry_count_zero", "no entries", "mlp.pt", [["set", -12, "00000000"], ["set", -66, "0000000000000000"], ["set", -74, "0000000000000000"]])
mutate_case("zip64_locator_beyond", "a zip64 locator pointing past the end", "mlp.pt", [["set", -34, "ffffffffffffff7f"]])
with zipfile.ZipFile(os.path.join(FIX, "mlp.pt")) as z:
    infos = {i.filename: i for i in z.infolist()}
data0 = infos["mlp/data/0"].header_offset
data0_start = data0 + 30 + len("mlp/data/0") + struct.unpack("<H", mlp[data0 + 28:data0 + 30])[0]
cd_entries = [i for i in range(len(mlp) - 4) if mlp[i:i + 4] == b"PK\x01\x02"]
mutate_case("zip_local_size_huge", "data/0's size 0xFFFFFFF0 in the central directory", "mlp.pt", [["set", cd_entries[1] + 20, "f0ffffff"], ["set", cd_entries[1] + 24, "f0ffffff"]])
mutate_case("zip_local_offset_beyond", "data/0's local header offset past the end", "mlp.pt", [["set", cd_entries[1] + 42, "ffffff7f"]])
mutate_case("zip_local_header_corrupt", "data/0's local header signature broken", "mlp.pt", [["set", data0, "00"]])
mutate_case("zip_method_99", "data/0 compressed with method 99", "mlp.pt", [["set", cd_entries[1] + 10, "6300"], ["set", data0 + 8, "6300"]])
mutate_case("zip_encrypted", "data/0 flagged as encrypted", "mlp.pt", [["set", cd_entries[1] + 8, "0908"], ["set", data0 + 6, "0908"]])
mutate_case("zip_appended_garbage", "mlp.pt with 100 bytes appended", "mlp.pt", [["insert", n, "00" * 100]])
mutate_case("zip_flipped_data_byte", "mlp.pt with a byte of a storage flipped (PyTorch does not check CRC-32)", "mlp.pt", [["set", data0_start + 1, "ff"]],
            facts=lambda sd: {"keys": list(sd.keys())})
file_case("empty_file", "an empty file", b"")
file_case("text_file", "a text file", b"hello world, not a checkpoint\n" * 3)
file_case("bare_pickle", "a bare pickle of None (not torch.save's)", PROTO + b"N.")
file_case("bare_pickle_of_dict", "a bare pickle of a dict", PROTO + b"}" + pstr("a") + b"K\x01s.")


def tar_legacy():
    """The tar format of PyTorch 0.3 and older (storages, tensors, pickle), holding {"a": 1} and no tensors."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [("storages", pickle.dumps(0, protocol=2) + pickle.dumps([], protocol=2)), ("tensors", pickle.dumps(0, protocol=2)),
                           ("pickle", pickle.dumps({"a": 1}, protocol=2))]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


file_case("tar_legacy", "the tar format of PyTorch 0.3 and older", tar_legacy())


def plain_zip(entries, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)
    return buf.getvalue()


NONE_PKL = PROTO + b"N."
file_case("zip_no_subdir", "a zip whose entries are not in a folder", plain_zip([("data.pkl", NONE_PKL), ("version", b"3\n")]))
file_case("zip_no_version", "a zip without a version record", plain_zip([("archive/data.pkl", NONE_PKL)]))
file_case("zip_version_99", "a zip with format version 99", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/version", b"99\n")]))
file_case("zip_version_0", "a zip with format version 0", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/version", b"0\n")]))
file_case("zip_version_text", "a zip whose version record is not a number", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/version", b"abc\n")]))
file_case("zip_dot_data_version", "a zip with .data/version (TorchScript's spelling)", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/.data/version", b"3\n")]))
file_case("zip_no_data_pkl", "a zip without data.pkl", plain_zip([("archive/version", b"3\n")]))
file_case("zip_byteorder_middle", "a byteorder record that is neither little nor big", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/byteorder", b"middle"), ("archive/version", b"3\n")]))
file_case("zip_deflated_none", "a deflated zip holding None", plain_zip([("archive/data.pkl", NONE_PKL), ("archive/version", b"3\n")], zipfile.ZIP_DEFLATED))


def deflate_lying(declared):
    """A deflated data.pkl of 1 MB (a pickle of one BINBYTES) whose size fields say `declared` bytes."""
    pkl = PROTO + b"B" + u32(1 << 20) + b"\x00" * (1 << 20) + b"."
    b = bytearray(plain_zip([("archive/data.pkl", pkl), ("archive/version", b"3\n")], zipfile.ZIP_DEFLATED))
    cd = b.index(b"PK\x01\x02")
    struct.pack_into("<I", b, cd + 24, declared)
    struct.pack_into("<I", b, 22, declared)
    return bytes(b)


file_case("deflate_bomb_small_claim", "a deflated entry that inflates to 1 MB but claims 100 bytes", deflate_lying(100))
file_case("deflate_bomb_ok_claim", "the same entry with its true size (loads: bytes of 1 MB)", deflate_lying((1 << 20) + 8), facts=lambda v: {"bytes_len": len(v)})


def deflate_corrupt():
    b = bytearray(plain_zip([("archive/data.pkl", PROTO + pstr("x" * 1000) + b"."), ("archive/version", b"3\n")], zipfile.ZIP_DEFLATED))
    start = 30 + len("archive/data.pkl")
    b[start:start + 4] = b"\xff\xff\xff\xff"
    return bytes(b)


file_case("deflate_corrupt", "a deflated entry whose stream is corrupt", deflate_corrupt())
lin = torch.jit.script(torch.nn.Linear(1, 1))
jbuf = io.BytesIO()
torch.jit.save(lin, jbuf)
file_case("torchscript", "a TorchScript archive (torch.jit.save); PyTorch hands it to torch.jit.load", jbuf.getvalue(), facts=lambda m: {"other": type(m).__name__})
legacy = open(os.path.join(FIX, "legacy.pt"), "rb").read()
L = len(legacy)
mutate_case("legacy_ok", "legacy.pt as PyTorch wrote it", "legacy.pt", [])
mutate_case("legacy_truncated_data", "legacy.pt without its last 3 bytes", "legacy.pt", [["truncate", L - 3]])
mutate_case("legacy_truncated_count", "legacy.pt cut inside a storage's element count", "legacy.pt", [["truncate", L - 12]])
keys_at = legacy.index(b"\x80\x02]q\x00X\x01\x00\x00\x000q\x01a.")  # the storage keys pickle: ["0"]
mutate_case("legacy_truncated_keys", "legacy.pt cut inside the list of storage keys", "legacy.pt", [["truncate", keys_at + 6]])
mutate_case("legacy_wrong_count", "legacy.pt whose storage says 3 elements where its pickle says 2", "legacy.pt", [["set", L - 16, "03"]])
mutate_case("legacy_huge_count", "legacy.pt whose storage says 2^62 elements", "legacy.pt", [["set", L - 16, "0000000000000040"]])
mutate_case("legacy_bad_magic", "legacy.pt with another magic number", "legacy.pt", [["set", 4, "6d"]])
mutate_case("legacy_bad_protocol", "legacy.pt with protocol version 1002", "legacy.pt", [["set", 18, "ea"]])
mutate_case("legacy_unknown_key", "legacy.pt whose key list names a storage the pickle does not", "legacy.pt", [["set", keys_at + 10, "39"]])
numel_at = legacy.index(b"K\x02N")  # the storage's element count in its persistent id, before view_metadata None
mutate_case("legacy_huge_numel", "legacy.pt whose pickle says 2^30 elements", "legacy.pt", [["splice", numel_at, 2, "4a00000040"]])
mutate_case("legacy_view_beyond", "legacy.pt whose storage view reaches past its storage", "legacy.pt", [["splice", numel_at + 2, 1, ptuple([pstr("v"), pint(1), pint(5)]).hex()]])
mutate_case("legacy_view_ok", "legacy.pt whose tensor views elements 1.. of its storage (pre-1.13 storage views)", "legacy.pt",
            [["splice", legacy.index(b"K\x02\x85"), 2, "4b01"], ["splice", numel_at + 2, 1, ptuple([pstr("v"), pint(1), pint(1)]).hex()]])

with open(os.path.join(FIX, "hostile.json"), "w") as f:
    json.dump({"_comment": "generated by scripts/gen_serialization_hostile_fixtures.py, do not edit", "torch_version": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(os.path.join(FIX, 'hostile.json'))}")
