// Per-attribute storage of the index. Values are kept by their JavaScript type, not by the
// attribute's declared type: a custom number field that holds "abc" puts "abc" in the
// string column, so a `number` predicate never sees it (the evaluator calls a mistyped
// value missing) and the column a query reads is chosen by the type the query asks for.
import { isValidDate } from '../core/time.js';
import { BlockedNumbers, type RawArray } from './number-blocks.js';
import { Bitmap } from './roaring.js';
import { StringPool } from './string-pool.js';
import { bucketBytes, buildValueBuckets, numberBucketSettings, selectBuckets, valuesAtRanks, type NumberTest, type ValueBuckets } from './value-buckets.js';

/** A domain this much smaller than the column is walked id by id instead of scanning the whole array. */
const DOMAIN_WALK_RATIO = 8;

/** Bitmaps the index owns: a plan may return one of them as is, so callers outside get a copy. */
export const storedBitmaps = new WeakSet<Bitmap>();

export function storedBitmap(): Bitmap {
  const bitmap = new Bitmap();
  storedBitmaps.add(bitmap);
  return bitmap;
}

function grownLength(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.5), 1024);
}

/** True when `domain` is so much smaller than a column of `length` ids that it is walked id by id. */
function walkable(domain: Bitmap | undefined, length: number): domain is Bitmap {
  return domain !== undefined && domain.size * DOMAIN_WALK_RATIO < length;
}

/** The ids of `domain` below `length` that pass `accept`. */
function walk(domain: Bitmap, length: number, accept: (id: number) => boolean): Bitmap {
  const ids = domain.toUint32Array();
  const out = new Uint32Array(ids.length);
  let n = 0;
  for (const id of ids) if (id < length && accept(id)) out[n++] = id;
  return new Bitmap(out.subarray(0, n));
}

/** Values a full scan of a number column decodes at a time. */
const SCAN_BLOCK = 4096;

export { numberBucketSettings, sortIndicesByValue, type NumberTest } from './value-buckets.js';

/**
 * How a number column lays out its values, narrowest first: small counts and days in one or
 * two bytes, whole numbers in four, amounts with cents as a whole number of cents, timestamps
 * in whole seconds as seconds, single precision, timestamps in milliseconds (any whole number
 * from 0 to 2^32 seconds) as whole seconds plus a 16-bit remainder of milliseconds in 6 bytes,
 * then double precision. Each holds a value only when reading it back gives the very same
 * double (-0 only in the floats). The position in this list is the number a snapshot stores.
 */
export const NUMBER_ENCODINGS = ['uint8', 'uint16', 'int32', 'cents', 'seconds', 'float32', 'milliseconds', 'float64'] as const;
export type NumberEncoding = (typeof NUMBER_ENCODINGS)[number];

/** A number column's array with its encoding; the raw value MISSING[encoding] (NaN in the floats) is no value. */
export type NumberData =
  | { encoding: 'uint8'; values: Uint8Array<ArrayBuffer> }
  | { encoding: 'uint16'; values: Uint16Array<ArrayBuffer> }
  | { encoding: 'int32' | 'cents'; values: Int32Array<ArrayBuffer> }
  | { encoding: 'seconds'; values: Uint32Array<ArrayBuffer> }
  /** Whole seconds in `values` (MISSING for no value) plus each id's remaining milliseconds, 0 to 999. */
  | { encoding: 'milliseconds'; values: Uint32Array<ArrayBuffer>; remainders: Uint16Array<ArrayBuffer> }
  | { encoding: 'float32'; values: Float32Array<ArrayBuffer> }
  | { encoding: 'float64'; values: Float64Array<ArrayBuffer> };

/**
 * A milliseconds column's raw value is the time itself, and its "no value" is its seconds
 * array's: the one time of 0xffffffff ms (in February 1970) is held by a wider encoding.
 */
const MISSING: Record<NumberEncoding, number> = { uint8: 0xff, uint16: 0xffff, int32: -0x80000000, cents: -0x80000000, seconds: 0xffffffff, milliseconds: 0xffffffff, float32: NaN, float64: NaN };

/** The raw form of `value` in `encoding`, or undefined when it would not read back as the same double. */
export function encodeNumber(encoding: NumberEncoding, value: number): number | undefined {
  if (encoding === 'float64') return value;
  if (encoding === 'float32') return Math.fround(value) === value ? value : undefined;
  if (encoding === 'milliseconds') return encodeMilliseconds(value);
  if (Object.is(value, -0)) return undefined;
  let raw: number;
  switch (encoding) {
    case 'uint8':
    case 'uint16':
    case 'int32':
      raw = value;
      break;
    case 'cents':
      raw = Math.round(value * 100);
      break;
    case 'seconds':
      raw = value / 1000;
      break;
    default: {
      const unreachable: never = encoding;
      return unreachable;
    }
  }
  if (!Number.isInteger(raw) || raw === MISSING[encoding] || decodeNumber(encoding, raw) !== value) return undefined;
  switch (encoding) {
    case 'uint8':
      return raw >= 0 && raw < 0xff ? raw : undefined;
    case 'uint16':
      return raw >= 0 && raw < 0xffff ? raw : undefined;
    case 'seconds':
      return raw >= 0 && raw < 0xffffffff ? raw : undefined;
    default:
      return raw > -0x80000000 && raw <= 0x7fffffff ? raw : undefined;
  }
}

function decodeNumber(encoding: NumberEncoding, raw: number): number {
  return encoding === 'cents' ? raw / 100 : encoding === 'seconds' ? raw * 1000 : raw;
}

/** `encodeNumber` for milliseconds: the raw value is the time itself. */
function encodeMilliseconds(value: number): number | undefined {
  return Number.isInteger(value) && value >= 0 && value < 0xffffffff * 1000 && value !== MISSING.milliseconds && !Object.is(value, -0) ? value : undefined;
}

/**
 * Arrays of raw values in `encoding`, for a column's blocks. A milliseconds column's blocks hold
 * each raw value (the time itself) whole, as a double: blocks are for columns most of whose
 * customers hold one value, where the ids that differ are few.
 */
export function numberArrayMaker(encoding: NumberEncoding): (length: number) => RawArray {
  if (encoding === 'milliseconds') return (length) => new Float64Array(length).fill(MISSING.milliseconds);
  return (length) => allocate(encoding, length).values;
}

/** The raw value of `id` (MISSING or NaN for no value): for milliseconds, seconds and remainder put together. */
function rawAt(data: NumberData, id: number): number {
  if (data.encoding !== 'milliseconds') return data.values[id] as number;
  const seconds = data.values[id] as number;
  return seconds === 0xffffffff ? seconds : seconds * 1000 + (data.remainders[id] as number);
}

/** Stores raw value `raw` (MISSING for no value) for `id`. */
function putRaw(data: NumberData, id: number, raw: number): void {
  if (data.encoding === 'milliseconds') putMilliseconds(data.values, data.remainders, id, raw);
  else data.values[id] = raw;
}

function putMilliseconds(values: Uint32Array, remainders: Uint16Array, id: number, raw: number): void {
  if (raw === 0xffffffff) {
    values[id] = raw;
    remainders[id] = 0;
    return;
  }
  // Exact: below 2^42 the quotient's fraction, a multiple of 0.001, is far wider than its rounding.
  const seconds = Math.floor(raw / 1000);
  values[id] = seconds;
  remainders[id] = raw - seconds * 1000;
}

/** `data` with room for `length` ids: the first `length` of its values, or all of them and no value after. */
function resized(data: NumberData, length: number): NumberData {
  const fresh = allocate(data.encoding, length);
  const kept = Math.min(length, data.values.length);
  fresh.values.set(data.values.subarray(0, kept));
  if (fresh.encoding === 'milliseconds' && data.encoding === 'milliseconds') fresh.remainders.set(data.remainders.subarray(0, kept));
  return fresh;
}

/** The raw value that is no value in `encoding`. */
export function numberMissing(encoding: NumberEncoding): number {
  return MISSING[encoding];
}

function allocate(encoding: NumberEncoding, length: number): NumberData {
  switch (encoding) {
    case 'uint8':
      return { encoding, values: new Uint8Array(length).fill(MISSING[encoding]) };
    case 'uint16':
      return { encoding, values: new Uint16Array(length).fill(MISSING[encoding]) };
    case 'int32':
    case 'cents':
      return { encoding, values: new Int32Array(length).fill(MISSING[encoding]) };
    case 'seconds':
      return { encoding, values: new Uint32Array(length).fill(MISSING[encoding]) };
    case 'milliseconds':
      return { encoding, values: new Uint32Array(length).fill(MISSING[encoding]), remainders: new Uint16Array(length) };
    case 'float32':
      return { encoding, values: new Float32Array(length).fill(NaN) };
    case 'float64':
      return { encoding, values: new Float64Array(length).fill(NaN) };
    default: {
      const unreachable: never = encoding;
      return unreachable;
    }
  }
}

/**
 * Finite numbers (metrics, number fields, timestamps as epoch ms) by customer id, in the
 * narrowest of NUMBER_ENCODINGS that holds every value exactly: most metrics are counts,
 * days and amounts with cents, and a double per customer each was most of the index. The
 * first value that does not fit widens the column, for good, to the next encoding that holds
 * it and every value already there.
 */
export class NumberColumn {
  /** The values by id, or — once `blocked` holds them — an empty array naming the encoding. */
  private data: NumberData = allocate('uint8', 0);
  /** The values in blocks of 65,536 ids, most of them sparse, when a build or snapshot found that smaller. */
  private blocked: BlockedNumbers | undefined;
  readonly present = storedBitmap();
  /** Built on the first range query that scans enough values, dropped when too many change. */
  private buckets: ValueBuckets | undefined;
  /** The values at ranks among every value of the column (everyone's median and quartiles), until a value changes. */
  private everyoneRanks: Map<number, number> | undefined;

  get encoding(): NumberEncoding {
    return this.data.encoding;
  }

  /** The values as stored (raw values), for snapshots: one array, or blocks. */
  get stored(): NumberData | { encoding: NumberEncoding; blocked: BlockedNumbers } {
    return this.blocked ? { encoding: this.data.encoding, blocked: this.blocked } : this.data;
  }

  /** Ids the array has room for. */
  get length(): number {
    return this.blocked ? this.blocked.length : this.data.values.length;
  }

  /** Makes room for `id` and for `value` exactly; returns `value` as stored. */
  private fit(id: number, value: number): number {
    let raw = encodeNumber(this.data.encoding, value);
    if (raw === undefined) {
      this.widen(value);
      // widen chose an encoding that holds `value`.
      raw = encodeNumber(this.data.encoding, value) as number;
    }
    if (this.blocked) return raw;
    const length = this.data.values.length;
    if (id >= length) this.data = resized(this.data, grownLength(length, id + 1));
    return raw;
  }

  /** Moves to the first later encoding that holds `value` and every value already stored. */
  private widen(value: number): void {
    const data = this.data;
    const from = NUMBER_ENCODINGS.indexOf(data.encoding);
    const target = NUMBER_ENCODINGS.slice(from + 1).find((to) => encodeNumber(to, value) !== undefined && this.holdsAll(to)) ?? 'float64';
    const missing = MISSING[data.encoding];
    if (this.blocked) {
      const encoding = data.encoding;
      this.blocked = this.blocked.reencode(numberArrayMaker(target), MISSING[target], (raw) => (raw === raw && raw !== missing ? (encodeNumber(target, decodeNumber(encoding, raw)) as number) : MISSING[target]));
      this.data = allocate(target, 0);
      return;
    }
    const length = data.values.length;
    const wider = allocate(target, length);
    for (let id = 0; id < length; id++) {
      const raw = rawAt(data, id);
      // The target was chosen because it holds every stored value.
      if (raw === raw && raw !== missing) putRaw(wider, id, encodeNumber(target, decodeNumber(data.encoding, raw)) as number);
    }
    this.data = wider;
  }

  private holdsAll(encoding: NumberEncoding): boolean {
    const data = this.data;
    const from = data.encoding;
    const missing = MISSING[from];
    if (this.blocked) return this.blocked.every((raw) => raw !== raw || raw === missing || encodeNumber(encoding, decodeNumber(from, raw)) !== undefined);
    for (let id = 0; id < data.values.length; id++) {
      const raw = rawAt(data, id);
      if (raw === raw && raw !== missing && encodeNumber(encoding, decodeNumber(from, raw)) === undefined) return false;
    }
    return true;
  }

  set(id: number, value: number): void {
    // Setting a value again changes nothing, and must not mark it dirty.
    if (this.get(id) === value) return;
    this.put(id, this.fit(id, value));
    this.present.add(id);
    this.touch(id);
  }

  clear(id: number): void {
    if (this.get(id) === undefined) return;
    this.put(id, MISSING[this.data.encoding]);
    this.present.remove(id);
    this.touch(id);
  }

  private put(id: number, raw: number): void {
    if (this.blocked) this.blocked.set(id, raw);
    else putRaw(this.data, id, raw);
  }

  /** Takes the values of a snapshot (`present` is read into place); buckets are built again on the first range query. */
  restore(data: NumberData | { encoding: NumberEncoding; blocked: BlockedNumbers }): void {
    if ('blocked' in data) {
      this.data = allocate(data.encoding, 0);
      this.blocked = data.blocked;
    } else {
      this.data = data;
      this.blocked = undefined;
    }
    this.buckets = undefined;
    this.everyoneRanks = undefined;
  }

  /** Sets a value during a full build; `finishLoad` then fills `present` at once. */
  load(id: number, value: number): void {
    this.everyoneRanks = undefined;
    this.put(id, this.fit(id, value));
  }

  /**
   * Moves the values into blocks, most of them holding only the ids whose value differs from
   * the block's most common one, when that saves memory: most customers hold 0 refunded, 0 in
   * the last 30 days, no cart adds. Called after a full build and before a snapshot is written.
   */
  compact(): void {
    if (this.blocked) return;
    const data = this.data;
    let blocked: BlockedNumbers | undefined;
    if (data.encoding === 'milliseconds') {
      // The times whole, as the blocks hold them; kept when that takes less than the seconds and
      // remainders: a time most customers have none of.
      const raws = new Float64Array(data.values.length);
      for (let id = 0; id < raws.length; id++) raws[id] = rawAt(data, id);
      blocked = BlockedNumbers.compact(raws, MISSING.milliseconds, numberArrayMaker('milliseconds'), data.values.byteLength + data.remainders.byteLength);
    } else blocked = BlockedNumbers.compact(data.values, MISSING[data.encoding], numberArrayMaker(data.encoding));
    if (!blocked) return;
    this.blocked = blocked;
    this.data = allocate(data.encoding, 0);
  }

  /** The raw value of `id`, MISSING (or NaN) when it has none. */
  private raw(id: number): number | undefined {
    if (this.blocked) return this.blocked.raw(id);
    return id < this.data.values.length ? rawAt(this.data, id) : undefined;
  }

  /** Ends a full build: `present` from the values, and the array cut to `length` ids. */
  finishLoad(length: number): void {
    if (this.blocked) {
      this.finishBlockedLoad();
      return;
    }
    if (this.data.values.length > length) this.data = resized(this.data, length);
    // A milliseconds column has no value where its seconds array has none.
    const { values } = this.data;
    const missing = MISSING[this.data.encoding];
    const ids = new Uint32Array(values.length);
    // Through doubles a block at a time, as in `scan`: indexing the column's own array here
    // would see every kind of array there is and run at the speed of the slowest lookup.
    const block = new Float64Array(Math.min(SCAN_BLOCK, values.length));
    let n = 0;
    for (let from = 0; from < values.length; from += SCAN_BLOCK) {
      const size = Math.min(SCAN_BLOCK, values.length - from);
      block.set(values.subarray(from, from + size));
      for (let i = 0; i < size; i++) {
        const raw = block[i] as number;
        if (raw === raw && raw !== missing) ids[n++] = from + i;
      }
    }
    this.present.addMany(ids.subarray(0, n));
    this.compact();
  }

  /** `finishLoad` of a column already in blocks (a build that loads into a restored column). */
  private finishBlockedLoad(): void {
    const blocked = this.blocked as BlockedNumbers;
    const missing = MISSING[this.data.encoding];
    const ids = new Uint32Array(blocked.length);
    this.present.addMany(ids.subarray(0, blocked.scan((raw) => raw === raw && raw !== missing, ids)));
  }

  private touch(id: number): void {
    this.everyoneRanks = undefined;
    const buckets = this.buckets;
    if (!buckets) return;
    buckets.dirty.add(id);
    if (buckets.dirty.size > buckets.dirtyLimit) this.buckets = undefined;
  }

  /**
   * The sum of the values of `ids`, every one of which must have a value (ids from `present`).
   * Raw values are added as stored and decoded once: each layout decodes by one scale.
   */
  sumOf(ids: Uint32Array): number {
    let raw = 0;
    const data = this.data;
    if (this.blocked) raw = this.blocked.sumOf(ids);
    else if (data.encoding === 'milliseconds') {
      // Each time whole, added in id order, as the doubles the column once held were.
      const { values, remainders } = data;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        raw += (values[id] as number) * 1000 + (remainders[id] as number);
      }
    } else {
      const values = data.values;
      for (let i = 0; i < ids.length; i++) raw += values[ids[i] as number] as number;
    }
    return decodeNumber(data.encoding, raw);
  }

  get(id: number): number | undefined {
    const raw = this.raw(id);
    if (raw === undefined || raw !== raw || raw === MISSING[this.data.encoding]) return undefined;
    return decodeNumber(this.data.encoding, raw);
  }

  /**
   * `test` on an id's value, false when it has none, for walks of a domain and of the buckets
   * a boundary falls into. One function per layout, so that each reads one kind of array.
   */
  private acceptor(test: NumberTest): (id: number) => boolean {
    const accept = test.accept;
    const data = this.data;
    if (this.blocked) {
      const blocked = this.blocked;
      const { encoding } = data;
      const missing = MISSING[encoding];
      return (id) => {
        const raw = blocked.raw(id);
        return raw === raw && raw !== missing && accept(decodeNumber(encoding, raw));
      };
    }
    switch (data.encoding) {
      case 'uint8': {
        const values = data.values;
        return (id) => {
          const raw = values[id] as number;
          return raw !== 0xff && accept(raw);
        };
      }
      case 'uint16': {
        const values = data.values;
        return (id) => {
          const raw = values[id] as number;
          return raw !== 0xffff && accept(raw);
        };
      }
      case 'int32': {
        const values = data.values;
        return (id) => {
          const raw = values[id] as number;
          return raw !== -0x80000000 && accept(raw);
        };
      }
      case 'cents': {
        const values = data.values;
        return (id) => {
          const raw = values[id] as number;
          return raw !== -0x80000000 && accept(raw / 100);
        };
      }
      case 'seconds': {
        const values = data.values;
        return (id) => {
          const raw = values[id] as number;
          return raw !== 0xffffffff && accept(raw * 1000);
        };
      }
      case 'milliseconds': {
        const { values, remainders } = data;
        return (id) => {
          const seconds = values[id] as number;
          return seconds !== 0xffffffff && accept(seconds * 1000 + (remainders[id] as number));
        };
      }
      case 'float32': {
        const values = data.values;
        return (id) => {
          const value = values[id] as number;
          return value === value && accept(value);
        };
      }
      case 'float64': {
        const values = data.values;
        return (id) => {
          const value = values[id] as number;
          return value === value && accept(value);
        };
      }
      default: {
        const unreachable: never = data;
        return unreachable;
      }
    }
  }

  /** The values of `ids` (which all have one), as doubles. */
  private valuesOf(ids: Uint32Array): Float64Array {
    const keys = new Float64Array(ids.length);
    const data = this.data;
    const { encoding, values } = data;
    if (this.blocked) this.blocked.rawOf(ids, keys);
    else if (data.encoding === 'milliseconds') {
      const { remainders } = data;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        keys[i] = (values[id] as number) * 1000 + (remainders[id] as number);
      }
    } else for (let i = 0; i < ids.length; i++) keys[i] = values[ids[i] as number] as number;
    if (encoding === 'cents') for (let i = 0; i < keys.length; i++) keys[i] = (keys[i] as number) / 100;
    else if (encoding === 'seconds') for (let i = 0; i < keys.length; i++) keys[i] = (keys[i] as number) * 1000;
    return keys;
  }

  /** Customers with a value that passes `test`; exact within `domain` when one is given. */
  select(test: NumberTest, domain?: Bitmap): Bitmap {
    const length = this.length;
    if (walkable(domain, length)) return this.blocked ? this.walkBlocks(domain, test) : walk(domain, length, this.acceptor(test));
    if (this.present.size < numberBucketSettings.minValues || walkable(domain, this.present.size)) return this.scan(test);
    if (!this.buckets) {
      const ids = this.present.toUint32Array();
      this.buckets = buildValueBuckets(ids, this.valuesOf(ids), this.present);
    }
    return selectBuckets(this.buckets, test, this.acceptor(test));
  }

  /** `walk` for a column in blocks: the domain's values read in one pass over the blocks rather than looked up one by one. */
  private walkBlocks(domain: Bitmap, test: NumberTest): Bitmap {
    const ids = domain.toUint32Array();
    const raws = new Float64Array(ids.length);
    (this.blocked as BlockedNumbers).rawOf(ids, raws);
    const { encoding } = this.data;
    const missing = MISSING[encoding];
    const accept = test.accept;
    const out = new Uint32Array(ids.length);
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const raw = raws[i] as number;
      if (raw === raw && raw !== missing && accept(decodeNumber(encoding, raw))) out[n++] = ids[i] as number;
    }
    return new Bitmap(out.subarray(0, n));
  }

  /**
   * The values at `ranks` (0-based, ascending) of the values of `ids` in ascending order; every id
   * has a value (ids from `present`). Few ids are read and sorted; many are found by walking the
   * value-ordered buckets, so a median over a million customers reads a bucket's values, not all.
   */
  valuesAtRanks(ids: Bitmap, ranks: readonly number[]): Map<number, number> {
    if (ranks.length === 0) return new Map();
    if (ids.size < numberBucketSettings.minRankWalk || this.present.size < numberBucketSettings.minValues) {
      const values = this.valuesOf(ids.toUint32Array()).sort();
      return new Map(ranks.map((rank) => [rank, values[rank] as number]));
    }
    // Every id has a value: as many ids as values are every value, the group of every insight and profile.
    const everyone = ids.size === this.present.size;
    const known = everyone ? this.everyoneRanks : undefined;
    if (known && ranks.every((rank) => known.has(rank))) return known;
    if (!this.buckets) {
      const present = this.present.toUint32Array();
      this.buckets = buildValueBuckets(present, this.valuesOf(present), this.present);
    }
    // Every id of `ids` has a value, so get() reads one.
    const found = valuesAtRanks(this.buckets, ids, ranks, (id) => this.get(id) as number);
    if (everyone) this.everyoneRanks = found;
    return found;
  }

  /**
   * Every id whose value passes `test`. A block of raw values at a time is copied into doubles
   * (a native conversion from any array kind), so one loop tests values of every encoding and
   * no function is called per id but the test: as fast as the doubles the column once held.
   */
  private scan(test: NumberTest): Bitmap {
    const data = this.data;
    const { encoding, values } = data;
    const remainders = data.encoding === 'milliseconds' ? data.remainders : undefined;
    const missing = MISSING[encoding];
    const accept = test.accept;
    if (this.blocked) {
      const out = new Uint32Array(this.present.size);
      return new Bitmap(out.subarray(0, this.blocked.scan((raw) => raw === raw && raw !== missing && accept(decodeNumber(encoding, raw)), out)));
    }
    const length = values.length;
    const out = new Uint32Array(Math.min(this.present.size, length));
    const block = new Float64Array(Math.min(SCAN_BLOCK, length));
    let n = 0;
    for (let from = 0; from < length && n < out.length; from += SCAN_BLOCK) {
      const size = Math.min(SCAN_BLOCK, length - from);
      const doubles = size === block.length ? block : block.subarray(0, size);
      doubles.set(values.subarray(from, from + size));
      if (remainders) {
        // Seconds to times, and no value to NaN, in one pass.
        for (let i = 0; i < size; i++) {
          const seconds = doubles[i] as number;
          doubles[i] = seconds === missing ? NaN : seconds * 1000 + (remainders[from + i] as number);
        }
      } else if (missing === missing) for (let i = 0; i < size; i++) if (doubles[i] === missing) doubles[i] = NaN;
      if (encoding === 'cents') for (let i = 0; i < size; i++) doubles[i] = (doubles[i] as number) / 100;
      else if (encoding === 'seconds') for (let i = 0; i < size; i++) doubles[i] = (doubles[i] as number) * 1000;
      for (let i = 0; i < size; i++) {
        const value = doubles[i] as number;
        if (value === value && accept(value)) out[n++] = from + i;
      }
    }
    return new Bitmap(out.subarray(0, n));
  }

  bytes(): number {
    const data = this.data;
    const arrays = data.values.byteLength + (data.encoding === 'milliseconds' ? data.remainders.byteLength : 0);
    return (this.blocked ? this.blocked.bytes() : arrays) + (this.buckets ? bucketBytes(this.buckets) : 0);
  }
}

export type DictionaryValue = string | boolean;

/** Tunables of dictionary columns; tests shrink them. */
export const dictionarySettings = {
  /**
   * Distinct values past which a dictionary stops keeping one bitmap per value and answers by
   * scanning its codes, and a string dictionary moves its values into a StringPool (names,
   * ids, birthdays).
   */
  maxValueBitmaps: 4096,
};

/**
 * What a dictionary predicate asks of one value. With `operands`, `accept` depends on a value
 * only through how it compares with each operand (below, equal, above, or not at all when the
 * types differ), so values that sort between the same operands are accepted alike and a pooled
 * dictionary tests one value per run instead of decoding every value.
 */
export interface DictionaryTest {
  accept: (value: DictionaryValue) => boolean;
  operands: readonly DictionaryValue[] | undefined;
}

/** Month-days a date can fall on, `01-01` to `12-31` with 31 days to every month: 372 slots, a few never used. */
const MONTH_DAYS = 12 * 31;

/** `MM-DD` as 0 to MONTH_DAYS - 1; MONTH_DAYS for anything else. */
function monthDayIndex(monthDay: string): number {
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(3, 5));
  if (monthDay.length !== 5 || !(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return MONTH_DAYS;
  return (month - 1) * 31 + (day - 1);
}

interface MonthDayBitmaps {
  /** Per code, its month-day group (MONTH_DAYS: not a date); valid for codes below `known`. */
  ofCode: Int16Array;
  known: number;
  bitmaps: Bitmap[];
}

/** Code + 1 per customer, 0 for none, in the narrowest array that holds the dictionary's codes. */
type ShiftedCodes = Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer>;

function shiftedCodes(values: number, length: number): ShiftedCodes {
  return values <= 0xff ? new Uint8Array(length) : values <= 0xffff ? new Uint16Array(length) : new Int32Array(length);
}

/** The largest shifted code `codes` can hold. */
function widest(codes: ShiftedCodes): number {
  return codes instanceof Uint8Array ? 0xff : codes instanceof Uint16Array ? 0xffff : 0x7fffffff;
}

/**
 * Values with few distinct values (city, gender, enums, booleans, dates) as a dictionary: a
 * code per customer plus, while the dictionary is small, one bitmap per value so that a
 * predicate is a union of bitmaps. Past `maxValueBitmaps` distinct values the bitmaps are
 * dropped and predicates scan the codes; a string dictionary's values then move into a
 * StringPool. Codes are kept shifted by one, so that a fresh array means "no value" and most
 * dictionaries (a handful of values) take one byte per customer.
 */
export class DictionaryColumn<T extends DictionaryValue> {
  private codes: ShiftedCodes = new Uint8Array(0);
  /** Values by code, until they move into `pool`. */
  private readonly list: T[] = [];
  /** Values by code once a string dictionary outgrew maxValueBitmaps: it only ever holds a string column's values. */
  private pool: StringPool | undefined;
  /** Value → code for `list`; built on first need, since a column read from a snapshot may never be written. */
  private lookupMap: Map<T, number> | undefined = new Map<T, number>();
  /** Per code; undefined once the dictionary outgrew maxValueBitmaps. */
  bitmaps: Bitmap[] | undefined = [];
  readonly present = storedBitmap();
  /** Built by the first anniversary query of a date dictionary without per-value bitmaps, then kept up to date. */
  private monthDays: MonthDayBitmaps | undefined;

  /** Distinct values. */
  get valueCount(): number {
    return this.pool ? this.pool.size : this.list.length;
  }

  value(code: number): T {
    return this.pool ? (this.pool.value(code) as T) : (this.list[code] as T);
  }

  /** The code of `id`'s value, -1 when it has none. */
  code(id: number): number {
    return (this.codes[id] ?? 0) - 1;
  }

  /** What a snapshot stores: the shifted codes, and the values as a list or as a pool. */
  get stored(): { codes: ShiftedCodes; values: readonly T[] | StringPool } {
    return { codes: this.codes, values: this.pool ?? this.list };
  }

  set(id: number, value: T): void {
    const before = this.code(id);
    const { code, added } = this.assign(id, value, false);
    if (added) {
      if (this.bitmaps && this.valueCount > dictionarySettings.maxValueBitmaps) this.bitmaps = undefined;
      else this.bitmaps?.push(storedBitmap());
    }
    if (before >= 0 && before !== code) this.bitmaps?.[before]?.remove(id);
    this.bitmaps?.[code]?.add(id);
    this.present.add(id);
    if (this.monthDays && before !== code) {
      if (before >= 0) this.monthDays.bitmaps[this.monthDayOf(before)]?.remove(id);
      this.monthDays.bitmaps[this.monthDayOf(code)]?.add(id);
    }
  }

  /** Gives `id` the code of `value`, handing out a new code for a value not seen before. */
  private assign(id: number, value: T, loading: boolean): { code: number; added: boolean } {
    let code = this.codeOf(value);
    const added = code < 0;
    if (added) code = this.addValue(value, loading);
    if (id >= this.codes.length || code + 1 > widest(this.codes)) {
      const grown = shiftedCodes(this.valueCount, id < this.codes.length ? this.codes.length : grownLength(this.codes.length, id + 1));
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[id] = code + 1;
    return { code, added };
  }

  private codeOf(value: T): number {
    if (this.pool) return typeof value === 'string' ? this.pool.codeOf(value) : -1;
    return this.lookup().get(value) ?? -1;
  }

  private addValue(value: T, loading: boolean): number {
    const pool = this.pool;
    if (pool) {
      // The pool's lookups walk a map of the values added since its last merge; a build merges once at the end.
      const code = pool.add(value as string);
      if (!loading && pool.mergeDue()) pool.merge();
      return code;
    }
    const code = this.list.length;
    this.list.push(value);
    this.lookup().set(value, code);
    if (code >= dictionarySettings.maxValueBitmaps && typeof value === 'string') this.movePool(loading);
    return code;
  }

  /** Moves the values into a pool: past this many, a string each and a map entry each cost more than the codes. */
  private movePool(loading: boolean): void {
    const pool = new StringPool();
    for (const value of this.list) pool.add(value as string);
    if (!loading) pool.merge();
    this.pool = pool;
    this.list.length = 0;
    this.lookupMap = undefined;
  }

  /**
   * Takes the codes, values and bitmaps of a snapshot (`present` is read into place);
   * `bitmaps` must be stored bitmaps, one per value. False when they are not one per value, a
   * code is past the dictionary, or a pool holds what is not a string column.
   */
  restore(codes: ShiftedCodes, values: readonly T[] | StringPool, bitmaps: Bitmap[] | undefined): boolean {
    this.list.length = 0;
    this.pool = undefined;
    if (values instanceof StringPool) this.pool = values;
    else for (const value of values) this.list.push(value);
    this.codes = codes;
    this.lookupMap = undefined;
    this.bitmaps = bitmaps;
    this.validDates = new Uint8Array(0);
    this.checkedDates = 0;
    this.monthDays = undefined;
    let highest = 0;
    for (let id = 0; id < codes.length; id++) if ((codes[id] as number) > highest) highest = codes[id] as number;
    return highest <= this.valueCount && (bitmaps === undefined || bitmaps.length === this.valueCount);
  }

  private lookup(): Map<T, number> {
    if (this.lookupMap) return this.lookupMap;
    const lookup = new Map<T, number>();
    // The first code of a value, as `set` would have handed out.
    for (let code = this.list.length - 1; code >= 0; code--) lookup.set(this.list[code] as T, code);
    return (this.lookupMap = lookup);
  }

  /** Sets a value during a full build; `finishLoad` then fills the bitmaps at once. */
  load(id: number, value: T): void {
    this.assign(id, value, true);
  }

  /** Ends a full build: `present` and the per-value bitmaps from the codes, the codes cut to `length` ids. */
  finishLoad(length: number): void {
    this.monthDays = undefined;
    if (this.codes.length > length) this.codes = this.codes.slice(0, length);
    if (this.pool) {
      this.pool.merge();
      this.pool.trim();
    }
    const codes = this.codes;
    const count = this.valueCount;
    // counts[c] ends up as the start of shifted code c's ids: code 0 (no value) first.
    const counts = new Uint32Array(count + 2);
    for (let id = 0; id < codes.length; id++) {
      const shifted = codes[id] as number;
      counts[shifted + 1] = (counts[shifted + 1] as number) + 1;
    }
    const n = codes.length - (counts[1] as number);
    const ids = new Uint32Array(n);
    if (count > dictionarySettings.maxValueBitmaps) {
      this.bitmaps = undefined;
      let at = 0;
      for (let id = 0; id < codes.length; id++) if ((codes[id] as number) > 0) ids[at++] = id;
      this.present.addMany(ids);
      return;
    }
    // Grouped by code in id order, so that each value's ids are one sorted run.
    counts[1] = 0;
    for (let code = 2; code <= count + 1; code++) counts[code] = (counts[code] as number) + (counts[code - 1] as number);
    const next = counts.slice(0, count + 1);
    for (let id = 0; id < codes.length; id++) {
      const shifted = codes[id] as number;
      if (shifted === 0) continue;
      const at = next[shifted] as number;
      next[shifted] = at + 1;
      ids[at] = id;
    }
    const bitmaps: Bitmap[] = [];
    for (let code = 0; code < count; code++) {
      const bitmap = storedBitmap();
      bitmap.addMany(ids.subarray(counts[code + 1], counts[code + 2]));
      bitmaps.push(bitmap);
    }
    this.bitmaps = bitmaps;
    this.present.addMany(bitmaps.length === 1 ? ids : Bitmap.orMany(bitmaps).toUint32Array());
  }

  /** A flag per code, 1 where some customer holds its value; undefined when every value is held. */
  heldCodes(): Uint8Array | undefined {
    const codes = this.codes;
    const held = new Uint8Array(this.valueCount);
    let count = 0;
    for (let id = 0; id < codes.length; id++) {
      const shifted = codes[id] as number;
      if (shifted > 0 && held[shifted - 1] === 0) {
        held[shifted - 1] = 1;
        count++;
      }
    }
    return count === this.valueCount ? undefined : held;
  }

  /**
   * The column with only the values some customer holds, renumbered in code order; itself when
   * every value is held. A value stays in the dictionary after the last customer holding it
   * changed or was erased, and a snapshot must not carry it on.
   */
  compacted(): DictionaryColumn<T> {
    const codes = this.codes;
    const held = this.heldCodes();
    if (!held) return this;
    let count = 0;
    for (const flag of held) count += flag;
    const remap = new Int32Array(this.valueCount);
    for (let code = 0, next = 0; code < remap.length; code++) remap[code] = held[code] === 1 ? next++ : -1;
    const kept = shiftedCodes(count, codes.length);
    for (let id = 0; id < codes.length; id++) {
      const shifted = codes[id] as number;
      if (shifted > 0) kept[id] = (remap[shifted - 1] as number) + 1;
    }
    const fresh = new DictionaryColumn<T>();
    fresh.present.orInPlace(this.present);
    const values = this.pool ? this.pool.keeping(held) : this.list.filter((_, code) => held[code] === 1);
    fresh.restore(kept, values, this.bitmaps?.filter((_, code) => held[code] === 1));
    return fresh;
  }

  clear(id: number): void {
    const code = this.code(id);
    if (code < 0) return;
    this.codes[id] = 0;
    this.bitmaps?.[code]?.remove(id);
    this.present.remove(id);
    if (this.monthDays) this.monthDays.bitmaps[this.monthDayOf(code)]?.remove(id);
  }

  get(id: number): T | undefined {
    const code = this.code(id);
    return code < 0 ? undefined : this.value(code);
  }

  /** Per code, 1 when its value passes `test`. */
  matching(test: DictionaryTest): Uint8Array {
    const count = this.valueCount;
    const mask = new Uint8Array(count);
    const pool = this.pool;
    if (!pool || test.operands === undefined) {
      for (let code = 0; code < count; code++) if (test.accept(this.value(code))) mask[code] = 1;
      return mask;
    }
    // Between two consecutive cuts every value compares alike with every operand.
    const order = pool.order();
    const cuts = [0, count];
    for (const operand of test.operands) if (typeof operand === 'string') cuts.push(...pool.range(operand));
    cuts.sort((a, b) => a - b);
    for (let c = 1; c < cuts.length; c++) {
      const from = cuts[c - 1] as number;
      const to = cuts[c] as number;
      if (from === to || !test.accept(pool.value(order[from] as number))) continue;
      for (let at = from; at < to; at++) mask[order[at] as number] = 1;
    }
    return mask;
  }

  /** Customers whose value's code is marked in `mask`; exact within `domain` when one is given. */
  selectCodes(mask: Uint8Array, domain?: Bitmap): Bitmap {
    const count = this.valueCount;
    let marked = 0;
    for (let code = 0; code < count; code++) if (mask[code]) marked++;
    if (marked === 0) return new Bitmap();
    if (marked === count) return this.present;
    if (this.bitmaps) {
      const chosen: Bitmap[] = [];
      for (let code = 0; code < this.bitmaps.length; code++) if (mask[code]) chosen.push(this.bitmaps[code] as Bitmap);
      return chosen.length === 1 ? (chosen[0] as Bitmap) : Bitmap.orMany(chosen);
    }
    // By shifted code, so that "no value" (0) is simply unmarked.
    const wanted = new Uint8Array(count + 1);
    wanted.set(mask.subarray(0, count), 1);
    const codes = this.codes;
    if (walkable(domain, codes.length)) return walk(domain, codes.length, (id) => wanted[codes[id] as number] === 1);
    const out = new Uint32Array(Math.min(this.present.size, codes.length));
    let n = 0;
    for (let id = 0; id < codes.length && n < out.length; id++) if (wanted[codes[id] as number] === 1) out[n++] = id;
    return new Bitmap(out.subarray(0, n));
  }

  private validDates = new Uint8Array(0);
  private checkedDates = 0;

  /** Per code, 1 when the value is a real calendar date; computed once per value, as birthdays run to tens of thousands. */
  dateValidity(): Uint8Array {
    const count = this.valueCount;
    if (this.checkedDates < count) {
      if (this.validDates.length < count) {
        const grown = new Uint8Array(grownLength(this.validDates.length, count));
        grown.set(this.validDates);
        this.validDates = grown;
      }
      for (let code = this.checkedDates; code < count; code++) {
        const value = this.value(code);
        this.validDates[code] = typeof value === 'string' && isValidDate(value) ? 1 : 0;
      }
      this.checkedDates = count;
    }
    return this.validDates;
  }

  /**
   * Customers whose value is a real date falling on one of `monthDays` (`MM-DD`), whatever the
   * year: what `within` asks of a birthday. A dictionary with a bitmap per value answers that by
   * testing its values; one of tens of thousands of birthdays would test every value and then
   * scan every customer's code (~24 ms at a million customers), so it keeps a bitmap per
   * month-day instead, built on the first such query and kept up to date by `set` and `clear`.
   */
  anniversaryHolders(monthDays: readonly string[]): Bitmap {
    const bitmaps = this.monthDayBitmaps();
    const chosen: Bitmap[] = [];
    for (const monthDay of monthDays) {
      const bitmap = bitmaps[monthDayIndex(monthDay)];
      if (bitmap !== undefined && bitmap.size > 0) chosen.push(bitmap);
    }
    if (chosen.length === 0) return new Bitmap();
    return chosen.length === 1 ? (chosen[0] as Bitmap) : Bitmap.orMany(chosen);
  }

  private monthDayBitmaps(): Bitmap[] {
    if (this.monthDays) return this.monthDays.bitmaps;
    this.monthDays = { ofCode: new Int16Array(0), known: 0, bitmaps: [] };
    const codes = this.codes;
    if (this.valueCount > 0) this.monthDayOf(this.valueCount - 1);
    // By shifted code, so that "no value" (0) falls in no group.
    const ofShifted = new Int16Array(this.valueCount + 1);
    ofShifted[0] = MONTH_DAYS;
    ofShifted.set(this.monthDays.ofCode.subarray(0, this.valueCount), 1);
    const groups = new Int16Array(codes.length);
    const counts = new Uint32Array(MONTH_DAYS + 2);
    for (let id = 0; id < codes.length; id++) {
      const group = ofShifted[codes[id] as number] as number;
      groups[id] = group;
      counts[group + 1] = (counts[group + 1] as number) + 1;
    }
    // Grouped by month-day in id order, so that each bitmap is filled from one sorted run.
    for (let group = 1; group <= MONTH_DAYS; group++) counts[group] = (counts[group] as number) + (counts[group - 1] as number);
    const next = counts.slice(0, MONTH_DAYS);
    const ids = new Uint32Array(counts[MONTH_DAYS] as number);
    for (let id = 0; id < groups.length; id++) {
      const group = groups[id] as number;
      if (group === MONTH_DAYS) continue;
      const at = next[group] as number;
      next[group] = at + 1;
      ids[at] = id;
    }
    for (let group = 0; group < MONTH_DAYS; group++) {
      const bitmap = storedBitmap();
      bitmap.addMany(ids.subarray(counts[group], counts[group + 1]));
      this.monthDays.bitmaps.push(bitmap);
    }
    return this.monthDays.bitmaps;
  }

  /** The month-day group of a code's value; MONTH_DAYS (no bitmap) when it is not a real date. */
  private monthDayOf(code: number): number {
    const monthDays = this.monthDays as MonthDayBitmaps;
    if (code >= monthDays.known) {
      const count = this.valueCount;
      if (monthDays.ofCode.length < count) {
        const grown = new Int16Array(grownLength(monthDays.ofCode.length, count));
        grown.set(monthDays.ofCode);
        monthDays.ofCode = grown;
      }
      const valid = this.dateValidity();
      for (let at = monthDays.known; at < count; at++) {
        const value = this.value(at);
        monthDays.ofCode[at] = valid[at] === 1 && typeof value === 'string' ? monthDayIndex(value.slice(5, 10)) : MONTH_DAYS;
      }
      monthDays.known = count;
    }
    return monthDays.ofCode[code] as number;
  }

  /** A code per dictionary value, such that comparing codes compares values (JS `<` order). */
  ranks(): Int32Array {
    const ranks = new Int32Array(this.valueCount);
    const order = this.pool
      ? this.pool.order()
      : this.list
          .map((_, code) => code)
          .sort((a, b) => {
            const left = this.list[a] as T;
            const right = this.list[b] as T;
            return left === right ? 0 : left < right ? -1 : 1;
          });
    order.forEach((code, rank) => (ranks[code] = rank));
    return ranks;
  }

  bitmapCount(): number {
    return this.bitmaps?.length ?? 0;
  }

  bytes(bitmapBytes: (bitmap: Bitmap) => number): number {
    let total = this.codes.byteLength + bitmapBytes(this.present);
    for (const bitmap of this.bitmaps ?? []) total += bitmapBytes(bitmap);
    if (this.monthDays) {
      total += this.monthDays.ofCode.byteLength;
      for (const bitmap of this.monthDays.bitmaps) total += bitmapBytes(bitmap);
    }
    if (this.pool) total += this.pool.bytes();
    for (const value of this.list) total += typeof value === 'string' ? 2 * value.length + 16 : 8;
    return total;
  }
}

/** Everything the index holds for one field or metric, split by the type of the stored value. */
export class AttributeColumns {
  numbers: NumberColumn | undefined;
  strings: DictionaryColumn<string> | undefined;
  booleans: DictionaryColumn<boolean> | undefined;

  set(id: number, value: unknown): void {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) (this.numbers ??= new NumberColumn()).set(id, value);
    } else if (typeof value === 'string') (this.strings ??= new DictionaryColumn<string>()).set(id, value);
    else if (typeof value === 'boolean') (this.booleans ??= new DictionaryColumn<boolean>()).set(id, value);
  }

  /** `set` for a full build: bitmaps wait for `finishLoad`. */
  load(id: number, value: unknown): void {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) (this.numbers ??= new NumberColumn()).load(id, value);
    } else if (typeof value === 'string') (this.strings ??= new DictionaryColumn<string>()).load(id, value);
    else if (typeof value === 'boolean') (this.booleans ??= new DictionaryColumn<boolean>()).load(id, value);
  }

  finishLoad(length: number): void {
    this.numbers?.finishLoad(length);
    this.strings?.finishLoad(length);
    this.booleans?.finishLoad(length);
  }

  clear(id: number): void {
    this.numbers?.clear(id);
    this.strings?.clear(id);
    this.booleans?.clear(id);
  }

  /**
   * `id`'s value now, in place of whatever it held (in this column or another of its types):
   * what `clear` and then `set` give, without writing a value that did not change.
   */
  replace(id: number, value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value)) {
      const numbers = (this.numbers ??= new NumberColumn());
      // 0 in place of −0 or the reverse: `set` takes them for the same value, clearing first does not.
      const held = numbers.get(id);
      if (held === value && !Object.is(held, value)) numbers.clear(id);
      numbers.set(id, value);
      this.strings?.clear(id);
      this.booleans?.clear(id);
    } else if (typeof value === 'string') {
      (this.strings ??= new DictionaryColumn<string>()).set(id, value);
      this.numbers?.clear(id);
      this.booleans?.clear(id);
    } else if (typeof value === 'boolean') {
      (this.booleans ??= new DictionaryColumn<boolean>()).set(id, value);
      this.numbers?.clear(id);
      this.strings?.clear(id);
    } else this.clear(id);
  }
}
