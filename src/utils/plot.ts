// utils.plot: the pictures PyTorch tutorials draw with matplotlib -- loss and metric curves
// (several series, axes with ticks, labels, a legend) and the data-and-fitted-line plot of
// regression -- as standalone SVG. The axes follow matplotlib 3.6's defaults: 5% margins, its
// AutoLocator (MaxNLocator with steps 1, 2, 2.5, 5, 10 and as many bins as the axis length
// allows), its ScalarFormatter's labels (without the offset: labels show whole values) and its
// "1e-6" scientific multiplier, the tab10 colour cycle, and a 640 x 480 figure at 100 dpi.
// Browser-safe: only `save(path)` needs Node (it finds node:fs through process.getBuiltinModule).
import { Tensor } from "../tensor/tensor.js";
import { formatFixed } from "../tensor/format.js";
import { RuntimeError, ValueError } from "../errors.js";

// ---------------------------------------------------------------- matplotlib's axis logic
/** matplotlib.transforms.nonsingular: widens an empty or invalid interval. */
export function nonsingular(vmin: number, vmax: number, expander = 0.001, tiny = 1e-15): [number, number] {
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) return [-expander, expander];
  if (vmax < vmin) [vmin, vmax] = [vmax, vmin];
  const maxabs = Math.max(Math.abs(vmin), Math.abs(vmax));
  if (maxabs < (1e6 / tiny) * 2.2250738585072014e-308) {
    vmin = -expander;
    vmax = expander;
  } else if (vmax - vmin <= maxabs * tiny) {
    if (vmax === 0 && vmin === 0) {
      vmin = -expander;
      vmax = expander;
    } else {
      vmin -= expander * Math.abs(vmin);
      vmax += expander * Math.abs(vmax);
    }
  }
  return [vmin, vmax];
}

/** Python's divmod for floats (CPython's float_divmod). */
function divmod(x: number, y: number): [number, number] {
  let mod = x % y; // C's fmod
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else mod = y < 0 ? -0 : 0;
  if (div) {
    let fl = Math.floor(div);
    if (div - fl > 0.5) fl += 1;
    div = fl;
  } else div = x / y < 0 ? -0 : 0;
  return [div, mod];
}

const STEPS = [1, 2, 2.5, 5, 10];
const EXTENDED = [...STEPS.slice(0, -1).map((s) => 0.1 * s), ...STEPS, 10 * STEPS[1]!];

/**
 * matplotlib's MaxNLocator(nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax): at most
 * nbins + 1 "nice" ticks covering the range (the AutoLocator of every matplotlib axis).
 */
export function maxNLocatorTicks(vmin: number, vmax: number, nbins: number, minNTicks = 2): number[] {
  [vmin, vmax] = nonsingular(vmin, vmax, 1e-13, 1e-14);
  // scale_range
  const dv = Math.abs(vmax - vmin);
  const meanv = (vmax + vmin) / 2;
  const offset = Math.abs(meanv) / dv < 100 ? 0 : Math.sign(meanv) * 10 ** Math.floor(Math.log10(Math.abs(meanv)));
  const scale = 10 ** Math.floor(Math.log10(dv / nbins));
  const _vmin = vmin - offset, _vmax = vmax - offset;
  const rawStep = (_vmax - _vmin) / nbins;
  const steps = EXTENDED.map((s) => s * scale);
  let istep = steps.findIndex((s) => s >= rawStep);
  let ticks: number[] = [];
  for (; istep >= 0; istep--) {
    const step = steps[istep]!;
    const bestVmin = divmod(_vmin, step)[0] * step;
    // _Edge_integer: floating point slop when the offset is large compared to the step
    const tol = offset ? Math.min(0.4999, Math.max(1e-10, 10 ** (Math.log10(Math.abs(offset) / step) - 12))) : 1e-10;
    const closeto = (ms: number, edge: number) => Math.abs(ms - edge) < tol;
    const le = (x: number) => {
      const [d, m] = divmod(x, step);
      return closeto(m / step, 1) ? d + 1 : d;
    };
    const ge = (x: number) => {
      const [d, m] = divmod(x, step);
      return closeto(m / step, 0) ? d : d + 1;
    };
    const low = le(_vmin - bestVmin), high = ge(_vmax - bestVmin);
    ticks = [];
    for (let k = low; k <= high; k++) ticks.push(k * step + bestVmin);
    const nticks = ticks.filter((t) => t <= _vmax && t >= _vmin).length;
    if (nticks >= minNTicks) break;
  }
  return ticks.map((t) => t + offset);
}

/** matplotlib's autoscaled view limits of data spanning [lo, hi]: 5% margins on each side. */
export function autoscale(lo: number, hi: number, margin = 0.05): [number, number] {
  let [x0, x1] = nonsingular(lo, hi, 0.05);
  const delta = (x1 - x0) * margin;
  if (Number.isFinite(delta)) {
    x0 -= delta;
    x1 += delta;
  }
  return nonsingular(x0, x1, 1e-12, 1e-13);
}

/** matplotlib's tick count for an axis of this many pixels (100 dpi, 10 pt labels; y axes take more). */
export function ticksFor(lengthPx: number, axis: "x" | "y"): number {
  const pts = (lengthPx * 72) / 100;
  return Math.min(9, Math.max(1, Math.floor(pts / (axis === "x" ? 30 : 20))));
}

/** numpy's round(x, decimals): half to even. */
function npRound(x: number, decimals: number): number {
  const p = 10 ** decimals;
  const y = x * p;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5) r = 2 * Math.round(y / 2);
  return r / p;
}

export interface AxisTicks {
  /** The ticks inside the view, where they are drawn. */
  ticks: number[];
  labels: string[];
  /** matplotlib's offset text: the multiplier "1e−6" of scientific labels, or "" */
  offsetText: string;
}

/**
 * matplotlib's ScalarFormatter (useOffset=False) on the AutoLocator's ticks for the view
 * [vmin, vmax]: labels with the fewest decimals that tell the ticks apart, in units of 10^k when
 * the largest visible tick is below 1e-4 or at least 1e6, with Unicode minus signs.
 */
export function axisTicks(vmin: number, vmax: number, nbins: number): AxisTicks {
  const locs = maxNLocatorTicks(vmin, vmax, nbins);
  const [lo, hi] = vmin <= vmax ? [vmin, vmax] : [vmax, vmin];
  // order of magnitude, from the visible ticks
  const vis = locs.filter((l) => lo <= l && l <= hi).map(Math.abs);
  let oom = 0;
  if (vis.length) {
    const val = Math.max(...vis);
    const o = val === 0 ? 0 : Math.floor(Math.log10(val));
    if (o <= -5 || o >= 6) oom = o;
  }
  const scaleDiv = 10 ** oom;
  // the number of decimals, from all the locator's ticks
  let scaled = (locs.length < 2 ? [...locs, vmin, vmax] : locs).map((l) => l / scaleDiv);
  let range = Math.max(...scaled) - Math.min(...scaled);
  if (range === 0) range = Math.max(...scaled.map(Math.abs));
  if (range === 0) range = 1;
  if (locs.length < 2) scaled = scaled.slice(0, -2);
  const rangeOom = Math.floor(Math.log10(range));
  let sigfigs = Math.max(0, 3 - rangeOom);
  const thresh = 1e-3 * 10 ** rangeOom;
  while (sigfigs >= 0) {
    if (Math.max(...scaled.map((l) => Math.abs(l - npRound(l, sigfigs)))) < thresh) sigfigs--;
    else break;
  }
  sigfigs++;
  const minus = (s: string) => s.replace(/-/g, "\u2212");
  const label = (x: number) => {
    let xp = x / scaleDiv;
    if (Math.abs(xp) < 1e-8) xp = 0;
    return minus(formatFixed(xp, sigfigs));
  };
  // drawn: the ticks inside the view, with matplotlib's relative tolerance
  const tol = 1e-10 * (hi - lo);
  const ticks = locs.filter((l) => lo - tol <= l && l <= hi + tol);
  return { ticks, labels: ticks.map(label), offsetText: oom ? minus(`1e${oom}`) : "" };
}

// ---------------------------------------------------------------- the figure
/** matplotlib's default colour cycle (tab10). */
export const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export type Values = readonly number[] | ArrayLike<number> | Tensor;

export interface SeriesOptions {
  label?: string;
  color?: string;
  /** "-" (solid, default), "--", ":" or "-." */
  linestyle?: "-" | "--" | ":" | "-.";
  /** line width in points (default 1.5) */
  linewidth?: number;
  /** "o" draws a dot at each point */
  marker?: "o" | null;
  /** marker radius in points (scatter: 3) */
  markersize?: number;
  /** 0..1 */
  alpha?: number;
}

export interface FigureOptions {
  /** pixels (default 640 x 480, matplotlib's 6.4 x 4.8 in at 100 dpi) */
  width?: number;
  height?: number;
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** "log" draws y on a log scale (ticks at powers of ten) */
  yscale?: "linear" | "log";
  xlim?: [number, number];
  ylim?: [number, number];
  grid?: boolean;
  /** draw the legend (default: when a series has a label) */
  legend?: boolean;
}

interface Series {
  kind: "line" | "scatter";
  x: number[];
  y: number[];
  opts: SeriesOptions;
  color: string;
}

function toNumbers(v: Values, what: string): number[] {
  if (v instanceof Tensor) {
    if (v.dim() > 1 && v.shape.filter((s) => s !== 1).length > 1) throw new ValueError(`${what} must be 1-D, got a tensor of shape [${v.shape.join(", ")}]`);
    return (v.detach().reshape(-1).double().tolist() as number[]).slice();
  }
  return Array.from(v as ArrayLike<number>, Number);
}

const PT = 100 / 72; // pixels per point at 100 dpi
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v: number) => String(Math.round(v * 100) / 100);
/** An estimate of a sans-serif label's width (no font metrics in SVG text). */
const textWidth = (s: string, sizePx: number) => [...s].length * sizePx * 0.56;

/**
 * A figure with one set of axes, as matplotlib's `plt.figure(); plt.plot(...)`: add series with
 * `plot` and `scatter`, then `toSVG()` or `save("loss.svg")`.
 * @example
 * const fig = new torch.utils.plot.Figure({ xlabel: "step", ylabel: "loss" });
 * fig.plot([2.3, 1.2, 0.8, 0.6], undefined, { label: "train" }).plot([1, 3], [1.5, 0.9], { label: "validation", marker: "o" });
 * const svg = fig.toSVG(); // "<svg xmlns=..." (fig.save("loss.svg") writes it in Node)
 */
export class Figure {
  readonly series: Series[] = [];
  readonly options: FigureOptions;
  constructor(options: FigureOptions = {}) {
    this.options = { ...options };
  }

  private add(kind: Series["kind"], x: Values | undefined, y: Values | undefined, opts: SeriesOptions): this {
    let xs: number[], ys: number[];
    if (y === undefined) {
      if (x === undefined) throw new ValueError("plot() needs at least y");
      ys = toNumbers(x, "y");
      xs = ys.map((_, i) => i);
    } else {
      xs = toNumbers(x ?? [], "x");
      ys = toNumbers(y, "y");
    }
    if (xs.length !== ys.length) throw new ValueError(`x and y must have same first dimension, but have shapes (${xs.length},) and (${ys.length},)`);
    const color = opts.color ?? TAB10[this.series.length % TAB10.length]!;
    this.series.push({ kind, x: xs, y: ys, opts: { ...opts }, color });
    return this;
  }
  /** matplotlib's plot(x, y) (or plot(y) against 0, 1, 2...): a line. */
  plot(x: Values, y?: Values, opts: SeriesOptions = {}): this {
    return this.add("line", x, y, opts);
  }
  /** matplotlib's scatter(x, y): dots. */
  scatter(x: Values, y: Values, opts: SeriesOptions = {}): this {
    return this.add("scatter", x, y, opts);
  }
  setTitle(title: string): this {
    this.options.title = title;
    return this;
  }
  setXlabel(label: string): this {
    this.options.xlabel = label;
    return this;
  }
  setYlabel(label: string): this {
    this.options.ylabel = label;
    return this;
  }

  /** The pixel box of the axes (left, top, width, height), matplotlib's subplot parameters. */
  axesBox(): { left: number; top: number; width: number; height: number } {
    const W = this.options.width ?? 640, H = this.options.height ?? 480;
    return { left: 0.125 * W, top: 0.12 * H, width: 0.775 * W, height: 0.77 * H };
  }

  /** The view limits of both axes: the options' or matplotlib's autoscaling. */
  limits(): { x: [number, number]; y: [number, number] } {
    const xsAll = this.series.flatMap((s) => s.x).filter(Number.isFinite);
    const ys = this.series.flatMap((s) => s.y).filter((v) => Number.isFinite(v) && (this.options.yscale !== "log" || v > 0));
    const range = (a: number[]): [number, number] => (a.length ? [Math.min(...a), Math.max(...a)] : [-Infinity, Infinity]);
    let y: [number, number];
    if (this.options.ylim) y = this.options.ylim;
    else if (this.options.yscale === "log") {
      const [lo, hi] = range(ys.map(Math.log10));
      const [a, b] = autoscale(lo, hi);
      y = [10 ** a, 10 ** b];
    } else y = autoscale(...range(ys));
    return { x: this.options.xlim ?? autoscale(...range(xsAll)), y };
  }

  /** The standalone SVG document. */
  toSVG(): string {
    const W = this.options.width ?? 640, H = this.options.height ?? 480;
    const box = this.axesBox();
    const { x: xlim, y: ylim } = this.limits();
    const log = this.options.yscale === "log";
    const ty = (v: number) => (log ? Math.log10(v) : v);
    const [ya, yb] = [ty(ylim[0]), ty(ylim[1])];
    const px = (v: number) => box.left + ((v - xlim[0]) / (xlim[1] - xlim[0])) * box.width;
    const py = (v: number) => box.top + box.height - ((ty(v) - ya) / (yb - ya)) * box.height;
    const font = 10 * PT;
    const out: string[] = [];
    out.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Bitstream Vera Sans, Arial, sans-serif" font-size="${num(font)}">`,
      `<rect width="100%" height="100%" fill="#ffffff"/>`,
      `<defs><clipPath id="axes-clip"><rect x="${num(box.left)}" y="${num(box.top)}" width="${num(box.width)}" height="${num(box.height)}"/></clipPath></defs>`,
    );
    // ticks, labels and grid
    const xt = axisTicks(xlim[0], xlim[1], ticksFor(box.width, "x"));
    let yt: AxisTicks;
    if (log) {
      const ticks: number[] = [];
      for (let k = Math.ceil(ya - 1e-9); k <= Math.floor(yb + 1e-9); k++) ticks.push(10 ** k);
      yt = { ticks, labels: ticks.map((t) => `10^${Math.round(Math.log10(t))}`.replace(/-/g, "\u2212")), offsetText: "" };
    } else yt = axisTicks(ylim[0], ylim[1], ticksFor(box.height, "y"));
    const tickLen = 3.5 * PT;
    const axisParts: string[] = [`<g class="xaxis">`];
    xt.ticks.forEach((t, i) => {
      const x = px(t);
      if (this.options.grid) axisParts.push(`<line class="grid" x1="${num(x)}" y1="${num(box.top)}" x2="${num(x)}" y2="${num(box.top + box.height)}" stroke="#b0b0b0" stroke-width="${num(0.8 * PT)}"/>`);
      axisParts.push(
        `<g class="tick"><line x1="${num(x)}" y1="${num(box.top + box.height)}" x2="${num(x)}" y2="${num(box.top + box.height + tickLen)}" stroke="#000" stroke-width="${num(0.8 * PT)}"/>` +
          `<text x="${num(x)}" y="${num(box.top + box.height + tickLen + 3.5 * PT + font * 0.8)}" text-anchor="middle">${esc(xt.labels[i]!)}</text></g>`,
      );
    });
    if (xt.offsetText) axisParts.push(`<text class="offset" x="${num(box.left + box.width)}" y="${num(box.top + box.height + tickLen + 3.5 * PT + font * 1.9)}" text-anchor="end">${esc(xt.offsetText)}</text>`);
    axisParts.push(`</g>`, `<g class="yaxis">`);
    const supLabel = (s: string) => (s.startsWith("10^") ? `10<tspan dy="-0.5em" font-size="70%">${esc(s.slice(3))}</tspan>` : esc(s));
    let maxYLabel = 0;
    yt.ticks.forEach((t, i) => {
      const y = py(t);
      maxYLabel = Math.max(maxYLabel, textWidth(yt.labels[i]!, font));
      if (this.options.grid) axisParts.push(`<line class="grid" x1="${num(box.left)}" y1="${num(y)}" x2="${num(box.left + box.width)}" y2="${num(y)}" stroke="#b0b0b0" stroke-width="${num(0.8 * PT)}"/>`);
      axisParts.push(
        `<g class="tick"><line x1="${num(box.left - tickLen)}" y1="${num(y)}" x2="${num(box.left)}" y2="${num(y)}" stroke="#000" stroke-width="${num(0.8 * PT)}"/>` +
          `<text x="${num(box.left - tickLen - 3.5 * PT)}" y="${num(y + font * 0.35)}" text-anchor="end">${supLabel(yt.labels[i]!)}</text></g>`,
      );
    });
    if (yt.offsetText) axisParts.push(`<text class="offset" x="${num(box.left)}" y="${num(box.top - 4)}" text-anchor="start">${esc(yt.offsetText)}</text>`);
    axisParts.push(`</g>`);
    // the data, clipped to the axes
    out.push(`<g class="series-group" clip-path="url(#axes-clip)">`);
    this.series.forEach((s, i) => {
      const o = s.opts;
      const alpha = o.alpha !== undefined ? ` opacity="${o.alpha}"` : "";
      const keep = s.x.map((_, k) => k).filter((k) => Number.isFinite(s.x[k]!) && Number.isFinite(s.y[k]!) && (!log || s.y[k]! > 0));
      const label = o.label !== undefined ? ` data-label="${esc(o.label)}"` : "";
      out.push(`<g class="series ${s.kind}" id="series-${i}"${label}${alpha}>`);
      if (s.kind === "line") {
        // a NaN breaks the line, as in matplotlib
        let d = "";
        let pen = false;
        for (let k = 0; k < s.x.length; k++) {
          if (!keep.includes(k)) {
            pen = false;
            continue;
          }
          d += `${pen ? "L" : "M"}${num(px(s.x[k]!))},${num(py(s.y[k]!))}`;
          pen = true;
        }
        const dash = o.linestyle === "--" ? "3.7,1.6" : o.linestyle === ":" ? "1,1.65" : o.linestyle === "-." ? "6.4,1.6,1,1.6" : "";
        const lw = (o.linewidth ?? 1.5) * PT;
        out.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${num(lw)}" stroke-linejoin="round" stroke-linecap="square"${dash ? ` stroke-dasharray="${dash.split(",").map((v) => num(Number(v) * lw)).join(",")}"` : ""}/>`);
      }
      if (s.kind === "scatter" || o.marker === "o") {
        const r = (o.markersize ?? 3) * PT;
        for (const k of keep) out.push(`<circle cx="${num(px(s.x[k]!))}" cy="${num(py(s.y[k]!))}" r="${num(r)}" fill="${esc(s.color)}"/>`);
      }
      out.push(`</g>`);
    });
    out.push(`</g>`);
    out.push(...axisParts);
    out.push(`<rect class="frame" x="${num(box.left)}" y="${num(box.top)}" width="${num(box.width)}" height="${num(box.height)}" fill="none" stroke="#000" stroke-width="${num(0.8 * PT)}"/>`);
    // labels and title
    const { title, xlabel, ylabel } = this.options;
    if (title) out.push(`<text class="title" x="${num(box.left + box.width / 2)}" y="${num(box.top - 6 * PT)}" text-anchor="middle" font-size="${num(12 * PT)}">${esc(title)}</text>`);
    if (xlabel) out.push(`<text class="xlabel" x="${num(box.left + box.width / 2)}" y="${num(box.top + box.height + tickLen + 3.5 * PT + font * 0.8 + 4 * PT + font)}" text-anchor="middle">${esc(xlabel)}</text>`);
    if (ylabel) {
      const x = box.left - tickLen - 3.5 * PT - maxYLabel - 4 * PT - font * 0.3;
      out.push(`<text class="ylabel" x="${num(x)}" y="${num(box.top + box.height / 2)}" text-anchor="middle" transform="rotate(-90 ${num(x)} ${num(box.top + box.height / 2)})">${esc(ylabel)}</text>`);
    }
    // legend
    const labelled = this.series.filter((s) => s.opts.label !== undefined && !s.opts.label.startsWith("_"));
    if (labelled.length && this.options.legend !== false) out.push(this.legendSVG(labelled, box, px, py, font));
    out.push(`</svg>`);
    return out.join("\n") + "\n";
  }

  /** matplotlib's legend(loc="best"), among the four corners: the one covering the fewest points. */
  private legendSVG(labelled: Series[], box: { left: number; top: number; width: number; height: number }, px: (v: number) => number, py: (v: number) => number, font: number): string {
    const rowH = font * 1.25;
    const w = 2 * PT * 4 + 20 * PT + Math.max(...labelled.map((s) => textWidth(s.opts.label!, font)));
    const h = labelled.length * rowH + 2 * 4 * PT;
    const pad = 5 * PT;
    const corners: [number, number][] = [
      [box.left + box.width - pad - w, box.top + pad], // upper right
      [box.left + pad, box.top + pad], // upper left
      [box.left + pad, box.top + box.height - pad - h], // lower left
      [box.left + box.width - pad - w, box.top + box.height - pad - h], // lower right
    ];
    const pts = this.series.flatMap((s) => s.x.map((x, k) => [px(x), py(s.y[k]!)] as const)).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    let best = corners[0]!, bestN = Infinity;
    for (const c of corners) {
      const n = pts.filter(([a, b]) => a >= c[0] && a <= c[0] + w && b >= c[1] && b <= c[1] + h).length;
      if (n < bestN) [best, bestN] = [c, n];
    }
    const [lx, ly] = best;
    const parts = [`<g class="legend">`, `<rect x="${num(lx)}" y="${num(ly)}" width="${num(w)}" height="${num(h)}" rx="${num(2 * PT)}" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc"/>`];
    labelled.forEach((s, i) => {
      const cy = ly + 4 * PT + rowH * (i + 0.5);
      const x0 = lx + 4 * PT;
      let sample = "";
      if (s.kind === "line")
        sample += `<line x1="${num(x0)}" y1="${num(cy)}" x2="${num(x0 + 20 * PT)}" y2="${num(cy)}" stroke="${esc(s.color)}" stroke-width="${num((s.opts.linewidth ?? 1.5) * PT)}"/>`;
      if (s.kind === "scatter" || s.opts.marker === "o") sample += `<circle cx="${num(x0 + 10 * PT)}" cy="${num(cy)}" r="${num((s.opts.markersize ?? 3) * PT)}" fill="${esc(s.color)}"/>`;
      parts.push(`<g class="legend-entry">${sample}<text x="${num(x0 + 20 * PT + 4 * PT)}" y="${num(cy + font * 0.35)}">${esc(s.opts.label!)}</text></g>`);
    });
    parts.push(`</g>`);
    return parts.join("\n");
  }

  /** Writes the SVG to path (Node only). */
  save(path: string): string {
    if (!path.toLowerCase().endsWith(".svg")) throw new ValueError(`Figure.save writes SVG: give a path ending in .svg, got '${path}'`);
    writeTextFile(path, this.toSVG());
    return path;
  }
  toString(): string {
    return this.toSVG();
  }
}

/** Makes a Figure (matplotlib's plt.figure). */
export function figure(options: FigureOptions = {}): Figure {
  return new Figure(options);
}

/**
 * Loss and metric curves: one line per named series, against 1, 2, 3... (or `x`, or each series'
 * own [x, y] pair), with a legend.
 * @example
 * const fig = torch.utils.plot.lossCurves({ train: [0.9, 0.5, 0.4], test: [1.0, 0.6, 0.55] }, { xlabel: "epoch" });
 * fig.toSVG(); // two lines against epochs 1, 2, 3, with a legend
 */
export function lossCurves(
  series: Record<string, Values | [Values, Values]> | Map<string, Values | [Values, Values]>,
  options: FigureOptions & { x?: Values } = {},
): Figure {
  const { x, ...figOpts } = options;
  const fig = new Figure({ xlabel: "step", ylabel: "loss", ...figOpts });
  const entries = series instanceof Map ? [...series] : Object.entries(series);
  for (const [label, v] of entries) {
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "object" && typeof v[1] === "object") fig.plot(v[0] as Values, v[1] as Values, { label });
    else {
      const ys = toNumbers(v as Values, label);
      fig.plot(x !== undefined ? x : ys.map((_, i) => i + 1), ys, { label });
    }
  }
  return fig;
}

/**
 * The regression tutorials' picture: the data as dots and the fitted line over the data's x range.
 * `fit` is the line (`{ weight, bias }`, e.g. a Linear(1, 1)'s, or a function of x) or the
 * predicted y for each x.
 * @example
 * const x = torch.linspace(0, 10, 20), y = x.mul(2).add(1).add(torch.randn(20));
 * const model = new torch.nn.Linear(1, 1); // (trained on x, y)
 * torch.utils.plot.scatterFit(x, y, { weight: model.weight, bias: model.bias }).toSVG();
 */
export function scatterFit(
  x: Values,
  y: Values,
  fit: { weight: number | Tensor; bias?: number | Tensor | null } | ((x: number) => number) | Values,
  options: FigureOptions & { dataLabel?: string; fitLabel?: string } = {},
): Figure {
  const { dataLabel = "data", fitLabel = "fit", ...figOpts } = options;
  const xs = toNumbers(x, "x");
  const fig = new Figure({ xlabel: "x", ylabel: "y", ...figOpts });
  fig.scatter(xs, y, { label: dataLabel });
  const scalar = (v: number | Tensor | null | undefined) => (v === null || v === undefined ? 0 : v instanceof Tensor ? Number((v.detach().reshape(-1).double().tolist() as number[])[0]) : v);
  if (typeof fit === "function" || (typeof fit === "object" && !(fit instanceof Tensor) && "weight" in fit)) {
    const f = typeof fit === "function" ? fit : (v: number) => scalar(fit.weight) * v + scalar(fit.bias);
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const n = typeof fit === "function" ? 100 : 2;
    const lx = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
    fig.plot(lx, lx.map(f), { label: fitLabel, color: TAB10[3] });
  } else {
    const ys = toNumbers(fit as Values, "fit");
    const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    fig.plot(order.map((i) => xs[i]!), order.map((i) => ys[i]!), { label: fitLabel, color: TAB10[3] });
  }
  return fig;
}

interface FsLike {
  writeFileSync(path: string, data: string): void;
  renameSync(from: string, to: string): void;
}
/** @internal writes a text file in Node (beside the target, then renamed); a clear error elsewhere. */
export function writeTextFile(path: string, text: string): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; pid?: number } }).process;
  const fs = proc?.getBuiltinModule?.("node:fs") as FsLike | undefined;
  if (!fs) throw new RuntimeError("save(path) needs Node's file system; in a browser use toSVG()");
  const tmp = `${path}.tmp-${proc?.pid ?? 0}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, path);
}
