// Opens the browser demo (examples/browser/index.html, bundled by scripts/build_browser_example.ts)
// in headless Chromium and checks that it trained (the loss fell, the two moons were separated) and
// drew its loss curve (the canvas holds the curve's pixels, its data-points says how many losses it
// was drawn with); keeps a screenshot in artifacts/browser/demo.png (git-ignored). Then checks the
// browser side of the data loading: ImageFolder.fromURLs decoding the fixture images with the
// browser's own decoder (createImageBitmap), against PIL's pixels.
//
// usage: npm run test:browser (with the programs check) or tsx test/browser/page.ts. Needs Chromium
// (apt-get install chromium, or CHROMIUM=/path/to/chrome).
import { build } from "esbuild";
import { chromium, type Page } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { buildBrowserExample } from "../../scripts/build_browser_example.js";
import { CHROMIUM_ARGS, findChromium } from "./chromium.js";

const root = process.cwd();
const ORIGIN = "https://typetorch.test";
const artifacts = path.join(root, "artifacts", "browser");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".map": "application/json", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".PNG": "image/png" };

/** Serves the repository's files under ORIGIN, for fetch and module scripts alike. */
async function serveRepo(page: Page): Promise<void> {
  await page.route(`${ORIGIN}/**`, async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, "");
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return route.fulfill({ status: 404, body: "not found" });
    return route.fulfill({ status: 200, headers: { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }, body: fs.readFileSync(file) });
  });
}

interface DemoState {
  steps: number;
  step: number;
  losses: number[];
  accuracy: number | null;
  done: boolean;
  error: string | null;
  drawnPoints: number;
}

async function checkDemo(page: Page, report: (name: string, ok: boolean, detail: string) => void): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/examples/browser/index.html`);
  await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset["state"] ?? ""), null, { timeout: 180_000 });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const state = (await page.evaluate("window.typetorchDemo")) as DemoState;
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "demo.png"), fullPage: true });
  // the curve: pixels of its colour (#d62728) on the loss canvas, and where they lie
  const curve = (await page.evaluate(() => {
    const c = document.getElementById("loss") as HTMLCanvasElement;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0, minX = Infinity, maxX = -Infinity;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i]! - 0xd6) < 24 && Math.abs(d[i + 1]! - 0x27) < 24 && Math.abs(d[i + 2]! - 0x28) < 24) {
        n++;
        const x = (i / 4) % c.width;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
      }
    }
    return { n, minX, maxX, width: c.width, points: c.dataset["points"] ?? null, status: document.getElementById("status")!.textContent };
  })) as { n: number; minX: number; maxX: number; width: number; points: string | null; status: string };
  const regions = (await page.evaluate(() => {
    const c = document.getElementById("data") as HTMLCanvasElement;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let blue = 0, orange = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 0xd4 && d[i + 1] === 0xe6 && d[i + 2] === 0xf5) blue++;
      if (d[i] === 0xfd && d[i + 1] === 0xe0 && d[i + 2] === 0xc5) orange++;
    }
    return { blue, orange };
  })) as { blue: number; orange: number };

  const l = state.losses;
  report("the page trained without errors", state.done && state.error === null && errors.length === 0, `state ${state.done ? "done" : "not done"} in ${secs} s; ${state.error ?? errors.join(" | ") ?? ""}`);
  report("every step's loss was recorded", l.length === state.steps && state.step === state.steps && l.every(Number.isFinite), `${l.length} losses for ${state.steps} steps`);
  const first = l[0] ?? NaN, last = l.at(-1) ?? NaN;
  report("the loss fell", last < 0.25 * first && first > 0.5, `first ${first.toFixed(4)}, last ${last.toFixed(4)}`);
  report("the moons were separated", (state.accuracy ?? 0) >= 0.95, `training accuracy ${state.accuracy}`);
  report("the loss curve was drawn with every loss", curve.points === String(l.length) && state.drawnPoints === l.length, `canvas data-points ${curve.points}`);
  report("the curve's pixels span the plot", curve.n > 300 && curve.minX < 60 && curve.maxX > curve.width - 30, `${curve.n} curve pixels, x from ${curve.minX} to ${curve.maxX}`);
  report("the decision regions were drawn", regions.blue > 5000 && regions.orange > 5000, `${regions.blue} and ${regions.orange} pixels of the two regions`);
  report("the status line reports the result", /step \d+\/\d+ +loss \d\.\d{4} +accuracy \d+\.\d%/.test(curve.status), JSON.stringify(curve.status));
}

/** Runs in the page: ImageFolder.fromURLs + ToTensor through the browser's decoder. */
const DECODE_CHECK = `
import * as torch from "./src/index.js";
(globalThis as any).runDecodeCheck = async (paths: string[], base: string) => {
  const { ImageFolder, DataLoader, decodeImage, transforms } = torch.utils.data;
  const ds = ImageFolder.fromURLs(paths, base);
  const images: Record<string, number[]> = {};
  for (let i = 0; i < ds.length; i++) {
    const [img] = await ds.getItem(i);
    images[ds.samples[i]![0]] = Array.from(img.data);
  }
  const withT = ImageFolder.fromURLs(paths, base, { transform: new transforms.Compose([new transforms.ToTensor(), new transforms.CenterCrop(2)]) });
  const batches: number[][] = [];
  for await (const [x, y] of new DataLoader(withT, { batchSize: 4 })) batches.push([...x.shape, ...y.tolist()]);
  const gray = await decodeImage(await (await fetch(base + "cat/c1.png")).blob(), "L");
  return { classes: ds.classes, samples: ds.samples, images, batches, gray: Array.from(gray.data) };
};
`;

async function checkDecoding(page: Page, report: (name: string, ok: boolean, detail: string) => void): Promise<void> {
  const fx = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/data_extra.json"), "utf8")) as {
    folder: { classes: string[]; samples: [string, number][] };
    images: Record<string, { rgb: number[]; jpeg: boolean; subsampling: string | null; alpha?: number[] }>;
    c1_gray: number[];
  };
  const bundle = await build({ stdin: { contents: DECODE_CHECK, resolveDir: root, loader: "ts" }, bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", keepNames: true });
  await page.route(`${ORIGIN}/decode.html`, (route) =>
    route.fulfill({ status: 200, headers: { "content-type": "text/html" }, body: `<!doctype html><script type="module">${bundle.outputFiles[0]!.text}</script>` }));
  await page.goto(`${ORIGIN}/decode.html`);
  await page.waitForFunction("typeof runDecodeCheck === 'function'");
  const files = Object.keys(fx.images).concat(["dog/readme.txt"]);
  const got = (await page.evaluate(([p, b]) => (globalThis as unknown as { runDecodeCheck: (p: string[], b: string) => unknown }).runDecodeCheck(p, b), [files, `${ORIGIN}/test/fixtures/data_extra/images/`] as const)) as {
    classes: string[]; samples: [string, number][]; images: Record<string, number[]>; batches: number[][]; gray: number[];
  };
  report("ImageFolder.fromURLs: torchvision's classes and samples", JSON.stringify([got.classes, got.samples]) === JSON.stringify([fx.folder.classes, fx.folder.samples]), JSON.stringify(got.samples));
  const diffs = Object.entries(fx.images).map(([rel, want]) => {
    const g = got.images[rel] ?? [];
    const max = g.length === want.rgb.length ? want.rgb.reduce((m, w, k) => Math.max(m, Math.abs(g[k]! - w)), 0) : Infinity;
    return { rel, jpeg: want.jpeg, max };
  });
  const opaque = diffs.filter((d) => !d.jpeg && !fx.images[d.rel]!.alpha);
  report("createImageBitmap decodes the opaque PNGs to PIL's pixels exactly", opaque.length > 0 && opaque.every((d) => d.max === 0), JSON.stringify(opaque));
  // NOTE: a canvas keeps colours premultiplied by alpha: a semi-transparent pixel's colour comes back
  // rounded, off by at most 255 / (2 * alpha) (+1 for the two roundings), where PIL keeps it as stored
  const translucent = Object.entries(fx.images).filter(([, w]) => w.alpha);
  const withinPremultiply = translucent.every(([rel, want]) => {
    const g = got.images[rel]!;
    return want.rgb.every((w, k) => {
      const a = want.alpha![Math.floor(k / 3)]!;
      return a === 0 || Math.abs(g[k]! - w) <= 255 / (2 * a) + 1;
    });
  });
  report("semi-transparent PNG pixels: within the canvas's premultiplied rounding", translucent.length > 0 && withinPremultiply, translucent.map(([r]) => r).join(", "));
  // NOTE: Chromium's JPEG decoder is libjpeg-turbo, as PIL's is; allow one unit for a build's IDCT
  report("createImageBitmap decodes the JPEGs as PIL does (libjpeg-turbo both)", diffs.filter((d) => d.jpeg).every((d) => d.max <= 1), JSON.stringify(diffs.filter((d) => d.jpeg)));
  report("PIL's L conversion in the browser", JSON.stringify(got.gray) === JSON.stringify(fx.c1_gray), "");
  report("for await over a DataLoader of ImageFolder.fromURLs", JSON.stringify(got.batches) === JSON.stringify([[4, 3, 2, 2, 0, 0, 0, 1], [2, 3, 2, 2, 1, 1]]), JSON.stringify(got.batches));
}

async function main(): Promise<number> {
  const executablePath = findChromium();
  if (!executablePath) {
    console.error("no Chromium found: apt-get install chromium, or set CHROMIUM=/path/to/chrome");
    return 2;
  }
  await buildBrowserExample();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  let passed = 0, failed = 0;
  const report = (name: string, ok: boolean, detail: string) => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? "ok" : "FAILED"}: ${name}${detail ? ` (${detail.slice(0, 300)})` : ""}`);
  };
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 560 } });
    await serveRepo(page);
    await checkDemo(page, report);
    await checkDecoding(page, report);
    await page.close();
  } finally {
    await browser.close();
  }
  console.log(`screenshot: ${path.relative(root, path.join(artifacts, "demo.png"))}`);
  console.log(`${passed} passed, ${failed} failed (browser page, Chromium ${browser.version()})`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
