// Trains a small MLP on Fashion-MNIST, the recipe of scripts/fashion_mnist_reference.py in real
// PyTorch (which reaches about 0.83 test accuracy after two epochs).
// Data: Debian's dataset-fashion-mnist package (IDX files under /usr/share/datasets/fashion-mnist):
//   apt-get install dataset-fashion-mnist        (or set FASHION_MNIST_DIR to a folder of the IDX files)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
import { readIdx } from "../src/utils/idx.js";

const root = process.env.FASHION_MNIST_DIR ?? "/usr/share/datasets/fashion-mnist";
const epochs = Number(process.env.EPOCHS ?? 2);
// LOSSES=FILE writes every step's loss as float32 bits (hex), as scripts/fashion_mnist_reference.py
// --losses does; with TYPETORCH_EXACT=1 they are PyTorch's bits (on the reference CPU, see there).
const lossFile = process.env.LOSSES;
const losses: string[] = [];
// The loss curve is written as SVG (LOSS_SVG=FILE, default in the temporary folder); its path and the
// progress bars go to stderr, so stdout prints what scripts/fashion_mnist_reference.py prints.
const lossSvg = process.env.LOSS_SVG ?? path.join(os.tmpdir(), "typetorch_fashion_mnist_loss.svg");
const stepLosses: number[] = [];
const testLosses: [number, number][] = [];
if (!fs.existsSync(root)) {
  console.error(`Fashion-MNIST not found in ${root}. Install it with "apt-get install dataset-fashion-mnist",`);
  console.error("or set FASHION_MNIST_DIR to a folder holding the four IDX files (train-images-idx3-ubyte[.gz], ...).");
  process.exit(1);
}
const find = (prefix: string) => {
  const f = fs.readdirSync(root).sort().find((n) => n.startsWith(prefix));
  if (!f) throw new Error(`no ${prefix}* file in ${root}`);
  return path.join(root, f);
};

torch.manualSeed(0);
let xtr = readIdx(find("train-images")).float().div(255).reshape(-1, 784);
const ytr = readIdx(find("train-labels")).long();
let xte = readIdx(find("t10k-images")).float().div(255).reshape(-1, 784);
const yte = readIdx(find("t10k-labels")).long();
const [mean, std] = [xtr.mean(), xtr.std()];
xtr = xtr.sub(mean).div(std);
xte = xte.sub(mean).div(std);

const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const lossFn = new nn.CrossEntropyLoss();
const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
const { DataLoader, TensorDataset } = torch.utils.data;
const loader = new DataLoader(new TensorDataset(xtr, ytr), { batchSize: 128, shuffle: true });
console.log(String(model));
for (let epoch = 0; epoch < epochs; epoch++) {
  const t0 = performance.now();
  model.train();
  let loss = torch.tensor(0);
  const bar = torch.utils.tqdm(loader, { desc: `epoch ${epoch + 1}`, unit: "batch" });
  for (const [x, y] of bar) {
    opt.zeroGrad();
    loss = lossFn(model(x!), y!);
    loss.backward();
    opt.step();
    const l = loss.item();
    stepLosses.push(l);
    bar.setPostfix({ loss: l }, { refresh: false });
    if (lossFile) losses.push(new Uint32Array(new Float32Array([l]).buffer)[0]!.toString(16).padStart(8, "0"));
  }
  model.eval();
  const [acc, testLoss] = torch.noGrad(() => {
    const out = model(xte) as Tensor;
    return [out.argmax(1).eq(yte).float().mean().item(), (lossFn(out, yte) as Tensor).item()];
  });
  testLosses.push([stepLosses.length, testLoss]);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`epoch ${epoch + 1}: loss ${loss.item().toFixed(4)}, test accuracy ${acc.toFixed(4)} (${secs}s)`);
}
const curve = new torch.utils.plot.Figure({ title: "Fashion-MNIST, 784-256-10 MLP", xlabel: "step", ylabel: "loss", grid: true })
  .plot(stepLosses.map((_, i) => i + 1), stepLosses, { label: "training loss (each step)", linewidth: 0.8 })
  .plot(testLosses.map(([s]) => s), testLosses.map(([, v]) => v), { label: "test loss (end of epoch)", marker: "o" });
console.error(`loss curve: ${curve.save(lossSvg)}`);
if (lossFile) fs.writeFileSync(lossFile, JSON.stringify({ generator: "examples/fashion_mnist.ts", exact: torch.areExactNumericsEnabled(), float32_bits: losses }) + "\n");
