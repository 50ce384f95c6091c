// From an autoencoder tutorial: a convolutional autoencoder (Conv2d/ReLU/MaxPool2d encoder,
// ConvTranspose2d decoder, Sigmoid output) trained with MSELoss on generated 1x16x16 images: the
// brighter of two Gaussian blobs at each pixel, over a faint noise background.
import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
const { DataLoader, TensorDataset } = torch.utils.data;

torch.manualSeed(0);

function makeImages(n: number, size = 16): Tensor {
  const coords = torch.arange(size, { dtype: torch.float32 });
  const [yy, xx] = [coords.view(1, size, 1), coords.view(1, 1, size)];
  let images = torch.zeros(n, size, size);
  for (let i = 0; i < 2; i++) {
    const cx = torch.rand(n, 1, 1).mul(size - 6).add(3);
    const cy = torch.rand(n, 1, 1).mul(size - 6).add(3);
    const sigma = torch.rand(n, 1, 1).mul(1.5).add(1.5);
    const blob = torch.exp(xx.sub(cx).pow(2).add(yy.sub(cy).pow(2)).neg().div(sigma.pow(2).mul(2)));
    images = torch.maximum(images, blob);
  }
  images = images.mul(0.9).add(torch.rand(n, size, size).mul(0.1));
  return images.unsqueeze(1);
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const images = makeImages(256);
console.log(`torch.Size([${images.shape.join(", ")}])`, round(images.mean().item(), 6), round(images.max().item(), 6));

class ConvAutoencoder extends nn.Module {
  encoder = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), //   8 x 8 x 8
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), // 16 x 4 x 4
  );
  decoder = new nn.Sequential(
    new nn.ConvTranspose2d(16, 8, 2, { stride: 2 }), new nn.ReLU(), //               8 x 8 x 8
    new nn.ConvTranspose2d(8, 1, 2, { stride: 2 }), new nn.Sigmoid(), //             1 x 16 x 16
  );

  override forward(x: Tensor): Tensor {
    return this.decoder(this.encoder(x));
  }
}

const model = new ConvAutoencoder();
console.log(String(model));
const loader = new DataLoader(new TensorDataset(images), { batchSize: 64, shuffle: true });
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
const criterion = new nn.MSELoss();

let step = 0;
let loss!: Tensor, recon!: Tensor;
for (let epoch = 0; epoch < 12; epoch++) {
  for (const [batch] of loader) {
    recon = model.forward(batch!);
    loss = criterion(recon, batch!);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    step += 1;
    if (step % 12 === 0) console.log(`step ${step} loss ${loss.item().toFixed(6)}`);
  }
}
const shape = (t: Tensor) => `(${t.shape.join(", ")})`;
console.log(loss.gradFn!.name(), recon.gradFn!.name(), shape(recon));

model.eval();
torch.noGrad(() => {
  const first = images.index(":4");
  const code = model.encoder(first) as Tensor;
  const out = model.forward(first);
  console.log(shape(code), shape(out), criterion(out, first).item().toFixed(6));
  torch.setPrintOptions({ precision: 6, sciMode: true });
  console.log(String(out.sub(first).pow(2).mean([1, 2, 3])));
});
