// From a tutorial on the d2l linear-regression chapter: synthetic data, a hand-written
// dataIter, sgd under noGrad with param -= lr * grad / batchSize, then the concise version,
// and reduction "sum" with lr / batchSize.
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";

torch.manualSeed(0);
// NOTE: Python's own `random` module shuffles here; JavaScript has no seeded equivalent, so a small
// seeded generator stands in (the losses it leads to match PyTorch's in magnitude, not in digits).
let state = 0x2545f491;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};
function shuffle<T>(a: T[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

function syntheticData(w: Tensor, b: number, numExamples: number): [Tensor, Tensor] {
  const X = torch.normal(0, 1, [numExamples, w.shape[0]!]);
  const y = torch.matmul(X, w).add(b);
  y.add_(torch.normal(0, 0.01, y.shape));
  return [X, y.reshape([-1, 1])];
}

const trueW = torch.tensor([2, -3.4]);
const trueB = 4.2;
const [features, labels] = syntheticData(trueW, trueB, 1000);

function* dataIter(batchSize: number, features: Tensor, labels: Tensor): Generator<[Tensor, Tensor]> {
  const numExamples = features.shape[0]!;
  const indices = Array.from({ length: numExamples }, (_, i) => i);
  shuffle(indices);
  for (let i = 0; i < numExamples; i += batchSize) {
    const batchIndices = torch.tensor(indices.slice(i, Math.min(i + batchSize, numExamples)), { dtype: torch.int64 });
    yield [features.index(batchIndices), labels.index(batchIndices)];
  }
}

const w = torch.normal(0, 0.01, [2, 1], { requiresGrad: true });
const b = torch.zeros(1, { requiresGrad: true });

const linreg = (X: Tensor, w: Tensor, b: Tensor) => torch.matmul(X, w).add(b);
const squaredLoss = (yHat: Tensor, y: Tensor) => yHat.sub(y.reshape(yHat.shape)).pow(2).div(2);

function sgd(params: Tensor[], lr: number, batchSize: number): void {
  torch.noGrad(() => {
    for (const param of params) {
      param.sub_(param.grad!.mul(lr).div(batchSize));
      param.grad!.zero_();
    }
  });
}

const [lr, numEpochs, batchSize] = [0.03, 3, 10];
for (let epoch = 0; epoch < numEpochs; epoch++) {
  for (const [X, y] of dataIter(batchSize, features, labels)) {
    const l = squaredLoss(linreg(X, w, b), y);
    l.sum().backward();
    sgd([w, b], lr, batchSize);
  }
  torch.noGrad(() => {
    const trainL = squaredLoss(linreg(features, w, b), labels);
    console.log(`epoch ${epoch + 1}, loss ${trainL.mean().item().toFixed(6)}`);
  });
}
console.log(trueW.sub(w.reshape(trueW.shape)).abs().max().item() < 0.01, Math.abs(trueB - b.item()) < 0.01);

const { DataLoader, TensorDataset } = torch.utils.data;
const dataIter2 = new DataLoader(new TensorDataset(features, labels), { batchSize, shuffle: true });
for (const [reduction, lr] of [["mean", 0.03], ["sum", 0.03 / batchSize]] as const) {
  const net = new nn.Sequential(new nn.Linear(2, 1));
  const lin = net.at(0) as InstanceType<typeof nn.Linear>;
  lin.weight.data.normal_(0, 0.01);
  lin.bias!.data.fill_(0);
  const loss = new nn.MSELoss({ reduction });
  const trainer = new torch.optim.SGD(net.parameters(), { lr });
  for (let epoch = 0; epoch < 3; epoch++) {
    for (const [X, y] of dataIter2) {
      const l = loss(net(X!), y!);
      trainer.zeroGrad();
      l.backward();
      trainer.step();
    }
  }
  const l = loss(net(features), labels);
  console.log(reduction, l.item() < (reduction === "mean" ? 0.001 : 1.0));
}

// backward through a freed graph is an error
const [X, y] = [features.index(":10"), labels.index(":10")];
const l = squaredLoss(linreg(X, w, b), y).sum();
l.backward();
try {
  l.backward();
} catch (e) {
  if (!(e instanceof torch.RuntimeError)) throw e;
  console.log("RuntimeError:", e.message.split(".")[0]);
}
