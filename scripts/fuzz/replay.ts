// Replays the fuzzer's programs through typetorch and reports the disagreements with PyTorch:
//   npx tsx scripts/fuzz/replay.ts [fixtures.json]           every disagreement, then the agreement rate
//   npx tsx scripts/fuzz/replay.ts [fixtures.json] --known   also writes test/fixtures/fuzz_known.json:
//     each disagreeing program's id with its first difference as the reason (review it: the test
//     replays every program and fails on a disagreement not listed there, or a listed one that agrees)
// A disagreement is shrunk to the shortest prefix of the program's steps that still disagrees (the
// steps PyTorch recorded for that prefix are the same: each step's outcome depends only on earlier ones).
import { readFileSync, writeFileSync } from "node:fs";
import { disagreement, prefix, type Program } from "../../test/helpers/fuzz.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--")) ?? "test/fixtures/fuzz.json";
const doc = JSON.parse(readFileSync(file, "utf8")) as { programs: Program[] };
const known: Record<string, string> = {};
let bad = 0;
for (const p of doc.programs) {
  const d = disagreement(p);
  if (!d) continue;
  bad++;
  // shrink: the shortest prefix that still disagrees
  let n = p.steps.length;
  for (let k = 1; k < p.steps.length; k++) {
    if (disagreement(prefix(p, k))) { n = k; break; }
  }
  known[String(p.id)] = d;
  const ops = p.steps.slice(0, n).map((s) => `${s.op}(${JSON.stringify(s.args).slice(1, -1).slice(0, 60)})`).join("; ");
  console.log(`#${p.id}: ${d}\n    minimal: ${ops}`);
}
const n = doc.programs.length;
console.log(`${n - bad} of ${n} programs agree with PyTorch (${((100 * (n - bad)) / n).toFixed(2)}%)`);
if (args.includes("--known")) {
  writeFileSync("test/fixtures/fuzz_known.json", JSON.stringify({ note: "fuzzer programs that disagree with PyTorch 1.13, by id, with the first difference (scripts/fuzz/replay.ts --known)", known }, null, 1) + "\n");
}
