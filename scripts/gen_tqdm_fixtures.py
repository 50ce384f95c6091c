"""Generate test/fixtures/tqdm.json: what tqdm 4.64 prints -- format_meter for many states (bar,
percentage, rate, ETA, postfix, unit scaling, ncols), its number formatters, and the exact byte
stream of whole runs driven by a fake clock (the initial bar, updates at mininterval with the
smoothed rate, set_postfix, close with and without leave). test/tqdm.test.ts replays them.

tqdm is Debian's python3-tqdm (apt-get install python3-tqdm) or `pip install tqdm`.
Run: /usr/bin/python3 scripts/gen_tqdm_fixtures.py
"""
import io
import json
import os
from collections import OrderedDict

import tqdm as tqdm_pkg
import tqdm.std as tqdm_std
from tqdm import tqdm

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "tqdm.json")

fm = tqdm.format_meter
meter_cases = []


def meter(n, total, elapsed, **kw):
    meter_cases.append({"n": n, "total": total, "elapsed": elapsed, "kw": kw, "out": fm(n, total, elapsed, **kw)})


for n in [0, 1, 7, 45, 125, 450, 999, 1000]:
    meter(n, 1000, n / 190.12 if n else 0)
meter(450, 1000, 2.3668, prefix="desc", postfix="loss=0.312")
meter(1, 8, 0.5)                      # 12.5% rounds half to even: " 12%"
meter(3, 8, 0.5)                      # 37.5%
meter(5, 8, 0.5, ascii=True)
meter(33, 100, 4.0, ascii=True, prefix="epoch 1: ")
meter(3, 10, 4.5)                     # slower than 1 it/s: s/it
meter(3, None, 4.5)
meter(17, None, 2.0, prefix="stream", unit="batch")
meter(2500, None, 10.0, unit_scale=True, unit="B")
meter(123456, 1000000, 61.7, unit_scale=True)
meter(1536, 4096, 3.0, unit_scale=True, unit_divisor=1024, unit="B")
meter(12, 100, 3725.0)                # over an hour: H:MM:SS
meter(50, 100, 5.0, rate=25.0)
meter(10, 100, 1.0, initial=5)
meter(450, 1000, 2.3668, ncols=60, prefix="train")
meter(450, 1000, 2.3668, ncols=100, prefix="train", postfix="acc=0.9, loss=0.312")
meter(450, 1000, 2.3668, ncols=20)
meter(450, 1000, 2.3668, ncols=0)
meter(1001, 1000, 3.0)                # n past total: no bar
meter(0, 0, 0.0)
meter(7, 7, 0.0)
meter(2, 3, 1e-9)

sizeof = [(v, tqdm.format_sizeof(v)) for v in [0, 1, 9.994, 9.995, 10, 99.94, 99.95, 999, 999.4, 999.5, 1000, 1234567, 9.9995e6, 5e24, 2e27]]
sizeof_1024 = [(v, tqdm.format_sizeof(v, divisor=1024)) for v in [1000, 1023, 1024, 1536, 1048576 * 3.5]]
interval = [(v, tqdm.format_interval(v)) for v in [0, 0.9, 59.99, 60, 61, 3599, 3600, 3661, 86400 * 2 + 5]]
num = [(v, tqdm.format_num(v)) for v in [0.312, 0.31234567, 1.0, 1, 123456, 1234.5678, 1e-5, 0.00012345, 2.5e-10, 0.3125, 100.0, 12345678.9]]


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def run(fn, **kw):
    clock = Clock()
    tqdm_std.time = clock
    buf = io.StringIO()
    try:
        fn(clock, buf, kw)
    finally:
        tqdm_std.time = __import__("time").time
    return buf.getvalue()


def iterate(clock, buf, kw):
    steps = kw.pop("steps")
    dt = kw.pop("dt")
    post = kw.pop("postfix_every", 0)
    bar = tqdm(range(steps), file=buf, ascii=False, **kw)
    for i in bar:
        clock.t += dt
        if post and i % post == 0:
            bar.set_postfix(loss=1.0 / (i + 1), acc=i / steps)


def manual(clock, buf, kw):
    bar = tqdm(total=kw.pop("total"), file=buf, ascii=False, **kw)
    for step, dt in [(3, 0.05), (5, 0.2), (1, 0.3), (10, 1.0), (2, 0.01), (20, 2.0)]:
        clock.t += dt
        bar.update(step)
    bar.set_postfix_str("done")
    bar.close()


runs = OrderedDict([
    ("iter_50", dict(fn=iterate, kw=dict(steps=50, dt=0.05))),
    ("iter_desc_postfix", dict(fn=iterate, kw=dict(steps=40, dt=0.07, desc="epoch 1", postfix_every=10))),
    ("iter_no_leave", dict(fn=iterate, kw=dict(steps=12, dt=0.3, leave=False))),
    ("iter_mininterval", dict(fn=iterate, kw=dict(steps=30, dt=0.1, mininterval=0.5, unit="batch"))),
    ("iter_ncols", dict(fn=iterate, kw=dict(steps=20, dt=0.2, ncols=70, desc="train"))),
    ("manual_total", dict(fn=manual, kw=dict(total=41))),
    ("manual_no_total", dict(fn=manual, kw=dict(total=None, desc="stream"))),
])
run_out = OrderedDict()
for name, r in runs.items():
    kw = dict(r["kw"])
    run_out[name] = {"kw": r["kw"], "out": run(r["fn"], **kw)}

# set_postfix: keyword arguments are sorted, an ordered dict keeps its order, numbers use format_num
pf = []
for args, kwargs in [((), dict(loss=0.312)), ((), dict(loss=0.31234567, acc=0.5, lr=1e-05)),
                     ((OrderedDict([("z", 1), ("a", 2.0)]),), dict()), ((OrderedDict([("loss", 0.5)]),), dict(acc="  90% ")),
                     ((), dict(step=12345678, name="mlp"))]:
    b = tqdm(total=10, file=io.StringIO(), ascii=False)
    b.set_postfix(*args, refresh=False, **kwargs)
    pf.append({"dict": list(args[0].items()) if args else None, "kwargs": kwargs, "postfix": b.postfix})
    b.close()

with open(OUT, "w") as f:
    json.dump({"generator": "scripts/gen_tqdm_fixtures.py", "tqdm": tqdm_pkg.__version__, "meter": meter_cases,
               "sizeof": sizeof, "sizeof_1024": sizeof_1024, "interval": interval, "num": num, "runs": run_out,
               "postfix": pf}, f, indent=1, ensure_ascii=False)
    f.write("\n")
