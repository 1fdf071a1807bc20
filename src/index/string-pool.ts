// The values of a dictionary with many distinct strings (customer ids, birthdays) as bytes
// instead of one JavaScript string each: one buffer, an offset per value and the values'
// order as a permutation, which answers lookups, ranges and sorting without a string object
// or a map entry per value.
//
// The bytes are CESU-8: every UTF-16 code unit is encoded on its own, the way UTF-8 encodes a
// code point. Comparing the bytes then orders values exactly as JavaScript's `<` does (by code
// units; UTF-8 would put U+FF01 before an emoji), and lone surrogates survive.

/** Values added past this share of the sorted ones are merged into them: a lookup of a sorted value searches them all. */
const MERGE_SHARE = 64;
const MIN_MERGE = 1024;

/** Hash of `bytes[start, end)`, for the table of values added since the last merge. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash;
}

export class StringPool {
  private data: Uint8Array = new Uint8Array(0);
  private used = 0;
  /** Value `code` is `data[starts[code] .. starts[code + 1])`. */
  private starts: Uint32Array = new Uint32Array(16);
  private count = 0;
  /** The codes below `sorted.length`, in value order. */
  private sorted: Uint32Array = new Uint32Array(0);
  /**
   * Codes from `sorted.length` on, added since the last merge, by the hash of their bytes
   * (open addressing, code + 1 per entry, 0 for none). A table of numbers rather than a map of
   * strings: a build adds a million values (customer ids) before it merges, and a string and
   * a map entry each were much of its time and of the garbage collector's.
   */
  private recent = new Int32Array(0);
  private scratch = new Uint8Array(64);

  get size(): number {
    return this.count;
  }

  value(code: number): string {
    return decode(this.data, this.starts[code] ?? 0, this.starts[code + 1] ?? 0);
  }

  /** The code of `value`, or -1. */
  codeOf(value: string): number {
    const end = this.encodeScratch(value);
    const recent = this.findRecent(this.scratch, 0, end);
    if (recent >= 0 || this.sorted.length === 0) return recent;
    const at = this.search(end, false);
    const code = this.sorted[at];
    if (code === undefined) return -1;
    return this.compareTo(code, end) === 0 ? code : -1;
  }

  /** Adds a value not in the pool yet and returns its code. */
  add(value: string): number {
    const code = this.count;
    const needed = this.used + value.length * 3;
    if (needed > this.data.length) this.data = grown(this.data, needed);
    this.used = encodeInto(value, this.data, this.used);
    if (code + 2 > this.starts.length) this.starts = grown(this.starts, code + 2);
    this.starts[code + 1] = this.used;
    this.count++;
    this.addRecent(code);
    return code;
  }

  /** Values added since the last merge. */
  private get recentCount(): number {
    return this.count - this.sorted.length;
  }

  /** The code among those added since the last merge whose bytes are `bytes[start, end)`, or -1. */
  private findRecent(bytes: Uint8Array, start: number, end: number): number {
    const table = this.recent;
    if (table.length === 0) return -1;
    const mask = table.length - 1;
    for (let at = hashBytes(bytes, start, end) & mask; ; at = (at + 1) & mask) {
      const entry = table[at] as number;
      if (entry === 0) return -1;
      const code = entry - 1;
      if (compareBytes(this.data, this.starts[code] as number, this.starts[code + 1] as number, bytes, start, end) === 0) return code;
    }
  }

  private addRecent(code: number): void {
    // At most half full, so that a probe ends soon.
    if (2 * this.recentCount > this.recent.length) this.indexRecent();
    else this.placeRecent(code);
  }

  /** A new table of every code added since the last merge. */
  private indexRecent(): void {
    let length = 64;
    while (length < 4 * this.recentCount) length *= 2;
    this.recent = new Int32Array(length);
    for (let code = this.sorted.length; code < this.count; code++) this.placeRecent(code);
  }

  private placeRecent(code: number): void {
    const table = this.recent;
    const mask = table.length - 1;
    let at = hashBytes(this.data, this.starts[code] as number, this.starts[code + 1] as number) & mask;
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = code + 1;
  }

  /** True when enough values were added since the last merge that lookups should stop walking a map. */
  mergeDue(): boolean {
    return this.recentCount > Math.max(MIN_MERGE, this.sorted.length / MERGE_SHARE);
  }

  /** Puts the values added since the last merge into `sorted`. */
  merge(): void {
    if (this.recentCount === 0) return;
    const added = new Uint32Array(this.recentCount);
    let ordered = true;
    for (let i = 0; i < added.length; i++) {
      added[i] = this.sorted.length + i;
      // Values often arrive in order (customer ids): then there is nothing to sort.
      if (i > 0 && ordered && this.compareCodes(added[i - 1] as number, added[i] as number) > 0) ordered = false;
    }
    if (!ordered) added.sort((left, right) => this.compareCodes(left, right));
    const old = this.sorted;
    const merged = new Uint32Array(old.length + added.length);
    let from = 0;
    let at = 0;
    for (const code of added) {
      // The first sorted value not below this one, searched from where the last one went.
      let low = from;
      let high = old.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.compareCodes(old[middle] as number, code) < 0) low = middle + 1;
        else high = middle;
      }
      merged.set(old.subarray(from, low), at);
      at += low - from;
      merged[at++] = code;
      from = low;
    }
    merged.set(old.subarray(from), at);
    this.sorted = merged;
    this.recent = new Int32Array(0);
  }

  /** Every code in value order. */
  order(): Uint32Array {
    this.merge();
    return this.sorted;
  }

  /** Positions in `order()` of the values equal to `value`: `[first not below, first above)`. */
  range(value: string): [number, number] {
    this.merge();
    const end = this.encodeScratch(value);
    return [this.search(end, false), this.search(end, true)];
  }

  /** Gives back the room kept for growth (after a full build). */
  trim(): void {
    this.data = this.data.slice(0, this.used);
    this.starts = this.starts.slice(0, this.count + 1);
    this.scratch = new Uint8Array(64);
  }

  bytes(): number {
    return this.data.byteLength + this.starts.byteLength + this.sorted.byteLength + this.scratch.byteLength + this.recent.byteLength;
  }

  /**
   * A pool of only the values `held` marks (one flag per code), renumbered in code order: their
   * bytes copied and the value order filtered, with no value decoded, hashed or compared.
   */
  keeping(held: Uint8Array): StringPool {
    this.merge();
    const pool = new StringPool();
    const remap = new Int32Array(this.count).fill(-1);
    let count = 0;
    let used = 0;
    for (let code = 0; code < this.count; code++) {
      if (held[code] !== 1) continue;
      remap[code] = count++;
      used += (this.starts[code + 1] as number) - (this.starts[code] as number);
    }
    const data = new Uint8Array(used);
    const starts = new Uint32Array(count + 1);
    let at = 0;
    for (let code = 0; code < this.count; code++) {
      const to = remap[code] as number;
      if (to < 0) continue;
      const [from, end] = [this.starts[code] as number, this.starts[code + 1] as number];
      data.set(this.data.subarray(from, end), at);
      at += end - from;
      starts[to + 1] = at;
    }
    const sorted = new Uint32Array(count);
    let next = 0;
    for (const code of this.sorted) {
      const to = remap[code] as number;
      if (to >= 0) sorted[next++] = to;
    }
    pool.data = data;
    pool.used = used;
    pool.starts = starts;
    pool.count = count;
    pool.sorted = sorted;
    return pool;
  }

  /** What a snapshot stores: the bytes, the offsets (one more than the values) and the sorted codes. */
  parts(): { data: Uint8Array; starts: Uint32Array; sorted: Uint32Array } {
    return { data: this.data.subarray(0, this.used), starts: this.starts.subarray(0, this.count + 1), sorted: this.sorted };
  }

  /** A pool from `parts()`; undefined when they do not describe one (offsets out of order, codes not a sorted permutation). */
  static fromParts(data: Uint8Array, starts: Uint32Array, sorted: Uint32Array): StringPool | undefined {
    const count = starts.length - 1;
    if (count < 0 || starts[0] !== 0 || starts[count] !== data.length || sorted.length > count) return undefined;
    for (let code = 0; code < count; code++) if ((starts[code] as number) > (starts[code + 1] as number)) return undefined;
    const pool = new StringPool();
    pool.data = data;
    pool.used = data.length;
    pool.starts = starts;
    pool.count = count;
    pool.sorted = sorted;
    const seen = new Uint8Array(sorted.length);
    for (let at = 0; at < sorted.length; at++) {
      const code = sorted[at] as number;
      if (code >= sorted.length || seen[code] === 1) return undefined;
      seen[code] = 1;
      if (at > 0 && pool.compareCodes(sorted[at - 1] as number, code) > 0) return undefined;
    }
    if (pool.recentCount > 0) pool.indexRecent();
    return pool;
  }

  /** Encodes `value` into `scratch`; returns where it ends. */
  private encodeScratch(value: string): number {
    if (value.length * 3 > this.scratch.length) this.scratch = new Uint8Array(value.length * 3);
    return encodeInto(value, this.scratch, 0);
  }

  /** The first position in `sorted` whose value is above the scratch value (`after`) or not below it. */
  private search(end: number, after: boolean): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const sign = this.compareTo(this.sorted[middle] as number, end);
      if (sign < 0 || (after && sign === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compareTo(code: number, end: number): number {
    return compareBytes(this.data, this.starts[code] as number, this.starts[code + 1] as number, this.scratch, 0, end);
  }

  private compareCodes(left: number, right: number): number {
    return compareBytes(this.data, this.starts[left] as number, this.starts[left + 1] as number, this.data, this.starts[right] as number, this.starts[right + 1] as number);
  }
}

function grown<A extends Uint8Array | Uint32Array>(array: A, needed: number): A {
  const length = Math.max(needed, Math.ceil(array.length * 1.5), 16);
  const out = (array instanceof Uint8Array ? new Uint8Array(length) : new Uint32Array(length)) as A;
  out.set(array);
  return out;
}

/** `value` as CESU-8: unlike UTF-8, it reads back exactly, lone surrogates included. */
export function encodeText(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 3);
  return out.subarray(0, encodeInto(value, out, 0));
}

/** The string `encodeText` encoded into `bytes[start, end)`. */
export function decodeText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // CESU-8 is UTF-8 but for a surrogate (0xed, then 0xa0–0xbf): without one, as nearly always,
  // the platform's decoder reads it, many times faster than the loop (a snapshot's long texts).
  if (!holdsSurrogate(bytes, start, end)) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  return decode(bytes, start, end);
}

function holdsSurrogate(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = bytes.indexOf(0xed, start); at >= 0 && at < end; at = bytes.indexOf(0xed, at + 1)) if ((bytes[at + 1] ?? 0) >= 0xa0) return true;
  return false;
}

function encodeInto(value: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) out[at++] = unit;
    else if (unit < 0x800) {
      out[at++] = 0xc0 | (unit >> 6);
      out[at++] = 0x80 | (unit & 0x3f);
    } else {
      out[at++] = 0xe0 | (unit >> 12);
      out[at++] = 0x80 | ((unit >> 6) & 0x3f);
      out[at++] = 0x80 | (unit & 0x3f);
    }
  }
  return at;
}

function decode(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  const units: number[] = [];
  for (let i = start; i < end; ) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      units.push(lead);
      i += 1;
    } else if (lead < 0xe0) {
      units.push(((lead & 0x1f) << 6) | ((bytes[i + 1] ?? 0) & 0x3f));
      i += 2;
    } else {
      units.push(((lead & 0x0f) << 12) | (((bytes[i + 1] ?? 0) & 0x3f) << 6) | ((bytes[i + 2] ?? 0) & 0x3f));
      i += 3;
    }
    // fromCharCode takes its units as arguments, and arguments are limited.
    if (units.length === 4096) {
      text += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return text + String.fromCharCode(...units);
}

function compareBytes(left: Uint8Array, leftStart: number, leftEnd: number, right: Uint8Array, rightStart: number, rightEnd: number): number {
  const n = Math.min(leftEnd - leftStart, rightEnd - rightStart);
  for (let i = 0; i < n; i++) {
    const difference = (left[leftStart + i] as number) - (right[rightStart + i] as number);
    if (difference !== 0) return difference;
  }
  return leftEnd - leftStart - (rightEnd - rightStart);
}
