// Per-attribute storage of the index. Values are kept by their JavaScript type, not by the
// attribute's declared type: a custom number field that holds "abc" puts "abc" in the
// string column, so a `number` predicate never sees it (the evaluator calls a mistyped
// value missing) and the column a query reads is chosen by the type the query asks for.
import { isValidDate } from '../core/time.js';
import { Bitmap, bitmapBytes } from './roaring.js';

/** Distinct values past which a dictionary stops keeping one bitmap per value (names, ids, birthdays) and answers by scanning its codes. */
export const MAX_VALUE_BITMAPS = 4096;

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

/** Ids `0..length-1` that pass `accept`, or only those of `domain` when it is much smaller. */
function collect(length: number, accept: (id: number) => boolean, domain: Bitmap | undefined, upperBound: number): Bitmap {
  if (domain && domain.size * DOMAIN_WALK_RATIO < length) {
    const ids = domain.toUint32Array();
    const out = new Uint32Array(ids.length);
    let n = 0;
    for (const id of ids) if (id < length && accept(id)) out[n++] = id;
    return new Bitmap(out.subarray(0, n));
  }
  const out = new Uint32Array(Math.min(upperBound, length));
  let n = 0;
  for (let id = 0; id < length && n < out.length; id++) if (accept(id)) out[n++] = id;
  return new Bitmap(out.subarray(0, n));
}

/**
 * What a number predicate asks of one value, in a form a value-ordered structure can answer:
 * `accept` must depend on the value only through `signs`, each of which is non-decreasing in
 * the value over `[monotoneFrom, monotoneTo)`. Then, between two values where no sign changes,
 * every value is accepted alike, and a run of values sorted between them is taken or left whole.
 */
export interface NumberTest {
  accept: (value: number) => boolean;
  signs: readonly ((value: number) => number)[];
  monotoneFrom: number;
  monotoneTo: number;
}

/** Tunables of the value-ordered buckets of a number column; tests shrink them. */
export const numberBucketSettings = {
  /** A column with fewer values is scanned: building buckets would not pay. */
  minValues: 8192,
  /** Fine buckets per column (fewer when the column is small): their bounds are walked per query. */
  fineBuckets: 1024,
  /** Fewest ids in a fine bucket, so the bitmaps do not cost more than the ids they hold. */
  minFineSize: 256,
  /** Fine buckets per coarse one: a wide range reads the coarse bitmaps. */
  finePerCoarse: 16,
  /** Changed ids are scanned per query until there are this many or 1/128 of the column, then the buckets are rebuilt. */
  minDirtyLimit: 1024,
};

/**
 * A number column's customers in value order, cut into buckets of consecutive values, each a
 * bitmap with its smallest and largest value. A range takes whole buckets as bitmaps and scans
 * only the buckets a boundary falls into, so its cost follows the buckets, not the customers.
 * Ids whose value changed since the build are `dirty`: the buckets no longer speak for them,
 * so they are taken out of every answer and tested on their current value instead.
 */
interface ValueBuckets {
  fine: Bitmap[];
  coarse: Bitmap[];
  low: Float64Array;
  high: Float64Array;
  members: Bitmap;
  dirty: Bitmap;
  /** Dirty ids past which scanning them costs more than a rebuild. */
  dirtyLimit: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices of `keys` in ascending numeric order (-0 and 0 adjacent, as `<` treats them equal).
 * A least-significant-digit radix sort on the doubles' bit patterns: a million values sort
 * in tens of milliseconds where a comparator sort of indices takes half a second.
 */
export function sortIndicesByValue(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const loWord = LITTLE_ENDIAN ? 0 : 1;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1 - loWord] as number;
    const l = words[2 * i + loWord] as number;
    // Flipping makes the unsigned order of the bit patterns the numeric order.
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = ((source[i] as number) >>> shift) & 0xffff;
      count[digit] = (count[digit] as number) + 1;
    }
    // A digit every key shares (the low bits of whole numbers) needs no pass.
    if (count[((source[0] ?? 0) >>> shift) & 0xffff] === n) continue;
    let total = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d] as number;
      count[d] = total;
      total += c;
    }
    for (let p = 0; p < n; p++) {
      const index = order[p] as number;
      const digit = ((source[index] as number) >>> shift) & 0xffff;
      const at = count[digit] as number;
      count[digit] = at + 1;
      spare[at] = index;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

function buildValueBuckets(values: Float32Array | Float64Array, present: Bitmap): ValueBuckets {
  const settings = numberBucketSettings;
  const ids = present.toUint32Array();
  const n = ids.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = values[ids[i] as number] as number;
  const order = sortIndicesByValue(keys);
  const size = Math.max(settings.minFineSize, Math.ceil(n / settings.fineBuckets), 1);
  const count = Math.ceil(n / size);
  const low = new Float64Array(count);
  const high = new Float64Array(count);
  const bucketOf = new Uint32Array(n);
  for (let p = 0; p < n; p++) bucketOf[order[p] as number] = Math.floor(p / size);
  for (let b = 0; b < count; b++) {
    low[b] = keys[order[b * size] as number] as number;
    high[b] = keys[order[Math.min(n, (b + 1) * size) - 1] as number] as number;
  }
  // Scattered in id order, so each bucket's ids come out sorted and its bitmap builds fast.
  const starts = new Uint32Array(count + 1);
  for (let b = 0; b < count; b++) starts[b + 1] = Math.min(n, (b + 1) * size);
  const next = starts.slice(0, count);
  const scattered = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const bucket = bucketOf[i] as number;
    const at = next[bucket] as number;
    next[bucket] = at + 1;
    scattered[at] = ids[i] as number;
  }
  const fine: Bitmap[] = [];
  for (let b = 0; b < count; b++) fine.push(new Bitmap(scattered.subarray(starts[b], starts[b + 1])));
  const coarse: Bitmap[] = [];
  for (let b = 0; b < count; b += settings.finePerCoarse) coarse.push(Bitmap.orMany(fine.slice(b, b + settings.finePerCoarse)));
  return { fine, coarse, low, high, members: present.clone(), dirty: new Bitmap(), dirtyLimit: Math.max(settings.minDirtyLimit, n >>> 7) };
}

function sameSign(left: number, right: number): boolean {
  return left === right || (left !== left && right !== right);
}

/** Finite numbers (metrics, number fields, timestamps as epoch ms) by customer id; NaN is missing. */
export class NumberColumn {
  /**
   * Single precision while every value is exactly a float (counts, days, whole amounts): half
   * the memory, and reading one back gives the very same double. The first value that is not
   * (a timestamp, an amount with cents) widens the column to double precision for good.
   */
  values: Float32Array | Float64Array = new Float32Array(0);
  readonly present = storedBitmap();
  /** Built on the first range query that scans enough values, dropped when too many change. */
  private buckets: ValueBuckets | undefined;

  /** Makes room for `id` and for `value` exactly. */
  private fit(id: number, value: number): void {
    const widen = this.values instanceof Float32Array && Math.fround(value) !== value;
    if (id < this.values.length && !widen) return;
    const length = id < this.values.length ? this.values.length : grownLength(this.values.length, id + 1);
    const grown = (widen || this.values instanceof Float64Array ? new Float64Array(length) : new Float32Array(length)).fill(NaN);
    grown.set(this.values);
    this.values = grown;
  }

  set(id: number, value: number): void {
    this.fit(id, value);
    // Setting a value again changes nothing, and must not mark it dirty.
    if (this.values[id] === value) return;
    this.values[id] = value;
    this.present.add(id);
    this.touch(id);
  }

  clear(id: number): void {
    if (id < this.values.length && !Number.isNaN(this.values[id])) {
      this.values[id] = NaN;
      this.present.remove(id);
      this.touch(id);
    }
  }

  /** Takes the values of a snapshot (`present` is read into place); buckets are built again on the first range query. */
  restore(values: Float32Array | Float64Array): void {
    this.values = values;
    this.buckets = undefined;
  }

  /** Sets a value during a full build; `finishLoad` then fills `present` at once. */
  load(id: number, value: number): void {
    this.fit(id, value);
    this.values[id] = value;
  }

  /** Ends a full build: `present` from the values, and the array cut to `length` ids. */
  finishLoad(length: number): void {
    if (this.values.length > length) this.values = this.values.slice(0, length);
    const values = this.values;
    const ids = new Uint32Array(values.length);
    let n = 0;
    for (let id = 0; id < values.length; id++) if (values[id] === values[id]) ids[n++] = id;
    this.present.addMany(ids.subarray(0, n));
  }

  private touch(id: number): void {
    const buckets = this.buckets;
    if (!buckets) return;
    buckets.dirty.add(id);
    if (buckets.dirty.size > buckets.dirtyLimit) this.buckets = undefined;
  }

  get(id: number): number | undefined {
    const value = id < this.values.length ? this.values[id] : undefined;
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  /** Customers with a value that passes `test`; exact within `domain` when one is given. */
  select(test: NumberTest, domain?: Bitmap): Bitmap {
    const values = this.values;
    const accept = (id: number): boolean => {
      const value = values[id] as number;
      return value === value && test.accept(value);
    };
    const small = this.present.size < numberBucketSettings.minValues || (domain !== undefined && domain.size * DOMAIN_WALK_RATIO < this.present.size);
    if (small) return collect(values.length, accept, domain, this.present.size);
    const buckets = (this.buckets ??= buildValueBuckets(values, this.present));
    return this.selectBuckets(buckets, test, accept);
  }

  private selectBuckets(buckets: ValueBuckets, test: NumberTest, accept: (id: number) => boolean): Bitmap {
    const { fine, low, high } = buckets;
    // Per fine bucket: 1 every value accepted, 0 none, 2 a boundary inside (scan it).
    const state = new Uint8Array(fine.length);
    let taken = 0;
    for (let b = 0; b < fine.length; b++) {
      const from = low[b] as number;
      const to = high[b] as number;
      let uniform = from >= test.monotoneFrom && to < test.monotoneTo;
      for (let s = 0; uniform && s < test.signs.length; s++) {
        const sign = test.signs[s] as (value: number) => number;
        uniform = sameSign(sign(from), sign(to));
      }
      if (!uniform) state[b] = 2;
      else if (test.accept(from)) {
        state[b] = 1;
        taken += fine[b]?.size ?? 0;
      }
    }
    // Past half of the column, the complement is the smaller union.
    const complement = taken * 2 > buckets.members.size;
    const whole = complement ? 0 : 1;
    const parts = this.wholeBuckets(buckets, state, whole);
    const scanned: number[] = [];
    for (let b = 0; b < fine.length; b++) {
      if (state[b] !== 2) continue;
      for (const id of (fine[b] as Bitmap).toUint32Array()) if (accept(id) !== complement) scanned.push(id);
    }
    if (scanned.length > 0) parts.push(new Bitmap(scanned));
    let result = parts.length === 0 ? new Bitmap() : parts.length === 1 ? (parts[0] as Bitmap).clone() : Bitmap.orMany(parts);
    if (complement) result = Bitmap.andNot(buckets.members, result);
    if (buckets.dirty.isEmpty) return result;
    result.andNotInPlace(buckets.dirty);
    const changed: number[] = [];
    for (const id of buckets.dirty.toUint32Array()) if (accept(id)) changed.push(id);
    if (changed.length > 0) result.addMany(changed);
    return result;
  }

  /** Bitmaps of the buckets in state `whole`, a coarse one wherever all its fine ones are. */
  private wholeBuckets(buckets: ValueBuckets, state: Uint8Array, whole: number): Bitmap[] {
    const per = numberBucketSettings.finePerCoarse;
    const parts: Bitmap[] = [];
    for (let c = 0; c < buckets.coarse.length; c++) {
      const first = c * per;
      const end = Math.min(state.length, first + per);
      let all = true;
      for (let b = first; b < end && all; b++) all = state[b] === whole;
      if (all) parts.push(buckets.coarse[c] as Bitmap);
      else for (let b = first; b < end; b++) if (state[b] === whole) parts.push(buckets.fine[b] as Bitmap);
    }
    return parts;
  }

  bytes(): number {
    let total = this.values.byteLength;
    const buckets = this.buckets;
    if (buckets) {
      for (const bitmap of [...buckets.fine, ...buckets.coarse, buckets.members, buckets.dirty]) total += bitmapBytes(bitmap);
      total += buckets.low.byteLength + buckets.high.byteLength;
    }
    return total;
  }
}

export type DictionaryValue = string | boolean;

/**
 * Low-cardinality values (city, gender, enums, booleans, dates) as a dictionary: a code per
 * customer plus, while the dictionary is small, one bitmap per value so that a predicate is
 * a union of bitmaps. Past MAX_VALUE_BITMAPS distinct values the bitmaps are dropped and
 * predicates scan the codes.
 */
export class DictionaryColumn<T extends DictionaryValue> {
  codes = new Int32Array(0);
  readonly values: T[] = [];
  /** Value → code; built on first need, since a column read from a snapshot may never be written. */
  private lookupMap: Map<T, number> | undefined = new Map<T, number>();
  /** Per code; undefined once the dictionary outgrew MAX_VALUE_BITMAPS. */
  bitmaps: Bitmap[] | undefined = [];
  readonly present = storedBitmap();

  set(id: number, value: T): void {
    const { code, added } = this.assign(id, value);
    if (added) {
      if (this.bitmaps && this.values.length > MAX_VALUE_BITMAPS) this.bitmaps = undefined;
      else this.bitmaps?.push(storedBitmap());
    }
    this.bitmaps?.[code]?.add(id);
    this.present.add(id);
  }

  /** Gives `id` the code of `value`, handing out a new code for a value not seen before. */
  private assign(id: number, value: T): { code: number; added: boolean } {
    if (id >= this.codes.length) {
      const grown = new Int32Array(grownLength(this.codes.length, id + 1)).fill(-1);
      grown.set(this.codes);
      this.codes = grown;
    }
    const lookup = this.lookup();
    let code = lookup.get(value);
    const added = code === undefined;
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      lookup.set(value, code);
    }
    this.codes[id] = code;
    return { code, added };
  }

  /**
   * Takes the codes, values and bitmaps of a snapshot (`present` is read into place);
   * `bitmaps` must be stored bitmaps, one per value. False when they are not one per value.
   */
  restore(codes: Int32Array<ArrayBuffer>, values: readonly T[], bitmaps: Bitmap[] | undefined): boolean {
    this.codes = codes;
    this.values.length = 0;
    for (const value of values) this.values.push(value);
    this.lookupMap = undefined;
    this.bitmaps = bitmaps;
    this.validDates = new Uint8Array(0);
    this.checkedDates = 0;
    return bitmaps === undefined || bitmaps.length === values.length;
  }

  private lookup(): Map<T, number> {
    if (this.lookupMap) return this.lookupMap;
    const lookup = new Map<T, number>();
    // The first code of a value, as `set` would have handed out.
    for (let code = this.values.length - 1; code >= 0; code--) lookup.set(this.values[code] as T, code);
    return (this.lookupMap = lookup);
  }

  /** Sets a value during a full build; `finishLoad` then fills the bitmaps at once. */
  load(id: number, value: T): void {
    this.assign(id, value);
  }

  /** Ends a full build: `present` and the per-value bitmaps from the codes, the codes cut to `length` ids. */
  finishLoad(length: number): void {
    if (this.codes.length > length) this.codes = this.codes.slice(0, length);
    const codes = this.codes;
    const counts = new Uint32Array(this.values.length + 1);
    let n = 0;
    for (let id = 0; id < codes.length; id++) {
      const code = codes[id] as number;
      if (code < 0) continue;
      counts[code + 1] = (counts[code + 1] as number) + 1;
      n++;
    }
    const ids = new Uint32Array(n);
    if (this.values.length > MAX_VALUE_BITMAPS) {
      this.bitmaps = undefined;
      let at = 0;
      for (let id = 0; id < codes.length; id++) if ((codes[id] as number) >= 0) ids[at++] = id;
      this.present.addMany(ids);
      return;
    }
    // Grouped by code in id order, so that each value's ids are one sorted run.
    for (let code = 1; code <= this.values.length; code++) counts[code] = (counts[code] as number) + (counts[code - 1] as number);
    const next = counts.slice(0, this.values.length);
    for (let id = 0; id < codes.length; id++) {
      const code = codes[id] as number;
      if (code < 0) continue;
      const at = next[code] as number;
      next[code] = at + 1;
      ids[at] = id;
    }
    const bitmaps: Bitmap[] = [];
    for (let code = 0; code < this.values.length; code++) {
      const bitmap = storedBitmap();
      bitmap.addMany(ids.subarray(counts[code], counts[code + 1]));
      bitmaps.push(bitmap);
    }
    this.bitmaps = bitmaps;
    this.present.addMany(bitmaps.length === 1 ? ids : Bitmap.orMany(bitmaps).toUint32Array());
  }

  clear(id: number): void {
    const code = id < this.codes.length ? (this.codes[id] as number) : -1;
    if (code < 0) return;
    this.codes[id] = -1;
    this.bitmaps?.[code]?.remove(id);
    this.present.remove(id);
  }

  get(id: number): T | undefined {
    const code = id < this.codes.length ? (this.codes[id] as number) : -1;
    return code < 0 ? undefined : this.values[code];
  }

  /** Customers whose value's code is marked in `mask`; exact within `domain` when one is given. */
  selectCodes(mask: Uint8Array, domain?: Bitmap): Bitmap {
    let marked = 0;
    for (let code = 0; code < this.values.length; code++) if (mask[code]) marked++;
    if (marked === 0) return new Bitmap();
    if (marked === this.values.length) return this.present;
    if (this.bitmaps) {
      const chosen: Bitmap[] = [];
      for (let code = 0; code < this.bitmaps.length; code++) if (mask[code]) chosen.push(this.bitmaps[code] as Bitmap);
      return chosen.length === 1 ? (chosen[0] as Bitmap) : Bitmap.orMany(chosen);
    }
    const codes = this.codes;
    return collect(
      codes.length,
      (id) => {
        const code = codes[id] as number;
        return code >= 0 && mask[code] === 1;
      },
      domain,
      this.present.size,
    );
  }

  private validDates = new Uint8Array(0);
  private checkedDates = 0;

  /** Per code, 1 when the value is a real calendar date; computed once per value, as birthdays run to tens of thousands. */
  dateValidity(): Uint8Array {
    if (this.checkedDates < this.values.length) {
      if (this.validDates.length < this.values.length) {
        const grown = new Uint8Array(grownLength(this.validDates.length, this.values.length));
        grown.set(this.validDates);
        this.validDates = grown;
      }
      for (let code = this.checkedDates; code < this.values.length; code++) {
        const value = this.values[code];
        this.validDates[code] = typeof value === 'string' && isValidDate(value) ? 1 : 0;
      }
      this.checkedDates = this.values.length;
    }
    return this.validDates;
  }

  /** A code per dictionary value, such that comparing codes compares values (JS `<` order). */
  ranks(): Int32Array {
    const order = this.values.map((_, code) => code).sort((a, b) => {
      const left = this.values[a] as T;
      const right = this.values[b] as T;
      return left === right ? 0 : left < right ? -1 : 1;
    });
    const ranks = new Int32Array(this.values.length);
    order.forEach((code, rank) => (ranks[code] = rank));
    return ranks;
  }

  bitmapCount(): number {
    return this.bitmaps?.length ?? 0;
  }

  bytes(bitmapBytes: (bitmap: Bitmap) => number): number {
    let total = this.codes.byteLength + bitmapBytes(this.present);
    for (const bitmap of this.bitmaps ?? []) total += bitmapBytes(bitmap);
    for (const value of this.values) total += typeof value === 'string' ? 2 * value.length + 16 : 8;
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
}
