// The byte store of many distinct strings: values read back as they went in (lone surrogates,
// long strings), order and lookups follow JavaScript's `<` across merges, and parts that do
// not describe a pool are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/index/string-pool.js';

function order(left: string, right: string): number {
  return left === right ? 0 : left < right ? -1 : 1;
}

describe('string pool', () => {
  it('reads back any string, orders by UTF-16 code units and finds every value, across merges', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 6 }).map((units) => String.fromCharCode(...units)),
            fc.constantFrom('', '🎉', '\ud83c', '\udf89', '￥', '\uffff', 'C0001', '张三'),
          ),
          { maxLength: 80 },
        ),
        fc.nat(80),
        (values, mergeAt) => {
          const pool = new StringPool();
          values.forEach((value, code) => {
            expect(pool.codeOf(value)).toBe(-1);
            expect(pool.add(value)).toBe(code);
            if (code === mergeAt) pool.merge();
          });
          values.forEach((value, code) => {
            expect(pool.value(code)).toBe(value);
            expect(pool.codeOf(value)).toBe(code);
          });
          const sorted = [...pool.order()].map((code) => pool.value(code));
          expect(sorted).toEqual([...values].sort(order));
          for (const value of [...values, '', '\u0000', 'C', '\ud7ff', '\ue000']) {
            const [from, to] = pool.range(value);
            expect(from).toBe(sorted.filter((other) => other < value).length);
            expect(to - from).toBe(values.includes(value) ? 1 : 0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges many additions and keeps answering lookups between merges', () => {
    const pool = new StringPool();
    const values = Array.from({ length: 20_000 }, (_, i) => `C${String((i * 7919) % 20_000).padStart(6, '0')}`);
    for (const value of values) {
      pool.add(value);
      if (pool.mergeDue()) pool.merge();
    }
    expect(values.every((value, code) => pool.codeOf(value) === code)).toBe(true);
    expect(pool.codeOf('C020000')).toBe(-1);
    const sorted = [...pool.order()].map((code) => pool.value(code));
    expect(sorted).toEqual([...values].sort(order));
  });

  it('reads back a value longer than one call of fromCharCode takes', () => {
    const pool = new StringPool();
    const long = '长'.repeat(10_000) + 'x'.repeat(5000);
    pool.add(long);
    expect(pool.value(0)).toBe(long);
    expect(pool.codeOf(long)).toBe(0);
  });

  it('comes back whole from its parts, values added since the last merge included, and refuses parts that do not describe a pool', () => {
    const pool = new StringPool();
    for (const value of ['b', 'a', 'c']) pool.add(value);
    pool.merge();
    pool.add('aa');
    const { data, starts, sorted } = pool.parts();
    const read = StringPool.fromParts(data.slice(), starts.slice(), sorted.slice());
    if (!read) throw new Error('parts refused');
    expect(['b', 'a', 'c', 'aa', 'd'].map((value) => read.codeOf(value))).toEqual([0, 1, 2, 3, -1]);
    expect([...read.order()]).toEqual([1, 3, 0, 2]);

    expect(StringPool.fromParts(data, starts, Uint32Array.of(1, 1, 2))).toBeUndefined();
    expect(StringPool.fromParts(data, starts, Uint32Array.of(0, 1, 2))).toBeUndefined();
    expect(StringPool.fromParts(data, starts, Uint32Array.of(1, 0, 5))).toBeUndefined();
    expect(StringPool.fromParts(data, Uint32Array.of(0, 2, 1, 3, data.length), sorted)).toBeUndefined();
    expect(StringPool.fromParts(data.subarray(1), starts, sorted)).toBeUndefined();
    expect(StringPool.fromParts(data, new Uint32Array(0), new Uint32Array(0))).toBeUndefined();
  });
});
