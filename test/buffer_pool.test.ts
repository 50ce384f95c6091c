// The buffer pool (src/backend/buffer_pool.ts): a plain backward pass's intermediates are reused by
// later allocations, and nothing that outlives the pass is ever handed out again. Each escape route
// is tested the same way: keep a tensor made in a backward pass, run more passes that would reuse
// its buffer, and check that its values have not changed. And training gives the same bits with the
// pool on and off, on both backends.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/tensor/tensor.js";
import type { FunctionCtx } from "../src/autograd/custom_function.js";
import { poolStats, setBufferPoolEnabled, pooledByteCount, takeArray, zeroedArray, beginPass, endPass, escape } from "../src/backend/buffer_pool.js";
import { onBackend, type BackendName } from "./helpers/numerics.js";

const { nn, optim } = torch;

/** The values of t, exactly (a copy). */
const valuesOf = (t: Tensor): number[] => t.detach().flatten().tolist() as number[];

/** A net big enough that every intermediate is pooled (>= 4 KiB), and a step that trains it. */
function trainer(seed = 0) {
  torch.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(64, 48), new nn.ReLU(), new nn.Linear(48, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const x = torch.randn(32, 64), y = torch.randint(0, 10, [32]);
  const lossFn = new nn.CrossEntropyLoss();
  const step = (): Tensor => {
    opt.zeroGrad();
    const loss = lossFn(model.forward(x), y) as Tensor;
    loss.backward();
    opt.step();
    return loss;
  };
  return { model, step };
}

function withPool<T>(on: boolean, fn: () => T): T {
  const was = setBufferPoolEnabled(on);
  try {
    return fn();
  } finally {
    setBufferPoolEnabled(was);
  }
}

for (const backend of ["wasm", "reference"] as BackendName[]) {
  describe(`buffer pool (${backend})`, () => {
    test("training reuses the backward pass's buffers and gives the same bits as without the pool", () => {
      onBackend(backend, () => {
        const run = (on: boolean) => withPool(on, () => {
          const { model, step } = trainer();
          const losses: number[] = [];
          const taken0 = poolStats.taken;
          for (let i = 0; i < 6; i++) losses.push(step().item());
          return { losses, params: model.parameters().map(valuesOf), taken: poolStats.taken - taken0 };
        });
        const on = run(true), off = run(false);
        assert.ok(on.taken > 0, "later steps take buffers from the pool");
        assert.equal(off.taken, 0);
        assert.deepEqual(on.losses, off.losses);
        assert.deepEqual(on.params, off.params);
      });
    });

    test("a .grad made by a pass (set_to_none) is never handed out again", () => {
      onBackend(backend, () => withPool(true, () => {
        const { model, step } = trainer(1);
        step();
        const kept = model.parameters().map((p) => p.grad!);
        const before = kept.map(valuesOf);
        for (const p of model.parameters()) p.grad = null; // the next pass makes new ones
        for (let i = 0; i < 4; i++) step();
        assert.deepEqual(kept.map(valuesOf), before);
      }));
    });

    test("a gradient kept by a hook, a retained gradient and a custom Function's stash keep their values", () => {
      onBackend(backend, () => withPool(true, () => {
        torch.manualSeed(2);
        const w = torch.randn(64, 48, { requiresGrad: true });
        const x = torch.randn(32, 64);
        const hooked: Tensor[] = [], stashed: Tensor[] = [];
        class Twice extends torch.autograd.Function {
          static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
          static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
            const r = g.mul(2);
            stashed.push(r);
            return r;
          }
        }
        const pass = (kind: "hook" | "retain" | "custom" | "plain"): Tensor | null => {
          const h = x.mm(w);
          let retained: Tensor | null = null;
          if (kind === "hook") h.registerHook((g) => { hooked.push(g); });
          if (kind === "retain") { h.retainGrad(); retained = h; }
          const z = kind === "custom" ? (Twice.apply(h) as Tensor) : h;
          z.relu().sum().backward();
          w.grad = null;
          return retained;
        };
        pass("hook");
        const r = pass("retain")!;
        pass("custom");
        const snapshot = [hooked[0]!, r.grad!, stashed[0]!].map(valuesOf);
        x.normal_(); // the passes that reuse buffers compute other values
        for (let i = 0; i < 5; i++) pass("plain");
        assert.deepEqual([hooked[0]!, r.grad!, stashed[0]!].map(valuesOf), snapshot);
      }));
    });

    test("autograd.grad's results and create_graph's gradients keep their values", () => {
      onBackend(backend, () => withPool(true, () => {
        torch.manualSeed(3);
        const w = torch.randn(64, 48, { requiresGrad: true });
        const x = torch.randn(32, 64);
        const [gw] = torch.autograd.grad([x.mm(w).tanh().sum()], [w]) as Tensor[];
        x.mm(w).tanh().sum().backward({ createGraph: true });
        const g2 = w.grad!;
        w.grad = null;
        const snapshot = [gw!, g2].map(valuesOf);
        // (other inputs: a reused buffer would get other values)
        for (let i = 0; i < 5; i++) { torch.randn(32, 64).mm(w).tanh().sum().backward(); w.grad = null; }
        assert.deepEqual([gw!, g2].map(valuesOf), snapshot);
      }));
    });
  });
}

describe("buffer pool mechanics", () => {
  test("only buffers of a tracked pass that did not escape are reused; a poisoned pass gives none", () => {
    withPool(true, () => {
      const n = 4096; // 16 KiB of float32
      assert.ok(beginPass());
      const dead = takeArray(Float32Array, n), kept = takeArray(Float32Array, n);
      dead.fill(7);
      escape(kept);
      assert.equal(beginPass(), false, "a nested pass is not tracked");
      endPass(true); // the nested pass made the outer one unsure: nothing released
      assert.equal(takeArray(Float32Array, n) === dead, false);

      assert.ok(beginPass());
      const a = takeArray(Float32Array, n), b = takeArray(Float32Array, n);
      escape(b);
      endPass(true);
      const again = takeArray(Float32Array, n);
      assert.equal(again, a, "a's buffer comes back");
      assert.notEqual(takeArray(Float32Array, n), b, "b escaped");
      // zeroedArray clears a reused buffer
      assert.ok(beginPass());
      const c = takeArray(Float32Array, n);
      c.fill(3);
      endPass(true);
      const z = zeroedArray(Float32Array, n);
      assert.equal(z, c);
      assert.ok(z.every((v) => v === 0));
      assert.ok(pooledByteCount() >= 0);
    });
  });

  test("small buffers and a failed pass are left to the collector", () => {
    withPool(true, () => {
      assert.ok(beginPass());
      const small = takeArray(Float32Array, 16);
      const big = takeArray(Float64Array, 1024);
      endPass(false); // the pass threw
      assert.notEqual(takeArray(Float64Array, 1024), big);
      assert.notEqual(takeArray(Float32Array, 16), small);
    });
  });
});
