// Grad mode: whether ops record the graph (torch.no_grad / enable_grad / set_grad_enabled).

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** torch.set_grad_enabled(mode), the function form. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * `with torch.no_grad():` -- runs fn with graph recording off.
 * @example
 * const y = torch.noGrad(() => w.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** `with torch.enable_grad():` -- runs fn with graph recording on. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}

/** Runs fn with grad mode set to `mode` (the context-manager form of torch.set_grad_enabled). */
export function withGradEnabled<T>(mode: boolean, fn: () => T): T {
  return withMode(mode, fn);
}
