// From the tutorial "PyTorch实现线性回归": j = 3 * (a + b * c); only leaves get .grad.
import * as torch from "../src/index.js";

const a = torch.tensor(3.0, { requiresGrad: true });
const b = torch.tensor(5.0, { requiresGrad: true });
const c = torch.tensor(8.0, { requiresGrad: true });
const u = b.mul(c);
const v = a.add(u);
const j = torch.mul(3, v);
console.log(String(u));
console.log(String(j));
console.log(String(v));
j.backward();
console.log(String(a.grad));
console.log(String(b.grad));
console.log(String(c.grad));
console.log(u.grad, v.grad, j.grad);
