/**
 * safetensors files (the format of Hugging Face's `safetensors` package), read and written as its
 * Python API does (`safetensors.torch.save` / `load` / `save_file` / `load_file`), spelled for
 * TypeScript. The bytes API is the core and browser-safe; `saveFile`/`loadFile` take a path in Node.
 *
 * The layout: an 8-byte little-endian header length N; N bytes of JSON (compact, as serde_json
 * writes it: `__metadata__` first when given, then each tensor's `{"dtype","shape","data_offsets"}`
 * in data order), padded with spaces to a multiple of 8; then the tensors' little-endian bytes, back
 * to back. Tensors are laid out as the Rust crate's `prepare` orders them: by dtype alignment,
 * largest first (its `Dtype` enum order, descending), then by name.
 *
 * NOTE: hostile files. Every check the Rust crate makes (`read_metadata` and `validate`) is made
 * before any tensor is built, with its words (`Error while deserializing header: HeaderTooLarge`),
 * plus checks that JavaScript needs on top (shapes of safe integers, JSON of the right kinds);
 * nothing recurses on the file and nothing is allocated beyond the file's own size.
 * @module
 */
import { getBackend } from "../backend/backend.js";
import { Tensor } from "../tensor/tensor.js";
import { fromStorage } from "../ops/core.js";
import { dtypes, type DType, type DTypeName } from "../tensor/dtype.js";
import { decodeLE, encodeLE, int64OutOfRange } from "../serialization/dtype_bytes.js";
import { FileNotFoundError, TorchTypeError } from "../errors.js";
import { pathString } from "../serialization/files.js";
import { nodeFsFor } from "./files.js";

/** The Python package's `safetensors_rust.SafetensorError`. */
export class SafetensorError extends Error {
  override name = "SafetensorError";
}

/** The format's dtype codes for typetorch's dtypes. */
const CODE_OF: Record<DTypeName, string> = {
  bool: "BOOL", uint8: "U8", int8: "I8", int16: "I16", float16: "F16", bfloat16: "BF16",
  int32: "I32", float32: "F32", float64: "F64", int64: "I64",
};
const DTYPE_OF: Record<string, DTypeName> = Object.fromEntries(Object.entries(CODE_OF).map(([k, v]) => [v, k as DTypeName]));
/** Codes the format has that typetorch has no dtype for (a clear error instead of "unknown dtype"). */
const KNOWN_UNSUPPORTED = new Set(["F4", "F6_E2M3", "F6_E3M2", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "U16", "U32", "U64", "C64"]);
/** The Rust crate's `Dtype` enum order (its derived Ord), which `prepare` sorts by, descending. */
const ORDER = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64"];
const MAX_HEADER_SIZE = 100_000_000;

const utf8 = new TextEncoder();

/** Rust's str Ord: byte-wise over UTF-8. */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a), y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

type TensorDict = Record<string, Tensor> | Map<string, Tensor>;

/** safetensors.torch.save: the file's bytes for a dict of tensors (and optional string metadata). */
export function save(tensors: TensorDict, metadata?: Record<string, string> | null): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  for (const [k, t] of entries)
    if (!(t instanceof Tensor)) throw new TorchTypeError(`Key \`${k}\` is invalid, expected torch.Tensor but received ${t === null ? "None" : typeof t}`);
  if (metadata)
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== "string") throw new TorchTypeError(`argument 'metadata': '${typeof v}' object cannot be converted to 'PyString' (key ${JSON.stringify(k)})`);
  // (prepare's order: descending dtype, then name)
  entries.sort(([ln, l], [rn, r]) => ORDER.indexOf(CODE_OF[r.dtype.name]) - ORDER.indexOf(CODE_OF[l.dtype.name]) || compareUtf8(ln, rn));
  const b = getBackend();
  const datas: Uint8Array[] = [];
  const header: Record<string, unknown> = {};
  if (metadata) header["__metadata__"] = { ...metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    const values = t.numel() ? b.read(t._view()) : new Float64Array(0);
    const bytes = encodeLE(values as ArrayLike<number>, t.dtype);
    datas.push(bytes);
    if (name === "__metadata__") throw new SafetensorError("Error while serializing: a tensor cannot be named `__metadata__`");
    header[name] = { dtype: CODE_OF[t.dtype.name], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  let json = utf8.encode(JSON.stringify(header));
  if (json.length > MAX_HEADER_SIZE) throw new SafetensorError("Error while serializing: header too large");
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n); // (spaces, as prepare pads)
  json = new Uint8Array(0);
  let at = 8 + n;
  for (const d of datas) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

interface Info {
  name: string;
  code: string;
  shape: number[];
  begin: number;
  end: number;
}

function headerError(what: string): SafetensorError {
  return new SafetensorError(`Error while deserializing header: ${what}`);
}

/** Parses and validates the header as the Rust crate's `read_metadata` does; returns the data start. */
function readHeader(bytes: Uint8Array): { infos: Info[]; metadata: Record<string, string> | null; dataStart: number } {
  if (bytes.length < 8) throw headerError("HeaderTooSmall");
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE)) throw headerError("HeaderTooLarge");
  const n = Number(n64);
  if (8 + n > bytes.length) throw headerError("InvalidHeaderLength");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw headerError("InvalidHeader (invalid UTF-8 in header)");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw headerError(`InvalidHeaderDeserialization (invalid JSON in header: ${(e as Error).message})`);
  }
  const bad = (why: string) => headerError(`InvalidHeaderDeserialization (${why})`);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bad("the header is not a JSON object");
  let metadata: Record<string, string> | null = null;
  const infos: Info[] = [];
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (v === null) continue;
      if (typeof v !== "object" || Array.isArray(v)) throw bad("__metadata__ must be an object of strings");
      for (const mv of Object.values(v as object)) if (typeof mv !== "string") throw bad("__metadata__ must be an object of strings");
      metadata = { ...(v as Record<string, string>) };
      continue;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(`tensor \`${name}\`: expected an object with dtype, shape and data_offsets`);
    const o = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof o.dtype !== "string") throw bad(`tensor \`${name}\`: missing field \`dtype\``);
    if (!ORDER.includes(o.dtype)) throw bad(`unknown variant \`${o.dtype}\` for the dtype of tensor \`${name}\``);
    const isUint = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
    if (!Array.isArray(o.shape) || !o.shape.every(isUint)) throw bad(`tensor \`${name}\`: \`shape\` must be a list of non-negative integers`);
    if (!Array.isArray(o.data_offsets) || o.data_offsets.length !== 2 || !o.data_offsets.every(isUint))
      throw bad(`tensor \`${name}\`: \`data_offsets\` must be two non-negative integers`);
    infos.push({ name, code: o.dtype, shape: o.shape as number[], begin: o.data_offsets[0] as number, end: o.data_offsets[1] as number });
  }
  // (validate: sorted by offsets, the tensors must tile the data exactly, each its own size)
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let start = 0;
  for (const t of infos) {
    if (t.begin !== start || t.end < t.begin) throw headerError(`InvalidOffset("${t.name}")`);
    start = t.end;
    let numel = 1;
    for (const s of t.shape) numel *= s;
    const bits = ORDER.indexOf(t.code) >= 0 ? bitsOf(t.code) : 0;
    if (!Number.isSafeInteger(numel * bits)) throw headerError("ValidationOverflow");
    if ((numel * bits) % 8 !== 0) throw headerError("MisalignedSlice");
    if (t.end - t.begin !== (numel * bits) / 8) throw headerError("TensorInvalidInfo");
  }
  if (8 + n + start !== bytes.length) throw headerError("MetadataIncompleteBuffer");
  return { infos, metadata, dataStart: 8 + n };
}

function bitsOf(code: string): number {
  const m: Record<string, number> = { BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64 };
  return m[code] ?? 8;
}

/** safetensors.torch.load: the tensors of a file's bytes, by name (in name order, as the package's keys()). */
export function load(bytes: Uint8Array): Record<string, Tensor> {
  const { infos, dataStart } = readHeader(bytes);
  const out: Record<string, Tensor> = {};
  const b = getBackend();
  for (const t of [...infos].sort((x, y) => compareUtf8(x.name, y.name))) {
    const name = DTYPE_OF[t.code];
    if (!name)
      throw new SafetensorError(
        `tensor \`${t.name}\` has dtype ${t.code}${KNOWN_UNSUPPORTED.has(t.code) ? "" : " (unknown)"}, which typetorch does not support (it reads BOOL, U8, I8, I16, I32, I64, F16, BF16, F32, F64)`,
      );
    const d: DType = dtypes[name];
    const numel = t.shape.reduce((a, s) => a * s, 1);
    const raw = bytes.subarray(dataStart + t.begin, dataStart + t.end);
    if (d.name === "int64") {
      const i = int64OutOfRange(raw, numel);
      if (i >= 0) throw new SafetensorError(`tensor \`${t.name}\`: int64 element ${i} is beyond 2^53 in magnitude; typetorch holds int64 in float64 and cannot represent it exactly`);
    }
    const values = decodeLE(raw, d, numel);
    out[t.name] = fromStorage(b.fromValues(d, values), t.shape, d);
  }
  return out;
}

/** The `__metadata__` of a file's bytes (safe_open(...).metadata()), or null. */
export function loadMetadata(bytes: Uint8Array): Record<string, string> | null {
  return readHeader(bytes).metadata;
}

/** safetensors.torch.save_file: writes the tensors to a file (Node only). */
export function saveFile(tensors: TensorDict, filename: string | URL, metadata?: Record<string, string> | null): void {
  const bytes = save(tensors, metadata);
  nodeFsFor("safetensors.saveFile", "use torch.safetensors.save(tensors) and store or download the bytes yourself").writeFileSync(pathString(filename), bytes);
}

/** safetensors.torch.load_file: reads the tensors of a file (Node only). */
export function loadFile(filename: string | URL): Record<string, Tensor> {
  const fs = nodeFsFor("safetensors.loadFile", "fetch the file and call torch.safetensors.load(new Uint8Array(await response.arrayBuffer()))");
  const path = pathString(filename);
  if (!fs.existsSync(path)) throw new FileNotFoundError(`No such file or directory: ${path}`);
  return load(new Uint8Array(fs.readFileSync(path)));
}
