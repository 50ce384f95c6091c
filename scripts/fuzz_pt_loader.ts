// Runs the .pt loader fuzzer (test/helpers/pt_fuzz.ts) for longer than `npm test` does:
//   npx tsx scripts/fuzz_pt_loader.ts --seconds 600 [--seed 7] [--out /tmp/pt-findings]
//   npx tsx scripts/fuzz_pt_loader.ts --seed 7 --only 1234      one input: its outcome (and its bytes with --out)
// Each input is a mutated real checkpoint; it must load, or be refused with an error of typetorch's
// own classes, within a time linear in its size. Findings are printed (and written to --out as
// .pt files, to load by hand); the exit status is 1 if there was any.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fuzz, fuzzInput, runInput } from "../test/helpers/pt_fuzz.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : dflt;
};
const seed = Number(opt("seed", "20250612"));
const seconds = Number(opt("seconds", "60"));
const out = opt("out", "");
const only = opt("only", "");

if (only !== "") {
  const input = fuzzInput(seed, Number(only));
  const r = runInput(input.bytes);
  console.log(`#${only} of seed ${seed}: ${input.seed} mutated by ${input.how}, ${input.bytes.length} bytes: ${r.result} in ${r.ms.toFixed(1)} ms ${r.detail}`);
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `seed${seed}-${only}.pt`), input.bytes);
  }
  process.exit(r.result === "RAW" ? 1 : 0);
}

if (out) mkdirSync(out, { recursive: true });
const rep = await fuzz(seed, seconds, Infinity, (f, bytes) => {
  console.log(`FINDING #${f.i} (${f.seed}, ${f.how}, ${f.size} bytes): ${f.why}`);
  if (out) writeFileSync(join(out, `seed${seed}-${f.i}.pt`), bytes);
});
console.log(
  `seed ${seed}, ${seconds} s: ${rep.inputs} inputs, ${rep.loaded} loaded, ${rep.refused} refused, ${rep.findings.length} findings; ` +
    `slowest #${rep.slowest.i} (${rep.slowest.size} bytes) ${rep.slowest.ms.toFixed(1)} ms; at most ${rep.maxMsPerKB.toFixed(2)} ms/KB`,
);
for (const [k, n] of [...rep.refusals].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${n} x ${k}`);
process.exit(rep.findings.length ? 1 : 0);
