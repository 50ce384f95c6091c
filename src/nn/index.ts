// The `torch.nn` namespace: Module, Parameter, layers, losses, init and functional.
import "../backend/cpu/index.js"; // the reference backend, as src/index.ts registers it
export { Module } from "./module.js";
export type { ForwardHook, ForwardPreHook, RemovableHandle, StateDict, IncompatibleKeys } from "./module.js";
export { Parameter } from "./parameter.js";
export * as init from "./init.js";
export * as functional from "./functional.js";
export * as F from "./functional.js";
export { Identity, Linear } from "./modules/linear.js";
export { ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax } from "./modules/activation.js";
export { Flatten, Dropout, Embedding, LayerNorm, BatchNorm1d, BatchNorm2d } from "./modules/misc.js";
export { Sequential, ModuleList, ModuleDict } from "./modules/container.js";
export { MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, NLLLoss, CrossEntropyLoss, KLDivLoss } from "./modules/loss.js";
export { Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./modules/conv.js";
export type { ConvModuleOptions } from "./modules/conv.js";
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from "./modules/rnn.js";
export type { RNNMode, RNNBaseOptions, RNNOptions, LSTMOptions, GRUOptions, RNNCellOptions } from "./modules/rnn.js";
export * as utils from "./utils/index.js";
export type { Reduction, ConvOptions, MaxPoolOptions, AvgPoolOptions } from "./functional.js";
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from "./modules/attention.js";
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from "./modules/attention.js";
export { TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer } from "./modules/transformer.js";
export type {
  TransformerActivation, TransformerLayerOptions, TransformerOptions, TransformerForwardOptions,
  TransformerEncoderLayerForwardOptions, TransformerEncoderForwardOptions, TransformerDecoderLayerForwardOptions,
} from "./modules/transformer.js";
export type { MultiHeadAttentionForwardOptions, ScaledDotProductAttentionOptions } from "./attention_functional.js";
export { GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, BatchNorm3d, LocalResponseNorm } from "./modules/norm_extra.js";
export {
  PReLU, Hardtanh, ReLU6, Hardswish, Hardsigmoid, Mish, Softsign, Tanhshrink, Softshrink, Hardshrink, Threshold, GLU,
  LogSigmoid, Softmin, Softmax2d, CELU, SELU, RReLU,
} from "./modules/activation_extra.js";
export {
  Unflatten, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, EmbeddingBag, Bilinear, CosineSimilarity, PairwiseDistance,
} from "./modules/extra.js";
export type { EmbeddingBagModuleOptions } from "./modules/extra.js";
export {
  MarginRankingLoss, HingeEmbeddingLoss, CosineEmbeddingLoss, TripletMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
  MultiLabelMarginLoss, SoftMarginLoss, PoissonNLLLoss, GaussianNLLLoss, CTCLoss,
} from "./modules/loss_extra.js";
export {
  ConvTranspose1d, ConvTranspose2d, Conv3d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, MaxUnpool2d,
  Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle, PixelUnshuffle, Unfold, Fold,
  ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
  ReplicationPad1d, ReplicationPad2d, ReplicationPad3d,
} from "./modules/conv_extra.js";
export type { ConvTransposeModuleOptions, UpsampleOptions } from "./modules/conv_extra.js";
export type { ConvTransposeOptions, Conv3dOptions, MaxPool1dOptions, MaxPool2dWithIndicesOptions, AvgPool1dOptions, MaxUnpool2dOptions, InterpolateMode, InterpolateOptions, PadMode, UnfoldOptions } from "./functional.js";
export { MaxPool3d, AvgPool3d } from "./modules/pool3d.js";
export type { MaxPool3dOptions, AvgPool3dOptions } from "./pool3d.js";
export type { GridSampleMode, GridSamplePaddingMode, GridSampleOptions } from "./grid_sample.js";
