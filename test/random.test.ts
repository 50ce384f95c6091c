// Checks src/random against PyTorch's CPU random streams (test/fixtures/random.json, written by
// scripts/gen_random_fixtures.py from real PyTorch 1.13).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { normalFillSimd, setNormalSimd } from "../src/random/normal_simd.js";
import { normalFill16Avx2 } from "../src/random/avx_mathfun.js";

import {
  Generator,
  DEFAULT_RNG_SEED,
  CPU_GENERATOR_STATE_SIZE,
  defaultGenerator,
  manualSeed,
  initialSeed,
  getRngState,
  setRngState,
  setCpuCapability,
  getCpuCapability,
  uniform,
  fillUniform,
  normal,
  fillNormal,
  normalScalar,
  normalTensorParams,
  randint,
  randperm,
  randomInt64,
  randomBits,
  bernoulli,
  bernoulliTensor,
  exponential,
  fillExponential,
  multinomial,
  topkIndices,
  cppDouble,
  type CpuCapability,
  type FloatDType,
} from "../src/random/index.js";
import * as torch from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// Fixture format
// ---------------------------------------------------------------------------------------------

interface Summary {
  n: number;
  values?: number[];
  head?: number[];
  tail?: number[];
  sample_index?: number[];
  sample?: number[];
  sum?: number;
}
interface Epoch {
  order: number[];
  batch_sizes: number[];
}
type Expect = Summary | string | Epoch[];
interface Op {
  op: string;
  shape?: number[];
  dtype?: string;
  from?: number;
  to?: number;
  mean?: number | number[];
  std?: number | number[];
  low?: number;
  high?: number;
  n?: number;
  p?: number;
  probs?: number[];
  probs_dtype?: string;
  batch_size?: number;
  epochs?: number;
  lambd?: number;
  weights?: number[][];
  rows?: number;
  zero_every?: number;
  k?: number;
  replacement?: boolean;
  transpose?: boolean;
  oned?: boolean;
}
interface Case {
  name: string;
  gen: "global" | "private";
  seed: string | null;
  ops: Op[];
  expect: Expect[];
}
interface Fixture {
  torch_version: string;
  capabilities: Record<CpuCapability, Case[]>;
  multinomial_errors: { name: string; error: string | null }[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/random.json", import.meta.url), "utf8"),
) as Fixture;

// ---------------------------------------------------------------------------------------------
// Comparison helpers
// ---------------------------------------------------------------------------------------------

interface Tolerance {
  /** Require identical numbers (what we claim for integers and the AVX2 float32 paths). */
  exact: boolean;
  /** Otherwise |a - b| <= rel * max(|b|, 1). */
  rel: number;
}

function tolFor(dtype: string | undefined, cap: CpuCapability): Tolerance {
  if (dtype === "float64") return { exact: false, rel: 1e-12 };
  if (dtype === "float32") return cap === "avx2" ? { exact: true, rel: 0 } : { exact: false, rel: 1e-6 };
  return { exact: true, rel: 0 }; // integers
}

function close(actual: number, expected: number, tol: Tolerance): boolean {
  if (tol.exact) return actual === expected;
  return Math.abs(actual - expected) <= tol.rel * Math.max(Math.abs(expected), 1);
}

function neumaierSum(xs: ArrayLike<number>): { sum: number; abs: number } {
  let sum = 0;
  let c = 0;
  let abs = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
    abs += Math.abs(x);
  }
  return { sum: sum + c, abs };
}

function checkArray(actual: ArrayLike<number>, expected: Summary, tol: Tolerance, what: string): void {
  assert.equal(actual.length, expected.n, `${what}: length`);
  const cmpList = (idx: number[], vals: number[], label: string) => {
    for (let k = 0; k < vals.length; k++) {
      const i = idx[k]!;
      const a = actual[i]!;
      const e = vals[k]!;
      if (!close(a, e, tol)) {
        assert.fail(`${what}: ${label} element ${i} is ${a}, PyTorch has ${e}`);
      }
    }
  };
  if (expected.values) {
    cmpList(expected.values.map((_, i) => i), expected.values, "value");
    return;
  }
  const n = expected.n;
  cmpList(expected.head!.map((_, i) => i), expected.head!, "head");
  cmpList(expected.tail!.map((_, i) => n - expected.tail!.length + i), expected.tail!, "tail");
  cmpList(expected.sample_index!, expected.sample!, "sample");
  const { sum, abs } = neumaierSum(actual);
  const slack = (tol.exact ? 1e-12 : tol.rel) * abs + 1e-300;
  assert.ok(
    Math.abs(sum - expected.sum!) <= slack,
    `${what}: sum ${sum} differs from PyTorch's ${expected.sum} by more than ${slack}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Replaying the fixture's ops
// ---------------------------------------------------------------------------------------------

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const asFloat = (d: string | undefined): FloatDType => {
  assert.ok(d === "float32" || d === "float64", `float dtype expected, got ${d}`);
  return d;
};

/**
 * The weights of a "multinomial" op as the row-major values of the tensor PyTorch sampled
 * (see multinomial_weights in scripts/gen_random_fixtures.py), with its rows and columns.
 */
function multinomialWeights(op: Op): { values: number[]; rows: number; cols: number } {
  let w: number[][];
  if (op.weights) {
    w = op.weights;
  } else {
    const z = op.zero_every ?? 0;
    w = Array.from({ length: op.rows! }, (_, r) =>
      Array.from({ length: op.n! }, (_, i) => (z && (i + r) % z ? 0 : ((37 * i + 11 * r) % 101) / 7)),
    );
  }
  if (op.transpose) w = w[0]!.map((_, j) => w.map((row) => row[j]!));
  return { values: w.flat(), rows: op.oned ? 1 : w.length, cols: w[0]!.length };
}

function runOp(op: Op, gen: Generator, expected: Expect, cap: CpuCapability, what: string): void {
  const tol = tolFor(op.dtype, cap);
  switch (op.op) {
    case "rand":
      return checkArray(uniform(gen, numel(op.shape!), asFloat(op.dtype)), expected as Summary, tol, what);
    case "uniform":
      return checkArray(
        uniform(gen, numel(op.shape!), asFloat(op.dtype), op.from!, op.to!),
        expected as Summary,
        tol,
        what,
      );
    case "randn":
      return checkArray(normal(gen, numel(op.shape!), asFloat(op.dtype)), expected as Summary, tol, what);
    case "normal":
    case "normal_":
      return checkArray(
        normal(gen, numel(op.shape!), asFloat(op.dtype), op.mean as number, op.std as number),
        expected as Summary,
        tol,
        what,
      );
    case "normal_tensor":
      return checkArray(
        normalTensorParams(gen, op.mean!, op.std!, asFloat(op.dtype)),
        expected as Summary,
        tol,
        what,
      );
    case "randint":
      return checkArray(randint(gen, numel(op.shape!), op.low!, op.high!), expected as Summary, tol, what);
    case "randperm":
      return checkArray(randperm(gen, op.n!), expected as Summary, tol, what);
    case "random_int64":
      assert.equal(randomInt64(gen).toString(), expected, what);
      return;
    case "random_": {
      const d = op.dtype!;
      if (d === "int64") assert.fail("use random_int64 for int64");
      const vals = randomBits(gen, op.n!, d as Parameters<typeof randomBits>[2]);
      return checkArray(vals, expected as Summary, { exact: true, rel: 0 }, what);
    }
    case "bernoulli":
      return checkArray(bernoulli(gen, op.n!, op.p!, asFloat(op.dtype)), expected as Summary, tol, what);
    case "bernoulli_tensor": {
      const pd = asFloat(op.probs_dtype);
      return checkArray(bernoulliTensor(gen, op.probs!, pd, pd), expected as Summary, tol, what);
    }
    case "dropout": {
      // F.dropout(ones, p) on CPU: mask = bernoulli_(1 - p), then divided by (1 - p) in float32.
      const mask = bernoulli(gen, op.n!, 1 - op.p!, "float32");
      const scale = Math.fround(1 / (1 - op.p!));
      const out = mask.map((m) => m * scale);
      return checkArray(out, expected as Summary, { exact: true, rel: 0 }, what);
    }
    case "dataloader": {
      // What DataLoader(shuffle=True) draws per epoch: see the comment atop distributions.ts.
      const epochs = expected as Epoch[];
      assert.equal(epochs.length, op.epochs);
      for (const [e, epoch] of epochs.entries()) {
        randomInt64(gen); // _BaseDataLoaderIter._base_seed
        const seed = randomInt64(gen); // RandomSampler's seed
        const order = Array.from(randperm(new Generator(seed), op.n!));
        assert.deepEqual(order, epoch.order, `${what}: epoch ${e} order`);
        const sizes: number[] = [];
        for (let i = 0; i < op.n!; i += op.batch_size!) sizes.push(Math.min(op.batch_size!, op.n! - i));
        assert.deepEqual(sizes, epoch.batch_sizes, `${what}: epoch ${e} batch sizes`);
      }
      return;
    }
    case "exponential":
      return checkArray(exponential(gen, numel(op.shape!), asFloat(op.dtype), op.lambd!), expected as Summary, tol, what);
    case "multinomial": {
      const { values, rows, cols } = multinomialWeights(op);
      const out = multinomial(gen, values, rows, cols, op.k!, {
        replacement: op.replacement!,
        dtype: asFloat(op.dtype),
        columnMajor: op.transpose ?? false,
      });
      return checkArray(out, expected as Summary, { exact: true, rel: 0 }, what);
    }
    case "state":
      assert.equal(Buffer.from(gen.getState()).toString("base64"), expected, `${what}: state bytes`);
      return;
    case "initial_seed":
      assert.equal(gen.initialSeed().toString(), expected, what);
      return;
    default:
      assert.fail(`unknown op ${op.op}`);
  }
}

function runCase(c: Case, cap: CpuCapability): void {
  const gen =
    c.gen === "global"
      ? manualSeed(BigInt(c.seed!))
      : c.seed === null
        ? new Generator()
        : new Generator(BigInt(c.seed));
  assert.equal(c.ops.length, c.expect.length);
  c.ops.forEach((op, i) => {
    const shape = op.shape ? `(${op.shape.join(",")})` : op.n !== undefined ? `(${op.n})` : "";
    runOp(op, gen, c.expect[i]!, cap, `${c.name} / op ${i} ${op.op}${shape} ${op.dtype ?? ""}`);
  });
}

for (const cap of ["avx2", "default"] as const) {
  describe(`PyTorch ${fixture.torch_version} CPU streams, ${cap} kernels`, () => {
    for (const c of fixture.capabilities[cap]) {
      test(c.name, () => {
        const before = getCpuCapability();
        setCpuCapability(cap);
        try {
          runCase(c, cap);
        } finally {
          setCpuCapability(before);
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Generator API
// ---------------------------------------------------------------------------------------------

describe("Generator", () => {
  test("mt19937 seeded with 0 gives the reference stream (TSDoc example)", () => {
    const g = new Generator().manualSeed(0);
    assert.equal(g.random(), 2357136044);
    assert.equal(g.random(), 2546248239);
  });

  test("a fresh Generator uses PyTorch's default seed", () => {
    assert.equal(new Generator().initialSeed(), 67280421310721n);
    assert.equal(DEFAULT_RNG_SEED, 67280421310721n);
  });

  test("random64 puts the first uint32 draw in the high word", () => {
    const a = new Generator(5);
    const b = new Generator(5);
    const hi = BigInt(b.random());
    const lo = BigInt(b.random());
    assert.equal(a.random64(), (hi << 32n) | lo);
  });

  test("manualSeed accepts PyTorch's seed range and wraps negatives to uint64", () => {
    const g = new Generator();
    assert.equal(g.manualSeed(-1).initialSeed(), 2n ** 64n - 1n);
    assert.equal(g.manualSeed(2n ** 64n - 1n).initialSeed(), 2n ** 64n - 1n);
    assert.equal(g.manualSeed(-(2n ** 63n)).initialSeed(), 2n ** 63n);
    assert.throws(() => g.manualSeed(2n ** 64n), /Overflow/);
    assert.throws(() => g.manualSeed(-(2n ** 63n) - 1n), /Overflow/);
    // as PyTorch's int(seed): a float truncates, a double beyond 2^53 is the integer it holds
    assert.equal(g.manualSeed(1.5).initialSeed(), 1n);
    assert.equal(g.manualSeed(2 ** 60).initialSeed(), 2n ** 60n);
    assert.throws(() => g.manualSeed(NaN), /cannot convert float NaN/);
  });

  test("only the low 32 bits of the seed reach the mt19937 state", () => {
    const a = new Generator(7n);
    const b = new Generator(7n + (123n << 32n));
    assert.equal(a.random(), b.random());
    assert.notEqual(a.initialSeed(), b.initialSeed());
  });

  test("manualSeed clears the cached normal sample", () => {
    const g = new Generator(0);
    normal(g, 1, "float32"); // leaves the sine sample in the cache
    assert.notEqual(g.nextDoubleNormalSample, null);
    g.manualSeed(0);
    assert.equal(g.nextDoubleNormalSample, null);
    assert.deepEqual(normal(g, 3, "float32"), normal(new Generator(0), 3, "float32"));
  });

  test("seed() reseeds non-deterministically with a 53-bit seed", () => {
    const g = new Generator(0);
    const s = g.seed();
    assert.equal(g.initialSeed(), s);
    assert.ok(s >= 0n && s < 2n ** 53n);
    assert.equal(g.random(), new Generator(s).random());
  });

  test("getState / setState round-trip, including the normal cache", () => {
    const g = new Generator(11);
    randint(g, 1000, 0, 7);
    normal(g, 3, "float64"); // leaves a cached sample
    const state = g.getState();
    assert.equal(state.length, CPU_GENERATOR_STATE_SIZE);
    const expected = normal(g.clone(), 40, "float64");
    const h = new Generator().setState(state);
    assert.equal(h.initialSeed(), 11n);
    assert.deepEqual(normal(h, 40, "float64"), expected);
    assert.deepEqual(normal(g, 40, "float64"), expected);
  });

  test("setState rejects malformed states", () => {
    const g = new Generator();
    assert.throws(() => g.setState(new Uint8Array(10)), /size 5056/);
    const bad = new Generator(1).getState();
    bad[8] = 0; // left = 0
    assert.throws(() => g.setState(bad), /Invalid mt19937 state/);
  });

  test("setState accepts PyTorch's torch.get_rng_state() bytes and continues its stream", () => {
    const c = fixture.capabilities.avx2.find((x) => x.name.startsWith("state bytes"))!;
    // ops: state, randn(3), state, randint(0,10,(700,)), state
    const afterRandn = Buffer.from(c.expect[2] as string, "base64");
    const g = new Generator().setState(new Uint8Array(afterRandn));
    const ints = randint(g, 700, 0, 10);
    checkArray(ints, c.expect[3] as Summary, { exact: true, rel: 0 }, "randint after setState");
    assert.equal(Buffer.from(g.getState()).toString("base64"), c.expect[4]);
  });

  test("global helpers act on defaultGenerator", () => {
    const saved = getRngState();
    try {
      assert.equal(manualSeed(123), defaultGenerator);
      assert.equal(initialSeed(), 123n);
      const a = uniform(defaultGenerator, 4, "float32");
      manualSeed(123);
      assert.deepEqual(uniform(defaultGenerator, 4, "float32"), a);
    } finally {
      setRngState(saved);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Distribution details not covered by the fixture, and the TSDoc examples
// ---------------------------------------------------------------------------------------------

describe("distributions", () => {
  test("TSDoc examples", () => {
    assert.deepEqual(Array.from(uniform(new Generator(0), 2, "float32")), [0.49625658988952637, 0.7682217955589294]);
    assert.deepEqual(Array.from(normal(new Generator(0), 3, "float32")), [
      1.5409960746765137, -0.293428897857666, -2.1787893772125244,
    ]);
    assert.deepEqual(Array.from(randint(new Generator(0), 5, 0, 10)), [4, 9, 3, 0, 3]);
    assert.deepEqual(Array.from(randperm(new Generator(0), 5)), [4, 0, 1, 3, 2]);
  });

  test("dtype picks the typed array", () => {
    assert.ok(uniform(new Generator(0), 3, "float32") instanceof Float32Array);
    assert.ok(uniform(new Generator(0), 3, "float64") instanceof Float64Array);
    assert.ok(normal(new Generator(0), 20) instanceof Float32Array);
    assert.ok(bernoulli(new Generator(0), 3, 0.5, "float64") instanceof Float64Array);
  });

  test("fill* write the same stream as the allocating forms", () => {
    const a = new Float32Array(40);
    fillNormal(new Generator(2), a, 0.5, 2);
    assert.deepEqual(a, normal(new Generator(2), 40, "float32", 0.5, 2));
    const b = new Float64Array(9);
    fillUniform(new Generator(2), b, -1, 3);
    assert.deepEqual(b, uniform(new Generator(2), 9, "float64", -1, 3));
  });

  test("a non-contiguous normal_ takes the scalar path whatever its size", () => {
    const g = new Generator(4);
    const a = new Float32Array(40);
    fillNormal(g, a, 0, 1, false);
    const h = new Generator(4);
    const b = Float32Array.from({ length: 40 }, () => normalScalar(h));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, normal(new Generator(4), 40, "float32"));
  });

  test("float32 normal's WebAssembly SIMD kernel gives the one-lane emulation's bits (PyTorch's AVX2 kernel)", (t) => {
    // every uniform the kernel can get is k * 2^-24, k < 2^24: a sweep of 2^20 of them in both the
    // u1 and the u2 role (so every octant of the sincos and both log branches), plus the ends
    const n = 1 << 21, u = new Float32Array(n);
    for (let i = 0; i < n / 2; i++) {
      const k = (i * 16 + (i % 16)) % (1 << 24);
      const block = i >> 3, lane = i & 7;
      u[block * 16 + lane] = k * 2 ** -24; // u1 = 1 - u
      u[block * 16 + 8 + lane] = ((k * 7919) % (1 << 24)) * 2 ** -24; // u2
    }
    u.set([0, 2 ** -24, 0.5, 1 - 2 ** -24, 0.25, 0.75, 1 - 2 ** -23, 2 ** -23], 0);
    u.set([0, 2 ** -24, 0.5, 1 - 2 ** -24, 0.125, 0.625, 0.875, 0.999], 8);
    for (const [mean, std] of [[0, 1], [Math.fround(2.5), Math.fround(0.3)], [Math.fround(-1), 3], [0, 0]] as const) {
      const a = u.slice(), b = u.slice();
      const ran = normalFillSimd(a, n / 16, mean, std);
      if (!ran) return t.skip("no fused relaxed SIMD here: only the emulation runs");
      for (let o = 0; o < n; o += 16) normalFill16Avx2(b, o, mean, std);
      for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) assert.fail(`mean ${mean} std ${std}: sample ${i} (u ${u[i]}) is ${a[i]}, the emulation's ${b[i]}`);
    }
  });

  test("float32 uniforms drawn a block at a time are the one-at-a-time stream, across state regenerations", () => {
    for (const n of [1, 623, 624, 625, 4095, 4096, 4097, 10000]) {
      const g = new Generator(11), h = new Generator(11);
      h.random(); g.random(); // start mid-block
      const a = uniform(g, n, "float32");
      const want = Float32Array.from({ length: n }, () => (h.random() & 0xffffff) * 2 ** -24);
      assert.deepEqual(a, want, `n = ${n}`);
      assert.equal(g.random(), h.random(), `n = ${n}: the generators stay in step`);
    }
  });

  test("float32 randn takes the SIMD kernel and the emulation alike (the same stream)", () => {
    for (const n of [16, 17, 100, 4099]) {
      const was = setNormalSimd(false);
      let plain;
      try {
        plain = normal(new Generator(7), n, "float32", 0.5, 2);
      } finally {
        setNormalSimd(was);
      }
      assert.deepEqual(normal(new Generator(7), n, "float32", 0.5, 2), plain, `n = ${n}`);
    }
  });

  test("float32 randn of >= 16 elements leaves the Box-Muller cache alone", () => {
    const g = new Generator(9);
    normal(g, 1, "float32");
    const cached = g.nextDoubleNormalSample;
    normal(g, 16, "float32");
    assert.equal(g.nextDoubleNormalSample, cached);
    assert.equal(normal(g, 1, "float32")[0], Math.fround(cached!));
  });

  test("argument checks", () => {
    const g = new Generator(0);
    assert.throws(() => uniform(g, 3, "float32", 1, 0), /from=1 > to=0/);
    assert.throws(() => normal(g, 3, "float32", 0, -1), /std >= 0/);
    assert.throws(() => randint(g, 3, 5, 5), /less than/);
    assert.throws(() => bernoulli(g, 3, 1.5), /\[0, 1\]/);
    assert.throws(() => uniform(g, -1), /negative dimension/);
    assert.throws(() => normal(g, 2, "int32" as FloatDType), /dtype/);
    assert.throws(() => normalTensorParams(g, [0, 1], [1, 1, 1]), /broadcast/);
    assert.throws(() => normalTensorParams(g, [0, 1], [1, -1]), /std >= 0/);
    assert.throws(() => setCpuCapability("sse" as CpuCapability), /unknown CPU capability/);
  });
});

// ---------------------------------------------------------------------------------------------
// exponential_ and multinomial through the torch API
// ---------------------------------------------------------------------------------------------

describe("exponential_ and multinomial", () => {
  const errorCalls: Record<string, () => unknown> = {
    "negative weight": () => torch.multinomial(torch.tensor([1, -1]), 1),
    "negative weight, replacement": () => torch.multinomial(torch.tensor([1, -1]), 1, { replacement: true }),
    "inf weight": () => torch.multinomial(torch.tensor([1, Infinity]), 1),
    "inf weight, replacement": () => torch.multinomial(torch.tensor([1, Infinity]), 1, { replacement: true }),
    "nan weight": () => torch.multinomial(torch.tensor([1, NaN]), 1),
    "nan weight, replacement": () => torch.multinomial(torch.tensor([1, NaN]), 1, { replacement: true }),
    "zero sum": () => torch.multinomial(torch.tensor([0, 0]), 1),
    "zero sum, replacement": () => torch.multinomial(torch.tensor([0, 0]), 1, { replacement: true }),
    "a zero-sum row": () => torch.multinomial(torch.tensor([[1, 1], [0, 0]]), 1),
    "a zero-sum row, replacement": () => torch.multinomial(torch.tensor([[1, 1], [0, 0]]), 1, { replacement: true }),
    "more samples than categories": () => torch.multinomial(torch.tensor([1, 1]), 3),
    "zero samples": () => torch.multinomial(torch.tensor([1, 1]), 0),
    "negative samples": () => torch.multinomial(torch.tensor([1, 1]), -1, true),
    "3-D": () => torch.multinomial(torch.ones(2, 2, 2), 1),
    "0-D": () => torch.multinomial(torch.tensor(1), 1),
    "int64 weights": () => torch.multinomial(torch.tensor([1, 2], { dtype: torch.int64 }), 1),
    "no categories, replacement": () => torch.multinomial(torch.ones(0), 1, { replacement: true }),
    "exponential_ with negative lambd": () => torch.empty(3).exponential_(-1),
    "exponential_ with lambd -1e-7": () => torch.empty(3).exponential_(-1e-7),
    "exponential_ with lambd nan": () => torch.empty(3).exponential_(NaN),
    "exponential_ on int64": () => torch.empty(3, { dtype: torch.int64 }).exponential_(),
  };

  test("PyTorch's error messages", () => {
    assert.equal(fixture.multinomial_errors.length, Object.keys(errorCalls).length);
    for (const { name, error } of fixture.multinomial_errors) {
      const call = errorCalls[name];
      assert.ok(call, `no call for ${name}`);
      assert.ok(error !== null, `PyTorch raised nothing for ${name}`);
      assert.throws(call, (e: Error) => {
        assert.equal(e.name, "RuntimeError", name);
        assert.equal(e.message, error, name);
        return true;
      });
    }
  });

  test("torch.multinomial and Tensor.multinomial follow the global generator and the fixture", () => {
    // The first op of "multinomial small 1-D and 2-D, float32, seed 0" and its 2-D rows.
    const c = fixture.capabilities.avx2.find((x) => x.name === "multinomial small 1-D and 2-D, float32, seed 0")!;
    torch.manualSeed(0);
    const w4 = torch.tensor([1, 2, 3, 4]);
    const rows3 = torch.tensor(c.ops[5]!.weights!);
    const results = [
      torch.multinomial(w4, 1),
      w4.multinomial(2),
      torch.multinomial(w4, 4, false),
      torch.multinomial(w4, 10, { replacement: true }),
    ];
    for (const [i, r] of results.entries()) {
      assert.equal(r.dtype, torch.int64);
      assert.deepEqual(r.shape, [(c.ops[i]!.k)!]);
      assert.deepEqual(r.tolist(), (c.expect[i] as Summary).values);
    }
    torch.multinomial(torch.tensor(c.ops[4]!.weights![0]!), 8);
    const r2 = rows3.multinomial(1);
    assert.deepEqual(r2.shape, [3, 1]);
    assert.deepEqual(r2.tolist(), [[(c.expect[5] as Summary).values![0]!], [(c.expect[5] as Summary).values![1]!], [(c.expect[5] as Summary).values![2]!]]);
  });

  test("a transposed weight matrix is sampled as PyTorch samples it", () => {
    const c = fixture.capabilities.avx2.find((x) => x.name.startsWith("multinomial of a transposed"))!;
    torch.manualSeed(2);
    const p = torch.tensor(c.ops[0]!.weights!).t();
    assert.deepEqual(p.multinomial(3).flatten().tolist(), (c.expect[0] as Summary).values);
    assert.deepEqual(p.multinomial(6, true).flatten().tolist(), (c.expect[1] as Summary).values);
  });

  test("generator option, float64 weights, empty rows", () => {
    const g = new Generator(3);
    const a = torch.tensor([0.5, 0.25, 0.25], { dtype: torch.float64 }).multinomial(5, { replacement: true, generator: g });
    assert.deepEqual(a.tolist(), Array.from(multinomial(new Generator(3), [0.5, 0.25, 0.25], 1, 3, 5, { replacement: true, dtype: "float64" })));
    const e = torch.ones(0, 3).multinomial(2);
    assert.deepEqual(e.shape, [0, 2]);
  });

  test("exponential_ fills in place from the generator and bumps the version", () => {
    const t = torch.empty(2, 3, { dtype: torch.float64 });
    const v0 = t._version.value;
    const r = t.exponential_(2, { generator: new Generator(1) });
    assert.equal(r, t);
    assert.equal(t._version.value, v0 + 1);
    assert.deepEqual(Array.from(t.dataSync()), Array.from(exponential(new Generator(1), 6, "float64", 2)));
    torch.manualSeed(1);
    const u = torch.empty(4).exponential_();
    assert.deepEqual(Array.from(u.dataSync()), Array.from(exponential(new Generator(1), 4, "float32")));
  });

  test("exponential_ on a leaf that requires grad fails as the other random fills do", () => {
    const x = torch.ones(3, { requiresGrad: true });
    assert.throws(() => x.exponential_(), /a leaf Variable that requires grad is being used in an in-place operation/);
    torch.noGrad(() => x.exponential_());
    assert.ok(x.dataSync().every((v) => v > 0));
  });

  test("exponential_ with lambd 0 gives inf, with lambd inf 0 (as PyTorch)", () => {
    assert.ok(exponential(new Generator(0), 3, "float32", 0).every((v) => v === Infinity));
    assert.ok(exponential(new Generator(0), 3, "float64", Infinity).every((v) => Object.is(v, 0)));
    const a = new Float32Array(5);
    fillExponential(new Generator(8), a);
    assert.deepEqual(a, exponential(new Generator(8), 5, "float32"));
  });

  test("topk among ties keeps libstdc++'s order (both of PyTorch's sort paths)", () => {
    // Expected: torch.topk(torch.tensor(v), k).indices in PyTorch 1.13. The zeros tie, and
    // their order is what std::nth_element + std::sort (k * 64 > n) or std::partial_sort
    // (k * 64 <= n) leave.
    const v = [3, 0, 7, 0, 5, 0, 0, 1];
    assert.deepEqual(Array.from(topkIndices(v, 6)), [2, 4, 0, 7, 6, 1]);
    const big = Array.from({ length: 1000 }, (_, i) => (i % 97 === 0 ? i : 0));
    assert.deepEqual(Array.from(topkIndices(big, 15)), [970, 873, 776, 679, 582, 485, 388, 291, 194, 97, 7, 3, 8, 9, 1]);
    const zeros = new Array<number>(40).fill(0);
    assert.deepEqual(
      Array.from(topkIndices(zeros, 30)),
      [26, 10, 2, 1, 3, 6, 7, 8, 9, 5, 21, 22, 23, 24, 25, 20, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 4],
    );
  });

  test("TSDoc examples", () => {
    assert.deepEqual(Array.from(exponential(new Generator(0), 2, "float32")), [3.508326292037964, 1.2303847074508667]);
    assert.deepEqual(Array.from(multinomial(new Generator(0), [1, 2, 3, 4], 1, 4, 2, { dtype: "float64" })), [2, 1]);
    torch.manualSeed(0);
    assert.deepEqual(torch.tensor([1, 2, 3, 4]).multinomial(2).tolist(), [2, 1]);
    const s = new torch.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, { generator: new Generator(0) });
    assert.deepEqual([...s], [5, 4, 4, 5, 4]);
  });

  test("cppDouble formats as C++ streams a double", () => {
    assert.equal(cppDouble(-1), "-1");
    assert.equal(cppDouble(-2.5), "-2.5");
    assert.equal(cppDouble(-0.123456789), "-0.123457");
    assert.equal(cppDouble(-1e-7), "-1e-07");
    assert.equal(cppDouble(-1234567), "-1.23457e+06");
    assert.equal(cppDouble(100000), "100000");
    assert.equal(cppDouble(NaN), "nan");
    assert.equal(cppDouble(-Infinity), "-inf");
  });
});
