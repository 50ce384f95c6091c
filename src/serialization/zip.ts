// A small reader and writer of zip archives: the container PyTorch's `torch.save` writes since 1.6.
// The writer writes "stored" (uncompressed) entries as PyTorch does; the reader also takes deflated
// entries (an archive re-zipped by another tool, which PyTorch reads too) through an inflater the
// caller passes (inflate.ts). Browser-safe: plain Uint8Array/DataView, no Node imports.
//
// NOTE: hand-written rather than a dependency. PyTorch's archives only ever hold stored entries whose
// data starts on a 64-byte boundary (so a reader could map storages in place); general-purpose zip
// packages (fflate, jszip) add deflate and async machinery we do not need, and none pads entries to
// an alignment. The whole format we need is ~200 lines.
//
// Layout written (what PyTorch's miniz-based PyTorchStreamWriter writes, minus its data descriptors
// and zip64 end records, which are optional for archives under 4 GiB):
//   for each entry: local header (30 bytes) + name + extra field "FB" padding + data (64-aligned)
//   central directory: one header (46 bytes) + name per entry
//   end of central directory record (22 bytes)

import { RuntimeError } from "../errors.js";

// NOTE: "slicing by 8" (eight 256-entry tables, 8 bytes per step): ~4x faster than the one-table
// loop, which matters because every entry is checksummed on save and on load.
const CRC_TABLES = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  return t;
})();

/** CRC-32 (the zip/PNG polynomial 0xEDB88320) of bytes. */
export function crc32(bytes: Uint8Array): number {
  const t = CRC_TABLES, b = bytes, n = b.length;
  let c = ~0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const lo = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) ^ c;
    const hi = b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24);
    c =
      t[1792 + (lo & 0xff)]! ^ t[1536 + ((lo >>> 8) & 0xff)]! ^ t[1280 + ((lo >>> 16) & 0xff)]! ^ t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^ t[512 + ((hi >>> 8) & 0xff)]! ^ t[256 + ((hi >>> 16) & 0xff)]! ^ t[hi >>> 24]!;
  }
  for (; i < n; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** The alignment PyTorch gives each entry's data (kFieldAlignment in caffe2/serialize/inline_container.cc). */
export const ALIGNMENT = 64;
const LIMIT = 0xffffffff;

/**
 * Writes stored entries into one zip archive, each entry's data starting at a multiple of 64 bytes
 * (padded with an extra field of id "FB" filled with 'Z', as PyTorch does).
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const names = entries.map((e) => enc.encode(e.name));
  // first pass: offsets
  const layout: { offset: number; pad: number; crc: number }[] = [];
  let pos = 0;
  entries.forEach((e, i) => {
    const headerEnd = pos + 30 + names[i]!.length;
    // NOTE: the extra field needs at least its 4-byte header; pad is the filler after that header.
    const pad = (ALIGNMENT - ((headerEnd + 4) % ALIGNMENT)) % ALIGNMENT;
    layout.push({ offset: pos, pad, crc: crc32(e.data) });
    pos = headerEnd + 4 + pad + e.data.length;
  });
  const cdStart = pos;
  let cdSize = 0;
  for (const n of names) cdSize += 46 + n.length;
  const total = cdStart + cdSize + 22;
  if (total > LIMIT || entries.length > 0xffff)
    throw new RuntimeError(
      `torch.save: the archive would be ${total} bytes with ${entries.length} entries; typetorch writes zip archives under 4 GiB and 65535 entries (zip64 is not supported)`,
    );
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const { offset, pad, crc } = layout[i]!;
    const name = names[i]!;
    let p = offset;
    dv.setUint32(p, 0x04034b50, true);
    dv.setUint16(p + 4, 20, true); // version needed to extract: 2.0
    dv.setUint16(p + 6, 0x0800, true); // flags: names are UTF-8
    dv.setUint16(p + 8, 0, true); // method: stored
    dv.setUint16(p + 10, 0, true); // time (PyTorch writes 0 too)
    dv.setUint16(p + 12, 0, true); // date
    dv.setUint32(p + 14, crc, true);
    dv.setUint32(p + 18, e.data.length, true);
    dv.setUint32(p + 22, e.data.length, true);
    dv.setUint16(p + 26, name.length, true);
    dv.setUint16(p + 28, 4 + pad, true);
    out.set(name, p + 30);
    p += 30 + name.length;
    dv.setUint16(p, 0x4246, true); // "FB"
    dv.setUint16(p + 2, pad, true);
    out.fill(0x5a, p + 4, p + 4 + pad); // 'Z'
    p += 4 + pad;
    out.set(e.data, p);
  });
  let p = cdStart;
  entries.forEach((e, i) => {
    const { offset, crc } = layout[i]!;
    const name = names[i]!;
    dv.setUint32(p, 0x02014b50, true);
    dv.setUint16(p + 4, 20, true); // version made by
    dv.setUint16(p + 6, 20, true); // version needed
    dv.setUint16(p + 8, 0x0800, true);
    dv.setUint16(p + 10, 0, true);
    dv.setUint16(p + 12, 0, true);
    dv.setUint16(p + 14, 0, true);
    dv.setUint32(p + 16, crc, true);
    dv.setUint32(p + 20, e.data.length, true);
    dv.setUint32(p + 24, e.data.length, true);
    dv.setUint16(p + 28, name.length, true);
    dv.setUint16(p + 30, 0, true); // extra length
    dv.setUint16(p + 32, 0, true); // comment length
    dv.setUint16(p + 34, 0, true); // disk
    dv.setUint16(p + 36, 0, true); // internal attributes
    dv.setUint32(p + 38, 0, true); // external attributes
    dv.setUint32(p + 42, offset, true);
    out.set(name, p + 46);
    p += 46 + name.length;
  });
  dv.setUint32(p, 0x06054b50, true);
  dv.setUint16(p + 4, 0, true);
  dv.setUint16(p + 6, 0, true);
  dv.setUint16(p + 8, entries.length, true);
  dv.setUint16(p + 10, entries.length, true);
  dv.setUint32(p + 12, cdSize, true);
  dv.setUint32(p + 16, cdStart, true);
  dv.setUint16(p + 20, 0, true);
  return out;
}

/** PyTorch's wording for an archive it cannot open. */
function bad(what: string): RuntimeError {
  return new RuntimeError(`PytorchStreamReader failed reading zip archive: ${what}`);
}

/** A deflate ("method 8") decoder: the raw deflate stream of entry `name`, inflated to exactly `size` bytes. */
export type Inflate = (data: Uint8Array, size: number, name: string) => Uint8Array;

/** What the central directory says of one entry. */
export interface ZipEntryInfo {
  name: string;
  /** 0: stored, 8: deflate */
  method: number;
  /** the bytes as stored in the archive (compressed for method 8) */
  raw: Uint8Array;
  /** the size once inflated */
  size: number;
  crc: number;
}

export interface ZipReader {
  /** Entry names in central-directory order. */
  readonly names: string[];
  has(name: string): boolean;
  /** The entry's bytes (a view into the archive for stored entries, CRC-checked); throws if absent. */
  read(name: string): Uint8Array;
  /** The entry as stored (before inflating), its local header checked; throws if absent. */
  info(name: string): ZipEntryInfo;
}

export interface ReadZipOptions {
  /** Decoder for deflated entries (see inflate.ts); without it they are refused. */
  inflate?: Inflate;
  /** Entries already inflated (by the async loader), by name; an Error is what inflating one gave, thrown when it is read. */
  inflated?: ReadonlyMap<string, Uint8Array | Error>;
}

/**
 * NOTE: deflate cannot expand by more than 1032:1 (a run of 258 bytes costs at least 2 bits), so an
 * entry that claims more than that (a "zip bomb" that lies about its size, or a corrupt size field)
 * is refused before any memory is set aside for it.
 */
const MAX_DEFLATE_RATIO = 1032;

/** A record's name as PyTorch's messages give it: without the archive's top folder. */
function shown(name: string): string {
  return name.slice(name.indexOf("/") + 1);
}

/**
 * Opens a zip archive of stored or deflated entries (zip64 records are understood when present).
 * The directory is checked as PyTorch's reader (miniz) checks it, in its order and with its words
 * ("PytorchStreamReader failed reading zip archive: failed finding central directory", "... invalid
 * header or archive is corrupted"): every offset and size is checked against the archive's length
 * before it is used, and each entry's data is CRC-checked when it is read (which PyTorch skips).
 */
export function readZip(bytes: Uint8Array, opts: ReadZipOptions = {}): ZipReader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const corrupt = () => bad("invalid header or archive is corrupted");
  if (n < 22) throw bad("not a ZIP archive");
  // the end-of-central-directory record: the last one in the final 64 KiB (a comment or trailing bytes may follow it)
  let eocd = -1;
  for (let p = n - 22; p >= 0 && p >= n - 22 - 0xffff; p--) {
    if (bytes[p] === 0x50 && dv.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad("failed finding central directory");
  let count = dv.getUint16(eocd + 10, true);
  let onDisk = dv.getUint16(eocd + 8, true);
  let disk = dv.getUint16(eocd + 4, true), cdDisk = dv.getUint16(eocd + 6, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdStart = dv.getUint32(eocd + 16, true);
  // zip64: a locator just before the EOCD points at the zip64 end record
  if (eocd >= 20 + 56 && dv.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = dv.getBigUint64(eocd - 12, true);
    if (rec > BigInt(n - 56)) throw bad("not a ZIP archive");
    const r = Number(rec);
    if (dv.getUint32(r, true) === 0x06064b50) {
      if (dv.getBigUint64(r + 4, true) < 44n) throw corrupt();
      if (dv.getUint32(eocd - 4, true) !== 1) throw bad("unsupported multidisk archive");
      const total = dv.getBigUint64(r + 32, true), here = dv.getBigUint64(r + 24, true), size = dv.getBigUint64(r + 40, true);
      if (total > 0xffffffffn || here > 0xffffffffn) throw bad("too many files");
      if (size > 0xffffffffn) throw bad("unsupported central directory size");
      count = Number(total);
      onDisk = Number(here);
      cdSize = Number(size);
      disk = dv.getUint32(r + 16, true);
      cdDisk = dv.getUint32(r + 20, true);
      cdStart = Number(dv.getBigUint64(r + 48, true));
    }
  }
  if (count !== onDisk || ((disk | cdDisk) !== 0 && (disk !== 1 || cdDisk !== 1))) throw bad("unsupported multidisk archive");
  if (cdSize < count * 46 || cdStart + cdSize > n) throw corrupt();
  const dec = new TextDecoder();
  const entries = new Map<string, { offset: number; size: number; csize: number; method: number; flags: number; crc: number }>();
  const names: string[] = [];
  const cdEnd = cdStart + cdSize;
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || dv.getUint32(p, true) !== 0x02014b50) throw corrupt();
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let csize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let offset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdEnd) throw corrupt();
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the 0xFFFFFFFF fields, in order
    let q = p + 46 + nameLen;
    const extraEnd = q + extraLen;
    while (q + 4 <= extraEnd) {
      const id = dv.getUint16(q, true), len = dv.getUint16(q + 2, true);
      if (id === 0x0001) {
        let r = q + 4;
        const end = Math.min(q + 4 + len, extraEnd);
        if (size === LIMIT && r + 8 <= end) { size = Number(dv.getBigUint64(r, true)); r += 8; }
        if (csize === LIMIT && r + 8 <= end) { csize = Number(dv.getBigUint64(r, true)); r += 8; }
        if (offset === LIMIT && r + 8 <= end) { offset = Number(dv.getBigUint64(r, true)); r += 8; }
      }
      q += 4 + len;
    }
    if ((method === 0 && size !== csize) || (size && !csize)) throw corrupt();
    if (offset + 30 + csize > n) throw corrupt();
    entries.set(name, { offset, size, csize, method, flags, crc });
    names.push(name);
    p = extraEnd + commentLen;
  }
  const info = (name: string): ZipEntryInfo => {
    const e = entries.get(name);
    if (!e) throw new RuntimeError(`PytorchStreamReader failed locating file ${shown(name)}: file not found`);
    if (e.flags & 0x41) throw new RuntimeError(`PytorchStreamReader failed retrieving file meta-data for ${shown(name)}: unsupported encryption`);
    if (e.method !== 0 && e.method !== 8) throw new RuntimeError(`PytorchStreamReader failed retrieving file meta-data for ${shown(name)}: unsupported method`);
    const failed = () => new RuntimeError(`PytorchStreamReader failed reading file ${shown(name)}: invalid header or archive is corrupted`);
    if (dv.getUint32(e.offset, true) !== 0x04034b50) throw failed();
    const start = e.offset + 30 + dv.getUint16(e.offset + 26, true) + dv.getUint16(e.offset + 28, true);
    if (start + e.csize > n) throw failed();
    // NOTE: deflate cannot expand by more than 1032:1, so an entry that claims more than that is
    // corrupt (or a bomb that lies about its size) and is refused before any memory is set aside
    if (e.method === 8 && e.size > MAX_DEFLATE_RATIO * e.csize + 64)
      throw new RuntimeError(`PytorchStreamReader failed reading file ${shown(name)}: the entry claims ${e.size} bytes inflated from ${e.csize}, more than deflate can give (the file is corrupt)`);
    return { name, method: e.method, raw: bytes.subarray(start, start + e.csize), size: e.size, crc: e.crc };
  };
  return {
    names,
    has: (name) => entries.has(name),
    info,
    read(name) {
      const e = info(name);
      let data = e.raw;
      if (e.method === 8) {
        const pre = opts.inflated?.get(name);
        if (pre instanceof Error) throw pre;
        if (pre) data = pre;
        else if (opts.inflate) data = opts.inflate(e.raw, e.size, shown(name));
        else throw new RuntimeError(`PytorchStreamReader failed reading file ${shown(name)}: the entry is deflate-compressed and no inflater was given`);
        if (data.length !== e.size) throw new RuntimeError(`PytorchStreamReader failed reading file ${shown(name)}: decompression failed or archive is corrupted (inflated to ${data.length} bytes, the archive says ${e.size})`);
      }
      if (crc32(data) !== e.crc) throw new RuntimeError(`PytorchStreamReader failed reading file ${shown(name)}: CRC-32 check failed (the file is corrupt)`);
      return data;
    },
  };
}
