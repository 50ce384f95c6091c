#!/usr/bin/env python3
"""Generates test/fixtures/autograd_function.json with real PyTorch 1.13 (the specification), for
test/autograd_function.test.ts, which runs the same cases in typetorch:

- custom:     torch.autograd.Function subclasses (gradients, double backward, ctx features, errors)
- anomaly:    torch.autograd.detect_anomaly / set_detect_anomaly (error words)
- functional: torch.autograd.functional.jacobian / hessian / vjp / jvp / hvp / vhp (nesting, values, errors)
- clip:       torch.nn.utils.clip_grad_norm_ / clip_grad_value_ / parameters_to_vector / vector_to_parameters

Each case's outcome is a nested value: a tensor (shape, dtype, grad_fn class name, requires_grad,
values), a list (Python tuple or list), None, a plain value, or the error's class and first line.

Run: /usr/bin/python3 scripts/gen_autograd_function_fixtures.py   (generated file: do not edit by hand)
"""
import json
import math
import os
import warnings

import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable
import torch.autograd.functional as AF

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = torch.float64


def num(v):
    if isinstance(v, float):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
        return float("%.17g" % v)
    return v


def enc(r):
    if isinstance(r, torch.Tensor):
        vals = r.detach().reshape(-1).tolist()
        return {"shape": list(r.shape), "dtype": str(r.dtype).replace("torch.", ""),
                "grad_fn": type(r.grad_fn).__name__ if r.grad_fn is not None else None,
                "requires_grad": r.requires_grad, "values": [num(v) for v in vals]}
    if isinstance(r, (list, tuple)): return {"list": [enc(x) for x in r]}
    if r is None: return {"none": True}
    return {"value": num(r)}


def run(section, out):
    def case(name):
        def deco(f):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    out[name] = enc(f())
            except Exception as e:
                out[name] = {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
            finally:
                torch.autograd.set_detect_anomaly(False)
            return f
        return deco
    return case


fixtures = {"custom": {}, "anomaly": {}, "functional": {}, "clip": {}}

# ---------------------------------------------------------------- custom Functions
case = run("custom", fixtures["custom"])
X = lambda: torch.tensor([0.5, -1.25, 2.0], requires_grad=True)
XD = lambda: torch.tensor([0.5, -1.25, 2.0], dtype=D, requires_grad=True)
seen = []


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        seen.append(torch.is_grad_enabled())
        y = x.exp(); ctx.save_for_backward(y); return y
    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors; return g * y


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x ** 3
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors; return 3 * x ** 2 * g


class OnceCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x ** 3
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors; return 3 * x ** 2 * g


class MulK(Function):
    @staticmethod
    def forward(ctx, x, k, y, flag):
        seen.append(list(ctx.needs_input_grad)); ctx.k = k; ctx.flag = flag
        ctx.save_for_backward(x, y)
        return x * k + y * x if flag else x * k
    @staticmethod
    def backward(ctx, g):
        seen.append(list(ctx.needs_input_grad))
        x, y = ctx.saved_tensors
        gx = g * ctx.k + g * y if ctx.flag else g * ctx.k
        gy = g * x if ctx.needs_input_grad[2] else None
        return gx, None, gy, None


class Split(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, g1, g2):
        seen.extend([g1, g2]); return g1 * 2 + g2 * 3


class SplitNoMat(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False); return x * 2, x * 3
    @staticmethod
    def backward(ctx, g1, g2):
        seen.extend([g1, g2]); return g1 * 2 if g2 is None else g1 * 2 + g2 * 3


class Sort(Function):
    @staticmethod
    def forward(ctx, x):
        v, i = x.sort(); ctx.mark_non_differentiable(i); ctx.save_for_backward(i); return v, i
    @staticmethod
    def backward(ctx, gv, gi):
        seen.append(gi); i, = ctx.saved_tensors
        return torch.zeros_like(gv).scatter(0, i, gv)


class NonDiff(Function):
    @staticmethod
    def forward(ctx, x):
        y = x * 2; ctx.mark_non_differentiable(y); return y
    @staticmethod
    def backward(ctx, g):
        return g


class AddOne(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1); ctx.mark_dirty(x); return x
    @staticmethod
    def backward(ctx, g):
        return g * 2


class MarkOnly(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x); return x
    @staticmethod
    def backward(ctx, g):
        return g


class AddOneTwo(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1); ctx.mark_dirty(x); return x, x * 2
    @staticmethod
    def backward(ctx, g, g2):
        return g + g2 * 2


class Ident(Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 5


class Halves(Function):
    @staticmethod
    def forward(ctx, x):
        return x[0:1], x[1:3]
    @staticmethod
    def backward(ctx, g1, g2):
        return torch.cat([g1, g2])


class Mixed(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, 5
    @staticmethod
    def backward(ctx, g, g2):
        seen.append(g2); return g


class IntOut(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, (x * 10).long()
    @staticmethod
    def backward(ctx, g, g2):
        seen.append(g2); return g


class NoneFirst(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y
    @staticmethod
    def backward(ctx, g):
        return None, g


def bad(name, grads, nargs=1):
    def forward(ctx, *args):
        return args[-1] * 2 if nargs == 2 else args[0] * 2
    def backward(ctx, g):
        return grads(g)
    return type(name, (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


TooMany = bad("TooMany", lambda g: (g, g))
TooFew = bad("TooFew", lambda g: ())
ExtraNone = bad("ExtraNone", lambda g: (g, None, None))
WrongShape = bad("WrongShape", lambda g: torch.ones(4))
ScalarShape = bad("ScalarShape", lambda g: torch.ones(1))
Broadcast = bad("Broadcast", lambda g: g.expand(2, 3))
DoubleGrad = bad("DoubleGrad", lambda g: g.double() * 3)
StrGrad = bad("StrGrad", lambda g: "a")
FloatGrad = bad("FloatGrad", lambda g: 2.5)
NonTensorPos = bad("NonTensorPos", lambda g: (None, g), 2)
NonTensorGiven = bad("NonTensorGiven", lambda g: (g, g), 2)
IndexShape = bad("IndexShape", lambda g: (None, torch.ones(5)), 2)


class NoBackward(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1


class NoForward(Function):
    pass


class SaveInt(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x, 3); return x * 2
    @staticmethod
    def backward(ctx, g):
        return g


class SaveNone(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(None, x); return x * 2
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors; seen.append(a); return g * b


class DirtyInt(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(3); return x * 2
    @staticmethod
    def backward(ctx, g):
        return g


class NonDiffInt(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_non_differentiable(3); return x * 2
    @staticmethod
    def backward(ctx, g):
        return g


class Twice(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x * 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors; return g * 2


class TwiceNoSaved(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2


class TwiceReadSaved(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        ctx.saved_tensors; return g * 2


class NanGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * float("nan")


class Bilinear(Function):
    """f(a, b, s) = s * (a * b).sum(dim=1): a two-input function with a non-tensor argument, for gradcheck and functional."""
    @staticmethod
    def forward(ctx, a, b, s):
        ctx.save_for_backward(a, b); ctx.s = s; return s * (a * b).sum(1)
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors; gg = g.unsqueeze(1) * ctx.s
        return gg * b, gg * a, None


@case("exp")
def _():
    seen.clear(); x = X(); y = Exp.apply(x); y.sum().backward(); return [y, x.grad, seen[0]]

@case("exp_no_grad_mode")
def _():
    x = X()
    with torch.no_grad():
        y = Exp.apply(x)
    return y

@case("exp_input_without_grad")
def _():
    return Exp.apply(torch.tensor([0.5, -1.25, 2.0]))

@case("exp_saved_modified")
def _():
    y = Exp.apply(X()); y.add_(1); y.sum().backward()

@case("exp_float64")
def _():
    x = XD(); y = Exp.apply(x); (y * torch.tensor([1.0, -2.0, 0.5], dtype=D)).sum().backward(); return [y, x.grad]

@case("cube_double_backward")
def _():
    x = X(); gx, = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True); gx.sum().backward(); return [gx, x.grad]

@case("exp_double_backward_saved_output")
def _():
    x = X(); gx, = torch.autograd.grad(Exp.apply(x).sum(), x, create_graph=True); gx.sum().backward(); return [gx, x.grad]

@case("cube_third_derivative")
def _():
    x = XD(); g1, = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)
    g3, = torch.autograd.grad(g2.sum(), x)
    return [g1, g2, g3]

@case("once_differentiable_first")
def _():
    x = X(); gx, = torch.autograd.grad(OnceCube.apply(x).sum(), x); return gx

@case("once_differentiable_output")
def _():
    x = X(); y = OnceCube.apply(x)
    gx, = torch.autograd.grad(y, x, grad_outputs=torch.ones(3, requires_grad=True), create_graph=True)
    return gx

@case("once_differentiable_double")
def _():
    x = X(); y = OnceCube.apply(x)
    gx, = torch.autograd.grad(y, x, grad_outputs=torch.ones(3, requires_grad=True), create_graph=True)
    gx.sum().backward()

@case("non_tensor_args")
def _():
    seen.clear(); x = X(); y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    r = MulK.apply(x, 3, y, True); r.sum().backward(); return [r, x.grad, y.grad, seen[0], seen[1]]

@case("non_tensor_args_needs_input_grad")
def _():
    seen.clear(); x = X(); r = MulK.apply(x, 2.5, torch.ones(3), False); r.sum().backward(); return [r, x.grad, seen[0]]

@case("none_gradient")
def _():
    x = X(); y = torch.ones(3, requires_grad=True); NoneFirst.apply(x, y).sum().backward(); return [x.grad, y.grad]

@case("multi_output_materialized")
def _():
    seen.clear(); x = X(); a, b = Split.apply(x); a.sum().backward()
    return [a, b, a.grad_fn is b.grad_fn, x.grad, seen[0], seen[1]]

@case("multi_output_both")
def _():
    seen.clear(); x = X(); a, b = Split.apply(x); (a * 2 + b).sum().backward(); return [x.grad, seen[0], seen[1]]

@case("multi_output_not_materialized")
def _():
    seen.clear(); x = X(); a, b = SplitNoMat.apply(x); a.sum().backward(); return [x.grad, seen[0], seen[1]]

@case("mark_non_differentiable_indices")
def _():
    seen.clear(); x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True); v, i = Sort.apply(x)
    (v * torch.tensor([1.0, 2.0, 3.0])).sum().backward(); return [v, i, x.grad, seen[0]]

@case("mark_non_differentiable_output")
def _():
    return NonDiff.apply(X())

@case("mark_dirty")
def _():
    x = X(); x3 = x * 1; r = AddOne.apply(x3); r.sum().backward(); return [r is x3, r, x3._version, x.grad]

@case("mark_dirty_version")
def _():
    t = torch.ones(2); MarkOnly.apply(t); return t._version

@case("mark_dirty_leaf")
def _():
    AddOne.apply(X())

@case("mark_dirty_view")
def _():
    x = X(); base = x * 1; v = base[0:2]; r = AddOne.apply(v); base.sum().backward()
    return [r is v, base, v, x.grad]

@case("mark_dirty_view_two_outputs")
def _():
    x = X(); base = x * 1; AddOneTwo.apply(base[0:2])

@case("mark_dirty_saved_before")
def _():
    x = X(); a = x * 1; b = a.pow(2); AddOne.apply(a); b.sum().backward()

@case("return_input")
def _():
    x = X(); r = Ident.apply(x); r.sum().backward(); return [r is x, r, x.grad]

@case("return_input_inplace")
def _():
    r = Ident.apply(X()); r.mul_(2)

@case("return_input_no_grad")
def _():
    t = torch.ones(2); r = Ident.apply(t); return [r is t, r, r._base is t]

@case("multi_output_views_inplace")
def _():
    a, b = Halves.apply(X() * 1); a.mul_(2)

@case("multi_output_views_grad")
def _():
    x = X(); a, b = Halves.apply(x * 1); (a * 2 + b.sum()).sum().backward(); return [a, b, x.grad]

@case("non_tensor_output")
def _():
    seen.clear(); x = X(); r = Mixed.apply(x); r[0].sum().backward(); return [r[0], r[1], x.grad, seen[0]]

@case("integer_output")
def _():
    seen.clear(); x = X(); a, i = IntOut.apply(x); a.sum().backward(); return [a, i, x.grad, seen[0]]

@case("too_many_gradients")
def _(): TooMany.apply(X()).sum().backward()

@case("too_few_gradients")
def _(): TooFew.apply(X()).sum().backward()

@case("extra_none_gradients")
def _():
    x = X(); ExtraNone.apply(x).sum().backward(); return x.grad

@case("wrong_gradient_shape")
def _(): WrongShape.apply(X()).sum().backward()

@case("gradient_shape_one")
def _(): ScalarShape.apply(X()).sum().backward()

@case("gradient_broadcast_summed")
def _():
    x = X(); Broadcast.apply(x).sum().backward(); return x.grad

@case("gradient_dtype_cast")
def _():
    x = X(); DoubleGrad.apply(x).sum().backward(); return x.grad

@case("gradient_str")
def _(): StrGrad.apply(X()).sum().backward()

@case("gradient_float")
def _(): FloatGrad.apply(X()).sum().backward()

@case("gradient_for_non_tensor_ok")
def _():
    x = X(); NonTensorPos.apply(2, x).sum().backward(); return x.grad

@case("gradient_for_non_tensor")
def _(): NonTensorGiven.apply(2, X()).sum().backward()

@case("gradient_shape_index")
def _(): IndexShape.apply(2, X()).sum().backward()

@case("no_backward")
def _(): NoBackward.apply(X()).sum().backward()

@case("no_forward")
def _(): NoForward.apply(X())

@case("save_non_tensor")
def _(): SaveInt.apply(X())

@case("save_non_tensor_no_grad")
def _(): return SaveInt.apply(torch.ones(3))

@case("save_none")
def _():
    seen.clear(); x = X(); SaveNone.apply(x).sum().backward(); return [x.grad, seen[0]]

@case("mark_dirty_non_tensor")
def _(): DirtyInt.apply(torch.ones(3))

@case("mark_non_differentiable_non_tensor")
def _(): NonDiffInt.apply(X())

@case("backward_twice_saved")
def _():
    x = X(); y = Twice.apply(x).sum(); y.backward(); y.backward()

@case("backward_twice_no_saved")
def _():
    x = X(); y = TwiceNoSaved.apply(x).sum(); y.backward(); y.backward(); return x.grad

@case("backward_twice_read_saved")
def _():
    x = X(); y = TwiceReadSaved.apply(x).sum(); y.backward(); y.backward()

@case("backward_retain_graph")
def _():
    x = X(); y = Twice.apply(x).sum(); y.backward(retain_graph=True); y.backward(); return x.grad

@case("grad_fn_names")
def _():
    x = X()
    return [type(Exp.apply(x).grad_fn).__name__, type(Split.apply(x)[1].grad_fn).__name__, type(Bilinear.apply(x.view(1, 3), x.view(1, 3), 2.0).grad_fn).__name__]

@case("bilinear_float64")
def _():
    a = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=D, requires_grad=True)
    b = torch.tensor([[1.0, 2.0, -0.5], [0.3, -0.2, 0.9]], dtype=D, requires_grad=True)
    y = Bilinear.apply(a, b, 1.5); (y * torch.tensor([2.0, -1.0], dtype=D)).sum().backward()
    return [y, a.grad, b.grad, torch.autograd.gradcheck(lambda p, q: Bilinear.apply(p, q, 1.5), (a, b))]

# ---------------------------------------------------------------- anomaly mode
case = run("anomaly", fixtures["anomaly"])

@case("sqrt_nan")
def _():
    with torch.autograd.detect_anomaly():
        x = torch.tensor([0.0, 1.0], requires_grad=True); (x.sqrt() * 0).sum().backward()

@case("custom_nan")
def _():
    torch.autograd.set_detect_anomaly(True)
    NanGrad.apply(torch.tensor([0.0, 1.0], requires_grad=True)).sum().backward()

@case("nan_without_anomaly")
def _():
    x = torch.tensor([0.0, 1.0], requires_grad=True); (x.sqrt() * 0).sum().backward(); return x.grad

@case("nan_check_off")
def _():
    with torch.autograd.detect_anomaly(check_nan=False):
        x = torch.tensor([0.0, 1.0], requires_grad=True); (x.sqrt() * 0).sum().backward(); return x.grad

@case("inplace_hint")
def _():
    torch.autograd.set_detect_anomaly(True)
    x = torch.tensor([0.0, 1.0], requires_grad=True); z = x.exp(); w = z * 2; z.add_(1); w.sum().backward()

@case("inplace_hint_custom")
def _():
    with torch.autograd.detect_anomaly():
        y = Exp.apply(X()); y.add_(1); y.sum().backward()

@case("mode_flags")
def _():
    r = [torch.is_anomaly_enabled()]
    with torch.autograd.detect_anomaly():
        r.append(torch.is_anomaly_enabled()); r.append(torch.is_anomaly_check_nan_enabled())
    r.append(torch.is_anomaly_enabled())
    torch.autograd.set_detect_anomaly(True, check_nan=False)
    r.append(torch.is_anomaly_enabled()); r.append(torch.is_anomaly_check_nan_enabled())
    torch.autograd.set_detect_anomaly(False)
    r.append(torch.is_anomaly_enabled()); r.append(torch.is_anomaly_check_nan_enabled())
    return r

@case("anomaly_values_unchanged")
def _():
    with torch.autograd.detect_anomaly():
        x = XD(); y = (x.exp() * x.sin()).sum(); g, = torch.autograd.grad(y, x, create_graph=True); g.sum().backward()
        return [g, x.grad]

# ---------------------------------------------------------------- autograd.functional
case = run("functional", fixtures["functional"])
A = lambda: torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=D)
B = lambda: torch.tensor([0.3, -0.2, 0.9], dtype=D)
A32 = lambda: torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
exp_reducer = lambda x: x.exp().sum(1)
two_in = lambda x, y: 2 * x.exp() + 3 * y
two_out = lambda x: (x.sin(), (x * x).sum())
two_two = lambda x, y: (x * y, (x.exp() * y).sum())
cube = lambda x: x.pow(3).sum()
mixed = lambda x, y: (x.pow(2) * y).sum() + y.tanh().sum()
softw = lambda x: (x.softmax(1) * torch.tensor([1.0, 2.0, 3.0], dtype=x.dtype)).sum()
linear = lambda x: 3 * x
const = lambda x, y: x.exp()

@case("jacobian_exp_reducer")
def _(): return AF.jacobian(exp_reducer, A())

@case("jacobian_exp_reducer_float32")
def _(): return AF.jacobian(exp_reducer, A32())

@case("jacobian_two_inputs")
def _(): return AF.jacobian(two_in, (B(), B() * 2))

@case("jacobian_two_outputs")
def _(): return AF.jacobian(two_out, B())

@case("jacobian_two_by_two")
def _(): return AF.jacobian(two_two, (B(), B() + 1))

@case("jacobian_single_in_tuple")
def _(): return AF.jacobian(exp_reducer, (A(),))

@case("jacobian_softmax")
def _(): return AF.jacobian(lambda x: x.softmax(1), A())

@case("jacobian_custom_function")
def _(): return AF.jacobian(lambda a, b: Bilinear.apply(a, b, 2.0), (A(), A() * 0.5))

@case("jacobian_unused_input")
def _(): return AF.jacobian(const, (B(), B()))

@case("jacobian_unused_input_strict")
def _(): return AF.jacobian(const, (B(), B()), strict=True)

@case("jacobian_create_graph")
def _():
    x = B().requires_grad_(); j = AF.jacobian(lambda t: t.sin() * t, x, create_graph=True); j.sum().backward(); return [j, x.grad]

@case("jacobian_linear_create_graph_strict")
def _(): return AF.jacobian(linear, B(), create_graph=True, strict=True)

@case("jacobian_constant_output_strict")
def _(): return AF.jacobian(lambda x: torch.ones(2, dtype=D), B(), strict=True)

@case("jacobian_constant_output")
def _(): return AF.jacobian(lambda x: torch.ones(2, dtype=D), B())

@case("jacobian_vectorize")
def _(): return AF.jacobian(two_two, (B(), B() + 1), vectorize=True)

@case("jacobian_vectorize_strict")
def _(): return AF.jacobian(exp_reducer, A(), vectorize=True, strict=True)

@case("jacobian_forward_mode")
def _(): return AF.jacobian(two_two, (B(), B() + 1), vectorize=True, strategy="forward-mode")

@case("jacobian_forward_mode_no_vectorize")
def _(): return AF.jacobian(exp_reducer, A(), strategy="forward-mode")

@case("jacobian_forward_mode_create_graph")
def _(): return AF.jacobian(exp_reducer, A(), vectorize=True, strategy="forward-mode", create_graph=True)

@case("jacobian_bad_input")
def _(): return AF.jacobian(exp_reducer, 3)

@case("jacobian_bad_input_tuple")
def _(): return AF.jacobian(two_in, (B(), 3))

@case("jacobian_bad_output")
def _(): return AF.jacobian(lambda x: 3, B())

@case("jacobian_no_grad_outer")
def _():
    with torch.no_grad():
        return AF.jacobian(exp_reducer, A())

@case("hessian_cube")
def _(): return AF.hessian(cube, A())

@case("hessian_two_inputs")
def _(): return AF.hessian(mixed, (B(), B() * -2))

@case("hessian_softmax")
def _(): return AF.hessian(softw, A())

@case("hessian_linear")
def _(): return AF.hessian(lambda x: (3 * x).sum(), B())

@case("hessian_linear_strict")
def _(): return AF.hessian(lambda x: (3 * x).sum(), B(), strict=True)

@case("hessian_create_graph")
def _():
    x = B().requires_grad_(); h = AF.hessian(cube, x, create_graph=True); h.sum().backward(); return [h, x.grad]

@case("hessian_not_scalar")
def _(): return AF.hessian(exp_reducer, A())

@case("hessian_tuple_output")
def _(): return AF.hessian(two_out, B())

@case("hessian_custom_function")
def _(): return AF.hessian(lambda x: Cube.apply(x).sum(), B())

@case("hessian_vectorize")
def _(): return AF.hessian(mixed, (B(), B() * -2), vectorize=True)

@case("vjp_with_v")
def _(): return AF.vjp(exp_reducer, A(), torch.tensor([1.0, -2.0], dtype=D))

@case("vjp_scalar_no_v")
def _(): return AF.vjp(cube, A())

@case("vjp_no_v_error")
def _(): return AF.vjp(exp_reducer, A())

@case("vjp_v_wrong_size")
def _(): return AF.vjp(exp_reducer, A(), torch.ones(3, dtype=D))

@case("vjp_v_wrong_length")
def _(): return AF.vjp(two_out, B(), torch.ones(3, dtype=D))

@case("vjp_v_tuple_wrong_size")
def _(): return AF.vjp(two_out, B(), (torch.ones(3, dtype=D), torch.ones(2, dtype=D)))

@case("vjp_tuple")
def _(): return AF.vjp(two_two, (B(), B() + 1), (torch.ones(3, dtype=D), torch.tensor(2.0, dtype=D)))

@case("vjp_unused_input")
def _(): return AF.vjp(const, (B(), B()), torch.ones(3, dtype=D))

@case("vjp_unused_input_strict")
def _(): return AF.vjp(const, (B(), B()), torch.ones(3, dtype=D), strict=True)

@case("vjp_create_graph")
def _():
    x = A().requires_grad_(); out, g = AF.vjp(exp_reducer, x, torch.tensor([1.0, -2.0], dtype=D), create_graph=True)
    g.sum().backward(); return [out, g, x.grad]

@case("jvp_with_v")
def _(): return AF.jvp(exp_reducer, A(), torch.ones(2, 3, dtype=D))

@case("jvp_tuple")
def _(): return AF.jvp(two_two, (B(), B() + 1), (torch.ones(3, dtype=D), torch.tensor([1.0, 0.0, -1.0], dtype=D)))

@case("jvp_no_v_error")
def _(): return AF.jvp(exp_reducer, A())

@case("jvp_scalar_input")
def _(): return AF.jvp(lambda x: x.exp() * torch.tensor([1.0, 2.0], dtype=D), torch.tensor(0.5, dtype=D))

@case("jvp_unused_input_strict")
def _(): return AF.jvp(const, (B(), B()), (B(), B()), strict=True)

@case("jvp_create_graph")
def _():
    x = A().requires_grad_(); out, j = AF.jvp(exp_reducer, x, torch.ones(2, 3, dtype=D), create_graph=True)
    j.sum().backward(); return [out, j, x.grad]

@case("hvp_cube")
def _(): return AF.hvp(cube, A(), torch.ones(2, 3, dtype=D))

@case("vhp_cube")
def _(): return AF.vhp(cube, A(), torch.ones(2, 3, dtype=D))

@case("hvp_two_inputs")
def _(): return AF.hvp(mixed, (B(), B() * -2), (torch.ones(3, dtype=D), torch.tensor([1.0, 0.0, 2.0], dtype=D)))

@case("vhp_two_inputs")
def _(): return AF.vhp(mixed, (B(), B() * -2), (torch.ones(3, dtype=D), torch.tensor([1.0, 0.0, 2.0], dtype=D)))

@case("hvp_not_scalar")
def _(): return AF.hvp(exp_reducer, A(), torch.ones(2, 3, dtype=D))

@case("vhp_tuple_output")
def _(): return AF.vhp(two_out, B(), torch.ones(3, dtype=D))

@case("vhp_linear_strict")
def _(): return AF.vhp(lambda x: (3 * x).sum(), B(), torch.ones(3, dtype=D), strict=True)

@case("hvp_linear")
def _(): return AF.hvp(lambda x: (3 * x).sum(), B(), torch.ones(3, dtype=D))

@case("hvp_create_graph")
def _():
    x = B().requires_grad_(); out, h = AF.hvp(cube, x, torch.ones(3, dtype=D), create_graph=True)
    h.sum().backward(); return [out, h, x.grad]

# ---------------------------------------------------------------- nn.utils gradient helpers
case = run("clip", fixtures["clip"])
torch.manual_seed(0)
G1 = torch.randn(3, 4)
G2 = torch.randn(5)
G3 = torch.randn(2, 2, dtype=D)
fixtures["clip_inputs"] = {"g1": enc(G1), "g2": enc(G2), "g3": enc(G3)}


def params(*gs):
    ps = []
    for g in gs:
        p = torch.zeros(g.shape, dtype=g.dtype, requires_grad=True); p.grad = g.clone(); ps.append(p)
    return ps


def clip_case(name, gs, *args, **kw):
    @case(name)
    def _():
        ps = params(*gs); total = torch.nn.utils.clip_grad_norm_(ps, *args, **kw); return [total] + [p.grad for p in ps]


clip_case("norm2_clipped", [G1, G2], 1.0)
clip_case("norm2_not_clipped", [G1, G2], 100.0)
clip_case("norm1", [G1, G2], 2.0, 1)
clip_case("norm3", [G1, G2], 0.5, 3.0)
clip_case("norm_half", [G1, G2], 0.5, 0.5)
clip_case("norm_inf", [G1, G2], 0.5, float("inf"))
clip_case("norm_inf_single", [G1], 0.5, float("inf"))
clip_case("norm_inf_string", [G2], 0.5, "inf")
clip_case("norm2_single", [G2], 0.7)
clip_case("norm2_float64", [G3], 0.25)
clip_case("norm2_int_max_norm", [G1, G2], 2)
clip_case("norm_zero_grads", [torch.zeros(3)], 1.0)
clip_case("nonfinite_no_error", [torch.tensor([1.0, float("inf")]), G2], 1.0)
clip_case("nonfinite_error", [torch.tensor([1.0, float("inf")]), G2], 1.0, error_if_nonfinite=True)
clip_case("nan_error", [torch.tensor([1.0, float("nan")])], 1.0, 3, error_if_nonfinite=True)
clip_case("nonfinite_inf_norm_error", [torch.tensor([1.0, float("-inf")])], 1.0, float("inf"), True)


@case("tensor_argument")
def _():
    p, = params(G2); total = torch.nn.utils.clip_grad_norm_(p, 0.5); return [total, p.grad]

@case("skips_params_without_grad")
def _():
    ps = params(G1, G2); q = torch.ones(2, requires_grad=True); total = torch.nn.utils.clip_grad_norm_([ps[0], q, ps[1]], 1.0)
    return [total, ps[0].grad, q.grad, ps[1].grad]

@case("no_grads")
def _():
    return torch.nn.utils.clip_grad_norm_([torch.ones(2, requires_grad=True)], 1.0)

@case("clip_value")
def _():
    ps = params(G1, G2); r = torch.nn.utils.clip_grad_value_(ps, 0.5); return [r] + [p.grad for p in ps]

@case("clip_value_tensor_argument")
def _():
    p, = params(G3); torch.nn.utils.clip_grad_value_(p, 0.25); return p.grad

@case("parameters_to_vector")
def _():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); b = torch.tensor([5.0, 6.0], requires_grad=True)
    v = torch.nn.utils.parameters_to_vector([a, b]); (v * torch.arange(6.0)).sum().backward(); return [v, a.grad, b.grad]

@case("vector_to_parameters")
def _():
    a = torch.zeros(2, 2, requires_grad=True); b = torch.zeros(2, requires_grad=True)
    torch.nn.utils.vector_to_parameters(torch.arange(6.0), [a, b]); return [a, b, a.is_leaf, a.requires_grad]

@case("vector_to_parameters_not_tensor")
def _():
    torch.nn.utils.vector_to_parameters([1.0, 2.0], [torch.zeros(2)])

@case("vector_to_parameters_short")
def _():
    torch.nn.utils.vector_to_parameters(torch.arange(3.0), [torch.zeros(2, 2)])

with open(os.path.join(ROOT, "test", "fixtures", "autograd_function.json"), "w") as f:
    json.dump(fixtures, f, indent=None, separators=(",", ":"))
    f.write("\n")
print({k: len(v) for k, v in fixtures.items()})
