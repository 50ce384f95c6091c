# From an autoencoder tutorial: a convolutional autoencoder (Conv2d/ReLU/MaxPool2d encoder,
# ConvTranspose2d decoder, Sigmoid output) trained with MSELoss on generated 1x16x16 images: the
# brighter of two Gaussian blobs at each pixel, over a faint noise background.
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

def make_images(n, size=16):
    coords = torch.arange(size, dtype=torch.float32)
    yy, xx = coords.view(1, size, 1), coords.view(1, 1, size)
    images = torch.zeros(n, size, size)
    for _ in range(2):
        cx = torch.rand(n, 1, 1) * (size - 6) + 3
        cy = torch.rand(n, 1, 1) * (size - 6) + 3
        sigma = torch.rand(n, 1, 1) * 1.5 + 1.5
        blob = torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma ** 2))
        images = torch.maximum(images, blob)
    images = images * 0.9 + 0.1 * torch.rand(n, size, size)
    return images.unsqueeze(1)

images = make_images(256)
print(images.shape, round(images.mean().item(), 6), round(images.max().item(), 6))

class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 8 x 8 x 8
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 16 x 4 x 4
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 2, stride=2), nn.ReLU(),           # 8 x 8 x 8
            nn.ConvTranspose2d(8, 1, 2, stride=2), nn.Sigmoid(),         # 1 x 16 x 16
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))

model = ConvAutoencoder()
print(model)
loader = DataLoader(TensorDataset(images), batch_size=64, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
criterion = nn.MSELoss()

step = 0
for epoch in range(12):
    for (batch,) in loader:
        recon = model(batch)
        loss = criterion(recon, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % 12 == 0:
            print(f"step {step} loss {loss.item():.6f}")
print(loss.grad_fn.name(), recon.grad_fn.name(), tuple(recon.shape))

model.eval()
with torch.no_grad():
    code = model.encoder(images[:4])
    out = model(images[:4])
    print(tuple(code.shape), tuple(out.shape), f"{criterion(out, images[:4]).item():.6f}")
    torch.set_printoptions(precision=6, sci_mode=True)
    print(((out - images[:4]) ** 2).mean(dim=(1, 2, 3)))
