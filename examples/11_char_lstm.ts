// From a char-RNN tutorial: a character-level language model (Embedding -> 2-layer LSTM -> Linear)
// trained with Adam and gradient clipping on a short text, then a greedily generated sample.
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";

torch.manualSeed(0);
const text =
  "the quick brown fox jumps over the lazy dog. " +
  "a small model learns to spell the words it sees. " +
  "the fox sees the dog and the dog sees the fox. ";
const chars = [...new Set(text)].sort();
const stoi = new Map(chars.map((c, i) => [c, i]));
const itos = new Map(chars.map((c, i) => [i, c]));
const data = torch.tensor([...text].map((c) => stoi.get(c)!), { dtype: torch.int64 });
console.log(text.length, chars.length);

type State = [Tensor, Tensor];

class CharLSTM extends nn.Module {
  embed: nn.Embedding;
  lstm: nn.LSTM;
  head: nn.Linear;

  constructor(vocabSize: number, embedDim = 16, hiddenSize = 32, numLayers = 2) {
    super();
    this.embed = new nn.Embedding(vocabSize, embedDim);
    this.lstm = new nn.LSTM(embedDim, hiddenSize, { numLayers, batchFirst: true });
    this.head = new nn.Linear(hiddenSize, vocabSize);
  }

  override forward(x: Tensor, state: State | null = null): [Tensor, State] {
    const [out, next] = this.lstm.forward(this.embed(x), state);
    return [this.head(out), next];
  }
}

const model = new CharLSTM(chars.length);
console.log(String(model));
console.log(model.parameters().reduce((n, p) => n + p.numel(), 0));
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
const criterion = new nn.CrossEntropyLoss();
const [seqLen, batchSize] = [8, 16];

function getBatch(): [Tensor, Tensor] {
  const starts = torch.randint(0, data.shape[0]! - seqLen - 1, [batchSize]).tolist() as number[];
  const x = torch.stack(starts.map((s) => data.index(`${s}:${s + seqLen}`)));
  const y = torch.stack(starts.map((s) => data.index(`${s + 1}:${s + seqLen + 1}`)));
  return [x, y];
}

let loss!: Tensor, logits!: Tensor;
for (let step = 1; step <= 200; step++) {
  const [x, y] = getBatch();
  [logits] = model.forward(x);
  loss = criterion(logits.reshape(-1, chars.length), y.reshape(-1));
  optimizer.zeroGrad();
  loss.backward();
  const norm = nn.utils.clipGradNorm_(model.parameters(), 1.0);
  optimizer.step();
  if (step % 50 === 0) console.log(`step ${step} loss ${loss.item().toFixed(6)} grad norm ${norm.item().toFixed(6)}`);
}
console.log(loss.gradFn!.name(), `(${logits.shape.join(", ")})`);

model.eval();
const sample = torch.noGrad(() => {
  const x = torch.tensor([[..."the "].map((c) => stoi.get(c)!)], { dtype: torch.int64 });
  let [logits, state] = model.forward(x);
  let out = "the ";
  for (let i = 0; i < 60; i++) {
    const nxt = logits.index(0, -1).argmax();
    out += itos.get(nxt.item())!;
    [logits, state] = model.forward(nxt.view(1, 1), state);
  }
  return out;
});
console.log(`'${sample}'`);
