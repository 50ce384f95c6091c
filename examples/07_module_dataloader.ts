// From a tutorial on SGD vs GD: nn.Linear + MSELoss + SGD over a shuffled DataLoader,
// then the same model written by hand with a hand-written optimizer.
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
const { DataLoader, TensorDataset } = torch.utils.data;

torch.manualSeed(0);
const inputs = torch.rand(100, 1).mul(10);
const labels = torch.mul(3, inputs).add(2).add(torch.randn(100, 1).mul(0.5));
const dataLoader = new DataLoader(new TensorDataset(inputs, labels), { batchSize: 32, shuffle: true });
console.log(dataLoader.length, `[${[...dataLoader].map(([x]) => `(${x!.shape.join(", ")})`).join(", ")}]`);

class LinearRegression extends nn.Module {
  linear = new nn.Linear(1, 1);

  override forward(x: Tensor): Tensor {
    return this.linear(x);
  }
}

const model = new LinearRegression();
console.log(String(model));
console.log(`[${[...model.namedParameters()].map(([name]) => `'${name}'`).join(", ")}]`);
const criterion = new nn.MSELoss();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
for (let epoch = 0; epoch < 200; epoch++) {
  for (const [x, y] of dataLoader) {
    optimizer.zeroGrad();
    const loss = criterion(model.forward(x!), y!);
    loss.backward();
    optimizer.step();
  }
}
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
console.log(round(model.linear.weight.item(), 2), round(model.linear.bias!.item(), 1));

class HandLinearRegression {
  w = torch.randn([1, 1], { requiresGrad: true });
  b = torch.randn([1, 1], { requiresGrad: true });

  forward(x: Tensor): Tensor {
    return this.w.mul(x).add(this.b); // (1, 1) broadcasts against (batch, 1)
  }

  parameters(): Tensor[] {
    return [this.w, this.b];
  }
}

const meanSquareLoss = (yPred: Tensor, y: Tensor): Tensor => torch.mean(yPred.sub(y).pow(2));

class Optimizer {
  constructor(
    private params: Tensor[],
    private lr: number,
  ) {}

  step(): void {
    torch.noGrad(() => {
      for (const param of this.params) param.sub_(param.grad!.mul(this.lr));
    });
  }

  zeroGrad(): void {
    for (const param of this.params) if (param.grad !== null) param.grad.zero_();
  }
}

const hand = new HandLinearRegression();
const opt = new Optimizer(hand.parameters(), 0.01);
for (let epoch = 0; epoch < 200; epoch++) {
  for (const [x, y] of dataLoader) {
    opt.zeroGrad();
    const loss = meanSquareLoss(hand.forward(x!), y!);
    loss.backward();
    opt.step();
  }
}
console.log(round(hand.w.item(), 2), round(hand.b.item(), 1));
