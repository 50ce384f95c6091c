// torchinfo's `summary(model, input_size)`: a table of a model's layers (output shapes, parameter
// counts, mult-adds) from one forward pass with hooks on every module, in torchinfo 1.8's layout.
// The names follow torchinfo (torchinfo.py, layer_info.py, model_statistics.py, formatting.py),
// spelled camelCase; the column and row setting names are torchinfo's strings ("output_size").
import { Module, type RemovableHandle } from "../nn/module.js";
import { Tensor } from "../tensor/tensor.js";
import { float32, type DType } from "../tensor/dtype.js";
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { noGrad } from "../autograd/grad_mode.js";
import { rand } from "../ops/creation.js";
import { formatFixed } from "../tensor/format.js";
import { RuntimeError, TorchTypeError, ValueError } from "../errors.js";

/** torchinfo's ColumnSettings values. */
export type ColumnName = "kernel_size" | "input_size" | "output_size" | "num_params" | "params_percent" | "mult_adds" | "trainable";
/** torchinfo's RowSettings values. */
export type RowSetting = "depth" | "var_names" | "ascii_only" | "hide_recursive_layers";

const COLUMNS: readonly ColumnName[] = ["kernel_size", "input_size", "output_size", "num_params", "params_percent", "mult_adds", "trainable"];
const ROWS: readonly RowSetting[] = ["depth", "var_names", "ascii_only", "hide_recursive_layers"];
const ENUM_KEYS: Record<ColumnName, string> = {
  kernel_size: "KERNEL_SIZE", input_size: "INPUT_SIZE", output_size: "OUTPUT_SIZE", num_params: "NUM_PARAMS",
  params_percent: "PARAMS_PERCENT", mult_adds: "MULT_ADDS", trainable: "TRAINABLE",
};
const HEADER_TITLES: Record<ColumnName, string> = {
  kernel_size: "Kernel Shape", input_size: "Input Shape", output_size: "Output Shape", num_params: "Param #",
  params_percent: "Param %", mult_adds: "Mult-Adds", trainable: "Trainable",
};
const REQUIRES_INPUT: readonly ColumnName[] = ["input_size", "output_size", "mult_adds"];
const DEFAULT_COLUMNS: readonly ColumnName[] = ["output_size", "num_params"];

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/** A shape as torchinfo records it: a list of ints (a dict's batch_dim case nests one level). */
export type SizeList = (number | SizeList)[];

export interface SummaryOptions {
  /** Shape(s) of the input: `[128, 784]` for one input, `[[2, 3], [2, 5]]` for several (torchinfo's input_size). */
  inputSize?: number[] | number[][];
  /** The forward pass's arguments: a tensor, or an array of arguments (torchinfo's input_data). */
  inputData?: Tensor | unknown[];
  /** Insert a batch dimension of size 1 at this index of each input (torchinfo's batch_dim). */
  batchDim?: number | null;
  /** Reuse the forward pass recorded for a model of the same class name. */
  cacheForwardPass?: boolean;
  /** Columns: "input_size", "output_size", "num_params", "params_percent", "kernel_size", "mult_adds", "trainable". */
  colNames?: Iterable<ColumnName | string>;
  /** Width of each column (default 25). */
  colWidth?: number;
  /** Nested layers below this depth are not shown (default 3). */
  depth?: number;
  /** Only "cpu" exists in typetorch; checked and otherwise ignored. */
  device?: DeviceLike | null;
  /** The dtype of each input made from inputSize (default float32). */
  dtypes?: DType[];
  /** "train" or "eval" (default): the mode the forward pass runs in. */
  mode?: "train" | "eval" | string;
  /** Rows: "depth" (default), "var_names", "ascii_only", "hide_recursive_layers". */
  rowSettings?: Iterable<RowSetting | string>;
  /** 0: print nothing; 1 (default): print the table; 2: also each layer's weights. */
  verbose?: 0 | 1 | 2 | number;
}

/** Python's `f"{n:,}"` for an integer. */
function commas(n: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
/** Python's `f"{x:,.2f}"`. */
function commasFixed(x: number, digits: number): string {
  const s = formatFixed(x, digits);
  const [int, frac] = s.split(".");
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? "." + frac : "");
}
/** Python's repr of a (nested) list of ints. */
function pyList(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(pyList).join(", ")}]` : String(v);
}
function prod(v: readonly unknown[]): number {
  let r = 1;
  for (const x of v) r *= Array.isArray(x) ? prod(x) : (x as number);
  return r;
}
/** Python's str(value) if value else "--". */
function strOr(v: unknown): string {
  if (v === null || v === undefined || v === 0 || v === "" || v === false || (Array.isArray(v) && v.length === 0)) return "--";
  return Array.isArray(v) ? pyList(v) : String(v);
}
function className(m: Module): string {
  return m.constructor.name;
}
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && (v instanceof Map || Object.getPrototypeOf(v) === Object.prototype);
}
function dictValues(v: Map<unknown, unknown> | Record<string, unknown>): unknown[] {
  return v instanceof Map ? [...v.values()] : Object.values(v);
}

/** torchinfo's nested_list_size: the shape and element size of the first tensor found. */
function nestedListSize(inputs: unknown): [SizeList, number] {
  if (inputs instanceof Tensor) return [inputs.shape, inputs.elementSize()];
  if (isPlainObject(inputs)) {
    const vals = dictValues(inputs);
    return vals.length ? nestedListSize(vals) : [[], 0];
  }
  if (Array.isArray(inputs) && inputs.length) return nestedListSize(inputs[0]);
  return [[], 0];
}

/** What torchinfo knows about one module call (torchinfo's LayerInfo). */
export class LayerInfo {
  readonly module: Module;
  readonly className: string;
  /** verbose=2's rows for the module's own parameters: name -> column -> text */
  innerLayers = new Map<string, Partial<Record<ColumnName, string>>>();
  depthIndex: number | null = null;
  children: LayerInfo[] = [];
  executed = false;
  readonly isLeafLayer: boolean;
  isRecursive = false;
  inputSize: SizeList = [];
  outputSize: SizeList = [];
  readonly kernelSize: number | number[] | null;
  trainableParams = 0;
  numParams = 0;
  paramBytes = 0;
  outputBytes = 0;
  macs = 0;

  constructor(
    readonly varName: string,
    module: Module,
    readonly depth: number,
    readonly parentInfo: LayerInfo | null = null,
  ) {
    this.module = module;
    this.className = className(module);
    this.isLeafLayer = module.children().length === 0;
    const k = (module as unknown as { kernelSize?: unknown }).kernelSize;
    this.kernelSize = k === undefined || k === null ? null : Array.isArray(k) ? [...(k as number[])] : (k as number);
  }

  /** The module itself identifies the layer (torchinfo's layer_id = id(module)). */
  get layerId(): Module {
    return this.module;
  }

  toString(): string {
    return `${this.className}: ${this.depth}`;
  }

  /** "True", "False", "Partial", or "--" for a layer without parameters. */
  get trainable(): string {
    if (this.numParams === 0) return "--";
    if (this.trainableParams === 0) return "False";
    if (this.numParams === this.trainableParams) return "True";
    if (this.numParams > this.trainableParams) return "Partial";
    throw new RuntimeError("Unreachable trainable calculation.");
  }

  /** The corrected shape of a module's inputs or outputs and the size of one element in bytes. */
  static calculateSize(inputs: unknown, batchDim: number | null): [SizeList, number] {
    let size: SizeList;
    let elemBytes: number;
    if (inputs === null || inputs === undefined) return [[], 0];
    if (Array.isArray(inputs) && inputs.length && inputs[0] instanceof Tensor) {
      const t = inputs[0] as Tensor;
      size = t.shape;
      elemBytes = t.elementSize();
      if (batchDim !== null) size = [...size.slice(0, batchDim), 1, ...size.slice(batchDim + 1)];
    } else if (isPlainObject(inputs)) {
      const vals = dictValues(inputs);
      [size, elemBytes] = nestedListSize(vals[vals.length - 1]);
      if (batchDim !== null) size = [[...size.slice(0, batchDim), 1, ...size.slice(batchDim + 1)]];
    } else if (inputs instanceof Tensor) {
      size = inputs.shape;
      elemBytes = inputs.elementSize();
    } else if (Array.isArray(inputs)) {
      [size, elemBytes] = nestedListSize(inputs);
      if (batchDim !== null && batchDim < size.length) size[batchDim] = 1;
    } else {
      throw new TorchTypeError(`Model contains a layer with an unsupported input or output type: ${String(inputs)}, type: ${typeof inputs}`);
    }
    return [size, elemBytes];
  }

  /** The number of parameters, counting only the kept ones of a pruned weight (`name_orig` with a `name_mask` buffer). */
  static getParamCount(module: Module, name: string, param: Tensor): [number, string] {
    if (name.endsWith("_orig")) {
      const withoutSuffix = name.slice(0, -5);
      const mask = rgetattr(module, `${withoutSuffix}_mask`);
      if (mask !== null) return [Math.trunc(mask.sum().item()), withoutSuffix];
    }
    return [param.numel(), name];
  }

  getLayerName(showVarName: boolean, showDepth: boolean): string {
    let name = this.className;
    if (showVarName && this.varName) name += ` (${this.varName})`;
    if (showDepth && this.depth > 0) {
      name += `: ${this.depth}`;
      if (this.depthIndex !== null) name += `-${this.depthIndex}`;
    }
    return name;
  }

  /** Sets numParams, trainableParams, paramBytes and innerLayers from the module's parameters. */
  calculateNumParams(): void {
    this.numParams = 0;
    this.paramBytes = 0;
    this.trainableParams = 0;
    this.innerLayers = new Map();
    let finalName = "";
    for (const [pname, param] of this.module.namedParameters()) {
      const [cur, name] = LayerInfo.getParamCount(this.module, pname, param);
      this.paramBytes += param.elementSize() * cur;
      this.numParams += cur;
      if (param.requiresGrad) this.trainableParams += cur;
      const ksize = param.shape;
      // NOTE: torchinfo shows a weight as [in, out, ...] (it swaps the first two dims)
      if (name === "weight" && ksize.length > 1) [ksize[0], ksize[1]] = [ksize[1]!, ksize[0]!];
      if (this.parentInfo !== null || !name.includes(".")) {
        this.innerLayers.set(name, { kernel_size: pyList(ksize), num_params: `├─${commas(cur)}` });
        finalName = name;
      }
    }
    if (this.innerLayers.size) {
      const last = this.innerLayers.get(finalName)!;
      last.num_params = `└─${last.num_params!.slice(2)}`;
    }
  }

  /** Adds this call's multiply-accumulates (for the whole batch) to macs. */
  calculateMacs(): void {
    for (const [pname, param] of this.module.namedParameters()) {
      const [cur, name] = LayerInfo.getParamCount(this.module, pname, param);
      if (name === "weight" || name === "bias") {
        // NOTE: as torchinfo, a convolution's count ignores the channel dim of its output
        if (this.className.includes("Conv")) this.macs += Math.trunc(cur * prod([...this.outputSize.slice(0, 1), ...this.outputSize.slice(2)]));
        else this.macs += (this.outputSize[0] as number) * cur;
      } else if (name.includes("weight") || name.includes("bias")) {
        // RNN weights such as weight_ih_l0
        this.macs += prod(this.outputSize.slice(0, 2)) * cur;
      }
    }
  }

  checkRecursive(layerIds: Set<Module>): void {
    if (layerIds.has(this.layerId)) this.isRecursive = true;
  }

  macsToStr(reachedMaxDepth: boolean): string {
    if (this.macs <= 0) return "--";
    if (this.isLeafLayer) return commas(this.macs);
    if (reachedMaxDepth) return commas(this.children.filter((c) => c.isLeafLayer).reduce((s, c) => s + c.macs, 0));
    return "--";
  }

  numParamsToStr(reachedMaxDepth: boolean): string {
    if (this.numParams === 0) return "--";
    if (this.isRecursive) return "(recursive)";
    if (reachedMaxDepth || this.isLeafLayer) {
      const s = commas(this.numParams);
      return this.trainableParams ? s : `(${s})`;
    }
    const left = this.leftoverParams();
    return left > 0 ? commas(left) : "--";
  }

  paramsPercent(totalParams: number, reachedMaxDepth: boolean, precision = 2): string {
    const spacing = 5;
    const zero = `${" ".repeat(spacing)}--`;
    if (totalParams === 0) return zero;
    if (this.isRecursive) return "(recursive)";
    const params = reachedMaxDepth || this.isLeafLayer ? this.numParams : this.leftoverParams();
    if (params === 0) return zero;
    return (formatFixed((params / totalParams) * 100, precision) + "%").padStart(precision + spacing);
  }

  /** Parameters of this layer not counted in its children. */
  leftoverParams(): number {
    return this.numParams - this.children.filter((c) => !c.isRecursive).reduce((s, c) => s + (c.isLeafLayer ? c.numParams : c.leftoverParams()), 0);
  }
  leftoverTrainableParams(): number {
    return (
      this.trainableParams -
      this.children.filter((c) => !c.isRecursive).reduce((s, c) => s + (c.isLeafLayer ? c.trainableParams : c.leftoverTrainableParams()), 0)
    );
  }
}

function rgetattr(module: Module, attr: string): Tensor | null {
  let cur: unknown = module;
  for (const a of attr.split(".")) {
    if (cur === null || cur === undefined || !(a in (cur as object))) return null;
    cur = (cur as Record<string, unknown>)[a];
  }
  return cur instanceof Tensor ? cur : null;
}

/** How the table is laid out (torchinfo's FormattingOptions). */
export class FormattingOptions {
  layerNameWidth = 40;
  readonly asciiOnly: boolean;
  readonly showVarName: boolean;
  readonly showDepth: boolean;
  readonly hideRecursiveLayers: boolean;
  constructor(
    readonly maxDepth: number,
    readonly verbose: number,
    readonly colNames: readonly ColumnName[],
    readonly colWidth: number,
    readonly rowSettings: ReadonlySet<RowSetting>,
  ) {
    this.asciiOnly = rowSettings.has("ascii_only");
    this.showVarName = rowSettings.has("var_names");
    this.showDepth = rowSettings.has("depth");
    this.hideRecursiveLayers = rowSettings.has("hide_recursive_layers");
  }
  getStartStr(depth: number): string {
    if (depth === 0) return "";
    if (depth === 1) return this.asciiOnly ? "+ " : "├─";
    return (this.asciiOnly ? "|    " : "│    ").repeat(depth - 1) + (this.asciiOnly ? "+ " : "└─");
  }
  /** The widest layer name (with its indent), rounded up to a multiple of alignVal, if over 40. */
  setLayerNameWidth(summaryList: readonly LayerInfo[], alignVal = 5): void {
    let maxLength = 0;
    for (const info of summaryList) {
      const title = info.getLayerName(this.showVarName, this.showDepth);
      maxLength = Math.max(maxLength, title.length + info.depth * alignVal + 1);
    }
    if (maxLength >= this.layerNameWidth) this.layerNameWidth = Math.ceil(maxLength / alignVal) * alignVal;
  }
  getTotalWidth(): number {
    return this.colNames.length * this.colWidth + this.layerNameWidth;
  }
  formatRow(layerName: string, rowValues: Partial<Record<ColumnName, string>>): string {
    let line = layerName.padEnd(this.layerNameWidth) + " ";
    for (const c of this.colNames) line += (rowValues[c] ?? "").padEnd(this.colWidth) + " ";
    return line.trimEnd() + "\n";
  }
  headerRow(): string {
    let h = "";
    if (this.showVarName) h += " (var_name)";
    if (this.showDepth) h += ":depth-idx";
    return this.formatRow(`Layer (type${h})`, HEADER_TITLES);
  }
  layerInfoToRow(info: LayerInfo, reachedMaxDepth: boolean, totalParams: number): string {
    const values: Record<ColumnName, string> = {
      kernel_size: strOr(info.kernelSize),
      input_size: strOr(info.inputSize),
      output_size: strOr(info.outputSize),
      num_params: info.numParamsToStr(reachedMaxDepth),
      params_percent: info.paramsPercent(totalParams, reachedMaxDepth),
      mult_adds: info.macsToStr(reachedMaxDepth),
      trainable: strOr(info.trainable),
    };
    let line = this.formatRow(this.getStartStr(info.depth) + info.getLayerName(this.showVarName, this.showDepth), values);
    if (this.verbose === 2) {
      for (const [name, inner] of info.innerLayers) line += this.formatRow(this.getStartStr(info.depth + 1) + name, inner);
    }
    return line;
  }
  layersToStr(summaryList: readonly LayerInfo[], totalParams: number): string {
    let s = "";
    for (const info of summaryList) {
      if (info.depth > this.maxDepth || (this.hideRecursiveLayers && info.isRecursive)) continue;
      s += this.layerInfoToRow(info, info.depth === this.maxDepth, totalParams);
    }
    return s;
  }
}

type Units = "auto" | "M" | "G" | "T" | "";
const CONVERSION: Record<Exclude<Units, "auto">, number> = { T: 1e12, G: 1e9, M: 1e6, "": 1 };

/**
 * What `summary` returns (torchinfo's ModelStatistics): the counts as fields, the table as
 * `toString()` (so `console.log(stats)` prints the table).
 */
export class ModelStatistics {
  totalMultAdds = 0;
  totalParams = 0;
  trainableParams = 0;
  totalParamBytes = 0;
  totalOutputBytes = 0;
  constructor(
    readonly summaryList: LayerInfo[],
    /** The input shapes (empty when no forward pass ran). */
    readonly inputSize: SizeList[],
    /** Bytes of the input tensors, as Python's sys.getsizeof of their storages. */
    readonly totalInput: number,
    readonly formatting: FormattingOptions,
  ) {
    for (const info of summaryList) {
      if (info.isLeafLayer) {
        this.totalMultAdds += info.macs;
        // x2 for gradients
        if (info.numParams > 0) this.totalOutputBytes += info.outputBytes * 2;
        if (info.isRecursive) continue;
        this.totalParams += Math.max(info.numParams, 0);
        this.totalParamBytes += info.paramBytes;
        this.trainableParams += Math.max(info.trainableParams, 0);
      } else {
        if (info.isRecursive) continue;
        this.totalParams += Math.max(info.leftoverParams(), 0);
        this.trainableParams += Math.max(info.leftoverTrainableParams(), 0);
      }
    }
    formatting.setLayerNameWidth(summaryList);
  }

  get nonTrainableParams(): number {
    return this.totalParams - this.trainableParams;
  }

  static toReadable(num: number, units: Units = "auto"): [Units, number] {
    if (units === "auto") {
      if (num >= 1e12) return ["T", num / 1e12];
      if (num >= 1e9) return ["G", num / 1e9];
      return ["M", num / 1e6];
    }
    return [units, num / CONVERSION[units]];
  }
  static formatOutputNum(num: number, units: Units): string {
    const [used, converted] = ModelStatistics.toReadable(num, units);
    const display = used === "" ? "" : ` (${used})`;
    return `${display}: ${Number.isInteger(converted) ? commas(converted) : commasFixed(converted, 2)}`;
  }

  toString(): string {
    const f = this.formatting;
    const divider = "=".repeat(f.getTotalWidth());
    let s =
      `${divider}\n${f.headerRow()}${divider}\n${f.layersToStr(this.summaryList, this.totalParams)}${divider}\n` +
      `Total params${ModelStatistics.formatOutputNum(this.totalParams, "")}\n` +
      `Trainable params${ModelStatistics.formatOutputNum(this.trainableParams, "")}\n` +
      `Non-trainable params${ModelStatistics.formatOutputNum(this.totalParams - this.trainableParams, "")}\n`;
    if (this.inputSize.length) {
      const mb = (n: number) => formatFixed(n / 1e6, 2);
      s +=
        `Total mult-adds${ModelStatistics.formatOutputNum(this.totalMultAdds, "auto")}\n${divider}\n` +
        `Input size (MB): ${mb(this.totalInput)}\n` +
        `Forward/backward pass size (MB): ${mb(this.totalOutputBytes)}\n` +
        `Params size (MB): ${mb(this.totalParamBytes)}\n` +
        `Estimated Total Size (MB): ${mb(this.totalInput + this.totalOutputBytes + this.totalParamBytes)}\n`;
    }
    return s + divider;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

const cachedForwardPass = new Map<string, LayerInfo[]>();

/** Forgets the forward passes kept by `cacheForwardPass: true` (torchinfo's clear_cached_forward_pass). */
export function clearCachedForwardPass(): void {
  cachedForwardPass.clear();
}

function enumValue<T extends string>(v: string, valid: readonly T[], enumName: string, aliases = true): T {
  const s = aliases ? camelToSnake(v) : v;
  if (!(valid as readonly string[]).includes(s)) throw new ValueError(`'${v}' is not a valid ${enumName}`);
  return s as T;
}

/** torchinfo's get_correct_input_sizes: a list of shapes. */
function correctInputSizes(inputSize: unknown): number[][] {
  if (!Array.isArray(inputSize))
    throw new TorchTypeError(
      "Input_size is not a recognized type. Please ensure input_size is valid.\nFor multiple inputs to the network, ensure input_size is a list of tuple sizes. If you are having trouble here, please submit a GitHub issue.",
    );
  const flat = (inputSize as unknown[]).flat(Infinity) as number[];
  if (!inputSize.length || flat.some((v) => v <= 0)) throw new ValueError("Input_data is invalid, or negative size found in input_data.");
  return typeof inputSize[0] === "number" ? [inputSize as number[]] : (inputSize as number[][]);
}

/** Bytes of the tensors in data, as Python's sys.getsizeof of each tensor's storage. */
function totalMemoryUsed(data: unknown): number {
  if (data instanceof Tensor) {
    // NOTE: PyTorch 1.13's sys.getsizeof(t.storage()) is the storage's bytes plus 56 bytes of
    // Python object; the storage of a view is its base's (taken as the base's elements here).
    const owner = data._base ?? data;
    return owner.numel() * owner.elementSize() + 56;
  }
  if (typeof data === "number") return data;
  if (Array.isArray(data)) return data.reduce((s: number, d) => s + totalMemoryUsed(d), 0);
  if (isPlainObject(data)) return dictValues(data).reduce((s: number, d) => s + totalMemoryUsed(d), 0);
  return 0;
}
function inputDataSizes(data: unknown): SizeList[] {
  if (data instanceof Tensor) return [data.shape];
  if (Array.isArray(data)) return data.map((d) => (d instanceof Tensor ? d.shape : Array.isArray(d) ? (inputDataSizes(d) as SizeList) : [])) as SizeList[];
  return [];
}

/** torchinfo's apply_hooks: a LayerInfo per module call, recorded by hooks on every module. */
function applyHooks(
  modelName: string,
  model: Module,
  inputData: unknown[] | null,
  batchDim: number | null,
): [LayerInfo[], Map<Module, [RemovableHandle, RemovableHandle]>] {
  const summaryList: LayerInfo[] = [];
  const layerIds = new Set<Module>();
  const globalLayerInfo = new Map<Module, LayerInfo>();
  const hooks = new Map<Module, [RemovableHandle, RemovableHandle]>();
  const stack: [string, Module, number, LayerInfo | null][] = [[modelName, model, 0, null]];
  while (stack.length) {
    const [varName, module, depth, parentInfo] = stack.pop()!;
    // the fallback when the layer's pre-hook never runs (a ModuleList's, say)
    globalLayerInfo.set(module, new LayerInfo(varName, module, depth, parentInfo));
    const preHook = () => {
      const info = new LayerInfo(varName, module, depth, parentInfo);
      info.calculateNumParams();
      info.checkRecursive(layerIds);
      summaryList.push(info);
      layerIds.add(info.layerId);
      globalLayerInfo.set(module, info);
    };
    if (inputData === null) preHook();
    else {
      // registered for the last place the module appears in the tree
      const old = hooks.get(module);
      if (old) for (const h of old) h.remove();
      hooks.set(module, [
        module.registerForwardPreHook(() => {
          preHook();
        }),
        module.registerForwardHook((m, inputs, outputs) => {
          const info = globalLayerInfo.get(m)!;
          info.inputSize = LayerInfo.calculateSize(inputs, batchDim)[0];
          const [size, elemBytes] = LayerInfo.calculateSize(outputs, batchDim);
          info.outputSize = size;
          info.outputBytes = elemBytes * prod(size);
          info.executed = true;
          info.calculateMacs();
        }),
      ]);
    }
    const parent = globalLayerInfo.get(module)!;
    const kids = [...module._modules].filter(([, m]) => m !== null) as [string, Module][];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]![0], kids[i]![1], depth + 1, parent]);
  }
  return [summaryList, hooks];
}

function getChildrenLayers(summaryList: readonly LayerInfo[], index: number): LayerInfo[] {
  let n = 0;
  for (const layer of summaryList.slice(index + 1)) {
    if (layer.depth <= summaryList[index]!.depth) break;
    n++;
  }
  return summaryList.slice(index + 1, index + 1 + n);
}
function setChildrenLayers(summaryList: LayerInfo[]): void {
  const idx = new Map<number, number>();
  summaryList.forEach((layer, i) => {
    idx.set(layer.depth, (idx.get(layer.depth) ?? 0) + 1);
    layer.depthIndex = idx.get(layer.depth)!;
    layer.children = getChildrenLayers(summaryList, i);
  });
}
/** Containers whose forward never ran as a module call (a ModuleList's) are put back in the hierarchy. */
function addMissingContainerLayers(summaryList: LayerInfo[]): void {
  const layerIds = new Set(summaryList.map((l) => l.layerId));
  const current = new Map<number, LayerInfo>();
  for (let idx = 0; idx < summaryList.length; idx++) {
    const info = summaryList[idx]!;
    let rel = 0;
    const hierarchy = new Map<number, LayerInfo>();
    let parent = info.parentInfo;
    while (parent !== null && parent.depth > 0) {
      hierarchy.set(parent.depth, parent);
      parent = parent.parentInfo;
    }
    for (let d = 1; d < info.depth; d++) {
      const h = hierarchy.get(d)!;
      if ((!current.has(d) || current.get(d)!.module !== h.module) && h !== summaryList[idx + rel - 1]) {
        h.calculateNumParams();
        h.checkRecursive(layerIds);
        summaryList.splice(idx + rel, 0, h);
        layerIds.add(h.layerId);
        current.set(d, h);
        rel++;
      }
    }
    current.set(info.depth, info);
    for (let d = info.depth + 1; current.has(d); d++) current.delete(d);
    // NOTE: as Python's enumerate over the list being grown, the next index revisits the shifted
    // layer (harmless: it finds its hierarchy in place)
  }
}

/**
 * torchinfo's `summary(model, input_size)`: runs one forward pass (under no_grad, in eval mode
 * unless `mode: "train"`) with hooks on every module and returns the layers, output shapes,
 * parameter counts (trainable and not), mult-adds and a memory estimate. With `verbose` 1 (the
 * default, as in torchinfo) it also prints the table.
 * @example
 * const model = new torch.nn.Sequential(new torch.nn.Linear(784, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
 * const stats = torch.utils.summary(model, { inputSize: [128, 784], verbose: 0 });
 * stats.totalParams; // 203530
 * String(stats); // the table: "Layer (type:depth-idx)   Output Shape   Param #" ... "Total params: 203,530" ...
 */
export function summary(model: Module, inputSizeOrOptions?: number[] | number[][] | SummaryOptions, options: SummaryOptions = {}): ModelStatistics {
  const opts: SummaryOptions = Array.isArray(inputSizeOrOptions) ? { ...options, inputSize: inputSizeOrOptions } : { ...(inputSizeOrOptions ?? {}) };
  if (!(model instanceof Module)) throw new TorchTypeError(`summary() expects an nn.Module, got ${typeof model}`);
  const inputData = opts.inputData ?? null;
  const inputSize = opts.inputSize ?? null;
  const inputSpecified = inputData !== null || inputSize !== null;
  const columns: ColumnName[] =
    opts.colNames === undefined ? [...(inputSpecified ? DEFAULT_COLUMNS : (["num_params"] as ColumnName[]))] : [...opts.colNames].map((c) => enumValue(c, COLUMNS, "ColumnSettings"));
  const rows = new Set<RowSetting>(opts.rowSettings === undefined ? ["depth"] : [...opts.rowSettings].map((r) => enumValue(r, ROWS, "RowSettings")));
  const mode = opts.mode === undefined ? "eval" : enumValue(opts.mode, ["train", "eval"] as const, "Mode", false);
  const verbose = opts.verbose ?? 1;
  const colWidth = opts.colWidth ?? 25;
  const depth = opts.depth ?? 3;
  const batchDim = opts.batchDim ?? null;
  if (opts.device !== undefined && opts.device !== null) checkDevice(opts.device);

  // validate_user_params
  if (colWidth <= 0) throw new ValueError(`Column width must be greater than 0: col_width=${colWidth}`);
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError("Verbose must be either 0 (quiet), 1 (default), or 2 (verbose).");
  if (inputData !== null && inputSize !== null) throw new RuntimeError("Only one of (input_data, input_size) should be specified.");
  const notAllowed = columns.filter((c, i) => REQUIRES_INPUT.includes(c) && columns.indexOf(c) === i);
  if (!inputSpecified && notAllowed.length)
    throw new ValueError(`You must pass input_data or input_size in order to use columns: {${notAllowed.map((c) => `<ColumnSettings.${ENUM_KEYS[c]}: '${c}'>`).join(", ")}}`);

  // process_input
  let x: unknown[] | null = null;
  let correctInputSize: SizeList[] = [];
  if (inputData !== null) {
    correctInputSize = inputDataSizes(inputData);
    x = inputData instanceof Tensor ? [inputData] : [...inputData];
  }
  if (inputSize !== null) {
    const sizes = correctInputSizes(inputSize);
    const dtypes = opts.dtypes ?? sizes.map(() => float32);
    correctInputSize = sizes;
    // NOTE: torch.rand, as torchinfo: it draws from the global generator as PyTorch does
    x = sizes.map((size, i) => {
      let t = rand(...size);
      if (batchDim !== null) t = t.unsqueeze(batchDim);
      return t.to(dtypes[i] ?? float32);
    });
  }

  // forward_pass
  const modelName = className(model);
  let summaryList: LayerInfo[];
  const cached = opts.cacheForwardPass ? cachedForwardPass.get(modelName) : undefined;
  if (cached) summaryList = cached;
  else {
    const [list, hooks] = applyHooks(modelName, model, x, batchDim);
    summaryList = list;
    if (x === null) setChildrenLayers(summaryList);
    else {
      const savedMode = model.training;
      try {
        model.train(mode === "train");
        const args = x;
        noGrad(() => model.call(...args));
      } catch (e) {
        const executed = summaryList.filter((l) => l.executed).map(String).join(", ");
        throw new RuntimeError(`Failed to run torchinfo. See above stack traces for more details. Executed layers up to: [${executed}]`, { cause: e });
      } finally {
        for (const [pre, post] of hooks.values()) {
          pre.remove();
          post.remove();
        }
        model.train(savedMode);
      }
      addMissingContainerLayers(summaryList);
      setChildrenLayers(summaryList);
      cachedForwardPass.set(modelName, summaryList);
    }
  }
  const formatting = new FormattingOptions(depth, verbose, columns, colWidth, rows);
  const results = new ModelStatistics(summaryList, correctInputSize, x === null ? 0 : totalMemoryUsed(x), formatting);
  if (verbose > 0) console.log(results.toString());
  return results;
}
