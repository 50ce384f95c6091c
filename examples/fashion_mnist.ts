// Trains a small MLP on Fashion-MNIST, the recipe of scripts/fashion_mnist_reference.py in real
// PyTorch (which reaches about 0.83 test accuracy after two epochs).
// Data: Debian's dataset-fashion-mnist package (IDX files under /usr/share/datasets/fashion-mnist):
//   apt-get install dataset-fashion-mnist        (or set FASHION_MNIST_DIR to a folder of the IDX files)
import fs from "node:fs";
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
  for (const [x, y] of loader) {
    opt.zeroGrad();
    loss = lossFn(model(x!), y!);
    loss.backward();
    opt.step();
    if (lossFile) losses.push(new Uint32Array(new Float32Array([loss.item()]).buffer)[0]!.toString(16).padStart(8, "0"));
  }
  model.eval();
  const acc = torch.noGrad(() => (model(xte) as Tensor).argmax(1).eq(yte).float().mean().item());
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`epoch ${epoch + 1}: loss ${loss.item().toFixed(4)}, test accuracy ${acc.toFixed(4)} (${secs}s)`);
}
if (lossFile) fs.writeFileSync(lossFile, JSON.stringify({ generator: "examples/fashion_mnist.ts", exact: torch.areExactNumericsEnabled(), float32_bits: losses }) + "\n");
