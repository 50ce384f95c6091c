// From the tutorial "PyTorch实现线性回归": hand-written gradients, then 5000 epochs of GD.
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

const tY = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tX = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

const model = (tX: Tensor, w: Tensor, b: Tensor) => w.mul(tX).add(b);

function lossFn(tY: Tensor, tP: Tensor): Tensor {
  const squaredDiff = tY.sub(tP).pow(2);
  return squaredDiff.mean();
}

const dlossFn = (tY: Tensor, tP: Tensor) => torch.mul(2, tY.sub(tP));

function gradFn(tX: Tensor, _w: Tensor, _b: Tensor, tY: Tensor, tP: Tensor): Tensor {
  const dw = dlossFn(tY, tP).mul(tX);
  const db = dlossFn(tY, tP).mul(1.0);
  return torch.tensor([dw.mean(), db.mean()]);
}

function trainLoop(epochs: number, learningRate: number, params: Tensor, x: Tensor, y: Tensor): Tensor {
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const [w, b] = params;
    const tP = model(x, w!, b!);
    const loss = lossFn(y, tP);
    const grad = gradFn(x, w!, b!, y, tP);
    params = params.add(torch.mul(learningRate, grad)); // the post's sign: dloss_fn is (y - p)
    if (epoch === 1 || epoch === 2 || epoch === 5000) console.log(`Epoch: ${epoch}, Loss: ${loss.item()}`);
  }
  return params;
}

const tXn = tX.mul(0.1);
const param = trainLoop(5000, 1e-2, torch.tensor([1.0, 0.0]), tXn, tY);
console.log("w,b", param.index(0).item(), param.index(1).item());
