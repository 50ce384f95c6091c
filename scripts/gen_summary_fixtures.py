"""Generate test/fixtures/summary.json: what torchinfo 1.8.0's `summary(model, ...)` prints and
returns for a few models (an MLP, PyTorch's MNIST example CNN, nested Sequentials with a frozen
layer, a module used twice, an LSTM over an embedding, BatchNorm in train mode), with the global
generator's next draws after it (torchinfo builds its input with torch.rand), and its errors.
test/summary.test.ts builds the same models in TypeScript and must print the same tables.

torchinfo is pure Python and needs only torch: `pip install torchinfo==1.8.0`, or put a checkout
of its v1.8.0 tag on PYTHONPATH (TORCHINFO_SRC=/path/to/checkout also works):
  TORCHINFO_SRC=/tmp/pyref /usr/bin/python3 scripts/gen_summary_fixtures.py
"""
import contextlib
import io
import json
import os
import sys
from collections import OrderedDict

if os.environ.get("TORCHINFO_SRC"):
    sys.path.insert(0, os.environ["TORCHINFO_SRC"])

import torch
import torch.nn.functional as F
from torch import nn

import torchinfo
from torchinfo import enums

assert torchinfo.__version__ == "1.8.0", torchinfo.__version__

# NOTE: torchinfo 1.8.0 predates Python 3.11, whose f-strings format a `str, Enum` member as
# "Units.MEGABYTES" instead of its value: the table would read "Total mult-adds (Units.MEGABYTES)".
# Under the Pythons it supported (and in torchinfo >= 1.8.1, which uses StrEnum) it reads
# "Total mult-adds (M)"; restore that.
enums.Units.__str__ = lambda self: str(self.value)
enums.Units.__format__ = lambda self, spec: format(str(self.value), spec)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "summary.json")


class Net(nn.Module):
    """PyTorch's examples/mnist/main.py network."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


class Shared(nn.Module):
    """One Linear used twice in forward: torchinfo's "(recursive)" rows."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.act = nn.ReLU()
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.fc(self.act(self.fc(x))))


class TextClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x))
        return self.fc(out[:, -1])


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(5, 4)

    def forward(self, a, b):
        return self.fc1(a) + self.fc2(b)


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def nested_frozen():
    m = nn.Sequential(
        nn.Sequential(nn.Linear(10, 20), nn.ReLU()),
        nn.Sequential(nn.Linear(20, 20), nn.Sequential(nn.Linear(20, 5), nn.Tanh())),
    )
    m[0][0].requires_grad_(False)
    return m


def partly_frozen():
    m = nested_frozen()
    m[1][0].bias.requires_grad_(False)
    return m


def cnn_seq():
    return nn.Sequential(nn.Conv2d(1, 32, 3, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))


def bn_net():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 2))


ALL_COLS = ["input_size", "output_size", "num_params", "params_percent", "kernel_size", "mult_adds", "trainable"]

# name -> (model factory, kwargs; "input_data" is a shape given to torch.randn after seeding)
CASES = OrderedDict([
    ("mlp", (mlp, dict(input_size=(128, 784)))),
    ("mlp_no_input", (mlp, dict())),
    ("mlp_batch_dim", (mlp, dict(input_size=(784,), batch_dim=0))),
    ("mnist_net", (Net, dict(input_size=(64, 1, 28, 28)))),
    ("mnist_net_all_cols", (Net, dict(input_size=(1, 1, 28, 28), col_names=ALL_COLS))),
    ("mnist_net_verbose", (Net, dict(input_size=(1, 1, 28, 28), verbose=2, col_names=["kernel_size", "num_params"]))),
    ("cnn_seq_var_names", (cnn_seq, dict(input_size=(64, 1, 28, 28), col_names=["input_size", "output_size", "num_params", "mult_adds"],
                                         row_settings=["var_names", "depth"]))),
    ("nested_frozen", (nested_frozen, dict(input_size=(3, 10)))),
    ("nested_frozen_depth1", (nested_frozen, dict(input_size=(3, 10), depth=1))),
    ("nested_frozen_depth2", (nested_frozen, dict(input_size=(3, 10), depth=2, col_names=["output_size", "num_params", "trainable"]))),
    ("nested_frozen_ascii", (nested_frozen, dict(input_size=(3, 10), row_settings=["ascii_only", "depth"], col_width=16))),
    ("nested_frozen_no_input", (nested_frozen, dict())),
    ("partly_frozen", (partly_frozen, dict(input_size=(3, 10), col_names=["num_params", "params_percent", "trainable"]))),
    ("shared", (Shared, dict(input_size=(4, 8)))),
    ("shared_hidden", (Shared, dict(input_size=(4, 8), row_settings=["depth", "hide_recursive_layers"]))),
    ("lstm", (TextClassifier, dict(input_size=(2, 7), dtypes=[torch.long], col_names=["input_size", "output_size", "num_params", "mult_adds"]))),
    ("bn_train", (bn_net, dict(input_data=(4, 3, 16, 16), mode="train", col_names=["output_size", "num_params", "mult_adds"]))),
    ("two_inputs", (TwoInputs, dict(input_size=[(2, 3), (2, 5)], col_names=["input_size", "output_size", "num_params"]))),
    ("two_inputs_data", (TwoInputs, dict(input_data=[(2, 3), (2, 5)]))),
    ("linear_double", (lambda: nn.Linear(5, 3).double(), dict(input_size=(2, 5), dtypes=[torch.float64]))),
])


def run_case(factory, kwargs):
    torch.manual_seed(0)
    model = factory()
    kwargs = dict(kwargs)
    if "input_data" in kwargs:
        shape = kwargs["input_data"]
        kwargs["input_data"] = [torch.randn(*s) for s in shape] if isinstance(shape, list) else torch.randn(*shape)
    was_training = [m.training for m in model.modules()]
    kwargs.setdefault("verbose", 0)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        stats = torchinfo.summary(model, **kwargs)
    printed = buf.getvalue()
    return {
        "table": str(stats),
        "printed": printed,
        "total_params": stats.total_params,
        "trainable_params": stats.trainable_params,
        "total_mult_adds": stats.total_mult_adds,
        "total_input": stats.total_input,
        "total_output_bytes": stats.total_output_bytes,
        "total_param_bytes": stats.total_param_bytes,
        "training_after": [m.training for m in model.modules()],
        "training_before": was_training,
        "after": torch.rand(3).tolist(),
    }


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__, "msg": str(e)}
    raise AssertionError("no error")


def main():
    cases = OrderedDict((name, run_case(f, kw)) for name, (f, kw) in CASES.items())
    m = mlp()
    errors = OrderedDict([
        ("col_width", err(lambda: torchinfo.summary(m, (1, 784), col_width=0, verbose=0))),
        ("verbose", err(lambda: torchinfo.summary(m, (1, 784), verbose=3))),
        ("both_inputs", err(lambda: torchinfo.summary(m, (1, 784), input_data=torch.zeros(1, 784), verbose=0))),
        ("columns_need_input", err(lambda: torchinfo.summary(m, col_names=["output_size"], verbose=0))),
        ("negative_size", err(lambda: torchinfo.summary(m, (1, -784), verbose=0))),
        ("empty_size", err(lambda: torchinfo.summary(m, [], verbose=0))),
        ("bad_column", err(lambda: torchinfo.summary(m, (1, 784), col_names=["outputs"], verbose=0))),
        ("bad_row", err(lambda: torchinfo.summary(m, (1, 784), row_settings=["depths"], verbose=0))),
        ("bad_mode", err(lambda: torchinfo.summary(m, (1, 784), mode="test", verbose=0))),
        ("forward_fails", err(lambda: torchinfo.summary(nn.Sequential(nn.Linear(4, 3), nn.Linear(5, 2)), (2, 4), verbose=0))),
    ])
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/gen_summary_fixtures.py", "torchinfo": torchinfo.__version__,
                   "torch": torch.__version__, "cases": cases, "errors": errors}, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
