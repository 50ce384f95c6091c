// The fast backend's reduce kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
import type { Backend } from "../backend.js";

export const reduceKernels: Partial<Backend> = {};
