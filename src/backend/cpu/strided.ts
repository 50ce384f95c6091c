// Strided iteration for the CPU backend: dims are collapsed where memory allows, then the innermost
// run is handed to a per-op row kernel (one tight loop, no per-element calls).
import type { Shape } from "../../tensor/shape.js";

/**
 * Merges adjacent dims that are contiguous with each other in every operand, so that most
 * iterations become one long row. Returns the collapsed shape and per-operand strides.
 */
export function collapse(shape: Shape, strides: readonly Shape[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d]!;
    if (s === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((st, k) => outStrides[k]![last] === st[d]! * s)) {
      outShape[last] = outShape[last]! * s;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![d]!;
    } else {
      outShape.push(s);
      for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const o of outStrides) o.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls row(n, offsets...) for every innermost row of `shape`, with each operand's offset at the
 * row's start; inner strides are the last entries of `strides`.
 */
export function forEachRow1(shape: Shape, st: Shape, off: number, row: (n: number, o: number) => void): void {
  const nd = shape.length;
  const n = shape[nd - 1]!;
  if (nd === 1) return row(n, off);
  const idx = new Array<number>(nd - 1).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d]!;
  let o = off;
  for (let r = 0; r < rows; r++) {
    row(n, o);
    for (let d = nd - 2; d >= 0; d--) {
      o += st[d]!;
      if (++idx[d]! < shape[d]!) break;
      o -= st[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function forEachRow2(
  shape: Shape,
  sa: Shape,
  oa: number,
  sb: Shape,
  ob: number,
  row: (n: number, a: number, b: number) => void,
): void {
  const nd = shape.length;
  const n = shape[nd - 1]!;
  if (nd === 1) return row(n, oa, ob);
  const idx = new Array<number>(nd - 1).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d]!;
  for (let r = 0; r < rows; r++) {
    row(n, oa, ob);
    for (let d = nd - 2; d >= 0; d--) {
      oa += sa[d]!;
      ob += sb[d]!;
      if (++idx[d]! < shape[d]!) break;
      oa -= sa[d]! * shape[d]!;
      ob -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function forEachRow3(
  shape: Shape,
  sa: Shape,
  oa: number,
  sb: Shape,
  ob: number,
  sc: Shape,
  oc: number,
  row: (n: number, a: number, b: number, c: number) => void,
): void {
  const nd = shape.length;
  const n = shape[nd - 1]!;
  if (nd === 1) return row(n, oa, ob, oc);
  const idx = new Array<number>(nd - 1).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d]!;
  for (let r = 0; r < rows; r++) {
    row(n, oa, ob, oc);
    for (let d = nd - 2; d >= 0; d--) {
      oa += sa[d]!;
      ob += sb[d]!;
      oc += sc[d]!;
      if (++idx[d]! < shape[d]!) break;
      oa -= sa[d]! * shape[d]!;
      ob -= sb[d]! * shape[d]!;
      oc -= sc[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
