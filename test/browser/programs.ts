// Runs the ported programs (examples/NN_*.ts) in headless Chromium and compares what they print with
// what PyTorch printed (test/browser/programs/NN_*.out, copies of the reference outputs committed
// here so that a clean clone has the check, and examples/programs/NN_*.out), as
// ../shared/tools/compare-programs.mjs does in Node: the check that the core runs in a browser, not
// only bundles for one.
//
// usage: npm run test:browser [NN ... | threads]   (needs Debian's chromium: apt-get install
// chromium, or CHROMIUM=/path/to/chrome). It also checks matmul's worker threads on a cross-origin
// isolated page (and their absence on a plain one).
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { findChromium } from "./chromium.js";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
// (01-10: copies of ../shared/programs' outputs; 11 on: examples/programs/, beside their PyTorch sources)
const programDirs = [path.resolve(root, "test/browser/programs"), path.resolve(root, "examples/programs")];
const only = process.argv.slice(2);
const executablePath = findChromium();
const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

// The same comparison as compare-programs.mjs: numbers to a relative 1e-4, text exactly; program 08's
// epoch lines come from Python's own `random`, so only their magnitude is compared.
const canon = (s: string) =>
  s.replace(/\b(None|null|undefined)\b/g, "None").replace(/\b(True|true)\b/g, "True").replace(/\b(False|false)\b/g, "False");
function sameLine(stem: string, got: string, want: string): boolean {
  got = canon(got);
  want = canon(want);
  const g = got.match(NUM) ?? [], w = want.match(NUM) ?? [];
  const text = (s: string) => s.replace(NUM, "#").replace(/\s+/g, " ").trim();
  if (text(got) !== text(want) || g.length !== w.length) return false;
  const tol = stem.startsWith("08_") && want.startsWith("epoch") ? 0.9 : 1e-4;
  return w.every((ws, i) => {
    const a = Number(g[i]), b = Number(ws);
    return a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-6) || Math.abs(a - b) < 1e-6;
  });
}

/** Runs in the page: a 300x300 float32 product on 1 and on 2 threads, through torch.mm. */
const THREADS_CHECK = `
import * as torch from "./src/index.js";
import { matmulThreadedJobs, matmulThreadsSupported, matmulWorkersReady, setMatmulThreadGates, startMatmulWorkers } from "./src/backend/cpu/wasm/index.js";
(globalThis as any).runThreadsCheck = async () => {
  const supported = matmulThreadsSupported();
  torch.setNumThreads(2);
  setMatmulThreadGates(0, 0, false); // every product on both threads, however small
  startMatmulWorkers();
  for (let i = 0; i < 400 && supported && matmulWorkersReady() < 1; i++) await new Promise((r) => setTimeout(r, 50));
  torch.manualSeed(0);
  const a = torch.randn(300, 300), b = torch.randn(300, 300);
  torch.setNumThreads(1);
  const one = Array.from(a.mm(b).dataSync());
  torch.setNumThreads(2);
  const jobs = matmulThreadedJobs();
  const two = Array.from(a.mm(b).dataSync());
  return {
    isolated: (globalThis as any).crossOriginIsolated === true, supported, workers: matmulWorkersReady(),
    threadedJobs: matmulThreadedJobs() - jobs, sameBits: one.every((v, i) => Object.is(v, two[i])),
  };
};
`;

async function main(): Promise<number> {
  if (!executablePath) {
    console.error("no Chromium found: apt-get install chromium, or set CHROMIUM=/path/to/chrome");
    return 2;
  }
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  let passed = 0, failed = 0;
  try {
    // which matmul kernel the browser gets: the programs' bits must not depend on it
    const probe = await build({
      stdin: {
        contents: `import { matmulWasmAvailable, matmulWasmRelaxedAvailable } from "./src/backend/cpu/wasm/index.js";
          import { simdAvailable } from "./src/backend/wasm/elementwise_simd.js";
          import { optimWasmVariant } from "./src/backend/wasm/optim.js";
          console.log("wasm SIMD " + matmulWasmAvailable() + ", relaxed FMA kernel " + matmulWasmRelaxedAvailable() +
            "; elementwise SIMD module compiled synchronously " + simdAvailable() + "; optimizer updates " + optimWasmVariant());`,
        resolveDir: root, loader: "ts",
      },
      bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", keepNames: true,
    });
    const page = await browser.newPage();
    const said = new Promise<string>((r) => page.on("console", (m) => r(m.text())));
    await page.setContent("<!doctype html><title>typetorch</title>");
    await page.addScriptTag({ content: probe.outputFiles[0]!.text, type: "module" });
    console.log(`wasm kernels in Chromium: ${await said}`);
    await page.close();

    const outs = new Map<string, string>();
    for (const dir of programDirs) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir)) if (f.endsWith(".out") && !outs.has(f)) outs.set(f, path.join(dir, f));
    }
    for (const out of [...outs.keys()].sort()) {
      const stem = out.slice(0, -4);
      if (only.length && !only.some((o) => stem.startsWith(o))) continue;
      const entry = path.join(root, "examples", `${stem}.ts`);
      // The bundle is built for the browser platform: a Node import anywhere in the core fails here.
      // (keepNames: reprs print class names, which esbuild would rename, see scripts/build.ts)
      const bundle = await build({
        stdin: { contents: `import ${JSON.stringify(entry)}; console.log("__done__");`, resolveDir: root, loader: "ts" },
        bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", keepNames: true,
      });
      const page = await browser.newPage();
      const lines: string[] = [];
      const errors: string[] = [];
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      page.on("console", (m) => {
        if (m.text() === "__done__") done();
        else if (m.type() === "log") lines.push(...m.text().split("\n"));
      });
      page.on("pageerror", (e) => {
        errors.push(String(e));
        done();
      });
      await page.setContent("<!doctype html><title>typetorch</title>");
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: "module" });
      // (the timer is cleared: a pending one would keep the process alive for its 300 s)
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, 300_000)))]);
      clearTimeout(timer);
      await page.close();
      const got = lines.filter((l) => l.trim() !== "");
      const want = fs.readFileSync(outs.get(out)!, "utf8").split("\n").filter((l) => l.trim() !== "");
      const bad: string[] = [];
      for (let i = 0; i < Math.max(got.length, want.length); i++)
        if (got[i] === undefined || want[i] === undefined || !sameLine(stem, got[i]!, want[i]!))
          bad.push(`  line ${i + 1}\n    want: ${want[i] ?? "(nothing)"}\n    got:  ${got[i] ?? "(nothing)"}`);
      if (errors.length) bad.push(`  error: ${errors.join(" | ")}`);
      if (bad.length) {
        failed++;
        console.log(`${stem}: differs in Chromium\n${bad.slice(0, 6).join("\n")}`);
      } else {
        passed++;
        console.log(`${stem}: same in Chromium`);
      }
    }

    // Threads: on a cross-origin isolated page (COOP/COEP headers) matmul runs on worker threads with
    // the bits of one thread; on a plain page it says so and runs on one thread.
    if (!only.length || only.includes("threads")) {
      const probe = await build({
        stdin: { contents: THREADS_CHECK, resolveDir: root, loader: "ts" },
        bundle: true, platform: "browser", format: "iife", write: false, logLevel: "silent", keepNames: true,
      });
      for (const isolated of [true, false]) {
        const page = await browser.newPage();
        const headers: Record<string, string> = { "content-type": "text/html" };
        if (isolated) Object.assign(headers, { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" });
        await page.route("https://typetorch.test/**", (route) =>
          route.fulfill({ status: 200, headers, body: `<!doctype html><script>${probe.outputFiles[0]!.text}</script>` }));
        await page.goto("https://typetorch.test/");
        const r = (await page.evaluate("runThreadsCheck()")) as { isolated: boolean; supported: boolean; workers: number; threadedJobs: number; sameBits: boolean };
        await page.close();
        const ok = r.sameBits && r.isolated === isolated && r.supported === isolated &&
          (isolated ? r.workers >= 1 && r.threadedJobs > 0 : r.threadedJobs === 0);
        const what = `threads ${isolated ? "(cross-origin isolated)" : "(not isolated)"}: ${JSON.stringify(r)}`;
        if (ok) passed++;
        else failed++;
        console.log(`${what}: ${ok ? "as expected" : "NOT as expected"}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed (Chromium ${browser.version()})`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
