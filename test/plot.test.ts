// utils.plot against matplotlib 3.6 (axis limits, tick locations and labels) and utils.makeDot
// against torchviz (DOT source), from scripts/gen_plot_fixtures.py; plus the SVGs' structure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as torch from "../src/index.js";
import { nn, type Tensor } from "../src/index.js";
import { Figure, axisTicks, lossCurves, maxNLocatorTicks, scatterFit, ticksFor } from "../src/utils/plot.js";
import { makeDot, Digraph } from "../src/utils/make_dot.js";

interface AxisFx {
  lim: [number, number];
  ticks: number[];
  labels: string[];
  offset_text: string;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/plot.json", import.meta.url), "utf8")) as {
  axes: Record<string, { series: [number[], number[]][]; x: AxisFx; y: AxisFx; fig_px: [number, number]; axes_px: [number, number, number, number] }>;
  locator: { vmin: number; vmax: number; nbins: number; ticks: number[] }[];
  graphs: Record<string, { source: string }>;
};

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

// ---------------------------------------------------------------- a minimal XML reader for the SVGs
interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}
/** Parses the SVG, throwing on unbalanced tags or unquoted attributes: a well-formedness check. */
function parseXml(src: string): El {
  const root: El = { name: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  const re = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(src))) {
    assert.equal(m.index, pos, `unparsable XML at ${pos}: ${src.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      stack.at(-1)!.text += m[5].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const top = stack.pop()!;
      assert.equal(top.name, m[2], `</${m[2]}> closes <${top.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    const el: El = { name: m[2], attrs, children: [], text: "" };
    stack.at(-1)!.children.push(el);
    if (!m[4]) stack.push(el);
  }
  assert.equal(pos, src.length, "trailing garbage");
  assert.equal(stack.length, 1, `unclosed <${stack.at(-1)!.name}>`);
  assert.equal(root.children.length, 1);
  return root.children[0]!;
}
function all(el: El, pred: (e: El) => boolean, out: El[] = []): El[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}
const hasClass = (c: string) => (e: El) => (e.attrs.class ?? "").split(" ").includes(c);
const textOf = (e: El): string => e.text + e.children.map(textOf).join("");

// ---------------------------------------------------------------- matplotlib's axes
test("plot: MaxNLocator tick values, as matplotlib's", () => {
  for (const c of fx.locator) {
    const got = maxNLocatorTicks(c.vmin, c.vmax, c.nbins);
    assert.equal(got.length, c.ticks.length, JSON.stringify(c) + " got " + JSON.stringify(got));
    got.forEach((v, i) => close(v, c.ticks[i]!, JSON.stringify(c)));
  }
});

for (const [name, c] of Object.entries(fx.axes)) {
  test(`plot: ${name} -- limits, ticks and labels of matplotlib's default figure`, () => {
    const fig = new Figure();
    for (const [x, y] of c.series) fig.plot(x, y);
    const box = fig.axesBox();
    [box.left, c.fig_px[1] - box.top - box.height, box.width, box.height].forEach((v, i) => close(v, c.axes_px[i]!, "axes box"));
    const lim = fig.limits();
    close(lim.x[0], c.x.lim[0], "xlim[0]");
    close(lim.x[1], c.x.lim[1], "xlim[1]");
    close(lim.y[0], c.y.lim[0], "ylim[0]");
    close(lim.y[1], c.y.lim[1], "ylim[1]");
    for (const [axis, exp, len] of [["x", c.x, box.width], ["y", c.y, box.height]] as const) {
      const t = axisTicks(lim[axis][0], lim[axis][1], ticksFor(len, axis));
      assert.deepEqual(t.labels, exp.labels, `${axis} labels`);
      assert.equal(t.offsetText, exp.offset_text, `${axis} offset text`);
      assert.equal(t.ticks.length, exp.ticks.length);
      t.ticks.forEach((v, i) => close(v, exp.ticks[i]!, `${axis} tick ${i}`));
    }
    // the SVG draws those labels
    const svg = parseXml(fig.toSVG());
    const xl = all(all(svg, hasClass("xaxis"))[0]!, hasClass("tick")).map(textOf);
    const yl = all(all(svg, hasClass("yaxis"))[0]!, hasClass("tick")).map(textOf);
    assert.deepEqual(xl, c.x.labels);
    assert.deepEqual(yl, c.y.labels);
  });
}

test("plot: lossCurves -- one path per series with a point per value, legend, labels, title", () => {
  const train = [2.3, 1.1, 0.7, 0.52, 0.45, 0.41];
  const test_ = [2.1, 1.0, 0.8, NaN, 0.6, 0.58];
  const fig = lossCurves({ train, test: torch.tensor(test_) }, { title: "Fashion-MNIST", xlabel: "epoch", grid: true });
  const svg = parseXml(fig.toSVG());
  assert.equal(svg.name, "svg");
  assert.equal(svg.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.deepEqual([svg.attrs.width, svg.attrs.height], ["640", "480"]);
  const series = all(svg, hasClass("series"));
  assert.deepEqual(series.map((s) => s.attrs["data-label"]), ["train", "test"]);
  const d0 = series[0]!.children[0]!.attrs.d!;
  assert.equal(d0.match(/[ML]/g)!.join(""), "MLLLLL");
  // a NaN breaks the line in two, as in matplotlib
  assert.equal(series[1]!.children[0]!.attrs.d!.match(/[ML]/g)!.join(""), "MLLML");
  assert.deepEqual(series.map((s) => s.children[0]!.attrs.stroke), ["#1f77b4", "#ff7f0e"]);
  assert.deepEqual(all(svg, hasClass("legend-entry")).map(textOf), ["train", "test"]);
  assert.equal(textOf(all(svg, hasClass("title"))[0]!), "Fashion-MNIST");
  assert.equal(textOf(all(svg, hasClass("xlabel"))[0]!), "epoch");
  assert.equal(textOf(all(svg, hasClass("ylabel"))[0]!), "loss");
  assert.ok(all(svg, hasClass("grid")).length > 4);
  // the points lie inside the axes, the first train point where the x and y scales put it
  const box = fig.axesBox();
  const lim = fig.limits();
  const [, x0, y0] = /^M([\d.]+),([\d.]+)/.exec(d0)!.map(Number);
  assert.ok(Math.abs(x0! - (box.left + ((1 - lim.x[0]) / (lim.x[1] - lim.x[0])) * box.width)) < 0.01);
  assert.ok(Math.abs(y0! - (box.top + box.height - ((2.3 - lim.y[0]) / (lim.y[1] - lim.y[0])) * box.height)) < 0.01);
});

test("plot: scatterFit -- the data as dots and the fitted line of a Linear(1, 1)", () => {
  torch.manualSeed(0);
  const x = torch.linspace(0, 10, 25).unsqueeze(1);
  const y = x.mul(2).add(1).add(torch.randn(25, 1));
  const model = new nn.Linear(1, 1);
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    (nn.functional.mseLoss(model(x), y) as Tensor).backward();
    opt.step();
  }
  const fig = scatterFit(x, y, { weight: model.weight, bias: model.bias });
  const svg = parseXml(fig.toSVG());
  const [dots, line] = all(svg, hasClass("series"));
  assert.equal(dots!.children.filter((c) => c.name === "circle").length, 25);
  assert.equal(line!.children[0]!.attrs.d!.match(/[ML]/g)!.join(""), "ML");
  const [w, b] = [model.weight.item(), model.bias!.item()];
  assert.deepEqual(fig.series[1]!.x, [0, 10]);
  fig.series[1]!.y.forEach((v, i) => assert.ok(Math.abs(v - (w * [0, 10][i]! + b)) < 1e-6));
  assert.ok(Math.abs(w - 2) < 0.3, `slope ${w}`);
  // predictions as the fit: sorted by x
  const pred = scatterFit([3, 1, 2], [3, 1, 2], [3.1, 0.9, 2.0]);
  assert.deepEqual(pred.series[1]!.x, [1, 2, 3]);
  assert.deepEqual(pred.series[1]!.y, [0.9, 2.0, 3.1]);
  assert.throws(() => new Figure().plot([1, 2], [1, 2, 3]), { name: "ValueError", message: "x and y must have same first dimension, but have shapes (2,) and (3,)" });
});

test("plot: log scale, and save() writes the SVG file", () => {
  const fig = new Figure({ yscale: "log" }).plot([1, 2, 3, 4], [1, 0.1, 0.01, 0.005], { label: "loss" });
  const svg = parseXml(fig.toSVG());
  const labels = all(all(svg, hasClass("yaxis"))[0]!, hasClass("tick")).map(textOf);
  assert.deepEqual(labels, ["10\u22122", "10\u22121", "100"]);
  const dir = mkdtempSync(join(tmpdir(), "typetorch-plot-"));
  try {
    const p = fig.save(join(dir, "loss.svg"));
    assert.equal(readFileSync(p, "utf8"), fig.toSVG());
    assert.throws(() => fig.save(join(dir, "loss.png")), { name: "ValueError" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- makeDot against torchviz
/** Object ids -> 0, 1, 2... in order of first appearance, as the fixture script does. */
function canon(src: string): string {
  const ids = new Map<string, number>();
  return src.replace(/^(\t)(\d+)( -> (\d+))?/gm, (_m, tab: string, a: string, arrow: string | undefined, b: string | undefined) => {
    const id = (s: string) => {
      if (!ids.has(s)) ids.set(s, ids.size);
      return ids.get(s)!;
    };
    const ia = id(a);
    return `${tab}${ia}${arrow ? ` -> ${id(b!)}` : ""}`;
  });
}

const GRAPHS: Record<string, () => Digraph> = {
  mul_sum: () => {
    torch.manualSeed(0);
    const x = torch.randn(3, { requiresGrad: true });
    return makeDot(x.mul(2).sum(), { params: { x } });
  },
  mlp: () => {
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const loss = nn.functional.mseLoss(model(torch.randn(5, 3)), torch.randn(5, 2));
    return makeDot(loss, { params: model.namedParameters() });
  },
  mlp_no_params: () => {
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    return makeDot(model(torch.randn(5, 3)));
  },
  mul_saved: () => {
    torch.manualSeed(0);
    const a = torch.randn(2, 3, { requiresGrad: true });
    const b = torch.randn(2, 3, { requiresGrad: true });
    return makeDot(a.mul(b), { params: new Map([["a", a], ["b", b]]), showSaved: true, showAttrs: true });
  },
  diamond: () => {
    torch.manualSeed(0);
    const a = torch.randn(4, { requiresGrad: true });
    const b = torch.randn(4, { requiresGrad: true });
    const z = a.mul(b);
    return makeDot(z.add(z.sin()).mean(), { params: { a, b } });
  },
  two_outputs: () => {
    torch.manualSeed(0);
    const w = torch.randn(3, 3, { requiresGrad: true });
    return makeDot([w.sum(), w.mul(w).mean()], { params: { w } });
  },
  view_output: () => {
    torch.manualSeed(0);
    const w = torch.randn(2, 3, { requiresGrad: true });
    return makeDot(w.mul(3).t(), { params: { w } });
  },
};

test("makeDot: every fixture graph has a TypeScript case", () => {
  assert.deepEqual(Object.keys(GRAPHS).sort(), Object.keys(fx.graphs).sort());
});
for (const [name, g] of Object.entries(fx.graphs)) {
  test(`makeDot: ${name} -- torchviz's DOT source`, () => {
    const dot = GRAPHS[name]!();
    assert.equal(canon(dot.source), g.source);
    assert.equal(String(dot), dot.source);
  });
  test(`makeDot: ${name} -- the SVG has every node and edge, edges pointing down`, () => {
    const dot = GRAPHS[name]!();
    const svg = parseXml(dot.toSVG());
    const nodes = all(svg, hasClass("node"));
    const edges = all(svg, hasClass("edge"));
    const dnodes = dot.nodes;
    assert.deepEqual(nodes.map((n) => textOf(n.children[0]!)).sort(), [...dnodes.keys()].sort());
    assert.equal(edges.length, dot.edges.length);
    const box = new Map(nodes.map((n) => [textOf(n.children[0]!), n.children.find((c) => c.name === "rect")!.attrs]));
    for (const n of nodes) {
      const id = textOf(n.children[0]!);
      const lines = all(n, (e) => e.name === "tspan").map(textOf);
      assert.deepEqual(lines, dnodes.get(id)!.label.split("\n"), `label of ${id}`);
    }
    // boxes do not overlap
    const rects = [...box.values()].map((r) => [Number(r.x), Number(r.y), Number(r.width), Number(r.height)] as const);
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i]!, rects[j]!];
        assert.ok(a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1], `nodes ${i} and ${j} overlap`);
      }
    let down = 0;
    dot.edges.forEach((e, i) => {
      const path = edges[i]!.children.find((c) => c.name === "path")!;
      assert.equal(textOf(edges[i]!.children[0]!), `${e.tail}->${e.head}`);
      assert.equal(e.attrs.dir === "none", !("marker-end" in path.attrs) && !("marker-start" in path.attrs));
      assert.equal(e.attrs.style === "dotted", "stroke-dasharray" in path.attrs);
      if (Number(box.get(e.tail)!.y) < Number(box.get(e.head)!.y)) down++;
    });
    // the graph is a DAG except where a saved leaf also feeds its node: nearly all edges go down
    assert.ok(down >= dot.edges.length - (name === "mul_saved" ? 2 : 0), `${down} of ${dot.edges.length} edges point down`);
  });
}

test("makeDot: output tensor green, leaves blue with their names, grad_fn names from the graph", () => {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  const loss = nn.functional.mseLoss(model(torch.randn(5, 3)), torch.randn(5, 2)) as Tensor;
  const dot = makeDot(loss, { params: model.namedParameters() });
  const nodes = [...dot.nodes.values()];
  assert.deepEqual(nodes.filter((n) => n.attrs.fillcolor === "lightblue").map((n) => n.label).sort(), ["0.bias\n (4)", "0.weight\n (4, 3)", "2.bias\n (2)", "2.weight\n (2, 4)"]);
  assert.deepEqual(nodes.filter((n) => n.attrs.fillcolor === "darkolivegreen1").map((n) => n.label), ["\n ()"]);
  assert.equal(nodes.filter((n) => n.label === "AccumulateGrad").length, 4);
  assert.equal(loss.gradFn!.name(), "MseLossBackward0");
  // after backward (graph freed) the picture still draws, without saved tensors
  loss.backward();
  assert.equal(makeDot(loss, { showSaved: true }).body.filter((l) => l.includes("orange")).length, 0);
  assert.throws(() => makeDot(loss, { params: { w: 3 as unknown as Tensor } }), { name: "AssertionError" });
});

test("makeDot: showSaved names results and inputs as PyTorch's _saved_ attributes", () => {
  const x = torch.randn(3, { requiresGrad: true });
  const dot = makeDot(x.exp(), { showSaved: true, showAttrs: true });
  const labels = [...dot.nodes.values()].map((n) => n.label);
  assert.ok(labels.includes("ExpBackward0\n----------------------\nresult: [saved tensor]"), labels.join(" | "));
  assert.ok(labels.includes("result\n (3)"));
  // a saved input that needs no gradient takes that input's name: mat1 of addmm, a loss's target
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  const loss = nn.functional.mseLoss(model(torch.randn(5, 3)), torch.randn(5, 2)) as Tensor;
  const saved = [...makeDot(loss, { showSaved: true }).nodes.values()].filter((n) => n.attrs.fillcolor === "orange").map((n) => n.label);
  for (const l of ["mat1\n (5, 3)", "target\n (5, 2)", "self\n (5, 2)", "result\n (5, 4)"]) assert.ok(saved.includes(l), `${l} in ${saved.join(" | ")}`);
});

test("makeDot: save writes DOT or SVG by extension", () => {
  const x = torch.randn(2, { requiresGrad: true });
  const dot = makeDot(x.mul(x).sum(), { params: { x } });
  const dir = mkdtempSync(join(tmpdir(), "typetorch-dot-"));
  try {
    assert.equal(readFileSync(dot.save(join(dir, "g.dot")), "utf8"), dot.source);
    assert.equal(readFileSync(dot.save(join(dir, "g.svg")), "utf8"), dot.toSVG());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("utils stays browser-safe: the core bundles for the browser platform with summary, tqdm, plot and makeDot", async () => {
  const { build } = await import("esbuild");
  const r = await build({
    stdin: {
      contents: `import * as torch from "./src/index.js"; console.log(typeof torch.utils.summary, typeof torch.utils.tqdm, typeof torch.utils.makeDot, typeof torch.utils.plot.Figure);`,
      resolveDir: new URL("..", import.meta.url).pathname, loader: "ts",
    },
    bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent",
  });
  assert.ok(r.outputFiles[0]!.text.length > 1000);
});
