/**
 * `typetorch/node`: the Node-only edge of typetorch's data loading (files on disk, PNG/JPEG
 * decoding through pngjs and jpeg-js). The core (`typetorch`) stays browser-safe; this entry
 * imports it, so `torch` and these share one Tensor class.
 * @example
 * import * as torch from "typetorch";
 * import { MNIST } from "typetorch/node";
 * const { transforms } = torch.utils.data;
 * const train = new MNIST("data", { transform: new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]) });
 * for (const [x, y] of new torch.utils.data.DataLoader(train, { batchSize: 64, shuffle: true })) console.log(x.shape, y.shape);
 */
import { readFileSync } from "node:fs";
import { ValueError, utils } from "../index.js";
import type { CSVOptions } from "../utils/data/csv.js";

export { decodeImage, readImage } from "./image.js";
export { ImageFolder } from "./image_folder.js";
export type { ImageFolderOptions } from "./image_folder.js";
export { MNIST, FashionMNIST, KMNIST, CIFAR10, readIdxBytes } from "./vision_datasets.js";
export type { VisionDatasetOptions } from "./vision_datasets.js";

/**
 * Reads a CSV file into a {@link utils.data.CSVDataset} (UTF-8).
 * @example
 * import { readCSV } from "typetorch/node";
 * const ds = readCSV("iris.csv", { target: "species", converters: { species: (s) => ["setosa", "versicolor", "virginica"].indexOf(s) } });
 */
export function readCSV(path: string, options: CSVOptions = {}): InstanceType<typeof utils.data.CSVDataset> {
  const text = readFileSync(path, "utf8");
  try {
    return new utils.data.CSVDataset(text, options);
  } catch (e) {
    // the line numbers of a malformed row name the file too
    if (e instanceof ValueError) throw new ValueError(`${path}: ${e.message}`);
    throw e;
  }
}
