// WebAssembly SIMD matmul for the CPU backends: the interior columns of one batch of C = A @ B, bit
// for bit the numbers of the TypeScript kernel (../matmul.ts), many times faster, on every core. The
// kernels are in matmul.wat (see its NOTEs for why the bits match) and, for float32 where the engine
// has relaxed SIMD and fuses f32x4.relaxed_madd, matmul_relaxed.wat (5x faster again); in fast mode
// (the "wasm" backend) an engine without it runs matmul_relaxed.wat's plain-SIMD build (f32x4.mul then
// f32x4.add: other bits, float32 rounding). This file picks the kernel, copies operands into the
// kernels' memory (or reads them where they lie, in a region lent to conv.wat: arenaRegion), packs B
// for the exact kernel (the f32 kernels' driver packs its operands in the job, shared by the
// threads), starts the job on the worker threads of ./threads.ts (which run the module's own `work`
// driver beside the main thread) and copies the result out. No Node imports, no eval and no V8
// flags: it bundles for browsers.
// NOTE: relaxed SIMD is on by default in Node 22+ and Chrome 114+; Node 20 has it only when started
// with `node --experimental-wasm-relaxed-simd ...` (NODE_OPTIONS refuses the flag). The library
// never sets the flag: the user chooses. Without it float32 runs on the exact f64x2 kernel, same bits,
// or in fast mode on the plain-SIMD kernel.
// NOTE: threads split the output into chunks of rows (or of columns when there are few rows), each
// computed whole by one thread: every element's sum runs in the one-thread order, so threads change
// no bit, in exact mode either.
import type { TypedArray } from "../../../tensor/dtype.js";
import { MATMUL_WASM_BASE64 } from "./matmul.generated.js";
import { MATMUL_RELAXED_WASM_BASE64 } from "./matmul_relaxed.generated.js";
import { MATMUL_PLAIN_WASM_BASE64 } from "./matmul_plain.generated.js";
import { MATMUL_SHARED_WASM_BASE64 } from "./matmul_shared.generated.js";
import { MATMUL_RELAXED_SHARED_WASM_BASE64 } from "./matmul_relaxed_shared.generated.js";
import { MATMUL_PLAIN_SHARED_WASM_BASE64 } from "./matmul_plain_shared.generated.js";
import { getComputeThreads, KIND, NEXT, Pool, threadsSupported } from "./threads.js";
import { wasmModule } from "../../wasm_module.js";
import { BlockHeap } from "./heap.js";

export { getComputeThreads, setComputeThreads } from "./threads.js";

interface MatmulExports {
  work(ctl: number, slot: number): void;
  compact(c: number, ldc: number, row: number, rows: number): void;
  macro(f64: number, mode: number, ap: number, bp: number, c: number, mc: number, nc: number, kc: number, ldc: number): void;
  packA(src: number, f64: number, rs: number, cs: number, M: number, i0: number, mc: number, k0: number, kc: number, dst: number): void;
  packB(src: number, f64: number, rs: number, cs: number, k0: number, kc: number, j0: number, nc: number, dst: number): void;
}

/** matmul_relaxed.wat (and its plain build): float32 only, f32 panels, B panels 8 columns wide. */
interface RelaxedExports {
  // its `work` driver packs A and B itself, inside the job (see the wat): no packing from here
  work(ctl: number, slot: number): void;
  compact(c: number, ldc: number, row: number, rows: number): void;
}

/**
 * Below this many multiply-adds (M * K * cols) matmulWasm declines. NOTE: measured with
 * bench/wasm_matmul.ts --small (2-core Zen 4, Node 20, runs of a shared machine): a call costs
 * ~0.8-1 us at 4x4x4 and 8x8x8, where the TypeScript kernel takes 0.5-0.7 us and 1-2.8 us; from
 * 12x12x12 on wasm is 1.7-2.7x faster. So the crossover is near 8x8x8.
 */
export const MATMUL_WASM_MIN_WORK = 8 * 8 * 8;
let minWorkDefault = MATMUL_WASM_MIN_WORK;

/**
 * Sets the size below which matmulWasm declines by default (multiply-adds; MATMUL_WASM_MIN_WORK
 * unless set); returns the previous one. For tests, which send tiny products through wasm with 0.
 */
export function setMatmulWasmMinWork(n: number): number {
  const was = minWorkDefault;
  minWorkDefault = n;
  return was;
}

let enabled = true;
/**
 * Turns the wasm kernel off (matmulWasm then declines and the TypeScript kernel runs) or back on;
 * returns the previous setting. For tests of the TypeScript path and for comparisons.
 */
export function setMatmulWasmEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

// NOTE: block sizes of the BLIS loops (the relaxed and plain kernels' panels are f32, half these
// bytes, and their B micro-panels 8 columns wide). A chunk's packed A, at most MC rows x KC of k (f64:
// 128*320*8 = 320 KiB), stays in L2; a B micro-panel KC x 4 (10 KiB) stays in L1 while the
// macro-kernel walks the chunk's A panels; B is packed once (the exact kernel's whole, before the
// threads start; the f32 kernels' a column chunk at a time, by the thread that first needs it), and
// each chunk streams it (columns are chunked by NC). float32 takes its K blocks from the caller
// (OpenBLAS's, at most 320); float64 chunks K by KC64 (exactly: see the wat).
const MC = 128, NC = 1024, KC64 = 256;

/**
 * Thread gates, in multiply-adds (M * K * cols). Below PAR_MIN (~50^3, ~5 us of work on one thread)
 * a job runs on the main thread alone: the hand-over to a spinning worker costs a microsecond or two.
 * Below WAKE_MIN (~80^3) it also does when a worker sleeps (waking one costs ~55 us), and nudges the
 * workers awake for the next job; above it a sleeper is woken and joins if it comes in time (the main
 * thread never waits for one that has not joined: threads.ts).
 * NOTE: not tuned on idle cores: the shared 2-core machine ran at load 6-8 while this was written
 * (../shared/notes/performance.md measured 1.8-2x for n >= 64 with a spinning worker on idle cores).
 */
export const PAR_MIN = 128 * 1024, WAKE_MIN = 512 * 1024;
/** Jobs of at least this many multiply-adds (~4M: ~100-200 us on one thread) count for the backoff (threads.ts, Pool.judge). */
const JUDGE_MIN = 1 << 22;
let parMin = PAR_MIN, wakeMin = WAKE_MIN;

/**
 * Sets the thread gates (multiply-adds; see PAR_MIN, WAKE_MIN), whether matmul may fall back to
 * one thread when the other cores look busy (threads.ts, Pool.judge) and whether each job waits for a
 * worker to join it (Pool.forceJoin); returns the previous settings. For tests, which send every
 * product through the threads with (0, 0, false) (and make the worker take part with forceJoin),
 * and for tuning.
 */
export function setMatmulThreadGates(par: number, wake: number, adaptive = true, forceJoin = false): [number, number, boolean, boolean] {
  const pool = arena()?.pool;
  const was: [number, number, boolean, boolean] = [parMin, wakeMin, pool?.adaptive ?? true, pool?.forceJoin ?? false];
  parMin = par;
  wakeMin = wake;
  if (pool) {
    pool.adaptive = adaptive;
    pool.forceJoin = forceJoin;
  }
  return was;
}

/** How many jobs so far had at least one worker thread computing a share of them (for tests). */
export function matmulThreadedJobs(): number {
  return arena()?.pool?.joinedJobs ?? 0;
}

/** How many times matmul has gone to one thread for a while because the other cores looked busy. */
export function matmulThreadBackoffs(): number {
  return arena()?.pool?.backedOff ?? 0;
}

/** The kernel modules: matmul.wat (both dtypes), relaxed and plain (float32 only). */
const EXACT = 0, RELAXED = 1, PLAIN = 2;
type KernelKind = typeof EXACT | typeof RELAXED | typeof PLAIN;

/**
 * The kernels' memory with its views and the instantiated modules (null where this engine rejects
 * one). `pool`: worker threads on it, where its memory is shared.
 */
interface Arena {
  memory: WebAssembly.Memory;
  /** every buffer object this memory has had (a shared memory's grows give new ones; old views stay valid) */
  buffers: WeakSet<ArrayBufferLike>;
  kernels: [MatmulExports | null, RelaxedExports | null, RelaxedExports | null];
  pool: Pool | null;
  f32v: Float32Array;
  f64v: Float64Array;
  i32v: Int32Array;
}

/** Where the job's control words and parameters start (bytes 0-63 stay zero: see the wats). */
const CTL = 64;
/** Byte offsets of the job parameters from CTL (the wats' `work` reads them at these offsets). */
const J_CHUNKS = 128, J_NROW = 132, J_ROWS = 136, J_COLS = 140, J_MP = 144, J_CP = 148, J_MODE0 = 152,
  J_F64 = 156, J_A = 160, J_ARS = 164, J_ACS = 168, J_M = 172, J_BP = 176, J_C = 180, J_LDC = 184,
  J_NB = 188, J_ENDS = 192, J_SCRATCH = 196, J_STRIDE = 200,
  // the relaxed and plain kernels' driver packs B itself (matmul_relaxed.wat's `work`)
  J_B = 204, J_BRS = 208, J_BCS = 212, J_C4 = 216, J_FLAGS = 220, J_K = 224;
/**
 * Where the lasting blocks start (arenaArray: the storage of parameters, their gradients, optimizer
 * state); a call's data (a region lent by arenaRegion, then matmul's K block ends and operands) goes
 * from the top of the blocks in use up (scratchBase). The words below CTL + 256 are the job's.
 */
const HEAP_AT = 4096;
/** The most bytes of lasting blocks: beyond it arenaArray declines (the caller uses the JS heap). */
const HEAP_MAX = 2 ** 28;
/** The end (bytes) of the region held now (arenaRegion), 0 when none. */
let regionEnd = 0;
/** The lasting blocks (on a shared memory only: null until the first arenaArray). */
let heap: BlockHeap | null = null;
/** Where a call's data may start: above every lasting block. */
const scratchBase = (): number => (heap === null ? HEAP_AT : align(heap.top));

let arenaState: Arena | null | undefined; // undefined: not tried yet; null: no WebAssembly SIMD
let relaxedAllowed = true;
let relaxedFused: boolean | undefined;

function instantiate<T>(m: WebAssembly.Module | null, memory: WebAssembly.Memory): T | null {
  if (m === null) return null;
  try {
    return new WebAssembly.Instance(m, { env: { memory } }).exports as unknown as T;
  } catch {
    return null;
  }
}

/**
 * The kernels, compiled and instantiated synchronously on first use: on a shared memory with a
 * worker pool where threads are possible (threads.ts), else on a plain memory; null where
 * WebAssembly or its SIMD is missing. NOTE: synchronous compile works on browsers' main threads too,
 * where Chrome has refused it only for modules over 4 KiB; these are 1.5-2 KiB each (keep them small).
 */
function arena(): Arena | null {
  if (arenaState !== undefined) return arenaState;
  arenaState = null;
  if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
  if (threadsSupported()) {
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
      const mods = [wasmModule(MATMUL_SHARED_WASM_BASE64), wasmModule(MATMUL_RELAXED_SHARED_WASM_BASE64), wasmModule(MATMUL_PLAIN_SHARED_WASM_BASE64)];
      const kernels: Arena["kernels"] = [instantiate(mods[0]!, memory), instantiate(mods[1]!, memory), instantiate(mods[2]!, memory)];
      if (kernels[EXACT] !== null) {
        // modules the main thread could not instantiate are not handed to the workers either
        const usable = mods.map((m, i) => (kernels[i] !== null ? m : null));
        arenaState = { memory, buffers: new WeakSet(), kernels, pool: new Pool(memory, usable, CTL), ...views(memory) };
        arenaState.buffers.add(arenaState.f32v.buffer);
        return arenaState;
      }
    } catch { /* no shared memory here: one thread */ }
  }
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const kernels: Arena["kernels"] = [
      instantiate(wasmModule(MATMUL_WASM_BASE64), memory),
      instantiate(wasmModule(MATMUL_RELAXED_WASM_BASE64), memory),
      instantiate(wasmModule(MATMUL_PLAIN_WASM_BASE64), memory),
    ];
    if (kernels[EXACT] !== null) arenaState = { memory, buffers: new WeakSet(), kernels, pool: null, ...views(memory) };
  } catch {
    arenaState = null;
  }
  return arenaState;
}

function views(memory: WebAssembly.Memory): { f32v: Float32Array; f64v: Float64Array; i32v: Int32Array } {
  const buf = memory.buffer;
  return { f32v: new Float32Array(buf), f64v: new Float64Array(buf), i32v: new Int32Array(buf) };
}

/**
 * The probe of relaxed_madd's rounding: a RELAXED_PROBE.M x K @ K x N float32 product (row-major)
 * whose every element comes out different when relaxed_madd rounds twice. Row r, column j: the
 * first product, -s(1 + 2^-11) 2^j (s = +-1 by row), is exact; the second, s(1 + 2^-11 + 2^-24) 2^j,
 * is exact in a fused multiply-add, whose sum is then s 2^(j-24), while a rounded product ties to
 * even, s(1 + 2^-11) 2^j, and the sum is +0. 4 rows x 8 columns: every lane of every accumulator.
 */
export const RELAXED_PROBE: { readonly M: number; readonly K: number; readonly N: number; readonly a: Float32Array; readonly b: Float32Array } = (() => {
  const M = 4, K = 2, N = 8, a = new Float32Array(M * K), b = new Float32Array(K * N);
  for (let r = 0; r < M; r++) {
    const s = r & 1 ? -1 : 1;
    a[r * K] = -s * (1 + 2 ** -11);
    a[r * K + 1] = s * (1 + 2 ** -12);
  }
  for (let j = 0; j < N; j++) {
    b[j] = 2 ** j;
    b[N + j] = (1 + 2 ** -12) * 2 ** j;
  }
  return { M, K, N, a, b };
})();

/**
 * Whether `out`, RELAXED_PROBE's product as a kernel computed it, is what a fused multiply-add gives
 * in every element (s 2^(j-24) at row r, column j, s = -1 on odd rows). Anything else (the +0 of
 * unfused mul + add, a mix, NaN, a wrong length) says no: the relaxed kernel is then not used.
 */
export function relaxedProbeIsFused(out: ArrayLike<number>): boolean {
  const { M, N } = RELAXED_PROBE;
  if (out.length !== M * N) return false;
  for (let r = 0; r < M; r++) {
    for (let j = 0; j < N; j++) if (!Object.is(out[r * N + j], (r & 1 ? -1 : 1) * 2 ** (j - 24))) return false;
  }
  return true;
}

/**
 * Whether the relaxed kernel may be used: the engine validates relaxed SIMD (Node 22+, Chrome 114+;
 * Node 20 only with `node --experimental-wasm-relaxed-simd`, which this library never turns on
 * itself) and RELAXED_PROBE, run through the kernel itself, shows relaxed_madd fused here (x86 with
 * FMA3, ARM64). Else float32 keeps the exact f64x2 kernel (or in fast mode the plain-SIMD one).
 * Decided once, at first use.
 * NOTE: the probe runs in V8's baseline code (Liftoff), the hot kernel later in TurboFan's; both
 * emit vfmadd231ps for it on the 2-core Zen 4 (node --print-wasm-code), and both choose FMA3 or
 * mul + add from the same CPU check, so the probe speaks for the hot code too. The tests check the
 * tiered-up kernel against the rule on many shapes.
 */
function relaxedOk(): boolean {
  if (relaxedFused !== undefined) return relaxedFused;
  relaxedFused = false;
  const ar = arena();
  if (ar === null || ar.kernels[RELAXED] === null) return false;
  const { M, K, N, a, b } = RELAXED_PROBE, out = new Float32Array(M * N);
  try {
    relaxedFused = run(ar, RELAXED, a, 0, K, 1, b, 0, N, 1, M, K, N, N, [K], out, 0, false, 1) && relaxedProbeIsFused(out);
  } catch {
    relaxedFused = false;
  }
  return relaxedFused;
}

/**
 * Whether the relaxed-SIMD float32 kernel runs here: relaxed SIMD validates and its multiply-add is
 * fused (see relaxedOk); compiles and probes it on first call. False also while
 * setMatmulWasmRelaxed(false) holds.
 */
export function matmulWasmRelaxedAvailable(): boolean {
  return relaxedAllowed && relaxedOk();
}

/**
 * Lets float32 use the relaxed-SIMD kernel where it is available (the default) or keeps it on the
 * exact f64x2 kernel (in fast mode: the plain-SIMD one); returns the previous setting. In exact mode
 * the bits are the same either way; for tests and comparisons.
 */
export function setMatmulWasmRelaxed(on: boolean): boolean {
  const was = relaxedAllowed;
  relaxedAllowed = on;
  return was;
}

/** Whether the wasm kernel can run here (WebAssembly with SIMD); compiles it on first call. */
export function matmulWasmAvailable(): boolean {
  return arena() !== null;
}

/** Whether the plain-SIMD float32 kernel (fast mode without relaxed SIMD) can run here. */
export function matmulWasmPlainAvailable(): boolean {
  return arena()?.kernels[PLAIN] != null;
}

/** Whether matmul runs on worker threads here (shared memory and workers; see threads.ts). */
export function matmulThreadsSupported(): boolean {
  return arena()?.pool != null;
}

/**
 * How many worker threads have started and are ready to take part now (they start asynchronously,
 * at the first matmul big enough to use them; see threads.ts). For tests and benchmarks.
 */
export function matmulWorkersReady(): number {
  return arena()?.pool?.ready() ?? 0;
}

/** Starts the worker threads getComputeThreads() asks for, without waiting for them. */
export function startMatmulWorkers(): void {
  const pool = arena()?.pool;
  if (pool) pool.available(getComputeThreads(), Infinity, 0);
}

const align = (n: number): number => (n + 63) & ~63;

/** Grows the kernels' memory to at least `bytes`; false when that is more than it may address. */
function reserve(ar: Arena, bytes: number): boolean {
  if (bytes > 2 ** 31) return false; // the wat's offsets are i32 arithmetic
  const memory = ar.memory;
  let buf = memory.buffer;
  if (bytes > buf.byteLength) {
    try { memory.grow(Math.ceil((bytes - buf.byteLength) / 65536)); } catch { return false; }
    buf = memory.buffer;
  }
  // new or grown: growing detaches a plain memory's views (a shared one's just stay short)
  if (ar.f32v.buffer !== buf || ar.f32v.length * 4 !== buf.byteLength) {
    Object.assign(ar, views(memory));
    ar.buffers.add(ar.f32v.buffer);
  }
  return true;
}

/**
 * Lends the region [at, at + bytes) of the kernels' memory to another kernel module instantiated on
 * that memory (conv.wat's patch matrix), until releaseArenaRegion(): matmul keeps its own data above
 * it meanwhile. Views of the region (made on `buffer`, or on any buffer this memory has had) given to
 * matmulWasm as operands are read where they lie, with no copy in, and an output view is written where
 * it lies when its rows are whole tiles of the kernel (see run). Null where the memory is not shared
 * (no threads here) or cannot grow that far: the caller then keeps its data in a memory of its own.
 * NOTE: shared only, because a shared memory's views stay valid when it grows (matmul grows it for
 * its own data while the region's holder keeps its views); a plain memory's would be detached.
 * Kernels do not nest: one region at a time, lent again by the next call.
 */
export function arenaRegion(bytes: number): { memory: WebAssembly.Memory; buffer: ArrayBufferLike; at: number } | null {
  const ar = arena();
  if (ar === null || ar.pool === null || !(bytes >= 0)) return null;
  const at = scratchBase(), end = at + bytes;
  if (!reserve(ar, align(end))) return null;
  regionEnd = end;
  return { memory: ar.memory, buffer: ar.f32v.buffer, at };
}

type ArenaArrayCtor = Float32ArrayConstructor | Float64ArrayConstructor;
/** Frees a lasting block when its array is collected (see arenaArray). */
const blocks = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry<[number, number]>(([at, bytes]) => heap?.release(at, bytes))
  : null;
let arenaArrays = true;

/**
 * A zero-filled array of n elements in the kernels' shared memory, for a tensor that lives long
 * (a parameter, its gradient, optimizer state), or null where there is none (no threads here, so no
 * shared memory; no FinalizationRegistry; the blocks' limit reached; a region lent now): the caller
 * then allocates on the JS heap. Kernels read and write such an array where it lies: matmul its A,
 * B and C (no copy in or out), the fused optimizer updates (../../wasm/optim.ts) all their operands.
 * NOTE: why only long-lived tensors. Memory inside wasm is invisible to V8's collector, and the
 * block is given back by a FinalizationRegistry callback, which runs only when the event loop turns
 * (bench/storage_finalization.ts): a synchronous loop allocating here every step would pile blocks
 * up. Parameters and their state are made once per model, so their blocks live as long as the model,
 * and a program that makes models in a loop only fills the blocks' limit (HEAP_MAX) and then gets
 * JS-heap arrays, as everything did before.
 * NOTE: the block is freed when this array object is collected: the library never keeps a
 * subarray of a storage beyond a kernel call, and tensors share the storage object itself.
 * The array's buffer is a SharedArrayBuffer: its TypedArray.set and fill take V8's relaxed-atomic
 * copies, 2x and 8x slower than on an ArrayBuffer (measured, 800 KB: set 65 us against 33, fill 130
 * against 17), so the kernels that touch such tensors every step (zero_, the gradient's add_, the
 * optimizer) run in wasm on them.
 */
export function arenaArray<C extends ArenaArrayCtor>(ctor: C, n: number): InstanceType<C> | null {
  if (!arenaArrays || blocks === null || !(n > 0) || regionEnd > 0) return null;
  const ar = arena();
  if (ar === null || ar.pool === null) return null;
  if (heap === null) {
    heap = new BlockHeap(HEAP_AT, HEAP_AT + HEAP_MAX);
    // a model's first parameter: its training's matmuls will want the workers, which take 0.1-0.3 s
    // to start (meanwhile the program builds the rest of the model, loads its data)
    startMatmulWorkers();
  }
  const bytes = n * ctor.BYTES_PER_ELEMENT, at = heap.alloc(bytes, true);
  if (at < 0) return null;
  if (!reserve(ar, align(heap.top))) {
    heap.release(at, bytes);
    return null;
  }
  const a = new (ctor as unknown as new (b: ArrayBufferLike, at: number, n: number) => InstanceType<C>)(ar.f32v.buffer, at, n);
  a.fill(0); // a reused block holds stale values (once per tensor, so the slow shared fill is fine)
  blocks.register(a, [at, bytes]);
  return a;
}

/** Whether `a` lies in the kernels' shared memory (an arenaArray, or a view of a lent region). */
export function inArena(a: ArrayBufferView): boolean {
  const ar = arenaState;
  return ar !== null && ar !== undefined && ar.pool !== null && ar.buffers.has(a.buffer);
}

/**
 * @internal For tests and benchmarks: whether arenaArray hands out blocks (false: it returns null,
 * so every tensor lives on the JS heap, as before); returns the previous setting.
 */
export function setArenaArrays(on: boolean): boolean {
  const was = arenaArrays;
  arenaArrays = on;
  return was;
}

/**
 * Whether a float32 M x K @ K x N product in fast mode whose N columns all go to wasm would be
 * written where its output lies when that output is in the kernels' shared memory (see run: the
 * float32 kernels' whole tiles, M a multiple of 4 and N of 8): then a caller may take its output
 * there (buffer_pool.ts's takePassArrayF32) and spare the copy out.
 */
export function matmulWritesInPlace(M: number, K: number, N: number): boolean {
  if (!enabled || M % 4 !== 0 || N % 8 !== 0 || M * K * N < minWorkDefault) return false;
  const ar = arenaState;
  return ar !== null && ar !== undefined && ar.pool !== null && ((relaxedAllowed && relaxedOk()) || ar.kernels[PLAIN] !== null);
}

/** Bytes in lasting blocks now, and the top of them (for tests). */
export function arenaHeapStats(): { used: number; top: number; free: [number, number][] } {
  return heap === null ? { used: 0, top: HEAP_AT, free: [] } : { used: heap.used, top: heap.top, free: heap.freeBlocks() };
}

let inPlaceOperands = 0;
/** How many operands matmul has read or written where they lie in a lent region (for tests). */
export function matmulInPlaceOperands(): number {
  return inPlaceOperands;
}

/** Ends the loan of arenaRegion: matmul's data starts low in the memory again. */
export function releaseArenaRegion(): void {
  regionEnd = 0;
}

/**
 * Copies an R x C matrix given by element strides (src[off + r * sr + c * sc]) into `dst` at element
 * `at`, keeping whichever of its orientations has contiguous runs. Returns the element strides
 * [rs, cs] of the copy.
 */
function copyIn(
  src: Float32Array | Float64Array, off: number, sr: number, sc: number, R: number, C: number,
  dst: Float32Array | Float64Array, at: number,
): [number, number] {
  if (sc === 1 || C === 1) {
    if (sr === C || R === 1) { dst.set(src.subarray(off, off + R * C), at); return [C, 1]; }
    if (C >= 32) for (let r = 0; r < R; r++) dst.set(src.subarray(off + r * sr, off + r * sr + C), at + r * C);
    else for (let r = 0, d = at; r < R; r++) for (let c = 0, s = off + r * sr; c < C; c++, s += sc) dst[d++] = src[s]!;
    return [C, 1];
  }
  if (sr === 1) { // columns contiguous (a transposed view): copy as C x R
    if (R >= 32) for (let c = 0; c < C; c++) dst.set(src.subarray(off + c * sc, off + c * sc + R), at + c * R);
    else for (let c = 0, d = at; c < C; c++) for (let r = 0, s = off + c * sc; r < R; r++, s++) dst[d++] = src[s]!;
    return [1, R];
  }
  for (let r = 0, d = at; r < R; r++) for (let c = 0, s = off + r * sr; c < C; c++, s += sc) dst[d++] = src[s]!;
  return [C, 1];
}

/**
 * Columns [0, cols) of every row of one batch of o = a @ b, in WebAssembly SIMD, bit for bit what
 * matmulInto's TypeScript kernel computes for them, on up to getComputeThreads() threads. float32 runs
 * on the relaxed-SIMD kernel where matmulWasmRelaxedAvailable() (and setMatmulWasmRelaxed has not
 * turned it off), else on the exact f64x2 kernel, or with `fast` on the plain-SIMD kernel (f32x4.mul
 * then f32x4.add: each product rounded, so not these bits); float64 always on the exact kernel.
 *
 * a is M x K with element strides (sam, sak) from aOff; b is K x N with strides (sbk, sbn) from bOff;
 * o is row-major with row stride N from oOff (columns >= cols are not touched); 0 < cols <= N.
 * NOTE: a cols that is not a multiple of the kernels' panel width (4 or 8 columns) pads the last
 * panel with whatever follows in the copy of B; those padding columns of C are computed and dropped,
 * each column's sum being its own. All three arrays are Float32Array or all Float64Array (else it
 * returns false).
 * float32: `ends` are the K block ends (increasing, last = K): per element and block an accumulator
 * starts at +0 and takes fround(a * b + acc) in k order; o is set to the first block's sum and each
 * later block's sum is added with float32 rounding. float64: a plain s += a * b in k order (`ends`
 * ignored). With `accumulate`, o's columns [0, cols) already hold C and every block's sum is added
 * (float32: the first block's too, with float32 rounding; float64: o + s), matmulInto's addmm path.
 * NOTE: fround(a * b + acc) is the float32 FMA (OpenBLAS's step) but where the float64 sum lands
 * exactly on a float32 midpoint (the double rounding of matmul.ts's NOTE, never seen in random data):
 * there the relaxed kernel, a true FMA, gives OpenBLAS's bits, and the exact kernel and TypeScript
 * the double-rounded ones (test/wasm_matmul.test.ts has such a case).
 *
 * Returns false, having written nothing, when WebAssembly SIMD is unavailable, the operands do not
 * fit its memory, or M * K * cols < minWork (default MATMUL_WASM_MIN_WORK, see setMatmulWasmMinWork): the caller then
 * computes those columns itself.
 *
 * @example
 * // the first 4 columns of a 2x3 @ 3x5 float32 product (column 4 stays with the caller)
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array(15).fill(1);
 * const o = new Float32Array(10);
 * matmulWasm(a, 0, 3, 1, b, 0, 5, 1, 2, 3, 5, 4, [3], o, 0, 0); // true (minWork 0: any size)
 * // o: [6, 6, 6, 6, 0, 15, 15, 15, 15, 0]
 */
export function matmulWasm(
  a: TypedArray, aOff: number, sam: number, sak: number,
  b: TypedArray, bOff: number, sbk: number, sbn: number,
  M: number, K: number, N: number, cols: number, ends: readonly number[],
  o: TypedArray, oOff: number,
  minWork: number = minWorkDefault,
  accumulate = false,
  fast = false,
): boolean {
  if (!enabled || M <= 0 || K <= 0 || cols <= 0 || cols > N || M * K * cols < minWork) return false;
  // other element types (and mixed ones) stay with TypeScript
  let f64: boolean;
  if (a instanceof Float32Array && b instanceof Float32Array && o instanceof Float32Array) f64 = false;
  else if (a instanceof Float64Array && b instanceof Float64Array && o instanceof Float64Array) f64 = true;
  else return false;
  const ar = arena();
  if (ar === null) return false;
  let kind: KernelKind = EXACT;
  if (!f64) {
    if (relaxedAllowed && relaxedOk()) kind = RELAXED;
    else if (fast && ar.kernels[PLAIN] !== null) kind = PLAIN;
  }
  return run(ar, kind, a as Float32Array | Float64Array, aOff, sam, sak, b as Float32Array | Float64Array, bOff, sbk, sbn, M, K, N, cols, ends, o as Float32Array | Float64Array, oOff, accumulate, getComputeThreads());
}

/**
 * The chunk grid of a job on T threads: [rows, columns] of each chunk of C (rows a multiple of 4 and
 * at most MC, columns a multiple of 8 and at most NC). One thread: MC x NC blocks. Several: at least
 * 2T chunks (dynamic: a late thread's share is taken by the others), as square as that allows.
 * NOTE: a chunk packs its rows of A for each of its column ranges and streams its columns of packed
 * B for each of its row ranges, so thin chunks cost: 16-row chunks of 128x784x256 (x @ W.T) re-read
 * all of B (800 KB, beyond L2) 8 times, and 32-column ones re-pack A. The score below, A's re-packing
 * (scalar moves) weighted twice B's streaming (vector loads), picks 64x128 chunks there, 128x128
 * for 256^3 and 128 x 1024 for 1024^3.
 */
function chunkGrid(Mp: number, cp: number, T: number): [number, number] {
  const up = (x: number, m: number): number => Math.ceil(x / m) * m;
  if (T === 1) return [Math.min(MC, Mp), Math.min(NC, cp)];
  const target = 2 * T;
  let best: [number, number] = [4, 8], score = Infinity;
  for (let nr = 1; nr <= target; nr *= 2) {
    const r = Math.min(MC, up(Math.ceil(Mp / nr), 4));
    const nc = Math.ceil(target / Math.ceil(Mp / r));
    const c = Math.min(NC, Math.max(8, up(Math.ceil(cp / nc), 8)));
    const sc = 1 / r + 2 / c;
    if (sc < score) { score = sc; best = [r, c]; }
  }
  return best;
}

/**
 * The chunk grid of the relaxed and plain kernels' driver (matmul_relaxed.wat), whose threads share
 * the packed A (a row chunk packed once) and B (a column chunk packed once): [rows, columns] of each
 * chunk of C (rows a multiple of 4 and at most MC, columns a multiple of 8 and at most NC). One thread:
 * MC x NC blocks. Several: row chunks of up to MC rows, and column chunks thin enough for at least 4T
 * chunks in all, and for chunks of at most CHUNK_MAX multiply-adds, but not under CHUNK_MIN_COLS
 * columns for that (the driver takes chunks row chunk by row chunk, so a thread's next chunk reuses
 * the A rows it has in cache, each K block's 128 x 320 floats streamed from L2 once per B panel).
 * NOTE: the chunk counter hands chunks out dynamically, so how long the main thread waits at the end
 * for a worker's last chunk is about a chunk's time (measured, MLP 784-256-10 with 4 chunks of 64 x
 * 128: ~100-130 us per big product, 8-12% of the training step). Thin chunks cost little there: no A
 * is repacked, and B is streamed from a packed copy either way. But chunks of 32 columns at 1024^3
 * ran at half speed (A, beyond L2, streamed again for every 32 columns), hence the floor.
 */
const CHUNK_MAX = 1 << 24, CHUNK_MIN_COLS = 256;
function sharedChunkGrid(Mp: number, cp: number, K: number, T: number): [number, number] {
  const up = (x: number, m: number): number => Math.ceil(x / m) * m;
  const rows = Math.min(MC, Mp);
  if (T === 1) return [rows, Math.min(NC, cp)];
  const nRow = Math.ceil(Mp / rows);
  let cols = Math.max(8, up(Math.ceil(cp / Math.ceil((4 * T) / nRow)), 8));
  if (rows * K * cols > CHUNK_MAX) cols = Math.max(CHUNK_MIN_COLS, Math.floor(CHUNK_MAX / (rows * K) / 8) * 8);
  return [rows, Math.min(NC, cp, cols)];
}

/**
 * matmulWasm on one kernel module and up to `threads` threads, its arguments checked but for
 * `ends`; false if it declines.
 */
function run(
  ar: Arena, kind: KernelKind, a: Float32Array | Float64Array, aOff: number, sam: number, sak: number,
  b: Float32Array | Float64Array, bOff: number, sbk: number, sbn: number,
  M: number, K: number, N: number, cols: number, ends: readonly number[],
  o: Float32Array | Float64Array, oOff: number, accumulate: boolean, threads: number,
): boolean {
  const f64 = o instanceof Float64Array, f32k = kind !== EXACT; // f32k: f32 panels, 8-column B panels
  const w = ar.kernels[kind];
  if (w === null || (f32k && f64)) return false;

  // K chunks: float32 the caller's blocks; float64 KC64 at a time (the sum continues across chunks)
  const nb = f64 ? Math.ceil(K / KC64) : ends.length;
  const chunkEnd = (i: number): number => (f64 ? Math.min(K, (i + 1) * KC64) : ends[i]!);
  let maxKc = 0;
  for (let i = 0, k0 = 0; i < nb; i++) {
    const k1 = chunkEnd(i);
    if (!(k1 > k0) || (i === nb - 1 && k1 !== K)) return false; // empty, unordered or short ends
    maxKc = Math.max(maxKc, k1 - k0);
    k0 = k1;
  }
  if (maxKc === 0) return false;

  // threads and the chunk grid (rows x columns of C, each chunk whole on one thread): see chunkGrid
  const work = M * K * cols, pool = ar.pool;
  const engaged = pool !== null && threads > 1 && work >= parMin ? pool.available(threads, work, wakeMin) : 0;
  const T = engaged + 1, Mp = (M + 3) & ~3;
  const cp = f32k ? (cols + 7) & ~7 : (cols + 3) & ~3; // packed B's width = C's row length (ldc)
  const c4 = (cols + 3) & ~3; // columns packed from the copy of B (packB takes multiples of 4)
  const [rowChunk, colChunk] = f32k ? sharedChunkGrid(Mp, cp, K, T) : chunkGrid(Mp, cp, T);
  const nRow = Math.ceil(Mp / rowChunk), nCol = Math.ceil(cp / colChunk);
  const nChunks = nRow * nCol;

  // Operands in the shared memory (arenaArray's blocks, views of a region lent by arenaRegion) are
  // read (A, B) or written (C) where they lie. C only when its rows are whole tiles: the kernels write Mp rows of cp columns, so M and cols
  // must be multiples of 4 and of the panel width, cols = N (rows back to back); not when accumulating
  // (a redo after a failed worker, below, must start from the C it was given) and not overlapping A or B.
  const es = f64 ? 8 : 4, ps = f32k ? 4 : 8;
  const lent = ar.pool !== null;
  const aIn = lent && ar.buffers.has(a.buffer), bIn = lent && ar.buffers.has(b.buffer);
  const aPtr = aIn ? a.byteOffset + aOff * es : 0, bPtr = bIn ? b.byteOffset + bOff * es : 0;
  const cPtr = o.byteOffset + oOff * es, cEnd = cPtr + M * N * es;
  const apart = (inside: boolean, lo: number, hi: number): boolean => !inside || hi <= cPtr || lo >= cEnd;
  const cIn = lent && ar.buffers.has(o.buffer) && cols === N && cp === N && Mp === M && !accumulate &&
    apart(aIn, aPtr, aPtr + ((M - 1) * Math.abs(sam) + (K - 1) * Math.abs(sak) + 1) * es) &&
    apart(bIn, bPtr, bPtr + ((K - 1) * Math.abs(sbk) + (cols - 1) * Math.abs(sbn) + 1) * es);

  // memory from scratchBase (or above a lent region): [K block ends][flags][A copy][B copy][C][packed B]
  // [packed A: the f32 kernels' shared row chunks, or the exact kernel's scratch per thread], leaving
  // out what lies in the region; element sizes es = 4 or 8, packed ps = 4 (f32 kernels) or 8 (the
  // exact kernel's f64 panels)
  const endsAt = regionEnd > 0 ? align(regionEnd) : scratchBase();
  const flagsAt = align(endsAt + 4 * nb), nFlags = f32k ? nRow + nCol : 0;
  const aAt = align(flagsAt + 4 * nFlags), bAt = align(aAt + (aIn ? 0 : M * K * es)), cAt = cIn ? cPtr : align(bAt + (bIn ? 0 : K * cols * es));
  const bpAt = align((cIn ? bAt + (bIn ? 0 : K * cols * es) : cAt + Mp * cp * es)), apAt = align(bpAt + K * cp * ps);
  const stride = align(rowChunk * maxKc * ps), end = apAt + (f32k ? nRow * rowChunk * K * ps : T * stride);
  if (!reserve(ar, end)) return false;
  const view = f64 ? ar.f64v : ar.f32v, i32 = ar.i32v;
  if (lent) inPlaceOperands += (aIn ? 1 : 0) + (bIn ? 1 : 0) + (cIn ? 1 : 0);

  const [aSrc, ars, acs] = aIn ? [aPtr, sam, sak] : [aAt, ...copyIn(a, aOff, sam, sak, M, K, view, aAt / es)];
  const [bSrc, brs, bcs] = bIn ? [bPtr, sbk, sbn] : [bAt, ...copyIn(b, bOff, sbk, sbn, K, cols, view, bAt / es)];
  // float32 with accumulate: C starts as o (row stride cp) and every block adds into it (mode 1);
  // float64 adds o back after the product (below), as the TypeScript kernel's c + s does.
  const addBlocks = accumulate && !f64;
  if (addBlocks) for (let i = 0; i < M; i++) view.set(o.subarray(oOff + i * N, oOff + i * N + cols), cAt / es + i * cp);

  // the exact kernel's B packed whole here, block after block (block kb at bpAt + k0 * cp * ps); the
  // f32 kernels' driver packs it in the job, a column chunk at a time (flags zeroed: nothing packed)
  for (let i = 0, k0 = 0; i < nb; i++) {
    const k1 = chunkEnd(i);
    i32[endsAt / 4 + i] = k1;
    if (!f32k) (w as MatmulExports).packB(bSrc, f64 ? 1 : 0, brs, bcs, k0, k1 - k0, 0, c4, bpAt + k0 * cp * ps);
    k0 = k1;
  }
  if (nFlags > 0) i32.fill(0, flagsAt / 4, flagsAt / 4 + nFlags);

  const P = CTL / 4;
  i32[P + J_CHUNKS / 4] = nChunks; i32[P + J_NROW / 4] = nRow; i32[P + J_ROWS / 4] = rowChunk;
  i32[P + J_COLS / 4] = colChunk; i32[P + J_MP / 4] = Mp; i32[P + J_CP / 4] = cp;
  i32[P + J_MODE0 / 4] = addBlocks ? 1 : 0; i32[P + J_F64 / 4] = f64 ? 1 : 0;
  i32[P + J_A / 4] = aSrc; i32[P + J_ARS / 4] = ars; i32[P + J_ACS / 4] = acs; i32[P + J_M / 4] = M;
  i32[P + J_BP / 4] = bpAt; i32[P + J_C / 4] = cAt; i32[P + J_LDC / 4] = cp * es;
  i32[P + J_NB / 4] = nb; i32[P + J_ENDS / 4] = endsAt; i32[P + J_SCRATCH / 4] = apAt; i32[P + J_STRIDE / 4] = stride;
  i32[P + J_B / 4] = bSrc; i32[P + J_BRS / 4] = brs; i32[P + J_BCS / 4] = bcs; i32[P + J_C4 / 4] = c4;
  i32[P + J_FLAGS / 4] = flagsAt; i32[P + J_K / 4] = K;
  Atomics.store(i32, P + KIND, kind);
  if (pool !== null) pool.begin(T, engaged); // resets the chunk counter; workers may join from here
  else i32[P + NEXT] = 0;
  w.work(CTL, 0);
  if (T > 1 && !pool!.finish(T, work >= JUDGE_MIN)) {
    // a worker failed inside the job (never seen): its chunks may be missing; redo it on this thread
    return run(ar, kind, a, aOff, sam, sak, b, bOff, sbk, sbn, M, K, N, cols, ends, o, oOff, accumulate, 1);
  }

  // copy out (the rows past M and the columns past cols are padding)
  const c0 = cAt / es;
  if (cIn) { /* written where it lies */ }
  else if (accumulate && f64) for (let i = 0; i < M; i++) for (let j = 0, s = c0 + i * cp, d = oOff + i * N; j < cols; j++, s++, d++) o[d] = o[d]! + view[s]!;
  else if (cols === N && cp === N) o.set(view.subarray(c0, c0 + M * N), oOff);
  else if (cols === N && M > 1) {
    w.compact(cAt, cp * es, N * es, M); // the padding columns out: one copy
    o.set(view.subarray(c0, c0 + M * N), oOff);
  }
  else if (cols >= 32) for (let i = 0; i < M; i++) o.set(view.subarray(c0 + i * cp, c0 + i * cp + cols), oOff + i * N);
  else for (let i = 0; i < M; i++) for (let j = 0, s = c0 + i * cp, d = oOff + i * N; j < cols; j++) o[d++] = view[s++]!;
  return true;
}
