/**
 * `torch.random` and the CPU samplers: a PyTorch-compatible mt19937 generator and
 * distributions that reproduce PyTorch 1.13's CPU random streams bit for bit.
 */
export {
  Generator,
  DEFAULT_RNG_SEED,
  CPU_GENERATOR_STATE_SIZE,
  defaultGenerator,
  manualSeed,
  seed,
  initialSeed,
  getRngState,
  setRngState,
  toSeed,
} from "./generator.js";
export {
  type FloatDType,
  type FloatArrayOf,
  type CpuCapability,
  setCpuCapability,
  getCpuCapability,
  uniform,
  fillUniform,
  normal,
  fillNormal,
  normalScalar,
  normalTensorParams,
  randint,
  randperm,
  randomInt64,
  randomBits,
  bernoulli,
  bernoulliTensor,
  exponential,
  fillExponential,
  cppDouble,
} from "./distributions.js";
export { multinomial, topkIndices, type MultinomialOptions } from "./multinomial.js";
export { MT19937 } from "./mt19937.js";
