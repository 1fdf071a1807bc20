// Passes of the rules over a whole workspace, narrowed by the index to the customers they
// could change, must leave every customer exactly as a pass over everyone would.
import { expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { updateTagValue } from '../../src/engine/library.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { ruleCandidatesFor } from '../../src/engine/propagate.js';
import { createSegment } from '../../src/engine/segments.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { indexRuleCandidates } from '../../src/index/rule-candidates.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, leftToChange } from './support.js';

const DAY = 86_400_000;
const CITIES = ['上海', '北京', '杭州'];

forEachStore('rule passes narrowed by the index', (h) => {
  it('change what a pass over everyone changes, and nothing else', async () => {
    const registry = new IndexRegistry();
    const base = h.context();
    const ctx: WorkspaceContext = { ...base, observer: registry, ruleCandidates: indexRuleCandidates(registry) };
    const ids = Array.from({ length: 40 }, (_, i) => `C${i}`);
    await upsertCustomers(ctx, ids.map((id, i) => ({ id, city: CITIES[i % 3] })));
    const events = ids.flatMap((id, i) =>
      Array.from({ length: i % 4 }, (_, k) => ({
        id: `${id}-${k}`,
        customer_id: id,
        type: 'order_paid',
        occurred_at: new Date(h.clock.now().getTime() - ((i * 7 + k * 23) % 120) * DAY).toISOString(),
        properties: { order_id: `${id}-${k}`, amount: 50 + ((i * 37 + k * 91) % 900) },
      })),
    );
    await ingestEvents(ctx, events);
    await createSegment(ctx, { key: 'rich', name: '富裕', expression: 'spend_total >= 800' });
    await defineTag(ctx, {
      key: 'value_tier',
      name: '价值分层',
      kind: 'rule',
      ordered: true,
      values: [
        { key: 'high', name: '高', condition: 'spend_365d >= 1000' },
        { key: 'mid', name: '中', condition: 'spend_365d >= 300' },
        { key: 'low', name: '低', condition: 'orders_total >= 1' },
      ],
    });
    await defineTag(ctx, { key: 'recent', name: '近期', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'last_order_at after 30 days ago' }] });
    await defineTag(ctx, {
      key: 'flags',
      name: '标记',
      kind: 'rule',
      cardinality: 'multi',
      values: [
        { key: 'sh', name: '上海', condition: 'city = "上海"' },
        { key: 'big', name: '大客', condition: 'spend_total >= 500' },
        { key: 'rich', name: '富裕', condition: 'segment("rich")' },
      ],
    });
    await defineTag(ctx, { key: 'vip', name: '贵宾', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'value_tier >= "中" and flags has any ("sh", "big")' }] });
    expect(await leftToChange(ctx)).toBe(0);
    // In step, the index finds nobody to evaluate.
    expect(await ruleCandidatesFor(ctx)).toEqual([]);

    // A stricter condition moves customers between values, and the tags that read them follow.
    await updateTagValue(ctx, 'value_tier', 'high', { condition: 'spend_365d >= 600' });
    await updateTagValue(ctx, 'flags', 'big', { condition: 'spend_total >= 700' });
    expect(await leftToChange(ctx)).toBe(0);

    // Time passes: the hourly pass of clock rules, narrowed, drops customers who stopped buying.
    const later = h.clock.now().getTime() + 45 * DAY;
    const laterCtx: WorkspaceContext = { ...ctx, now: () => new Date(later) };
    const candidates = await ruleCandidatesFor(laterCtx);
    expect(candidates?.length).toBeGreaterThan(0);
    expect(candidates?.length).toBeLessThan(ids.length);
    const report = await tickWorkspace(laterCtx, { clockRules: true });
    expect(report.tagsChanged).toBeGreaterThan(0);
    expect(await leftToChange(laterCtx)).toBe(0);
  });
});
