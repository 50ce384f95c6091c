// Lasting tensors (src/backend/cpu/wasm/index.ts's arenaArray: parameters, their gradients and
// optimizer state in the matmul kernels' shared memory, updated there in place) against the same
// model on the JS heap, and a backward pass's products written in that memory (buffer_pool.ts's
// takePassArrayF32) against on the heap: two models (or one, AB=pass) with the same weights and batches, stepped in
// alternation in one process, so that the machine's swings hit both alike. ms per training step: the
// best and the median of 30 rounds of 40 steps (the CNN: 10 rounds of 2 steps). The two models' losses
// are checked to be the same bits.
//   npx tsx bench/lasting_ab.ts                      the MLP of bench/run.ts, SGD with momentum 0.9
//   OPT=sgd|adam npx tsx bench/lasting_ab.ts         plain SGD (bench/run.ts's) or Adam
//   W=cnn npx tsx bench/lasting_ab.ts                the MNIST CNN, SGD
//   AB=pass npx tsx bench/lasting_ab.ts              one lasting model, its backward products in the
//                                                     shared memory or on the heap, alternating
import * as torch from "../src/index.js";
import { setArenaArrays, matmulThreadsSupported } from "../src/backend/cpu/wasm/index.js";
import { setPassArraysShared } from "../src/backend/buffer_pool.js";
const { nn, optim } = torch;

if (!matmulThreadsSupported()) console.log("no shared memory here (no threads): both sides run on the JS heap");
const which = process.env.W ?? "mlp", opt = process.env.OPT ?? "momentum", ab = process.env.AB ?? "lasting";

interface Side { step(): number }
function make(lasting: boolean): Side {
  const was = setArenaArrays(lasting);
  try {
    torch.manualSeed(0);
    const model = which === "cnn"
      ? new nn.Sequential(new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.Conv2d(32, 64, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Linear(128, 10))
      : new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
    const o = opt === "adam" ? new optim.Adam(model.parameters(), { lr: 1e-3 })
      : new optim.SGD(model.parameters(), { lr: 0.01, momentum: opt === "sgd" ? 0 : 0.9 });
    const lossFn = new nn.CrossEntropyLoss();
    torch.manualSeed(1);
    const xs = Array.from({ length: 8 }, () => (which === "cnn" ? torch.randn(64, 1, 28, 28) : torch.randn(128, 784)));
    const ys = xs.map((x) => torch.randint(0, 10, [x.shape[0]!]));
    let i = 0;
    return {
      step() {
        o.zeroGrad();
        const l = lossFn(model.forward(xs[i & 7]!) as torch.Tensor, ys[i & 7]!) as torch.Tensor;
        i++;
        l.backward();
        o.step();
        return l.item();
      },
    };
  } finally {
    setArenaArrays(was);
  }
}

// AB=lasting: a model on the JS heap with its products there too (as before lasting tensors) against
// a lasting one with its products in the shared memory; AB=pass: one lasting model, its products on
// the heap (a) or in the shared memory (b)
const a = make(ab === "pass"), b = ab === "pass" ? a : make(true);
const sideA = () => { setPassArraysShared(false); return a.step(); };
const sideB = () => { setPassArraysShared(true); return b.step(); };
await new Promise((r) => setTimeout(r, 300)); // the worker threads start
const rounds = which === "cnn" ? 10 : 30, per = which === "cnn" ? 2 : 40;
for (let k = 0; k < (which === "cnn" ? 4 : 300); k++) {
  const la = sideA(), lb = sideB();
  if (ab !== "pass" && la !== lb) throw new Error(`step ${k}: losses differ (${la} against ${lb})`);
}
const ta: number[] = [], tb: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t0 = performance.now();
  for (let k = 0; k < per; k++) sideA();
  ta.push((performance.now() - t0) / per);
  t0 = performance.now();
  for (let k = 0; k < per; k++) sideB();
  tb.push((performance.now() - t0) / per);
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
const names = ab === "pass" ? ["products on the heap", "products in the shared memory"] : ["JS heap", "lasting"];
console.log(`${which} ${opt}: ${names[0]} best ${Math.min(...ta).toFixed(3)} median ${med(ta).toFixed(3)} | ${names[1]} best ${Math.min(...tb).toFixed(3)} median ${med(tb).toFixed(3)} ms/step`);
