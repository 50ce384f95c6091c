# From a char-RNN tutorial: a character-level language model (Embedding -> 2-layer LSTM -> Linear)
# trained with Adam and gradient clipping on a short text, then a greedily generated sample.
import torch
from torch import nn

torch.manual_seed(0)
text = (
    "the quick brown fox jumps over the lazy dog. "
    "a small model learns to spell the words it sees. "
    "the fox sees the dog and the dog sees the fox. "
)
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(len(text), len(chars))

class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embed_dim=16, hidden_size=32, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state

model = CharLSTM(len(chars))
print(model)
print(sum(p.numel() for p in model.parameters()))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
seq_len, batch_size = 8, 16

def get_batch():
    starts = torch.randint(0, len(data) - seq_len - 1, (batch_size,))
    x = torch.stack([data[s:s + seq_len] for s in starts])
    y = torch.stack([data[s + 1:s + seq_len + 1] for s in starts])
    return x, y

for step in range(1, 201):
    x, y = get_batch()
    logits, _ = model(x)
    loss = criterion(logits.reshape(-1, len(chars)), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.6f} grad norm {norm.item():.6f}")
print(loss.grad_fn.name(), tuple(logits.shape))

model.eval()
with torch.no_grad():
    x = torch.tensor([[stoi[c] for c in "the "]])
    logits, state = model(x)
    out = "the "
    for _ in range(60):
        nxt = logits[0, -1].argmax()
        out += itos[nxt.item()]
        logits, state = model(nxt.view(1, 1), state)
print(repr(out))
