// Anomaly detection (torch.autograd.detect_anomaly / set_detect_anomaly): in this mode every node
// keeps the stack of the forward call that made it, and the engine checks each backward's results
// for NaN; an error raised while a node runs is reported with that node's forward stack.
import { RuntimeError } from "../errors.js";

let enabled = false;
let checkNan = true;

/** torch.is_anomaly_enabled(): whether anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return enabled;
}

/** torch.is_anomaly_check_nan_enabled(): whether anomaly mode checks backward results for NaN. */
export function isAnomalyCheckNanEnabled(): boolean {
  return checkNan;
}

/**
 * torch.autograd.set_detect_anomaly(mode, check_nan=True), the function form: turns anomaly detection
 * on or off until changed again.
 * @example
 * torch.autograd.setDetectAnomaly(true);
 */
export function setDetectAnomaly(mode: boolean, checkNanValues = true): void {
  enabled = mode;
  checkNan = checkNanValues;
}

/**
 * `with torch.autograd.detect_anomaly():` -- runs fn with anomaly detection on (and NaN checks unless
 * `checkNan` is false), restoring the previous mode afterwards.
 * NOTE: PyTorch also warns "Anomaly Detection has been enabled..." on entry; that warning is not
 * reproduced (the mode is meant for debugging and the user asked for it).
 * @example
 * const x = torch.tensor([0.0], { requiresGrad: true });
 * const loss = x.sqrt().sum(); // d/dx sqrt(x) at 0 is inf: no NaN, no error
 * torch.autograd.detectAnomaly(() => loss.backward()); // a NaN gradient would throw, naming its node
 */
export function detectAnomaly<T>(fn: () => T, opts: { checkNan?: boolean } = {}): T {
  const prev = enabled, prevNan = checkNan;
  enabled = true;
  checkNan = opts.checkNan ?? true;
  try {
    return fn();
  } finally {
    enabled = prev;
    checkNan = prevNan;
  }
}

/** What an anomaly-mode node remembers: its forward stack and the node whose backward made it. */
export interface AnomalyMetadata {
  /** `new Error().stack` where the node was made. */
  stack: string;
  /** The node being run by the engine when this one was made (double backward), PyTorch's parent. */
  parent: { name(): string; anomaly: AnomalyMetadata | null } | null;
}

/** @internal the node the engine runs right now in anomaly mode (PyTorch's current_evaluation parent). */
let currentNode: AnomalyMetadata["parent"] = null;

// where typetorch's own sources live: their frames are cut from the top of a forward stack
// (NOTE: import.meta.url is not a base URL everywhere: an inline module script on about:blank, or
// a CommonJS/IIFE bundle without import.meta; there no frame is taken for typetorch's own)
const srcUrl: URL | null = (() => {
  try {
    return new URL("..", import.meta.url);
  } catch {
    return null;
  }
})();
const isOwnFrame = (line: string): boolean =>
  srcUrl !== null && (line.includes(srcUrl.href) || (srcUrl.protocol === "file:" && line.includes(srcUrl.pathname)));

/** @internal a new node's anomaly metadata (called only in anomaly mode). */
export function captureAnomaly(): AnomalyMetadata {
  // NOTE: the first line of `stack` is "Error"; the frames follow, innermost first (Python prints
  // the outermost first: JS users read stacks this way round). The frames inside typetorch (the
  // op, the node's constructor) are cut, so the stack starts at the user's call; V8 keeps only
  // Error.stackTraceLimit frames, so the limit is raised while the stack is taken.
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  if (typeof limit === "number") E.stackTraceLimit = Math.max(limit, 64);
  const raw = new Error().stack ?? "";
  if (typeof limit === "number") E.stackTraceLimit = limit;
  const frames = raw.split("\n").slice(1);
  let first = 0;
  while (first < frames.length - 1 && isOwnFrame(frames[first]!)) first++;
  return { stack: frames.slice(first).join("\n"), parent: currentNode };
}

/** @internal runs fn with `node` as the parent of the nodes it makes. */
export function withAnomalyParent<T>(node: AnomalyMetadata["parent"], fn: () => T): T {
  const prev = currentNode;
  currentNode = node;
  try {
    return fn();
  } finally {
    currentNode = prev;
  }
}

/** An error raised in backward in anomaly mode carries the forward stack of the node that failed. */
export interface AnomalyError extends Error {
  /** The failing node's name (`SqrtBackward0`). */
  nodeName?: string;
  /** The stack of the forward call that made the failing node. */
  forwardStack?: string;
  /** PyTorch's warning text: the forward stack and those of the nodes that induced it. */
  anomalyTrace?: string;
}

/**
 * @internal PyTorch's print_stack: "Error detected in X. Traceback of forward call that caused the
 * error: ..." and, for nodes made by a backward (create_graph), the chain of nodes that induced them.
 */
export function anomalyTrace(name: string, meta: AnomalyMetadata | null): string {
  if (!meta)
    return `Error detected in ${name}. No forward pass information available. Enable detect anomaly during forward pass for more information.`;
  let s = `Error detected in ${name}. Traceback of forward call that caused the error:\n${meta.stack}`;
  for (let p = meta.parent; p; p = p.anomaly?.parent ?? null) {
    s += `\n\nPrevious calculation was induced by ${p.name()}. Traceback of forward call that induced the previous calculation:\n${p.anomaly?.stack ?? ""}`;
  }
  return s;
}

/** @internal PyTorch's NaN check of a node's results in anomaly mode. */
export function nanError(name: string, i: number): RuntimeError {
  return new RuntimeError(`Function '${name}' returned nan values in its ${i}th output.`);
}
