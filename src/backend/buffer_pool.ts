// Reuse of the CPU backends' buffers that a backward pass made and that died with it.
//
// NOTE: why. A fresh typed array of more than a few KiB costs far more than its kernel on the
// machines we measured: V8 gets its backing store from calloc, large ones are fresh pages that fault
// in on first touch (~1.3-3.5 us per 4 KiB page on the 2-core EPYC, Node 24: a new 800 KB
// Float32Array and one write pass took 250-800 us, a reused one 70-120 us), and the external memory
// they add makes V8 run a full mark-compact every few tens of MB. A training step allocates the same
// shapes every step (the MLP of bench/run.ts ~1.3 MB, the MNIST CNN tens of MB), so reusing them is what
// PyTorch gets from its malloc for free.
// NOTE: which buffers are known dead. JavaScript tells no one when an object becomes unreachable
// inside a synchronous loop (FinalizationRegistry callbacks and WeakRef clearing wait for the event
// loop: bench/storage_finalization.ts), so the pool takes only what the library itself knows is
// garbage: buffers allocated during a backward pass that ran no user code (no tensor hooks, no
// custom autograd.Function, no create_graph, not autograd.grad) and that did not become a `.grad`.
// The engine's own intermediates (incoming gradients, masks, the weight gradient before it is added
// into `.grad`) are referenced by nothing once the pass returns. Forward results are never taken:
// the user may hold any of them. Whatever makes a pass unsure (user code ran, a nested pass, an
// error) keeps every buffer of that pass out of the pool, so a mistake here can only cost speed.
// NOTE: the pool's buffers hold stale values: `takeArray` hands one to a caller that writes every
// element; `zeroedArray` clears it for the others (a memset is ~10x cheaper than fresh pages).
// NOTE: a pass's big float32 matmul outputs come from the kernels' shared memory where there is one
// (takePassArrayF32): matmul writes them where they lie and the gradient's accumulation into a
// lasting .grad reads them there, with no copy out of and back into wasm memory. They are arenaArray
// blocks (freed by a FinalizationRegistry if they are ever dropped), but within a training loop they
// only go round: taken in a pass, pooled at its end, taken again by the next.
import type { TypedArray } from "../tensor/dtype.js";
import { arenaArray, inArena } from "./cpu/wasm/index.js";

type ArrayCtor = new (n: number) => TypedArray;

/** Buffers below this many bytes are left to V8 (small backing stores are cheap to get). */
export const POOL_MIN_BYTES = 4096;
/** The most bytes the pool holds; beyond it released buffers are left to the collector. */
export const POOL_MAX_BYTES = 256 * 2 ** 20;
/** A pooled buffer not taken within this many backward passes is dropped (shapes changed). */
const MAX_AGE = 4;
/** The most buffers of one type and length kept. */
const MAX_PER_SIZE = 16;

interface Entry { a: TypedArray; pass: number }

/**
 * TYPETORCH_POOL_POISON=1 (Node): every buffer takeArray hands out, new or reused, is filled with
 * NaN (integers: 0x55 bytes) first, so a kernel that reads an element it did not write shows up in
 * the tests (`TYPETORCH_POOL_POISON=1 npm test`). Read once, at load.
 */
const POISON = ((): boolean => {
  try {
    return Boolean((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TYPETORCH_POOL_POISON);
  } catch {
    return false;
  }
})();

function poison(a: TypedArray): void {
  a.fill(a instanceof Float32Array || a instanceof Float64Array ? NaN : 0x55);
}

const free = new Map<ArrayCtor, Map<number, Entry[]>>();
let pooledBytes = 0;
let passes = 0;
let enabled = true;

/** The current pass: the buffers allocated in it (of pooled sizes), and those that escaped. */
let tracked: TypedArray[] | null = null;
let escaped: Set<unknown> | null = null;
/** The byte ranges of the kernels' shared memory that escaped the current pass ([from, to) pairs). */
let escapedRanges: number[] = [];
/** Pooled float32 arrays in the kernels' shared memory, by length. */
const arenaFree = new Map<number, Entry[]>();
let poisoned = false;

/** Counters for tests and benchmarks. */
export const poolStats = { taken: 0, released: 0, dropped: 0 };

/** A buffer from the pool, or a new one; whether it was reused (its contents are stale). */
function take<T extends TypedArray>(ctor: new (n: number) => T, n: number): [T, boolean] {
  const list = free.get(ctor as unknown as ArrayCtor)?.get(n);
  let a: T, reused = false;
  if (list !== undefined && list.length > 0) {
    a = list.pop()!.a as T;
    pooledBytes -= a.byteLength;
    poolStats.taken++;
    reused = true;
  } else a = new ctor(n);
  if (POISON) poison(a);
  if (tracked !== null) tracked.push(a);
  return [a, reused || POISON];
}

const bytesOf = (ctor: unknown, n: number): number => n * (ctor as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;

/**
 * A buffer of `n` elements of `ctor`'s type with unspecified contents (from the pool when one of that
 * length is there, else new and zeroed), for a caller that writes every element.
 */
export function takeArray<T extends TypedArray>(ctor: new (n: number) => T, n: number): T {
  return bytesOf(ctor, n) < POOL_MIN_BYTES ? new ctor(n) : take(ctor, n)[0];
}

/**
 * Inside a tracked backward pass, a float32 array of n elements in the kernels' shared memory with
 * unspecified contents (for a kernel that writes every element there: matmul's output), else null
 * (the caller takes takeArray's).
 */
export function takePassArrayF32(n: number): Float32Array | null {
  if (tracked === null || !enabled || !passArrays || n * 4 < POOL_MIN_BYTES) return null;
  const list = arenaFree.get(n);
  let a: Float32Array | null;
  if (list !== undefined && list.length > 0) {
    a = list.pop()!.a as Float32Array;
    pooledBytes -= a.byteLength;
    poolStats.taken++;
  } else a = arenaArray(Float32Array, n);
  if (a === null) return null;
  if (POISON) poison(a);
  tracked.push(a);
  return a;
}

let passArrays = true;
/**
 * @internal For tests and benchmarks: whether takePassArrayF32 hands out arrays in the kernels'
 * shared memory (true, the default) or none (false: every output on the JS heap); returns the
 * previous setting.
 */
export function setPassArraysShared(on: boolean): boolean {
  const was = passArrays;
  passArrays = on;
  return was;
}

/** takeArray, zeroed: for a caller that accumulates into it or leaves elements unwritten. */
export function zeroedArray<T extends TypedArray>(ctor: new (n: number) => T, n: number): T {
  if (bytesOf(ctor, n) < POOL_MIN_BYTES) return new ctor(n);
  const [a, stale] = take(ctor, n);
  if (stale) a.fill(0);
  return a;
}

/**
 * Starts tracking a backward pass's allocations; false (and nothing tracked) when a pass is already
 * being tracked (a nested backward: the outer one then releases nothing) or pooling is off.
 */
export function beginPass(): boolean {
  if (tracked !== null) {
    poisoned = true;
    return false;
  }
  if (!enabled) return false;
  tracked = [];
  escaped = new Set();
  escapedRanges = [];
  poisoned = false;
  return true;
}

/**
 * Marks a storage as reachable after the pass (a `.grad`, a retained gradient). By its ArrayBuffer:
 * any typed array over the same memory is kept out of the pool; in the kernels' shared memory (one
 * buffer for all), by the bytes it covers.
 */
export function escape(storage: unknown): void {
  if (escaped === null) return;
  if (ArrayBuffer.isView(storage) && inArena(storage)) escapedRanges.push(storage.byteOffset, storage.byteOffset + storage.byteLength);
  else escaped.add((storage as { buffer?: unknown } | null)?.buffer ?? storage);
}

/** Whether the array a of the kernels' shared memory overlaps a range that escaped the pass. */
function rangeEscaped(a: TypedArray, ranges: readonly number[]): boolean {
  const lo = a.byteOffset, hi = lo + a.byteLength;
  for (let i = 0; i < ranges.length; i += 2) if (ranges[i]! < hi && lo < ranges[i + 1]!) return true;
  return false;
}

/** Marks the current pass unsure (user code ran in it): it releases nothing. */
export function poisonPass(): void {
  if (tracked !== null) poisoned = true;
}

/**
 * Ends the pass begun by beginPass (call only when it returned true). With `release`, the pass's
 * buffers that did not escape go to the pool (unless the pass was poisoned); either way tracking
 * stops.
 */
export function endPass(release: boolean): void {
  const list = tracked, esc = escaped, ranges = escapedRanges;
  tracked = null;
  escaped = null;
  escapedRanges = [];
  if (!release || poisoned || list === null) {
    poisoned = false;
    return;
  }
  passes++;
  ageOut();
  for (const a of list) {
    const shared = inArena(a);
    if (shared ? rangeEscaped(a, ranges) : esc!.has(a.buffer)) continue;
    const bytes = a.byteLength;
    if (pooledBytes + bytes > POOL_MAX_BYTES) { poolStats.dropped++; continue; }
    const ctor = a.constructor as ArrayCtor;
    let bySize = shared ? arenaFree : free.get(ctor);
    if (bySize === undefined) free.set(ctor, (bySize = new Map()));
    let l = bySize.get(a.length);
    if (l === undefined) bySize.set(a.length, (l = []));
    if (l.length >= MAX_PER_SIZE) { poolStats.dropped++; continue; }
    l.push({ a, pass: passes });
    pooledBytes += bytes;
    poolStats.released++;
  }
}

/** Drops buffers that no allocation has wanted for MAX_AGE passes. */
function ageOut(): void {
  for (const bySize of [...free.values(), arenaFree]) {
    for (const [n, l] of bySize) {
      let k = 0;
      for (const e of l) {
        if (passes - e.pass <= MAX_AGE) l[k++] = e;
        else pooledBytes -= e.a.byteLength;
      }
      l.length = k;
      if (k === 0) bySize.delete(n);
    }
  }
}

/** Empties the pool (its buffers are left to the collector). */
export function emptyPool(): void {
  free.clear();
  arenaFree.clear();
  pooledBytes = 0;
}

/** How many bytes the pool holds now. */
export function pooledByteCount(): number {
  return pooledBytes;
}

/**
 * Turns the reuse of a backward pass's buffers on (the default) or off; returns the previous
 * setting. Off, every buffer is new, as before the pool existed (for tests and comparisons).
 */
export function setBufferPoolEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  if (!on) emptyPool();
  return was;
}
