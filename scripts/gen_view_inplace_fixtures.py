#!/usr/bin/env python3
"""Generates test/fixtures/view_inplace.json: views and in-place ops in real PyTorch 1.13.

PyTorch's rule: a view shares its base's version counter; after an in-place op on the base or on any
of its views, every other view gets a fresh grad_fn (AsStridedBackward0 over the base's new history)
when it is next used, and an in-place op on a view records CopySlices on the base. Views made in
no_grad mode and outputs of multi-output view ops (split, chunk, unbind) may not be modified in place
once autograd is involved.

Each program is data: a list of steps that this script runs in PyTorch and test/view_inplace.test.ts
runs in typetorch, so both run the same program. A step that raises records the error's class and
message, and the program goes on with the next step. Steps:
  ["leaf", name, values]          torch.tensor(values, requires_grad=True)   (float32)
  ["const", name, values]         torch.tensor(values)                       (float32)
  ["long", name, values]          torch.tensor(values, dtype=torch.int64)
  ["mask", name, values]          torch.tensor(values, dtype=torch.bool)
  ["call", dst, obj, method, *args]  dst = obj.method(*args); "$v" names a variable, a dict is the
                                  keyword arguments (typetorch's trailing options object); dst may be null
  ["get", dst, obj, *specs]       dst = obj[specs]  ("a:b:c" strings are slices, "..." Ellipsis,
                                  null None, "$i" index tensors, lists of ints advanced indices)
  ["set", obj, [specs], value]    obj[specs] = value
  ["pick", dst, list, i]          dst = list[i]
  ["iter", dst, obj]              dst = list(obj)  (Python iteration: unbind(0))
  ["data", dst, obj]              dst = obj.data
  ["nograd", [steps]]             the steps inside torch.no_grad()
  ["loss", dst, [names]]          dst = sum over k of (v_k * w_k).sum(), w_k = (arange(numel) % 5 + k + 1)
                                  reshaped to v_k's shape: a different weight for every element
  ["backward", name, kwargs?]     name.backward(**kwargs)
  ["grad", [dsts], out, [inputs], kwargs]   dsts = torch.autograd.grad(out, inputs, **kwargs)
  ["check", name]                 records requires_grad, grad_fn name, is_leaf, _version, shape,
                                  values and repr of the tensor (or the error that reading grad_fn raises)
At the end each leaf's .grad is recorded.

Run: /usr/bin/python3 scripts/gen_view_inplace_fixtures.py   (generated file: do not edit by hand)
"""
import json
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "view_inplace.json")


def r9(v):
    return float("%.9g" % v) if isinstance(v, float) else v


def flat(t):
    vals = t.detach().reshape(-1).tolist()
    if t.dtype == torch.bool:
        return [bool(v) for v in vals]
    return [r9(v) for v in vals]


def spec_of(s, env):
    if isinstance(s, str) and s.startswith("$"):
        return env[s[1:]]
    if s == "...":
        return Ellipsis
    if isinstance(s, str):
        parts = [None if p.strip() == "" else int(p) for p in s.split(":")]
        return slice(*parts)
    return s


def arg_of(a, env):
    if isinstance(a, str) and a.startswith("$"):
        return env[a[1:]]
    return a


def weights(t, k):
    return (torch.arange(t.numel()) % 5 + k + 1).reshape(t.shape)


def run(steps, env, events, leaves, base_index=0):
    for i, st in enumerate(steps):
        where = base_index + i
        op = st[0]
        try:
            if op == "leaf":
                env[st[1]] = torch.tensor(st[2], requires_grad=True)
                leaves.append(st[1])
            elif op == "const":
                env[st[1]] = torch.tensor(st[2])
            elif op == "long":
                env[st[1]] = torch.tensor(st[2], dtype=torch.int64)
            elif op == "mask":
                env[st[1]] = torch.tensor(st[2], dtype=torch.bool)
            elif op == "call":
                obj = env[st[2]]
                args, kwargs = [], {}
                for a in st[4:]:
                    if isinstance(a, dict):
                        kwargs = {k: arg_of(v, env) for k, v in a.items()}
                    else:
                        args.append(arg_of(a, env))
                r = getattr(obj, st[3])(*args, **kwargs)
                if st[1]:
                    env[st[1]] = r
            elif op == "get":
                specs = tuple(spec_of(s, env) for s in st[3:])
                env[st[1]] = env[st[2]][specs[0] if len(specs) == 1 else specs]
            elif op == "set":
                specs = tuple(spec_of(s, env) for s in st[2])
                env[st[1]][specs[0] if len(specs) == 1 else specs] = arg_of(st[3], env)
            elif op == "pick":
                env[st[1]] = env[st[2]][st[3]]
            elif op == "iter":
                env[st[1]] = list(env[st[2]])
            elif op == "data":
                env[st[1]] = env[st[2]].data
            elif op == "nograd":
                with torch.no_grad():
                    run(st[1], env, events, leaves, where * 100)
            elif op == "loss":
                total = None
                for k, n in enumerate(st[2]):
                    term = (env[n] * weights(env[n], k)).sum()
                    total = term if total is None else total + term
                env[st[1]] = total
            elif op == "backward":
                env[st[1]].backward(**(st[2] if len(st) > 2 else {}))
            elif op == "grad":
                gs = torch.autograd.grad(env[st[2]], [env[n] for n in st[3]], **(st[4] if len(st) > 4 else {}))
                for n, g in zip(st[1], gs):
                    env[n] = g
            elif op == "check":
                t = env[st[1]]
                ev = {"check": st[1], "requires_grad": t.requires_grad}
                try:
                    gf = t.grad_fn
                except RuntimeError as e:
                    ev["error"] = type(e).__name__
                    ev["msg"] = str(e)
                    events.append(ev)
                    continue
                ev.update({
                    "grad_fn": type(gf).__name__ if gf is not None else None,
                    "is_leaf": t.is_leaf,
                    "version": t._version,
                    "shape": list(t.shape),
                    "values": flat(t),
                    "repr": repr(t),
                })
                events.append(ev)
            else:
                raise ValueError("unknown step " + op)
        except Exception as e:  # noqa: BLE001
            events.append({"step": where, "error": type(e).__name__, "msg": str(e)})


def program(steps):
    env, events, leaves = {}, [], []
    run(steps, env, events, leaves)
    grads = {n: (flat(env[n].grad) if env[n].grad is not None else None) for n in leaves}
    return {"steps": steps, "events": events, "grads": grads}


X22 = [[1.0, 2.0], [3.0, 4.0]]
X23 = [[1.0, -2.0, 3.0], [0.5, 1.5, -1.0]]
X33 = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]
X234 = [[[0.5 * (i * 12 + j * 4 + k) - 3 for k in range(4)] for j in range(3)] for i in range(2)]

P = {}

# --- issue 9 class 1: a view used after an in-place op on its base or on another view -------------
P["select_add_then_base_add"] = [
    ["leaf", "x", X22], ["leaf", "v", [1.0, 1.0]], ["leaf", "w", [[1.0, 2.0]]], ["const", "c", [2.0, 3.0]],
    ["call", "a", "x", "clone"], ["call", "s", "a", "select", 0, 0], ["call", None, "s", "add_", "$v"],
    ["check", "a"], ["check", "s"], ["call", None, "a", "add_", "$w"], ["check", "s"], ["check", "a"],
    ["call", "l1", "a", "sum"], ["call", "m", "s", "mul", "$c"], ["call", "l2", "m", "sum"],
    ["call", "L", "l1", "add", "$l2"], ["backward", "L"],
]
P["permute_view_copy"] = [
    ["leaf", "x", X22], ["leaf", "y", [[5.0, 6.0], [7.0, 8.0]]],
    ["call", "a", "x", "mul", 2.5], ["call", "t", "a", "permute", 1, 0], ["call", "v", "t", "view", 2, 2],
    ["call", None, "v", "copy_", "$y"], ["check", "a"], ["check", "t"], ["check", "v"],
    ["loss", "L", ["a", "t", "v"]], ["backward", "L"],
]
P["narrow_then_slice_mul"] = [
    ["leaf", "x", [1.0, 2.0, 3.0, 4.0]], ["call", "a", "x", "mul", 1.0],
    ["call", "v", "a", "narrow", 0, 0, 2], ["get", "s", "a", "1:3"], ["call", None, "s", "mul_", 2.0],
    ["check", "v"], ["check", "a"], ["check", "s"], ["loss", "L", ["v", "a"]], ["backward", "L"],
]
P["base_mul_then_select"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "v", "y", "select", 1, 2],
    ["check", "v"], ["call", None, "y", "mul_", "$x"], ["check", "v"], ["loss", "L", ["v"]], ["backward", "L"],
]
P["view_mul_then_sibling"] = [
    ["leaf", "x", X23], ["leaf", "k", [2.0, -1.0, 0.5]], ["call", "y", "x", "mul", 2.0],
    ["get", "v1", "y", 0], ["get", "v2", "y", ":", 1], ["call", None, "v1", "mul_", "$k"],
    ["check", "v2"], ["check", "y"], ["loss", "L", ["v2", "y", "v1"]], ["backward", "L"],
]
P["view_of_view_after_base"] = [
    ["leaf", "x", X23], ["leaf", "w", [[1.0, 1.0, 2.0]]], ["call", "y", "x", "mul", 2.0],
    ["get", "v", "y", 1], ["get", "vv", "v", "1:"], ["call", None, "y", "add_", "$w"],
    ["check", "vv"], ["check", "v"], ["loss", "L", ["vv"]], ["backward", "L"],
]
P["inner_view_inplace_then_outer"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 1], ["get", "vv", "v", "1:"],
    ["get", "x0", "x", 0, ":2"], ["call", None, "vv", "mul_", "$x0"], ["check", "vv"], ["check", "v"], ["check", "y"],
    ["loss", "L", ["v", "y"]], ["backward", "L"],
]
P["transpose_after_base"] = [
    ["leaf", "x", X23], ["leaf", "w", X23], ["call", "y", "x", "sin"], ["call", "t", "y", "t"],
    ["call", None, "y", "addcmul_", "$x", "$w", {"value": 0.5}], ["check", "t"], ["loss", "L", ["t"]], ["backward", "L"],
]
P["expand_after_base"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "y", "x", "mul", 3.0], ["call", "u", "y", "unsqueeze", 0],
    ["call", "e", "u", "expand", 4, 3], ["call", None, "y", "mul_", "$x"], ["check", "e"], ["check", "u"],
    ["loss", "L", ["e", "u"]], ["backward", "L"],
]
P["expand_inplace_error"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "y", "x", "mul", 3.0], ["call", "e", "y", "expand", 2, 3],
    ["call", None, "e", "add_", 1.0], ["check", "y"],
]
P["diagonal_after_base"] = [
    ["leaf", "x", X33], ["call", "y", "x", "mul", 1.0], ["call", "d", "y", "diagonal"],
    ["call", "d1", "y", "diagonal", 1], ["call", None, "y", "pow_", 2], ["check", "d"], ["check", "d1"],
    ["loss", "L", ["d", "d1"]], ["backward", "L"],
]
P["diagonal_inplace"] = [
    ["leaf", "x", X33], ["leaf", "k", [1.0, 2.0, 3.0]], ["call", "y", "x", "mul", 1.0],
    ["call", "d", "y", "diagonal"], ["call", "r", "y", "select", 0, 1], ["call", None, "d", "mul_", "$k"],
    ["check", "y"], ["check", "d"], ["check", "r"], ["loss", "L", ["y", "r", "d"]], ["backward", "L"],
]
P["index_views_after_base"] = [
    ["leaf", "x", X234], ["call", "y", "x", "mul", 0.5], ["get", "a", "y", "...", 1], ["get", "b", "y", None, 1],
    ["get", "c", "y", ":", "1:", "::2"], ["get", "d", "y", -1, -1], ["call", None, "y", "sub_", "$x", {"alpha": 2.0}],
    ["check", "a"], ["check", "b"], ["check", "c"], ["check", "d"], ["loss", "L", ["a", "b", "c", "d"]], ["backward", "L"],
]
P["full_slice_is_a_view"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "s", "y", ":"], ["get", "e", "y", "..."],
    ["check", "s"], ["check", "e"], ["call", None, "s", "mul_", 3.0], ["check", "y"], ["check", "e"],
    ["loss", "L", ["y", "e"]], ["backward", "L"],
]
P["view_flatten_squeeze_after_base"] = [
    ["leaf", "x", [[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]]], ["call", "y", "x", "mul", 1.0],
    ["call", "f", "y", "view", -1], ["call", "q", "y", "squeeze", 1], ["call", "fl", "y", "flatten"],
    ["call", None, "y", "div_", 2.0], ["check", "f"], ["check", "q"], ["check", "fl"],
    ["loss", "L", ["f", "q", "fl"]], ["backward", "L"],
]
P["stale_view_inplace"] = [
    ["leaf", "x", X23], ["leaf", "w", X23], ["leaf", "k", [3.0, 2.0, 1.0]], ["call", "a", "x", "mul", 1.0],
    ["get", "v", "a", 0], ["call", None, "a", "add_", "$w"], ["call", None, "v", "mul_", "$k"],
    ["check", "a"], ["check", "v"], ["loss", "L", ["a"]], ["backward", "L"],
]
P["alternating_base_and_view"] = [
    ["leaf", "x", X22], ["leaf", "v", [1.0, -1.0]], ["leaf", "w", [[0.5, 2.0]]], ["const", "c", [2.0, 3.0]],
    ["call", "a", "x", "clone"], ["call", "s", "a", "select", 0, 1], ["call", None, "s", "add_", "$v"],
    ["call", None, "a", "mul_", "$w"], ["call", None, "s", "mul_", "$c"], ["call", None, "a", "add_", 1.0],
    ["check", "a"], ["check", "s"], ["check", "a"], ["loss", "L", ["a", "s"]], ["backward", "L"],
]
P["transposed_copy_into_base"] = [
    ["leaf", "x", X23], ["leaf", "m", [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], ["call", "a", "x", "mul", 1.0],
    ["get", "r", "a", 1], ["call", "t", "a", "t"], ["call", None, "t", "copy_", "$m"], ["check", "a"], ["check", "t"],
    ["check", "r"], ["loss", "L", ["a", "r"]], ["backward", "L"],
]
P["permute3d_view_of_view"] = [
    ["leaf", "x", X234], ["leaf", "k", [1.0, 2.0, 3.0, 4.0]], ["call", "y", "x", "mul", 0.5],
    ["call", "p", "y", "permute", 2, 0, 1], ["get", "q", "p", 1], ["get", "r", "y", 0, ":", 2],
    ["call", None, "q", "mul_", 2.0], ["call", None, "y", "add_", "$k"], ["check", "p"], ["check", "q"], ["check", "r"],
    ["loss", "L", ["p", "q", "r"]], ["backward", "L"],
]
P["step_slice_and_negative_select"] = [
    ["leaf", "x", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], ["call", "y", "x", "mul", 1.0], ["get", "e", "y", "::2"],
    ["call", "l", "y", "select", 0, -1], ["call", None, "e", "neg_"], ["check", "y"], ["check", "l"], ["check", "e"],
    ["loss", "L", ["y", "l", "e"]], ["backward", "L"],
]
P["never_modified_keeps_grad_fn"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 2.0], ["get", "v", "y", 0], ["call", "t", "y", "t"],
    ["call", "z", "y", "mul", 3.0], ["call", None, "z", "add_", 1.0], ["check", "v"], ["check", "t"], ["check", "z"],
    ["loss", "L", ["v", "t", "z"]], ["backward", "L"],
]
P["view_of_nonrequiring_base_then_base_gets_grad"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["const", "a0", [0.0, 0.0, 0.0]], ["call", "a", "a0", "clone"],
    ["get", "v", "a", ":2"], ["check", "v"], ["call", None, "a", "add_", 1.0], ["check", "v"],
    ["call", None, "a", "add_", "$x"], ["check", "v"], ["check", "a"], ["loss", "L", ["v"]], ["backward", "L"],
]
P["inplace_on_view_of_nonrequiring_base"] = [
    ["leaf", "w", [1.0, 2.0, 3.0]], ["const", "a0", [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]], ["call", "a", "a0", "clone"],
    ["get", "u", "a", 1], ["get", "v", "a", 0], ["call", "w2", "w", "mul", 2.0], ["call", None, "v", "copy_", "$w2"],
    ["check", "a"], ["check", "v"], ["check", "u"], ["loss", "L", ["u", "v", "a"]], ["backward", "L"],
]
P["nograd_inplace_on_view_then_use"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["get", "u", "y", 1],
    ["nograd", [["call", None, "v", "mul_", 2.0], ["check", "u"]]], ["check", "v"], ["check", "u"], ["check", "y"],
    ["loss", "L", ["v", "u", "y"]], ["backward", "L"],
]
P["saved_view_version_error"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0, "0:2"], ["call", "z", "v", "mul", "$v"],
    ["call", None, "y", "mul_", 2.0], ["loss", "L", ["z"]], ["backward", "L"],
]
P["saved_base_modified_through_view"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "z", "y", "mul", "$y"], ["get", "v", "y", 0],
    ["call", None, "v", "mul_", 2.0], ["loss", "L", ["z"]], ["backward", "L"],
]
P["saved_result_of_inplace_view_then_base"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["call", None, "v", "exp_"],
    ["check", "v"], ["call", None, "y", "mul_", 2.0], ["check", "v"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["saved_view_sibling_modified_error"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0, "0:2"], ["call", "z", "v", "mul", "$v"],
    ["get", "u", "y", 1], ["call", None, "u", "mul_", 2.0], ["loss", "L", ["z", "y"]], ["backward", "L"],
]
P["double_backward_through_regenerated_view"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "a", "x", "mul", 1.0], ["get", "v", "a", "1:"], ["call", None, "a", "mul_", "$x"],
    ["call", "vv", "v", "mul", "$v"], ["call", "l", "vv", "sum"], ["grad", ["g"], "l", ["x"], {"create_graph": True}],
    ["check", "g"], ["loss", "L", ["g"]], ["backward", "L"],
]
P["double_backward_through_copyslices"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "a", "x", "mul", 1.0], ["get", "v", "a", "1:"], ["get", "xs", "x", "1:"],
    ["call", None, "v", "mul_", "$xs"],
    ["call", "l", "a", "pow", 3], ["call", "s", "l", "sum"], ["grad", ["g"], "s", ["x"], {"create_graph": True}],
    ["check", "g"], ["loss", "L", ["g"]], ["backward", "L"],
]
P["retain_graph_reuse_after_view_inplace"] = [
    ["leaf", "x", X22], ["call", "a", "x", "mul", 2.0], ["get", "v", "a", 0], ["call", None, "v", "add_", 1.0],
    ["loss", "L", ["a", "v"]], ["backward", "L", {"retain_graph": True}], ["backward", "L"],
]

# --- issue 9 class 4: setitem records CopySlices on the base (IndexPutBackward0 without a view) -----
SETX = [["leaf", "x", X23], ["call", "y", "x", "mul", 1.0]]
P["setitem_int_and_index"] = SETX + [
    ["leaf", "v", [10.0, 20.0]], ["long", "i", [0, 2]], ["set", "y", [0, "$i"], "$v"], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_full_slice"] = SETX + [
    ["leaf", "v", [1.0, 2.0, 3.0]], ["call", "v2", "v", "mul", 2.0], ["set", "y", [":"], "$v2"], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_ellipsis"] = SETX + [
    ["leaf", "v", [1.0, 2.0, 3.0]], ["set", "y", ["..."], "$v"], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_mask"] = SETX + [
    ["leaf", "v", [10.0, 20.0, 30.0]], ["mask", "m", [[True, False, True], [False, True, False]]],
    ["set", "y", ["$m"], "$v"], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_mask_scalar"] = SETX + [
    ["mask", "m", [[True, False, True], [False, True, False]]], ["set", "y", ["$m"], 5.0], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_slice_and_index"] = SETX + [
    ["leaf", "v", [[10.0], [20.0]]], ["long", "i", [0, 2]], ["set", "y", [":", "$i"], "$v"], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_ellipsis_and_index"] = SETX + [
    ["long", "i", [1]], ["set", "y", ["...", "$i"], 7.0], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_int_scalar"] = SETX + [["set", "y", [0], 5.0], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"]]
P["setitem_zero_dim_value"] = SETX + [
    ["leaf", "v", [1.0, 2.0]], ["call", "s", "v", "sum"], ["set", "y", ["1:"], "$s"], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_row_from_other_row"] = SETX + [
    ["get", "r", "y", 1], ["set", "y", [0], "$r"], ["check", "y"], ["check", "r"], ["loss", "L", ["y", "r"]], ["backward", "L"],
]
P["setitem_list_index"] = SETX + [
    ["set", "y", [[0, 1]], 1.0], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_none_index"] = SETX + [
    ["leaf", "v", [1.0, 2.0, 3.0]], ["set", "y", [None, 1], "$v"], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]
P["setitem_then_old_view"] = SETX + [
    ["get", "c", "y", ":", 0], ["leaf", "v", [4.0, 5.0, 6.0]], ["set", "y", [1], "$v"], ["check", "c"],
    ["loss", "L", ["c"]], ["backward", "L"],
]
P["setitem_leaf_errors"] = [
    ["leaf", "x", X23], ["set", "x", [0], 1.0], ["set", "x", ["..."], 1.0], ["mask", "m", [[True, False, True], [False, True, False]]],
    ["set", "x", ["$m"], 1.0], ["check", "x"],
]

# --- issue 9 class 5: outputs of multi-output view ops may not be modified in place ------------------
P["split_inplace_error"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "p", "y", "split", 1], ["pick", "p0", "p", 0],
    ["call", None, "p0", "mul_", 2.0], ["call", "q", "y", "split", [2, 1], 1], ["pick", "q1", "q", 1],
    ["call", None, "q1", "add_", 1.0], ["check", "y"], ["check", "p0"], ["loss", "L", ["p0", "q1"]], ["backward", "L"],
]
P["chunk_unbind_inplace_error"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "c", "y", "chunk", 3, 1], ["pick", "c2", "c", 2],
    ["call", None, "c2", "zero_"], ["call", "u", "y", "unbind", 1], ["pick", "u1", "u", 1], ["call", None, "u1", "exp_"],
    ["iter", "rows", "y"], ["pick", "r0", "rows", 0], ["call", None, "r0", "sub_", 1.0], ["check", "c2"], ["check", "r0"],
]
P["split_output_after_base_inplace"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "p", "y", "split", 1], ["pick", "p1", "p", 1],
    ["call", None, "y", "mul_", 2.0], ["check", "p1"], ["call", "z", "p1", "mul", 2.0], ["check", "y"],
]
P["split_output_after_sibling_inplace_nograd"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "p", "y", "chunk", 2], ["pick", "p0", "p", 0],
    ["pick", "p1", "p", 1], ["nograd", [["call", None, "p0", "add_", 1.0]]], ["check", "p0"], ["check", "p1"],
]
P["view_of_split_output_inplace"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "p", "y", "split", 1], ["pick", "p0", "p", 0],
    ["get", "e", "p0", 0, 1], ["call", None, "e", "mul_", 2.0], ["check", "e"],
]
P["split_of_nonrequiring_tensor"] = [
    ["leaf", "w", [1.0, 2.0]], ["const", "z0", [0.0, 0.0, 0.0, 0.0]], ["call", "z", "z0", "clone"],
    ["call", "p", "z", "split", 2], ["pick", "p0", "p", 0], ["call", None, "p0", "add_", 1.0], ["check", "z"],
    ["call", None, "p0", "add_", "$w"], ["check", "z"], ["check", "p0"],
]
P["split_under_nograd"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["nograd", [["call", "p", "y", "split", 1]]], ["pick", "p0", "p", 0],
    ["check", "p0"], ["call", None, "p0", "add_", 1.0], ["nograd", [["call", None, "p0", "add_", 1.0]]], ["check", "p0"], ["check", "y"],
]
P["split_outputs_unmodified_backward"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "p", "y", "split", 1, 1], ["pick", "p0", "p", 0],
    ["pick", "p2", "p", 2], ["call", None, "y", "add_", 1.0], ["check", "y"], ["loss", "L", ["y"]], ["backward", "L"],
]

# --- views made in no_grad mode, views of leaves, detach() and .data ---------------------------------
P["nograd_view_of_leaf"] = [
    ["leaf", "p", [1.0, 2.0, 3.0]], ["nograd", [["get", "v", "p", "0:2"]]], ["check", "v"], ["call", None, "v", "mul_", 2.0],
    ["call", "m", "v", "mul", 2.0], ["check", "m"], ["loss", "L", ["m"]], ["backward", "L"],
]
P["nograd_view_of_leaf_modified_nograd"] = [
    ["leaf", "p", [1.0, 2.0, 3.0]], ["nograd", [["get", "v", "p", "0:2"], ["call", None, "v", "mul_", 2.0]]],
    ["check", "v"], ["check", "p"], ["loss", "L", ["p"]], ["backward", "L"],
]
P["nograd_view_of_nonleaf_base_modified"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "y", "x", "mul", 2.0], ["nograd", [["get", "nv", "y", "0:2"]]],
    ["check", "nv"], ["call", None, "y", "mul_", 2.0], ["check", "nv"], ["call", "m", "nv", "mul", 3.0], ["check", "y"],
]
P["nograd_view_used_without_modification"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["call", "y", "x", "mul", 2.0], ["nograd", [["get", "nv", "y", "1:"]]],
    ["call", "m", "nv", "mul", 3.0], ["check", "m"], ["loss", "L", ["m", "y"]], ["backward", "L"],
]
P["nograd_view_of_plain_tensor_inplace_with_grad_value"] = [
    ["leaf", "w", [1.0, 2.0]], ["const", "z0", [0.0, 0.0, 0.0]], ["call", "z", "z0", "clone"],
    ["nograd", [["get", "zs", "z", "0:2"]]], ["check", "zs"], ["call", None, "zs", "add_", 1.0],
    ["call", None, "zs", "add_", "$w"], ["check", "z"],
]
P["leaf_view_errors"] = [
    ["leaf", "p", X22], ["get", "v", "p", 0], ["call", None, "v", "mul_", 2.0], ["call", "t", "p", "t"],
    ["call", None, "t", "zero_"], ["check", "v"],
]
P["view_of_leaf_then_optimizer_step"] = [
    ["leaf", "p", X22], ["const", "g", [[0.5, 0.5], [1.0, 1.0]]], ["get", "v", "p", 1], ["check", "v"],
    ["nograd", [["call", None, "p", "sub_", "$g", {"alpha": 0.1}]]], ["check", "v"], ["check", "p"],
    ["loss", "L", ["v"]], ["backward", "L"],
]
P["nograd_view_of_leaf_inplace_then_grad_fn"] = [
    ["leaf", "p", X22], ["nograd", [["call", "f", "p", "view", -1], ["call", None, "f", "mul_", 0.9]]],
    ["check", "p"], ["check", "f"],
]
P["detach_then_inplace"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["call", "d", "y", "detach"],
    ["check", "d"], ["call", None, "d", "add_", 1.0], ["check", "v"], ["check", "y"], ["check", "d"],
    ["loss", "L", ["v", "y"]], ["backward", "L"],
]
P["detach_of_view_then_inplace"] = [
    ["leaf", "x", X23], ["call", "y", "x", "sigmoid"], ["get", "v", "y", 0], ["call", "dv", "v", "detach"],
    ["check", "dv"], ["get", "dd", "dv", 1], ["call", None, "dd", "mul_", 3.0], ["check", "v"], ["check", "y"],
    ["loss", "L", ["v"]], ["backward", "L"],
]
P["data_inplace_invisible"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["data", "d", "y"],
    ["call", None, "d", "add_", 1.0], ["check", "v"], ["check", "y"], ["check", "d"], ["data", "dv", "v"],
    ["call", None, "dv", "mul_", 2.0], ["check", "v"], ["loss", "L", ["v", "y"]], ["backward", "L"],
]
P["non_views_are_not_rebased"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["call", "yt", "y", "t"], ["call", "r", "yt", "reshape", -1],
    ["long", "i", [1, 0]], ["get", "g", "y", "$i"], ["call", None, "r", "mul_", 2.0], ["call", None, "g", "mul_", 3.0],
    ["check", "r"], ["check", "g"], ["check", "y"], ["loss", "L", ["r", "g", "y"]], ["backward", "L"],
]
P["view_of_leaf_not_requiring_grad_becomes_nonleaf"] = [
    ["leaf", "w", [[1.0, 2.0], [3.0, 4.0]]], ["const", "a0", X22], ["call", "a", "a0", "clone"], ["call", "t", "a", "t"],
    ["call", None, "t", "mul_", "$w"], ["check", "a"], ["check", "t"], ["loss", "L", ["a"]], ["backward", "L"],
]
P["repeated_inplace_on_same_view"] = [
    ["leaf", "x", X22], ["leaf", "k", [0.5, -0.25]], ["call", "a", "x", "mul", 1.0], ["get", "c", "a", ":", 0],
    ["call", None, "c", "mul_", "$k"], ["call", None, "c", "add_", "$k"], ["call", None, "c", "sigmoid_"],
    ["check", "c"], ["check", "a"], ["loss", "L", ["a", "c"]], ["backward", "L"],
]
P["asstrided_view_after_base"] = [
    ["leaf", "x", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], ["call", "y", "x", "mul", 1.0],
    ["call", "s", "y", "as_strided", [2, 2], [1, 2], 1], ["call", None, "y", "mul_", 2.0], ["check", "s"],
    ["loss", "L", ["s"]], ["backward", "L"],
]
P["nograd_view_of_plain_tensor_base_gets_grad"] = [
    ["leaf", "w", [1.0, 2.0, 3.0]], ["const", "z0", [0.0, 0.0, 0.0]], ["call", "z", "z0", "clone"],
    ["nograd", [["get", "zs", "z", "1:"]]], ["call", None, "z", "add_", "$w"], ["check", "zs"], ["check", "z"],
]
P["autograd_grad_wrt_regenerated_view"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["call", None, "y", "mul_", 2.0],
    ["call", "z", "v", "mul", 3.0], ["loss", "L", ["z", "y"]], ["grad", ["gv", "gx"], "L", ["v", "x"]], ["check", "gv"], ["check", "gx"],
]
P["partial_overlap_error"] = [
    ["leaf", "x", [1.0, 2.0, 3.0, 4.0]], ["call", "y", "x", "mul", 1.0], ["get", "a", "y", "1:"], ["get", "b", "y", ":3"],
    ["call", None, "a", "add_", "$b"], ["check", "y"],
]

P["overlap_checks"] = [
    ["const", "y0", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]], ["call", "y", "y0", "clone"], ["get", "a", "y", "1:"], ["get", "b", "y", 1],
    ["call", None, "a", "add_", "$b"], ["get", "c", "y", "::2"], ["get", "d", "y", "1::2"], ["call", None, "c", "mul_", "$d"],
    ["get", "e", "y", "0:1"], ["call", "ee", "e", "expand", 2], ["get", "f", "y", "1:3"], ["call", None, "f", "copy_", "$ee"],
    ["mask", "m", [True, False, True, False, True]], ["call", None, "a", "masked_fill_", "$m", "$b"],
    ["long", "i", [0, 1]], ["get", "g", "y", ":2"], ["call", None, "g", "scatter_", 0, "$i", "$g"],
    ["call", None, "y", "add_", "$y"], ["check", "y"],
    ["const", "z0", [[0.0, 1.0], [2.0, 3.0]]], ["call", "z", "z0", "clone"], ["call", "zt", "z", "t"], ["call", None, "z", "add_", "$zt"],
    ["check", "z"],
]
P["check_order_leaf_before_overlap"] = [
    ["leaf", "p", [1.0, 2.0, 3.0]], ["call", "e", "p", "expand", 2, 3], ["call", None, "e", "add_", 1.0],
    ["call", "y", "p", "mul", 1.0], ["get", "a", "y", "1:"], ["get", "b", "y", ":2"], ["call", None, "a", "add_", "$b"],
    ["call", None, "p", "add_", "$p"], ["check", "y"],
]
P["setitem_index_then_int"] = SETX + [
    ["leaf", "v", [7.0, 8.0]], ["long", "i", [1, 0]], ["set", "y", ["$i", 2], "$v"], ["check", "y"],
    ["loss", "L", ["y"]], ["backward", "L"],
]
P["nograd_view_without_autograd"] = [
    ["const", "z0", [[1.0, 2.0], [3.0, 4.0]]], ["call", "z", "z0", "clone"], ["nograd", [["get", "v", "z", 0]]],
    ["call", None, "v", "add_", 1.0], ["check", "v"], ["check", "z"], ["call", "u", "z", "t"], ["call", None, "u", "mul_", 2.0],
    ["check", "v"], ["check", "u"],
]
P["view_chain_middle_inplace"] = [
    ["leaf", "x", X234], ["call", "y", "x", "mul", 1.0], ["call", "t", "y", "transpose", 0, 2], ["call", "u", "t", "unsqueeze", 1],
    ["call", "q", "u", "squeeze", 1], ["get", "w", "q", 1], ["call", None, "t", "mul_", 0.5], ["check", "y"], ["check", "t"],
    ["check", "u"], ["check", "q"], ["check", "w"], ["loss", "L", ["u", "w", "y"]], ["backward", "L"],
]
P["view_of_stale_view"] = [
    ["leaf", "x", X23], ["call", "y", "x", "mul", 1.0], ["get", "v", "y", 0], ["call", None, "y", "mul_", 2.0],
    ["get", "vv", "v", "1:"], ["check", "vv"], ["check", "v"], ["call", None, "vv", "add_", 1.0], ["check", "y"],
    ["check", "v"], ["loss", "L", ["vv", "v", "y"]], ["backward", "L"],
]
P["many_versions"] = [
    ["leaf", "x", X22], ["call", "y", "x", "mul", 1.0], ["get", "r", "y", 0], ["get", "c", "y", ":", 1],
    ["call", None, "r", "add_", 1.0], ["call", None, "c", "mul_", 2.0], ["set", "y", [1, 0], 3.0], ["call", None, "y", "sub_", 1.0],
    ["check", "r"], ["check", "c"], ["check", "y"], ["loss", "L", ["r", "c", "y"]], ["backward", "L"],
]
P["split_then_inplace_on_base_no_autograd"] = [
    ["const", "z0", [1.0, 2.0, 3.0, 4.0]], ["call", "z", "z0", "clone"], ["call", "p", "z", "split", 2], ["pick", "p0", "p", 0],
    ["call", None, "z", "mul_", 2.0], ["check", "p0"], ["call", None, "p0", "add_", 1.0], ["check", "z"],
]

P["inplace_on_view_of_noncontiguous_result"] = [
    ["leaf", "x", X234], ["call", "y", "x", "mul", 1.0], ["long", "i", [0, 1]], ["long", "j", [1, 3]],
    ["get", "g", "y", ":", "$i", "$j"], ["get", "r", "g", 1], ["get", "c", "g", ":", 0], ["call", None, "r", "mul_", 2.0],
    ["check", "g"], ["check", "c"], ["check", "y"], ["loss", "L", ["g", "c", "y"]], ["backward", "L"],
]

P["detach_in_place_of_views"] = [
    ["leaf", "x", [1.0, 2.0, 3.0]], ["const", "z0", [1.0, 2.0, 3.0]], ["call", "z", "z0", "clone"], ["get", "zv", "z", "0:2"],
    ["call", None, "zv", "detach_"], ["call", "y", "x", "mul", 2.0], ["get", "yv", "y", 0], ["call", None, "yv", "detach_"],
    ["nograd", [["get", "nv", "x", "1:"]]], ["call", None, "nv", "detach_"], ["call", None, "y", "detach_"], ["check", "y"],
    ["check", "yv"],
]


def main():
    out = {name: program(steps) for name, steps in P.items()}
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "programs": out}, f, indent=1)
        f.write("\n")
    print(f"{len(out)} programs -> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
