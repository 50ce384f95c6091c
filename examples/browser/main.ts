// The browser demo (examples/browser/index.html): trains a small MLP on generated two-moons data in
// the page and draws its loss curve live on a canvas. Built into dist/main.js by
// `npm run example:browser` (scripts/build_browser_example.ts); test/browser/page.ts opens it in
// headless Chromium. In an application, import from "typetorch" instead of the sources.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const { nn, optim } = torch;

/** What the page has done, for people (the status line) and for the test (window.typetorchDemo). */
export interface DemoState {
  steps: number;
  step: number;
  losses: number[];
  accuracy: number | null;
  done: boolean;
  error: string | null;
  /** The loss values the curve was last drawn with. */
  drawnPoints: number;
}

const params = new URLSearchParams(location.search);
const STEPS = Number(params.get("steps") ?? 300);
const N = 200;
const state: DemoState = { steps: STEPS, step: 0, losses: [], accuracy: null, done: false, error: null, drawnPoints: 0 };
(globalThis as { typetorchDemo?: DemoState }).typetorchDemo = state;

/** scikit-learn's make_moons: two interleaved half circles, with Gaussian noise. */
function makeMoons(n: number, noise: number): [Tensor, Tensor] {
  const half = Math.floor(n / 2);
  const t1 = torch.linspace(0, Math.PI, half), t2 = torch.linspace(0, Math.PI, n - half);
  const outer = torch.stack([t1.cos(), t1.sin()], 1);
  const inner = torch.stack([t2.cos().neg().add(1), t2.sin().neg().add(0.5)], 1);
  const x = torch.cat([outer, inner], 0).add(torch.randn(n, 2).mul(noise));
  const y = torch.cat([torch.zeros(half, { dtype: torch.int64 }), torch.ones(n - half, { dtype: torch.int64 })]);
  return [x, y];
}

function drawLoss(canvas: HTMLCanvasElement, losses: readonly number[], steps: number): void {
  const ctx = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, w, h);
  const top = Math.max(...losses, 1e-6);
  ctx.strokeStyle = "#999999";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.l, pad.t);
  ctx.lineTo(pad.l, h - pad.b);
  ctx.lineTo(w - pad.r, h - pad.b);
  ctx.stroke();
  ctx.fillStyle = "#555555";
  ctx.font = "11px sans-serif";
  ctx.fillText(top.toFixed(2), 6, pad.t + 8);
  ctx.fillText("0", 30, h - pad.b);
  ctx.fillText("step", w / 2 - 10, h - 8);
  ctx.fillText(String(steps), w - pad.r - 20, h - pad.b + 14);
  const px = (i: number) => pad.l + ((w - pad.l - pad.r) * i) / Math.max(steps - 1, 1);
  const py = (v: number) => h - pad.b - ((h - pad.t - pad.b) * v) / top;
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 2;
  ctx.beginPath();
  losses.forEach((v, i) => (i === 0 ? ctx.moveTo(px(i), py(v)) : ctx.lineTo(px(i), py(v))));
  ctx.stroke();
  canvas.dataset["points"] = String(losses.length);
  state.drawnPoints = losses.length;
}

function drawData(canvas: HTMLCanvasElement, model: torch.nn.Module, x: Tensor, y: Tensor): void {
  const ctx = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const [x0, x1, y0, y1] = [-1.6, 2.6, -1.1, 1.6];
  const g = 60;
  const grid = torch.stack(torch.meshgrid(torch.linspace(x0, x1, g), torch.linspace(y1, y0, g), { indexing: "xy" }), -1).reshape(-1, 2);
  const cls = torch.noGrad(() => (model(grid) as Tensor).argmax(1)).dataSync();
  for (let k = 0; k < g * g; k++) {
    ctx.fillStyle = cls[k] ? "#fde0c5" : "#d4e6f5";
    ctx.fillRect(((k % g) * w) / g, (Math.floor(k / g) * h) / g, w / g + 1, h / g + 1);
  }
  const xs = x.dataSync(), ys = y.dataSync();
  for (let i = 0; i < ys.length; i++) {
    ctx.fillStyle = ys[i] ? "#ff7f0e" : "#1f77b4";
    ctx.beginPath();
    ctx.arc(((xs[2 * i]! - x0) / (x1 - x0)) * w, ((y1 - xs[2 * i + 1]!) / (y1 - y0)) * h, 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}

async function train(): Promise<void> {
  const status = document.getElementById("status")!;
  const lossCanvas = document.getElementById("loss") as HTMLCanvasElement;
  const dataCanvas = document.getElementById("data") as HTMLCanvasElement;
  Object.assign(state, { step: 0, losses: [], accuracy: null, done: false, error: null, drawnPoints: 0 });
  document.body.dataset["state"] = "training";
  torch.manualSeed(0);
  const [x, y] = makeMoons(N, 0.1);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 2));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: 0.03 });
  const t0 = performance.now();
  while (state.step < STEPS) {
    // a few steps, then a frame for the browser to draw
    for (let k = 0; k < 10 && state.step < STEPS; k++, state.step++) {
      opt.zeroGrad();
      const loss = lossFn(model(x), y) as Tensor;
      loss.backward();
      opt.step();
      state.losses.push(loss.item());
    }
    drawLoss(lossCanvas, state.losses, STEPS);
    status.textContent = `step ${state.step}/${STEPS}  loss ${state.losses.at(-1)!.toFixed(4)}`;
    await new Promise((r) => setTimeout(r, 0));
  }
  const acc = torch.noGrad(() => (model(x) as Tensor).argmax(1).eq(y).float().mean().item());
  state.accuracy = acc;
  drawData(dataCanvas, model, x, y);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  status.textContent = `step ${state.step}/${STEPS}  loss ${state.losses.at(-1)!.toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%  (${secs} s)`;
  state.done = true;
  document.body.dataset["state"] = "done";
}

function run(): void {
  train().catch((e: unknown) => {
    state.error = String((e as Error)?.stack ?? e);
    document.body.dataset["state"] = "error";
    document.getElementById("status")!.textContent = `error: ${String(e)}`;
  });
}
document.getElementById("restart")!.addEventListener("click", () => {
  if (state.done || state.error) run();
});
run();
