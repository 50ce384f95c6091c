// The package as users get it: `npm pack` (which builds dist/ through "prepack"), then a fresh
// folder that `npm install`s the tarball and uses it with `import` and `require` (and TypeScript
// resolves its types both ways). Also checks what the tarball holds: the entries package.json
// names, the sources its source maps point at, no tests; and that every module with top-level side
// effects is in package.json's "sideEffects".
//
// The packing happens in a staged copy of the package's files (so a concurrent build of dist/ in
// the repository is not disturbed). Installing needs typetorch's dependencies (pngjs, jpeg-js) from
// npm's cache or registry: without either, the install tests are skipped with that message.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string; version: string; main: string; module: string; types: string; files: string[]; sideEffects: string[];
  engines: { node: string }; exports: Record<string, unknown>; dependencies?: Record<string, string>;
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work = "";
let tarball = "";
let files: string[] = [];
let installError: string | null = null;
const consumer = () => join(work, "consumer");

function run(cmd: string, args: string[], cwd: string, input?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", input, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "typetorch-pack-"));
  // the staged package: what npm pack and its prepack build need
  const stage = join(work, "stage");
  mkdirSync(stage);
  for (const f of ["package.json", "README.md", "tsconfig.json", "tsconfig.build.json", "src", "scripts/build.ts"]) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(stage, "node_modules"), "dir");
  // (prepack's build prints first; npm's JSON report follows)
  const printed = run(npm, ["pack", "--json", "--pack-destination", work], stage);
  const out = JSON.parse(printed.slice(printed.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, out[0]!.filename);
  files = out[0]!.files.map((f) => f.path);
  // a fresh project that installs the tarball
  mkdirSync(consumer());
  writeFileSync(join(consumer(), "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  try {
    run(npm, ["install", "--prefer-offline", "--no-package-lock", tarball], consumer());
  } catch (e) {
    const msg = (e as Error).message;
    if (/ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(msg)) installError = `npm could not get typetorch's dependencies (${Object.keys(pkg.dependencies ?? {}).join(", ")}) from its cache or the registry`;
    else throw e;
  }
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("npm pack: the tarball is named for the version and holds the entries package.json names", () => {
  assert.ok(tarball.endsWith(`${pkg.name}-${pkg.version}.tgz`), tarball);
  const want = new Set<string>([pkg.main, pkg.module, pkg.types].map((p) => p.replace(/^\.\//, "")));
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.startsWith("./dist/")) want.add(v.slice(2));
    } else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  for (const f of want) assert.ok(files.includes(f), `the tarball lacks ${f}, which package.json names`);
  assert.ok(files.includes("package.json") && files.includes("README.md") && files.includes("src/index.ts"));
  assert.deepEqual(files.filter((f) => /^(test|examples|bench|scripts|node_modules)\//.test(f)), [], "no tests, examples or tools in the package");
});

test("npm pack: every source map's sources are files of the package", () => {
  const maps = files.filter((f) => f.endsWith(".map"));
  assert.ok(maps.length > 50, `only ${maps.length} source maps`);
  const extracted = join(work, "extracted");
  mkdirSync(extracted, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", extracted]);
  const inPkg = new Set(files);
  const missing: string[] = [];
  for (const m of maps) {
    const map = JSON.parse(readFileSync(join(extracted, "package", m), "utf8")) as { sources: string[]; sourcesContent?: unknown[] };
    const dir = m.split("/").slice(0, -1);
    for (const s of map.sources) {
      const parts = [...dir];
      for (const seg of s.split("/")) {
        if (seg === "..") parts.pop();
        else if (seg !== ".") parts.push(seg);
      }
      if (!inPkg.has(parts.join("/"))) missing.push(`${m} -> ${s}`);
    }
  }
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} source map sources are not in the package`);
});

/** package.json's sideEffects globs, as bundlers read them (relative to the package root). */
function sideEffectsMatcher(globs: readonly string[]): (path: string) => boolean {
  const res = globs.map((g) => new RegExp("^" + g.replace(/^\.\//, "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "\u0000").replace(/\*/g, "[^/]*").replace(/\u0000/g, "(?:.*/)?") + "$"));
  return (p) => res.some((r) => r.test(p));
}

test("sideEffects names every module with top-level side effects (registrations, global state), built and source", () => {
  // NOTE: a module counts as having side effects when a statement at its top level is a call or an
  // assignment (registerOp(...), registerBackend(...), defaultGenerator.seed(), ...); declarations,
  // imports, exports and the loops that fill a module's own tables do not. A bundler drops a
  // module outside the list when none of its exports is used, and its registrations with it: the
  // sources are listed too because bundlers honour the list for them (esbuild bundling src/ for the
  // browser tests and the CommonJS build would otherwise drop the backends' registration).
  const extracted = join(work, "extracted", "package");
  if (!existsSync(extracted)) {
    mkdirSync(join(work, "extracted"), { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", join(work, "extracted")]);
  }
  const covered = sideEffectsMatcher(pkg.sideEffects);
  const effectful: string[] = [];
  for (const f of files.filter((p) => /^(dist\/.*\.(js|cjs)|src\/.*\.ts)$/.test(p) && !p.endsWith(".d.ts"))) {
    const text = readFileSync(join(extracted, f), "utf8");
    const top = text.split("\n").filter((l) => /^[A-Za-z_$][\w$]*(\.[\w$]+)*\s*(\(|=[^=>])/.test(l) && !/^(export|import|function|class|const|let|var|async|return|for|if|while|switch|try|type|interface|declare)\b/.test(l));
    if (top.length) effectful.push(f);
  }
  for (const f of ["dist/index.js", "dist/backend/cpu/index.js", "src/index.ts", "src/backend/cpu/index.ts"]) assert.ok(effectful.includes(f), `the scan missed ${f}: ${effectful.join(", ")}`);
  assert.deepEqual(effectful.filter((f) => !covered(f)), [], "modules with side effects that package.json's sideEffects leaves out");
});

test("engines: the Node lines CI tests (.ci/run runs 22 and 24)", () => {
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  const lines = /for v in ([\d ]+); do/.exec(ci)![1]!.trim().split(/\s+/).map(Number).sort();
  assert.deepEqual(lines, [22, 24]);
  assert.equal(pkg.engines.node, "^22.3.0 || ^24.0.0");
  const major = Number(process.versions.node.split(".")[0]);
  assert.ok(lines.includes(major) || process.env["CI"] === undefined, `this run's Node ${process.versions.node} is not one CI tests`);
});

const SCRIPT = (how: "import" | "require") => `
${how === "import" ? 'import * as torch from "typetorch"; import * as tnode from "typetorch/node";' : 'const torch = require("typetorch"); const tnode = require("typetorch/node");'}
torch.manualSeed(0);
const x = torch.randn(3, 2, { requiresGrad: true });
const y = x.mul(x).sum();
y.backward();
const ds = tnode.readCSV(process.argv[2], { target: "label" });
const [xb] = [...new torch.utils.data.DataLoader(ds, { batchSize: 2 })][0];
const repr = String(new torch.nn.Sequential(new torch.nn.Linear(2, 1))).split("\\n")[0];
console.log(JSON.stringify({ sum: y.item(), grad: x.grad.shape, fn: String(y.gradFn.name()), batch: xb.shape, tensorClass: xb instanceof torch.Tensor, repr }));
`;

test("a fresh project: import * as torch from \"typetorch\" (and typetorch/node)", (t) => {
  if (installError) return t.skip(installError);
  writeFileSync(join(consumer(), "esm.mjs"), SCRIPT("import"));
  const out = JSON.parse(run(process.execPath, ["esm.mjs", join(ROOT, "test/fixtures/data_extra/table.csv")], consumer()));
  assert.deepEqual(out.grad, [3, 2]);
  assert.equal(out.fn, "SumBackward0");
  assert.deepEqual(out.batch, [2, 2]);
  assert.equal(out.tensorClass, true, "typetorch/node's tensors are typetorch's");
  assert.ok(Number.isFinite(out.sum));
  assert.equal(out.repr, "Sequential(");
});

test("a fresh project: require(\"typetorch\") (and typetorch/node) gives the same", (t) => {
  if (installError) return t.skip(installError);
  writeFileSync(join(consumer(), "esm.mjs"), SCRIPT("import"));
  writeFileSync(join(consumer(), "cjs.cjs"), SCRIPT("require"));
  const csv = join(ROOT, "test/fixtures/data_extra/table.csv");
  const esm = JSON.parse(run(process.execPath, ["esm.mjs", csv], consumer()));
  const cjs = JSON.parse(run(process.execPath, ["cjs.cjs", csv], consumer()));
  assert.deepEqual(cjs, esm);
  assert.equal(cjs.tensorClass, true, "typetorch/node's CommonJS bundle shares the core of typetorch's");
  assert.equal(cjs.repr, "Sequential(", "the CommonJS bundle keeps class names (reprs print them)");
});

test("a fresh project: TypeScript resolves typetorch's types for import and for require", (t) => {
  if (installError) return t.skip(installError);
  const dir = consumer();
  writeFileSync(join(dir, "a.mts"), 'import * as torch from "typetorch";\nimport { MNIST } from "typetorch/node";\nexport const t: torch.Tensor = torch.ones(2).add(1);\nexport type M = MNIST;\n');
  writeFileSync(join(dir, "b.cts"), 'import torch = require("typetorch");\nimport tnode = require("typetorch/node");\nexport const t: torch.Tensor = torch.ones(2).add(1);\nexport const r = tnode.readCSV;\n');
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["a.mts", "b.cts"] }));
  run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], dir);
});
