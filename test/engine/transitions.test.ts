import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { removeTagValue } from '../../src/engine/library.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { flowMembers, tagTransitions, type TagTransitions } from '../../src/engine/transitions.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { defineTag, interests, rejected, stage } from './support.js';

const DAY = 86_400_000;

/** Flows as `from → to: customers` with value keys, `-` for none, sorted. */
function flowLines(found: TagTransitions): string[] {
  const key = (id: number | null) => (id === null ? '-' : (found.tag.values.find((value) => value.id === id)?.key ?? `removed:${found.removedValues.get(id)}`));
  return found.flows.map((flow) => `${key(flow.from)} → ${key(flow.to)}: ${flow.customers}`).sort();
}

function movement(found: TagTransitions, valueKey: string) {
  const value = found.tag.values.find((candidate) => candidate.key === valueKey);
  if (!value) throw new Error(`no value ${valueKey}`);
  return found.values.get(value.id);
}

forEachStore('tag transitions', (h) => {
  it('counts who moved between the values of a single-valued tag, who came and who went', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, ['C1', 'C2', 'C3', 'C4', 'C5'].map((id) => ({ id })));
    await defineTag(ctx, stage);
    const tag = (value: string, customers: string[]) => assignTag(ctx, { tag: 'stage', value, customers, source: 'manual' });
    await tag('pre', ['C1', 'C2', 'C3']);
    await tag('during', ['C4']);
    h.clock.advance(DAY);
    const start = h.clock.now().getTime();
    h.clock.advance(DAY);
    await tag('during', ['C1']);
    await tag('after', ['C1']);
    await removeTag(ctx, { tag: 'stage', customers: ['C3'], source: 'manual' });
    await tag('pre', ['C5']);
    h.clock.advance(DAY);

    const found = await tagTransitions(ctx, 'stage', { from: start });
    expect(found.to).toBe(h.clock.now().getTime());
    expect(flowLines(found)).toEqual(['- → pre: 1', 'during → during: 1', 'pre → -: 1', 'pre → after: 1', 'pre → pre: 1']);
    expect(found).toMatchObject({ holdersFrom: 4, holdersTo: 4, entered: 1, left: 1 });
    expect(movement(found, 'pre')).toEqual(expect.objectContaining({ heldFrom: 3, heldTo: 2, gained: 1, lost: 2 }));
    expect(movement(found, 'after')).toEqual(expect.objectContaining({ heldFrom: 0, heldTo: 1, gained: 1, lost: 0 }));
    // By name, over a period that ends before the changes: nobody moved.
    expect(flowLines(await tagTransitions(ctx, '服务阶段', { from: start - DAY, to: start }))).toEqual(['during → during: 1', 'pre → pre: 3']);

    const page = await flowMembers(ctx, 'stage', { from: start, fromValue: 'pre', toValue: null, offset: 0, limit: 10 });
    expect(page.total).toBe(1);
    expect(page.items.map((item) => item.id)).toEqual(['C3']);
    expect((await flowMembers(ctx, 'stage', { from: start, fromValue: null, toValue: '售前', offset: 0, limit: 10 })).items.map((item) => item.id)).toEqual(['C5']);
    const stayed = await flowMembers(ctx, 'stage', { from: start - DAY, to: start, fromValue: 'pre', toValue: 'pre', offset: 1, limit: 1 });
    expect({ total: stayed.total, ids: stayed.items.map((item) => item.id) }).toEqual({ total: 3, ids: ['C2'] });
  });

  it('takes an assignment whose expiry passed as not held, before the sweeper records it', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, stage);
    const start = h.clock.now().getTime();
    h.clock.advance(1000);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C1'], source: 'manual', expiresAt: start + 2 * DAY });
    expect(flowLines(await tagTransitions(ctx, 'stage', { from: start, to: start + DAY }))).toEqual(['- → pre: 1']);
    h.clock.advance(3 * DAY);
    expect(flowLines(await tagTransitions(ctx, 'stage', { from: start, to: start + 3 * DAY }))).toEqual([]);
  });

  it('follows a merged customer into the survivor, and names a value removed since from the history', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, ['A', 'B', 'C'].map((id) => ({ id })));
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['A', 'B', 'C'], source: 'manual' });
    h.clock.advance(DAY);
    const start = h.clock.now().getTime();
    h.clock.advance(DAY);
    await mergeCustomers(ctx, 'A', 'B');
    await removeTagValue(ctx, 'stage', 'during', { onAssigned: 'remove' });
    const found = await tagTransitions(ctx, 'stage', { from: start });
    // Two live customers held 售中 at the start (B is A now) and it was taken from both.
    expect(found.holdersFrom).toBe(2);
    expect([...found.removedValues.values()]).toEqual(['售中']);
    expect(flowLines(found)).toEqual(['removed:售中 → -: 2']);
  });

  it('reads a merged person as both records were: the survivor kept its value, the duplicate\'s own changes are its own', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, ['A', 'A2', 'B', 'B2', 'C', 'C2', 'D', 'D2'].map((id) => ({ id })));
    await defineTag(ctx, stage);
    await defineTag(ctx, interests);
    // A: 售前 throughout; its duplicate gains 售中 in the period, a copy the merge drops (the survivor's value stays).
    // B: nothing of its own; its duplicate held 售中 before the period, which B takes over.
    // C: nothing of its own; its duplicate gains 售后 in the period, which C takes over.
    // D: golf throughout; its duplicate gains golf in the period too, a copy the merge drops.
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['B2'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['D'], source: 'manual' });
    h.clock.advance(DAY);
    const start = h.clock.now().getTime();
    h.clock.advance(DAY);
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['A2'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['C2'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['D2'], source: 'manual' });
    h.clock.advance(DAY);
    for (const [survivor, duplicate] of [['A', 'A2'], ['B', 'B2'], ['C', 'C2'], ['D', 'D2']] as const) await mergeCustomers(ctx, survivor, duplicate);
    h.clock.advance(DAY);
    const audience = indexAudience(new IndexRegistry(ctx.store));
    for (const holders of [undefined, (valueIds: readonly number[]) => audience.valueHolders(ctx, valueIds)]) {
      const found = await tagTransitions(ctx, 'stage', { from: start }, holders);
      expect(flowLines(found)).toEqual(['- → after: 1', 'during → during: 1', 'pre → pre: 1']);
      expect(found).toMatchObject({ holdersFrom: 2, holdersTo: 3, entered: 1, left: 0, stayed: 2, moved: 0 });
      expect((await flowMembers(ctx, 'stage', { from: start, fromValue: 'pre', toValue: 'pre', offset: 0, limit: 10 }, holders)).items.map((item) => item.id)).toEqual(['A']);
    }
    expect(movement(await tagTransitions(ctx, 'interests', { from: start }), 'golf')).toEqual(expect.objectContaining({ heldFrom: 1, heldTo: 1, gained: 0, lost: 0 }));
  });

  it('counts a multi-valued tag per value, with no flows, and lists who gained, kept or lost a value', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, ['C1', 'C2'].map((id) => ({ id })));
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C2'], source: 'manual' });
    h.clock.advance(DAY);
    const start = h.clock.now().getTime();
    h.clock.advance(DAY);
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['C1'], source: 'manual' });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['C2'], source: 'manual' });
    const found = await tagTransitions(ctx, 'interests', { from: start });
    expect(found.flows).toEqual([]);
    expect(movement(found, 'golf')).toEqual(expect.objectContaining({ heldFrom: 2, heldTo: 1, gained: 0, lost: 1 }));
    expect(movement(found, 'fishing')).toEqual(expect.objectContaining({ heldFrom: 0, heldTo: 1, gained: 1, lost: 0 }));
    expect(found).toMatchObject({ holdersFrom: 2, holdersTo: 1, entered: 0, left: 1 });
    const ids = async (fromValue: string | null, toValue: string | null) => (await flowMembers(ctx, 'interests', { from: start, fromValue, toValue, offset: 0, limit: 10 })).items.map((item) => item.id);
    expect(await ids('golf', null)).toEqual(['C2']);
    expect(await ids('golf', 'golf')).toEqual(['C1']);
    // C1 gained fishing while holding golf: a value's gain, whatever else was held.
    expect(await ids(null, 'fishing')).toEqual(['C1']);
    expect((await rejected(flowMembers(ctx, 'interests', { fromValue: 'golf', toValue: 'fishing', offset: 0, limit: 10 }))).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a period that runs backwards, an unknown tag or value, and a flow from none to none', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    const now = h.clock.now().getTime();
    expect((await rejected(tagTransitions(ctx, 'stage', { from: now - DAY, to: now - 2 * DAY }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(tagTransitions(ctx, 'stage', { from: now + DAY }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(tagTransitions(ctx, 'stagee'))).code).toBe('TAG_NOT_FOUND');
    expect((await rejected(flowMembers(ctx, 'stage', { fromValue: 'nope', toValue: 'pre', offset: 0, limit: 10 }))).code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await rejected(flowMembers(ctx, 'stage', { fromValue: null, toValue: null, offset: 0, limit: 10 }))).code).toBe('VALIDATION_FAILED');
    // An end in the future is now.
    expect((await tagTransitions(ctx, 'stage', { to: now + DAY })).to).toBe(now);
  });
});
