// torch.autograd: backward, grad, gradcheck.
import { runBackward } from "./engine.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../errors.js";
import { noGrad } from "./grad_mode.js";
import { getBackend } from "../backend/backend.js";
import { float64 } from "../tensor/dtype.js";
export { Function, FunctionCtx, onceDifferentiable } from "./custom_function.js";
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, isAnomalyCheckNanEnabled } from "./anomaly_mode.js";
export type { AnomalyError } from "./anomaly_mode.js";
export * as functional from "./functional.js";
export { noGrad as no_grad } from "./grad_mode.js";

function onesLikeScalar(t: Tensor): Tensor {
  if (t.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
  const g = new Tensor(getBackend().fromValues(t.dtype, [1]), t.shape, t.strides, 0, t.dtype);
  return g;
}

/** torch.autograd.backward(tensors, gradTensors). */
export function backward(tensors: Tensor | Tensor[], gradTensors?: (Tensor | null)[] | Tensor | null, opts: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  const ts = Array.isArray(tensors) ? tensors : [tensors];
  const gs = gradTensors === undefined || gradTensors === null ? [] : Array.isArray(gradTensors) ? gradTensors : [gradTensors];
  runBackward(ts, ts.map((t, i) => gs[i] ?? onesLikeScalar(t)), opts);
}

/**
 * torch.autograd.grad(outputs, inputs): the gradients of outputs w.r.t. inputs, returned rather than
 * accumulated into `.grad`. With `createGraph`, the result is itself differentiable.
 * @example
 * const x = torch.tensor(3, { requiresGrad: true });
 * const [g] = torch.autograd.grad(x.pow(3), [x], { createGraph: true }); // 27
 */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  opts: { gradOutputs?: (Tensor | null)[] | Tensor; retainGraph?: boolean; createGraph?: boolean; allowUnused?: boolean } = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const go = opts.gradOutputs === undefined ? [] : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const o: { retainGraph?: boolean; createGraph?: boolean; inputs: Tensor[]; allowUnused?: boolean } = { inputs: ins };
  if (opts.retainGraph !== undefined) o.retainGraph = opts.retainGraph;
  if (opts.createGraph !== undefined) o.createGraph = opts.createGraph;
  if (opts.allowUnused !== undefined) o.allowUnused = opts.allowUnused;
  return runBackward(outs, outs.map((t, i) => go[i] ?? onesLikeScalar(t)), o);
}

/**
 * torch.autograd.gradcheck: compares analytical gradients with central finite differences in
 * float64. Returns true, or throws (raiseException) / returns false on a mismatch.
 */
export function gradcheck(
  fn: (...xs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  opts: { eps?: number; atol?: number; rtol?: number; raiseException?: boolean } = {},
): boolean {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  for (const x of inputs)
    if (x.requiresGrad && x.dtype !== float64)
      throw new RuntimeError("gradcheck expects inputs that require grad to be float64 (double precision)");
  const outsOf = (): Tensor[] => {
    const r = fn(...inputs);
    return Array.isArray(r) ? r : [r];
  };
  const outs = outsOf();
  for (let oi = 0; oi < outs.length; oi++) {
    const out = outs[oi]!;
    if (!out.dtype.isFloatingPoint) continue;
    const n = out.numel();
    for (let ii = 0; ii < inputs.length; ii++) {
      const x = inputs[ii]!;
      if (!x.requiresGrad) continue;
      const m = x.numel();
      // numerical jacobian, column by input element
      const numJ = new Float64Array(m * n);
      // NOTE: each element is perturbed in place through the backend (a one-element view of x).
      const xv = x._view(), b = getBackend();
      const xvals = x._values();
      const set = (pos: number, v: number) => b.fill({ ...xv, shape: [], strides: [], offset: pos }, v);
      for (let k = 0; k < m; k++) {
        const pos = storageIndex(x, k);
        const orig = xvals[k]!;
        set(pos, orig + eps);
        const plus = noGrad(() => outsOf()[oi]!._values());
        set(pos, orig - eps);
        const minus = noGrad(() => outsOf()[oi]!._values());
        set(pos, orig);
        for (let j = 0; j < n; j++) numJ[k * n + j] = (plus[j]! - minus[j]!) / (2 * eps);
      }
      // analytical jacobian, row by output element
      for (let j = 0; j < n; j++) {
        const go = new Float64Array(n);
        go[j] = 1;
        const gt = new Tensor(getBackend().fromValues(out.dtype, go), out.shape, out.strides.map((_, i, a) => a.slice(i + 1).length ? out.shape.slice(i + 1).reduce((p, q) => p * q, 1) : 1), 0, out.dtype);
        const [g] = grad(outsOf()[oi]!, [x], { gradOutputs: [gt], allowUnused: true });
        const gv = g ? g._values() : new Float64Array(m);
        for (let k = 0; k < m; k++) {
          const a = gv[k]!, b = numJ[k * n + j]!;
          if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
            const msg = `Jacobian mismatch for output ${oi} with respect to input ${ii},\nnumerical:${b}\nanalytical:${a}\n`;
            if (raise) throw new RuntimeError(msg);
            return false;
          }
        }
      }
    }
  }
  return true;
}

function storageIndex(x: Tensor, flat: number): number {
  let off = x._offset, r = flat;
  const shape = x.shape, st = x.strides;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    off += (r % s) * st[d]!;
    r = Math.floor(r / s);
  }
  return off;
}
