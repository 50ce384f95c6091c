// From a tutorial on the d2l chapter: `-=` is in place (same tensor), `p = p - 4` is a new one;
// and the errors a user meets on the way.
import * as torch from "../src/index.js";

const x1 = torch.tensor([1.0]);
const x2 = torch.tensor([2.0]);
let params = [x1, x2];
for (const p of params) p.sub_(4);
console.log(`[${params.join(", ")}]`);
params = [torch.tensor([1.0]), torch.tensor([2.0])];
for (let p of params) p = p.sub(4);
console.log(`[${params.join(", ")}]`);

const w = torch.tensor([1.0, 2.0], { requiresGrad: true });
for (const attempt of ["in-place on leaf", "non-scalar backward", "shape mismatch", "mm mismatch"]) {
  try {
    if (attempt === "in-place on leaf") w.sub_(1);
    else if (attempt === "non-scalar backward") w.mul(2).backward();
    else if (attempt === "shape mismatch") torch.ones(2, 3).add(torch.ones(4));
    else torch.ones(2, 3).mm(torch.ones(2, 3));
  } catch (e) {
    if (!(e instanceof torch.RuntimeError)) throw e;
    console.log(attempt, "->", e.message.split("\n")[0]);
  }
}

torch.noGrad(() => w.sub_(1));
console.log(String(w), w.requiresGrad, w.isLeaf);
const d = w.mul(2).detach();
console.log(d.requiresGrad, d.gradFn);
