// torch.randn's float32 Box-Muller in WebAssembly SIMD (normal.wat): PyTorch's AVX2 kernel
// (`normal_fill_16_AVX2`) four lanes at a time, with the same bits as the one-lane emulation in
// avx_mathfun.ts wherever it runs. It runs only where f32x4.relaxed_madd is a true fused multiply-add
// (probed once, below): the kernel's fused sites need one rounding. Elsewhere (no relaxed SIMD, or an
// engine that lowers relaxed_madd to mul + add) the emulation runs. No Node imports: it bundles for
// browsers; the module is ~2 KiB and compiles synchronously.
// NOTE: measured (Node 24, 2-core Zen 3): the emulation took ~55-100 ns a sample on top of the
// uniform draws (~13-24 ns), against PyTorch's ~7-9 for the whole of torch.randn.
import { NORMAL_WASM_BASE64 } from "./normal.generated.js";
import { fma32 } from "./fma.js";
import { wasmModule } from "../backend/wasm_module.js";

interface NormalExports {
  memory: WebAssembly.Memory;
  madd(a: number, b: number, c: number): number;
  normal_fill(p: number, blocks: number, mean: number, std: number, plain: number): void;
}

/** Blocks of 16 floats per call: 256 KiB, which stays in L2 between the copy in and the copy out. */
const CHUNK_BLOCKS = 4096;

let mod: NormalExports | null | undefined; // undefined: not tried yet; null: unavailable here
let view: Float32Array;
let enabled = true;

/** Lets tests run the one-lane emulation (false) or this kernel where it can run (true, the default). */
export function setNormalSimd(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * The module, where it validates (relaxed SIMD) and its relaxed_madd is fused: a * b + c with one
 * rounding, told apart from two by (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 (two roundings give 0).
 */
function load(): NormalExports | null {
  if (mod !== undefined) return mod;
  mod = null;
  try {
    const m = wasmModule(NORMAL_WASM_BASE64);
    if (m === null) return null;
    const ex = new WebAssembly.Instance(m, {}).exports as unknown as NormalExports;
    const a = 1 + 2 ** -12, c = -(1 + 2 ** -11);
    if (ex.madd(a, a, c) !== fma32(a, a, c) || ex.madd(a, a, c) !== 2 ** -24) return null;
    ex.memory.grow(Math.ceil((CHUNK_BLOCKS * 64) / 65536));
    view = new Float32Array(ex.memory.buffer, 0, CHUNK_BLOCKS * 16);
    mod = ex;
  } catch {
    mod = null;
  }
  return mod;
}

/**
 * `normal_fill_16_AVX2` on the first `blocks` blocks of 16 floats of `data`, in place (uniforms in,
 * normals out), as avx_mathfun.ts's normalFill16Avx2 does block by block; false, having changed
 * nothing, where the kernel cannot run here. `mean` and `std` must be float32 values.
 */
export function normalFillSimd(data: Float32Array, blocks: number, mean: number, std: number): boolean {
  if (!enabled || blocks <= 0) return false;
  const m = load();
  if (m === null) return false;
  const plain = std === 1 && mean === 0 ? 1 : 0;
  for (let b = 0; b < blocks; b += CHUNK_BLOCKS) {
    const k = Math.min(CHUNK_BLOCKS, blocks - b), from = b * 16, len = k * 16;
    view.set(data.subarray(from, from + len));
    m.normal_fill(0, k, mean, std, plain);
    data.set(len === view.length ? view : view.subarray(0, len), from);
  }
  return true;
}
