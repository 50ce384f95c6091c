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
 * | a bare storage (`torch.save(t.storage())`)   | the 1-D `Tensor` of its elements (typetorch has no storage type; it shares memory with the tensors that view the storage) |
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
 * Supported dtypes: float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool,
 * each loaded as itself and saved as PyTorch's storage class for it (HalfStorage, ByteStorage ...).
 * int64 is held in a Float64Array, so a stored int64 beyond +-2^53 raises an error instead of
 * rounding. Complex and quantized dtypes are refused with an error that names them.
 *
 * Files read: PyTorch's zip format (1.6 and later), with stored or deflated entries (an archive
 * re-zipped by another tool; `loadFromBytesAsync` inflates with `DecompressionStream` where there is
 * no Node), little- or big-endian (PyTorch 2's `byteorder` record), and the legacy format
 * (`_use_new_zipfile_serialization=False`, and PyTorch 0.4 to 1.5). The tar format of PyTorch 0.3
 * and TorchScript archives (`torch.jit.save`) are refused with an error that says what to do.
 *
 * Loading never runs code: the pickle's globals go through an allow-list (OrderedDict, PyTorch's
 * tensor/parameter rebuild functions and storage types, dtypes, torch.Size, torch.device, set,
 * frozenset, bytes); anything else (a pickled nn.Module, a numpy array) is refused with an error.
 * Loading a hostile or corrupt file costs time and memory linear in its size and never recurses on
 * its nesting; what is wrong with it is reported with PyTorch's error class and words where
 * PyTorch has them (RuntimeError "numel: integer multiplication overflow", UnpicklingError "Memo
 * value not found at index 5", ...), otherwise with a RuntimeError or UnpicklingError that says what
 * is wrong. Where PyTorch itself would read past a storage's end (a storage shorter than its
 * declared size) or ignore a CRC-32 mismatch, typetorch refuses the file.
 * @module
 */

import { getBackend, type Storage } from "../backend/backend.js";
import { Tensor } from "../tensor/tensor.js";
import { DType, float32, float64 } from "../tensor/dtype.js";
import { Parameter } from "../nn/parameter.js";
import { RuntimeError, TorchTypeError } from "../errors.js";
import { describe, PickleWriter } from "./pickle.js";
import { writeZip, type ZipEntry } from "./zip.js";
import { looksLikeInt, STORAGE_OF } from "./torch_pickle.js";
import { archiveNameFor, pathString, readCheckpoint, writeCheckpoint } from "./files.js";
import { loadFromBytes } from "./load.js";
import { encodeLE } from "./dtype_bytes.js";

export { FileNotFoundError, IsADirectoryError, PermissionError, UnpicklingError, EOFError } from "../errors.js";
export { loadFromBytes, loadFromBytesAsync } from "./load.js";
export { crc32 } from "./zip.js";

/** The version record PyTorch 1.13 writes (`<archive>/version`: "3\n"). */
const FILE_FORMAT_VERSION = 3;

const TWO_32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
  if (dtype.name !== "float32" && dtype.name !== "float64" && dtype.name !== "int32" && dtype.name !== "bool" && dtype.name !== "int64")
    return { bytes: encodeLE(values, dtype), numel: n }; // (the narrow dtypes, dtype_bytes.ts)
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
 * const model = new nn.Linear(2, 1);
 * const bytes = torch.serialization.saveToBytes(model.stateDict());
 */
export function saveToBytes(obj: unknown, archiveName = "archive"): Uint8Array {
  let pickled: ReturnType<typeof pickleObject>;
  try {
    pickled = pickleObject(obj);
  } catch (e) {
    // NOTE: the writer recurses on the object, as Python's pickle does, and fails as it does on an
    // object nested deeper than the stack allows (Python: RecursionError)
    if (e instanceof RangeError && /call stack/i.test(e.message))
      throw new RuntimeError("torch.save: maximum recursion depth exceeded while pickling an object (it nests too deeply)");
    throw e;
  }
  const { pkl, storages } = pickled;
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

/**
 * Saves obj to a file PyTorch's `torch.load` reads (PyTorch's default zip format): PyTorch's
 * `torch.save`. f is a path (Node only; written to a temp file beside the target and renamed into
 * place, so a crash never leaves a half-written file; a symbolic link is written through, and an
 * existing file keeps its permissions) or an object with a `write(bytes)` method.
 * @example
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
 * torch.save(model.stateDict(), "model.pt");
 * torch.save(optimizer.stateDict(), "optimizer.pt");
 */
export function save(obj: unknown, f: FileLike): void {
  if (typeof f === "string" || f instanceof URL) {
    const path = pathString(f);
    writeCheckpoint(path, saveToBytes(obj, archiveNameFor(path)));
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
 * Loads an object that `torch.save` wrote (in PyTorch or in typetorch): PyTorch's `torch.load`.
 * f is a path (Node only) or the file's bytes. Tensors land on the CPU. See the module comment for
 * the value mapping and the formats read.
 * @example
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
 * torch.save(model.stateDict(), "model.pt");
 * torch.save(optimizer.stateDict(), "optimizer.pt");
 * model.loadStateDict(torch.load("model.pt"));
 * optimizer.loadStateDict(torch.load("optimizer.pt", { mapLocation: "cpu" }));
 */
export function load(f: string | URL | Uint8Array | ArrayBuffer | ArrayBufferView, opts: LoadOptions = {}): any {
  const loc = opts.mapLocation;
  if (loc !== undefined && loc !== null && !String(loc).startsWith("cpu"))
    throw new RuntimeError(`torch.load: typetorch has no device "${String(loc)}" in this build; tensors load on "cpu" (pass mapLocation: "cpu" or leave it out)`);
  if (typeof f === "string" || f instanceof URL) return loadFromBytes(readCheckpoint(pathString(f)));
  if (f instanceof ArrayBuffer || ArrayBuffer.isView(f)) return loadFromBytes(f);
  throw new TorchTypeError(`torch.load: f must be a file path, a URL or the file's bytes, got ${describe(f)}`);
}
