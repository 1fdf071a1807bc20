// The SQL back end on hand-picked cases: every node kind, every tag test, the calendar edges,
// hostile text and mistyped values. Each case also asks the reference evaluator, so an
// expectation written here can never drift from the semantics.
import { expect } from 'vitest';
import { compileExpression, evaluateExpression, type BoundExpression } from '../../src/core/expression/index.js';
import { loadCustomerViews, loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { segmentAwareView } from '../../src/engine/rules.js';
import { assignTag } from '../../src/engine/tagging.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { compileToSql, countCustomers, selectCustomerIds } from '../../src/store/expression-sql.js';
import { defineTag } from '../engine/support.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';

const order = (id: string, customer: string, at: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });

const INJECTION = 'Robert"); DROP TABLE customers;--';

/** Six customers (E merged into A) with tags, fields, custom fields and orders; today is 2026-06-15 at +08:00. */
async function seed(context: WorkspaceContext): Promise<void> {
  await createCustomField(context, { key: 'score', name: '积分', type: 'number' });
  await createCustomField(context, { key: 'nickname', name: '昵称', type: 'string' });
  await createCustomField(context, { key: 'vip_since', name: '入会日', type: 'date' });
  await createCustomField(context, { key: 'is_member', name: '是否会员', type: 'boolean' });
  await createCustomField(context, { key: 'plan', name: '套餐', type: 'enum', options: ['basic', 'pro'] });
  await defineTag(context, { key: 'rfm', name: 'RFM等级', values: [{ key: 'important_value', name: '重要价值客户' }, { key: 'general', name: '一般客户' }] });
  await defineTag(context, {
    key: 'lifecycle',
    name: '生命周期',
    ordered: true,
    values: [
      { key: 'new', name: '新客户' },
      { key: 'growing', name: '成长客户' },
      { key: 'mature', name: '成熟客户' },
      { key: 'loyal', name: '忠诚客户' },
    ],
  });
  await defineTag(context, {
    key: 'interests',
    name: '兴趣',
    cardinality: 'multi',
    values: [
      { key: 'golf', name: '高尔夫' },
      { key: 'fishing', name: '钓鱼' },
      { key: 'yoga', name: '瑜伽' },
    ],
  });
  await upsertCustomers(context, [
    { id: 'A', city: '广州', birthday: '1990-06-15', custom: { score: 80, nickname: "O'Brien", is_member: true, plan: 'pro', vip_since: '2024-02-29' } },
    { id: 'B', city: "x' or '1'='1", birthday: '2000-02-29', custom: { score: 20, nickname: '100%_\\', is_member: false, plan: 'basic' } },
    { id: 'C', city: '深圳' },
    { id: 'D', city: INJECTION },
    { id: 'E', city: '广州', custom: { score: 99 } },
    { id: 'F', city: '北京', birthday: '1985-06-22', custom: { nickname: '客户😀' } },
  ]);
  // Values a write through the API would refuse, as older data or another writer may leave them.
  await context.store.db
    .updateTable('customers')
    .set({ custom: JSON.stringify({ score: '80', is_member: 'true', vip_since: '2026-02-30', plan: 1 }) })
    .where('workspace_id', '=', context.workspaceId)
    .where('external_id', '=', 'D')
    .execute();
  const tag = (tagKey: string, value: string, customers: string[]) => assignTag(context, { tag: tagKey, value, customers, source: 'manual' });
  await tag('rfm', 'important_value', ['A', 'E']);
  await tag('rfm', 'general', ['B']);
  await tag('lifecycle', 'mature', ['A']);
  await tag('lifecycle', 'new', ['B']);
  await tag('lifecycle', 'loyal', ['D', 'E']);
  await tag('interests', 'golf', ['A', 'D']);
  await tag('interests', 'fishing', ['A']);
  await tag('interests', 'yoga', ['B', 'D']);
  await ingestEvents(context, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2025-01-01T00:00:00Z', 50)]);
  await mergeCustomers(context, 'A', 'E');
  // The engine fills in first visits from events and creation; these tests want exact instants.
  for (const [id, at] of [['A', '2026-06-14T16:00:00Z'], ['B', '2026-06-14T15:59:59.999Z'], ['C', null], ['D', null], ['F', null]] as const) {
    await context.store.db
      .updateTable('customers')
      .set({ first_seen_at: at === null ? null : Date.parse(at) })
      .where('workspace_id', '=', context.workspaceId)
      .where('external_id', '=', id)
      .execute();
  }
}

interface Probe {
  /** External ids of the customers matching, sorted; asserts the evaluator agrees, and with `indexed` the bitmap index too. */
  match(source: string, now?: number, indexed?: boolean): Promise<string[]>;
}

function probe(h: StoreHarness, context: WorkspaceContext): Probe {
  return {
    async match(source, now = h.clock.now().getTime(), indexed = false) {
      const catalog = await loadWorkspaceCatalog(context);
      const compiled = compileExpression(source, catalog.catalog);
      expect(compiled.diagnostics, source).toEqual([]);
      const bound = compiled.bound as BoundExpression;
      const segments = new Map<string, BoundExpression>();
      for (const [key, segment] of catalog.segments) {
        const segmentBound = compileExpression(segment.expression, catalog.catalog).bound;
        if (segmentBound) segments.set(key, segmentBound);
      }
      const options = { tagIds: catalog.tagIds, now, utcOffsetMinutes: catalog.utcOffsetMinutes, segment: (key: string) => segments.get(key) };
      const ids = await selectCustomerIds(h.store(), context.workspaceId, bound, options);
      expect(await countCustomers(h.store(), context.workspaceId, bound, options), source).toBe(ids.length);
      const rows = await h.store().db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).execute();
      const external = new Map(rows.map((row) => [Number(row.id), row.external_id]));
      const views = await loadCustomerViews(context, catalog, [...external.keys()]);
      const evaluation = { utcOffsetMinutes: catalog.utcOffsetMinutes };
      const expected = [...views].filter(([, view]) => evaluateExpression(bound, segmentAwareView(view, segments, now, evaluation), now, evaluation)).map(([id]) => id);
      expect(ids, `${source}: SQL and evaluator`).toEqual(expected.sort((a, b) => a - b));
      if (indexed) expect((await WorkspaceIndex.build(h.store(), context.workspaceId, now)).evaluate(bound, options).toArray(), `${source}: index and evaluator`).toEqual(ids);
      return ids.map((id) => external.get(id) ?? '?').sort();
    },
  };
}

async function insertSegments(context: WorkspaceContext, segments: Record<string, string>): Promise<void> {
  const at = context.now().getTime();
  await context.store.db
    .insertInto('segments')
    .values(Object.entries(segments).map(([key, expression]) => ({ workspace_id: context.workspaceId, key, name: `人群 ${key}`, description: null, expression, created_at: at, updated_at: at })))
    .execute();
}

forEachStore('expressions in SQL', (h) => {
  it('reads a tag as gone from its expiry on, before the expiry sweep takes it off, as the index and the evaluator do', async () => {
    const context = h.context();
    await upsertCustomers(context, [{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    await defineTag(context, { key: 'promo', name: '活动', cardinality: 'multi', values: [{ key: 'spring', name: '春季' }, { key: 'summer', name: '夏季' }] });
    const until = h.clock.now().getTime() + 60_000;
    await assignTag(context, { tag: 'promo', value: 'spring', customers: ['A'], source: 'manual', expiresAt: until });
    await assignTag(context, { tag: 'promo', value: 'summer', customers: ['A'], source: 'manual', expiresAt: until + 60_000 });
    await assignTag(context, { tag: 'promo', value: 'spring', customers: ['B'], source: 'manual' });
    const { match } = probe(h, context);
    expect(await match('promo has any ("spring")', undefined, true)).toEqual(['A', 'B']);
    // At its expiry, with no sweep run: the row is still in the store.
    h.clock.advance(60_000);
    const now = h.clock.now().getTime();
    expect(await match('promo has any ("spring")', now, true)).toEqual(['B']);
    expect(await match('promo has all ("spring", "summer")', now, true)).toEqual([]);
    expect(await match('promo has none ("spring")', now, true)).toEqual(['A']);
    expect(await match('promo exists', now, true)).toEqual(['A', 'B']);
    h.clock.advance(60_000);
    expect(await match('promo exists', h.clock.now().getTime(), true)).toEqual(['B']);
    expect(await match('promo missing', h.clock.now().getTime(), true)).toEqual(['A', 'C']);
    const stored = await context.store.db.selectFrom('assignments').select('expires_at').where('workspace_id', '=', context.workspaceId).where('expires_at', 'is not', null).execute();
    expect(stored).toHaveLength(2);
  });

  it('answers every tag test, ordered comparisons included', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    expect(await match('rfm = "重要价值客户"')).toEqual(['A']);
    expect(await match('rfm != "important_value"')).toEqual(['B']);
    expect(await match('not rfm = "important_value"')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('rfm in ("important_value", "一般客户")')).toEqual(['A', 'B']);
    expect(await match('rfm not in ("important_value")')).toEqual(['B']);
    expect(await match('rfm missing')).toEqual(['C', 'D', 'F']);
    expect(await match('lifecycle >= "mature"')).toEqual(['A', 'D']);
    expect(await match('lifecycle < "成长客户"')).toEqual(['B']);
    expect(await match('lifecycle between "growing" and "mature"')).toEqual(['A']);
    expect(await match('lifecycle between "loyal" and "new"')).toEqual([]);
    expect(await match('interests has any ("golf", "瑜伽")')).toEqual(['A', 'B', 'D']);
    expect(await match('interests has all ("golf", "yoga")')).toEqual(['D']);
    expect(await match('interests has none ("golf")')).toEqual(['B']);
    expect(await match('not interests has any ("golf")')).toEqual(['B', 'C', 'F']);
    expect(await match('interests exists')).toEqual(['A', 'B', 'D']);
    expect(await match('tagged("兴趣")')).toEqual(['A', 'B', 'D']);
    expect(await match('interests missing')).toEqual(['C', 'F']);
  });

  it('treats a tag or value the store does not know as held by nobody', async () => {
    const context = h.context();
    await seed(context);
    const catalog = await loadWorkspaceCatalog(context);
    const span = { offset: 0, length: 0, line: 1, column: 1 };
    const tag = { key: 'ghost', name: 'ghost', cardinality: 'multi' as const, ordered: false };
    const node = (test: 'any' | 'all' | 'none' | 'present' | 'absent', valueKeys: string[], key = 'ghost'): BoundExpression => ({ kind: 'tag', tag: { ...tag, key }, test, valueKeys, values: [], span });
    const run = async (bound: BoundExpression) => (await selectCustomerIds(h.store(), context.workspaceId, bound, { tagIds: catalog.tagIds, now: 0, utcOffsetMinutes: 480 })).length;
    expect(await run(node('present', []))).toBe(0);
    expect(await run(node('absent', []))).toBe(5);
    expect(await run(node('any', ['golf'], 'interests'))).toBe(2);
    expect(await run(node('any', ['nope'], 'interests'))).toBe(0);
    expect(await run(node('all', ['golf', 'nope'], 'interests'))).toBe(0);
    expect(await run(node('none', ['nope'], 'interests'))).toBe(3);
    expect(await run({ kind: 'and', operands: [], span })).toBe(5);
    expect(await run({ kind: 'or', operands: [], span })).toBe(0);
  });

  it('compares numbers, text, enums and booleans, with missing and mistyped values false', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    expect(await match('score >= 50')).toEqual(['A']);
    expect(await match('score != 80')).toEqual(['B']);
    expect(await match('not score = 80')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('not (score != 80)')).toEqual(['A', 'C', 'D', 'F']);
    expect(await match('score missing')).toEqual(['C', 'D', 'F']);
    expect(await match('score between 10 and 80')).toEqual(['A', 'B']);
    expect(await match('score between 80 and 10')).toEqual([]);
    expect(await match('score in (20, 80)')).toEqual(['A', 'B']);
    expect(await match('score not in (20)')).toEqual(['A']);
    expect(await match('not score not in (20)')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('is_member = true')).toEqual(['A']);
    expect(await match('is_member != true')).toEqual(['B']);
    expect(await match('is_member in (true, false)')).toEqual(['A', 'B']);
    expect(await match('is_member missing')).toEqual(['C', 'D', 'F']);
    expect(await match('plan = "pro"')).toEqual(['A']);
    expect(await match('plan in ("basic", "pro")')).toEqual(['A', 'B']);
    expect(await match('plan exists')).toEqual(['A', 'B']);
    expect(await match('orders_total >= 1')).toEqual(['A', 'B']);
    expect(await match('spend_365d >= 1000')).toEqual(['A']);
    expect(await match('not spend_365d >= 1000')).toEqual(['B', 'C', 'D', 'F']);
  });

  it('matches text exactly: quotes, wildcards, backslashes, SQL, Chinese and emoji are data', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    expect(await match(`city = "x' or '1'='1"`)).toEqual(['B']);
    expect(await match(`city = 'Robert"); DROP TABLE customers;--'`)).toEqual(['D']);
    expect(await match(`nickname = 'O\\'Brien'`)).toEqual(['A']);
    expect(await match('nickname = "100%_\\\\"')).toEqual(['B']);
    expect(await match('nickname = "100%"')).toEqual([]);
    expect(await match('nickname in ("客户😀", "_")')).toEqual(['F']);
    expect(await match('城市 in ("广州", "深圳")')).toEqual(['A', 'C']);
    expect(await match('city != "广州"')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('city = "广州\\u0000"')).toEqual([]);
    expect(await match('city != "广州\\u0000"')).toEqual(['A', 'B', 'C', 'D', 'F']);
    expect(await h.store().db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).execute()).toHaveLength(6);
  });

  it('binds every value as a parameter', async () => {
    const context = h.context();
    await seed(context);
    const catalog = await loadWorkspaceCatalog(context);
    const source = `city = "${INJECTION.replaceAll('"', '\\"')}" or nickname in ("O'Brien", "100%") or score > 12345 or birthday within 3 days or first_seen_at = "2026-06-15"`;
    const bound = compileExpression(source, catalog.catalog).bound as BoundExpression;
    const compiled = h
      .store()
      .db.selectFrom('customers')
      .select('id')
      .where(compileToSql(bound, { dialect: h.store().dialect, workspaceId: context.workspaceId, tagIds: catalog.tagIds, now: h.clock.now().getTime(), utcOffsetMinutes: 480 }))
      .compile();
    for (const fragment of ['DROP', "O'Brien", '100%', '12345', '06-15', 'nickname', 'score']) expect(compiled.sql).not.toContain(fragment);
    expect(compiled.parameters).toEqual(expect.arrayContaining([INJECTION, "O'Brien", '100%', 12345, '06-15', '06-18']));
  });

  it('compares dates, timestamps against calendar days, instants and relative times', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    // A first came at 00:00 on 15 June in the workspace (UTC+8), B 1 ms before.
    expect(await match('first_seen_at = "2026-06-15"')).toEqual(['A']);
    expect(await match('first_seen_at = date("2026-06-14")')).toEqual(['B']);
    expect(await match('first_seen_at != "2026-06-15"')).toEqual(['B']);
    expect(await match('first_seen_at < "2026-06-15"')).toEqual(['B']);
    expect(await match('first_seen_at before "2026-06-15"')).toEqual(['B']);
    expect(await match('first_seen_at <= "2026-06-14"')).toEqual(['B']);
    expect(await match('first_seen_at > "2026-06-14"')).toEqual(['A']);
    expect(await match('first_seen_at after "2026-06-14"')).toEqual(['A']);
    expect(await match('first_seen_at >= "2026-06-15"')).toEqual(['A']);
    expect(await match('first_seen_at in ("2026-06-13", "2026-06-14")')).toEqual(['B']);
    expect(await match('first_seen_at not in ("2026-06-14")')).toEqual(['A']);
    expect(await match('first_seen_at between "2026-06-14" and "2026-06-14"')).toEqual(['B']);
    expect(await match('first_seen_at >= "2026-06-15T00:00:00+08:00"')).toEqual(['A']);
    expect(await match('first_seen_at = "2026-06-14T15:59:59.999Z"')).toEqual(['B']);
    // A time without an offset is on the workspace's clock (UTC+8), as a time a request sends; with Z or an offset exactly that instant.
    const everywhere = (source: string) => match(source, undefined, true);
    expect(await everywhere('first_seen_at >= "2026-06-15 00:00"')).toEqual(['A']);
    expect(await everywhere('first_seen_at = "2026-06-15T00:00:00"')).toEqual(['A']);
    expect(await everywhere('first_seen_at < "2026-06-15T00:00:00.000"')).toEqual(['B']);
    expect(await everywhere('first_seen_at = "2026-06-14 23:59:59.999"')).toEqual(['B']);
    expect(await everywhere('first_seen_at between "2026-06-14 23:59" and "2026-06-15 00:01"')).toEqual(['A', 'B']);
    expect(await everywhere('first_seen_at in ("2026-06-15 00:00", "2026-06-15T16:00:00")')).toEqual(['A']);
    expect(await everywhere('first_seen_at >= "2026-06-15T00:00:00Z"')).toEqual([]);
    expect(await everywhere('first_seen_at = "2026-06-14T16:00:00+00:00"')).toEqual(['A']);
    // A date alone is still the workspace's day.
    expect(await everywhere('first_seen_at = "2026-06-15"')).toEqual(['A']);
    expect(await match('first_seen_at within 1 day')).toEqual(['A', 'B']);
    expect(await match('first_seen_at before 0 days ago')).toEqual(['A', 'B']);
    expect(await match('first_seen_at missing')).toEqual(['C', 'D', 'F']);
    expect(await match('last_order_at within 30 days')).toEqual(['A']);
    expect(await match('last_order_at before 1 year ago')).toEqual(['B']);
    expect(await match('not last_order_at within 30 days')).toEqual(['B', 'C', 'D', 'F']);
    // 18 hours after A's first visit: exactly 18 h ago is inside `after`, 1 ms earlier is not.
    const now = Date.parse('2026-06-15T10:00:00Z');
    expect(await match('first_seen_at >= 0 days ago', Date.parse('2026-06-14T16:00:00Z'))).toEqual(['A']);
    expect(await match('first_seen_at within 0 days', Date.parse('2026-06-14T16:00:00Z'))).toEqual(['A']);
    expect(await match('birthday = "1990-06-15"', now)).toEqual(['A']);
    expect(await match('birthday before "1995-01-01"')).toEqual(['A', 'F']);
    expect(await match('birthday > 30 years ago')).toEqual(['B']);
    expect(await match('birthday between date("1985-06-22") and "1990-06-15"')).toEqual(['A', 'F']);
    expect(await match('vip_since exists')).toEqual(['A']);
    expect(await match('vip_since missing')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('vip_since <= 0 days ago')).toEqual(['A']);
  });

  it('finds birthdays within N days, 29 February as the evaluator counts it', async () => {
    const context = h.context();
    await seed(context);
    await upsertCustomers(context, [
      { id: 'L29', birthday: '2000-02-29' },
      { id: 'L28', birthday: '1999-02-28' },
      { id: 'M01', birthday: '1999-03-01' },
      { id: 'Y31', birthday: '1980-12-31' },
      { id: 'Y01', birthday: '1981-01-01' },
    ]);
    const { match } = probe(h, context);
    const within = async (days: number, now: string) => (await match(`birthday within ${days} days`, Date.parse(now))).filter((id) => id.length === 3);
    // 2026-06-15 at +08:00.
    expect(await match('birthday within 0 days')).toEqual(['A']);
    expect(await match('birthday within 6 days')).toEqual(['A']);
    expect(await match('birthday within 7 days')).toEqual(['A', 'F']);
    expect(await match('birthday within 1 year')).toEqual(['A', 'B', 'F', 'L28', 'L29', 'M01', 'Y01', 'Y31']);
    // 2026-02-28, a common year: the 29th is celebrated on the 28th.
    expect(await within(0, '2026-02-27T20:00:00Z')).toEqual(['L28', 'L29']);
    expect(await within(1, '2026-02-27T20:00:00Z')).toEqual(['L28', 'L29', 'M01']);
    // 2028-02-28 and 2028-02-29, a leap year.
    expect(await within(0, '2028-02-28T03:00:00Z')).toEqual(['L28']);
    expect(await within(1, '2028-02-28T03:00:00Z')).toEqual(['L28', 'L29']);
    expect(await within(0, '2028-02-28T17:00:00Z')).toEqual(['L29']);
    expect(await within(1, '2028-02-28T17:00:00Z')).toEqual(['L29', 'M01']);
    // From 2027-03-01 the next 29 February is 2028-02-29, 365 days away.
    expect(await within(364, '2027-03-01T00:00:00Z')).toEqual(['L28', 'M01', 'Y01', 'Y31']);
    expect(await within(365, '2027-03-01T00:00:00Z')).toEqual(['L28', 'L29', 'M01', 'Y01', 'Y31']);
    // Across the year end: 30 December covers 31 December and 1 January.
    expect(await within(2, '2026-12-29T16:00:00Z')).toEqual(['Y01', 'Y31']);
    expect(await within(1, '2026-12-29T16:00:00Z')).toEqual(['Y31']);
    expect(await match('not birthday within 0 days', Date.parse('2026-02-27T20:00:00Z'))).not.toContain('L29');
  });

  it('combines with and, or and not, and never lets a missing value turn not into false', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    expect(await match('city = "广州" or score < 50')).toEqual(['A', 'B']);
    expect(await match('not (city = "广州" or score < 50)')).toEqual(['C', 'D', 'F']);
    expect(await match('not score < 50 and not city missing')).toEqual(['A', 'C', 'D', 'F']);
    expect(await match('not not interests has any ("golf")')).toEqual(['A', 'D']);
    expect(await match('not (birthday within 7 days or vip_since > "2000-01-01")')).toEqual(['B', 'C', 'D']);
    expect(await match('not (is_member != false)')).toEqual(['B', 'C', 'D', 'F']);
  });

  it('leaves merged customers out', async () => {
    const context = h.context();
    await seed(context);
    const { match } = probe(h, context);
    expect(await match('city = "广州"')).toEqual(['A']);
    expect(await match('score = 99')).toEqual([]);
    expect(await match('lifecycle = "loyal"')).toContain('D');
    expect(await match('lifecycle exists or city exists')).not.toContain('E');
    expect(await match('rfm missing or rfm exists')).toEqual(['A', 'B', 'C', 'D', 'F']);
  });

  it('expands segments inline, nested, and false where a segment reads itself', async () => {
    const context = h.context();
    await seed(context);
    await insertSegments(context, {
      gz: 'city = "广州"',
      gz_rich: 'segment("gz") and score >= 50',
      self: 'segment("self") or rfm exists',
      ping: 'segment("pong") or city = "深圳"',
      pong: 'segment("ping") or city = "北京"',
      broken: 'nonsense >= 1',
    });
    const { match } = probe(h, context);
    expect(await match('segment("gz")')).toEqual(['A']);
    expect(await match('segment("gz_rich") or segment("人群 gz")')).toEqual(['A']);
    expect(await match('not segment("gz_rich")')).toEqual(['B', 'C', 'D', 'F']);
    expect(await match('segment("self")')).toEqual(['A', 'B']);
    expect(await match('not segment("self")')).toEqual(['C', 'D', 'F']);
    expect(await match('segment("ping")')).toEqual(['C', 'F']);
    // Answered in reading order, as the evaluator caches them: pong first, so ping is seen without pong.
    expect(await match('segment("pong") and segment("ping")')).toEqual(['C']);
    expect(await match('segment("broken") or segment("gz")')).toEqual(['A']);
    const catalog = await loadWorkspaceCatalog(context);
    const bound = compileExpression('segment("gz")', catalog.catalog).bound as BoundExpression;
    expect(await selectCustomerIds(h.store(), context.workspaceId, bound, { tagIds: catalog.tagIds, now: 0, utcOffsetMinutes: 480 })).toEqual([]);
  });

  it('writes each saved segment a statement reads once, however often it is read, and answers as the evaluator and the index do', async () => {
    const context = h.context();
    await seed(context);
    const levels = 16;
    // Each level reads the one below twice: written out at every read, level 16 would be 65,536 copies of level 0.
    const chain: Record<string, string> = { d0: 'city = "广州" or rfm = "一般客户"' };
    for (let level = 1; level <= levels; level += 1) chain[`d${level}`] = level % 2 === 0 ? `segment("d${level - 1}") or segment("d${level - 1}")` : `segment("d${level - 1}") and not (city = "深圳" and segment("d${level - 1}"))`;
    await insertSegments(context, { ...chain, gz: 'city = "广州"', twice: 'segment("gz") or segment("gz")', ping: 'segment("pong") or segment("gz") or city = "深圳"', pong: 'segment("ping") or segment("gz") or city = "北京"' });
    const { match } = probe(h, context);
    expect(await match(`segment("d${levels}")`, undefined, true)).toEqual(['A', 'B']);
    expect(await match(`not segment("d${levels}") or segment("d${levels}") and score >= 50`, undefined, true)).toEqual(['A', 'C', 'D', 'F']);
    expect(await match(`segment("d${levels}") and not segment("d3") or segment("twice")`, undefined, true)).toEqual(['A']);
    expect(await match('segment("gz") and not segment("twice") or segment("ping") and segment("pong")', undefined, true)).toEqual(['A', 'F']);
    expect(await match('segment("pong") and segment("ping") or not segment("pong")', undefined, true)).toEqual(['A', 'B', 'C', 'D']);
    // The same segments read beside the chain, so that they too are written once: in reading order, pong sees ping without itself.
    expect(await match(`segment("pong") and segment("ping") and not segment("d${levels}") or segment("twice") and segment("d${levels}")`, undefined, true)).toEqual(['A', 'C']);
    expect(await match(`not segment("ping") or segment("pong") and segment("ping") and segment("d${levels}")`, undefined, true)).toEqual(['A', 'B', 'D']);
  });

  it('writes a short expression out in full, and grows the SQL of a chain of segments each reading the one below twice by the same amount per level', async () => {
    const context = h.context();
    const chain: Record<string, string> = { d0: 'city = "广州"' };
    for (let level = 1; level <= 32; level += 1) chain[`d${level}`] = `segment("d${level - 1}") or not segment("d${level - 1}")`;
    await insertSegments(context, chain);
    const catalog = await loadWorkspaceCatalog(context);
    const segments = new Map([...catalog.segments].map(([key, segment]) => [key, compileExpression(segment.expression, catalog.catalog).bound as BoundExpression]));
    const compiledAt = (level: number) => {
      const bound = compileExpression(`segment("d${level}")`, catalog.catalog).bound as BoundExpression;
      const options = { dialect: h.store().dialect, workspaceId: context.workspaceId, tagIds: catalog.tagIds, now: 0, utcOffsetMinutes: 480, segment: (key: string) => segments.get(key) };
      return h.store().db.selectFrom('customers').select('id').where(compileToSql(bound, options)).compile();
    };
    // Level 9 written out is 512 comparisons of city, as before; level 10 would be 1,024, so it is written once per segment.
    const written = compiledAt(9);
    expect(written.sql).not.toMatch(/materialized/);
    expect(written.parameters.filter((parameter) => parameter === '广州')).toHaveLength(512);
    const [ten, twelve] = [compiledAt(10), compiledAt(12)];
    expect(ten.sql).toMatch(/materialized/);
    expect(ten.parameters.filter((parameter) => parameter === '广州')).toHaveLength(1);
    // Linear: every level adds the same parameters, and about the same text (its number grows a digit).
    const parametersPerLevel = (twelve.parameters.length - ten.parameters.length) / 2;
    const textPerLevel = (twelve.sql.length - ten.sql.length) / 2;
    for (const [from, to] of [[12, 16], [16, 32]] as const) {
      const [lower, upper] = [compiledAt(from), compiledAt(to)];
      expect((upper.parameters.length - lower.parameters.length) / (to - from), `parameters from level ${from} to ${to}`).toBe(parametersPerLevel);
      expect((upper.sql.length - lower.sql.length) / (to - from), `text from level ${from} to ${to}`).toBeLessThan(textPerLevel * 1.5);
    }
    expect(compiledAt(32).sql.length).toBeLessThan(32 * 400);
  });
});
