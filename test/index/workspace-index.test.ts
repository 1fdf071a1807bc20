import { expect, vi } from 'vitest';
import type { BoundExpression } from '../../src/core/expression/index.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { createSegment } from '../../src/engine/segments.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { catalogFingerprint, checksumOf, saveIndexSnapshot } from '../../src/index/snapshot.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { describeAgreement } from './agreement.js';
import { agree, expected, loadOracle, planOptions } from './support.js';

const span = { offset: 0, length: 0, line: 1, column: 1 };
const order = (id: string, customer: string, at: string, amount: number, channel = 'online') => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount, channel } });

async function seed(registry: IndexRegistry, base: WorkspaceContext): Promise<WorkspaceContext> {
  const ctx = { ...base, observer: registry };
  await createCustomField(ctx, { key: 'score', name: '评分', type: 'number' });
  await createCustomField(ctx, { key: 'vip', name: '贵宾', type: 'boolean' });
  await createCustomField(ctx, { key: 'joined', name: '入会日', type: 'date' });
  await createCustomField(ctx, { key: 'level', name: '卡级', type: 'enum', options: ['金卡', '银卡'] });
  await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
  await defineTag(ctx, interests);
  await defineTag(ctx, stage);
  await upsertCustomers(ctx, [
    { id: 'A', name: '张三', city: '广州', gender: 'male', birthday: '1990-02-28', first_seen_at: '2026-06-01T08:00:00+08:00', member_level: 'gold', custom: { score: 90, vip: true, joined: '2024-02-29', level: '金卡', note: 'say "hi"' } },
    { id: 'B', name: 'O"Brien', city: '深圳', gender: 'female', birthday: '1992-02-29', first_seen_at: '2026-05-31T23:30:00+08:00', custom: { score: 55.5, vip: false, level: '银卡', note: '🎉 party' } },
    { id: 'C', name: '🎉', city: '北京', birthday: '1985-06-20', first_seen_at: '2026-01-01T00:00:00Z', custom: { score: 0, note: '￥' } },
    { id: 'D', name: 'Zed' },
    { id: 'E', name: '李四', city: '广州', birthday: '2000-12-31', first_seen_at: '2025-01-01T00:00:00Z', custom: { score: -3, vip: true } },
    { id: 'F', name: '王五', city: '上海', birthday: '1990-03-01', custom: { score: 90 } },
  ]);
  await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'C'], source: 'manual' });
  await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['A'], source: 'manual' });
  await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['B', 'F'], source: 'manual' });
  await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
  await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['B'], source: 'manual' });
  await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['C', 'F'], source: 'manual' });
  await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 1200), order('E2', 'B', '2026-03-01T00:00:00Z', 300, 'offline'), order('E3', 'C', '2025-06-01T00:00:00Z', 50)]);
  return ctx;
}

function idsOf(oracle: Awaited<ReturnType<typeof loadOracle>>, ids: readonly number[]): string[] {
  return ids.map((id) => oracle.externalIds.get(id) ?? `#${id}`);
}

forEachStore('workspace index', (h) => {
  it('answers every tag test as the evaluator does, ordered values included', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const cases: [string, string[]][] = [
      ['interests has any ("golf", "yoga")', ['A', 'B', 'C', 'F']],
      ['interests has any ("钓鱼")', ['A']],
      ['interests has all ("golf", "fishing")', ['A']],
      ['interests has none ("golf")', ['B', 'F']],
      ['interests exists', ['A', 'B', 'C', 'F']],
      ['interests missing', ['D', 'E']],
      ['tagged("stage")', ['A', 'B', 'C', 'F']],
      ['not interests has any ("golf")', ['B', 'D', 'E', 'F']],
      ['stage = "pre"', ['A']],
      ['stage != "pre"', ['B', 'C', 'F']],
      ['stage in ("pre", "after")', ['A', 'B']],
      ['stage not in ("pre")', ['B', 'C', 'F']],
      ['stage >= "during"', ['B', 'C', 'F']],
      ['stage < "after"', ['A', 'C', 'F']],
      ['stage between "pre" and "during"', ['A', 'C', 'F']],
      ['stage between "after" and "pre"', []],
      ['not stage > "pre"', ['A', 'D', 'E']],
    ];
    for (const [source, who] of cases) expect(await agree(registry, ctx, source), source).toEqual(who);
  });

  it('answers fields and metrics of every type, strings with quotes, Chinese and emoji', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const cases: [string, string[] | undefined][] = [
      ['city = "广州"', ['A', 'E']],
      ['city != "广州"', ['B', 'C', 'F']],
      ['not city = "广州"', ['B', 'C', 'D', 'F']],
      ['city in ("广州", "北京")', ['A', 'C', 'E']],
      ['city not in ("广州")', ['B', 'C', 'F']],
      ['city missing', ['D']],
      ['gender = "male"', ['A']],
      ['name = "O\\"Brien"', ['B']],
      ['name = "🎉"', ['C']],
      ['note = "say \\"hi\\""', ['A']],
      ['note in ("🎉 party", "￥")', ['B', 'C']],
      ['member_level exists', ['A']],
      ['id in ("A", "E")', ['A', 'E']],
      ['score > 50', ['A', 'B', 'F']],
      ['score <= 0', ['C', 'E']],
      ['score between 0 and 60', ['B', 'C']],
      ['score between 60 and 0', []],
      ['score in (90, 0)', ['A', 'C', 'F']],
      ['score not in (90)', ['B', 'C', 'E']],
      ['score != 90', ['B', 'C', 'E']],
      ['score missing', ['D']],
      ['vip = true', ['A', 'E']],
      ['vip != true', ['B']],
      ['vip in (false)', ['B']],
      ['vip missing', ['C', 'D', 'F']],
      ['level = "金卡"', ['A']],
      ['level not in ("金卡")', ['B']],
      ['spend_total >= 300', ['A', 'B']],
      ['orders_total = 1', ['A', 'B', 'C']],
      ['preferred_channel = "offline"', ['B']],
      ['avg_order_value < 100', ['C']],
      ['(city = "广州" or vip = true) and not interests has any ("golf")', ['E']],
      ['not (score > 50 and stage exists)', ['C', 'D', 'E']],
      ['interests has any ("golf") and score >= 0 and city exists', ['A', 'C']],
      ['score > 1000 or stage = "after" or city = "上海"', ['B', 'F']],
    ];
    for (const [source, who] of cases) {
      const answer = await agree(registry, ctx, source);
      if (who) expect(answer, source).toEqual(who);
    }
  });

  it('orders strings by UTF-16 code units, as JavaScript does', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const oracle = await loadOracle(ctx);
    const index = await registry.get(ctx);
    // The checker refuses `<` on text; a hand-built tree still has to agree. '￥' (U+FFE5) sorts
    // after '🎉' (U+1F389) by code units and before it by code points.
    for (const operator of ['<', '>', '<=', '>=', '!='] as const) {
      for (const value of ['￥', '🎉', 'Z', '张']) {
        const bound: BoundExpression = { kind: 'compare', attribute: { source: 'field', key: 'name', name: '姓名', type: 'string' }, operator, value: { kind: 'string', value }, span };
        const now = ctx.now().getTime();
        expect(index.evaluate(bound, planOptions(oracle, now)).toArray(), `name ${operator} ${value}`).toEqual(expected(oracle, bound, now));
      }
    }
    const below: BoundExpression = { kind: 'compare', attribute: { source: 'field', key: 'name', name: '姓名', type: 'string' }, operator: '>', value: { kind: 'string', value: '￥' }, span };
    expect(idsOf(oracle, index.evaluate(below, planOptions(oracle, ctx.now().getTime())).toArray())).toEqual([]);
  });

  it('answers dates, timestamps and relative times at the workspace offset', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const cases: [string, string[] | undefined][] = [
      ['birthday < "1991-01-01"', ['A', 'C', 'F']],
      ['birthday after "1990-02-28"', ['B', 'E', 'F']],
      ['birthday between "1985-01-01" and "1992-02-29"', ['A', 'B', 'C', 'F']],
      ['birthday = date("1992-02-29")', ['B']],
      ['birthday >= 30 years ago', undefined],
      ['birthday before 36 years ago', undefined],
      ['joined = "2024-02-29"', ['A']],
      ['joined missing', ['B', 'C', 'D', 'E', 'F']],
      // first_seen_at of A is 2026-06-01 08:00 and of B 2026-05-31 23:30, both at +08:00.
      ['first_seen_at = "2026-06-01"', ['A']],
      ['first_seen_at = "2026-03-01"', ['B']],
      ['first_seen_at < "2026-06-01"', ['B', 'C', 'E']],
      ['first_seen_at <= "2026-05-31"', ['B', 'C', 'E']],
      ['first_seen_at > "2026-05-31"', ['A', 'D', 'F']],
      ['first_seen_at != "2026-06-01"', ['B', 'C', 'D', 'E', 'F']],
      ['first_seen_at in ("2026-06-01", "2025-01-01")', ['A', 'E']],
      ['first_seen_at between "2026-01-01" and "2026-05-31"', ['B']],
      ['first_seen_at >= "2026-06-01T00:00:00+08:00"', ['A', 'D', 'F']],
      ['first_seen_at = "2026-06-01T08:00:00+08:00"', ['A']],
      ['first_seen_at within 30 days', ['A', 'D', 'F']],
      ['first_seen_at before 30 days ago', ['B', 'C', 'E']],
      ['last_order_at after 100 days ago', ['A']],
      ['last_order_at within 1 year', ['A', 'B']],
      ['last_active_at missing', ['D', 'E', 'F']],
      ['days_since_last_order > 100', ['B', 'C']],
    ];
    for (const [source, who] of cases) {
      const answer = await agree(registry, ctx, source);
      if (who) expect(answer, source).toEqual(who);
    }
  });

  it('finds birthdays within N days as daysUntilAnniversary counts them, 29 February included', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const at = (iso: string) => new Date(iso).getTime();
    // Birthdays: A 02-28, B 02-29, C 06-20, E 12-31, F 03-01.
    const cases: [string, string, string[]][] = [
      ['2027-02-28T12:00:00+08:00', 'birthday within 0 days', ['A', 'B']],
      ['2028-02-28T12:00:00+08:00', 'birthday within 0 days', ['A']],
      ['2028-02-28T12:00:00+08:00', 'birthday within 1 day', ['A', 'B']],
      ['2028-02-29T12:00:00+08:00', 'birthday within 0 days', ['B']],
      ['2028-02-29T12:00:00+08:00', 'birthday within 1 day', ['B', 'F']],
      ['2027-03-01T12:00:00+08:00', 'birthday within 363 days', ['C', 'E', 'F']],
      ['2027-03-01T12:00:00+08:00', 'birthday within 364 days', ['A', 'C', 'E', 'F']],
      ['2027-03-01T12:00:00+08:00', 'birthday within 365 days', ['A', 'B', 'C', 'E', 'F']],
      ['2028-03-01T12:00:00+08:00', 'birthday within 363 days', ['C', 'E', 'F']],
      ['2028-03-01T12:00:00+08:00', 'birthday within 364 days', ['A', 'B', 'C', 'E', 'F']],
      ['2026-12-31T23:30:00+08:00', 'birthday within 1 day', ['E']],
      // 16:30 UTC is already 1 January at +08:00.
      ['2026-12-31T16:30:00Z', 'birthday within 0 days', []],
      ['2026-06-15T10:00:00Z', 'birthday within 5 days', ['C']],
      ['2026-06-15T10:00:00Z', 'joined within 365 days', ['A']],
      ['2026-06-15T10:00:00Z', 'birthday within 1 week', ['C']],
    ];
    for (const [now, source, who] of cases) expect(await agree(registry, ctx, source, at(now)), `${source} at ${now}`).toEqual(who);
  });

  it('treats mistyped and impossible values as missing', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const { db } = ctx.store;
    const ids = await registry.get(ctx).then(() => loadOracle(ctx));
    const idOf = (external: string) => [...ids.externalIds].find(([, e]) => e === external)?.[0] ?? -1;
    await db
      .updateTable('customers')
      .set({ custom: JSON.stringify({ score: 'high', vip: 'yes', joined: '2026-02-30', level: 5, note: true }), birthday: '1990-13-01' })
      .where('id', '=', idOf('D'))
      .execute();
    await db
      .updateTable('customer_metrics')
      .set({ metric_values: JSON.stringify({ spend_total: 'lots', last_order_at: '2026-06-01', preferred_channel: 7, orders_total: null }) })
      .where('customer_id', '=', idOf('A'))
      .execute();
    registry.customersChanged(ctx.workspaceId, [idOf('D'), idOf('A')]);
    const cases: [string, string[] | undefined][] = [
      ['score missing', ['D']],
      ['score exists', ['A', 'B', 'C', 'E', 'F']],
      ['not score > -100', ['D']],
      ['vip missing', ['C', 'D', 'F']],
      ['joined missing', ['B', 'C', 'D', 'E', 'F']],
      ['joined within 365 days', ['A']],
      ['level missing', ['C', 'D', 'E', 'F']],
      ['note missing', ['D', 'E', 'F']],
      ['birthday missing', ['D']],
      ['birthday within 366 days', ['A', 'B', 'C', 'E', 'F']],
      ['spend_total missing', ['A']],
      ['last_order_at missing', ['A', 'D', 'E', 'F']],
      ['last_order_at within 10 years', ['B', 'C']],
      ['preferred_channel missing', ['A', 'C', 'D', 'E', 'F']],
      ['orders_total >= 0', ['B', 'C', 'D', 'E', 'F']],
    ];
    for (const [source, who] of cases) {
      const answer = await agree(registry, ctx, source);
      if (who) expect(answer, source).toEqual(who);
    }
  });

  it('resolves saved segments, and matches nobody for one it cannot resolve', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    await createSegment(ctx, { key: 'gz', name: '广州客户', expression: 'city = "广州"' });
    await createSegment(ctx, { key: 'gz_vip', name: '广州贵宾', expression: 'segment("gz") and vip = true' });
    expect(await agree(registry, ctx, 'segment("gz")')).toEqual(['A', 'E']);
    expect(await agree(registry, ctx, 'segment("广州贵宾") and interests exists')).toEqual(['A']);
    expect(await agree(registry, ctx, 'not segment("gz") and segment("gz_vip") or score = 0')).toEqual(['C']);
    const oracle = await loadOracle(ctx);
    const index = await registry.get(ctx);
    const unknown: BoundExpression = { kind: 'segment', segment: { key: 'nope', name: 'nope' }, span };
    const now = ctx.now().getTime();
    expect(index.count(unknown, planOptions(oracle, now))).toBe(0);
    expect(index.count({ kind: 'not', operand: unknown, span }, planOptions(oracle, now))).toBe(6);
    expect(index.count(unknown, { ...planOptions(oracle, now), segment: undefined })).toBe(0);
    // A segment that reads itself is false inside itself, as segmentAwareView has it.
    const selfish: BoundExpression = { kind: 'or', operands: [{ kind: 'not', operand: { kind: 'segment', segment: { key: 'me', name: 'me' }, span }, span }], span };
    expect(index.count({ kind: 'segment', segment: { key: 'me', name: 'me' }, span }, { ...planOptions(oracle, now), segment: (key) => (key === 'me' ? selfish : undefined) })).toBe(6);
  });

  it('follows assignments, removals, events, upserts and merges without rebuilding', async () => {
    const build = vi.spyOn(WorkspaceIndex, 'build');
    try {
      const registry = new IndexRegistry();
      const ctx = await seed(registry, h.context());
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'F']);
      const builds = build.mock.calls.length;
      await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['D'], source: 'manual' });
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'D', 'F']);
      await removeTag(ctx, { tag: 'interests', customers: ['B'], source: 'manual' });
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['D', 'F']);
      expect(await agree(registry, ctx, 'interests missing')).toEqual(['B', 'E']);
      await ingestEvents(ctx, [order('E4', 'D', '2026-06-10T00:00:00Z', 5000), order('E5', 'G', '2026-06-11T00:00:00Z', 10)]);
      expect(await agree(registry, ctx, 'spend_total >= 1000')).toEqual(['A', 'D']);
      expect(await agree(registry, ctx, 'orders_total >= 1')).toEqual(['A', 'B', 'C', 'D', 'G']);
      await upsertCustomers(ctx, [{ id: 'D', city: '广州' }, { id: 'E', city: null }]);
      expect(await agree(registry, ctx, 'city = "广州"')).toEqual(['A', 'D']);
      // F merges into A: F is no longer a customer, A takes its tags.
      await mergeCustomers(ctx, 'A', 'F');
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['A', 'D']);
      expect(await agree(registry, ctx, 'city = "上海" or score = 90')).toEqual(['A']);
      expect(await agree(registry, ctx, 'not interests exists')).toEqual(['B', 'E', 'G']);
      const index = await registry.get(ctx);
      expect(index.all.size).toBe(6);
      expect(build.mock.calls.length).toBe(builds);
    } finally {
      build.mockRestore();
    }
  });

  it('sees writes made without its observer (another process) through the change log', async () => {
    const build = vi.spyOn(WorkspaceIndex, 'build');
    try {
      const registry = new IndexRegistry(h.store());
      const ctx = await seed(registry, h.context());
      // What a CLI import or a second server does: the same store, no observer of ours.
      const elsewhere = h.context('import');
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'F']);
      const builds = build.mock.calls.length;
      await assignTag(elsewhere, { tag: 'interests', value: 'yoga', customers: ['C'], source: 'import' });
      await upsertCustomers(elsewhere, [{ id: 'H', city: '广州' }]);
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'C', 'F']);
      expect(await agree(registry, ctx, 'city = "广州"')).toEqual(['A', 'E', 'H']);
      expect(build.mock.calls.length).toBe(builds);
      // A new tag changes the library, not what the index holds: no rebuild.
      await defineTag(elsewhere, { key: 'tier', name: '层级', values: [{ key: 'x', name: 'X' }] });
      await assignTag(elsewhere, { tag: 'tier', value: 'x', customers: ['H'], source: 'import' });
      expect(await agree(registry, ctx, 'tier = "X"')).toEqual(['H']);
      expect(build.mock.calls.length).toBe(builds);
      await createCustomField(elsewhere, { key: 'vip_since', name: '贵宾起始', type: 'date' });
      expect(await agree(registry, ctx, 'tier = "X"')).toEqual(['H']);
      expect(build.mock.calls.length).toBe(builds + 1);
    } finally {
      build.mockRestore();
    }
  });

  it('rebuilds instead of refreshing once pending customers outnumber what a refresh is worth', async () => {
    const build = vi.spyOn(WorkspaceIndex, 'build');
    const refresh = vi.spyOn(WorkspaceIndex.prototype, 'refreshCustomers');
    try {
      const registry = new IndexRegistry(h.store(), { maxRefresh: 2 });
      const ctx = await seed(registry, h.context());
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'F']);
      const builds = build.mock.calls.length;
      const refreshes = refresh.mock.calls.length;
      // Two customers: refreshed in place.
      await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C', 'D'], source: 'manual' });
      expect(await agree(registry, ctx, 'interests has any ("yoga")')).toEqual(['B', 'C', 'D', 'F']);
      expect(build.mock.calls.length).toBe(builds);
      expect(refresh.mock.calls.length).toBe(refreshes + 1);
      // Three, through the observer and again through the log: rebuilt, nothing refreshed id by id.
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['D', 'E', 'F'], source: 'manual' });
      expect(await agree(registry, ctx, 'interests has any ("golf")')).toEqual(['A', 'C', 'D', 'E', 'F']);
      expect(build.mock.calls.length).toBe(builds + 1);
      expect(refresh.mock.calls.length).toBe(refreshes + 1);
      // Written elsewhere: found in the change log, with the same outcome.
      await removeTag(h.context('import'), { tag: 'interests', customers: ['A', 'B', 'C'], source: 'manual' });
      expect(await agree(registry, ctx, 'interests missing')).toEqual(['A', 'B', 'C']);
      expect(build.mock.calls.length).toBe(builds + 2);
      expect(refresh.mock.calls.length).toBe(refreshes + 1);
    } finally {
      build.mockRestore();
      refresh.mockRestore();
    }
  });

  it('rebuilds after a catalog change, and shares one build between concurrent readers', async () => {
    const build = vi.spyOn(WorkspaceIndex, 'build');
    try {
      const registry = new IndexRegistry(h.store());
      const ctx = await seed(registry, h.context());
      const [first, second, third] = await Promise.all([registry.get(ctx), registry.get(ctx), registry.get(ctx)]);
      expect(build).toHaveBeenCalledTimes(1);
      expect(second).toBe(first);
      expect(third).toBe(first);
      await defineTag(ctx, { key: 'tier', name: '层级', values: [{ key: 'x', name: 'X' }] });
      await assignTag(ctx, { tag: 'tier', value: 'x', customers: ['C'], source: 'manual' });
      expect(await agree(registry, ctx, 'tier = "X"')).toEqual(['C']);
      expect(build).toHaveBeenCalledTimes(1);
      await createCustomField(ctx, { key: 'vip_since', name: '贵宾起始', type: 'date' });
      expect(await agree(registry, ctx, 'tier = "X"')).toEqual(['C']);
      expect(build).toHaveBeenCalledTimes(2);
      expect(await registry.get(ctx)).not.toBe(first);
      registry.catalogChanged(ctx.workspaceId);
      await Promise.all([registry.get(ctx), registry.get(ctx)]);
      expect(build).toHaveBeenCalledTimes(3);
      const [stats] = registry.stats();
      expect(stats).toMatchObject({ workspaceId: ctx.workspaceId, customers: 6 });
      expect(stats?.bitmaps).toBeGreaterThan(10);
      expect(stats?.bytes).toBeGreaterThan(0);
      registry.evict(ctx.workspaceId);
      expect(registry.stats()).toEqual([]);
      await registry.get(ctx);
      expect(build).toHaveBeenCalledTimes(4);
    } finally {
      build.mockRestore();
    }
  });

  it('pages members in id order or by a field or metric, missing values last and ties by id', async () => {
    const registry = new IndexRegistry();
    const ctx = await seed(registry, h.context());
    const oracle = await loadOracle(ctx);
    const index = await registry.get(ctx);
    const all = index.evaluate({ kind: 'and', operands: [], span }, planOptions(oracle, ctx.now().getTime()));
    const page = (sort: Parameters<WorkspaceIndex['sortMembers']>[1], offset = 0, limit = 10) => idsOf(oracle, index.sortMembers(all, sort, offset, limit));
    expect(page(undefined)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(page(undefined, 2, 3)).toEqual(['C', 'D', 'E']);
    expect(page(undefined, 6, 3)).toEqual([]);
    expect(page({ source: 'metric', key: 'spend_total', direction: 'desc' })).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(page({ source: 'metric', key: 'spend_total', direction: 'asc' })).toEqual(['D', 'E', 'F', 'C', 'B', 'A']);
    expect(page({ source: 'metric', key: 'spend_total', direction: 'desc' }, 1, 2)).toEqual(['B', 'C']);
    expect(page({ source: 'field', key: 'score', direction: 'desc' })).toEqual(['A', 'F', 'B', 'C', 'E', 'D']);
    expect(page({ source: 'field', key: 'city', direction: 'asc' })).toEqual(['F', 'C', 'A', 'E', 'B', 'D']);
    expect(page({ source: 'field', key: 'city', direction: 'desc' }, 0, 3)).toEqual(['B', 'A', 'E']);
    expect(page({ source: 'field', key: 'birthday', direction: 'asc' })).toEqual(['C', 'A', 'F', 'B', 'E', 'D']);
    expect(page({ source: 'field', key: 'vip', direction: 'desc' })).toEqual(['A', 'E', 'B', 'C', 'D', 'F']);
    expect(page({ source: 'field', key: 'no_such_field', direction: 'desc' })).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    const some = index.evaluate({ kind: 'and', operands: [], span }, planOptions(oracle, ctx.now().getTime()));
    some.remove(all.minimum());
    expect(idsOf(oracle, index.sortMembers(some, { source: 'metric', key: 'spend_total', direction: 'desc' }, 0, 2))).toEqual(['B', 'C']);
    // The bitmap handed out is the caller's: changing it leaves the index alone.
    expect(index.all.size).toBe(6);
  });

  it('keeps no trace of an erased customer in the stored snapshot, then or in the next one', async () => {
    const first = new IndexRegistry(h.store(), { snapshots: true });
    const ctx = await seed(first, h.context());
    await first.get(ctx);
    await first.saveSnapshot(ctx);
    const stored = async () => {
      const parts = await ctx.store.db.selectFrom('index_snapshot_parts').select('data').where('workspace_id', '=', ctx.workspaceId).execute();
      return Buffer.concat(parts.map((part) => Buffer.from(part.data)));
    };
    // E's name and birthday are nobody else's.
    expect((await stored()).includes(Buffer.from('李四'))).toBe(true);
    expect((await stored()).includes(Buffer.from('lisi'))).toBe(true);
    await eraseCustomer(ctx, 'E');
    expect(await ctx.store.db.selectFrom('index_snapshots').select('workspace_id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    expect(await agree(first, ctx, 'city = "广州"')).toEqual(['A']);
    expect(await first.saveSnapshot(ctx)).toMatchObject({ parts: 1 });
    const after = await stored();
    expect(after.length).toBeGreaterThan(0);
    // Nor its name's spellings in the customer search's table.
    for (const trace of ['李四', 'lisi', '2000-12-31']) expect(after.includes(Buffer.from(trace)), trace).toBe(false);
    expect(after.includes(Buffer.from('张三'))).toBe(true);
    expect(after.includes(Buffer.from('zhangsan'))).toBe(true);
    const second = new IndexRegistry(h.store(), { snapshots: true });
    expect(await agree(second, ctx, 'city = "广州"')).toEqual(['A']);
    expect((await second.get(ctx)).origin).toBe('snapshot');
  });

  it('stores no snapshot holding a customer erased while it was written, and the next one without them', async () => {
    const registry = new IndexRegistry(h.store(), { snapshots: true });
    const ctx = await seed(registry, h.context());
    const logPosition = async () => Number((await ctx.store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirst())?.id ?? 0);
    // The index as encoded at the start of a save; E is erased while its parts are written.
    const position = await logPosition();
    const index = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    const fingerprint = await catalogFingerprint(ctx.store, ctx.workspaceId);
    await eraseCustomer(ctx, 'E');
    expect(await saveIndexSnapshot(ctx.store, index, { position, polledAt: Date.now() }, fingerprint)).toBeUndefined();
    expect(await ctx.store.db.selectFrom('index_snapshots').select('workspace_id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    expect(await ctx.store.db.selectFrom('index_snapshot_parts').select('part').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    // Taken after the erasure, it is stored.
    const now = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(await saveIndexSnapshot(ctx.store, now, { position: await logPosition(), polledAt: Date.now() }, fingerprint)).toMatchObject({ parts: 1 });
  });

  it('starts from a snapshot and sees what changed after it, through its observer and through the log', async () => {
    const first = new IndexRegistry(h.store(), { snapshots: true });
    const ctx = await seed(first, h.context());
    expect((await first.get(ctx)).origin).toBe('build');
    expect(await first.saveSnapshot(ctx)).toMatchObject({ parts: 1 });
    // Nothing changed since: nothing to write.
    expect(await first.saveSnapshot(ctx)).toBeUndefined();
    const build = vi.spyOn(WorkspaceIndex, 'build');
    try {
      const second = new IndexRegistry(h.store(), { snapshots: true });
      expect(await agree(second, ctx, 'interests has any ("yoga")')).toEqual(['B', 'F']);
      const withObserver = { ...ctx, observer: second };
      await assignTag(withObserver, { tag: 'interests', value: 'yoga', customers: ['D'], source: 'manual' });
      await assignTag(h.context('import'), { tag: 'interests', value: 'yoga', customers: ['E'], source: 'import' });
      await upsertCustomers(h.context('import'), [{ id: 'H', city: '广州' }]);
      await ingestEvents(withObserver, [order('E4', 'D', '2026-06-10T00:00:00Z', 5000)]);
      await mergeCustomers(ctx, 'A', 'F');
      expect(await agree(second, ctx, 'interests has any ("yoga")')).toEqual(['A', 'B', 'D', 'E']);
      // A third process starts from the same snapshot, after all of it.
      const third = new IndexRegistry(h.store(), { snapshots: true });
      expect(await agree(third, ctx, 'interests has any ("yoga")')).toEqual(['A', 'B', 'D', 'E']);
      expect(await agree(third, ctx, 'city = "广州"')).toEqual(['A', 'E', 'H']);
      expect(await agree(third, ctx, 'spend_total >= 1000')).toEqual(['A', 'D']);
      expect((await third.get(ctx)).origin).toBe('snapshot');
      expect(build).not.toHaveBeenCalled();
      // The first index followed the same writes: its next snapshot is written.
      expect(await first.saveSnapshot(ctx)).toMatchObject({ parts: 1 });
      const fourth = new IndexRegistry(h.store(), { snapshots: true });
      expect(await agree(fourth, ctx, 'not interests exists')).toEqual(['H']);
      expect(build).not.toHaveBeenCalled();
    } finally {
      build.mockRestore();
    }
  });

  it('starts from its snapshot after tag edits, and builds from the store after a catalog change logged after it', async () => {
    const first = new IndexRegistry(h.store(), { snapshots: true });
    const ctx = await seed(first, h.context());
    await first.get(ctx);
    await first.saveSnapshot(ctx);
    const elsewhere = h.context('import');
    await defineTag(elsewhere, { key: 'tier', name: '层级', values: [{ key: 'x', name: 'X' }] });
    await assignTag(elsewhere, { tag: 'tier', value: 'x', customers: ['C'], source: 'import' });
    const build = vi.spyOn(WorkspaceIndex, 'build');
    try {
      // A new tag changes the library, not what the snapshot holds: it loads, and the log brings C's new tag.
      const second = new IndexRegistry(h.store(), { snapshots: true });
      expect(await agree(second, ctx, 'tier = "X"')).toEqual(['C']);
      expect(build).toHaveBeenCalledTimes(0);
      expect((await second.get(ctx)).origin).toBe('snapshot');
      await createCustomField(elsewhere, { key: 'vip_since', name: '贵宾起始', type: 'date' });
      const third = new IndexRegistry(h.store(), { snapshots: true });
      expect(await agree(third, ctx, 'tier = "X"')).toEqual(['C']);
      expect(build).toHaveBeenCalledTimes(1);
      expect((await third.get(ctx)).origin).toBe('build');
    } finally {
      build.mockRestore();
    }
  });

  it('builds instead of using a snapshot that is damaged, of another catalog or older than the log', async () => {
    const ctx = await seed(new IndexRegistry(), h.context());
    const { db } = ctx.store;
    const saveFresh = async () => {
      const registry = new IndexRegistry(h.store(), { snapshots: true });
      await registry.get(ctx);
      expect(await registry.saveSnapshot(ctx)).toBeDefined();
    };
    const startWith = async (damage: () => Promise<unknown>): Promise<string[]> => {
      await saveFresh();
      await damage();
      const reasons: string[] = [];
      const registry = new IndexRegistry(h.store(), { snapshots: true, onSnapshotRejected: (_, reason) => reasons.push(reason) });
      expect(await agree(registry, ctx, 'interests has any ("golf") or score >= 90')).toEqual(['A', 'C', 'F']);
      expect(await agree(registry, ctx, 'city = "广州" and vip = true')).toEqual(['A', 'E']);
      expect((await registry.get(ctx)).origin).toBe('build');
      return reasons;
    };
    const part = () => db.selectFrom('index_snapshot_parts').selectAll().where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect(
      await startWith(async () => {
        const row = await part();
        const data = Buffer.from(row.data);
        data[data.length >> 1] = (data[data.length >> 1] as number) ^ 0x40;
        await db.updateTable('index_snapshot_parts').set({ data }).where('workspace_id', '=', ctx.workspaceId).execute();
      }),
    ).toEqual(['the snapshot does not match its checksum']);
    // Damage the checksum does not see (it was recomputed): the payload itself must not read back.
    const [truncated] = await startWith(async () => {
      const data = Buffer.from((await part()).data).subarray(0, -9);
      await db.updateTable('index_snapshot_parts').set({ data }).where('workspace_id', '=', ctx.workspaceId).execute();
      await db
        .updateTable('index_snapshots')
        .set({ bytes: data.length, checksum: checksumOf([data]) })
        .where('workspace_id', '=', ctx.workspaceId)
        .execute();
    });
    expect(truncated).toMatch(/does not read back/);
    expect(await startWith(() => db.deleteFrom('index_snapshot_parts').where('workspace_id', '=', ctx.workspaceId).execute())).toEqual(['part 0 of the snapshot is missing']);
    expect(await startWith(() => db.updateTable('index_snapshots').set({ polled_at: Date.now() - 2 * 86_400_000 }).where('workspace_id', '=', ctx.workspaceId).execute())).toEqual([
      'the change log may no longer hold what followed the snapshot',
    ]);
    // A catalog change whose log entry is gone (pruned, or its process died before writing it).
    expect(
      await startWith(async () => {
        await createCustomField(ctx, { key: 'extra', name: '其他', type: 'string' });
        await db.deleteFrom('changes').where('workspace_id', '=', ctx.workspaceId).execute();
      }),
    ).toEqual(['the catalog changed since the snapshot']);
  });
});

describeAgreement();
describeAgreement({ tinyBuckets: true, tinyDictionaries: true });
describeAgreement({ snapshots: true });
describeAgreement({ snapshots: true, tinyDictionaries: true });
