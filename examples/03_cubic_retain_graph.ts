// From a tutorial on optimizers and losses: f(x) = x^3, f'(4) = 48, grads accumulate,
// backward twice needs retainGraph, zeroGrad/step of an optimizer on a hand-written function.
import * as torch from "../src/index.js";

let x = torch.tensor(4.0, { requiresGrad: true });
const f = x.pow(3);
f.backward(null, { retainGraph: true });
console.log(String(x.grad));
f.backward(); // accumulates: 48 + 48
console.log(String(x.grad));
try {
  f.backward(); // graph already freed
} catch (e) {
  if (!(e instanceof torch.RuntimeError)) throw e;
  console.log("RuntimeError:", e.message.split(".")[0]);
}
x.grad!.zero_();
console.log(String(x.grad));

// an optimizer walking x down f(x) = (x - 3)^2
x = torch.tensor(10.0, { requiresGrad: true });
const opt = new torch.optim.SGD([x], { lr: 0.1 });
for (let step = 0; step < 50; step++) {
  opt.zeroGrad();
  const loss = x.sub(3).pow(2);
  loss.backward();
  opt.step();
}
console.log(Math.round(x.item() * 1e4) / 1e4);
