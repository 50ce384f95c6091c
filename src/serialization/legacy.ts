// PyTorch's legacy serialization format (torch.save before 1.6, or with
// `_use_new_zipfile_serialization=False`), read as torch.serialization._legacy_load reads it:
//
//   pickle: magic number 0x1950a86a20f9469cfc6c      pickle: protocol version 1001
//   pickle: sys_info {protocol_version, little_endian, type_sizes}
//   pickle: the object; its storages are persistent ids
//           ('storage', storage_type, root_key, location, numel, view_metadata)
//   pickle: the list of root keys whose data follows, in order
//   for each key: int64 element count (little-endian), then the elements' bytes (little-endian)
//
// NOTE: hostile files. The storages' data comes after the pickle that refers to them, so each is
// allocated when first referenced and filled afterwards; their total size is capped at the file's
// length (their bytes must all be in the file), so a file cannot ask for more memory than it holds.
// Browser-safe.

import { getBackend } from "../backend/backend.js";
import { AssertionError, RuntimeError, UnpicklingError } from "../errors.js";
import { describe, PyDict, unpickleAt, type UnpicklerHooks } from "./pickle.js";
import { decodeStorage, finish, LoadedStorage, storageRef, torchHooks } from "./torch_pickle.js";

const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/** Hooks for the small header pickles: plain values only. */
const PLAIN: UnpicklerHooks = {
  findClass: (module, name) => {
    throw new UnpicklingError(`torch.load: the header of a legacy file names the Python global ${module}.${name}; refused`);
  },
  build: () => {
    throw new UnpicklingError("torch.load: the header of a legacy file holds an object with state; refused");
  },
};

function pyStr(v: unknown): string {
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return describe(v);
}

/** torch.serialization._legacy_load. */
export function loadLegacy(bytes: Uint8Array): unknown {
  let r = unpickleAt(bytes, 0, PLAIN, "the file");
  if (r.value !== MAGIC_NUMBER) throw new RuntimeError("Invalid magic number; corrupt file?");
  r = unpickleAt(bytes, r.end, PLAIN, "the file");
  if (r.value !== PROTOCOL_VERSION) throw new RuntimeError(`Invalid protocol version: ${pyStr(r.value)}`);
  r = unpickleAt(bytes, r.end, PLAIN, "the file"); // sys_info
  if (!(r.value instanceof PyDict)) throw new UnpicklingError("torch.load: a legacy file's sys_info is not a dict (the file is corrupt)");

  const roots = new Map<string, LoadedStorage>();
  const views = new Map<string, LoadedStorage>();
  let budget = bytes.length;
  const persistentLoad = (pid: unknown): unknown => {
    if (Array.isArray(pid) && pid[0] === "module")
      // ('module', cls, source_file, source): a pickled nn.Module's class, already refused by the allow-list
      throw new UnpicklingError("torch.load: the file holds a pickled nn.Module, which typetorch does not load; save its state_dict() in PyTorch instead");
    const { type, key, numel, rest } = storageRef(pid, 5);
    let root = roots.get(key);
    if (!root) {
      const dtype = type.loadsAs();
      const nbytes = numel * type.itemsize;
      if (nbytes > budget)
        throw new RuntimeError(`torch.load: storage ${key} claims ${numel} elements of ${type.dtypeName}, more than the file holds (the file is corrupt)`);
      budget -= nbytes;
      root = new LoadedStorage(key, type, dtype, getBackend().alloc(dtype, numel), numel);
      roots.set(key, root);
    }
    const view = rest[4];
    if (view === null || view === undefined) return root;
    if (!Array.isArray(view) || view.length !== 3) throw new UnpicklingError("torch.load: malformed storage view metadata (the file is corrupt)");
    const [viewKey, offset, size] = view as unknown[];
    const vk = String(viewKey);
    const known = views.get(vk);
    if (known) return known;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || (offset as number) < 0 || (size as number) < 0 || (offset as number) + (size as number) > root.numel)
      throw new RuntimeError(`torch.load: storage view ${vk} (offset ${pyStr(offset)}, size ${pyStr(size)}) is outside its storage of ${root.numel} elements (the file is corrupt)`);
    const v = new LoadedStorage(vk, type, root.dtype, root.storage, size as number, root.base + (offset as number));
    views.set(vk, v);
    return v;
  };
  r = unpickleAt(bytes, r.end, torchHooks(persistentLoad), "the file");
  const result = r.value;
  r = unpickleAt(bytes, r.end, PLAIN, "the file");
  const keys = r.value;
  if (!Array.isArray(keys)) throw new UnpicklingError(`torch.load: a legacy file's storage keys are a ${describe(keys)}, not a list (the file is corrupt)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const b = getBackend();
  let pos = r.end;
  for (const k of keys) {
    const root = roots.get(String(k));
    if (!root) throw new AssertionError("");
    if (bytes.length - pos < 8) throw new RuntimeError(`unexpected EOF, expected ${8 - Math.max(0, bytes.length - pos)} more bytes. The file might be corrupted.`);
    const count = dv.getBigInt64(pos, true);
    pos += 8;
    // NOTE: PyTorch's words (its message prints "%ld" literally: its format string is never formatted)
    const nbytes = root.numel * root.type.itemsize, got = BigInt.asIntN(64, count * BigInt(root.type.itemsize));
    if (got !== BigInt(nbytes)) throw new RuntimeError(`storage has wrong byte size: expected ${got} got ${nbytes}`);
    if (bytes.length - pos < nbytes) throw new RuntimeError(`unexpected EOF, expected ${nbytes - (bytes.length - pos)} more bytes. The file might be corrupted.`);
    const values = decodeStorage(bytes.subarray(pos, pos + nbytes), root.type, root.numel, `${String(k)}`);
    pos += nbytes;
    const n = root.numel;
    if (n > 0) b.copy({ storage: b.fromValues(root.dtype, values), dtype: root.dtype, shape: [n], strides: [1], offset: 0 }, { storage: root.storage, dtype: root.dtype, shape: [n], strides: [1], offset: 0 });
  }
  return finish(result);
}
