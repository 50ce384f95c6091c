# From a Transformer tutorial: a small encoder classifier (Embedding + sinusoidal positional encoding
# + 2-layer nn.TransformerEncoder) on variable-length token sequences, padded and masked. The label
# is the most frequent of the tokens 1, 2 and 3 (ties go to the smaller); 4..7 are noise, 0 pads.
import math
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
PAD, VOCAB, MAX_LEN = 0, 8, 12

def make_data(n):
    lengths = torch.randint(4, MAX_LEN + 1, (n,))
    tokens = torch.randint(1, VOCAB, (n, MAX_LEN))
    positions = torch.arange(MAX_LEN).expand(n, MAX_LEN)
    tokens = tokens.masked_fill(positions >= lengths.unsqueeze(1), PAD)
    counts = torch.stack([(tokens == t).sum(dim=1) for t in (1, 2, 3)], dim=1)
    return tokens, counts.argmax(dim=1)

x_train, y_train = make_data(512)
x_test, y_test = make_data(128)
print(x_train.shape, [(y_train == c).sum().item() for c in range(3)], x_train[0].tolist())

class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64, dropout=0.1):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(1)])

class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, num_classes=3):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.1, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, x):
        pad = x == PAD
        h = self.pos(self.embed(x) * math.sqrt(self.d_model))
        h = self.encoder(h, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        pooled = (h * keep).sum(dim=1) / keep.sum(dim=1)
        return self.head(pooled)

model = TransformerClassifier(VOCAB)
print(sum(p.numel() for p in model.parameters()), [n for n, _ in model.named_parameters()][:4])
loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
# eps=1e-6 as in BERT's recipe: the key projection's bias gets a zero gradient up to rounding (softmax
# ignores a shift shared by a row's scores), and a smaller eps would let Adam turn that noise into steps.
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-6)
criterion = nn.CrossEntropyLoss()

def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    model.train()
    return (pred == y).float().mean().item()

for epoch in range(1, 6):
    total, correct = 0.0, 0
    for xb, yb in loader:
        logits = model(xb)
        loss = criterion(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
    print(f"epoch {epoch} loss {total / len(x_train):.6f} train acc {correct / len(x_train)} test acc {evaluate(x_test, y_test)}")
print(loss.grad_fn.name(), tuple(logits.shape))
print(f"eval accuracy {evaluate(x_test, y_test)}")
