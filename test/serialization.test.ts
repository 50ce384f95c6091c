// torch.save / torch.load against files real PyTorch 1.13 wrote (test/fixtures/serialization, from
// scripts/gen_serialization_fixtures.py), round trips within typetorch, and the error cases.
// The other direction (files typetorch writes, loaded by PyTorch) is scripts/check_serialization_in_pytorch.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as torch from "../src/index.js";
import { nn, optim, Tensor } from "../src/index.js";
import { readZip, writeZip } from "../src/serialization/zip.js";
import { isOwnError } from "./helpers/pt_inputs.js";

const DIR = new URL("./fixtures/serialization/", import.meta.url);
const fixture = (name: string) => new URL(name, DIR);
interface Enc {
  shape: number[];
  stride: number[];
  offset: number;
  dtype: string;
  requires_grad: boolean;
  data: (number | boolean)[];
}
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Record<string, any>;

/** Checks a loaded tensor against PyTorch's: exact metadata, and exact values unless atol is given. */
function checkTensor(t: unknown, e: Enc, where: string, atol?: number): void {
  assert.ok(t instanceof Tensor, `${where}: expected a Tensor, got ${String(t)}`);
  assert.equal(t.dtype.name, e.dtype, `${where}: dtype`);
  assert.deepEqual(t.shape, e.shape, `${where}: shape`);
  if (atol === undefined) {
    assert.deepEqual(t.stride(), e.stride, `${where}: stride`);
    assert.equal(t.storageOffset(), e.offset, `${where}: offset`);
    assert.equal(t.requiresGrad, e.requires_grad, `${where}: requiresGrad`);
  }
  const got = (t.reshape(-1).tolist() as (number | boolean)[]);
  if (atol === undefined) assert.deepEqual(got, e.data, `${where}: values`);
  else got.forEach((g, i) => assert.ok(Math.abs((g as number) - (e.data[i] as number)) <= atol, `${where}[${i}]: ${g} vs ${e.data[i]}`));
}
function fromEnc(e: Enc): Tensor {
  return torch.tensor(e.data as number[], { dtype: (torch as any)[e.dtype] }).reshape(e.shape);
}
function mlp(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
}
function throwsMatching(fn: () => unknown, re: RegExp, name?: string): void {
  assert.throws(fn, (e: Error) => {
    assert.match(e.message, re);
    if (name) assert.equal(e.name, name);
    return true;
  });
}

// ------------------------------------------------------------------------------ files from PyTorch

test("load: a module state dict is a Map in PyTorch's key order, with _metadata", () => {
  const sd = torch.load(fixture("mlp.pt"));
  assert.ok(sd instanceof Map);
  assert.deepEqual([...sd.keys()], Object.keys(expected["mlp"].state));
  for (const [k, e] of Object.entries(expected["mlp"].state)) checkTensor(sd.get(k), e as Enc, k);
  const meta = (sd as any)._metadata as Map<string, unknown>;
  assert.ok(meta instanceof Map);
  assert.deepEqual(Object.fromEntries(meta), expected["mlp"].metadata);
  assert.ok(!Object.keys(sd).includes("_metadata"), "_metadata is not enumerable");
});

test("load: model.loadStateDict(torch.load(p)) gives PyTorch's outputs", () => {
  torch.manualSeed(0);
  const model = mlp();
  const fresh = model.forward(fromEnc(expected["mlp"].x));
  model.loadStateDict(torch.load(fixture("mlp.pt")));
  const y = model.forward(fromEnc(expected["mlp"].x));
  checkTensor(y.detach(), expected["mlp"].y, "y", 1e-6);
  // and a model seeded as PyTorch's was starts from the same weights (typetorch's init follows PyTorch)
  checkTensor(fresh.detach(), expected["mlp"].y, "y before loading", 1e-6);
});

test("stateDict() carries PyTorch's _metadata (module versions), and save writes it", () => {
  const meta = (sd: Map<string, Tensor>) => Object.fromEntries((sd as any)._metadata as Map<string, unknown>);
  assert.deepEqual(meta(mlp().stateDict()), expected["mlp"].metadata);
  const bnSd = new nn.BatchNorm1d(3).stateDict();
  assert.deepEqual(meta(bnSd), expected["batchnorm_metadata"]);
  assert.ok(!Object.keys(bnSd).includes("_metadata"), "_metadata is not enumerable");
  assert.deepEqual(meta(torch.serialization.loadFromBytes(torch.serialization.saveToBytes(bnSd))), expected["batchnorm_metadata"]);
});

test("load: BatchNorm state dict with int64 num_batches_tracked", () => {
  const sd = torch.load(fixture("batchnorm.pt")) as Map<string, Tensor>;
  for (const [k, e] of Object.entries(expected["batchnorm"])) checkTensor(sd.get(k), e as Enc, k);
  assert.equal(sd.get("num_batches_tracked")!.dtype, torch.int64);
  const bn = new nn.BatchNorm1d(3);
  bn.loadStateDict(sd);
  const back = bn.stateDict();
  for (const [k, e] of Object.entries(expected["batchnorm"])) checkTensor(back.get(k), e as Enc, `reloaded ${k}`);
});

test("load: Adam state dict after two steps continues exactly as PyTorch's third step", () => {
  const ex = expected["adam"];
  const sd = torch.load(fixture("adam.pt"));
  assert.deepEqual(Object.keys(sd), ["state", "param_groups"]);
  assert.deepEqual(sd.param_groups, ex.param_groups);
  assert.ok(Object.isFrozen(sd.param_groups[0].betas), "betas is a tuple (frozen array)");
  assert.deepEqual(Object.keys(sd.state), Object.keys(ex.state));
  for (const [i, s] of Object.entries(ex.state as Record<string, Record<string, Enc>>))
    for (const [k, e] of Object.entries(s)) checkTensor(sd.state[i][k], e, `state[${i}].${k}`);

  const model = mlp();
  model.loadStateDict(torch.load(fixture("adam_model.pt")));
  const opt = new optim.Adam(model.parameters(), { lr: 0.5 });
  opt.loadStateDict(sd);
  assert.equal(opt.paramGroups[0]!.lr, 0.01);
  assert.equal(opt.paramGroups[0]!["weightDecay"], 0.001);
  opt.zeroGrad();
  nn.functional.mseLoss(model.forward(fromEnc(ex.x3)), fromEnc(ex.t3)).backward();
  opt.step();
  const after = model.stateDict();
  for (const [k, e] of Object.entries(ex.after_step3 as Record<string, Enc>)) checkTensor(after.get(k), e, `after step 3: ${k}`, 2e-6);
});

test("load: SGD momentum state dict", () => {
  const ex = expected["sgd"];
  const sd = torch.load(fixture("sgd.pt"));
  assert.deepEqual(sd.param_groups, ex.param_groups);
  checkTensor(sd.state["0"].momentum_buffer, ex.state["0"].momentum_buffer, "momentum_buffer");
  const w = new nn.Parameter(torch.zeros(2, 3));
  const opt = new optim.SGD([w], { lr: 1 });
  opt.loadStateDict(sd);
  assert.equal(opt.paramGroups[0]!["nesterov"], true);
  checkTensor(opt.state.get(w)!["momentum_buffer"], ex.state["0"].momentum_buffer, "loaded momentum_buffer");
});

test("load: every supported dtype, 0-d, empty and requires_grad tensors", () => {
  const sd = torch.load(fixture("dtypes.pt"));
  for (const [k, e] of Object.entries(expected["dtypes"] as Record<string, Enc>)) checkTensor(sd[k], e, k);
  assert.equal(sd.int64.tolist()[2], 2 ** 53);
  assert.equal(sd.int64.tolist()[3], -(2 ** 53));
  assert.ok(sd.grad.isLeaf && sd.grad.requiresGrad);
});

test("load: views share one storage, as in PyTorch", () => {
  const v = torch.load(fixture("views.pt"));
  for (const [k, e] of Object.entries(expected["views"] as Record<string, Enc>)) checkTensor(v[k], e, k);
  torch.noGrad(() => v.base.add_(100));
  assert.equal(v.t.index(2, 1).item(), 106);
  assert.deepEqual(v.row.tolist(), [104, 105, 106, 107]);
  assert.deepEqual(v.block.tolist(), [[105, 106], [109, 110]]);
  assert.deepEqual(v.step.tolist(), [100, 105, 110]);
});

for (const file of ["nested.pt", "nested_p4.pt"]) {
  test(`load: Python values map to JavaScript as documented (${file})`, () => {
    const o = torch.load(fixture(file));
    assert.equal(o.int, 3);
    assert.equal(o.neg, -70000);
    assert.equal(o.int40, 2 ** 40);
    assert.equal(o.huge, 2n ** 70n);
    assert.equal(o.float, 0.1);
    assert.equal(o.float_int, 2);
    assert.equal(o.inf, Infinity);
    assert.equal(o.str, "h\u00e9llo \u2713");
    assert.equal(o.none, null);
    assert.equal(o.true, true);
    assert.equal(o.false, false);
    assert.deepEqual(o.list, [1, 2.5, "x", null, [true]]);
    assert.ok(!Object.isFrozen(o.list));
    assert.deepEqual(o.tuple, [1, [2, 3]]);
    assert.ok(Object.isFrozen(o.tuple) && Object.isFrozen(o.tuple[1]));
    assert.deepEqual(o.intkeys, { 0: "a", 1: "b" });
    assert.ok(o.strintkey instanceof Map && o.strintkey.get("0") === "x");
    assert.ok(o.floatkey instanceof Map && o.floatkey.get(1.5) === "y");
    assert.equal(o.dtype, torch.float64);
    assert.deepEqual(o.size, [2, 3]);
    assert.ok(o.od instanceof Map);
    assert.deepEqual([...o.od], [["b", 1], ["a", 2]]);
    assert.deepEqual(o.bytes, new Uint8Array([0, 255]));
    assert.deepEqual(o.set, new Set([7]));
    assert.deepEqual(o.tensor.tolist(), [1, 2]);
    assert.equal(o.same[0], o.tensor, "one Python object stays one JS object");
    assert.equal(o.same[1], o.tensor);
  });
}

// ------------------------------------------------------------------------------ errors

test("load: uint8 and float16 load as themselves (more in dtypes.test.ts and serialization_hostile.test.ts)", () => {
  const u = torch.load(fixture("uint8.pt"));
  assert.equal(u.dtype, torch.uint8);
  assert.deepEqual(u.tolist(), [1, 2]);
  assert.equal(torch.load(fixture("float16.pt")).h.dtype, torch.float16);
});

test("load: int64 beyond 2^53 is refused, not rounded", () => {
  throwsMatching(() => torch.load(fixture("int64_big.pt")), /int64 value 9007199254740993 .*beyond 2\^53/);
});

test("load: a pickled module (unknown global) is refused and no code runs", () => {
  throwsMatching(() => torch.load(fixture("module.pt")), /Python global torch\.nn\.modules\.linear\.Linear.*no code from a file is ever run.*state_dict\(\)/s, "UnpicklingError");
});

test("load: the legacy (non-zip) format is read (more in serialization_hostile.test.ts)", () => {
  assert.deepEqual(torch.load(fixture("legacy.pt")).a.tolist(), [1, 1]);
});

test("load: unreadable files fail with PyTorch's messages", () => {
  throwsMatching(() => torch.load(join(tmpdir(), "typetorch-no-such-file.pt")), /^\[Errno 2\] No such file or directory: '.*typetorch-no-such-file\.pt'$/, "FileNotFoundError");
  const central = /^PytorchStreamReader failed reading zip archive: failed finding central directory$/;
  // NOTE: as in PyTorch, a file that does not start as a zip is read as the legacy format, a pickle
  // ('h' is pickle's BINGET: hostile.json records PyTorch's identical error)
  throwsMatching(() => torch.serialization.loadFromBytes(new TextEncoder().encode("hello world, not a zip".repeat(3))), /^Memo value not found at index 101$/, "UnpicklingError");
  const good = readFileSync(fixture("mlp.pt"));
  throwsMatching(() => torch.load(good.subarray(0, good.length >> 1)), central);
  throwsMatching(() => torch.load(good.subarray(0, good.length - 3)), central);
  throwsMatching(() => torch.load(new Uint8Array(0)), /^Ran out of input$/, "EOFError");
  // wrong magic at the start: not a zip, so a pickle ('Q' is BINPERSID), as PyTorch reads it
  const badMagic = new Uint8Array(good);
  badMagic[0] = 0x51;
  throwsMatching(() => torch.load(badMagic), /^A load persistent id instruction was encountered,\nbut no persistent_load function was specified\.$/, "UnpicklingError");
  // a flipped data byte fails its CRC-32
  const names = readZip(good).names;
  const dataStart = good.indexOf(Buffer.from(readZip(good).read(names[1]!)));
  const corrupt = new Uint8Array(good);
  corrupt[dataStart] ^= 0xff;
  throwsMatching(() => torch.load(corrupt), /CRC-32/);
  // a zip that is not a PyTorch archive
  const noPkl = writeZip([{ name: "x/version", data: new TextEncoder().encode("3\n") }]);
  throwsMatching(() => torch.load(noPkl), /^PytorchStreamReader failed locating file data\.pkl: file not found$/);
  // a bare pickle
  throwsMatching(() => torch.load(new Uint8Array([0x80, 0x02, 0x4e, 0x2e])), /^Invalid magic number; corrupt file\?$/, "RuntimeError");
});

// ------------------------------------------------------------------------------ round trips

test("save/load round trip: a module state dict and an optimizer state dict", () => {
  torch.manualSeed(5);
  const model = mlp();
  const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
  opt.zeroGrad();
  model.forward(torch.randn(3, 4)).sum().backward();
  opt.step();
  const sd = torch.serialization.loadFromBytes(torch.serialization.saveToBytes(model.stateDict()));
  assert.ok(sd instanceof Map);
  assert.deepEqual([...sd.keys()], [...model.stateDict().keys()]);
  for (const [k, t] of model.stateDict()) assert.ok((sd.get(k) as Tensor).equal(t), k);

  const osd = torch.serialization.loadFromBytes(torch.serialization.saveToBytes(opt.stateDict()));
  assert.deepEqual(Object.keys(osd.state), ["0", "1", "2", "3"]);
  assert.deepEqual(osd.param_groups[0].params, [0, 1, 2, 3]);
  assert.equal(osd.param_groups[0].lr, 0.02);
  assert.equal(osd.state["0"].step.dtype, torch.float32);
  const opt2 = new optim.Adam(mlp().parameters());
  opt2.loadStateDict(osd);
  assert.equal(opt2.paramGroups[0]!.lr, 0.02);
});

test("save/load round trip: a PyTorch file's _metadata is written back", () => {
  const sd = torch.load(fixture("mlp.pt"));
  const back = torch.serialization.loadFromBytes(torch.serialization.saveToBytes(sd));
  assert.deepEqual(Object.fromEntries(back._metadata), expected["mlp"].metadata);
});

test("save/load round trip: plain values keep their Python types", () => {
  const shared = torch.tensor([1, 2, 3]);
  const obj = {
    n: 3, f: 0.5, negZero: -0, nan: NaN, big: 2n ** 64n, s: "\u2713", t: true, no: null, undef: undefined,
    list: [1, [2]], tuple: Object.freeze([1, "a"]), empty: Object.freeze([]), long: Object.freeze([1, 2, 3, 4, 5]),
    intKeys: { 3: "x", 10: "y" }, strKeyMap: new Map<unknown, unknown>([["0", 1], [2.5, 2], [null, 3], [Object.freeze([1, 2]), 4]]),
    set: new Set(["a"]), bytes: new Uint8Array([1, 2, 250]), dtype: torch.int32, p: new nn.Parameter(torch.ones(2)),
    frozenParam: new nn.Parameter(torch.ones(1), false), twice: [shared, shared], proto: JSON.parse('{"__proto__": 1}'),
  };
  const o = torch.serialization.loadFromBytes(torch.serialization.saveToBytes(obj));
  assert.equal(o.n, 3);
  assert.equal(o.f, 0.5);
  assert.ok(Object.is(o.negZero, -0));
  assert.ok(Number.isNaN(o.nan));
  assert.equal(o.big, 2n ** 64n);
  assert.equal(o.s, "\u2713");
  assert.equal(o.t, true);
  assert.equal(o.no, null);
  assert.equal(o.undef, null);
  assert.deepEqual(o.list, [1, [2]]);
  assert.ok(Object.isFrozen(o.tuple) && !Object.isFrozen(o.list));
  assert.deepEqual(o.tuple, [1, "a"]);
  assert.deepEqual(o.empty, []);
  assert.deepEqual(o.long, [1, 2, 3, 4, 5]);
  assert.deepEqual(o.intKeys, { 3: "x", 10: "y" });
  assert.ok(o.strKeyMap instanceof Map);
  assert.deepEqual([...o.strKeyMap.values()], [1, 2, 3, 4]);
  assert.deepEqual([...o.strKeyMap.keys()].slice(0, 3), ["0", 2.5, null]);
  assert.deepEqual(o.set, new Set(["a"]));
  assert.deepEqual(o.bytes, new Uint8Array([1, 2, 250]));
  assert.equal(o.dtype, torch.int32);
  assert.ok(o.p instanceof nn.Parameter && o.p.requiresGrad);
  assert.ok(o.frozenParam instanceof nn.Parameter && !o.frozenParam.requiresGrad);
  assert.equal(o.twice[0], o.twice[1]);
  assert.equal(o.twice[0].dtype, torch.float32);
  assert.equal(Object.getOwnPropertyDescriptor(o.proto, "__proto__")?.value, 1);
  assert.equal(Object.getPrototypeOf(o.proto), Object.prototype);
});

test("save/load round trip: every dtype, views sharing one storage", () => {
  const base = torch.arange(24, { dtype: torch.float64 }).reshape(4, 6);
  const obj = {
    f32: torch.tensor([1.5, -0, 1e-40, Infinity]),
    i64: torch.tensor([0, -1, 2 ** 53, -(2 ** 53), 12345678901], { dtype: torch.int64 }),
    i32: torch.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: torch.int32 }),
    b: torch.tensor([true, false]),
    base, t: base.t(), slice: base.index("1:3", "::2"), row: base.index(3),
  };
  const bytes = torch.serialization.saveToBytes(obj);
  const names = readZip(bytes).names;
  assert.deepEqual(names, ["archive/data.pkl", "archive/data/0", "archive/data/1", "archive/data/2", "archive/data/3", "archive/data/4", "archive/version"]);
  const o = torch.serialization.loadFromBytes(bytes);
  for (const k of ["f32", "i64", "i32", "b", "base", "t", "slice", "row"] as const) {
    const a = (obj as Record<string, Tensor>)[k]!, b = o[k] as Tensor;
    assert.equal(b.dtype, a.dtype, k);
    assert.deepEqual(b.shape, a.shape, k);
    assert.deepEqual(b.stride(), a.stride(), k);
    assert.equal(b.storageOffset(), a.storageOffset(), k);
    assert.deepEqual(b.tolist(), a.tolist(), k);
  }
  assert.ok(Object.is((o.f32.tolist() as number[])[1], -0));
  o.base.fill_(7);
  assert.deepEqual(o.row.tolist(), [7, 7, 7, 7, 7, 7]);
  assert.equal(o.t.index(0, 0).item(), 7);
});

test("saveToBytes: entries are stored and their data starts on 64-byte boundaries", () => {
  const bytes = torch.serialization.saveToBytes({ a: torch.ones(3), b: torch.zeros(5, { dtype: torch.int64 }) });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0, n = 0;
  while (dv.getUint32(p, true) === 0x04034b50) {
    assert.equal(dv.getUint16(p + 8, true), 0, "stored");
    const start = p + 30 + dv.getUint16(p + 26, true) + dv.getUint16(p + 28, true);
    assert.equal(start % 64, 0, `entry ${n} data at ${start}`);
    p = start + dv.getUint32(p + 18, true);
    n++;
  }
  assert.equal(n, 4);
});

test("save: unsupported values are refused with a TypeError", () => {
  throwsMatching(() => torch.serialization.saveToBytes({ f: () => 1 }), /cannot save a value of type function/, "TypeError");
  throwsMatching(() => torch.serialization.saveToBytes(new nn.Linear(1, 1)), /cannot save a Linear object.*stateDict\(\)/, "TypeError");
  throwsMatching(() => torch.serialization.saveToBytes(new Map([[{}, 1]])), /cannot be a dict key/, "TypeError");
});

test("save to a path: written beside and renamed (no temp file left), archive named after the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "typetorch-ser-"));
  try {
    const path = join(dir, "model.v1.pt");
    writeFileSync(path, "old contents");
    torch.save({ w: torch.ones(2) }, path);
    assert.deepEqual(readdirSync(dir), ["model.v1.pt"]);
    assert.equal(readZip(readFileSync(path)).names[0], "model.v1/data.pkl");
    assert.deepEqual(torch.load(path).w.tolist(), [1, 1]);
    // a failure (unsavable value) leaves the old file untouched and no temp file behind
    assert.throws(() => torch.save({ f: Symbol("x") }, path));
    assert.deepEqual(readdirSync(dir), ["model.v1.pt"]);
    assert.deepEqual(torch.load(path).w.tolist(), [1, 1]);
    // a rename that fails (the target is a non-empty directory) removes its temp file
    const sub = join(dir, "sub");
    mkdirSync(sub);
    writeFileSync(join(sub, "keep"), "x");
    assert.throws(() => torch.save({ a: 1 }, sub));
    assert.deepEqual(readdirSync(dir).sort(), ["model.v1.pt", "sub"]);
    // a file-like sink gets the bytes
    const chunks: Uint8Array[] = [];
    torch.save([1, 2], { write: (b: Uint8Array) => chunks.push(b) });
    assert.deepEqual(torch.load(chunks[0]!), [1, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("load: PyTorch's mapLocation / weightsOnly options are accepted", () => {
  const sd = torch.load(fixture("sgd.pt"), { mapLocation: "cpu", weightsOnly: true });
  assert.deepEqual(sd.param_groups[0].params, [0]);
  throwsMatching(() => torch.load(fixture("sgd.pt"), { mapLocation: "cuda:0" }), /no device "cuda:0"/);
});

test("TSDoc example: saveToBytes / loadFromBytes", () => {
  const bytes = torch.serialization.saveToBytes({ w: torch.ones(2) });
  const obj = torch.serialization.loadFromBytes(bytes);
  assert.equal(String(obj.w), "tensor([1., 1.])");
});

test("load: corrupt pickles fail with typetorch's errors, never a crash deep inside", () => {
  // NOTE: a fixed-seed fuzz: random bytes of data.pkl overwritten (the archive rebuilt so CRCs match)
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const file of ["nested.pt", "adam.pt", "views.pt"]) {
    const zip = readZip(readFileSync(fixture(file)));
    for (let it = 0; it < 300; it++) {
      const entries = zip.names.map((name) => ({ name, data: new Uint8Array(zip.read(name)) }));
      const pkl = entries[0]!.data;
      for (let j = 0; j <= rnd(3); j++) pkl[rnd(pkl.length)] = rnd(256);
      try {
        torch.serialization.loadFromBytes(writeZip(entries));
      } catch (e) {
        assert.ok(isOwnError(e), `${file}, mutation ${it}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  }
});
