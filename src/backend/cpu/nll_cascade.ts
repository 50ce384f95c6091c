// The summation order of PyTorch 1.13's reduced NLL loss (LossNLL.cpp nll_loss_out_frame,
// LossNLL2d.cpp nll_loss2d_forward_out_frame), shared by the composed path (nn/functional.ts) and the
// fast backend's fused kernel (wasm/reduce.ts): it costs nothing over a plain loop, so both keep
// PyTorch's bits given the same log-probabilities.
//
// NOTE: -x[i, t_i] * w[t_i] is accumulated over positions i in order into an 8-level cascade in the
// input's dtype: level 0 takes every term; after position i, for j = 0..6 while the bits of i under
// level_mask << (j * p) are all zero, level j is added into level j + 1 and cleared
// (p = max(4, ceilLog2(M) / 8), level_mask = 2^p - 1); the levels are then summed from 0 up. The
// weights go through the same cascade. LossNLL.cpp is compiled without -mfma, so x * w is rounded
// before the subtraction.

const LEVELS = 8;

export class NllCascade {
  private readonly loss = new Float64Array(LEVELS);
  private readonly wsum = new Float64Array(LEVELS);
  private readonly power: number;
  private readonly mask: number;
  private ignored = 0;

  /** M positions; `rnd` rounds to the input's dtype (Math.fround for float32). */
  constructor(private readonly M: number, private readonly rnd: (v: number) => number) {
    this.power = Math.max(4, Math.floor((M <= 2 ? 1 : 32 - Math.clz32(M - 1)) / LEVELS));
    this.mask = 2 ** this.power - 1;
  }

  /** Position i (in order) picked value v, with class weight wt (already in the dtype) or none. */
  add(i: number, v: number, wt?: number): void {
    const { loss, wsum, rnd } = this;
    if (wt !== undefined) {
      loss[0] = rnd(loss[0]! - rnd(v * wt));
      wsum[0] = rnd(wsum[0]! + wt);
    } else loss[0] = rnd(loss[0]! - v);
    this.carry(i);
  }

  /** A position whose target is ignore_index: counted, no term and no carry (PyTorch's loop skips it). */
  skip(): void {
    this.ignored++;
  }

  private carry(i: number): void {
    const { loss, wsum, rnd, mask, power } = this;
    for (let j = 0; j + 1 < LEVELS; j++) {
      if ((i & (mask * 2 ** (j * power))) !== 0) break;
      loss[j + 1] = rnd(loss[j + 1]! + loss[j]!);
      wsum[j + 1] = rnd(wsum[j + 1]! + wsum[j]!);
      loss[j] = 0;
      wsum[j] = 0;
    }
  }

  /** The reduced loss ("sum", or "mean": divided by the total weight) and the total weight. */
  result(reduction: "sum" | "mean", weighted: boolean): { loss: number; totalWeight: number } {
    const rnd = this.rnd;
    let totalWeight = this.M - this.ignored;
    if (weighted) {
      totalWeight = 0;
      for (let j = 0; j < LEVELS; j++) totalWeight = rnd(totalWeight + this.wsum[j]!);
    }
    let out = 0;
    for (let j = 0; j < LEVELS; j++) out = rnd(out + this.loss[j]!);
    if (reduction === "mean") out = rnd(out / totalWeight);
    return { loss: out, totalWeight };
  }
}
