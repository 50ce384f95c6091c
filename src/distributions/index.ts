/**
 * `torch.distributions`: probability distributions with PyTorch 1.13's parameterizations, argument
 * validation (on by default, with PyTorch's ValueError words), samples that are PyTorch's draws under
 * `torch.manualSeed` (Normal, Uniform, Bernoulli, Categorical, MultivariateNormal, Exponential,
 * Laplace through the same random kernels; Gamma, Beta and Dirichlet through the same rejection
 * sampler, see special.ts), reparameterized samples where PyTorch has them, and `kl.klDivergence`.
 */
export { Distribution } from "./distribution.js";
export type { SampleShape } from "./distribution.js";
export { Normal, Uniform, Exponential, Laplace } from "./normal.js";
export { Bernoulli, Categorical, OneHotCategorical } from "./categorical.js";
export type { ProbsOrLogits } from "./categorical.js";
export { MultivariateNormal, Independent } from "./multivariate_normal.js";
export type { MultivariateNormalOptions } from "./multivariate_normal.js";
export { Gamma, Dirichlet, Beta } from "./gamma.js";
export { constraints, Constraint } from "./constraints.js";
export * as kl from "./kl.js";
export { klDivergence, registerKl } from "./kl.js";
