// torch.save / torch.load on file paths: the Node-only edge of serialization. Node's modules are
// reached through `process.getBuiltinModule` (Node 20.16+), so a browser bundle carries no Node
// import; in a browser a path gives an error that points to the bytes API.
//
// NOTE: how a checkpoint is written (PyTorch writes the file in place; a save killed halfway then
// leaves a corrupt checkpoint, which is worse, so typetorch writes beside it and renames):
// - the target is the path with its symbolic links followed (PyTorch's open() writes through a
//   link, and the link stays a link), so the temp file sits in the target's folder and the rename
//   is atomic;
// - the temp file is `.<name>.<pid>.typetorch-tmp` beside the target; each save first removes the
//   temp files of the same target whose process is gone (a save killed by SIGKILL cannot clean up
//   after itself), so they never pile up, while a concurrent save of the same file by a live process
//   keeps its own;
// - re-saving keeps the existing file's permission bits (0600 stays 0600); a new file gets the
//   usual 0666 less the umask;
// - PyTorch's checks and words: "Parent directory x does not exist.", "File x cannot be opened.".

import type * as NodeFs from "node:fs";
import { FileNotFoundError, IsADirectoryError, PermissionError, RuntimeError, TorchTypeError } from "../errors.js";

type Proc = { pid?: number; kill?: (pid: number, sig: number | string) => boolean; getBuiltinModule?: (id: string) => unknown };
const proc = (): Proc | undefined => (globalThis as { process?: Proc }).process;

export function nodeFs(fn: "torch.save" | "torch.load"): typeof NodeFs {
  const fs = proc()?.getBuiltinModule?.("node:fs") as typeof NodeFs | undefined;
  if (!fs)
    throw new RuntimeError(
      fn === "torch.save"
        ? "torch.save: saving to a file path needs Node.js (20.16 or newer: process.getBuiltinModule); in a browser, use torch.serialization.saveToBytes(obj) and store or download the bytes yourself"
        : "torch.load: loading from a file path needs Node.js (20.16 or newer: process.getBuiltinModule); in a browser, fetch the file and call torch.serialization.loadFromBytesAsync(new Uint8Array(await response.arrayBuffer()))",
    );
  return fs;
}

export function pathString(f: string | URL): string {
  if (typeof f === "string") return f;
  if (f.protocol !== "file:") throw new TorchTypeError(`torch.save/torch.load: only file: URLs name files, got ${f.protocol}`);
  const url = proc()?.getBuiltinModule?.("node:url") as { fileURLToPath(u: URL): string } | undefined;
  return url ? url.fileURLToPath(f) : decodeURIComponent(f.pathname);
}

/** PyTorch's archive name for a file: its base name without the last extension. */
export function archiveNameFor(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.length ? stem : "archive";
}

function code(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}
function sep(path: string): number {
  return Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
}
function dirOf(path: string): string {
  const i = sep(path);
  return i < 0 ? "." : i === 0 ? path.slice(0, 1) : path.slice(0, i);
}
function baseOf(path: string): string {
  return path.slice(sep(path) + 1);
}

/**
 * The file a write to `path` reaches: its symbolic links followed one by one (a dangling link gives
 * the path it points to, which the write creates, as open() does), or null for a loop.
 */
function followLinks(fs: typeof NodeFs, path: string): string | null {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let st: NodeFs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    const to = fs.readlinkSync(p);
    p = /^([\\/]|[A-Za-z]:[\\/])/.test(to) ? to : `${dirOf(p)}/${to}`;
  }
  return null;
}

function alive(pid: number): boolean {
  const p = proc();
  if (!p?.kill) return true;
  try {
    p.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === "EPERM";
  }
}

const TMP_SUFFIX = ".typetorch-tmp";

/** Removes temp files of `base` in `dir` left by saves whose process is gone (or by this one). */
function removeStaleTemps(fs: typeof NodeFs, dir: string, base: string, ownPid: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith(TMP_SUFFIX)) continue;
    const pidText = n.slice(prefix.length, n.length - TMP_SUFFIX.length);
    if (!/^[0-9]+$/.test(pidText)) continue;
    const pid = Number(pidText);
    if (pid === ownPid || !alive(pid))
      try {
        fs.unlinkSync(`${dir}/${n}`);
      } catch {
        /* gone already, or not ours to remove */
      }
  }
}

/** Writes bytes to the file at `path` as torch.save does (see the NOTE at the top). */
export function writeCheckpoint(path: string, bytes: Uint8Array): void {
  const fs = nodeFs("torch.save");
  // PyTorch's PyTorchStreamWriter: a name that ends in a separator (or is empty) names no file
  if (path === "" || path.endsWith("/")) throw new RuntimeError(`[enforce fail at inline_container.cc:354] . invalid file name: ${path}`);
  const parent = path.lastIndexOf("/") > 0 ? path.slice(0, path.lastIndexOf("/")) : "";
  if (parent !== "") {
    let isDir = false;
    try {
      isDir = fs.statSync(parent).isDirectory();
    } catch {
      /* missing */
    }
    if (!isDir) throw new RuntimeError(`Parent directory ${parent} does not exist.`);
  }
  const cannotOpen = () => new RuntimeError(`File ${path} cannot be opened.`);
  const target = followLinks(fs, path);
  if (target === null) throw cannotOpen();
  let mode: number | undefined;
  let st: NodeFs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch (e) {
    if (code(e) !== "ENOENT") throw cannotOpen();
  }
  if (st?.isDirectory()) throw cannotOpen();
  if (st && !st.isFile()) {
    // a device or a pipe (/dev/null, a FIFO): written in place, as PyTorch does; there is nothing to rename
    let fd: number;
    try {
      fd = fs.openSync(target, "w");
    } catch {
      throw cannotOpen();
    }
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      throw new RuntimeError(`torch.save: writing ${path} failed: ${(e as Error).message}`);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  if (st) mode = st.mode & 0o7777;
  const dir = dirOf(target), base = baseOf(target);
  const pid = proc()?.pid ?? 0;
  removeStaleTemps(fs, dir, base, pid);
  const tmp = `${dir}/.${base}.${pid}${TMP_SUFFIX}`;
  let fd: number | null = null;
  try {
    try {
      fd = fs.openSync(tmp, "w", mode ?? 0o666);
    } catch {
      throw cannotOpen();
    }
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    // NOTE: the mode given to open() is reduced by the umask; the existing file's bits are restored exactly
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== null)
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    if (e instanceof RuntimeError) throw e;
    throw new RuntimeError(`torch.save: writing ${path} failed: ${(e as Error).message}`);
  }
}

/** Reads the bytes of the file at `path` as torch.load does, with Python's errors. */
export function readCheckpoint(path: string): Uint8Array {
  const fs = nodeFs("torch.load");
  try {
    return fs.readFileSync(path);
  } catch (e) {
    switch (code(e)) {
      case "ENOENT":
        throw new FileNotFoundError(`[Errno 2] No such file or directory: '${path}'`);
      case "EISDIR":
        throw new IsADirectoryError(`[Errno 21] Is a directory: '${path}'`);
      case "EACCES":
      case "EPERM":
        throw new PermissionError(`[Errno 13] Permission denied: '${path}'`);
      case "ERR_FS_FILE_TOO_LARGE":
        throw new RuntimeError(`torch.load: '${path}' is larger than the 2 GiB Node reads into one buffer`);
    }
    throw new RuntimeError(`torch.load: reading '${path}' failed: ${(e as Error).message}`);
  }
}
