// utils.tqdm against tqdm 4.64 (fixtures from scripts/gen_tqdm_fixtures.py): format_meter, the
// number formatters, set_postfix, and the exact "\r" stream of whole runs under a fake clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import { tqdm, trange, Tqdm, formatMeter, formatInterval, formatSizeof, formatNum, type TqdmFile, type TqdmOptions } from "../src/utils/tqdm.js";

interface MeterCase {
  n: number;
  total: number | null;
  elapsed: number;
  kw: Record<string, unknown>;
  out: string;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/tqdm.json", import.meta.url), "utf8")) as {
  meter: MeterCase[];
  sizeof: [number, string][];
  sizeof_1024: [number, string][];
  interval: [number, string][];
  num: [number, string][];
  runs: Record<string, { kw: Record<string, unknown>; out: string }>;
  postfix: { dict: [string, unknown][] | null; kwargs: Record<string, unknown>; postfix: string }[];
};

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
}

test("tqdm: format_meter, for every recorded state", () => {
  for (const c of fx.meter) assert.equal(formatMeter(c.n, c.total, c.elapsed, camelKeys(c.kw)), c.out, JSON.stringify(c));
});

test("tqdm: format_sizeof, format_interval, format_num", () => {
  for (const [v, s] of fx.sizeof) assert.equal(formatSizeof(v), s, String(v));
  for (const [v, s] of fx.sizeof_1024) assert.equal(formatSizeof(v, "", 1024), s, String(v));
  for (const [v, s] of fx.interval) assert.equal(formatInterval(v), s, String(v));
  for (const [v, s] of fx.num) assert.equal(formatNum(v), s, String(v));
});

test("tqdm: setPostfix (an object's keys sorted like keyword arguments, a Map's kept in order)", () => {
  for (const c of fx.postfix) {
    const bar = tqdm({ total: 10, file: { write: () => {}, isTTY: true } });
    const values = c.dict ? new Map([...c.dict, ...Object.keys(c.kwargs).sort().map((k) => [k, c.kwargs[k]] as [string, unknown])]) : c.kwargs;
    bar.setPostfix(values, { refresh: false });
    assert.equal(bar.postfix, c.postfix);
    bar.close();
  }
});

/** A terminal-like file that records what is written, and a clock the test moves. */
function harness(): { file: TqdmFile & { out: string }; clock: { t: number }; opts: TqdmOptions } {
  const file = { out: "", isTTY: true, write(s: string) { this.out += s; } };
  const clock = { t: 1000.0 };
  return { file, clock, opts: { file, clock: () => clock.t } };
}

for (const [name, run] of Object.entries(fx.runs)) {
  test(`tqdm: the whole "\\r" stream of run ${name} is tqdm's`, async () => {
    for (const mode of ["sync", "async"] as const) {
      const { file, clock, opts } = harness();
      const kw = camelKeys(run.kw);
      if ("steps" in kw) {
        const { steps, dt, postfixEvery, ...rest } = kw as unknown as { steps: number; dt: number; postfixEvery?: number } & TqdmOptions;
        const bar = tqdm(Array.from({ length: steps }, (_, i) => i), { ...opts, ...rest });
        const body = (i: number) => {
          clock.t += dt;
          if (postfixEvery && i % postfixEvery === 0) bar.setPostfix({ loss: 1.0 / (i + 1), acc: i / steps });
        };
        if (mode === "sync") for (const i of bar) body(i);
        else for await (const i of bar) body(i);
      } else {
        if (mode === "async") continue;
        const bar = tqdm({ ...opts, ...(kw as TqdmOptions) });
        for (const [step, dt] of [[3, 0.05], [5, 0.2], [1, 0.3], [10, 1.0], [2, 0.01], [20, 2.0]] as const) {
          clock.t += dt;
          bar.update(step);
        }
        bar.setPostfixStr("done");
        bar.close();
      }
      assert.equal(file.out, run.out, `${mode} iteration`);
    }
  });
}

test("tqdm: not a terminal -- quiet lines, at most every lineInterval seconds, and the final one", () => {
  const lines: string[] = [];
  const clock = { t: 0 };
  const bar = tqdm(Array.from({ length: 80 }, (_, i) => i), { file: { write: (s) => void lines.push(s) }, clock: () => clock.t, lineInterval: 2 });
  for (const _ of bar) clock.t += 0.125; // 10 s in all
  assert.ok(lines.every((l) => l.endsWith("\n") && !l.includes("\r")));
  assert.ok(lines.length >= 4 && lines.length <= 7, `${lines.length} lines`);
  assert.equal(lines.at(-1), "100%|██████████| 80/80 [00:10<00:00,  8.00it/s]\n");
  // with Infinity: only the final line
  const only: string[] = [];
  for (const _ of tqdm([1, 2, 3], { file: { write: (s) => void only.push(s) }, lineInterval: Infinity, desc: "x" }));
  assert.equal(only.length, 1);
  assert.match(only[0]!, /^x: 100%\|██████████\| 3\/3 \[00:00<00:00, +[\d.]+it\/s\]\n$/);
  // leave: false prints nothing at the end
  const none: string[] = [];
  for (const _ of tqdm([1, 2], { file: { write: (s) => void none.push(s) }, lineInterval: Infinity, leave: false }));
  assert.deepEqual(none, []);
});

test("tqdm: wraps a DataLoader (total from its length), async iterables, and trange", async () => {
  const { DataLoader, TensorDataset } = torch.utils.data;
  const loader = new DataLoader(new TensorDataset(torch.arange(10)), { batchSize: 3 });
  const { file, opts } = harness();
  const bar = tqdm(loader, { ...opts, mininterval: 0 });
  assert.equal(bar.total, 4);
  const got: number[][] = [];
  for (const [x] of bar) got.push(x!.tolist() as number[]);
  assert.deepEqual(got, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  assert.match(file.out, /\r100%\|██████████\| 4\/4 \[00:00<\?, \?it\/s\]\n$/);

  async function* gen() {
    for (let i = 0; i < 5; i++) yield i;
  }
  const h = harness();
  const abar = tqdm(gen(), h.opts);
  assert.equal(abar.total, null);
  const seen: number[] = [];
  for await (const v of abar) seen.push(v);
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.ok(h.file.out.endsWith("\r5it [00:00, ?it/s]\n"), JSON.stringify(h.file.out));
  assert.throws(() => [...tqdm(gen(), h.opts)], /for await/);

  const t = trange(3, { file: { write: () => {} } });
  assert.deepEqual([...t], [0, 1, 2]);
  assert.equal(t.n, 3);
  assert.ok(t instanceof Tqdm);
});

test("tqdm: breaking out of the loop closes the bar at the count reached; disable iterates silently", () => {
  const { file, opts } = harness();
  for (const i of tqdm([0, 1, 2, 3, 4, 5], { ...opts, mininterval: 0 })) if (i === 2) break;
  // as in Python, the item in hand when the loop breaks is not counted
  assert.ok(file.out.endsWith("\r 33%|███▎      | 2/6 [00:00<?, ?it/s]\n"), JSON.stringify(file.out));
  const quiet = harness();
  assert.deepEqual([...tqdm([1, 2, 3], { ...quiet.opts, disable: true })], [1, 2, 3]);
  assert.equal(quiet.file.out, "");
});

test("tqdm: a terminal's width sets the bar's width, as tqdm's ncols", () => {
  const out: string[] = [];
  const bar = tqdm({ total: 10, file: { write: (s) => void out.push(s), isTTY: true, columns: 50 }, desc: "w" });
  assert.equal(bar.ncols, 50);
  assert.equal(out[0], "\r" + formatMeter(0, 10, 0, { ncols: 50, prefix: "w" }));
  assert.equal(out[0]!.length - 1, 50);
  bar.close();
});

test("tqdm: a non-iterable is rejected with Python's words when iterated", async () => {
  const bar = new Tqdm(5 as unknown as Iterable<number>, { file: { write: () => {} } });
  assert.equal(bar.total, null);
  assert.throws(() => [...bar], { name: "TypeError", message: "'int' object is not iterable" });
  await assert.rejects(async () => {
    for await (const _ of new Tqdm({} as Iterable<number>, { file: { write: () => {} } }));
  }, { name: "TypeError", message: "'dict' object is not iterable" });
});

test("tqdm: reset starts a new pass; setDescription adds ': '", () => {
  const { file, clock, opts } = harness();
  const bar = tqdm({ ...opts, total: 4, mininterval: 0 });
  clock.t += 1;
  bar.update(2);
  bar.reset(8);
  assert.equal(bar.n, 0);
  assert.equal(bar.total, 8);
  // (padded with spaces over the longer line before, as tqdm's status printer does)
  assert.ok(file.out.endsWith("\r  0%|          | 0/8 [00:00<?, ?it/s]        "), JSON.stringify(file.out));
  bar.setDescription("again");
  assert.ok(file.out.endsWith("\ragain:   0%|          | 0/8 [00:00<?, ?it/s]"), JSON.stringify(file.out.slice(-60)));
  bar.reset(null);
  assert.equal(bar.total, 8);
  bar.close();
});
