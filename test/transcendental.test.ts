// float32 exp / log (Sleef's expf_u10 / logf_u10 as PyTorch's AVX2 build runs them), softmax and
// log_softmax over the last dim with their backward, and the cross-entropy loss and gradient, bit for
// bit against PyTorch 1.13 (fixtures: scripts/gen_transcendental_fixtures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
import { expf, logf } from "../src/backend/cpu/sleef.js";
import { EPS, assertClose, exactly, fast } from "./helpers/numerics.js";

interface Encoded { out?: string; sha256?: string }
interface Case extends Encoded {
  op: "exp" | "log" | "tanh" | "softmax" | "log_softmax" | "cross_entropy" | "sigmoid" | "silu" | "elu" | "tanh_grad" | "sigmoid_grad";
  t?: boolean;
  input: "hash" | "uniform" | "randn";
  dtype?: "float64";
  n?: number;
  lo?: number;
  hi?: number;
  seed?: number;
  shape?: number[];
  scale?: number;
  dim?: number;
  grad?: Encoded;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/transcendental.json", import.meta.url), "utf8")) as {
  special_bits: number[];
  cases: Case[];
};

/** (i * 2654435761) mod 2^32, as the generator computes it. */
const hashed = (i: number) => Math.imul(i, 2654435761 | 0) >>> 0;

function input(c: Case): Tensor {
  if (c.input === "hash") {
    const n = c.n!, sp = fixture.special_bits;
    const bits = new Uint32Array(n + sp.length);
    for (let i = 0; i < n; i++) bits[i] = hashed(i);
    bits.set(sp, n);
    return torch.tensor(Array.from(new Float32Array(bits.buffer)), { dtype: torch.float32 });
  }
  if (c.input === "uniform" && c.dtype === "float64") {
    const n = c.n!, sp = new Float32Array(new Uint32Array(fixture.special_bits).buffer), x = new Float64Array(n + sp.length);
    for (let i = 0; i < n; i++) x[i] = c.lo! + (c.hi! - c.lo!) * (hashed(i) / 2 ** 32);
    x.set(sp, n);
    return torch.tensor(Array.from(x), { dtype: torch.float64 });
  }
  if (c.input === "uniform") {
    const n = c.n!, x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = c.lo! + (c.hi! - c.lo!) * (hashed(i) / 2 ** 32);
    return torch.tensor(Array.from(x), { dtype: torch.float32 });
  }
  torch.manualSeed(c.seed!);
  let x = torch.randn(c.shape!).mul(c.scale ?? 1);
  if (c.dtype === "float64") x = x.double();
  return c.t ? x.t() : x;
}

/** The tensor's bits with every NaN written as the default quiet NaN, as the generator stores them. */
function bitsOf(t: Tensor): Buffer {
  if (t.dtype === torch.float64) {
    const v = new Float64Array(t.detach().contiguous().dataSync() as Float64Array);
    for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) v[i] = NaN;
    return Buffer.from(v.buffer);
  }
  const v = new Float32Array(t.detach().contiguous().dataSync() as Float32Array);
  const u = new Uint32Array(v.buffer);
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) u[i] = 0x7fc00000;
  return Buffer.from(v.buffer);
}

function check(got: Tensor, want: Encoded, what: string): void {
  const bytes = bitsOf(got);
  if (want.out !== undefined) {
    const w = Buffer.from(want.out, "base64");
    if (bytes.equals(w)) return;
    const F = got.dtype === torch.float64 ? Float64Array : Float32Array;
    const a = new F(new Uint8Array(bytes).buffer), b = new F(new Uint8Array(w).buffer);
    let bad = 0, first = -1;
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) { bad++; if (first < 0) first = i; }
    assert.fail(`${what}: ${bad} of ${b.length} differ; first at ${first}: got ${a[first]}, want ${b[first]}`);
  } else assert.equal(createHash("sha256").update(bytes).digest("hex"), want.sha256, what);
}

function name(c: Case): string {
  const src = c.input === "hash" ? `${c.n} hashed bit patterns + specials` : c.input === "uniform" ? `${c.n} uniform in [${c.lo}, ${c.hi}]` : `randn [${c.shape!.join(", ")}] * ${c.scale}`;
  return `${c.op} ${c.dtype ?? "float32"}, ${src}${c.t ? " transposed" : ""}`;
}

// Cases whose order is not reproduced yet, with the reason.
const pending: [(c: Case) => boolean, string][] = [];

/** The largest finite |value| of t (0 if none). */
function maxFinite(t: Tensor): number {
  let m = 0;
  for (const v of t.detach().contiguous()._values()) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** Runs one case, handing each result to `emit` with its fixture entry and a name. */
function runCase(c: Case, emit: (got: Tensor, want: Encoded, what: string) => void): void {
  const x = input(c);
  if (c.op === "exp" || c.op === "log" || c.op === "tanh") return emit(x[c.op](), c, "forward");
  if (c.op === "sigmoid") return emit(x.sigmoid(), c, "forward");
  if (c.op === "silu" || c.op === "elu") return emit(nn.functional[c.op](x), c, "forward");
  if (c.op === "cross_entropy") {
    const xs = x.requiresGrad_(true);
    const [N, C] = c.shape as [number, number];
    const t = torch.tensor(Array.from({ length: N }, (_, i) => (i * 7) % C), { dtype: torch.int64 });
    const loss = nn.functional.crossEntropy(xs, t);
    loss.backward();
    emit(loss.reshape([1]), c, "loss");
    return emit(xs.grad!, c.grad!, "gradient");
  }
  const xs = x.requiresGrad_(true);
  const y = c.op === "tanh_grad" ? xs.tanh() : c.op === "sigmoid_grad" ? xs.sigmoid() : c.op === "softmax" ? xs.softmax(c.dim!) : xs.logSoftmax(c.dim!);
  emit(y, c, "forward");
  const g = torch.randn(c.shape!).to(x.dtype); // drawn after x, from the same seed
  y.backward(g);
  emit(xs.grad!, c.grad!, "backward");
}

for (const c of fixture.cases) {
  const why = pending.find(([p]) => p(c))?.[1];
  test(`${name(c)} matches PyTorch bit for bit (exact numerics) and closely (fast)`, { todo: why }, () => {
    const exact = new Map<string, Tensor>();
    exactly(() => runCase(c, (got, want, what) => {
      check(got, want, what);
      exact.set(what, got.detach());
    }));
    // NOTE: the fast kernels compute in float64 or with their own polynomials: within a few ulp of
    // PyTorch's elementwise results; softmax-like results carry an absolute error of a few ulp of
    // the inputs' magnitude (x - max - log(sum)).
    const elementwise = ["exp", "log", "tanh", "sigmoid", "silu", "elu"].includes(c.op);
    fast(() => runCase(c, (got, _want, what) => {
      const ref = exact.get(what)!;
      const eps = EPS[got.dtype.name as "float32" | "float64"];
      const scale = elementwise ? 0 : 1 + maxFinite(ref) + maxFinite(input(c));
      assertClose(Array.from(got.detach().contiguous()._values()), Array.from(ref.contiguous()._values()), `${what} (fast)`, 8 * eps, elementwise ? 1e-37 : 16 * eps * scale);
    }));
  });
}

test("expf / logf special values", () => {
  assert.equal(expf(0), 1);
  assert.equal(expf(-Infinity), 0);
  assert.equal(expf(Infinity), Infinity);
  assert.ok(Number.isNaN(expf(NaN)));
  assert.equal(expf(-104.5), 0);
  assert.equal(expf(100.5), Infinity);
  assert.equal(logf(1), 0);
  assert.equal(logf(0), -Infinity);
  assert.equal(logf(-0), -Infinity);
  assert.equal(logf(Infinity), Infinity);
  assert.ok(Number.isNaN(logf(-1)));
  assert.ok(Number.isNaN(logf(NaN)));
});

test("softmax's backward keeps a differentiable graph under createGraph", () => {
  torch.manualSeed(3);
  const x = torch.randn([4, 5]).requiresGrad_(true);
  const y = x.logSoftmax(-1);
  const [g] = torch.autograd.grad([y.mul(torch.randn([4, 5])).sum()], [x], { createGraph: true });
  assert.ok(g!.requiresGrad);
});
