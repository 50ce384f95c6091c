// torchvision.datasets.ImageFolder: images in one folder per class (root/dog/1.png, root/cat/2.jpg),
// class_to_idx from the sorted folder names. Followed: torchvision 0.14's datasets/folder.py (the
// order of the samples, which files count, the errors and their words).
//
// This file is browser-safe: the class-finding and sample-ordering rules, and an ImageFolder over
// files that are read asynchronously (a folder picked with <input type="file" webkitdirectory>,
// URLs to fetch). Node's ImageFolder, which lists a folder on disk and decodes PNG/JPEG
// synchronously, is in typetorch/node (src/node/image_folder.ts) and shares these rules.
import { FileNotFoundError, ValueError } from "../../errors.js";
import { Dataset } from "./dataset.js";
import { type EncodedImage, type RawImage, decodeImage } from "./image.js";

/** torchvision's IMG_EXTENSIONS. */
export const IMG_EXTENSIONS: readonly string[] = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"];

/** `has_file_allowed_extension`: the lower-cased name ends with one of the extensions. */
export function hasFileAllowedExtension(filename: string, extensions: string | readonly string[]): boolean {
  const lower = filename.toLowerCase();
  return (typeof extensions === "string" ? [extensions] : extensions).some((e) => lower.endsWith(e));
}

/** Python's sort order of str (code points), for names and paths. */
export function pyStrCompare(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0)!), cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

/**
 * `find_classes`: the class folders' names sorted, and each one's index. `where` names the root
 * in the error when there are none.
 */
export function findClasses(folderNames: Iterable<string>, where: string): { classes: string[]; classToIdx: Record<string, number> } {
  const classes = [...new Set(folderNames)].sort(pyStrCompare);
  if (classes.length === 0) throw new FileNotFoundError(`Couldn't find any class folder in ${where}.`);
  const classToIdx: Record<string, number> = {};
  classes.forEach((c, i) => (classToIdx[c] = i));
  return { classes, classToIdx };
}

export interface SampleRules {
  /** File endings that count (default IMG_EXTENSIONS); excludes `isValidFile`. */
  extensions?: string | readonly string[] | null;
  /** Which files count, by their path; excludes `extensions`. */
  isValidFile?: ((path: string) => boolean) | null;
}

/**
 * `make_dataset` over relative paths `class/.../file`: for each class in index order, its files
 * sorted by folder, then by name (what `sorted(os.walk(...))` gives), that pass the rules; `join`
 * makes the path a sample keeps (and `isValidFile` sees). Errors for a class without files.
 */
export function makeDataset(
  relativePaths: Iterable<string>,
  classToIdx: Readonly<Record<string, number>>,
  rules: SampleRules,
  join: (rel: string) => string = (rel) => rel,
): [string, number][] {
  const extensions = rules.extensions === undefined ? null : rules.extensions;
  const isValidFile = rules.isValidFile ?? null;
  if (Object.keys(classToIdx).length === 0) throw new ValueError("'class_to_index' must have at least one entry to collect any samples.");
  if ((extensions === null) === (isValidFile === null)) {
    throw new ValueError("Both extensions and is_valid_file cannot be None or not None at the same time");
  }
  const valid = isValidFile ?? ((p: string) => hasFileAllowedExtension(p, extensions!));
  const byClass = new Map<string, { dir: string; name: string; rel: string }[]>();
  for (const rel of relativePaths) {
    const parts = rel.split("/").filter((s) => s !== "");
    if (parts.length < 2) continue; // a file in the root itself belongs to no class
    const cls = parts[0]!;
    if (!(cls in classToIdx)) continue;
    const list = byClass.get(cls) ?? [];
    list.push({ dir: parts.slice(0, -1).join("/"), name: parts[parts.length - 1]!, rel: parts.join("/") });
    byClass.set(cls, list);
  }
  const out: [string, number][] = [];
  const available = new Set<string>();
  for (const cls of Object.keys(classToIdx).sort(pyStrCompare)) {
    const files = (byClass.get(cls) ?? []).sort((a, b) => pyStrCompare(a.dir, b.dir) || pyStrCompare(a.name, b.name));
    for (const f of files) {
      const path = join(f.rel);
      if (valid(path)) {
        out.push([path, classToIdx[cls]!]);
        available.add(cls);
      }
    }
  }
  const empty = Object.keys(classToIdx).filter((c) => !available.has(c)).sort(pyStrCompare);
  if (empty.length) {
    let msg = `Found no valid file for the classes ${empty.join(", ")}. `;
    if (extensions !== null) msg += `Supported extensions are: ${typeof extensions === "string" ? extensions : extensions.join(", ")}`;
    throw new FileNotFoundError(msg);
  }
  return out;
}

/** A file of an image folder for the async ImageFolder: its path under the root, and its bytes. */
export interface ImageFile {
  /** The path under the root, "/"-separated: "class/name.png" (deeper folders allowed). */
  readonly path: string;
  read(): Promise<EncodedImage>;
}

export interface ImageFolderOptions<S, Y> extends SampleRules {
  /** Applied to each image (default none: the RawImage itself). */
  transform?: ((img: RawImage) => S) | null;
  /** Applied to each class index. */
  targetTransform?: ((target: number) => Y) | null;
  /** Turns a file's bytes into an image (default: {@link decodeImage}, the browser's decoder, RGB). */
  loader?: ((bytes: EncodedImage, path: string) => RawImage | Promise<RawImage>) | null;
}

/** A browser `File` as given by `<input type="file" webkitdirectory>`. */
export interface FileLike extends Blob {
  readonly name: string;
  readonly webkitRelativePath?: string;
}

/**
 * `torchvision.datasets.ImageFolder` over files read asynchronously (in browsers: a folder the
 * user picked, or URLs): `getItem(i)` is a Promise of `[image, classIndex]` (transformed), so a
 * DataLoader over it is iterated with `for await`. `getItems` (what the DataLoader calls for a
 * batch) reads and decodes a batch's files concurrently, then applies the transforms in order, so
 * random transforms draw as in PyTorch.
 *
 * In Node, `typetorch/node` has the synchronous ImageFolder over a folder on disk.
 * @example
 * // (not run: needs a browser, and a folder the user picks)
 * // in a page, after <input type="file" webkitdirectory> (root/cat/1.png, root/dog/2.jpg, ...):
 * const input = document.querySelector("input[type=file]") as HTMLInputElement;
 * const ds = torch.utils.data.ImageFolder.fromFiles(input.files!, { transform: new torch.utils.data.transforms.ToTensor() });
 * for await (const [x, y] of new torch.utils.data.DataLoader(ds, { batchSize: 8, shuffle: true })) console.log(x.shape, y);
 */
export class ImageFolder<S = RawImage, Y = number> extends Dataset<Promise<[S, Y]>> {
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  /** `[path, classIndex]` of each sample (torchvision's `samples` / `imgs`). */
  readonly samples: [string, number][];
  /** The class index of each sample. */
  readonly targets: number[];
  readonly transform: ((img: RawImage) => S) | null;
  readonly targetTransform: ((target: number) => Y) | null;
  private readonly files: Map<string, ImageFile>;
  private readonly loader: (bytes: EncodedImage, path: string) => RawImage | Promise<RawImage>;

  constructor(files: Iterable<ImageFile>, options: ImageFolderOptions<S, Y> = {}) {
    super();
    this.files = new Map();
    for (const f of files) this.files.set(f.path.split("/").filter((s) => s !== "").join("/"), f);
    const folders = [...this.files.keys()].filter((p) => p.includes("/")).map((p) => p.slice(0, p.indexOf("/")));
    ({ classes: this.classes, classToIdx: this.classToIdx } = findClasses(folders, "the given files"));
    const rules: SampleRules = {
      extensions: options.isValidFile ? options.extensions ?? null : options.extensions === undefined ? IMG_EXTENSIONS : options.extensions,
      isValidFile: options.isValidFile ?? null,
    };
    this.samples = makeDataset(this.files.keys(), this.classToIdx, rules);
    this.targets = this.samples.map((s) => s[1]);
    this.transform = options.transform ?? null;
    this.targetTransform = options.targetTransform ?? null;
    this.loader = options.loader ?? ((bytes) => decodeImage(bytes, "RGB"));
  }

  /**
   * From browser `File`s of a picked folder (`input.files` of `<input type="file" webkitdirectory>`):
   * their `webkitRelativePath` less its first part (the picked folder itself) is the path.
   */
  static fromFiles<S = RawImage, Y = number>(files: Iterable<FileLike> | ArrayLike<FileLike>, options: ImageFolderOptions<S, Y> = {}): ImageFolder<S, Y> {
    const list = Array.from(files as ArrayLike<FileLike>);
    return new ImageFolder(
      list.map((f) => {
        const rel = f.webkitRelativePath || f.name;
        return { path: rel.includes("/") ? rel.slice(rel.indexOf("/") + 1) : rel, read: () => Promise.resolve(f as Blob) };
      }),
      options,
    );
  }

  /**
   * From URLs under `base` ("https://host/data/train/"): each URL's path under it is the sample's
   * path ("cat/1.png"); the bytes are fetched when the sample is read.
   */
  static fromURLs<S = RawImage, Y = number>(urls: Iterable<string>, base: string | URL, options: ImageFolderOptions<S, Y> = {}): ImageFolder<S, Y> {
    const root = new URL(base, (globalThis as { location?: { href: string } }).location?.href);
    const rootHref = root.href.endsWith("/") ? root.href : root.href + "/";
    return new ImageFolder(
      Array.from(urls, (u) => {
        const url = new URL(u, rootHref);
        if (!url.href.startsWith(rootHref)) throw new ValueError(`${url.href} is not under ${rootHref}`);
        return {
          path: decodeURIComponent(url.href.slice(rootHref.length)),
          read: async () => {
            const res = await fetch(url);
            if (!res.ok) throw new FileNotFoundError(`${url.href}: ${res.status} ${res.statusText}`);
            return new Uint8Array(await res.arrayBuffer());
          },
        };
      }),
      options,
    );
  }

  get length(): number {
    return this.samples.length;
  }

  private sample(index: number): [string, number] {
    const i = index < 0 ? index + this.samples.length : index;
    const s = this.samples[i];
    if (s === undefined) throw new RangeError(`list index out of range: ${index}`);
    return s;
  }

  private async load(path: string): Promise<RawImage> {
    return this.loader(await this.files.get(path)!.read(), path);
  }

  private finish(img: RawImage, target: number): [S, Y] {
    const x = this.transform ? this.transform(img) : (img as unknown as S);
    const y = this.targetTransform ? this.targetTransform(target) : (target as unknown as Y);
    return [x, y];
  }

  /** The image and class index of sample `index`, transformed. */
  async getItem(index: number): Promise<[S, Y]> {
    const [path, target] = this.sample(index);
    return this.finish(await this.load(path), target);
  }

  /** Several samples: read and decoded concurrently, transformed in order. */
  async getItems(indices: readonly number[]): Promise<[S, Y][]> {
    const picked = indices.map((i) => this.sample(i));
    const images = await Promise.all(picked.map(([p]) => this.load(p)));
    return images.map((img, k) => this.finish(img, picked[k]![1]));
  }
}
