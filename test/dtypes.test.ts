// float16, bfloat16, uint8, int8, int16 against real PyTorch 1.13 (test/fixtures/dtypes.json and
// test/fixtures/dtypes/*.pt, from scripts/gen_dtypes_fixtures.py): promotion, casts, op results bit
// for bit (on both backends: the fast one hands these dtypes to the reference kernels), printouts,
// the errors of ops PyTorch's CPU lacks for Half, gradients, and .pt files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { BACKENDS, onBackend } from "./helpers/numerics.js";
import { f16round, f16roundSoft, bf16round } from "../src/backend/cpu/narrow.js";
import { numberToHalf, halfToNumber } from "../src/serialization/dtype_bytes.js";
import { readZip } from "../src/serialization/zip.js";

type V = number | boolean | string;
interface Enc { dtype: string; shape: number[]; data: V[]; stride?: number[] }
const fx = JSON.parse(readFileSync(new URL("./fixtures/dtypes.json", import.meta.url), "utf8"));
const F = torch.nn.functional;

const dt = (n: string): DType => (torch as unknown as Record<string, DType>)[n]!;
const num = (v: V): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0.0" ? -0 : +v);
/** A tensor of the fixture's dtype holding exactly its values (built in float64, then cast: exact for these). */
function dec(e: Enc): Tensor {
  const d = dt(e.dtype);
  if (e.dtype === "bool") return torch.tensor(e.data.map((v) => v === true || v === 1), { dtype: torch.bool }).reshape(e.shape);
  return torch.tensor(e.data.map(num), { dtype: torch.float64 }).to(d).reshape(e.shape);
}
function same(t: Tensor, e: Enc, where: string): void {
  assert.equal(t.dtype.name, e.dtype, `${where}: dtype`);
  assert.deepEqual(t.shape, e.shape, `${where}: shape`);
  const got = (t.dtype === torch.bool ? t.reshape(-1).tolist() : t.detach().double().reshape(-1).tolist()) as (number | boolean)[];
  got.forEach((g, i) => {
    const w = e.dtype === "bool" ? e.data[i] : num(e.data[i]!);
    assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${where}[${i}]: got ${String(g)}, PyTorch ${String(e.data[i])}`);
  });
}

test("promote_types: PyTorch's table over all ten dtypes", () => {
  for (const [a, row] of Object.entries(fx.promote as Record<string, Record<string, string>>))
    for (const [b, r] of Object.entries(row)) assert.equal(torch.promoteTypes(dt(a), dt(b)).name, r, `${a} + ${b}`);
});

test("result type of binary ops with JS scalars and 0-dim tensors", () => {
  for (const c of fx.result_type as { a: string; other: { scalar?: number | boolean; zerodim?: string }; dtype: string }[]) {
    const x = torch.ones(2, { dtype: dt(c.a) });
    const other = c.other.zerodim !== undefined ? torch.ones([], { dtype: dt(c.other.zerodim) }) : c.other.scalar!;
    // (bool + bool: logical or, still bool; sub is refused for bool, so add is the op)
    assert.equal(x.add(other as never).dtype.name, c.dtype, `${c.a} + ${JSON.stringify(c.other)}`);
  }
  const s = fx.scalar_ops;
  same(torch.tensor([1, 2, -100], { dtype: torch.int8 }).add(1000), s.int8_plus_1000, "int8 + 1000 wraps");
  same(torch.tensor([1, 2, 255], { dtype: torch.uint8 }).add(1.5), s.uint8_plus_1_5, "uint8 + 1.5");
  same(torch.tensor([100, 2, 255], { dtype: torch.uint8 }).mul(3), s.uint8_times_3, "uint8 * 3");
  same(torch.tensor([1, 3, 1000], { dtype: torch.float16 }).mul(0.1), s.half_times_0_1, "half * 0.1");
  same(torch.tensor([1, 3], { dtype: torch.bfloat16 }).add(torch.tensor(0.1, { dtype: torch.float16 })), s.bf16_plus_half_0d, "bf16 + half 0-dim");
});

test("casts: float to small integers (truncation, wrapping, NaN/inf/out of range), to float16/bfloat16 (nearest even), integers between", () => {
  for (const b of BACKENDS)
    onBackend(b, () => {
      for (const c of fx.casts as { src: string; dst: string; input: Enc; out: Enc }[]) {
        const x = dec(c.input);
        same(x.to(dt(c.dst)), c.out, `${b}: ${c.src} -> ${c.dst}`);
        // a strided source takes the same path through copy
        if (x.numel() > 2) same(x.flip(0).to(dt(c.dst)).flip(0), c.out, `${b}: ${c.src} -> ${c.dst} (strided)`);
      }
    });
});

test("torch.tensor with a small integer dtype: PyTorch's overflow check, then the cast", () => {
  for (const [k, c] of Object.entries(fx.tensor_ctor as Record<string, { values: number[]; dtype: string; outcome: { ok?: Enc; error?: [string, string] } }>)) {
    if (c.outcome.error) assert.throws(() => torch.tensor(c.values, { dtype: dt(c.dtype) }), (e: Error) => e.name === c.outcome.error![0] && e.message === c.outcome.error![1], k);
    else same(torch.tensor(c.values, { dtype: dt(c.dtype) }), c.outcome.ok!, k);
  }
  // typed arrays give numpy's dtypes (image bytes are uint8)
  assert.equal(torch.tensor(new Uint8Array([1, 255])).dtype, torch.uint8);
  assert.equal(torch.tensor(new Int8Array([1, -1])).dtype, torch.int8);
  assert.equal(torch.tensor(new Int16Array([1, -1])).dtype, torch.int16);
  assert.deepEqual(torch.tensor(new Uint8Array([1, 255])).tolist(), [1, 255]);
});

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  neg: (x) => x.neg(), abs: (x) => x.abs(), reciprocal: (x) => x.reciprocal(), square: (x) => x.mul(x),
  exp: (x) => x.exp(), log: (x) => x.log(), sqrt: (x) => x.sqrt(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(),
  sin: (x) => x.sin(), relu: (x) => x.relu(), floor: (x) => x.floor(), rsqrt: (x) => x.rsqrt(), sign: (x) => x.sign(),
  sum: (x) => x.sum(), mean: (x) => x.mean(), max: (x) => x.max(), sum_dim1: (x) => x.sum(1),
  softmax: (x) => torch.softmax(x, -1), cumsum: (x) => x.cumsum(0),
};
const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b), div: (a, b) => a.div(b),
  maximum: (a, b) => torch.maximum(a, b), pow: (a, b) => a.pow(b), remainder: (a, b) => a.remainder(b),
  floor_divide: (a, b) => a.floorDivide(b), to_float32_add: (a, b) => a.add(b), matmul: (a, b) => a.matmul(b),
};

test("ops on the new dtypes give PyTorch's bits (computed in float, rounded on store; integers wrap)", () => {
  for (const b of BACKENDS)
    onBackend(b, () => {
      for (const o of fx.ops as { op: string; args: Enc[]; out: Enc }[]) {
        const args = o.args.map(dec);
        const f = args.length === 1 ? UNARY[o.op] : BINARY[o.op];
        assert.ok(f, `no TS call for ${o.op}`);
        const r = args.length === 1 ? (f as (x: Tensor) => Tensor)(args[0]!) : (f as (a: Tensor, b: Tensor) => Tensor)(args[0]!, args[1]!);
        same(r, o.out, `${b}: ${o.op}(${o.args.map((a) => a.dtype).join(", ")})`);
      }
    });
});

test("printing: as PyTorch prints float16, bfloat16, uint8, int8, int16 tensors", () => {
  for (const r of fx.reprs as { input: Enc; requires_grad?: boolean; op?: string; repr: string }[]) {
    let t = dec(r.input);
    if (r.requires_grad) t = t.requiresGrad_(true);
    if (r.op === "mul2") t = t.mul(2);
    assert.equal(String(t), r.repr);
  }
});

const OPS: Record<string, (t: Tensor) => unknown> = {
  exp: (t) => t.exp(), log: (t) => t.log(), sqrt: (t) => t.sqrt(), tanh: (t) => t.tanh(), sigmoid: (t) => t.sigmoid(),
  relu: (t) => t.relu(), gelu: (t) => F.gelu(t), silu: (t) => F.silu(t), floor: (t) => t.floor(), round: (t) => t.round(),
  matmul: (t) => t.matmul(t), mm: (t) => t.mm(t), bmm: (t) => torch.bmm(t.unsqueeze(0), t.unsqueeze(0)),
  mv: (t) => torch.mv(t, t.index(0)), dot: (t) => torch.dot(t.index(0), t.index(0)), linear: (t) => F.linear(t, t),
  softmax_last: (t) => torch.softmax(t, -1), log_softmax_last: (t) => torch.logSoftmax(t, -1), softmax_0: (t) => torch.softmax(t, 0),
  mean: (t) => t.mean(), var: (t) => t.var(), sum: (t) => t.sum(), max: (t) => t.max(), abs: (t) => t.abs(), neg: (t) => t.neg(),
  add: (t) => t.add(t), mul: (t) => t.mul(t), div: (t) => t.div(t),
};

/** Results that differ from PyTorch's in the last bit, with the reason (a skip is data). */
const KNOWN_DIFFERENT: Record<string, string> = {
  "gelu(bfloat16)": "PyTorch's BFloat16 GELU rounds each step (erf, 1 + ., 0.5 * x * .) to bfloat16; typetorch computes in float32 and rounds once",
};

test("common ops: PyTorch's CPU errors where it has no kernel for the dtype (Half: exp, matmul, softmax ...), results otherwise", () => {
  for (const c of fx.op_outcomes as { dtype: string; op: string; outcome: { ok?: Enc; error?: [string, string] } }[]) {
    const t = torch.ones(2, 2, { dtype: dt(c.dtype) });
    const where = `${c.op}(${c.dtype})`;
    if (c.outcome.error) assert.throws(() => OPS[c.op]!(t), (e: Error) => e.name === c.outcome.error![0] && e.message === c.outcome.error![1], where);
    else if (KNOWN_DIFFERENT[where]) assert.throws(() => same(OPS[c.op]!(t) as Tensor, c.outcome.ok!, where), /PyTorch/, `${where} now matches: drop it from KNOWN_DIFFERENT`);
    else same(OPS[c.op]!(t) as Tensor, c.outcome.ok!, where);
  }
});

test("autograd in float16 and bfloat16: gradients in the dtype, PyTorch's bits", () => {
  for (const g of fx.grads as { dtype: string; expr: string; x: Enc; y?: Enc; z: Enc; gx: Enc; gy?: Enc; grad_fn?: string }[]) {
    const x = dec(g.x).requiresGrad_(true);
    if (g.y) {
      const y = dec(g.y).requiresGrad_(true);
      const z = x.mul(y).add(x.div(y)).sub(x.mul(x)).sum();
      assert.equal(z.gradFn?.name(), g.grad_fn);
      z.backward();
      same(z, g.z, `${g.dtype} ${g.expr}`);
      same(x.grad!, g.gx, `${g.dtype} ${g.expr} dx`);
      same(y.grad!, g.gy!, `${g.dtype} ${g.expr} dy`);
    } else {
      const z = x.float().mul(2).sum();
      z.backward();
      same(z, g.z, `${g.dtype} ${g.expr}`);
      same(x.grad!, g.gx, `${g.dtype} ${g.expr} dx`);
    }
  }
});

test("Tensor.half/bfloat16/byte/char/short, dtype facts, finfo and iinfo", () => {
  const x = torch.tensor([1.7, -2.2]);
  assert.equal(x.half().dtype, torch.float16);
  assert.equal(x.bfloat16().dtype, torch.bfloat16);
  assert.equal(x.byte().dtype, torch.uint8);
  assert.equal(x.char().dtype, torch.int8);
  assert.equal(x.short().dtype, torch.int16);
  assert.equal(torch.half, torch.float16);
  assert.equal(torch.short, torch.int16);
  assert.deepEqual([torch.float16, torch.bfloat16, torch.uint8, torch.int8, torch.int16].map((d) => [d.scalarName, d.itemsize, d.isFloatingPoint, String(d)]), [
    ["Half", 2, true, "torch.float16"], ["BFloat16", 2, true, "torch.bfloat16"], ["Byte", 1, false, "torch.uint8"], ["Char", 1, false, "torch.int8"], ["Short", 2, false, "torch.int16"],
  ]);
  assert.equal(x.half().type(), "torch.HalfTensor");
  for (const [n, e] of Object.entries(fx.finfo as Record<string, Record<string, number>>)) {
    const f = torch.finfo(dt(n));
    for (const k of ["bits", "eps", "max", "min", "tiny", "resolution"] as const) assert.equal(f[k], e[k], `finfo(${n}).${k}`);
  }
  for (const [n, e] of Object.entries(fx.iinfo as Record<string, Record<string, number>>)) {
    const f = torch.iinfo(dt(n));
    for (const k of ["bits", "max", "min"] as const) assert.equal(f[k], e[k], `iinfo(${n}).${k}`);
  }
  assert.throws(() => torch.finfo(torch.int32), /requires a floating point input type/);
  assert.throws(() => torch.iinfo(torch.bool), /torch\.bool is not supported by torch\.iinfo/);
});

test("rounding helpers: float16 by Math.f16round and by the portable fallback agree; half bits round trip", () => {
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  // every float32 in a sweep of bit patterns across float16's whole range, plus the edges
  for (let bits = 0x33000000; bits < 0x47800000; bits += 0x1fff) {
    u32[0] = bits;
    const v = f32[0]!;
    for (const s of [v, -v]) assert.ok(Object.is(f16round(s), f16roundSoft(s)), `f16 ${s}`);
  }
  for (const v of [65504, 65519.99, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14, NaN, Infinity, -0]) assert.ok(Object.is(f16round(v), f16roundSoft(v)) || (v !== v && f16roundSoft(v) !== f16roundSoft(v)), `edge ${v}`);
  for (let h = 0; h < 0x10000; h++) {
    const v = halfToNumber(h);
    if (v === v) assert.equal(numberToHalf(v), h, `half 0x${h.toString(16)}`);
  }
  assert.equal(bf16round(1 + 2 ** -8), 1); // a tie, to even
  assert.equal(bf16round(1 + 3 * 2 ** -8), 1 + 2 ** -6);
});

test(".pt files: PyTorch's file with every new dtype loads as those dtypes; saving and loading again keeps every byte", () => {
  const bytes = new Uint8Array(readFileSync(new URL("./fixtures/dtypes/all_dtypes.pt", import.meta.url)));
  const sd = torch.load(bytes) as Record<string, Tensor>;
  const exp = fx.pt["all_dtypes.pt"] as Record<string, Enc>;
  for (const [k, e] of Object.entries(exp)) {
    same(sd[k]!, e, k);
    assert.deepEqual(sd[k]!.stride(), e.stride, `${k}: stride`);
  }
  const back = torch.load(torch.serialization.saveToBytes(sd)) as Record<string, Tensor>;
  for (const [k, e] of Object.entries(exp)) {
    same(back[k]!, e, `${k} after save`);
    assert.deepEqual(back[k]!.stride(), e.stride, `${k}: stride after save`);
  }
  // the storage records hold PyTorch's element bytes, byte for byte
  const records = (b: Uint8Array) => {
    const z = readZip(b);
    return z.names.filter((n) => /\/data\/\d+$/.test(n)).map((n) => Buffer.from(z.read(n)).toString("hex")).sort();
  };
  assert.deepEqual(records(torch.serialization.saveToBytes(sd)), records(bytes));
});
