import { describe, expect, it } from 'vitest';
import { countTransitions, heldValues, valueHeldAt, type LastTagChange } from '../../src/core/transitions.js';

const change = (customerId: number, action: string, valueId: number, expiresAt: number | null = null): LastTagChange => ({ customerId, action, valueId, expiresAt });

describe('tag transitions', () => {
  it('holds what an add or replace left, until its expiry, and nothing after a remove or expiry', () => {
    expect(valueHeldAt(change(1, 'add', 7), 100)).toBe(7);
    expect(valueHeldAt(change(1, 'replace', 8), 100)).toBe(8);
    expect(valueHeldAt(change(1, 'add', 7, 100), 100)).toBeNull();
    expect(valueHeldAt(change(1, 'add', 7, 101), 100)).toBe(7);
    expect(valueHeldAt(change(1, 'remove', 7), 100)).toBeNull();
    expect(valueHeldAt(change(1, 'expire', 7), 100)).toBeNull();
  });

  it('counts flows of a single-valued tag, leaving out who held nothing at both ends', () => {
    const start = heldValues([change(1, 'add', 10), change(2, 'add', 10), change(3, 'add', 11), change(4, 'remove', 10)], 0);
    const end = heldValues([change(1, 'replace', 11), change(2, 'add', 10), change(5, 'add', 10)], 0);
    const counts = countTransitions(start, end, true);
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

  it('counts a multi-valued tag per value: a customer may gain one value and keep another', () => {
    const start = heldValues([change(1, 'add', 10), change(1, 'add', 11)], 0);
    const end = heldValues([change(1, 'add', 10), change(1, 'remove', 11), change(1, 'add', 12)], 0);
    const counts = countTransitions(start, end, false);
    expect(counts.flows).toEqual([]);
    expect([...counts.values.values()].map(({ valueId, gained, lost }) => [valueId, gained, lost]).sort()).toEqual([
      [10, 0, 0],
      [11, 0, 1],
      [12, 1, 0],
    ]);
    expect(counts).toMatchObject({ holdersFrom: 1, holdersTo: 1, entered: 0, left: 0 });
  });
});
