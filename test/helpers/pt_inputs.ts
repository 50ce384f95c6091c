// Hostile .pt inputs for test/serialization_hostile.test.ts and the loader fuzzer: the builders that
// mirror scripts/gen_serialization_hostile_fixtures.py (recipes, byte edits), and the rule every
// refusal must follow (an error of typetorch's own classes, src/errors.ts).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import * as errors from "../../src/errors.js";
import { writeZip } from "../../src/serialization/zip.js";

export const FIXTURES = new URL("../fixtures/serialization/", import.meta.url);
export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

/** typetorch's error classes (src/errors.ts): the only errors a refused file may raise. */
type ErrorClass = abstract new (...a: never[]) => Error;
export const OWN_ERRORS: ErrorClass[] = Object.values(errors as Record<string, unknown>).filter(
  (v): v is ErrorClass => typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof Error,
);
export function isOwnError(e: unknown): e is Error {
  return OWN_ERRORS.some((c) => e instanceof c);
}

export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}
export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

/** A data.pkl and its storages in an archive as PyTorch lays it out ("archive/data.pkl", "archive/data/<key>", "archive/version"). */
export function archive(pkl: Uint8Array, storages: Record<string, Uint8Array> = {}): Uint8Array {
  const entries = [{ name: "archive/data.pkl", data: pkl }];
  for (const [k, v] of Object.entries(storages)) entries.push({ name: `archive/data/${k}`, data: v });
  entries.push({ name: "archive/version", data: new TextEncoder().encode("3\n") });
  return writeZip(entries);
}

/** A growing byte buffer. */
class Bytes {
  private buf = new Uint8Array(1 << 16);
  len = 0;
  private grow(k: number): void {
    if (this.len + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + k) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  push(...bytes: number[]): this {
    this.grow(bytes.length);
    for (const x of bytes) this.buf[this.len++] = x;
    return this;
  }
  repeat(bytes: number[], n: number): this {
    this.grow(bytes.length * n);
    for (let i = 0; i < n; i++) for (const x of bytes) this.buf[this.len++] = x;
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const PROTO = [0x80, 0x02];
const STR_K = [0x58, 1, 0, 0, 0, 0x6b]; // BINUNICODE "k"

/** The large pickles of scripts/gen_serialization_hostile_fixtures.py's recipe(), byte for byte. */
export function recipe(name: string, n: number): Uint8Array {
  const b = new Bytes().push(...PROTO);
  switch (name) {
    case "deep_list":
      return b.repeat([0x5d], n).repeat([0x61], n - 1).push(0x2e).done();
    case "deep_tuple":
      return b.push(0x29).repeat([0x85], n).push(0x2e).done();
    case "deep_dict":
      return b.repeat([0x7d, ...STR_K], n).push(0x4e).repeat([0x73], n).push(0x2e).done();
    case "deep_marks":
      return b.repeat([0x28], n).repeat([0x6c], n).push(0x2e).done();
    case "flat_appends":
      return b.push(0x5d, 0x28).repeat([0x4b, 1], n).push(0x65, 0x2e).done();
    case "flat_setitems": {
      b.push(0x7d, 0x28);
      for (let i = 0; i < n; i++) b.push(0x4a, i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, (i >>> 24) & 0xff, 0x4e);
      return b.push(0x75, 0x2e).done();
    }
    case "long4":
    case "long4_neg": {
      b.push(0x8b, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
      for (let i = 0; i < n - 1; i++) b.push((i * 7 + 1) & 0xff);
      return b.push(name === "long4" ? 0x5a : 0xa5, 0x2e).done();
    }
    case "memo_fanout":
      return b.push(0x5d, 0x71, 0x00, 0x28).repeat([0x68, 0x00], n).push(0x65, 0x2e).done();
  }
  throw new Error(`unknown recipe ${name}`);
}

export type EditOp = ["truncate", number] | ["set", number, string] | ["insert", number, string] | ["splice", number, number, string];
const hex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

/** The byte edits of the generator's mutate(): a copy of `bytes` with each op applied in turn. */
export function applyEdits(bytes: Uint8Array, ops: readonly EditOp[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  const splice = (at: number, del: number, ins: Uint8Array) => {
    const out = new Uint8Array(b.length - del + ins.length);
    out.set(b.subarray(0, at));
    out.set(ins, at);
    out.set(b.subarray(at + del), at + ins.length);
    b = out;
  };
  for (const op of ops) {
    if (op[0] === "truncate") b = b.slice(0, op[1]);
    else if (op[0] === "set") {
      const at = op[1] >= 0 ? op[1] : b.length + op[1];
      const v = hex(op[2]);
      // Python's slice assignment b[at:at+len] = v (it never writes past the end; it would grow b)
      splice(at, Math.min(v.length, b.length - at), v);
    } else if (op[0] === "insert") splice(op[1], 0, hex(op[2]));
    else splice(op[1], op[2], hex(op[3]));
  }
  return b;
}
