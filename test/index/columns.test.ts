// The value buckets of a number column against a plain scan of its values: boundaries that
// fall inside and between buckets, runs of equal values wider than a bucket, -0, extremes,
// missing values, and values that change after the buckets were built.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumberColumn, numberBucketSettings, sortIndicesByValue, type NumberTest } from '../../src/index/columns.js';

const saved = { ...numberBucketSettings };
beforeAll(() => Object.assign(numberBucketSettings, { minValues: 0, fineBuckets: 1 << 20, minFineSize: 4, finePerCoarse: 3, minDirtyLimit: 6 }));
afterAll(() => Object.assign(numberBucketSettings, saved));

const sign = (right: number) => (value: number) => (value === right ? 0 : value < right ? -1 : 1);
function between(low: number, high: number): NumberTest {
  return { accept: (v) => v >= low && v <= high, signs: [sign(low), sign(high)], monotoneFrom: -Infinity, monotoneTo: Infinity };
}
function notEqual(right: number): NumberTest {
  return { accept: (v) => v !== right, signs: [sign(right)], monotoneFrom: -Infinity, monotoneTo: Infinity };
}
function scan(column: NumberColumn, test: NumberTest): number[] {
  const out: number[] = [];
  column.values.forEach((value, id) => {
    if (!Number.isNaN(value) && test.accept(value)) out.push(id);
  });
  return out;
}

const VALUES = [-Number.MAX_VALUE, -1e300, -5, -1, -0, 0, 0.1, 0.30000000000000004, 1, 2, 2, 2, 7.5, 1e15, Number.MAX_VALUE];
const value = fc.oneof(fc.constantFrom(...VALUES), fc.integer({ min: -3, max: 12 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const slot = fc.option(value, { nil: undefined, freq: 5 });

describe('number column value buckets', () => {
  it('sorts doubles as < does, negatives and -0 included', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), (list) => {
        const keys = Float64Array.from(list);
        const sorted = [...sortIndicesByValue(keys)].map((i) => keys[i] as number);
        for (let i = 1; i < sorted.length; i++) expect((sorted[i - 1] as number) <= (sorted[i] as number)).toBe(true);
        expect(sorted.length).toBe(list.length);
      }),
    );
  });

  it('answers ranges exactly, before and after values change', () => {
    fc.assert(
      fc.property(
        fc.array(slot, { minLength: 1, maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(140), slot), { maxLength: 40 }),
        fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 6 }),
        (initial, changes, ranges) => {
          const column = new NumberColumn();
          initial.forEach((v, id) => v !== undefined && column.set(id, v));
          const tests = ranges.flatMap(([a, b]) => [between(Math.min(a, b), Math.max(a, b)), notEqual(a), between(a, a)]);
          for (const test of tests) expect(column.select(test).toArray()).toEqual(scan(column, test));
          // Changes after the buckets exist: ids moved, cleared, added past the end; past the dirty limit they are rebuilt.
          for (const [id, v] of changes) {
            if (v === undefined) column.clear(id);
            else column.set(id, v);
            for (const test of tests.slice(0, 2)) expect(column.select(test).toArray()).toEqual(scan(column, test));
          }
          for (const test of tests) expect(column.select(test).toArray()).toEqual(scan(column, test));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scans values outside the range where the signs are monotone', () => {
    const column = new NumberColumn();
    const values = [-10, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    values.forEach((v, id) => column.set(id, v));
    // Not monotone below 0 (|v|): those buckets must be scanned, not judged by their ends.
    const test: NumberTest = { accept: (v) => Math.abs(v) <= 3, signs: [(v) => (Math.abs(v) <= 3 ? 0 : 1)], monotoneFrom: 0, monotoneTo: 4 };
    expect(column.select(test).toArray()).toEqual(scan(column, test));
  });

  it('keeps whole numbers in single precision and widens, exactly, at the first value that needs it', () => {
    const column = new NumberColumn();
    column.set(3, 42);
    column.set(70, -7);
    column.load(5, 16_777_216);
    expect(column.values).toBeInstanceOf(Float32Array);
    expect([column.get(3), column.get(70), column.get(5), column.get(4)]).toEqual([42, -7, 16_777_216, undefined]);
    column.set(9, 1234.56);
    expect(column.values).toBeInstanceOf(Float64Array);
    expect([column.get(3), column.get(9), column.get(70)]).toEqual([42, 1234.56, -7]);
    // Growing a widened column keeps double precision.
    column.set(5000, 1_796_004_332_395);
    expect(column.values).toBeInstanceOf(Float64Array);
    expect([column.get(9), column.get(5000)]).toEqual([1234.56, 1_796_004_332_395]);
    const narrow = new NumberColumn();
    narrow.load(1, 16_777_217);
    expect(narrow.values).toBeInstanceOf(Float64Array);
    expect(narrow.get(1)).toBe(16_777_217);
  });
});
