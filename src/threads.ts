// torch.set_num_threads / torch.get_num_threads.
//
// NOTE: typetorch computes on one thread whatever this says; what the number changes is the order in
// which the CPU backend's reductions add, because PyTorch splits reductions of 32768 elements or more
// over its intra-op threads and that changes the float bits (src/backend/cpu/sum.ts). The default, 1,
// is what PyTorch 1.13 runs with on the 2-vCPU machines the reference outputs come from; a program
// that calls torch.set_num_threads(n) gets PyTorch's sums for n threads.
import { getSumThreads, setSumThreads } from "./backend/cpu/sum.js";
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
}

/** PyTorch's `torch.get_num_threads()`. */
export function getNumThreads(): number {
  return getSumThreads();
}
