// `torch.nn.utils`: each submodule as PyTorch's (nn.utils.rnn, ...).
export * as rnn from "./rnn.js";
export { clipGradNorm_, clipGradNorm, clipGradValue_ } from "./clip_grad.js";
export { parametersToVector, vectorToParameters } from "./convert_parameters.js";
export { weightNorm, removeWeightNorm, weight_norm, remove_weight_norm } from "./weight_norm.js";
export { spectralNorm, removeSpectralNorm, spectral_norm, remove_spectral_norm } from "./spectral_norm.js";
export * as prune from "./prune.js";
export * as parametrize from "./parametrize.js";
