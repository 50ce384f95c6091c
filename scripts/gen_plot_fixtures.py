"""Generate test/fixtures/plot.json: the references for utils.plot and utils.makeDot.

plot: what matplotlib 3.6 does with a line plot on its default figure (6.4 x 4.8 in, 100 dpi):
the autoscaled axis limits (5% margins), the tick locations of its AutoLocator (MaxNLocator with
steps 1, 2, 2.5, 5, 10) and the tick labels of its ScalarFormatter (offset off), plus
MaxNLocator.tick_values for explicit ranges and bin counts.
makeDot: torchviz's make_dot DOT source for a few autograd graphs, its node and edge structure.

matplotlib is Debian's python3-matplotlib; torchviz is `pip install torchviz` (0.0.2), or a checkout
of github.com/szagoruyko/pytorchviz on PYTHONPATH (TORCHVIZ_SRC=/path also works); it needs the
`graphviz` Python package (Debian's python3-graphviz), not the Graphviz programs.
Run: TORCHVIZ_SRC=/tmp/pyref /usr/bin/python3 scripts/gen_plot_fixtures.py
"""
import json
import math
import os
import re
import sys
import warnings
from collections import OrderedDict

if os.environ.get("TORCHVIZ_SRC"):
    sys.path.insert(0, os.environ["TORCHVIZ_SRC"])
warnings.filterwarnings("ignore")

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torchviz import make_dot  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "plot.json")

# ------------------------------------------------------------------ matplotlib axes
rng = np.random.default_rng(0)
steps = np.arange(1, 939)
loss = 2.3 * np.exp(-steps / 150) + 0.3 + 0.05 * rng.standard_normal(938)
AXES = OrderedDict([
    ("loss_curve", [(steps.tolist(), loss.tolist())]),
    ("two_series", [([1, 2, 3, 4, 5], [0.71, 0.78, 0.80, 0.83, 0.84]), ([1, 2, 3, 4, 5], [0.69, 0.75, 0.79, 0.80, 0.82])]),
    ("epochs_0_based", [(list(range(10)), [1.2, 0.8, 0.61, 0.5, 0.44, 0.4, 0.37, 0.35, 0.335, 0.33])]),
    ("tiny", [([0, 1, 2, 3], [1.5e-6, 2.5e-6, 3.1e-6, 7.9e-6])]),
    ("huge", [([0, 1, 2], [1.2e7, 3.4e7, 2.2e7])]),
    ("negative", [([-3.5, -1, 0.5, 2], [-0.25, 0.125, -0.75, 0.5])]),
    ("constant", [([0, 1, 2, 3], [0.5, 0.5, 0.5, 0.5])]),
    ("single_point", [([3], [7])]),
    ("zeros", [([0], [0])]),
    ("regression", [(np.linspace(0, 10, 25).tolist(), (2 * np.linspace(0, 10, 25) + 1 + rng.standard_normal(25)).tolist())]),
])


def axis_info(axis, lim):
    ticks = axis._update_ticks()
    return {"lim": list(lim), "ticks": [t.get_loc() for t in ticks], "labels": [t.label1.get_text() for t in ticks],
            "offset_text": axis.get_offset_text().get_text(), "all_locs": [float(v) for v in axis.get_majorticklocs()]}


axes_out = OrderedDict()
for name, series in AXES.items():
    fig, ax = plt.subplots()
    for x, y in series:
        ax.plot(x, y)
    ax.ticklabel_format(useOffset=False)
    fig.canvas.draw()
    axes_out[name] = {"series": series, "x": axis_info(ax.xaxis, ax.get_xlim()), "y": axis_info(ax.yaxis, ax.get_ylim()),
                      "fig_px": [fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi],
                      "axes_px": [ax.bbox.x0, ax.bbox.y0, ax.bbox.width, ax.bbox.height]}
    plt.close(fig)

locator = []
for vmin, vmax in [(0, 1), (0.3, 2.6), (-1, 1), (1, 938), (1e-6, 8e-6), (1e6, 1.0001e6), (-7.3, 0.2), (0.125, 0.1375), (5, 5), (2, 3)]:
    for nbins in [1, 3, 5, 9]:
        loc = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
        locator.append({"vmin": vmin, "vmax": vmax, "nbins": nbins, "ticks": [float(v) for v in loc.tick_values(vmin, vmax)]})

# ------------------------------------------------------------------ torchviz graphs


def canon(src):
    """Object ids -> 0, 1, 2... in order of first appearance."""
    ids = {}
    return re.sub(r"\b\d{9,}\b", lambda m: str(ids.setdefault(m.group(0), len(ids))), src)


def graph_mul_sum():
    torch.manual_seed(0)
    x = torch.randn(3, requires_grad=True)
    y = (x * 2).sum()
    return make_dot(y, params={"x": x})


def graph_mlp():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    loss = nn.functional.mse_loss(model(torch.randn(5, 3)), torch.randn(5, 2))
    return make_dot(loss, params=dict(model.named_parameters()))


def graph_mlp_no_params():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    return make_dot(model(torch.randn(5, 3)))


def graph_mul_saved():
    torch.manual_seed(0)
    a = torch.randn(2, 3, requires_grad=True)
    b = torch.randn(2, 3, requires_grad=True)
    return make_dot(a * b, params={"a": a, "b": b}, show_saved=True, show_attrs=True)


def graph_diamond():
    torch.manual_seed(0)
    a = torch.randn(4, requires_grad=True)
    b = torch.randn(4, requires_grad=True)
    z = a * b
    out = (z + z.sin()).mean()
    return make_dot(out, params={"a": a, "b": b})


def graph_two_outputs():
    torch.manual_seed(0)
    w = torch.randn(3, 3, requires_grad=True)
    return make_dot((w.sum(), (w * w).mean()), params={"w": w})


def graph_view_output():
    torch.manual_seed(0)
    w = torch.randn(2, 3, requires_grad=True)
    return make_dot((w * 3).t(), params={"w": w})


GRAPHS = OrderedDict([(f.__name__[len("graph_"):], f) for f in
                      [graph_mul_sum, graph_mlp, graph_mlp_no_params, graph_mul_saved, graph_diamond, graph_two_outputs, graph_view_output]])
graphs_out = OrderedDict((name, {"source": canon(f().source)}) for name, f in GRAPHS.items())

with open(OUT, "w") as f:
    json.dump({"generator": "scripts/gen_plot_fixtures.py", "matplotlib": matplotlib.__version__, "torch": torch.__version__,
               "axes": axes_out, "locator": locator, "graphs": graphs_out}, f, indent=1, ensure_ascii=False)
    f.write("\n")
