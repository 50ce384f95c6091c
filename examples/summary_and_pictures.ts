// What PyTorch users reach for besides the numbers, in typetorch: torchinfo's summary, a tqdm
// progress bar, torchviz's graph picture and matplotlib-style plots.
//   npx tsx examples/summary_and_pictures.ts [OUTDIR]      (pictures go to OUTDIR, default the temp folder)
import os from "node:os";
import path from "node:path";
import * as torch from "../src/index.js";
import { nn, utils, type Tensor } from "../src/index.js";

const out = process.argv[2] ?? os.tmpdir();
torch.manualSeed(0);

// torchinfo: summary(model, input_size=(64, 1, 28, 28)) prints the table and returns the counts
const cnn = new nn.Sequential(
  new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.Conv2d(32, 64, 3), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Linear(128, 10),
);
const stats = utils.summary(cnn, [64, 1, 28, 28]);
console.log(`${stats.totalParams} parameters, ${stats.trainableParams} trainable`);

// linear regression with a progress bar (tqdm on stderr), then the data and the fitted line
const x = torch.linspace(0, 10, 50).unsqueeze(1);
const y = x.mul(2).add(1).add(torch.randn(50, 1));
const model = new nn.Linear(1, 1);
const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
const losses: number[] = [];
const bar = utils.trange(500, { desc: "fit" });
for (const _ of bar) {
  opt.zeroGrad();
  const loss = nn.functional.mseLoss(model(x), y) as Tensor;
  loss.backward();
  opt.step();
  losses.push(loss.item());
  bar.setPostfix({ loss: losses.at(-1)! }, { refresh: false });
}
console.log(`weight ${model.weight.item().toFixed(3)}, bias ${model.bias!.item().toFixed(3)}`);
const files = [
  utils.plot.scatterFit(x, y, { weight: model.weight, bias: model.bias }, { title: "y = 2x + 1 + noise" }).save(path.join(out, "typetorch_fit.svg")),
  utils.plot.lossCurves({ "training loss": losses }, { yscale: "log", grid: true }).save(path.join(out, "typetorch_fit_loss.svg")),
];

// torchviz: make_dot(loss, params=dict(model.named_parameters()))
const mlp = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
const loss = nn.functional.mseLoss(mlp(torch.randn(5, 3)), torch.randn(5, 2)) as Tensor;
const dot = utils.makeDot(loss, { params: mlp.namedParameters() });
console.log(dot.source.split("\n").filter((l) => l.includes("Backward")).length, "backward nodes");
files.push(dot.save(path.join(out, "typetorch_graph.svg")), dot.save(path.join(out, "typetorch_graph.dot")));
console.error(`pictures: ${files.join(", ")}`);
