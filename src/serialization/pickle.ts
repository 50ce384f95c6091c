// Python's pickle format: a safe unpickler (no code runs: every global goes through an allow-list
// the caller supplies) and a writer of the protocol-2 opcodes that `torch.save` emits.
// Browser-safe: no Node imports.
//
// NOTE: the opcodes are those of CPython's Lib/pickle.py (protocols 0-5, see Lib/pickletools.py for
// their documentation). The unpickler understands protocols 1-5 (what any `torch.save` writes, with
// or without `pickle_protocol=`), including the text opcodes protocol 1 still uses for bools and
// big ints (`I01\n`, `L...L\n`). Errors carry CPython's words ("Memo value not found at index 5",
// "pickle data was truncated", "unpickling stack underflow").
//
// NOTE: hostile input. The unpickler is a loop over a heap-allocated stack, never recursive, so
// nesting depth costs memory, not JS stack; every opcode's work is linear in its argument's length
// (LONG1/LONG4 are decoded through a hex string, not a byte-by-byte bigint shift, which is quadratic)
// and every length is checked against the bytes left before anything is allocated, so the total
// work and memory are linear in the pickle's size.

import { EOFError, OverflowError, RuntimeError, UnpicklingError, ValueError } from "../errors.js";

export { UnpicklingError } from "../errors.js";

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
  /** The object a persistent id (BINPERSID) refers to (PyTorch: a storage); without it, such a pickle is refused. */
  persistentLoad?: (pid: unknown) => unknown;
  /** BUILD: sets state on obj (`obj.__setstate__(state)` / `obj.__dict__.update(state)`). */
  build(obj: unknown, state: unknown): void;
}

const TWO_32 = 4294967296;
const HEX_DIGITS = /* @__PURE__ */ new TextEncoder().encode("0123456789abcdef");

/**
 * Python int from little-endian two's-complement bytes (LONG1/LONG4): a number when safe, else a bigint.
 * NOTE: linear in the length: the bytes become one hex string that BigInt parses in linear time
 * for a power-of-two radix. Shifting a bigint by 8 bits per byte would copy it each time
 * (quadratic: a 1 MB integer took over 30 s).
 */
export function decodeLong(b: Uint8Array): number | bigint {
  const n = b.length;
  if (n === 0) return 0;
  if (n <= 6) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i]!;
    if (b[n - 1]! & 0x80) v -= 2 ** (8 * n);
    return v;
  }
  const chars = new Uint8Array(2 * n + 2);
  chars[0] = 0x30; // "0x"
  chars[1] = 0x78;
  for (let i = 0, j = 2; i < n; i++, j += 2) {
    const byte = b[n - 1 - i]!;
    chars[j] = HEX_DIGITS[byte >> 4]!;
    chars[j + 1] = HEX_DIGITS[byte & 15]!;
  }
  let v = BigInt(new TextDecoder().decode(chars));
  if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
  return pyInt(v);
}

/** Little-endian two's-complement bytes of a Python int, the fewest that keep the sign (as CPython's encode_long). */
export function encodeLong(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  // NOTE: linear, through a hex string, as decodeLong
  const neg = v < 0n;
  let bits = (neg ? -v - 1n : v).toString(2).length; // magnitude bits (of ~v for negatives)
  if ((neg ? -v - 1n : v) === 0n) bits = 0;
  const n = Math.floor(bits / 8) + 1; // one sign bit more
  const u = neg ? (1n << BigInt(8 * n)) + v : v;
  const hex = u.toString(16).padStart(2 * n, "0");
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = parseInt(hex.slice(2 * (n - 1 - i), 2 * (n - i)), 16);
  return out;
}

/** A Python int as JS: a number when it is a safe integer (|v| <= 2^53 - 1), otherwise a bigint. */
export function pyInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Python's int(s) for the text opcodes (INT, LONG): decimal digits with an optional sign. */
function parseTextInt(s: string, source: string): number | bigint {
  const t = s.trim().replace(/_/g, "");
  if (!/^[+-]?[0-9]+$/.test(t)) throw new UnpicklingError(`${source}: could not convert string to int: '${s.slice(0, 40)}'`);
  return pyInt(BigInt(t));
}

/** Python's repr of a str argument of STRING ('...' or "...", with backslash escapes), decoded. */
function parseQuoted(s: string, source: string): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) throw new UnpicklingError("the STRING opcode argument must be quoted");
  const body = s.slice(1, -1);
  const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0" };
  return body.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    const r = esc[e];
    if (r === undefined) throw new UnpicklingError(`${source}: invalid escape ${m} in a STRING opcode`);
    return r;
  });
}

/** Python's raw-unicode-escape decoding (the UNICODE opcode of protocol 0): \uXXXX and \UXXXXXXXX only. */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4: string | undefined, u8: string | undefined) => {
    const cp = parseInt((u4 ?? u8)!, 16);
    if (cp > 0x10ffff) throw new UnpicklingError("invalid \\U escape in a UNICODE opcode");
    return String.fromCodePoint(cp);
  });
}

/** What one pickle gave, and where it ended (the byte after its STOP). */
export interface UnpickleResult {
  value: unknown;
  end: number;
}

/**
 * Runs a pickle. Python values come back as: None -> null, bool -> boolean, int -> number (bigint
 * beyond 2^53 - 1), float -> number, str -> string, bytes -> Uint8Array, list -> array, tuple -> frozen
 * array, dict -> PyDict, set/frozenset -> Set; everything else is whatever hooks.findClass returns.
 */
export function unpickle(data: Uint8Array, hooks: UnpicklerHooks, source = "data.pkl"): unknown {
  return unpickleAt(data, 0, hooks, source).value;
}

/** Runs the pickle that starts at byte `start` of data (files that hold several pickles one after another). */
export function unpickleAt(data: Uint8Array, start: number, hooks: UnpicklerHooks, source = "data.pkl"): UnpickleResult {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dec = new TextDecoder("utf-8", { fatal: false });
  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  // NOTE: CPython's words: a pickle that ends between opcodes "Ran out of input" (EOFError), one
  // that ends inside an opcode's argument "pickle data was truncated".
  const truncated = (): never => {
    throw new UnpicklingError("pickle data was truncated");
  };
  const need = (k: number) => {
    if (k > data.length - pos) truncated();
  };
  const u8 = () => (need(1), data[pos++]!);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  /** An 8-byte length (CPython refuses one beyond PY_SSIZE_T_MAX with an OverflowError, in its words). */
  const u64 = (what: string) => {
    need(8);
    const lo = dv.getUint32(pos, true), hi = dv.getUint32(pos + 4, true);
    pos += 8;
    if (hi >= 0x80000000) throw new OverflowError(`${what} exceeds system's maximum size of 9223372036854775807 bytes`);
    // NOTE: any length beyond the bytes left fails in take() below; the same error for one beyond 2^53
    const v = hi * TWO_32 + lo;
    return Number.isSafeInteger(v) ? v : Number.MAX_SAFE_INTEGER;
  };
  const take = (k: number) => (need(k), (pos += k), data.subarray(pos - k, pos));
  const line = () => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) truncated();
    const s = latin1(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  // CPython's Pdata_stack_underflow: popping below the last MARK is "unexpected MARK found"
  const underflow = (): never => {
    throw new UnpicklingError(metastack.length ? "unexpected MARK found" : "unpickling stack underflow");
  };
  const pop = (): unknown => {
    if (stack.length === 0) underflow();
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) underflow();
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw new UnpicklingError("could not find MARK");
    stack = prev;
    return items;
  };
  const memoGet = (i: number) => {
    if (!memo.has(i)) throw new UnpicklingError(`Memo value not found at index ${i}`);
    return memo.get(i);
  };
  const memoPut = (i: number) => {
    memo.set(i, top());
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (items.length % 2) throw new UnpicklingError("odd number of items for SETITEMS");
    // NOTE: a PyDict, or the Map an allow-listed OrderedDict() gave
    const m = target instanceof PyDict ? target.map : target instanceof Map ? target : null;
    if (!m) throw new UnpicklingError(`${source}: SETITEM on a ${describe(target)}, not a dict`);
    for (let i = 0; i < items.length; i += 2) m.set(items[i], items[i + 1]);
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    // NOTE: a loop, not push(...items): spreading a million items into arguments overflows the stack
    if (Array.isArray(target) && !Object.isFrozen(target)) for (let i = 0; i < items.length; i++) target.push(items[i]);
    else throw new UnpicklingError(`${source}: APPEND on a ${describe(target)}, not a list`);
  };
  const addItems = (target: unknown, items: unknown[]) => {
    if (target instanceof Set) for (let i = 0; i < items.length; i++) target.add(items[i]);
    else throw new UnpicklingError(`${source}: ADDITEMS on a ${describe(target)}, not a set`);
  };
  const call = (fn: unknown, args: unknown) => {
    if (!(fn instanceof PyCallable)) throw new UnpicklingError(`${source}: cannot call a ${describe(fn)}`);
    if (!Array.isArray(args)) throw new UnpicklingError(`${source}: arguments of ${fn.qualname} are not a tuple`);
    return fn.call(args);
  };
  const tuple = (items: unknown[]) => Object.freeze(items);
  const persistentLoad = () => {
    if (!hooks.persistentLoad) throw new UnpicklingError("A load persistent id instruction was encountered,\nbut no persistent_load function was specified.");
    return hooks.persistentLoad;
  };

  for (;;) {
    if (pos >= data.length) throw new EOFError("Ran out of input");
    const op = data[pos++]!;
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v > 5) throw new ValueError(`unsupported pickle protocol: ${v}`);
        break;
      }
      case 0x95: { // FRAME: the frame must fit in what is left (the data is all in memory: nothing else to do)
        const n = u64("FRAME length");
        if (n > data.length - pos) truncated();
        break;
      }
      case 0x2e: // STOP
        return { value: pop(), end: pos };
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
      case 0x49: { // INT (text; protocol 1 writes bools as I01 / I00)
        const s = line();
        stack.push(s === "01" ? true : s === "00" ? false : parseTextInt(s, source));
        break;
      }
      case 0x4c: { // LONG (text: "123L")
        const s = line();
        stack.push(parseTextInt(s.endsWith("L") ? s.slice(0, -1) : s, source));
        break;
      }
      case 0x46: { // FLOAT (text)
        const s = line().trim();
        const v = /^[+-]?(inf|infinity)$/i.test(s) ? (s[0] === "-" ? -Infinity : Infinity) : /^[+-]?nan$/i.test(s) ? NaN : Number(s);
        if (s === "" || (Number.isNaN(v) && !/nan/i.test(s))) throw new UnpicklingError(`${source}: could not convert string to float: '${s.slice(0, 40)}'`);
        stack.push(v);
        break;
      }
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: { // LONG4
        need(4);
        const n = dv.getInt32(pos, true);
        pos += 4;
        if (n < 0) throw new UnpicklingError("LONG pickle has negative byte count");
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
        stack.push(dec.decode(take(u64("BINUNICODE"))));
        break;
      case 0x56: // UNICODE (text, raw-unicode-escape)
        stack.push(rawUnicodeEscape(dec.decode(latin1Bytes(line()))));
        break;
      case 0x53: // STRING (text, a Python 2 str as its repr; decoded as latin-1)
        stack.push(parseQuoted(line().trimEnd(), source));
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
        stack.push(new Uint8Array(take(u64("BINBYTES"))));
        break;
      case 0x96: // BYTEARRAY8
        stack.push(new Uint8Array(take(u64("BYTEARRAY8"))));
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
        addItems(top(), items);
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
        if (typeof module !== "string" || typeof name !== "string") throw new UnpicklingError("STACK_GLOBAL requires str");
        stack.push(hooks.findClass(module, name));
        break;
      }
      case 0x69: { // INST (protocol 0/1: module\nname\n, then the MARKed arguments)
        const module = line(), name = line();
        const args = popMark();
        stack.push(call(hooks.findClass(module, name), tuple(args)));
        break;
      }
      case 0x6f: { // OBJ (protocol 1: MARK cls args... OBJ)
        const items = popMark();
        if (items.length === 0) underflow();
        stack.push(call(items[0], tuple(items.slice(1))));
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
        stack.push(persistentLoad()(pop()));
        break;
      case 0x50: // PERSID (protocol 0: a str id; PyTorch's ids are tuples, so its loader refuses it too)
        stack.push(persistentLoad()(line()));
        break;
      case 0x71: // BINPUT
        memoPut(u8());
        break;
      case 0x72: // LONG_BINPUT
        memoPut(u32());
        break;
      case 0x70: // PUT (text)
        memoPut(Number(parseTextInt(line(), source)));
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size);
        break;
      case 0x68: // BINGET
        stack.push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32()));
        break;
      case 0x67: // GET (text)
        stack.push(memoGet(Number(parseTextInt(line(), source))));
        break;
      default: {
        // CPython's words for an opcode it does not know
        const printable = op >= 0x20 && op <= 0x7e && op !== 0x27 && op !== 0x5c;
        throw new UnpicklingError(`invalid load key, '${printable ? String.fromCharCode(op) : "\\x" + op.toString(16).padStart(2, "0")}'.`);
      }
    }
  }
}

function latin1(b: Uint8Array): string {
  // NOTE: in chunks: String.fromCharCode(...b) of a large array would overflow the stack
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 8192)));
  return s;
}
function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "None";
  if (v instanceof PyCallable) return v.qualname;
  if (v instanceof PyDict) return "dict";
  if (Array.isArray(v)) return Object.isFrozen(v) ? "tuple" : "list";
  if (typeof v === "object") {
    const c = Object.getPrototypeOf(v)?.constructor;
    return typeof c === "function" && typeof c.name === "string" ? c.name : "object";
  }
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
    // LONG1 (LONG4 beyond 255 bytes): little-endian two's complement, the fewest bytes that keep the sign
    const bytes = encodeLong(BigInt(v));
    if (bytes.length < 256) {
      this.op(0x8a);
      this.op(bytes.length);
    } else {
      this.op(0x8b);
      this.u32(bytes.length);
    }
    this.raw(bytes);
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
