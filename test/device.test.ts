// torch.device, tensor.device, .to(device), dataAsync(), and the numerics switch between the fast
// default backend and the reference that gives PyTorch's bits (messages from PyTorch 1.13).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../src/index.js";

test("torch.device parses PyTorch's device strings and prints as PyTorch does", () => {
  const d = torch.device("cpu");
  assert.equal(String(d), "cpu");
  assert.equal(d.repr(), "device(type='cpu')");
  assert.equal(d.type, "cpu");
  assert.equal(d.index, null);
  assert.equal(String(torch.device("cpu", 0)), "cpu:0");
  assert.equal(torch.device("cuda:1").index, 1);
  assert.ok(torch.ones(2).device.equals("cpu"));
  assert.ok(torch.ones(2).device.equals(torch.device("cpu")));
  assert.ok(!torch.ones(2).device.equals("cpu:0"));
  assert.throws(() => torch.device("gpu"), {
    name: "RuntimeError",
    message: "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: gpu",
  });
  assert.throws(() => torch.device("cpu:0", 1), { name: "RuntimeError", message: "type (string) must not include an index because index was passed explicitly: cpu:0" });
});

test("tensors live on the cpu; a device this build lacks raises PyTorch's error", () => {
  const x = torch.ones(2);
  assert.equal(String(x.device), "cpu");
  assert.equal(x.to("cpu"), x);
  assert.equal(x.to(torch.device("cpu:0")), x);
  assert.equal(x.cpu(), x);
  assert.equal(x.to({ device: "cpu", dtype: torch.float64 }).dtype, torch.float64);
  const cuda = { name: "AssertionError", message: "Torch not compiled with CUDA enabled" };
  assert.throws(() => x.to("cuda"), cuda);
  assert.throws(() => x.to({ device: "cuda:1" }), cuda);
  assert.throws(() => torch.zeros(2, { device: "cuda" }), cuda);
  assert.throws(() => new torch.nn.Linear(1, 1).to("cuda"), cuda);
  assert.equal(String(torch.zeros(2, { device: torch.device("cpu") }).device), "cpu");
  const m = new torch.nn.Linear(1, 1);
  assert.equal(m.to(torch.device("cpu")), m);
});

test("dataAsync() reads a tensor's values, as dataSync() does", async () => {
  const x = torch.arange(6).view(2, 3).t();
  const v = await x.dataAsync();
  assert.deepEqual(Array.from(v), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(Array.from(v), Array.from(x.dataSync()));
});

test("useExactNumerics switches between the fast default and PyTorch's bits; tensors work under both", () => {
  const was = torch.areExactNumericsEnabled();
  try {
    torch.useExactNumerics(false);
    assert.equal(torch.areExactNumericsEnabled(), false);
    assert.equal(torch.getBackend().name, "wasm");
    const a = torch.randn(5);
    torch.useExactNumerics(true);
    assert.equal(torch.areExactNumericsEnabled(), true);
    assert.equal(torch.getBackend().name, "reference");
    const b = a.exp(); // a tensor made under one mode computes under the other
    torch.useExactNumerics(false);
    assert.ok(b.sub(a.exp()).abs().max().item() < 1e-6);
    assert.throws(() => torch.useExactNumerics(1 as unknown as boolean), { name: "TypeError" });
  } finally {
    torch.useExactNumerics(was);
  }
});
