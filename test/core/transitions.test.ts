import { describe, expect, it } from 'vitest';
import { countTransitions, valueHeldAt, type HeldPair } from '../../src/core/transitions.js';

const pair = (customerId: number, start: number | null, end: number | null): HeldPair => ({ customerId, start, end });

describe('tag transitions', () => {
  it('holds what an add or replace left, until its expiry, and nothing after a remove or expiry', () => {
    expect(valueHeldAt('add', 7, null, 100)).toBe(7);
    expect(valueHeldAt('replace', 8, null, 100)).toBe(8);
    expect(valueHeldAt('add', 7, 100, 100)).toBeNull();
    expect(valueHeldAt('add', 7, 101, 100)).toBe(7);
    expect(valueHeldAt('remove', 7, null, 100)).toBeNull();
    expect(valueHeldAt('expire', 7, null, 100)).toBeNull();
  });

  it('counts flows of a single-valued tag, leaving out who held nothing at both ends', () => {
    const counts = countTransitions([pair(1, 10, 11), pair(2, 10, 10), pair(3, 11, null), pair(4, null, null), pair(5, null, 10)], true);
    expect(counts).toMatchObject({ holdersFrom: 3, holdersTo: 3, entered: 1, left: 1 });
    expect(counts.flows).toEqual(
      expect.arrayContaining([
        { from: 10, to: 11, customers: 1 },
        { from: 10, to: 10, customers: 1 },
        { from: 11, to: null, customers: 1 },
        { from: null, to: 10, customers: 1 },
      ]),
    );
    expect(counts.flows).toHaveLength(4);
    expect(counts.values.get(10)).toEqual({ valueId: 10, heldFrom: 2, heldTo: 2, gained: 1, lost: 1 });
    expect(counts.values.get(11)).toEqual({ valueId: 11, heldFrom: 1, heldTo: 1, gained: 1, lost: 1 });
  });

  it('lists the largest flows first', () => {
    const counts = countTransitions([pair(1, 10, 11), pair(2, 10, 10), pair(3, 10, 10), pair(4, 10, 10), pair(5, null, 11), pair(6, null, 11)], true);
    expect(counts.flows.map((flow) => flow.customers)).toEqual([3, 2, 1]);
  });

  it('counts a multi-valued tag per value: a customer may gain one value and keep another', () => {
    const counts = countTransitions([pair(1, 10, 10), pair(1, 11, null), pair(1, null, 12), pair(2, 10, null)], false);
    expect(counts.flows).toEqual([]);
    expect([...counts.values.values()].map(({ valueId, gained, lost }) => [valueId, gained, lost]).sort()).toEqual([
      [10, 0, 1],
      [11, 0, 1],
      [12, 1, 0],
    ]);
    expect(counts).toMatchObject({ holdersFrom: 2, holdersTo: 1, entered: 0, left: 1 });
  });
});
