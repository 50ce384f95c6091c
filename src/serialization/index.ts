/**
 * `torch.save` / `torch.load`: objects to and from the zip files PyTorch (1.6 and later, checked
 * against 1.13) reads and writes, so that
 *
 * ```ts
 * torch.save(model.stateDict(), "m.pt");          // load in Python: model.load_state_dict(torch.load("m.pt"))
 * model.loadStateDict(torch.load("m.pt"));       // a file from Python's torch.save(model.state_dict(), "m.pt")
 * opt.loadStateDict(torch.load("opt.pt"));       // from torch.save(opt.state_dict(), "opt.pt")
 * ```
 *
 * The core of it is browser-safe: `saveToBytes(obj)` and `loadFromBytes(bytes)`. `save` and `load`
 * also take a file path, reached through Node's `process.getBuiltinModule("node:fs")` (so bundles for
 * the browser carry no Node import); in a browser a path gives an error that points to the bytes API.
 *
 * ## How Python values map to JavaScript
 *
 * | Python (in the file)                         | JavaScript (what `load` gives / what `save` accepts)        |
 * | -------------------------------------------- | ----------------------------------------------------------- |
 * | `torch.Tensor`                               | `Tensor` (views that share a storage in the file share it after loading) |
 * | `torch.nn.Parameter`                         | `nn.Parameter`                                              |
 * | `collections.OrderedDict` (module state dicts) | `Map` (insertion order kept); its `_metadata` attribute, if any, is kept as a non-enumerable `_metadata` property and written back by `save` |
 * | `dict` with str/int keys                     | plain object; int keys become their decimal strings (`{0: ...}` -> `{"0": ...}`) |
 * | `dict` with any other key (float, bool, None, tuple), or a str key that looks like an int | `Map` (so that saving it again writes the same keys) |
 * | `list`                                       | array                                                       |
 * | `tuple`, `torch.Size`                        | frozen array (`Object.isFrozen`); `save` writes frozen arrays as tuples, other arrays as lists |
 * | `int`                                        | number; a `bigint` beyond 2^53 - 1                          |
 * | `float`                                      | number                                                      |
 * | `bool`, `None`, `str`                        | boolean, `null`, string                                     |
 * | `bytes`                                      | `Uint8Array`                                                |
 * | `set`, `frozenset`                           | `Set`                                                       |
 * | `torch.float32` and the other dtypes         | `torch.float32` ... (`DType`)                               |
 * | `torch.device("cuda", 0)`                    | the string `"cuda:0"`                                       |
 *
 * Saving maps back the same way: a `Map` is written as an `OrderedDict` (what `Module.stateDict()`
 * returns, as PyTorch's `state_dict()`), a plain object as a `dict`.
 * NOTE: JavaScript has one number type and plain objects have only string keys, so `save` decides:
 * - a number that is a safe integer (and not -0) is written as a Python `int`, any other as a
 *   `float`. PyTorch's optimizers accept an int for a float option (`lr=1`), and `step` counters
 *   and parameter indices must be ints, so this is the rule that round-trips optimizer state dicts.
 *   A Python float with an integral value (Adadelta's `lr=1.0`) therefore comes back as an int.
 * - a plain object's key that is a canonical decimal integer (`"0"`, `"-3"`, not `"01"`) is written
 *   as a Python `int`: that is how `Record<number, ...>` (the optimizer's `state`) reaches Python
 *   with the int keys PyTorch's `load_state_dict` looks up. Use a `Map` for str keys such as `"0"`.
 * - `undefined` is written as `None`.
 *
 * Tensors load onto the CPU whatever device the file names (PyTorch's `map_location="cpu"`).
 * Supported dtypes: float32, float64, int64, int32, bool. int64 is held in a Float64Array, so a
 * stored int64 beyond +-2^53 raises an error instead of rounding.
 *
 * Loading never runs code: the pickle's globals go through an allow-list (OrderedDict, PyTorch's
 * tensor/parameter rebuild functions and storage types, dtypes, torch.Size, torch.device, set,
 * frozenset, bytes); anything else (a pickled nn.Module, a numpy array) is refused with an error.
 * Legacy (pre-1.6, non-zip) files are refused too: re-save them with a current PyTorch.
 * @module
 */

import type * as NodeFs from "node:fs";
import { getBackend, type Storage } from "../backend/backend.js";
import { Tensor } from "../tensor/tensor.js";
import { bool, DType, dtypes, float32, float64, int32, int64, type DTypeName } from "../tensor/dtype.js";
import { Parameter } from "../nn/parameter.js";
import { FileNotFoundError, RuntimeError, TorchTypeError } from "../errors.js";

export { FileNotFoundError } from "../errors.js";
import { describe, PickleWriter, PyCallable, PyDict, unpickle, UnpicklingError } from "./pickle.js";
import { readZip, writeZip, type ZipEntry } from "./zip.js";

export { UnpicklingError } from "./pickle.js";
export { crc32 } from "./zip.js";

/** The version record PyTorch 1.13 writes (`<archive>/version`: "3\n"). */
const FILE_FORMAT_VERSION = 3;
/** The largest format version PyTorch 1.13 reads (caffe2's kMaxSupportedFileFormatVersion). */
const MAX_FORMAT_VERSION = 10;

// ------------------------------------------------------------------------------------------ dtypes

/** Storage class names (`torch.FloatStorage`) and the dtypes they hold, PyTorch's names. */
const STORAGE_TYPES: Record<string, string> = {
  FloatStorage: "float32",
  DoubleStorage: "float64",
  LongStorage: "int64",
  IntStorage: "int32",
  BoolStorage: "bool",
  HalfStorage: "float16",
  BFloat16Storage: "bfloat16",
  ByteStorage: "uint8",
  CharStorage: "int8",
  ShortStorage: "int16",
  ComplexFloatStorage: "complex64",
  ComplexDoubleStorage: "complex128",
  QInt8Storage: "qint8",
  QUInt8Storage: "quint8",
  QInt32Storage: "qint32",
  QUInt4x2Storage: "quint4x2",
  QUInt2x4Storage: "quint2x4",
};
const STORAGE_OF: Record<DTypeName, string> = {
  float32: "FloatStorage",
  float64: "DoubleStorage",
  int64: "LongStorage",
  int32: "IntStorage",
  bool: "BoolStorage",
};
/** `torch.<name>` dtype attributes, including PyTorch's aliases. */
const DTYPE_NAMES: Record<string, string> = {
  float32: "float32", float: "float32", float64: "float64", double: "float64", int64: "int64", long: "int64",
  int32: "int32", int: "int32", bool: "bool",
  float16: "float16", half: "float16", bfloat16: "bfloat16", uint8: "uint8", int8: "int8", int16: "int16",
  short: "int16", complex32: "complex32", chalf: "complex32", complex64: "complex64", cfloat: "complex64",
  complex128: "complex128", cdouble: "complex128", qint8: "qint8", quint8: "quint8", qint32: "qint32",
  quint4x2: "quint4x2", quint2x4: "quint2x4",
};

function unsupportedDtype(name: string): RuntimeError {
  return new RuntimeError(
    `torch.load: dtype torch.${name} is not supported by typetorch (it has float32, float64, int64, int32 and bool); convert the tensor in PyTorch before saving it (e.g. t.float() or t.long())`,
  );
}
function dtypeOf(name: string): DType {
  const d = (dtypes as Record<string, DType | undefined>)[name];
  if (!d) throw unsupportedDtype(name);
  return d;
}

// ------------------------------------------------------------------------------------------ loading

/** `torch.FloatStorage` and friends, as the unpickler sees them (a marker, not callable). */
class StorageType {
  constructor(
    readonly qualname: string,
    readonly dtypeName: string,
  ) {}
}

/** A storage read from the archive: backend storage of `numel` elements of `dtype`. */
class LoadedStorage {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly storage: Storage,
    readonly numel: number,
  ) {}
}

const TWO_32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a little-endian storage record into the typed array typetorch keeps for dtype. */
function decodeStorage(bytes: Uint8Array, dtype: DType, numel: number, where: string): ArrayLike<number> {
  const need = numel * dtype.itemsize;
  if (bytes.length < need)
    throw new RuntimeError(`torch.load: storage ${where} holds ${bytes.length} bytes, but ${numel} elements of ${dtype} need ${need} (the file is corrupt)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, need);
  switch (dtype.name) {
    case "float32": {
      if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Float32Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getFloat32(4 * i, true);
      return a;
    }
    case "float64": {
      if (LITTLE_ENDIAN) return new Float64Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Float64Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getFloat64(8 * i, true);
      return a;
    }
    case "int32": {
      if (LITTLE_ENDIAN) return new Int32Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Int32Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getInt32(4 * i, true);
      return a;
    }
    case "bool":
      return bytes.subarray(0, need);
    case "int64": {
      // NOTE: typetorch holds int64 in doubles, exact up to 2^53 in magnitude. Each value is read as
      // hi * 2^32 + lo (exact whenever the result is within 2^53); anything beyond is refused rather
      // than silently rounded.
      const a = new Float64Array(numel);
      for (let i = 0; i < numel; i++) {
        const lo = dv.getUint32(8 * i, true), hi = dv.getInt32(8 * i + 4, true);
        if (hi < -2097152 || hi > 2097152 || (hi === 2097152 && lo !== 0)) {
          const v = dv.getBigInt64(8 * i, true);
          throw new RuntimeError(
            `torch.load: int64 value ${v} (element ${i} of storage ${where}) is beyond 2^53 in magnitude; typetorch holds int64 in float64 and cannot represent it exactly`,
          );
        }
        a[i] = hi * TWO_32 + lo;
      }
      return a;
    }
  }
}

function isIntList(v: unknown): v is readonly number[] {
  return Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
}

/** torch._utils._rebuild_tensor_v2: a tensor viewing a loaded storage. */
function rebuildTensor(args: unknown[], fn: string): Tensor {
  const [storage, offset, size, stride, requiresGrad] = args;
  if (!(storage instanceof LoadedStorage)) throw new UnpicklingError(`torch.load: ${fn} expects a storage, got a ${describe(storage)}`);
  if (!Number.isSafeInteger(offset) || !isIntList(size) || !isIntList(stride) || size.length !== stride.length)
    throw new UnpicklingError(`torch.load: ${fn} got malformed sizes/strides (the file is corrupt)`);
  const off = offset as number;
  let numel = 1, last = off;
  for (let i = 0; i < size.length; i++) {
    if (size[i]! < 0 || stride[i]! < 0) throw new UnpicklingError(`torch.load: ${fn} got negative sizes/strides (the file is corrupt)`);
    numel *= size[i]!;
    last += (size[i]! - 1) * stride[i]!;
  }
  if (off < 0 || (numel > 0 && last >= storage.numel))
    throw new RuntimeError(
      `setStorage: sizes [${size.join(", ")}], strides [${stride.join(", ")}], storage offset ${off}, and itemsize ${storage.dtype.itemsize} requiring a storage size of ${(last + 1) * storage.dtype.itemsize} are out of bounds for storage of size ${storage.numel * storage.dtype.itemsize}`,
    );
  const t = new Tensor(storage.storage, size.slice(), stride.slice(), off, storage.dtype);
  if (requiresGrad === true && t.dtype.isFloatingPoint) t.requiresGrad_(true);
  return t;
}

function asBool(v: unknown): boolean {
  return v === true || v === 1;
}

const ORDERED_DICT = new PyCallable("collections.OrderedDict", (args) => {
  const m = new Map<unknown, unknown>();
  const init = args[0];
  if (Array.isArray(init))
    for (const pair of init) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new UnpicklingError("torch.load: OrderedDict expects (key, value) pairs");
      m.set(pair[0], pair[1]);
    }
  else if (init instanceof PyDict) for (const [k, v] of init.map) m.set(k, v);
  return m;
});

const REBUILDERS: Record<string, PyCallable> = {
  _rebuild_tensor_v2: new PyCallable("torch._utils._rebuild_tensor_v2", (a) => rebuildTensor(a, "_rebuild_tensor_v2")),
  _rebuild_tensor: new PyCallable("torch._utils._rebuild_tensor", (a) => rebuildTensor([...a.slice(0, 4), false], "_rebuild_tensor")),
  _rebuild_parameter: new PyCallable("torch._utils._rebuild_parameter", (a) => rebuildParameter(a)),
  _rebuild_parameter_with_state: new PyCallable("torch._utils._rebuild_parameter_with_state", (a) => rebuildParameter(a)),
};
function rebuildParameter(args: unknown[]): Parameter {
  const [data, requiresGrad] = args;
  if (!(data instanceof Tensor)) throw new UnpicklingError(`torch.load: _rebuild_parameter expects a tensor, got a ${describe(data)}`);
  return new Parameter(data, asBool(requiresGrad) && data.dtype.isFloatingPoint);
}

const SET = new PyCallable("builtins.set", (a) => new Set(a.length ? iterableArg(a[0]) : []));
const FROZENSET = new PyCallable("builtins.frozenset", (a) => new Set(a.length ? iterableArg(a[0]) : []));
function iterableArg(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  throw new UnpicklingError(`torch.load: expected a list, got a ${describe(v)}`);
}

/** The allow-list: the only globals a file may name. */
function findClass(module: string, name: string): unknown {
  const qual = `${module}.${name}`;
  if (module === "collections" && name === "OrderedDict") return ORDERED_DICT;
  if (module === "torch._utils" && name in REBUILDERS) return REBUILDERS[name];
  if ((module === "torch" || module === "torch.cuda") && name in STORAGE_TYPES) return new StorageType(qual, STORAGE_TYPES[name]!);
  if (module === "torch" && name in DTYPE_NAMES) return dtypeOf(DTYPE_NAMES[name]!);
  if (module === "torch" && name === "Size")
    return new PyCallable(qual, (a) => {
      if (!isIntList(a[0])) throw new UnpicklingError("torch.load: torch.Size expects a tuple of ints");
      return Object.freeze(a[0].slice());
    });
  if (module === "torch" && name === "device")
    return new PyCallable(qual, (a) => (a.length > 1 && a[1] !== null ? `${String(a[0])}:${String(a[1])}` : String(a[0])));
  if (module === "__builtin__" || module === "builtins") {
    if (name === "set") return SET;
    if (name === "frozenset") return FROZENSET;
  }
  if (module === "_codecs" && name === "encode")
    return new PyCallable(qual, (a) => {
      const [s, enc] = a;
      if (typeof s !== "string" || (enc !== "latin1" && enc !== "latin-1")) throw new UnpicklingError("torch.load: _codecs.encode is only allowed for latin1 bytes");
      return Uint8Array.from(s, (c) => c.charCodeAt(0));
    });
  throw new UnpicklingError(
    `torch.load: the file refers to the Python global ${qual}, which typetorch does not load. Only tensors, state dicts and plain data (dict, list, tuple, int, float, str, bool, None) can be read, and no code from a file is ever run. If the file holds a pickled nn.Module or other Python object, save its state_dict() in PyTorch instead.`,
  );
}

/** BUILD: only attribute state on an OrderedDict (the `_metadata` of a module state dict). */
function build(obj: unknown, state: unknown): void {
  const states = Array.isArray(state) && Object.isFrozen(state) && state.length === 2 ? state : [state];
  for (const s of states) {
    if (s === null) continue;
    if (!(obj instanceof Map) || !(s instanceof PyDict))
      throw new UnpicklingError(`torch.load: cannot set state on a ${describe(obj)} (only an OrderedDict's attributes are supported)`);
    for (const [k, v] of s.map) {
      if (typeof k !== "string") throw new UnpicklingError("torch.load: attribute names must be str");
      Object.defineProperty(obj, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
  }
}

const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

/** Whether a string key would be read back by `save` as an int. */
function looksLikeInt(k: string): boolean {
  return CANONICAL_INT.test(k) && Number.isSafeInteger(Number(k));
}

/** Turns what the unpickler built (PyDict ...) into the JavaScript values documented above. */
function finish(root: unknown): unknown {
  const done = new Map<object, unknown>();
  const conv = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (v instanceof Tensor || v instanceof DType || v instanceof Uint8Array) return v;
    const seen = done.get(v);
    if (seen !== undefined) return seen;
    if (v instanceof PyDict) {
      const plain = [...v.map.keys()].every((k) => (typeof k === "string" && !looksLikeInt(k)) || (typeof k === "number" && Number.isSafeInteger(k) && !Object.is(k, -0)));
      if (plain) {
        const o: Record<string, unknown> = {};
        done.set(v, o);
        for (const [k, x] of v.map) {
          const key = String(k);
          if (key === "__proto__") Object.defineProperty(o, key, { value: conv(x), enumerable: true, writable: true, configurable: true });
          else o[key] = conv(x);
        }
        return o;
      }
      const m = new Map<unknown, unknown>();
      done.set(v, m);
      for (const [k, x] of v.map) m.set(conv(k), conv(x));
      return m;
    }
    if (v instanceof Map) {
      done.set(v, v);
      const entries = [...v.entries()];
      v.clear();
      for (const [k, x] of entries) v.set(conv(k), conv(x));
      for (const name of Object.getOwnPropertyNames(v)) {
        const d = Object.getOwnPropertyDescriptor(v, name)!;
        Object.defineProperty(v, name, { ...d, value: conv(d.value) });
      }
      return v;
    }
    if (Array.isArray(v)) {
      if (Object.isFrozen(v)) {
        const t = Object.freeze(v.map(conv));
        done.set(v, t);
        return t;
      }
      done.set(v, v);
      for (let i = 0; i < v.length; i++) v[i] = conv(v[i]);
      return v;
    }
    if (v instanceof Set) {
      done.set(v, v);
      return v;
    }
    if (v instanceof LoadedStorage)
      throw new RuntimeError(`torch.load: the file holds a bare storage (${STORAGE_OF[v.dtype.name]}); typetorch loads tensors, not storages`);
    throw new UnpicklingError(`torch.load: the file holds a ${describe(v)} object, which typetorch does not load`);
  };
  return conv(root);
}

/** The pickle magic of PyTorch's legacy format (a LONG1 of 0x1950a86a20f9469cfc6c). */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/**
 * Reads an object from the bytes of a file `torch.save` wrote (PyTorch's zip format).
 * Browser-safe. See the module comment for what Python values become.
 * @example
 * const bytes = torch.serialization.saveToBytes({ w: torch.ones(2) });
 * const obj = torch.serialization.loadFromBytes(bytes); // { w: tensor([1., 1.]) }
 */
export function loadFromBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): any {
  // NOTE: a plain Uint8Array view even for a Node Buffer, whose slice() would not copy
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  if (bytes.length === 0) throw new RuntimeError("torch.load: the file is empty (Ran out of input)");
  if (bytes[0] === 0x80 && bytes.length >= 2 && bytes[1]! <= 5) {
    const legacy = LEGACY_MAGIC.every((b, i) => bytes[i] === b);
    throw new RuntimeError(
      legacy
        ? "torch.load: this file uses PyTorch's legacy serialization format (before 1.6, or _use_new_zipfile_serialization=False), which typetorch does not read; load it in PyTorch and save it again with torch.save(obj, f) to get the zip format"
        : "torch.load: this file is a bare pickle, not an archive written by torch.save (PytorchStreamReader failed reading zip archive: failed finding central directory)",
    );
  }
  const zip = readZip(bytes);
  const first = zip.names[0];
  if (first === undefined) throw new RuntimeError("PytorchStreamReader failed reading zip archive: the archive is empty");
  const slash = first.indexOf("/");
  if (slash < 0) throw new RuntimeError(`PytorchStreamReader failed reading zip archive: file in archive is not in a subdirectory: ${first}`);
  const prefix = first.slice(0, slash + 1);
  for (const rec of ["version", ".data/version"]) {
    if (!zip.has(prefix + rec)) continue;
    const v = Number(new TextDecoder().decode(zip.read(prefix + rec)).trim());
    if (!Number.isInteger(v) || v > MAX_FORMAT_VERSION)
      throw new RuntimeError(`PytorchStreamReader failed reading file version: file format version ${v} is newer than the ${MAX_FORMAT_VERSION} this reader supports`);
    break;
  }
  if (zip.has(prefix + "byteorder")) {
    const order = new TextDecoder().decode(zip.read(prefix + "byteorder")).trim();
    if (order !== "little") throw new RuntimeError(`torch.load: the file's storages are ${order}-endian; typetorch reads little-endian files`);
  }
  if (!zip.has(prefix + "data.pkl")) throw new RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found");
  const storages = new Map<string, LoadedStorage>();
  const persistentLoad = (pid: unknown): unknown => {
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5)
      throw new UnpicklingError(`torch.load: unknown persistent id ${Array.isArray(pid) ? String(pid[0]) : describe(pid)}`);
    const [, type, key, , numel] = pid as unknown[];
    if (!(type instanceof StorageType)) throw new UnpicklingError(`torch.load: persistent id names a ${describe(type)}, not a storage type`);
    if (typeof key !== "string" || !Number.isSafeInteger(numel)) throw new UnpicklingError("torch.load: malformed storage reference");
    const cached = storages.get(key);
    if (cached) return cached;
    const dtype = dtypeOf(type.dtypeName);
    const name = `${prefix}data/${key}`;
    if (!zip.has(name)) throw new RuntimeError(`PytorchStreamReader failed locating file data/${key}: file not found`);
    const values = decodeStorage(zip.read(name), dtype, numel as number, `data/${key}`);
    const s = new LoadedStorage(key, dtype, getBackend().fromValues(dtype, values), numel as number);
    storages.set(key, s);
    return s;
  };
  const raw = unpickle(zip.read(prefix + "data.pkl"), { findClass, persistentLoad, build }, "data.pkl");
  return finish(raw);
}

// ------------------------------------------------------------------------------------------ saving

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Writes a JS number as Python would hold it (see the module comment). */
function writeNumber(w: PickleWriter, v: number): void {
  if (Number.isSafeInteger(v) && !Object.is(v, -0)) w.int(v);
  else w.float(v);
}

/** The little-endian bytes of a whole storage. */
function encodeStorage(storage: Storage, dtype: DType): { bytes: Uint8Array; numel: number } {
  const b = getBackend();
  const n = b.size(storage);
  const values = b.read({ storage, dtype, shape: [n], strides: [1], offset: 0 });
  // NOTE: on little-endian machines (all in practice) float data is written as its own bytes, no copy
  if (LITTLE_ENDIAN && (dtype === float32 || dtype === float64)) {
    const arr = dtype === float32 ? (values instanceof Float32Array ? values : Float32Array.from(values)) : values instanceof Float64Array ? values : Float64Array.from(values);
    return { bytes: new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), numel: n };
  }
  const out = new Uint8Array(n * dtype.itemsize);
  const dv = new DataView(out.buffer);
  switch (dtype.name) {
    case "float32":
      for (let i = 0; i < n; i++) dv.setFloat32(4 * i, values[i]!, true);
      break;
    case "float64":
      for (let i = 0; i < n; i++) dv.setFloat64(8 * i, values[i]!, true);
      break;
    case "int32":
      for (let i = 0; i < n; i++) dv.setInt32(4 * i, values[i]!, true);
      break;
    case "bool":
      for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
      break;
    case "int64":
      for (let i = 0; i < n; i++) {
        const v = Math.trunc(values[i]!);
        const hi = Math.floor(v / TWO_32);
        dv.setUint32(8 * i, v - hi * TWO_32, true);
        dv.setInt32(8 * i + 4, hi, true);
      }
      break;
  }
  return { bytes: out, numel: n };
}

/** Pickles obj the way PyTorch 1.13's torch.save does, collecting the storages it references. */
function pickleObject(obj: unknown): { pkl: Uint8Array; storages: { key: string; bytes: Uint8Array }[] } {
  const w = new PickleWriter();
  const storageKeys = new Map<Storage, Map<DType, string>>();
  const storages: { key: string; bytes: Uint8Array }[] = [];
  const inProgress = new Set<object>();

  const emptyOrderedDict = () => {
    w.global("collections", "OrderedDict");
    w.tuple(0, () => {});
    w.reduce();
    w.put();
  };
  const storageKey = (t: Tensor): { key: string; numel: number; fresh: boolean } => {
    let byDtype = storageKeys.get(t._storage);
    if (!byDtype) storageKeys.set(t._storage, (byDtype = new Map()));
    const k = byDtype.get(t.dtype);
    if (k !== undefined) return { key: k, numel: getBackend().size(t._storage), fresh: false };
    const key = String(storages.length);
    const { bytes, numel } = encodeStorage(t._storage, t.dtype);
    byDtype.set(t.dtype, key);
    storages.push({ key, bytes });
    return { key, numel, fresh: true };
  };
  const saveTensorV2 = (t: Tensor, requiresGrad: boolean) => {
    w.global("torch._utils", "_rebuild_tensor_v2");
    w.mark();
    // the persistent id: ('storage', torch.FloatStorage, key, 'cpu', numel)
    const { key, numel } = storageKey(t);
    w.tuple(5, () => {
      w.str("storage");
      w.global("torch", STORAGE_OF[t.dtype.name]);
      w.str(key);
      w.str("cpu");
      w.int(numel);
    });
    w.binpersid();
    w.int(t.storageOffset());
    const size = t.shape, stride = t.stride();
    w.tuple(size.length, () => size.forEach((s) => w.int(s)));
    w.tuple(stride.length, () => stride.forEach((s) => w.int(s)));
    w.bool(requiresGrad);
    emptyOrderedDict();
    w.op(0x74); // TUPLE
    w.reduce();
  };
  const saveKey = (k: unknown, where: string) => {
    if (typeof k === "string") w.str(k);
    else if (typeof k === "number") writeNumber(w, k);
    else if (typeof k === "bigint") w.int(k);
    else if (typeof k === "boolean") w.bool(k);
    else if (k === null || k === undefined) w.none();
    else if (Array.isArray(k) && Object.isFrozen(k)) save(k);
    else throw new TorchTypeError(`torch.save: a ${describe(k)} cannot be a dict key (at ${where}); use str, number, bigint, boolean, null or a frozen array (tuple)`);
  };
  const save = (v: unknown): void => {
    if (v === null || v === undefined) return w.none();
    if ((typeof v === "object" || typeof v === "function") && typeof (v as { stateDict?: unknown }).stateDict === "function")
      throw new TorchTypeError(
        `torch.save: cannot save a ${(v as object).constructor?.name ?? "module"} object (typetorch saves data, not modules or optimizers); save its stateDict() instead`,
      );
    switch (typeof v) {
      case "boolean":
        return w.bool(v);
      case "number":
        return writeNumber(w, v);
      case "bigint":
        return w.int(v);
      case "string":
        return w.str(v);
      case "object":
        break;
      default:
        throw new TorchTypeError(`torch.save: cannot save a value of type ${typeof v}`);
    }
    const o = v as object;
    if (w.get(o)) return;
    if (o instanceof Tensor) {
      if (o instanceof Parameter) {
        w.global("torch._utils", "_rebuild_parameter");
        w.tuple(3, () => {
          saveTensorV2(o, false);
          w.bool(o.requiresGrad);
          emptyOrderedDict();
        });
        w.reduce();
      } else saveTensorV2(o, o.requiresGrad);
      return w.put(o);
    }
    if (o instanceof DType) {
      w.global("torch", o.name);
      return;
    }
    if (o instanceof Uint8Array) {
      // bytes, as protocol 2 writes them: _codecs.encode(latin1 str, 'latin1')
      w.global("_codecs", "encode");
      let s = "";
      for (let i = 0; i < o.length; i++) s += String.fromCharCode(o[i]!);
      w.tuple(2, () => {
        w.str(s);
        w.str("latin1");
      });
      w.reduce();
      return w.put(o);
    }
    if (Array.isArray(o)) {
      if (Object.isFrozen(o)) {
        if (inProgress.has(o)) throw new TorchTypeError("torch.save: a tuple (frozen array) contains itself");
        inProgress.add(o);
        w.tuple(o.length, () => o.forEach(save));
        inProgress.delete(o);
        return w.put(o);
      }
      w.emptyList();
      w.put(o);
      w.appends(o, save);
      return;
    }
    if (o instanceof Map) {
      w.global("collections", "OrderedDict");
      w.tuple(0, () => {});
      w.reduce();
      w.put(o);
      w.setitems([...o.entries()], (k, x) => {
        saveKey(k, "an OrderedDict key");
        save(x);
      });
      const attrs = Object.getOwnPropertyNames(o);
      if (attrs.length) {
        w.emptyDict();
        w.put();
        w.setitems(
          attrs.map((a) => [a, (o as unknown as Record<string, unknown>)[a]] as const),
          (k, x) => {
            w.str(k);
            save(x);
          },
        );
        w.build();
      }
      return;
    }
    if (o instanceof Set) {
      w.global("__builtin__", "set");
      w.tuple(1, () => {
        w.emptyList();
        w.put();
        w.appends([...o], save);
      });
      w.reduce();
      return w.put(o);
    }
    if (isPlainObject(o)) {
      w.emptyDict();
      w.put(o);
      w.setitems(Object.entries(o), (k, x) => {
        if (looksLikeInt(k)) w.int(Number(k));
        else w.str(k);
        save(x);
      });
      return;
    }
    throw new TorchTypeError(
      `torch.save: cannot save a ${describe(o)}; typetorch saves tensors, Maps, plain objects, arrays, Sets, numbers, bigints, strings, booleans, null and Uint8Arrays (save a module's stateDict(), not the module)`,
    );
  };
  w.proto(2);
  save(obj);
  return { pkl: w.finish(), storages };
}

/**
 * The bytes of the file `torch.save(obj, f)` writes: a zip archive PyTorch's `torch.load` reads.
 * `archiveName` is the top folder inside the archive (PyTorch uses the file's name without its
 * extension, or "archive" for a buffer). Browser-safe.
 * @example
 * const bytes = torch.serialization.saveToBytes(model.stateDict());
 */
export function saveToBytes(obj: unknown, archiveName = "archive"): Uint8Array {
  const { pkl, storages } = pickleObject(obj);
  const prefix = archiveName + "/";
  const entries: ZipEntry[] = [{ name: prefix + "data.pkl", data: pkl }];
  // NOTE: PyTorch 1.13 writes storages in the order of their keys sorted as strings ("0", "1", "10", "2")
  const sorted = storages.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const s of sorted) entries.push({ name: `${prefix}data/${s.key}`, data: s.bytes });
  entries.push({ name: prefix + "version", data: new TextEncoder().encode(`${FILE_FORMAT_VERSION}\n`) });
  return writeZip(entries);
}

// ------------------------------------------------------------------------------------------ files

/** Something bytes can be written to (as Python's file-like objects for torch.save). */
export interface Writable {
  write(bytes: Uint8Array): unknown;
}
export type FileLike = string | URL | Writable;

function nodeFs(fn: "torch.save" | "torch.load"): typeof NodeFs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.("node:fs") as typeof NodeFs | undefined;
  if (!fs)
    throw new RuntimeError(
      fn === "torch.save"
        ? "torch.save: saving to a file path needs Node.js (20.16 or newer: process.getBuiltinModule); in a browser, use torch.serialization.saveToBytes(obj) and store or download the bytes yourself"
        : "torch.load: loading from a file path needs Node.js (20.16 or newer: process.getBuiltinModule); in a browser, fetch the file and call torch.serialization.loadFromBytes(new Uint8Array(await response.arrayBuffer()))",
    );
  return fs;
}

function pathString(f: string | URL): string {
  if (typeof f === "string") return f;
  if (f.protocol !== "file:") throw new TorchTypeError(`torch.save/torch.load: only file: URLs name files, got ${f.protocol}`);
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const url = proc?.getBuiltinModule?.("node:url") as { fileURLToPath(u: URL): string } | undefined;
  return url ? url.fileURLToPath(f) : decodeURIComponent(f.pathname);
}

/** PyTorch's archive name for a file: its base name without the last extension. */
function archiveNameFor(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.length ? stem : "archive";
}

/**
 * Saves obj to a file PyTorch's `torch.load` reads (PyTorch's default zip format).
 * f is a path (Node only; the file is written to a temporary file beside it and then renamed into
 * place, so a crash never leaves a half-written file) or an object with a `write(bytes)` method.
 * @example
 * torch.save(model.stateDict(), "model.pt");
 * torch.save(optimizer.stateDict(), "optimizer.pt");
 */
export function save(obj: unknown, f: FileLike): void {
  if (typeof f === "string" || f instanceof URL) {
    const fs = nodeFs("torch.save");
    const path = pathString(f);
    const bytes = saveToBytes(obj, archiveNameFor(path));
    const tmp = `${path}.tmp-${(globalThis as { process?: { pid?: number } }).process?.pid ?? 0}-${Math.random().toString(36).slice(2, 10)}`;
    let fd: number | null = null;
    try {
      fd = fs.openSync(tmp, "wx");
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = null;
      fs.renameSync(tmp, path);
    } catch (e) {
      if (fd !== null) try { fs.closeSync(fd); } catch { /* already failing */ }
      try { fs.unlinkSync(tmp); } catch { /* never created */ }
      throw e;
    }
    return;
  }
  if (f && typeof (f as Writable).write === "function") {
    (f as Writable).write(saveToBytes(obj));
    return;
  }
  throw new TorchTypeError(`torch.save: f must be a file path, a URL or an object with a write(bytes) method, got ${describe(f)}`);
}


/** torch.load's keyword arguments that typetorch accepts (so ported code keeps them). */
export interface LoadOptions {
  /** PyTorch's map_location: only "cpu" (or a torch.device-like "cpu") is meaningful; tensors always load on the CPU. */
  mapLocation?: string;
  /** PyTorch's weights_only: typetorch always loads through an allow-list, so true and false behave alike. */
  weightsOnly?: boolean;
}

/**
 * Loads an object that `torch.save` wrote (in PyTorch or in typetorch). f is a path (Node only)
 * or the file's bytes. Tensors land on the CPU. See the module comment for the value mapping.
 * @example
 * model.loadStateDict(torch.load("model.pt"));
 * optimizer.loadStateDict(torch.load("optimizer.pt", { mapLocation: "cpu" }));
 */
export function load(f: string | URL | Uint8Array | ArrayBuffer | ArrayBufferView, opts: LoadOptions = {}): any {
  const loc = opts.mapLocation;
  if (loc !== undefined && loc !== null && !String(loc).startsWith("cpu"))
    throw new RuntimeError(`torch.load: typetorch has no device "${String(loc)}" in this build; tensors load on "cpu" (pass mapLocation: "cpu" or leave it out)`);
  if (typeof f === "string" || f instanceof URL) {
    const fs = nodeFs("torch.load");
    const path = pathString(f);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ENOENT") throw new FileNotFoundError(`[Errno 2] No such file or directory: '${path}'`);
      if (code === "EISDIR") throw new RuntimeError(`torch.load: '${path}' is a directory, not a file`);
      throw e;
    }
    return loadFromBytes(bytes);
  }
  if (f instanceof ArrayBuffer || ArrayBuffer.isView(f)) return loadFromBytes(f);
  throw new TorchTypeError(`torch.load: f must be a file path, a URL or the file's bytes, got ${describe(f)}`);
}
