// Bundles the browser demo (examples/browser/main.ts) with esbuild into examples/browser/dist/main.js
// (git-ignored), with a source map. Run: npm run example:browser, then serve examples/browser/ (any
// static server; a file:// URL will not load a module script) and open index.html.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../examples/browser");

/** Builds dist/main.js; returns its path. */
export async function buildBrowserExample(): Promise<string> {
  const outfile = path.join(exampleDir, "dist", "main.js");
  await build({
    entryPoints: [path.join(exampleDir, "main.ts")],
    outfile,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    sourcemap: true,
    minify: false,
    keepNames: true, // reprs print class names (see scripts/build.ts)
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildBrowserExample();
  console.log(`built ${path.relative(process.cwd(), out)}; serve ${path.relative(process.cwd(), exampleDir)}/ and open index.html`);
}
