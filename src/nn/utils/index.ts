// `torch.nn.utils`: each submodule as PyTorch's (nn.utils.rnn, ...).
export * as rnn from "./rnn.js";
export { clipGradNorm_, clipGradNorm, clipGradValue_ } from "./clip_grad.js";
export { parametersToVector, vectorToParameters } from "./convert_parameters.js";
