// Bit-for-bit agreement with PyTorch 1.13's CPU kernels (fixtures from scripts/gen_bitwise_fixtures.py):
// elementwise ops whose scalar parameters PyTorch casts to the tensor's dtype or whose multiply-adds
// its AVX2 build fuses, at sizes that fill whole vectors and sizes with a scalar tail, and optimizer
// trajectories built from those ops.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import * as torch from "../src/index.js";
import { Tensor } from "../src/tensor/tensor.js";
import { float32, float64, type DType } from "../src/tensor/dtype.js";
import * as optim from "../src/optim/index.js";
import { toCamel } from "../src/optim/optimizer.js";
import { pyPow } from "../src/optim/_util.js";
import { EPS, assertClose, exactly, fast } from "./helpers/numerics.js";

const fx = JSON.parse(readFileSync(new URL("./fixtures/bitwise.json", import.meta.url), "utf8"));
const F = torch.nn.functional;
const dtypes: Record<string, DType> = { float32, float64 };

/** The tensor's elements as little-endian bytes of its dtype (what numpy's tobytes() gives). */
function bytesOf(t: Tensor): Uint8Array {
  const v = t.flatten().tolist() as number[];
  const arr = t.dtype === float32 ? Float32Array.from(v) : Float64Array.from(v);
  return new Uint8Array(arr.buffer);
}

function mismatches(got: Uint8Array, b64: string, dtype: DType): string {
  const want = Buffer.from(b64, "base64");
  const A = dtype === float32 ? new Float32Array(got.buffer) : new Float64Array(got.buffer);
  const B = dtype === float32 ? new Float32Array(want.buffer, want.byteOffset, want.length / 4) : new Float64Array(want.buffer.slice(want.byteOffset, want.byteOffset + want.length));
  const bad: string[] = [];
  for (let i = 0; i < B.length; i++) if (!Object.is(A[i], B[i])) bad.push(`[${i}] ${A[i]} != ${B[i]}`);
  return `${bad.length} of ${B.length} differ: ${bad.slice(0, 4).join(", ")}`;
}

/** randn in dtype; float64 from two float32 draws (as the generator does, see randn there). */
function randn(shape: number | number[], dtype: DType): Tensor {
  if (dtype === float32) return torch.randn(shape);
  const x = torch.randn(shape).double();
  return x.add(torch.randn(shape).double().mul(1e-7));
}

function inputs(n: number, dtype: DType) {
  torch.manualSeed(0);
  const a = randn(n, dtype), b = randn(n, dtype), c = randn(n, dtype);
  const w = torch.rand(n).to(dtype).mul(2).sub(0.5);
  return { a, b, c, w };
}

function runOp(op: string, args: Record<string, number>, { a, b, c, w }: ReturnType<typeof inputs>): Tensor {
  switch (op) {
    case "add": return torch.add(a, b, { alpha: args["alpha"]! });
    case "sub": return torch.sub(a, b, { alpha: args["alpha"]! });
    case "addScalar": return torch.add(a, args["other"]!, { alpha: args["alpha"]! });
    case "addColumn": {
      const m = Math.min(a.numel(), 21), rows = Math.floor(a.numel() / m);
      return torch.add(a.narrow(0, 0, rows * m).view(rows, m), b.narrow(0, 0, rows).view(rows, 1), { alpha: args["alpha"]! });
    }
    case "rsub": return torch.sub(args["other"]!, a, { alpha: args["alpha"]! });
    case "leakyRelu": return F.leakyRelu(a, args["slope"]!);
    case "pow": return a.abs().pow(args["exponent"]!);
    case "rsqrt": return a.abs().rsqrt();
    case "clamp": return a.clamp(args["min"]!, args["max"]!);
    case "addcmul": return a.addcmul(b, c, { value: args["value"]! });
    case "addcdiv": return a.addcdiv(b, c, { value: args["value"]! });
    case "lerp": return a.lerp(b, args["weight"]!);
    case "lerpTensor": return a.lerp(b, w);
  }
  throw new Error(`unknown op ${op}`);
}

describe("elementwise ops match PyTorch bit for bit", () => {
  type OpCase = { op: string; args: Record<string, number>; n: number; dtype: string; b64?: string; sha256?: string };
  const groups = new Map<string, OpCase[]>();
  for (const c of fx.ops as OpCase[]) {
    const k = `${c.dtype} n=${c.n}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  for (const [k, cases] of groups)
    test(k, () => {
      const dtype = dtypes[cases[0]!.dtype]!;
      const inp = inputs(cases[0]!.n, dtype);
      // NOTE: the inputs are at most ~6 in magnitude; a fast kernel that does not fuse a multiply-add
      // differs from PyTorch by one rounding of the product, at most eps * |product|.
      const scale = Math.max(...[inp.a, inp.b, inp.c, inp.w].map((t) => t.abs().max().item()));
      for (const c of cases) {
        const y = exactly(() => runOp(c.op, c.args, inp));
        assert.equal(y.dtype, dtype);
        const got = bytesOf(y);
        const what = `${c.op}(${JSON.stringify(c.args)}) ${k}`;
        if (c.b64 !== undefined) {
          if (Buffer.from(got).toString("base64") !== c.b64) assert.fail(`${what}: ${mismatches(got, c.b64, dtype)}`);
        } else assert.equal(createHash("sha256").update(got).digest("hex"), c.sha256, `${what}: SHA-256 of the output bytes`);
        // the fast default against PyTorch's values (the reference's, now checked bit for bit)
        const yf = fast(() => runOp(c.op, c.args, inp));
        assert.equal(yf.dtype, dtype);
        const p = Math.max(1, ...Object.values(c.args).map(Math.abs));
        const eps = EPS[dtype.name as "float32" | "float64"];
        const mag = c.op.startsWith("addc") ? scale * scale : scale; // addcmul/addcdiv multiply two inputs
        assertClose(yf.flatten().tolist() as number[], y.flatten().tolist() as number[], `${what} (fast)`, 4 * eps, 4 * eps * p * mag);
      }
    });
});

test("pyPow is Python's float ** float (the optimizers' bias corrections)", () => {
  for (const [x, y, want] of fx.pow as [number, number, number][]) assert.equal(pyPow(x, y), want, `${x} ** ${y}`);
  assert.equal(pyPow(0.9, 4), 0.6561); // 0.9 ** 4 in JavaScript is 0.6561000000000001
});

const ctor = (name: string) => (optim as unknown as Record<string, new (p: unknown, o: unknown) => optim.Optimizer>)[name]!;

describe("optimizer trajectories match PyTorch bit for bit (exact numerics) and closely (fast)", () => {
  type OptCase = { optimizer: string; options: Record<string, unknown>; dtype: string; steps: number; trajectory: Record<string, string> };
  for (const c of fx.optimizers as OptCase[])
    for (const mode of ["exact", "fast"] as const)
    test(`${c.optimizer} ${JSON.stringify(c.options)} ${c.dtype} ${mode}`, () => (mode === "exact" ? exactly : fast)(() => {
      const dtype = dtypes[c.dtype]!;
      torch.manualSeed(1);
      const p1 = randn(37, dtype), p2 = randn([3, 5], dtype);
      const t1 = randn(37, dtype), t2 = randn([3, 5], dtype);
      p1.requiresGrad_(); p2.requiresGrad_();
      const opts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.options)) opts[toCamel(k)] = v;
      const opt = new (ctor(c.optimizer))([p1, p2], opts);
      for (let step = 1; step <= c.steps; step++) {
        torch.manualSeed(100 + step);
        torch.noGrad(() => {
          for (const [p, t] of [[p1, t1], [p2, t2]] as const)
            p.grad = p.detach().sub(t).mul(0.5).add(randn([...p.shape], dtype).mul(0.1));
        });
        opt.step();
        const want = c.trajectory[String(step)];
        if (want === undefined) continue;
        const flat = torch.cat([p1.detach().flatten(), p2.detach().flatten()]);
        const got = bytesOf(flat);
        if (mode === "exact") {
          if (Buffer.from(got).toString("base64") !== want) assert.fail(`params after step ${step}: ${mismatches(got, want, dtype)}`);
        } else {
          // NOTE: a few roundings differ per step and steps compound them; 20 steps of these smooth
          // updates stay within a few hundred ulp of the parameters' scale.
          const w = Buffer.from(want, "base64");
          const wv = dtype === float32 ? new Float32Array(new Uint8Array(w).buffer) : new Float64Array(new Uint8Array(w).buffer);
          const eps = EPS[dtype.name as "float32" | "float64"];
          assertClose(flat.tolist() as number[], Array.from(wv), `params after step ${step} (fast)`, 256 * eps, 256 * eps * 4);
        }
      }
    }));
});
