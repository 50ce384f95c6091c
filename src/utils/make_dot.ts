// torchviz's make_dot: the autograd graph behind a tensor, as Graphviz DOT text (the same source
// torchviz writes, up to object ids) and as a standalone SVG drawn without Graphviz by a small
// layered layout (cycle breaking, longest-path layers, dummy nodes on long edges, barycenter
// ordering). Nodes: the grad_fn of each op (MulBackward0), AccumulateGrad for each leaf with the
// leaf above it (named from `params`, with its shape), the output tensors (green), a view's base
// (darker green, dotted), and with `showSaved` the tensors each node saved for backward (orange).
import { Tensor } from "../tensor/tensor.js";
import { AccumulateGrad, Node, type SavedTensor } from "../autograd/graph.js";
import { AssertionError } from "../errors.js";
import { writeTextFile } from "./plot.js";

export interface MakeDotOptions {
  /** Names for leaves: a Map, an object, or `model.namedParameters()`. */
  params?: Map<string, Tensor> | Record<string, Tensor> | Iterable<readonly [string, Tensor]> | null;
  /** Show what each node saved (the saved tensors; typetorch's nodes keep no other attributes). */
  showAttrs?: boolean;
  /** Show the saved tensors as orange nodes. */
  showSaved?: boolean;
  /** Truncate attribute values to this many characters (default 50). */
  maxAttrChars?: number;
}

// ---------------------------------------------------------------- DOT text as Python's graphviz writes it
const ID = /^([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$/;
const KEYWORDS = new Set(["node", "edge", "graph", "digraph", "subgraph", "strict"]);
/** graphviz.quoting.quote: bare IDs stay bare, HTML-like <...> too; anything else is double-quoted. */
function quote(s: string): string {
  if (/^<[\s\S]*>$/.test(s)) return s;
  if (!ID.test(s) || KEYWORDS.has(s.toLowerCase())) return `"${s.replace(/(\\\\)*\\?"/g, (_m, bs: string | undefined) => `${bs ?? ""}\\"`)}"`;
  return s;
}
function attrList(label: string | null, attrs: Record<string, string>): string {
  const items = label !== null ? [`label=${quote(label)}`] : [];
  for (const k of Object.keys(attrs).sort()) items.push(`${quote(k)}=${quote(attrs[k]!)}`);
  return items.length ? ` [${items.join(" ")}]` : "";
}

export interface DotNode {
  id: string;
  label: string;
  attrs: Record<string, string>;
}
export interface DotEdge {
  tail: string;
  head: string;
  attrs: Record<string, string>;
}

/** Python graphviz's Digraph, as much as make_dot uses: statements in order, `source`, and an SVG picture. */
export class Digraph {
  readonly body: string[] = [];
  private readonly stmts: ({ kind: "node" } & DotNode | { kind: "edge" } & DotEdge)[] = [];
  constructor(
    readonly nodeAttr: Record<string, string> = {},
    readonly graphAttr: Record<string, string> = {},
  ) {}

  node(name: string, label: string | null = null, attrs: Record<string, string> = {}): void {
    this.body.push(`\t${quote(name)}${attrList(label, attrs)}`);
    this.stmts.push({ kind: "node", id: name, label: label ?? name, attrs: { ...attrs } });
  }
  edge(tail: string, head: string, attrs: Record<string, string> = {}): void {
    this.body.push(`\t${quote(tail)} -> ${quote(head)}${attrList(null, attrs)}`);
    this.stmts.push({ kind: "edge", tail, head, attrs: { ...attrs } });
  }

  /** The DOT text (Python graphviz's `Digraph.source`). */
  get source(): string {
    const lines = ["digraph {"];
    if (Object.keys(this.graphAttr).length) lines.push(`\tgraph${attrList(null, this.graphAttr)}`);
    if (Object.keys(this.nodeAttr).length) lines.push(`\tnode${attrList(null, this.nodeAttr)}`);
    return [...lines, ...this.body, "}"].join("\n") + "\n";
  }
  toString(): string {
    return this.source;
  }

  /**
   * The nodes as Graphviz sees them: one per id, in order of first mention (an edge's ends are
   * nodes too), later statements' attributes winning.
   */
  get nodes(): Map<string, DotNode> {
    const m = new Map<string, DotNode>();
    const touch = (id: string) => {
      if (!m.has(id)) m.set(id, { id, label: id, attrs: {} });
      return m.get(id)!;
    };
    for (const s of this.stmts) {
      if (s.kind === "edge") {
        touch(s.tail);
        touch(s.head);
      } else {
        const n = touch(s.id);
        n.label = s.label;
        Object.assign(n.attrs, s.attrs);
      }
    }
    return m;
  }
  /** The edges, in order (duplicates kept, as Graphviz draws them). */
  get edges(): DotEdge[] {
    return this.stmts.filter((s) => s.kind === "edge").map((e) => ({ tail: e.tail, head: e.head, attrs: { ...e.attrs } }));
  }

  /** A standalone SVG of the graph, laid out top to bottom (inputs above, outputs below). */
  toSVG(): string {
    return layeredSVG(this);
  }

  /** Writes the SVG (a path ending in .svg) or the DOT source (anything else); Node only. */
  save(path: string): string {
    writeTextFile(path, path.toLowerCase().endsWith(".svg") ? this.toSVG() : this.source);
    return path;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.source;
  }
}

// ---------------------------------------------------------------- make_dot
/** derivatives.yaml's argument names of a node's inputs, where they are not (self, other). */
const INPUT_NAMES: Record<string, string[]> = {
  MmBackward0: ["self", "mat2"], BmmBackward0: ["self", "mat2"], AddmmBackward0: ["self", "mat1", "mat2"],
  MvBackward0: ["self", "vec"], DotBackward0: ["self", "tensor"], MseLossBackward0: ["self", "target"],
  PowBackward1: ["self", "exponent"], WhereBackward0: ["condition", "self", "other"],
  ConvolutionBackward0: ["input", "weight", "bias"], NllLossBackward0: ["self", "target", "weight", "total_weight"],
  AddcmulBackward0: ["self", "tensor1", "tensor2"], AddcdivBackward0: ["self", "tensor1", "tensor2"],
  LerpBackward0: ["self", "end"], LerpBackward1: ["self", "end", "weight"], ClampBackward1: ["self", "min", "max"],
  BinaryCrossEntropyBackward0: ["self", "target", "weight"], GatherBackward0: ["self", "index"],
  IndexBackward0: ["self", "indices"], NativeLayerNormBackward0: ["input", "weight", "bias"],
  NativeBatchNormBackward0: ["input", "weight", "bias", "running_mean", "running_var"], EmbeddingBackward0: ["weight", "indices"],
};

interface SavedEntry {
  name: string;
  tensor: Tensor;
}
/**
 * The tensors a node saved, named as PyTorch names its `_saved_*` attributes: an input by its
 * argument name (found through the node's edges), an output as `result`.
 * NOTE: typetorch's nodes record what they saved but not under which argument name; a saved tensor
 * that is no input edge takes the name of an input that needs no gradient (x in x * 2, the
 * target of a loss), else the next unused argument name.
 */
function savedOf(fn: Node): SavedEntry[] {
  const raw = fn._savedTensors();
  const names = INPUT_NAMES[fn.name()] ?? ["self", "other"];
  const used = new Set<string>();
  const out: (SavedEntry | null)[] = raw.map(({ tensor, isOutput }) => {
    if (isOutput) return { name: "result", tensor };
    const i = fn.nextFunctions.findIndex(([n, nr]) => n !== null && ((tensor._gradFn === n && tensor._outputNr === nr) || (n instanceof AccumulateGrad && n.variable === tensor)));
    if (i < 0) return null;
    const name = names[i] ?? `input${i}`;
    used.add(name);
    return { name, tensor };
  });
  // the inputs that need no gradient (no edge) first: those are the ones a node saves unmatched
  const free = [
    ...names.filter((n, i) => fn.nextFunctions[i] !== undefined && fn.nextFunctions[i]![0] === null),
    ...names.filter((n, i) => !(fn.nextFunctions[i] !== undefined && fn.nextFunctions[i]![0] === null)),
  ];
  return out.map((e, j) => {
    if (e) return e;
    const name = free.find((n) => !used.has(n)) ?? `saved${j}`;
    used.add(name);
    return { name, tensor: raw[j]!.tensor };
  });
}
/** The tensors a custom autograd Function saved with ctx.saveForBackward (torchviz shows them always). */
function customSaved(fn: Node): Tensor[] {
  // NOTE: CustomFunctionNode keeps its ctx private; read it structurally
  const ctx = (fn as unknown as { ctx?: { _saved?: (SavedTensor | null)[] | null } }).ctx;
  return (ctx?._saved ?? []).filter((s): s is SavedTensor => s !== null).map((s) => s._peek().tensor);
}

function paramMap(params: MakeDotOptions["params"]): Map<Tensor, string> {
  const m = new Map<Tensor, string>();
  if (!params) return m;
  const entries: Iterable<readonly [string, unknown]> =
    params instanceof Map ? params : Symbol.iterator in (params as object) ? (params as Iterable<readonly [string, Tensor]>) : Object.entries(params);
  const list = [...entries];
  if (!list.every(([, v]) => v instanceof Tensor)) throw new AssertionError("");
  for (const [k, v] of list) m.set(v as Tensor, k);
  return m;
}

/**
 * torchviz's `make_dot(var, params, show_attrs, show_saved)`: the autograd graph that produced
 * `vars` (a tensor or several), as a Digraph with the DOT `source` and `toSVG()`.
 * @example
 * const model = new torch.nn.Linear(3, 1);
 * const loss = torch.nn.functional.mseLoss(model(torch.randn(4, 3)), torch.randn(4, 1));
 * const dot = torch.utils.makeDot(loss, { params: model.namedParameters() });
 * dot.source; // 'digraph {\n\tgraph [size="12,12"]\n...MseLossBackward0...AddmmBackward0...'
 * dot.toSVG(); // the picture (dot.save("graph.svg") writes it in Node)
 */
export function makeDot(vars: Tensor | readonly Tensor[], options: MakeDotOptions = {}): Digraph {
  const { showAttrs = false, showSaved = false, maxAttrChars = 50 } = options;
  const params = paramMap(options.params);
  const dot = new Digraph(
    { style: "filled", shape: "box", align: "left", fontsize: "10", ranksep: "0.1", height: "0.2", fontname: "monospace" },
    { size: "12,12" },
  );
  const ids = new Map<object, string>();
  const idOf = (o: object) => {
    let id = ids.get(o);
    if (id === undefined) ids.set(o, (id = String(ids.size)));
    return id;
  };
  const seen = new Set<object>();
  const sizeStr = (t: Tensor) => "(" + t.shape.join(", ") + ")";
  const varName = (t: Tensor, name?: string) => `${name || params.get(t) || ""}\n ${sizeStr(t)}`;

  const fnName = (fn: Node): string => {
    const name = fn.name();
    if (!showAttrs) return name;
    const attrs = savedOf(fn)
      .map((e) => [e.name, "[saved tensor]"] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!attrs.length) return name;
    const max = Math.max(maxAttrChars, 3);
    const w1 = Math.max(...attrs.map(([k]) => k.length));
    const w2 = Math.min(Math.max(...attrs.map(([, v]) => v.length)), max);
    const sep = "-".repeat(Math.max(w1 + w2 + 2, name.length));
    const trunc = (s: string) => (s.length > w2 ? s.slice(0, w2 - 3) + "..." : s);
    return name + "\n" + sep + "\n" + attrs.map(([k, v]) => `${k.padEnd(w1)}: ${trunc(v).padStart(w2)}`).join("\n");
  };

  const addNodes = (fn: Node): void => {
    if (seen.has(fn)) return;
    seen.add(fn);
    if (showSaved) {
      for (const { name, tensor } of savedOf(fn).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        seen.add(tensor);
        dot.edge(idOf(fn), idOf(tensor), { dir: "none" });
        dot.node(idOf(tensor), varName(tensor, name), { fillcolor: "orange" });
      }
    }
    if (fn instanceof AccumulateGrad) {
      const v = fn.variable;
      seen.add(v);
      dot.node(idOf(v), varName(v), { fillcolor: "lightblue" });
      dot.edge(idOf(v), idOf(fn));
    }
    dot.node(idOf(fn), fnName(fn));
    for (const [u] of fn.nextFunctions) {
      if (u === null) continue;
      dot.edge(idOf(u), idOf(fn));
      addNodes(u);
    }
    for (const t of customSaved(fn)) {
      seen.add(t);
      dot.edge(idOf(t), idOf(fn), { dir: "none" });
      dot.node(idOf(t), varName(t), { fillcolor: "orange" });
    }
  };
  const addBaseTensor = (v: Tensor, color = "darkolivegreen1"): void => {
    if (seen.has(v)) return;
    seen.add(v);
    dot.node(idOf(v), varName(v), { fillcolor: color });
    const gf = v.gradFn;
    if (gf) {
      addNodes(gf);
      dot.edge(idOf(gf), idOf(v));
    }
    if (v._isView && v._base) {
      addBaseTensor(v._base, "darkolivegreen3");
      dot.edge(idOf(v._base), idOf(v), { style: "dotted" });
    }
  };
  for (const v of vars instanceof Tensor ? [vars] : vars) addBaseTensor(v);
  // torchviz's resize_graph: 0.15 inch per statement, at least 12
  const size = Math.max(12, dot.body.length * 0.15);
  dot.graphAttr.size = `${pyNum(size)},${pyNum(size)}`;
  return dot;
}

/** Python's str() of the size (an int 12, or a float). */
function pyNum(v: number): string {
  if (v === 12) return "12";
  const s = String(v);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

// ---------------------------------------------------------------- a layered layout, drawn as SVG
const COLORS: Record<string, string> = {
  lightblue: "#add8e6", orange: "#ffa500", darkolivegreen1: "#caff70", darkolivegreen3: "#a2cd5a", lightgrey: "#d3d3d3",
};
const CHAR_W = 6.6; // monospace at 11px
const LINE_H = 13;
const PAD_X = 8, PAD_Y = 5, GAP_X = 18, GAP_Y = 36, MARGIN = 12;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface LNode {
  id: string;
  dummy: boolean;
  lines: string[];
  w: number;
  h: number;
  fill: string;
  layer: number;
  order: number;
  x: number;
  y: number;
}

/** Sugiyama-style layout: break cycles, longest-path layering, dummy nodes, barycenter sweeps. */
export function layeredSVG(g: Digraph): string {
  const dnodes = g.nodes;
  const edges = g.edges;
  const nodes = new Map<string, LNode>();
  for (const n of dnodes.values()) {
    const lines = n.label.split("\n");
    const w = Math.max(30, Math.max(...lines.map((l) => l.length)) * CHAR_W + 2 * PAD_X);
    const color = n.attrs.fillcolor ?? "lightgrey";
    nodes.set(n.id, { id: n.id, dummy: false, lines, w, h: lines.length * LINE_H + 2 * PAD_Y, fill: COLORS[color] ?? color, layer: 0, order: 0, x: 0, y: 0 });
  }
  // 1. cycles (a saved leaf is both above and below its node): reverse DFS back edges
  const out = new Map<string, { to: string; e: number }[]>();
  edges.forEach((e, i) => {
    if (e.tail === e.head) return;
    if (!out.has(e.tail)) out.set(e.tail, []);
    out.get(e.tail)!.push({ to: e.head, e: i });
  });
  const reversed = new Set<number>();
  const state = new Map<string, 1 | 2>();
  const dfs = (v: string) => {
    state.set(v, 1);
    for (const { to, e } of out.get(v) ?? []) {
      if (state.get(to) === 1) reversed.add(e);
      else if (!state.has(to)) dfs(to);
    }
    state.set(v, 2);
  };
  for (const id of nodes.keys()) if (!state.has(id)) dfs(id);
  const dag = edges
    .map((e, i) => (e.tail === e.head ? null : reversed.has(i) ? { from: e.head, to: e.tail, e: i } : { from: e.tail, to: e.head, e: i }))
    .filter((x): x is { from: string; to: string; e: number } => x !== null);
  // 2. longest-path layering (Kahn's order)
  const indeg = new Map<string, number>([...nodes.keys()].map((k) => [k, 0]));
  for (const d of dag) indeg.set(d.to, indeg.get(d.to)! + 1);
  const queue = [...nodes.keys()].filter((k) => indeg.get(k) === 0);
  const succ = new Map<string, string[]>();
  for (const d of dag) (succ.get(d.from) ?? succ.set(d.from, []).get(d.from)!).push(d.to);
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of succ.get(v) ?? []) {
      const nw = nodes.get(w)!;
      nw.layer = Math.max(nw.layer, nodes.get(v)!.layer + 1);
      indeg.set(w, indeg.get(w)! - 1);
      if (indeg.get(w) === 0) queue.push(w);
    }
  }
  // 3. dummy nodes on edges that span several layers
  const chains: { e: number; path: string[] }[] = [];
  let dummyCount = 0;
  for (const d of dag) {
    const a = nodes.get(d.from)!, b = nodes.get(d.to)!;
    const path = [a.id];
    for (let l = a.layer + 1; l < b.layer; l++) {
      const id = `\u0000d${dummyCount++}`;
      nodes.set(id, { id, dummy: true, lines: [], w: 2, h: LINE_H, fill: "none", layer: l, order: 0, x: 0, y: 0 });
      path.push(id);
    }
    path.push(b.id);
    chains.push({ e: d.e, path });
  }
  const nLayers = Math.max(0, ...[...nodes.values()].map((n) => n.layer)) + 1;
  const layers: LNode[][] = Array.from({ length: nLayers }, () => []);
  for (const n of nodes.values()) layers[n.layer]!.push(n);
  layers.forEach((l) => l.forEach((n, i) => (n.order = i)));
  const up = new Map<string, string[]>(), down = new Map<string, string[]>();
  for (const { path } of chains)
    for (let i = 0; i + 1 < path.length; i++) {
      (down.get(path[i]!) ?? down.set(path[i]!, []).get(path[i]!)!).push(path[i + 1]!);
      (up.get(path[i + 1]!) ?? up.set(path[i + 1]!, []).get(path[i + 1]!)!).push(path[i]!);
    }
  // 4. ordering: barycenter sweeps, keeping the order with the fewest crossings
  const crossings = () => {
    let c = 0;
    for (let l = 0; l + 1 < nLayers; l++) {
      const segs: [number, number][] = [];
      for (const n of layers[l]!) for (const m of down.get(n.id) ?? []) segs.push([n.order, nodes.get(m)!.order]);
      for (let i = 0; i < segs.length; i++) for (let j = i + 1; j < segs.length; j++) if ((segs[i]![0] - segs[j]![0]) * (segs[i]![1] - segs[j]![1]) < 0) c++;
    }
    return c;
  };
  let best = layers.map((l) => l.map((n) => n.id));
  let bestC = crossings();
  for (let iter = 0; iter < 12 && bestC > 0; iter++) {
    const downward = iter % 2 === 0;
    const range = downward ? [...Array(nLayers).keys()].slice(1) : [...Array(nLayers).keys()].slice(0, -1).reverse();
    for (const l of range) {
      const nb = downward ? up : down;
      const layer = layers[l]!;
      const key = new Map(layer.map((n) => {
        const ns = nb.get(n.id) ?? [];
        return [n.id, ns.length ? ns.reduce((s, m) => s + nodes.get(m)!.order, 0) / ns.length : n.order];
      }));
      layer.sort((a, b) => key.get(a.id)! - key.get(b.id)! || a.order - b.order);
      layer.forEach((n, i) => (n.order = i));
    }
    const c = crossings();
    if (c < bestC) {
      bestC = c;
      best = layers.map((l) => l.map((n) => n.id));
    }
  }
  best.forEach((ids, l) => {
    layers[l] = ids.map((id) => nodes.get(id)!);
    layers[l]!.forEach((n, i) => (n.order = i));
  });
  // 5. coordinates: rows top to bottom; x packed, then pulled toward neighbours without overlaps
  let y = MARGIN;
  for (const layer of layers) {
    const h = Math.max(...layer.map((n) => n.h));
    let x = MARGIN;
    for (const n of layer) {
      n.y = y + (h - n.h) / 2;
      n.x = x + n.w / 2;
      x += n.w + GAP_X;
    }
    y += h + GAP_Y;
  }
  const place = (layer: LNode[], want: Map<string, number>) => {
    for (const n of layer) n.x = want.get(n.id) ?? n.x;
    for (let i = 1; i < layer.length; i++) {
      const a = layer[i - 1]!, b = layer[i]!;
      const min = a.x + a.w / 2 + GAP_X + b.w / 2;
      if (b.x < min) b.x = min;
    }
    for (let i = layer.length - 2; i >= 0; i--) {
      const a = layer[i]!, b = layer[i + 1]!;
      const max = b.x - b.w / 2 - GAP_X - a.w / 2;
      if (a.x > max) a.x = max;
    }
  };
  for (let iter = 0; iter < 8; iter++) {
    const downward = iter % 2 === 0;
    const order = downward ? layers : [...layers].reverse();
    for (const layer of order) {
      const want = new Map<string, number>();
      for (const n of layer) {
        const ns = [...(up.get(n.id) ?? []), ...(down.get(n.id) ?? [])];
        if (ns.length) want.set(n.id, ns.reduce((s, m) => s + nodes.get(m)!.x, 0) / ns.length);
      }
      place(layer, want);
    }
  }
  const minX = Math.min(...[...nodes.values()].map((n) => n.x - n.w / 2));
  for (const n of nodes.values()) n.x += MARGIN - minX;
  const width = Math.max(...[...nodes.values()].map((n) => n.x + n.w / 2)) + MARGIN;
  const height = y - GAP_Y + MARGIN;

  // 6. drawing
  const fmt = (v: number) => String(Math.round(v * 10) / 10);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="monospace" font-size="11">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  );
  const pairCount = new Map<string, number>();
  for (const { e, path } of chains) {
    const edge = edges[e]!;
    const pts: [number, number][] = path.map((id, i) => {
      const n = nodes.get(id)!;
      if (n.dummy) return [n.x, n.y + n.h / 2];
      return i === 0 ? [n.x, n.y + n.h] : [n.x, n.y];
    });
    // parallel edges between the same two nodes fan out a little
    const key = `${edge.tail}\u0000${edge.head}`;
    const k = pairCount.get(key) ?? 0;
    pairCount.set(key, k + 1);
    if (k) {
      if (pts.length === 2) pts.splice(1, 0, [(pts[0]![0] + pts[1]![0]) / 2 + 10 * k, (pts[0]![1] + pts[1]![1]) / 2]);
      else for (let i = 1; i < pts.length - 1; i++) pts[i]![0] += 10 * k;
    }
    const rev = reversed.has(e);
    const d = "M" + pts.map(([px, py]) => `${fmt(px)},${fmt(py)}`).join(" L");
    const dir = edge.attrs.dir === "none" ? "" : rev ? ` marker-start="url(#arrow)"` : ` marker-end="url(#arrow)"`;
    const dash = edge.attrs.style === "dotted" ? ` stroke-dasharray="2,3"` : "";
    parts.push(`<g class="edge"><title>${esc(edge.tail)}-&gt;${esc(edge.head)}</title><path d="${d}" fill="none" stroke="#000"${dash}${dir}/></g>`);
  }
  for (const n of nodes.values()) {
    if (n.dummy) continue;
    const x0 = n.x - n.w / 2;
    const text = n.lines
      .map((l, i) => `<tspan x="${fmt(n.x)}" y="${fmt(n.y + PAD_Y + (i + 1) * LINE_H - 3)}">${esc(l)}</tspan>`)
      .join("");
    parts.push(
      `<g class="node"><title>${esc(n.id)}</title><rect x="${fmt(x0)}" y="${fmt(n.y)}" width="${fmt(n.w)}" height="${fmt(n.h)}" fill="${esc(n.fill)}" stroke="#000"/>` +
        `<text text-anchor="middle" xml:space="preserve">${text}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
