// The .pt loader fuzzer (test/helpers/pt_fuzz.ts), bounded for `npm test`: random mutations of the
// real checkpoints in test/fixtures/serialization with a fixed seed, about 10 s. Every input must
// load or be refused with an error of typetorch's own classes, each within a generous time linear in
// its size. Longer runs and other seeds: `npx tsx scripts/fuzz_pt_loader.ts --seconds 600 --seed 7`.
import { test } from "node:test";
import assert from "node:assert/strict";

import { fuzz, fuzzInput, pickleOps, runInput, SEEDS } from "./helpers/pt_fuzz.js";
import { fixtureBytes } from "./helpers/pt_inputs.js";

const SEED = 20250612;
const SECONDS = 10;

test("the fuzzer's seeds all load unmutated, and its inputs are the same on every run", () => {
  for (const s of SEEDS) assert.equal(runInput(fixtureBytes(s)).result, "loaded", s);
  const a = fuzzInput(SEED, 123), b = fuzzInput(SEED, 123);
  assert.deepEqual(a.bytes, b.bytes);
  assert.notDeepEqual(fuzzInput(SEED, 124).bytes, a.bytes);
  // the opcode tokenizer sees a whole pickle (it is what the splices cut at)
  const legacy = fixtureBytes("legacy.pt");
  const ops = pickleOps(legacy);
  assert.equal(legacy[ops.at(-1)![1] - 1], 0x2e, "the last opcode of the legacy stream's pickles is STOP");
});

test(`fuzz: ${SECONDS} s of mutated checkpoints (seed ${SEED}): each loads or is refused with typetorch's errors, in linear time`, { timeout: 120_000 }, async () => {
  const rep = await fuzz(SEED, SECONDS);
  const top = [...rep.refusals].sort((x, y) => y[1] - x[1]).slice(0, 8);
  console.log(
    `fuzz seed ${SEED}: ${rep.inputs} inputs, ${rep.loaded} loaded, ${rep.refused} refused; slowest #${rep.slowest.i} ` +
      `(${rep.slowest.size} bytes) ${rep.slowest.ms.toFixed(1)} ms; at most ${rep.maxMsPerKB.toFixed(2)} ms/KB\n` +
      `most common refusals:\n${top.map(([k, n]) => `  ${n} x ${k}`).join("\n")}`,
  );
  assert.ok(rep.inputs >= 300, `only ${rep.inputs} inputs in ${SECONDS} s`);
  assert.ok(rep.refused > 0 && rep.loaded > 0, "the mutations reach both outcomes");
  assert.deepEqual(
    rep.findings.map((f) => `#${f.i} (${f.seed}, ${f.how}, ${f.size} bytes): ${f.why.split("\n").slice(0, 3).join(" | ")}`),
    [],
    "reproduce one with: npx tsx scripts/fuzz_pt_loader.ts --seed <seed> --only <i>",
  );
});
