// The fast backend's elementwise kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
import type { Backend } from "../backend.js";

export const elementwiseKernels: Partial<Backend> = {};
