// torch.utils.summary against torchinfo 1.8.0 (fixtures from scripts/gen_summary_fixtures.py): the
// same models, the same tables, counts, input bytes, generator draws and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
import { summary, type SummaryOptions } from "../src/utils/summary.js";

const F = nn.functional;

interface Case {
  table: string;
  printed: string;
  total_params: number;
  trainable_params: number;
  total_mult_adds: number;
  total_input: number | null;
  total_output_bytes: number;
  total_param_bytes: number;
  training_after: boolean[];
  after: number[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/summary.json", import.meta.url), "utf8")) as {
  cases: Record<string, Case>;
  errors: Record<string, { error: string; msg: string }>;
};

/** PyTorch's examples/mnist/main.py network. */
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, { stride: 1 });
  conv2 = new nn.Conv2d(32, 64, 3, { stride: 1 });
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);
  override forward(x: Tensor): Tensor {
    x = F.relu(this.conv1(x));
    x = F.relu(this.conv2(x));
    x = F.maxPool2d(x, 2);
    x = this.dropout1(x);
    x = torch.flatten(x, 1);
    x = F.relu(this.fc1(x));
    x = this.dropout2(x);
    return F.logSoftmax(this.fc2(x), 1);
  }
}
class Shared extends nn.Module {
  fc = new nn.Linear(8, 8);
  act = new nn.ReLU();
  head = new nn.Linear(8, 2);
  override forward(x: Tensor): Tensor {
    return this.head(this.fc(this.act(this.fc(x))));
  }
}
class TextClassifier extends nn.Module {
  embedding = new nn.Embedding(100, 16);
  lstm = new nn.LSTM(16, 32, { batchFirst: true });
  fc = new nn.Linear(32, 4);
  override forward(x: Tensor): Tensor {
    const [out] = this.lstm(this.embedding(x)) as [Tensor, unknown];
    return this.fc(out.select(1, -1));
  }
}
class TwoInputs extends nn.Module {
  fc1 = new nn.Linear(3, 4);
  fc2 = new nn.Linear(5, 4);
  override forward(a: Tensor, b: Tensor): Tensor {
    return this.fc1(a).add(this.fc2(b));
  }
}
const mlp = () => new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const nestedFrozen = () => {
  const m = new nn.Sequential(
    new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU()),
    new nn.Sequential(new nn.Linear(20, 20), new nn.Sequential(new nn.Linear(20, 5), new nn.Tanh())),
  );
  m.at(0).at(0).requiresGrad_(false);
  return m;
};
const partlyFrozen = () => {
  const m = nestedFrozen();
  (m.at(1).at(0) as nn.Linear).bias!.requiresGrad_(false);
  return m;
};
const cnnSeq = () =>
  new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { stride: 1 }), new nn.ReLU(), new nn.Conv2d(32, 64, 3, { stride: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(9216, 128), new nn.ReLU(), new nn.Linear(128, 10),
  );
const bnNet = () =>
  new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 2));
const ALL_COLS = ["input_size", "output_size", "num_params", "params_percent", "kernel_size", "mult_adds", "trainable"];

// name -> [model factory, options; inputData given as a shape is drawn with torch.randn after seeding]
const CASES: Record<string, [() => nn.Module, Omit<SummaryOptions, "inputData"> & { inputData?: number[] | number[][] }]> = {
  mlp: [mlp, { inputSize: [128, 784] }],
  mlp_no_input: [mlp, {}],
  mlp_batch_dim: [mlp, { inputSize: [784], batchDim: 0 }],
  mnist_net: [() => new Net(), { inputSize: [64, 1, 28, 28] }],
  mnist_net_all_cols: [() => new Net(), { inputSize: [1, 1, 28, 28], colNames: ALL_COLS }],
  mnist_net_verbose: [() => new Net(), { inputSize: [1, 1, 28, 28], verbose: 2, colNames: ["kernel_size", "num_params"] }],
  cnn_seq_var_names: [cnnSeq, { inputSize: [64, 1, 28, 28], colNames: ["input_size", "output_size", "num_params", "mult_adds"], rowSettings: ["var_names", "depth"] }],
  nested_frozen: [nestedFrozen, { inputSize: [3, 10] }],
  nested_frozen_depth1: [nestedFrozen, { inputSize: [3, 10], depth: 1 }],
  nested_frozen_depth2: [nestedFrozen, { inputSize: [3, 10], depth: 2, colNames: ["output_size", "num_params", "trainable"] }],
  nested_frozen_ascii: [nestedFrozen, { inputSize: [3, 10], rowSettings: ["ascii_only", "depth"], colWidth: 16 }],
  nested_frozen_no_input: [nestedFrozen, {}],
  partly_frozen: [partlyFrozen, { inputSize: [3, 10], colNames: ["num_params", "params_percent", "trainable"] }],
  shared: [() => new Shared(), { inputSize: [4, 8] }],
  shared_hidden: [() => new Shared(), { inputSize: [4, 8], rowSettings: ["depth", "hide_recursive_layers"] }],
  lstm: [() => new TextClassifier(), { inputSize: [2, 7], dtypes: [torch.long], colNames: ["input_size", "output_size", "num_params", "mult_adds"] }],
  bn_train: [bnNet, { inputData: [4, 3, 16, 16], mode: "train", colNames: ["output_size", "num_params", "mult_adds"] }],
  two_inputs: [() => new TwoInputs(), { inputSize: [[2, 3], [2, 5]], colNames: ["input_size", "output_size", "num_params"] }],
  two_inputs_data: [() => new TwoInputs(), { inputData: [[2, 3], [2, 5]] }],
  linear_double: [() => new nn.Linear(5, 3).double(), { inputSize: [2, 5], dtypes: [torch.float64] }],
};

/** Runs fn with console.log captured. */
function capture<T>(fn: () => T): [T, string] {
  const orig = console.log;
  let out = "";
  console.log = (...a: unknown[]) => void (out += a.map(String).join(" ") + "\n");
  try {
    return [fn(), out];
  } finally {
    console.log = orig;
  }
}

test("summary: every fixture case has a TypeScript case", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(fx.cases).sort());
});

for (const [name, exp] of Object.entries(fx.cases)) {
  test(`summary: ${name} matches torchinfo`, () => {
    const [factory, o] = CASES[name]!;
    torch.manualSeed(0);
    const model = factory();
    const { inputData, ...rest } = o;
    const opts: SummaryOptions = { verbose: 0, ...rest };
    if (inputData) opts.inputData = Array.isArray(inputData[0]) ? (inputData as number[][]).map((s) => torch.randn(...s)) : torch.randn(...(inputData as number[]));
    const [stats, printed] = capture(() => summary(model, opts));
    assert.equal(String(stats), exp.table);
    assert.equal(printed, exp.printed);
    assert.equal(stats.totalParams, exp.total_params);
    assert.equal(stats.trainableParams, exp.trainable_params);
    assert.equal(stats.nonTrainableParams, exp.total_params - exp.trainable_params);
    assert.equal(stats.totalMultAdds, exp.total_mult_adds);
    // NOTE: torchinfo leaves total_input None when no forward pass runs; we keep a number (0)
    assert.equal(stats.totalInput, exp.total_input ?? 0);
    assert.equal(stats.totalOutputBytes, exp.total_output_bytes);
    assert.equal(stats.totalParamBytes, exp.total_param_bytes);
    assert.deepEqual(model.modules().map((m) => m.training), exp.training_after);
    // the input drawn with torch.rand moved the global generator as in PyTorch
    const after = torch.rand(3).tolist() as number[];
    after.forEach((v, i) => assert.ok(Math.abs(v - exp.after[i]!) < 1e-7, `draw ${i}: ${v} vs ${exp.after[i]}`));
  });
}

test("summary: verbose 1 (the default) prints the table, as torchinfo", () => {
  const [stats, printed] = capture(() => summary(mlp(), [128, 784]));
  assert.equal(printed, fx.cases.mlp!.table + "\n");
  assert.equal(stats.totalParams, 203530);
});

test("summary: console.log and util.inspect show the table; the layer list is available", async () => {
  const stats = summary(nestedFrozen(), { inputSize: [3, 10], verbose: 0 });
  const { inspect } = await import("node:util");
  assert.equal(inspect(stats), fx.cases.nested_frozen!.table);
  const names = stats.summaryList.map((l) => `${l.className}:${l.depth}-${l.depthIndex}`);
  assert.deepEqual(names, ["Sequential:0-1", "Sequential:1-1", "Linear:2-1", "ReLU:2-2", "Sequential:1-2", "Linear:2-3", "Sequential:2-4", "Linear:3-1", "Tanh:3-2"]);
  assert.deepEqual(stats.summaryList[2]!.outputSize, [3, 20]);
  assert.equal(stats.summaryList[2]!.trainable, "False");
});

test("summary: camelCase column names are accepted as aliases", () => {
  const a = summary(mlp(), { inputSize: [1, 784], colNames: ["outputSize", "numParams", "multAdds"], verbose: 0 });
  const b = summary(mlp(), { inputSize: [1, 784], colNames: ["output_size", "num_params", "mult_adds"], verbose: 0 });
  assert.equal(String(a), String(b));
});

test("summary: hooks are removed and the model's mode restored, also after a failure", () => {
  const m = mlp();
  m.eval();
  summary(m, { inputSize: [2, 784], verbose: 0, mode: "train" });
  for (const mod of m.modules()) {
    assert.equal(mod._forwardHooks.size, 0);
    assert.equal(mod._forwardPreHooks.size, 0);
    assert.equal(mod.training, false);
  }
  const bad = new nn.Sequential(new nn.Linear(4, 3), new nn.Linear(5, 2));
  assert.throws(() => summary(bad, { inputSize: [2, 4], verbose: 0 }), (e: Error) => e.cause instanceof Error);
  for (const mod of bad.modules()) assert.equal(mod._forwardHooks.size + mod._forwardPreHooks.size, 0);
});

const ERRORS: Record<string, () => unknown> = {
  col_width: () => summary(mlp(), [1, 784], { colWidth: 0, verbose: 0 }),
  verbose: () => summary(mlp(), [1, 784], { verbose: 3 }),
  both_inputs: () => summary(mlp(), [1, 784], { inputData: torch.zeros(1, 784), verbose: 0 }),
  columns_need_input: () => summary(mlp(), { colNames: ["output_size"], verbose: 0 }),
  negative_size: () => summary(mlp(), [1, -784], { verbose: 0 }),
  empty_size: () => summary(mlp(), [], { verbose: 0 }),
  bad_column: () => summary(mlp(), [1, 784], { colNames: ["outputs"], verbose: 0 }),
  bad_row: () => summary(mlp(), [1, 784], { rowSettings: ["depths"], verbose: 0 }),
  bad_mode: () => summary(mlp(), [1, 784], { mode: "test", verbose: 0 }),
  forward_fails: () => summary(new nn.Sequential(new nn.Linear(4, 3), new nn.Linear(5, 2)), [2, 4], { verbose: 0 }),
};
for (const [name, e] of Object.entries(fx.errors)) {
  test(`summary error: ${name}`, () => {
    assert.throws(ERRORS[name]!, (err: Error) => {
      assert.equal(err.name, e.error);
      assert.equal(err.message, e.msg);
      return true;
    });
  });
}
