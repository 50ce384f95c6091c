// A dataset of numeric CSV columns: the table a PyTorch tutorial reads with pandas or numpy.loadtxt
// and wraps in a TensorDataset. PyTorch has no CSV dataset of its own; this one is a TensorDataset
// of the chosen feature and target columns. Browser-safe: it parses text; `CSVDataset.fetch` reads
// a URL, and Node's `readCSV` (typetorch/node) a file.
import { Tensor } from "../../tensor/tensor.js";
import { type DType, float32, int64 } from "../../tensor/dtype.js";
import { tensor } from "../../ops/creation.js";
import { ValueError } from "../../errors.js";
import { TensorDataset } from "./dataset.js";

/** One parsed record: its fields and the (1-based) line it starts on. */
export interface CSVRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Splits CSV text into records (RFC 4180): fields separated by `delimiter`, records by LF or CRLF,
 * fields in double quotes may hold delimiters, newlines and doubled quotes (`""`). Blank lines are
 * skipped. Each record keeps the line it starts on, for error messages.
 * @example
 * torch.utils.data.parseCSV('a,b\n1,"x,y"\n').map((r) => r.fields); // [["a", "b"], ["1", "x,y"]]
 */
export function parseCSV(text: string, delimiter = ","): CSVRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ValueError(`delimiter must be a single character other than a quote or a newline, got ${JSON.stringify(delimiter)}`);
  }
  const out: CSVRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 byte order mark
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    let ended = false;
    for (;;) {
      if (i >= n) {
        if (quoted) throw new ValueError(`line ${start}: a quoted field is not closed before the end of the text`);
        fields.push(field);
        ended = true;
        break;
      }
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
            const next = text[i];
            if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
              throw new ValueError(`line ${line}: unexpected character ${JSON.stringify(next)} after a closing quote`);
            }
          }
        } else {
          if (ch === "\n") line++;
          field += ch;
          i++;
        }
      } else if (ch === '"' && field === "") {
        quoted = true;
        i++;
      } else if (ch === delimiter) {
        fields.push(field);
        field = "";
        i++;
      } else if (ch === "\n" || ch === "\r") {
        fields.push(field);
        i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
        line++;
        break;
      } else {
        field += ch;
        i++;
      }
    }
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank) out.push({ line: start, fields });
    if (ended) break;
  }
  return out;
}

const FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python's `float(s)`: surrounding whitespace allowed, digits with single underscores, an
 * exponent, `inf`/`infinity`/`nan` in any case; anything else gives null.
 */
export function parseFloatStrict(s: string): number | null {
  const t = s.trim();
  if (FLOAT.test(t)) return Number(t.replace(/_/g, ""));
  const m = SPECIAL.exec(t);
  if (m) return m[2]!.toLowerCase() === "nan" ? NaN : m[1] === "-" ? -Infinity : Infinity;
  return null;
}

/** A column: its header name or its 0-based index. */
export type ColumnRef = string | number;

export interface CSVOptions {
  /** The first record names the columns (default true). */
  header?: boolean;
  /** The field separator (default ","). */
  delimiter?: string;
  /** The feature columns (default: every column that is not a target). */
  columns?: readonly ColumnRef[];
  /** The target column(s): one gives a target per sample of shape [], several a vector. */
  target?: ColumnRef | readonly ColumnRef[] | null;
  /** The features' dtype (default float32). */
  dtype?: DType;
  /** The targets' dtype (default: int64 when every target value is an integer, else `dtype`). */
  targetDtype?: DType;
  /**
   * Per-column functions from a field's text to a number, for columns that are not numbers (a
   * class name, a date): `{ species: (s) => ["setosa", "versicolor"].indexOf(s) }`.
   */
  converters?: Readonly<Record<string, (field: string) => number>>;
}

/**
 * A dataset of the rows of a CSV table: `getItem(i)` is `[features, target]` (or `[features]`
 * without a target), like a TensorDataset of the two tensors, which it is.
 *
 * Every feature and target field must be a number (Python's `float()` syntax) unless a converter
 * is given; a malformed row is an error that names its line: a wrong number of fields, an empty
 * field, or text that is not a number.
 * @example
 * const ds = new torch.utils.data.CSVDataset("x1,x2,y\n1,2,0\n3,4,1\n", { target: "y" });
 * ds.length;                 // 2
 * ds.getItem(1)[0].tolist(); // [3, 4]
 * ds.getItem(1)[1].item();   // 1 (int64)
 */
export class CSVDataset extends TensorDataset<Tensor[]> {
  /** The names of the feature columns (the header's, or "0", "1", ... without one). */
  readonly featureNames: string[];
  /** The names of the target columns (empty without a target). */
  readonly targetNames: string[];
  /** The features, one row per sample. */
  readonly features: Tensor;
  /** The targets (shape [N] for one target column, [N, k] for k), or null. */
  readonly targets: Tensor | null;

  constructor(text: string, options: CSVOptions = {}) {
    const header = options.header ?? true;
    const records = parseCSV(text, options.delimiter ?? ",");
    if (header && records.length === 0) throw new ValueError("CSV text is empty: no header line");
    const names = header ? records[0]!.fields.map((s) => s.trim()) : (records[0]?.fields ?? []).map((_, k) => String(k));
    const rows = header ? records.slice(1) : records;
    const width = names.length;
    const resolve = (ref: ColumnRef): number => {
      if (typeof ref === "number") {
        const k = ref < 0 ? ref + width : ref;
        if (!Number.isInteger(k) || k < 0 || k >= width) throw new ValueError(`column index ${ref} is out of range for ${width} columns`);
        return k;
      }
      const k = names.indexOf(ref);
      if (k < 0) throw new ValueError(`no column named ${JSON.stringify(ref)}; the header has ${names.map((s) => JSON.stringify(s)).join(", ")}`);
      return k;
    };
    const targetRefs = options.target === undefined || options.target === null ? [] : Array.isArray(options.target) ? options.target : [options.target as ColumnRef];
    const targetCols = targetRefs.map(resolve);
    const featureCols = options.columns ? options.columns.map(resolve) : names.map((_, k) => k).filter((k) => !targetCols.includes(k));
    for (const k of featureCols) {
      if (targetCols.includes(k)) throw new ValueError(`column ${JSON.stringify(names[k])} is both a feature and a target`);
    }
    if (featureCols.length === 0) throw new ValueError("no feature columns: the table has only target columns");
    const converters = options.converters ?? {};
    for (const key of Object.keys(converters)) {
      if (!names.includes(key)) throw new ValueError(`converter for ${JSON.stringify(key)}: no such column`);
    }
    const n = rows.length;
    const fx = new Float64Array(n * featureCols.length);
    const ty = new Float64Array(n * targetCols.length);
    const value = (rec: CSVRecord, k: number): number => {
      const raw = rec.fields[k]!;
      const name = names[k]!;
      const conv = converters[name];
      if (conv) {
        const v = conv(raw);
        if (typeof v !== "number") throw new ValueError(`line ${rec.line}, column ${JSON.stringify(name)}: the converter returned ${typeof v}, not a number`);
        return v;
      }
      if (raw.trim() === "") throw new ValueError(`line ${rec.line}, column ${JSON.stringify(name)}: empty field`);
      const v = parseFloatStrict(raw);
      if (v === null) throw new ValueError(`line ${rec.line}, column ${JSON.stringify(name)}: could not convert string to float: '${raw}'`);
      return v;
    };
    rows.forEach((rec, r) => {
      if (rec.fields.length !== width) {
        throw new ValueError(`line ${rec.line}: expected ${width} fields${header ? " (as in the header)" : " (as in the first row)"}, found ${rec.fields.length}`);
      }
      featureCols.forEach((k, c) => (fx[r * featureCols.length + c] = value(rec, k)));
      targetCols.forEach((k, c) => (ty[r * targetCols.length + c] = value(rec, k)));
    });
    const dtype = options.dtype ?? float32;
    const features = tensor(fx, { dtype }).reshape([n, featureCols.length]);
    let targets: Tensor | null = null;
    if (targetCols.length) {
      const allInt = ty.every((v) => Number.isInteger(v));
      const tdtype = options.targetDtype ?? (allInt ? int64 : dtype);
      if (!tdtype.isFloatingPoint && !allInt) {
        const r = Array.from(ty).findIndex((v) => !Number.isInteger(v));
        const rec = rows[Math.floor(r / targetCols.length)]!;
        const name = names[targetCols[r % targetCols.length]!]!;
        throw new ValueError(`line ${rec.line}, column ${JSON.stringify(name)}: ${ty[r]} is not an integer, but the target dtype is ${tdtype.name}`);
      }
      targets = tensor(ty, { dtype: tdtype }).reshape(targetCols.length === 1 ? [n] : [n, targetCols.length]);
    }
    if (targets) super(features, targets);
    else super(features);
    this.features = features;
    this.targets = targets;
    this.featureNames = featureCols.map((k) => names[k]!);
    this.targetNames = targetCols.map((k) => names[k]!);
  }

  /**
   * Fetches a CSV file (`fetch(url)`, in browsers and Node) and parses it.
   * @example
   * // (not run: fetches a URL)
   * const ds = await torch.utils.data.CSVDataset.fetch("https://example.org/iris.csv", { target: "species", converters: { species: (s) => ["setosa", "versicolor", "virginica"].indexOf(s) } });
   */
  static async fetch(url: string | URL, options: CSVOptions = {}): Promise<CSVDataset> {
    const res = await fetch(url);
    if (!res.ok) throw new ValueError(`CSVDataset.fetch: ${String(url)} answered ${res.status} ${res.statusText}`);
    return new CSVDataset(await res.text(), options);
  }
}
