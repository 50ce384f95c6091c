"""The other direction of test/serialization.test.ts: files typetorch writes, loaded by real PyTorch.

Runs a small TypeScript program (npx tsx) that trains and saves with typetorch's torch.save, then
loads each file with PyTorch's torch.load, model.load_state_dict and optimizer.load_state_dict and
checks the values. Prints one line per check and exits non-zero on a failure.

Run from anywhere:  /usr/bin/python3 scripts/check_serialization_in_pytorch.py
Needs PyTorch (1.13 is the reference) and the repository's node_modules (npm install).
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

PROGRAM = r"""
import * as torch from "__ROOT__/src/index.js";
import { nn, optim, Tensor } from "__ROOT__/src/index.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2]!;
const enc = (t: Tensor) => ({ shape: t.shape, dtype: t.dtype.name, data: t.detach().reshape(-1).tolist() });
const expected: Record<string, unknown> = {};
const mlp = () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));

// a module state dict and its output
torch.manualSeed(7);
const model = mlp();
const x = torch.randn(5, 4);
torch.save(model.stateDict(), join(out, "mlp.pt"));
expected["mlp"] = { x: enc(x), y: enc(model.forward(x)) };

// BatchNorm after two training batches (int64 num_batches_tracked)
const bn = new nn.BatchNorm1d(3);
for (let i = 0; i < 2; i++) bn.forward(torch.randn(6, 3));
torch.save(bn.stateDict(), join(out, "bn.pt"));
expected["bn"] = Object.fromEntries([...bn.stateDict()].map(([k, v]) => [k, enc(v)]));

// Adam after two steps, and typetorch's third step
torch.manualSeed(8);
const m2 = mlp();
const adam = new optim.Adam(m2.parameters(), { lr: 0.01, betas: [0.9, 0.99], weightDecay: 0.001 });
const xs = torch.randn(3, 8, 4), ts = torch.randn(3, 8, 3);
const step = (i: number) => {
  adam.zeroGrad();
  nn.functional.mseLoss(m2.forward(xs.index(i)), ts.index(i)).backward();
  adam.step();
};
step(0);
step(1);
torch.save(m2.stateDict(), join(out, "adam_model.pt"));
torch.save(adam.stateDict(), join(out, "adam.pt"));
expected["adam"] = { x3: enc(xs.index(2)), t3: enc(ts.index(2)) };
step(2);
(expected["adam"] as any).after = Object.fromEntries([...m2.stateDict()].map(([k, v]) => [k, enc(v)]));

// SGD with Nesterov momentum
const w = new nn.Parameter(torch.randn(2, 3));
const sgd = new optim.SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true });
for (let i = 0; i < 2; i++) {
  sgd.zeroGrad();
  w.mul(w).sum().backward();
  sgd.step();
}
torch.save(sgd.stateDict(), join(out, "sgd.pt"));
expected["sgd"] = { w: enc(w), buf: enc(sgd.state.get(w)!["momentum_buffer"]) };

// every dtype, views sharing storage, plain values, a Parameter
const base = torch.arange(12, { dtype: torch.float64 }).reshape(3, 4);
const shared = torch.tensor([1, 2, 3]);
torch.save(
  {
    f32: torch.tensor([1.5, -2.25, 1e-40]), f64: torch.tensor([0.1, 1e300], { dtype: torch.float64 }),
    i64: torch.tensor([0, -1, 2 ** 53, -(2 ** 40) + 7], { dtype: torch.int64 }),
    i32: torch.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: torch.int32 }), b: torch.tensor([true, false]),
    scalar: torch.tensor(2.5), empty: torch.zeros(0, 2),
    base, t: base.t(), block: base.index("1:", "1:3"), row: base.index(2),
    n: 3, f: 0.25, big: 2n ** 70n, s: "h\u00e9llo", none: null, yes: true, list: [1, [2, "x"]],
    tuple: Object.freeze([1, 2]), intKeys: { 0: "a", 5: "b" }, map: new Map<unknown, unknown>([["0", 1], [2.5, 2]]),
    set: new Set([4]), bytes: new Uint8Array([0, 255]), dtype: torch.int32,
    p: new nn.Parameter(torch.ones(2)), twice: [shared, shared],
  },
  join(out, "values.pt"),
);
writeFileSync(join(out, "expected.json"), JSON.stringify(expected));
"""

failures = 0


def check(name, ok, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}")
    if not ok:
        failures += 1


def dec(e):
    dtype = getattr(torch, e["dtype"])
    return torch.tensor(e["data"], dtype=dtype).reshape(e["shape"])


def close(a, b, atol=1e-6):
    return a.shape == b.shape and a.dtype == b.dtype and torch.allclose(a.double(), b.double(), atol=atol, rtol=0)


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def main():
    print(f"PyTorch {torch.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "save.ts")
        with open(prog, "w") as f:
            f.write(PROGRAM.replace("__ROOT__", ROOT))
        subprocess.run(["npx", "tsx", prog, tmp], cwd=ROOT, check=True)
        with open(os.path.join(tmp, "expected.json")) as f:
            ex = json.load(f)
        p = lambda n: os.path.join(tmp, n)

        # module state dict -> load_state_dict -> same outputs as typetorch
        sd = torch.load(p("mlp.pt"))
        check("mlp.pt loads as an OrderedDict", type(sd).__name__ == "OrderedDict", str(list(sd.keys())))
        if "weights_only" in torch.load.__code__.co_varnames:
            wo = torch.load(p("mlp.pt"), weights_only=True)
            check("mlp.pt also loads with weights_only=True", list(wo.keys()) == list(sd.keys()))
        model = mlp()
        r = model.load_state_dict(sd)
        check("model.load_state_dict(torch.load('mlp.pt'))", not r.missing_keys and not r.unexpected_keys)
        y = model(dec(ex["mlp"]["x"])).detach()
        check("outputs match typetorch's", close(y, dec(ex["mlp"]["y"])), f"max diff {(y - dec(ex['mlp']['y'])).abs().max().item():.2e}")

        bsd = torch.load(p("bn.pt"))
        bn = torch.nn.BatchNorm1d(3)
        bn.load_state_dict(bsd)
        check("BatchNorm num_batches_tracked is int64 2", bsd["num_batches_tracked"].dtype == torch.int64 and bsd["num_batches_tracked"].item() == 2)
        check("BatchNorm running stats", all(close(bn.state_dict()[k], dec(v)) for k, v in ex["bn"].items()))

        # Adam: load model + optimizer state, take the third step in PyTorch, compare with typetorch's
        m2 = mlp()
        m2.load_state_dict(torch.load(p("adam_model.pt")))
        adam = torch.optim.Adam(m2.parameters(), lr=0.5)
        osd = torch.load(p("adam.pt"))
        check("adam.pt state keys are ints", sorted(osd["state"].keys()) == [0, 1, 2, 3], str(list(osd["state"].keys())))
        check("adam.pt step is a float32 0-d tensor", all(torch.is_tensor(s["step"]) and s["step"].dtype == torch.float32 and s["step"].item() == 2.0 for s in osd["state"].values()))
        adam.load_state_dict(osd)
        g = adam.param_groups[0]
        check("Adam param group options", g["lr"] == 0.01 and tuple(g["betas"]) == (0.9, 0.99) and g["weight_decay"] == 0.001 and g["eps"] == 1e-8, str({k: v for k, v in g.items() if k != "params"}))
        adam.zero_grad()
        torch.nn.functional.mse_loss(m2(dec(ex["adam"]["x3"])), dec(ex["adam"]["t3"])).backward()
        adam.step()
        diffs = [(m2.state_dict()[k] - dec(v)).abs().max().item() for k, v in ex["adam"]["after"].items()]
        check("Adam third step in PyTorch matches typetorch's", max(diffs) < 2e-6, f"max diff {max(diffs):.2e}")

        w = torch.nn.Parameter(torch.zeros(2, 3))
        sgd = torch.optim.SGD([w], lr=1.0)
        sgd.load_state_dict(torch.load(p("sgd.pt")))
        st = sgd.state[w]
        check("SGD load_state_dict: nesterov momentum buffer", sgd.param_groups[0]["nesterov"] is True and close(st["momentum_buffer"], dec(ex["sgd"]["buf"])))

        v = torch.load(p("values.pt"))
        check("float32/float64 values", close(v["f32"], torch.tensor([1.5, -2.25, 1e-40]), 0) and v["f64"].tolist() == [0.1, 1e300])
        check("int64 values", v["i64"].dtype == torch.int64 and v["i64"].tolist() == [0, -1, 2**53, -(2**40) + 7])
        check("int32 / bool values", v["i32"].tolist() == [-(2**31), 2**31 - 1] and v["i32"].dtype == torch.int32 and v["b"].tolist() == [True, False])
        check("0-d and empty tensors", v["scalar"].shape == () and v["scalar"].item() == 2.5 and v["empty"].shape == (0, 2))
        same = len({t.storage().data_ptr() for t in (v["base"], v["t"], v["block"], v["row"])}) == 1
        check("views share one storage", same and v["t"].stride() == (1, 4) and v["block"].storage_offset() == 5 and v["block"].tolist() == [[5.0, 6.0], [9.0, 10.0]])
        v["base"].add_(100)
        check("writes through the base show in the views", v["row"].tolist() == [108.0, 109.0, 110.0, 111.0])
        check("plain values", v["n"] == 3 and type(v["n"]) is int and v["f"] == 0.25 and v["big"] == 2**70 and v["s"] == "h\u00e9llo" and v["none"] is None and v["yes"] is True)
        check("list / tuple / dict keys", v["list"] == [1, [2, "x"]] and v["tuple"] == (1, 2) and v["intKeys"] == {0: "a", 5: "b"} and list(v["map"].items()) == [("0", 1), (2.5, 2)])
        check("set / bytes / dtype", v["set"] == {4} and v["bytes"] == b"\x00\xff" and v["dtype"] is torch.int32)
        check("Parameter", isinstance(v["p"], torch.nn.Parameter) and v["p"].requires_grad and v["p"].tolist() == [1.0, 1.0])
        check("one tensor saved twice is one object", v["twice"][0] is v["twice"][1])
    print(f"{'all checks passed' if not failures else f'{failures} check(s) FAILED'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
