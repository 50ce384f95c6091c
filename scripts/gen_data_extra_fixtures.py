"""Generate the fixtures of test/data_extra.test.ts: small image folders (PNG, JPEG), tiny MNIST /
CIFAR-10 files, a CSV table, and test/fixtures/data_extra.json with what PyTorch 1.13 + PIL give.

The oracle. torchvision is not installed with this PyTorch 1.13 (and its wheels for other torch
versions do not import), so the expected values come from torchvision 0.14's own formulas, written
out here in real PyTorch / PIL / numpy, each beside the torchvision code it follows:
- decoding: PIL (`Image.open(f).convert("RGB")`, torchvision's pil_loader);
- ToTensor: `torch.from_numpy(np.array(pic)).permute(2, 0, 1).contiguous().to(float32).div(255)`;
- Normalize: `tensor.sub_(mean[:, None, None]).div_(std[:, None, None])`;
- RandomCrop.get_params: `torch.randint(0, h - th + 1, size=(1,)).item()`, then for j;
- RandomHorizontalFlip: `torch.rand(1) < p`;
- pad of a PIL image: ImageOps.expand for constant, np.pad(mode) otherwise; of a tensor: F.pad
  (constant, reflect, replicate for "edge") and the index trick of _pad_symmetric;
- Resize of a tensor: F.interpolate(mode, align_corners=False for bilinear), antialias off;
- CenterCrop: pad with zeros when smaller, then crop at round((h - th) / 2.0);
- ImageFolder: find_classes / make_dataset (sorted class folders, sorted(os.walk(followlinks=True))
  and sorted file names, has_file_allowed_extension on the lower-cased name);
- DataLoader: the real torch.utils.data.DataLoader over a Dataset whose __getitem__ applies the
  formulas above, so the random transforms draw from the global generator in PyTorch's order.
Where torchvision is importable, the script also checks its formulas against it.

Run: /usr/bin/python3 scripts/gen_data_extra_fixtures.py   (deterministic; rewrites the files)
"""
import gzip
import json
import os
import shutil
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps, JpegImagePlugin

warnings.filterwarnings("ignore")
try:
    import torchvision  # noqa: F401
    from torchvision import transforms as T
    HAVE_TV = True
except Exception:  # not installed here: formulas only
    HAVE_TV = False

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "test", "fixtures")
DIR = os.path.join(FIX, "data_extra")
OUT = os.path.join(FIX, "data_extra.json")

rng = np.random.RandomState(1234)


def tlist(t):
    return t.tolist()


# ----------------------------------------------------------------------------- image folder
def write_images():
    root = os.path.join(DIR, "images")
    if os.path.isdir(root):
        shutil.rmtree(root)
    for d in ["cat/sub", "dog", "empty_is_not_here"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.rmdir(os.path.join(root, "empty_is_not_here"))
    files = {}

    def save(rel, img, **kw):
        p = os.path.join(root, rel)
        img.save(p, **kw)
        files[rel] = p

    save("cat/c1.png", Image.fromarray(rng.randint(0, 256, (4, 5, 3), dtype=np.uint8), "RGB"))
    save("cat/c2.PNG", Image.fromarray(rng.randint(0, 256, (3, 3), dtype=np.uint8), "L"))
    save("cat/sub/c3.png", Image.fromarray(rng.randint(0, 256, (2, 4, 4), dtype=np.uint8), "RGBA"))
    pal = Image.fromarray(rng.randint(0, 4, (4, 4), dtype=np.uint8), "P")
    pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30] + [0] * (256 * 3 - 12))
    save("dog/d3.png", pal)
    # JPEGs: a smooth picture with a little noise, as photos are; 4:4:4 and 4:2:0 chroma
    yy, xx = np.mgrid[0:16, 0:16]
    smooth = np.stack([xx * 15, yy * 15, (xx + yy) * 7], axis=-1) + rng.randint(0, 12, (16, 16, 3))
    save("dog/d1.jpg", Image.fromarray(np.clip(smooth[:8, :8], 0, 255).astype(np.uint8), "RGB"), quality=90, subsampling=0)
    save("dog/d2.jpeg", Image.fromarray(np.clip(smooth, 0, 255).astype(np.uint8), "RGB"), quality=75)
    with open(os.path.join(root, "dog", "readme.txt"), "w") as f:
        f.write("not an image: ImageFolder skips it\n")
    Image.fromarray(np.zeros((2, 2, 3), dtype=np.uint8)).save(os.path.join(root, "stray.png"))  # in no class
    return root, files


def find_classes(directory):
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    return classes, {c: i for i, c in enumerate(classes)}


IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def make_dataset(directory, class_to_idx, extensions=IMG_EXTENSIONS):
    out = []
    for target_class in sorted(class_to_idx.keys()):
        target_dir = os.path.join(directory, target_class)
        for root, _, fnames in sorted(os.walk(target_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if path.lower().endswith(extensions):
                    out.append((os.path.relpath(path, directory).replace(os.sep, "/"), class_to_idx[target_class]))
    return out


def pil_rgb(path):
    with open(path, "rb") as f:
        return Image.open(f).convert("RGB")


def to_tensor(pic):
    a = np.array(pic, dtype=np.uint8, copy=True)
    if a.ndim == 2:
        a = a[:, :, None]
    return torch.from_numpy(a).permute(2, 0, 1).contiguous().to(torch.get_default_dtype()).div(255)


def normalize(t, mean, std):
    t = t.clone()
    m = torch.as_tensor(mean, dtype=t.dtype)[:, None, None]
    s = torch.as_tensor(std, dtype=t.dtype)[:, None, None]
    return t.sub_(m).div_(s)


# ----------------------------------------------------------------------------- pad/crop/flip
def parse_pad(padding):  # -> left, top, right, bottom
    if isinstance(padding, int):
        return padding, padding, padding, padding
    if len(padding) == 1:
        return padding[0], padding[0], padding[0], padding[0]
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    return tuple(padding)


def pil_pad(a, padding, fill=0, mode="constant"):
    """torchvision's F_pil.pad on an HWC/HW uint8 array (ImageOps.expand or np.pad)."""
    l, t, r, b = parse_pad(padding)
    img = Image.fromarray(a)
    if mode == "constant":
        bands = len(img.getbands())
        fill_t = tuple([fill] * bands) if isinstance(fill, int) and bands > 1 else fill
        return np.array(ImageOps.expand(img, border=(l, t, r, b), fill=fill_t))
    widths = ((t, b), (l, r)) + (((0, 0),) if a.ndim == 3 else ())
    return np.pad(a, widths, mode)


def tensor_pad(x, padding, fill=0, mode="constant"):
    """torchvision's F_t.pad: torch's pad (replicate for edge) or _pad_symmetric's indices."""
    l, t, r, b = parse_pad(padding)
    if mode == "symmetric":
        h, w = x.shape[-2:]
        xi = torch.tensor(list(range(l - 1, -1, -1)) + list(range(w)) + [-(i + 1) for i in range(r)])
        yi = torch.tensor(list(range(t - 1, -1, -1)) + list(range(h)) + [-(i + 1) for i in range(b)])
        return x[..., yi[:, None], xi[None, :]]
    y = x.unsqueeze(0) if x.ndim < 4 else x
    if mode == "constant":
        y = F.pad(y, [l, r, t, b], mode="constant", value=float(fill))
    else:
        y = F.pad(y, [l, r, t, b], mode="replicate" if mode == "edge" else mode)
    return y.squeeze(0) if x.ndim < 4 else y


def random_crop_params(h, w, th, tw):
    if h + 1 < th or w + 1 < tw:
        raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
    if w == tw and h == th:
        return 0, 0, h, w
    i = torch.randint(0, h - th + 1, size=(1,)).item()
    j = torch.randint(0, w - tw + 1, size=(1,)).item()
    return i, j, th, tw


def random_crop(x, size, padding=None, pad_if_needed=False, fill=0, mode="constant", pil=False):
    padf = pil_pad if pil else tensor_pad
    if padding is not None:
        x = padf(x, padding, fill, mode)
    h, w = (x.shape[0], x.shape[1]) if pil else (x.shape[-2], x.shape[-1])
    if pad_if_needed and w < size[1]:
        x = padf(x, [size[1] - w, 0], fill, mode)
    if pad_if_needed and h < size[0]:
        x = padf(x, [0, size[0] - h], fill, mode)
    h, w = (x.shape[0], x.shape[1]) if pil else (x.shape[-2], x.shape[-1])
    i, j, th, tw = random_crop_params(h, w, size[0], size[1])
    return x[i:i + th, j:j + tw] if pil else x[..., i:i + th, j:j + tw]


def hflip_maybe(x, p=0.5, pil=False):
    if torch.rand(1) < p:
        return x[:, ::-1].copy() if pil else x.flip(-1)
    return x


def center_crop(x, size):
    th, tw = size
    h, w = x.shape[-2:]
    if tw > w or th > h:
        ltrb = [(tw - w) // 2 if tw > w else 0, (th - h) // 2 if th > h else 0,
                (tw - w + 1) // 2 if tw > w else 0, (th - h + 1) // 2 if th > h else 0]
        x = tensor_pad(x, ltrb, 0)
        h, w = x.shape[-2:]
        if tw == w and th == h:
            return x
    top = int(round((h - th) / 2.0))
    left = int(round((w - tw) / 2.0))
    return x[..., top:top + th, left:left + tw]


def resized_size(h, w, size, max_size=None):
    if isinstance(size, int) or len(size) == 1:
        short, long = (w, h) if w <= h else (h, w)
        req = size if isinstance(size, int) else size[0]
        new_short, new_long = req, int(req * long / short)
        if max_size is not None and new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        return new_h, new_w
    return size[0], size[1]


def resize(x, size, mode="bilinear", max_size=None):
    h, w = x.shape[-2:]
    nh, nw = resized_size(h, w, size, max_size)
    y = x.unsqueeze(0) if x.ndim == 3 else x
    y = F.interpolate(y, size=[nh, nw], mode=mode, align_corners=False if mode == "bilinear" else None)
    return y.squeeze(0) if x.ndim == 3 else y


# ----------------------------------------------------------------------------- the fixture
def main():
    torch.manual_seed(0)
    fx = {"oracle": "torchvision" if HAVE_TV else "formulas (torchvision not installed)"}
    root, files = write_images()
    classes, class_to_idx = find_classes(root)
    samples = make_dataset(root, class_to_idx)
    fx["folder"] = {"classes": classes, "class_to_idx": class_to_idx, "samples": samples}
    fx["images"] = {}
    for rel, _ in samples:
        img = pil_rgb(os.path.join(root, rel))
        jpeg = rel.lower().endswith((".jpg", ".jpeg"))
        sampling = JpegImagePlugin.get_sampling(Image.open(os.path.join(root, rel))) if jpeg else None
        fx["images"][rel] = {"width": img.width, "height": img.height, "rgb": np.array(img).reshape(-1).tolist(),
                             "jpeg": jpeg, "subsampling": {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}.get(sampling)}
        src = Image.open(os.path.join(root, rel))
        if src.mode in ("RGBA", "LA"):
            fx["images"][rel]["alpha"] = np.array(src.getchannel("A")).reshape(-1).tolist()
    gray = Image.open(os.path.join(root, "cat/c1.png")).convert("L")
    fx["c1_gray"] = np.array(gray).reshape(-1).tolist()

    # ToTensor + Normalize of each image; then RandomCrop(padding) + flip on PIL arrays, then tensor paths
    c1 = np.array(pil_rgb(os.path.join(root, "cat/c1.png")))
    fx["to_tensor_c1"] = tlist(to_tensor(c1))
    fx["normalize_c1"] = tlist(normalize(to_tensor(c1), [0.5, 0.4, 0.3], [0.2, 0.25, 0.5]))
    cases = []
    x = to_tensor(c1)
    specs = [
        ("pil", dict(size=(3, 3), padding=None)),
        ("pil", dict(size=(4, 4), padding=2)),
        ("pil", dict(size=(5, 6), padding=[1, 2], fill=7)),
        ("pil", dict(size=(6, 7), padding=[1, 1, 2, 1], mode="edge")),
        ("pil", dict(size=(5, 5), padding=2, mode="reflect")),
        ("pil", dict(size=(6, 6), padding=3, mode="symmetric")),
        ("pil", dict(size=(6, 8), pad_if_needed=True)),
        ("tensor", dict(size=(3, 3), padding=None)),
        ("tensor", dict(size=(4, 4), padding=2)),
        ("tensor", dict(size=(5, 6), padding=[1, 2], fill=0.5)),
        ("tensor", dict(size=(6, 7), padding=[1, 1, 2, 1], mode="edge")),
        ("tensor", dict(size=(5, 5), padding=2, mode="reflect")),
        ("tensor", dict(size=(6, 6), padding=3, mode="symmetric")),
        ("tensor", dict(size=(6, 8), pad_if_needed=True)),
        ("tensor", dict(size=(4, 5), padding=None)),
    ]
    for seed, (kind, s) in enumerate(specs):
        torch.manual_seed(100 + seed)
        pil = kind == "pil"
        out = random_crop(c1 if pil else x, s["size"], s.get("padding"), s.get("pad_if_needed", False), s.get("fill", 0), s.get("mode", "constant"), pil=pil)
        flip = hflip_maybe(out, 0.5, pil=pil)
        after = torch.rand(2).tolist()
        cases.append({"kind": kind, "seed": 100 + seed, "size": list(s["size"]), "padding": s.get("padding"),
                      "pad_if_needed": s.get("pad_if_needed", False), "fill": s.get("fill", 0), "mode": s.get("mode", "constant"),
                      "crop": (np.asarray(out).reshape(-1).tolist() if pil else tlist(out)),
                      "crop_shape": list(np.asarray(out).shape) if pil else list(out.shape),
                      "flipped": (np.asarray(flip).reshape(-1).tolist() if pil else tlist(flip)), "after": after})
    fx["random_crop"] = cases
    torch.manual_seed(5)
    try:
        random_crop(x, (7, 5))
        fx["crop_too_big"] = None
    except ValueError as e:
        fx["crop_too_big"] = str(e)
    try:  # torchvision's check lets a crop one larger through, to randint(0, 0)
        random_crop(x, (5, 5))
        fx["crop_one_larger"] = None
    except RuntimeError as e:
        fx["crop_one_larger"] = str(e)

    # Resize / CenterCrop of tensors
    big = torch.rand(3, 7, 10, generator=torch.Generator().manual_seed(3))
    fx["resize_input"] = tlist(big)
    rs = []
    for size, mode, max_size in [((4, 5), "bilinear", None), ((14, 20), "bilinear", None), (5, "bilinear", None), ((3, 17), "bilinear", None),
                                 ((4, 5), "nearest", None), ((14, 20), "nearest", None), ((9, 13), "nearest", None), (3, "nearest", None),
                                 ([4], "bilinear", 5), ((7, 10), "bilinear", None)]:
        y = resize(big, list(size) if isinstance(size, tuple) else size, mode, max_size)
        rs.append({"size": list(size) if isinstance(size, (tuple, list)) else size, "mode": mode, "max_size": max_size, "out": tlist(y), "shape": list(y.shape)})
    fx["resize"] = rs
    cc = []
    for size in [(3, 4), (4, 4), (7, 10), (9, 13), (2, 11), (1, 1), (6, 9)]:
        y = center_crop(big, size)
        cc.append({"size": list(size), "out": tlist(y), "shape": list(y.shape)})
    fx["center_crop"] = cc

    # ------------------------------------------------------------------------- MNIST / CIFAR
    mdir = os.path.join(DIR, "MNIST", "raw")
    os.makedirs(mdir, exist_ok=True)
    fdir = os.path.join(DIR, "fashion")
    os.makedirs(fdir, exist_ok=True)

    def idx_bytes(arr):
        arr = np.asarray(arr, dtype=np.uint8)
        head = bytes([0, 0, 8, arr.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in arr.shape)
        return head + arr.tobytes()

    mn_train = rng.randint(0, 256, (6, 28, 28), dtype=np.uint8)
    mn_train_y = rng.randint(0, 10, (6,), dtype=np.uint8)
    mn_test = rng.randint(0, 256, (3, 28, 28), dtype=np.uint8)
    mn_test_y = rng.randint(0, 10, (3,), dtype=np.uint8)
    with open(os.path.join(mdir, "train-images-idx3-ubyte"), "wb") as f:
        f.write(idx_bytes(mn_train))
    with open(os.path.join(mdir, "train-labels-idx1-ubyte"), "wb") as f:
        f.write(idx_bytes(mn_train_y))
    # the test split gzip-compressed, in the root itself (as Debian's packages lay them out)
    for name, arr in [("t10k-images-idx3-ubyte.gz", mn_test), ("t10k-labels-idx1-ubyte.gz", mn_test_y)]:
        with open(os.path.join(fdir, name), "wb") as f:
            f.write(gzip.compress(idx_bytes(arr), mtime=0))

    class MnistLike(torch.utils.data.Dataset):
        def __init__(self, data, targets, tf):
            self.data, self.targets, self.tf = data, targets, tf

        def __len__(self):
            return len(self.data)

        def __getitem__(self, i):
            return self.tf(self.data[i]), int(self.targets[i])

    def mnist_tf(a):
        return normalize(to_tensor(a), [0.1307], [0.3081])

    torch.manual_seed(7)
    loader = torch.utils.data.DataLoader(MnistLike(mn_train, mn_train_y, mnist_tf), batch_size=4, shuffle=True)
    batches = [{"x": tlist(xb), "y": tlist(yb)} for xb, yb in loader]
    fx["mnist"] = {"train_targets": mn_train_y.tolist(), "test_targets": mn_test_y.tolist(),
                   "item0_pixels": mn_train[0].reshape(-1).tolist(), "test_item2_pixels": mn_test[2].reshape(-1).tolist(),
                   "seed": 7, "batches": batches, "after": torch.rand(2).tolist()}

    cdir = os.path.join(DIR, "cifar-10-batches-bin")
    os.makedirs(cdir, exist_ok=True)
    cif = {}
    names = ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]
    for n in names:
        imgs = rng.randint(0, 256, (2, 3, 32, 32), dtype=np.uint8)
        labels = rng.randint(0, 10, (2,), dtype=np.uint8)
        with open(os.path.join(cdir, n), "wb") as f:
            for k in range(2):
                f.write(bytes([labels[k]]) + imgs[k].tobytes())
        cif[n] = (imgs, labels)
    with open(os.path.join(cdir, "batches.meta.txt"), "w") as f:
        f.write("\n".join(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]) + "\n\n")
    train = np.concatenate([cif[n][0] for n in names[:5]]).transpose(0, 2, 3, 1)  # HWC, as torchvision
    train_y = np.concatenate([cif[n][1] for n in names[:5]])

    def cifar_tf(a):
        a = random_crop(a, (32, 32), padding=4, pil=True)
        a = hflip_maybe(a, 0.5, pil=True)
        return normalize(to_tensor(np.ascontiguousarray(a)), [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616])

    torch.manual_seed(11)
    loader = torch.utils.data.DataLoader(MnistLike(train, train_y, cifar_tf), batch_size=3, shuffle=True)
    # (the first batch in full; every sample's float64 sum, to keep the file small)
    cbatches = [{"x": tlist(xb) if k == 0 else None, "sums": tlist(xb.double().sum(dim=(1, 2, 3))), "y": tlist(yb)} for k, (xb, yb) in enumerate(loader)]
    fx["cifar"] = {"train_targets": train_y.tolist(), "test_targets": cif["test_batch.bin"][1].tolist(),
                   "item3_hwc": train[3].reshape(-1).tolist(), "seed": 11, "batches": cbatches, "after": torch.rand(2).tolist()}

    # ImageFolder through a DataLoader: RGB, CenterCrop(3) of ToTensor, shuffled
    def folder_tf(img):
        return center_crop(to_tensor(np.array(img)), (3, 3))

    folder_items = [(pil_rgb(os.path.join(root, rel)), t) for rel, t in samples]

    class Folder(torch.utils.data.Dataset):
        def __len__(self):
            return len(folder_items)

        def __getitem__(self, i):
            img, t = folder_items[i]
            return folder_tf(img), t, i  # (the index: which samples are JPEGs)

    torch.manual_seed(3)
    loader = torch.utils.data.DataLoader(Folder(), batch_size=2, shuffle=True)
    fx["folder_loader"] = {"seed": 3, "batches": [{"x": tlist(xb), "y": tlist(yb), "i": tlist(ib)} for xb, yb, ib in loader],
                           "after": torch.rand(2).tolist()}

    # ------------------------------------------------------------------------- CSV
    csv_text = 'x1,x2,"label"\n1.5,-2,0\n 3e2 ,inf,1\n\n"4",1_000,2\r\n-0.25,nan,1\n'
    with open(os.path.join(DIR, "table.csv"), "w", newline="") as f:
        f.write(csv_text)
    import csv as pycsv
    rows = [r for r in pycsv.reader(csv_text.splitlines()) if r]
    head, body = rows[0], rows[1:]
    num = lambda v: float(v) if np.isfinite(float(v)) else repr(float(v)).replace("inf", "Infinity").replace("nan", "NaN")  # noqa: E731  (JSON has no inf/nan)
    fx["csv"] = {"header": head, "features": [[num(v) for v in r[:2]] for r in body], "labels": [int(r[2]) for r in body]}

    if HAVE_TV:  # the formulas against torchvision itself
        assert torch.equal(T.ToTensor()(Image.fromarray(c1)), to_tensor(c1))
        for c, (kind, s) in zip(cases, specs):
            torch.manual_seed(c["seed"])
            t = T.RandomCrop(s["size"], s.get("padding"), s.get("pad_if_needed", False), s.get("fill", 0), s.get("mode", "constant"))
            got = t(Image.fromarray(c1) if kind == "pil" else x)
            assert np.array_equal(np.asarray(got).reshape(-1), np.asarray(c["crop"]).reshape(-1)) if kind == "pil" else torch.equal(got, torch.tensor(c["crop"]))

    with open(OUT, "w") as f:
        json.dump(fx, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print("wrote", OUT, "and", DIR)


if __name__ == "__main__":
    main()
