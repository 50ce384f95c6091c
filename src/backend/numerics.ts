// Fast by default, PyTorch's bits as a switch.
//
// NOTE: two CPU backends hold the same storage (typed arrays), so switching between them is free and
// tensors made under one work under the other:
// - "wasm", the default: WebAssembly SIMD and tuned TypeScript kernels, results within float
//   tolerance of PyTorch, and PyTorch's exact bits wherever they cost nothing (the float32 matmul
//   through relaxed SIMD, for instance); a kernel it lacks falls back to the reference, per kernel;
// - "reference": the readable TypeScript kernels that round as PyTorch 1.13's CPU kernels do
//   (software FMAs, Sleef's polynomials, PyTorch's summation orders), bit for bit.
// `torch.useExactNumerics(true)` selects the reference, as `torch.use_deterministic_algorithms`
// selects PyTorch's deterministic kernels; the environment variable TYPETORCH_EXACT=1 does the same
// for a whole run (Node), which is how the ported programs are checked bit for bit.
import { getBackend, setBackend } from "./backend.js";
import { TorchTypeError } from "../errors.js";

export const FAST_BACKEND = "wasm";
export const EXACT_BACKEND = "reference";

/**
 * Turns PyTorch's exact CPU bits on (every op that has a bit-exact kernel uses it) or off (the fast
 * default). Returns nothing, as PyTorch's `use_deterministic_algorithms`.
 * @example
 * torch.useExactNumerics(true);   // the Fashion-MNIST demo then prints PyTorch's 938 losses bit for bit
 * torch.areExactNumericsEnabled(); // true
 */
export function useExactNumerics(mode: boolean): void {
  if (typeof mode !== "boolean") throw new TorchTypeError(`useExactNumerics(): argument 'mode' must be bool, not ${mode === null ? "NoneType" : typeof mode}`);
  setBackend(mode ? EXACT_BACKEND : FAST_BACKEND);
}

/** Whether the current backend computes PyTorch's exact bits. */
export function areExactNumericsEnabled(): boolean {
  return getBackend().exact;
}

/** Reads TYPETORCH_EXACT from the environment where there is one (Node); browsers keep the default. */
export function numericsFromEnvironment(): void {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.TYPETORCH_EXACT;
  setBackend(v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false" ? EXACT_BACKEND : FAST_BACKEND);
}
