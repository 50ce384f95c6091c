// Regenerates the wasm kernels' generated files (the wasm bytes, base64) from their .wat sources in
// src/backend/cpu/wasm: matmul.wat -> matmul.generated.ts (SIMD) and matmul_relaxed.wat ->
// matmul_relaxed.generated.ts (SIMD and relaxed SIMD); and src/backend/wasm's (MODULES lists them all,
// e.g. optim.wat as optim.generated.ts, relaxed, and optim_plain.generated.ts, mul + add).
//   npm run build:wasm            write the generated files
//   npm run build:wasm -- --check fail if a generated file differs from a fresh build
// test/wasm_matmul.test.ts runs the same check (wat2wasm takes milliseconds).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const dir = new URL("../src/backend/cpu/wasm/", import.meta.url);

/** One wasm module: its source, its generated file, the exported constant and the features it uses. */
export interface WasmModuleSpec {
  wat: string; // file name in src/backend/cpu/wasm
  generated: string;
  constant: string;
  relaxed: boolean;
  /**
   * The matmul modules import a shared memory ("(memory 1 32768 shared)" in their .wat): true keeps
   * it (workers run the module on it), false builds the plain-memory variant for where threads are
   * unavailable. Absent: the memory as the source declares it.
   */
  shared?: boolean;
  /** rewrite each f32x4.relaxed_madd a b c as f32x4.add (f32x4.mul a b) c (the plain-SIMD kernel) */
  unfused?: boolean;
}

export const MODULES: readonly WasmModuleSpec[] = [
  // matmul: each .wat built with a plain memory (*.generated.ts) and a shared one (*_shared), and
  // matmul_relaxed.wat also as the plain-SIMD kernel (mul + add): see src/backend/cpu/wasm/index.ts
  { wat: "matmul.wat", generated: "matmul.generated.ts", constant: "MATMUL_WASM_BASE64", relaxed: false, shared: false },
  { wat: "matmul_relaxed.wat", generated: "matmul_relaxed.generated.ts", constant: "MATMUL_RELAXED_WASM_BASE64", relaxed: true, shared: false },
  { wat: "matmul.wat", generated: "matmul_shared.generated.ts", constant: "MATMUL_SHARED_WASM_BASE64", relaxed: false, shared: true },
  { wat: "matmul_relaxed.wat", generated: "matmul_relaxed_shared.generated.ts", constant: "MATMUL_RELAXED_SHARED_WASM_BASE64", relaxed: true, shared: true },
  { wat: "matmul_relaxed.wat", generated: "matmul_plain.generated.ts", constant: "MATMUL_PLAIN_WASM_BASE64", relaxed: false, shared: false, unfused: true },
  { wat: "matmul_relaxed.wat", generated: "matmul_plain_shared.generated.ts", constant: "MATMUL_PLAIN_SHARED_WASM_BASE64", relaxed: false, shared: true, unfused: true },
  { wat: "../../wasm/reduce.wat", generated: "../../wasm/reduce.generated.ts", constant: "REDUCE_WASM_BASE64", relaxed: false },
  { wat: "../../wasm/elementwise_simd.wat", generated: "../../wasm/elementwise_simd.generated.ts", constant: "ELEMENTWISE_SIMD_WASM_BASE64", relaxed: false },
  // conv: on its own plain memory, or on the matmul kernels' shared one (src/backend/wasm/conv.ts)
  { wat: "../../wasm/conv.wat", generated: "../../wasm/conv.generated.ts", constant: "CONV_WASM_BASE64", relaxed: false, shared: false },
  { wat: "../../wasm/conv.wat", generated: "../../wasm/conv_shared.generated.ts", constant: "CONV_SHARED_WASM_BASE64", relaxed: false, shared: true },
  // the fast backend's fused optimizer updates: relaxed SIMD (fused multiply-adds, PyTorch's bits)
  // and the plain-SIMD build (mul + add) for engines where relaxed_madd is missing or unfused
  // (each on a memory of its own, or on the matmul kernels' shared one, where lasting tensors live)
  { wat: "../../wasm/optim.wat", generated: "../../wasm/optim.generated.ts", constant: "OPTIM_WASM_BASE64", relaxed: true, shared: false },
  { wat: "../../wasm/optim.wat", generated: "../../wasm/optim_plain.generated.ts", constant: "OPTIM_PLAIN_WASM_BASE64", relaxed: false, unfused: true, shared: false },
  { wat: "../../wasm/optim.wat", generated: "../../wasm/optim_shared.generated.ts", constant: "OPTIM_SHARED_WASM_BASE64", relaxed: true, shared: true },
  { wat: "../../wasm/optim.wat", generated: "../../wasm/optim_plain_shared.generated.ts", constant: "OPTIM_PLAIN_SHARED_WASM_BASE64", relaxed: false, unfused: true, shared: true },
  // torch.randn's float32 Box-Muller (src/random/distributions.ts): relaxed only (its bits need fused multiply-adds)
  { wat: "../../../random/normal.wat", generated: "../../../random/normal.generated.ts", constant: "NORMAL_WASM_BASE64", relaxed: true },
];

export const pathOf = (file: string): string => fileURLToPath(new URL(file, dir));

const SHARED_MEMORY = "(memory 1 32768 shared))";

/** The .wat text of one module: its source with its variant's rewrites (see WasmModuleSpec). */
export function watSource(spec: WasmModuleSpec): string {
  let src = readFileSync(pathOf(spec.wat), "utf8");
  if (spec.shared !== undefined) {
    if (!src.includes(SHARED_MEMORY)) throw new Error(`${spec.wat}: no ${SHARED_MEMORY}`);
    if (!spec.shared) src = src.replace(SHARED_MEMORY, "(memory 1))");
  }
  if (spec.unfused) {
    const madd = /\(f32x4\.relaxed_madd (\(local\.get \$\w+\)) (\(local\.get \$\w+\)) (\(local\.get \$\w+\))\)/g;
    src = src.replace(madd, "(f32x4.add (f32x4.mul $1 $2) $3)");
    if (src.includes("(f32x4.relaxed_madd")) throw new Error(`${spec.wat}: a relaxed_madd the plain variant did not rewrite`);
  }
  return src;
}

export const WAT_PATH = pathOf(MODULES[0]!.wat);
export const GENERATED_PATH = pathOf(MODULES[0]!.generated);

/** The wasm bytes of one module (no debug names, so the output is reproducible). */
export async function buildWasm(spec: WasmModuleSpec): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const features = { simd: true, relaxed_simd: spec.relaxed, threads: true };
  const mod = wabt.parseWat(spec.wat, watSource(spec), features);
  try {
    mod.resolveNames();
    (mod.validate as (features: object) => void)(features); // (wabt's typings omit validate's features)
    return mod.toBinary({ canonicalize_lebs: true, write_debug_names: false }).buffer.slice();
  } finally {
    mod.destroy();
  }
}

/** The wasm bytes of matmul.wat (SIMD enabled). */
export async function buildMatmulWasm(): Promise<Uint8Array> {
  return buildWasm(MODULES[0]!);
}

/** The text of a generated file for these bytes (default: matmul.generated.ts). */
export function generatedSource(bytes: Uint8Array, spec: WasmModuleSpec = MODULES[0]!): string {
  const b64 = Buffer.from(bytes).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(JSON.stringify(b64.slice(i, i + 96)));
  return [
    `// generated by scripts/build_wasm.ts from ${spec.wat}${spec.unfused ? " (plain SIMD: mul, add)" : ""}${spec.shared ? " (shared memory)" : ""}, do not edit: run \`npm run build:wasm\`.`,
    `/** ${spec.wat} compiled to wasm (${bytes.length} bytes), base64. */`,
    `export const ${spec.constant} =`,
    `  ${lines.join(" +\n  ")};`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  let stale = false;
  for (const spec of MODULES) {
    const text = generatedSource(await buildWasm(spec), spec), path = pathOf(spec.generated);
    if (check) {
      let current = "";
      try { current = readFileSync(path, "utf8"); } catch { /* missing: differs */ }
      if (current !== text) {
        console.error(`${path} is stale: run \`npm run build:wasm\``);
        stale = true;
      } else console.log(`${spec.generated} matches ${spec.wat}`);
      continue;
    }
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
  if (stale) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
