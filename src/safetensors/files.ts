// The Node edge of safetensors: paths to and from the bytes API (index.ts). `node:fs` is reached
// through `process.getBuiltinModule`, so a browser bundle carries no Node import.
import type * as NodeFs from "node:fs";
import { RuntimeError } from "../errors.js";

type Proc = { getBuiltinModule?: (id: string) => unknown };

/** node:fs, or an error that says what to do in a browser. */
export function nodeFsFor(fn: string, instead: string): typeof NodeFs {
  const fs = (globalThis as { process?: Proc }).process?.getBuiltinModule?.("node:fs") as typeof NodeFs | undefined;
  if (!fs) throw new RuntimeError(`${fn}: a file path needs Node.js (20.16 or newer: process.getBuiltinModule); in a browser, ${instead}`);
  return fs;
}
