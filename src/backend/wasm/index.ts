// The fast CPU backend ("wasm"), typetorch's default: WebAssembly SIMD kernels (and tuned TypeScript
// loops where a call into wasm does not pay), results within float tolerance of PyTorch and its exact
// bits wherever they cost nothing. Each primitive it does not give falls back to the reference
// backend's (../cpu), kernel by kernel; the reference is also the oracle its tests compare against.
//
// NOTE: where the data lives was decided by measurement. Tensors keep their data in ordinary typed
// arrays on the JS heap, exactly as the reference backend does; kernels that run in WebAssembly copy
// their operands into a reused wasm scratch area. The exception is the tensors that live as long as
// a model (parameters, their gradients, optimizer state: allocLasting), which go in the kernels'
// shared memory where there is one, so that matmul and the optimizer updates read and write them in
// place (../cpu/wasm/index.ts's arenaArray says why that is safe for them and not for the rest). Keeping every tensor inside one wasm memory would
// spare those copies, but memory inside wasm is invisible to V8's collector, and a
// FinalizationRegistry callback only runs when the event loop turns: in a plain synchronous training
// loop (an MLP, 200 steps, no await) not one of 2818 buffers was reported free and 268 MiB piled up
// (bench/storage_finalization.ts), where typed arrays on the JS heap are freed by every garbage
// collection and memory stays flat. Copies cost
// O(n) against the O(n^1.5) work of matmul and convolution, and the memory-bound elementwise kernels
// run as monomorphic TypeScript loops over the typed arrays themselves.
import type { Backend } from "../backend.js";
import { registerBackend } from "../backend.js";
import { cpuBackend } from "../cpu/index.js";
import { elementwiseKernels } from "./elementwise.js";
import { reduceKernels } from "./reduce.js";
import { convKernels } from "./conv.js";
import { matmulKernels } from "./matmul.js";
import { optimKernels } from "./optim.js";
import { arenaArray, inArena } from "../cpu/wasm/index.js";

export const wasmBackend: Backend = {
  ...cpuBackend,
  ...elementwiseKernels,
  ...reduceKernels,
  ...convKernels,
  ...matmulKernels,
  ...optimKernels,
  allocLasting(dtype, n) {
    if (dtype.name === "float32") return arenaArray(Float32Array, n);
    if (dtype.name === "float64") return arenaArray(Float64Array, n);
    return null;
  },
  isLasting: (s) => ArrayBuffer.isView(s) && inArena(s),
  name: "wasm",
  typedArrayStorage: true,
  exact: false,
};

registerBackend(wasmBackend);
