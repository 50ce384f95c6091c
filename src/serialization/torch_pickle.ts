// What the pickle inside a `.pt` file may name (the allow-list: PyTorch's rebuild functions, storage
// types, dtypes, OrderedDict ...) and what its values become in JavaScript. Shared by the zip
// format (load.ts) and the legacy one (legacy.ts). Browser-safe.
//
// NOTE: hostile files. Nothing here recurses on the file's structure (the conversion of the
// unpickled graph is a loop over a work list), every size and offset is checked as PyTorch 1.13's
// `set_` checks it (with exact 64-bit integer arithmetic, in PyTorch's order and words) before a tensor
// is made, and BUILD cannot set a property that would hide a Map's own methods (`get`, `has`, ...).

import { getBackend, type Storage } from "../backend/backend.js";
import { Tensor } from "../tensor/tensor.js";
import { DType, dtypes, type DTypeName } from "../tensor/dtype.js";
import { Parameter } from "../nn/parameter.js";
import { AssertionError, RuntimeError, TorchTypeError, UnpicklingError, ValueError } from "../errors.js";
import { decodeLE } from "./dtype_bytes.js";
import { describe, PyCallable, PyDict, type UnpicklerHooks } from "./pickle.js";

// ------------------------------------------------------------------------------------------ dtypes

/** Storage class names (`torch.FloatStorage`) and the dtypes they hold, PyTorch's names. */
export const STORAGE_TYPES: Record<string, string> = {
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
/** The storage class PyTorch names for each of typetorch's dtypes (what `save` writes). */
export const STORAGE_OF: Record<DTypeName, string> = {
  float32: "FloatStorage",
  float64: "DoubleStorage",
  int64: "LongStorage",
  int32: "IntStorage",
  bool: "BoolStorage",
  float16: "HalfStorage",
  bfloat16: "BFloat16Storage",
  uint8: "ByteStorage",
  int8: "CharStorage",
  int16: "ShortStorage",
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
/** Bytes per element of each storage dtype PyTorch writes. */
const ITEMSIZE: Record<string, number> = {
  float32: 4, float64: 8, int64: 8, int32: 4, bool: 1, float16: 2, bfloat16: 2, uint8: 1, int8: 1, int16: 2,
  complex32: 4, complex64: 8, complex128: 16, qint8: 1, quint8: 1, qint32: 4, quint4x2: 1, quint2x4: 1,
};
/** The dtype a storage of the file's dtype loads as (each its own; complex and quantized ones are refused). */
const LOADS_AS: Record<string, DTypeName> = {
  float32: "float32", float64: "float64", int64: "int64", int32: "int32", bool: "bool", float16: "float16", bfloat16: "bfloat16", uint8: "uint8", int8: "int8", int16: "int16",
};

function unsupportedDtype(name: string): RuntimeError {
  return new RuntimeError(
    `torch.load: dtype torch.${name} is not supported by typetorch (it has float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8 and bool); convert the tensor in PyTorch before saving it (e.g. t.float() or t.long())`,
  );
}
function dtypeOf(name: string): DType {
  const d = (dtypes as Record<string, DType | undefined>)[name];
  if (!d) throw unsupportedDtype(name);
  return d;
}

/** `torch.FloatStorage` and friends, as the unpickler sees them (a marker, not callable). */
export class StorageType {
  constructor(
    readonly qualname: string,
    /** PyTorch's dtype name of the elements in the file ("float16") */
    readonly dtypeName: string,
  ) {}
  /** Bytes per element in the file. */
  get itemsize(): number {
    return ITEMSIZE[this.dtypeName]!;
  }
  /** typetorch's dtype for these elements; throws for dtypes typetorch lacks. */
  loadsAs(): DType {
    const n = LOADS_AS[this.dtypeName];
    if (!n) throw unsupportedDtype(this.dtypeName);
    return dtypeOf(n);
  }
}

/**
 * A storage read from the file: `numel` elements of the file's dtype, held in backend storage of
 * typetorch's dtype from element `base` on (legacy files may hold views of one storage).
 */
export class LoadedStorage {
  constructor(
    readonly key: string,
    readonly type: StorageType,
    readonly dtype: DType,
    readonly storage: Storage,
    readonly numel: number,
    readonly base = 0,
  ) {}
}

// ------------------------------------------------------------------------------------------ storages

const TWO_32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE half precision bits to a number (exact: every half is a float32). */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * Decodes a storage record (`numel` elements of `type`, little-endian unless `littleEndian` is false)
 * into the typed array typetorch keeps for the dtype it loads as.
 */
export function decodeStorage(bytes: Uint8Array, type: StorageType, numel: number, where: string, littleEndian = true): ArrayLike<number> {
  const dtype = type.loadsAs();
  if (!Number.isSafeInteger(numel) || numel < 0) throw new RuntimeError(`torch.load: storage ${where} has an invalid size ${numel} (the file is corrupt)`);
  const size = type.itemsize;
  const need = numel * size;
  if (bytes.length < need)
    throw new RuntimeError(`torch.load: storage ${where} holds ${bytes.length} bytes, but ${numel} elements of ${type.dtypeName} need ${need} (the file is corrupt)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, need);
  const le = littleEndian;
  const native = le === LITTLE_ENDIAN;
  switch (type.dtypeName) {
    case "float32": {
      if (native) return new Float32Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Float32Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getFloat32(4 * i, le);
      return a;
    }
    case "float64": {
      if (native) return new Float64Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Float64Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getFloat64(8 * i, le);
      return a;
    }
    case "int32": {
      if (native) return new Int32Array(new Uint8Array(bytes.subarray(0, need)).buffer);
      const a = new Int32Array(numel);
      for (let i = 0; i < numel; i++) a[i] = dv.getInt32(4 * i, le);
      return a;
    }
    case "bool": {
      // NOTE: PyTorch's bools are bytes 0/1; any other byte reads as true, as a C++ bool would be tested
      const a = new Uint8Array(numel);
      for (let i = 0; i < numel; i++) a[i] = bytes[i] ? 1 : 0;
      return a;
    }
    case "uint8":
    case "int8":
    case "int16":
      return decodeLE(bytes, dtype, numel);
    case "float16": {
      const a = new Float32Array(numel);
      for (let i = 0; i < numel; i++) a[i] = halfToNumber(dv.getUint16(2 * i, le));
      return a;
    }
    case "bfloat16": {
      // NOTE: a bfloat16 is the top half of a float32's bits
      const a = new Float32Array(numel);
      const bits = new Uint32Array(a.buffer);
      for (let i = 0; i < numel; i++) bits[i] = dv.getUint16(2 * i, le) << 16;
      return a;
    }
    case "int64": {
      // NOTE: typetorch holds int64 in doubles, exact up to 2^53 in magnitude. Each value is read as
      // hi * 2^32 + lo (exact whenever the result is within 2^53); anything beyond is refused rather
      // than silently rounded.
      const a = new Float64Array(numel);
      for (let i = 0; i < numel; i++) {
        const lo = dv.getUint32(8 * i + (le ? 0 : 4), le), hi = dv.getInt32(8 * i + (le ? 4 : 0), le);
        if (hi < -2097152 || hi > 2097152 || (hi === 2097152 && lo !== 0)) {
          const v = dv.getBigInt64(8 * i, le);
          throw new RuntimeError(
            `torch.load: int64 value ${v} (element ${i} of storage ${where}) is beyond 2^53 in magnitude; typetorch holds int64 in float64 and cannot represent it exactly`,
          );
        }
        a[i] = hi * TWO_32 + lo;
      }
      return a;
    }
  }
  throw unsupportedDtype(dtype.name);
}

/** A storage of the file's bytes, in backend storage. */
export function loadStorage(bytes: Uint8Array, type: StorageType, key: string, numel: number, where: string, littleEndian = true): LoadedStorage {
  const values = decodeStorage(bytes, type, numel, where, littleEndian);
  const dtype = type.loadsAs();
  return new LoadedStorage(key, type, dtype, getBackend().fromValues(dtype, values), numel);
}

// ------------------------------------------------------------------------------------------ tensors

const U64 = 1n << 64n;
const INT64_MAX = (1n << 63n) - 1n;

/** Python's type name of an unpickled value, for PyTorch-worded errors. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (v instanceof PyDict) return "dict";
  if (Array.isArray(v)) return Object.isFrozen(v) ? "tuple" : "list";
  return describe(v);
}

/** PyTorch's Python binding refusing set_'s arguments (a size that is not a tuple of ints ...). */
function badSetArgs(args: readonly unknown[]): TorchTypeError {
  return new TorchTypeError(
    `set_() received an invalid combination of arguments - got (torch.storage.UntypedStorage, ${args.map(pyType).join(", ")}), but expected (torch.Storage source, int storage_offset, tuple of ints size, tuple of ints stride)`,
  );
}
const isInt = (v: unknown): v is number | bigint | boolean => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint" || typeof v === "boolean";
/** The int64 PyTorch's binding parses from a Python int (sizes, strides, offsets), as a bigint. */
function int64Of(v: number | bigint | boolean, what: string, pos: number): bigint {
  const b = typeof v === "boolean" ? (v ? 1n : 0n) : BigInt(v);
  if (b > INT64_MAX || b < -(1n << 63n)) throw new TorchTypeError(`set_(): argument '${what}' must be tuple of ints, but found element of type int at pos ${pos}`);
  return b;
}

/** a * b as C++'s uint64_t multiplication: the wrapped product, and whether it overflowed. */
function mulU64(a: bigint, b: bigint): [bigint, boolean] {
  const p = BigInt.asUintN(64, a) * BigInt.asUintN(64, b);
  return [p % U64, p >= U64];
}
function addU64(a: bigint, b: bigint): [bigint, boolean] {
  const s = BigInt.asUintN(64, a) + BigInt.asUintN(64, b);
  return [s % U64, s >= U64];
}

/**
 * PyTorch 1.13's checks when `_rebuild_tensor` calls `tensor.set_(storage, offset, size, stride)`:
 * checkSetStorage, then TensorImpl's numel (c10::safe_multiply_u64), then computeStorageNbytes, then
 * the (not resizable) storage's size, each with PyTorch's words, in its order.
 */
function checkSetStorage(offset: bigint, size: bigint[], stride: bigint[], itemsize: number, storageNbytes: number): void {
  if (size.length !== stride.length) throw new RuntimeError(`unequal size length (${size.length}) and stride length (${stride.length})`);
  if (offset < 0n) throw new RuntimeError(`Tensor: invalid storage offset ${offset}`);
  let numel = 1n, over = false;
  for (const s of size) {
    let o: boolean;
    [numel, o] = mulU64(numel, s);
    over ||= o;
  }
  if (over || numel > INT64_MAX) throw new RuntimeError("numel: integer multiplication overflow");
  // computeStorageNbytes: a size of 0 anywhere needs no storage
  if (size.some((s) => s === 0n)) return;
  let nbytes = offset + 1n;
  over = false;
  for (let i = 0; i < size.length; i++) {
    const [strided, o1] = mulU64(stride[i]!, size[i]! - 1n);
    const [sum, o2] = addU64(nbytes, strided);
    nbytes = sum;
    over ||= o1 || o2;
  }
  const [bytes, o3] = mulU64(nbytes, BigInt(itemsize));
  over ||= o3 || bytes > INT64_MAX;
  if (over) throw new RuntimeError(`Storage size calculation overflowed with sizes=[${size.join(", ")}] and strides=[${stride.join(", ")}]`);
  if (bytes > BigInt(storageNbytes)) throw new RuntimeError("Trying to resize storage that is not resizable");
}

/** The largest element count typetorch indexes (sizes, strides and offsets are JS numbers). */
const MAX_NUMEL = BigInt(Number.MAX_SAFE_INTEGER);

/** torch._utils._rebuild_tensor_v2: a tensor viewing a loaded storage. */
export function rebuildTensor(args: readonly unknown[], fn: string): Tensor {
  const [storage, offsetArg, sizeArg, strideArg, requiresGrad] = args;
  if (!(storage instanceof LoadedStorage)) throw new UnpicklingError(`torch.load: ${fn} expects a storage, got a ${describe(storage)} (the file is corrupt)`);
  if (!isInt(offsetArg) || !Array.isArray(sizeArg) || !Array.isArray(strideArg) || !sizeArg.every(isInt) || !strideArg.every(isInt))
    throw badSetArgs([offsetArg, sizeArg, strideArg]);
  const offset = int64Of(offsetArg, "storage_offset", 1);
  const size = sizeArg.map((v, i) => int64Of(v, "size", i + 1)), stride = strideArg.map((v, i) => int64Of(v, "stride", i + 1));
  checkSetStorage(offset, size, stride, storage.type.itemsize, storage.numel * storage.type.itemsize);
  // NOTE: PyTorch loads a tensor of up to 2^63 elements whose strides stay inside its storage (an
  // expanded one, stride 0); typetorch's sizes are JS numbers, exact up to 2^53.
  let numel = 1n;
  for (const s of size) numel *= s;
  if (numel > MAX_NUMEL || size.some((s) => s > MAX_NUMEL) || stride.some((s) => s > MAX_NUMEL))
    throw new RuntimeError(
      `torch.load: a tensor of sizes [${size.join(", ")}] and strides [${stride.join(", ")}] is beyond what typetorch can index (sizes, strides and element counts up to 2^53)`,
    );
  // NOTE: TensorImpl::set_sizes_and_strides replaces a negative stride (only possible here beside a
  // size of 0) by the contiguous one, from the last dim backwards
  const sizes = size.map(Number), strides = stride.map(Number);
  for (let d = strides.length - 1; d >= 0; d--)
    if (strides[d]! < 0) strides[d] = d === strides.length - 1 ? 1 : Math.max(sizes[d + 1]!, 1) * strides[d + 1]!;
  const t = new Tensor(storage.storage, sizes, strides, Number(offset) + storage.base, storage.dtype);
  if (requiresGrad === true && t.dtype.isFloatingPoint) t.requiresGrad_(true);
  return t;
}

function asBool(v: unknown): boolean {
  return v === true || v === 1;
}

function rebuildParameter(args: readonly unknown[]): Parameter {
  const [data, requiresGrad] = args;
  if (!(data instanceof Tensor)) throw new UnpicklingError(`torch.load: _rebuild_parameter expects a tensor, got a ${describe(data)}`);
  return new Parameter(data, asBool(requiresGrad) && data.dtype.isFloatingPoint);
}

// ------------------------------------------------------------------------------------------ the allow-list

const ORDERED_DICT = new PyCallable("collections.OrderedDict", (args) => {
  const m = new Map<unknown, unknown>();
  const init = args[0];
  if (Array.isArray(init))
    for (let i = 0; i < init.length; i++) {
      const pair: unknown = init[i];
      if (!Array.isArray(pair)) throw new TorchTypeError(`'${pyType(pair)}' object is not iterable`);
      if (pair.length !== 2) throw new ValueError(`dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
      m.set(pair[0], pair[1]);
    }
  else if (init instanceof PyDict) for (const [k, v] of init.map) m.set(k, v);
  else if (init !== undefined && init !== null) throw new UnpicklingError(`torch.load: OrderedDict expects a list of pairs or a dict, got a ${describe(init)}`);
  return m;
});

const REBUILDERS: Record<string, PyCallable> = {
  _rebuild_tensor_v2: new PyCallable("torch._utils._rebuild_tensor_v2", (a) => rebuildTensor(a, "_rebuild_tensor_v2")),
  _rebuild_tensor: new PyCallable("torch._utils._rebuild_tensor", (a) => rebuildTensor([...a.slice(0, 4), false], "_rebuild_tensor")),
  _rebuild_parameter: new PyCallable("torch._utils._rebuild_parameter", (a) => rebuildParameter(a)),
  _rebuild_parameter_with_state: new PyCallable("torch._utils._rebuild_parameter_with_state", (a) => rebuildParameter(a)),
};

function iterableArg(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  throw new UnpicklingError(`torch.load: expected a list, got a ${describe(v)}`);
}
const SET = new PyCallable("builtins.set", (a) => new Set(a.length ? iterableArg(a[0]) : []));
const FROZENSET = new PyCallable("builtins.frozenset", (a) => new Set(a.length ? iterableArg(a[0]) : []));

const TORCH_SIZE = new PyCallable("torch.Size", (a) => {
  const s = a.length ? a[0] : [];
  if (!Array.isArray(s) || !s.every((x) => Number.isSafeInteger(x))) throw new UnpicklingError("torch.load: torch.Size expects a tuple of ints");
  return Object.freeze(s.slice());
});

/** torch.device(type, index) or torch.device("type:index"), as the string typetorch uses for a device. */
const TORCH_DEVICE = new PyCallable("torch.device", (a) => {
  const [type, index] = a;
  if (typeof type !== "string") throw new TorchTypeError(`torch.load: torch.device expects a device string such as 'cpu' or 'cuda:0', got a ${describe(type)} (the file is corrupt)`);
  if (index === undefined || index === null) return type;
  if (!Number.isSafeInteger(index)) throw new TorchTypeError(`torch.load: torch.device expects an int device index, got a ${describe(index)} (the file is corrupt)`);
  return `${type}:${index as number}`;
});

const CODECS_ENCODE = new PyCallable("_codecs.encode", (a) => {
  const [s, enc] = a;
  if (typeof s !== "string" || (enc !== "latin1" && enc !== "latin-1")) throw new UnpicklingError("torch.load: _codecs.encode is only allowed for latin1 bytes");
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new UnpicklingError("torch.load: _codecs.encode: 'latin-1' codec can't encode a character beyond U+00FF");
    b[i] = c;
  }
  return b;
});

/** The allow-list: the only globals a file may name. */
export function findClass(module: string, name: string): unknown {
  const qual = `${module}.${name}`;
  if (module === "collections" && name === "OrderedDict") return ORDERED_DICT;
  if ((module === "torch._utils" || module === "torch._tensor") && Object.hasOwn(REBUILDERS, name)) return REBUILDERS[name];
  if ((module === "torch" || module === "torch.cuda") && Object.hasOwn(STORAGE_TYPES, name)) return new StorageType(qual, STORAGE_TYPES[name]!);
  if (module === "torch" && Object.hasOwn(DTYPE_NAMES, name)) return dtypeOf(DTYPE_NAMES[name]!);
  if (module === "torch" && name === "Size") return TORCH_SIZE;
  if (module === "torch" && name === "device") return TORCH_DEVICE;
  if (module === "__builtin__" || module === "builtins") {
    if (name === "set") return SET;
    if (name === "frozenset") return FROZENSET;
  }
  if (module === "_codecs" && name === "encode") return CODECS_ENCODE;
  throw new UnpicklingError(
    `torch.load: the file refers to the Python global ${qual}, which typetorch does not load. Only tensors, state dicts and plain data (dict, list, tuple, int, float, str, bool, None) can be read, and no code from a file is ever run. If the file holds a pickled nn.Module or other Python object, save its state_dict() in PyTorch instead.`,
  );
}

/**
 * BUILD: only attribute state on an OrderedDict (the `_metadata` of a module state dict). An
 * attribute is a non-enumerable property of the Map; one that would hide a property the Map already
 * has (`get`, `has`, `set`, `size`, `constructor`, `__proto__`, `toString` ...) is refused, so a file
 * cannot make a later `loadStateDict` or any other use of the Map misbehave.
 */
export function build(obj: unknown, state: unknown): void {
  const states = Array.isArray(state) && Object.isFrozen(state) && state.length === 2 ? state : [state];
  for (const s of states) {
    if (s === null) continue;
    if (!(obj instanceof Map) || !(s instanceof PyDict))
      throw new UnpicklingError(`torch.load: cannot set state on a ${describe(obj)} (only an OrderedDict's attributes are supported)`);
    for (const [k, v] of s.map) {
      if (typeof k !== "string") throw new UnpicklingError("torch.load: attribute names must be str");
      if (k === "__proto__" || (k in obj && !Object.hasOwn(obj, k)))
        throw new UnpicklingError(`torch.load: the file sets an attribute '${k}' on an OrderedDict, which would hide the Map's own '${k}'; refused`);
      Object.defineProperty(obj, k, { value: v, enumerable: false, writable: true, configurable: true });
    }
  }
}

/** The unpickler hooks of a `.pt` file, with the caller's persistent_load. */
export function torchHooks(persistentLoad: (pid: unknown) => unknown): UnpicklerHooks {
  return { findClass, persistentLoad, build };
}

/**
 * PyTorch's persistent_load for the zip format: `('storage', storage_type, key, location, numel)`,
 * with its checks (an assert on the tuple and its typename, a 4-way unpack of the rest).
 */
export function storageRef(pid: unknown, arity: number): { type: StorageType; key: string; numel: number; rest: readonly unknown[] } {
  if (!Array.isArray(pid) || !Object.isFrozen(pid)) throw new AssertionError("");
  const typename = pid[0];
  if (typename !== "storage") {
    if (arity === 4) throw new AssertionError(`Unknown typename for persistent_load, expected 'storage' but got '${typeof typename === "string" ? typename : describe(typename)}'`);
    throw new RuntimeError(`Unknown saved id type: ${typeof typename === "string" ? typename : describe(typename)}`);
  }
  const data = pid.slice(1);
  if (data.length < arity) throw new ValueError(`not enough values to unpack (expected ${arity}, got ${data.length})`);
  if (data.length > arity) throw new ValueError(`too many values to unpack (expected ${arity})`);
  const [type, key, location, numel] = data;
  if (!(type instanceof StorageType)) throw new UnpicklingError(`torch.load: persistent id names a ${describe(type)}, not a storage type`);
  // NOTE: the storage's device: every tensor loads on the CPU (PyTorch's map_location="cpu"), but a
  // location PyTorch has no deserializer for is refused with its words
  const loc = location instanceof Uint8Array ? new TextDecoder().decode(location) : location;
  if (typeof loc !== "string") throw new TorchTypeError(`torch.load: a storage's location must be a str such as 'cpu' or 'cuda:0', got a ${pyType(loc)} (the file is corrupt)`);
  if (!/^(cpu|cuda|mps)(:[0-9]+)?$/.test(loc)) throw new RuntimeError(`don't know how to restore data location of torch.storage.UntypedStorage (tagged with ${loc})`);
  if (typeof key !== "string" && !(typeof key === "number" && Number.isSafeInteger(key))) throw new UnpicklingError("torch.load: malformed storage reference (its key is not a str)");
  // NOTE: PyTorch passes numel * itemsize to a binding that takes a size_t: a negative count, or one
  // of 2^64 bytes or more, is a TypeError there; typetorch's bound is 2^53 elements
  if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0)
    throw new TorchTypeError(`torch.load: storage ${String(key)} has an invalid size ${typeof numel === "number" || typeof numel === "bigint" ? String(numel) : describe(numel)} (the file is corrupt)`);
  return { type, key: String(key), numel, rest: data };
}

// ------------------------------------------------------------------------------------------ conversion

const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

/** Whether a string key would be read back by `save` as an int. */
export function looksLikeInt(k: string): boolean {
  return CANONICAL_INT.test(k) && Number.isSafeInteger(Number(k));
}

function isPlainKeyed(d: PyDict): boolean {
  for (const k of d.map.keys()) {
    if (typeof k === "string" ? looksLikeInt(k) : !(typeof k === "number" && Number.isSafeInteger(k) && !Object.is(k, -0))) return false;
  }
  return true;
}

/**
 * Turns what the unpickler built (PyDict ...) into the JavaScript values documented in index.ts.
 * NOTE: a work list, not recursion: a file nests as deep as it likes (PyTorch loads 10^5 levels)
 * without touching the JS stack. Each container gets its output object first (so shared and
 * cyclic references come out shared and cyclic), then its items; tuples are frozen at the end.
 */
export function finish(root: unknown): unknown {
  const done = new Map<object, unknown>();
  const pending: object[] = [];
  const tuples: unknown[][] = [];
  const storageTensor = (s: LoadedStorage): Tensor => new Tensor(s.storage, [s.numel], [1], s.base, s.dtype);
  const shell = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (v instanceof Tensor || v instanceof DType || v instanceof Uint8Array) return v;
    if (done.has(v)) return done.get(v);
    let out: unknown;
    if (v instanceof PyDict) out = isPlainKeyed(v) ? {} : new Map();
    else if (v instanceof Map) out = v;
    else if (Array.isArray(v)) {
      if (Object.isFrozen(v)) tuples.push((out = []) as unknown[]);
      else out = v;
    } else if (v instanceof Set) out = new Set();
    // NOTE: a bare storage (torch.save(t.storage())): typetorch has no storage type, so it becomes
    // the 1-D tensor of its elements, sharing memory with the tensors that view it
    else if (v instanceof LoadedStorage) out = storageTensor(v);
    else if (v instanceof StorageType) throw new UnpicklingError(`torch.load: the file holds the storage class ${v.qualname} itself, which typetorch does not load`);
    else throw new UnpicklingError(`torch.load: the file holds a ${describe(v)} object, which typetorch does not load`);
    done.set(v, out);
    if (!(v instanceof LoadedStorage)) pending.push(v);
    return out;
  };
  const fill = (v: object, out: unknown): void => {
    if (v instanceof PyDict) {
      if (out instanceof Map) {
        for (const [k, x] of v.map) out.set(shell(k), shell(x));
        return;
      }
      const o = out as Record<string, unknown>;
      for (const [k, x] of v.map) {
        const key = String(k);
        if (key === "__proto__") Object.defineProperty(o, key, { value: shell(x), enumerable: true, writable: true, configurable: true });
        else o[key] = shell(x);
      }
      return;
    }
    if (v instanceof Map) {
      const entries = [...v.entries()];
      v.clear();
      for (const [k, x] of entries) v.set(shell(k), shell(x));
      for (const name of Object.getOwnPropertyNames(v)) {
        const d = Object.getOwnPropertyDescriptor(v, name)!;
        Object.defineProperty(v, name, { ...d, value: shell(d.value) });
      }
      return;
    }
    if (Array.isArray(v)) {
      const o = out as unknown[];
      if (o === v) for (let i = 0; i < v.length; i++) v[i] = shell(v[i]);
      else for (let i = 0; i < v.length; i++) o.push(shell(v[i]));
      return;
    }
    if (v instanceof Set) for (const x of v) (out as Set<unknown>).add(shell(x));
  };
  const result = shell(root);
  while (pending.length) {
    const v = pending.pop()!;
    fill(v, done.get(v));
  }
  for (const t of tuples) Object.freeze(t);
  return result;
}
