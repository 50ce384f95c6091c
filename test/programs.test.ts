// The ported programs print what PyTorch printed. For each examples/programs/NN_name.py (a PyTorch
// program) with NN_name.out (what real PyTorch 1.13 printed for it: `/usr/bin/python3 -W ignore
// NN_name.py > NN_name.out`), the port examples/NN_name.ts runs in a child process with tsx, under the
// default (fast) numerics and under TYPETORCH_EXACT=1, and its lines are compared with the rules of
// ../shared/tools/compare-programs.mjs, reimplemented here: numbers to a relative 1e-4 (or 1e-6
// absolute), everything else exactly, with Python's and JavaScript's spellings of None/True/False
// counted as the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const programsDir = path.join(root, "examples", "programs");
const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** compare-programs.mjs's tolerance: program 08's epoch lines print losses of Python's own `random` shuffle. */
function tolFor(stem: string, line: string): number {
  if (stem.startsWith("08_") && line.startsWith("epoch")) return 0.9;
  return 1e-4;
}

/** Python's and JavaScript's spellings of the same values. */
const canon = (s: string): string =>
  s.replace(/\b(None|null|undefined)\b/g, "None").replace(/\b(True|true)\b/g, "True").replace(/\b(False|false)\b/g, "False");

/** One printed line against PyTorch's: the text without its numbers exactly, each number within tolerance. */
function sameLine(stem: string, got: string, want: string): boolean {
  got = canon(got);
  want = canon(want);
  const gNums = got.match(NUM) ?? [];
  const wNums = want.match(NUM) ?? [];
  const text = (s: string) => s.replace(NUM, "#").replace(/\s+/g, " ").trim();
  if (text(got) !== text(want) || gNums.length !== wNums.length) return false;
  const tol = tolFor(stem, want);
  return wNums.every((w, i) => {
    const a = Number(gNums[i]);
    const b = Number(w);
    return a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-6) || Math.abs(a - b) < 1e-6;
  });
}

/** The differing lines of a program's output (blank lines ignored, as compare-programs.mjs does). */
function differences(stem: string, gotText: string, wantText: string): string[] {
  const lines = (s: string) => s.split("\n").filter((l) => l.trim() !== "");
  const got = lines(gotText);
  const want = lines(wantText);
  const bad: string[] = [];
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i];
    const w = want[i];
    if (g === undefined || w === undefined || !sameLine(stem, g, w)) {
      bad.push(`line ${i + 1}\n    want: ${w ?? "(nothing)"}\n    got:  ${g ?? "(nothing)"}`);
    }
  }
  return bad;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

// NOTE: the runs start when this file loads, at most two at a time (the programs are single-threaded
// apart from matmul's workers), so the tests below mostly wait for runs already under way.
const PARALLEL = Math.max(1, Math.min(2, os.availableParallelism()));
let running = 0;
const queue: (() => void)[] = [];
function runProgram(file: string, exact: boolean): Promise<Run> {
  return new Promise((resolve) => {
    const start = () => {
      running++;
      const t0 = performance.now();
      const child = spawn(process.execPath, ["--import", "tsx", file], {
        cwd: root,
        env: { ...process.env, TYPETORCH_EXACT: exact ? "1" : "0" },
        timeout: 300_000,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("close", (status) => {
        running--;
        queue.shift()?.();
        resolve({ status, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
      });
    };
    if (running < PARALLEL) start();
    else queue.push(start);
  });
}

const stems = fs
  .readdirSync(programsDir)
  .filter((f) => f.endsWith(".out"))
  .map((f) => f.slice(0, -4))
  .sort();

test("examples/programs holds each PyTorch original with its output and a port", () => {
  assert.ok(stems.length >= 3, `only ${stems.length} programs`);
  for (const f of fs.readdirSync(programsDir).filter((f) => f.endsWith(".py"))) {
    assert.ok(stems.includes(f.slice(0, -3)), `${f} has no .out`);
  }
  for (const stem of stems) {
    assert.ok(fs.existsSync(path.join(programsDir, `${stem}.py`)), `${stem}.out has no .py`);
    assert.ok(fs.existsSync(path.join(root, "examples", `${stem}.ts`)), `${stem} has no port examples/${stem}.ts`);
  }
});

test("the comparison is compare-programs.mjs's", () => {
  assert.ok(sameLine("11_x", "step 50 loss 0.805042", "step 50 loss 0.805042"));
  assert.ok(sameLine("11_x", "step 50 loss 0.805060", "step 50 loss 0.805042")); // 2.2e-5 relative
  assert.ok(!sameLine("11_x", "step 50 loss 0.805142", "step 50 loss 0.805042")); // 1.2e-4 relative
  assert.ok(sameLine("11_x", "x 0.0000005", "x 0.0000001")); // below 1e-6 absolute
  assert.ok(!sameLine("11_x", "step 50 lost 0.805042", "step 50 loss 0.805042"));
  assert.ok(!sameLine("11_x", "loss 0.8 0.1", "loss 0.8"));
  assert.ok(sameLine("11_x", "true null [1, 2]", "True None [1, 2]"));
  assert.ok(sameLine("11_x", "(8,  24)", "(8, 24)")); // runs of spaces are one
  assert.ok(sameLine("08_x", "epoch 1, loss 0.0005", "epoch 1, loss 0.0003"));
  assert.ok(!sameLine("09_x", "epoch 1, loss 0.0005", "epoch 1, loss 0.0003"));
  assert.deepEqual(differences("11_x", "a 1\n\nb 2\n", "a 1\nb 2"), []);
  assert.equal(differences("11_x", "a 1\n", "a 1\nb 2\n").length, 1);
});

const runs = new Map<string, Promise<Run>>();
for (const stem of stems) {
  for (const exact of [false, true]) {
    runs.set(`${stem}:${exact}`, runProgram(path.join("examples", `${stem}.ts`), exact));
  }
}

for (const stem of stems) {
  const want = fs.readFileSync(path.join(programsDir, `${stem}.out`), "utf8");
  for (const exact of [false, true]) {
    test(`${stem} prints what PyTorch printed (${exact ? "TYPETORCH_EXACT=1" : "default numerics"})`, { timeout: 600_000 }, async () => {
      const run = await runs.get(`${stem}:${exact}`)!;
      assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr.trim().split("\n").slice(-5).join("\n")}`);
      const bad = differences(stem, run.stdout, want);
      assert.deepEqual(bad, [], `${stem} differs from PyTorch's output:\n  ${bad.slice(0, 6).join("\n  ")}`);
    });
  }
}
