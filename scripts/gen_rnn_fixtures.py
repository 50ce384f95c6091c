# Fixtures for nn.RNN / nn.LSTM / nn.GRU, their cells and nn.utils.rnn (issue 10): each case runs in
# real PyTorch 1.13 and records outputs, final states and the gradients of a weighted-sum loss with
# respect to the inputs, the initial states and every parameter; plus seeded initialisation, dropout
# between layers under manual_seed, packing and padding, reprs and error messages.
# test/rnn.test.ts replays them.
#   /usr/bin/python3 scripts/gen_rnn_fixtures.py
import json
import torch
import numpy  # noqa: F401 (Tensor.numpy)
import torch.nn as nn
from torch.nn.utils import rnn as R

torch.set_num_threads(1)


def enc(t):
    t = t.detach()
    data = t.reshape(-1).tolist()
    if t.dtype == torch.float32:
        # NOTE: the shortest decimal that rounds back to the same float32 (numpy's str): the test reads
        # it back with Math.fround / a float32 tensor, exactly, and the file is half the size
        data = [float(str(v)) for v in t.reshape(-1).numpy()]
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": data}


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, dtype=dtype)


KINDS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}
CELLS = {"RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}


def make_module(kind, args, dtype):
    kw = dict(args)
    ins, hid = kw.pop("input_size"), kw.pop("hidden_size")
    m = KINDS[kind](ins, hid, **kw)
    return m.to(dtype)


# ---------------------------------------------------------------- module cases
module_cases = []


def module_case(name, kind, args, *, T=5, B=3, dtype=torch.float32, h0=True, unbatched=False, packed=None,
                train=False, seed=None, empty_batch=False):
    """packed: None, or {"lengths": [...], "enforce_sorted": bool, "from": "seqs" | "padded", "batch_first": bool}"""
    torch.manual_seed(len(module_cases) + 100)
    m = make_module(kind, args, dtype)
    # non-default weights: a fresh draw from N(0, 0.4^2), so that gates do not saturate
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, dtype=dtype) * 0.4)
    m.train(train)
    D = 2 if args.get("bidirectional") else 1
    L = args.get("num_layers", 1)
    H = args["hidden_size"]
    P = args.get("proj_size", 0) or H
    I = args["input_size"]
    bf = args.get("batch_first", False)
    case = {"name": name, "kind": kind, "args": args, "dtype": str(dtype).replace("torch.", ""), "train": train, "seed": seed,
            "state": {k: enc(v) for k, v in m.state_dict().items()}}
    leaves = {}
    if packed is None:
        if empty_batch:
            B = 0
        shape = (T, I) if unbatched else ((B, T, I) if bf else (T, B, I))
        x = randn(*shape, dtype=dtype).requires_grad_()
        leaves["input"] = x
        inp = x
        case["input"] = enc(x)
    else:
        lengths = packed["lengths"]
        B = len(lengths)
        if packed["from"] == "seqs":
            seqs = [randn(l, I, dtype=dtype).requires_grad_() for l in lengths]
            for i, s in enumerate(seqs):
                leaves[f"seq{i}"] = s
            case["seqs"] = [enc(s) for s in seqs]
            inp = R.pack_sequence(seqs, enforce_sorted=packed["enforce_sorted"])
        else:
            pbf = packed["batch_first"]
            Tm = max(lengths)
            x = randn(*((B, Tm, I) if pbf else (Tm, B, I)), dtype=dtype).requires_grad_()
            leaves["input"] = x
            case["input"] = enc(x)
            inp = R.pack_padded_sequence(x, torch.tensor(lengths), batch_first=pbf, enforce_sorted=packed["enforce_sorted"])
        case["packed"] = packed
    hx = None
    if h0:
        hshape = (L * D, P) if unbatched else (L * D, B, P)
        h = randn(*hshape, dtype=dtype).requires_grad_()
        leaves["h0"] = h
        case["h0"] = enc(h)
        if kind == "LSTM":
            c = randn(*((L * D, H) if unbatched else (L * D, B, H)), dtype=dtype).requires_grad_()
            leaves["c0"] = c
            case["c0"] = enc(c)
            hx = (h, c)
        else:
            hx = h
    if seed is not None:
        torch.manual_seed(seed)
    out, hn = m(inp, hx)
    if kind == "LSTM":
        hn, cn = hn
    else:
        cn = None
    if packed is not None:
        case["batch_sizes"] = out.batch_sizes.tolist()
        case["sorted_indices"] = None if out.sorted_indices is None else out.sorted_indices.tolist()
        case["unsorted_indices"] = None if out.unsorted_indices is None else out.unsorted_indices.tolist()
        padded, lens = R.pad_packed_sequence(out, batch_first=packed.get("batch_first", False))
        case["padded"] = enc(padded)
        case["lengths_out"] = lens.tolist()
        out_t = out.data
    else:
        out_t = out
    case["out"] = enc(out_t)
    case["out_stride"] = list(out_t.stride())
    case["hN"] = enc(hn)
    if cn is not None:
        case["cN"] = enc(cn)
    w_out = randn(*out_t.shape, dtype=dtype)
    w_h = randn(*hn.shape, dtype=dtype)
    loss = (out_t * w_out).sum() + (hn * w_h).sum()
    case["w_out"], case["w_h"] = enc(w_out), enc(w_h)
    if cn is not None:
        w_c = randn(*cn.shape, dtype=dtype)
        case["w_c"] = enc(w_c)
        loss = loss + (cn * w_c).sum()
    loss.backward()
    case["loss"] = loss.item()
    case["grads"] = {k: enc(v.grad) for k, v in leaves.items()}
    case["param_grads"] = {k: enc(p.grad) for k, p in m.named_parameters()}
    module_cases.append(case)


module_case("rnn_tanh", "RNN", {"input_size": 4, "hidden_size": 5})
module_case("rnn_relu_2layer_nobias_nohx", "RNN", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "bias": False, "nonlinearity": "relu"}, h0=False)
module_case("rnn_tanh_bidir_batchfirst", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True, "batch_first": True})
module_case("rnn_unbatched", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, unbatched=True)
module_case("lstm", "LSTM", {"input_size": 4, "hidden_size": 5})
module_case("lstm_nohx", "LSTM", {"input_size": 4, "hidden_size": 5}, h0=False)
module_case("lstm_2layer_bidir", "LSTM", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "bidirectional": True})
module_case("lstm_batchfirst_nobias", "LSTM", {"input_size": 3, "hidden_size": 4, "bias": False, "batch_first": True})
module_case("lstm_proj_2layer_bidir", "LSTM", {"input_size": 4, "hidden_size": 6, "num_layers": 2, "bidirectional": True, "proj_size": 3})
module_case("lstm_proj_nobias", "LSTM", {"input_size": 4, "hidden_size": 6, "proj_size": 2, "bias": False})
module_case("lstm_unbatched", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True}, unbatched=True)
module_case("lstm_unbatched_batchfirst_nohx", "LSTM", {"input_size": 3, "hidden_size": 4, "batch_first": True}, unbatched=True, h0=False)
module_case("lstm_long", "LSTM", {"input_size": 8, "hidden_size": 16, "num_layers": 2}, T=30, B=4)
module_case("gru", "GRU", {"input_size": 4, "hidden_size": 5})
module_case("gru_2layer_bidir_batchfirst", "GRU", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "bidirectional": True, "batch_first": True})
module_case("gru_nobias_nohx", "GRU", {"input_size": 3, "hidden_size": 4, "bias": False}, h0=False)
module_case("gru_unbatched", "GRU", {"input_size": 3, "hidden_size": 4}, unbatched=True)
module_case("lstm_empty_batch", "LSTM", {"input_size": 3, "hidden_size": 4}, empty_batch=True, h0=False)
# packed sequences with unequal lengths
module_case("lstm_packed_sorted", "LSTM", {"input_size": 3, "hidden_size": 4}, packed={"lengths": [5, 3, 3, 1], "enforce_sorted": True, "from": "seqs"})
module_case("lstm_packed_unsorted_bidir_2layer", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True},
            packed={"lengths": [2, 5, 1, 4, 4], "enforce_sorted": False, "from": "seqs"})
module_case("lstm_packed_proj_bidir", "LSTM", {"input_size": 3, "hidden_size": 5, "bidirectional": True, "proj_size": 2},
            packed={"lengths": [3, 6, 2], "enforce_sorted": False, "from": "seqs"})
module_case("gru_packed_padded_batchfirst", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True, "batch_first": True},
            packed={"lengths": [4, 6, 2, 6], "enforce_sorted": False, "from": "padded", "batch_first": True})
module_case("rnn_packed_bidir_nohx", "RNN", {"input_size": 3, "hidden_size": 4, "bidirectional": True, "nonlinearity": "relu"},
            packed={"lengths": [4, 2, 1], "enforce_sorted": True, "from": "padded", "batch_first": False}, h0=False)
# dropout between layers, in training mode (masks drawn from the global generator)
module_case("lstm_dropout_train", "LSTM", {"input_size": 4, "hidden_size": 5, "num_layers": 3, "dropout": 0.5}, train=True, seed=7)
module_case("gru_dropout_train_bidir_batchfirst", "GRU", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "dropout": 0.3, "bidirectional": True, "batch_first": True},
            train=True, seed=11)
module_case("rnn_dropout_train_packed", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.4, "bidirectional": True},
            packed={"lengths": [3, 5, 2], "enforce_sorted": False, "from": "seqs"}, train=True, seed=3)
module_case("lstm_dropout_eval", "LSTM", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "dropout": 0.5}, train=False)
# float64: agreement to rounding
module_case("lstm_float64", "LSTM", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "bidirectional": True}, dtype=torch.float64)
module_case("gru_float64_packed", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, dtype=torch.float64,
            packed={"lengths": [2, 5, 3], "enforce_sorted": False, "from": "seqs"})

# ---------------------------------------------------------------- cells
cell_cases = []


def cell_case(name, kind, args, *, B=3, unbatched=False, hx=True):
    torch.manual_seed(len(cell_cases) + 500)
    kw = dict(args)
    m = CELLS[kind](kw.pop("input_size"), kw.pop("hidden_size"), **kw)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape) * 0.4)
    I, H = args["input_size"], args["hidden_size"]
    x = randn(*((I,) if unbatched else (B, I))).requires_grad_()
    leaves = {"input": x}
    case = {"name": name, "kind": kind, "args": args, "state": {k: enc(v) for k, v in m.state_dict().items()}, "input": enc(x)}
    h = None
    if hx:
        shape = (H,) if unbatched else (B, H)
        h0 = randn(*shape).requires_grad_()
        leaves["h0"] = h0
        case["h0"] = enc(h0)
        if kind == "LSTMCell":
            c0 = randn(*shape).requires_grad_()
            leaves["c0"] = c0
            case["c0"] = enc(c0)
            h = (h0, c0)
        else:
            h = h0
    r = m(x, h)
    outs = list(r) if kind == "LSTMCell" else [r]
    case["outs"] = [enc(o) for o in outs]
    ws = [randn(*o.shape) for o in outs]
    case["ws"] = [enc(w) for w in ws]
    loss = sum((o * w).sum() for o, w in zip(outs, ws))
    loss.backward()
    case["grads"] = {k: enc(v.grad) for k, v in leaves.items()}
    case["param_grads"] = {k: enc(p.grad) for k, p in m.named_parameters()}
    cell_cases.append(case)


cell_case("rnncell_tanh", "RNNCell", {"input_size": 4, "hidden_size": 5})
cell_case("rnncell_relu_nobias", "RNNCell", {"input_size": 4, "hidden_size": 5, "bias": False, "nonlinearity": "relu"})
cell_case("rnncell_unbatched_nohx", "RNNCell", {"input_size": 4, "hidden_size": 5}, unbatched=True, hx=False)
cell_case("lstmcell", "LSTMCell", {"input_size": 4, "hidden_size": 5})
cell_case("lstmcell_nohx", "LSTMCell", {"input_size": 4, "hidden_size": 5}, hx=False)
cell_case("lstmcell_unbatched_nobias", "LSTMCell", {"input_size": 4, "hidden_size": 5, "bias": False}, unbatched=True)
cell_case("grucell", "GRUCell", {"input_size": 4, "hidden_size": 5})
cell_case("grucell_unbatched", "GRUCell", {"input_size": 4, "hidden_size": 5}, unbatched=True)
cell_case("grucell_nobias_nohx", "GRUCell", {"input_size": 4, "hidden_size": 5, "bias": False}, hx=False)

# ---------------------------------------------------------------- seeded initialisation
inits = []


def init_case(name, ctor, draw_after=3, save=None):
    torch.manual_seed(0)
    m = ctor()
    if save:
        # a checkpoint as PyTorch writes it, for the test to torch.load and loadStateDict
        torch.save(m.state_dict(), save)
    inits.append({"name": name, "state": {k: enc(v) for k, v in m.state_dict().items()}, "after": enc(torch.rand(draw_after)), "repr": str(m)})


init_case("lstm_10_20_2_bidir", lambda: nn.LSTM(10, 20, 2, bidirectional=True))
init_case("lstm_proj", lambda: nn.LSTM(6, 8, num_layers=2, proj_size=3, batch_first=True, bidirectional=True),
          save="test/fixtures/rnn_lstm_proj.pt")
init_case("gru_nobias", lambda: nn.GRU(5, 7, bias=False, dropout=0.25, num_layers=2))
init_case("rnn_relu", lambda: nn.RNN(3, 4, nonlinearity="relu"))
init_case("rnncell", lambda: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"))
init_case("lstmcell", lambda: nn.LSTMCell(3, 4))
init_case("grucell", lambda: nn.GRUCell(3, 4))

# ---------------------------------------------------------------- nn.utils.rnn
utils = []


def util_case(name, fn, seq_shapes, *, seed=0):
    """fn(leaves) -> dict of named tensors/ints; the loss is a weighted sum of the float tensors."""
    torch.manual_seed(seed)
    leaves = [torch.randn(*s).requires_grad_() for s in seq_shapes]
    res = fn(leaves)
    case = {"name": name, "leaves": [enc(l) for l in leaves], "results": {}}
    loss = 0
    ws = {}
    for k, v in res.items():
        if isinstance(v, torch.Tensor):
            # NOTE: the node's class name (CopySlices, not name()'s torch::autograd::CopySlices), as typetorch's name()
            case["results"][k] = dict(enc(v), grad_fn=type(v.grad_fn).__name__ if v.grad_fn else None, stride=list(v.stride()))
            if v.dtype.is_floating_point and v.requires_grad:
                w = torch.randn(v.shape)
                ws[k] = enc(w)
                loss = loss + (v * w).sum()
        else:
            case["results"][k] = {"value": v}
    case["ws"] = ws
    if ws:
        loss.backward()
        case["grads"] = [enc(l.grad) if l.grad is not None else None for l in leaves]
    utils.append(case)


def packed_dict(p, prefix=""):
    return {prefix + "data": p.data, prefix + "batch_sizes": p.batch_sizes,
            prefix + "sorted_indices": p.sorted_indices.tolist() if p.sorted_indices is not None else None,
            prefix + "unsorted_indices": p.unsorted_indices.tolist() if p.unsorted_indices is not None else None}


util_case("pad_sequence", lambda s: {"out": R.pad_sequence(s)}, [(3, 2), (1, 2), (4, 2)])
util_case("pad_sequence_batch_first_value", lambda s: {"out": R.pad_sequence(s, batch_first=True, padding_value=-1.5)}, [(3, 2, 2), (5, 2, 2)])
util_case("pad_sequence_1d", lambda s: {"out": R.pad_sequence(s, True)}, [(2,), (4,), (1,)])
util_case("pack_sequence_sorted", lambda s: packed_dict(R.pack_sequence(s)), [(4, 2), (4, 2), (2, 2), (1, 2)])
util_case("pack_sequence_unsorted", lambda s: packed_dict(R.pack_sequence(s, enforce_sorted=False)), [(2, 3), (4, 3), (1, 3), (4, 3)])
util_case("pack_padded_batch_first", lambda s: packed_dict(R.pack_padded_sequence(s[0], [3, 3, 1], batch_first=True)), [(3, 4, 2)])
util_case("pack_padded_unsorted_ties", lambda s: packed_dict(R.pack_padded_sequence(s[0], torch.tensor([2, 3, 2, 3, 1]), enforce_sorted=False)), [(4, 5)])
util_case("pack_padded_unsorted_large_ties", lambda s: packed_dict(R.pack_padded_sequence(s[0], [1, 2] * 20, batch_first=True, enforce_sorted=False)), [(40, 2)])
util_case("pack_padded_float_lengths", lambda s: packed_dict(R.pack_padded_sequence(s[0], torch.tensor([3.7, 2.2]))), [(4, 2, 3)])


def roundtrip(s, **kw):
    p = R.pack_sequence(s, enforce_sorted=False)
    out, lens = R.pad_packed_sequence(p, **kw)
    return {"out": out, "lengths": lens}


util_case("pad_packed", lambda s: roundtrip(s), [(2, 3), (4, 3), (3, 3)])
util_case("pad_packed_batch_first_value_total", lambda s: roundtrip(s, batch_first=True, padding_value=9.0, total_length=6), [(2, 3), (4, 3), (3, 3)])


def sorted_roundtrip(s):
    p = R.pack_sequence(s)
    out, lens = R.pad_packed_sequence(p, total_length=5)
    return {"out": out, "lengths": lens}


util_case("pad_packed_sorted_total", sorted_roundtrip, [(4, 2), (2, 2), (2, 2)])
util_case("unpack_sequence", lambda s: {f"seq{i}": t for i, t in enumerate(R.unpack_sequence(R.pack_sequence(s, enforce_sorted=False)))}, [(2, 3), (4, 3), (3, 3)])

torch.manual_seed(0)
packed_repr = str(R.pack_sequence([torch.randn(3, 2), torch.randn(1, 2)]))
torch.manual_seed(0)
packed_repr_unsorted = str(R.pack_sequence([torch.randn(1, 2), torch.randn(3, 2)], enforce_sorted=False))

# ---------------------------------------------------------------- errors
errors = {}


def err(name, f):
    torch.manual_seed(0)
    try:
        f()
    except Exception as e:
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        return
    raise SystemExit(f"{name}: no error")


err("lstm_input_size", lambda: nn.LSTM(10, 20)(torch.randn(4, 3, 5)))
err("lstm_h_shape", lambda: nn.LSTM(10, 20)(torch.randn(4, 3, 10), (torch.randn(2, 3, 20), torch.randn(1, 3, 20))))
err("lstm_c_shape", lambda: nn.LSTM(10, 20)(torch.randn(4, 3, 10), (torch.randn(1, 3, 20), torch.randn(1, 2, 20))))
err("lstm_proj_c_shape", lambda: nn.LSTM(10, 20, proj_size=5)(torch.randn(4, 3, 10), (torch.randn(1, 3, 5), torch.randn(1, 3, 5))))
err("lstm_hx_dims", lambda: nn.LSTM(10, 20)(torch.randn(4, 3, 10), (torch.randn(3, 20), torch.randn(1, 3, 20))))
err("lstm_hx_dims_unbatched", lambda: nn.LSTM(10, 20)(torch.randn(4, 10), (torch.randn(1, 1, 20), torch.randn(1, 20))))
err("lstm_1d_input", lambda: nn.LSTM(10, 20)(torch.randn(10)))
err("lstm_4d_input", lambda: nn.LSTM(10, 20)(torch.randn(2, 2, 2, 10)))
err("lstm_seq_len_0", lambda: nn.LSTM(10, 20)(torch.randn(0, 3, 10)))
err("lstm_packed_h_shape", lambda: nn.LSTM(2, 3)(R.pack_sequence([torch.randn(3, 2), torch.randn(2, 2)]), (torch.randn(1, 3, 3), torch.randn(1, 2, 3))))
err("lstm_packed_data_dims", lambda: nn.LSTM(2, 3)(R.PackedSequence(torch.randn(5, 2, 2), torch.tensor([2, 2, 1]))))
err("lstm_dtype_mismatch", lambda: nn.LSTM(10, 20)(torch.randn(4, 3, 10, dtype=torch.float64)))
err("gru_dtype_mismatch", lambda: nn.GRU(3, 4)(torch.randn(2, 1, 3, dtype=torch.float64)))
err("rnn_nobias_long_input", lambda: nn.RNN(3, 4, bias=False)(torch.ones(2, 1, 3, dtype=torch.long)))
err("lstm_nobias_h0_float64", lambda: nn.LSTM(3, 4, bias=False)(torch.randn(2, 1, 3), (torch.randn(1, 1, 4, dtype=torch.float64), torch.randn(1, 1, 4))))
err("gru_h0_float64", lambda: nn.GRU(3, 4)(torch.randn(2, 1, 3), torch.randn(1, 1, 4, dtype=torch.float64)))
err("lstmcell_float64_input", lambda: nn.LSTMCell(3, 4)(torch.randn(2, 3, dtype=torch.float64)))
err("grucell_nobias_long_input", lambda: nn.GRUCell(3, 4, bias=False)(torch.ones(2, 3, dtype=torch.long)))
err("rnn_h_shape", lambda: nn.RNN(10, 20)(torch.randn(4, 3, 10), torch.randn(2, 3, 20)))
err("rnn_batch_first_h_shape", lambda: nn.RNN(10, 20, batch_first=True)(torch.randn(4, 3, 10), torch.randn(1, 3, 20)))
err("rnn_hx_dims", lambda: nn.RNN(10, 20)(torch.randn(4, 3, 10), torch.randn(3, 20)))
err("rnn_hx_dims_unbatched", lambda: nn.RNN(10, 20)(torch.randn(4, 10), torch.randn(1, 3, 20)))
err("gru_bidir_h_shape", lambda: nn.GRU(10, 20, bidirectional=True)(torch.randn(4, 3, 10), torch.randn(1, 3, 20)))
err("gru_hx_dims_unbatched", lambda: nn.GRU(10, 20)(torch.randn(4, 10), torch.randn(2)))
err("rnn_nonlinearity", lambda: nn.RNN(10, 20, nonlinearity="sigmoid"))
err("gru_proj_size", lambda: nn.GRU(10, 20, proj_size=5))
err("rnn_proj_size", lambda: nn.RNN(10, 20, proj_size=5))
err("lstm_proj_too_big", lambda: nn.LSTM(10, 20, proj_size=20))
err("lstm_proj_negative", lambda: nn.LSTM(10, 20, proj_size=-1))
err("lstm_dropout_range", lambda: nn.LSTM(10, 20, dropout=1.5))
err("rnncell_3d", lambda: nn.RNNCell(10, 20)(torch.randn(2, 3, 10)))
err("lstmcell_3d", lambda: nn.LSTMCell(10, 20)(torch.randn(2, 3, 10)))
err("grucell_0d", lambda: nn.GRUCell(10, 20)(torch.tensor(1.0)))
err("rnncell_input_size", lambda: nn.RNNCell(10, 20)(torch.randn(3, 5)))
err("rnncell_hidden_batch", lambda: nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(2, 20)))
err("rnncell_hidden_size", lambda: nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(3, 5)))
err("rnncell_batched_1d_hidden", lambda: nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(20)))
err("rnncell_unbatched_2d_hidden", lambda: nn.RNNCell(10, 20)(torch.randn(10), torch.randn(1, 20)))
err("rnncell_nonlinearity", lambda: nn.RNNCell(10, 20, nonlinearity="foo")(torch.randn(3, 10)))
err("lstmcell_c_size", lambda: nn.LSTMCell(10, 20)(torch.randn(3, 10), (torch.randn(3, 20), torch.randn(3, 5))))
err("lstmcell_c_batch", lambda: nn.LSTMCell(10, 20)(torch.randn(3, 10), (torch.randn(3, 20), torch.randn(2, 20))))
err("grucell_hidden_size", lambda: nn.GRUCell(10, 20)(torch.randn(3, 10), torch.randn(3, 21)))
err("lstmcell_input_size", lambda: nn.LSTMCell(10, 20)(torch.randn(3, 11)))
err("pad_sequence_empty", lambda: R.pad_sequence([]))
err("pack_padded_unsorted", lambda: R.pack_padded_sequence(torch.ones(3, 2), [2, 3]))
err("pack_sequence_unsorted", lambda: R.pack_sequence([torch.ones(2), torch.ones(3)]))
err("pack_padded_lengths_len", lambda: R.pack_padded_sequence(torch.ones(3, 2), [3, 2, 1]))
err("pack_padded_zero_length", lambda: R.pack_padded_sequence(torch.ones(3, 2), [3, 0]))
err("pack_padded_zero_length_unsorted", lambda: R.pack_padded_sequence(torch.ones(3, 2), [0, 3], enforce_sorted=False))
err("pack_padded_empty", lambda: R.pack_padded_sequence(torch.ones(0, 2), [0, 0]))
err("pad_packed_total_length", lambda: R.pad_packed_sequence(R.pack_sequence([torch.ones(3), torch.ones(2)]), total_length=2))

# ---------------------------------------------------------------- reprs
reprs = {
    "rnn": str(nn.RNN(10, 20)),
    "rnn_relu": str(nn.RNN(10, 20, 2, nonlinearity="relu")),
    "lstm_all": str(nn.LSTM(10, 20, 3, bias=False, batch_first=True, dropout=0.1, bidirectional=True, proj_size=5)),
    "gru": str(nn.GRU(4, 8, dropout=0.5, num_layers=2)),
    "rnncell": str(nn.RNNCell(3, 4)),
    "rnncell_relu_nobias": str(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")),
    "lstmcell": str(nn.LSTMCell(3, 4)),
    "grucell_nobias": str(nn.GRUCell(3, 4, False)),
    "seq": str(nn.Sequential(nn.LSTM(3, 4), nn.Linear(4, 2))),
}

out = {"module_cases": module_cases, "cell_cases": cell_cases, "inits": inits, "utils": utils,
       "packed_repr": packed_repr, "packed_repr_unsorted": packed_repr_unsorted, "errors": errors, "reprs": reprs}
with open("test/fixtures/rnn.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(len(module_cases), "module cases,", len(cell_cases), "cell cases,", len(utils), "utils cases,", len(errors), "errors -> test/fixtures/rnn.json")
