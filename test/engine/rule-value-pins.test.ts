// On a multi-valued rule tag a value given by hand pins that value alone: the rule neither
// removes nor claims it, and keeps adding and removing the tag's other values by their
// conditions, in real time, in passes (over everyone or narrowed by the index), in recomputes
// and in the preview's counts. A single-valued rule tag stays pinned whole.
import { expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { updateTagValue } from '../../src/engine/library.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { previewRuleTag } from '../../src/engine/rule-tags.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { indexRuleCandidates } from '../../src/index/rule-candidates.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, leftToChange } from './support.js';

const DAY = 86_400_000;

const order = (id: string, customer: string, at: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });
const refund = (id: string, customer: string, at: string, orderId: string, amount: number) => ({ id, customer_id: customer, type: 'order_refunded', occurred_at: at, properties: { order_id: orderId, amount } });

const preference = {
  key: 'preference',
  name: '兴趣偏好',
  kind: 'rule' as const,
  cardinality: 'multi' as const,
  values: [
    { key: 'buyer', name: '已购', condition: 'orders_total >= 1' },
    { key: 'repeat', name: '复购', condition: 'orders_total >= 2' },
    { key: 'big', name: '大额', condition: 'spend_365d >= 1000' },
    { key: 'clean', name: '无退款', condition: 'orders_total >= 1 and refunds_total = 0' },
  ],
};

/** A customer's values of `preference`, each with its source. */
async function held(ctx: WorkspaceContext, id: string): Promise<string[]> {
  return (await getPortrait(ctx, id)).tags
    .filter((t) => t.tag === 'preference')
    .map((t) => `${t.value}:${t.source}`)
    .sort();
}

forEachStore('values given by hand on a multi-valued rule tag', (h) => {
  it('stay, while the rule adds and removes the other values as events arrive; later rules read them', async () => {
    const ctx = h.context('店长');
    await defineTag(ctx, preference);
    await defineTag(ctx, { key: 'vip', name: '贵宾', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'preference has any ("big") and preference has any ("repeat")' }] });
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    expect(await held(ctx, 'A')).toEqual(['buyer:rule', 'clean:rule']);
    await assignTag(ctx, { tag: 'preference', value: 'big', customers: ['A'], source: 'manual' });
    expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:rule', 'clean:rule']);
    // A second order: the rule adds 复购, and the rule reading both values sees the one given by hand.
    await ingestEvents(ctx, [order('E2', 'A', '2026-06-02T00:00:00Z', 200)]);
    expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:rule', 'clean:rule', 'repeat:rule']);
    expect((await getPortrait(ctx, 'A')).tags.find((t) => t.tag === 'vip')).toMatchObject({ value: 'yes', source: 'rule' });
    // A refund: the rule takes 无退款 back; 大额, whose condition never held, stays the hand's.
    await ingestEvents(ctx, [refund('R1', 'A', '2026-06-03T00:00:00Z', 'E1', 100)]);
    expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:rule', 'repeat:rule']);
    const history = (await getCustomerHistory(ctx, 'A', { limit: 10 })).items.filter((e) => e.tag === 'preference');
    expect(history.slice(0, 3).map((e) => [e.action, e.value, e.source, e.actor])).toEqual([
      ['remove', 'clean', 'rule', 'rule:preference'],
      ['add', 'repeat', 'rule', 'rule:preference'],
      ['add', 'big', 'manual', '店长'],
    ]);
  });

  it('removed by hand, a value the rule gave comes back at once while its condition holds; one given by hand goes for good unless its condition holds', async () => {
    const ctx = h.context('店长');
    await defineTag(ctx, preference);
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100), order('E2', 'A', '2026-06-02T00:00:00Z', 100)]);
    await assignTag(ctx, { tag: 'preference', value: 'big', customers: ['A'], source: 'manual' });
    // The value the rule gave, given again by hand, is the hand's from then on.
    expect(await assignTag(ctx, { tag: 'preference', value: 'buyer', customers: ['A'], source: 'manual' })).toMatchObject({ unchanged: 1, changed: 0 });
    expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:manual', 'clean:rule', 'repeat:rule']);
    expect(await removeTag(ctx, { tag: 'preference', value: 'repeat', customers: ['A'], source: 'manual' })).toMatchObject({ removed: 1 });
    expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:manual', 'clean:rule', 'repeat:rule']);
    await removeTag(ctx, { tag: 'preference', value: 'big', customers: ['A'], source: 'manual' });
    expect(await held(ctx, 'A')).toEqual(['buyer:manual', 'clean:rule', 'repeat:rule']);
    await removeTag(ctx, { tag: 'preference', value: 'buyer', customers: ['A'], source: 'manual' });
    expect(await held(ctx, 'A')).toEqual(['buyer:rule', 'clean:rule', 'repeat:rule']);
  });

  for (const indexed of [false, true]) {
    it(`stay through a pass of a changed rule${indexed ? ' narrowed by the index' : ' over everyone'}, which moves the other values`, async () => {
      const registry = new IndexRegistry();
      const base = h.context('店长');
      const ctx: WorkspaceContext = indexed ? { ...base, observer: registry, ruleCandidates: indexRuleCandidates(registry) } : base;
      await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 100)]);
      await defineTag(ctx, preference);
      await defineTag(ctx, { key: 'tier', name: '分层', kind: 'rule', values: [{ key: 'high', name: '高', condition: 'spend_365d >= 1000' }, { key: 'low', name: '低', condition: 'orders_total >= 1' }] });
      await assignTag(ctx, { tag: 'preference', value: 'big', customers: ['A'], source: 'manual' });
      await assignTag(ctx, { tag: 'preference', value: 'repeat', customers: ['B'], source: 'manual' });
      await assignTag(ctx, { tag: 'tier', value: 'high', customers: ['B'], source: 'manual' });
      expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:rule', 'clean:rule']);
      expect(await held(ctx, 'B')).toEqual(['buyer:rule', 'clean:rule', 'repeat:manual']);
      await updateTagValue(ctx, 'preference', 'big', { condition: 'spend_365d >= 5000' });
      await updateTagValue(ctx, 'preference', 'buyer', { condition: 'orders_total >= 1 and spend_365d >= 500' });
      await updateTagValue(ctx, 'tier', 'low', { condition: 'orders_total >= 5' });
      expect(await held(ctx, 'A')).toEqual(['big:manual', 'buyer:rule', 'clean:rule']);
      expect(await held(ctx, 'B')).toEqual(['clean:rule', 'repeat:manual']);
      // A single-valued rule tag given by hand is still pinned whole.
      expect((await getPortrait(ctx, 'B')).tags.find((t) => t.tag === 'tier')).toMatchObject({ value: 'high', source: 'manual' });
      expect(await leftToChange(ctx)).toBe(0);
    });
  }

  it('stay when a recompute moves the rule (a metric window passing), which takes back the value it gave', async () => {
    const ctx = h.context('店长');
    await defineTag(ctx, {
      key: 'preference',
      name: '兴趣偏好',
      kind: 'rule',
      cardinality: 'multi',
      values: [
        { key: 'active', name: '活跃', condition: 'orders_30d >= 1' },
        { key: 'lapsed', name: '沉默', condition: 'orders_total >= 1 and orders_30d = 0' },
      ],
    });
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-10T00:00:00Z', 100)]);
    await assignTag(ctx, { tag: 'preference', value: 'lapsed', customers: ['A'], source: 'manual' });
    expect(await held(ctx, 'A')).toEqual(['active:rule', 'lapsed:manual']);
    h.clock.advance(40 * DAY);
    await tickWorkspace(ctx, { clockRules: true });
    // The rule's condition for 沉默 now holds: the value stays the hand's, not claimed by the rule.
    expect(await held(ctx, 'A')).toEqual(['lapsed:manual']);
  });

  it('count in the preview under their values, beside what the rule would give the rest', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-06-01T00:00:00Z', 100), order('E3', 'C', '2026-06-01T00:00:00Z', 600)]);
    const tag = await defineTag(ctx, preference);
    await assignTag(ctx, { tag: 'preference', value: 'big', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'preference', value: 'repeat', customers: ['B'], source: 'manual' });
    const candidate = { ...tag, values: tag.values.map((v) => (v.key === 'big' ? { ...v, condition: 'spend_365d >= 500' } : v.key === 'buyer' ? { ...v, condition: 'spend_365d >= 500' } : v)) };
    const preview = await previewRuleTag(ctx, candidate, tag.key);
    // 大额: A by hand (counted once, though the condition holds too) and C by the rule; 复购: B by hand.
    expect(preview.values.map((value) => [value.key, value.customers])).toEqual([
      ['buyer', 2],
      ['repeat', 1],
      ['big', 2],
      ['clean', 3],
    ]);
    await updateTagValue(ctx, 'preference', 'big', { condition: 'spend_365d >= 500' });
    await updateTagValue(ctx, 'preference', 'buyer', { condition: 'spend_365d >= 500' });
    expect([await held(ctx, 'A'), await held(ctx, 'B'), await held(ctx, 'C')]).toEqual([
      ['big:manual', 'buyer:rule', 'clean:rule'],
      ['clean:rule', 'repeat:manual'],
      ['big:rule', 'buyer:rule', 'clean:rule'],
    ]);
  });
});
