# The recipe of examples/fashion_mnist.ts in real PyTorch, to give the accuracy the port must reach.
# usage: /usr/bin/python3 scripts/fashion_mnist_reference.py [--threads N] [--losses FILE]
#   --threads N    torch.set_num_threads(N) first
#   --losses FILE  also writes every training step's loss (float32 bits, hex) as JSON, to compare
#                  with `TYPETORCH_EXACT=1 LOSSES=FILE npx tsx examples/fashion_mnist.ts`.
# NOTE: the last bits depend on the CPU and on OpenBLAS's thread count. typetorch's exact numerics
# follow OpenBLAS's Cooperlake (AVX-512) kernel, as on the machine that made the reference outputs
# (../shared/programs/*.out), where all 938 losses agree bit for bit. On a Zen 3 EPYC (AVX2 only:
# OpenBLAS's Haswell kernel) the losses differ from typetorch's exact ones by an ulp or two from the
# first step on (at most 6e-5 relative over 938 steps); the printed lines agree with this script's
# under `--threads 2` ("epoch 1: loss 0.4359, test accuracy 0.8333"), while PyTorch left at its
# defaults there prints "epoch 1: loss 0.4727, test accuracy 0.8315".
import gzip, json, os, struct, sys, time
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

if "--threads" in sys.argv:
    torch.set_num_threads(int(sys.argv[sys.argv.index("--threads") + 1]))
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
losses = []
for epoch in range(2):
    t0 = time.time()
    model.train()
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(struct.unpack("<I", struct.pack("<f", loss.item()))[0])
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {acc:.4f} ({time.time() - t0:.1f}s)")
if "--losses" in sys.argv:
    with open(sys.argv[sys.argv.index("--losses") + 1], "w") as f:
        json.dump({"generator": "scripts/fashion_mnist_reference.py", "torch": torch.__version__,
                   "threads": torch.get_num_threads(), "float32_bits": ["%08x" % b for b in losses]}, f)
        f.write("\n")
