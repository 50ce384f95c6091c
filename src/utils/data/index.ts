/** `torch.utils.data`: datasets, samplers, collation and the DataLoader that joins them. */
export { Dataset, IterableDataset, AsyncIterableDataset, TensorDataset, Subset, ConcatDataset, randomSplit, AssertionError } from "./dataset.js";
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler.js";
export type { Sized, RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
export { defaultCollate, defaultConvert } from "./collate.js";
export type { Collated } from "./collate.js";
export { DataLoader } from "./dataloader.js";
export type { DataLoaderOptions, MapDataset } from "./dataloader.js";
export { CSVDataset, parseCSV, parseFloatStrict } from "./csv.js";
export type { CSVOptions, CSVRecord, ColumnRef } from "./csv.js";
export { rawImage, isRawImage, convertImage, channelsOf, decodeImage } from "./image.js";
export type { RawImage, ImageMode, EncodedImage } from "./image.js";
export { ImageFolder, IMG_EXTENSIONS, findClasses, makeDataset, hasFileAllowedExtension } from "./folder.js";
export type { ImageFile, ImageFolderOptions, SampleRules } from "./folder.js";
/** torchvision.transforms (ToTensor, Normalize, Compose, RandomCrop, ...), as `torch.utils.data.transforms`. */
export * as transforms from "./transforms.js";
