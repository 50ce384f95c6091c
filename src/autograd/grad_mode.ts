// Grad mode: whether ops record the graph (torch.no_grad / enable_grad / set_grad_enabled).

import { TorchTypeError, pythonTypeName } from "../errors.js";

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** torch.set_grad_enabled(mode), the function form. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

/**
 * NOTE: grad mode is one global flag, set for the synchronous run of fn. An async function would run
 * its code after the first `await` with the flag already restored (JavaScript has no context that
 * follows a function across await, short of Node's AsyncLocalStorage, which browsers lack), so such
 * code would record a graph the caller asked not to record. An async callback is refused before it
 * runs, and a callback that returns a promise is an error as soon as it returns.
 */
function asyncError(name: string): TorchTypeError {
  return new TorchTypeError(
    `${name}() takes a synchronous function: grad mode cannot follow an async function across await. ` +
      `Await the data first and wrap the synchronous tensor code in ${name}(() => ...), or call ` +
      `torch.setGradEnabled(...) before the async code and restore it after.`,
  );
}

const AsyncFunction = (async () => {}).constructor;

function withMode<T>(mode: boolean, fn: () => T, name: string): T {
  if (typeof fn !== "function") throw new TorchTypeError(`${name}() expects a function, got ${pythonTypeName(fn)}`);
  if (fn.constructor === AsyncFunction) throw asyncError(name);
  const prev = enabled;
  enabled = mode;
  let r: T;
  try {
    r = fn();
  } finally {
    enabled = prev;
  }
  if (r !== null && typeof r === "object" && typeof (r as { then?: unknown }).then === "function") throw asyncError(name);
  return r;
}

/**
 * `with torch.no_grad():` -- runs fn with graph recording off.
 * @example
 * const w = torch.ones(2, { requiresGrad: true });
 * const y = torch.noGrad(() => w.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn, "noGrad");
}

/** `with torch.enable_grad():` -- runs fn with graph recording on. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn, "enableGrad");
}

/** Runs fn with grad mode set to `mode` (the context-manager form of torch.set_grad_enabled). */
export function withGradEnabled<T>(mode: boolean, fn: () => T): T {
  return withMode(mode, fn, "withGradEnabled");
}
