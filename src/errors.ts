// PyTorch's Python exception types, so that `catch (e)` code can tell them apart as Python code does.
// NOTE: messages are PyTorch's own words; tests compare them against real PyTorch.

export class RuntimeError extends Error {
  override name = "RuntimeError";
}
export class IndexError extends Error {
  override name = "IndexError";
}
export class ValueError extends Error {
  override name = "ValueError";
}
/** Python's TypeError (bad argument types); distinct from JavaScript's built-in TypeError. */
export class TorchTypeError extends Error {
  override name = "TypeError";
}
/**
 * Python's KeyError. NOTE: Python prints a KeyError as the repr of its argument (`'x'`, or
 * `"attribute 'w' already exists"`), so the message is that repr, as `str(e)` shows it in PyTorch.
 */
export class KeyError extends Error {
  override name = "KeyError";
  constructor(key: string) {
    super(pyRepr(key));
  }
}

/** Python's repr of a str: single quotes, or double quotes when it holds a single quote and no double one. */
export function pyRepr(s: string): string {
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  if (s.includes("'") && !s.includes('"')) return `"${body}"`;
  return `'${body.replace(/'/g, "\\'")}'`;
}
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}
/** Python's AssertionError (PyTorch raises it for a device this build lacks, e.g. CUDA). */
export class AssertionError extends Error {
  override name = "AssertionError";
}
/** Python's OverflowError (a float infinity where an integer belongs, as int(inf)). */
export class OverflowError extends Error {
  override name = "OverflowError";
}
/** Python's FileNotFoundError (torch.load of a path that does not exist). */
export class FileNotFoundError extends Error {
  override name = "FileNotFoundError";
}
/** Python's IsADirectoryError (torch.load of a path that is a directory). */
export class IsADirectoryError extends Error {
  override name = "IsADirectoryError";
}
/** Python's PermissionError (torch.load of a file the process may not read). */
export class PermissionError extends Error {
  override name = "PermissionError";
}
/** Python's pickle.UnpicklingError (torch.load of a pickle that is malformed or names a refused global). */
export class UnpicklingError extends Error {
  override name = "UnpicklingError";
}
/** Python's EOFError (pickle data that ends at an opcode boundary: "Ran out of input"). */
export class EOFError extends Error {
  override name = "EOFError";
}

/**
 * The Python type name PyTorch's messages would show for a JavaScript value passed where it does not
 * belong ("must be Number, not str"): a number is an int or a float, null and undefined are None,
 * an array a list, a plain object a dict, a bigint an int.
 */
export function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  switch (typeof v) {
    case "number": return Number.isInteger(v) ? "int" : "float";
    case "bigint": return "int";
    case "string": return "str";
    case "boolean": return "bool";
    case "function": return "function";
  }
  if (Array.isArray(v)) return "list";
  const name = (v as object).constructor?.name;
  return name && name !== "Object" ? name : "dict";
}

/** A double as C++'s `operator<<` prints it in PyTorch's messages (%g: "0", "0.5", "1e+20", "nan", "inf"). */
export function cppDouble(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const e = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(6)))));
  if (e < -4 || e >= 6) {
    const [m, x] = v.toExponential(5).split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const ex = Number(x);
    return `${mant}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  }
  const f = v.toPrecision(6);
  return f.includes(".") ? f.replace(/0+$/, "").replace(/\.$/, "") : f;
}
