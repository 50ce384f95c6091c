// torch.set_num_threads / torch.get_num_threads.
//
// NOTE: the number does two things. It is how many threads matmul computes on (the main thread and
// worker threads sharing the WebAssembly kernels' memory: src/backend/cpu/wasm/threads.ts), by
// default every core this process may use, as PyTorch's default is; each output element is still
// summed by one thread in PyTorch's order, so that changes no bit. And it is the order in which the
// CPU backend's reductions add, because PyTorch splits reductions of 32768 elements or more over its
// intra-op threads and that changes the float bits (src/backend/cpu/sum.ts). That order stays at its
// default, 1 (what PyTorch 1.13 runs with on the 2-vCPU machines the reference outputs come from),
// until a program calls torch.set_num_threads(n), and then gets PyTorch's sums for n threads.
// NOTE: getNumThreads() returns what setNumThreads set, else 1: the sum order's count, which is what
// PyTorch reported on the reference machines, and what a save-and-restore
// (`const n = getNumThreads(); ...; setNumThreads(n)`) must get back to keep the reductions' bits.
// Reporting the default compute thread count (the cores) instead would make that restore switch the
// sums to the 2-thread order. The price: such a restore also sets matmul to compute on that many
// threads (1) -- call setNumThreads(n) with the cores to get them back.
// NOTE: in browsers, threads need a cross-origin isolated page (COOP/COEP headers); elsewhere matmul
// runs on one thread whatever this says (the number is still reported and still sets the sum order).
import { getSumThreads, setSumThreads } from "./backend/cpu/sum.js";
import { setComputeThreads } from "./backend/cpu/wasm/threads.js";
import { RuntimeError } from "./errors.js";

/**
 * PyTorch's `torch.set_num_threads(n)`.
 * @example
 * torch.setNumThreads(2); torch.getNumThreads(); // 2
 */
export function setNumThreads(n: number): void {
  if (typeof n !== "number" || !Number.isInteger(n)) throw new RuntimeError(`set_num_threads expects an int, but got ${typeof n === "number" ? "float" : typeof n}`);
  if (n <= 0) throw new RuntimeError("set_num_threads expects a positive integer");
  setSumThreads(n);
  setComputeThreads(Math.min(n, 16));
}

/** PyTorch's `torch.get_num_threads()`: what setNumThreads set, else 1 (see the NOTE above). */
export function getNumThreads(): number {
  return getSumThreads();
}
