// torchvision.datasets.ImageFolder over a folder on disk, synchronous as torchvision's: listing with
// node:fs (symbolic links followed, as os.walk(followlinks=True)), decoding with pngjs / jpeg-js.
// The rules (class folders sorted, which files count, their order, the errors) are the core's
// (src/utils/data/folder.ts), shared with the browser's async ImageFolder.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { FileNotFoundError, utils } from "../index.js";
import type { RawImage } from "../utils/data/image.js";
import { readImage } from "./image.js";

const { Dataset, findClasses, makeDataset, IMG_EXTENSIONS } = utils.data;

export interface ImageFolderOptions<S, Y> {
  /** Applied to each image (default none: the RawImage). */
  transform?: ((img: RawImage) => S) | null;
  /** Applied to each class index. */
  targetTransform?: ((target: number) => Y) | null;
  /** Reads a sample from its path (default: {@link readImage}, RGB). */
  loader?: ((path: string) => RawImage) | null;
  /** File endings that count (default torchvision's IMG_EXTENSIONS); excludes `isValidFile`. */
  extensions?: string | readonly string[] | null;
  /** Which files count, by their path; excludes `extensions`. */
  isValidFile?: ((path: string) => boolean) | null;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The files under `dir`, as "/"-separated paths relative to `root`, following symbolic links. */
function walk(root: string, rel: string, out: string[], seen: Set<string>): void {
  const dir = rel ? join(root, rel) : root;
  let st;
  try {
    st = statSync(dir);
  } catch {
    return;
  }
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return; // a link back up the tree
  seen.add(key);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    const full = join(root, r);
    if (e.isDirectory() || (e.isSymbolicLink() && isDir(full))) walk(root, r, out, seen);
    else out.push(r);
  }
  seen.delete(key);
}

/**
 * `torchvision.datasets.ImageFolder(root, transform=None, target_transform=None, loader=...,
 * is_valid_file=None)`: `root/<class>/.../<image>`; classes are the sorted folder names,
 * `getItem(i)` is `[transform(image), targetTransform(classIndex)]`.
 * @example
 * import { ImageFolder } from "typetorch/node";
 * const ds = new ImageFolder("data/train", { transform: new torch.utils.data.transforms.ToTensor() });
 * ds.classes; ds.classToIdx; ds.getItem(0); // [tensor [3, H, W], 0]
 */
export class ImageFolder<S = RawImage, Y = number> extends Dataset<[S, Y]> {
  readonly root: string;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  /** `[path, classIndex]` of each sample (torchvision's `samples` / `imgs`). */
  readonly samples: [string, number][];
  readonly targets: number[];
  readonly extensions: string | readonly string[] | null;
  readonly transform: ((img: RawImage) => S) | null;
  readonly targetTransform: ((target: number) => Y) | null;
  readonly loader: (path: string) => RawImage;

  constructor(root: string, options: ImageFolderOptions<S, Y> = {}) {
    super();
    this.root = root;
    const entries = (() => {
      try {
        return readdirSync(root, { withFileTypes: true });
      } catch (e) {
        throw fileNotFound(root, e);
      }
    })();
    const folders = entries.filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(join(root, e.name)))).map((e) => e.name);
    ({ classes: this.classes, classToIdx: this.classToIdx } = findClasses(folders, root));
    this.extensions = options.isValidFile ? options.extensions ?? null : options.extensions === undefined ? IMG_EXTENSIONS : options.extensions;
    const files: string[] = [];
    for (const c of this.classes) walk(root, c, files, new Set());
    this.samples = makeDataset(files, this.classToIdx, { extensions: this.extensions, isValidFile: options.isValidFile ?? null }, (rel) => join(root, rel));
    this.targets = this.samples.map((s) => s[1]);
    this.transform = options.transform ?? null;
    this.targetTransform = options.targetTransform ?? null;
    this.loader = options.loader ?? ((p) => readImage(p, "RGB"));
  }

  /** torchvision's `imgs`, the same list as `samples`. */
  get imgs(): [string, number][] {
    return this.samples;
  }

  get length(): number {
    return this.samples.length;
  }

  getItem(index: number): [S, Y] {
    const i = index < 0 ? index + this.samples.length : index;
    const s = this.samples[i];
    if (s === undefined) throw new RangeError(`list index out of range: ${index}`);
    const [path, target] = s;
    const img = this.loader(path);
    return [this.transform ? this.transform(img) : (img as unknown as S), this.targetTransform ? this.targetTransform(target) : (target as unknown as Y)];
  }

  override toString(): string {
    return [`Dataset ${this.constructor.name}`, `    Number of datapoints: ${this.length}`, `    Root location: ${this.root}`].join("\n");
  }
}

function fileNotFound(root: string, e: unknown): Error {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return new FileNotFoundError(`[Errno 2] No such file or directory: '${root}'`);
  if (code === "ENOTDIR") return new FileNotFoundError(`[Errno 20] Not a directory: '${root}'`);
  return e as Error;
}
