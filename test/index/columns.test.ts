// Number and dictionary columns: the value buckets of a number column against a plain scan of
// its values (boundaries inside and between buckets, runs of equal values wider than a bucket,
// -0, extremes, missing values, values that change after the buckets were built); the
// encodings a number column picks and every way it widens, always reading back the very same
// double, through snapshots too; dictionary code widths and pooled values.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DictionaryColumn, dictionarySettings, encodeNumber, NUMBER_ENCODINGS, NumberColumn, numberBucketSettings, sortIndicesByValue, type DictionaryTest, type NumberData, type NumberEncoding, type NumberTest } from '../../src/index/columns.js';
import { numberBlockSettings } from '../../src/index/number-blocks.js';
import { Bitmap } from '../../src/index/roaring.js';
import { SnapshotReader, SnapshotWriter } from '../../src/index/snapshot-format.js';
import { StringPool } from '../../src/index/string-pool.js';
import { isValidDate } from '../../src/core/time.js';
import { readDictionary, readNumbers, writeDictionary, writeNumbers } from '../../src/index/workspace-index.js';

const saved = { ...numberBucketSettings };
beforeAll(() => Object.assign(numberBucketSettings, { minValues: 0, fineBuckets: 1 << 20, minFineSize: 4, finePerStep: 3, minDirtyLimit: 6, minRankWalk: 0 }));
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
  for (let id = 0; id < column.length; id++) {
    const value = column.get(id);
    if (value !== undefined && test.accept(value)) out.push(id);
  }
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

  it('finds the values at given ranks among any customers as sorting their values does, before and after values change', () => {
    // -0 and 0 are equal values: which of them a rank shows is no difference.
    const plain = (values: Iterable<number>) => [...values].map((v) => (v === 0 ? 0 : v));
    const atRanks = (column: NumberColumn, among: Bitmap) => {
      const ids = Bitmap.and(among, column.present);
      const ranks = Array.from({ length: ids.size }, (_, rank) => rank);
      const found = column.valuesAtRanks(ids, ranks);
      return plain(ranks.map((rank) => found.get(rank) as number));
    };
    const sorted = (column: NumberColumn, among: Bitmap) => plain(Float64Array.from(Bitmap.and(among, column.present).toArray(), (id) => column.get(id) as number).sort());
    fc.assert(
      fc.property(
        fc.array(slot, { minLength: 1, maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(140), slot), { maxLength: 12 }),
        fc.uniqueArray(fc.nat(140), { maxLength: 100 }),
        (initial, changes, chosen) => {
          const column = new NumberColumn();
          initial.forEach((v, id) => v !== undefined && column.set(id, v));
          const among = new Bitmap(chosen);
          const everyone = new Bitmap(Array.from({ length: 141 }, (_, id) => id));
          // A range query builds the buckets the ranks are then walked in.
          column.select(between(-Infinity, Infinity));
          expect(atRanks(column, among)).toEqual(sorted(column, among));
          expect(atRanks(column, everyone)).toEqual(sorted(column, everyone));
          for (const [id, v] of changes) {
            if (v === undefined) column.clear(id);
            else column.set(id, v);
            expect(atRanks(column, among)).toEqual(sorted(column, among));
          }
          expect(atRanks(column, everyone)).toEqual(sorted(column, everyone));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sums the values of present ids as adding them one by one does, in every layout', () => {
    const layouts: [NumberEncoding, number[]][] = [
      ['uint8', [0, 7, 254]],
      ['uint16', [300, 65_000, 1]],
      ['int32', [-5, 1_000_000, 42]],
      ['cents', [19.99, 0.01, -3.5, 1_234_567.89]],
      ['seconds', [Date.UTC(2026, 0, 1), Date.UTC(2026, 5, 15, 8)]],
      ['milliseconds', [1_796_004_332_395, 1_796_004_332_000, 7, 1_796_090_000_001]],
      ['float32', [0.125, 1.0625, -2.5]],
      ['float64', [0.1, 0.2, Math.PI]],
    ];
    for (const [encoding, values] of layouts) {
      const column = new NumberColumn();
      values.forEach((v, id) => column.set(id * 2, v));
      expect(column.encoding).toBe(encoding);
      const ids = column.present.toUint32Array();
      const oneByOne = [...ids].reduce((sum, id) => sum + (column.get(id) ?? 0), 0);
      expect({ encoding, sum: column.sumOf(ids) }).toEqual({ encoding, sum: expect.closeTo(oneByOne, 6) as number });
    }
  });

  it('scans values outside the range where the signs are monotone', () => {
    const column = new NumberColumn();
    const values = [-10, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    values.forEach((v, id) => column.set(id, v));
    // Not monotone below 0 (|v|): those buckets must be scanned, not judged by their ends.
    const test: NumberTest = { accept: (v) => Math.abs(v) <= 3, signs: [(v) => (Math.abs(v) <= 3 ? 0 : 1)], monotoneFrom: 0, monotoneTo: 4 };
    expect(column.select(test).toArray()).toEqual(scan(column, test));
  });
});

/** The column after a snapshot round trip, in parts small enough that arrays straddle them. */
function roundTrip(column: NumberColumn): NumberColumn {
  const out = new SnapshotWriter(40);
  writeNumbers(out, column);
  const input = new SnapshotReader(out.finish());
  const read = readNumbers(input);
  input.end();
  if (!read) throw new Error('no column read back');
  return read;
}

/** Every id's value, missing ones as undefined, compared with Object.is (so -0 is not 0). */
function contents(column: NumberColumn, length = column.length): (number | undefined)[] {
  return Array.from({ length }, (_, id) => column.get(id));
}

function expectSame(actual: readonly (number | undefined)[], wanted: readonly (number | undefined)[]): void {
  expect(actual.length).toBe(wanted.length);
  actual.forEach((value, id) => expect(Object.is(value, wanted[id]), `id ${id}: ${value} for ${wanted[id]}`).toBe(true));
}

function columnOf(values: readonly (number | undefined)[], how: 'set' | 'load'): NumberColumn {
  const column = new NumberColumn();
  values.forEach((value, id) => {
    if (value === undefined) return;
    if (how === 'set') column.set(id, value);
    else column.load(id, value);
  });
  if (how === 'load') column.finishLoad(values.length);
  return column;
}

describe('number column encodings', () => {
  it.each<[string, (number | undefined)[], NumberEncoding]>([
    ['counts', [0, 3, undefined, 254, 1], 'uint8'],
    ['days', [0, 255, 4000, undefined, 65_534], 'uint16'],
    ['whole numbers', [-7, 0, 65_535, 2_147_483_647, -2_147_483_647], 'int32'],
    ['amounts with cents', [298.73, 0, 0.29, 1234.56, -5.1, undefined, 21_474_836.47], 'cents'],
    ['timestamps in whole seconds', [1_796_004_332_000, 0, undefined, 4_294_967_294_000], 'seconds'],
    ['values exact in single precision', [0.375, 16_777_216, -0, 2 ** 100], 'float32'],
    ['timestamps in milliseconds', [1_796_004_332_395, 0, undefined, 1_796_004_332_000, 999, 4_294_967_294_999, 4_294_967_294, 4_294_967_296], 'milliseconds'],
    ['anything else', [1_796_004_332_395, 1 / 3, 0.30000000000000004, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE], 'float64'],
  ])('keeps %s as %s, reading back the very same doubles, built or set, and after a snapshot', (_, values, encoding) => {
    for (const how of ['set', 'load'] as const) {
      const column = columnOf(values, how);
      expect(column.encoding).toBe(encoding);
      expectSame(contents(column, values.length), values);
      expect(column.present.toArray()).toEqual(values.flatMap((value, id) => (value === undefined ? [] : [id])));
      const read = roundTrip(column);
      expect(read.encoding).toBe(encoding);
      expectSame(contents(read, values.length), values);
      expect(read.present.toArray()).toEqual(column.present.toArray());
    }
  });

  it.each<[string, number[], number, NumberEncoding]>([
    ['uint8 → uint16 at 255, its missing marker', [3, 254], 255, 'uint16'],
    ['uint8 → int32 at a negative', [3], -1, 'int32'],
    ['uint16 → int32 at 65,535, its missing marker', [300], 65_535, 'int32'],
    ['int32 → float32 at -2^31, its missing marker', [7, -7], -2_147_483_648, 'float32'],
    ['uint8 → cents at a fraction with cents', [0, 12], 0.5, 'cents'],
    ['int32 → cents at a fraction', [-70_000], 99.99, 'cents'],
    ['int32 → float32 at a fraction when an amount is too large for cents', [1_000_000_000], 0.5, 'float32'],
    ['cents → float32 at a fraction finer than cents', [1.5, 0.25], 0.375, 'float32'],
    ['cents → float64 at a ratio', [12.34], 1 / 3, 'float64'],
    ['uint8 → seconds at a timestamp in whole seconds', [0], 1_796_004_332_000, 'seconds'],
    ['seconds → milliseconds at milliseconds', [1_796_004_332_000], 1_796_004_332_395, 'milliseconds'],
    ['seconds → milliseconds at a small whole number', [1_796_004_332_000], 5, 'milliseconds'],
    ['seconds → float64 at a fraction', [1_796_004_332_000], 0.5, 'float64'],
    ['uint8 → milliseconds at a timestamp in milliseconds', [0, 254], 1_796_004_332_395, 'milliseconds'],
    ['int32 → milliseconds at a timestamp in milliseconds', [70_000, 3], 1_796_004_332_001, 'milliseconds'],
    ['float32 → milliseconds at a timestamp in milliseconds', [2 ** 40, 1000], 1_796_004_332_001, 'milliseconds'],
    ['int32 → float64 at a timestamp in milliseconds when a value is negative', [-1], 1_796_004_332_395, 'float64'],
    ['float32 → float64 at a timestamp in milliseconds when a value is a fraction', [0.5], 1_796_004_332_395, 'float64'],
    ['milliseconds → float64 at a negative time', [1_796_004_332_395], -1_796_004_332_395, 'float64'],
    ['milliseconds → float64 at a fraction', [1_796_004_332_395], 0.25, 'float64'],
    ['milliseconds → float64 at -0', [1_796_004_332_395, 0], -0, 'float64'],
    ['milliseconds → float64 at 2^32 - 1 ms, its missing marker', [1_796_004_332_395], 4_294_967_295, 'float64'],
    ['milliseconds → float64 at 2^32 - 1 seconds', [1_796_004_332_395], 4_294_967_295_000, 'float64'],
    ['uint8 → float32 at -0', [1, 2], -0, 'float32'],
    ['uint16 → float32 past 2^32', [1000], 2 ** 40, 'float32'],
    ['float32 → float64 at 2^24 + 1', [16_777_216, 0.375], 16_777_217, 'float64'],
    ['float32 → float64 at a huge value', [0.5], Number.MAX_VALUE, 'float64'],
    ['int32 → float64 at the largest safe integer', [5], Number.MAX_SAFE_INTEGER, 'float64'],
  ])('widens %s, keeping every value exactly', (_, before, next, encoding) => {
    for (const how of ['set', 'load'] as const) {
      const column = new NumberColumn();
      // Every other id is missing, and must stay missing through the widening.
      before.forEach((value, i) => (how === 'set' ? column.set(2 * i, value) : column.load(2 * i, value)));
      const start = column.encoding;
      expect(start).not.toBe(encoding);
      if (how === 'set') column.set(2 * before.length, next);
      else {
        column.load(2 * before.length, next);
        column.finishLoad(2 * before.length + 1);
      }
      expect(column.encoding).toBe(encoding);
      const wanted = [...before, next].flatMap((value) => [value, undefined]).slice(0, 2 * before.length + 1);
      expectSame(contents(column, wanted.length), wanted);
      expectSame(contents(roundTrip(column), wanted.length), wanted);
      // Growing a widened column keeps its encoding.
      column.set(5000, 0);
      expect(column.encoding).toBe(encoding);
      expectSame(contents(column, wanted.length), wanted);
    }
  });

  it('holds a value in an encoding only when it reads back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => {
        for (const encoding of NUMBER_ENCODINGS) {
          const raw = encodeNumber(encoding, value);
          if (raw === undefined) continue;
          const column = new NumberColumn();
          column.restore(holding(encoding, raw));
          expect(Object.is(column.get(0), value)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every value, through widening, clearing, buckets and snapshots', () => {
    const kinds = [
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: -70_000, max: 70_000 }),
      fc.integer({ min: -99_999, max: 99_999 }).map((cents) => cents / 100),
      fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }).map((seconds) => seconds * 1000),
      fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
      fc.constantFrom(-0, 0, 0.375, 1 / 3, 2 ** 31, -(2 ** 31), 255, 65_535, Number.MAX_VALUE, -Number.MAX_VALUE, 4_294_967_295, 4_294_967_294_999, 4_294_967_295_000),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ];
    // Each column mostly of one kind, with the odd value of any other: every encoding is
    // where some column starts, and every widening happens somewhere.
    const writes = fc.integer({ min: 0, max: kinds.length - 1 }).chain((kind) => {
      const value = fc.oneof({ arbitrary: kinds[kind] as fc.Arbitrary<number>, weight: 12 }, ...kinds.map((arbitrary) => ({ arbitrary, weight: 1 })));
      return fc.array(fc.tuple(fc.nat(60), fc.option(value, { nil: undefined, freq: 4 }), fc.boolean()), { minLength: 1, maxLength: 80 });
    });
    fc.assert(
      fc.property(writes, (writes) => {
        const model = new Map<number, number>();
        const built = new NumberColumn();
        const column = new NumberColumn();
        const range = between(-1000, 1_750_000_000_000);
        for (const [id, v, check] of writes) {
          if (v === undefined) {
            column.clear(id);
            model.delete(id);
          } else {
            // Setting an equal value keeps the stored one, as `===` cannot tell -0 from 0.
            if (model.get(id) !== v) model.set(id, v);
            column.set(id, v);
          }
          if (check) expect(column.select(range).toArray()).toEqual(scan(column, range));
        }
        for (const [id, v] of model) built.load(id, v);
        built.finishLoad(61);
        const wanted = Array.from({ length: 61 }, (_, id) => model.get(id));
        expectSame(contents(column, 61), wanted);
        expectSame(contents(built, 61), wanted);
        expectSame(contents(roundTrip(column), 61), wanted);
        expect(column.present.toArray()).toEqual([...model.keys()].sort((a, b) => a - b));
        expect(built.present.toArray()).toEqual(column.present.toArray());
        expect(column.select(range).toArray()).toEqual(scan(column, range));
        expect(roundTrip(column).select(range).toArray()).toEqual(scan(column, range));
      }),
      { numRuns: 300 },
    );
  });
});

/** Where two lists of ids first differ (-1: nowhere). */
function firstDifference(actual: ArrayLike<number>, wanted: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(actual.length, wanted.length); i++) if (actual[i] !== wanted[i]) return i;
  return -1;
}

/** Every id of the model that holds a value, ascending. */
function modelIds(model: (number | undefined)[]): number[] {
  return model.flatMap((value, id) => (value === undefined ? [] : [id]));
}

function expectAgrees(column: NumberColumn, model: (number | undefined)[], probes: readonly number[]): void {
  for (let id = 0; id < model.length + 200; id++) {
    expect(Object.is(column.get(id), model[id]), `id ${id}: ${column.get(id)} for ${model[id]}`).toBe(true);
  }
  const ids = modelIds(model);
  expect(firstDifference(column.present.toArray(), ids)).toBe(-1);
  const held = Uint32Array.from(ids);
  const sum = ids.reduce((total, id) => total + (model[id] as number), 0);
  expect(column.sumOf(held)).toBeCloseTo(sum, 3);
  const sorted = ids.map((id) => model[id] as number).sort((a, b) => a - b);
  const ranks = [0, sorted.length >> 1, sorted.length - 1].filter((rank) => rank >= 0 && rank < sorted.length);
  const atRanks = column.valuesAtRanks(new Bitmap(held), ranks);
  // -0 and 0 sort alike, so either may stand at a rank.
  for (const rank of ranks) expect(atRanks.get(rank) === sorted[rank], `rank ${rank}`).toBe(true);
  for (const test of [between(-1, 1.5), between(2, 1e12), notEqual(0)]) {
    const wanted = ids.filter((id) => test.accept(model[id] as number));
    const domain = new Bitmap(Uint32Array.from(probes.filter((probe) => probe < model.length)).sort());
    for (const minValues of [0, Number.MAX_SAFE_INTEGER]) {
      // 0: answered from value buckets; any larger: a scan of the blocks.
      numberBucketSettings.minValues = minValues;
      expect(firstDifference(column.select(test).toArray(), wanted)).toBe(-1);
      expect(column.select(test, domain).toArray().filter((x) => domain.has(x))).toEqual(wanted.filter((x) => domain.has(x)));
    }
    numberBucketSettings.minValues = saved.minValues;
  }
}

describe('number columns in blocks', () => {
  // Blocks of 64 ids here, so that a small column spans several and grows past them; most of
  // each block holds one value, as most customers hold 0 refunded or no value at all.
  const BLOCK_BITS = 6;
  const LENGTH = 300;
  beforeAll(() => Object.assign(numberBucketSettings, saved));
  afterAll(() => Object.assign(numberBucketSettings, { minValues: 0, fineBuckets: 1 << 20, minFineSize: 4, finePerStep: 3, minDirtyLimit: 6, minRankWalk: 0 }));
  const commons = fc.constantFrom<number | undefined>(0, undefined, 1.5, 1_796_004_332_000, 1_796_004_332_395, -0, 7);
  const other = fc.oneof(
    fc.constantFrom<number | undefined>(undefined, 0, -0, 1, 2.25, 65_535, 1 / 3, 2 ** 40, -5, 4_294_967_295, 1_796_004_332_001),
    fc.integer({ min: -3, max: 300 }),
    fc.integer({ min: 1_796_000_000_000, max: 1_796_100_000_000 }),
  );
  const id = fc.oneof(fc.nat(20), fc.integer({ min: 60, max: 70 }), fc.integer({ min: 250, max: LENGTH + 150 }), fc.nat(LENGTH));

  it('answers as the plain array does, after a build, through writes, growth and widening, and after a snapshot', () => {
    fc.assert(
      fc.property(commons, fc.array(fc.tuple(id, other), { maxLength: 40 }), fc.array(fc.tuple(id, other), { maxLength: 40 }), (common, loaded, written) => {
        numberBlockSettings.blockBits = BLOCK_BITS;
        const model: (number | undefined)[] = new Array<number | undefined>(LENGTH).fill(common);
        for (const [at, value] of loaded) if (at < LENGTH) model[at] = value;
        const column = new NumberColumn();
        model.forEach((value, at) => value !== undefined && column.load(at, value));
        column.finishLoad(LENGTH);
        // Most ids hold one value: the build keeps it in blocks, in less memory than the array.
        expect('blocked' in column.stored).toBe(true);
        expect(column.bytes()).toBeLessThan(LENGTH * WIDTHS[column.encoding]);
        const probes = [...loaded, ...written].map(([at]) => at);
        expectAgrees(column, model, probes);
        for (const [at, value] of written) {
          if (value === undefined) column.clear(at);
          else column.set(at, value);
          // `set` keeps a stored value that === the new one (-0 for 0, as for plain arrays).
          if (value === undefined || model[at] !== value) model[at] = value;
        }
        while (model.length > 0 && model[model.length - 1] === undefined) model.pop();
        expectAgrees(column, model, probes);
        expectAgrees(roundTrip(column), model, probes);
        numberBlockSettings.blockBits = 16;
      }),
      { numRuns: 100 },
    );
  });

  it('turns a sparse block into an array when too many of its ids differ, and grows past the last block with nothing in between', () => {
    const column = new NumberColumn();
    for (let at = 0; at < 70_000; at++) column.load(at, 0);
    column.finishLoad(70_000);
    const before = column.bytes();
    expect(before).toBeLessThan(1_000);
    // Every id of the first block differs: the block becomes an array of 65,536 values.
    for (let at = 0; at < 65_536; at++) column.set(at, (at % 200) + 1);
    expect(column.bytes()).toBeGreaterThanOrEqual(65_536);
    for (let at = 0; at < 65_536; at += 997) expect(column.get(at)).toBe((at % 200) + 1);
    expect(column.get(69_999)).toBe(0);
    // Past the end: ids between stay without a value though the last block's common value is 0.
    column.set(70_010, 5);
    expect([column.get(70_000), column.get(70_009), column.get(70_010), column.get(70_011)]).toEqual([undefined, undefined, 5, undefined]);
    column.set(300_000, 6);
    expect([column.get(200_000), column.get(299_999), column.get(300_000)]).toEqual([undefined, undefined, 6]);
    expect(column.present.size).toBe(70_002);
    const read = roundTrip(column);
    expect([read.get(1), read.get(69_999), read.get(70_000), read.get(70_010), read.get(300_000)]).toEqual([2, 0, undefined, 5, 6]);
  });
});

describe('timestamps in milliseconds', () => {
  // Blocks of 64 ids here too, for the column that widens in blocks.
  beforeAll(() => Object.assign(numberBucketSettings, saved));
  afterAll(() => Object.assign(numberBucketSettings, { minValues: 0, fineBuckets: 1 << 20, minFineSize: 4, finePerStep: 3, minDirtyLimit: 6, minRankWalk: 0 }));
  const LENGTH = 300;
  // Times in milliseconds, some in whole seconds, a few near the ends of the layout; now and then
  // a value it cannot hold, which widens the column.
  const time = fc.oneof(
    { arbitrary: fc.integer({ min: 1_796_000_000_000, max: 1_796_100_000_000 }), weight: 10 },
    { arbitrary: fc.integer({ min: 1_796_000_000, max: 1_796_100_000 }).map((seconds) => seconds * 1000), weight: 2 },
    { arbitrary: fc.constantFrom(0, 1, 999, 1000, 4_294_967_294, 4_294_967_296, 4_294_967_294_999), weight: 1 },
  );
  const odd = fc.constantFrom(-1, 0.5, -0, 4_294_967_295, 4_294_967_295_000, 1 / 3);
  const slot = fc.option(time, { nil: undefined, freq: 6 });
  const id = fc.oneof(fc.nat(LENGTH - 1), fc.integer({ min: LENGTH, max: LENGTH + 1500 }));

  it('answers as the doubles did, after a build, through writes, clearing, growth and widening, and after a snapshot', () => {
    fc.assert(
      fc.property(
        fc.array(slot, { minLength: LENGTH, maxLength: LENGTH }),
        fc.array(fc.tuple(id, fc.oneof({ arbitrary: slot, weight: 12 }, { arbitrary: odd, weight: 1 })), { maxLength: 40 }),
        fc.boolean(),
        (loaded, written, built) => {
          const model: (number | undefined)[] = [...loaded];
          const column = built ? columnOf(model, 'load') : columnOf(model, 'set');
          const inMilliseconds = model.some((value) => value !== undefined && value >= 1000 && value % 1000 !== 0);
          if (inMilliseconds) expect(column.encoding).toBe('milliseconds');
          const probes = written.map(([at]) => at);
          expectAgrees(column, model, probes);
          let widened = false;
          for (const [at, value] of written) {
            // A value the layout cannot hold widens it for good, unless `set` keeps an equal value (0 for -0).
            if (value !== undefined && model[at] !== value && (value < 0 || Object.is(value, -0) || !Number.isInteger(value) || value === 4_294_967_295 || value >= 4_294_967_295_000)) widened = true;
            if (value === undefined) column.clear(at);
            else column.set(at, value);
            if (value === undefined || model[at] !== value) model[at] = value;
          }
          while (model.length > 0 && model[model.length - 1] === undefined) model.pop();
          if (inMilliseconds) expect(column.encoding).toBe(widened ? 'float64' : 'milliseconds');
          expectAgrees(column, model, probes);
          const read = roundTrip(column);
          expect(read.encoding).toBe(column.encoding);
          expectAgrees(read, model, probes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps six bytes a customer, and a time most customers lack in blocks of doubles that widen in place', () => {
    const times = Array.from({ length: 1000 }, (_, id) => 1_796_000_000_000 + id * 86_400_123);
    const dense = columnOf(times, 'load');
    expect(dense.encoding).toBe('milliseconds');
    expect('blocked' in dense.stored).toBe(false);
    expect(dense.bytes()).toBe(6 * 1000);
    numberBlockSettings.blockBits = 6;
    try {
      const rare: (number | undefined)[] = times.map((time, id) => (id % 50 === 0 ? time : undefined));
      const sparse = columnOf(rare, 'load');
      expect(sparse.encoding).toBe('milliseconds');
      expect('blocked' in sparse.stored).toBe(true);
      expect(sparse.bytes()).toBeLessThan(6 * 1000 * 0.8);
      expectAgrees(sparse, rare, [0, 50, 51, 999]);
      expectAgrees(roundTrip(sparse), rare, [0, 50, 51, 999]);
      // A column of counts in blocks widens to milliseconds, and then to doubles, in place.
      const counts: (number | undefined)[] = times.map((_, id) => (id % 40 === 0 ? 3 : 0));
      const widening = columnOf(counts, 'load');
      expect(['blocked' in widening.stored, widening.encoding]).toEqual([true, 'uint8']);
      widening.set(7, 1_796_004_332_395);
      counts[7] = 1_796_004_332_395;
      expect(['blocked' in widening.stored, widening.encoding]).toEqual([true, 'milliseconds']);
      expectAgrees(widening, counts, [7, 8]);
      expectAgrees(roundTrip(widening), counts, [7, 8]);
      widening.set(9, 0.5);
      counts[9] = 0.5;
      expect(['blocked' in widening.stored, widening.encoding]).toEqual([true, 'float64']);
      expectAgrees(widening, counts, [7, 9]);
    } finally {
      numberBlockSettings.blockBits = 16;
    }
  });
});

/** Bytes per id of each encoding's array. */
const WIDTHS: Record<NumberEncoding, number> = { uint8: 1, uint16: 2, int32: 4, cents: 4, seconds: 4, float32: 4, milliseconds: 6, float64: 8 };

/** A one-id array of `encoding` holding `raw`. */
function holding(encoding: NumberEncoding, raw: number): NumberData {
  switch (encoding) {
    case 'uint8':
      return { encoding, values: Uint8Array.of(raw) };
    case 'uint16':
      return { encoding, values: Uint16Array.of(raw) };
    case 'int32':
    case 'cents':
      return { encoding, values: Int32Array.of(raw) };
    case 'seconds':
      return { encoding, values: Uint32Array.of(raw) };
    case 'milliseconds':
      return { encoding, values: Uint32Array.of(Math.floor(raw / 1000)), remainders: Uint16Array.of(raw % 1000) };
    case 'float32':
      return { encoding, values: Float32Array.of(raw) };
    case 'float64':
      return { encoding, values: Float64Array.of(raw) };
    default: {
      const unreachable: never = encoding;
      return unreachable;
    }
  }
}

/** Strings of any UTF-16 code units (lone surrogates too), and a few whose order UTF-8 would get wrong. */
const text = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }).map((units) => String.fromCharCode(...units)),
  fc.constantFrom('', 'a', 'ab', 'b', '🎉城', '￥', '\uffff', '\ud800', 'O"Town', '广州', '1990-02-28'),
);

function dictionaryRoundTrip(column: DictionaryColumn<string>): DictionaryColumn<string> {
  const out = new SnapshotWriter(40);
  writeDictionary(out, column, (value) => out.string(value));
  const input = new SnapshotReader(out.finish());
  const read = readDictionary(input, () => input.string(), true);
  input.end();
  if (!read) throw new Error('no column read back');
  return read;
}

function textOrder(left: string, right: string): number {
  return left === right ? 0 : left < right ? -1 : 1;
}

describe('dictionary columns', () => {
  const saved = { ...dictionarySettings };
  afterAll(() => Object.assign(dictionarySettings, saved));

  it.each([
    [255, 1],
    [256, 2],
    [65_535, 2],
    [65_536, 4],
  ])('keeps the codes of %i values in %i-byte codes, widening as values arrive, through a snapshot', (values, bytes) => {
    for (const how of ['set', 'load'] as const) {
      const column = new DictionaryColumn<string>();
      // Customer 0 never has a value; the others take the values in turn, a few of them twice.
      const customers = values + 10;
      for (let id = 1; id < customers; id++) {
        const value = `v${id % values}`;
        if (how === 'set') column.set(id, value);
        else column.load(id, value);
      }
      if (how === 'load') column.finishLoad(customers);
      expect(column.valueCount).toBe(values);
      expect(column.stored.codes.BYTES_PER_ELEMENT).toBe(bytes);
      const read = dictionaryRoundTrip(column);
      for (const each of [column, read]) {
        expect(each.get(0)).toBeUndefined();
        expect(each.code(0)).toBe(-1);
        expect([1, values - 1, values, customers - 1].map((id) => each.get(id))).toEqual([1, values - 1, values, customers - 1].map((id) => `v${id % values}`));
        expect(each.present.size).toBe(customers - 1);
      }
      expect(read.stored.codes.BYTES_PER_ELEMENT).toBe(bytes);
      read.clear(values - 1);
      expect(read.get(values - 1)).toBeUndefined();
      read.set(customers + 5, 'v3');
      expect(read.valueCount).toBe(values);
      expect(read.get(customers + 5)).toBe('v3');
    }
  });

  it('compacts to the values someone holds, listed or pooled, answering as before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(text, { nil: undefined, freq: 4 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(70), fc.option(text, { nil: undefined })), { maxLength: 30 }),
        fc.constantFrom(1, 1_000_000),
        (initial, changes, limit) => {
          dictionarySettings.maxValueBitmaps = limit;
          const column = new DictionaryColumn<string>();
          initial.forEach((value, id) => value !== undefined && column.set(id, value));
          for (const [id, value] of changes) {
            column.clear(id);
            if (value !== undefined) column.set(id, value);
          }
          const held = new Map<number, string>();
          for (let id = 0; id < 71; id++) {
            const value = column.get(id);
            if (value !== undefined) held.set(id, value);
          }
          const compact = column.compacted();
          const distinct = new Set(held.values());
          expect(compact.valueCount).toBe(distinct.size);
          if (distinct.size === column.valueCount) expect(compact).toBe(column);
          for (const each of [compact, dictionaryRoundTrip(compact)]) {
            const values = Array.from({ length: each.valueCount }, (_, code) => each.value(code));
            expect(new Set(values)).toEqual(distinct);
            for (let id = 0; id < 71; id++) expect(each.get(id)).toBe(held.get(id));
            expect(each.present.toArray()).toEqual([...held.keys()]);
            for (const value of distinct) {
              const wanted = [...held].filter(([, v]) => v === value).map(([id]) => id);
              expect(each.selectCodes(each.matching({ accept: (v) => v === value, operands: [value] })).toArray()).toEqual(wanted);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers from pooled values exactly as from listed ones, in JavaScript order, before and after a snapshot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(text, { nil: undefined, freq: 5 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(70), fc.option(text, { nil: undefined })), { maxLength: 20 }),
        fc.array(text, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (initial, changes, operands, build) => {
          const columns = [1, 1_000_000].map((limit) => {
            dictionarySettings.maxValueBitmaps = limit;
            const column = new DictionaryColumn<string>();
            initial.forEach((value, id) => {
              if (value === undefined) return;
              if (build) column.load(id, value);
              else column.set(id, value);
            });
            if (build) column.finishLoad(initial.length);
            // As the index refreshes a customer: cleared first, then set.
            for (const [id, value] of changes) {
              column.clear(id);
              if (value !== undefined) column.set(id, value);
            }
            return column;
          });
          const [pooled, listed] = columns as [DictionaryColumn<string>, DictionaryColumn<string>];
          const both = [pooled, dictionaryRoundTrip(pooled)];
          const model = new Map<number, string>();
          for (let id = 0; id < 71; id++) {
            const value = listed.get(id);
            if (value !== undefined) model.set(id, value);
          }
          const [low, high] = [operands[0] as string, operands.at(-1) as string].sort(textOrder) as [string, string];
          const tests: DictionaryTest[] = [
            ...operands.map((right) => ({ accept: (value: unknown) => typeof value === 'string' && value < right, operands: [right] })),
            ...operands.map((right) => ({ accept: (value: unknown) => value === right, operands: [right] })),
            { accept: (value) => operands.includes(value as string), operands },
            { accept: (value) => !operands.includes(value as string), operands },
            { accept: (value) => typeof value === 'string' && value >= low && value <= high, operands: [low, high] },
            { accept: () => true, operands: [] },
            // Not a function of the order: every value is looked at.
            { accept: (value) => typeof value === 'string' && value.length % 2 === 1, operands: undefined },
          ];
          for (const column of both) {
            expect(column.stored.values).toBeInstanceOf(pooled.valueCount > 1 ? StringPool : Array);
            for (let id = 0; id < 71; id++) expect(column.get(id)).toBe(model.get(id));
            for (const test of tests) {
              const wanted = [...model].filter(([, value]) => test.accept(value)).map(([id]) => id).sort((a, b) => a - b);
              expect(column.selectCodes(column.matching(test)).toArray()).toEqual(wanted);
              expect(listed.selectCodes(listed.matching(test)).toArray()).toEqual(wanted);
            }
            // Ranks order the values as `<` does.
            const ranks = column.ranks();
            const byRank = Array.from({ length: column.valueCount }, (_, code) => code).sort((a, b) => (ranks[a] as number) - (ranks[b] as number));
            const values = byRank.map((code) => column.value(code));
            expect(values).toEqual([...values].sort(textOrder));
            // New writes find the codes of values already there.
            const count = column.valueCount;
            for (const value of model.values()) {
              column.clear(80);
              column.set(80, value);
            }
            expect(column.valueCount).toBe(count);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the customers whose date falls on given month-days, through changes, whatever the year, real dates only', () => {
    const dates = fc.constantFrom('1990-01-01', '1985-02-28', '2000-02-29', '2023-02-29', '1999-12-31', '1970-03-01', '1988-07-15', '2001-07-15', '1960-13-01', 'abc', '1975-04-31', '1992-04-30');
    const monthDays = fc.uniqueArray(fc.constantFrom('01-01', '02-28', '02-29', '03-01', '04-30', '04-31', '07-15', '12-31', '13-01'), { maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(fc.option(dates, { nil: undefined, freq: 4 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(45), fc.option(dates, { nil: undefined })), { maxLength: 20 }),
        fc.array(monthDays, { minLength: 1, maxLength: 3 }),
        (initial, changes, queries) => {
          dictionarySettings.maxValueBitmaps = 1;
          const column = new DictionaryColumn<string>();
          initial.forEach((value, id) => value !== undefined && column.set(id, value));
          const expected = (wanted: readonly string[]) => {
            const out: number[] = [];
            for (let id = 0; id < 46; id++) {
              const value = column.get(id);
              if (value !== undefined && isValidDate(value) && wanted.includes(value.slice(5))) out.push(id);
            }
            return out;
          };
          // Asked before the changes, so that the month-day bitmaps built then must follow them.
          expect(column.anniversaryHolders(queries[0] ?? []).toArray()).toEqual(expected(queries[0] ?? []));
          for (const [id, value] of changes) {
            if (value === undefined) column.clear(id);
            else column.set(id, value);
          }
          for (const query of queries) expect(column.anniversaryHolders(query).toArray()).toEqual(expected(query));
          expect(dictionaryRoundTrip(column).anniversaryHolders(queries[0] ?? []).toArray()).toEqual(expected(queries[0] ?? []));
        },
      ),
      { numRuns: 300 },
    );
  });
});
