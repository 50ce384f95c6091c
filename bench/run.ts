// Benchmarks typetorch side by side with PyTorch (if /usr/bin/python3 has torch) and TensorFlow.js
// (if @tensorflow/tfjs is installed), in one run, and reports ratios. Never run by `npm test`.
// usage: npx tsx bench/run.ts
import { spawnSync } from "node:child_process";
import * as torch from "../src/index.js";

type Result = Record<string, number>;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(fn: () => void, reps: number): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    ts.push((performance.now() - t0) / reps);
  }
  return median(ts);
}

function typetorch(): Result {
  const r: Result = {};
  const n = 256;
  const a = torch.randn(n, n), b = torch.randn(n, n);
  r["matmul 256x256, GFLOP/s"] = (2 * n ** 3) / time(() => a.mm(b), 5) / 1e6;
  // one training step of an MLP 784-256-10, batch 128, SGD
  torch.manualSeed(0);
  const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
  const model = new torch.nn.Sequential(new torch.nn.Linear(784, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new torch.nn.CrossEntropyLoss();
  r["MLP 784-256-10 step, ms"] = time(() => {
    opt.zeroGrad();
    lossFn.call(model.call(x), y).backward();
    opt.step();
  }, 5);
  // program 06's loop body (two-layer net with raw tensors)
  const xs = torch.randn(64, 1000), ys = torch.randn(64, 10);
  const w1 = torch.randn(1000, 100, { requiresGrad: true }), w2 = torch.randn(100, 10, { requiresGrad: true });
  r["program 06 iteration, ms"] = time(() => {
    const loss = xs.mm(w1).clamp({ min: 0 }).mm(w2).sub(ys).pow(2).sum();
    loss.backward();
    torch.noGrad(() => {
      w1.sub_(w1.grad!.mul(1e-6));
      w2.sub_(w2.grad!.mul(1e-6));
      w1.grad!.zero_();
      w2.grad!.zero_();
    });
  }, 5);
  return r;
}

const PY = `
import json, time, torch
torch.set_num_threads(1)
def t(fn, reps):
    fn(); out = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps): fn()
        out.append((time.perf_counter() - t0) / reps * 1000)
    return sorted(out)[1]
r = {}
a, b = torch.randn(256, 256), torch.randn(256, 256)
r["matmul 256x256, GFLOP/s"] = 2 * 256**3 / t(lambda: a.mm(b), 50) / 1e6
x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
m = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
opt = torch.optim.SGD(m.parameters(), lr=0.01); lf = torch.nn.CrossEntropyLoss()
def step():
    opt.zero_grad(); lf(m(x), y).backward(); opt.step()
r["MLP 784-256-10 step, ms"] = t(step, 20)
xs, ys = torch.randn(64, 1000), torch.randn(64, 10)
w1 = torch.randn(1000, 100, requires_grad=True); w2 = torch.randn(100, 10, requires_grad=True)
def it():
    loss = xs.mm(w1).clamp(min=0).mm(w2).sub(ys).pow(2).sum(); loss.backward()
    with torch.no_grad():
        w1.sub_(w1.grad * 1e-6); w2.sub_(w2.grad * 1e-6); w1.grad.zero_(); w2.grad.zero_()
r["program 06 iteration, ms"] = t(it, 20)
print(json.dumps(r))
`;

function pytorch(): Result | null {
  const p = spawnSync("/usr/bin/python3", ["-c", PY], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (p.status !== 0) return null;
  return JSON.parse(p.stdout.trim().split("\n").pop()!) as Result;
}

async function tfjs(): Promise<Result | null> {
  try {
    const name = "@tensorflow/tfjs";
    const tf = (await import(name)) as { randomNormal(s: number[]): unknown; matMul(a: unknown, b: unknown): { dataSync(): unknown; dispose(): void } };
    const a = tf.randomNormal([256, 256]), b = tf.randomNormal([256, 256]);
    const ms = time(() => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }, 5);
    return { "matmul 256x256, GFLOP/s": (2 * 256 ** 3) / ms / 1e6 };
  } catch {
    return null;
  }
}

const ours = typetorch();
const pt = pytorch();
const tf = await tfjs();
console.log("figure | typetorch | PyTorch 1.13 (1 thread) | ratio | TensorFlow.js | ratio");
for (const [k, v] of Object.entries(ours)) {
  const higherBetter = k.includes("GFLOP");
  const ratio = (o: number | undefined) => (o === undefined ? "-" : (higherBetter ? v / o : o / v).toFixed(3));
  const p = pt?.[k], t = tf?.[k];
  console.log(`${k} | ${v.toFixed(2)} | ${p?.toFixed(2) ?? "n/a"} | ${ratio(p)} | ${t?.toFixed(2) ?? "not installed"} | ${ratio(t)}`);
}
console.log("ratio: typetorch's speed as a fraction of the other's (1 = as fast; below 1 = slower)");
