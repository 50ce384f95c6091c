// Benchmarks typetorch side by side with PyTorch (/usr/bin/python3 with torch, 1 thread) and
// TensorFlow.js (tfjs-cpu and tfjs-wasm, installed by `cd bench && npm install`) in ONE run, and
// reports ratios. Never run by `npm test`. See bench/README.md.
//
// usage: npx tsx bench/run.ts [--json | --json=FILE] [--libs=typetorch,pytorch,tfjs-cpu,tfjs-wasm]
//   --json       print the raw numbers as JSON on stdout (the table goes to stderr)
//   --json=FILE  write the raw numbers to FILE (the table stays on stdout)
//
// Each library runs in child processes of its own, one after the other: one for the speed figures
// and the checks, one that does nothing but 200 MLP steps, for memory.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TorchNS from "../src/index.js";

// ------------------------------------------------------------------------------------ figures
const F = {
  mm256: "matmul 256x256, GFLOP/s",
  mm1024: "matmul 1024x1024, GFLOP/s",
  mlp: "MLP 784-256-10 b128 SGD step, ms",
  p06: "program 06 iteration (two-layer net), ms",
  p05: "program 05 linreg SGD, 5000 it, ms/iter",
  memPeak: "200 MLP steps: peak RSS, MB",
  memGrowth: "200 MLP steps: RSS growth, MB",
  memHeap: "200 MLP steps: JS heap+external growth, MB",
} as const;
const HIGHER_BETTER = new Set<string>([F.mm256, F.mm1024]);
const LIBS = ["typetorch", "pytorch", "tfjs-cpu", "tfjs-wasm"] as const;
type Lib = (typeof LIBS)[number];

/** What a child process reports. */
interface ChildOut {
  status: "ok" | "not installed";
  version?: string;
  info?: Record<string, string | number | boolean>;
  figures?: Record<string, number>;
  /** the small matmul of matmulCase(), row-major */
  mmSmall?: number[];
  /** MLP losses over the first steps on a fixed batch, fresh model */
  mlpLosses?: number[];
  /** program 06 loss before and after the timed iterations */
  p06Losses?: [number, number];
  /** program 05's final loss after 5000 SGD iterations (PyTorch's program prints 2.9276...) */
  p05Loss?: number;
  warnings?: string[];
}
interface LibResult extends Omit<ChildOut, "status"> {
  lib: Lib;
  status: ChildOut["status"] | "skipped";
  /** why its child process failed (its columns then read "failed") */
  error?: string;
}

// ------------------------------------------------------------------------------------ helpers
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** ms per call of fn: warm up (>= 1 call, ~100 ms), then 3 samples of >= ~200 ms each; the median. */
function time(fn: () => void, sampleMs = 200): number {
  let n = 0;
  const t0 = performance.now();
  do { fn(); n++; } while (performance.now() - t0 < 100);
  const est = (performance.now() - t0) / n;
  const reps = Math.max(1, Math.ceil(sampleMs / est));
  const ts: number[] = [];
  for (let s = 0; s < 3; s++) {
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    ts.push((performance.now() - t1) / reps);
  }
  return median(ts);
}
const gflops = (n: number, ms: number) => (2 * n ** 3) / ms / 1e6;

/** The small matmul sanity case, the same in every library: A (9x13) @ B (13x11). */
const MM = { m: 9, k: 13, n: 11 };
function matmulCase(): { a: number[]; b: number[] } {
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < MM.m; i++) for (let j = 0; j < MM.k; j++) a.push(Math.sin(0.7 * i + 1.3 * j));
  for (let i = 0; i < MM.k; i++) for (let j = 0; j < MM.n; j++) b.push(Math.cos(0.5 * i - 0.9 * j));
  return { a, b };
}
function matmulRef(): number[] {
  const { a, b } = matmulCase();
  const c: number[] = [];
  for (let i = 0; i < MM.m; i++)
    for (let j = 0; j < MM.n; j++) {
      let s = 0;
      for (let p = 0; p < MM.k; p++) s += a[i * MM.k + p]! * b[p * MM.n + j]!;
      c.push(s);
    }
  return c;
}
// program 04/05's data
const T_Y = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
const T_X = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];
const P05_LOSS = 2.9276468753814697; // ../shared/programs/05_linreg_autograd_optim.out, "SGD" line
const MEM_STEPS = 200;
const MLP_CHECK_STEPS = 5;

function rssMB(): number { return process.memoryUsage().rss / 2 ** 20; }
function heapMB(): number { const m = process.memoryUsage(); return (m.heapUsed + m.external) / 2 ** 20; }
/** Runs `step` MEM_STEPS times, sampling memory; figures in MB. */
function memRun(step: () => void): Record<string, number> {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  const rss0 = rssMB(), heap0 = heapMB();
  let peak = rss0;
  for (let i = 0; i < MEM_STEPS; i++) {
    step();
    peak = Math.max(peak, rssMB());
  }
  g.gc?.();
  return {
    [F.memPeak]: process.resourceUsage().maxRSS / 1024,
    [F.memGrowth]: peak - rss0,
    [F.memHeap]: heapMB() - heap0,
  };
}

// ------------------------------------------------------------------------------------ typetorch
async function typetorch(mode: "speed" | "mem"): Promise<ChildOut> {
  const torch: typeof TorchNS = await import("../src/index.js");
  const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
  type Tensor = TorchNS.Tensor;
  const { nn, optim } = torch;
  torch.manualSeed(0);
  // the MLP, as a user writes it: modules are callable
  const mlp = () => {
    const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
    return () => {
      opt.zeroGrad();
      const loss = lossFn(model(x), y) as Tensor;
      loss.backward();
      opt.step();
      return loss;
    };
  };
  if (mode === "mem") {
    const step = mlp();
    return { status: "ok", version, figures: memRun(() => { step(); }) };
  }
  const figures: Record<string, number> = {};
  for (const n of [256, 1024]) {
    const a = torch.randn(n, n), b = torch.randn(n, n);
    figures[n === 256 ? F.mm256 : F.mm1024] = gflops(n, time(() => { a.mm(b); }));
  }
  const { a: ma, b: mb } = matmulCase();
  const mmSmall = Array.from(torch.tensor(ma).view(MM.m, MM.k).mm(torch.tensor(mb).view(MM.k, MM.n)).dataSync());

  const check = mlp();
  const mlpLosses: number[] = [];
  for (let i = 0; i < MLP_CHECK_STEPS; i++) mlpLosses.push(check().item());
  const step = mlp();
  figures[F.mlp] = time(() => { step(); });

  // program 06's loop body (two-layer net with raw tensors)
  const xs = torch.randn(64, 1000), ys = torch.randn(64, 10);
  const w1 = torch.randn(1000, 100, { requiresGrad: true }), w2 = torch.randn(100, 10, { requiresGrad: true });
  const lossOf = () => xs.mm(w1).clamp({ min: 0 }).mm(w2).sub(ys).pow(2).sum();
  const before = torch.noGrad(() => lossOf().item());
  figures[F.p06] = time(() => {
    const loss = lossOf();
    loss.backward();
    torch.noGrad(() => {
      w1.sub_(w1.grad!.mul(1e-6));
      w2.sub_(w2.grad!.mul(1e-6));
      w1.grad!.zero_();
      w2.grad!.zero_();
    });
  });
  const after = torch.noGrad(() => lossOf().item());

  // program 05: linear regression on 11 numbers, autograd + optim.SGD, 5000 iterations
  const tY = torch.tensor(T_Y), tXn = torch.tensor(T_X).mul(0.1);
  const model = (x: Tensor, w: Tensor, b: Tensor) => w.mul(x).add(b);
  const lossFn = (y: Tensor, p: Tensor) => y.sub(p).pow(2).mean();
  const train = (epochs: number) => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const opt = new optim.SGD([params], { lr: 1e-2 });
    let loss = params;
    for (let e = 0; e < epochs; e++) {
      opt.zeroGrad();
      const [w, b] = params;
      loss = lossFn(tY, model(tXn, w!, b!));
      loss.backward();
      opt.step();
    }
    return loss.item();
  };
  const r = p05(train);
  figures[F.p05] = r.msPerIter;
  return { status: "ok", version, figures, mmSmall, mlpLosses, p06Losses: [before, after], p05Loss: r.loss };
}

/** Times program 05's training: one short warm-up, then the median of 3 full 5000-iteration runs. */
function p05(train: (epochs: number) => number): { msPerIter: number; loss: number } {
  train(500);
  const ts: number[] = [];
  let loss = NaN;
  for (let s = 0; s < 3; s++) {
    const t0 = performance.now();
    loss = train(5000);
    ts.push((performance.now() - t0) / 5000);
  }
  return { msPerIter: median(ts), loss };
}

// ------------------------------------------------------------------------------------ TensorFlow.js
// Local structural types: tfjs is not a dependency of the library, only of bench/package.json.
interface TfTensor { dataSync(): ArrayLike<number>; dispose(): void; readonly shape: number[] }
interface TfVariable extends TfTensor { assign(t: TfTensor): void; readonly name: string }
interface TfOptimizer { minimize(f: () => TfTensor, returnCost?: boolean, varList?: TfVariable[]): TfTensor | null; dispose(): void }
interface TF {
  version: Record<string, string>;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  env(): { getAsync(flag: string): Promise<unknown> };
  memory(): { numTensors: number; numBytes: number };
  tidy<T extends TfTensor | void>(f: () => T): T;
  tensor(values: number[], shape?: number[], dtype?: string): TfTensor;
  randomNormal(shape: number[]): TfTensor;
  randomUniform(shape: number[], min: number, max: number): TfTensor;
  variable(t: TfTensor): TfVariable;
  matMul(a: TfTensor, b: TfTensor): TfTensor;
  add(a: TfTensor, b: TfTensor): TfTensor;
  sub(a: TfTensor, b: TfTensor): TfTensor;
  mul(a: TfTensor, b: TfTensor | number): TfTensor;
  relu(a: TfTensor): TfTensor;
  square(a: TfTensor): TfTensor;
  sum(a: TfTensor): TfTensor;
  mean(a: TfTensor): TfTensor;
  unstack(a: TfTensor): TfTensor[];
  oneHot(indices: TfTensor, depth: number): TfTensor;
  losses: { softmaxCrossEntropy(onehotLabels: TfTensor, logits: TfTensor): TfTensor };
  train: { sgd(lr: number): TfOptimizer };
  variableGrads(f: () => TfTensor, varList?: TfVariable[]): { value: TfTensor; grads: Record<string, TfTensor> };
}
interface TfWasm { setWasmPaths(prefix: string): void; getThreadsCount(): number; version_wasm: string }

const isNotFound = (e: unknown) => (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND";

async function tfjs(backend: "cpu" | "wasm", mode: "speed" | "mem"): Promise<ChildOut> {
  let tf: TF;
  const info: Record<string, string | number | boolean> = {};
  try {
    const name = "@tensorflow/tfjs"; // a variable, so that tsc does not need it installed
    tf = (await import(name)) as TF;
    if (backend === "wasm") {
      const wname = "@tensorflow/tfjs-backend-wasm";
      const wasm = (await import(wname)) as TfWasm;
      // the .wasm files sit beside the package's node entry point (dist/)
      const dir = dirname(createRequire(import.meta.url).resolve(wname));
      wasm.setWasmPaths(dir + "/");
      if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
      await tf.ready();
      const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      const mt = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
      info.simd = simd;
      info.multithreadSupported = mt;
      info.threads = wasm.getThreadsCount();
      info.binary = simd && mt ? "tfjs-backend-wasm-threaded-simd.wasm" : simd ? "tfjs-backend-wasm-simd.wasm" : "tfjs-backend-wasm.wasm";
    } else {
      if (!(await tf.setBackend("cpu"))) throw new Error("tf.setBackend('cpu') failed");
      await tf.ready();
    }
  } catch (e) {
    if (isNotFound(e)) return { status: "not installed" };
    throw e;
  }
  info.backend = tf.getBackend();
  const version = tf.version["tfjs-core"] ?? "?";
  const warnings: string[] = [];
  const int32 = (xs: number[], shape: number[]) => tf.tensor(xs, shape, "int32");

  // the MLP, the natural TF.js way: tf.variable weights, softmax cross-entropy, optimizer.minimize
  const mlp = () => {
    const u = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
    const w1 = u([784, 256], 784), b1 = u([256], 784), w2 = u([256, 10], 256), b2 = u([10], 256);
    const opt = tf.train.sgd(0.01);
    const x = tf.randomNormal([128, 784]);
    const labels = Array.from({ length: 128 }, () => Math.floor(Math.random() * 10));
    const y = tf.tidy(() => tf.oneHot(int32(labels, [128]), 10));
    const f = () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
    return (returnCost = false) => opt.minimize(f, returnCost);
  };
  if (mode === "mem") {
    const step = mlp();
    const n0 = tf.memory().numTensors;
    const figures = memRun(() => { step(); });
    if (tf.memory().numTensors !== n0) warnings.push(`tfjs-${backend}: MLP steps leak tensors (${n0} -> ${tf.memory().numTensors})`);
    return { status: "ok", version, info, figures, warnings };
  }

  const figures: Record<string, number> = {};
  for (const n of [256, 1024]) {
    const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
    figures[n === 256 ? F.mm256 : F.mm1024] = gflops(n, time(() => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }));
    a.dispose(); b.dispose();
  }
  const { a: ma, b: mb } = matmulCase();
  const mmT = tf.tidy(() => tf.matMul(tf.tensor(ma, [MM.m, MM.k]), tf.tensor(mb, [MM.k, MM.n])));
  const mmSmall = Array.from(mmT.dataSync());
  mmT.dispose();

  const check = mlp();
  const mlpLosses: number[] = [];
  for (let i = 0; i < MLP_CHECK_STEPS; i++) {
    const l = check(true)!;
    mlpLosses.push(l.dataSync()[0]!);
    l.dispose();
  }
  const step = mlp();
  const n0 = tf.memory().numTensors;
  figures[F.mlp] = time(() => { step(); });
  if (tf.memory().numTensors !== n0) warnings.push(`tfjs-${backend}: MLP steps leak tensors`);

  // program 06: tf.variable weights, tf.variableGrads, assign
  const xs = tf.randomNormal([64, 1000]), ys = tf.randomNormal([64, 10]);
  const w1 = tf.variable(tf.randomNormal([1000, 100])), w2 = tf.variable(tf.randomNormal([100, 10]));
  const lossOf = () => tf.sum(tf.square(tf.sub(tf.matMul(tf.relu(tf.matMul(xs, w1)), w2), ys)));
  const scalar = (f: () => TfTensor) => { const t = tf.tidy(f); const v = t.dataSync()[0]!; t.dispose(); return v; };
  const before = scalar(lossOf);
  const n1 = tf.memory().numTensors;
  figures[F.p06] = time(() => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(lossOf, [w1, w2]);
      w1.assign(tf.sub(w1, tf.mul(grads[w1.name]!, 1e-6)));
      w2.assign(tf.sub(w2, tf.mul(grads[w2.name]!, 1e-6)));
    });
  });
  if (tf.memory().numTensors !== n1) warnings.push(`tfjs-${backend}: program 06 iterations leak tensors`);
  const after = scalar(lossOf);

  // program 05: tf.variable params, optimizer.minimize
  const tY = tf.tensor(T_Y), tXn = tf.tidy(() => tf.mul(tf.tensor(T_X), 0.1));
  const train = (epochs: number) => {
    const init = tf.tensor([1.0, 0.0]);
    const params = tf.variable(init);
    init.dispose();
    const opt = tf.train.sgd(1e-2);
    const f = () => {
      const [w, b] = tf.unstack(params);
      return tf.mean(tf.square(tf.sub(tY, tf.add(tf.mul(w!, tXn), b!))));
    };
    for (let e = 0; e < epochs - 1; e++) opt.minimize(f);
    const last = opt.minimize(f, true)!;
    const v = last.dataSync()[0]!;
    last.dispose();
    params.dispose();
    opt.dispose();
    return v;
  };
  const n2 = tf.memory().numTensors;
  const r = p05(train);
  if (tf.memory().numTensors !== n2) warnings.push(`tfjs-${backend}: program 05 iterations leak tensors`);
  figures[F.p05] = r.msPerIter;
  return { status: "ok", version, info, figures, mmSmall, mlpLosses, p06Losses: [before, after], p05Loss: r.loss, warnings };
}

// ------------------------------------------------------------------------------------ PyTorch
const PY = `
import json, sys, time, math, resource
try:
    import torch
except ImportError:
    print(json.dumps({"status": "not installed"})); sys.exit(0)
torch.set_num_threads(1)
torch.manual_seed(0)
F = json.loads(sys.argv[2])
def rss_mb():
    with open("/proc/self/statm") as f: return int(f.read().split()[1]) * resource.getpagesize() / 2**20
def mlp():
    m = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(m.parameters(), lr=0.01); lf = torch.nn.CrossEntropyLoss()
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    def step():
        opt.zero_grad(); loss = lf(m(x), y); loss.backward(); opt.step(); return loss
    return step
out = {"status": "ok", "version": torch.__version__, "info": {"threads": torch.get_num_threads()}}
if sys.argv[1] == "mem":
    step = mlp(); rss0 = rss_mb(); peak = rss0
    for _ in range(${MEM_STEPS}):
        step(); peak = max(peak, rss_mb())
    out["figures"] = {F["memPeak"]: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, F["memGrowth"]: peak - rss0}
    print(json.dumps(out)); sys.exit(0)
def t(fn, sample_ms=200):
    n = 0; t0 = time.perf_counter()
    while True:
        fn(); n += 1
        if (time.perf_counter() - t0) * 1000 >= 100: break
    reps = max(1, math.ceil(sample_ms / ((time.perf_counter() - t0) * 1000 / n)))
    ts = []
    for _ in range(3):
        t1 = time.perf_counter()
        for _ in range(reps): fn()
        ts.append((time.perf_counter() - t1) / reps * 1000)
    return sorted(ts)[1]
fig = {}
for n, k in ((256, "mm256"), (1024, "mm1024")):
    a, b = torch.randn(n, n), torch.randn(n, n)
    fig[F[k]] = 2 * n**3 / t(lambda: a.mm(b)) / 1e6
m_, k_, n_ = ${MM.m}, ${MM.k}, ${MM.n}
A = torch.tensor([[math.sin(0.7 * i + 1.3 * j) for j in range(k_)] for i in range(m_)])
B = torch.tensor([[math.cos(0.5 * i - 0.9 * j) for j in range(n_)] for i in range(k_)])
out["mmSmall"] = A.mm(B).flatten().tolist()
check = mlp()
out["mlpLosses"] = [check().item() for _ in range(${MLP_CHECK_STEPS})]
step = mlp()
fig[F["mlp"]] = t(step)
xs, ys = torch.randn(64, 1000), torch.randn(64, 10)
w1 = torch.randn(1000, 100, requires_grad=True); w2 = torch.randn(100, 10, requires_grad=True)
loss_of = lambda: xs.mm(w1).clamp(min=0).mm(w2).sub(ys).pow(2).sum()
with torch.no_grad(): before = loss_of().item()
def it():
    loss = loss_of(); loss.backward()
    with torch.no_grad():
        w1.sub_(w1.grad * 1e-6); w2.sub_(w2.grad * 1e-6); w1.grad.zero_(); w2.grad.zero_()
fig[F["p06"]] = t(it)
with torch.no_grad(): after = loss_of().item()
out["p06Losses"] = [before, after]
t_y = torch.tensor(${JSON.stringify(T_Y)}); t_xn = torch.tensor(${JSON.stringify(T_X)}) * 0.1
def train(epochs):
    params = torch.tensor([1.0, 0.0], requires_grad=True)
    opt = torch.optim.SGD([params], lr=1e-2)
    for _ in range(epochs):
        opt.zero_grad(); w, b = params
        loss = ((t_y - (w * t_xn + b)) ** 2).mean(); loss.backward(); opt.step()
    return loss.item()
train(500); ts = []
for _ in range(3):
    t0 = time.perf_counter(); loss = train(5000); ts.append((time.perf_counter() - t0) / 5000 * 1000)
fig[F["p05"]] = sorted(ts)[1]; out["p05Loss"] = loss
out["figures"] = fig
print(json.dumps(out))
`;

// ------------------------------------------------------------------------------------ children
const SELF = fileURLToPath(import.meta.url);

function spawnChild(lib: Lib, mode: "speed" | "mem"): ChildOut {
  const p =
    lib === "pytorch"
      ? spawnSync("/usr/bin/python3", ["-c", PY, mode, JSON.stringify(F)], {
        encoding: "utf8", timeout: 900_000, maxBuffer: 1 << 26,
        env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
      })
      : spawnSync(process.execPath, [...process.execArgv, "--expose-gc", SELF, "--child", lib, mode], {
        encoding: "utf8", timeout: 900_000, maxBuffer: 1 << 26,
      });
  if (p.error && (p.error as { code?: string }).code === "ENOENT") return { status: "not installed" };
  const last = (p.stdout ?? "").trim().split("\n").pop() ?? "";
  if (p.status === 0 && last.startsWith("{")) return JSON.parse(last) as ChildOut;
  const why = p.signal ? `killed by ${p.signal}` : `exit ${p.status}`;
  const tail = `${p.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n");
  throw new Error(`${lib} ${mode} child failed (${why}):\n${tail}`);
}

async function child(lib: Lib, mode: "speed" | "mem"): Promise<void> {
  const out = lib === "typetorch" ? await typetorch(mode) : await tfjs(lib === "tfjs-cpu" ? "cpu" : "wasm", mode);
  process.stdout.write("\n" + JSON.stringify(out) + "\n");
}

// ------------------------------------------------------------------------------------ report
function checks(r: LibResult, ref: number[]): string[] {
  const w: string[] = [...(r.warnings ?? [])];
  if (r.status !== "ok" || r.error) return w;
  const name = r.lib;
  if (r.mmSmall) {
    const err = Math.max(...r.mmSmall.map((v, i) => Math.abs(v - ref[i]!)));
    if (!(err < 1e-4) || r.mmSmall.length !== ref.length) w.push(`${name}: small matmul disagrees with the float64 reference (max abs error ${err})`);
  }
  const l = r.mlpLosses;
  if (l && !(l.length > 1 && l.every((v) => Number.isFinite(v)) && l[l.length - 1]! < l[0]!))
    w.push(`${name}: the MLP step does not reduce the loss over ${l.length} steps: ${l.map((v) => v.toFixed(4)).join(" -> ")}`);
  const p = r.p06Losses;
  if (p && !(Number.isFinite(p[1]) && p[1] < p[0]))
    w.push(`${name}: program 06 iterations do not reduce the loss (${p[0]} -> ${p[1]})`);
  if (r.p05Loss !== undefined && !(Math.abs(r.p05Loss - P05_LOSS) < 1e-3))
    w.push(`${name}: program 05 ends at loss ${r.p05Loss}, PyTorch's program prints ${P05_LOSS}`);
  return w;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
function cell(r: LibResult, k: string): string {
  if (r.status === "skipped") return "skipped";
  if (r.status === "not installed") return "not installed";
  const v = r.figures?.[k];
  if (v === undefined && r.error) return "failed";
  return v === undefined ? "n/a" : fmt(v);
}
function ratio(ours: LibResult, other: LibResult, k: string): string {
  const a = ours.figures?.[k], b = other.figures?.[k];
  if (a === undefined || b === undefined) return "-";
  if (k === F.memHeap) return "-"; // growth near 0 makes a ratio meaningless
  const r = HIGHER_BETTER.has(k) ? a / b : b / a;
  return Number.isFinite(r) ? (r >= 10 ? r.toFixed(1) : r.toFixed(3)) : "-";
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonArg = args.find((a) => a === "--json" || a.startsWith("--json="));
  const libsArg = args.find((a) => a.startsWith("--libs="));
  const wanted = new Set(libsArg ? libsArg.slice(7).split(",") : LIBS);
  const log = jsonArg === "--json" ? console.error : console.log;

  const results: LibResult[] = [];
  for (const lib of LIBS) {
    const r: LibResult = { lib, status: "not installed" };
    if (!wanted.has(lib)) { results.push({ lib, status: "skipped" }); continue; }
    try {
      process.stderr.write(`${lib}: speed... `);
      const s = spawnChild(lib, "speed");
      Object.assign(r, s);
    } catch (e) {
      r.status = "ok";
      r.error = (e as Error).message;
    }
    if (r.status === "ok") {
      try {
        process.stderr.write("memory... ");
        const m = spawnChild(lib, "mem");
        r.figures = { ...r.figures, ...m.figures };
        r.warnings = [...(r.warnings ?? []), ...(m.warnings ?? [])];
      } catch (e) {
        r.warnings = [...(r.warnings ?? []), (e as Error).message];
      }
    }
    process.stderr.write(r.error ? "FAILED\n" : r.status === "ok" ? "done\n" : "not installed\n");
    results.push(r);
  }
  const ref = matmulRef();
  const by = Object.fromEntries(results.map((r) => [r.lib, r])) as Record<Lib, LibResult>;
  const ours = by.typetorch;
  const ver = (r: LibResult) => (r.version ? ` ${r.version}` : "");
  const wasmInfo = by["tfjs-wasm"].info;
  const wasmDesc = wasmInfo ? ` (${wasmInfo.simd ? "SIMD" : "no SIMD"}, ${wasmInfo.threads} thread${wasmInfo.threads === 1 ? "" : "s"})` : "";

  const lines: string[] = [];
  lines.push(`| figure | typetorch${ver(ours)} | PyTorch${ver(by.pytorch)} (1 thread) | ratio | tfjs-cpu${ver(by["tfjs-cpu"])} | ratio | tfjs-wasm${ver(by["tfjs-wasm"])}${wasmDesc} | ratio |`);
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const k of Object.values(F)) {
    const row = [k, cell(ours, k)];
    for (const other of [by.pytorch, by["tfjs-cpu"], by["tfjs-wasm"]]) row.push(cell(other, k), ratio(ours, other, k));
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("");
  lines.push("ratio: typetorch's speed (or memory economy) as a fraction of the other's: 1 = as fast (as lean), below 1 = slower (uses more).");
  lines.push(`machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Node ${process.version}; each library in its own child processes, one after the other.`);
  if (wasmInfo)
    lines.push(`tfjs-wasm runs ${wasmInfo.binary} with ${wasmInfo.threads} thread(s)` +
      (wasmInfo.multithreadSupported ? "." : " (its WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node, so no threaded build)."));
  const warnings = results.flatMap((r) => checks(r, ref));
  for (const r of results) if (r.error) warnings.push(r.error);
  const checked = results.filter((r) => r.status === "ok" && !r.error).map((r) => r.lib);
  lines.push(`checks (small matmul vs float64 reference, MLP loss falls over ${MLP_CHECK_STEPS} steps, program 06 loss falls, program 05 ends at ${P05_LOSS.toFixed(4)}): ` +
    (warnings.length > 0 ? `${warnings.length} warning(s)` : checked.length ? `all passed for ${checked.join(", ")}` : "no library ran"));
  for (const w of warnings) lines.push(`WARNING: ${w}`);
  log(lines.join("\n"));

  const raw = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
    figures: Object.values(F),
    higherIsBetter: [...HIGHER_BETTER],
    results,
    warnings,
  };
  if (jsonArg === "--json") console.log(JSON.stringify(raw, null, 2));
  else if (jsonArg) writeFileSync(jsonArg.slice(7), JSON.stringify(raw, null, 2) + "\n");
}

const ci = process.argv.indexOf("--child");
if (ci >= 0) await child(process.argv[ci + 1] as Lib, process.argv[ci + 2] as "speed" | "mem");
else await main();
