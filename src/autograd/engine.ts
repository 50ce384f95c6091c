// The backward engine: topological execution of the graph from the roots, gradient accumulation,
// broadcasting undone once here, retain_graph, and autograd.grad.
import { RuntimeError, TorchTypeError, pythonTypeName } from "../errors.js";
import { withGradEnabled, noGrad } from "./grad_mode.js";
import { AccumulateGrad, Node, type InputMeta } from "./graph.js";
import type { Tensor } from "../tensor/tensor.js";
import { shapesEqual } from "../tensor/shape.js";
import { isLasting, zerosLikeLasting } from "../ops/creation.js";
import { beginPass, endPass, poisonPass } from "../backend/buffer_pool.js";
import { anomalyTrace, isAnomalyCheckNanEnabled, isAnomalyEnabled, nanError, withAnomalyParent, type AnomalyError } from "./anomaly_mode.js";

/** Sums a gradient that arrived in a broadcast shape back to the input's shape and dtype. */
export function reduceGrad(g: Tensor, meta: InputMeta): Tensor {
  if (!shapesEqual(g.shape, meta.shape)) {
    const lead = g.dim() - meta.shape.length;
    const dims: number[] = [];
    for (let i = 0; i < g.dim(); i++) {
      if (i < lead) dims.push(i);
      else if (meta.shape[i - lead] === 1 && g.shape[i] !== 1) dims.push(i);
    }
    if (dims.length) g = g.sum(dims, true);
    if (lead > 0 || !shapesEqual(g.shape, meta.shape)) g = g.reshape(meta.shape as number[]);
  }
  if (g.dtype !== meta.dtype) g = g.to(meta.dtype);
  return g;
}

/** A max-heap of nodes by sequence number: later nodes run first, as in PyTorch. */
class ReadyQueue {
  private h: Node[] = [];
  push(n: Node): void {
    const h = this.h;
    h.push(n);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.seq >= h[i]!.seq) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Node | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.seq > h[m]!.seq) m = l;
        if (r < h.length && h[r]!.seq > h[m]!.seq) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  get size(): number {
    return this.h.length;
  }
}

function addGrad(a: Tensor | null, b: Tensor): Tensor {
  return a ? a.add(b) : b;
}

/**
 * PyTorch's check_variable_result: a hook may replace a gradient only with one of the same type and
 * size. The hook is named as Python names a function (`<lambda>` for an anonymous one).
 */
function checkHookResult(hook: (g: Tensor) => unknown, g: Tensor, r: unknown): void {
  const name = hook.name || "<lambda>";
  // (Tensor is imported as a type only here: the engine and the tensor module import each other)
  if (typeof r !== "object" || r === null || !("dtype" in r) || !("shape" in r))
    throw new TorchTypeError(`expected Variable, but hook returned '${pythonTypeName(r)}'`);
  const t = r as Tensor;
  if (t.dtype !== g.dtype)
    throw new RuntimeError(`hook '${name}' has changed the type of value (was torch.${g.dtype.scalarName}Tensor got torch.${t.dtype.scalarName}Tensor)`);
  if (!shapesEqual(t.shape, g.shape)) throw new RuntimeError(`hook '${name}' has changed the size of value`);
}

function runHooks(node: Node, outputNr: number, g: Tensor): Tensor {
  const hooks = node.tensorHooks?.get(outputNr);
  if (hooks)
    for (const h of hooks) {
      poisonPass(); // user code sees (and may keep) this pass's tensors
      const r = h(g);
      if (r) {
        checkHookResult(h, g, r);
        g = r;
      }
    }
  const t = node.retained?.get(outputNr);
  if (t) t.grad = t.grad ? noGrad(() => t.grad!.add(g)) : g.detach().clone();
  return g;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** autograd.grad: the tensors whose gradients are returned instead of accumulated. */
  inputs?: readonly Tensor[];
  allowUnused?: boolean;
}

function edgeOf(t: Tensor): [Node, number] {
  return t.gradFn ? [t.gradFn, t._outputNr] : [t._gradAccumulator(), 0];
}

/**
 * Runs backward from `roots` with the given output gradients. Without `inputs`, gradients of leaves
 * accumulate into `.grad`; with `inputs`, their gradients are returned (torch.autograd.grad).
 */
export function runBackward(roots: readonly Tensor[], grads: readonly Tensor[], opts: BackwardOptions): (Tensor | null)[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const rootEdges = roots.map((t, i) => {
    if (!t.requiresGrad) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    return edgeOf(t);
  });

  // Targets of autograd.grad, by node and output number.
  const capture = opts.inputs ? new Map<Node, Map<number, number>>() : null;
  const captured: (Tensor | null)[] = opts.inputs ? opts.inputs.map(() => null) : [];
  if (opts.inputs) {
    opts.inputs.forEach((t, i) => {
      if (!t.requiresGrad) throw new RuntimeError("One of the differentiated Tensors does not require grad");
      const [n, nr] = edgeOf(t);
      const m = capture!.get(n) ?? new Map<number, number>();
      m.set(nr, i);
      capture!.set(n, m);
    });
  }

  // Dependencies: how many edges point into each reachable node.
  const deps = new Map<Node, number>();
  const seen = new Set<Node>();
  const stack: Node[] = rootEdges.map((e) => e[0]);
  for (const n of stack) seen.add(n);
  while (stack.length) {
    const n = stack.pop()!;
    for (const [next] of n.nextFunctions) {
      if (!next) continue;
      deps.set(next, (deps.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  // With autograd.grad, only nodes on a path to a target need to run.
  let needed: Set<Node> | null = null;
  if (capture) {
    needed = new Set();
    const memo = new Map<Node, boolean>();
    const visit = (n: Node): boolean => {
      const m = memo.get(n);
      if (m !== undefined) return m;
      memo.set(n, false);
      let r = capture.has(n);
      for (const [next] of n.nextFunctions) if (next && visit(next)) r = true;
      memo.set(n, r);
      if (r) needed!.add(n);
      return r;
    };
    for (const [n] of rootEdges) visit(n);
  }

  const buffers = new Map<Node, (Tensor | null)[]>();
  const addTo = (n: Node, nr: number, g: Tensor) => {
    let b = buffers.get(n);
    if (!b) {
      b = new Array<Tensor | null>(n.numOutputs).fill(null);
      buffers.set(n, b);
    }
    b[nr] = addGrad(b[nr] ?? null, g);
  };

  const anomaly = isAnomalyEnabled();
  // NOTE: a plain backward's intermediates go back to the CPU backends' buffer pool when it ends
  // (backend/buffer_pool.ts); not with create_graph (they become graph tensors) or autograd.grad
  // (the results are this pass's tensors)
  const pooled = !createGraph && capture === null && beginPass();
  let ok = false;
  try {
    withGradEnabled(createGraph, () => {
      rootEdges.forEach(([n, nr], i) => addTo(n, nr, grads[i]!));
      const ready = new ReadyQueue();
      for (const n of seen) if (!deps.get(n)) ready.push(n);
      while (ready.size) {
        const node = ready.pop()!;
        const inGrads = buffers.get(node) ?? new Array<Tensor | null>(node.numOutputs).fill(null);
        buffers.delete(node);
        for (let i = 0; i < inGrads.length; i++) {
          const g = inGrads[i];
          if (g) inGrads[i] = runHooks(node, i, g);
        }
        const cap = capture?.get(node);
        if (cap) for (const [nr, idx] of cap) if (inGrads[nr]) captured[idx] = inGrads[nr]!;

        let outGrads: (Tensor | null)[] = [];
        const run = !needed || needed.has(node);
        if (node instanceof AccumulateGrad) {
          if (!capture && inGrads[0]) accumulate(node.variable, inGrads[0], createGraph);
        } else if (run && inGrads.some((g) => g)) {
          outGrads = anomaly ? applyInAnomalyMode(node, inGrads) : node.apply(inGrads);
          if (!retainGraph) node.release();
        }
        node.nextFunctions.forEach(([next, nr], i) => {
          if (!next) return;
          const g = outGrads[i];
          if (g) addTo(next, nr, reduceGrad(g, node.inputMeta[i]!));
          const d = deps.get(next)! - 1;
          deps.set(next, d);
          if (d === 0) ready.push(next);
        });
      }
    });
    ok = true;
  } finally {
    if (pooled) endPass(ok);
  }

  if (opts.inputs && !opts.allowUnused)
    captured.forEach((g) => {
      if (!g)
        throw new RuntimeError(
          "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
        );
    });
  return captured;
}

/**
 * Runs a node in anomaly mode (torch.autograd.detect_anomaly): the nodes its backward makes remember
 * it as their parent, its results are checked for NaN, and an error it raises carries (and warns with,
 * as PyTorch's print_stack) the stack of the forward call that made the node.
 */
function applyInAnomalyMode(node: Node, grads: (Tensor | null)[]): (Tensor | null)[] {
  try {
    const out = withAnomalyParent(node, () => node.apply(grads));
    // NOTE: only results that flow along an edge are checked: PyTorch's generated nodes compute no
    // gradient for an input that needs none, while some of our formulas compute every input's
    if (isAnomalyCheckNanEnabled())
      noGrad(() => {
        out.forEach((g, i) => {
          if (g && node.nextFunctions[i]?.[0] && g.dtype.isFloatingPoint && g.isnan().any().item()) throw nanError(node.name(), i);
        });
      });
    return out;
  } catch (e) {
    if (e instanceof Error) {
      const err = e as AnomalyError;
      if (err.nodeName === undefined) {
        // the innermost failing node (a nested backward's) is the one reported
        err.nodeName = node.name();
        err.forwardStack = node.anomaly?.stack ?? "";
        err.anomalyTrace = anomalyTrace(node.name(), node.anomaly);
        console.warn(`UserWarning: ${err.anomalyTrace}`);
      }
    }
    throw e;
  }
}

/** The leaves that have had a lasting .grad made for them (see accumulate). */
const lastingGradGiven = new WeakSet<Tensor>();

function accumulate(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (!t.grad) {
    // NOTE: a gradient may be shared between inputs (AddBackward passes one tensor to both), so a
    // leaf's .grad gets its own copy; later in-place changes to one .grad must not reach another.
    // A parameter living in the backend's lasting memory gets its first .grad there too (zeroed and
    // added into in place every step, read in place by the optimizer): the same values, copied once.
    // NOTE: only its first: a loop that sets .grad to null every step (zero_grad(setToNone)) would
    // otherwise leave a lasting block behind each step, freed only when the event loop turns.
    if (!createGraph && !lastingGradGiven.has(t) && isLasting(t) && t.isContiguous() && g.isContiguous() && g.dtype === t.dtype) {
      lastingGradGiven.add(t);
      t.grad = noGrad(() => zerosLikeLasting(t).copy_(g));
    } else t.grad = createGraph ? g.clone() : noGrad(() => g.detach().clone());
  } else if (createGraph) t.grad = t.grad.add(g);
  else {
    const cur = t.grad;
    noGrad(() => cur.add_(g));
  }
}
