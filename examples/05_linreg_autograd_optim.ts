// From the tutorial "PyTorch实现线性回归": the same fit with autograd, then with torch.optim (SGD and Adam).
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
const optim = torch.optim;

const tY = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tX = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tXn = tX.mul(0.1);

const model = (tX: Tensor, w: Tensor, b: Tensor) => w.mul(tX).add(b);
const lossFn = (tY: Tensor, tP: Tensor) => tY.sub(tP).pow(2).mean();

function trainAutograd(epochs: number, learningRate: number, params: Tensor, x: Tensor, y: Tensor): [Tensor, Tensor] {
  let loss = params;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (params.grad !== null) params.grad.zero_();
    const [w, b] = params;
    loss = lossFn(y, model(x, w!, b!));
    loss.backward();
    params = params.sub(params.grad!.mul(learningRate)).detach().requiresGrad_();
  }
  return [params, loss];
}

let [params, loss] = trainAutograd(5000, 1e-2, torch.tensor([1.0, 0.0], { requiresGrad: true }), tXn, tY);
console.log("autograd", String(params), loss.item());

function trainOptim(epochs: number, optimizer: torch.optim.Optimizer, params: Tensor, x: Tensor, y: Tensor): [Tensor, Tensor] {
  let loss = params;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    optimizer.zeroGrad();
    const [w, b] = params;
    loss = lossFn(y, model(x, w!, b!));
    loss.backward();
    optimizer.step();
  }
  return [params, loss];
}

params = torch.tensor([1.0, 0.0], { requiresGrad: true });
[params, loss] = trainOptim(5000, new optim.SGD([params], { lr: 1e-2 }), params, tXn, tY);
console.log("SGD", String(params), loss.item());

params = torch.tensor([1.0, 0.0], { requiresGrad: true });
[params, loss] = trainOptim(2000, new optim.Adam([params], { lr: 1e-1 }), params, tXn, tY);
console.log("Adam", String(params), loss.item());
// Python's dir(optim)[:12]: the public names, sorted
const names = Object.keys(optim).filter((k) => /^[A-Z]/.test(k)).sort();
console.log(`[${names.slice(0, 12).map((n) => `'${n}'`).join(", ")}]`);
