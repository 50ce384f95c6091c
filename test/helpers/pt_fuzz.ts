// A fuzzer of the .pt loader: random mutations of the real checkpoints in test/fixtures/serialization
// (byte flips, truncations, insertions, opcode-stream splices, size fields set to huge or negative
// values, in the file and in the pickle and storages inside it), with a fixed seed. Each input must
// load, or be refused with an error of typetorch's own classes (src/errors.ts), in time linear in its
// size; a raw JS error (RangeError, TypeError, a stack overflow) or a slow input is a finding.
// Used by test/serialization_fuzz.test.ts (bounded) and scripts/fuzz_pt_loader.ts (as long as asked).
import * as torch from "../../src/index.js";
import { Tensor } from "../../src/index.js";
import { readZip, writeZip, type ZipEntry } from "../../src/serialization/zip.js";
import { fixtureBytes, isOwnError } from "./pt_inputs.js";

/** The checkpoints mutated: every real file PyTorch wrote that typetorch loads. */
export const SEEDS = [
  "mlp.pt", "adam.pt", "adam_model.pt", "sgd.pt", "batchnorm.pt", "dtypes.pt", "views.pt", "nested.pt", "nested_p4.pt",
  "half.pt", "storage_shared.pt", "bigendian.pt", "deflate.pt", "legacy.pt", "legacy_mlp.pt", "legacy_dtypes.pt", "legacy_views.pt", "legacy_storage.pt",
];

/** mulberry32: a small seeded generator (deterministic across platforms). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

// ------------------------------------------------------------------------------ pickle opcodes

const FIXED: Record<number, number> = {
  0x80: 1, 0x95: 8, 0x4a: 4, 0x4b: 1, 0x4d: 2, 0x47: 8, 0x71: 1, 0x72: 4, 0x68: 1, 0x6a: 4, 0x82: 1, 0x83: 2, 0x84: 4,
};
const LEN1 = new Set([0x8a, 0x8c, 0x55, 0x43]);
const LEN4 = new Set([0x8b, 0x58, 0x54, 0x42]);
const LEN8 = new Set([0x8d, 0x8e, 0x96]);
const LINES: Record<number, number> = { 0x63: 2, 0x69: 2, 0x49: 1, 0x4c: 1, 0x46: 1, 0x53: 1, 0x56: 1, 0x67: 1, 0x70: 1, 0x50: 1 };
const NOARG = new Set([...")(.0123NRQabdehlostu}]\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98"].map((c) => c.charCodeAt(0)));

/** The opcodes of the pickle stream(s) in b, as [start, end) byte ranges, up to the first byte that is none. */
export function pickleOps(b: Uint8Array, from = 0): [number, number][] {
  const ops: [number, number][] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = from;
  while (p < b.length) {
    const op = b[p]!;
    let end: number;
    if (op in FIXED) end = p + 1 + FIXED[op]!;
    else if (LEN1.has(op)) end = p + 2 + (p + 1 < b.length ? b[p + 1]! : 0);
    else if (LEN4.has(op)) end = p + 5 + (p + 5 <= b.length ? dv.getUint32(p + 1, true) : 0);
    else if (LEN8.has(op)) end = p + 9 + (p + 9 <= b.length ? Number(dv.getBigUint64(p + 1, true)) : 0);
    else if (op in LINES) {
      end = p + 1;
      for (let k = 0; k < LINES[op]!; k++) {
        const nl = b.indexOf(0x0a, end);
        if (nl < 0) return ops;
        end = nl + 1;
      }
    } else if (NOARG.has(op)) end = p + 1;
    else return ops;
    if (end > b.length) return ops;
    ops.push([p, end]);
    p = end;
  }
  return ops;
}

/** The integer arguments of a pickle (BININT1/2/BININT/LONG1): where a size or an offset would be. */
function intOps(b: Uint8Array, ops: [number, number][]): [number, number][] {
  return ops.filter(([s]) => b[s] === 0x4b || b[s] === 0x4d || b[s] === 0x4a || b[s] === 0x8a);
}

function cat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const u8 = (...a: number[]) => Uint8Array.from(a);

/** An integer opcode with a hostile value: huge, negative, the edges of int32/int64, a 300-byte integer. */
function hostileInt(r: Rng): Uint8Array {
  switch (r.int(9)) {
    case 0: return u8(0x4a, 0xff, 0xff, 0xff, 0xff); // -1
    case 1: return u8(0x4a, 0xff, 0xff, 0xff, 0x7f); // 2^31 - 1
    case 2: return u8(0x4a, 0x00, 0x00, 0x00, 0x80); // -2^31
    case 3: return u8(0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x40); // 2^62
    case 4: return u8(0x8a, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x00); // 2^63
    case 5: return u8(0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x80); // -2^63
    case 6: return u8(0x8a, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f); // 2^63 - 1
    case 7: return cat(u8(0x8a, 0xff), new Uint8Array(254).fill(0x11), u8(0x01)); // a 255-byte integer
    default: return u8(0x4b, r.int(256)); // a small one
  }
}

// ------------------------------------------------------------------------------ mutations

function flipBytes(b: Uint8Array, r: Rng): Uint8Array {
  const out = Uint8Array.from(b);
  for (let k = 1 + r.int(8); k > 0 && out.length; k--) {
    const i = r.int(out.length);
    out[i] = r.next() < 0.5 ? out[i]! ^ (1 << r.int(8)) : r.int(256);
  }
  return out;
}
function truncate(b: Uint8Array, r: Rng): Uint8Array {
  return b.slice(0, r.int(b.length + 1));
}
function insert(b: Uint8Array, r: Rng): Uint8Array {
  const at = r.int(b.length + 1);
  const ins = new Uint8Array(1 + r.int(r.next() < 0.1 ? 4096 : 16));
  for (let i = 0; i < ins.length; i++) ins[i] = r.int(256);
  return cat(b.subarray(0, at), ins, b.subarray(at));
}
/** Opcode-stream surgery: splice a run of opcodes from `donor` in, drop a run, repeat a run, or set an integer to a hostile value. */
function spliceOps(b: Uint8Array, donor: Uint8Array, r: Rng): Uint8Array {
  const ops = pickleOps(b);
  if (ops.length < 2) return flipBytes(b, r);
  const at = ops[r.int(ops.length)]![0];
  switch (r.int(5)) {
    case 0: {
      const dops = pickleOps(donor);
      if (!dops.length) return b;
      const i = r.int(dops.length), j = Math.min(dops.length, i + 1 + r.int(12));
      return cat(b.subarray(0, at), donor.subarray(dops[i]![0], dops[j - 1]![1]), b.subarray(at));
    }
    case 1: {
      const i = r.int(ops.length), j = Math.min(ops.length, i + 1 + r.int(6));
      return cat(b.subarray(0, ops[i]![0]), b.subarray(ops[j - 1]![1]));
    }
    case 2: {
      const i = r.int(ops.length), j = Math.min(ops.length, i + 1 + r.int(6));
      const run = b.subarray(ops[i]![0], ops[j - 1]![1]);
      const reps = 1 + r.int(r.next() < 0.05 ? 2000 : 4);
      return cat(b.subarray(0, ops[j - 1]![1]), ...Array.from({ length: reps }, () => run), b.subarray(ops[j - 1]![1]));
    }
    default: {
      const ints = intOps(b, ops);
      if (!ints.length) return flipBytes(b, r);
      const [s, e] = r.pick(ints);
      return cat(b.subarray(0, s), hostileInt(r), b.subarray(e));
    }
  }
}
/** A zip header field (a size, an offset, a count, a length) set to a hostile value. */
function zipField(b: Uint8Array, r: Rng): Uint8Array {
  const out = Uint8Array.from(b);
  const dv = new DataView(out.buffer);
  const sigs: [number, number[]][] = [];
  for (let p = 0; p + 4 <= out.length; p++) {
    const s = dv.getUint32(p, true);
    if (s === 0x04034b50) sigs.push([p, [14, 18, 22, 26, 28]]);
    else if (s === 0x02014b50) sigs.push([p, [16, 20, 24, 28, 30, 32, 42]]);
    else if (s === 0x06054b50) sigs.push([p, [8, 10, 12, 16, 20]]);
    else if (s === 0x06064b50) sigs.push([p, [24, 32, 40, 48]]);
    else if (s === 0x07064b50) sigs.push([p, [8]]);
  }
  if (!sigs.length) return flipBytes(b, r);
  const [p, fields] = r.pick(sigs);
  const f = p + r.pick(fields);
  const v = r.pick([0, 1, 0x7fffffff, 0xffffffff, 0xfffffff0, 0x80000000, out.length, r.int(out.length + 64)]);
  if (f + 4 <= out.length) dv.setUint32(f, v >>> 0, true);
  if (r.next() < 0.3 && f + 8 <= out.length) dv.setUint32(f + 4, r.pick([0, 0xffffffff, 0x7fffffff]), true);
  return out;
}

/** Mutates the entries of a zip checkpoint and writes a new, well-formed zip (so the CRCs pass and the mutation reaches the pickle and the storages). */
function inner(b: Uint8Array, r: Rng, donor: Uint8Array): Uint8Array | null {
  let zip;
  try {
    zip = readZip(b, { inflate: () => new Uint8Array(0) });
  } catch {
    return null;
  }
  const entries: ZipEntry[] = [];
  try {
    for (const name of zip.names) {
      const info = zip.info(name);
      if (info.method !== 0) return null;
      entries.push({ name, data: Uint8Array.from(info.raw) });
    }
  } catch {
    return null;
  }
  const pkl = entries.find((e) => e.name.endsWith("/data.pkl"));
  if (!pkl) return null;
  const storages = entries.filter((e) => /\/data\/[^/]+$/.test(e.name));
  switch (r.int(6)) {
    case 0:
    case 1:
      pkl.data = spliceOps(pkl.data, donor, r);
      break;
    case 2:
      pkl.data = r.next() < 0.5 ? flipBytes(pkl.data, r) : truncate(pkl.data, r);
      break;
    case 3:
      pkl.data = insert(pkl.data, r);
      break;
    case 4:
      if (storages.length) {
        const s = r.pick(storages);
        s.data = r.next() < 0.5 ? truncate(s.data, r) : flipBytes(s.data, r);
      }
      break;
    default: {
      const e = r.pick(entries);
      if (r.next() < 0.5) entries.splice(entries.indexOf(e), 1);
      else e.name = r.pick([e.name + "x", "archive/" + e.name, e.name.replace(/^[^/]*\//, ""), "other/data.pkl"]);
    }
  }
  return writeZip(entries);
}

/** One mutated input: which seed, how it was mutated, the bytes. */
export interface FuzzInput {
  seed: string;
  how: string;
  bytes: Uint8Array;
}

const seedBytes = new Map<string, Uint8Array>();
const seedOf = (name: string) => {
  let b = seedBytes.get(name);
  if (!b) seedBytes.set(name, (b = fixtureBytes(name)));
  return b;
};
/** The pickle inside a seed (its data.pkl, or a legacy file's whole stream): a donor of opcodes. */
function donorOf(name: string): Uint8Array {
  const b = seedOf(name);
  if (b[0] !== 0x50) return b;
  try {
    const z = readZip(b, { inflate: () => new Uint8Array(0) });
    const n = z.names.find((x) => x.endsWith("/data.pkl"))!;
    return z.info(n).method === 0 ? z.read(n) : b;
  } catch {
    return b;
  }
}

/** The i-th input of the stream for `seed`: the same bytes on every run and machine. */
export function fuzzInput(seed: number, i: number): FuzzInput {
  const r = new Rng((seed * 0x9e3779b1) ^ (i * 0x85ebca6b));
  const name = r.pick(SEEDS);
  let b = seedOf(name);
  const hows: string[] = [];
  for (let rounds = 1 + (r.next() < 0.3 ? r.int(3) : 0); rounds > 0; rounds--) {
    const kind = r.int(10);
    let next: Uint8Array | null = null;
    let how = "";
    if (kind <= 3) {
      next = inner(b, r, donorOf(r.pick(SEEDS)));
      how = "inner";
    }
    if (!next) {
      switch (kind % 6) {
        case 0: next = flipBytes(b, r); how = "flip"; break;
        case 1: next = truncate(b, r); how = "truncate"; break;
        case 2: next = insert(b, r); how = "insert"; break;
        case 3: next = spliceOps(b, donorOf(r.pick(SEEDS)), r); how = "splice"; break;
        default: next = zipField(b, r); how = "zipfield"; break;
      }
    }
    b = next;
    hows.push(how);
  }
  return { seed: name, how: hows.join("+"), bytes: b };
}

/** What loading one input did. */
export interface FuzzOutcome {
  result: "loaded" | "refused" | "RAW";
  ms: number;
  detail: string;
}

/** Touches what was loaded as a user would: every tensor's values (small ones), every container's items, iteratively. */
function walk(v: unknown): void {
  const todo: unknown[] = [v];
  const seen = new Set<unknown>();
  let budget = 2_000_000;
  while (todo.length && budget-- > 0) {
    const x = todo.pop();
    if (x === null || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    if (x instanceof Tensor) {
      if (x.numel() <= 100_000) x.tolist();
      continue;
    }
    if (x instanceof Map) for (const [k, y] of x) todo.push(k, y);
    else if (x instanceof Set) for (const y of x) todo.push(y);
    else if (Array.isArray(x)) for (const y of x) todo.push(y);
    else if (!(x instanceof Uint8Array) && !(x instanceof torch.DType)) for (const k of Object.keys(x)) todo.push((x as Record<string, unknown>)[k]);
  }
}

/** Loads one input; a raw JS error (or an error of no class of typetorch's) is "RAW". */
export function runInput(bytes: Uint8Array): FuzzOutcome {
  const t0 = performance.now();
  try {
    const v = torch.serialization.loadFromBytes(bytes);
    walk(v);
    return { result: "loaded", ms: performance.now() - t0, detail: "" };
  } catch (e) {
    const ms = performance.now() - t0;
    if (isOwnError(e)) return { result: "refused", ms, detail: `${e.name}: ${e.message.split("\n")[0]!.slice(0, 120)}` };
    return { result: "RAW", ms, detail: `${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack ?? ""}` };
  }
}

/** Loads one input through loadFromBytesAsync: the same outcome class as the sync path is expected. */
export async function runInputAsync(bytes: Uint8Array): Promise<FuzzOutcome> {
  const t0 = performance.now();
  try {
    const v = await torch.serialization.loadFromBytesAsync(bytes);
    walk(v);
    return { result: "loaded", ms: performance.now() - t0, detail: "" };
  } catch (e) {
    const ms = performance.now() - t0;
    if (isOwnError(e)) return { result: "refused", ms, detail: `${e.name}: ${e.message.split("\n")[0]!.slice(0, 120)}` };
    return { result: "RAW", ms, detail: `${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack ?? ""}` };
  }
}

/** The per-input time allowed: generous, linear in the size (2 s for anything up to 1 MB, plus 2 s per MB). */
export function timeLimitMs(size: number): number {
  return 2000 + (2000 * size) / (1 << 20);
}

export interface FuzzReport {
  inputs: number;
  loaded: number;
  refused: number;
  findings: { i: number; seed: string; how: string; size: number; why: string }[];
  slowest: { i: number; size: number; ms: number };
  maxMsPerKB: number;
  refusals: Map<string, number>;
}

/** Runs inputs 0, 1, 2 ... of `seed` until `seconds` have passed or `maxInputs` have run. */
export async function fuzz(seed: number, seconds: number, maxInputs = Infinity, onFinding?: (f: FuzzReport["findings"][0], bytes: Uint8Array) => void): Promise<FuzzReport> {
  const rep: FuzzReport = { inputs: 0, loaded: 0, refused: 0, findings: [], slowest: { i: -1, size: 0, ms: 0 }, maxMsPerKB: 0, refusals: new Map() };
  const end = performance.now() + seconds * 1000;
  for (let i = 0; i < maxInputs && performance.now() < end; i++) {
    const input = fuzzInput(seed, i);
    const out = runInput(input.bytes);
    rep.inputs++;
    if (out.result === "loaded") rep.loaded++;
    if (out.result === "refused") {
      rep.refused++;
      const key = out.detail.replace(/[0-9]+/g, "N").slice(0, 70);
      rep.refusals.set(key, (rep.refusals.get(key) ?? 0) + 1);
    }
    if (out.ms > rep.slowest.ms) rep.slowest = { i, size: input.bytes.length, ms: out.ms };
    rep.maxMsPerKB = Math.max(rep.maxMsPerKB, out.ms / Math.max(1, input.bytes.length / 1024));
    let why = out.result === "RAW" ? `raw error: ${out.detail}` : out.ms > timeLimitMs(input.bytes.length) ? `slow: ${out.ms.toFixed(0)} ms for ${input.bytes.length} bytes` : "";
    // NOTE: every 16th input also goes through the async loader, which must agree (deflate.pt's entries take the DecompressionStream path)
    if (!why && (i % 16 === 0 || input.seed === "deflate.pt")) {
      const a = await runInputAsync(input.bytes);
      if (a.result === "RAW") why = `raw error (async): ${a.detail}`;
      else if (a.result !== out.result) why = `async ${a.result} (${a.detail}) but sync ${out.result} (${out.detail})`;
    }
    if (why) {
      const f = { i, seed: input.seed, how: input.how, size: input.bytes.length, why };
      rep.findings.push(f);
      onFinding?.(f, input.bytes);
    }
  }
  return rep;
}
