// The differential fuzzer's programs (issue 9): random programs over views, in-place ops, dtypes,
// broadcasting, reductions, indexing, matmul, losses and failing calls, generated and run in real
// PyTorch 1.13 by scripts/fuzz/gen_fuzz_fixtures.py (test/fixtures/fuzz.json), replayed here
// through typetorch (test/helpers/fuzz.ts). Every program must agree with PyTorch but those listed
// in test/fixtures/fuzz_known.json with their first difference (scripts/fuzz/replay.ts --known
// writes that list; scripts/fuzz/replay.ts prints each disagreement with its shortest failing
// prefix). A listed program that now agrees fails too, so the list only shrinks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { disagreement, type Program } from "./helpers/fuzz.js";

const doc = JSON.parse(readFileSync(new URL("./fixtures/fuzz.json", import.meta.url), "utf8")) as { programs: Program[] };
const known = (JSON.parse(readFileSync(new URL("./fixtures/fuzz_known.json", import.meta.url), "utf8")) as { known: Record<string, string> }).known;

test(`the fuzzer's ${doc.programs.length} programs agree with PyTorch, but the known disagreements`, () => {
  const fresh: string[] = [], fixed: string[] = [];
  let agree = 0;
  for (const p of doc.programs) {
    const d = disagreement(p);
    if (d === null) agree++;
    const listed = known[String(p.id)] !== undefined;
    if (d !== null && !listed) fresh.push(`#${p.id}: ${d}`);
    if (d === null && listed) fixed.push(`#${p.id}`);
  }
  const n = doc.programs.length;
  console.log(`fuzz: ${agree} of ${n} programs agree with PyTorch (${((100 * agree) / n).toFixed(2)}%), ${Object.keys(known).length} known disagreements`);
  assert.deepEqual(fresh, [], `disagreements not in fuzz_known.json:\n${fresh.slice(0, 20).join("\n")}`);
  assert.deepEqual(fixed, [], `programs that now agree: remove them from fuzz_known.json (scripts/fuzz/replay.ts --known): ${fixed.join(", ")}`);
});
