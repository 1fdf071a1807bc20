import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedPage } from '../../src/index/sorted-page.js';

/** The order the page must agree with: a full sort, as the index did before. */
function fullSort(ids: Uint32Array, keys: Float64Array, descending: boolean): number[] {
  const valued: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < ids.length; i++) (Number.isNaN(keys[i]) ? missing : valued).push(i);
  const direction = descending ? -1 : 1;
  valued.sort((a, b) => ((keys[a] as number) - (keys[b] as number)) * direction || (ids[a] as number) - (ids[b] as number));
  return [...valued, ...missing].map((i) => ids[i] as number);
}

describe('sortedPage', () => {
  it('agrees with a full sort on every page, with repeated keys, -0 and missing values', () => {
    const key = fc.oneof(fc.constantFrom(0, -0, 1, 2.5, NaN, -3), fc.double({ noNaN: true, min: -1e6, max: 1e6 }));
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(10_000), { maxLength: 300 }), fc.array(key, { minLength: 300, maxLength: 300 }), fc.boolean(), fc.nat(320), fc.integer({ min: 1, max: 40 }), (rawIds, rawKeys, descending, offset, limit) => {
        const ids = Uint32Array.from(rawIds.sort((a, b) => a - b));
        const keys = Float64Array.from(rawKeys.slice(0, ids.length));
        expect(sortedPage(ids, keys, descending, offset, limit)).toEqual(fullSort(ids, keys, descending).slice(offset, offset + limit));
      }),
      { numRuns: 400 },
    );
  });

  it('walks every page of a large tie without duplicates or gaps', () => {
    const n = 5000;
    const ids = Uint32Array.from({ length: n }, (_, i) => i * 3 + 1);
    const keys = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : i % 7 === 0 ? NaN : i % 50));
    for (const descending of [false, true]) {
      const seen: number[] = [];
      for (let offset = 0; offset < n; offset += 20) seen.push(...sortedPage(ids, keys, descending, offset, 20));
      expect(seen).toEqual(fullSort(ids, keys, descending));
    }
  });
});
