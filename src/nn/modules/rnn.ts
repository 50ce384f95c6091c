// nn.RNN, nn.LSTM, nn.GRU and their cells nn.RNNCell, nn.LSTMCell, nn.GRUCell.
//
// The forward follows PyTorch 1.13's CPU implementation (aten/src/ATen/native/RNN.cpp), composed of
// differentiable tensor ops so that autograd (and double backward) works without kernels of its own:
// - per layer and direction, the input projection x W_ih^T + b_ih of every time step is one addmm
//   (PyTorch's `pre_compute_input`), then a loop over time adds h W_hh^T + b_hh and applies the gates;
// - a padded (T, B, *) input runs as a packed sequence whose batch sizes are all B, so padded and
//   packed inputs share one loop (PyTorch's PackedLayer / ReversedPackedLayer);
// - dropout between layers is F.dropout on the layer's (T, B, D * H) output, or on the packed data,
//   drawn from the global generator as PyTorch's at::dropout does, so masks match under manualSeed.
// NOTE: the grad_fn names of the outputs are those of the composed ops (CatBackward0, ViewBackward0,
// TransposeBackward0 ...), not PyTorch's (StackBackward0 for the hidden states); values and
// gradients are PyTorch's.
import { Tensor } from "../../tensor/tensor.js";
import { zeros, emptyLasting } from "../../ops/creation.js";
import { cat, stack } from "../../ops/views.js";
import { addmm } from "../../ops/linalg.js";
import type { DType } from "../../tensor/dtype.js";
import { AssertionError, RuntimeError, ValueError } from "../../errors.js";
import { Module, pyBool, pyFloat } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import * as F from "../functional.js";
import { PackedSequence } from "../utils/rnn.js";

export type RNNMode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** Options of RNNBase, PyTorch's constructor arguments after input_size and hidden_size. */
export interface RNNBaseOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  dtype?: DType;
}
export interface RNNOptions extends RNNBaseOptions {
  nonlinearity?: "tanh" | "relu";
}
export interface LSTMOptions extends RNNBaseOptions {
  projSize?: number;
}
export type GRUOptions = RNNBaseOptions;

/** One layer and direction's weights; biases and the projection may be absent. */
interface CellWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  wHr: Tensor | null;
}
/** A hidden state: h, and c for an LSTM. */
type Hidden = [Tensor, Tensor | null];

// NOTE: layout. The layers keep their states feature-major, h^T of shape (H, B), and compute the
// gates as W_hh h^T (G, B): the gate chunks i, f, g, o (r, z, n) are then contiguous row blocks,
// and the elementwise ops that dominate a step run on contiguous memory (on the batch-major
// (B, G) layout each chunk is a strided column block, 2-3x slower per op here). The cells, one step
// each, keep PyTorch's batch-major layout. The dot products are the same either way.

/**
 * The dtype errors of PyTorch's linear(x, w, b) (addmm(b, x, w.t()) with a bias, matmul without),
 * for the products that the feature-major layout writes the other way round (w x^T).
 */
function checkLinearDtypes(x: Tensor, w: Tensor, b: Tensor | null): void {
  if (b) {
    if (b.dtype !== w.dtype) throw new RuntimeError("self and mat2 must have the same dtype");
    if (x.dtype !== w.dtype) throw new RuntimeError("mat1 and mat2 must have the same dtype");
  } else if (x.dtype !== w.dtype) throw new RuntimeError(`expected scalar type ${x.dtype.scalarName} but found ${w.dtype.scalarName}`);
}

/** A hidden state's columns [start, end) (feature-major: one column per sequence). */
function sliceHidden(h: Hidden, start: number, end: number): Hidden {
  return [h[0].narrow(1, start, end - start), h[1] ? h[1].narrow(1, start, end - start) : null];
}
function catHidden(hs: Hidden[]): Hidden {
  if (hs.length === 1) return hs[0]!;
  return [cat(hs.map((h) => h[0]), 1), hs[0]![1] ? cat(hs.map((h) => h[1]!), 1) : null];
}

/**
 * One step of a cell. `gi` is the input projection W_ih x + b_ih of this step (precomputed for the
 * whole sequence by the layer, or computed by the cell modules); `fm`: feature-major states (H, B)
 * and gates (G, B), chunked along dim 0, else batch-major (B, H), (B, G), chunked along dim 1.
 * NOTE: the order of the additions is PyTorch's: (W_hh h + b_hh) + gi, gates chunked in the order
 * i, f, g, o (LSTM) and r, z, n (GRU), with n = tanh(gi_n + r * (W_hn h + b_hn)) and
 * h' = (h - n) * z + n, as RNN.cpp writes them.
 */
function cellStep(mode: RNNMode, gi: Tensor, hidden: Hidden, w: CellWeights, fm: boolean): Hidden {
  const [hx, cx] = hidden;
  const d = fm ? 0 : 1;
  if (fm) checkLinearDtypes(hx, w.wHh, w.bHh);
  const hh = fm ? (w.bHh ? addmm(w.bHh.unsqueeze(1), w.wHh, hx) : w.wHh.matmul(hx)) : F.linear(hx, w.wHh, w.bHh);
  if (mode === "GRU") {
    const ig = gi.chunk(3, d);
    const hg = hh.chunk(3, d);
    const r = hg[0]!.add(ig[0]!).sigmoid();
    const z = hg[1]!.add(ig[1]!).sigmoid();
    const n = ig[2]!.add(hg[2]!.mul(r)).tanh();
    return [hx.sub(n).mul(z).add(n), null];
  }
  const gates = hh.add(gi);
  if (mode === "RNN_TANH") return [gates.tanh(), null];
  if (mode === "RNN_RELU") return [gates.relu(), null];
  const [i, f, g, o] = gates.chunk(4, d) as [Tensor, Tensor, Tensor, Tensor];
  const cy = f.sigmoid().mul(cx!).add(i.sigmoid().mul(g.tanh()));
  let hy = o.sigmoid().mul(cy.tanh());
  if (w.wHr) hy = fm ? w.wHr.matmul(hy) : hy.matmul(w.wHr.t());
  return [hy, cy];
}

/**
 * One direction of one layer over packed data, feature-major: inputT (I, N) holds the N packed rows
 * as columns, batchSizes says how many belong to each time step (PyTorch's PackedLayer, or
 * ReversedPackedLayer when reverse). Returns the outputs (H_out, N) and every sequence's final
 * state (H, B).
 */
function runDirection(mode: RNNMode, inputT: Tensor, batchSizes: readonly number[], h0: Hidden, w: CellWeights, reverse: boolean): { out: Tensor; hidden: Hidden } {
  // NOTE: one addmm for all time steps (PyTorch's pre_compute_input on CPU), cut into the steps by
  // one split (one SplitWithSizesBackward0 whose backward is one cat): a narrow per step would give
  // each step's gradient the whole projection's shape, O(T^2) work in backward
  const T = batchSizes.length;
  checkLinearDtypes(inputT, w.wIh, w.bIh);
  const gi = w.bIh ? addmm(w.bIh.unsqueeze(1), w.wIh, inputT) : w.wIh.matmul(inputT);
  const steps = gi.split(batchSizes as number[], 1);
  const outs: Tensor[] = new Array<Tensor>(T);
  if (!reverse) {
    const finals: Hidden[] = [];
    let hidden = h0, last = batchSizes[0]!;
    for (let t = 0; t < T; t++) {
      const bs = batchSizes[t]!;
      const dec = last - bs;
      if (dec > 0) {
        // the sequences that ended at the previous step keep their final state
        finals.push(sliceHidden(hidden, last - dec, last));
        hidden = sliceHidden(hidden, 0, last - dec);
      }
      last = bs;
      hidden = cellStep(mode, steps[t]!, hidden, w, true);
      outs[t] = hidden[0];
    }
    finals.push(hidden);
    finals.reverse();
    return { out: cat(outs, 1), hidden: catHidden(finals) };
  }
  let last = batchSizes[T - 1]!;
  let hidden = last === h0[0].size(1) ? h0 : sliceHidden(h0, 0, last);
  for (let t = T - 1; t >= 0; t--) {
    const bs = batchSizes[t]!;
    const inc = bs - last;
    // sequences that start (from the end) at this step join with their initial state
    if (inc > 0) hidden = catHidden([hidden, sliceHidden(h0, last, bs)]);
    last = bs;
    hidden = cellStep(mode, steps[t]!, hidden, w, true);
    outs[t] = hidden[0];
  }
  return { out: cat(outs, 1), hidden };
}

/**
 * The whole stack (PyTorch's apply_layer_stack) over packed data: returns the last layer's output
 * data and the final hidden (and cell) states, stacked as (numLayers * D, B, H).
 */
function rnnImpl(
  mode: RNNMode, data: Tensor, batchSizes: readonly number[], hx: Tensor, cx: Tensor | null, weights: CellWeights[],
  numLayers: number, dropout: number, train: boolean, bidirectional: boolean,
): { output: Tensor; h: Tensor; c: Tensor | null } {
  const hs = hx.unbind(0), cs = cx ? cx.unbind(0) : null;
  const D = bidirectional ? 2 : 1;
  const finalsH: Tensor[] = [], finalsC: Tensor[] = [];
  let layerInput = data.t();
  for (let l = 0; l < numLayers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const r = runDirection(mode, layerInput, batchSizes, [hs[k]!.t(), cs ? cs[k]!.t() : null], weights[k]!, d === 1);
      outs.push(r.out);
      finalsH.push(r.hidden[0].t());
      if (r.hidden[1]) finalsC.push(r.hidden[1].t());
    }
    layerInput = D === 1 ? outs[0]! : cat(outs, 0);
    // NOTE: at::dropout(output, p, train=true) between layers, as apply_layer_stack: its mask is
    // drawn over the batch-major (N, D * H) output in memory order, so the output is made so first
    if (dropout !== 0 && train && l < numLayers - 1) layerInput = F.dropout(layerInput.t().contiguous(), dropout, true).t();
  }
  return { output: layerInput.t().contiguous(), h: stack(finalsH, 0), c: cs ? stack(finalsC, 0) : null };
}

function sizeStr(s: readonly number[]): string {
  return `(${s.join(", ")})`;
}

/**
 * PyTorch's `nn.RNNBase`: the parameters `weight_ih_l{k}{_reverse}`, `weight_hh_l{k}`, `bias_ih_l{k}`,
 * `bias_hh_l{k}` (and `weight_hr_l{k}` for an LSTM with projections), registered in PyTorch's order
 * so that state dicts and checkpoints match key for key.
 */
export class RNNBase extends Module {
  declare mode: RNNMode;
  declare inputSize: number;
  declare hiddenSize: number;
  declare numLayers: number;
  declare bias: boolean;
  declare batchFirst: boolean;
  declare dropout: number;
  declare bidirectional: boolean;
  declare projSize: number;
  /** The parameter names in PyTorch's flat order. */
  declare _flatWeightsNames: string[];
  /** The parameter names per layer and direction (PyTorch's `_all_weights`). */
  declare _allWeights: string[][];

  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super();
    const numLayers = opts.numLayers ?? 1, bias = opts.bias ?? true, dropout = opts.dropout ?? 0, projSize = opts.projSize ?? 0;
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = Number(dropout);
    this.bidirectional = opts.bidirectional ?? false;
    this.projSize = projSize;
    const D = this.bidirectional ? 2 : 1;
    if (typeof dropout !== "number" || !(dropout >= 0 && dropout <= 1))
      throw new ValueError("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
    // NOTE: PyTorch warns (UserWarning) when dropout > 0 and numLayers == 1; no warning is printed here.
    if (projSize < 0) throw new ValueError("proj_size should be a positive integer or zero to disable projections");
    if (projSize >= hiddenSize) throw new ValueError("proj_size has to be smaller than hidden_size");
    const gateSize = mode === "LSTM" ? 4 * hiddenSize : mode === "GRU" ? 3 * hiddenSize : hiddenSize;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this._flatWeightsNames = [];
    this._allWeights = [];
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < D; direction++) {
        const realHidden = projSize > 0 ? projSize : hiddenSize;
        const layerInput = layer === 0 ? inputSize : realHidden * D;
        const suffix = direction === 1 ? "_reverse" : "";
        const params: [string, number[]][] = [[`weight_ih_l${layer}${suffix}`, [gateSize, layerInput]], [`weight_hh_l${layer}${suffix}`, [gateSize, realHidden]]];
        if (bias) params.push([`bias_ih_l${layer}${suffix}`, [gateSize]], [`bias_hh_l${layer}${suffix}`, [gateSize]]);
        if (projSize > 0) params.push([`weight_hr_l${layer}${suffix}`, [projSize, hiddenSize]]);
        for (const [name, shape] of params) this.registerParameter(name, new Parameter(emptyLasting(shape, o)));
        this._flatWeightsNames.push(...params.map(([n]) => n));
        this._allWeights.push(params.map(([n]) => n));
      }
    }
    this.resetParameters();
  }

  /**
   * NOTE: every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), one uniform_ each in
   * registration order, as PyTorch's reset_parameters: under manualSeed the initial weights are PyTorch's.
   */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1.0 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  /** A no-op on the CPU, as in PyTorch (it packs cuDNN's weight buffer). */
  flattenParameters(): void {}

  /** The current parameters in PyTorch's flat order (PyTorch's `_flat_weights`). */
  get _flatWeights(): (Parameter | null)[] {
    return this._flatWeightsNames.map((n) => this._parameters.get(n) ?? null);
  }
  /** PyTorch's `all_weights`: the parameters per layer and direction. */
  get allWeights(): Parameter[][] {
    return this._allWeights.map((names) => names.map((n) => this._parameters.get(n)!));
  }

  /** @internal the weights of layer l, direction d */
  _cellWeights(): CellWeights[] {
    const out: CellWeights[] = [];
    const D = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.numLayers; layer++)
      for (let d = 0; d < D; d++) {
        const s = `l${layer}${d === 1 ? "_reverse" : ""}`;
        const p = (n: string) => this._parameters.get(`${n}_${s}`) ?? null;
        out.push({ wIh: p("weight_ih")!, wHh: p("weight_hh")!, bIh: this.bias ? p("bias_ih") : null, bHh: this.bias ? p("bias_hh") : null, wHr: this.projSize > 0 ? p("weight_hr") : null });
      }
    return out;
  }

  checkInput(input: Tensor, batchSizes: readonly number[] | null): void {
    const expected = batchSizes !== null ? 2 : 3;
    if (input.dim() !== expected) throw new RuntimeError(`input must have ${expected} dimensions, got ${input.dim()}`);
    if (this.inputSize !== input.size(-1))
      throw new RuntimeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.size(-1)}`);
  }
  getExpectedHiddenSize(input: Tensor, batchSizes: readonly number[] | null): [number, number, number] {
    const miniBatch = batchSizes !== null ? batchSizes[0]! : this.batchFirst ? input.size(0) : input.size(1);
    const D = this.bidirectional ? 2 : 1;
    return [this.numLayers * D, miniBatch, this.projSize > 0 ? this.projSize : this.hiddenSize];
  }
  checkHiddenSize(hx: Tensor, expected: readonly number[], msg = "Expected hidden size"): void {
    if (hx.shape.length !== expected.length || hx.shape.some((s, i) => s !== expected[i]))
      throw new RuntimeError(`${msg} ${sizeStr(expected)}, got [${hx.shape.join(", ")}]`);
  }

  /**
   * The shared forward of all three modules, after each has checked its hidden state's rank: runs
   * the stack over a padded or packed input and returns the output (padded or packed) and states.
   */
  protected _run(input: Tensor | PackedSequence, hx: Hidden | null): [Tensor | PackedSequence, Hidden] {
    const isLstm = this.mode === "LSTM";
    const D = this.bidirectional ? 2 : 1;
    let data: Tensor, batchSizes: number[] | null = null, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null;
    let isBatched = true;
    const batchDim = this.batchFirst ? 0 : 1;
    let maxBatch: number;
    if (input instanceof PackedSequence) {
      data = input.data;
      batchSizes = (input.batchSizes.tolist() as (number | bigint)[]).map(Number);
      sortedIndices = input.sortedIndices;
      unsortedIndices = input.unsortedIndices;
      maxBatch = batchSizes[0]!;
    } else {
      data = input;
      isBatched = input.dim() === 3;
      if (!isBatched) {
        data = input.unsqueeze(batchDim);
        if (hx) hx = [hx[0].unsqueeze(1), hx[1] ? hx[1].unsqueeze(1) : null];
      }
      maxBatch = this.batchFirst ? data.size(0) : data.size(1);
    }
    if (hx === null) {
      const real = this.projSize > 0 ? this.projSize : this.hiddenSize;
      const o = { dtype: data.dtype };
      hx = [zeros([this.numLayers * D, maxBatch, isLstm ? real : this.hiddenSize], o), isLstm ? zeros([this.numLayers * D, maxBatch, this.hiddenSize], o) : null];
    } else if (sortedIndices) {
      // each batch of the hidden state should match the input sequence the user believes they pass in
      hx = [hx[0].indexSelect(1, sortedIndices), hx[1] ? hx[1].indexSelect(1, sortedIndices) : null];
    }
    // check_forward_args
    this.checkInput(data, batchSizes);
    const expected = this.getExpectedHiddenSize(data, batchSizes);
    if (isLstm) {
      this.checkHiddenSize(hx[0], expected, "Expected hidden[0] size");
      this.checkHiddenSize(hx[1]!, [expected[0], expected[1], this.hiddenSize], "Expected hidden[1] size");
    } else this.checkHiddenSize(hx[0], expected);

    const weights = this._cellWeights();
    let outData: Tensor, hN: Tensor, cN: Tensor | null;
    if (batchSizes !== null) {
      const r = rnnImpl(this.mode, data, batchSizes, hx[0], hx[1], weights, this.numLayers, this.dropout, this.training, this.bidirectional);
      outData = r.output;
      hN = r.h;
      cN = r.c;
    } else {
      // a padded (T, B, I) input: seq-first, flattened to packed data whose batch sizes are all B
      const x = this.batchFirst ? data.transpose(0, 1) : data;
      const T = x.size(0), B = x.size(1);
      if (T === 0) throw new RuntimeError("Expected sequence length to be larger than 0 in RNN");
      const r = rnnImpl(this.mode, x.reshape([T * B, x.size(2)]), new Array<number>(T).fill(B), hx[0], hx[1], weights, this.numLayers, this.dropout, this.training, this.bidirectional);
      outData = r.output.view([T, B, r.output.size(1)]);
      if (this.batchFirst) outData = outData.transpose(0, 1);
      hN = r.h;
      cN = r.c;
    }
    if (unsortedIndices) {
      hN = hN.indexSelect(1, unsortedIndices);
      if (cN) cN = cN.indexSelect(1, unsortedIndices);
    }
    if (input instanceof PackedSequence) return [new PackedSequence(outData, input.batchSizes, sortedIndices, unsortedIndices), [hN, cN]];
    if (!isBatched) {
      outData = outData.squeeze(batchDim);
      hN = hN.squeeze(1);
      if (cN) cN = cN.squeeze(1);
    }
    return [outData, [hN, cN]];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst !== false) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}

function splitArgs<O extends object>(numLayers: number | O | undefined, opts: O | undefined): O {
  if (typeof numLayers === "number") return { ...(opts ?? ({} as O)), numLayers };
  return { ...(numLayers ?? opts ?? ({} as O)) };
}
function rejectProj(opts: object): void {
  if ("projSize" in opts || "proj_size" in opts) throw new ValueError("proj_size argument is only supported for LSTM, not RNN or GRU");
}
/** The rank checks RNN and GRU make on a given hidden state. */
function checkHxRank(input: Tensor | PackedSequence, hx: Tensor | null): void {
  if (input instanceof PackedSequence || hx === null) return;
  if (input.dim() === 3) {
    if (hx.dim() !== 3) throw new RuntimeError(`For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`);
  } else if (hx.dim() !== 2) throw new RuntimeError(`For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`);
}

/**
 * PyTorch's `nn.RNN`: a multi-layer Elman RNN, h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
 * (or relu). Positional numLayers as in PyTorch, the other arguments as options.
 * @example
 * const rnn = new nn.RNN(10, 20, 2);
 * const [output, hn] = rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 20)); // output: [5, 3, 20]
 */
export class RNN extends RNNBase {
  declare nonlinearity: "tanh" | "relu";
  constructor(inputSize: number, hiddenSize: number, numLayers?: number | RNNOptions, opts?: RNNOptions) {
    const o = splitArgs(numLayers, opts);
    rejectProj(o);
    const nl = o.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new ValueError(`Unknown nonlinearity '${nl as string}'`);
    super(nl === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, o);
    this.nonlinearity = nl;
  }
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    checkHxRank(input, hx);
    const [out, [h]] = this._run(input, hx ? [hx, null] : null);
    return [out, h];
  }
}

/**
 * PyTorch's `nn.LSTM`, with projections (projSize) as in PyTorch 1.13. Returns `[output, [hN, cN]]`.
 * @example
 * const lstm = new nn.LSTM(10, 20, 2);
 * const [output, [hn, cn]] = lstm(torch.randn(5, 3, 10)); // hn: [2, 3, 20]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, numLayers?: number | LSTMOptions, opts?: LSTMOptions) {
    super("LSTM", inputSize, hiddenSize, splitArgs(numLayers, opts));
  }
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor | PackedSequence, hx: readonly [Tensor, Tensor] | null = null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (hx && !(input instanceof PackedSequence)) {
      const [h, c] = hx;
      if (input.dim() === 3) {
        if (h.dim() !== 3 || c.dim() !== 3)
          throw new RuntimeError(`For batched 3-D input, hx and cx should also be 3-D but got (${h.dim()}-D, ${c.dim()}-D) tensors`);
      } else if (h.dim() !== 2 || c.dim() !== 2)
        throw new RuntimeError(`For unbatched 2-D input, hx and cx should also be 2-D but got (${h.dim()}-D, ${c.dim()}-D) tensors`);
    }
    const [out, [h, c]] = this._run(input, hx ? [hx[0], hx[1]] : null);
    return [out, [h, c!]];
  }
}

/**
 * PyTorch's `nn.GRU`: r, z = sigmoid(...), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
 * h' = (1 - z) * n + z * h.
 * @example
 * const gru = new nn.GRU(10, 20, { batchFirst: true });
 * const [output, hn] = gru(torch.randn(3, 5, 10)); // output: [3, 5, 20]
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, numLayers?: number | GRUOptions, opts?: GRUOptions) {
    const o = splitArgs(numLayers, opts);
    rejectProj(o);
    super("GRU", inputSize, hiddenSize, o);
  }
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    checkHxRank(input, hx);
    const [out, [h]] = this._run(input, hx ? [hx, null] : null);
    return [out, h];
  }
}

// ---------------------------------------------------------------- cells

export interface RNNCellOptions {
  bias?: boolean;
  nonlinearity?: "tanh" | "relu";
  dtype?: DType;
}

function checkCellInput(input: Tensor, inputSize: number): void {
  if (input.size(1) !== inputSize) throw new RuntimeError(`input has inconsistent input_size: got ${input.size(1)} expected ${inputSize}`);
}
/** NOTE: PyTorch 1.13 labels both of an LSTM cell's states "hidden0" in these messages. */
function checkCellHidden(input: Tensor, hx: Tensor, hiddenSize: number): void {
  if (input.size(0) !== hx.size(0)) throw new RuntimeError(`Input batch size ${input.size(0)} doesn't match hidden0 batch size ${hx.size(0)}`);
  if (hx.size(1) !== hiddenSize) throw new RuntimeError(`hidden0 has inconsistent hidden_size: got ${hx.size(1)}, expected ${hiddenSize}`);
}

/** PyTorch's `nn.RNNCellBase`: weight_ih, weight_hh, bias_ih, bias_hh of numChunks * hiddenSize rows. */
export class RNNCellBase extends Module {
  declare inputSize: number;
  declare hiddenSize: number;
  declare bias: boolean;
  declare weight_ih: Parameter;
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;
  constructor(inputSize: number, hiddenSize: number, bias: boolean, numChunks: number, opts: { dtype?: DType } = {}) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this.weight_ih = new Parameter(emptyLasting([numChunks * hiddenSize, inputSize], o));
    this.weight_hh = new Parameter(emptyLasting([numChunks * hiddenSize, hiddenSize], o));
    if (bias) {
      this.bias_ih = new Parameter(emptyLasting([numChunks * hiddenSize], o));
      this.bias_hh = new Parameter(emptyLasting([numChunks * hiddenSize], o));
    } else {
      this.registerParameter("bias_ih", null);
      this.registerParameter("bias_hh", null);
    }
    this.resetParameters();
  }
  /** NOTE: as RNNBase, every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in registration order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1.0 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }
  /** @internal */
  _weights(): CellWeights {
    return { wIh: this.weight_ih, wHh: this.weight_hh, bIh: this.bias_ih, bHh: this.bias_hh, wHr: null };
  }
  /** @internal the rank assertion of the Python forward, and the unbatched input as a batch of one */
  _batched(input: Tensor): [Tensor, boolean] {
    if (input.dim() !== 1 && input.dim() !== 2)
      throw new AssertionError(`${this.constructor.name}: Expected input to be 1-D or 2-D but received ${input.dim()}-D tensor`);
    return input.dim() === 2 ? [input, true] : [input.unsqueeze(0), false];
  }
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    const nl = (this as unknown as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== "tanh") s += `, nonlinearity=${nl}`;
    return s;
  }
}

function cellArgs(bias: boolean | RNNCellOptions | undefined, rest: RNNCellOptions | undefined): RNNCellOptions {
  return typeof bias === "object" ? bias : { ...(rest ?? {}), bias: bias ?? true };
}

/**
 * PyTorch's `nn.RNNCell`: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).
 * @example
 * const cell = new nn.RNNCell(10, 20);
 * let hx = torch.randn(3, 20);
 * hx = cell(torch.randn(3, 10), hx);
 */
export class RNNCell extends RNNCellBase {
  declare nonlinearity: string;
  constructor(inputSize: number, hiddenSize: number, bias: boolean | RNNCellOptions = true, nonlinearity: "tanh" | "relu" = "tanh", opts: { dtype?: DType } = {}) {
    const o = cellArgs(bias, { nonlinearity, ...opts });
    super(inputSize, hiddenSize, o.bias ?? true, 1, o);
    this.nonlinearity = o.nonlinearity ?? nonlinearity;
  }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this._batched(input);
    const h = hx === null ? zeros([x.size(0), this.hiddenSize], { dtype: x.dtype }) : batched ? hx : hx.unsqueeze(0);
    if (this.nonlinearity !== "tanh" && this.nonlinearity !== "relu") throw new RuntimeError(`Unknown nonlinearity: ${this.nonlinearity}`);
    checkCellInput(x, this.weight_ih.size(1));
    checkCellHidden(x, h, this.weight_hh.size(1));
    const w = this._weights();
    const [ret] = cellStep(this.nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", F.linear(x, w.wIh, w.bIh), [h, null], w, false);
    return batched ? ret : ret.squeeze(0);
  }
}

/**
 * PyTorch's `nn.LSTMCell`. Returns `[h', c']`.
 * @example
 * const cell = new nn.LSTMCell(10, 20);
 * const [h, c] = cell(torch.randn(3, 10)); // each [3, 20]
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, bias: boolean | RNNCellOptions = true, opts: { dtype?: DType } = {}) {
    const o = cellArgs(bias, opts);
    super(inputSize, hiddenSize, o.bias ?? true, 4, o);
  }
  override forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, batched] = this._batched(input);
    let h: Tensor, c: Tensor;
    if (hx === null) h = c = zeros([x.size(0), this.hiddenSize], { dtype: x.dtype });
    else [h, c] = batched ? [hx[0], hx[1]] : [hx[0].unsqueeze(0), hx[1].unsqueeze(0)];
    const hidden = this.weight_hh.size(1);
    checkCellInput(x, this.weight_ih.size(1));
    checkCellHidden(x, h, hidden);
    checkCellHidden(x, c, hidden);
    const w = this._weights();
    const [hy, cy] = cellStep("LSTM", F.linear(x, w.wIh, w.bIh), [h, c], w, false);
    return batched ? [hy, cy!] : [hy.squeeze(0), cy!.squeeze(0)];
  }
}

/**
 * PyTorch's `nn.GRUCell`.
 * @example
 * const cell = new nn.GRUCell(10, 20);
 * const h = cell(torch.randn(3, 10)); // [3, 20]
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, bias: boolean | RNNCellOptions = true, opts: { dtype?: DType } = {}) {
    const o = cellArgs(bias, opts);
    super(inputSize, hiddenSize, o.bias ?? true, 3, o);
  }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this._batched(input);
    const h = hx === null ? zeros([x.size(0), this.hiddenSize], { dtype: x.dtype }) : batched ? hx : hx.unsqueeze(0);
    checkCellInput(x, this.weight_ih.size(1));
    checkCellHidden(x, h, this.weight_hh.size(1));
    const w = this._weights();
    const [ret] = cellStep("GRU", F.linear(x, w.wIh, w.bIh), [h, null], w, false);
    return batched ? ret : ret.squeeze(0);
  }
}
