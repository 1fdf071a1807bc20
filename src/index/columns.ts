// Per-attribute storage of the index. Values are kept by their JavaScript type, not by the
// attribute's declared type: a custom number field that holds "abc" puts "abc" in the
// string column, so a `number` predicate never sees it (the evaluator calls a mistyped
// value missing) and the column a query reads is chosen by the type the query asks for.
import { isValidDate } from '../core/time.js';
import { Bitmap } from './roaring.js';

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

/** Finite numbers (metrics, number fields, timestamps as epoch ms) by customer id; NaN is missing. */
export class NumberColumn {
  values = new Float64Array(0);
  readonly present = storedBitmap();

  set(id: number, value: number): void {
    if (id >= this.values.length) {
      const grown = new Float64Array(grownLength(this.values.length, id + 1)).fill(NaN);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[id] = value;
    this.present.add(id);
  }

  clear(id: number): void {
    if (id < this.values.length && !Number.isNaN(this.values[id])) {
      this.values[id] = NaN;
      this.present.remove(id);
    }
  }

  get(id: number): number | undefined {
    const value = id < this.values.length ? this.values[id] : undefined;
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  /** Customers with a value that passes `accept`; exact within `domain` when one is given. */
  select(accept: (value: number) => boolean, domain?: Bitmap): Bitmap {
    const values = this.values;
    return collect(
      values.length,
      (id) => {
        const value = values[id] as number;
        return value === value && accept(value);
      },
      domain,
      this.present.size,
    );
  }

  bytes(): number {
    return this.values.byteLength;
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
  private readonly lookup = new Map<T, number>();
  /** Per code; undefined once the dictionary outgrew MAX_VALUE_BITMAPS. */
  bitmaps: Bitmap[] | undefined = [];
  readonly present = storedBitmap();

  set(id: number, value: T): void {
    if (id >= this.codes.length) {
      const grown = new Int32Array(grownLength(this.codes.length, id + 1)).fill(-1);
      grown.set(this.codes);
      this.codes = grown;
    }
    let code = this.lookup.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.lookup.set(value, code);
      if (this.bitmaps && this.values.length > MAX_VALUE_BITMAPS) this.bitmaps = undefined;
      else this.bitmaps?.push(storedBitmap());
    }
    this.codes[id] = code;
    this.bitmaps?.[code]?.add(id);
    this.present.add(id);
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

  clear(id: number): void {
    this.numbers?.clear(id);
    this.strings?.clear(id);
    this.booleans?.clear(id);
  }
}
