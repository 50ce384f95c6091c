// torch.load from bytes: the zip format (PyTorch 1.6 and later) and, through legacy.ts, the format
// before it. Browser-safe: deflated entries are inflated by Node's zlib when it is there
// (loadFromBytes) or by DecompressionStream (loadFromBytesAsync).
//
// NOTE: what a file may cost. Every step is linear in the file's size: the zip directory is read once,
// each entry is CRC-checked once, an inflated entry is capped at the size the directory gives (and
// that size at deflate's largest ratio), storages are decoded once each, and the pickle's work and
// memory are linear in its length (pickle.ts). Limits refuse what no real checkpoint holds (a size
// beyond int64, a tensor beyond 2^53 elements) with a RuntimeError, never a hang later.

import { EOFError, RuntimeError, ValueError } from "../errors.js";
import { unpickle } from "./pickle.js";
import { readZip, type ReadZipOptions, type ZipReader } from "./zip.js";
import { inflateRawAsync, inflateRawSync } from "./inflate.js";
import { finish, loadStorage, storageRef, torchHooks, type LoadedStorage } from "./torch_pickle.js";
import { loadLegacy } from "./legacy.js";

/** The format versions PyTorch 1.13 reads (caffe2's kMinSupportedFileFormatVersion, kMaxSupportedFileFormatVersion). */
const MIN_FORMAT_VERSION = 1;
const MAX_FORMAT_VERSION = 10;

/** Bytes as a plain Uint8Array view (a Node Buffer's slice() would not copy). */
function asBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new RuntimeError("torch.load: expected the file's bytes (a Uint8Array, an ArrayBuffer or an ArrayBufferView)");
}

/** PyTorch's _is_zipfile: the local-header magic "PK\x03\x04" at the start. */
function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}
/** A tar archive (PyTorch's format before 0.4): "ustar" at offset 257. */
function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72;
}

function text(zip: ZipReader, name: string): string {
  return new TextDecoder().decode(zip.read(name));
}

/** torch.serialization._load: the zip format. */
function loadZip(bytes: Uint8Array, opts: ReadZipOptions): unknown {
  const zip = readZip(bytes, opts);
  // PyTorchStreamReader::init: the archive's folder, then its format version, in PyTorch's words
  const first = zip.names[0];
  if (first === undefined) throw new RuntimeError("[enforce fail at inline_container.cc:120] . archive does not contain any files");
  const slash = first.indexOf("/");
  if (slash < 0) throw new RuntimeError(`[enforce fail at inline_container.cc:129] . file in archive is not in a subdirectory: ${first}`);
  const prefix = first.slice(0, slash + 1);
  const versionRecord = zip.has(prefix + ".data/version") ? ".data/version" : "version";
  if (!zip.has(prefix + versionRecord))
    throw new RuntimeError('Expected hasRecord("version") to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)');
  const versionText = text(zip, prefix + versionRecord);
  const parsed = /^\s*[+-]?[0-9]+/.exec(versionText);
  if (!parsed) throw new RuntimeError(`[enforce fail at inline_container.cc:148] . Couldn't parse the version ${versionText} as Long Long.`);
  const version = Number(parsed[0]);
  if (version < MIN_FORMAT_VERSION)
    throw new RuntimeError(
      `[enforce fail at inline_container.cc:154] . Attempted to read a PyTorch file with version ${version}, but the minimum supported version for reading is ${MIN_FORMAT_VERSION}. Your PyTorch script module file is too old. Please regenerate it with latest version of PyTorch to mitigate this issue.`,
    );
  if (version > MAX_FORMAT_VERSION)
    throw new RuntimeError(
      `[enforce fail at inline_container.cc:165] . Attempted to read a PyTorch file with version ${version}, but the maximum supported version for reading is ${MAX_FORMAT_VERSION}. The version of your PyTorch installation may be too old, please upgrade PyTorch to latest version to mitigate this issue.`,
    );
  if (zip.has(prefix + "constants.pkl"))
    throw new RuntimeError(
      "torch.load: this archive was written by torch.jit.save (a TorchScript module, which PyTorch's torch.load hands to torch.jit.load); typetorch loads torch.save files only: save the module's state_dict() with torch.save in PyTorch",
    );
  // NOTE: the byteorder record came with PyTorch 2.0 (1.13 neither writes nor reads it); a file saved
  // on a big-endian machine says "big" and its storages are read byte-swapped, as PyTorch 2 does
  let littleEndian = true;
  if (zip.has(prefix + "byteorder")) {
    const order = text(zip, prefix + "byteorder");
    if (order !== "little" && order !== "big") throw new ValueError(`Unknown endianness type: ${order}`);
    littleEndian = order === "little";
  }
  if (!zip.has(prefix + "data.pkl")) throw new RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found");
  const storages = new Map<string, LoadedStorage>();
  const persistentLoad = (pid: unknown): unknown => {
    const { type, key, numel } = storageRef(pid, 4);
    const cached = storages.get(key);
    if (cached) return cached;
    const name = `${prefix}data/${key}`;
    if (!zip.has(name)) throw new RuntimeError(`PytorchStreamReader failed locating file data/${key}: file not found`);
    const s = loadStorage(zip.read(name), type, key, numel, `data/${key}`, littleEndian);
    storages.set(key, s);
    return s;
  };
  return finish(unpickle(zip.read(prefix + "data.pkl"), torchHooks(persistentLoad), "data.pkl"));
}

/** The format of a file's bytes, as torch.load tells them apart, and the loader for it. */
function loadAny(bytes: Uint8Array, opts: ReadZipOptions): unknown {
  if (isZip(bytes)) return loadZip(bytes, opts);
  if (bytes.length === 0) throw new EOFError("Ran out of input");
  if (isTar(bytes))
    throw new RuntimeError(
      "torch.load: this file uses PyTorch's tar-based format (PyTorch 0.3 and older), which typetorch does not read; load it in PyTorch and save it again with torch.save(obj, f)",
    );
  // NOTE: as PyTorch, anything else is tried as the legacy format: a sequence of pickles, the first
  // of which is a magic number (a file that is no pickle fails there, with pickle's own words)
  return loadLegacy(bytes);
}

/**
 * Reads an object from the bytes of a file `torch.save` wrote: PyTorch's zip format (stored or
 * deflated entries) or its legacy format. Browser-safe, except that deflated entries need Node's
 * zlib (in a browser, use `loadFromBytesAsync`). See the module comment for what Python values become.
 * @example
 * const bytes = torch.serialization.saveToBytes({ w: torch.ones(2) });
 * const obj = torch.serialization.loadFromBytes(bytes); // { w: tensor([1., 1.]) }
 */
export function loadFromBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): any {
  try {
    return loadAny(asBytes(data), { inflate: inflateRawSync });
  } catch (e) {
    throw outOfMemory(e);
  }
}

/**
 * NOTE: every size is checked against the file before anything is allocated, so what is left is the
 * engine's own ceilings (a string over 2^29 characters, a typed array over its maximum length, no
 * memory left): said as a RuntimeError, as PyTorch says an allocation failed. Any other error passes.
 */
function outOfMemory(e: unknown): unknown {
  if (e instanceof RangeError && /Invalid (string|typed array|array) length|Array buffer allocation failed|allocation failed|out of memory/i.test(e.message))
    return new RuntimeError(`torch.load: not enough memory to hold what the file holds (${e.message})`);
  return e;
}

/**
 * `loadFromBytes`, for environments without a synchronous inflate (browsers): deflated zip entries
 * are inflated first with `DecompressionStream("deflate-raw")`, each capped at the size the archive
 * gives. Everything else is as `loadFromBytes`.
 * @example
 * const response = new Response(torch.serialization.saveToBytes(torch.ones(2))); // as from fetch("t.pt")
 * const obj = await torch.serialization.loadFromBytesAsync(new Uint8Array(await response.arrayBuffer()));
 */
export async function loadFromBytesAsync(data: Uint8Array | ArrayBuffer | ArrayBufferView): Promise<any> {
  try {
    return await loadAsync(asBytes(data));
  } catch (e) {
    throw outOfMemory(e);
  }
}

async function loadAsync(bytes: Uint8Array): Promise<unknown> {
  if (!isZip(bytes)) return loadAny(bytes, {});
  const zip = readZip(bytes);
  // NOTE: every deflated entry is inflated up front (the loader that follows is synchronous); an
  // entry that fails keeps its error, thrown only if the loader reads that entry, as the sync path does
  const inflated = new Map<string, Uint8Array | Error>();
  for (const name of zip.names) {
    let e;
    try {
      e = zip.info(name);
    } catch {
      continue; // the loader meets the same error if it reads this entry
    }
    if (e.method !== 8 || inflated.has(name)) continue;
    try {
      inflated.set(name, await inflateRawAsync(e.raw, e.size, name.slice(name.indexOf("/") + 1)));
    } catch (err) {
      inflated.set(name, err as Error);
    }
  }
  return loadAny(bytes, { inflated });
}
