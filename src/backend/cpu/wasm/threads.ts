// The matmul kernels' worker threads: a pool of workers that share the kernels' WebAssembly memory
// and run the same job as the main thread (index.ts's `work`, a grid of output chunks taken through
// an atomic counter). No Node imports: Node's worker_threads comes from process.getBuiltinModule
// where it exists, browsers get Blob-URL workers, and the worker's code is the string WORKER_SOURCE.
//
// NOTE: how a job runs. The job's parameters and a few control words live at CTL in the shared
// memory (ctl word indices below). The main thread writes the parameters, opens the job (SLOT = 1:
// scratch slot 0 is its own) and stores SEQ = (sequence << 4) | engaged: workers 0..engaged-1 may
// join, each taking a scratch slot from SLOT, and then every thread takes chunks from NEXT until
// none is left. When its own `work` returns, the main thread closes the job (adds CLOSED to SLOT)
// and spins only for the workers that joined, until DONE counts them: a worker still asleep or
// descheduled is not waited for (its would-be chunks are done), and one that comes late finds the
// job closed (or, if the next job is open by then, joins that one properly: parameters are written
// before SLOT is reset). An idle worker spins on SEQ for SPIN_US microseconds and then sleeps in
// Atomics.wait, saying so in its STATE word; the main thread calls Atomics.notify only when an
// engaged worker sleeps (waking takes ~55 us here, so small jobs do not wait for a sleeper: they run
// alone and nudge the workers awake for the next one; index.ts gates by size).
// NOTE: browsers give threads only to cross-origin isolated pages (COOP/COEP headers:
// globalThis.crossOriginIsolated); elsewhere SharedArrayBuffer is withheld and matmul runs on one
// thread, as it does in Node older than 20.16/22.3 (no process.getBuiltinModule) and in engines that
// refuse shared memory. Workers start asynchronously (~0.1-0.3 s); until they report ready the main
// thread works alone. Node workers are unref'ed: they never keep a process alive.

/** Control words (Int32 indices from CTL). */
export const SEQ = 0, DONE = 1, NEXT = 2, SLOT = 3, KIND = 4, ERR = 5, SPIN = 6, LIMIT = 7, STATE = 16;
/** Added to SLOT when the main thread closes a job to late joiners. */
const CLOSED = 1 << 20;
/** STATE values: starting, awake (spinning or working), asleep (Atomics.wait), failed to start. */
const AWAKE = 1, ASLEEP = 2; // 0: starting, 3: failed to start
/** The most workers (engaged counts take 4 bits of SEQ). */
export const MAX_WORKERS = 15;
/** How long an idle worker spins before it sleeps, microseconds. */
export const SPIN_US = 1000;

/**
 * The worker's code (plain JavaScript: it runs as an eval'd script in Node, a Blob URL elsewhere).
 * It instantiates each kernel module on the shared memory and then serves jobs forever.
 */
const WORKER_MAIN = `(d) => {
  const { memory, modules, ctl, id } = d;
  const c = new Int32Array(memory.buffer, ctl, 64);
  let ex;
  try {
    ex = modules.map((m) => (m ? new WebAssembly.Instance(m, { env: { memory } }).exports : null));
  } catch (e) {
    Atomics.store(c, ${STATE} + id, 3);
    return;
  }
  let last = Atomics.load(c, ${SEQ});
  Atomics.store(c, ${STATE} + id, ${AWAKE});
  for (;;) {
    let v = Atomics.load(c, ${SEQ});
    if (v === last) {
      const end = performance.now() + Atomics.load(c, ${SPIN}) / 1000;
      for (let i = 1; (v = Atomics.load(c, ${SEQ})) === last; i++) if ((i & 255) === 0 && performance.now() > end) break;
      if (v === last) {
        Atomics.store(c, ${STATE} + id, ${ASLEEP});
        Atomics.wait(c, ${SEQ}, last);
        Atomics.store(c, ${STATE} + id, ${AWAKE});
        continue;
      }
    }
    last = v;
    if (id < (v & 15)) {
      const slot = Atomics.add(c, ${SLOT}, 1);
      if (slot < Atomics.load(c, ${LIMIT})) {
        try { ex[Atomics.load(c, ${KIND})].work(ctl, slot); } catch (e) { Atomics.store(c, ${ERR}, 1); }
        Atomics.add(c, ${DONE}, 1);
      }
    }
  }
}`;

export const WORKER_SOURCE = `"use strict";
const serve = ${WORKER_MAIN};
if (typeof process === "object" && process.versions && process.versions.node) {
  serve((typeof require === "function" ? require("node:worker_threads") : process.getBuiltinModule("node:worker_threads")).workerData);
} else self.onmessage = (e) => serve(e.data);
`;

interface NodeWorkerThreads {
  Worker: new (src: string, opts: { eval: boolean; workerData: unknown; execArgv: string[] }) => { unref(): void; on(ev: string, fn: (e: unknown) => void): void };
}

interface ProcessLike { getBuiltinModule?(id: string): unknown }
const proc = (globalThis as { process?: ProcessLike }).process;

/** Node's worker_threads, where process.getBuiltinModule gives it synchronously; else undefined. */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  try {
    return proc?.getBuiltinModule?.("node:worker_threads") as NodeWorkerThreads | undefined;
  } catch {
    return undefined;
  }
}

/** Whether this environment can run worker threads on a shared memory at all. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  if (nodeWorkerThreads() !== undefined) return true;
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return g.crossOriginIsolated === true && typeof g.Worker === "function" && typeof g.Blob === "function" && typeof g.URL?.createObjectURL === "function";
}

/**
 * The default number of compute threads: the cores this process may use (os.availableParallelism in
 * Node, navigator.hardwareConcurrency in browsers and Node 21+), at most MAX_WORKERS + 1.
 */
export function defaultThreads(): number {
  let n = 1;
  try {
    const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?(): number; cpus?(): unknown[] } | undefined;
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    n = os?.availableParallelism?.() ?? os?.cpus?.().length ?? nav?.hardwareConcurrency ?? 1;
  } catch {
    n = 1;
  }
  return Math.max(1, Math.min(MAX_WORKERS + 1, Math.floor(n) || 1));
}

let computeThreads: number | undefined;

/** The number of threads matmul computes on (setComputeThreads', else defaultThreads()). */
export function getComputeThreads(): number {
  return (computeThreads ??= defaultThreads());
}

/** Sets the number of threads matmul computes on (1 = the main thread alone; capped at 16). */
export function setComputeThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setComputeThreads: expected a positive integer, got ${n}`);
  computeThreads = Math.min(n, MAX_WORKERS + 1);
}

/**
 * Spins until DONE counts `joined` workers (each finishes at most one chunk).
 * NOTE: its own function, not a loop inside Pool.finish: V8 compiled that loop on-stack (OSR) and the
 * OSR code then failed its map check on the Pool at every call ("wrong map" deoptimization, ~300
 * times over the first ~250 MLP steps: node --trace-deopt), which kept the step slow until finish was
 * optimized whole. A loop with no object in it has no map to check.
 */
function spinUntilDone(c: Int32Array, joined: number): void {
  while (Atomics.load(c, DONE) < joined) { /* spin */ }
}

/** Misses among the last 16 judged jobs that send matmul to one thread for a while (see Pool's judge). */
const MISSES_TO_BACK_OFF = 3;
/** Judged jobs in a row that must hit before a backoff starts from its shortest again. */
const HITS_TO_FORGET = 64;

/**
 * When threaded jobs miss (see Pool's judge), how long matmul should run on one thread: record()
 * takes each judged job's outcome and answers a backoff in ms (0: none). 3 misses among the last 16
 * jobs back off, for 20 ms, then twice as long each time (up to 1 s) until 64 jobs in a row hit.
 */
export class Backoff {
  /** the last 16 judged jobs, a bit each (1: a miss), newest lowest */
  private history = 0;
  /** judged jobs in a row that hit, since the last miss */
  private hits = 0;
  private ms = 0;

  record(miss: boolean): number {
    this.history = ((this.history << 1) | (miss ? 1 : 0)) & 0xffff;
    if (!miss) {
      // a long run of hits: the cores are free again, the next backoff starts short
      if (++this.hits >= HITS_TO_FORGET) this.ms = 0;
      return 0;
    }
    this.hits = 0;
    let misses = 0;
    for (let x = this.history; x !== 0; x &= x - 1) misses++;
    if (misses < MISSES_TO_BACK_OFF) return 0;
    this.history = 0;
    this.ms = Math.min(1000, this.ms === 0 ? 20 : 2 * this.ms);
    return this.ms;
  }
}

/** A pool of workers on one shared memory. */
export class Pool {
  readonly c: Int32Array;
  /** jobs in which at least one worker took part */
  joinedJobs = 0;
  /** times matmul went to one thread because the other cores looked busy (see judge) */
  backedOff = 0;
  /** whether it may do so (tests turn it off to keep every job threaded) */
  adaptive = true;
  /**
   * For tests: begin() waits (up to 100 ms) until an engaged worker has joined the job, so that even
   * a one-chunk product may be computed by a worker (which one takes a chunk stays a race).
   */
  forceJoin = false;
  private backoffUntil = 0;
  private readonly policy = new Backoff();
  /** the current job: when it began, and whether its workers were all awake then */
  private t0 = 0;
  private awake = false;
  private started = 0;
  private failed = false;
  private seq = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly modules: readonly (WebAssembly.Module | null)[],
    private readonly ctl: number,
  ) {
    this.c = new Int32Array(memory.buffer, ctl, 64);
    Atomics.store(this.c, SPIN, SPIN_US);
  }

  /** Starts workers (asynchronously) until there are `n` (or one fails to start). */
  private spawn(n: number): void {
    n = Math.min(n, MAX_WORKERS);
    while (!this.failed && this.started < n) {
      const data = { memory: this.memory, modules: this.modules, ctl: this.ctl, id: this.started };
      try {
        const wt = nodeWorkerThreads();
        if (wt) {
          // execArgv []: not the parent's Node options (--import loaders, --input-type...), which
          // would slow the start or break the script; V8 flags are process-wide and still apply
          const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: data, execArgv: [] });
          w.unref();
          w.on("error", () => { /* STATE stays short of AWAKE: never engaged */ });
        } else {
          const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
          const w = new Worker(url);
          w.postMessage(data);
        }
        this.started++;
      } catch {
        this.failed = true;
      }
    }
  }

  /**
   * How many workers may take part in a job of `work` multiply-adds with `threads` threads in all:
   * the ready workers (a prefix of the ids), all of them for big jobs, only awake ones for small
   * jobs (below `wakeMin`; then sleeping ones are nudged awake for the next job). Starts workers
   * as needed.
   */
  available(threads: number, work: number, wakeMin: number): number {
    const want = Math.min(threads - 1, MAX_WORKERS);
    if (want <= 0) return 0;
    if (this.started < want) this.spawn(want);
    if (this.backoffUntil !== 0) {
      if (performance.now() < this.backoffUntil) return 0;
      this.backoffUntil = 0;
    }
    let n = 0, asleep = false;
    for (; n < want; n++) {
      const s = Atomics.load(this.c, STATE + n);
      if (s !== AWAKE && s !== ASLEEP) break;
      if (s === ASLEEP) asleep = true;
    }
    if (asleep && work < wakeMin) {
      this.nudge(); // wakes them for the next job; this one runs alone
      return 0;
    }
    return n;
  }

  /**
   * NOTE: on a machine whose other cores are busy (other processes), a worker is often descheduled:
   * it misses jobs it was awake for, or holds a chunk while the main thread waits for it, and its
   * spinning takes CPU time from the main thread; two threads then ran 1.5-3x slower than one here
   * (2-core machine at load 6). So a job whose awake workers did not all join, or whose main thread
   * waited more than half the job (and over 50 us) for them, is a miss; after 3 misses among the
   * last 16 judged jobs matmul runs on the main thread alone for a while (the workers fall asleep),
   * 20 ms at first, doubling up to 1 s while it keeps missing, and then tries again; the backoff
   * starts from 20 ms again only after 64 hits in a row. On idle cores a spinning worker joins within
   * a microsecond or two and this never triggers.
   * NOTE: measured (MLP step, a CPU-bound process holding the other core): when this counted only
   * 3 misses in a row and forgot the backoff at the first hit, the worker, which then gets half of a
   * core, missed every few jobs without three in a row, and two threads took 4.1-4.5 ms a step
   * against one thread's 3.2.
   * NOTE: only jobs the caller marks as judged count (index.ts: at least JUDGE_MIN multiply-adds). A
   * worker here often comes 40-60 us late even on a quiet machine (V8's own helper threads share its
   * core), so jobs shorter than that (the MLP's 10-wide products: 10-60 us) missed all the time and
   * set off a backoff every ~20 steps, each taking the threads from the big products too (measured:
   * 14 backoffs in 300 MLP steps, 12 of them from such jobs); and a small job that misses costs
   * nothing, its chunks being done by the main thread.
   */
  private judge(allJoined: boolean, t1: number, t2: number): void {
    // an awake worker joins within microseconds; balanced chunks leave the main thread waiting for
    // at most one chunk (under half the job), a descheduled worker for a scheduler slice (ms)
    const miss = !(allJoined && (t2 - t1 <= 0.5 * (t2 - this.t0) || t2 - t1 < 0.05));
    const ms = this.policy.record(miss);
    if (ms > 0) {
      this.backoffUntil = t2 + ms;
      this.backedOff++;
    }
  }

  /** Wakes the sleeping workers (to spin, ready for a next job) without giving them one. */
  nudge(): void {
    this.seq = (this.seq + 1) & 0x7ffffff;
    Atomics.store(this.c, SEQ, this.seq << 4);
    Atomics.notify(this.c, SEQ);
  }

  /** How many workers are ready (started, their modules instantiated): a prefix of the ids. */
  ready(): number {
    let n = 0;
    while (n < this.started) {
      const s = Atomics.load(this.c, STATE + n);
      if (s !== AWAKE && s !== ASLEEP) break;
      n++;
    }
    return n;
  }

  /**
   * Opens a job of `threads` threads in all (slot 0 the main thread's) to workers 0..engaged-1. The
   * job's parameters and KIND must be written; the chunk counter NEXT is reset here.
   */
  begin(threads: number, engaged: number): void {
    const c = this.c;
    Atomics.store(c, LIMIT, threads);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, SLOT, 1); // from here a worker may join (even one late from an earlier job)
    if (engaged === 0) return;
    this.seq = (this.seq + 1) & 0x7ffffff;
    Atomics.store(c, SEQ, (this.seq << 4) | engaged);
    // a worker either sees the new SEQ before it sleeps, or is seen asleep here (both seq-cst)
    let asleep = false;
    for (let i = 0; i < engaged && !asleep; i++) if (Atomics.load(c, STATE + i) === ASLEEP) asleep = true;
    if (asleep) Atomics.notify(c, SEQ);
    this.awake = !asleep;
    this.t0 = performance.now();
    if (this.forceJoin) while (Atomics.load(c, SLOT) < 2 && performance.now() - this.t0 < 100) { /* spin */ }
  }

  /**
   * After the main thread's own `work`: closes the job to workers that have not joined it yet (a
   * worker still asleep or descheduled is not waited for: the chunks it would have taken are done)
   * and spins until those that joined have finished their chunk. False if one failed in it.
   * `judged`: whether the job counts for the backoff (see judge).
   */
  finish(threads: number, judged = true): boolean {
    const c = this.c;
    const joined = Math.min(Atomics.add(c, SLOT, CLOSED), threads) - 1;
    if (joined > 0) this.joinedJobs++;
    const t1 = performance.now();
    spinUntilDone(c, joined);
    if (judged && this.awake && this.adaptive) this.judge(joined === threads - 1, t1, performance.now());
    if (Atomics.load(c, ERR) !== 0) {
      Atomics.store(c, ERR, 0);
      return false;
    }
    return true;
  }
}
