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
export class KeyError extends Error {
  override name = "KeyError";
}
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}
/** Python's AssertionError (PyTorch raises it for a device this build lacks, e.g. CUDA). */
export class AssertionError extends Error {
  override name = "AssertionError";
}
/** Python's FileNotFoundError (torch.load of a path that does not exist). */
export class FileNotFoundError extends Error {
  override name = "FileNotFoundError";
}
