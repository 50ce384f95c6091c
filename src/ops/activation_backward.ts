// The backward functions of tanh, sigmoid, relu and leaky_relu as ops of their own, as PyTorch has
// them (tanh_backward, sigmoid_backward, threshold_backward, leaky_relu_backward): a gradient taken
// with create_graph then carries PyTorch's node (TanhBackwardBackward0, ...), and relu's and
// leaky_relu's require grad as PyTorch's do. The values are computed as before, under noGrad, so
// the first-order gradients keep their bits; without create_graph no node is made.
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import type { Tensor } from "../tensor/tensor.js";
import { getBackend } from "../backend/backend.js";
import { shapesEqual } from "../tensor/shape.js";
import { fromStorage } from "./core.js";

/** g * (1 - y^2) for y = tanh(x) (TanhBackwardBackward0: d/dg tanh_backward, d/dy -2 y g gg). */
export function tanhBackward(g: Tensor, y: Tensor): Tensor {
  const r = noGrad(() => g.mul(y.newOnes([]).addcmul(y, y, { value: -1 })));
  return record("TanhBackwardBackward0", [g, y], r, (gg, s, needs) => [
    needs(0) ? tanhBackward(gg, s(1)) : null,
    needs(1) ? gg.mul(s(1).mul(-2).mul(s(0))) : null,
  ], [g, y]);
}

/** g * (1 - y) * y for y = sigmoid(x) (SigmoidBackwardBackward0). */
export function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  const r = noGrad(() => g.mul(y.neg().add(1)).mul(y));
  return record("SigmoidBackwardBackward0", [g, y], r, (gg, s, needs) => [
    needs(0) ? sigmoidBackward(gg, s(1)) : null,
    needs(1) ? gg.mul(s(0)).mul(s(1).mul(-2).add(1)) : null,
  ], [g, y]);
}

/** The backend's one-pass threshold_backward(g, y, 0) where it has one and takes these, else null. */
function fusedThresholdBackward(g: Tensor, y: Tensor): Tensor | null {
  const b = getBackend();
  if (b.thresholdBackward === undefined || g.dtype !== y.dtype || !shapesEqual(g.shape, y.shape)) return null;
  const s = b.thresholdBackward(g._view(), y._view(), 0);
  return s === null ? null : fromStorage(s, g.shape.slice(), g.dtype);
}

/** g where y > 0, else 0, for y = relu(x) (ThresholdBackwardBackward0; y's gradient is zeros). */
export function reluBackward(g: Tensor, y: Tensor): Tensor {
  const r = noGrad(() => fusedThresholdBackward(g, y) ?? g.maskedFill(y.le(0), 0));
  return record("ThresholdBackwardBackward0", [g, y], r, (gg, s, needs) => [
    needs(0) ? reluBackward(gg, s(0)) : null,
    needs(1) ? gg.new_zeros(gg.shape) : null,
  ], [y]);
}

/** g where x > 0, else slope * g (LeakyReluBackwardBackward0; x's gradient is zeros). */
export function leakyReluBackward(g: Tensor, x: Tensor, slope: number): Tensor {
  const r = noGrad(() => g.mul(x.gt(0).mul(1 - slope).add(slope)));
  return record("LeakyReluBackwardBackward0", [g, x], r, (gg, s, needs) => [
    needs(0) ? leakyReluBackward(gg, s(0), slope) : null,
    needs(1) ? gg.new_zeros(gg.shape) : null,
  ], [x]);
}

/**
 * softmax's backward y * (g - sum(g * y)) as PyTorch's _softmax_backward_data (SoftmaxBackwardDataBackward0):
 * d/dg is the same op on the incoming gradient, d/dy is softmax_double_backward,
 * gg * g - sum(y * g) * gg - g * sum(y * gg).
 */
export function softmaxBackwardData(g: Tensor, y: Tensor, dim: number): Tensor {
  const r = noGrad(() => y.mul(g.sub(g.mul(y).sum(dim, true))));
  return record("SoftmaxBackwardDataBackward0", [g, y], r, (gg, s, needs) => {
    const go = s(0), ys = s(1);
    return [
      needs(0) ? softmaxBackwardData(gg, ys, dim) : null,
      needs(1) ? go.mul(gg).sub(ys.mul(go).sum(dim, true).mul(gg)).sub(go.mul(ys.mul(gg).sum(dim, true))) : null,
    ];
  }, [g, y]);
}

/**
 * log_softmax's backward g - exp(y) * sum(g) as PyTorch's _log_softmax_backward_data
 * (LogSoftmaxBackwardDataBackward0): d/dg is gg - sum(gg * exp(y)), d/dy is -sum(g) * exp(y) * gg.
 */
export function logSoftmaxBackwardData(g: Tensor, y: Tensor, dim: number): Tensor {
  const r = noGrad(() => g.sub(y.exp().mul(g.sum(dim, true))));
  return record("LogSoftmaxBackwardDataBackward0", [g, y], r, (gg, s, needs) => {
    const go = s(0), ys = s(1);
    return [
      needs(0) ? gg.sub(gg.mul(ys.exp()).sum(dim, true)) : null,
      needs(1) ? go.sum(dim, true).neg().mul(ys.exp()).mul(gg) : null,
    ];
  }, [g, y]);
}
