// Times as the API writes them: the arithmetic `toIso` against Date#toISOString.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { toIso } from '../../src/core/time.js';

it('writes times as Date#toISOString does', () => {
  const year10000 = Date.UTC(10000, 0, 1);
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: year10000 - 1 }), fc.integer({ min: -year10000, max: 2 * year10000 }), fc.double({ min: 0, max: year10000, noNaN: true })), (ms) => {
      expect(toIso(ms)).toBe(new Date(ms).toISOString());
    }),
    { numRuns: 20_000 },
  );
  for (const ms of [0, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, year10000 - 1, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1)]) {
    expect(toIso(ms)).toBe(new Date(ms).toISOString());
  }
});
