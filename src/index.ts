// The `torch` namespace: `import * as torch from "typetorch"`.
import "./backend/cpu/index.js";
import "./backend/wasm/index.js";
import { numericsFromEnvironment } from "./backend/numerics.js";
numericsFromEnvironment();
export { Tensor } from "./tensor/tensor.js";
export type { NestedArray } from "./tensor/tensor.js";
export { DType, float32, float64, int64, int32, bool, getDefaultDtype, setDefaultDtype, promoteTypes, canCast } from "./tensor/dtype.js";
export { float32 as float, float64 as double, int64 as long, int32 as int } from "./tensor/dtype.js";
export { float16, bfloat16, uint8, int8, int16, float16 as half, int16 as short } from "./tensor/dtype.js";
export { finfo, iinfo, type FInfo, type IInfo } from "./tensor/finfo.js";
export { setPrintOptions, getPrintOptions } from "./tensor/format.js";
export { Device, device } from "./tensor/device.js";
export type { DeviceLike } from "./tensor/device.js";
export { noGrad, enableGrad, setGradEnabled, isGradEnabled, withGradEnabled } from "./autograd/grad_mode.js";
export { Node } from "./autograd/graph.js";
export * as autograd from "./autograd/index.js";
export { isAnomalyEnabled, isAnomalyCheckNanEnabled } from "./autograd/anomaly_mode.js";
export { AssertionError, RuntimeError, IndexError, ValueError, TorchTypeError, KeyError, NotImplementedError, FileNotFoundError, OverflowError } from "./errors.js";
export {
  tensor, asTensor, zeros, ones, empty, full, zerosLike, onesLike, emptyLike, fullLike, arange, linspace, eye,
  rand, randn, randint, randperm, normal,
} from "./ops/creation.js";
export type { TensorOptions, RandomOptions } from "./ops/creation.js";
export { Generator, manualSeed, seed, initialSeed, defaultGenerator } from "./random/index.js";
export * from "./functional.js";
export {
  fliplr, flipud, roll, rot90, tril, triu, tile, repeatInterleave, diag, diagEmbed, trace, meshgrid, cross, cdist, isclose,
  nanToNum,
} from "./ops/manipulation.js";
export { baddbmm, addmv, addbmm } from "./ops/scaled_matmul.js";
export type { MeshgridOptions, CdistComputeMode } from "./ops/manipulation.js";
export { einsum } from "./ops/einsum.js";
export type { Sublist } from "./ops/einsum.js";
export { setNumThreads, getNumThreads } from "./threads.js";
export { sliceSpec as slice } from "./ops/indexing.js";
export type { IndexSpec, Slice } from "./ops/indexing.js";
export { registerBackend, setBackend, getBackend, listBackends } from "./backend/backend.js";
export { useExactNumerics, areExactNumericsEnabled } from "./backend/numerics.js";
export type { Backend } from "./backend/backend.js";

import { Size } from "./tensor/size.js";
export { Size };
export * as utils from "./utils/index.js";
export * as optim from "./optim/index.js";
export * as nn from "./nn/index.js";
export { save, load } from "./serialization/index.js";
export * as serialization from "./serialization/index.js";
export * as safetensors from "./safetensors/index.js";
export * as linalg from "./linalg/index.js";
export { cuda, backends } from "./cuda.js";
export * as distributions from "./distributions/index.js";
