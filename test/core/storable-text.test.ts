// Where a batch's item holds text the stores cannot keep alike: every place, in the item's order.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { unstorableTextPlaces } from '../../src/core/storable-text.js';
import { parseBatch } from '../../src/core/validation.js';

const NUL = String.fromCharCode(0);

describe('text a store cannot keep', () => {
  it('is found at every place of a value, a key that holds it named and not walked into', () => {
    expect(unstorableTextPlaces({ a: `x${NUL}`, b: [1, 'ok', '\ud800'], [`k${NUL}`]: { deeper: NUL }, c: { d: '\udc00' } })).toEqual([['a'], ['b', '2'], [`k${NUL}`], ['c', 'd']]);
    expect(unstorableTextPlaces(NUL)).toEqual([[]]);
    expect(unstorableTextPlaces({ pair: '\ud83d\ude00', none: null, n: 1 })).toEqual([]);
  });

  it('refuses its item in a batch with the item\'s other problems, a key named as JSON writes it', () => {
    const { values, errors } = parseBatch(z.strictObject({ id: z.string(), n: z.number().optional() }), [{ id: 'a' }, { id: `b${NUL}`, n: 'x' }, { id: 'c', [`k${NUL}`]: 1 }]);
    expect(values).toEqual([{ id: 'a' }, undefined, undefined]);
    expect(errors.map((error) => [error.index, error.path, error.inItem])).toEqual([
      [1, 'n', ['n']],
      [1, 'id', ['id']],
      // The schema's word on the key, and the key's own, both named so.
      [2, 'k\\u0000', [`k${NUL}`]],
      [2, 'k\\u0000', [`k${NUL}`]],
    ]);
  });
});
