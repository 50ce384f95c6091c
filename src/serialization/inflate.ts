// Inflating the deflated ("method 8") entries of a zip archive, with a hard limit on the output.
// Both decoders come from the platform, never from a bundled implementation:
// - synchronously, Node's zlib (reached through `process.getBuiltinModule`, so browser bundles carry
//   no Node import), for torch.load / loadFromBytes;
// - asynchronously, the web's `DecompressionStream("deflate-raw")` (browsers, Deno, Node 21.2+), for
//   loadFromBytesAsync. Browsers have no synchronous inflate, so there the synchronous API refuses
//   deflated entries with an error that points to the async one.

import { RuntimeError } from "../errors.js";

interface NodeZlib {
  inflateRawSync(data: Uint8Array, opts: { maxOutputLength: number }): Uint8Array;
}

function nodeZlib(): NodeZlib | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:zlib") as NodeZlib | undefined;
}

function failed(name: string, why: string): RuntimeError {
  return new RuntimeError(`PytorchStreamReader failed reading file ${name}: ${why}`);
}

/** Whether this environment can inflate synchronously (Node). */
export function canInflateSync(): boolean {
  return nodeZlib() !== undefined;
}

/**
 * Inflates a raw deflate stream to exactly `size` bytes (Node's zlib); more or fewer is an error,
 * and no more than size + 1 bytes are ever produced.
 */
export function inflateRawSync(data: Uint8Array, size: number, name: string): Uint8Array {
  const zlib = nodeZlib();
  if (!zlib)
    throw failed(
      name,
      "the entry is deflate-compressed and this environment has no synchronous inflate (node:zlib); load the bytes with `await torch.serialization.loadFromBytesAsync(bytes)`, which inflates with DecompressionStream",
    );
  let out: Uint8Array;
  try {
    out = zlib.inflateRawSync(data, { maxOutputLength: size + 1 });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw failed(name, `decompression failed or archive is corrupted (the entry inflates to more than the ${size} bytes the archive says)`);
    throw failed(name, `decompression failed or archive is corrupted (${(e as Error).message})`);
  }
  if (out.length !== size) throw failed(name, `decompression failed or archive is corrupted (the entry inflates to ${out.length} bytes, the archive says ${size})`);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Inflates a raw deflate stream to exactly `size` bytes with DecompressionStream (or Node's zlib where that is missing). */
export async function inflateRawAsync(data: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    if (canInflateSync()) return inflateRawSync(data, size, name);
    throw failed(name, "the entry is deflate-compressed and this environment has neither DecompressionStream nor node:zlib");
  }
  let ds: DecompressionStream;
  try {
    ds = new DecompressionStream("deflate-raw" as CompressionFormat);
  } catch {
    if (canInflateSync()) return inflateRawSync(data, size, name);
    throw failed(name, 'the entry is deflate-compressed and this environment\'s DecompressionStream lacks "deflate-raw"');
  }
  const writer = ds.writable.getWriter();
  // NOTE: errors surface through the reader; these promises only must not be left unhandled
  writer.write(new Uint8Array(data)).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  const out = new Uint8Array(size);
  let len = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (len + value.length > size) {
        await reader.cancel().catch(() => {});
        throw failed(name, `decompression failed or archive is corrupted (the entry inflates to more than the ${size} bytes the archive says)`);
      }
      out.set(value, len);
      len += value.length;
    }
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    // NOTE: where Node's zlib is there, it decides (so both paths agree: it ignores bytes after the
    // end of the stream, as miniz in PyTorch does, and refuses a stream that stops short). A browser's
    // stream reports trailing bytes as an error after it has given all its output: that output stands
    // (the CRC-32 check that follows vouches for it).
    if (canInflateSync()) return inflateRawSync(data, size, name);
    if (len !== size) throw failed(name, `decompression failed or archive is corrupted (${(e as Error).message})`);
  }
  if (len !== size) throw failed(name, `decompression failed or archive is corrupted (the entry inflates to ${len} bytes, the archive says ${size})`);
  return out;
}
