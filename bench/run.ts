// Benchmarks typetorch side by side with PyTorch (/usr/bin/python3 with torch, the better of 1 and 2
// threads for each figure) and TensorFlow.js (tfjs-cpu and tfjs-wasm, installed by
// `cd bench && npm install`) in ONE run, and reports ratios. Never run by `npm test`. See
// bench/README.md.
//
// usage: npx tsx bench/run.ts [--json | --json=FILE] [--libs=typetorch,pytorch,tfjs-cpu,tfjs-wasm] [--tfjs-10k]
//        node --import tsx bench/run.ts ...      (any Node: the children run under the same binary)
//   --json       print the raw numbers as JSON on stdout (the table goes to stderr)
//   --json=FILE  write the raw numbers to FILE (the table stays on stdout)
//   --tfjs-10k   also run TF.js's 10,000-step memory child (tfjs-wasm ~10 min, tfjs-cpu ~30 min)
//
// Each library runs in child processes of its own, one after the other, each child doing one job:
// "speed" (every timed figure and the checks), "mem" (200 MLP steps, for memory), "long" (10,000
// MLP steps: peak RSS and whether RSS stays flat) and "fashion" (the demo's Fashion-MNIST epochs).
// PyTorch runs each child twice, with 1 and with 2 threads; each figure takes the better.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TorchNS from "../src/index.js";

// ------------------------------------------------------------------------------------ figures
const F = {
  mm256: "matmul 256x256, GFLOP/s",
  mm1024: "matmul 1024x1024, GFLOP/s",
  mlp: "MLP 784-256-10 b128 SGD step, ms",
  mlpCold: "MLP step, first 200 of a fresh process, ms",
  cnn: "CNN (MNIST net) b64 SGD step, ms",
  p06: "program 06 iteration (two-layer net), ms",
  p05: "program 05 linreg SGD, 5000 it, ms/iter",
  ew: "a*b+a, 4M float32, ms",
  sum: "sum of 16M float32, ms",
  fashion: "Fashion-MNIST epoch (demo's MLP), s",
  memPeak: "200 MLP steps: peak RSS, MB",
  memGrowth: "200 MLP steps: RSS growth, MB",
  memHeap: "200 MLP steps: JS heap+external growth, MB",
  longPeak: "10,000 MLP steps: peak RSS, MB",
  longGrowth: "10,000 MLP steps: RSS growth, step 1000 -> 10000, MB",
  longTime: "10,000 MLP steps: time, s",
} as const;
type FigureKey = keyof typeof F;
const HIGHER_BETTER = new Set<string>([F.mm256, F.mm1024]);
/** Figures near 0 (or negative) by design, where a ratio means nothing. */
const NO_RATIO = new Set<string>([F.memHeap, F.longGrowth]);
const LIBS = ["typetorch", "pytorch", "tfjs-cpu", "tfjs-wasm"] as const;
type Lib = (typeof LIBS)[number];
const MODES = ["speed", "mem", "long", "fashion"] as const;
type Mode = (typeof MODES)[number];
/** The figures each kind of child measures (a failed child turns these cells to "failed"). */
const MODE_FIGS: Record<Mode, FigureKey[]> = {
  speed: ["mm256", "mm1024", "mlp", "cnn", "p06", "p05", "ew", "sum"],
  mem: ["mlpCold", "memPeak", "memGrowth", "memHeap"],
  long: ["longPeak", "longGrowth", "longTime"],
  fashion: ["fashion"],
};
const PY_THREADS = [1, 2] as const;
/**
 * NOTE: PyTorch's memory children (mem, long) run with 1 thread only: a second thread can only add
 * its stack and buffers to the RSS, and on a busy 2-core machine 2-thread PyTorch waits at every
 * parallel region, so 10,000 steps took more than 15 minutes there. Their time row is 1 thread's.
 */
const PY_THREADS_BY_MODE: Record<Mode, readonly number[]> = { speed: PY_THREADS, fashion: PY_THREADS, mem: [1], long: [1] };

/** What a child process reports. */
interface ChildOut {
  status: "ok" | "not installed";
  version?: string;
  info?: Record<string, string | number | boolean>;
  figures?: Record<string, number>;
  /** the text of a cell that has no number, by figure name ("no data", "not run") */
  notes?: Record<string, string>;
  /** a remark appended to a cell's number, by figure name ("im2col") */
  marks?: Record<string, string>;
  /** the small matmul of matmulCase(), row-major */
  mmSmall?: number[];
  /** MLP losses over the first steps on a fixed batch, fresh model */
  mlpLosses?: number[];
  /** CNN losses over the first steps on a fixed batch, fresh model */
  cnnLosses?: number[];
  /** program 06 loss before and after the timed iterations */
  p06Losses?: [number, number];
  /** program 05's final loss after 5000 SGD iterations (PyTorch's program prints 2.9276...) */
  p05Loss?: number;
  /** a*b+a over the 4M elements against float64: the largest |c - ref| / (|a*b| + |a|) */
  ew?: { n: number; maxRelErr: number };
  /** sum of the 16M elements: the library's value, the float64 sum, and the sum of |x| */
  sum?: { n: number; value: number; ref: number; absSum: number };
  /** the 10,000-step child: the last step's loss */
  long?: { steps: number; lastLoss: number; heapMB?: [number, number] };
  /** the Fashion-MNIST child: each epoch's time (s), last batch loss and test accuracy */
  fashion?: { root: string; noData?: string; loadS?: number; epochs?: { s: number; loss: number; acc: number }[] };
  warnings?: string[];
  /** the child's CPU time (user + system, all its threads), s: on a busy machine, what its wall time would be alone */
  cpuS?: number;
}
interface Run {
  label: string; mode: Mode; threads?: number; wallS: number; out?: ChildOut; error?: string;
  /** a PyTorch 2-thread child stopped once it had taken 3x the 1-thread child's time (it lost) */
  cutS?: number;
}
interface LibResult {
  lib: Lib;
  status: ChildOut["status"] | "skipped";
  version?: string;
  info: Record<string, string | number | boolean>;
  figures: Record<string, number>;
  notes: Record<string, string>;
  marks: Record<string, string>;
  runs: Run[];
}

// ------------------------------------------------------------------------------------ helpers
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/**
 * How long each timed figure warms up first, ms (every library alike).
 * NOTE: a second, not 100 ms: V8 keeps tiering typetorch's JavaScript up (and its background compiler
 * keeps taking the second core from the matmul worker) for the first ~200-300 MLP steps, ~1 s; timed
 * from 100 ms the MLP step read 30-50% slower than from step 300 on. The timed figures are the steady
 * state; the cold start has a row of its own (mlpCold, from the memory child's 200 steps).
 */
const WARM_MS = 1000;
/** ms per call of fn: warm up (>= 1 call, WARM_MS), then 3 samples of >= ~200 ms each; the median. */
function time(fn: () => void, sampleMs = 200): number {
  let n = 0;
  const t0 = performance.now();
  do { fn(); n++; } while (performance.now() - t0 < WARM_MS);
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
/**
 * ms per call of a slow fn (the CNN step, >= ~100 ms): calls it until WARM_MS have passed since
 * `since` (the check steps count), then the median of 3 single calls.
 */
function timeEach(fn: () => void, since: number): number {
  while (performance.now() - since < WARM_MS) fn();
  const ts: number[] = [];
  for (let s = 0; s < 3; s++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
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
const LONG_STEPS = 10_000;
/** the 10,000-step run's growth: highest RSS in steps LONG_FROM+1..LONG_STEPS minus highest in 1..LONG_FROM */
const LONG_FROM = 1_000;
const MLP_CHECK_STEPS = 5;
const CNN_CHECK_STEPS = 3;
const EW_N = 4 * 1024 * 1024;
const SUM_N = 16 * 1024 * 1024;
/**
 * NOTE: a*b+a rounded twice in float32 is off by at most 2u(|a*b| + |a|), u = 2^-24 = 6e-8
 * (a fused multiply-add or a*(b+1) stays within it too): 3e-7 leaves a little room.
 */
const EW_TOL = 3e-7;
/**
 * NOTE: a float32 sum of n terms, added pairwise or in blocks, is off by about u*log2(n)*sum|x| at
 * worst (1.4e-6 for 16M) and far less in practice; a plain running float32 sum of randn values
 * stays within it too, since its partial sums stay near sqrt(n). 1e-6*sum|x| catches a wrong sum
 * (a dropped block, a double-counted one) without tripping on the order of additions.
 */
const SUM_TOL = 1e-6;
const FASHION_EPOCHS = 2;
/** the reference script reaches about 0.83 test accuracy after two epochs; below this, something broke */
const FASHION_MIN_ACC = 0.75;
const FASHION_ROOT = process.env.FASHION_MNIST_DIR ?? "/usr/share/datasets/fashion-mnist";
const FASHION_FILES = ["train-images", "train-labels", "t10k-images", "t10k-labels"];

/** The Fashion-MNIST files, found as examples/fashion_mnist.ts finds them, or why not. */
function fashionFiles(): { files?: Record<string, string>; noData?: string } {
  if (!existsSync(FASHION_ROOT)) return { noData: `no folder ${FASHION_ROOT}` };
  const names = readdirSync(FASHION_ROOT).sort();
  const files: Record<string, string> = {};
  for (const p of FASHION_FILES) {
    const f = names.find((n) => n.startsWith(p));
    if (!f) return { noData: `no ${p}* file in ${FASHION_ROOT}` };
    files[p] = join(FASHION_ROOT, f);
  }
  return { files };
}

const rssMB: () => number = process.memoryUsage.rss ? () => process.memoryUsage.rss() / 2 ** 20 : () => process.memoryUsage().rss / 2 ** 20;
function heapMB(): number { const m = process.memoryUsage(); return (m.heapUsed + m.external) / 2 ** 20; }
/**
 * Runs `step` MEM_STEPS times, sampling memory (figures in MB), and times them: the cold start of a
 * fresh process, JIT warm-up included (ms per step).
 */
function memRun(step: () => void): Record<string, number> {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  const rss0 = rssMB(), heap0 = heapMB();
  let peak = rss0;
  const t0 = performance.now();
  for (let i = 0; i < MEM_STEPS; i++) {
    step();
    peak = Math.max(peak, rssMB());
  }
  const cold = (performance.now() - t0) / MEM_STEPS;
  g.gc?.();
  return {
    [F.mlpCold]: cold,
    [F.memPeak]: process.resourceUsage().maxRSS / 1024,
    [F.memGrowth]: peak - rss0,
    [F.memHeap]: heapMB() - heap0,
  };
}
/**
 * Runs `step` LONG_STEPS times, sampling RSS after each; returns the figures, the last step's result
 * and, to tell a leak from a lazy GC, heapUsed + external after a full GC at step LONG_FROM and at
 * the end (the GC at LONG_FROM, a few ms, is not timed).
 */
function longRun<T>(step: () => T): { figures: Record<string, number>; last: T; heapMB: [number, number] } {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  let peakEarly = 0, peakLate = 0, last: T | undefined, heap0 = NaN, gcMs = 0;
  const t0 = performance.now();
  for (let i = 1; i <= LONG_STEPS; i++) {
    last = step();
    const r = rssMB();
    if (i <= LONG_FROM) peakEarly = Math.max(peakEarly, r);
    else peakLate = Math.max(peakLate, r);
    if (i === LONG_FROM) { const g = performance.now(); gc(); heap0 = heapMB(); gcMs = performance.now() - g; }
  }
  const s = (performance.now() - t0 - gcMs) / 1000;
  gc();
  return {
    figures: { [F.longPeak]: process.resourceUsage().maxRSS / 1024, [F.longGrowth]: peakLate - peakEarly, [F.longTime]: s },
    last: last!,
    heapMB: [heap0, heapMB()],
  };
}
/** a*b+a checked element by element against float64 (NaN if any element is NaN). */
function ewCheck(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>): { n: number; maxRelErr: number } {
  let m = 0;
  for (let i = 0; i < c.length; i++) {
    const ab = a[i]! * b[i]!;
    const e = Math.abs(c[i]! - (ab + a[i]!)) / Math.max(Math.abs(ab) + Math.abs(a[i]!), 1e-30);
    if (Number.isNaN(e)) return { n: c.length, maxRelErr: NaN };
    if (e > m) m = e;
  }
  return { n: c.length, maxRelErr: a.length === c.length && b.length === c.length ? m : NaN };
}
function sumCheck(x: ArrayLike<number>, value: number): { n: number; value: number; ref: number; absSum: number } {
  let ref = 0, absSum = 0;
  for (let i = 0; i < x.length; i++) { ref += x[i]!; absSum += Math.abs(x[i]!); }
  return { n: x.length, value, ref, absSum };
}

// ------------------------------------------------------------------------------------ typetorch
async function typetorch(mode: Mode): Promise<ChildOut> {
  const torch: typeof TorchNS = await import("../src/index.js");
  const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
  const info: Record<string, string | number | boolean> = { backend: torch.getBackend().name, numThreads: torch.getNumThreads() };
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
    return { status: "ok", version, info, figures: memRun(() => { step(); }) };
  }
  if (mode === "long") {
    const r = longRun(mlp());
    return { status: "ok", version, info, figures: r.figures, long: { steps: LONG_STEPS, lastLoss: r.last.item(), heapMB: r.heapMB } };
  }
  if (mode === "fashion") return { status: "ok", version, info, ...(await typetorchFashion(torch)) };

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

  // the CNN: pytorch/examples' MNIST net without dropout; the check steps double as the warm-up
  const cnnLosses: number[] = [];
  {
    const model = new nn.Sequential(
      new nn.Conv2d(1, 32, 3, { stride: 1 }), new nn.ReLU(), new nn.Conv2d(32, 64, 3, { stride: 1 }), new nn.ReLU(),
      new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Linear(128, 10));
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const x = torch.randn(64, 1, 28, 28), y = torch.randint(0, 10, [64]);
    const cnnStep = () => {
      opt.zeroGrad();
      const loss = lossFn(model(x), y) as Tensor;
      loss.backward();
      opt.step();
      return loss;
    };
    const since = performance.now();
    for (let i = 0; i < CNN_CHECK_STEPS; i++) cnnLosses.push(cnnStep().item());
    figures[F.cnn] = timeEach(() => { cnnStep(); }, since);
  }

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

  // elementwise and reduction throughput, new outputs each time, as a user writes it
  let ew: ChildOut["ew"], sum: ChildOut["sum"];
  {
    const a = torch.randn(EW_N), b = torch.randn(EW_N);
    figures[F.ew] = time(() => { a.mul(b).add(a); });
    ew = ewCheck(a.dataSync(), b.dataSync(), a.mul(b).add(a).dataSync());
  }
  {
    const x = torch.randn(SUM_N);
    figures[F.sum] = time(() => { x.sum().item(); });
    sum = sumCheck(x.dataSync(), x.sum().item());
  }
  return { status: "ok", version, info, figures, mmSmall, mlpLosses, cnnLosses, p06Losses: [before, after], p05Loss: r.loss, ew, sum };
}

/** examples/fashion_mnist.ts, step for step, with its epochs timed as it times them. */
async function typetorchFashion(torch: typeof TorchNS): Promise<Partial<ChildOut>> {
  const { files, noData } = fashionFiles();
  if (!files) return { notes: { [F.fashion]: "no data" }, fashion: { root: FASHION_ROOT, noData: noData! } };
  const { readIdx } = await import("../src/utils/idx.js");
  const { nn } = torch;
  type Tensor = TorchNS.Tensor;
  const tl = performance.now();
  torch.manualSeed(0);
  let xtr = readIdx(files["train-images"]!).float().div(255).reshape(-1, 784);
  const ytr = readIdx(files["train-labels"]!).long();
  let xte = readIdx(files["t10k-images"]!).float().div(255).reshape(-1, 784);
  const yte = readIdx(files["t10k-labels"]!).long();
  const [mean, std] = [xtr.mean(), xtr.std()];
  xtr = xtr.sub(mean).div(std);
  xte = xte.sub(mean).div(std);
  const loadS = (performance.now() - tl) / 1000;

  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const { DataLoader, TensorDataset } = torch.utils.data;
  const loader = new DataLoader(new TensorDataset(xtr, ytr), { batchSize: 128, shuffle: true });
  const epochs: { s: number; loss: number; acc: number }[] = [];
  for (let epoch = 0; epoch < FASHION_EPOCHS; epoch++) {
    const t0 = performance.now();
    model.train();
    let loss = torch.tensor(0);
    for (const [x, y] of loader) {
      opt.zeroGrad();
      loss = lossFn(model(x!), y!);
      loss.backward();
      opt.step();
    }
    model.eval();
    const acc = torch.noGrad(() => (model(xte) as Tensor).argmax(1).eq(yte).float().mean().item());
    const s = (performance.now() - t0) / 1000;
    epochs.push({ s, loss: loss.item(), acc });
  }
  return { figures: { [F.fashion]: Math.min(...epochs.map((e) => e.s)) }, fashion: { root: FASHION_ROOT, loadS, epochs } };
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
  getKernel(name: string, backend: string): unknown;
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
  reshape(a: TfTensor, shape: number[]): TfTensor;
  slice(a: TfTensor, begin: number[], size: number[]): TfTensor;
  concat(ts: TfTensor[], axis: number): TfTensor;
  conv2d(x: TfTensor, filter: TfTensor, strides: number, pad: "valid" | "same"): TfTensor;
  maxPool(x: TfTensor, filterSize: number, strides: number, pad: "valid" | "same"): TfTensor;
  losses: { softmaxCrossEntropy(onehotLabels: TfTensor, logits: TfTensor): TfTensor };
  train: { sgd(lr: number): TfOptimizer };
  variableGrads(f: () => TfTensor, varList?: TfVariable[]): { value: TfTensor; grads: Record<string, TfTensor> };
}
interface TfWasm { setWasmPaths(prefix: string): void; getThreadsCount(): number; version_wasm: string }

const isNotFound = (e: unknown) => (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND";

async function tfjs(backend: "cpu" | "wasm", mode: Mode): Promise<ChildOut> {
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
  const u = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const labels = (n: number) => tf.tidy(() => tf.oneHot(int32(Array.from({ length: n }, () => Math.floor(Math.random() * 10)), [n]), 10));

  // the MLP, the natural TF.js way: tf.variable weights, softmax cross-entropy, optimizer.minimize
  const mlp = () => {
    const w1 = u([784, 256], 784), b1 = u([256], 784), w2 = u([256, 10], 256), b2 = u([10], 256);
    const opt = tf.train.sgd(0.01);
    const x = tf.randomNormal([128, 784]);
    const y = labels(128);
    const f = () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
    return (returnCost = false) => opt.minimize(f, returnCost, [w1, b1, w2, b2]);
  };
  if (mode === "mem" || mode === "long") {
    const step = mlp();
    const n0 = tf.memory().numTensors;
    let out: ChildOut;
    if (mode === "mem") out = { status: "ok", version, info, figures: memRun(() => { step(); }), warnings };
    else {
      const r = longRun(() => step(false));
      const l = step(true)!;
      out = { status: "ok", version, info, figures: r.figures, long: { steps: LONG_STEPS, lastLoss: l.dataSync()[0]!, heapMB: r.heapMB }, warnings };
      l.dispose();
    }
    if (tf.memory().numTensors !== n0) warnings.push(`tfjs-${backend}: MLP steps leak tensors (${n0} -> ${tf.memory().numTensors})`);
    return out;
  }
  if (mode === "fashion") return { status: "ok", version, info, notes: { [F.fashion]: "not run" } };

  const figures: Record<string, number> = {};
  const notes: Record<string, string> = {};
  const marks: Record<string, string> = {};
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

  // the CNN, NHWC, tf.conv2d + tf.maxPool + optimizer.minimize. tfjs-cpu's conv2d takes minutes a
  // step, so it is not run; tfjs-wasm has no Conv2DBackpropFilter kernel (tf.conv2d's weight
  // gradient), so there each convolution is written as im2col: 9 shifted slices, concat, matMul.
  let cnnLosses: number[] | undefined;
  if (backend === "cpu") notes[F.cnn] = "not run";
  else {
    const im2col = !tf.getKernel("Conv2DBackpropFilter", tf.getBackend());
    info.cnnConv = im2col ? "im2col (no Conv2DBackpropFilter kernel)" : "tf.conv2d";
    if (im2col) marks[F.cnn] = "im2col";
    const conv = (h: TfTensor, w: TfTensor): TfTensor => {
      if (!im2col) return tf.conv2d(h, w, 1, "valid");
      const [n, hh, ww, c] = h.shape as [number, number, number, number];
      const o = w.shape[3]!;
      const parts: TfTensor[] = [];
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) parts.push(tf.slice(h, [0, dy, dx, 0], [n, hh - 2, ww - 2, c]));
      const p = tf.reshape(tf.concat(parts, 3), [n * (hh - 2) * (ww - 2), 9 * c]);
      return tf.reshape(tf.matMul(p, tf.reshape(w, [9 * c, o])), [n, hh - 2, ww - 2, o]);
    };
    const vars = [u([3, 3, 1, 32], 9), u([32], 9), u([3, 3, 32, 64], 288), u([64], 288), u([9216, 128], 9216), u([128], 9216), u([128, 10], 128), u([10], 128)];
    const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = vars as [TfVariable, TfVariable, TfVariable, TfVariable, TfVariable, TfVariable, TfVariable, TfVariable];
    const x = tf.randomNormal([64, 28, 28, 1]), y = labels(64);
    const opt = tf.train.sgd(0.01);
    const f = () => {
      let h = tf.relu(tf.add(conv(x, c1w), c1b));
      h = tf.relu(tf.add(conv(h, c2w), c2b));
      h = tf.reshape(tf.maxPool(h, 2, 2, "valid"), [64, 9216]);
      h = tf.relu(tf.add(tf.matMul(h, f1w), f1b));
      return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h, f2w), f2b));
    };
    cnnLosses = [];
    const since = performance.now();
    for (let i = 0; i < CNN_CHECK_STEPS; i++) {
      const l = opt.minimize(f, true, vars)!;
      cnnLosses.push(l.dataSync()[0]!);
      l.dispose();
    }
    const n3 = tf.memory().numTensors;
    figures[F.cnn] = timeEach(() => { opt.minimize(f, false, vars); }, since);
    if (tf.memory().numTensors !== n3) warnings.push(`tfjs-${backend}: CNN steps leak tensors`);
  }

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

  // a*b+a and sum, as a TF.js user writes them: tidy, then dispose the result (the cpu and wasm
  // backends compute at the call, so nothing is read back inside the timing)
  let ew: ChildOut["ew"], sum: ChildOut["sum"];
  {
    const a = tf.randomNormal([EW_N]), b = tf.randomNormal([EW_N]);
    const n4 = tf.memory().numTensors;
    figures[F.ew] = time(() => { tf.tidy(() => tf.add(tf.mul(a, b), a)).dispose(); });
    if (tf.memory().numTensors !== n4) warnings.push(`tfjs-${backend}: a*b+a leaks tensors`);
    const c = tf.tidy(() => tf.add(tf.mul(a, b), a));
    ew = ewCheck(a.dataSync(), b.dataSync(), c.dataSync());
    a.dispose(); b.dispose(); c.dispose();
  }
  {
    const x = tf.randomNormal([SUM_N]);
    const sumOf = () => { const s = tf.sum(x); const v = s.dataSync()[0]!; s.dispose(); return v; };
    figures[F.sum] = time(() => { sumOf(); });
    sum = sumCheck(x.dataSync(), sumOf());
    x.dispose();
  }
  return { status: "ok", version, info, figures, notes, marks, mmSmall, mlpLosses, cnnLosses, p06Losses: [before, after], p05Loss: r.loss, ew, sum, warnings };
}

// ------------------------------------------------------------------------------------ PyTorch
// argv: mode, threads, figure names (JSON). NOTE: no backslashes below: this is a JS template.
const PY = `
import gzip, json, os, struct, sys, time, math, resource
try:
    import torch
except ImportError:
    print(json.dumps({"status": "not installed"})); sys.exit(0)
mode, threads, F = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
def emit(o):
    r = resource.getrusage(resource.RUSAGE_SELF); o["cpuS"] = r.ru_utime + r.ru_stime
    print(json.dumps(o)); sys.exit(0)
def rss_mb():
    with open("/proc/self/statm") as f: return int(f.read().split()[1]) * resource.getpagesize() / 2**20
def maxrss_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def mlp():
    m = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(m.parameters(), lr=0.01); lf = torch.nn.CrossEntropyLoss()
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    def step():
        opt.zero_grad(); loss = lf(m(x), y); loss.backward(); opt.step(); return loss
    return step
out = {"status": "ok", "version": torch.__version__, "info": {"threads": torch.get_num_threads()}}
if mode == "mem":
    step = mlp(); rss0 = rss_mb(); peak = rss0; t0 = time.perf_counter()
    for _ in range(${MEM_STEPS}):
        step(); peak = max(peak, rss_mb())
    cold = (time.perf_counter() - t0) * 1000 / ${MEM_STEPS}
    out["figures"] = {F["mlpCold"]: cold, F["memPeak"]: maxrss_mb(), F["memGrowth"]: peak - rss0}
    emit(out)
if mode == "long":
    step = mlp(); early = late = 0.0; t0 = time.perf_counter()
    for i in range(1, ${LONG_STEPS} + 1):
        loss = step(); r = rss_mb()
        if i <= ${LONG_FROM}: early = max(early, r)
        else: late = max(late, r)
    s = time.perf_counter() - t0
    out["figures"] = {F["longPeak"]: maxrss_mb(), F["longGrowth"]: late - early, F["longTime"]: s}
    out["long"] = {"steps": ${LONG_STEPS}, "lastLoss": loss.item()}
    emit(out)
if mode == "fashion":
    # scripts/fashion_mnist_reference.py, step for step
    ROOT = ${JSON.stringify(FASHION_ROOT)}
    names = sorted(os.listdir(ROOT)) if os.path.isdir(ROOT) else []
    files = {p: next((os.path.join(ROOT, n) for n in names if n.startswith(p)), None) for p in ${JSON.stringify(FASHION_FILES)}}
    if not os.path.isdir(ROOT) or None in files.values():
        out["notes"] = {F["fashion"]: "no data"}; out["fashion"] = {"root": ROOT, "noData": "missing files in " + ROOT}
        emit(out)
    def read_idx(path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            data = f.read()
        magic, = struct.unpack(">I", data[:4])
        ndim = magic & 0xFF
        dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
        return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset
    tl = time.perf_counter()
    xtr = read_idx(files["train-images"]).float().div(255).reshape(-1, 784)
    ytr = read_idx(files["train-labels"]).long()
    xte = read_idx(files["t10k-images"]).float().div(255).reshape(-1, 784)
    yte = read_idx(files["t10k-labels"]).long()
    mean, std = xtr.mean(), xtr.std()
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    load_s = time.perf_counter() - tl
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    epochs = []
    for epoch in range(${FASHION_EPOCHS}):
        t0 = time.perf_counter()
        model.train()
        for x, y in loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        epochs.append({"s": time.perf_counter() - t0, "loss": loss.item(), "acc": acc})
    out["figures"] = {F["fashion"]: min(e["s"] for e in epochs)}
    out["fashion"] = {"root": ROOT, "loadS": load_s, "epochs": epochs}
    emit(out)
def t(fn, sample_ms=200):
    n = 0; t0 = time.perf_counter()
    while True:
        fn(); n += 1
        if (time.perf_counter() - t0) * 1000 >= ${WARM_MS}: break
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
nn = torch.nn
cnn = nn.Sequential(nn.Conv2d(1, 32, 3, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))
cnn_opt = torch.optim.SGD(cnn.parameters(), lr=0.01); cnn_lf = nn.CrossEntropyLoss()
cx, cy = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
def cnn_step():
    cnn_opt.zero_grad(); loss = cnn_lf(cnn(cx), cy); loss.backward(); cnn_opt.step(); return loss
since = time.perf_counter()
out["cnnLosses"] = [cnn_step().item() for _ in range(${CNN_CHECK_STEPS})]
while (time.perf_counter() - since) * 1000 < ${WARM_MS}: cnn_step()
ts = []
for _ in range(3):
    t0 = time.perf_counter(); cnn_step(); ts.append((time.perf_counter() - t0) * 1000)
fig[F["cnn"]] = sorted(ts)[1]
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
a, b = torch.randn(${EW_N}), torch.randn(${EW_N})
fig[F["ew"]] = t(lambda: a * b + a)
c, ad, bd = (a * b + a).double(), a.double(), b.double()
err = ((c - (ad * bd + ad)).abs() / ((ad * bd).abs() + ad.abs()).clamp(min=1e-30)).max().item()
out["ew"] = {"n": c.numel(), "maxRelErr": err}
x = torch.randn(${SUM_N})
fig[F["sum"]] = t(lambda: x.sum().item())
out["sum"] = {"n": x.numel(), "value": x.sum().item(), "ref": x.double().sum().item(), "absSum": x.double().abs().sum().item()}
out["figures"] = fig
emit(out)
`;

// ------------------------------------------------------------------------------------ children
const SELF = fileURLToPath(import.meta.url);
const FIG_NAMES = JSON.stringify(Object.fromEntries(Object.entries(F)));

const CHILD_TIMEOUT_MS = 900_000;
class ChildTimeout extends Error {}
function spawnChild(lib: Lib, mode: Mode, threads = 1, timeoutMs = CHILD_TIMEOUT_MS): ChildOut {
  const p =
    lib === "pytorch"
      ? spawnSync("/usr/bin/python3", ["-c", PY, mode, String(threads), FIG_NAMES], {
        encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 26,
        env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
      })
      // the same Node binary and flags (tsx's loader) as this process
      : spawnSync(process.execPath, [...process.execArgv, "--expose-gc", SELF, "--child", lib, mode], {
        encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 26,
      });
  if (p.error && (p.error as { code?: string }).code === "ENOENT") return { status: "not installed" };
  if (p.error && (p.error as { code?: string }).code === "ETIMEDOUT" && timeoutMs < CHILD_TIMEOUT_MS) throw new ChildTimeout();
  const last = (p.stdout ?? "").trim().split("\n").pop() ?? "";
  if (p.status === 0 && last.startsWith("{")) return JSON.parse(last) as ChildOut;
  const why = p.signal ? `killed by ${p.signal}` : `exit ${p.status}`;
  const tail = `${p.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n");
  throw new Error(`${lib} ${mode}${lib === "pytorch" ? ` (${threads} thread${threads > 1 ? "s" : ""})` : ""} child failed (${why}):\n${tail}`);
}

async function child(lib: Lib, mode: Mode): Promise<void> {
  const out = lib === "typetorch" ? await typetorch(mode) : await tfjs(lib === "tfjs-cpu" ? "cpu" : "wasm", mode);
  const cpu = process.cpuUsage();
  out.cpuS = (cpu.user + cpu.system) / 1e6;
  process.stdout.write("\n" + JSON.stringify(out) + "\n");
}

// ------------------------------------------------------------------------------------ report
function checks(name: string, r: ChildOut, ref: number[]): string[] {
  const w: string[] = [...(r.warnings ?? [])];
  if (r.mmSmall) {
    const err = Math.max(...r.mmSmall.map((v, i) => Math.abs(v - ref[i]!)));
    if (!(err < 1e-4) || r.mmSmall.length !== ref.length) w.push(`${name}: small matmul disagrees with the float64 reference (max abs error ${err})`);
  }
  const falls = (l: number[]) => l.length > 1 && l.every((v) => Number.isFinite(v)) && l[l.length - 1]! < l[0]!;
  if (r.mlpLosses && !falls(r.mlpLosses))
    w.push(`${name}: the MLP step does not reduce the loss over ${r.mlpLosses.length} steps: ${r.mlpLosses.map((v) => v.toFixed(4)).join(" -> ")}`);
  if (r.cnnLosses && !falls(r.cnnLosses))
    w.push(`${name}: the CNN step does not reduce the loss over ${r.cnnLosses.length} steps: ${r.cnnLosses.map((v) => v.toFixed(4)).join(" -> ")}`);
  const p = r.p06Losses;
  if (p && !(Number.isFinite(p[1]) && p[1] < p[0]))
    w.push(`${name}: program 06 iterations do not reduce the loss (${p[0]} -> ${p[1]})`);
  if (r.p05Loss !== undefined && !(Math.abs(r.p05Loss - P05_LOSS) < 1e-3))
    w.push(`${name}: program 05 ends at loss ${r.p05Loss}, PyTorch's program prints ${P05_LOSS}`);
  if (r.ew && !(r.ew.n === EW_N && r.ew.maxRelErr <= EW_TOL))
    w.push(`${name}: a*b+a disagrees with float64: max |c - ref| / (|a*b| + |a|) = ${r.ew.maxRelErr} over ${r.ew.n} elements (tolerance ${EW_TOL})`);
  const s = r.sum;
  if (s && !(s.n === SUM_N && Math.abs(s.value - s.ref) <= SUM_TOL * s.absSum))
    w.push(`${name}: sum of ${s.n} elements is ${s.value}, the float64 sum is ${s.ref} (tolerance ${SUM_TOL} * sum|x| = ${(SUM_TOL * s.absSum).toFixed(2)})`);
  if (r.long && !Number.isFinite(r.long.lastLoss)) w.push(`${name}: the MLP loss after ${r.long.steps} steps is ${r.long.lastLoss}`);
  for (const [i, e] of (r.fashion?.epochs ?? []).entries())
    if (!(Number.isFinite(e.loss) && e.acc >= FASHION_MIN_ACC))
      w.push(`${name}: Fashion-MNIST epoch ${i + 1} ends at loss ${e.loss}, test accuracy ${e.acc} (expected >= ${FASHION_MIN_ACC})`);
  return w;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
function cell(r: LibResult, k: string): string {
  if (r.status === "skipped") return "skipped";
  if (r.status === "not installed") return "not installed";
  const v = r.figures[k];
  if (v === undefined) return r.notes[k] ?? "n/a";
  return fmt(v) + (r.marks[k] ? ` (${r.marks[k]})` : "");
}
function ratio(ours: LibResult, other: LibResult, k: string): string {
  const a = ours.figures[k], b = other.figures[k];
  if (a === undefined || b === undefined || NO_RATIO.has(k)) return "-";
  const r = HIGHER_BETTER.has(k) ? a / b : b / a;
  return Number.isFinite(r) && r > 0 ? (r >= 10 ? r.toFixed(1) : r.toFixed(3)) : "-";
}
const better = (k: string, a: number, b: number) => (HIGHER_BETTER.has(k) ? a > b : a < b);

/** Adds one child's figures to its library's result; PyTorch's figures keep the better thread count. */
function merge(r: LibResult, run: Run, threads?: number): void {
  const o = run.out!;
  r.version ??= o.version;
  Object.assign(r.info, o.info ?? {});
  for (const [k, v] of Object.entries(o.figures ?? {})) {
    if (r.figures[k] === undefined || better(k, v, r.figures[k]!)) {
      r.figures[k] = v;
      if (threads !== undefined) r.marks[k] = `${threads}t`;
      else if (o.marks?.[k]) r.marks[k] = o.marks[k]!;
    }
  }
  for (const [k, v] of Object.entries(o.notes ?? {})) r.notes[k] ??= v;
}

async function main(): Promise<void> {
  const tStart = performance.now();
  const args = process.argv.slice(2);
  const jsonArg = args.find((a) => a === "--json" || a.startsWith("--json="));
  const libsArg = args.find((a) => a.startsWith("--libs="));
  const tfjsLong = args.includes("--tfjs-10k");
  const wanted = new Set(libsArg ? libsArg.slice(7).split(",") : LIBS);
  const log = jsonArg === "--json" ? console.error : console.log;

  const results: LibResult[] = [];
  for (const lib of LIBS) {
    const r: LibResult = { lib, status: "not installed", info: {}, figures: {}, notes: {}, marks: {}, runs: [] };
    results.push(r);
    if (!wanted.has(lib)) { r.status = "skipped"; continue; }
    const isTf = lib.startsWith("tfjs");
    process.stderr.write(`${lib}:`);
    for (const mode of MODES) {
      if (isTf && mode === "fashion") continue;
      if (isTf && mode === "long" && !tfjsLong) {
        for (const k of MODE_FIGS.long) r.notes[F[k]] = "not run";
        continue;
      }
      for (const threads of lib === "pytorch" ? PY_THREADS_BY_MODE[mode] : [undefined]) {
        const label = lib === "pytorch" ? `${lib} ${threads}t` : lib;
        const run: Run = { label, mode, threads, wallS: 0 };
        const t0 = performance.now();
        try {
          // NOTE: on a busy machine 2-thread PyTorch can take 10x its 1-thread time (each parallel
          // region waits for a core); once it has taken 3x, it has lost, and 1 thread's figure stands
          const first = r.runs.find((x) => x.mode === mode && x.out);
          const cut = lib === "pytorch" && first ? Math.max(60, 3 * first.wallS) : undefined;
          run.out = spawnChild(lib, mode, threads, cut ? Math.ceil(cut * 1000) : undefined);
        } catch (e) {
          if (e instanceof ChildTimeout) run.cutS = (performance.now() - t0) / 1000;
          else run.error = (e as Error).message;
        }
        run.wallS = (performance.now() - t0) / 1000;
        const cpu = run.out?.cpuS !== undefined ? ` (cpu ${run.out.cpuS.toFixed(0)}s)` : "";
        process.stderr.write(` ${mode}${threads ? `/${threads}t` : ""} ${run.wallS.toFixed(0)}s${cpu}${run.error ? " FAILED" : run.cutS ? " (stopped: slower)" : ""}`);
        if (run.out?.status === "not installed") break;
        r.runs.push(run);
        if (run.out) { r.status = "ok"; merge(r, run, threads); }
      }
      if (r.status === "not installed") break;
    }
    for (const run of r.runs) if (run.error) for (const k of MODE_FIGS[run.mode]) if (r.figures[F[k]] === undefined) r.notes[F[k]] = "failed";
    process.stderr.write(r.status === "ok" ? "\n" : " not installed\n");
  }
  const ref = matmulRef();
  const by = Object.fromEntries(results.map((r) => [r.lib, r])) as Record<Lib, LibResult>;
  const ours = by.typetorch;
  const ver = (r: LibResult) => (r.version ? ` ${r.version}` : "");
  const wasmInfo = by["tfjs-wasm"].status === "ok" ? by["tfjs-wasm"].info : undefined;
  const wasmDesc = wasmInfo?.binary ? ` (${wasmInfo.simd ? "SIMD" : "no SIMD"}, ${wasmInfo.threads} thread${wasmInfo.threads === 1 ? "" : "s"})` : "";

  const lines: string[] = [];
  lines.push(`| figure | typetorch${ver(ours)} | PyTorch${ver(by.pytorch)} (best of 1, 2 threads) | ratio | tfjs-cpu${ver(by["tfjs-cpu"])} | ratio | tfjs-wasm${ver(by["tfjs-wasm"])}${wasmDesc} | ratio |`);
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const k of Object.values(F)) {
    const row = [k, cell(ours, k)];
    for (const other of [by.pytorch, by["tfjs-cpu"], by["tfjs-wasm"]]) row.push(cell(other, k), ratio(ours, other, k));
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("");
  lines.push("ratio: typetorch's speed (or memory economy) as a fraction of the other's: 1 = as fast (as lean), below 1 = slower (uses more).");
  lines.push(`machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Node ${process.version} (${process.execPath}); each library in its own child processes, one after the other.`);
  if (ours.status === "ok")
    lines.push(`typetorch: backend "${ours.info.backend}", torch.getNumThreads() = ${ours.info.numThreads} (left at its default).`);
  if (by.pytorch.status === "ok") {
    const won = (t: number) => Object.values(F).filter((k) => by.pytorch.marks[k] === `${t}t`);
    lines.push(`PyTorch: each speed figure is the better of torch.set_num_threads(1) and (2) (cell marked 1t/2t; the memory children run with 1 thread); ` +
      PY_THREADS.map((t) => `${t} thread${t > 1 ? "s" : ""} better for ${won(t).length}`).join(", ") + "." +
      by.pytorch.runs.filter((x) => x.cutS).map((x) => ` Its ${x.mode} child with ${x.threads} threads was stopped after ${x.cutS!.toFixed(0)} s, 3x the 1-thread child's time (a busy machine?), so 1 thread's figures stand.`).join(""));
  }
  if (wasmInfo?.binary)
    lines.push(`tfjs-wasm runs ${wasmInfo.binary} with ${wasmInfo.threads} thread(s)` +
      (wasmInfo.multithreadSupported ? "." : " (its WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node, so no threaded build)."));
  if (wanted.has("tfjs-cpu") || wanted.has("tfjs-wasm"))
    lines.push("TF.js CNN: NHWC, tf.maxPool, optimizer.minimize" + (wanted.has("tfjs-cpu") ? "; tfjs-cpu is not run (its tf.conv2d step takes minutes)" : "") +
      (wasmInfo?.cnnConv && String(wasmInfo.cnnConv).startsWith("im2col")
        ? "; tfjs-wasm has no Conv2DBackpropFilter kernel (tf.conv2d's weight gradient), so its convolutions are im2col: 9 shifted tf.slice, tf.concat, tf.matMul."
        : "."));
  const longLine: string[] = [];
  for (const r of results) {
    const run = r.runs.find((x) => x.mode === "long" && x.out);
    const h = run?.out?.long?.heapMB;
    if (run) longLine.push(`${run.label} child ${run.wallS.toFixed(0)} s` + (h ? ` (JS heap+external after a full GC: ${h[0].toFixed(1)} MB at step ${LONG_FROM}, ${h[1].toFixed(1)} MB at ${LONG_STEPS})` : ""));
  }
  if (!tfjsLong && (wanted.has("tfjs-cpu") || wanted.has("tfjs-wasm"))) {
    const est = ["tfjs-cpu", "tfjs-wasm"].filter((l) => by[l as Lib].figures[F.mlp] !== undefined)
      .map((l) => `${l} ~${((by[l as Lib].figures[F.mlp]! * LONG_STEPS) / 60000).toFixed(0)} min`);
    longLine.push(`TF.js not run (would take ${est.join(", ") || "too long"} at its MLP step time; --tfjs-10k runs it)`);
  }
  if (longLine.length) lines.push(`10,000 MLP steps, a child of their own: ${longLine.join("; ")}. Growth = highest RSS in steps ${LONG_FROM + 1}-${LONG_STEPS} minus highest in steps 1-${LONG_FROM}.`);
  const fash: string[] = [];
  let noData: string | undefined;
  for (const r of results)
    for (const run of r.runs) {
      const fm = run.out?.fashion;
      if (!fm) continue;
      if (fm.noData) noData = fm.noData;
      if (fm.epochs) fash.push(`${run.label}: ` + fm.epochs.map((e, i) => `epoch ${i + 1} ${e.s.toFixed(1)} s (loss ${e.loss.toFixed(4)}, acc ${e.acc.toFixed(4)})`).join(", ") + `, data load ${fm.loadS?.toFixed(1)} s`);
    }
  if (noData) lines.push(`Fashion-MNIST: no data (${noData}): apt-get install dataset-fashion-mnist, or set FASHION_MNIST_DIR.`);
  else if (fash.length)
    lines.push(`Fashion-MNIST (${FASHION_ROOT}, the real data; ${FASHION_EPOCHS} epochs of examples/fashion_mnist.ts's recipe, each timed as the demo prints it: 469 training steps + test accuracy; the figure is the faster epoch): ${fash.join("; ")}.`);

  const warnings: string[] = [];
  for (const r of results)
    for (const run of r.runs) {
      if (run.out) warnings.push(...checks(run.label, run.out, ref));
      if (run.error) warnings.push(run.error);
    }
  const checked = results.filter((r) => r.status === "ok").map((r) => r.lib);
  const totalS = (performance.now() - tStart) / 1000;
  const cpuOf = (x: Run) => (x.out?.cpuS !== undefined ? ` (cpu ${x.out.cpuS.toFixed(0)})` : "");
  lines.push(`children, wall s (cpu s): ${results.flatMap((r) => r.runs.map((x) => `${x.label} ${x.mode} ${x.wallS.toFixed(0)}${cpuOf(x)}`)).join(", ")}; whole run ${totalS.toFixed(0)} s.`);
  lines.push(`checks (small matmul vs float64 reference, MLP loss falls over ${MLP_CHECK_STEPS} steps, CNN loss falls over ${CNN_CHECK_STEPS} steps, ` +
    `program 06 loss falls, program 05 ends at ${P05_LOSS.toFixed(4)}, a*b+a and sum vs float64, 10,000-step loss finite, Fashion-MNIST accuracy >= ${FASHION_MIN_ACC}): ` +
    (warnings.length > 0 ? `${warnings.length} warning(s)` : checked.length ? `all passed for ${checked.join(", ")}` : "no library ran"));
  for (const w of warnings) lines.push(`WARNING: ${w}`);
  log(lines.join("\n"));

  const raw = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, execPath: process.execPath },
    figures: Object.values(F),
    higherIsBetter: [...HIGHER_BETTER],
    totalS,
    results,
    warnings,
  };
  if (jsonArg === "--json") console.log(JSON.stringify(raw, null, 2));
  else if (jsonArg) writeFileSync(jsonArg.slice(7), JSON.stringify(raw, null, 2) + "\n");
}

const ci = process.argv.indexOf("--child");
if (ci >= 0) await child(process.argv[ci + 1] as Lib, process.argv[ci + 2] as Mode);
else await main();
