// The one door through which the kernels' WebAssembly modules (base64 in their *.generated.ts files)
// are decoded and compiled. No Node imports: browsers compile them too, synchronously (each module
// is a few KiB; see elementwise_simd.ts for the one that may compile asynchronously).

/**
 * The bytes of a base64-encoded module, or null where the engine has no WebAssembly (or no atob),
 * or rejects the module: WebAssembly.validate fails where SIMD or relaxed SIMD is missing.
 */
export function wasmBytes(base64: string): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
  try {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return WebAssembly.validate(bytes) ? bytes : null;
  } catch {
    return null;
  }
}

/** wasmBytes compiled synchronously, or null. */
export function wasmModule(base64: string): WebAssembly.Module | null {
  const bytes = wasmBytes(base64);
  if (bytes === null) return null;
  try {
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}
