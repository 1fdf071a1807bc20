// A fast generator for benchmark workspaces: customers, their metrics, manual and rule tag
// assignments (and, when asked, their events) written straight into one or more stores with
// multi-row inserts in large transactions. The engine is used only for what is small (the
// tag library, the saved segment) and for what must be exact: metrics come from the pure
// `computeMetrics` over each customer's synthesised events, and rule tags from the engine's
// own compiled conditions run by the reference evaluator, so the stored state is the one the
// real-time path would have reached. Deterministic for a seed and `now`.
import { Worker } from 'node:worker_threads';
import { CompiledQuery, type Kysely } from 'kysely';
import { CITIES } from '../src/engine/demo/geography.js';
import { CATEGORY_NAMES } from '../src/engine/demo/catalogue.js';
import { MEMBER_LEVELS, SOURCE_CHANNELS } from '../src/engine/demo/profile.js';
import { Random, mixSeed } from '../src/engine/demo/random.js';
import { evaluateExpression, type AttributeValue, type CustomerView } from '../src/core/expression/index.js';
import { computeMetrics, type MetricEvent, type MetricPlan } from '../src/core/metric-compute.js';
import { nameSearchKey } from '../src/core/name-search.js';
import type { MetricValue } from '../src/core/metric.js';
import type { IdentityKind } from '../src/core/customer.js';
import { DAY_MS } from '../src/core/time.js';
import { loadWorkspaceCatalog } from '../src/engine/catalog.js';
import type { WorkspaceContext } from '../src/engine/context.js';
import { createTag, createTagGroup } from '../src/engine/library.js';
import { loadMetricPlan } from '../src/engine/metrics.js';
import { compileRules, RULE_ACTOR_PREFIX, type CompiledRule } from '../src/engine/rules.js';
import { createSegment } from '../src/engine/segments.js';
import { ensureWorkspace } from '../src/engine/workspaces.js';
import { WorkerRequests } from '../src/engine/worker-requests.js';
import type { Store } from '../src/store/connect.js';
import type { Database } from '../src/store/schema.js';
import { BENCH_GROUPS, BENCH_SEGMENT, BENCH_TAGS } from './library.js';

/** Fixed, so that two runs with the same seed write the same data. */
export const DEFAULT_NOW = Date.parse('2026-11-30T04:00:00Z');
const HISTORY_DAYS = 730;
/** Customers per transaction: large enough that commits do not count, small enough to stream. */
const BATCH = 10_000;

export interface GenerateOptions {
  workspace: string;
  customers: number;
  seed?: number;
  now?: number;
  /** Average synthesised events per customer; metrics are computed from them. Default 10. */
  eventsPerCustomer?: number;
  /** Also store the events (for ingest and recompute measurements at small sizes). */
  storeEvents?: boolean;
  /** false: draft every batch on this thread (by default a second thread drafts the batches ahead when there are several). */
  parallel?: boolean;
  /** Customers drafted and written at a time (10,000 unless told); smaller lets a small workspace span several batches. */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface GenerateReport {
  workspace: string;
  /** The workspace's id in each store, in the order the stores were given. */
  workspaceIds: number[];
  customers: number;
  assignments: number;
  ruleAssignments: number;
  /** Phones, WeChat ids, e-mail addresses, member cards and nicknames held. */
  identities: number;
  events: number;
  ms: number;
}

// ---------------------------------------------------------------- rows

type Row = unknown[];

export interface TableSpec {
  table: keyof Database;
  columns: readonly (readonly [name: string, pgType: 'int8' | 'text'])[];
}

const CUSTOMERS: TableSpec = {
  table: 'customers',
  columns: [
    ['id', 'int8'], ['workspace_id', 'int8'], ['external_id', 'text'], ['name', 'text'], ['name_search', 'text'], ['type', 'text'], ['gender', 'text'], ['birthday', 'text'],
    ['city', 'text'], ['region', 'text'], ['occupation', 'text'], ['member_level', 'text'], ['source_channel', 'text'], ['first_seen_at', 'int8'],
    ['custom', 'text'], ['created_at', 'int8'], ['updated_at', 'int8'],
  ],
};
const METRICS: TableSpec = {
  table: 'customer_metrics',
  columns: [['customer_id', 'int8'], ['workspace_id', 'int8'], ['metric_values', 'text'], ['computed_at', 'int8'], ['valid_until', 'int8']],
};
const ASSIGNMENTS: TableSpec = {
  table: 'assignments',
  columns: [['workspace_id', 'int8'], ['customer_id', 'int8'], ['tag_id', 'int8'], ['value_id', 'int8'], ['source', 'text'], ['actor', 'text'], ['assigned_at', 'int8'], ['expires_at', 'int8']],
};
export const IDENTITIES: TableSpec = {
  table: 'identities',
  columns: [['workspace_id', 'int8'], ['kind', 'text'], ['value', 'text'], ['customer_id', 'int8']],
};
const EVENTS: TableSpec = {
  table: 'events',
  columns: [['workspace_id', 'int8'], ['event_key', 'text'], ['customer_id', 'int8'], ['type', 'text'], ['occurred_at', 'int8'], ['received_at', 'int8'], ['properties', 'text']],
};

type Executor = Pick<Kysely<Database>, 'executeQuery'>;

/**
 * Multi-row inserts without Kysely's query builder, whose per-value cost dominates at millions
 * of rows: `VALUES (?, …), …` under SQLite's parameter limit, and on PostgreSQL one array per
 * column through `unnest`, which keeps the statement text and the parameter count small.
 */
export async function insertRows(db: Executor, dialect: Store['dialect'], spec: TableSpec, rows: readonly Row[]): Promise<void> {
  const names = spec.columns.map(([name]) => name).join(', ');
  if (dialect === 'postgres') {
    const casts = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const text = `insert into ${spec.table} (${names}) select * from unnest(${casts})`;
    for (let start = 0; start < rows.length; start += 50_000) {
      const part = rows.slice(start, start + 50_000);
      const arrays = spec.columns.map((_, column) => part.map((row) => row[column] ?? null));
      await db.executeQuery(CompiledQuery.raw(text, arrays));
    }
    return;
  }
  const perRow = `(${spec.columns.map(() => '?').join(', ')})`;
  const size = Math.floor(30_000 / spec.columns.length);
  let fullText: string | undefined;
  for (let start = 0; start < rows.length; start += size) {
    const part = rows.slice(start, start + size);
    const text =
      part.length === size
        ? (fullText ??= `insert into ${spec.table} (${names}) values ${Array.from({ length: size }, () => perRow).join(', ')}`)
        : `insert into ${spec.table} (${names}) values ${part.map(() => perRow).join(', ')}`;
    await db.executeQuery(CompiledQuery.raw(text, part.flat()));
  }
}

// ---------------------------------------------------------------- people

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '子涵', '浩然', '欣怡', '梓萱', '宇轩', '雨桐', '思远'];
/** Search keys of the names above, each read once: a name's pinyin costs more than the rest of its row. */
const SEARCH_KEYS = new Map<string, string | null>();
function searchKeyOf(name: AttributeValue): string | null {
  if (typeof name !== 'string') return null;
  let key = SEARCH_KEYS.get(name);
  if (key === undefined) SEARCH_KEYS.set(name, (key = nameSearchKey(name)));
  return key;
}
const OCCUPATIONS = ['公司职员', '销售', '个体经营', '程序员', '教师', '工程师', '公务员', '会计', '设计师', '医生', '学生', '自由职业'];
const CHANNEL_WEIGHTS = [0.7, 0.3];

/** One synthesised customer before ids are known. */
interface Draft {
  externalId: string;
  fields: Record<string, AttributeValue>;
  firstSeenAt: number;
  events: MetricEvent[];
  /** Manual assignments as [tag index in BENCH_TAGS, value index]. */
  manual: [number, number][];
}

/** Pareto draw ≥ 1: most customers small, a few very large (the long tail of spend and frequency). */
function pareto(random: Random, alpha: number): number {
  return 1 / Math.pow(1 - random.next(), 1 / alpha);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const MOBILE_PREFIXES = ['13', '15', '17', '18', '19'];

/**
 * A customer's identities, as a shop's CRM holds them: most have a phone number, about half a
 * WeChat id, fewer an e-mail address or a member card. Unique in the workspace by the
 * customer's index, and drawn from a stream of their own so that nothing else a seed gives
 * changes with them.
 */
export function benchIdentities(seed: number, index: number): [kind: IdentityKind, value: string][] {
  const random = new Random(mixSeed(seed ^ 0x1d, index));
  const number = String(index).padStart(9, '0');
  const held: [IdentityKind, string][] = [];
  if (random.chance(0.85)) held.push(['phone', `${MOBILE_PREFIXES[index % MOBILE_PREFIXES.length] ?? '13'}${number}`]);
  if (random.chance(0.45)) held.push(['wechat_unionid', `oU${number}bench`]);
  if (random.chance(0.3)) held.push(['wechat_openid', `oO${number}bench`]);
  if (random.chance(0.2)) held.push(['email', `c${number}@example.com`]);
  if (random.chance(0.35)) held.push(['member_card', `M${number}`]);
  if (random.chance(0.15)) held.push(['platform_nick', `买家${number}`]);
  return held;
}

function draftCustomer(seed: number, index: number, now: number, eventsPerCustomer: number): Draft {
  const random = new Random(mixSeed(seed, index));
  const female = random.chance(0.55);
  const gender = random.chance(0.03) ? 'unknown' : female ? 'female' : 'male';
  const city = random.weighted(CITIES);
  const age = 18 + Math.floor(random.next() * random.next() * 55 + random.next() * 10);
  const birthday = random.chance(0.9) ? isoDate(now - age * 365.25 * DAY_MS - random.int(0, 364) * DAY_MS) : null;
  const type = random.chance(0.95) ? 'individual' : random.chance(0.8) ? 'company' : 'government';
  const firstSeenAt = now - random.int(1, HISTORY_DAYS) * DAY_MS - random.int(0, DAY_MS - 1);
  // Frequency and basket size are both heavy-tailed, so a few customers carry much of the spend.
  const buyer = random.chance(0.75);
  const scale = eventsPerCustomer / 10;
  const orders = buyer ? Math.min(400, Math.max(1, Math.round(pareto(random, 1.6) * 1.4 * scale))) : 0;
  const views = Math.min(600, Math.round(random.geometric(Math.max(0, eventsPerCustomer - 4 * scale))));
  const basket = 80 * pareto(random, 2.5);
  const lapse = buyer ? Math.min(HISTORY_DAYS, random.geometric(90)) : 0;
  const lastAt = Math.max(firstSeenAt, now - lapse * DAY_MS - random.int(0, DAY_MS - 1));
  const favouriteCategory = random.int(0, CATEGORY_NAMES.length - 1);
  const online = random.chance(CHANNEL_WEIGHTS[0] ?? 0.7);
  const couponHabit = random.next() * random.next();
  const events: MetricEvent[] = [];
  for (let k = 0; k < orders; k++) {
    const at = k === 0 && orders > 1 ? firstSeenAt : firstSeenAt + random.next() * (lastAt - firstSeenAt);
    const occurredAt = k === orders - 1 ? lastAt : Math.round(at);
    const category = CATEGORY_NAMES[random.chance(0.6) ? favouriteCategory : random.int(0, CATEGORY_NAMES.length - 1)] ?? '服装';
    const amount = Math.round(random.logNormal(basket, 0.6) * 100) / 100;
    const properties: Record<string, unknown> = {
      order_id: `O${index}-${k}`,
      amount,
      channel: random.chance(online ? 0.85 : 0.2) ? 'online' : 'offline',
      items: [{ sku: `SKU${random.int(1000, 9999)}`, category, price: amount, quantity: 1 }],
    };
    if (random.chance(couponHabit)) {
      properties.coupon_id = `CP${random.int(1, 50)}`;
      properties.discount = Math.round(amount * 0.1);
    }
    events.push({ type: 'order_paid', occurredAt, properties });
    if (random.chance(0.05)) events.push({ type: 'order_refunded', occurredAt: Math.min(now, occurredAt + random.int(1, 10) * DAY_MS), properties: { order_id: `O${index}-${k}`, amount } });
  }
  for (let k = 0; k < views; k++) {
    const category = CATEGORY_NAMES[random.chance(0.5) ? favouriteCategory : random.int(0, CATEGORY_NAMES.length - 1)] ?? '服装';
    const occurredAt = Math.round(Math.max(firstSeenAt, now - random.geometric(40) * DAY_MS - random.int(0, DAY_MS - 1)));
    events.push({ type: 'product_viewed', occurredAt, properties: { sku: `SKU${random.int(1000, 9999)}`, category, dwell_seconds: Math.round(random.logNormal(30, 1)) } });
  }
  events.sort((a, b) => a.occurredAt - b.occurredAt);
  const spendRank = orders * basket;
  const level = spendRank > 3000 ? 3 : spendRank > 1200 ? 2 : spendRank > 300 ? 1 : 0;
  const fields: Record<string, AttributeValue> = {
    id: `C${String(index).padStart(8, '0')}`,
    name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}`,
    type,
    gender,
    birthday,
    city: city.name,
    region: city.region,
    occupation: random.chance(0.7) ? random.pick(OCCUPATIONS) : null,
    member_level: MEMBER_LEVELS[level] ?? null,
    source_channel: random.pick(SOURCE_CHANNELS),
    first_seen_at: firstSeenAt,
  };
  return { externalId: String(fields.id), fields, firstSeenAt, events, manual: drawManual(random) };
}

function drawManual(random: Random): [number, number][] {
  const drawn: [number, number][] = [];
  BENCH_TAGS.forEach((tag, tagIndex) => {
    const distribution = tag.manual;
    if (!distribution) return;
    if (tag.input.cardinality === 'multi') {
      distribution.weights.forEach((share, valueIndex) => {
        if (random.chance(share)) drawn.push([tagIndex, valueIndex]);
      });
      return;
    }
    if (!random.chance(distribution.share)) return;
    const total = distribution.weights.reduce((sum, weight) => sum + weight, 0);
    let target = random.next() * total;
    let valueIndex = 0;
    for (; valueIndex < distribution.weights.length - 1; valueIndex++) {
      target -= distribution.weights[valueIndex] ?? 0;
      if (target < 0) break;
    }
    drawn.push([tagIndex, valueIndex]);
  });
  return drawn;
}

/** Synthesised events as the ingest API takes them, for the stored event history. */
function eventKey(index: number, k: number): string {
  return `b${index}-${k}`;
}

// ---------------------------------------------------------------- generation

interface StoreTarget {
  store: Store;
  context: WorkspaceContext;
  firstId: number;
  /** [tag index][value index] → [tag id, value id] in this store. */
  valueIds: [number, number][][];
}

export async function prepareStore(store: Store, options: Required<Pick<GenerateOptions, 'workspace'>> & { now: number }): Promise<StoreTarget> {
  const clock = () => new Date(options.now);
  const workspaceId = await ensureWorkspace(store, options.workspace, options.workspace, clock);
  const context: WorkspaceContext = { store, workspaceId, workspaceKey: options.workspace, actor: 'bench', now: clock };
  const existing = await store.db.selectFrom('customers').select('id').where('workspace_id', '=', workspaceId).limit(1).execute();
  if (existing.length > 0) throw new Error(`workspace "${options.workspace}" already has customers in ${store.location}`);
  // Created through the engine while the workspace is empty: the conditions are checked as an
  // operator's would be, and applying the rules to nobody costs nothing.
  for (const group of BENCH_GROUPS) await createTagGroup(context, group);
  for (const tag of BENCH_TAGS) await createTag(context, tag.input);
  await createSegment(context, { ...BENCH_SEGMENT, description: null });
  const catalog = await loadWorkspaceCatalog(context);
  const valueIds = BENCH_TAGS.map((tag) => {
    const ids = catalog.tagIds.get(tag.input.key);
    if (!ids) throw new Error(`tag ${tag.input.key} was not created`);
    return tag.input.values.map((value): [number, number] => [ids.id, ids.values.get(value.key) ?? -1]);
  });
  const max = await store.db.selectFrom('customers').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return { store, context, firstId: Number(max?.max ?? 0) + 1, valueIds };
}

/** Keeps the store's id sequence ahead of the ids written explicitly, so later inserts do not collide. */
async function advanceSequence(target: StoreTarget): Promise<void> {
  if (target.store.dialect !== 'postgres') return; // SQLite's AUTOINCREMENT follows the largest id written
  await target.store.db.executeQuery(CompiledQuery.raw(`select setval(pg_get_serial_sequence('customers', 'id'), (select max(id) from customers))`, []));
}

/** What a batch is drafted from: the same on either thread for the same seed. */
export interface DraftSetup {
  seed: number;
  now: number;
  eventsPerCustomer: number;
  storeEvents: boolean;
}

interface Drafting extends DraftSetup {
  plan: MetricPlan;
  rules: CompiledRule[];
  utcOffsetMinutes: number;
  tagIndex: Map<string, number>;
}

/** A batch of customers as rows to write, tag and value ids still as indexes into BENCH_TAGS. */
export interface DraftedBatch {
  customers: { index: number; externalId: string; fields: Record<string, AttributeValue>; firstSeenAt: number }[];
  metricRows: { index: number; values: string; validUntil: number | null }[];
  /** Column by column (a row each was most of what crossing from the drafting thread cost); `byRule` 1 for a rule's, an expiry of NaN for none. */
  assignments: { count: number; index: Int32Array; tag: Int16Array; value: Int16Array; byRule: Uint8Array; assignedAt: Float64Array; expiresAt: Float64Array };
  events: { index: number; key: string; type: string; occurredAt: number; properties: string }[];
  ruleAssignments: number;
}

/** Columns of assignments that grow as they are drafted. */
class AssignmentColumns {
  count = 0;
  index = new Int32Array(1024);
  tag = new Int16Array(1024);
  value = new Int16Array(1024);
  byRule = new Uint8Array(1024);
  assignedAt = new Float64Array(1024);
  expiresAt = new Float64Array(1024);

  push(index: number, tag: number, value: number, byRule: boolean, assignedAt: number, expiresAt: number | null): void {
    if (this.count === this.index.length) this.grow();
    const at = this.count++;
    this.index[at] = index;
    this.tag[at] = tag;
    this.value[at] = value;
    this.byRule[at] = byRule ? 1 : 0;
    this.assignedAt[at] = assignedAt;
    this.expiresAt[at] = expiresAt ?? NaN;
  }

  finish(): DraftedBatch['assignments'] {
    const n = this.count;
    return { count: n, index: this.index.slice(0, n), tag: this.tag.slice(0, n), value: this.value.slice(0, n), byRule: this.byRule.slice(0, n), assignedAt: this.assignedAt.slice(0, n), expiresAt: this.expiresAt.slice(0, n) };
  }

  private grow(): void {
    const size = this.index.length * 2;
    const grown = <T extends Int32Array | Int16Array | Uint8Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(array);
      return next;
    };
    this.index = grown(this.index, (n) => new Int32Array(n));
    this.tag = grown(this.tag, (n) => new Int16Array(n));
    this.value = grown(this.value, (n) => new Int16Array(n));
    this.byRule = grown(this.byRule, (n) => new Uint8Array(n));
    this.assignedAt = grown(this.assignedAt, (n) => new Float64Array(n));
    this.expiresAt = grown(this.expiresAt, (n) => new Float64Array(n));
  }
}

/** The metric plan and rules of a workspace holding the bench library (tag ids do not matter: rules name tags by key). */
export async function draftingFor(context: WorkspaceContext, setup: DraftSetup): Promise<Drafting> {
  const catalog = await loadWorkspaceCatalog(context);
  return {
    ...setup,
    plan: await loadMetricPlan(context),
    rules: compileRules(catalog).rules,
    utcOffsetMinutes: catalog.utcOffsetMinutes,
    tagIndex: new Map(BENCH_TAGS.map((tag, index) => [tag.input.key, index])),
  };
}

/** Customers `start` to `end` (exclusive): fields, metrics computed from their events, manual and rule assignments. */
export function draftBatch(drafting: Drafting, start: number, end: number): DraftedBatch {
  const { seed, now, eventsPerCustomer, plan, rules, utcOffsetMinutes, tagIndex } = drafting;
  const evaluation = { utcOffsetMinutes };
  const batch: Omit<DraftedBatch, 'assignments'> = { customers: [], metricRows: [], events: [], ruleAssignments: 0 };
  const assignments = new AssignmentColumns();
  for (let index = start; index < end; index++) {
    const draft = draftCustomer(seed, index, now, eventsPerCustomer);
    batch.customers.push({ index, externalId: draft.externalId, fields: draft.fields, firstSeenAt: draft.firstSeenAt });
    const result = computeMetrics(plan, draft.events, now, utcOffsetMinutes);
    const values: Record<string, MetricValue> = {};
    for (const [key, value] of Object.entries(result.values)) if (value !== null) values[key] = value;
    batch.metricRows.push({ index, values: JSON.stringify(values), validUntil: result.validUntil });
    const tags = new Map<string, Set<string>>();
    const assignedAt = now - ((index * 7919) % 300) * DAY_MS;
    for (const [t, valueIndex] of draft.manual) {
      const tag = BENCH_TAGS[t];
      const value = tag?.input.values[valueIndex];
      if (!tag || !value) continue;
      let held = tags.get(tag.input.key);
      if (!held) tags.set(tag.input.key, (held = new Set()));
      held.add(value.key);
      const expiresIn = tag.manual?.expiresInDays;
      assignments.push(index, t, valueIndex, false, assignedAt, expiresIn === undefined ? null : now + expiresIn * DAY_MS);
    }
    const view: CustomerView = { tags, fields: draft.fields, metrics: values };
    // In dependency order, each rule seeing the values earlier rules gave, as evaluateRules does.
    for (const ruleTag of rules) {
      const matching = ruleTag.values.filter((candidate) => evaluateExpression(candidate.bound, view, now, evaluation));
      const desired = ruleTag.tag.cardinality === 'single' ? matching.slice(0, 1) : matching;
      if (desired.length === 0) continue;
      tags.set(ruleTag.tag.key, new Set(desired.map((entry) => entry.value.key)));
      const t = tagIndex.get(ruleTag.tag.key) ?? -1;
      for (const entry of desired) {
        const valueIndex = BENCH_TAGS[t]?.input.values.findIndex((value) => value.key === entry.value.key) ?? -1;
        assignments.push(index, t, valueIndex, true, now, null);
        batch.ruleAssignments++;
      }
    }
    if (drafting.storeEvents) draft.events.forEach((event, k) => batch.events.push({ index, key: eventKey(index, k), type: event.type, occurredAt: event.occurredAt, properties: JSON.stringify(event.properties) }));
  }
  return { ...batch, assignments: assignments.finish() };
}

/** Batches the second thread may draft ahead of the one being written. */
const DRAFTS_AHEAD = 2;

const BOOTSTRAP = new URL('../src/engine/worker-bootstrap.mjs', import.meta.url);
const DRAFT_WORKER = new URL('./generate-worker.ts', import.meta.url);

/**
 * Drafts batches on a second thread (generate-worker.ts), which builds the bench library in a
 * store of its own in memory: synthesising customers, computing their metrics and running the
 * rules is about half of a generation, and SQLite's inserts block this thread for the rest.
 */
class DraftWorker {
  readonly #worker: Worker;
  readonly #requests = new WorkerRequests<DraftedBatch>();

  private constructor(setup: DraftSetup) {
    this.#worker = new Worker(BOOTSTRAP, { workerData: { module: DRAFT_WORKER.href, setup } });
    this.#worker.on('message', (message: { id: number; batch: DraftedBatch } | { id: number; error: string }) => {
      if ('batch' in message) this.#requests.resolve(message.id, message.batch);
      else this.#requests.reject(message.id, new Error(message.error));
    });
    this.#worker.on('error', (error) => this.#requests.fail(error));
    this.#worker.on('exit', (code) => this.#requests.fail(new Error(`the drafting thread stopped with exit code ${code}`)));
  }

  static start(setup: DraftSetup): DraftWorker {
    return new DraftWorker(setup);
  }

  draft(start: number, end: number): Promise<DraftedBatch> {
    const { id, reply } = this.#requests.open();
    if (!this.#requests.failure) this.#worker.postMessage({ id, start, end });
    return reply;
  }

  async stop(): Promise<void> {
    this.#requests.fail(new Error('the drafting thread was stopped'));
    await this.#worker.terminate();
  }
}

/** The tables the generator fills. */
const LOADED_TABLES = [CUSTOMERS, METRICS, IDENTITIES, ASSIGNMENTS, EVENTS].map((spec) => spec.table);

/**
 * On PostgreSQL, the secondary indexes of the loaded tables (those behind no constraint), as
 * their definitions: maintaining them row by row was most of a load's time at millions of
 * rows, and building one from the loaded table sorts it once. Dropped before the load and
 * created again after it; the primary and unique keys stay (ids are written in order, so they
 * grow at their right edge).
 */
async function dropSecondaryIndexes(store: Store): Promise<string[]> {
  if (store.dialect !== 'postgres') return [];
  const list = LOADED_TABLES.map((table) => `'${table}'`).join(', ');
  const result = await store.db.executeQuery<{ name: string; definition: string }>(
    CompiledQuery.raw(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
       where i.schemaname = current_schema() and i.tablename in (${list})
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = current_schema()::regnamespace)`,
      [],
    ),
  );
  for (const row of result.rows) await store.db.executeQuery(CompiledQuery.raw(`drop index ${JSON.stringify(row.name)}`, []));
  return result.rows.map((row) => row.definition);
}

async function createIndexes(store: Store, definitions: readonly string[]): Promise<void> {
  for (const definition of definitions) {
    await store.db.transaction().execute(async (trx) => {
      // More sort memory than the server's default for the session's index builds only.
      await trx.executeQuery(CompiledQuery.raw(`set local maintenance_work_mem = '512MB'`, []));
      await trx.executeQuery(CompiledQuery.raw(definition, []));
    });
  }
}

/**
 * Writes a workspace of `customers` into every store (the same data in each, so that the back
 * ends are compared on identical input). The workspace must not exist or must be empty.
 */
export async function generateWorkspace(stores: readonly Store[], options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const now = options.now ?? DEFAULT_NOW;
  const seed = options.seed ?? 1;
  const eventsPerCustomer = options.eventsPerCustomer ?? 10;
  const log = options.log ?? (() => undefined);
  const targets: StoreTarget[] = [];
  for (const store of stores) targets.push(await prepareStore(store, { workspace: options.workspace, now }));
  const first = targets[0];
  if (!first) throw new Error('no store to generate into');
  const drafting = await draftingFor(first.context, { seed, now, eventsPerCustomer, storeEvents: options.storeEvents === true });

  const dropped = await Promise.all(targets.map((target) => dropSecondaryIndexes(target.store)));
  const report: GenerateReport = { workspace: options.workspace, workspaceIds: targets.map((t) => t.context.workspaceId), customers: 0, assignments: 0, ruleAssignments: 0, identities: 0, events: 0, ms: 0 };
  const starts: number[] = [];
  const batchSize = options.batchSize ?? BATCH;
  for (let start = 0; start < options.customers; start += batchSize) starts.push(start);
  const batchEnd = (start: number) => Math.min(options.customers, start + batchSize);
  const ahead = options.parallel !== false && starts.length > 1 ? DraftWorker.start({ seed, now, eventsPerCustomer, storeEvents: options.storeEvents === true }) : undefined;
  // Drafts asked for and not yet taken, oldest first: a taken one is let go, or every batch of
  // a ten-million-customer run would stay reachable until the end.
  const requested: Promise<DraftedBatch>[] = [];
  let asked = 0;
  let pending: Promise<unknown> = Promise.resolve();
  try {
    for (const [k, start] of starts.entries()) {
      const end = batchEnd(start);
      // The next batches are drafted on the second thread while this one is written.
      while (ahead && asked < k + DRAFTS_AHEAD && asked < starts.length) {
        const from = starts[asked++] as number;
        const drafted = ahead.draft(from, batchEnd(from));
        // Awaited in its turn; a failure after this thread has given up must not go unhandled.
        drafted.catch(() => undefined);
        requested.push(drafted);
      }
      const { customers, metricRows, assignments, events, ruleAssignments } = ahead ? await (requested.shift() as Promise<DraftedBatch>) : draftBatch(drafting, start, end);
      report.ruleAssignments += ruleAssignments;
      report.customers += customers.length;
      report.assignments += assignments.count;
      report.events += events.length;
      const identities = customers.flatMap(({ index }) => benchIdentities(seed, index).map(([kind, value]) => ({ index, kind, value })));
      report.identities += identities.length;
      await pending;
      pending = Promise.all(
        targets.map((target) =>
          target.store.db.transaction().execute(async (trx) => {
            // Nothing is lost on a crash but the benchmark's own data, which is generated again.
            if (target.store.dialect === 'postgres') await trx.executeQuery(CompiledQuery.raw('set local synchronous_commit = off', []));
            const ws = target.context.workspaceId;
            const id = (index: number) => target.firstId + index;
            await insertRows(trx, target.store.dialect, CUSTOMERS, customers.map(({ index, externalId, fields: f, firstSeenAt }) => {
              return [id(index), ws, externalId, f.name, searchKeyOf(f.name), f.type, f.gender, f.birthday, f.city, f.region, f.occupation, f.member_level, f.source_channel, firstSeenAt, '{}', firstSeenAt, now];
            }));
            await insertRows(trx, target.store.dialect, METRICS, metricRows.map((row) => [id(row.index), ws, row.values, now, row.validUntil]));
            await insertRows(trx, target.store.dialect, IDENTITIES, identities.map(({ index, kind, value }) => [ws, kind, value, id(index)]));
            const rows: Row[] = [];
            for (let a = 0; a < assignments.count; a++) {
              const tag = assignments.tag[a] as number;
              const [tagId, valueId] = target.valueIds[tag]?.[assignments.value[a] as number] ?? [-1, -1];
              const byRule = assignments.byRule[a] === 1;
              const expiresAt = assignments.expiresAt[a] as number;
              rows.push([ws, id(assignments.index[a] as number), tagId, valueId, byRule ? 'rule' : 'manual', byRule ? `${RULE_ACTOR_PREFIX}${BENCH_TAGS[tag]?.input.key ?? ''}` : 'bench', assignments.assignedAt[a], Number.isNaN(expiresAt) ? null : expiresAt]);
            }
            await insertRows(trx, target.store.dialect, ASSIGNMENTS, rows);
            if (events.length > 0) {
              await insertRows(trx, target.store.dialect, EVENTS, events.map((e) => [ws, e.key, id(e.index), e.type, e.occurredAt, now, e.properties]));
            }
          }),
        ),
      );
      if (end % 100_000 === 0 || end === options.customers) log(`  ${options.workspace}: ${end.toLocaleString('en')} customers, ${report.assignments.toLocaleString('en')} assignments (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    await pending;
  } finally {
    await ahead?.stop();
  }
  for (const [k, target] of targets.entries()) await createIndexes(target.store, dropped[k] ?? []);
  for (const target of targets) await advanceSequence(target);
  if (targets.some((target) => target.store.dialect === 'postgres')) {
    for (const target of targets) if (target.store.dialect === 'postgres') await target.store.db.executeQuery(CompiledQuery.raw('analyze', []));
  }
  for (const target of targets) if (target.store.dialect === 'sqlite') await analyzeSqlite(target.store);
  report.ms = performance.now() - started;
  return report;
}

/**
 * Statistics for SQLite's planner. Stored events are sampled: a full ANALYZE reads the whole
 * table and its indexes (tens of minutes at ten million customers), and the statements that
 * read events look one customer up by index whatever the statistics say.
 */
async function analyzeSqlite(store: Store): Promise<void> {
  const tables = await store.db.executeQuery<{ name: string }>(CompiledQuery.raw(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'events'`, []));
  for (const { name } of tables.rows) await store.db.executeQuery(CompiledQuery.raw(`analyze ${JSON.stringify(name)}`, []));
  await store.db.executeQuery(CompiledQuery.raw('pragma analysis_limit = 1000', []));
  await store.db.executeQuery(CompiledQuery.raw('analyze events', []));
  await store.db.executeQuery(CompiledQuery.raw('pragma analysis_limit = 0', []));
}

/** The synthesised external id of the customer at `index`. */
export function benchCustomerId(index: number): string {
  return `C${String(index).padStart(8, '0')}`;
}
