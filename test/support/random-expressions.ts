// Random customers and random expressions over one small fixed catalog, for tests that hold
// every back end (SQL, the bitmap index) to the reference evaluator. The data leans on the
// edges where back ends disagree: day boundaries at the workspace offset, 29 February,
// mistyped and missing values, quotes and SQL fragments in text, merged customers.
import fc from 'fast-check';
import { addDays, calendarDate, compileExpression, dayStart, evaluateExpression, printString, type BoundExpression, type CustomerView } from '../../src/core/expression/index.js';
import type { MetricDefinition } from '../../src/core/metric.js';
import { tagInputSchema } from '../../src/core/tag.js';
import { DAY_MS } from '../../src/core/time.js';
import { loadCustomerViews, loadWorkspaceCatalog, type WorkspaceCatalog } from '../../src/engine/catalog.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { createCustomField } from '../../src/engine/fields.js';
import { createTag } from '../../src/engine/library.js';
import { segmentAwareView } from '../../src/engine/rules.js';

/** China Standard Time: "today" starts at 16:00 UTC, so UTC and calendar days disagree. */
export const RANDOM_UTC_OFFSET = 480;

/** The instants expressions are evaluated at: around 29 February in common and leap years, and a year end. */
export const RANDOM_NOWS: readonly number[] = [
  Date.parse('2026-02-27T20:00:00Z'), // 2026-02-28 in the workspace: a common year
  Date.parse('2026-06-15T10:00:00Z'),
  Date.parse('2027-12-28T16:30:00Z'), // 2027-12-29: `within` crosses the year end
  Date.parse('2028-02-28T03:00:00Z'), // 2028-02-28: a leap year
  Date.parse('2028-02-28T17:00:00Z'), // 2028-02-29
];

const LEVELS = [
  ['bronze', '青铜'],
  ['silver', '白银'],
  ['gold', '黄金'],
  ['platinum', '铂金'],
] as const;
const HOBBIES = [
  ['golf', '高尔夫'],
  ['fishing', '钓鱼'],
  ['tea', '茶艺'],
  ['yoga', '瑜伽'],
] as const;
const PLANS = ['basic', 'pro', 'vip'] as const;
const GENDERS = ['male', 'female', 'unknown'] as const;

/** Text that must survive quoting: quotes, LIKE wildcards, backslashes, SQL, Chinese, emoji, empty. */
export const STRING_POOL: readonly string[] = ['广州', '深圳', '北京', "O'Brien", 'say "hi"', '100%', 'a_b', 'back\\slash', "x' or '1'='1", "'); drop table customers; --", '客户😀', '😀', 'ÄÖ', ''];
const NUMBER_POOL = [-5, 0, 1, 2.5, 3, 10, 50, 99.5, 100, 1000];

export const SEGMENTS = [
  { key: 'seg_a', name: '高分人群', expression: 'score >= 50 or hobby has any ("golf")' },
  { key: 'seg_b', name: '广州高分', expression: 'segment("seg_a") and city = "广州"' },
  { key: 'seg_self', name: '自指', expression: 'segment("seg_self") or orders_total > 3' },
  // Reads seg_a twice (once through seg_b).
  { key: 'seg_c', name: '两读', expression: 'segment("seg_b") or not segment("seg_a") and segment("seg_self")' },
  // Written out at every read, thousands of predicates (SQL writes the segments read twice once instead).
  { key: 'seg_deep', name: '深链', expression: 'segment("seg_x9") or segment("seg_self") and not segment("seg_c")' },
];

/** Saved beside SEGMENTS, not read by generated expressions: seg_x1 reads seg_c twice, and each next one the one before twice. */
const DOUBLING = Array.from({ length: 9 }, (_, i) => {
  const below = i === 0 ? 'seg_c' : `seg_x${i}`;
  return { key: `seg_x${i + 1}`, name: `双读${i + 1}`, expression: `segment("${below}") and (segment("${below}") or has_phone)` };
});

export interface GeneratedCustomer {
  columns: { name: string | null; gender: string | null; birthday: string | null; city: string | null; first_seen_at: number | null };
  /** Written as JSON as is, mistyped values included; undefined keys are left out. */
  custom: Record<string, unknown>;
  /** undefined: no customer_metrics row at all. */
  metrics: Record<string, unknown> | undefined;
  level: string | undefined;
  hobbies: string[];
  vip: boolean;
  /** Merged into the first customer: not a customer any more. */
  merged: boolean;
}

const anchor = fc.constantFrom(...RANDOM_NOWS);
const today = (instant: number) => calendarDate(instant, RANDOM_UTC_OFFSET);

/** Instants near the evaluation instants, many exactly on (or 1 ms beside) a calendar day's start or `now − N days`. */
export const instantArbitrary: fc.Arbitrary<number> = fc.oneof(
  fc.tuple(anchor, fc.integer({ min: -400, max: 3 }), fc.constantFrom(0, 1, -1, 3_600_000, -43_200_000)).map(([at, days, extra]) => at + days * DAY_MS + extra),
  fc.tuple(anchor, fc.integer({ min: -400, max: 3 }), fc.constantFrom(0, -1)).map(([at, days, extra]) => dayStart(addDays(today(at), days), RANDOM_UTC_OFFSET) + extra),
);

/** Calendar days near the evaluation days. */
export const dateArbitrary: fc.Arbitrary<string> = fc.tuple(anchor, fc.integer({ min: -400, max: 3 })).map(([at, days]) => addDays(today(at), days));

/** Birthdays: month-days near the evaluation days in many years, and the 29 February family; some invalid. */
const birthdayArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(anchor, fc.integer({ min: -10, max: 12 }), fc.integer({ min: 1950, max: 2012 })).map(([at, days, year]) => `${year}${addDays(today(at), days).slice(4)}`),
  fc.constantFrom('2000-02-29', '1996-02-29', '1999-02-28', '1999-03-01', '2001-12-31', '2002-01-01', '1990-12-29'),
);
const invalidDates = fc.constantFrom('2026-02-30', '1999-02-29', '0050-01-01', '2026-1-05', '2026-13-01', 'abc', '2026-02-28T00:00:00Z');

/** A value of the declared type most of the time; otherwise null, absent, or of another type. */
function sometimes<T>(typed: fc.Arbitrary<T>, mistyped: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: typed, weight: 6 }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: mistyped, weight: 2 });
}

const numberValue = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(...NUMBER_POOL));
const stringValue = fc.constantFrom(...STRING_POOL);

export const customerArbitrary: fc.Arbitrary<GeneratedCustomer> = fc.record({
  columns: fc.record({
    name: fc.option(stringValue, { nil: null }),
    gender: fc.option(fc.constantFrom(...GENDERS, 'other'), { nil: null }),
    birthday: fc.option(fc.oneof({ arbitrary: birthdayArbitrary, weight: 8 }, { arbitrary: invalidDates, weight: 1 }), { nil: null }),
    city: fc.option(stringValue, { nil: null }),
    first_seen_at: fc.option(instantArbitrary, { nil: null }),
  }),
  custom: fc.record({
    score: sometimes(numberValue, fc.constantFrom('50', '1e2', true)),
    nickname: sometimes(stringValue, fc.constantFrom(42, false)),
    signup_date: sometimes(dateArbitrary, fc.oneof(invalidDates, fc.constant(20260228))),
    is_member: sometimes(fc.boolean(), fc.constantFrom('true', 1, 0)),
    plan: sometimes(fc.constantFrom(...PLANS, 'legacy'), fc.constantFrom(1, true)),
  }),
  metrics: fc.option(
    fc.record({
      orders_total: sometimes(fc.integer({ min: 0, max: 12 }), fc.constant('3')),
      spend_365d: sometimes(numberValue, fc.constant('100')),
      last_order_at: sometimes(instantArbitrary, fc.constant('2026-02-28T00:00:00Z')),
      preferred_channel: sometimes(stringValue, fc.constant(7)),
      last_receiver_city: sometimes(stringValue, fc.constant(7)),
    }),
    { nil: undefined, freq: 6 },
  ),
  level: fc.option(fc.constantFrom(...LEVELS.map(([key]) => key)), { nil: undefined }),
  hobbies: fc.uniqueArray(fc.constantFrom(...HOBBIES.map(([key]) => key)), { maxLength: 4 }),
  vip: fc.boolean(),
  merged: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

// ——— expressions ———

const q = printString;
const oneOrMore = <T>(arbitrary: fc.Arbitrary<T>) => fc.uniqueArray(arbitrary, { minLength: 1, maxLength: 3 });
const list = (values: string[]) => `(${values.join(', ')})`;
const compareOperator = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', 'before', 'after');
const orderOperator = fc.constantFrom('<', '<=', '>', '>=', 'before', 'after');

const levelValue = fc.constantFrom(...LEVELS.flat()).map(q);
const hobbyValue = fc.constantFrom(...HOBBIES.flat()).map(q);

const tagLeaf = fc.oneof(
  fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), levelValue).map(([op, value]) => `level ${op} ${value}`),
  fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(levelValue)).map(([op, values]) => `level ${op} ${list(values)}`),
  fc.tuple(levelValue, levelValue).map(([low, high]) => `level between ${low} and ${high}`),
  fc.tuple(fc.constantFrom('any', 'all', 'none'), oneOrMore(hobbyValue)).map(([test, values]) => `hobby has ${test} ${list(values)}`),
  fc.constantFrom('level exists', 'level missing', 'tagged("level")', 'hobby exists', '兴趣 missing', 'tagged("兴趣")', 'vip exists', 'vip missing', 'vip = "yes"', 'vip != "贵宾"', 'vip not in ("yes")'),
);

const durationArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 400 }).map((n) => `${n} ${n === 1 ? 'day' : 'days'}`),
  fc.integer({ min: 0, max: 60 }).map((n) => `${n} weeks`),
  fc.integer({ min: 0, max: 13 }).map((n) => `${n} months`),
  fc.integer({ min: 0, max: 2 }).map((n) => `${n} year`),
);
const agoArbitrary = durationArbitrary.map((duration) => `${duration} ago`);
const dateLiteral = fc.tuple(dateArbitrary, fc.boolean()).map(([date, wrapped]) => (wrapped ? `date(${q(date)})` : q(date)));
const instantLiteral = fc.oneof(
  instantArbitrary.map((instant) => q(new Date(instant).toISOString())),
  // Without an offset: the workspace's clock time of an instant near a day's start, which every back end must place alike.
  fc.tuple(instantArbitrary, fc.constantFrom('T', ' ')).map(([instant, separator]) => q(new Date(instant + RANDOM_UTC_OFFSET * 60_000).toISOString().slice(0, 23).replace('T', separator))),
  fc.constantFrom('"2026-02-28T00:00:00+08:00"', '"2028-02-29T12:00:00+08:00"', '"2026-06-15T10:00:00Z"', '"2027-12-28 16:30"'),
);

/** An attribute predicate: the subject, and literals that fit its type. */
function attributeLeaf(subject: string, kind: 'number' | 'string' | 'enum' | 'boolean' | 'date' | 'timestamp', options: readonly string[] = []): fc.Arbitrary<string> {
  const presence = fc.constantFrom(`${subject} exists`, `${subject} missing`);
  switch (kind) {
    case 'number': {
      const literal = fc.constantFrom(...NUMBER_POOL).map(String);
      return fc.oneof(
        fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), literal).map(([op, value]) => `${subject} ${op} ${value}`),
        fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(literal)).map(([op, values]) => `${subject} ${op} ${list(values)}`),
        fc.tuple(literal, literal).map(([low, high]) => `${subject} between ${low} and ${high}`),
        presence,
      );
    }
    case 'string':
    case 'enum':
    case 'boolean': {
      const literal = kind === 'boolean' ? fc.constantFrom('true', 'false') : fc.constantFrom(...(kind === 'enum' ? options : STRING_POOL)).map(q);
      return fc.oneof(
        fc.tuple(fc.constantFrom('=', '!='), literal).map(([op, value]) => `${subject} ${op} ${value}`),
        fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(literal)).map(([op, values]) => `${subject} ${op} ${list(values)}`),
        presence,
        // A boolean alone is `= true`, and `not` before it `not (= true)`.
        ...(kind === 'boolean' ? [fc.constantFrom(subject, `not ${subject}`)] : []),
      );
    }
    case 'date': {
      const literal = fc.oneof(dateLiteral, agoArbitrary);
      return fc.oneof(
        fc.tuple(compareOperator, literal).map(([op, value]) => `${subject} ${op} ${value}`),
        fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(literal)).map(([op, values]) => `${subject} ${op} ${list(values)}`),
        fc.tuple(literal, literal).map(([low, high]) => `${subject} between ${low} and ${high}`),
        durationArbitrary.map((duration) => `${subject} within ${duration}`),
        presence,
      );
    }
    case 'timestamp': {
      const exact = fc.oneof(dateLiteral, instantLiteral);
      const any = fc.oneof(exact, agoArbitrary);
      return fc.oneof(
        fc.tuple(compareOperator, exact).map(([op, value]) => `${subject} ${op} ${value}`),
        fc.tuple(orderOperator, agoArbitrary).map(([op, value]) => `${subject} ${op} ${value}`),
        fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(exact)).map(([op, values]) => `${subject} ${op} ${list(values)}`),
        fc.tuple(any, any).map(([low, high]) => `${subject} between ${low} and ${high}`),
        durationArbitrary.map((duration) => `${subject} within ${duration}`),
        presence,
      );
    }
  }
}

/** The built-in random_bucket (0-99, from the customer's id), with bounds inside, at and past its ends. */
const bucketValue = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(-1, 9.5, 100)).map(String);
const randomBucketLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('random_bucket', '随机分组号'), fc.constantFrom('=', '!=', '<', '<=', '>', '>='), bucketValue).map(([subject, op, value]) => `${subject} ${op} ${value}`),
  fc.tuple(fc.constantFrom('in', 'not in'), oneOrMore(bucketValue)).map(([op, values]) => `random_bucket ${op} ${list(values)}`),
  fc.tuple(bucketValue, bucketValue).map(([low, high]) => `random_bucket between ${low} and ${high}`),
);

const leafArbitrary: fc.Arbitrary<string> = fc.oneof(
  tagLeaf,
  attributeLeaf('score', 'number'),
  attributeLeaf('orders_total', 'number'),
  attributeLeaf('spend_365d', 'number'),
  attributeLeaf('city', 'string'),
  attributeLeaf('城市', 'string'),
  attributeLeaf('nickname', 'string'),
  attributeLeaf('preferred_channel', 'string'),
  attributeLeaf('last_receiver_city', 'string'),
  attributeLeaf('plan', 'enum', PLANS),
  attributeLeaf('gender', 'enum', GENDERS),
  attributeLeaf('is_member', 'boolean'),
  attributeLeaf('birthday', 'date'),
  attributeLeaf('signup_date', 'date'),
  attributeLeaf('first_seen_at', 'timestamp'),
  attributeLeaf('last_order_at', 'timestamp'),
  randomBucketLeaf,
  attributeLeaf('has_phone', 'boolean'),
  attributeLeaf('有微信', 'boolean'),
  attributeLeaf('has_email', 'boolean'),
  attributeLeaf('has_member_card', 'boolean'),
  fc.constantFrom(...SEGMENTS.map((segment) => `segment(${q(segment.key)})`), `segment(${q('广州高分')})`),
);

/** Expression source text, valid for the random catalog, nesting at most `depth` deep. */
export function expressionArbitrary(depth = 4): fc.Arbitrary<string> {
  if (depth <= 0) return leafArbitrary;
  const inner = expressionArbitrary(depth - 1);
  return fc.oneof(
    { arbitrary: leafArbitrary, weight: 3 },
    { arbitrary: inner.map((operand) => `not (${operand})`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('and', 'or'), fc.array(inner, { minLength: 2, maxLength: 3 })).map(([op, operands]) => operands.map((operand) => `(${operand})`).join(` ${op} `)), weight: 2 },
  );
}

// ——— seeding and the reference answer ———

export interface SeededWorkspace {
  catalog: WorkspaceCatalog;
  /** Saved segments, compiled. */
  segments: Map<string, BoundExpression>;
  /** Live customers as the evaluator sees them, by internal id. */
  views: Map<number, CustomerView>;
  /** Every customers row written, merged ones included. */
  rowIds: number[];
}

/** Declares the random catalog in the context's workspace and writes `count` generated customers. */
export async function seedRandomWorkspace(context: WorkspaceContext, options: { customers?: number; seed?: number } = {}): Promise<SeededWorkspace> {
  const db = context.store.db;
  await db.updateTable('workspaces').set({ utc_offset_minutes: RANDOM_UTC_OFFSET }).where('id', '=', context.workspaceId).execute();
  await createTag(context, tagInputSchema.parse({ key: 'level', name: '会员级别', ordered: true, values: LEVELS.map(([key, name]) => ({ key, name })) }));
  await createTag(context, tagInputSchema.parse({ key: 'hobby', name: '兴趣', cardinality: 'multi', values: HOBBIES.map(([key, name]) => ({ key, name })) }));
  await createTag(context, tagInputSchema.parse({ key: 'vip', name: '贵宾标记', values: [{ key: 'yes', name: '贵宾' }] }));
  await createCustomField(context, { key: 'score', name: '积分', type: 'number' });
  await createCustomField(context, { key: 'nickname', name: '昵称', type: 'string' });
  await createCustomField(context, { key: 'signup_date', name: '注册日', type: 'date' });
  await createCustomField(context, { key: 'is_member', name: '是否会员', type: 'boolean' });
  await createCustomField(context, { key: 'plan', name: '套餐', type: 'enum', options: [...PLANS] });
  const at = context.now().getTime();
  // A first of a shop's own event type's text property: a text metric to the three back ends.
  const lastReceiverCity: MetricDefinition = { key: 'last_receiver_city', name: '最近收货城市', formula: { kind: 'aggregate', aggregation: 'last', eventType: 'shipped', property: 'receiver_city', window: { kind: 'all' }, valueType: 'string' } };
  await db.insertInto('metric_definitions').values({ workspace_id: context.workspaceId, key: lastReceiverCity.key, name: lastReceiverCity.name, description: null, definition: JSON.stringify(lastReceiverCity), created_at: at }).execute();
  await db
    .insertInto('segments')
    .values([...SEGMENTS, ...DOUBLING].map((segment) => ({ workspace_id: context.workspaceId, key: segment.key, name: segment.name, description: null, expression: segment.expression, created_at: at, updated_at: at })))
    .execute();

  const generated = fc.sample(customerArbitrary, { numRuns: options.customers ?? 150, seed: options.seed ?? 20260228 });
  const rows = await db
    .insertInto('customers')
    .values(generated.map((customer, index) => ({ workspace_id: context.workspaceId, external_id: `c${index}`, type: null, region: null, occupation: null, member_level: null, source_channel: null, ...customer.columns, custom: JSON.stringify(customer.custom), merged_into: null, created_at: at, updated_at: at })))
    .returning('id')
    .execute();
  const rowIds = rows.map((row) => Number(row.id));
  const catalog = await loadWorkspaceCatalog(context);
  const valueId = (tag: string, value: string) => {
    const id = catalog.tagIds.get(tag)?.values.get(value);
    if (id === undefined) throw new Error(`no value ${tag}.${value}`);
    return id;
  };
  const tagId = (tag: string) => catalog.tagIds.get(tag)?.id ?? -1;
  const assignments = generated.flatMap((customer, index) => {
    const customerId = rowIds[index] ?? -1;
    const held: [string, string][] = [...(customer.level ? [['level', customer.level] as [string, string]] : []), ...customer.hobbies.map((hobby): [string, string] => ['hobby', hobby]), ...(customer.vip ? [['vip', 'yes'] as [string, string]] : [])];
    return held.map(([tag, value]) => ({ workspace_id: context.workspaceId, customer_id: customerId, tag_id: tagId(tag), value_id: valueId(tag, value), source: 'manual', actor: 'seed', assigned_at: at, expires_at: null }));
  });
  if (assignments.length > 0) await db.insertInto('assignments').values(assignments).execute();
  const metricRows = generated.flatMap((customer, index) =>
    customer.metrics ? [{ customer_id: rowIds[index] ?? -1, workspace_id: context.workspaceId, metric_values: JSON.stringify(customer.metrics), computed_at: at, valid_until: null }] : [],
  );
  if (metricRows.length > 0) await db.insertInto('customer_metrics').values(metricRows).execute();
  // Identities in a pattern that gives every mix of the reachability fields (has_phone …), some customers none.
  const kinds: [string, (index: number) => boolean][] = [
    ['phone', (index) => index % 2 === 0],
    ['email', (index) => index % 3 === 0],
    ['wechat_unionid', (index) => index % 5 === 0],
    ['wechat_openid', (index) => index % 7 === 1],
    ['member_card', (index) => index % 4 === 3],
    ['platform_nick', (index) => index % 6 === 5],
  ];
  const identities = rowIds.flatMap((customerId, index) => kinds.flatMap(([kind, holds]) => (holds(index) ? [{ workspace_id: context.workspaceId, kind, value: `${kind}-${index}`, customer_id: customerId }] : [])));
  await db.insertInto('identities').values(identities).execute();
  const merged = rowIds.filter((_, index) => index > 0 && generated[index]?.merged);
  if (merged.length > 0) await db.updateTable('customers').set({ merged_into: rowIds[0] ?? null }).where('id', 'in', merged).execute();

  const segments = new Map<string, BoundExpression>();
  for (const [key, segment] of catalog.segments) {
    const bound = compileExpression(segment.expression, catalog.catalog).bound;
    if (bound) segments.set(key, bound);
  }
  return { catalog, segments, views: await loadCustomerViews(context, catalog, rowIds), rowIds };
}

/** The bound tree of a source text; throws with the diagnostics when it does not check. */
export function compileRandom(seeded: SeededWorkspace, source: string): BoundExpression {
  const compiled = compileExpression(source, seeded.catalog.catalog);
  if (!compiled.bound) throw new Error(`${source}\n${compiled.diagnostics.map((d) => d.message).join('\n')}`);
  return compiled.bound;
}

/** The live customers the reference evaluator accepts, ascending, with saved segments answered as the engine does. */
export function referenceIds(seeded: SeededWorkspace, bound: BoundExpression, now: number): number[] {
  const options = { utcOffsetMinutes: seeded.catalog.utcOffsetMinutes };
  return [...seeded.views]
    .filter(([, view]) => evaluateExpression(bound, segmentAwareView(view, seeded.segments, now, options), now, options))
    .map(([id]) => id)
    .sort((a, b) => a - b);
}
