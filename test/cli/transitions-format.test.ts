// `tagbase tag transitions` as a person reads it: counts of a large store with their digits grouped.
import { describe, expect, it } from 'vitest';
import type { TagDefinition } from '../../src/core/tag.js';
import type { TagTransitions } from '../../src/engine/transitions.js';
import { formatTransitions } from '../../src/cli/transitions.js';
import { cliMessages } from '../../src/cli/messages.js';

// Only what the lines name of the tag: its name, key, cardinality and values.
const tag = { name: '客户分级', key: 'abc_level', cardinality: 'single', values: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }] } as unknown as TagDefinition;

describe('tagbase tag transitions', () => {
  it('groups the digits of every count, in the totals, the table and the flows', () => {
    const found: TagTransitions = {
      tag,
      from: Date.UTC(2026, 10, 1),
      to: Date.UTC(2026, 11, 1),
      removedValues: new Map(),
      holdersFrom: 1_204_512,
      holdersTo: 1_210_000,
      entered: 12_000,
      left: 6_512,
      stayed: 1_150_000,
      moved: 48_000,
      values: new Map([
        [1, { valueId: 1, heldFrom: 604_512, heldTo: 650_000, gained: 52_000, lost: 6_512 }],
        [2, { valueId: 2, heldFrom: 600_000, heldTo: 560_000, gained: 8_000, lost: 48_000 }],
      ]),
      flows: [{ from: 2, to: 1, customers: 48_000 }],
    };
    const lines = formatTransitions(found, cliMessages('en')).split('\n');
    expect(lines[1]).toBe('held at the start 1,204,512 · at the end 1,210,000 · stayed 1,150,000 · moved 48,000 · entered 12,000 · left 6,512');
    expect(lines.slice(3, 6).map((line) => line.split(/ {2,}/))).toEqual([
      ['value', 'start', 'end', 'gained', 'lost'],
      ['A', '604,512', '650,000', '+52,000', '-6,512'],
      ['B', '600,000', '560,000', '+8,000', '-48,000'],
    ]);
    expect(lines.at(-1)?.split(/ {2,}/)).toEqual(['B → A', '48,000']);
  });
});
