// Running a test on a chosen backend: the fast default ("wasm") and the reference that gives PyTorch's
// bits ("reference"), and comparing a fast result with PyTorch's within float tolerance.
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";

/** The backends every generic test runs on, the default first. */
export const BACKENDS = ["wasm", "reference"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Runs fn with `name` as the current backend, then restores the previous one. */
export function onBackend<T>(name: BackendName, fn: () => T): T {
  const was = torch.getBackend().name;
  torch.setBackend(name);
  try {
    return fn();
  } finally {
    torch.setBackend(was);
  }
}

/** Runs fn under PyTorch's exact numerics (the reference backend). */
export const exactly = <T>(fn: () => T): T => onBackend("reference", fn);
/** Runs fn under the fast default numerics. */
export const fast = <T>(fn: () => T): T => onBackend("wasm", fn);

/** One unit in the last place at 1.0: float32 2^-23, float64 2^-52. */
export const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/**
 * Asserts |got - want| <= atol + rtol * |want| elementwise (NaN matches NaN, infinities must be equal),
 * or, with `tol` an array, within tol[i] of each element.
 */
export function assertClose(
  got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol: number, atol: number | ArrayLike<number>,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let bad = 0, first = -1, worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) { bad++; if (first < 0) first = i; }
      continue;
    }
    const a = typeof atol === "number" ? atol : atol[i]!;
    const err = Math.abs(g - w), lim = a + rtol * Math.abs(w);
    if (!(err <= lim)) { bad++; if (first < 0) first = i; worst = Math.max(worst, err / (lim || 1)); }
  }
  if (bad) assert.fail(`${what}: ${bad} of ${want.length} outside tolerance (rtol ${rtol}); first at ${first}: got ${got[first]}, want ${want[first]}; worst ${worst.toFixed(2)}x the limit`);
}
