# Fixtures for the normalization, activation, small-layer and loss functions and modules of issue 10
# (GroupNorm, InstanceNorm, LocalResponseNorm, normalize, PReLU ... CTCLoss) and for nn.utils
# weight_norm / spectral_norm / prune / parametrize: each case runs in real PyTorch 1.13 and records
# the output, its grad_fn name and the gradients of a weighted sum of the output with respect to
# every input that requires grad; plus seeded initialisation, dropout masks under manual_seed, reprs
# and error messages. test/nn_extra.test.ts replays them.
#   /usr/bin/python3 scripts/gen_nn_extra_fixtures.py
import json
import math
import torch
import numpy  # noqa: F401 (Tensor.numpy)
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import prune, parametrize

torch.set_num_threads(1)
torch.manual_seed(1234)


def enc(t):
    t = t.detach()
    data = t.reshape(-1).tolist()
    if t.dtype == torch.float32:
        # NOTE: the shortest decimal that rounds back to the same float32 (numpy's str)
        data = [float(str(v)) for v in t.reshape(-1).numpy()]
    if t.dtype == torch.bool:
        data = [int(v) for v in data]
    data = [("nan" if math.isnan(v) else "inf" if v > 0 else "-inf") if isinstance(v, float) and not math.isfinite(v) else v for v in data]
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": data}


def r(*shape, dtype=torch.float32, lo=-2.0, hi=2.0):
    return (torch.rand(tuple(shape), dtype=torch.float64) * (hi - lo) + lo).to(dtype)


def li(v):
    return torch.tensor(v, dtype=torch.int64)


# ---------------------------------------------------------------- functional cases
cases = []


def case(name, fn, inputs, kw=None, grad=None, call=None, extra=None):
    """inputs: ordered dict name -> tensor; grad: names of inputs that require grad (default: the
    floating ones); call(inputs, kw) -> output tensor (default: F.<fn>(*inputs, **kw))."""
    kw = kw or {}
    ins = {k: (v.clone() if isinstance(v, torch.Tensor) else v) for k, v in inputs.items()}
    if grad is None:
        grad = [k for k, v in ins.items() if isinstance(v, torch.Tensor) and v.is_floating_point()]
    for k in grad:
        ins[k].requires_grad_(True)
    c = {"name": name, "fn": fn, "kw": kw, "inputs": {k: enc(v) if isinstance(v, torch.Tensor) else v for k, v in inputs.items()}, "grad": grad}
    out = call(ins, kw) if call else getattr(F, fn)(*ins.values(), **kw)
    c["out"] = enc(out)
    c["grad_fn"] = out.grad_fn.name() if out.grad_fn is not None else None
    if grad and out.requires_grad:
        w = r(*out.shape, dtype=out.dtype)
        c["w"] = enc(w)
        gs = torch.autograd.grad((out * w).sum(), [ins[k] for k in grad], allow_unused=True)
        c["grads"] = {k: (enc(g) if g is not None else None) for k, g in zip(grad, gs)}
    if extra:
        c.update(extra(ins))
    cases.append(c)


# normalization
x4 = r(2, 6, 3, 2)
case("group_norm_affine", "group_norm", {"input": x4, "weight": r(6), "bias": r(6)}, {"num_groups": 3},
     call=lambda i, k: F.group_norm(i["input"], k["num_groups"], i["weight"], i["bias"]))
case("group_norm_plain", "group_norm", {"input": r(3, 4, 5)}, {"num_groups": 2, "eps": 1e-3},
     call=lambda i, k: F.group_norm(i["input"], k["num_groups"], eps=k["eps"]))
case("group_norm_one_group_f64", "group_norm", {"input": r(2, 4, 3, dtype=torch.float64), "weight": r(4, dtype=torch.float64), "bias": r(4, dtype=torch.float64)},
     {"num_groups": 1}, call=lambda i, k: F.group_norm(i["input"], k["num_groups"], i["weight"], i["bias"]))
# (groups of 3: a group of 2 normalizes to +-1 whatever its values, and its gradient is rounding noise)
case("group_norm_2d_input", "group_norm", {"input": r(3, 6)}, {"num_groups": 2},
     call=lambda i, k: F.group_norm(i["input"], k["num_groups"]))


def inst_call(i, k):
    rm, rv = i.get("running_mean"), i.get("running_var")
    return F.instance_norm(i["input"], rm, rv, i.get("weight"), i.get("bias"), use_input_stats=k.get("use_input_stats", True),
                           momentum=k.get("momentum", 0.1), eps=k.get("eps", 1e-5))


def inst_stats(i):
    return {"after": {k: enc(i[k]) for k in ("running_mean", "running_var") if k in i}}


case("instance_norm_affine", "instance_norm", {"input": r(2, 3, 5), "weight": r(3), "bias": r(3)}, call=inst_call)
case("instance_norm_running", "instance_norm", {"input": r(2, 3, 4, 2), "running_mean": r(3), "running_var": r(3, lo=0.5, hi=2)},
     {"momentum": 0.3}, grad=["input"], call=inst_call, extra=inst_stats)
case("instance_norm_eval", "instance_norm", {"input": r(2, 3, 4), "running_mean": r(3), "running_var": r(3, lo=0.5, hi=2), "weight": r(3), "bias": r(3)},
     {"use_input_stats": False}, grad=["input", "weight", "bias"], call=inst_call, extra=inst_stats)
case("local_response_norm_3d", "local_response_norm", {"input": r(2, 5, 4)}, {"size": 3},
     call=lambda i, k: F.local_response_norm(i["input"], k["size"]))
case("local_response_norm_4d", "local_response_norm", {"input": r(2, 5, 3, 2)}, {"size": 2, "alpha": 0.01, "beta": 0.5, "k": 2.0},
     call=lambda i, k: F.local_response_norm(i["input"], k["size"], k["alpha"], k["beta"], k["k"]))
case("local_response_norm_5d", "local_response_norm", {"input": r(1, 4, 2, 2, 3)}, {"size": 4},
     call=lambda i, k: F.local_response_norm(i["input"], k["size"]))
xn = r(3, 4)
xn[1] = 0.0
case("normalize_default", "normalize", {"input": xn}, call=lambda i, k: F.normalize(i["input"]))
case("normalize_p1_dim0", "normalize", {"input": r(3, 4)}, {"p": 1.0, "dim": 0}, call=lambda i, k: F.normalize(i["input"], k["p"], k["dim"]))
case("normalize_p3", "normalize", {"input": r(2, 3, 2)}, {"p": 3.0, "dim": -1, "eps": 0.5}, call=lambda i, k: F.normalize(i["input"], k["p"], k["dim"], k["eps"]))

# activations
xb = torch.tensor([[-4.0, -3.0, -2.5, -0.5, 0.0], [0.5, 1.0, 2.5, 3.0, 4.0]])
case("prelu_channels", "prelu", {"input": r(2, 3, 4), "weight": r(3, lo=0, hi=0.5)})
case("prelu_shared", "prelu", {"input": r(3, 5), "weight": torch.tensor([0.25])})
case("prelu_1d", "prelu", {"input": r(5), "weight": torch.tensor([0.1])})
for fn in ["hardswish", "hardsigmoid", "mish", "softsign", "tanhshrink", "logsigmoid", "selu", "celu"]:
    case(fn, fn, {"input": torch.cat([xb, r(2, 5, lo=-6, hi=6)])})
case("celu_alpha2", "celu", {"input": r(3, 4, lo=-4, hi=3)}, {"alpha": 2.0})
case("softshrink", "softshrink", {"input": torch.cat([xb, r(2, 5)])}, {"lambd": 0.5})
case("softshrink_0", "softshrink", {"input": r(2, 5)}, {"lambd": 0.0})
case("hardshrink", "hardshrink", {"input": torch.cat([xb, r(2, 5)])}, {"lambd": 0.5})
case("hardshrink_neg", "hardshrink", {"input": r(2, 5)}, {"lambd": -0.2})
case("threshold", "threshold", {"input": torch.cat([xb, torch.tensor([[0.1, 0.1, 0.2, -0.1, 0.05]])])}, {"threshold": 0.1, "value": 20.0})
case("glu_dim1", "glu", {"input": r(2, 4, 3)}, {"dim": 1})
case("glu_last", "glu", {"input": r(3, 6)}, {})
case("softmin", "softmin", {"input": r(3, 4)}, {"dim": 1})
case("softmin_f64_dtype", "softmin", {"input": r(3, 4)}, {"dim": 0, "dtype": "float64"},
     call=lambda i, k: F.softmin(i["input"], k["dim"], dtype=torch.float64))
case("softmax2d", "softmax2d", {"input": r(2, 3, 2, 2)}, call=lambda i, k: nn.Softmax2d()(i["input"]))
case("rrelu_eval", "rrelu", {"input": r(3, 4)}, {"lower": 0.1, "upper": 0.3}, call=lambda i, k: F.rrelu(i["input"], k["lower"], k["upper"]))
case("hardtanh_module", "hardtanh_module", {"input": r(3, 4, lo=-3, hi=3)}, {"min_val": -2.0, "max_val": 2.0},
     call=lambda i, k: nn.Hardtanh(k["min_val"], k["max_val"])(i["input"]))
case("relu6_module", "relu6_module", {"input": r(3, 4, lo=-3, hi=9)}, call=lambda i, k: nn.ReLU6()(i["input"]))

# in place (on a non-leaf: x * 1)
for fn, kw in [("hardswish", {}), ("hardsigmoid", {}), ("mish", {}), ("celu", {"alpha": 1.5}), ("selu", {}), ("threshold", {"threshold": 0.2, "value": -1.0}), ("rrelu", {})]:
    def call_inplace(i, k, fn=fn):
        y = i["input"] * 1
        if fn == "threshold":
            return F.threshold(y, k["threshold"], k["value"], True)
        return getattr(F, fn)(y, inplace=True, **k)
    case(f"{fn}_inplace", f"{fn}_inplace", {"input": r(3, 4, lo=-3, hi=3)}, kw, call=call_inplace)

# small layers
case("cosine_similarity", "cosine_similarity", {"x1": r(3, 4), "x2": r(3, 4)})
x1z = r(3, 4)
x1z[2] = 0.0
case("cosine_similarity_zero_row", "cosine_similarity", {"x1": x1z, "x2": r(3, 4)}, {"eps": 1e-8})
case("cosine_similarity_broadcast_dim0", "cosine_similarity", {"x1": r(1, 4), "x2": r(3, 4)}, {"dim": 0})
case("cosine_similarity_3d", "cosine_similarity", {"x1": r(2, 3, 4), "x2": r(2, 3, 4)}, {"dim": -1, "eps": 1e-6})
case("pairwise_distance", "pairwise_distance", {"x1": r(3, 4), "x2": r(3, 4)})
case("pairwise_distance_p1_keepdim", "pairwise_distance", {"x1": r(3, 4), "x2": r(1, 4)}, {"p": 1.0, "keepdim": True})
case("pairwise_distance_p3", "pairwise_distance", {"x1": r(2, 3, 4), "x2": r(2, 3, 4)}, {"p": 3.0, "eps": 0.0})
case("bilinear", "bilinear", {"input1": r(4, 2), "input2": r(4, 3), "weight": r(5, 2, 3), "bias": r(5)})
case("bilinear_nobias_3d", "bilinear", {"input1": r(2, 3, 2), "input2": r(2, 3, 3), "weight": r(4, 2, 3)})
case("unflatten", "unflatten", {"input": r(2, 6, 2)}, {"dim": 1, "sizes": [2, -1]}, call=lambda i, k: i["input"].unflatten(k["dim"], k["sizes"]))

W = r(10, 3)


def eb_call(i, k):
    kk = dict(k)
    return F.embedding_bag(i["input"], i["weight"], i.get("offsets"), per_sample_weights=i.get("per_sample_weights"), **kk)


case("embedding_bag_mean_offsets", "embedding_bag", {"input": li([1, 2, 4, 5, 4, 3, 2, 9]), "weight": W, "offsets": li([0, 3, 3, 6])}, {}, grad=["weight"], call=eb_call)
case("embedding_bag_sum_2d", "embedding_bag", {"input": li([[1, 2, 4], [4, 3, 1]]), "weight": W}, {"mode": "sum"}, grad=["weight"], call=eb_call)
case("embedding_bag_max", "embedding_bag", {"input": li([1, 2, 4, 5, 4, 3, 2, 9]), "weight": W, "offsets": li([0, 2, 2, 5])}, {"mode": "max"}, grad=["weight"], call=eb_call)
case("embedding_bag_psw", "embedding_bag", {"input": li([1, 2, 4, 5, 4, 3]), "weight": W, "offsets": li([0, 2]), "per_sample_weights": r(6)},
     {"mode": "sum"}, grad=["weight", "per_sample_weights"], call=eb_call)
case("embedding_bag_padding_mean", "embedding_bag", {"input": li([1, 0, 4, 0, 0, 3]), "weight": W, "offsets": li([0, 3, 4])},
     {"mode": "mean", "padding_idx": 0}, grad=["weight"], call=eb_call)
case("embedding_bag_padding_max", "embedding_bag", {"input": li([1, 0, 4, 0, 0, 3]), "weight": W, "offsets": li([0, 3, 4])},
     {"mode": "max", "padding_idx": 0}, grad=["weight"], call=eb_call)
case("embedding_bag_last_offset", "embedding_bag", {"input": li([1, 2, 4, 5, 4, 3]), "weight": W, "offsets": li([0, 2, 5, 6])},
     {"mode": "sum", "include_last_offset": True}, grad=["weight"], call=eb_call)
case("embedding_bag_freq", "embedding_bag", {"input": li([1, 2, 1, 1, 2, 3]), "weight": W, "offsets": li([0, 2])},
     {"mode": "mean", "scale_grad_by_freq": True}, grad=["weight"], call=eb_call)
case("embedding_bag_freq_sum", "embedding_bag", {"input": li([5, 4, 5, 6, 7, 7, 0]), "weight": W, "offsets": li([0, 3])},
     {"mode": "sum", "scale_grad_by_freq": True}, grad=["weight"], call=eb_call)
case("embedding_bag_f64_int32", "embedding_bag", {"input": torch.tensor([3, 1, 7], dtype=torch.int32), "weight": r(8, 2, dtype=torch.float64), "offsets": torch.tensor([0, 1], dtype=torch.int32)},
     {"mode": "sum"}, grad=["weight"], call=eb_call)
Wm = r(10, 3, lo=-3, hi=3)
case("embedding_bag_max_norm", "embedding_bag", {"input": li([1, 2, 4, 2]), "weight": Wm, "offsets": li([0, 2])},
     {"mode": "sum", "max_norm": 1.5}, grad=[], call=lambda i, k: F.embedding_bag(i["input"], i["weight"], i["offsets"], **k),
     extra=lambda i: {"weight_after": enc(i["weight"])})

# losses
RED = ["mean", "sum", "none"]
for red in RED:
    case(f"margin_ranking_{red}", "margin_ranking_loss", {"input1": r(5), "input2": r(5), "target": torch.tensor([1.0, -1, 1, -1, 1])},
         {"margin": 0.5, "reduction": red})
    case(f"hinge_embedding_{red}", "hinge_embedding_loss", {"input": r(3, 4), "target": torch.tensor([[1.0, -1, 1, -1]] * 3)},
         {"margin": 1.5, "reduction": red}, grad=["input"])
    case(f"cosine_embedding_{red}", "cosine_embedding_loss", {"input1": r(4, 3), "input2": r(4, 3), "target": torch.tensor([1.0, -1, -1, 1])},
         {"margin": 0.2, "reduction": red}, grad=["input1", "input2"])
    case(f"triplet_margin_{red}", "triplet_margin_loss", {"anchor": r(4, 3), "positive": r(4, 3), "negative": r(4, 3)}, {"reduction": red})
    case(f"multilabel_soft_margin_{red}", "multilabel_soft_margin_loss", {"input": r(3, 4), "target": (r(3, 4) > 0).float(), "weight": r(4, lo=0, hi=1)},
         {"reduction": red}, grad=["input"], call=lambda i, k: F.multilabel_soft_margin_loss(i["input"], i["target"], i["weight"], reduction=k["reduction"]))
    case(f"multi_margin_{red}", "multi_margin_loss", {"input": r(4, 5), "target": li([0, 3, 4, 1])}, {"reduction": red})
    case(f"multi_margin_p2_w_{red}", "multi_margin_loss", {"input": r(4, 5), "target": li([2, 3, 0, 1]), "weight": r(5, lo=0, hi=2)},
         {"p": 2, "margin": 0.7, "reduction": red}, grad=["input"],
         call=lambda i, k: F.multi_margin_loss(i["input"], i["target"], p=k["p"], margin=k["margin"], weight=i["weight"], reduction=k["reduction"]))
    case(f"multilabel_margin_{red}", "multilabel_margin_loss", {"input": r(3, 5), "target": li([[3, 0, -1, 1, 1], [1, 2, 3, 4, 0], [-1, 0, 0, 0, 0]])}, {"reduction": red})
    case(f"soft_margin_{red}", "soft_margin_loss", {"input": r(3, 4), "target": torch.tensor([[1.0, -1, 1, -1]] * 3)}, {"reduction": red}, grad=["input"])
    case(f"poisson_nll_{red}", "poisson_nll_loss", {"input": r(3, 4), "target": r(3, 4, lo=0, hi=3)}, {"reduction": red})
    case(f"gaussian_nll_{red}", "gaussian_nll_loss", {"input": r(3, 4), "target": r(3, 4), "var": r(3, 4, lo=0.1, hi=2)}, {"reduction": red})
    case(f"bce_weight_{red}", "binary_cross_entropy", {"input": r(3, 4, lo=0.05, hi=0.95), "target": r(3, 4, lo=0, hi=1), "weight": r(4, lo=0, hi=2)},
         {"reduction": red}, grad=["input", "target"],
         call=lambda i, k: F.binary_cross_entropy(i["input"], i["target"], i["weight"], reduction=k["reduction"]))
    case(f"bce_logits_pos_weight_{red}", "binary_cross_entropy_with_logits",
         {"input": r(3, 4, lo=-4, hi=4), "target": r(3, 4, lo=0, hi=1), "weight": r(3, 1, lo=0, hi=2), "pos_weight": r(4, lo=0.5, hi=3)},
         {"reduction": red}, grad=["input", "target"],
         call=lambda i, k: F.binary_cross_entropy_with_logits(i["input"], i["target"], i["weight"], pos_weight=i["pos_weight"], reduction=k["reduction"]))
case("hinge_embedding_margin_default", "hinge_embedding_loss", {"input": r(2, 3), "target": torch.tensor([[1.0, -1, 0], [-1, 1, 1]])}, {}, grad=["input"])
case("cosine_embedding_0d", "cosine_embedding_loss", {"input1": r(3), "input2": r(3), "target": torch.tensor(-1.0)}, {"margin": -0.5}, grad=["input1", "input2"])
case("triplet_margin_p1_swap", "triplet_margin_loss", {"anchor": r(4, 3), "positive": r(4, 3), "negative": r(4, 3)}, {"margin": 2.0, "p": 1.0, "swap": True, "eps": 1e-3})
case("multi_margin_1d", "multi_margin_loss", {"input": r(5), "target": li(2)}, {"reduction": "none"})
case("multilabel_margin_1d", "multilabel_margin_loss", {"input": r(4), "target": li([3, 1, -1, 0])}, {"reduction": "none"})
case("poisson_nll_full", "poisson_nll_loss", {"input": r(3, 4, lo=0.1, hi=3), "target": r(3, 4, lo=0, hi=4)}, {"log_input": False, "full": True, "eps": 1e-3})
case("poisson_nll_full_log", "poisson_nll_loss", {"input": r(3, 4), "target": torch.tensor([[0.0, 1, 2, 5]] * 3)}, {"full": True})
case("gaussian_nll_homo", "gaussian_nll_loss", {"input": r(3, 4), "target": r(3, 4), "var": r(3, lo=0.1, hi=2)}, {"full": True})
case("gaussian_nll_homo_col", "gaussian_nll_loss", {"input": r(3, 4), "target": r(3, 4), "var": r(3, 1, lo=0.0, hi=1e-3)}, {"eps": 1e-4})


# CTC: gradients with respect to the logits (the log-probabilities come from log_softmax, as PyTorch's kernel assumes)
def ctc_call(i, k):
    lp = i["logits"].log_softmax(-1)
    kk = {kk: v for kk, v in k.items() if kk not in ("input_lengths", "target_lengths")}
    return F.ctc_loss(lp, i["targets"], k["input_lengths"], k["target_lengths"], **kk)


for red in RED:
    case(f"ctc_{red}", "ctc_loss", {"logits": r(6, 3, 5), "targets": li([[1, 2, 2], [3, 1, 0], [4, 0, 0]])},
         {"input_lengths": [6, 5, 4], "target_lengths": [3, 2, 0], "reduction": red}, call=ctc_call)
case("ctc_concat_blank", "ctc_loss", {"logits": r(5, 2, 4), "targets": li([0, 1, 1, 2])},
     {"input_lengths": [5, 5], "target_lengths": [3, 1], "blank": 3}, call=ctc_call)
case("ctc_zero_infinity_none", "ctc_loss", {"logits": r(3, 2, 4), "targets": li([[1, 1, 2], [1, 2, 0]])},
     {"input_lengths": [3, 3], "target_lengths": [3, 2], "reduction": "none", "zero_infinity": True}, call=ctc_call)
case("ctc_zero_infinity_mean", "ctc_loss", {"logits": r(3, 2, 4), "targets": li([[1, 1, 2], [1, 2, 0]])},
     {"input_lengths": [3, 3], "target_lengths": [3, 2], "zero_infinity": True}, call=ctc_call)
case("ctc_inf_none", "ctc_loss", {"logits": r(3, 2, 4), "targets": li([[1, 1, 2], [1, 2, 0]])},
     {"input_lengths": [3, 3], "target_lengths": [3, 2], "reduction": "none"}, grad=[], call=ctc_call)
case("ctc_unbatched_f64", "ctc_loss", {"logits": r(7, 4, dtype=torch.float64), "targets": li([1, 3, 3, 2])},
     {"input_lengths": [7], "target_lengths": [4], "reduction": "sum"}, call=ctc_call)
case("ctc_long_f64", "ctc_loss", {"logits": r(30, 2, 6, dtype=torch.float64, lo=-3, hi=3), "targets": li([[1, 2, 3, 4, 5, 1, 1, 2], [5, 4, 0, 0, 0, 0, 0, 0]])},
     {"input_lengths": [30, 21], "target_lengths": [8, 2]}, call=ctc_call)

# ---------------------------------------------------------------- seeded module initialisation
inits = []


def init_case(name, ctor, seed=7):
    torch.manual_seed(seed)
    m = ctor()
    inits.append({"name": name, "seed": seed, "state": {k: enc(v) for k, v in m.state_dict().items()},
                  "params": [k for k, _ in m.named_parameters()], "buffers": [k for k, _ in m.named_buffers()], "repr": repr(m)})


init_case("prelu_3", lambda: nn.PReLU(3, 0.1))
init_case("bilinear", lambda: nn.Bilinear(3, 2, 4))
init_case("bilinear_nobias", lambda: nn.Bilinear(2, 2, 3, bias=False))
init_case("embedding_bag_pad", lambda: nn.EmbeddingBag(6, 3, mode="sum", padding_idx=-2))
init_case("group_norm", lambda: nn.GroupNorm(2, 4))
init_case("instance_norm_tracked", lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True))
init_case("batch_norm_3d", lambda: nn.BatchNorm3d(2))
init_case("spectral_norm_linear", lambda: nn.utils.spectral_norm(nn.Linear(4, 3)))
init_case("spectral_norm_conv_dim1", lambda: nn.utils.spectral_norm(nn.Conv1d(2, 3, 2), dim=1))
init_case("weight_norm_linear", lambda: nn.utils.weight_norm(nn.Linear(4, 3)))
init_case("weight_norm_linear_none", lambda: nn.utils.weight_norm(nn.Linear(4, 3), dim=None))

# ---------------------------------------------------------------- module forward passes (state, output, grads, buffers after)
module_runs = []


def module_run(name, ctor, x, train=True, steps=1, seed=None, extra_inputs=()):
    torch.manual_seed(5)
    m = ctor()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(r(*p.shape, dtype=p.dtype))
    m.train(train)
    state = {k: enc(v) for k, v in m.state_dict().items()}
    xs = [x.clone().requires_grad_(x.is_floating_point()) for x in (x,) + tuple(extra_inputs)]
    if seed is not None:
        torch.manual_seed(seed)
    outs = []
    for _ in range(steps):
        outs.append(m(*xs))
    out = outs[-1]
    w = r(*out.shape, dtype=out.dtype)
    (out * w).sum().backward()
    module_runs.append({
        "name": name, "train": train, "steps": steps, "seed": seed, "state": state, "inputs": [enc(v) for v in xs], "out": enc(out),
        "grad_fn": out.grad_fn.name() if out.grad_fn else None, "w": enc(w),
        "input_grads": [enc(v.grad) if v.grad is not None else None for v in xs],
        "param_grads": {k: enc(p.grad) for k, p in m.named_parameters() if p.grad is not None},
        "after": {k: enc(v) for k, v in m.state_dict().items()},
    })


module_run("group_norm", lambda: nn.GroupNorm(2, 4), r(3, 4, 2, 2))
module_run("instance_norm1d_tracked_train", lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True), r(2, 3, 5), steps=2)
module_run("instance_norm1d_tracked_eval", lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True), r(2, 3, 5), train=False)
module_run("instance_norm2d_unbatched", lambda: nn.InstanceNorm2d(3, track_running_stats=True), r(3, 2, 3), steps=2)
module_run("instance_norm3d", lambda: nn.InstanceNorm3d(2, affine=True), r(2, 2, 2, 2, 3))
module_run("batch_norm3d_train", lambda: nn.BatchNorm3d(2), r(2, 2, 2, 3, 2), steps=2)
module_run("batch_norm3d_eval", lambda: nn.BatchNorm3d(2), r(2, 2, 2, 3, 2), train=False)
module_run("local_response_norm", lambda: nn.LocalResponseNorm(3, 1e-2, 0.75, 1.5), r(2, 4, 3))
module_run("prelu", lambda: nn.PReLU(4), r(2, 4, 3))
module_run("bilinear", lambda: nn.Bilinear(3, 2, 4), r(5, 3), extra_inputs=(r(5, 2),))
module_run("embedding_bag", lambda: nn.EmbeddingBag(7, 3, mode="max"), li([[1, 2, 6], [6, 5, 1]]))
module_run("rrelu_train", lambda: nn.RReLU(0.1, 0.4), r(3, 5), seed=11)
module_run("rrelu_train_inplace_nonleaf", lambda: nn.Sequential(nn.Hardtanh(-10.0, 10.0), nn.RReLU(inplace=True)), r(2, 6), seed=12)
module_run("dropout1d", lambda: nn.Dropout1d(0.4), r(3, 4, 5), seed=21)
module_run("dropout1d_unbatched", lambda: nn.Dropout1d(0.5), r(6, 3), seed=22)
module_run("dropout2d", lambda: nn.Dropout2d(0.3), r(2, 5, 2, 2), seed=23)
module_run("dropout3d", lambda: nn.Dropout3d(0.5), r(2, 4, 1, 2, 2), seed=24)
module_run("dropout3d_unbatched", lambda: nn.Dropout3d(0.5), r(4, 1, 2, 2), seed=25)
module_run("alpha_dropout", lambda: nn.AlphaDropout(0.2), r(4, 5), seed=26)
module_run("alpha_dropout_f64", lambda: nn.AlphaDropout(0.6), r(3, 20, dtype=torch.float64), seed=28)
module_run("feature_alpha_dropout", lambda: nn.FeatureAlphaDropout(0.5), r(3, 4, 2), seed=27)
module_run("dropout2d_eval", lambda: nn.Dropout2d(0.3), r(2, 3, 2, 2), train=False, seed=29)
module_run("weight_norm", lambda: nn.utils.weight_norm(nn.Linear(4, 3)), r(2, 4))
module_run("weight_norm_dim1", lambda: nn.utils.weight_norm(nn.Linear(4, 3), dim=1), r(2, 4))
module_run("weight_norm_none", lambda: nn.utils.weight_norm(nn.Linear(4, 3), dim=None), r(2, 4))
module_run("weight_norm_conv_dim1", lambda: nn.utils.weight_norm(nn.Conv1d(2, 3, 2), dim=1), r(2, 2, 4))
module_run("spectral_norm_train", lambda: nn.utils.spectral_norm(nn.Linear(4, 3)), r(2, 4), steps=3)
module_run("spectral_norm_eval", lambda: nn.utils.spectral_norm(nn.Linear(4, 3), n_power_iterations=2), r(2, 4), train=False)
module_run("spectral_norm_conv", lambda: nn.utils.spectral_norm(nn.Conv2d(2, 3, 2), n_power_iterations=2), r(1, 2, 3, 3), steps=2)

# ---------------------------------------------------------------- functional dropout / rrelu draws under manual_seed
draws = []


def draw(name, fn, x, seed):
    torch.manual_seed(seed)
    y = fn(x)
    draws.append({"name": name, "seed": seed, "input": enc(x), "out": enc(y), "next": enc(torch.rand(3))})


draw("dropout1d_p03", lambda x: F.dropout1d(x, 0.3), r(2, 8, 3), 31)
draw("dropout2d_3d_input", lambda x: F.dropout2d(x, 0.5), r(2, 6, 3), 32)
draw("dropout2d_p1", lambda x: F.dropout2d(x, 1.0), r(2, 3, 2, 2), 33)
draw("alpha_dropout_train", lambda x: F.alpha_dropout(x, 0.3, True), r(4, 6), 34)
draw("alpha_dropout_default_eval", lambda x: F.alpha_dropout(x, 0.3), r(4, 6), 35)
draw("feature_alpha_dropout_train", lambda x: F.feature_alpha_dropout(x, 0.4, True), r(3, 5, 2), 36)
draw("rrelu_train_f64", lambda x: F.rrelu(x, 0.2, 0.5, training=True), r(4, 5, dtype=torch.float64), 37)
draw("rrelu_train_equal_bounds", lambda x: F.rrelu(x, 0.25, 0.25, training=True), r(3, 4), 38)
draw("dropout1d_inplace_unbatched", lambda x: F.dropout1d(x.clone(), 0.5, inplace=True), r(5, 3), 39)

# ---------------------------------------------------------------- nn.utils.prune
prunes = []


def prune_case(name, build, ops, seed=41):
    torch.manual_seed(seed)
    m = build()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(r(*p.shape, dtype=p.dtype))
    state0 = {k: enc(v) for k, v in m.state_dict().items()}
    torch.manual_seed(seed + 1)
    steps = []
    for op in ops:
        op(m)
        steps.append({
            "params": [k for k, _ in m.named_parameters()], "buffers": [k for k, _ in m.named_buffers()],
            "state": {k: enc(v) for k, v in m.state_dict().items()}, "is_pruned": prune.is_pruned(m),
            "weight": enc(m.weight), "weight_grad_fn": m.weight.grad_fn.name() if m.weight.grad_fn else None,
        })
    x = r(2, m.weight.shape[1])
    out = m(x)
    out.sum().backward()
    prunes.append({"name": name, "seed": seed, "state0": state0, "steps": steps, "x": enc(x), "out": enc(out),
                   "grads": {k: enc(p.grad) for k, p in m.named_parameters() if p.grad is not None}})


prune_case("l1", lambda: nn.Linear(5, 4), [lambda m: prune.l1_unstructured(m, "weight", 0.3)])
prune_case("l1_count_then_random", lambda: nn.Linear(5, 4), [lambda m: prune.l1_unstructured(m, "weight", 3), lambda m: prune.random_unstructured(m, "weight", 0.5)])
prune_case("random_then_remove", lambda: nn.Linear(4, 3), [lambda m: prune.random_unstructured(m, "weight", 0.4), lambda m: prune.remove(m, "weight")])
prune_case("identity_bias_l1", lambda: nn.Linear(3, 4), [lambda m: prune.identity(m, "weight"), lambda m: prune.l1_unstructured(m, "bias", 2)])
prune_case("l1_importance", lambda: nn.Linear(3, 3), [lambda m: prune.l1_unstructured(m, "weight", 0.5, importance_scores=torch.arange(9.0).reshape(3, 3).flip(0))])
prune_case("custom_mask", lambda: nn.Linear(3, 2), [lambda m: prune.custom_from_mask(m, "weight", torch.tensor([[1.0, 0, 1], [0, 1, 1]]))])


def global_prune(m):
    prune.global_unstructured([(m, "weight"), (m, "bias")], pruning_method=prune.L1Unstructured, amount=4)


prune_case("global_l1", lambda: nn.Linear(3, 3), [global_prune])


# ---------------------------------------------------------------- nn.utils.parametrize
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(0, 1)


class Scale(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s

    def forward(self, X):
        return X * self.s

    def right_inverse(self, X):
        return X / self.s


param_cases = []


def param_case(name, ops, leave=True):
    torch.manual_seed(51)
    m = nn.Linear(3, 3)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(r(*p.shape))
    state0 = {k: enc(v) for k, v in m.state_dict().items()}
    for op in ops:
        op(m)
    rec = {"name": name, "state0": state0, "repr": repr(m), "params": [k for k, _ in m.named_parameters()],
           "state": {k: enc(v) for k, v in m.state_dict().items()}, "weight": enc(m.weight),
           "weight_grad_fn": m.weight.grad_fn.name() if m.weight.grad_fn else None}
    x = r(2, 3)
    out = m(x)
    out.sum().backward()
    rec.update({"x": enc(x), "out": enc(out), "grads": {k: enc(p.grad) for k, p in m.named_parameters() if p.grad is not None}})
    if parametrize.is_parametrized(m, "weight"):
        try:
            m.weight = torch.eye(3) * 2
            rec["after_set"] = {k: enc(v) for k, v in m.state_dict().items()}
        except RuntimeError as e:
            rec["set_error"] = str(e)
    parametrize.remove_parametrizations(m, "weight", leave_parametrized=leave) if parametrize.is_parametrized(m, "weight") else None
    rec["removed"] = {"repr": repr(m), "params": [k for k, _ in m.named_parameters()], "state": {k: enc(v) for k, v in m.state_dict().items()}}
    param_cases.append(rec)


param_case("symmetric_then_scale", [lambda m: parametrize.register_parametrization(m, "weight", Symmetric()),
                                    lambda m: parametrize.register_parametrization(m, "weight", Scale(3.0))])
param_case("scale_leave_false", [lambda m: parametrize.register_parametrization(m, "weight", Scale(2.0))], leave=False)
param_case("scale_bias", [lambda m: parametrize.register_parametrization(m, "bias", Scale(0.5))])

# ---------------------------------------------------------------- reprs
REPRS = {
    "group_norm": nn.GroupNorm(2, 4), "group_norm_noaffine": nn.GroupNorm(2, 4, eps=1e-3, affine=False),
    "instance_norm1d": nn.InstanceNorm1d(3), "instance_norm2d": nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
    "instance_norm3d": nn.InstanceNorm3d(3, eps=1e-3, momentum=0.2), "batch_norm3d": nn.BatchNorm3d(3),
    "lrn": nn.LocalResponseNorm(2), "lrn_args": nn.LocalResponseNorm(3, 1e-3, 0.5, 2.0),
    "prelu": nn.PReLU(), "prelu_3": nn.PReLU(3, 0.1), "hardtanh": nn.Hardtanh(), "hardtanh_inplace": nn.Hardtanh(-2.0, 2.5, True),
    "relu6": nn.ReLU6(), "relu6_inplace": nn.ReLU6(True), "hardswish": nn.Hardswish(), "hardswish_inplace": nn.Hardswish(True),
    "hardsigmoid": nn.Hardsigmoid(), "mish": nn.Mish(), "mish_inplace": nn.Mish(True), "softsign": nn.Softsign(), "tanhshrink": nn.Tanhshrink(),
    "softshrink": nn.Softshrink(), "softshrink_03": nn.Softshrink(0.3), "hardshrink": nn.Hardshrink(), "threshold": nn.Threshold(0.1, 20),
    "threshold_inplace": nn.Threshold(0.5, -1.5, True), "glu": nn.GLU(), "glu_1": nn.GLU(1), "logsigmoid": nn.LogSigmoid(),
    "softmin": nn.Softmin(), "softmin_1": nn.Softmin(1), "softmax2d": nn.Softmax2d(), "celu": nn.CELU(), "celu_2_inplace": nn.CELU(2.0, True),
    "selu": nn.SELU(), "selu_inplace": nn.SELU(True), "rrelu": nn.RReLU(), "rrelu_args": nn.RReLU(0.1, 0.3, True),
    "unflatten": nn.Unflatten(1, (2, 2)), "dropout1d": nn.Dropout1d(), "dropout2d": nn.Dropout2d(0.2), "dropout3d": nn.Dropout3d(0.3, True),
    "alpha_dropout": nn.AlphaDropout(), "feature_alpha_dropout": nn.FeatureAlphaDropout(0.2),
    "embedding_bag": nn.EmbeddingBag(10, 3), "embedding_bag_args": nn.EmbeddingBag(10, 3, max_norm=1.0, norm_type=1.0, mode="max", padding_idx=0),
    "embedding_bag_freq": nn.EmbeddingBag(10, 3, mode="sum", scale_grad_by_freq=True),
    "bilinear": nn.Bilinear(2, 3, 4), "bilinear_nobias": nn.Bilinear(2, 3, 4, bias=False), "cosine_similarity": nn.CosineSimilarity(),
    "pairwise_distance": nn.PairwiseDistance(1.0, 1e-5, True),
    "margin_ranking": nn.MarginRankingLoss(0.5), "hinge_embedding": nn.HingeEmbeddingLoss(), "cosine_embedding": nn.CosineEmbeddingLoss(),
    "triplet_margin": nn.TripletMarginLoss(), "multilabel_soft_margin": nn.MultiLabelSoftMarginLoss(), "multi_margin": nn.MultiMarginLoss(),
    "multilabel_margin": nn.MultiLabelMarginLoss(), "soft_margin": nn.SoftMarginLoss(), "poisson_nll": nn.PoissonNLLLoss(),
    "gaussian_nll": nn.GaussianNLLLoss(), "ctc": nn.CTCLoss(), "seq": nn.Sequential(nn.GroupNorm(1, 2), nn.PReLU(2), nn.Dropout2d(0.1), nn.Unflatten(1, (1, 2))),
    "weight_norm_linear": nn.utils.weight_norm(nn.Linear(2, 3)),
}
reprs = {k: repr(v) for k, v in REPRS.items()}


# ---------------------------------------------------------------- errors
def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": "TypeError" if isinstance(e, TypeError) else type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


x = torch.randn(2, 3)
lp = torch.randn(5, 2, 4).log_softmax(2)
tg = li([[1, 2, 2], [3, 0, 0]])
ERRORS = {
    "group_norm_groups": lambda: F.group_norm(torch.randn(2, 6, 3), 4),
    "group_norm_weight": lambda: F.group_norm(torch.randn(2, 6, 3), 3, torch.ones(5)),
    "group_norm_bias": lambda: F.group_norm(torch.randn(2, 6, 3), 3, torch.ones(6), torch.ones(2, 3)),
    "group_norm_one_value": lambda: F.group_norm(torch.randn(1, 2), 2),
    "group_norm_module": lambda: nn.GroupNorm(4, 6),
    "instance_norm_spatial": lambda: F.instance_norm(torch.randn(2, 3, 1)),
    "instance_norm_no_stats": lambda: F.instance_norm(torch.randn(2, 3, 4), use_input_stats=False),
    "instance_norm2d_dim": lambda: nn.InstanceNorm2d(3)(torch.randn(2, 3)),
    "instance_norm1d_dim": lambda: nn.InstanceNorm1d(3)(torch.randn(2, 3, 4, 5)),
    "batch_norm3d_dim": lambda: nn.BatchNorm3d(3)(torch.randn(2, 3, 4, 5)),
    "lrn_dim": lambda: F.local_response_norm(torch.randn(2, 3), 2),
    "prelu_mismatch": lambda: F.prelu(x, torch.ones(2)),
    "prelu_weight_dim": lambda: F.prelu(x, torch.ones(1, 3)),
    "prelu_zero_dim": lambda: F.prelu(torch.tensor(1.0), torch.ones(2)),
    "prelu_long": lambda: F.prelu(li([1, 2]), torch.ones(1)),
    "hardswish_long": lambda: F.hardswish(li([1, 2])),
    "mish_long": lambda: F.mish(li([1, 2])),
    "softshrink_negative": lambda: F.softshrink(x, -1.0),
    "celu_zero": lambda: F.celu(x, 0.0),
    "rrelu_bounds": lambda: F.rrelu(x, 0.5, 0.1),
    "glu_odd": lambda: F.glu(x),
    "glu_scalar": lambda: F.glu(torch.tensor(1.0)),
    "glu_dim": lambda: F.glu(x, 2),
    "softmax2d_dim": lambda: nn.Softmax2d()(x),
    "hardtanh_bounds": lambda: nn.Hardtanh(1.0, -1.0),
    "unflatten_sizes": lambda: nn.Unflatten(1, (2, 2))(torch.randn(2, 3)),
    "dropout1d_dim": lambda: F.dropout1d(torch.randn(2, 3, 4, 5)),
    "dropout_p": lambda: F.dropout2d(x, 1.5),
    "dropout_module_p": lambda: nn.Dropout3d(-0.1),
    "feature_dropout_1d": lambda: F.feature_alpha_dropout(torch.randn(3), 0.5, True),
    "embedding_bag_2d_offsets": lambda: F.embedding_bag(li([[1, 2]]), torch.randn(5, 2), li([0])),
    "embedding_bag_no_offsets": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2)),
    "embedding_bag_offsets_2d": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([[0]])),
    "embedding_bag_3d": lambda: F.embedding_bag(li([[[1]]]), torch.randn(5, 2)),
    "embedding_bag_mode": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), mode="foo"),
    "embedding_bag_max_freq": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), mode="max", scale_grad_by_freq=True),
    "embedding_bag_psw_mean": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), per_sample_weights=torch.ones(2)),
    "embedding_bag_psw_shape": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), mode="sum", per_sample_weights=torch.ones(3)),
    "embedding_bag_psw_dtype": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), mode="sum", per_sample_weights=torch.ones(2, dtype=torch.float64)),
    "embedding_bag_float_indices": lambda: F.embedding_bag(torch.tensor([1.0, 2.0]), torch.randn(5, 2), li([0])),
    "embedding_bag_offset0": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([1])),
    "embedding_bag_offset_last": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0, 3])),
    "embedding_bag_index_fbgemm": lambda: F.embedding_bag(li([1, 5]), torch.randn(5, 2), li([0]), mode="sum"),
    "embedding_bag_index_max": lambda: F.embedding_bag(li([1, 5]), torch.randn(5, 2), li([0]), mode="max"),
    "embedding_bag_padding": lambda: F.embedding_bag(li([1, 2]), torch.randn(5, 2), li([0]), padding_idx=5),
    "embedding_bag_module_padding": lambda: nn.EmbeddingBag(5, 2, padding_idx=5),
    "bilinear_dims": lambda: F.bilinear(torch.randn(5, 2), torch.randn(3), torch.randn(4, 2, 3)),
    "bilinear_batch": lambda: F.bilinear(torch.randn(5, 2), torch.randn(4, 3), torch.randn(4, 2, 3)),
    "bilinear_in1": lambda: F.bilinear(torch.randn(5, 3), torch.randn(5, 3), torch.randn(4, 2, 3)),
    "bilinear_in2": lambda: F.bilinear(torch.randn(5, 2), torch.randn(5, 2), torch.randn(4, 2, 3)),
    "bilinear_bias": lambda: F.bilinear(torch.randn(5, 2), torch.randn(5, 3), torch.randn(4, 2, 3), torch.ones(3)),
    "cosine_similarity_ints": lambda: F.cosine_similarity(li([1, 2]), li([1, 2]), dim=0),
    "cosine_similarity_shapes": lambda: F.cosine_similarity(torch.randn(3, 2), torch.randn(4, 2)),
    "margin_ranking_dims": lambda: F.margin_ranking_loss(x, x[0], x),
    "margin_ranking_reduction": lambda: F.margin_ranking_loss(x, x, x, reduction="foo"),
    "cosine_embedding_target_dim": lambda: F.cosine_embedding_loss(x, x, torch.ones(2, 1)),
    "cosine_embedding_1d_target": lambda: F.cosine_embedding_loss(x[0], x[1], torch.ones(3)),
    "cosine_embedding_0d_target": lambda: F.cosine_embedding_loss(x, x, torch.tensor(1.0)),
    "triplet_dims": lambda: F.triplet_margin_loss(x, x[0], x),
    "multi_margin_target": lambda: F.multi_margin_loss(x, li([0, 3])),
    "multi_margin_target_size": lambda: F.multi_margin_loss(x, li([0])),
    "multi_margin_p": lambda: F.multi_margin_loss(x, li([0, 1]), p=3),
    "multi_margin_weight_dim": lambda: F.multi_margin_loss(x, li([0, 1]), weight=torch.ones(1, 3)),
    "multi_margin_3d": lambda: F.multi_margin_loss(torch.randn(2, 3, 4), li([0, 1])),
    "multi_margin_long": lambda: F.multi_margin_loss(li([[1, 2]]), li([0])),
    "multi_margin_float_target": lambda: F.multi_margin_loss(x, torch.tensor([0.0, 1.0])),
    "multilabel_margin_range": lambda: F.multilabel_margin_loss(x, li([[0, 3, -1], [0, 1, 2]])),
    "multilabel_margin_range_low": lambda: F.multilabel_margin_loss(x, li([[0, -2, -1], [0, 1, 2]])),
    "multilabel_margin_size": lambda: F.multilabel_margin_loss(x, li([[0, 1], [0, 1]])),
    "soft_margin_target_grad": lambda: F.soft_margin_loss(x, torch.ones(2, 3, requires_grad=True)),
    "gaussian_nll_var_size": lambda: F.gaussian_nll_loss(x, x, torch.ones(2, 2)),
    "gaussian_nll_negative": lambda: F.gaussian_nll_loss(x, x, -torch.ones(2, 3)),
    "gaussian_nll_reduction": lambda: F.gaussian_nll_loss(x, x, torch.ones(2, 3), reduction="foo"),
    "poisson_nll_reduction": lambda: F.poisson_nll_loss(x, x, reduction="foo"),
    "multilabel_soft_margin_reduction": lambda: F.multilabel_soft_margin_loss(x, x, reduction="foo"),
    "ctc_concat_size": lambda: F.ctc_loss(lp, li([1, 2, 2, 3]), [5, 4], [3, 2]),
    "ctc_input_length": lambda: F.ctc_loss(lp, tg, [6, 4], [3, 1]),
    "ctc_input_lengths_size": lambda: F.ctc_loss(lp, tg, [5, 4, 3], [3, 1]),
    "ctc_target_lengths_size": lambda: F.ctc_loss(lp, tg, [5, 4], [3, 1, 2]),
    "ctc_blank": lambda: F.ctc_loss(lp, tg, [5, 4], [3, 1], blank=4),
    "ctc_target_length": lambda: F.ctc_loss(lp, tg, [5, 4], [4, 1]),
    "ctc_reduction": lambda: F.ctc_loss(lp, tg, [5, 4], [3, 1], reduction="foo"),
    "weight_norm_twice": lambda: nn.utils.weight_norm(nn.utils.weight_norm(nn.Linear(2, 2))),
    "remove_weight_norm_missing": lambda: nn.utils.remove_weight_norm(nn.Linear(2, 2)),
    "spectral_norm_iterations": lambda: nn.utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=0),
    "spectral_norm_none": lambda: nn.utils.spectral_norm(nn.Linear(2, 2, bias=False), name="bias"),
    "spectral_norm_twice": lambda: nn.utils.spectral_norm(nn.utils.spectral_norm(nn.Linear(2, 2))),
    "remove_spectral_norm_missing": lambda: nn.utils.remove_spectral_norm(nn.Linear(2, 2)),
    "prune_amount": lambda: prune.l1_unstructured(nn.Linear(2, 2), "weight", 1.5),
    "prune_amount_negative": lambda: prune.random_unstructured(nn.Linear(2, 2), "weight", -1),
    "prune_amount_count": lambda: prune.l1_unstructured(nn.Linear(2, 2), "weight", 5),
    "prune_remove_missing": lambda: prune.remove(nn.Linear(2, 2), "weight"),
    "parametrize_missing": lambda: parametrize.register_parametrization(nn.Linear(2, 2), "foo", Symmetric()),
    "parametrize_shape": lambda: parametrize.register_parametrization(nn.Linear(2, 2), "bias", Shape3()),
    "remove_parametrizations_missing": lambda: parametrize.remove_parametrizations(nn.Linear(2, 2), "weight"),
}


class Shape3(nn.Module):
    def forward(self, X):
        return torch.zeros(3)


errors = {k: err(f) for k, f in ERRORS.items()}

out = {"cases": cases, "inits": inits, "module_runs": module_runs, "draws": draws, "prunes": prunes, "params": param_cases,
       "reprs": reprs, "errors": errors}
with open("test/fixtures/nn_extra.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(len(cases), "cases;", len(module_runs), "module runs;", len(errors), "errors")
