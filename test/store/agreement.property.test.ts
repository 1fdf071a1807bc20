// The three ways of answering an expression — the bitmap index (the fast path), SQL (push-down)
// and the reference evaluator — on random customers and random expressions: the same
// customers, on SQLite and on PostgreSQL.
import fc from 'fast-check';
import { expect } from 'vitest';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { countCustomers, selectCustomerIds } from '../../src/store/expression-sql.js';
import { RANDOM_NOWS, compileRandom, expressionArbitrary, referenceIds, seedRandomWorkspace } from '../support/random-expressions.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('index, SQL and evaluator agree', (h) => {
  it('select exactly the same customers for random expressions', async () => {
    const context = h.context();
    const seeded = await seedRandomWorkspace(context, { customers: 150 });
    expect(seeded.views.size).toBeGreaterThan(120);
    expect(seeded.views.size).toBeLessThan(seeded.rowIds.length);
    const index = await WorkspaceIndex.build(h.store(), context.workspaceId);
    // A boolean written alone is `= true` on every back end, and `not` before it selects the rest.
    const everyone = referenceIds(seeded, compileRandom(seeded, 'random_bucket exists'), RANDOM_NOWS[0] ?? 0);
    for (const subject of ['has_phone', '有微信', 'has_email', 'has_member_card', 'is_member']) {
      for (const [bare, written] of [[subject, `${subject} = true`], [`not ${subject}`, `not ${subject} = true`]] as const) {
        const options = { tagIds: seeded.catalog.tagIds, now: RANDOM_NOWS[0] ?? 0, utcOffsetMinutes: seeded.catalog.utcOffsetMinutes, segment: (key: string) => seeded.segments.get(key) };
        const expected = referenceIds(seeded, compileRandom(seeded, written), options.now);
        const bound = compileRandom(seeded, bare);
        expect(referenceIds(seeded, bound, options.now), bare).toEqual(expected);
        expect(await selectCustomerIds(h.store(), context.workspaceId, bound, options), bare).toEqual(expected);
        expect(index.evaluate(bound, options).toArray(), bare).toEqual(expected);
        expect(expected.length, bare).toBeGreaterThan(0);
        expect(expected.length, bare).toBeLessThan(everyone.length);
      }
    }
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(expressionArbitrary(4), fc.constantFrom(...RANDOM_NOWS), async (source, now) => {
        const bound = compileRandom(seeded, source);
        const expected = referenceIds(seeded, bound, now);
        const options = { tagIds: seeded.catalog.tagIds, now, utcOffsetMinutes: seeded.catalog.utcOffsetMinutes, segment: (key: string) => seeded.segments.get(key) };
        const actual = await selectCustomerIds(h.store(), context.workspaceId, bound, options);
        expect(actual, `${source}\nat ${new Date(now).toISOString()}`).toEqual(expected);
        expect(await countCustomers(h.store(), context.workspaceId, bound, options), source).toBe(expected.length);
        expect(index.evaluate(bound, options).toArray(), `index: ${source}\nat ${new Date(now).toISOString()}`).toEqual(expected);
        if (expected.length > 0 && expected.length < seeded.views.size) nonTrivial++;
      }),
      { numRuns: 150, seed: 1_545_201, endOnFailure: true },
    );
    // The property means little if most expressions select nobody or everybody.
    expect(nonTrivial).toBeGreaterThan(60);
  });
});
