// Python's pickle format: a safe unpickler (no code runs: every global goes through an allow-list
// the caller supplies) and a writer of the protocol-2 opcodes that `torch.save` emits.
// Browser-safe: no Node imports.
//
// NOTE: the opcodes are those of CPython's Lib/pickle.py (protocols 0-5, see Lib/pickletools.py for
// their documentation). The unpickler understands protocols 2-5 in their binary forms (what any
// `torch.save` writes, with or without `pickle_protocol=`); the text opcodes of protocol 0/1
// (INT, FLOAT, STRING, GET, PUT ...) are rejected with a clear error, as PyTorch never writes them.

import { RuntimeError } from "../errors.js";

/** pickle.UnpicklingError: the data is not a pickle we can read. */
export class UnpicklingError extends Error {
  override name = "UnpicklingError";
}

/** A Python callable the allow-list exposes (a class or a function, reached by GLOBAL + REDUCE/NEWOBJ). */
export class PyCallable {
  constructor(
    /** "module.name", for error messages */
    readonly qualname: string,
    readonly call: (args: unknown[]) => unknown,
  ) {}
}

/** A Python dict while it is being unpickled: any hashable key (str, int, float, bool, None, tuple). */
export class PyDict {
  readonly map = new Map<unknown, unknown>();
}

export interface UnpicklerHooks {
  /** The value of GLOBAL `module name` (usually a PyCallable); throws for anything not allowed. */
  findClass(module: string, name: string): unknown;
  /** The object a persistent id (BINPERSID) refers to (PyTorch: a storage). */
  persistentLoad(pid: unknown): unknown;
  /** BUILD: sets state on obj (`obj.__setstate__(state)` / `obj.__dict__.update(state)`). */
  build(obj: unknown, state: unknown): void;
}

const MARK = Symbol("mark");
const TWO_32 = 4294967296;

/** Python int from little-endian two's-complement bytes (LONG1/LONG4): a number when safe, else a bigint. */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return pyInt(v);
}

/** A Python int as JS: a number when it is a safe integer (|v| <= 2^53 - 1), otherwise a bigint. */
export function pyInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * Runs a pickle. Python values come back as: None -> null, bool -> boolean, int -> number (bigint
 * beyond 2^53 - 1), float -> number, str -> string, bytes -> Uint8Array, list -> array, tuple -> frozen
 * array, dict -> PyDict, set/frozenset -> Set; everything else is whatever hooks.findClass returns.
 */
export function unpickle(data: Uint8Array, hooks: UnpicklerHooks, source = "data.pkl"): unknown {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dec = new TextDecoder("utf-8", { fatal: false });
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const eof = (): never => {
    throw new UnpicklingError(`${source} ends unexpectedly (pickle data was truncated)`);
  };
  const need = (k: number) => {
    if (pos + k > data.length) eof();
  };
  const u8 = () => (need(1), data[pos++]!);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    const lo = dv.getUint32(pos, true), hi = dv.getUint32(pos + 4, true);
    pos += 8;
    const v = hi * TWO_32 + lo;
    if (!Number.isSafeInteger(v)) throw new UnpicklingError(`${source}: length ${v} is too large`);
    return v;
  };
  const take = (k: number) => (need(k), (pos += k), data.subarray(pos - k, pos));
  const line = () => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) eof();
    const s = dec.decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new UnpicklingError(`${source}: unpickling stack underflow`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new UnpicklingError(`${source}: unpickling stack underflow`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw new UnpicklingError(`${source}: could not find MARK`);
    stack = prev;
    return items;
  };
  const memoGet = (i: number) => {
    if (!memo.has(i)) throw new UnpicklingError(`Memo value not found at index ${i}`);
    return memo.get(i);
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (items.length % 2) throw new UnpicklingError(`${source}: odd number of items for SETITEMS`);
    for (let i = 0; i < items.length; i += 2) {
      if (target instanceof PyDict || target instanceof Map) {
        const m = target instanceof PyDict ? target.map : target;
        m.set(items[i], items[i + 1]);
      } else throw new UnpicklingError(`${source}: SETITEM on a ${describe(target)}, not a dict`);
    }
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    if (Array.isArray(target) && !Object.isFrozen(target)) target.push(...items);
    else if (target instanceof Set) for (const x of items) target.add(x);
    else throw new UnpicklingError(`${source}: APPEND on a ${describe(target)}, not a list`);
  };
  const call = (fn: unknown, args: unknown) => {
    if (!(fn instanceof PyCallable)) throw new UnpicklingError(`${source}: cannot call a ${describe(fn)}`);
    if (!Array.isArray(args)) throw new UnpicklingError(`${source}: arguments of ${fn.qualname} are not a tuple`);
    return fn.call(args);
  };
  const tuple = (items: unknown[]) => Object.freeze(items);

  for (;;) {
    if (pos >= data.length) eof();
    const op = data[pos++]!;
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw new UnpicklingError(`${source}: unsupported pickle protocol`);
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(dv.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: { // LONG4
        need(4);
        const n = dv.getInt32(pos, true);
        pos += 4;
        if (n < 0) throw new UnpicklingError(`${source}: LONG pickle has negative byte count`);
        stack.push(decodeLong(take(n)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(dec.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(dec.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(dec.decode(take(u64())));
        break;
      case 0x54: // BINSTRING (a Python 2 str: decoded as latin-1, like encoding="latin1")
        stack.push(latin1(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(new Uint8Array(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(new Uint8Array(take(u8())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(new Uint8Array(take(u64())));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x61: { // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x6c: { // LIST
        const items = popMark(); // NOTE: popped before `stack` is read: popMark replaces it
        stack.push(items);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x74: { // TUPLE
        const items = tuple(popMark());
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: { // TUPLE2
        const b = pop(), a = pop();
        stack.push(tuple([a, b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop(), b = pop(), a = pop();
        stack.push(tuple([a, b, c]));
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x64: { // DICT
        const items = popMark();
        const d = new PyDict();
        setItems(d, items);
        stack.push(d);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop(), k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x90: { // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x91: { // FROZENSET
        const items = new Set(popMark());
        stack.push(items);
        break;
      }
      case 0x63: { // GLOBAL
        const module = line(), name = line();
        stack.push(hooks.findClass(module, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== "string" || typeof name !== "string") throw new UnpicklingError(`${source}: STACK_GLOBAL requires str`);
        stack.push(hooks.findClass(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop(), fn = pop();
        stack.push(call(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
        const args = pop(), cls = pop();
        stack.push(call(cls, args));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop(), args = pop(), cls = pop();
        if (!(kwargs instanceof PyDict) || kwargs.map.size) throw new UnpicklingError(`${source}: keyword arguments in NEWOBJ_EX are not supported`);
        stack.push(call(cls, args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        hooks.build(top(), state);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32()));
        break;
      default: {
        const ch = op >= 0x20 && op < 0x7f ? ` ('${String.fromCharCode(op)}')` : "";
        throw new UnpicklingError(`${source}: unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")}${ch} at byte ${pos - 1}`);
      }
    }
  }
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "None";
  if (v instanceof PyCallable) return v.qualname;
  if (v instanceof PyDict) return "dict";
  if (Array.isArray(v)) return Object.isFrozen(v) ? "tuple" : "list";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

// ------------------------------------------------------------------------------------------ writer

/**
 * Emits pickle opcodes into a growing buffer, with a memo (BINPUT/BINGET) keyed by object identity
 * and one for globals. The caller walks its values and decides what each becomes (see
 * serialization/index.ts); this class only knows the byte encodings.
 */
export class PickleWriter {
  private buf = new Uint8Array(1024);
  private len = 0;
  private next = 0;
  private readonly memo = new Map<unknown, number>();
  private readonly globals = new Map<string, number>();
  private readonly enc = new TextEncoder();
  private readonly scratch = new DataView(new ArrayBuffer(8));

  private reserve(k: number): void {
    if (this.len + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + k) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  op(code: number): void {
    this.reserve(1);
    this.buf[this.len++] = code;
  }
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  private u32(v: number): void {
    this.scratch.setUint32(0, v, true);
    this.raw(new Uint8Array(this.scratch.buffer, 0, 4));
  }
  proto(v = 2): void {
    this.op(0x80);
    this.op(v);
  }
  mark(): void {
    this.op(0x28);
  }
  /** Records the value on top of the stack in the memo (BINPUT), under `key` if given. */
  put(key?: unknown): void {
    const i = this.next++;
    if (key !== undefined) this.memo.set(key, i);
    if (i < 256) {
      this.op(0x71);
      this.op(i);
    } else {
      this.op(0x72);
      this.u32(i);
    }
  }
  /** Pushes a memoized value (BINGET) and returns true, or returns false when key is not memoized. */
  get(key: unknown): boolean {
    const i = this.memo.get(key);
    if (i === undefined) return false;
    this.getIndex(i);
    return true;
  }
  private getIndex(i: number): void {
    if (i < 256) {
      this.op(0x68);
      this.op(i);
    } else {
      this.op(0x6a);
      this.u32(i);
    }
  }
  /** GLOBAL `module name` (memoized, as CPython does). */
  global(module: string, name: string): void {
    const k = module + "\n" + name;
    const i = this.globals.get(k);
    if (i !== undefined) return this.getIndex(i);
    this.op(0x63);
    this.raw(this.enc.encode(`${module}\n${name}\n`));
    this.globals.set(k, this.next);
    this.put();
  }
  none(): void {
    this.op(0x4e);
  }
  bool(v: boolean): void {
    this.op(v ? 0x88 : 0x89);
  }
  /** A Python int: BININT1/BININT2/BININT when it fits, LONG1 otherwise (as CPython picks). */
  int(v: number | bigint): void {
    if (typeof v === "number" && !Number.isSafeInteger(v)) throw new RuntimeError(`pickle: ${v} is not a safe integer`);
    if (typeof v === "number" || (v >= -(2n ** 31n) && v < 2n ** 31n)) {
      const n = Number(v);
      if (n >= 0 && n < 256) {
        this.op(0x4b);
        this.op(n);
        return;
      }
      if (n >= 0 && n < 65536) {
        this.op(0x4d);
        this.op(n & 0xff);
        this.op(n >>> 8);
        return;
      }
      if (n >= -2147483648 && n <= 2147483647) {
        this.op(0x4a);
        this.scratch.setInt32(0, n, true);
        this.raw(new Uint8Array(this.scratch.buffer, 0, 4));
        return;
      }
    }
    // LONG1: little-endian two's complement, the fewest bytes that keep the sign
    let b = BigInt(v);
    const bytes: number[] = [];
    for (;;) {
      const byte = Number(b & 0xffn);
      bytes.push(byte);
      b >>= 8n;
      if ((b === 0n && !(byte & 0x80)) || (b === -1n && byte & 0x80)) break;
    }
    if (bytes.length > 255) throw new RuntimeError("pickle: int too large");
    this.op(0x8a);
    this.op(bytes.length);
    this.raw(Uint8Array.from(bytes));
  }
  float(v: number): void {
    this.op(0x47);
    this.scratch.setFloat64(0, v, false);
    this.raw(new Uint8Array(this.scratch.buffer, 0, 8));
  }
  str(s: string): void {
    const b = this.enc.encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.raw(b);
  }
  /** TUPLE1/2/3, EMPTY_TUPLE or MARK...TUPLE around items the callback pushes. */
  tuple(n: number, pushItems: () => void): void {
    if (n === 0) return this.op(0x29);
    if (n > 3) this.mark();
    pushItems();
    this.op(n === 1 ? 0x85 : n === 2 ? 0x86 : n === 3 ? 0x87 : 0x74);
  }
  emptyList(): void {
    this.op(0x5d);
  }
  emptyDict(): void {
    this.op(0x7d);
  }
  /** Pushes items in batches of 1000 (CPython's _BATCHSIZE) between MARK and APPENDS. */
  appends<T>(items: readonly T[], push: (x: T) => void): void {
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length === 1) {
        push(batch[0]!);
        this.op(0x61); // APPEND
      } else {
        this.mark();
        for (const x of batch) push(x);
        this.op(0x65);
      }
    }
  }
  /** Pushes key/value pairs in batches of 1000 between MARK and SETITEMS. */
  setitems<K, V>(items: readonly (readonly [K, V])[], push: (k: K, v: V) => void): void {
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length === 1) {
        push(batch[0]![0], batch[0]![1]);
        this.op(0x73); // SETITEM
      } else {
        this.mark();
        for (const [k, v] of batch) push(k, v);
        this.op(0x75);
      }
    }
  }
  reduce(): void {
    this.op(0x52);
  }
  build(): void {
    this.op(0x62);
  }
  binpersid(): void {
    this.op(0x51);
  }
  /** STOP, and the bytes written. */
  finish(): Uint8Array {
    this.op(0x2e);
    return this.buf.slice(0, this.len);
  }
}
