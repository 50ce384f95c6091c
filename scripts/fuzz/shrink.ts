// Shrinks a program on which typetorch disagrees with PyTorch to a minimal one: removes steps one at
// a time (renumbering the registers after them; a step others read stays), reruns each candidate in
// real PyTorch (gen_fuzz_fixtures.py --run, /usr/bin/python3) and keeps it while typetorch still
// disagrees at the same op. Prints the minimal program and its disagreement.
//   npx tsx scripts/fuzz/shrink.ts 123 [fixtures.json]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { disagreement, type Arg, type Program, type Step } from "../../test/helpers/fuzz.js";

const PYTHON = process.env.PYTHON ?? "/usr/bin/python3";
const id = Number(process.argv[2]);
const file = process.argv[3] ?? "test/fixtures/fuzz.json";
const programs = (JSON.parse(readFileSync(file, "utf8")) as { programs: Program[] }).programs;
const start = programs.find((p) => p.id === id);
if (!start) throw new Error(`no program ${id} in ${file}`);

/** PyTorch's outcomes for these programs' steps. */
function runInPyTorch(ps: Program[]): Program[] {
  const r = spawnSync(PYTHON, ["scripts/fuzz/gen_fuzz_fixtures.py", "--run"], { input: JSON.stringify(ps), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`PyTorch run failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Program[];
}

const reg = (a: Arg): number[] => (typeof a === "string" && /^r\d+$/.test(a) ? [Number(a.slice(1))] : Array.isArray(a) ? a.flatMap(reg) : []);
const renumber = (a: Arg, k: number): Arg =>
  typeof a === "string" && /^r\d+$/.test(a) ? (Number(a.slice(1)) > k ? `r${Number(a.slice(1)) - 1}` : a) : Array.isArray(a) ? a.map((x) => renumber(x, k)) : a;

/** The program without step i (null if a later step reads its register). Steps before a failing one make registers r0, r1, ... */
function without(p: Program, i: number): Program | null {
  const steps = p.steps;
  if (steps[i]!.result.error) return null; // the failing step itself stays
  const k = i; // step i makes register r<i> (every step before the last makes one)
  if (steps.some((s, j) => j > i && s.args.some((a) => reg(a).includes(k)))) return null;
  const rest = steps.filter((_, j) => j !== i).map((s) => ({ ...s, args: s.args.map((a) => renumber(a, k)) }) as Step);
  const loss = p.loss && {
    terms: p.loss.terms.filter((t) => t !== `r${k}`).map((t) => renumber(t, k) as string),
    weights: Object.fromEntries(Object.entries(p.loss.weights).filter(([t]) => t !== `r${k}`).map(([t, w]) => [renumber(t, k) as string, w])),
  };
  return { id: p.id, steps: rest, ...(loss ? { loss } : {}) };
}

const where = (d: string): string => d.replace(/^step \d+ /, "step ").split(":")[0]!;
let best = runInPyTorch([start])[0]!;
const first = disagreement(best);
if (!first) throw new Error(`program ${id} agrees with PyTorch`);
const target = where(first);
for (let changed = true; changed;) {
  changed = false;
  for (let i = best.steps.length - 1; i >= 0; i--) {
    const c = without(best, i);
    if (!c) continue;
    const ran = runInPyTorch([c])[0]!;
    const d = disagreement(ran);
    if (d && where(d) === target) { best = ran; changed = true; }
  }
}
console.log(`program ${id}: ${disagreement(best)}`);
best.steps.forEach((s, i) => console.log(`  r${i} = ${s.op}(${s.args.map((a) => JSON.stringify(a)).join(", ")})${s.no_grad ? "  # no_grad" : ""}`));
if (best.loss) console.log(`  loss: sum of ${best.loss.terms.join(", ")} times their weights, backward`);
