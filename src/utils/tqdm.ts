// tqdm: a progress bar around an iterable (a DataLoader, a range), in tqdm 4.64's exact format:
//   epoch 1:  45%|████▌     | 450/1000 [00:02<00:03, 190.12it/s, loss=0.312]
// On a terminal (a file whose isTTY is true: Node's process.stderr on a terminal) the bar is
// redrawn in place exactly as tqdm does it (same "\r" stream, same update points, same smoothed
// rate). Elsewhere (output piped to a file or a CI log, or in a browser, where lines go to
// console.info) it stays quiet: one whole line at most every `lineInterval` seconds, and the
// final line when the bar closes.
// NOTE: written by hand rather than with an npm package: cli-progress and its kin draw their
// own formats, and tqdm's (the numbers, the smoothing, the 1/8-block bar) is what PyTorch users
// read; the format is a few dozen lines. Nothing here imports Node: process.stderr is looked up
// on globalThis at construction, so the module is browser-safe.
import { formatFixed, formatScientific, pyFloatRepr } from "../tensor/format.js";
import { TorchTypeError, pythonTypeName } from "../errors.js";

/** Where a bar is written: Node's process.stderr or anything with `write`. */
export interface TqdmFile {
  write(s: string): unknown;
  /** true: redraw in place with "\r"; otherwise quiet whole lines */
  isTTY?: boolean;
  /** terminal width, used for the bar's width when `ncols` is not given */
  columns?: number;
}

/** tqdm's constructor keywords, camelCase. */
export interface TqdmOptions {
  /** Number of expected iterations (default: the iterable's length or size, if it has one). */
  total?: number | null;
  /** Prefix of the bar ("epoch 1"). */
  desc?: string;
  /** Keep the final bar on screen when done (default true). */
  leave?: boolean;
  /** Output (default: process.stderr in Node; console.info lines in a browser). */
  file?: TqdmFile | null;
  /** Width of the whole line; default the terminal's width (a bar of 10 characters when unknown). */
  ncols?: number | null;
  /** Minimum seconds between redraws (default 0.1). */
  mininterval?: number;
  /** Used, as in tqdm, to adjust miniters after a long gap (default 10). */
  maxinterval?: number;
  /** Minimum iterations between redraws (default: adjusted dynamically). */
  miniters?: number | null;
  /** true: the ASCII bar " 123456789#"; a string: that charset. */
  ascii?: boolean | string;
  /** Iterate silently. */
  disable?: boolean;
  /** Unit name (default "it"). */
  unit?: string;
  /** true: SI prefixes (k, M, ...); a number: scale n and total by it. */
  unitScale?: boolean | number;
  /** Exponential moving average factor for the speed (default 0.3; 0 is the overall average). */
  smoothing?: number;
  /** Initial counter value. */
  initial?: number;
  /** Initial postfix values (as setPostfix) or string. */
  postfix?: Record<string, unknown> | Map<string, unknown> | string;
  /** Divisor between SI prefixes when unitScale is true (default 1000). */
  unitDivisor?: number;
  /** Don't show the bar until this many seconds have passed. */
  delay?: number;
  /** Not a terminal: seconds between quiet progress lines (default 10; Infinity: only the final line). */
  lineInterval?: number;
  /** @internal the clock, in seconds (tests drive it) */
  clock?: () => number;
}

// ---------------------------------------------------------------- Python's number formats
/** Python's `"{:.{p}g}".format(x)`. */
function formatG(x: number, p: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sci = formatScientific(x, p - 1);
  const exp = Number(sci.slice(sci.indexOf("e") + 1));
  const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp >= -4 && exp < p) return strip(formatFixed(x, p - 1 - exp));
  const [m, e] = sci.split("e");
  return strip(m!) + "e" + e;
}
/** Python's str() of a number (integers as ints). */
function pyStr(n: number): string {
  return Number.isInteger(n) ? String(n) : pyFloatRepr(n);
}
/** Python's `"{:{w}.{p}f}".format(x)`. */
function fixed(x: number, digits: number, width = 0): string {
  return formatFixed(x, digits).padStart(width);
}

const ANSI = /\x1b\[[;\d]*[A-Za-z]/g;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
/** tqdm's disp_len: on-screen width (ANSI codes removed, East Asian wide characters count 2). */
function dispLen(s: string): number {
  let n = 0;
  for (const ch of s.replace(ANSI, "")) n += WIDE.test(ch) ? 2 : 1;
  return n;
}
function dispTrim(s: string, length: number): string {
  if (s.length === dispLen(s)) return s.slice(0, length);
  const chars = [...s];
  while (dispLen(chars.join("")) > length) chars.pop();
  return chars.join("");
}

const UTF = " " + Array.from({ length: 8 }, (_, i) => String.fromCharCode(0x258f - i)).join("");
const ASCII = " 123456789#";

/** tqdm's Bar: frac of nBars cells, each cell in (charset.length - 1) steps. */
function bar(frac: number, nBars: number, charset: string): string {
  frac = Math.max(0, Math.min(1, frac));
  const nsyms = charset.length - 1;
  const units = Math.trunc(frac * nBars * nsyms);
  const full = Math.floor(units / nsyms);
  const part = units % nsyms;
  let res = charset[nsyms]!.repeat(full);
  if (full < nBars) res += charset[part]! + charset[0]!.repeat(nBars - full - 1);
  return res;
}

export interface FormatMeterOptions {
  ncols?: number | null;
  prefix?: string;
  ascii?: boolean | string;
  unit?: string;
  unitScale?: boolean | number;
  rate?: number | null;
  postfix?: string | null;
  unitDivisor?: number;
  initial?: number;
}

/** tqdm's `format_interval`: seconds as [H:]MM:SS. */
export function formatInterval(t: number): string {
  const total = Math.trunc(t);
  const mins = Math.floor(total / 60), s = total - mins * 60;
  const h = Math.floor(mins / 60), m = mins - h * 60;
  const p2 = (v: number) => String(v).padStart(2, "0");
  return h ? `${h}:${p2(m)}:${p2(s)}` : `${p2(m)}:${p2(s)}`;
}

/** tqdm's `format_sizeof`: a number with an SI prefix (1.23k, 4.50M). */
export function formatSizeof(num: number, suffix = "", divisor = 1000): string {
  for (const unit of ["", "k", "M", "G", "T", "P", "E", "Z"]) {
    if (Math.abs(num) < 999.5) {
      if (Math.abs(num) < 99.95) {
        if (Math.abs(num) < 9.995) return fixed(num, 2, 1) + unit + suffix;
        return fixed(num, 1, 2) + unit + suffix;
      }
      return fixed(num, 0, 3) + unit + suffix;
    }
    num /= divisor;
  }
  return fixed(num, 1, 3) + "Y" + suffix;
}

/** tqdm's `format_num`: the shorter of `.3g` and str(). */
export function formatNum(n: number): string {
  const f = formatG(n, 3).replaceAll("+0", "+").replaceAll("-0", "-");
  const s = pyStr(n);
  return f.length < s.length ? f : s;
}

/** setPostfix's text: `key=value` pairs, numbers in tqdm's format_num. */
function formatPostfix(entries: readonly [string, number | boolean | string][]): string {
  return entries
    .map(([k, v]) => {
      const s = typeof v === "number" ? formatNum(v) : typeof v === "boolean" ? (v ? "1" : "0") : v;
      return k + "=" + s.trim();
    })
    .join(", ");
}

/** tqdm's `format_meter`: the bar's text for n of total done after elapsed seconds. */
export function formatMeter(n: number, total: number | null | undefined, elapsed: number, options: FormatMeterOptions = {}): string {
  let { ncols = null, prefix = "", ascii = false, unit = "it", unitScale = false, rate = null, postfix = null, unitDivisor = 1000, initial = 0 } = options;
  if (total && n >= total + 0.5) total = null;
  if (unitScale && unitScale !== true && unitScale !== 1) {
    if (total) total *= unitScale;
    n *= unitScale;
    if (rate) rate *= unitScale;
    unitScale = false;
  }
  const elapsedStr = formatInterval(elapsed);
  if ((rate === null || rate === undefined) && elapsed) rate = (n - initial) / elapsed;
  const invRate = rate ? 1 / rate : null;
  const rateNoinvFmt = (rate ? (unitScale ? formatSizeof(rate) : fixed(rate, 2, 5)) : "?") + unit + "/s";
  const rateInvFmt = (invRate ? (unitScale ? formatSizeof(invRate) : fixed(invRate, 2, 5)) : "?") + "s/" + unit;
  const rateFmt = invRate && invRate > 1 ? rateInvFmt : rateNoinvFmt;
  const nFmt = unitScale ? formatSizeof(n, "", unitDivisor) : pyStr(n);
  const totalFmt = total !== null && total !== undefined ? (unitScale ? formatSizeof(total, "", unitDivisor) : pyStr(total)) : "?";
  const post = postfix ? ", " + postfix : "";
  const remaining = rate && total ? (total - n) / rate : 0;
  const remainingStr = rate ? formatInterval(remaining) : "?";
  let lBar = prefix ? (prefix.endsWith(": ") ? prefix : prefix + ": ") : "";
  const rBar = `| ${nFmt}/${totalFmt} [${elapsedStr}<${remainingStr}, ${rateFmt}${post}]`;
  if (total) {
    const frac = n / total;
    lBar += fixed(frac * 100, 0, 3) + "%|";
    if (ncols === 0) return lBar.slice(0, -1) + rBar.slice(1);
    const nobar = lBar + rBar;
    const charset = ascii === true ? ASCII : typeof ascii === "string" && ascii ? ascii : UTF;
    const res = lBar + bar(frac, ncols ? Math.max(1, ncols - dispLen(nobar)) : 10, charset) + rBar;
    return ncols ? dispTrim(res, ncols) : res;
  }
  return `${prefix ? prefix + ": " : ""}${nFmt}${unit} [${elapsedStr}, ${rateFmt}${post}]`;
}

/** tqdm's EMA: exponential moving average with bias correction. */
class EMA {
  private last = 0;
  private calls = 0;
  constructor(private readonly alpha: number) {}
  update(x: number): void {
    this.last = this.alpha * x + (1 - this.alpha) * this.last;
    this.calls++;
  }
  value(): number {
    const beta = 1 - this.alpha;
    return this.calls ? this.last / (1 - beta ** this.calls) : this.last;
  }
}

interface ProcessLike {
  stderr?: TqdmFile;
}
function defaultFile(): TqdmFile {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (proc?.stderr && typeof proc.stderr.write === "function") return proc.stderr;
  // a browser: tqdm's stderr lines go to the console, apart from console.log's stdout-like lines
  return { write: (s: string) => void (s.trim() && console.info(s.replace(/\n$/, ""))), isTTY: false };
}
const now = () => performance.now() / 1000;

function lengthOf(it: unknown): number | null {
  if (it === null || typeof it !== "object") return null;
  try {
    const o = it as { length?: unknown; size?: unknown };
    if (typeof o.length === "number") return o.length;
    if (typeof o.size === "number") return o.size;
  } catch {
    // a DataLoader over an iterable dataset without a length
  }
  return null;
}

/**
 * tqdm's progress bar: iterate it (`for` or `for await`), or drive it by hand with `update(n)`.
 * @example
 * const { DataLoader, TensorDataset } = torch.utils.data;
 * const loader = new DataLoader(new TensorDataset(torch.randn(100, 3)), { batchSize: 10 });
 * const bar = torch.utils.tqdm(loader, { desc: "epoch 1" });
 * for (const [x] of bar) bar.setPostfix({ loss: x.pow(2).mean().item() }, { refresh: false });
 * bar.n; // 10 (on stderr: "epoch 1: 100%|██████████| 10/10 [00:00<00:00, ...it/s, loss=...]")
 */
export class Tqdm<T = unknown> implements Iterable<T>, AsyncIterable<T> {
  n: number;
  total: number | null;
  desc: string;
  /** The text after the counts (tqdm's `postfix`): setPostfix's values are formatted when it is read. */
  get postfix(): string | null {
    if (this.postfixEntries !== null) {
      this.postfixText = formatPostfix(this.postfixEntries);
      this.postfixEntries = null;
    }
    return this.postfixText;
  }
  set postfix(s: string | null) {
    this.postfixText = s;
    this.postfixEntries = null;
  }
  private postfixText: string | null = null;
  /**
   * setPostfix's values not formatted yet (numbers, booleans and strings only: they cannot change).
   * NOTE: formatting a float Python's way costs ~10 us, which a training loop that sets the loss every
   * step with refresh: false would pay at every step for a bar drawn a few times a second.
   */
  private postfixEntries: [string, number | boolean | string][] | null = null;
  readonly leave: boolean;
  disable: boolean;
  readonly unit: string;
  readonly unitScale: boolean | number;
  readonly unitDivisor: number;
  readonly initial: number;
  readonly ascii: boolean | string;
  ncols: number | null;
  readonly mininterval: number;
  readonly maxinterval: number;
  miniters: number;
  private readonly dynamicMiniters: boolean;
  private readonly smoothing: number;
  private readonly delay: number;
  private readonly lineInterval: number;
  private readonly file: TqdmFile;
  private readonly tty: boolean;
  private readonly clock: () => number;
  private emaDn: EMA;
  private emaDt: EMA;
  private emaMiniters: EMA;
  private useOverallRate = false;
  private lastLen = 0;
  private lastLineT = -Infinity;
  lastPrintN: number;
  lastPrintT: number;
  startT: number;
  private started = false;

  constructor(
    readonly iterable: Iterable<T> | AsyncIterable<T> | null = null,
    options: TqdmOptions = {},
  ) {
    let total = options.total ?? null;
    if (total === null && iterable !== null) total = lengthOf(iterable);
    if (total === Infinity) total = null;
    this.total = total;
    this.desc = options.desc ?? "";
    this.leave = options.leave ?? true;
    this.file = options.file ?? defaultFile();
    this.tty = this.file.isTTY === true;
    this.ncols = options.ncols !== undefined ? options.ncols : this.tty && this.file.columns ? this.file.columns : null;
    this.mininterval = options.mininterval ?? 0.1;
    this.maxinterval = options.maxinterval ?? 10;
    this.dynamicMiniters = options.miniters === undefined || options.miniters === null;
    this.miniters = options.miniters ?? 0;
    this.ascii = options.ascii ?? false;
    this.disable = options.disable ?? false;
    this.unit = options.unit ?? "it";
    this.unitScale = options.unitScale ?? false;
    this.unitDivisor = options.unitDivisor ?? 1000;
    this.initial = options.initial ?? 0;
    this.delay = options.delay ?? 0;
    this.smoothing = options.smoothing ?? 0.3;
    this.lineInterval = options.lineInterval ?? 10;
    this.clock = options.clock ?? now;
    this.emaDn = new EMA(this.smoothing);
    this.emaDt = new EMA(this.smoothing);
    this.emaMiniters = new EMA(this.smoothing);
    if (options.postfix !== undefined) {
      if (typeof options.postfix === "string") this.postfix = options.postfix;
      else this.setPostfix(options.postfix, { refresh: false });
    }
    this.n = this.initial;
    this.lastPrintN = this.initial;
    this.lastPrintT = 0;
    this.startT = 0;
    if (!this.disable && this.delay <= 0) this.refresh();
    this.lastPrintT = this.clock();
    this.startT = this.lastPrintT;
    this.lastLineT = this.startT;
    this.started = true;
  }

  /** tqdm's format_dict: what the bar shows now. */
  get formatDict(): { n: number; total: number | null; elapsed: number; ncols: number | null; prefix: string; rate: number | null; postfix: string | null } & FormatMeterOptions {
    const dt = this.useOverallRate ? 0 : this.emaDt.value();
    return {
      n: this.n, total: this.total, elapsed: this.started ? this.clock() - this.startT : 0, ncols: this.ncols, prefix: this.desc, ascii: this.ascii,
      unit: this.unit, unitScale: this.unitScale, rate: dt ? this.emaDn.value() / dt : null, postfix: this.postfix,
      unitDivisor: this.unitDivisor, initial: this.initial,
    };
  }

  /** The bar's current text (tqdm's str(bar)). */
  toString(): string {
    const d = this.formatDict;
    return formatMeter(d.n, d.total, d.elapsed, d);
  }

  private print(s: string, final: boolean): void {
    if (this.tty) {
      const len = dispLen(s);
      this.file.write("\r" + s + " ".repeat(Math.max(this.lastLen - len, 0)));
      this.lastLen = len;
      return;
    }
    // not a terminal: quiet whole lines, the first one lineInterval seconds after the start
    if (!s || !this.started) return;
    const t = this.clock();
    if (final || t - this.lastLineT >= this.lineInterval) {
      this.file.write(s + "\n");
      this.lastLineT = t;
    }
  }

  private display(msg?: string, final = false): void {
    this.print(msg ?? this.toString(), final);
  }

  /** Redraws the bar now. */
  refresh(): void {
    if (this.disable) return;
    this.display();
  }

  /** Adds n to the counter and redraws when due (tqdm's update). Returns whether it redrew. */
  update(n = 1): boolean {
    if (this.disable) return false;
    if (n < 0) this.lastPrintN += n;
    this.n += n;
    if (this.n - this.lastPrintN >= this.miniters) {
      let curT = this.clock();
      const dt = curT - this.lastPrintT;
      if (dt >= this.mininterval && curT >= this.startT + this.delay) {
        curT = this.clock();
        const dn = this.n - this.lastPrintN;
        if (this.smoothing && dt && dn) {
          this.emaDn.update(dn);
          this.emaDt.update(dt);
        }
        this.refresh();
        if (this.dynamicMiniters) {
          if (this.maxinterval && dt >= this.maxinterval) this.miniters = (dn * (this.mininterval || this.maxinterval)) / dt;
          else if (this.smoothing) {
            this.emaMiniters.update(dn * (this.mininterval && dt ? this.mininterval / dt : 1));
            this.miniters = this.emaMiniters.value();
          } else this.miniters = Math.max(this.miniters, dn);
        }
        this.lastPrintN = this.n;
        this.lastPrintT = curT;
        return true;
      }
    }
    return false;
  }

  /** Sets the values shown after the counts: a plain object's keys sorted (as Python's keyword arguments), a Map's in order. */
  setPostfix(values: Record<string, unknown> | Map<string, unknown> = {}, options: { refresh?: boolean } = {}): void {
    const entries: [string, unknown][] = values instanceof Map ? [...values] : Object.keys(values).sort().map((k) => [k, values[k]]);
    // other values are turned into text now, as Python's str() would be at the call
    const kept = entries.map(([k, v]): [string, number | boolean | string] =>
      [k, typeof v === "number" || typeof v === "boolean" || typeof v === "string" ? v : String(v)]);
    this.postfix = null;
    this.postfixEntries = kept;
    if (options.refresh ?? true) this.refresh();
  }

  /** Sets the postfix text as is (tqdm's set_postfix_str). */
  setPostfixStr(s = "", options: { refresh?: boolean } = {}): void {
    this.postfix = String(s);
    if (options.refresh ?? true) this.refresh();
  }

  /** Sets the prefix (tqdm's set_description; ": " is added). */
  setDescription(desc = "", options: { refresh?: boolean } = {}): void {
    this.desc = desc ? desc + ": " : "";
    if (options.refresh ?? true) this.refresh();
  }

  /** Starts over at 0 for another pass (tqdm's reset), optionally with a new total (null keeps it). */
  reset(total?: number | null): void {
    this.n = 0;
    if (total !== undefined && total !== null) this.total = total;
    if (this.disable) return;
    this.lastPrintN = 0;
    this.lastPrintT = this.startT = this.clock();
    this.emaDn = new EMA(this.smoothing);
    this.emaDt = new EMA(this.smoothing);
    this.emaMiniters = new EMA(this.smoothing);
    this.refresh();
  }

  /** Finishes the bar: the final line when `leave` (with the overall rate), else the bar is cleared. */
  close(): void {
    if (this.disable) return;
    this.disable = true;
    if (this.lastPrintT < this.startT + this.delay) return;
    if (this.leave) {
      this.useOverallRate = true;
      this.display(undefined, true);
      if (this.tty) this.file.write("\n");
    } else if (this.tty) {
      this.display("");
      this.file.write("\r");
    }
  }

  *[Symbol.iterator](): Iterator<T> {
    const it = this.iterable;
    if (it === null || typeof it !== "object" || !(Symbol.iterator in it)) {
      if (it !== null && typeof it === "object" && Symbol.asyncIterator in it) throw new TorchTypeError("this tqdm wraps an async iterable: use for await");
      throw new TorchTypeError(`'${pythonTypeName(it)}' object is not iterable`);
    }
    if (this.disable) {
      yield* it as Iterable<T>;
      return;
    }
    let lastPrintN = this.lastPrintN;
    let lastPrintT = this.lastPrintT;
    const minStartT = this.startT + this.delay;
    let n = this.n;
    try {
      for (const obj of it as Iterable<T>) {
        yield obj;
        n += 1;
        if (n - lastPrintN >= this.miniters) {
          const curT = this.clock();
          if (curT - lastPrintT >= this.mininterval && curT >= minStartT) {
            this.update(n - lastPrintN);
            lastPrintN = this.lastPrintN;
            lastPrintT = this.lastPrintT;
          }
        }
      }
    } finally {
      this.n = n;
      this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.iterable;
    if (it === null || typeof it !== "object" || !(Symbol.iterator in it || Symbol.asyncIterator in it)) throw new TorchTypeError(`'${pythonTypeName(it)}' object is not iterable`);
    if (this.disable) {
      for await (const obj of it) yield obj;
      return;
    }
    let lastPrintN = this.lastPrintN;
    let lastPrintT = this.lastPrintT;
    const minStartT = this.startT + this.delay;
    let n = this.n;
    try {
      for await (const obj of it) {
        yield obj;
        n += 1;
        if (n - lastPrintN >= this.miniters) {
          const curT = this.clock();
          if (curT - lastPrintT >= this.mininterval && curT >= minStartT) {
            this.update(n - lastPrintN);
            lastPrintN = this.lastPrintN;
            lastPrintT = this.lastPrintT;
          }
        }
      }
    } finally {
      this.n = n;
      this.close();
    }
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * tqdm: wraps an iterable (sync or async) in a progress bar; with no iterable, a bar driven by
 * `update(n)` (pass `total`). Lengths come from `length` (a DataLoader's, an array's) or `size`.
 * @example
 * let sum = 0;
 * for (const v of torch.utils.tqdm([1, 2, 3], { desc: "train" })) sum += v; // sum is 6
 * const bar = torch.utils.tqdm({ total: 1000 });
 * bar.update(10);
 * String(bar); // "  1%|          | 10/1000 [00:00<00:..., ...it/s]"
 * bar.close();
 */
export function tqdm<T>(iterable: Iterable<T> | AsyncIterable<T>, options?: TqdmOptions): Tqdm<T>;
export function tqdm(options?: TqdmOptions): Tqdm<never>;
export function tqdm<T>(a?: Iterable<T> | AsyncIterable<T> | TqdmOptions, options: TqdmOptions = {}): Tqdm<T> {
  const isIterable = typeof a === "object" && a !== null && (Symbol.iterator in a || Symbol.asyncIterator in a);
  return isIterable ? new Tqdm(a as Iterable<T>, options) : new Tqdm<T>(null, (a as TqdmOptions | undefined) ?? options);
}

/** tqdm's trange(n): a bar over 0, 1, ..., n - 1. */
export function trange(n: number, options: TqdmOptions = {}): Tqdm<number> {
  function* range() {
    for (let i = 0; i < n; i++) yield i;
  }
  return new Tqdm(range(), { total: Math.max(n, 0), ...options });
}
