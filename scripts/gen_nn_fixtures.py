#!/usr/bin/env python3
"""Generates test/fixtures/nn.json from real PyTorch (1.13): generated data, do not edit the output.

Sections:
  cases   functional ops and losses: inputs, kwargs, output, grad_fn name, gradients (for a stored
          upstream gradient `gout`), and inputs mutated in place (batch norm running stats)
  inits   default parameter init of modules built under torch.manual_seed(0)
  reprs   str(module)
  keys    state_dict keys / named_parameters / named_buffers
  errors  exception type and message for bad calls
Run: /usr/bin/python3 scripts/gen_nn_fixtures.py
"""
import json, math, os
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_printoptions(precision=4)
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "nn.json")


def enc(t):
    if t is None:
        return None
    d = t.detach()
    return {"shape": list(d.shape), "dtype": str(d.dtype).replace("torch.", ""), "data": d.reshape(-1).tolist()}


def rnd(*shape, lo=-2.0, hi=2.0, grad=True):
    t = torch.rand(*shape) * (hi - lo) + lo
    return t.requires_grad_(grad)


def ints(hi, *shape):
    return torch.randint(0, hi, shape, dtype=torch.int64)


cases = []


def case(name, fn, inputs, kw=None, mutate=()):
    """fn: key into FNS; inputs: list of tensors (or None); kw: JSON-able kwargs."""
    kw = kw or {}
    ins = [None if t is None else t.detach().clone().requires_grad_(t.requires_grad) for t in inputs]
    stored = [enc(t) for t in ins]
    for s, t in zip(stored, ins):
        if s is not None:
            s["requiresGrad"] = bool(t.requires_grad)
    out = FNS[fn](*ins, **kw)
    rec = {"name": name, "fn": fn, "kw": kw, "inputs": stored, "out": enc(out),
           "gradFn": type(out.grad_fn).__name__ if out.grad_fn is not None else None}
    if out.grad_fn is not None:
        g = torch.Generator().manual_seed(1)
        gout = torch.randn(out.shape, generator=g, dtype=out.dtype)
        out.backward(gout)
        rec["gout"] = enc(gout)
        rec["grads"] = [enc(t.grad) if (t is not None and t.requires_grad) else None for t in ins]
    if mutate:
        rec["after"] = {str(i): enc(ins[i]) for i in mutate}
    cases.append(rec)


FNS = {
    "linear": lambda x, w, b=None: F.linear(x, w, b),
    "relu": lambda x: F.relu(x),
    "leaky_relu": lambda x, negative_slope=0.01: F.leaky_relu(x, negative_slope),
    "elu": lambda x, alpha=1.0: F.elu(x, alpha),
    "gelu": lambda x, approximate="none": F.gelu(x, approximate=approximate),
    "silu": lambda x: F.silu(x),
    "sigmoid": lambda x: torch.sigmoid(x),
    "tanh": lambda x: torch.tanh(x),
    "softplus": lambda x, beta=1, threshold=20: F.softplus(x, beta, threshold),
    "softmax": lambda x, dim: F.softmax(x, dim),
    "log_softmax": lambda x, dim: F.log_softmax(x, dim),
    "dropout": lambda x, p, training: (torch.manual_seed(3), F.dropout(x, p, training))[1],
    "layer_norm": lambda x, w, b, normalized_shape, eps=1e-5: F.layer_norm(x, normalized_shape, w, b, eps),
    "batch_norm": lambda x, rm, rv, w, b, training, momentum=0.1, eps=1e-5: F.batch_norm(x, rm, rv, w, b, training, momentum, eps),
    "embedding": lambda idx, w, padding_idx=None: F.embedding(idx, w, padding_idx),
    "conv1d": lambda x, w, b, **kw: F.conv1d(x, w, b, **kw),
    "conv2d": lambda x, w, b, **kw: F.conv2d(x, w, b, **kw),
    "max_pool2d": lambda x, kernel_size, **kw: F.max_pool2d(x, kernel_size, **kw),
    "avg_pool2d": lambda x, kernel_size, **kw: F.avg_pool2d(x, kernel_size, **kw),
    "adaptive_avg_pool2d": lambda x, output_size: F.adaptive_avg_pool2d(x, output_size),
    "pad": lambda x, pad, value=0.0: F.pad(x, pad, "constant", value),
    "flatten": lambda x, start_dim=0, end_dim=-1: torch.flatten(x, start_dim, end_dim),
    "one_hot": lambda x, num_classes=-1: F.one_hot(x, num_classes),
    "mse_loss": lambda x, t, **kw: F.mse_loss(x, t, **kw),
    "l1_loss": lambda x, t, **kw: F.l1_loss(x, t, **kw),
    "smooth_l1_loss": lambda x, t, **kw: F.smooth_l1_loss(x, t, **kw),
    "huber_loss": lambda x, t, **kw: F.huber_loss(x, t, **kw),
    "binary_cross_entropy": lambda x, t, w=None, **kw: F.binary_cross_entropy(x, t, weight=w, **kw),
    "binary_cross_entropy_with_logits": lambda x, t, w=None, pw=None, **kw: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, **kw),
    "nll_loss": lambda x, t, w=None, **kw: F.nll_loss(x, t, weight=w, **kw),
    "cross_entropy": lambda x, t, w=None, **kw: F.cross_entropy(x, t, weight=w, **kw),
    "kl_div": lambda x, t, **kw: F.kl_div(x, t, **kw),
}

torch.manual_seed(0)
# ---------------------------------------------------------------- activations
for fn, kws in [("relu", [{}]), ("leaky_relu", [{}, {"negative_slope": 0.2}]), ("elu", [{}, {"alpha": 0.5}]),
                ("gelu", [{}, {"approximate": "tanh"}]), ("silu", [{}]), ("sigmoid", [{}]), ("tanh", [{}]),
                ("softplus", [{}, {"beta": 2, "threshold": 1}]), ("softmax", [{"dim": 1}, {"dim": 0}]),
                ("log_softmax", [{"dim": 1}, {"dim": -1}])]:
    for kw in kws:
        case(f"{fn} {json.dumps(kw)}", fn, [rnd(3, 5, lo=-3, hi=3)], kw)
case("log_softmax large logits", "log_softmax", [torch.tensor([[1000.0, 0.0, -1000.0], [50.0, 60.0, 70.0]], requires_grad=True)], {"dim": 1})
case("dropout train p=0.3", "dropout", [rnd(4, 6)], {"p": 0.3, "training": True})
case("dropout eval", "dropout", [rnd(4, 6)], {"p": 0.3, "training": False})
# ---------------------------------------------------------------- linear
case("linear 2d bias", "linear", [rnd(4, 3), rnd(5, 3), rnd(5)])
case("linear 3d bias", "linear", [rnd(2, 4, 3), rnd(5, 3), rnd(5)])
case("linear 2d no bias", "linear", [rnd(4, 3), rnd(5, 3)])
case("linear 1d bias", "linear", [rnd(3), rnd(5, 3), rnd(5)])
# ---------------------------------------------------------------- normalization
case("layer_norm last", "layer_norm", [rnd(2, 3, 4), rnd(4), rnd(4)], {"normalized_shape": [4]})
case("layer_norm last2", "layer_norm", [rnd(2, 3, 4), rnd(3, 4), rnd(3, 4)], {"normalized_shape": [3, 4], "eps": 1e-3})
case("layer_norm no affine", "layer_norm", [rnd(5, 6), None, None], {"normalized_shape": [6]})
for shape in [(6, 3), (4, 3, 5), (2, 3, 4, 4)]:
    C = shape[1]
    case(f"batch_norm train {shape}", "batch_norm",
         [rnd(*shape), torch.zeros(C), torch.ones(C), rnd(C), rnd(C)], {"training": True, "momentum": 0.1}, mutate=(1, 2))
case("batch_norm eval", "batch_norm",
     [rnd(4, 3, 2, 2), rnd(3, grad=False), rnd(3, lo=0.5, hi=2, grad=False), rnd(3), rnd(3)], {"training": False})
case("batch_norm train no affine", "batch_norm", [rnd(5, 2), torch.zeros(2), torch.ones(2), None, None], {"training": True, "momentum": 0.3}, mutate=(1, 2))
# ---------------------------------------------------------------- embedding
case("embedding", "embedding", [ints(6, 2, 4), rnd(6, 3)])
case("embedding padding_idx", "embedding", [torch.tensor([[0, 2, 0], [1, 2, 5]]), rnd(6, 3)], {"padding_idx": 0})
# ---------------------------------------------------------------- conv
case("conv2d basic", "conv2d", [rnd(2, 3, 6, 5), rnd(4, 3, 3, 3), rnd(4)])
case("conv2d stride pad", "conv2d", [rnd(2, 2, 7, 6), rnd(3, 2, 3, 2), rnd(3)], {"stride": [2, 1], "padding": [1, 2]})
case("conv2d dilation", "conv2d", [rnd(1, 2, 7, 7), rnd(2, 2, 3, 3), None], {"dilation": 2, "padding": 1})
case("conv2d groups", "conv2d", [rnd(2, 4, 5, 5), rnd(6, 2, 3, 3), rnd(6)], {"groups": 2, "stride": 2})
case("conv2d same", "conv2d", [rnd(1, 2, 5, 6), rnd(3, 2, 4, 3), rnd(3)], {"padding": "same"})
case("conv2d unbatched", "conv2d", [rnd(2, 5, 5), rnd(3, 2, 2, 2), rnd(3)])
case("conv1d basic", "conv1d", [rnd(2, 3, 9), rnd(4, 3, 3), rnd(4)], {"stride": 2, "padding": 1})
case("conv1d groups dilation", "conv1d", [rnd(1, 4, 10), rnd(4, 1, 3), None], {"groups": 4, "dilation": 2})
# ---------------------------------------------------------------- pooling
case("max_pool2d 2", "max_pool2d", [rnd(2, 3, 6, 6)], {"kernel_size": 2})
case("max_pool2d stride pad", "max_pool2d", [rnd(1, 2, 7, 5)], {"kernel_size": 3, "stride": 2, "padding": 1})
case("max_pool2d ceil", "max_pool2d", [rnd(1, 2, 7, 7)], {"kernel_size": 2, "ceil_mode": True})
case("max_pool2d dilation", "max_pool2d", [rnd(1, 1, 8, 8)], {"kernel_size": 2, "dilation": 2})
case("max_pool2d unbatched", "max_pool2d", [rnd(3, 4, 4)], {"kernel_size": [2, 1]})
case("avg_pool2d 2", "avg_pool2d", [rnd(2, 3, 6, 6)], {"kernel_size": 2})
case("avg_pool2d pad", "avg_pool2d", [rnd(1, 2, 5, 5)], {"kernel_size": 3, "stride": 2, "padding": 1})
case("avg_pool2d pad exclude", "avg_pool2d", [rnd(1, 2, 5, 5)], {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False})
case("avg_pool2d ceil", "avg_pool2d", [rnd(1, 1, 5, 5)], {"kernel_size": 2, "ceil_mode": True})
case("adaptive_avg_pool2d 3", "adaptive_avg_pool2d", [rnd(2, 2, 7, 7)], {"output_size": 3})
case("adaptive_avg_pool2d 1", "adaptive_avg_pool2d", [rnd(2, 3, 4, 5)], {"output_size": 1})
case("adaptive_avg_pool2d 2x3", "adaptive_avg_pool2d", [rnd(1, 2, 5, 7)], {"output_size": [2, 3]})
# ---------------------------------------------------------------- shape helpers
case("pad", "pad", [rnd(2, 3, 4)], {"pad": [1, 2, 0, 1], "value": 0.5})
case("flatten", "flatten", [rnd(2, 3, 4)], {"start_dim": 1})
case("one_hot", "one_hot", [torch.tensor([0, 3, 1])], {})
case("one_hot n", "one_hot", [torch.tensor([[0, 1], [2, 0]])], {"num_classes": 5})
# ---------------------------------------------------------------- losses
RED = ["mean", "sum", "none"]
for r in RED:
    case(f"mse_loss {r}", "mse_loss", [rnd(3, 4), rnd(3, 4)], {"reduction": r})
    case(f"l1_loss {r}", "l1_loss", [rnd(3, 4), rnd(3, 4)], {"reduction": r})
    case(f"smooth_l1_loss {r}", "smooth_l1_loss", [rnd(3, 4), rnd(3, 4)], {"reduction": r})
    case(f"smooth_l1_loss beta {r}", "smooth_l1_loss", [rnd(3, 4), rnd(3, 4)], {"reduction": r, "beta": 0.5})
    case(f"huber_loss {r}", "huber_loss", [rnd(3, 4), rnd(3, 4)], {"reduction": r, "delta": 0.7})
    case(f"bce {r}", "binary_cross_entropy", [rnd(3, 4, lo=0.02, hi=0.98), rnd(3, 4, lo=0, hi=1, grad=False)], {"reduction": r})
    case(f"bce weight {r}", "binary_cross_entropy", [rnd(3, 4, lo=0.02, hi=0.98), rnd(3, 4, lo=0, hi=1), rnd(4, lo=0.1, hi=2, grad=False)], {"reduction": r})
    case(f"bce_logits {r}", "binary_cross_entropy_with_logits", [rnd(3, 4, lo=-5, hi=5), rnd(3, 4, lo=0, hi=1)], {"reduction": r})
    case(f"bce_logits pos_weight {r}", "binary_cross_entropy_with_logits",
         [rnd(3, 4, lo=-5, hi=5), rnd(3, 4, lo=0, hi=1), rnd(3, 4, lo=0.5, hi=1.5, grad=False), rnd(4, lo=0.5, hi=3, grad=False)], {"reduction": r})
    case(f"nll {r}", "nll_loss", [rnd(5, 4), ints(4, 5)], {"reduction": r})
    case(f"nll weight ignore {r}", "nll_loss", [rnd(5, 4), torch.tensor([0, 3, 1, 3, 2]), rnd(4, lo=0.2, hi=2, grad=False)], {"reduction": r, "ignore_index": 3})
    case(f"cross_entropy {r}", "cross_entropy", [rnd(5, 4, lo=-4, hi=4), ints(4, 5)], {"reduction": r})
    case(f"cross_entropy weight ignore {r}", "cross_entropy", [rnd(5, 4), torch.tensor([0, 3, 1, 3, 2]), rnd(4, lo=0.2, hi=2, grad=False)], {"reduction": r, "ignore_index": 1})
    case(f"cross_entropy smoothing {r}", "cross_entropy", [rnd(5, 4), torch.tensor([0, 3, 1, 3, 2])], {"reduction": r, "label_smoothing": 0.2})
    case(f"cross_entropy smoothing weight {r}", "cross_entropy", [rnd(5, 4), torch.tensor([0, 3, 1, 3, 2]), rnd(4, lo=0.2, hi=2, grad=False)], {"reduction": r, "label_smoothing": 0.1, "ignore_index": 3})
    case(f"cross_entropy probs {r}", "cross_entropy", [rnd(3, 4), torch.rand(3, 4).softmax(1)], {"reduction": r})
    case(f"cross_entropy probs weight smoothing {r}", "cross_entropy", [rnd(3, 4), torch.rand(3, 4).softmax(1), rnd(4, lo=0.2, hi=2, grad=False)], {"reduction": r, "label_smoothing": 0.3})
    case(f"cross_entropy 4d {r}", "cross_entropy", [rnd(2, 3, 2, 2), ints(3, 2, 2, 2)], {"reduction": r})
for r in RED + ["batchmean"]:
    case(f"kl_div {r}", "kl_div", [torch.rand(3, 4).log_softmax(1).requires_grad_(), torch.rand(3, 4).softmax(1)], {"reduction": r})
    case(f"kl_div log_target {r}", "kl_div", [torch.rand(3, 4).log_softmax(1).requires_grad_(), torch.rand(3, 4).log_softmax(1)], {"reduction": r, "log_target": True})
case("nll 1d", "nll_loss", [rnd(4), torch.tensor(2)], {})
case("cross_entropy 1d", "cross_entropy", [rnd(4), torch.tensor(1)], {})
case("cross_entropy large logits", "cross_entropy", [torch.tensor([[1000.0, -1000.0, 0.0], [0.0, 500.0, 500.0]], requires_grad=True), torch.tensor([0, 2])], {})
case("bce_logits large", "binary_cross_entropy_with_logits", [torch.tensor([100.0, -100.0, 30.0, -30.0], requires_grad=True), torch.tensor([0.0, 1.0, 1.0, 0.0])], {})
case("bce clamp", "binary_cross_entropy", [torch.tensor([0.0, 1.0, 0.5], requires_grad=True), torch.tensor([1.0, 0.0, 1.0])], {"reduction": "none"})

# ---------------------------------------------------------------- modules: init under manual_seed(0)
MODULES = {
    "Linear(3, 2)": lambda: nn.Linear(3, 2),
    "Linear(5, 4, bias=False)": lambda: nn.Linear(5, 4, bias=False),
    "Conv2d(3, 4, 3)": lambda: nn.Conv2d(3, 4, 3),
    "Conv2d(4, 6, (3, 2), groups=2, bias=False)": lambda: nn.Conv2d(4, 6, (3, 2), groups=2, bias=False),
    "Conv1d(2, 3, 5, stride=2)": lambda: nn.Conv1d(2, 3, 5, stride=2),
    "Embedding(5, 3)": lambda: nn.Embedding(5, 3),
    "Embedding(5, 3, padding_idx=2)": lambda: nn.Embedding(5, 3, padding_idx=2),
    "LayerNorm(4)": lambda: nn.LayerNorm(4),
    "BatchNorm1d(3)": lambda: nn.BatchNorm1d(3),
    "BatchNorm2d(2, affine=False)": lambda: nn.BatchNorm2d(2, affine=False),
    "Sequential(Linear(2, 3), ReLU(), Linear(3, 1))": lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)),
}
inits = {}
for name, mk in MODULES.items():
    torch.manual_seed(0)
    m = mk()
    inits[name] = {k: enc(v) for k, v in m.state_dict().items()}

# init functions under manual_seed(0), on a (4, 5) weight
INITS = {
    "xavier_uniform_": lambda t: nn.init.xavier_uniform_(t),
    "xavier_uniform_ gain 2": lambda t: nn.init.xavier_uniform_(t, gain=2.0),
    "xavier_normal_": lambda t: nn.init.xavier_normal_(t),
    "kaiming_uniform_": lambda t: nn.init.kaiming_uniform_(t),
    "kaiming_uniform_ relu fan_out": lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"),
    "kaiming_normal_": lambda t: nn.init.kaiming_normal_(t),
    "kaiming_normal_ a=0.1": lambda t: nn.init.kaiming_normal_(t, a=0.1),
    "uniform_": lambda t: nn.init.uniform_(t, -0.5, 0.5),
    "normal_": lambda t: nn.init.normal_(t, 1.0, 0.1),
    "constant_": lambda t: nn.init.constant_(t, 0.3),
    "eye_": lambda t: nn.init.eye_(t),
    "trunc_normal_": lambda t: nn.init.trunc_normal_(t),
    "trunc_normal_ 0.5 0.2 [0, 1]": lambda t: nn.init.trunc_normal_(t, 0.5, 0.2, 0.0, 1.0),
    "orthogonal_": lambda t: nn.init.orthogonal_(t),
    "orthogonal_ gain": lambda t: nn.init.orthogonal_(t.view(5, 4), gain=1.5),
}
init_fns = {}
for name, f in INITS.items():
    torch.manual_seed(0)
    t = torch.empty(4, 5)
    f(t)
    init_fns[name] = enc(t)
gains = {k: nn.init.calculate_gain(k) for k in ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "conv2d"]}
gains["leaky_relu,0.2"] = nn.init.calculate_gain("leaky_relu", 0.2)

# ---------------------------------------------------------------- reprs
class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.bn = nn.BatchNorm1d(120)
        self.drop = nn.Dropout(0.25)
        self.head = nn.Sequential(nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10), nn.LogSoftmax(dim=1))


REPRS = {
    "LinearRegression": LinearRegression,
    "Net": Net,
    "Sequential(Linear(2, 3), ReLU(), Linear(3, 1))": lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)),
    "ModuleList": lambda: nn.ModuleList([nn.Linear(1, 2), nn.Tanh()]),
    "ModuleDict": lambda: nn.ModuleDict({"act": nn.Sigmoid(), "lin": nn.Linear(2, 2, bias=False)}),
    "Sequential()": lambda: nn.Sequential(),
    "Identity": lambda: nn.Identity(),
    "Flatten": lambda: nn.Flatten(),
    "Embedding(10, 3, padding_idx=0)": lambda: nn.Embedding(10, 3, padding_idx=0),
    "Dropout(0.1)": lambda: nn.Dropout(0.1),
    "LayerNorm((3, 4), eps=1e-6)": lambda: nn.LayerNorm((3, 4), eps=1e-6),
    "BatchNorm1d(4)": lambda: nn.BatchNorm1d(4),
    "BatchNorm2d(3, momentum=None, affine=False)": lambda: nn.BatchNorm2d(3, momentum=None, affine=False),
    "Conv1d(2, 4, 3, padding='same')": lambda: nn.Conv1d(2, 4, 3, padding="same"),
    "Conv2d(1, 2, 3, stride=2, padding=1, dilation=2, groups=1, bias=False)": lambda: nn.Conv2d(1, 2, 3, stride=2, padding=1, dilation=2, bias=False),
    "Conv2d(4, 4, (3, 1), groups=2)": lambda: nn.Conv2d(4, 4, (3, 1), groups=2),
    "MaxPool2d(2)": lambda: nn.MaxPool2d(2),
    "MaxPool2d((3, 2), stride=1, padding=1)": lambda: nn.MaxPool2d((3, 2), stride=1, padding=1),
    "AvgPool2d(3, stride=2)": lambda: nn.AvgPool2d(3, stride=2),
    "AdaptiveAvgPool2d((1, 1))": lambda: nn.AdaptiveAvgPool2d((1, 1)),
    "AdaptiveAvgPool2d(2)": lambda: nn.AdaptiveAvgPool2d(2),
    "ReLU()": lambda: nn.ReLU(),
    "ReLU(inplace=True)": lambda: nn.ReLU(inplace=True),
    "LeakyReLU(0.2)": lambda: nn.LeakyReLU(0.2),
    "ELU()": lambda: nn.ELU(),
    "GELU()": lambda: nn.GELU(),
    "GELU('tanh')": lambda: nn.GELU("tanh"),
    "SiLU()": lambda: nn.SiLU(),
    "Sigmoid()": lambda: nn.Sigmoid(),
    "Tanh()": lambda: nn.Tanh(),
    "Softplus()": lambda: nn.Softplus(),
    "Softmax(dim=1)": lambda: nn.Softmax(dim=1),
    "LogSoftmax(dim=-1)": lambda: nn.LogSoftmax(dim=-1),
    "MSELoss()": lambda: nn.MSELoss(),
    "CrossEntropyLoss()": lambda: nn.CrossEntropyLoss(),
    "BCEWithLogitsLoss()": lambda: nn.BCEWithLogitsLoss(),
    "KLDivLoss()": lambda: nn.KLDivLoss(),
}
reprs = {k: str(f()) for k, f in REPRS.items()}

keys = {}
for name in ["LinearRegression", "Net"]:
    m = REPRS[name]()
    keys[name] = {"stateDict": list(m.state_dict().keys()), "parameters": [n for n, _ in m.named_parameters()],
                  "buffers": [n for n, _ in m.named_buffers()], "modules": [n for n, _ in m.named_modules()],
                  "children": [n for n, _ in m.named_children()]}
keys["CrossEntropyLoss(weight)"] = {"stateDict": list(nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict().keys())}

# ---------------------------------------------------------------- modules end to end
# Built under manual_seed(0) (so default init is checked too), called on stored inputs (drawn from a
# separate generator); output, grad_fn, gradients of inputs and of every parameter, and the state
# dict after the call (running stats).
module_cases = []


def mcase(name, mk, inputs, train=True, loss_inputs=False):
    torch.manual_seed(0)
    m = mk()
    m.train(train)
    ins = [t.detach().clone().requires_grad_(t.requires_grad) for t in inputs]
    stored = [enc(t) for t in ins]
    for e, t in zip(stored, ins):
        e["requiresGrad"] = bool(t.requires_grad)
    out = m(*ins)
    rec = {"name": name, "inputs": stored, "out": enc(out),
           "gradFn": type(out.grad_fn).__name__ if out.grad_fn is not None else None}
    if out.grad_fn is not None:
        gout = torch.randn(out.shape, generator=torch.Generator().manual_seed(1))
        out.backward(gout)
        rec["gout"] = enc(gout)
        rec["grads"] = [enc(t.grad) if t.requires_grad else None for t in ins]
        rec["paramGrads"] = {n: enc(p.grad) for n, p in m.named_parameters() if p.grad is not None}
    rec["state"] = {k: enc(v) for k, v in m.state_dict().items()}
    module_cases.append(rec)


gi = torch.Generator().manual_seed(42)


def R(*shape, lo=-2.0, hi=2.0, grad=True):
    return (torch.rand(*shape, generator=gi) * (hi - lo) + lo).requires_grad_(grad)


def I(hi, *shape):
    return torch.randint(0, hi, shape, generator=gi)


mcase("Linear(3, 2)", lambda: nn.Linear(3, 2), [R(4, 3)])
mcase("Linear(3, 2, bias=False) 3d", lambda: nn.Linear(3, 2, bias=False), [R(2, 4, 3)])
mcase("Conv1d(2, 3, 3, padding=1)", lambda: nn.Conv1d(2, 3, 3, padding=1), [R(2, 2, 6)])
mcase("Conv2d(2, 4, 3, stride=2, padding=1)", lambda: nn.Conv2d(2, 4, 3, stride=2, padding=1), [R(2, 2, 7, 7)])
mcase("Conv2d(4, 4, 3, groups=4, bias=False)", lambda: nn.Conv2d(4, 4, 3, groups=4, bias=False), [R(1, 4, 5, 5)])
mcase("Embedding(7, 3, padding_idx=1)", lambda: nn.Embedding(7, 3, padding_idx=1), [torch.tensor([[1, 2, 3], [6, 1, 0]])])
mcase("LayerNorm(5)", lambda: nn.LayerNorm(5), [R(3, 5)])
mcase("LayerNorm((2, 5), elementwise_affine=False)", lambda: nn.LayerNorm((2, 5), elementwise_affine=False), [R(3, 2, 5)])
mcase("BatchNorm1d(3) train", lambda: nn.BatchNorm1d(3), [R(6, 3)])
mcase("BatchNorm1d(3, momentum=None) train 3d", lambda: nn.BatchNorm1d(3, momentum=None), [R(4, 3, 5)])
mcase("BatchNorm2d(2) train", lambda: nn.BatchNorm2d(2), [R(3, 2, 4, 4)])
mcase("BatchNorm2d(2) eval", lambda: nn.BatchNorm2d(2), [R(3, 2, 4, 4)], train=False)
mcase("BatchNorm1d(3, track_running_stats=False) eval", lambda: nn.BatchNorm1d(3, track_running_stats=False), [R(6, 3)], train=False)
mcase("Dropout(0.4) train", lambda: nn.Dropout(0.4), [R(5, 6)])
mcase("Dropout(0.4) eval", lambda: nn.Dropout(0.4), [R(5, 6)], train=False)
mcase("MaxPool2d(2)", lambda: nn.MaxPool2d(2), [R(2, 2, 4, 6)])
mcase("AvgPool2d(3, stride=1, padding=1)", lambda: nn.AvgPool2d(3, stride=1, padding=1), [R(1, 2, 4, 4)])
mcase("AdaptiveAvgPool2d((2, 2))", lambda: nn.AdaptiveAvgPool2d((2, 2)), [R(1, 3, 5, 5)])
mcase("Flatten()", lambda: nn.Flatten(), [R(2, 3, 2)])
mcase("Identity()", lambda: nn.Identity(), [R(2, 3)])
for nm, mk in [("ReLU()", nn.ReLU), ("LeakyReLU(0.1)", lambda: nn.LeakyReLU(0.1)), ("ELU(0.7)", lambda: nn.ELU(0.7)),
               ("GELU()", nn.GELU), ("GELU('tanh')", lambda: nn.GELU("tanh")), ("SiLU()", nn.SiLU), ("Sigmoid()", nn.Sigmoid),
               ("Tanh()", nn.Tanh), ("Softplus(2)", lambda: nn.Softplus(2)), ("Softmax(dim=1)", lambda: nn.Softmax(dim=1)),
               ("LogSoftmax(dim=1)", lambda: nn.LogSoftmax(dim=1))]:
    mcase(nm, mk, [R(3, 4)])
mcase("MSELoss()", nn.MSELoss, [R(3, 4), R(3, 4, grad=False)])
mcase("MSELoss(sum)", lambda: nn.MSELoss(reduction="sum"), [R(3, 4), R(3, 4, grad=False)])
mcase("L1Loss(none)", lambda: nn.L1Loss(reduction="none"), [R(3, 4), R(3, 4, grad=False)])
mcase("SmoothL1Loss(beta=0.3)", lambda: nn.SmoothL1Loss(beta=0.3), [R(3, 4), R(3, 4, grad=False)])
mcase("HuberLoss(delta=2)", lambda: nn.HuberLoss(delta=2.0), [R(3, 4), R(3, 4, grad=False)])
mcase("BCELoss(weight)", lambda: nn.BCELoss(weight=torch.tensor([0.5, 1.0, 2.0])), [R(4, 3, lo=0.05, hi=0.95), R(4, 3, lo=0, hi=1, grad=False)])
mcase("BCEWithLogitsLoss(pos_weight)", lambda: nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 0.5, 1.0])), [R(4, 3, lo=-4, hi=4), R(4, 3, lo=0, hi=1, grad=False)])
mcase("NLLLoss(weight, ignore_index=0)", lambda: nn.NLLLoss(weight=torch.tensor([1.0, 2.0, 0.5]), ignore_index=0), [R(5, 3), torch.tensor([0, 1, 2, 2, 1])])
mcase("CrossEntropyLoss()", nn.CrossEntropyLoss, [R(5, 3, lo=-5, hi=5), torch.tensor([0, 1, 2, 2, 1])])
mcase("CrossEntropyLoss(label_smoothing=0.1, sum)", lambda: nn.CrossEntropyLoss(label_smoothing=0.1, reduction="sum"), [R(5, 3), torch.tensor([0, 1, 2, 2, 1])])
mcase("KLDivLoss(batchmean)", lambda: nn.KLDivLoss(reduction="batchmean"), [R(3, 4).log_softmax(1).detach().requires_grad_(), R(3, 4, grad=False).softmax(1)])
mcase("KLDivLoss(sum, log_target)", lambda: nn.KLDivLoss(reduction="sum", log_target=True), [R(3, 4).log_softmax(1).detach().requires_grad_(), R(3, 4, grad=False).log_softmax(1)])


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(3 * 4 * 4, 5)
        self.ln = nn.LayerNorm(5)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.conv(x))))
        return F.log_softmax(self.ln(self.fc(self.drop(torch.flatten(x, 1)))), dim=1)


mcase("SmallNet train", SmallNet, [R(2, 1, 8, 8)])
mcase("SmallNet eval", SmallNet, [R(2, 1, 8, 8)], train=False)

# ---------------------------------------------------------------- errors
errors = {}


def err(name, f):
    try:
        f()
    except Exception as e:  # noqa
        errors[name] = {"type": type(e).__name__, "message": str(e)}
        return
    raise AssertionError(name + " did not raise")


lin = nn.Linear(3, 2)
err("load missing+unexpected+size", lambda: lin.load_state_dict({"weight": torch.zeros(3, 3), "foo": torch.zeros(1)}))
err("load missing", lambda: lin.load_state_dict({"weight": torch.zeros(2, 3)}))
err("load unexpected", lambda: lin.load_state_dict({"weight": torch.zeros(2, 3), "bias": torch.zeros(2), "extra.w": torch.zeros(1)}))
err("load size", lambda: LinearRegression().load_state_dict({"linear.weight": torch.zeros(1, 2), "linear.bias": torch.zeros(1)}))
err("linear shapes", lambda: F.linear(torch.zeros(4, 3), torch.zeros(5, 2)))
err("conv2d channels", lambda: F.conv2d(torch.zeros(1, 3, 5, 5), torch.zeros(2, 1, 3, 3)))
err("conv2d rank", lambda: F.conv2d(torch.zeros(2, 3), torch.zeros(2, 1, 3, 3)))
err("nll batch", lambda: F.nll_loss(torch.zeros(3, 4), torch.tensor([0, 1])))
err("nll out of bounds", lambda: F.nll_loss(torch.zeros(3, 4), torch.tensor([0, 1, 4])))
err("bce size", lambda: F.binary_cross_entropy(torch.full((3,), 0.5), torch.zeros(3, 1)))
err("bce_logits size", lambda: F.binary_cross_entropy_with_logits(torch.zeros(3), torch.zeros(3, 1)))
err("layer_norm shape", lambda: F.layer_norm(torch.zeros(2, 3), [4]))
err("dropout p", lambda: F.dropout(torch.zeros(2), 1.5))
err("embedding index", lambda: F.embedding(torch.tensor([5]), torch.zeros(3, 2)))
err("batch_norm one value", lambda: F.batch_norm(torch.zeros(1, 3), torch.zeros(3), torch.ones(3), training=True))
err("max_pool2d pad", lambda: F.max_pool2d(torch.zeros(1, 1, 4, 4), 2, padding=2))
err("reduction", lambda: F.mse_loss(torch.zeros(2), torch.zeros(2), reduction="avg"))


def setattr_nonleaf():
    m = nn.Linear(1, 1)
    m.weight = torch.ones(1, 1) * 2


err("assign tensor to parameter", setattr_nonleaf)

# zero_grad default, BatchNorm module state after 2 training steps
torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
x1, x2 = torch.randn(4, 3), torch.randn(5, 3)
bn(x1)
bn(x2)
bn.eval()
y = bn(x1)
bn_run = {"x1": enc(x1), "x2": enc(x2), "state": {k: enc(v) for k, v in bn.state_dict().items()}, "evalOut": enc(y)}

data = {"torch": torch.__version__, "cases": cases, "moduleCases": module_cases, "inits": inits, "initFns": init_fns, "gains": gains,
        "reprs": reprs, "keys": keys, "errors": errors, "bnRun": bn_run,
        "parameterRepr": [repr(nn.Parameter(torch.tensor([1.0, 2.0]))), repr(nn.Parameter(torch.ones(2), requires_grad=False))]}
with open(OUT, "w") as f:
    json.dump(data, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes")
