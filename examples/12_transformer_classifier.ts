// From a Transformer tutorial: a small encoder classifier (Embedding + sinusoidal positional encoding
// + 2-layer nn.TransformerEncoder) on variable-length token sequences, padded and masked. The label
// is the most frequent of the tokens 1, 2 and 3 (ties go to the smaller); 4..7 are noise, 0 pads.
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
const { DataLoader, TensorDataset } = torch.utils.data;

torch.manualSeed(0);
const [PAD, VOCAB, MAX_LEN] = [0, 8, 12];

function makeData(n: number): [Tensor, Tensor] {
  const lengths = torch.randint(4, MAX_LEN + 1, [n]);
  let tokens = torch.randint(1, VOCAB, [n, MAX_LEN]);
  const positions = torch.arange(MAX_LEN).expand(n, MAX_LEN);
  tokens = tokens.maskedFill(positions.ge(lengths.unsqueeze(1)), PAD);
  const counts = torch.stack([1, 2, 3].map((t) => tokens.eq(t).sum(1)), 1);
  return [tokens, counts.argmax(1)];
}

const [xTrain, yTrain] = makeData(512);
const [xTest, yTest] = makeData(128);
console.log(
  `torch.Size([${xTrain.shape.join(", ")}])`,
  `[${[0, 1, 2].map((c) => yTrain.eq(c).sum().item()).join(", ")}]`,
  `[${(xTrain.index(0).tolist() as number[]).join(", ")}]`,
);

class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(dModel: number, maxLen = 64, dropout = 0.1) {
    super();
    this.dropout = new nn.Dropout(dropout);
    const position = torch.arange(maxLen).unsqueeze(1);
    const divTerm = torch.exp(torch.arange(0, dModel, 2).mul(-Math.log(10000.0) / dModel));
    const pe = torch.zeros(maxLen, dModel);
    pe.indexPut_([":", "0::2"], torch.sin(position.mul(divTerm)));
    pe.indexPut_([":", "1::2"], torch.cos(position.mul(divTerm)));
    this.registerBuffer("pe", pe);
  }

  override forward(x: Tensor): Tensor {
    return this.dropout(x.add(this.pe.index(`:${x.size(1)}`)));
  }
}

class TransformerClassifier extends nn.Module {
  dModel: number;
  embed: nn.Embedding;
  pos: PositionalEncoding;
  encoder: nn.TransformerEncoder;
  head: nn.Linear;

  constructor(vocabSize: number, dModel = 32, nhead = 4, numLayers = 2, numClasses = 3) {
    super();
    this.dModel = dModel;
    this.embed = new nn.Embedding(vocabSize, dModel, { paddingIdx: PAD });
    this.pos = new PositionalEncoding(dModel);
    const layer = new nn.TransformerEncoderLayer(dModel, nhead, { dimFeedforward: 64, dropout: 0.1, activation: "gelu", batchFirst: true });
    this.encoder = new nn.TransformerEncoder(layer, numLayers);
    this.head = new nn.Linear(dModel, numClasses);
  }

  override forward(x: Tensor): Tensor {
    const pad = x.eq(PAD);
    let h = this.pos(this.embed(x).mul(Math.sqrt(this.dModel)));
    h = this.encoder.forward(h, { srcKeyPaddingMask: pad });
    const keep = pad.logicalNot().unsqueeze(-1).float();
    const pooled = h.mul(keep).sum(1).div(keep.sum(1));
    return this.head(pooled);
  }
}

const model = new TransformerClassifier(VOCAB);
console.log(
  model.parameters().reduce((n, p) => n + p.numel(), 0),
  `[${[...model.namedParameters()].slice(0, 4).map(([n]) => `'${n}'`).join(", ")}]`,
);
const loader = new DataLoader(new TensorDataset(xTrain, yTrain), { batchSize: 32, shuffle: true });
// eps=1e-6 as in BERT's recipe: the key projection's bias gets a zero gradient up to rounding (softmax
// ignores a shift shared by a row's scores), and a smaller eps would let Adam turn that noise into steps.
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-3, eps: 1e-6 });
const criterion = new nn.CrossEntropyLoss();

function evaluate(x: Tensor, y: Tensor): number {
  model.eval();
  const pred = torch.noGrad(() => model.forward(x).argmax(1));
  model.train();
  return pred.eq(y).float().mean().item();
}

let loss!: Tensor, logits!: Tensor;
for (let epoch = 1; epoch <= 5; epoch++) {
  let [total, correct] = [0.0, 0];
  for (const [xb, yb] of loader) {
    logits = model.forward(xb!);
    loss = criterion(logits, yb!);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    total += loss.item() * xb!.shape[0]!;
    correct += logits.argmax(1).eq(yb!).sum().item();
  }
  const n = xTrain.shape[0]!;
  console.log(`epoch ${epoch} loss ${(total / n).toFixed(6)} train acc ${correct / n} test acc ${evaluate(xTest, yTest)}`);
}
console.log(loss.gradFn!.name(), `(${logits.shape.join(", ")})`);
console.log(`eval accuracy ${evaluate(xTest, yTest)}`);
