// The count `POST /segments/count` and `tagbase segment count --json` answer: took_ms is the count's
// own time, not that of readying an index the command had still to load.
import { describe, expect, it } from 'vitest';
import { countMatched } from '../../src/engine/segment-count.js';
import type { Audience, SegmentScope } from '../../src/engine/segments.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import type { BoundExpression } from '../../src/core/expression/index.js';

describe('countMatched', () => {
  it('reads the population, which readies the index, before it times the count', async () => {
    const calls: string[] = [];
    // Only the two calls a count makes; a command's fresh index loads at whichever comes first.
    const audience = {
      population: () => { calls.push('population'); return Promise.resolve(20_000); },
      count: () => { calls.push('count'); return Promise.resolve(442); },
    } as unknown as Audience;
    const counted = await countMatched({} as WorkspaceContext, audience, { bound: {} as BoundExpression, scope: {} as SegmentScope });
    expect(counted).toMatchObject({ count: 442, population: 20_000 });
    expect(calls).toEqual(['population', 'count']);
  });
});
