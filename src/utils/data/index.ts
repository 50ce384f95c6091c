/** `torch.utils.data`: datasets, samplers, collation and the DataLoader that joins them. */
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, randomSplit, AssertionError } from "./dataset.js";
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler.js";
export type { Sized, RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
export { defaultCollate, defaultConvert } from "./collate.js";
export type { Collated } from "./collate.js";
export { DataLoader } from "./dataloader.js";
export type { DataLoaderOptions, MapDataset } from "./dataloader.js";
