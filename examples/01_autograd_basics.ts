// From the tutorial "PyTorch的Tensor和自动求导": a tiny graph x -> y -> z -> out.
import * as torch from "../src/index.js";

const x = torch.ones(2, 2, { requiresGrad: true });
const y = x.add(2);
const z = y.mul(y).mul(3);
const out = z.mean();

console.log(String(x));
console.log(String(y));
console.log(String(z));
console.log(String(out));

out.backward();
console.log(String(x.grad));
console.log(y.grad, z.grad); // non-leaf tensors keep no .grad
console.log(x.isLeaf, y.isLeaf, out.requiresGrad);
