// torch.device: where a tensor's data lives. typetorch has one device today, "cpu" (served by the fast
// "wasm" backend or, under exact numerics, the reference backend: both keep the data in this
// thread's memory, so switching numerics never moves data). A GPU device plugs in here later.
import { AssertionError, RuntimeError, TorchTypeError } from "../errors.js";

/** PyTorch 1.13's device types, in the order its error message lists them. */
const DEVICE_TYPES = [
  "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "ort", "xla", "lazy",
  "vulkan", "mps", "meta", "hpu", "privateuseone",
] as const;

/** The device types that this build can hold tensors on. */
const AVAILABLE = new Set<string>(["cpu"]);

/**
 * PyTorch's `torch.device`: a type ("cpu", "cuda", ...) and an optional index.
 * @example
 * const d = torch.device("cpu");
 * String(d);             // "cpu"
 * torch.ones(2).device.equals(d); // true
 */
export class Device {
  readonly type: string;
  readonly index: number | null;
  /** @internal use torch.device(...) */
  constructor(type: string, index: number | null) {
    this.type = type;
    this.index = index;
  }
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  /** `device(type='cpu')`, as Python's repr prints it. */
  repr(): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
  /** PyTorch's `==` on devices (a string is parsed first). */
  equals(other: Device | string): boolean {
    const o = typeof other === "string" ? device(other) : other;
    return o instanceof Device && o.type === this.type && o.index === this.index;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
}

export type DeviceLike = Device | string;

/**
 * `torch.device("cpu")`, `torch.device("cuda:0")`, `torch.device("cuda", 1)`.
 * Unknown device types raise PyTorch's RuntimeError; known types this build lacks are accepted here
 * and refused where a tensor would be put there (see checkDevice).
 */
export function device(spec: DeviceLike, index?: number): Device {
  if (spec instanceof Device) return spec;
  if (typeof spec !== "string")
    throw new TorchTypeError(`device() received an invalid combination of arguments - got (${spec === null ? "NoneType" : typeof spec})`);
  const m = /^([a-z_]+)(?::(\d+))?$/.exec(spec);
  const type = m?.[1] ?? spec;
  if (!m || !(DEVICE_TYPES as readonly string[]).includes(type))
    throw new RuntimeError(`Expected one of ${DEVICE_TYPES.join(", ")} device type at start of device string: ${spec}`);
  let idx: number | null = m[2] !== undefined ? Number(m[2]) : null;
  if (index !== undefined) {
    if (idx !== null) throw new RuntimeError(`type (string) must not include an index because index was passed explicitly: ${spec}`);
    if (!Number.isInteger(index) || index < 0) throw new RuntimeError(`Device index must not be negative`);
    idx = index;
  }
  return new Device(type, idx);
}

/** The one device of this build. */
export const CPU = new Device("cpu", null);

/**
 * The device a tensor may be created on or moved to: "cpu" (any index, as PyTorch's CPU ignores it);
 * any other type raises what PyTorch raises when it was built without that device.
 */
export function checkDevice(spec: DeviceLike): Device {
  const d = device(spec);
  if (AVAILABLE.has(d.type)) return CPU;
  if (d.type === "cuda") throw new AssertionError("Torch not compiled with CUDA enabled");
  throw new RuntimeError(`typetorch has no ${d.type} device in this build; tensors live on "cpu"`);
}
