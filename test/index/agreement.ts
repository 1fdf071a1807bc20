// The index and the reference evaluator agree on random customers and random expressions.
// The data and the expressions come from fixed seeds, so a failure reproduces. It runs from
// workspace-index.test.ts: one test file per store kind keeps to one PostgreSQL migration at a
// time (parallel migrations in separate schemas race on Kysely's lock table).
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Kysely } from 'kysely';
import { compileExpression } from '../../src/core/expression/index.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { createSegment } from '../../src/engine/segments.js';
import { assignTag } from '../../src/engine/tagging.js';
import { writeCustomers, type ChangeObserver } from '../../src/engine/context.js';
import { dictionarySettings, numberBucketSettings } from '../../src/index/columns.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { snapshotSettings } from '../../src/index/snapshot-format.js';
import type { Database } from '../../src/store/schema.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { expected, loadOracle, planOptions } from './support.js';

const CITIES = ['广州', '深圳', '北京', '🎉城', 'O"Town', '￥'];
const DATES = ['1990-02-28', '1992-02-29', '2000-03-01', '1985-12-31', '2001-01-01', '2026-06-15', '2026-06-20', '1970-06-16'];
// A birthday after the harness's clock (2026-06-15) is refused: birthdays keep the month-days, a year earlier.
const BIRTHDAYS = DATES.map((date) => (date > '2026-06-16' ? `2025${date.slice(4)}` : date));
const CUSTOMERS = 120;

const customerArb = fc.record({
  city: fc.option(fc.constantFrom(...CITIES), { nil: null }),
  gender: fc.option(fc.constantFrom('male', 'female', 'unknown'), { nil: null }),
  birthday: fc.option(fc.constantFrom(...BIRTHDAYS), { nil: null }),
  score: fc.option(fc.constantFrom(-1, 0, 0.5, 10, 99, 100), { nil: undefined }),
  vip: fc.option(fc.boolean(), { nil: undefined }),
  joined: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
  level: fc.option(fc.constantFrom('金卡', '银卡'), { nil: undefined }),
  interests: fc.subarray(['golf', 'fishing', 'yoga']),
  stage: fc.option(fc.constantFrom('pre', 'during', 'after'), { nil: undefined }),
  orders: fc.array(fc.record({ daysAgo: fc.integer({ min: 0, max: 800 }), amount: fc.constantFrom(10, 99.5, 300, 1200) }), { maxLength: 3 }),
});

const number = fc.constantFrom('-1', '0', '0.5', '10', '99', '100', '1000');
const date = fc.constantFrom(...DATES.map((d) => `"${d}"`), '"2026-06-14"', '"2026-06-01"', '30 days ago', '1 year ago', '0 days ago');
// The workspace is at UTC+8: a time without an offset is its clock's (`"2026-06-15 00:00"` is 2026-06-14T16:00:00Z).
const instant = fc.constantFrom('"2026-06-15T10:00:00Z"', '"2026-06-14T16:00:00Z"', '"2026-01-01T00:00:00+08:00"', '"2026-06-15 00:00"', '"2026-06-15T18:00:00"', '"2026-06-14 23:59:59.999"');
const duration = fc.constantFrom('0 days', '1 day', '7 days', '1 week', '30 days', '1 month', '1 year', '400 days');
const compare = fc.constantFrom('=', '!=', '<', '<=', '>', '>=');
const quoted = (values: readonly string[]) => fc.constantFrom(...values.map((value) => JSON.stringify(value)));
const list = (item: fc.Arbitrary<string>) => fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => `(${items.join(', ')})`);

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('any', 'all', 'none'), list(quoted(['golf', 'fishing', 'yoga', '高尔夫']))).map(([q, l]) => `interests has ${q} ${l}`),
  fc.tuple(compare, quoted(['pre', 'during', 'after'])).map(([op, v]) => `stage ${op} ${v}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(quoted(['pre', 'during', 'after']))).map(([op, l]) => `stage ${op} ${l}`),
  fc.constantFrom('stage between "pre" and "during"', 'stage between "after" and "pre"', 'tagged("interests")', 'stage missing', 'interests exists'),
  fc.tuple(fc.constantFrom('=', '!='), quoted(CITIES)).map(([op, v]) => `city ${op} ${v}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(quoted(CITIES))).map(([op, l]) => `city ${op} ${l}`),
  fc.tuple(fc.constantFrom('city', 'gender', 'birthday', 'score', 'vip', 'joined', 'level', 'first_seen_at', 'last_order_at', 'spend_total', 'preferred_channel'), fc.constantFrom('exists', 'missing')).map(([a, p]) => `${a} ${p}`),
  fc.tuple(fc.constantFrom('=', '!='), quoted(['male', 'female', 'unknown'])).map(([op, v]) => `gender ${op} ${v}`),
  fc.tuple(fc.constantFrom('score', 'spend_total', 'orders_total', 'avg_order_value', 'days_since_last_order'), compare, number).map(([a, op, v]) => `${a} ${op} ${v}`),
  fc.tuple(fc.constantFrom('score', 'spend_365d'), number, number).map(([a, l, h]) => `${a} between ${l} and ${h}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(number)).map(([op, l]) => `score ${op} ${l}`),
  fc.tuple(fc.constantFrom('=', '!='), fc.constantFrom('true', 'false')).map(([op, v]) => `vip ${op} ${v}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(quoted(['金卡', '银卡']))).map(([op, l]) => `level ${op} ${l}`),
  fc.tuple(fc.constantFrom('birthday', 'joined', 'first_seen_at', 'last_order_at'), fc.constantFrom('=', '!=', '<', '<=', '>', '>=', 'before', 'after'), date).map(([a, op, v]) =>
    (a === 'first_seen_at' || a === 'last_order_at') && /ago/.test(v) && (op === '=' || op === '!=') ? `${a} < ${v}` : `${a} ${op} ${v}`,
  ),
  fc.tuple(fc.constantFrom('first_seen_at', 'last_order_at'), compare, instant).map(([a, op, v]) => `${a} ${op} ${v}`),
  fc.tuple(fc.constantFrom('birthday', 'joined', 'last_order_at'), date, date).map(([a, l, h]) => `${a} between ${l} and ${h}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(fc.constantFrom(...DATES.map((d) => `"${d}"`)))).map(([op, l]) => `last_order_at ${op} ${l}`),
  fc.tuple(fc.constantFrom('birthday', 'joined', 'first_seen_at', 'last_order_at'), duration).map(([a, d]) => `${a} within ${d}`),
  fc.tuple(compare, fc.constantFrom('0', '10', '50', '99', '9.5')).map(([op, v]) => `random_bucket ${op} ${v}`),
  fc.tuple(fc.constantFrom('0', '10', '40'), fc.constantFrom('9', '59', '99')).map(([l, h]) => `random_bucket between ${l} and ${h}`),
  fc.tuple(fc.constantFrom('in', 'not in'), list(fc.constantFrom('0', '7', '42', '99'))).map(([op, l]) => `随机分组号 ${op} ${l}`),
  fc.tuple(fc.constantFrom('has_phone', 'has_email', 'has_wechat', '有会员卡号'), fc.constantFrom('=', '!='), fc.constantFrom('true', 'false')).map(([a, op, v]) => `${a} ${op} ${v}`),
  fc.tuple(fc.constantFrom('has_phone', 'has_wechat'), fc.constantFrom('in', 'not in'), list(fc.constantFrom('true', 'false'))).map(([a, op, l]) => `${a} ${op} ${l}`),
  fc.tuple(fc.constantFrom('has_email', 'has_member_card'), fc.constantFrom('exists', 'missing')).map(([a, p]) => `${a} ${p}`),
  fc.constantFrom('segment("gz")', 'segment("big")'),
);

/** Identities of customer C{i}: some from the start, more added once the index is built (`later`). */
function identitiesOf(i: number, later: boolean): { kind: string; value: string }[] {
  const kinds = later ? [i % 4 === 1 && 'phone', i % 10 === 3 && 'member_card', i % 9 === 4 && 'wechat_unionid'] : [i % 4 === 0 && 'phone', i % 6 === 0 && 'email', i % 9 === 0 && 'wechat_openid', i % 8 === 2 && 'platform_nick'];
  return kinds.flatMap((kind) => (kind ? [{ kind, value: kind === 'phone' ? `1380000${String(i).padStart(4, '0')}` : kind === 'email' ? `c${i}@example.com` : `${kind}-${i}` }] : []));
}

const expression: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('node').map((inner) => `not (${inner})`),
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([op, parts]) => parts.map((part) => `(${part})`).join(` ${op} `)),
  ),
})).node;

/**
 * With `tinyBuckets`, every number column answers ranges from value buckets of a few ids,
 * refreshes included. With `snapshots`, a snapshot is saved (in parts of a few hundred bytes)
 * once the customers exist; one index loads it before the rest of the writes and follows them
 * through its observer, another loads it after them and follows them through the change log
 * alone; both must answer as the evaluator and a fresh build do. With `tinyDictionaries`, every
 * string column of more than one value keeps its values in a StringPool and is scanned.
 */
export function describeAgreement(options: { tinyBuckets?: boolean; snapshots?: boolean; tinyDictionaries?: boolean } = {}): void {
  const name =
    (options.snapshots ? 'index loaded from a snapshot agrees with the evaluator' : options.tinyBuckets ? 'index agrees with the evaluator, ranges from value buckets' : 'index agrees with the evaluator') +
    (options.tinyDictionaries ? ', values pooled' : '');
  forEachStore(name, (h) => {
    if (options.tinyDictionaries) {
      const saved = { ...dictionarySettings };
      beforeAll(() => Object.assign(dictionarySettings, { maxValueBitmaps: 1 }));
      afterAll(() => Object.assign(dictionarySettings, saved));
    }
    if (options.tinyBuckets) {
      const saved = { ...numberBucketSettings };
      beforeAll(() => Object.assign(numberBucketSettings, { minValues: 0, fineBuckets: 1 << 20, minFineSize: 3, finePerStep: 2, minDirtyLimit: 4 }));
      afterAll(() => Object.assign(numberBucketSettings, saved));
    }
    if (options.snapshots) {
      const saved = { ...snapshotSettings };
      beforeAll(() => Object.assign(snapshotSettings, { partBytes: 333 }));
      afterAll(() => Object.assign(snapshotSettings, saved));
    }
    it('on random customers and expressions', async () => {
      const registry = new IndexRegistry(undefined, { snapshots: options.snapshots ?? false });
      const early = new IndexRegistry(undefined, { snapshots: true });
      const observer: ChangeObserver = options.snapshots
        ? {
            customersChanged: (workspaceId, ids) => [registry, early].forEach((r) => r.customersChanged(workspaceId, ids)),
            catalogChanged: (workspaceId) => [registry, early].forEach((r) => r.catalogChanged(workspaceId)),
          }
        : registry;
      const ctx = { ...h.context(), observer };
      await createCustomField(ctx, { key: 'score', name: '评分', type: 'number' });
      await createCustomField(ctx, { key: 'vip', name: '贵宾', type: 'boolean' });
      await createCustomField(ctx, { key: 'joined', name: '入会日', type: 'date' });
      await createCustomField(ctx, { key: 'level', name: '卡级', type: 'enum', options: ['金卡', '银卡'] });
      await defineTag(ctx, interests);
      await defineTag(ctx, stage);
      await createSegment(ctx, { key: 'gz', name: '广州', expression: 'city = "广州"' });
      await createSegment(ctx, { key: 'big', name: '大客户', expression: 'spend_total >= 300 and not segment("gz")' });
      const people = fc.sample(fc.array(customerArb, { minLength: CUSTOMERS, maxLength: CUSTOMERS }), { seed: 20260615, numRuns: 1 })[0] ?? [];
      const now = ctx.now().getTime();
      await upsertCustomers(
        ctx,
        people.map((p, i) => ({ id: `C${i}`, city: p.city, gender: p.gender, birthday: p.birthday, identities: identitiesOf(i, false), custom: Object.fromEntries(Object.entries({ score: p.score, vip: p.vip, joined: p.joined, level: p.level }).filter(([, v]) => v !== undefined)) })),
      );
      // The index is built now, so what follows reaches it as refreshes.
      await registry.get(ctx);
      if (options.snapshots) {
        expect(await registry.saveSnapshot(ctx)).toMatchObject({ parts: expect.any(Number) as number });
        expect((await early.get(ctx)).origin).toBe('snapshot');
      }
      // Most order times carry milliseconds, as real ones do; a third are whole seconds.
      const events = people.flatMap((p, i) => p.orders.map((o, j) => ({ id: `O${i}-${j}`, customer_id: `C${i}`, type: 'order_paid', occurred_at: new Date(now - o.daysAgo * 86_400_000 - (i % 3 === 0 ? 0 : (i * 7 + j * 131) % 1000)).toISOString(), properties: { order_id: `O${i}-${j}`, amount: o.amount, channel: j % 2 ? 'online' : 'offline' } })));
      await ingestEvents(ctx, events);
      await upsertCustomers(
        ctx,
        people.map((_, i) => ({ id: `C${i}`, identities: identitiesOf(i, true) })),
      );
      for (const value of ['golf', 'fishing', 'yoga']) {
        const customers = people.flatMap((p, i) => (p.interests.includes(value) ? [`C${i}`] : []));
        if (customers.length > 0) await assignTag(ctx, { tag: 'interests', value, customers, source: 'manual' });
      }
      for (const value of ['pre', 'during', 'after']) {
        const customers = people.flatMap((p, i) => (p.stage === value ? [`C${i}`] : []));
        if (customers.length > 0) await assignTag(ctx, { tag: 'stage', value, customers, source: 'manual' });
      }
      await mergeCustomers(ctx, 'C0', 'C1');
      await mergeCustomers(ctx, 'C2', 'C3');
      // A mistyped custom value, as an old import or a changed field type leaves behind.
      const mistyped = await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', 'in', ['C4', 'C5']).execute();
      const mistype = (db: Kysely<Database>) => db.updateTable('customers').set({ custom: JSON.stringify({ score: '10', vip: 1, joined: '2026-02-30', level: true }) }).where('id', 'in', mistyped.map((row) => row.id)).execute();
      if (options.snapshots) {
        await writeCustomers(ctx, async (trx, changed) => {
          await mistype(trx);
          for (const row of mistyped) changed.add(row.id);
        });
      } else {
        await mistype(ctx.store.db);
        registry.customersChanged(ctx.workspaceId, mistyped.map((row) => row.id));
      }

      const oracle = await loadOracle(ctx);
      const index = await registry.get(ctx);
      expect(index.all.size).toBe(CUSTOMERS - 2);
      const others: WorkspaceIndex[] = [];
      if (options.snapshots) {
        const late = await new IndexRegistry(undefined, { snapshots: true }).get(ctx);
        const loadedEarly = await early.get(ctx);
        expect([late.origin, loadedEarly.origin]).toEqual(['snapshot', 'snapshot']);
        others.push(late, loadedEarly, await WorkspaceIndex.build(ctx.store, ctx.workspaceId));
      }
      const sources = fc.sample(expression, { seed: 42, numRuns: 1000 });
      const moments = [now, Date.parse('2027-02-28T12:00:00+08:00'), Date.parse('2028-02-28T17:00:00Z')];
      let checked = 0;
      let nonTrivial = 0;
      for (const source of sources) {
        const compiled = compileExpression(source, oracle.catalog.catalog);
        if (!compiled.bound) continue;
        for (const moment of moments) {
          const wanted = expected(oracle, compiled.bound, moment);
          expect(index.evaluate(compiled.bound, planOptions(oracle, moment)).toArray(), `${source} at ${new Date(moment).toISOString()}`).toEqual(wanted);
          for (const other of others) expect(other.evaluate(compiled.bound, planOptions(oracle, moment)).toArray(), `${source} at ${new Date(moment).toISOString()}`).toEqual(wanted);
          // A count builds less than an evaluation (the last intersection, a top-level not).
          for (const counted of [index, ...others]) expect(counted.count(compiled.bound, planOptions(oracle, moment)), `count of ${source}`).toBe(wanted.length);
          if (wanted.length > 0 && wanted.length < index.all.size) nonTrivial++;
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(700);
      expect(nonTrivial).toBeGreaterThan(checked);
    });
  });
}
