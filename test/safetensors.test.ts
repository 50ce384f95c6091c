// safetensors files: read files written on the PyTorch side (scripts/gen_safetensors_fixtures.py, a
// writer that follows the format and the Rust crate's `prepare`: the Python package itself could not
// be installed here), write them back byte for byte, and refuse hostile ones with clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

type V = number | boolean | string;
interface Enc { dtype: string; shape: number[]; data: V[] }
const dir = new URL("./fixtures/safetensors/", import.meta.url);
const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as Record<string, { metadata: Record<string, string> | null; tensors: Record<string, Enc>; order: string[] }>;
const fileBytes = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.safetensors`, dir)));
const num = (v: V): number | boolean => (typeof v === "boolean" ? v : v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0.0" ? -0 : +v);
const { safetensors } = torch;

function same(t: Tensor, e: Enc, where: string): void {
  assert.equal(t.dtype.name, e.dtype, `${where}: dtype`);
  assert.deepEqual(t.shape, e.shape, `${where}: shape`);
  const got = t.reshape(-1).tolist() as (number | boolean)[];
  assert.equal(got.length, e.data.length, `${where}: numel`);
  got.forEach((g, i) => {
    const w = num(e.data[i]!);
    assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${where}[${i}]: ${String(g)} vs ${String(e.data[i])}`);
  });
}

test("load: files written on the PyTorch side, every dtype, 0-dim and empty tensors, metadata", () => {
  for (const [name, e] of Object.entries(expected)) {
    const bytes = fileBytes(name);
    const o = safetensors.load(bytes);
    assert.deepEqual(Object.keys(o).sort(), Object.keys(e.tensors).sort(), name);
    for (const [k, t] of Object.entries(e.tensors)) same(o[k]!, t, `${name}.${k}`);
    assert.deepEqual(safetensors.loadMetadata(bytes), e.metadata, `${name}: metadata`);
  }
});

test("save: the same bytes as the reference writer (the Rust crate's order: dtype alignment, then name; space padding)", () => {
  for (const [name, e] of Object.entries(expected)) {
    const bytes = fileBytes(name);
    const o = safetensors.load(bytes);
    // (a different insertion order: the file's order comes from the sort alone)
    const shuffled = Object.fromEntries(Object.entries(o).reverse());
    const out = safetensors.save(shuffled, e.metadata);
    assert.deepEqual(Buffer.from(out).toString("hex"), Buffer.from(bytes).toString("hex"), name);
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    const keys = Object.keys(JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n))));
    assert.deepEqual(keys, [...(e.metadata ? ["__metadata__"] : []), ...e.order], `${name}: header order`);
  }
});

test("saveFile / loadFile: a path in Node; a Map works as the dict; round trip of a model's state dict", () => {
  const tmp = mkdtempSync(join(tmpdir(), "st-"));
  try {
    torch.manualSeed(1);
    const model = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    const p = join(tmp, "model.safetensors");
    safetensors.saveFile(model.stateDict(), p, { format: "pt" });
    const back = safetensors.loadFile(p);
    for (const [k, v] of model.stateDict()) assert.deepEqual(back[k]!.tolist(), v.tolist(), k);
    const fresh = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    fresh.loadStateDict(back);
    const x = torch.randn(2, 3);
    assert.deepEqual(fresh.forward(x).tolist(), model.forward(x).tolist());
    assert.deepEqual(safetensors.loadMetadata(new Uint8Array(readFileSync(p))), { format: "pt" });
    // a non-contiguous tensor is written as its values
    const t = torch.arange(6).reshape(2, 3).t();
    assert.deepEqual(safetensors.load(safetensors.save(new Map([["t", t]]))).t!.tolist(), t.tolist());
    assert.throws(() => safetensors.loadFile(join(tmp, "missing.safetensors")), (e: Error) => e.name === "FileNotFoundError" && /No such file or directory/.test(e.message));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** A file from a header object (or raw header text) and data bytes. */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), declared?: bigint): Uint8Array {
  const h = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

test("hostile files: clear SafetensorErrors, never a hang or a raw JS error", () => {
  const f32 = (offs: [number, number], shape = [1]) => ({ dtype: "F32", shape, data_offsets: offs });
  const cases: [string, Uint8Array, RegExp][] = [
    ["too small", new Uint8Array(5), /HeaderTooSmall/],
    ["header length beyond the file", craft({}, new Uint8Array(0), 1000n), /InvalidHeaderLength/],
    ["header length 2^64 - 1", craft({}, new Uint8Array(0), 2n ** 64n - 1n), /HeaderTooLarge/],
    ["header over 100 MB", craft({}, new Uint8Array(0), 100_000_001n), /HeaderTooLarge/],
    ["invalid JSON", craft("{\"a\": [1,"), /InvalidHeaderDeserialization \(invalid JSON/],
    ["invalid UTF-8", (() => { const b = craft("{\"a\":1}  "); b[10] = 0xff; return b; })(), /InvalidHeader \(invalid UTF-8/],
    ["not an object", craft("[1,2]"), /not a JSON object/],
    ["unknown dtype", craft({ a: { dtype: "F128", shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)), /unknown variant `F128`/],
    ["a dtype typetorch lacks", craft({ a: { dtype: "U16", shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)), /dtype U16, which typetorch does not support/],
    ["overlapping offsets", craft({ a: f32([0, 4]), b: f32([2, 6]) }, new Uint8Array(6)), /InvalidOffset\("b"\)/],
    ["a gap", craft({ a: f32([0, 4]), b: f32([8, 12]) }, new Uint8Array(12)), /InvalidOffset\("b"\)/],
    ["offsets beyond the data", craft({ a: f32([0, 4]) }, new Uint8Array(2)), /MetadataIncompleteBuffer/],
    ["trailing bytes", craft({ a: f32([0, 4]) }, new Uint8Array(8)), /MetadataIncompleteBuffer/],
    ["size does not match the shape", craft({ a: f32([0, 8]) }, new Uint8Array(8)), /TensorInvalidInfo/],
    ["end before start", craft({ a: f32([0, 4]), b: f32([4, 2]) }, new Uint8Array(4)), /InvalidOffset/],
    ["negative shape", craft({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /shape/],
    ["huge shape", craft({ a: { dtype: "F32", shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] } }, new Uint8Array(4)), /ValidationOverflow/],
    ["offsets not integers", craft({ a: { dtype: "F32", shape: [1], data_offsets: [0, "4"] } }, new Uint8Array(4)), /data_offsets/],
    ["metadata not strings", craft({ __metadata__: { a: 1 } }), /__metadata__ must be an object of strings/],
    ["missing dtype", craft({ a: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /missing field `dtype`/],
  ];
  for (const [what, bytes, re] of cases) {
    const t0 = performance.now();
    assert.throws(() => safetensors.load(bytes), (e: Error) => e.name === "SafetensorError" && re.test(e.message), what);
    assert.ok(performance.now() - t0 < 1000, `${what}: fast`);
  }
  // int64 beyond 2^53 cannot be held exactly: refused, not rounded
  const big = new Uint8Array(8);
  new DataView(big.buffer).setBigInt64(0, 2n ** 53n + 1n, true);
  assert.throws(() => safetensors.load(craft({ a: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, big)), /beyond 2\^53/);
  // save: wrong argument types
  assert.throws(() => safetensors.save({ a: 1 as unknown as Tensor }), (e: Error) => e.name === "TypeError" && /expected torch\.Tensor/.test(e.message));
  assert.throws(() => safetensors.save({ a: torch.ones(1) }, { k: 1 as unknown as string }), (e: Error) => e.name === "TypeError");
  assert.throws(() => safetensors.save({ __metadata__: torch.ones(1) }), /__metadata__/);
});
