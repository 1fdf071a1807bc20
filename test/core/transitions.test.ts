import { describe, expect, it } from 'vitest';
import { countTransitions, heldBefore, heldPairsOf, type CurrentAssignment, type HeldPair, type TagChange } from '../../src/core/transitions.js';

const pair = (customerId: number, start: number | null, end: number | null): HeldPair => ({ customerId, start, end });

describe('tag transitions', () => {
  const change = (customerId: number, action: string, valueId: number, at: number, extra: Partial<TagChange> = {}): TagChange => ({ customerId, action, valueId, previousValueId: null, expiresAt: null, at, ...extra });

  it('takes what a change followed: nothing after an add, the previous value after a replace, the value after a removal', () => {
    expect(heldBefore(change(1, 'add', 7, 200), 100)).toBeNull();
    expect(heldBefore(change(1, 'replace', 8, 200, { previousValueId: 7 }), 100)).toBe(7);
    expect(heldBefore(change(1, 'remove', 7, 200), 100)).toBe(7);
    // An expiry recorded after it happened: gone from the expiry on.
    expect(heldBefore(change(1, 'expire', 7, 200, { expiresAt: 150 }), 100)).toBe(7);
    expect(heldBefore(change(1, 'expire', 7, 200, { expiresAt: 150 }), 160)).toBeNull();
  });

  it('rewinds the assignments standing now by the changes after each instant', () => {
    const current: CurrentAssignment[] = [
      { customerId: 1, valueId: 11, expiresAt: null },
      { customerId: 2, valueId: 10, expiresAt: null },
      { customerId: 3, valueId: 10, expiresAt: 250 },
    ];
    const changes = [change(1, 'replace', 11, 150, { previousValueId: 10 }), change(4, 'add', 10, 120), change(4, 'remove', 10, 350), change(5, 'add', 12, 320)];
    const pairs = heldPairsOf(current, changes, 100, 300, true);
    expect(pairs.sort((a, b) => a.customerId - b.customerId)).toEqual([
      { customerId: 1, start: 10, end: 11 },
      { customerId: 2, start: 10, end: 10 },
      // Expired at 250, not yet swept: held at the start, not at the end.
      { customerId: 3, start: 10, end: null },
      // Added and removed again, the removal after the end: held at the end only.
      { customerId: 4, start: null, end: 10 },
      // Added after the end: held at neither.
      { customerId: 5, start: null, end: null },
    ]);
  });

  it('rewinds a multi-valued tag value by value', () => {
    const current: CurrentAssignment[] = [
      { customerId: 1, valueId: 10, expiresAt: null },
      { customerId: 1, valueId: 12, expiresAt: null },
    ];
    const changes = [change(1, 'remove', 11, 150), change(1, 'add', 12, 160)];
    const pairs = heldPairsOf(current, changes, 100, 300, false);
    expect(pairs.map(({ start, end }) => `${start ?? '-'}→${end ?? '-'}`).sort()).toEqual(['-→12', '10→10', '11→-']);
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

  it('orders flows of as many customers by their values, whatever order the store gave the pairs in', () => {
    const pairs = [pair(1, 11, 12), pair(2, 10, 12), pair(3, null, 11), pair(4, 10, 11), pair(5, 12, null)];
    const flows = (given: HeldPair[]) => countTransitions(given, true).flows.map(({ from, to }) => `${from ?? '-'}→${to ?? '-'}`);
    expect(flows(pairs)).toEqual(['-→11', '10→11', '10→12', '11→12', '12→-']);
    expect(flows([...pairs].reverse())).toEqual(flows(pairs));
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
