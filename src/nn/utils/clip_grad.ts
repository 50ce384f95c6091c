// torch.nn.utils.clip_grad_norm_ and clip_grad_value_: gradient clipping, as PyTorch 1.13's
// torch/nn/utils/clip_grad.py computes it (the same ops in the same order, so the same bits).
import { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../ops/creation.js";
import { stack } from "../../ops/views.js";
import { norm } from "../../ops/reduce.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { RuntimeError } from "../../errors.js";

/** Python's repr of a float (`2.0`, `inf`, `1.5`), as PyTorch's messages print norm_type. */
function pyFloat(v: number): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Number.isNaN(v)) return "nan";
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function paramList(parameters: Tensor | Iterable<Tensor>): Tensor[] {
  return parameters instanceof Tensor ? [parameters] : [...parameters];
}

/**
 * torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2, error_if_nonfinite=False): scales
 * all gradients together, in place, so that their joint norm is at most maxNorm; returns that total
 * norm (before clipping) as a tensor. normType may be Infinity (or "inf") for the max norm.
 * @example
 * const model = new nn.Linear(3, 2);
 * model(torch.randn(4, 3)).sum().backward();
 * const total = torch.nn.utils.clipGradNorm_(model.parameters(), 1.0);
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType: number | "inf" = 2, errorIfNonfinite = false): Tensor {
  const grads = paramList(parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  const p = normType === "inf" ? Infinity : Number(normType);
  if (grads.length === 0) return tensor(0);
  // NOTE: no graph is recorded through the gradients (PyTorch detaches each; its torch.norm of the
  // detached gradients records nothing either)
  return noGrad(() => {
    let totalNorm: Tensor;
    if (p === Infinity) {
      const norms = grads.map((g) => g.detach().abs().max() as Tensor);
      totalNorm = norms.length === 1 ? norms[0]! : (stack(norms).max() as Tensor);
    } else totalNorm = norm(stack(grads.map((g) => norm(g.detach(), p))), p);
    if (errorIfNonfinite && !Number.isFinite(totalNorm.item()))
      throw new RuntimeError(
        `The total norm of order ${pyFloat(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      );
    // NOTE: Python's `max_norm / (total_norm + 1e-6)` is Tensor.__rdiv__: reciprocal, then times
    // max_norm; the coefficient is clamped to 1 rather than tested, as PyTorch does (no sync on GPUs)
    const clipCoef = totalNorm.add(1e-6).reciprocal().mul(maxNorm);
    const clipCoefClamped = clipCoef.clamp(null, 1.0);
    for (const g of grads) g.detach().mul_(clipCoefClamped);
    return totalNorm;
  });
}

/**
 * torch.nn.utils.clip_grad_norm (deprecated in PyTorch in favour of clipGradNorm_, which it calls).
 */
export function clipGradNorm(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType: number | "inf" = 2, errorIfNonfinite = false): Tensor {
  console.warn("UserWarning: torch.nn.utils.clip_grad_norm is now deprecated in favor of torch.nn.utils.clip_grad_norm_.");
  return clipGradNorm_(parameters, maxNorm, normType, errorIfNonfinite);
}

/**
 * torch.nn.utils.clip_grad_value_(parameters, clip_value): clamps every gradient, in place, to
 * [-clipValue, clipValue].
 * @example
 * const model = new nn.Linear(3, 2);
 * model(torch.randn(4, 3)).sum().backward();
 * torch.nn.utils.clipGradValue_(model.parameters(), 0.5);
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const c = Number(clipValue);
  for (const p of paramList(parameters)) if (p.grad !== null) p.grad.data.clamp_(-c, c);
}
