// Reads the JSON a full build gets from SQLite straight from its UTF-8 bytes: customers' metric
// values (a flat object each), a page of customer rows (an array of arrays) and lists of ids.
// Decoding a million texts of ~650 bytes into strings and parsing each into an object of ~30
// members was most of a build; these read values in place, and create a string only for a
// string value, once per distinct value down a column. Each takes only what it reads exactly
// as JSON.parse does and says so; anything else (escapes, nested values, duplicate or numeric
// keys) is left to JSON.parse.

/** What a member's value is; the value itself is in `numbers` or `strings` at the same position. */
export const MEMBER_NUMBER = 0;
export const MEMBER_STRING = 1;
export const MEMBER_TRUE = 2;
export const MEMBER_FALSE = 3;
export const MEMBER_NULL = 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Powers of ten that are exact doubles. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Digits whose value as an integer is below 2^53, so that it and its quotient by POW10 are exact. */
const EXACT_DIGITS = 15;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Where `scanNumber` leaves the number it read. */
const scanned = { number: 0 };

/**
 * Reads the JSON number at `start` into `scanned.number`; returns where it ends, or -1 when the
 * text there is not a JSON number. With at most EXACT_DIGITS digits and no exponent, the digits
 * as an integer and the power of ten are exact doubles, so their quotient is the correctly
 * rounded value, as JSON.parse gives; anything longer is converted by Number, which rounds the
 * same way.
 */
function scanNumber(bytes: Buffer, start: number, end: number): number {
  let p = start;
  let byte = p < end ? bytes[p] : undefined;
  const negative = byte === MINUS;
  if (negative) byte = ++p < end ? bytes[p] : undefined;
  if (byte === undefined || byte < ZERO || byte > NINE) return -1;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  if (byte === ZERO) {
    byte = ++p < end ? bytes[p] : undefined;
    digits = 1;
  } else {
    while (byte !== undefined && byte >= ZERO && byte <= NINE) {
      mantissa = mantissa * 10 + (byte - ZERO);
      digits++;
      byte = ++p < end ? bytes[p] : undefined;
    }
  }
  if (byte !== undefined && byte >= ZERO && byte <= NINE) return -1;
  if (byte === DOT) {
    byte = ++p < end ? bytes[p] : undefined;
    if (byte === undefined || byte < ZERO || byte > NINE) return -1;
    while (byte !== undefined && byte >= ZERO && byte <= NINE) {
      mantissa = mantissa * 10 + (byte - ZERO);
      digits++;
      scale++;
      byte = ++p < end ? bytes[p] : undefined;
    }
  }
  let exact = digits <= EXACT_DIGITS;
  if (byte === 0x65 || byte === 0x45) {
    exact = false;
    byte = ++p < end ? bytes[p] : undefined;
    if (byte === 0x2b || byte === MINUS) byte = ++p < end ? bytes[p] : undefined;
    if (byte === undefined || byte < ZERO || byte > NINE) return -1;
    while (byte !== undefined && byte >= ZERO && byte <= NINE) byte = ++p < end ? bytes[p] : undefined;
  }
  if (exact) {
    const value = scale === 0 ? mantissa : mantissa / (POW10[scale] as number);
    scanned.number = negative ? -value : value;
  } else scanned.number = Number(bytes.toString('latin1', start, p));
  return p;
}

/** Hash of `bytes[start, end)`. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash;
}

/**
 * Strings by their UTF-8 bytes and a column, so that a value repeated down a column (a city,
 * a category) is decoded once and is the same string every time (its hash then computed once
 * by every map it is looked up in). A column stops adding values past `perColumn` of them, and
 * one whose values then mostly miss (customer ids, names) is no longer looked up at all.
 */
export class StringCache {
  private bytes = new Uint8Array(4096);
  private used = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  private columns: number[] = [];
  private values: string[] = [];
  /** Open addressing: entry + 1, 0 for none. */
  private table = new Int32Array(1024);
  private counts: number[] = [];
  /** Per column, once it is full: lookups that found a value, and that did not. */
  private hits: number[] = [];
  private misses: number[] = [];

  constructor(private readonly perColumn = 4096) {}

  /** The string of UTF-8 `bytes[start, end)` (no escapes) in `column`. */
  get(column: number, bytes: Buffer, start: number, end: number, ascii: boolean): string {
    const length = end - start;
    const misses = this.misses[column] ?? 0;
    if (length > 64 || (misses >= 1024 && 4 * (this.hits[column] ?? 0) < misses)) return bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
    const hash = Math.imul(hashBytes(bytes, start, end) ^ column, 0x9e3779b1);
    const table = this.table;
    const mask = table.length - 1;
    let at = hash & mask;
    for (; ; at = (at + 1) & mask) {
      const entry = (table[at] as number) - 1;
      if (entry < 0) break;
      if (this.columns[entry] !== column) continue;
      const from = this.starts[entry] as number;
      if ((this.ends[entry] as number) - from !== length) continue;
      let i = 0;
      while (i < length && this.bytes[from + i] === bytes[start + i]) i++;
      if (i === length) {
        if ((this.counts[column] ?? 0) >= this.perColumn) this.hits[column] = (this.hits[column] ?? 0) + 1;
        return this.values[entry] as string;
      }
    }
    const value = bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
    const count = this.counts[column] ?? 0;
    if (count >= this.perColumn) {
      this.misses[column] = misses + 1;
      return value;
    }
    this.counts[column] = count + 1;
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(2 * (this.used + length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    bytes.copy(this.bytes, this.used, start, end);
    const entry = this.values.length;
    this.starts.push(this.used);
    this.ends.push(this.used + length);
    this.used += length;
    this.columns.push(column);
    this.values.push(value);
    table[at] = entry + 1;
    if (2 * this.values.length > table.length) this.rehash();
    return value;
  }

  private rehash(): void {
    const table = new Int32Array(2 * this.table.length);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.values.length; entry++) {
      const hash = Math.imul(hashBytes(this.bytes, this.starts[entry] as number, this.ends[entry] as number) ^ (this.columns[entry] as number), 0x9e3779b1);
      let at = hash & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = entry + 1;
    }
    this.table = table;
  }
}

/**
 * Reads a JSON array of arrays of strings, numbers, booleans and null (a page of customer
 * rows) from its UTF-8 bytes into the arrays JSON.parse would give, strings shared through a
 * StringCache by their position in the row. Undefined when the text is anything else.
 */
export function readRows(bytes: Buffer, cache: StringCache, start = 0, end = bytes.length): unknown[][] | undefined {
  const rows: unknown[][] = [];
  let p = start;
  while (p < end && isSpace(bytes[p])) p++;
  if (p >= end || bytes[p] !== 0x5b) return undefined;
  p++;
  while (p < end && isSpace(bytes[p])) p++;
  if (p < end && bytes[p] === 0x5d) return trailing(bytes, p + 1, end) ? rows : undefined;
  for (;;) {
    if (p >= end || bytes[p] !== 0x5b) return undefined;
    p++;
    const row: unknown[] = [];
    while (p < end && isSpace(bytes[p])) p++;
    if (p < end && bytes[p] === 0x5d) p++;
    else
      for (let column = 0; ; column++) {
        while (p < end && isSpace(bytes[p])) p++;
        const first = p < end ? bytes[p] : undefined;
        if (first === QUOTE) {
          const valueStart = ++p;
          let ascii = true;
          let escaped = false;
          for (;;) {
            if (p >= end) return undefined;
            const byte = bytes[p] as number;
            if (byte === QUOTE) break;
            if (byte < 0x20) return undefined;
            if (byte === BACKSLASH) {
              escaped = true;
              p++;
            } else if (byte >= 0x80) ascii = false;
            p++;
          }
          // An escaped string (quotes, a custom field's JSON) is left to JSON.parse, quotes included.
          row.push(escaped ? (JSON.parse(bytes.toString('utf8', valueStart - 1, p + 1)) as string) : cache.get(column, bytes, valueStart, p, ascii));
          p++;
        } else if (first === MINUS || (first !== undefined && first >= ZERO && first <= NINE)) {
          const next = scanNumber(bytes, p, end);
          if (next < 0) return undefined;
          row.push(scanned.number);
          p = next;
        } else if (p + 4 <= end && first === 0x6e && bytes[p + 1] === 0x75 && bytes[p + 2] === 0x6c && bytes[p + 3] === 0x6c) {
          row.push(null);
          p += 4;
        } else if (p + 4 <= end && first === 0x74 && bytes[p + 1] === 0x72 && bytes[p + 2] === 0x75 && bytes[p + 3] === 0x65) {
          row.push(true);
          p += 4;
        } else if (p + 5 <= end && first === 0x66 && bytes[p + 1] === 0x61 && bytes[p + 2] === 0x6c && bytes[p + 3] === 0x73 && bytes[p + 4] === 0x65) {
          row.push(false);
          p += 5;
        } else return undefined;
        while (p < end && isSpace(bytes[p])) p++;
        const separator = p < end ? bytes[p] : undefined;
        p++;
        if (separator === 0x5d) break;
        if (separator !== COMMA) return undefined;
      }
    rows.push(row);
    while (p < end && isSpace(bytes[p])) p++;
    const separator = p < end ? bytes[p] : undefined;
    p++;
    if (separator === 0x5d) return trailing(bytes, p, end) ? rows : undefined;
    if (separator !== COMMA) return undefined;
    while (p < end && isSpace(bytes[p])) p++;
  }
}

/**
 * The numbers of a comma-separated list of JSON numbers (what group_concat makes of a column
 * of integers), as JSON.parse would read them in brackets; undefined when the text is not such
 * a list. A typed array, filled in place: an array of ten million numbers grown as it is read
 * cost a build more than the store took to write them.
 */
export function readNumberList(bytes: Buffer): Float64Array | undefined {
  const end = bytes.length;
  let count = end === 0 ? 0 : 1;
  for (let p = 0; p < end; p++) if (bytes[p] === COMMA) count++;
  const numbers = new Float64Array(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    const next = scanNumber(bytes, p, end);
    if (next < 0 || (next < end && bytes[next] !== COMMA)) return undefined;
    numbers[i] = scanned.number;
    p = next + 1;
  }
  return numbers;
}

function trailing(bytes: Buffer, from: number, end: number): boolean {
  let p = from;
  while (p < end && isSpace(bytes[p])) p++;
  return p === end;
}

export class FlatJsonReader {
  /** Member keys by slot; a slot is the reader's own number for a key, the same in every object. */
  readonly keys: string[] = [];
  /** Per member of the last object read, in order. */
  count = 0;
  slots = new Int32Array(64);
  kinds = new Uint8Array(64);
  numbers = new Float64Array(64);
  strings: string[] = [];

  /** The bytes of each key, `keyBytes[keyStarts[slot] .. keyStarts[slot + 1])`. */
  private keyBytes = new Uint8Array(1024);
  private keyStarts: number[] = [0];
  /** Open addressing on the hash of a key's bytes: slot + 1 per entry, 0 for none. */
  private table = new Int32Array(256);
  /** Per slot, the object that last held it: a key twice in one object is left to JSON.parse. */
  private seen = new Int32Array(64);
  private objects = 0;
  /** Per slot, the key that followed it in the last object that held it (-1 for none); and the first key of the last object. */
  private nextSlots = new Int32Array(64).fill(-1);
  private firstSlot = -1;
  /** String values by key: categories, channels, bands repeat from customer to customer. */
  private readonly values = new StringCache();

  /**
   * Reads `bytes[start, end)` as one JSON object whose values are strings, numbers, booleans
   * or null. True when it did: the members are then those JSON.parse gives, in the order a
   * for-in loop over its result visits them. False when the text is anything else (or not
   * JSON at all), with nothing read.
   */
  read(bytes: Buffer, start = 0, end = bytes.length): boolean {
    this.count = 0;
    const object = ++this.objects;
    let p = start;
    while (p < end && isSpace(bytes[p])) p++;
    if (p >= end || bytes[p] !== OPEN) return false;
    p++;
    while (p < end && isSpace(bytes[p])) p++;
    if (p < end && bytes[p] === CLOSE) return this.finish(bytes, p + 1, end);
    let previous = -1;
    for (;;) {
      if (p >= end || bytes[p] !== QUOTE) return false;
      const keyStart = ++p;
      // Objects mostly list the same keys in the same order: the key that followed the last
      // one the previous time is tried first, byte by byte, before the hash table.
      let slot = previous < 0 ? this.firstSlot : (this.nextSlots[previous] as number);
      if (slot >= 0) {
        const from = this.keyStarts[slot] as number;
        const length = (this.keyStarts[slot + 1] as number) - from;
        let i = 0;
        if (keyStart + length < end) while (i < length && this.keyBytes[from + i] === bytes[keyStart + i]) i++;
        if (i === length && bytes[keyStart + length] === QUOTE) p = keyStart + length;
        else slot = -1;
      }
      if (slot < 0) {
        let hash = 0;
        let digits = true;
        for (;;) {
          if (p >= end) return false;
          const byte = bytes[p] as number;
          if (byte === QUOTE) break;
          if (byte === BACKSLASH || byte < 0x20) return false;
          if (byte < ZERO || byte > NINE) digits = false;
          hash = (Math.imul(hash, 31) + byte) | 0;
          p++;
        }
        // An object's integer keys come first in for-in order, wherever they stand in the text.
        if (digits && p > keyStart) return false;
        slot = this.slotOf(bytes, keyStart, p, hash);
        if (previous < 0) this.firstSlot = slot;
        else this.nextSlots[previous] = slot;
      }
      previous = slot;
      if (this.seen[slot] === object) return false;
      this.seen[slot] = object;
      p++;
      while (p < end && isSpace(bytes[p])) p++;
      if (p >= end || bytes[p] !== COLON) return false;
      p++;
      while (p < end && isSpace(bytes[p])) p++;
      const at = this.count;
      if (at === this.kinds.length) this.grow();
      this.slots[at] = slot;
      const first = p < end ? bytes[p] : undefined;
      if (first === QUOTE) {
        const valueStart = ++p;
        let ascii = true;
        for (;;) {
          if (p >= end) return false;
          const byte = bytes[p] as number;
          if (byte === QUOTE) break;
          if (byte === BACKSLASH || byte < 0x20) return false;
          if (byte >= 0x80) ascii = false;
          p++;
        }
        this.kinds[at] = MEMBER_STRING;
        this.strings[at] = this.values.get(slot, bytes, valueStart, p, ascii);
        p++;
      } else if (first === MINUS || (first !== undefined && first >= ZERO && first <= NINE)) {
        const next = scanNumber(bytes, p, end);
        if (next < 0) return false;
        this.kinds[at] = MEMBER_NUMBER;
        this.numbers[at] = scanned.number;
        p = next;
      } else if (p + 4 <= end && first === 0x74 && bytes[p + 1] === 0x72 && bytes[p + 2] === 0x75 && bytes[p + 3] === 0x65) {
        this.kinds[at] = MEMBER_TRUE;
        p += 4;
      } else if (p + 5 <= end && first === 0x66 && bytes[p + 1] === 0x61 && bytes[p + 2] === 0x6c && bytes[p + 3] === 0x73 && bytes[p + 4] === 0x65) {
        this.kinds[at] = MEMBER_FALSE;
        p += 5;
      } else if (p + 4 <= end && first === 0x6e && bytes[p + 1] === 0x75 && bytes[p + 2] === 0x6c && bytes[p + 3] === 0x6c) {
        this.kinds[at] = MEMBER_NULL;
        p += 4;
      } else return false;
      this.count = at + 1;
      while (p < end && isSpace(bytes[p])) p++;
      const separator = p < end ? bytes[p] : undefined;
      if (separator === CLOSE) return this.finish(bytes, p + 1, end);
      if (separator !== COMMA) return false;
      p++;
      while (p < end && isSpace(bytes[p])) p++;
    }
  }

  /** After the closing brace only spaces may follow. */
  private finish(bytes: Buffer, from: number, end: number): boolean {
    let p = from;
    while (p < end && isSpace(bytes[p])) p++;
    if (p === end) return true;
    this.count = 0;
    return false;
  }

  private slotOf(bytes: Buffer, start: number, end: number, hash: number): number {
    const length = end - start;
    const table = this.table;
    const mask = table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = table[at] as number;
      if (entry === 0) return this.addKey(bytes, start, end, at);
      const slot = entry - 1;
      const from = this.keyStarts[slot] as number;
      if ((this.keyStarts[slot + 1] as number) - from !== length) continue;
      let i = 0;
      while (i < length && this.keyBytes[from + i] === bytes[start + i]) i++;
      if (i === length) return slot;
    }
  }

  private addKey(bytes: Buffer, start: number, end: number, at: number): number {
    const slot = this.keys.length;
    this.keys.push(bytes.toString('utf8', start, end));
    const from = this.keyStarts[slot] as number;
    if (from + (end - start) > this.keyBytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.keyBytes.length, from + (end - start)));
      grown.set(this.keyBytes);
      this.keyBytes = grown;
    }
    this.keyBytes.set(bytes.subarray(start, end), from);
    this.keyStarts.push(from + (end - start));
    if (slot >= this.seen.length) {
      const seen = new Int32Array(2 * this.seen.length);
      seen.set(this.seen);
      this.seen = seen;
      const nextSlots = new Int32Array(2 * this.nextSlots.length).fill(-1);
      nextSlots.set(this.nextSlots);
      this.nextSlots = nextSlots;
    }
    this.table[at] = slot + 1;
    // At most half full, so that a probe ends soon.
    if (2 * this.keys.length > this.table.length) this.rehash();
    return slot;
  }

  private rehash(): void {
    const table = new Int32Array(2 * this.table.length);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.keys.length; slot++) {
      let hash = 0;
      for (let i = this.keyStarts[slot] as number; i < (this.keyStarts[slot + 1] as number); i++) hash = (Math.imul(hash, 31) + (this.keyBytes[i] as number)) | 0;
      let at = hash & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.table = table;
  }

  private grow(): void {
    const length = 2 * this.kinds.length;
    const slots = new Int32Array(length);
    slots.set(this.slots);
    this.slots = slots;
    const kinds = new Uint8Array(length);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const numbers = new Float64Array(length);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }
}
