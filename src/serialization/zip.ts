// A small reader and writer of "stored" (uncompressed) zip archives: the container PyTorch's
// `torch.save` writes since 1.6. Browser-safe: plain Uint8Array/DataView, no Node imports.
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

export interface ZipReader {
  /** Entry names in central-directory order. */
  readonly names: string[];
  has(name: string): boolean;
  /** The entry's bytes (a view into the archive, CRC-checked); throws if absent. */
  read(name: string): Uint8Array;
}

/**
 * Opens a zip archive of stored entries (zip64 records are understood when present). Errors follow
 * PyTorch's reader: "PytorchStreamReader failed reading zip archive: failed finding central directory".
 */
export function readZip(bytes: Uint8Array): ZipReader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  // the end-of-central-directory record: the last 22 bytes, unless a comment (up to 65535 bytes) follows it
  let eocd = -1;
  for (let p = n - 22; p >= 0 && p >= n - 22 - 0xffff; p--) {
    if (dv.getUint32(p, true) === 0x06054b50 && p + 22 + dv.getUint16(p + 20, true) === n) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad("failed finding central directory");
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdStart = dv.getUint32(eocd + 16, true);
  // zip64: a locator just before the EOCD points at the zip64 end record
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = Number(dv.getBigUint64(eocd - 12, true));
    if (rec + 56 <= n && dv.getUint32(rec, true) === 0x06064b50) {
      count = Number(dv.getBigUint64(rec + 32, true));
      cdSize = Number(dv.getBigUint64(rec + 40, true));
      cdStart = Number(dv.getBigUint64(rec + 48, true));
    }
  }
  if (cdStart + cdSize > n) throw bad("failed finding central directory");
  const dec = new TextDecoder();
  const entries = new Map<string, { offset: number; size: number; csize: number; method: number; crc: number }>();
  const names: string[] = [];
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > n || dv.getUint32(p, true) !== 0x02014b50) throw bad("failed reading central directory");
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let csize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let offset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen > n) throw bad("failed reading central directory");
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the 0xFFFFFFFF fields, in order
    let q = p + 46 + nameLen;
    const extraEnd = q + extraLen;
    while (q + 4 <= extraEnd) {
      const id = dv.getUint16(q, true), len = dv.getUint16(q + 2, true);
      if (id === 0x0001) {
        let r = q + 4;
        if (size === LIMIT) { size = Number(dv.getBigUint64(r, true)); r += 8; }
        if (csize === LIMIT) { csize = Number(dv.getBigUint64(r, true)); r += 8; }
        if (offset === LIMIT) { offset = Number(dv.getBigUint64(r, true)); r += 8; }
      }
      q += 4 + len;
    }
    entries.set(name, { offset, size, csize, method, crc });
    names.push(name);
    p = extraEnd + commentLen;
  }
  return {
    names,
    has: (name) => entries.has(name),
    read(name) {
      const e = entries.get(name);
      if (!e) throw new RuntimeError(`PytorchStreamReader failed locating file ${name}: file not found`);
      if (e.method !== 0)
        throw new RuntimeError(
          `PytorchStreamReader failed reading file ${name}: entry is compressed (method ${e.method}); typetorch reads the stored (uncompressed) entries torch.save writes`,
        );
      if (e.offset + 30 > n || dv.getUint32(e.offset, true) !== 0x04034b50) throw bad(`invalid local header for file ${name}`);
      const start = e.offset + 30 + dv.getUint16(e.offset + 26, true) + dv.getUint16(e.offset + 28, true);
      if (start + e.size > n) throw bad(`file ${name} is truncated`);
      const data = bytes.subarray(start, start + e.size);
      if (crc32(data) !== e.crc) throw new RuntimeError(`PytorchStreamReader failed reading file ${name}: invalid CRC-32 checksum (the file is corrupt)`);
      return data;
    },
  };
}
