// From the tutorial "PyTorch的Tensor和自动求导": a two-layer ReLU net trained with raw tensors.
import * as torch from "../src/index.js";

torch.manualSeed(0);
const dtype = torch.float;
const device = "cpu";
const [N, DIn, H, DOut] = [64, 1000, 100, 10];
const x = torch.randn(N, DIn, { device, dtype });
const y = torch.randn(N, DOut, { device, dtype });
const w1 = torch.randn(DIn, H, { device, dtype, requiresGrad: true });
const w2 = torch.randn(H, DOut, { device, dtype, requiresGrad: true });

const learningRate = 1e-6;
let yPred = x;
for (let t = 0; t < 500; t++) {
  yPred = x.mm(w1).clamp({ min: 0 }).mm(w2);
  const loss = yPred.sub(y).pow(2).sum();
  if (t % 100 === 99) console.log(t, loss.item());
  loss.backward();
  torch.noGrad(() => {
    w1.sub_(w1.grad!.mul(learningRate));
    w2.sub_(w2.grad!.mul(learningRate));
    w1.grad!.zero_();
    w2.grad!.zero_();
  });
}
console.log(yPred.gradFn!.name(), w1.requiresGrad, w1.isLeaf);
