// A number column's raw values in blocks of 65,536 ids, as roaring keeps its containers: a
// block is an array of every id's raw value, or — when most of its ids hold one value, as most
// customers hold 0 refunded, 0 spent in the last 30 days, no cart adds — that value and the ids
// that differ, sorted, with their values. Raw values are compared as Object.is does, so that a
// float column's -0 is not taken for its 0 and NaN (a float column's "no value") for itself.

/** Raw values as one number column's encoding stores them. */
export type RawArray = Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A raw array of `length` ids, every one holding the encoding's "no value". */
export type RawArrayMaker = (length: number) => RawArray;

/** Tunables; tests shrink the blocks so that small columns span many. */
export const numberBlockSettings = {
  /** Ids per block are 2 to this power; at most 16, as offsets are 16-bit. */
  blockBits: 16,
};

/** Every id's raw value; ids past the column's length hold `missing`. */
export interface DenseBlock {
  kind: 'dense';
  values: RawArray;
}

/** Ids whose raw value differs from `common`: their offsets in the block, ascending, and values (the first `size` of each). */
export interface SparseBlock {
  kind: 'sparse';
  common: number;
  offsets: Uint16Array<ArrayBuffer>;
  values: RawArray;
  size: number;
}

export type NumberBlock = DenseBlock | SparseBlock;

/** A blocked column is kept only when it takes at most this share of the plain array's bytes: it reads a little slower. */
const KEEP_RATIO = 0.8;

/** The position of the first offset ≥ `offset` among the first `size`. */
function lowerBound(offsets: Uint16Array, size: number, offset: number): number {
  let low = 0;
  let high = size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((offsets[middle] as number) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The value most of `values` hold, when one does (a majority vote), else the first. */
function majority(values: RawArray): number {
  let candidate = values[0] as number;
  let votes = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (votes === 0) {
      candidate = value;
      votes = 1;
    } else if (Object.is(value, candidate)) votes++;
    else votes--;
  }
  return candidate;
}

export class BlockedNumbers {
  /** Ids per block. */
  readonly blockIds: number;
  private readonly offsetMask: number;

  private constructor(
    /** Ids per block are 2 to this power. */
    readonly blockBits: number,
    readonly blocks: NumberBlock[],
    /** Ids the column holds; raw values of later ids are `missing`. */
    public length: number,
    readonly missing: number,
    private readonly make: RawArrayMaker,
  ) {
    this.blockIds = 1 << blockBits;
    this.offsetMask = this.blockIds - 1;
  }

  /** Blocks read from a snapshot. */
  static of(blockBits: number, blocks: NumberBlock[], length: number, missing: number, make: RawArrayMaker): BlockedNumbers {
    return new BlockedNumbers(blockBits, blocks, length, missing, make);
  }

  /**
   * `values` in blocks, each sparse where that saves memory; undefined when the whole would not
   * save enough to be worth the slower reads against `arrayBytes`, what the column takes
   * without blocks (`values` itself, unless its layout is narrower than the blocks' arrays).
   */
  static compact(values: RawArray, missing: number, make: RawArrayMaker, arrayBytes = values.byteLength): BlockedNumbers | undefined {
    const blockBits = numberBlockSettings.blockBits;
    const blockIds = 1 << blockBits;
    const width = values.BYTES_PER_ELEMENT;
    const blocks: NumberBlock[] = [];
    let bytes = 0;
    for (let base = 0; base < values.length; base += blockIds) {
      const slice = values.subarray(base, Math.min(base + blockIds, values.length));
      const common = majority(slice);
      let differing = 0;
      for (let i = 0; i < slice.length; i++) if (!Object.is(slice[i], common)) differing++;
      if (differing * (2 + width) <= blockIds * width * KEEP_RATIO) {
        const offsets = new Uint16Array(differing);
        const kept = make(differing);
        let n = 0;
        for (let i = 0; i < slice.length; i++) {
          const value = slice[i] as number;
          if (Object.is(value, common)) continue;
          offsets[n] = i;
          kept[n++] = value;
        }
        blocks.push({ kind: 'sparse', common, offsets, values: kept, size: n });
        bytes += differing * (2 + width);
      } else {
        const block = make(blockIds);
        block.set(slice);
        blocks.push({ kind: 'dense', values: block });
        bytes += blockIds * width;
      }
    }
    return bytes <= arrayBytes * KEEP_RATIO ? new BlockedNumbers(blockBits, blocks, values.length, missing, make) : undefined;
  }

  /** The raw value of `id`. */
  raw(id: number): number {
    if (id >= this.length) return this.missing;
    const block = this.blocks[id >>> this.blockBits] as NumberBlock;
    if (block.kind === 'dense') return block.values[id & this.offsetMask] as number;
    const offset = id & this.offsetMask;
    const at = lowerBound(block.offsets, block.size, offset);
    return at < block.size && block.offsets[at] === offset ? (block.values[at] as number) : block.common;
  }

  /** Stores `raw` for `id`, growing the column when `id` is past its end. */
  set(id: number, raw: number): void {
    if (id >= this.length) {
      if (Object.is(raw, this.missing)) return;
      this.grow(id + 1);
    }
    this.put(id, raw);
  }

  private grow(length: number): void {
    // Ids between the old end and the new one have no value; in the last block they would
    // otherwise read as its common value.
    const last = this.blocks[this.blocks.length - 1];
    if (last) {
      const end = Math.min(this.blocks.length * this.blockIds, length - 1);
      if (last.kind === 'sparse' && !Object.is(last.common, this.missing)) for (let id = this.length; id < end; id++) this.put(id, this.missing);
    }
    while (this.blocks.length * this.blockIds < length) this.blocks.push({ kind: 'sparse', common: this.missing, offsets: new Uint16Array(0), values: this.make(0), size: 0 });
    this.length = length;
  }

  private put(id: number, raw: number): void {
    const index = id >>> this.blockBits;
    const block = this.blocks[index] as NumberBlock;
    const offset = id & this.offsetMask;
    if (block.kind === 'dense') {
      block.values[offset] = raw;
      return;
    }
    const at = lowerBound(block.offsets, block.size, offset);
    const held = at < block.size && block.offsets[at] === offset;
    if (Object.is(raw, block.common)) {
      if (!held) return;
      block.offsets.copyWithin(at, at + 1, block.size);
      block.values.copyWithin(at, at + 1, block.size);
      block.size--;
      return;
    }
    if (held) {
      block.values[at] = raw;
      return;
    }
    const width = block.values.BYTES_PER_ELEMENT;
    if ((block.size + 1) * (2 + width) > this.blockIds * width) {
      const dense = this.toDense(index, block);
      dense.values[offset] = raw;
      return;
    }
    if (block.size === block.offsets.length) {
      const capacity = Math.min(this.blockIds, Math.max(16, Math.ceil(block.size * 1.5)));
      const offsets = new Uint16Array(capacity);
      offsets.set(block.offsets.subarray(0, block.size));
      const values = this.make(capacity);
      values.set(block.values.subarray(0, block.size));
      block.offsets = offsets;
      block.values = values;
    }
    block.offsets.copyWithin(at + 1, at, block.size);
    block.values.copyWithin(at + 1, at, block.size);
    block.offsets[at] = offset;
    block.values[at] = raw;
    block.size++;
  }

  private toDense(index: number, block: SparseBlock): DenseBlock {
    const values = this.make(this.blockIds);
    // Ids at or past the column's end keep `missing`, which make() filled in.
    values.fill(block.common, 0, Math.max(0, Math.min(this.blockIds, this.length - index * this.blockIds)));
    for (let i = 0; i < block.size; i++) values[block.offsets[i] as number] = block.values[i] as number;
    const dense: DenseBlock = { kind: 'dense', values };
    this.blocks[index] = dense;
    return dense;
  }

  /** The raw values of `ids` into `out`; a run of ascending ids in one block is read by one walk of it. */
  rawOf(ids: Uint32Array, out: Float64Array): void {
    const count = ids.length;
    const { length, missing, blockBits, blockIds } = this;
    let i = 0;
    while (i < count) {
      const first = ids[i] as number;
      if (first >= length) {
        out[i++] = missing;
        continue;
      }
      const index = first >>> blockBits;
      const base = index << blockBits;
      const end = Math.min(base + blockIds, length);
      const block = this.blocks[index] as NumberBlock;
      if (block.kind === 'dense') {
        const values = block.values;
        for (; i < count; i++) {
          const id = ids[i] as number;
          if (id < base || id >= end) break;
          out[i] = values[id - base] as number;
        }
        continue;
      }
      const { offsets, values, size, common } = block;
      let cursor = lowerBound(offsets, size, first - base);
      let previous = first;
      for (; i < count; i++) {
        const id = ids[i] as number;
        if (id < previous || id >= end) break;
        previous = id;
        const offset = id - base;
        while (cursor < size && (offsets[cursor] as number) < offset) cursor++;
        out[i] = cursor < size && offsets[cursor] === offset ? (values[cursor] as number) : common;
      }
    }
  }

  /** The sum of the raw values of `ids`, ascending, none of them `missing`: `rawOf`'s walk without an array. */
  sumOf(ids: Uint32Array): number {
    const count = ids.length;
    const { blockBits, blockIds } = this;
    let sum = 0;
    let i = 0;
    while (i < count) {
      const first = ids[i] as number;
      const index = first >>> blockBits;
      const base = index << blockBits;
      const end = base + blockIds;
      const block = this.blocks[index] as NumberBlock;
      if (block.kind === 'dense') {
        const values = block.values;
        for (; i < count; i++) {
          const id = ids[i] as number;
          if (id >= end) break;
          sum += values[id - base] as number;
        }
        continue;
      }
      const { offsets, values, size, common } = block;
      let cursor = 0;
      for (; i < count; i++) {
        const id = ids[i] as number;
        if (id >= end) break;
        const offset = id - base;
        while (cursor < size && (offsets[cursor] as number) < offset) cursor++;
        sum += cursor < size && offsets[cursor] === offset ? (values[cursor] as number) : common;
      }
    }
    return sum;
  }

  /**
   * Every id whose raw value passes `accept`, ascending, into `out` from 0; returns how many.
   * A sparse block's common value is tested once for all the ids that hold it.
   */
  scan(accept: (raw: number) => boolean, out: Uint32Array): number {
    let n = 0;
    for (let index = 0; index < this.blocks.length; index++) {
      const block = this.blocks[index] as NumberBlock;
      const base = index * this.blockIds;
      const limit = Math.min(this.blockIds, this.length - base);
      if (block.kind === 'dense') {
        const { values } = block;
        for (let i = 0; i < limit; i++) if (accept(values[i] as number)) out[n++] = base + i;
        continue;
      }
      const { offsets, values, size } = block;
      if (accept(block.common)) {
        let cursor = 0;
        for (let i = 0; i < limit; i++) {
          if (cursor < size && offsets[cursor] === i) {
            if (accept(values[cursor] as number)) out[n++] = base + i;
            cursor++;
          } else out[n++] = base + i;
        }
      } else {
        for (let at = 0; at < size; at++) {
          const offset = offsets[at] as number;
          if (offset >= limit) break;
          if (accept(values[at] as number)) out[n++] = base + offset;
        }
      }
    }
    return n;
  }

  /** True when every raw value held, common ones included, passes `test`. */
  every(test: (raw: number) => boolean): boolean {
    for (const block of this.blocks) {
      if (block.kind === 'sparse' && !test(block.common)) return false;
      const values = block.kind === 'dense' ? block.values : block.values.subarray(0, block.size);
      for (let i = 0; i < values.length; i++) if (!test(values[i] as number)) return false;
    }
    return true;
  }

  /** The same values in another encoding: `convert` maps each raw value, `missing` included. */
  reencode(make: RawArrayMaker, missing: number, convert: (raw: number) => number): BlockedNumbers {
    const blocks = this.blocks.map((block): NumberBlock => {
      const values = make(block.kind === 'dense' ? this.blockIds : block.size);
      const from = block.kind === 'dense' ? block.values : block.values.subarray(0, block.size);
      for (let i = 0; i < from.length; i++) values[i] = convert(from[i] as number);
      return block.kind === 'dense' ? { kind: 'dense', values } : { kind: 'sparse', common: convert(block.common), offsets: block.offsets.slice(0, block.size), values, size: block.size };
    });
    return new BlockedNumbers(this.blockBits, blocks, this.length, missing, make);
  }

  bytes(): number {
    let total = 0;
    for (const block of this.blocks) total += block.values.byteLength + (block.kind === 'sparse' ? block.offsets.byteLength : 0);
    return total;
  }
}
