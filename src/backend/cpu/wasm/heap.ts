// The blocks of the kernels' shared memory that outlive a kernel call: the storage of long-lived
// tensors (parameters, their gradients, optimizer state), handed out by ./index.ts's arenaArray.
// A first-fit free list over [base, top), coalesced on release; whatever the memory holds above
// `top` is the kernels' scratch for one call. Pure bookkeeping, no memory of its own.

/** Block sizes and addresses are multiples of this many bytes (a cache line). */
export const BLOCK_ALIGN = 64;

export class BlockHeap {
  /** The end of the highest block in use (base when none). */
  top: number;
  /** Free blocks below top, by address, none adjacent to another (they are merged). */
  private readonly freeAt: number[] = [];
  private readonly freeSize: number[] = [];
  /** Bytes in blocks in use. */
  used = 0;

  constructor(readonly base: number, readonly limit: number) {
    if (base % BLOCK_ALIGN !== 0) throw new Error("BlockHeap: unaligned base");
    this.top = base;
  }

  /**
   * A block of at least `bytes` bytes: its address, or -1 when none is free and `grow` is false or
   * the heap would pass its limit. The block's contents are whatever it last held.
   */
  alloc(bytes: number, grow: boolean): number {
    const size = Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);
    const fa = this.freeAt, fs = this.freeSize;
    for (let i = 0; i < fa.length; i++) {
      if (fs[i]! < size) continue;
      const at = fa[i]!;
      if (fs[i] === size) {
        fa.splice(i, 1);
        fs.splice(i, 1);
      } else {
        fa[i] = at + size;
        fs[i] = fs[i]! - size;
      }
      this.used += size;
      return at;
    }
    if (!grow || this.top + size > this.limit) return -1;
    const at = this.top;
    this.top += size;
    this.used += size;
    return at;
  }

  /** Gives back the block at `at` that alloc(bytes) returned. */
  release(at: number, bytes: number): void {
    const size = Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);
    this.used -= size;
    const fa = this.freeAt, fs = this.freeSize;
    let i = 0;
    while (i < fa.length && fa[i]! < at) i++;
    let start = at, len = size;
    // merge with the free block before and the one after
    if (i > 0 && fa[i - 1]! + fs[i - 1]! === start) {
      i--;
      start = fa[i]!;
      len += fs[i]!;
      fa.splice(i, 1);
      fs.splice(i, 1);
    }
    if (i < fa.length && start + len === fa[i]) {
      len += fs[i]!;
      fa.splice(i, 1);
      fs.splice(i, 1);
    }
    if (start + len === this.top) this.top = start; // the scratch above may start lower again
    else {
      fa.splice(i, 0, start);
      fs.splice(i, 0, len);
    }
  }

  /** The free blocks as [address, bytes] pairs (for tests). */
  freeBlocks(): [number, number][] {
    return this.freeAt.map((a, i) => [a, this.freeSize[i]!]);
  }
}
