// `torch.cuda` and `torch.backends` as a CPU-only PyTorch 1.13 build answers them, so that the usual
// device line ports as it is:
//   const device = torch.device(torch.cuda.isAvailable() ? "cuda" : "cpu");
// NOTE: typetorch has no GPU device yet; each function answers what PyTorch built without CUDA
// answers (checked against a CPU build of PyTorch 1.13), never a made-up value.
import { AssertionError } from "./errors.js";

const notCompiled = (): never => {
  throw new AssertionError("Torch not compiled with CUDA enabled");
};

/** torch.cuda: queries answer "no GPU"; calls that need one raise PyTorch's AssertionError. */
export const cuda = {
  /** torch.cuda.is_available(): false, this build has no CUDA device. */
  isAvailable(): boolean { return false; },
  /** torch.cuda.device_count(): 0. */
  deviceCount(): number { return 0; },
  /** torch.cuda.is_initialized(): false. */
  isInitialized(): boolean { return false; },
  /** torch.cuda.manual_seed(seed): silently ignored without CUDA, as PyTorch does (lazy seeding that never runs). */
  manualSeed(_seed: number | bigint): void {},
  /** torch.cuda.manual_seed_all(seed): silently ignored without CUDA, as PyTorch does. */
  manualSeedAll(_seed: number | bigint): void {},
  /** torch.cuda.empty_cache(): nothing to free without CUDA. */
  emptyCache(): void {},
  /** torch.cuda.init(): raises "Torch not compiled with CUDA enabled". */
  init(): never { return notCompiled(); },
  /** torch.cuda.current_device(): raises "Torch not compiled with CUDA enabled". */
  currentDevice(): never { return notCompiled(); },
  /** torch.cuda.synchronize(): raises "Torch not compiled with CUDA enabled". */
  synchronize(_device?: unknown): never { return notCompiled(); },
  /** torch.cuda.get_device_name(): raises "Torch not compiled with CUDA enabled". */
  getDeviceName(_device?: unknown): never { return notCompiled(); },
};

/**
 * torch.backends: `mps.isAvailable()` false, `cudnn.isAvailable()` false, and cudnn's flags as plain
 * settable fields with PyTorch's defaults (`cudnn.deterministic = true` in a ported script is
 * accepted and has no effect here, as on a CPU-only PyTorch).
 */
export const backends = {
  /** torch.backends.mps */
  mps: {
    /** torch.backends.mps.is_available(): false. */
    isAvailable(): boolean { return false; },
    /** torch.backends.mps.is_built(): false. */
    isBuilt(): boolean { return false; },
  },
  /** torch.backends.cudnn */
  cudnn: {
    /** torch.backends.cudnn.is_available(): false. */
    isAvailable(): boolean { return false; },
    enabled: true,
    deterministic: false,
    benchmark: false,
  },
};
