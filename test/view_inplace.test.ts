// Views and in-place ops against PyTorch 1.13: test/fixtures/view_inplace.json holds programs (lists of
// steps) and what real PyTorch recorded running them (scripts/gen_view_inplace_fixtures.py, which
// documents the steps); this file runs the same steps in typetorch and compares every event: grad_fn
// names (CopySlices, AsStridedBackward0 regenerated after an in-place op on the base or another view),
// requires_grad, is_leaf, version counters, values, reprs, error classes and messages, and the
// leaves' gradients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
type Step = Any[];
interface Event {
  check?: string;
  step?: number;
  error?: string;
  msg?: string;
  requires_grad?: boolean;
  grad_fn?: string | null;
  is_leaf?: boolean;
  version?: number;
  shape?: number[];
  values?: (number | boolean)[];
  repr?: string;
}
interface Program {
  steps: Step[];
  events: Event[];
  grads: Record<string, number[] | null>;
}
const F = JSON.parse(readFileSync(new URL("./fixtures/view_inplace.json", import.meta.url), "utf8")) as { programs: Record<string, Program> };

/** Python's KeyError for a variable an earlier (failed) step did not make. */
class KeyError extends Error {
  override name = "KeyError";
}
type Env = Map<string, Any>;
const get = (env: Env, n: string): Any => {
  if (!env.has(n)) throw new KeyError(`'${n}'`);
  return env.get(n);
};
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const ref = (env: Env, a: Any): Any => (typeof a === "string" && a.startsWith("$") ? get(env, a.slice(1)) : a);
/** Python keyword arguments as typetorch's trailing options object. */
const opts = (env: Env, kw: Record<string, Any>): Record<string, Any> =>
  Object.fromEntries(Object.entries(kw).map(([k, v]) => [camel(k), ref(env, v)]));
const values = (t: Tensor): (number | boolean)[] => Array.from(t.dataSync(), (v) => (t.dtype === torch.bool ? v !== 0 : Number(v)));
/** The weights of the "loss" step: arange(numel) % 5 + k + 1, in v's shape. */
const weights = (v: Tensor, k: number): Tensor => torch.arange(v.numel()).remainder(5).add(k + 1).reshape(v.shape);

function run(steps: Step[], env: Env, events: Event[], leaves: string[], base = 0): void {
  steps.forEach((st, i) => {
    const where = base + i;
    const op = st[0] as string;
    try {
      switch (op) {
        case "leaf":
          env.set(st[1], torch.tensor(st[2], { requiresGrad: true }));
          leaves.push(st[1]);
          break;
        case "const":
          env.set(st[1], torch.tensor(st[2]));
          break;
        case "long":
          env.set(st[1], torch.tensor(st[2], { dtype: torch.int64 }));
          break;
        case "mask":
          env.set(st[1], torch.tensor(st[2], { dtype: torch.bool }));
          break;
        case "call": {
          const obj = get(env, st[2]);
          const args = (st.slice(4) as Any[]).map((a) => (a !== null && typeof a === "object" && !Array.isArray(a) ? opts(env, a) : ref(env, a)));
          const name = st[3] as string;
          const m = obj[camel(name)] ?? obj[name];
          if (typeof m !== "function") throw new Error(`typetorch has no method ${name}`);
          const r = m.apply(obj, args);
          if (st[1]) env.set(st[1], r);
          break;
        }
        case "get":
          env.set(st[1], get(env, st[2]).index(...(st.slice(3) as Any[]).map((s) => ref(env, s))));
          break;
        case "set": {
          const specs = (st[2] as Any[]).map((s) => ref(env, s));
          get(env, st[1]).indexPut_(specs, ref(env, st[3]));
          break;
        }
        case "pick":
          env.set(st[1], get(env, st[2])[st[3]]);
          break;
        case "iter":
          env.set(st[1], [...get(env, st[2])]);
          break;
        case "data":
          env.set(st[1], get(env, st[2]).data);
          break;
        case "nograd":
          torch.noGrad(() => run(st[1], env, events, leaves, where * 100));
          break;
        case "loss": {
          let total: Tensor | null = null;
          (st[2] as string[]).forEach((n, k) => {
            const v = get(env, n) as Tensor;
            const term = v.mul(weights(v, k)).sum();
            total = total ? total.add(term) : term;
          });
          env.set(st[1], total);
          break;
        }
        case "backward":
          get(env, st[1]).backward(undefined, opts(env, st[2] ?? {}));
          break;
        case "grad": {
          const gs = torch.autograd.grad(get(env, st[2]), (st[3] as string[]).map((n) => get(env, n)), opts(env, st[4] ?? {}));
          (st[1] as string[]).forEach((n, k) => env.set(n, gs[k]));
          break;
        }
        case "check": {
          const t = get(env, st[1]) as Tensor;
          const ev: Event = { check: st[1], requires_grad: t.requiresGrad };
          let fn;
          try {
            fn = t.gradFn;
          } catch (e) {
            events.push({ ...ev, error: (e as Error).name, msg: (e as Error).message });
            break;
          }
          events.push({
            ...ev,
            grad_fn: fn ? fn.name() : null,
            is_leaf: t.isLeaf,
            version: t._version.value,
            shape: t.shape,
            values: values(t),
            repr: t.toString(),
          });
          break;
        }
        default:
          throw new Error(`unknown step ${op}`);
      }
    } catch (e) {
      events.push({ step: where, error: (e as Error).name, msg: (e as Error).message });
    }
  });
}

function close(actual: readonly (number | boolean)[], expected: readonly (number | boolean)[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (typeof e === "boolean" || a === e) {
      assert.equal(a, e, `${what}[${i}]`);
      continue;
    }
    assert.ok(Math.abs(Number(a) - e) <= 1e-6 + 1e-5 * Math.abs(e), `${what}[${i}]: ${a} vs PyTorch ${e}`);
  }
}

const programs = Object.entries(F.programs);
test("the fixture holds the programs this test expects", () => {
  assert.ok(programs.length >= 40, `${programs.length} programs`);
});

for (const [name, p] of programs) {
  test(`view/in-place: ${name}`, () => {
    const env: Env = new Map();
    const events: Event[] = [];
    const leaves: string[] = [];
    run(p.steps, env, events, leaves);
    const describe = (e: Event | undefined) => (e ? (e.check !== undefined ? `check ${e.check}` : `error at step ${e.step}`) : "nothing");
    for (let i = 0; i < Math.max(events.length, p.events.length); i++) {
      const got = events[i], want = p.events[i];
      assert.ok(got && want, `event ${i}: typetorch ${describe(got)} (${got?.msg ?? ""}), PyTorch ${describe(want)} (${want?.msg ?? ""})`);
      const what = `event ${i} (${describe(want)})`;
      assert.equal(describe(got), describe(want), `${what}: typetorch ${describe(got)}: ${got.msg ?? ""}`);
      if (want.error !== undefined || got.error !== undefined) {
        assert.deepEqual([got.error, got.msg], [want.error, want.msg], `${what}: error`);
        if (want.check !== undefined) assert.equal(got.requires_grad, want.requires_grad, `${what}: requires_grad`);
        continue;
      }
      assert.deepEqual(
        { grad_fn: got.grad_fn, requires_grad: got.requires_grad, is_leaf: got.is_leaf, version: got.version, shape: got.shape },
        { grad_fn: want.grad_fn, requires_grad: want.requires_grad, is_leaf: want.is_leaf, version: want.version, shape: want.shape },
        what,
      );
      close(got.values!, want.values!, `${what}: values`);
      assert.equal(got.repr, want.repr, `${what}: repr`);
    }
    for (const [leaf, g] of Object.entries(p.grads)) {
      const t = env.get(leaf) as Tensor;
      const tg = t.grad;
      if (g === null) assert.equal(tg, null, `${leaf}.grad: PyTorch None`);
      else {
        assert.ok(tg, `${leaf}.grad: typetorch None`);
        close(values(tg), g, `${leaf}.grad`);
      }
    }
  });
}
