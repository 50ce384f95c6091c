/**
 * `torch.utils`. NOTE: the IDX reader (src/utils/idx.ts) is deliberately not exported here: it
 * needs node:fs and node:zlib, and this namespace is part of the browser-safe core. Examples
 * import it directly.
 */
export * as data from "./data/index.js";
// What users see (browser-safe too; only the save(path) methods need Node):
/** torchinfo's summary(model, inputSize): the layers, output shapes, parameter counts and sizes. */
export { summary, ModelStatistics, LayerInfo, clearCachedForwardPass } from "./summary.js";
export type { SummaryOptions, ColumnName, RowSetting } from "./summary.js";
/** tqdm's progress bar around an iterable or a DataLoader; trange(n). */
export { tqdm, trange, Tqdm } from "./tqdm.js";
export type { TqdmOptions, TqdmFile } from "./tqdm.js";
/** torchviz's make_dot: the autograd graph as DOT text and SVG. */
export { makeDot, Digraph } from "./make_dot.js";
export type { MakeDotOptions } from "./make_dot.js";
/** Loss curves and scatter-plus-fit plots as SVG (matplotlib's axes). */
export * as plot from "./plot.js";
