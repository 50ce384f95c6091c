// Bugs found while building, each pinned to what PyTorch 1.13 gives for the same expression.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../src/index.js";

test("as_strided backward sums overlapping windows (PyTorch: tensor([1., 2., 2., 1.]))", () => {
  const x = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
  x.asStrided([3, 2], [1, 1]).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [1, 2, 2, 1]);
});

test("casting to bool tests against zero before truncating (0.5 -> True)", () => {
  assert.deepEqual(torch.tensor([0.5, 0, -0.2]).bool().tolist(), [true, false, true]);
  assert.deepEqual(torch.tensor([0.5, 0]).to(torch.bool).tolist(), [true, false]);
});

test("bool + bool is a logical or, as in PyTorch", () => {
  const r = torch.tensor([true, true, false]).add(torch.tensor([true, false, false]));
  assert.equal(r.dtype, torch.bool);
  assert.deepEqual(r.tolist(), [true, true, false]);
});
