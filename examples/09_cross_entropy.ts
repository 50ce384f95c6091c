// From a tutorial on confusing names: CrossEntropyLoss is logSoftmax + nllLoss.
import * as torch from "../src/index.js";
const { nn } = torch;
const F = nn.functional;

const logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.1]], { requiresGrad: true });
const target = torch.tensor([0, 1, 2], { dtype: torch.int64 });
const ce = new nn.CrossEntropyLoss()(logits, target);
const nll = F.nllLoss(F.logSoftmax(logits, 1), target);
console.log(String(ce), String(nll));
console.log(torch.allclose(ce, nll));
ce.backward();
console.log(String(logits.grad));
console.log(
  String(new nn.CrossEntropyLoss({ reduction: "sum" })(logits, target)),
  String(new nn.CrossEntropyLoss({ reduction: "none" })(logits, target)),
);
console.log(String(F.softmax(logits, 1).sum(1)));
