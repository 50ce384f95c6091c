// torch.nn.utils.parameters_to_vector and vector_to_parameters (torch/nn/utils/convert_parameters.py).
import { Tensor } from "../../tensor/tensor.js";
import { cat } from "../../ops/views.js";
import { TorchTypeError } from "../../errors.js";

/**
 * torch.nn.utils.parameters_to_vector(parameters): the parameters flattened and concatenated into
 * one vector (differentiable: each parameter enters through a view).
 * @example
 * const model = new nn.Linear(3, 2);
 * const vec = torch.nn.utils.parametersToVector(model.parameters()); // shape [8]
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const vec: Tensor[] = [];
  for (const param of parameters) vec.push(param.view(-1));
  return cat(vec);
}

/**
 * torch.nn.utils.vector_to_parameters(vec, parameters): slices vec, in order, into the parameters'
 * shapes and makes each slice the parameter's data (`param.data = ...`: no graph is recorded).
 * @example
 * const model = new nn.Linear(3, 2); // 6 weights and 2 biases
 * const vec = torch.zeros(8);
 * torch.nn.utils.vectorToParameters(vec, model.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TorchTypeError(`expected torch.Tensor, but got: ${typeNameOf(vec)}`);
  let pointer = 0;
  for (const param of parameters) {
    const numParam = param.numel();
    param.data = vec.index({ start: pointer, stop: pointer + numParam }).viewAs(param).data;
    pointer += numParam;
  }
}

/** torch.typename of a non-tensor JS value (Python's builtin names). */
function typeNameOf(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "list";
  return (v as object).constructor?.name ?? "object";
}
