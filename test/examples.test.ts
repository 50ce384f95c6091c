// Every `@example` block of the TSDoc comments in src/ (what the API reference, `npm run docs`,
// shows) runs here, so the examples stay true.
//
// How an example runs: its TypeScript is stripped of types by esbuild and run as the body of a fresh
// async function (so `await` works and nothing leaks between examples), with these names in scope:
// `torch` (typetorch's namespace) and its names (`from torch import *`), `nn`, `optim`, `F`
// (torch.nn.functional), and every export of the module the example documents (an example of
// src/utils/data/dataloader.ts may say `new DataLoader(...)`; the module's names come first).
// Examples run in a temporary working folder (torch.save writes there). Lines `import ... from "typetorch"` / `"typetorch/node"` become bindings
// of those modules. An exception fails the example's test.
//
// An example that cannot run in Node as it stands (it needs a browser, a URL to fetch, or files that
// a clean machine lacks) is marked by a first line `// (not run: <the reason>)`; it is still
// compiled, and listed with its reason as a skipped test.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { transformSync } from "esbuild";

import * as torch from "../src/index.js";
import * as torchNode from "../src/node/index.js";

const SRC = new URL("../src/", import.meta.url).pathname;

interface Example {
  file: string;
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The @example blocks of a file's doc comments: their code, and the line each starts on. */
export function extractExamples(file: string, text: string): Example[] {
  const out: Example[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let m = comment.exec(text); m; m = comment.exec(text)) {
    const startLine = text.slice(0, m.index).split("\n").length;
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, "").replace(/\s*\*\/$/, ""));
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i]!.trim())) continue;
      const body: string[] = [];
      const first = lines[i]!.trim().replace(/^@example\s*/, "");
      if (first) body.push(first);
      let j = i + 1;
      for (; j < lines.length && !/^@\w/.test(lines[j]!.trim()); j++) body.push(lines[j]!);
      const code = body.filter((l) => !/^\s*```/.test(l)).join("\n").trim();
      if (code) out.push({ file, line: startLine + i, code });
      i = j - 1;
    }
  }
  return out;
}

// (torch.var and the like cannot be parameter names: the example reaches them as torch.var)
const RESERVED = new Set("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval".split(" "));
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/**
 * `import` lines as bindings: "typetorch" and "typetorch/node" are the modules in scope, any other
 * module (node:fs, ...) is imported dynamically.
 */
function rewriteImports(code: string): string {
  return code.replace(/^\s*import\s+(type\s+)?(.+?)\s+from\s+["']([^"']+)["'];?\s*$/gm, (_all, type: string | undefined, what: string, mod: string) => {
    if (type) return "";
    const src = mod === "typetorch" ? "__torch" : mod === "typetorch/node" ? "__node" : `(await import(${JSON.stringify(mod)}))`;
    const ns = /^\*\s+as\s+(\w+)$/.exec(what);
    if (ns) return ns[1] === "torch" && src === "__torch" ? "" : `const ${ns[1]} = ${src};`;
    const named = /^\{([^}]*)\}$/.exec(what.trim());
    if (named) {
      const parts = named[1]!.split(",").map((p) => p.trim()).filter((p) => p && !p.startsWith("type "));
      return parts.length ? `const { ${parts.map((p) => p.replace(/\s+as\s+/, ": ")).join(", ")} } = ${src};` : "";
    }
    return `const ${what} = ${src}.default;`;
  });
}

const examples = sourceFiles(SRC).sort().flatMap((f) => extractExamples(f, readFileSync(f, "utf8")));

test("the source has @example blocks to run", () => {
  assert.ok(examples.length >= 100, `only ${examples.length} examples found`);
});

const modules = new Map<string, Record<string, unknown>>();
let tmp = "";
/**
 * The examples' working folder, with small stand-ins for the files the Node examples name (copies
 * of test fixtures): data/MNIST/raw, data/cifar-10-batches-bin, the image folder data/train,
 * cat.png and iris.csv.
 */
function workdir(): string {
  if (tmp) return tmp;
  tmp = mkdtempSync(join(tmpdir(), "typetorch-examples-"));
  const fix = new URL("./fixtures/data_extra/", import.meta.url).pathname;
  cpSync(join(fix, "MNIST"), join(tmp, "data", "MNIST"), { recursive: true });
  cpSync(join(fix, "cifar-10-batches-bin"), join(tmp, "data", "cifar-10-batches-bin"), { recursive: true });
  cpSync(join(fix, "images"), join(tmp, "data", "train"), { recursive: true });
  cpSync(join(fix, "images", "cat", "c1.png"), join(tmp, "data", "train", "cat", "1.png"));
  cpSync(join(fix, "images", "cat", "c1.png"), join(tmp, "cat.png"));
  writeFileSync(join(tmp, "iris.csv"), "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n");
  return tmp;
}
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

for (const ex of examples) {
  const where = `${relative(SRC, ex.file)}:${ex.line}`;
  const notRun = /^\/\/\s*\(not run: (.+)\)/.exec(ex.code);
  test(`@example ${where}`, async (t) => {
    let js: string;
    try {
      js = transformSync(rewriteImports(ex.code), { loader: "ts", format: "esm", target: "es2022" }).code;
    } catch (e) {
      throw new Error(`${where}: the example does not compile:\n${ex.code}\n${(e as Error).message}`);
    }
    if (notRun) return t.skip(`compiled, not run: ${notRun[1]}`);
    let mod = modules.get(ex.file);
    if (!mod) {
      mod = (await import(ex.file)) as Record<string, unknown>;
      modules.set(ex.file, mod);
    }
    const scope: Record<string, unknown> = {
      ...torch,
      ...mod,
      torch, nn: torch.nn, optim: torch.optim, F: torch.nn.functional, Tensor: torch.Tensor,
      __torch: torch, __node: torchNode,
    };
    const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !RESERVED.has(k));
    const dtype = torch.getDefaultDtype();
    const cwd = process.cwd();
    process.chdir(workdir());
    try {
      // (in a block of its own: the example's declarations may shadow the names in scope)
      await new AsyncFunction(...names, `{\n${js}\n}`)(...names.map((k) => scope[k]));
    } catch (e) {
      throw new Error(`${where}: the example threw ${(e as Error)?.name}: ${(e as Error)?.message}\n--- the example:\n${ex.code}`);
    } finally {
      process.chdir(cwd);
      torch.setDefaultDtype(dtype);
    }
  });
}
