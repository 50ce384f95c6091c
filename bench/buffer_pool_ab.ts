// The buffer pool (src/backend/buffer_pool.ts) on and off in one process, alternating, so that the
// machine's swings hit both alike: ms per training step, median of 3 rounds each.
//   npx tsx bench/buffer_pool_ab.ts            the MLP of bench/run.ts (W=mlp, the default)
//   W=p06 npx tsx bench/buffer_pool_ab.ts      program 06's iteration
//   W=cnn N=5 npx tsx bench/buffer_pool_ab.ts  the MNIST CNN (N steps a round)
import * as torch from "../src/index.js";
import { setBufferPoolEnabled, poolStats, pooledByteCount } from "../src/backend/buffer_pool.js";
const { nn, optim } = torch;
torch.manualSeed(0);
const which = process.env.W ?? "mlp";
let step: () => void;
if (which === "mlp") {
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
  step = () => { opt.zeroGrad(); const l = lossFn(model.forward(x), y) as torch.Tensor; l.backward(); opt.step(); };
} else if (which === "cnn") {
  const model = new nn.Sequential(new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.Conv2d(32, 64, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(64, 1, 28, 28), y = torch.randint(0, 10, [64]);
  step = () => { opt.zeroGrad(); const l = lossFn(model.forward(x), y) as torch.Tensor; l.backward(); opt.step(); };
} else {
  const xs = torch.randn(64, 1000), ys = torch.randn(64, 10);
  const w1 = torch.randn(1000, 100, { requiresGrad: true }), w2 = torch.randn(100, 10, { requiresGrad: true });
  step = () => { const loss = xs.mm(w1).clamp({ min: 0 }).mm(w2).sub(ys).pow(2).sum(); loss.backward(); torch.noGrad(() => { w1.sub_(w1.grad!.mul(1e-6)); w2.sub_(w2.grad!.mul(1e-6)); w1.grad!.zero_(); w2.grad!.zero_(); }); };
}
const N = Number(process.env.N ?? 200);
const res: Record<string, number[]> = { on: [], off: [] };
for (let i = 0; i < 20; i++) step();
for (let r = 0; r < 6; r++) {
  for (const on of r % 2 ? [true, false] : [false, true]) {
    setBufferPoolEnabled(on);
    for (let i = 0; i < 5; i++) step();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) step();
    res[on ? "on" : "off"]!.push((performance.now() - t0) / N);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!.toFixed(3);
console.log(which, "pool on", med(res.on!), "off", med(res.off!), "ms/step", poolStats, "pooled MB", (pooledByteCount() / 2 ** 20).toFixed(1));
