/**
 * `torch.Generator` for the CPU: PyTorch's `at::CPUGeneratorImpl`
 * (aten/src/ATen/CPUGeneratorImpl.cpp), i.e. an mt19937 engine plus the two cached
 * Box-Muller samples (one float, one double) that PyTorch's scalar normal sampler keeps.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * g.random();   // 2357136044, as torch's mt19937 seeded with 0
 * ```
 */

import { MT19937, MERSENNE_STATE_N } from "./mt19937.js";
import { OverflowError, RuntimeError, TorchTypeError, ValueError, pythonTypeName } from "../errors.js";

/** PyTorch's `default_rng_seed_val`, the seed of a fresh `torch.Generator()`. */
export const DEFAULT_RNG_SEED = 67280421310721n;

/** Size in bytes of PyTorch's `CPUGeneratorImplState`, what `torch.get_rng_state()` returns. */
export const CPU_GENERATOR_STATE_SIZE = 5056;

// Byte offsets inside CPUGeneratorImplState (x86-64 layout, little-endian).
const OFF_SEED = 0; // uint64 the_initial_seed
const OFF_LEFT = 8; // int left
const OFF_SEEDED = 12; // int seeded
const OFF_NEXT = 16; // uint64 next
const OFF_STATE = 24; // uint64 state[624]
const OFF_NORMAL_Y = 24 + 8 * MERSENNE_STATE_N + 8; // double normal_y (after normal_x)
const OFF_NORMAL_VALID = OFF_NORMAL_Y + 16; // int normal_is_valid (after normal_rho)
const OFF_FLOAT_SAMPLE = OFF_NORMAL_VALID + 8; // float next_float_normal_sample (after padding)
const OFF_FLOAT_VALID = OFF_FLOAT_SAMPLE + 4; // bool is_next_float_normal_sample_valid

const TWO_64 = 1n << 64n;

/** Converts a user seed to PyTorch's uint64, accepting what `Generator.manual_seed` accepts. */
export function toSeed(seed: number | bigint): bigint {
  let s: bigint;
  // NOTE: PyTorch's manual_seed takes int(seed): a float truncates, NaN and infinities cannot convert
  if (typeof seed === "bigint") s = seed;
  else if (typeof seed === "number") {
    if (Number.isNaN(seed)) throw new ValueError("cannot convert float NaN to integer");
    if (!Number.isFinite(seed)) throw new OverflowError("cannot convert float infinity to integer");
    s = BigInt(Math.trunc(seed));
  } else if (typeof seed === "string") {
    const str = seed as string;
    if (!/^\s*[+-]?\d+\s*$/.test(str)) throw new ValueError(`invalid literal for int() with base 10: '${str}'`);
    s = BigInt(str.trim());
  } else throw new TorchTypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(seed)}'`);
  // NOTE: PyTorch accepts seeds in [-2^63, 2^64) and stores them as uint64 (so -1 becomes
  // 2^64 - 1); anything else fails with "Overflow when unpacking long".
  if (s < -(1n << 63n) || s >= TWO_64) {
    throw new RuntimeError("Overflow when unpacking long");
  }
  return BigInt.asUintN(64, s);
}

/** 53 bits from the platform's secure random source, like c10's getNonDeterministicRandom(). */
function nonDeterministicSeed(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  // NOTE: PyTorch masks its random_device seed to 53 bits so that it survives a round trip
  // through a Python float; we keep the same range.
  return ((BigInt(words[0]!) << 32n) | BigInt(words[1]!)) & 0x1fffffffffffffn;
}

export class Generator {
  /** The mt19937 engine. Exposed for the samplers in distributions.ts. */
  readonly engine = new MT19937();
  /**
   * Box-Muller produces samples in pairs; PyTorch's scalar sampler returns the cosine one and
   * keeps the sine one here for the next call (`next_double_normal_sample_`). `null` when empty.
   */
  nextDoubleNormalSample: number | null = null;
  /** The float twin of the cache above (`next_float_normal_sample_`); unused by CPU kernels today. */
  nextFloatNormalSample: number | null = null;

  /** `torch.Generator()`; seeded with PyTorch's default seed 67280421310721 unless told. */
  constructor(seed: number | bigint = DEFAULT_RNG_SEED) {
    this.manualSeed(seed);
  }

  /** `Generator.manual_seed(seed)`: reseeds the engine and clears the cached normal samples. */
  manualSeed(seed: number | bigint): this {
    this.nextDoubleNormalSample = null;
    this.nextFloatNormalSample = null;
    this.engine.init(toSeed(seed));
    return this;
  }

  /** `Generator.initial_seed()`: the seed last set, as the uint64 PyTorch stores. */
  initialSeed(): bigint {
    return this.engine.seed;
  }

  /** `Generator.seed()`: reseeds from a non-deterministic source and returns the new seed. */
  seed(): bigint {
    const s = nonDeterministicSeed();
    this.manualSeed(s);
    return s;
  }

  /** The next uint32 of the mt19937 stream (`CPUGeneratorImpl::random()`). */
  random(): number {
    return this.engine.nextUint32();
  }

  /**
   * `CPUGeneratorImpl::random64()`: two draws, the FIRST one as the high word.
   */
  random64(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * The state in the byte layout of `torch.Generator.get_state()` / `torch.get_rng_state()`
   * (PyTorch's `CPUGeneratorImplState`, 5056 bytes, little-endian), so states can be exchanged
   * with PyTorch.
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(CPU_GENERATOR_STATE_SIZE);
    const v = new DataView(bytes.buffer);
    const e = this.engine;
    v.setBigUint64(OFF_SEED, e.seed, true);
    v.setInt32(OFF_LEFT, e.left, true);
    v.setInt32(OFF_SEEDED, e.seeded ? 1 : 0, true);
    v.setBigUint64(OFF_NEXT, BigInt(e.next), true);
    for (let i = 0; i < MERSENNE_STATE_N; i++) {
      v.setUint32(OFF_STATE + 8 * i, e.state[i]!, true); // high word stays 0
    }
    if (this.nextDoubleNormalSample !== null) {
      v.setFloat64(OFF_NORMAL_Y, this.nextDoubleNormalSample, true);
      v.setInt32(OFF_NORMAL_VALID, 1, true);
    }
    if (this.nextFloatNormalSample !== null) {
      v.setFloat32(OFF_FLOAT_SAMPLE, this.nextFloatNormalSample, true);
      v.setUint8(OFF_FLOAT_VALID, 1);
    }
    return bytes;
  }

  /** `Generator.set_state(state)`: accepts what getState() (or PyTorch's get_state()) returns. */
  setState(state: Uint8Array): this {
    if (state.length !== CPU_GENERATOR_STATE_SIZE) {
      throw new RangeError(
        `Expected a CPUGeneratorImplState of size ${CPU_GENERATOR_STATE_SIZE} but found the input RNG state size to be ${state.length}`,
      );
    }
    const v = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = v.getInt32(OFF_LEFT, true);
    const seeded = v.getInt32(OFF_SEEDED, true) !== 0;
    const next = v.getBigUint64(OFF_NEXT, true);
    // NOTE: the same validity check as at::mt19937::is_valid().
    if (!seeded || left <= 0 || left > MERSENNE_STATE_N || next > BigInt(MERSENNE_STATE_N)) {
      throw new RangeError("Invalid mt19937 state");
    }
    const e = this.engine;
    e.seed = v.getBigUint64(OFF_SEED, true);
    e.left = left;
    e.seeded = seeded;
    e.next = Number(next);
    for (let i = 0; i < MERSENNE_STATE_N; i++) {
      // PyTorch copies uint64 -> uint32, keeping the low word.
      e.state[i] = v.getUint32(OFF_STATE + 8 * i, true);
    }
    this.nextDoubleNormalSample =
      v.getInt32(OFF_NORMAL_VALID, true) !== 0 ? v.getFloat64(OFF_NORMAL_Y, true) : null;
    this.nextFloatNormalSample =
      v.getUint8(OFF_FLOAT_VALID) !== 0 ? v.getFloat32(OFF_FLOAT_SAMPLE, true) : null;
    return this;
  }

  /** A copy with the same engine state and caches (`CPUGeneratorImpl::clone()`). */
  clone(): Generator {
    const g = new Generator();
    g.engine.copyFrom(this.engine);
    g.nextDoubleNormalSample = this.nextDoubleNormalSample;
    g.nextFloatNormalSample = this.nextFloatNormalSample;
    return g;
  }
}

/**
 * torch's global CPU generator (`torch.default_generator`). Like PyTorch's, it starts from a
 * non-deterministic seed; call `manualSeed` for reproducible streams.
 */
export const defaultGenerator: Generator = new Generator();
defaultGenerator.seed();

/** `torch.manual_seed(seed)`: seeds the global generator and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** `torch.seed()`: reseeds the global generator non-deterministically and returns the seed. */
export function seed(): bigint {
  return defaultGenerator.seed();
}

/** `torch.initial_seed()`. */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

/** `torch.get_rng_state()`, as bytes. */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/** `torch.set_rng_state(state)`. */
export function setRngState(state: Uint8Array): void {
  defaultGenerator.setState(state);
}
