// The measurement behind the fast backend's storage decision (src/backend/wasm/index.ts): would
// tensors kept inside one WebAssembly memory, released by a FinalizationRegistry, be freed in time?
// It trains the MLP of bench/run.ts with plain synchronous steps, registers every storage the
// backend returns, and counts how many the registry reports freed: inside a synchronous loop the
// callbacks never run (they are tasks of the event loop), so memory that the collector cannot free
// by itself (wasm memory) would pile up until the loop yields.
//   npx tsx bench/storage_finalization.ts
import * as torch from "../src/index.js";
import type { Backend } from "../src/index.js";

const { nn, optim } = torch;
const b = torch.getBackend() as Backend & Record<string, unknown>;
let allocs = 0, frees = 0, live = 0, peak = 0;
const registry = new FinalizationRegistry<number>((bytes) => { frees++; live -= bytes; });
const track = (s: unknown): void => {
  const a = s as { byteLength?: number };
  if (typeof a?.byteLength !== "number") return;
  allocs++;
  live += a.byteLength;
  peak = Math.max(peak, live);
  registry.register(a as object, a.byteLength);
};
for (const k of ["alloc", "fromValues", "unary", "binary", "ternary", "where", "reduce", "matmul", "indexSelect", "gather", "softmaxLastDim", "softmaxBackwardLastDim"]) {
  const f = b[k] as ((...a: unknown[]) => unknown) | undefined;
  if (typeof f !== "function") continue;
  b[k] = function (this: Backend, ...args: unknown[]) {
    const r = f.apply(this, args);
    const dst = args[args.length - 1] as { storage?: unknown } | undefined;
    if (dst?.storage !== r) track(r); // an in-place op returns its destination: not new storage
    return r;
  };
}

torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
const step = () => { opt.zeroGrad(); (lossFn(model(x), y) as torch.Tensor).backward(); opt.step(); };
const report = (what: string) =>
  console.log(`${what}: ${allocs} storages made, ${frees} reported freed, ${(live / 2 ** 20).toFixed(0)} MiB not yet freed (peak ${(peak / 2 ** 20).toFixed(0)} MiB)`);

for (let i = 0; i < 200; i++) step();
report("after 200 synchronous steps");
await new Promise((r) => setTimeout(r, 50)); // let the event loop turn once
report("after the event loop turned");
