# Generates test/fixtures/sum.json: PyTorch 1.13's float sum / mean / var / std bits, for
# test/sum.test.ts (the summation order of SumKernel.cpp's cascade_sum decides the last bits).
# usage: /usr/bin/python3 scripts/gen_sum_fixtures.py
#
# Each case: torch.manual_seed(seed); x = torch.randn(shape) (or torch.rand, or randn + 3 so the sum
# does not cancel), optionally a view (t, narrow, permute), then the op. Small outputs are stored as
# base64 of their bytes, big ones (more than 256 elements) as the SHA-256 of their bytes.
import base64, hashlib, json, os, subprocess, sys
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "sum.json")
torch.set_num_threads(1)

def make(c):
    torch.manual_seed(c["seed"])
    dt = torch.float64 if c.get("dtype") == "float64" else torch.float32
    dist = c.get("dist", "randn")
    x = torch.rand(c["shape"], dtype=dt) if dist == "rand" else torch.randn(c["shape"], dtype=dt)
    if dist == "randn+3":
        x = x + 3
    v = c.get("view")
    if v:
        if v[0] == "t":
            x = x.t()
        elif v[0] == "narrow":
            x = x.narrow(v[1], v[2], v[3])
        elif v[0] == "permute":
            x = x.permute(*v[1])
        elif v[0] == "transpose":
            x = x.transpose(v[1], v[2])
    return x

def run(c):
    x = make(c)
    op, dim, keepdim = c["op"], c.get("dim"), c.get("keepdim", False)
    torch.set_num_threads(c.get("threads", 1))
    if op in ("sum", "mean"):
        f = getattr(torch, op)
        y = f(x) if dim is None else f(x, dim, keepdim=keepdim)
    else:
        f = getattr(torch, op)
        y = f(x, unbiased=c.get("unbiased", True)) if dim is None else f(x, dim, unbiased=c.get("unbiased", True), keepdim=keepdim)
    torch.set_num_threads(1)
    y = y.contiguous()
    b = y.numpy().tobytes()
    c = dict(c)
    c["outShape"] = list(y.shape)
    if y.numel() > 256:
        c["sha256"] = hashlib.sha256(b).hexdigest()
    else:
        c["out"] = base64.b64encode(b).decode()
    return c

cases = []
seed = 0
def add(**kw):
    global seed
    seed += 1
    kw.setdefault("seed", seed)
    cases.append(kw)

# NOTE: float64 cases draw with torch.rand: typetorch's float64 randn matches PyTorch only to about
# 1e-16 relative (an ulp in some elements), which would hide the summation order.
# (1) full sums of contiguous tensors: the cascade's block size and levels change with the length
sizes = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257,
         511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 4097, 8192, 10000, 32767, 32768,
         65535, 65536, 65537, 100000, 262143, 262144, 262145, 1000003, 1048576, 4194305]
for n in sizes:
    add(op="sum", shape=[n], dist="randn+3")
for n in [7, 100, 4096, 100000, 1000003]:
    add(op="sum", shape=[n])
    add(op="sum", shape=[n], dist="rand")
    add(op="mean", shape=[n], dist="rand")
for n in [1, 5, 33, 1000, 65537]:
    add(op="sum", shape=[n], dist="rand", dtype="float64")
    add(op="mean", shape=[n], dist="rand", dtype="float64")
# multi-dim contiguous tensors are one run
add(op="sum", shape=[60, 784], dist="rand")
add(op="mean", shape=[128, 10], dist="randn+3")
add(op="mean", shape=[3, 5, 7])
# the demo's size: mean of 60000 x 784 (and a length not a power of 2 near 5e7)
add(op="mean", shape=[47040000], dist="rand")
add(op="sum", shape=[50000017], dist="randn+3")
# (2) over the last and the first dim
for shape in [[128, 256], [256, 128], [3, 5], [7, 33], [33, 7], [1000, 10], [10, 1000], [64, 10],
              [128, 784], [100, 24], [5, 40], [2, 300], [300, 2], [17, 9], [9, 17], [4, 8], [8, 4]]:
    for dim in [0, 1]:
        add(op="sum", shape=shape, dim=dim, dist="randn+3")
add(op="sum", shape=[128, 256], dim=0, keepdim=True)
add(op="sum", shape=[128, 256], dim=1, keepdim=True)
add(op="sum", shape=[128, 256], dim=-1)
add(op="mean", shape=[128, 256], dim=0, dist="randn+3")
add(op="mean", shape=[128, 10], dim=1, keepdim=True, dist="randn+3")
add(op="mean", shape=[1000, 3], dim=0, dist="rand")
add(op="sum", shape=[128, 256], dim=0, dtype="float64", dist="rand")
add(op="sum", shape=[50, 37], dim=1, dtype="float64", dist="rand")
add(op="mean", shape=[37, 50], dim=0, dtype="float64", dist="rand")
add(op="sum", shape=[9, 40, 7], dim=[0, 2], dtype="float64", dist="rand")
add(op="sum", shape=[60000, 784], dim=0, dist="rand")
add(op="sum", shape=[5000, 784], dim=1, dist="rand")
add(op="sum", shape=[4096, 13], dim=0, dist="rand")
# (3) other dims, several dims, 3-D / 4-D
for dim in [0, 1, 2, [0, 1], [0, 2], [1, 2], [0, 1, 2]]:
    add(op="sum", shape=[5, 12, 33], dim=dim, dist="randn+3")
for dim in [[0, 2, 3], [2, 3], 1, [0, 1]]:
    add(op="sum", shape=[16, 3, 20, 20], dim=dim, dist="randn+3")
add(op="mean", shape=[16, 3, 20, 20], dim=[0, 2, 3], dist="randn+3")
add(op="sum", shape=[4, 1, 50], dim=2, dist="randn+3")
add(op="sum", shape=[4, 1, 50], dim=1, dist="randn+3")
add(op="sum", shape=[64, 1], dim=0, dist="randn+3")
add(op="sum", shape=[1, 64], dim=1, dist="randn+3")
# non-contiguous inputs
add(op="sum", shape=[256, 128], view=["t"], dim=0, dist="randn+3")
add(op="sum", shape=[256, 128], view=["t"], dim=1, dist="randn+3")
add(op="sum", shape=[256, 128], view=["t"], dist="randn+3")
add(op="sum", shape=[100, 50], view=["narrow", 1, 3, 40], dist="randn+3")
add(op="sum", shape=[100, 50], view=["narrow", 1, 3, 5], dist="randn+3")
add(op="sum", shape=[100, 50], view=["narrow", 1, 3, 40], dim=0, dist="randn+3")
add(op="sum", shape=[100, 50], view=["narrow", 1, 3, 40], dim=1, dist="randn+3")
add(op="sum", shape=[100, 50], view=["narrow", 1, 0, 7], dim=0, dist="randn+3")
add(op="sum", shape=[50, 100], view=["t"], dim=0, dist="randn+3")
add(op="sum", shape=[7, 50], view=["t"], dim=1, dist="randn+3")
add(op="sum", shape=[9, 8, 7], view=["permute", [2, 0, 1]], dim=1, dist="randn+3")
add(op="sum", shape=[9, 8, 7], view=["permute", [1, 2, 0]], dim=[0, 2], dist="randn+3")
add(op="sum", shape=[6, 40, 30], view=["transpose", 1, 2], dim=2, dist="randn+3")
add(op="sum", shape=[6, 40, 30], view=["transpose", 0, 2], dim=0, dist="randn+3")
add(op="sum", shape=[6, 40, 30], view=["narrow", 2, 1, 20], dim=[0, 2], dist="randn+3")
# more threads: full reductions of >= 32768 elements split into one chunk per thread
for th in [2, 3, 4]:
    for n in [32768, 32769, 100000, 1000003]:
        add(op="sum", shape=[n], dist="randn+3", threads=th)
add(op="mean", shape=[4700000], dist="rand", threads=2)
add(op="sum", shape=[60000, 784], dim=0, dist="rand", threads=2)
add(op="sum", shape=[512, 300], dim=1, dist="randn+3", threads=2)
add(op="sum", shape=[300, 77], view=["narrow", 1, 0, 70], dist="randn+3", threads=2)
# split over a kept dim: where each thread's columns start decides the outer sums' blocks
add(op="sum", shape=[400, 100, 2], view=["narrow", 2, 0, 1], dim=0, dist="randn+3", threads=3)
add(op="sum", shape=[400, 100, 2], view=["narrow", 2, 0, 1], dim=0, dist="randn+3", threads=2)
add(op="sum", shape=[200, 203], dim=0, dist="randn+3", threads=3)
add(op="sum", shape=[20, 50, 70], dim=1, dist="randn+3", threads=4)
add(op="sum", shape=[20, 50, 70], dim=[0, 2], dist="randn+3", threads=2)
# (4) var / std over every element (std_var_all_cpu: float mean, float64 squared deviations)
for n in [2, 10, 1000, 32768, 100001]:
    add(op="std", shape=[n], dist="rand")
    add(op="var", shape=[n], dist="randn+3")
add(op="var", shape=[100, 30], unbiased=False, dist="rand")
add(op="std", shape=[100, 30], view=["t"], dist="rand")
add(op="std", shape=[47040000], dist="rand")
add(op="std", shape=[1000, 100], dtype="float64", dist="rand")
add(op="var", shape=[100001], dist="randn+3", threads=2)
# over some dims (std_var_kernel_impl: Welford in float64 per output)
add(op="var", shape=[128, 50], dim=0, dist="randn+3")
add(op="std", shape=[128, 50], dim=1, dist="randn+3")
add(op="std", shape=[128, 50], dim=0, keepdim=True, dist="rand")
add(op="var", shape=[1000, 7], dim=0, unbiased=False, dist="randn+3")
add(op="std", shape=[5, 12, 33], dim=[0, 2], dist="randn+3")
add(op="var", shape=[5, 12, 33], dim=1, dist="randn+3")
add(op="std", shape=[16, 3, 20, 20], dim=[0, 2, 3], dist="rand")
add(op="std", shape=[64, 30], view=["t"], dim=1, dist="randn+3")
add(op="var", shape=[64, 30], dim=0, dtype="float64", dist="rand")
add(op="std", shape=[100000, 2], dim=0, dist="rand")

# other CPU kernel builds (the vector width changes the order): ATEN_CPU_CAPABILITY is read once at
# start-up, so these cases run in a child process
# NOTE: uniform draws only: the default build's float32 normals differ from the AVX2 build's.
for cap in ["avx512", "default"]:
    for n in [7, 16, 33, 100, 1000, 4097, 100000, 1000003]:
        add(op="sum", shape=[n], dist="rand", cap=cap)
    add(op="sum", shape=[1000], dist="rand", dtype="float64", cap=cap)
    for shape, dim in [([128, 256], 0), ([128, 256], 1), ([70, 50], 0), ([50, 70], 1), ([5, 12, 33], [0, 2])]:
        add(op="sum", shape=shape, dim=dim, dist="rand", cap=cap)
    add(op="sum", shape=[64, 100], dim=0, dist="rand", dtype="float64", cap=cap)
    add(op="mean", shape=[47040000], dist="rand", cap=cap)
    add(op="sum", shape=[200, 200], dim=0, dist="rand", cap=cap, threads=2)
    add(op="sum", shape=[200, 203], dim=0, dist="rand", cap=cap, threads=3)
    add(op="sum", shape=[1000003], dist="rand", cap=cap, threads=2)

if len(sys.argv) > 1 and sys.argv[1] == "--child":
    todo = json.load(sys.stdin)
    json.dump([run(c) for c in todo], sys.stdout)
    sys.exit(0)

out = []
for c in cases:
    if "cap" not in c:
        out.append(run(c))
for cap in ["avx512", "default"]:
    todo = [c for c in cases if c.get("cap") == cap]
    env = dict(os.environ, ATEN_CPU_CAPABILITY=cap)
    r = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps(todo), env=env,
                       capture_output=True, text=True, check=True)
    out.extend(json.loads(r.stdout))
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": out}, f, separators=(",", ":"))
    f.write("\n")
print(len(out), "cases,", os.path.getsize(OUT), "bytes")
