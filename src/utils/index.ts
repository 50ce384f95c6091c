/**
 * `torch.utils`. NOTE: the IDX reader (src/utils/idx.ts) is deliberately not exported here: it
 * needs node:fs and node:zlib, and this namespace is part of the browser-safe core. Examples
 * import it directly.
 */
export * as data from "./data/index.js";
