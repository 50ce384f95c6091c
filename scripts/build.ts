// npm run build: the package's dist/ from scratch.
//  1. dist/ removed (a module deleted from src/ must not linger in the package);
//  2. tsc -p tsconfig.build.json: the ES modules, their .d.ts, and source maps whose sources
//     (../src/*.ts) ship in the package (package.json "files");
//  3. esbuild: CommonJS bundles for require(): dist/cjs/index.cjs ("typetorch") and
//     dist/cjs/node.cjs ("typetorch/node", which requires ./index.cjs, so both share one copy of
//     the core), with .d.cts files that point at the ES modules' declarations.
//
// NOTE: the dual package hazard. A program that both imports and requires typetorch gets two
// copies of the core (two Tensor classes, two global generators); each of import and require is
// whole by itself. `import` is the primary entry; require is for CommonJS programs and tools.
import { build, type Plugin } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");

/** import.meta.url in a CommonJS bundle: the bundle's own file URL (anomaly mode uses it). */
const cjsCommon = {
  bundle: true,
  format: "cjs" as const,
  platform: "node" as const,
  target: "node22",
  sourcemap: true,
  sourcesContent: false, // the sources ship in the package (src/), the maps point at them
  logLevel: "warning" as const,
  // NOTE: class names are kept: reprs print them (Sequential, Embedding), and esbuild would rename a
  // class that refers to itself (`class _Sequential`). A bundler of typetorch needs the same option
  // (esbuild keepNames, terser keep_classnames).
  keepNames: true,
  define: { "import.meta.url": "__typetorch_import_meta_url" },
  banner: { js: 'var __typetorch_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};

/** typetorch/node's bundle takes the core from ./index.cjs instead of bundling a second copy. */
const coreFromIndex: Plugin = {
  name: "core-from-index",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      args.importer.startsWith(path.join(root, "src", "node") + path.sep) ? { path: "./index.cjs", external: true } : undefined);
  },
};

export async function buildPackage(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
  mkdirSync(path.join(dist, "cjs"), { recursive: true });
  await build({ ...cjsCommon, entryPoints: [path.join(root, "src", "index.ts")], outfile: path.join(dist, "cjs", "index.cjs") });
  await build({
    ...cjsCommon,
    entryPoints: [path.join(root, "src", "node", "index.ts")],
    outfile: path.join(dist, "cjs", "node.cjs"),
    external: ["pngjs", "jpeg-js"],
    plugins: [coreFromIndex],
  });
  writeFileSync(path.join(dist, "cjs", "index.d.cts"), 'export * from "../index.js";\n');
  writeFileSync(path.join(dist, "cjs", "node.d.cts"), 'export * from "../node/index.js";\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPackage();
  console.log("built dist/ (ES modules, declarations, CommonJS bundles)");
}
