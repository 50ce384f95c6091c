# The recipe of examples/fashion_mnist.ts in real PyTorch, to give the accuracy the port must reach.
# usage: /usr/bin/python3 scripts/fashion_mnist_reference.py
import gzip, os, struct, time
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

ROOT = "/usr/share/datasets/fashion-mnist"

def read_idx(name):
    path = os.path.join(ROOT, name)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)

def find(prefix):
    for f in sorted(os.listdir(ROOT)):
        if f.startswith(prefix):
            return f
    raise FileNotFoundError(prefix)

torch.manual_seed(0)
xtr = read_idx(find("train-images")).float().div(255).reshape(-1, 784)
ytr = read_idx(find("train-labels")).long()
xte = read_idx(find("t10k-images")).float().div(255).reshape(-1, 784)
yte = read_idx(find("t10k-labels")).long()
mean, std = xtr.mean(), xtr.std()
xtr, xte = (xtr - mean) / std, (xte - mean) / std

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
for epoch in range(2):
    t0 = time.time()
    model.train()
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {acc:.4f} ({time.time() - t0:.1f}s)")
