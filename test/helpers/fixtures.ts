// Shared fixture harness for the tensor/views/creation tests: loads test/fixtures/tensor.json (from
// scripts/gen_tensor_fixtures.py) and checks TypeScript cases against PyTorch's recorded results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../../src/index.js";

export type Expected =
  | { repr: string; shape: number[]; stride: number[]; offset: number; contiguous: boolean; dtype: string }
  | { list: Expected[] }
  | { value: unknown }
  | { error: string; msg: string };
export type Section = Record<string, Expected>;
export const fixture = JSON.parse(readFileSync(new URL("../fixtures/tensor.json", import.meta.url), "utf8")) as Record<string, Section>;

export function encode(v: unknown): unknown {
  if (v instanceof torch.DType) return v.name;
  if (Array.isArray(v)) return v.map(encode);
  return v;
}
export function compare(exp: Expected, got: unknown, where: string): void {
  if ("repr" in exp) {
    assert.ok(got instanceof torch.Tensor, `${where}: expected a tensor, got ${String(got)}`);
    const t = got as torch.Tensor;
    assert.equal(String(t), exp.repr, `${where}: repr`);
    assert.deepEqual(t.shape, exp.shape, `${where}: shape`);
    assert.deepEqual(t.stride(), exp.stride, `${where}: strides`);
    assert.equal(t.storageOffset(), exp.offset, `${where}: storage offset`);
    assert.equal(t.isContiguous(), exp.contiguous, `${where}: isContiguous`);
    assert.equal(t.dtype.name, exp.dtype, `${where}: dtype`);
  } else if ("list" in exp) {
    assert.ok(Array.isArray(got), `${where}: expected an array`);
    const g = got as unknown[];
    assert.equal(g.length, exp.list.length, `${where}: length`);
    exp.list.forEach((e, i) => compare(e, g[i], `${where}[${i}]`));
  } else if ("value" in exp) {
    assert.deepEqual(encode(got), exp.value, `${where}: value`);
  } else throw new Error(`${where}: bad fixture entry`);
}
/** Runs every case of a fixture section against the TypeScript cases of the same names. */
export function runSection(section: string, cases: Record<string, () => unknown>, skips: Record<string, string> = {}): void {
  const exp = fixture[section]!;
  test(`${section}: every fixture case has a TypeScript case`, () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(exp).sort());
  });
  for (const [name, e] of Object.entries(exp)) {
    const fn = cases[name];
    const reason = skips[name];
    test(`${section}: ${name}`, reason ? { skip: reason } : {}, () => {
      assert.ok(fn, `no TypeScript case ${name}`);
      if ("error" in e) {
        assert.throws(fn, (err: unknown) => {
          assert.ok(err instanceof Error, `${name}: threw a non-Error`);
          assert.equal(err.name, e.error, `${name}: error type (message: ${err.message})`);
          assert.equal(err.message, e.msg, `${name}: error message`);
          return true;
        });
      } else compare(e, fn(), name);
    });
  }
}

/** torch.arange(n, dtype=float32).reshape(shape) */
export const ar = (...shape: number[]): torch.Tensor => torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: torch.float32 }).reshape(shape);
