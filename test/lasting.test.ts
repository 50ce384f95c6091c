// Lasting tensors: parameters, their gradients and optimizer state in the fast backend's kernel
// memory (src/backend/cpu/wasm/index.ts's arenaArray, src/backend/cpu/wasm/heap.ts), read and
// written there in place by matmul, the optimizer updates, zero_grad and the gradient's accumulation.
// The numbers must be the bits of the same program with every tensor on the JS heap.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { BlockHeap, BLOCK_ALIGN } from "../src/backend/cpu/wasm/heap.js";
import {
  arenaArray, arenaHeapStats, arenaRegion, inArena, matmulInPlaceOperands, matmulThreadsSupported, releaseArenaRegion, setArenaArrays,
} from "../src/backend/cpu/wasm/index.js";
import { emptyLasting, isLasting } from "../src/ops/creation.js";
import { poolStats, setPassArraysShared } from "../src/backend/buffer_pool.js";
import { onBackend } from "./helpers/numerics.js";

const shared = matmulThreadsSupported();
const needsShared = shared ? false : "no shared memory here (no threads)";

describe("BlockHeap", () => {
  test("first fit, blocks rounded to whole cache lines, the top grows only when asked", () => {
    const h = new BlockHeap(4096, 4096 + 1024);
    const a = h.alloc(1, true), b = h.alloc(100, true), c = h.alloc(64, true);
    assert.deepEqual([a, b, c], [4096, 4096 + 64, 4096 + 192]);
    assert.equal(h.top, 4096 + 256);
    assert.equal(h.used, 256);
    assert.equal(h.alloc(64, false), -1, "nothing free, no growing");
    assert.equal(h.alloc(1024, true), -1, "past the limit");
    h.release(b, 100);
    assert.deepEqual(h.freeBlocks(), [[4096 + 64, 128]]);
    assert.equal(h.alloc(64, false), 4096 + 64, "a free block is split");
    assert.deepEqual(h.freeBlocks(), [[4096 + 128, 64]]);
    assert.equal(h.used, 192);
  });
  test("released neighbours merge, and the top comes down past free blocks", () => {
    const h = new BlockHeap(0, 1 << 20);
    const xs = [0, 1, 2, 3, 4].map(() => h.alloc(BLOCK_ALIGN, true));
    h.release(xs[1]!, BLOCK_ALIGN);
    h.release(xs[3]!, BLOCK_ALIGN);
    assert.deepEqual(h.freeBlocks(), [[64, 64], [192, 64]]);
    h.release(xs[2]!, BLOCK_ALIGN);
    assert.deepEqual(h.freeBlocks(), [[64, 192]], "three merged into one");
    h.release(xs[4]!, BLOCK_ALIGN);
    assert.deepEqual(h.freeBlocks(), [], "the last block freed: the free run above block 0 goes with the top");
    assert.equal(h.top, 64);
    h.release(xs[0]!, BLOCK_ALIGN);
    assert.equal(h.top, 0);
    assert.equal(h.used, 0);
  });
  test("random allocations and releases never overlap, and account for every byte", () => {
    const h = new BlockHeap(0, 1 << 24);
    let seed = 1;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const live = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      if (live.size > 0 && rnd(3) === 0) {
        const keys = [...live.keys()], at = keys[rnd(keys.length)]!;
        h.release(at, live.get(at)!);
        live.delete(at);
      } else {
        const bytes = 1 + rnd(5000), at = h.alloc(bytes, true);
        assert.ok(at >= 0 && at % BLOCK_ALIGN === 0);
        live.set(at, bytes);
      }
      if (i % 100 !== 99) continue;
      const spans = [...live].map(([a, b]) => [a, a + Math.ceil(b / 64) * 64] as const).sort((x, y) => x[0] - y[0]);
      for (let k = 1; k < spans.length; k++) assert.ok(spans[k - 1]![1] <= spans[k]![0], "blocks overlap");
      assert.ok(spans.length === 0 || spans[spans.length - 1]![1] <= h.top);
      for (const [fa, fs] of h.freeBlocks()) for (const [a, e] of spans) assert.ok(fa + fs <= a || fa >= e, "a free block overlaps a live one");
    }
    assert.equal(h.used, [...live.values()].reduce((s, b) => s + Math.ceil(b / 64) * 64, 0));
  });
});

describe("arenaArray", { skip: needsShared }, () => {
  test("zero-filled arrays in the kernels' memory; none while a region is lent", () => {
    const a = arenaArray(Float32Array, 1000)!;
    assert.ok(a instanceof Float32Array && a.length === 1000 && inArena(a));
    assert.ok(a.every((v) => v === 0));
    assert.equal(inArena(new Float32Array(4)), false);
    assert.ok(arenaRegion(1 << 16) !== null);
    try {
      assert.equal(arenaArray(Float32Array, 10), null, "a region is lent: the caller takes the JS heap");
    } finally {
      releaseArenaRegion();
    }
    const was = setArenaArrays(false);
    try {
      assert.equal(arenaArray(Float32Array, 10), null);
      assert.equal(onBackend("wasm", () => isLasting(new torch.nn.Linear(4, 4).weight)), false);
    } finally {
      setArenaArrays(was);
    }
  });

  test("a collected array's block is given back (FinalizationRegistry), and comes back zeroed", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const used0 = arenaHeapStats().used;
    let xs: Float32Array[] | null = [];
    for (let i = 0; i < 50; i++) xs.push(arenaArray(Float32Array, 10000)!.fill(7));
    assert.ok(arenaHeapStats().used >= used0 + 50 * 40000);
    xs = null;
    for (let i = 0; i < 100 && arenaHeapStats().used > used0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(arenaHeapStats().used <= used0, `blocks given back: ${arenaHeapStats().used} bytes used, ${used0} before`);
    // the blocks are reused, their stale 7s cleared
    const again = Array.from({ length: 50 }, () => arenaArray(Float32Array, 10000)!);
    for (const a of again) assert.ok(a.every((v) => v === 0));
  });

  test("matmul's scratch stays above the lasting blocks", () => {
    const keep = Array.from({ length: 8 }, (_, i) => arenaArray(Float32Array, 4099)!.fill(i + 0.5));
    torch.manualSeed(0);
    const a = torch.randn(300, 400), b = torch.randn(400, 500);
    const before = arenaHeapStats().top;
    onBackend("wasm", () => a.mm(b));
    assert.equal(arenaHeapStats().top, before);
    keep.forEach((k, i) => assert.ok(k.every((v) => v === i + 0.5), `block ${i} untouched`));
  });
});

/** Trains an MLP with SGD (momentum) or Adam for a few steps, with lasting tensors on or off. */
function train(lasting: boolean, makeOpt: (ps: Tensor[]) => torch.optim.Optimizer, steps = 4, passArrays = lasting): { losses: number[]; params: number[][]; lasting: boolean } {
  const was = setArenaArrays(lasting), wasPass = setPassArraysShared(passArrays);
  try {
    return onBackend("wasm", () => {
      torch.manualSeed(1);
      const model = new torch.nn.Sequential(new torch.nn.Linear(37, 64), new torch.nn.ReLU(), new torch.nn.Linear(64, 10));
      const opt = makeOpt(model.parameters() as Tensor[]);
      const lossFn = new torch.nn.CrossEntropyLoss();
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) {
        opt.zeroGrad();
        // two backward passes a step: the second adds into the .grad the first made
        for (let half = 0; half < 2; half++) {
          const x = torch.randn(16, 37), y = torch.randint(0, 10, [16]);
          const loss = lossFn(model.forward(x) as Tensor, y);
          loss.backward();
          losses.push(loss.item());
        }
        opt.step();
      }
      const ps = model.parameters() as Tensor[];
      return { losses, params: ps.map((p) => p.detach().flatten().tolist() as number[]), lasting: ps.every((p) => isLasting(p) && isLasting(p.grad!)) };
    });
  } finally {
    setArenaArrays(was);
    setPassArraysShared(wasPass);
  }
}

describe("training with lasting parameters gives the bits of training without", { skip: needsShared }, () => {
  const cases: [string, (ps: Tensor[]) => torch.optim.Optimizer][] = [
    ["SGD momentum", (ps) => new torch.optim.SGD(ps, { lr: 0.05, momentum: 0.9 })],
    ["SGD nesterov weight decay", (ps) => new torch.optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ["Adam", (ps) => new torch.optim.Adam(ps, { lr: 0.01 })],
    ["AdamW amsgrad", (ps) => new torch.optim.AdamW(ps, { lr: 0.01, amsgrad: true })],
    ["RMSprop centered", (ps) => new torch.optim.RMSprop(ps, { lr: 0.01, centered: true })],
  ];
  for (const [name, make] of cases)
    test(name, () => {
      const before = matmulInPlaceOperands();
      const on = train(true, make);
      assert.ok(on.lasting, "parameters and gradients lasting");
      assert.ok(matmulInPlaceOperands() > before, "matmul read the weights in place");
      const off = train(false, make);
      assert.equal(off.lasting, false);
      assert.deepEqual(on.losses, off.losses);
      assert.deepEqual(on.params, off.params);
      // lasting parameters, the backward's products on the JS heap (copied into the .grad's memory)
      const mixed = train(true, make, 4, false);
      assert.deepEqual(mixed.losses, off.losses);
      assert.deepEqual(mixed.params, off.params);
    });

  test("a backward pass's products are written where they lie in the kernels' memory, and go round the pool", () => {
    onBackend("wasm", () => {
      torch.manualSeed(2);
      // 64 x 48 @ 48 x 40 and its backward: M a multiple of 4, N of 8
      const w = new torch.nn.Linear(48, 40, false), x = torch.randn(64, 48);
      const stepOnce = () => {
        w.zeroGrad();
        w.forward(x).square().sum().backward();
      };
      stepOnce();
      const before = matmulInPlaceOperands(), taken = poolStats.taken;
      stepOnce();
      // the forward reads the weight in place; the backward's weight gradient (40 x 48 from g.T @ x)
      // is written in place and added into the lasting .grad from there
      assert.ok(matmulInPlaceOperands() - before >= 2, `${matmulInPlaceOperands() - before} operands in place`);
      assert.ok(poolStats.taken > taken, "the pass took its output from the pool");
      const want = onBackend("reference", () => x.t().mm(w.weight.detach().mm(x.t()).t().mul(2)));
      const got = w.weight.grad!;
      assert.ok(got.sub(want.t()).abs().max().item() <= 1e-3 * want.abs().max().item());
    });
  });

  test("state dicts of a lasting model and its Adam save, load and train on as those on the JS heap; clipGradNorm_ on lasting grads", () => {
    const run = (lasting: boolean): number[] => {
      const was = setArenaArrays(lasting);
      try {
        return onBackend("wasm", () => {
          torch.manualSeed(3);
          const make = () => new torch.nn.Sequential(new torch.nn.Linear(20, 32), new torch.nn.Tanh(), new torch.nn.Linear(32, 4));
          const m = make(), opt = new torch.optim.Adam(m.parameters(), { lr: 0.01 });
          const x = torch.randn(16, 20), y = torch.randn(16, 4);
          const stepOn = (mm: torch.nn.Module, o: torch.optim.Optimizer) => {
            o.zeroGrad();
            (mm.forward(x) as Tensor).sub(y).square().mean().backward();
            torch.nn.utils.clipGradNorm_(mm.parameters(), 0.5);
            o.step();
          };
          for (let i = 0; i < 3; i++) stepOn(m, opt);
          const bytes = torch.serialization.saveToBytes({ model: m.stateDict(), opt: opt.stateDict() });
          const back = torch.serialization.loadFromBytes(bytes) as { model: Record<string, Tensor>; opt: Record<string, unknown> };
          const m2 = make(), opt2 = new torch.optim.Adam(m2.parameters(), { lr: 0.01 });
          m2.loadStateDict(back.model);
          opt2.loadStateDict(back.opt as never);
          assert.equal((m2.parameters() as Tensor[]).every((p) => isLasting(p)), lasting);
          for (let i = 0; i < 3; i++) stepOn(m2, opt2);
          return (m2.parameters() as Tensor[]).flatMap((p) => p.detach().flatten().tolist() as number[]);
        });
      } finally {
        setArenaArrays(was);
      }
    };
    assert.deepEqual(run(true), run(false));
  });

  test("zeroGrad(setToNone) every step: one lasting .grad per parameter, the later ones on the JS heap", () => {
    onBackend("wasm", () => {
      const m = new torch.nn.Linear(40, 30);
      const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.5 });
      const used = arenaHeapStats().used;
      const seen: boolean[] = [];
      for (let s = 0; s < 5; s++) {
        opt.zeroGrad(true);
        m(torch.randn(8, 40)).square().mean().backward();
        seen.push(isLasting(m.weight.grad!));
        opt.step();
      }
      assert.deepEqual(seen, [true, false, false, false, false]);
      // the first step's grads and momentum buffers, and nothing per step after
      assert.ok(arenaHeapStats().used <= used + 2 * (40 * 30 + 30) * 4 + 4 * 64, `${arenaHeapStats().used - used} bytes more`);
    });
  });

  test("zero_, add_ and a user's in-place edits on a lasting tensor", () => {
    onBackend("wasm", () => {
      const t = emptyLasting([3, 1001]), h = torch.zeros(3, 1001);
      assert.ok(isLasting(t) && !isLasting(h));
      torch.manualSeed(5);
      const g = torch.randn(3, 1001), g2 = torch.randn(3, 1001);
      for (const x of [t, h]) {
        x.add_(g);
        x.add_(g2);
        x.narrow(1, 3, 500).add_(g.narrow(1, 0, 500)); // an offset view: the general kernel
        x.mul_(0.5);
      }
      assert.deepEqual(t.tolist(), h.tolist());
      t.zero_();
      assert.ok((t.flatten().tolist() as number[]).every((v) => Object.is(v, 0)));
      t.fill_(-2.5);
      assert.ok((t.flatten().tolist() as number[]).every((v) => v === -2.5));
    });
  });
});
