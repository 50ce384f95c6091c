// Tensor printing against real PyTorch 1.13 (fixtures from scripts/gen_format_fixtures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  type DTypeName,
  type PrintOptions,
  formatTensor,
  getPrintOptions,
  pyFloatRepr,
  setPrintOptions,
} from "../src/tensor/format.js";
import { float32, float64, setDefaultDtype } from "../src/tensor/dtype.js";

type JsonNumber = number | "nan" | "inf" | "-inf";

interface TensorCase {
  name: string;
  values: JsonNumber[];
  shape: number[];
  dtype: DTypeName;
  requires_grad: boolean;
  grad_fn_name: string | null;
  options: {
    precision?: number;
    threshold?: number;
    edgeitems?: number;
    linewidth?: number;
    sci_mode?: boolean;
    profile?: "default" | "short" | "full";
  };
  expected: string;
  /** torch.get_default_dtype() when PyTorch printed it (float32 when absent) */
  default_dtype?: "float32" | "float64";
}

interface Fixture {
  tensors: TensorCase[];
  floats: { value: JsonNumber; expected: string }[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/format.json", import.meta.url), "utf8"),
) as Fixture;

function decode(v: JsonNumber): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v;
}

function toOptions(o: TensorCase["options"]): Partial<PrintOptions> & { profile?: "default" | "short" | "full" } {
  const out: Partial<PrintOptions> & { profile?: "default" | "short" | "full" } = {};
  if (o.profile !== undefined) out.profile = o.profile;
  if (o.precision !== undefined) out.precision = o.precision;
  if (o.threshold !== undefined) out.threshold = o.threshold;
  if (o.edgeitems !== undefined) out.edgeitems = o.edgeitems;
  if (o.linewidth !== undefined) out.linewidth = o.linewidth;
  if (o.sci_mode !== undefined) out.sciMode = o.sci_mode;
  return out;
}

test("fixture is large enough", () => {
  assert.ok(fixture.tensors.length >= 80, `only ${fixture.tensors.length} tensor cases`);
  assert.ok(fixture.floats.length >= 50, `only ${fixture.floats.length} float cases`);
});

for (const c of fixture.tensors) {
  test(`repr: ${c.name}`, () => {
    let values = c.values.map(decode);
    // the fixture holds float32 values exactly already; rounding again must change nothing
    if (c.dtype === "float32") values = values.map((v) => Math.fround(v));
    setPrintOptions({ profile: "default" });
    setPrintOptions(toOptions(c.options));
    setDefaultDtype(c.default_dtype === "float64" ? float64 : float32);
    try {
      const got = formatTensor(values, c.shape, c.dtype, {
        requiresGrad: c.requires_grad,
        gradFnName: c.grad_fn_name,
      });
      assert.strictEqual(got, c.expected);
    } finally {
      setPrintOptions({ profile: "default" });
      setDefaultDtype(float32);
    }
  });
}

test("pyFloatRepr matches Python's repr", () => {
  for (const { value, expected } of fixture.floats) {
    assert.strictEqual(pyFloatRepr(decode(value)), expected, `repr(${String(value)})`);
  }
});

test("set/getPrintOptions follow torch.set_printoptions", () => {
  setPrintOptions({ profile: "default" });
  assert.deepStrictEqual(getPrintOptions(), {
    precision: 4,
    threshold: 1000,
    edgeitems: 3,
    linewidth: 80,
    sciMode: null,
  });
  setPrintOptions({ profile: "short" });
  assert.deepStrictEqual(getPrintOptions(), {
    precision: 2,
    threshold: 1000,
    edgeitems: 2,
    linewidth: 80,
    sciMode: null,
  });
  setPrintOptions({ profile: "full", precision: 6 });
  assert.strictEqual(getPrintOptions().threshold, Infinity);
  assert.strictEqual(getPrintOptions().precision, 6);
  // every call resets sci_mode to its argument, as in PyTorch
  setPrintOptions({ sciMode: true });
  assert.strictEqual(getPrintOptions().sciMode, true);
  setPrintOptions({ precision: 4 });
  assert.strictEqual(getPrintOptions().sciMode, null);
  setPrintOptions({ profile: "default" });
});

test("doc examples", () => {
  setPrintOptions({ profile: "default" });
  assert.strictEqual(
    formatTensor([5.3671, -17.3012].map(Math.fround), [2], "float32", { requiresGrad: true }),
    "tensor([  5.3671, -17.3012], requires_grad=True)",
  );
  assert.strictEqual(
    formatTensor([1, 1, 1, 1], [2, 2], "float32", { requiresGrad: true }),
    "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)",
  );
  setPrintOptions({ precision: 2 });
  assert.strictEqual(formatTensor([1.12345], [1], "float64"), "tensor([1.12], dtype=torch.float64)");
  setPrintOptions({ profile: "default" });
  assert.strictEqual(pyFloatRepr(2), "2.0");
  assert.strictEqual(pyFloatRepr(1e16), "1e+16");
  assert.strictEqual(pyFloatRepr(3.0251036150730215e-5), "3.0251036150730215e-05");
});

test("a wrong number of values is an error", () => {
  assert.throws(() => formatTensor([1, 2, 3], [2, 2], "float32"), /3 values for shape \[2, 2\]/);
});
