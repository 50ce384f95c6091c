// default_collate and default_convert: how DataLoader turns a list of samples into a batch.
// Followed: torch/utils/data/_utils/collate.py of PyTorch 1.13.
import { Tensor } from "../../tensor/tensor.js";
import { bool, float64, int64 } from "../../tensor/dtype.js";
import { RuntimeError, TorchTypeError, pythonTypeName } from "../../errors.js";
import { tensor } from "../../ops/creation.js";
import { stack } from "../../functional.js";

/** The type `defaultCollate` makes of a batch of `T`s. */
export type Collated<T> = 0 extends 1 & T
  ? any // (a sample typed `any` stays `any`, rather than the union of every case below)
  : T extends Tensor
  ? Tensor
  : T extends number | bigint | boolean | ArrayBufferView
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends Map<infer K, infer V>
          ? Map<K, Collated<V>>
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : unknown;

function typeName(x: unknown): string {
  if (x === null) return "<class 'NoneType'>";
  if (x === undefined) return "<class 'NoneType'>"; // (JavaScript's undefined is Python's None here)
  if (typeof x === "object" || typeof x === "function") return `<class '${(x as object).constructor?.name ?? "Object"}'>`;
  return typeof x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * PyTorch's `default_collate`: puts a list of samples together into a batch.
 * - Tensors are stacked along a new first dimension (0-d tensors into a 1-d tensor).
 * - Numbers become a 1-d tensor. NOTE: JavaScript has one number type, so the dtype is chosen
 *   from the values, not from the first sample's Python type: all integers -> int64 (Python
 *   ints), otherwise float64 (Python floats collate to float64, not the default dtype).
 *   Bigints -> int64, booleans -> bool. Typed arrays are converted like NumPy arrays.
 * - Strings are kept: `["a", "b"]` stays a list of strings.
 * - Arrays (tuples) are collated position by position (all samples must have the same length),
 *   plain objects and Maps key by key (the first sample's keys).
 * @example
 * defaultCollate([[torch.tensor([1, 2]), 0], [torch.tensor([3, 4]), 1]]);
 * // [tensor([[1., 2.], [3., 4.]]), tensor([0, 1])]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  return collate(batch) as Collated<T>;
}

function collate(batch: readonly unknown[]): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) {
    // (PyTorch's torch.stack words for a sample that is not a tensor, e.g. undefined from a dataset
    // shorter than its length)
    const bad = batch.findIndex((b) => !(b instanceof Tensor));
    if (bad >= 0) throw new TorchTypeError(`expected Tensor as element ${bad} in argument 0, but got ${pythonTypeName(batch[bad])}`);
    return stack(batch as Tensor[], 0);
  }
  if (ArrayBuffer.isView(elem)) return collate(batch.map((b) => tensor(b as unknown as ArrayLike<number>)));
  if (typeof elem === "number") {
    const bad = batch.find((b) => typeof b !== "number");
    if (bad !== undefined || batch.includes(undefined)) throw new TorchTypeError(`new(): invalid data type '${pythonTypeName(bad)}'`);
    const ints = batch.every((b) => typeof b === "number" && Number.isInteger(b));
    return tensor(batch as number[], { dtype: ints ? int64 : float64 });
  }
  if (typeof elem === "bigint") return tensor(batch as bigint[] as unknown as number[], { dtype: int64 });
  if (typeof elem === "boolean") return tensor(batch as boolean[], { dtype: bool });
  if (typeof elem === "string") return batch.slice();
  if (elem instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const key of elem.keys()) out.set(key, collate(batch.map((d) => (d as Map<unknown, unknown>).get(key))));
    return out;
  }
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === size)) {
      throw new RuntimeError("each element in list of batch should be of equal size");
    }
    const out: unknown[] = [];
    for (let i = 0; i < size; i++) out.push(collate(batch.map((b) => (b as unknown[])[i])));
    return out;
  }
  if (isPlainObject(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) out[key] = collate(batch.map((d) => (d as Record<string, unknown>)[key]));
    return out;
  }
  throw new TorchTypeError(
    `default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${typeName(elem)}`,
  );
}

/**
 * PyTorch's `default_convert` (what DataLoader applies to each sample when `batchSize` is
 * null): typed arrays (our NumPy arrays) become tensors, inside arrays and objects too;
 * everything else is left as it is.
 */
export function defaultConvert<T>(data: T): T {
  return convert(data) as T;
}

function convert(data: unknown): unknown {
  if (data instanceof Tensor) return data;
  if (ArrayBuffer.isView(data)) return tensor(data as unknown as ArrayLike<number>);
  if (Array.isArray(data)) return data.map(convert);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, convert(v)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) out[k] = convert(v);
    return out;
  }
  return data;
}
