// Keeps customer metrics true: recomputed from a customer's events whenever events arrive,
// and again when a window moves (the scheduler finds customers whose values are due).
import type { Kysely, Transaction } from 'kysely';
import { SHOP_SENT_EVENT_TYPES } from '../core/event.js';
import { localized } from '../core/locale.js';
import { TagbaseError, fieldError } from '../core/errors.js';
import { computeMetrics, extremeEvents, planMetrics, selectEvents, MetricDefinitionError, type EventSelection, type MetricEvent, type MetricPlan } from '../core/metric-compute.js';
import { unheldKeyText } from '../core/names.js';
import { BUILTIN_METRICS, HIDDEN_METRICS, isBuiltinMetricKey, isNumericAggregation, knownPropertyType, metricInputSchema, type MetricDefinition, type MetricInput, type MetricValue } from '../core/metric.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { RowInsert } from '../store/row-inserts.js';
import { selectTuples } from '../store/tuples.js';
import { assertExpressionNamesFree, loadCustomMetrics } from './catalog.js';
import { writeCatalog, type WorkspaceContext } from './context.js';
import { seenPropertyType } from './event-types.js';
import { scheduleMetricsPass } from './pass-records.js';
import { unlessTaken } from './unique-keys.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What changed for one customer: the metric keys whose value differs from before. */
export type MetricChanges = Map<number, Set<string>>;

export async function loadMetricPlan(context: WorkspaceContext, db: Db = context.store.db): Promise<MetricPlan> {
  return planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...(await loadCustomMetrics(context, db))]);
}

/** The plan for a catalog's metric list (built-in ones first, as `loadWorkspaceCatalog` gives them). */
export function loadMetricPlanFor(catalogMetrics: readonly MetricDefinition[]): MetricPlan {
  return planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...catalogMetrics.filter((metric) => !BUILTIN_METRICS.includes(metric))]);
}

export async function workspaceUtcOffset(context: WorkspaceContext, db: Db = context.store.db): Promise<number> {
  const row = await db.selectFrom('workspaces').select('utc_offset_minutes').where('id', '=', context.workspaceId).executeTakeFirst();
  return row?.utc_offset_minutes ?? 480;
}

function sameValue(a: MetricValue | undefined, b: MetricValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** Metric values as a rule view reads them back from the stored JSON (nulls absent). */
export type StoredMetricValues = Map<number, Record<string, MetricValue>>;

/**
 * Recomputes the metrics of the given customers from their events and stores them.
 * Returns, per customer, the metric keys whose values changed.
 */
export async function recomputeMetrics(context: WorkspaceContext, db: Db, customerIds: readonly number[], plan: MetricPlan, utcOffsetMinutes: number): Promise<MetricChanges> {
  return (await recomputeMetricValues(context, db, customerIds, plan, utcOffsetMinutes)).changes;
}

/** `recomputeMetrics`, also handing back the new values so that the rule pass need not read them again. */
export async function recomputeMetricValues(
  context: WorkspaceContext,
  db: Db,
  customerIds: readonly number[],
  plan: MetricPlan,
  utcOffsetMinutes: number,
  histories: HistorySource = storedHistories,
): Promise<{ changes: MetricChanges; values: StoredMetricValues }> {
  const now = context.now().getTime();
  const changes: MetricChanges = new Map();
  const stored: StoredMetricValues = new Map();
  const selection = selectEvents(plan, now, utcOffsetMinutes);
  for (const part of chunks([...new Set(customerIds)], IDS_PER_QUERY)) {
    const [byCustomer, previous] = await Promise.all([histories(context, db, part, selection), previousMetricRows(db, part)]);
    const rows: MetricRow[] = [];
    for (const customerId of part) {
      const result = computeMetrics(plan, byCustomer.get(customerId) ?? [], now, utcOffsetMinutes);
      const kept = dropNulls(result.values);
      const json = JSON.stringify(kept);
      stored.set(customerId, asReadBack(kept));
      const before = previous.get(customerId);
      // The same text and the same due time: the row would be rewritten as it is.
      if (before && before.metric_values === json && before.valid_until === result.validUntil) continue;
      const changed = changedMetricKeys(plan, before, result.values);
      if (changed.size > 0) changes.set(customerId, changed);
      rows.push({ customer_id: customerId, workspace_id: context.workspaceId, metric_values: json, computed_at: now, valid_until: result.validUntil });
    }
    await upsertMetricRows(db, rows);
  }
  return { changes, values: stored };
}

export interface MetricRow {
  customer_id: number;
  workspace_id: number;
  metric_values: string;
  computed_at: number;
  valid_until: number | null;
}

export type StoredMetricRow = Pick<MetricRow, 'metric_values' | 'valid_until'>;

/** The customers' stored metrics rows, by customer. */
export async function previousMetricRows(db: Db, customerIds: readonly number[]): Promise<Map<number, StoredMetricRow>> {
  const rows = await db.selectFrom('customer_metrics').select(['customer_id', 'metric_values', 'valid_until']).where('customer_id', 'in', customerIds).execute();
  return new Map(rows.map((row) => [row.customer_id, row]));
}

/** The plan's metric keys whose value in `values` differs from the stored row's (all of them when there is no row). */
export function changedMetricKeys(plan: MetricPlan, before: StoredMetricRow | undefined, values: Record<string, MetricValue>): Set<string> {
  const beforeValues = before ? (JSON.parse(before.metric_values) as Record<string, MetricValue>) : undefined;
  const changed = new Set<string>();
  for (const definition of plan.definitions) if (!beforeValues || !sameValue(beforeValues[definition.key], values[definition.key])) changed.add(definition.key);
  return changed;
}

const METRIC_ROWS_UPSERT = new RowInsert<MetricRow>(['customer_id', 'workspace_id', 'metric_values', 'computed_at', 'valid_until'], (db, rows) =>
  db
    .insertInto('customer_metrics')
    .values(rows)
    .onConflict((oc) =>
      oc.column('customer_id').doUpdateSet((eb) => ({
        metric_values: eb.ref('excluded.metric_values'),
        computed_at: eb.ref('excluded.computed_at'),
        valid_until: eb.ref('excluded.valid_until'),
      })),
    ),
);

export async function upsertMetricRows(db: Db, rows: readonly MetricRow[]): Promise<void> {
  for (const slice of chunks(rows, rowsPerInsert(5))) await METRIC_ROWS_UPSERT.execute(db, slice);
}

/**
 * Where a recompute gets each customer's events, as `computeMetrics` takes them: from the store
 * (`storedHistories`), or from what the process keeps in memory (src/engine/history-memory.ts).
 * Either gives events enough for the values of `computeMetrics` over the whole history.
 */
export type HistorySource = (context: WorkspaceContext, db: Db, customerIds: readonly number[], selection: EventSelection) => Promise<Map<number, MetricEvent[]>>;

/** The customers' events that `selection` says can matter, read from the store. */
export const storedHistories: HistorySource = async (context, db, customerIds, selection) => {
  const { events, extremes } = await readStoredHistories(context, db, customerIds, selection);
  return eventsByCustomer(events, extremes);
};

/** The rows `storedHistories` reads: events (EVENT_COLUMNS) and first and last times (EXTREME_COLUMNS). */
export async function readStoredHistories(context: WorkspaceContext, db: Db, customerIds: readonly number[], selection: EventSelection): Promise<{ events: EventTuple[]; extremes: ExtremeTuple[] }> {
  const events = eventsQuery(db, customerIds, selection);
  const extremes = extremesQuery(db, customerIds, selection);
  const [eventRows, extremeRows] = await Promise.all([
    events ? selectTuples(context.store, db, events, EVENT_COLUMNS) : [],
    extremes ? selectTuples(context.store, db, extremes, EXTREME_COLUMNS) : [],
  ]);
  return { events: eventRows, extremes: extremeRows };
}

export const EVENT_COLUMNS = ['customer_id', 'type', 'occurred_at', 'properties'] as const;
export const EXTREME_COLUMNS = ['customer_id', 'first', 'last'] as const;

/** An events row as (customer, type, time, properties), in EVENT_COLUMNS order. */
export type EventTuple = readonly [number, string, number, string];

/** A customer's first and last own event times, in EXTREME_COLUMNS order (nulls without any). */
export type ExtremeTuple = readonly [number, unknown, unknown];

/** The read of the customers' events that `selection` says can matter (EVENT_COLUMNS); undefined when it needs none. */
export function eventsQuery(db: Db, customerIds: readonly number[], selection: EventSelection) {
  const query = db.selectFrom('events').select(EVENT_COLUMNS).where('customer_id', 'in', customerIds);
  if (selection.kind === 'all') return query;
  if (selection.allOf.length === 0 && selection.after.size === 0) return undefined;
  return query.where((eb) =>
    eb.or([
      ...(selection.allOf.length > 0 ? [eb('type', 'in', selection.allOf)] : []),
      ...[...selection.after].map(([type, from]) => eb.and([eb('type', '=', type), eb('occurred_at', '>', from)])),
    ]),
  );
}

/**
 * Each customer's first and last time of an event of their own doing (EXTREME_COLUMNS; what the
 * shop sent them, `SHOP_SENT_EVENT_TYPES`, left out, as `*` reads), when the selection stands
 * them in for events it does not read.
 */
export function extremesQuery(db: Db, customerIds: readonly number[], selection: EventSelection) {
  if (selection.kind !== 'some' || !selection.extremes) return undefined;
  // The first and the last of the customer's own events, each found from its end of the
  // `(customer_id, occurred_at)` index, reading rows only until one is not the shop's: a min/max
  // over the customer's events with the type left out read every row (2.5× the time), where a
  // min/max of every type read the index alone. A customer with no events of their own has nulls.
  return db
    .selectFrom('customers')
    .select((eb) => {
      const own = (direction: 'asc' | 'desc') =>
        eb
          .selectFrom('events')
          .select('events.occurred_at')
          .whereRef('events.customer_id', '=', 'customers.id')
          .where('events.type', 'not in', SHOP_SENT_EVENT_TYPES)
          .orderBy('events.occurred_at', direction)
          .limit(1);
      return ['customers.id as customer_id', own('asc').as('first'), own('desc').as('last')];
    })
    .where('customers.id', 'in', customerIds);
}

/** The events read, and stand-ins for the first and last times, by customer, as `computeMetrics` takes them. */
export function eventsByCustomer(events: Iterable<EventTuple>, extremes: Iterable<ExtremeTuple>): Map<number, MetricEvent[]> {
  const byCustomer = new Map<number, MetricEvent[]>();
  for (const [customerId, type, occurredAt, properties] of events) {
    const list = byCustomer.get(customerId);
    const stored = new StoredEvent(type, occurredAt, properties);
    if (list) list.push(stored);
    else byCustomer.set(customerId, [stored]);
  }
  for (const [customerId, first, last] of extremes) {
    if (first === null || last === null) continue;
    const list = byCustomer.get(customerId);
    const stand = extremeEvents(Number(first), Number(last));
    if (list) list.push(...stand);
    else byCustomer.set(customerId, stand);
  }
  return byCustomer;
}

/** What JSON.parse of the stored text gives back: no -0, and non-finite numbers as null. */
export function asReadBack(values: Record<string, MetricValue>): Record<string, MetricValue> {
  for (const key in values) {
    const value = values[key];
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) return JSON.parse(JSON.stringify(values)) as Record<string, MetricValue>;
  }
  return values;
}

/**
 * An event whose properties are parsed on first read. Most of a customer's history lies
 * outside every window that reads properties (old product views count only towards
 * "last active"), so parsing it all up front was most of the cost of a recompute. The text is
 * let go once parsed, so that an event held in memory (src/engine/history-memory.ts) costs one
 * copy of its properties.
 */
export class StoredEvent implements MetricEvent {
  #text: string | undefined;
  #parsed: Record<string, unknown> | undefined;
  constructor(
    readonly type: string,
    readonly occurredAt: number,
    text: string,
  ) {
    this.#text = text;
  }

  get properties(): Record<string, unknown> {
    if (this.#parsed === undefined) {
      this.#parsed = JSON.parse(this.#text ?? '{}') as Record<string, unknown>;
      this.#text = undefined;
    }
    return this.#parsed;
  }
}

export function dropNulls(values: Record<string, MetricValue>): Record<string, MetricValue> {
  const kept: Record<string, MetricValue> = {};
  for (const key in values) {
    const value = values[key];
    if (value !== null && value !== undefined) kept[key] = value;
  }
  return kept;
}

/** Customers of the workspace whose metrics change by time alone at or before now. */
export async function customersWithDueMetrics(context: WorkspaceContext, limit: number, db: Db = context.store.db): Promise<number[]> {
  const rows = await db
    .selectFrom('customer_metrics')
    .select('customer_id')
    .where('workspace_id', '=', context.workspaceId)
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', context.now().getTime())
    .orderBy('valid_until')
    .limit(limit)
    .execute();
  return rows.map((row) => row.customer_id);
}

/** Metric definitions of the workspace, built-in first. */
export async function listMetrics(context: WorkspaceContext): Promise<MetricDefinition[]> {
  return [...BUILTIN_METRICS, ...(await loadCustomMetrics(context))];
}

/** A saved metric definition, and the recompute of everyone's metrics it recorded (`runMetricsPass`). */
export interface DeclaredMetric {
  definition: MetricDefinition;
  recompute: string;
}

/** Declares a custom metric; customers get its values from the recompute it records. */
export async function createMetric(context: WorkspaceContext, raw: MetricInput): Promise<DeclaredMetric> {
  const input = metricInputSchema.parse(raw);
  const unheld = unheldKeyText(input.key, localized('a metric', '指标'));
  if (unheld) throw fieldError('body', 'key', unheld);
  const property = input.property;
  if (isNumericAggregation(input.aggregation) && property !== undefined) await assertNotDeclaredText(context, input.aggregation, input.event_type, property);
  // A first or last of a property records what it holds, so that the expressions, the index and
  // the console read its values as what they are (a receiver's city as text, not as a number).
  const picked = (input.aggregation === 'first' || input.aggregation === 'last') && property !== undefined && !property.split('[].').some((name) => name.startsWith('@'));
  const valueType = picked ? (input.value_type ?? knownPropertyType(input.event_type, property) ?? (await seenPropertyType(context, input.event_type, property))) : undefined;
  return defineMetric(context, {
    key: input.key,
    name: input.name,
    ...(input.name_en === undefined ? {} : { name_en: input.name_en }),
    description: input.description,
    formula: { kind: 'aggregate', aggregation: input.aggregation, eventType: input.event_type, property, filter: input.filter, window: input.window, ...(valueType === undefined ? {} : { valueType }) },
  });
}

/**
 * Refuses a sum, mean, minimum or maximum of a shop's own event property that the workspace
 * declares text: a first or last of it whose `value_type` is `string` (收货城市 as text). Its values
 * hold no number, so the metric would be 0 or empty for everyone. (The built-in event types' text
 * properties are refused by the input's schema.)
 */
async function assertNotDeclaredText(context: WorkspaceContext, aggregation: 'sum' | 'avg' | 'min' | 'max', eventType: string, property: string): Promise<void> {
  const declaring = (await loadCustomMetrics(context)).find(
    (metric) => metric.formula.kind === 'aggregate' && metric.formula.eventType === eventType && metric.formula.property === property && metric.formula.valueType === 'string',
  );
  if (!declaring) return;
  const named = declaring.name === declaring.key ? declaring.key : `${declaring.name} (${declaring.key})`;
  throw fieldError(
    'body',
    'property',
    localized(
      `${aggregation} reads numbers, and ${property} of ${eventType} is text (metric ${named} declares it so): count it with distinct_count or most_frequent, or take first or last`,
      `${aggregation} 读取的是数值，而 ${eventType} 的 ${property} 是文本（指标 ${named} 如此声明）：请用 distinct_count 或 most_frequent 统计，或用 first、last 取值`,
    ),
  );
}

const BUILTIN_KEY_HINT = localized(' It is a built-in metric (the product computes it itself): give yours another key.', '这是内置指标（由系统自行计算）：请为自定义指标另选一个键。');

/** Stores any metric definition, derived ones included (the models declare theirs this way), after checking it plans. */
export async function defineMetric(context: WorkspaceContext, definition: MetricDefinition): Promise<DeclaredMetric> {
  if (isBuiltinMetricKey(definition.key)) throw new TagbaseError('METRIC_EXISTS', { metric: definition.key, hint: BUILTIN_KEY_HINT });
  const existing = await listMetrics(context);
  if (existing.some((metric) => metric.key === definition.key)) throw new TagbaseError('METRIC_EXISTS', { metric: definition.key });
  await assertExpressionNamesFree(context, 'metric', definition.key, definition.name);
  try {
    planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...existing.filter((m) => !BUILTIN_METRICS.includes(m)), definition]);
  } catch (error) {
    if (error instanceof MetricDefinitionError) throw new TagbaseError('METRIC_INVALID', { detail: error.text }, error.items);
    throw error;
  }
  const recompute = await unlessTaken(
    'metric_definitions',
    () => new TagbaseError('METRIC_EXISTS', { metric: definition.key }),
    () =>
      writeCatalog(context, 'all', async (trx) => {
        await trx
          .insertInto('metric_definitions')
          .values({ workspace_id: context.workspaceId, key: definition.key, name: definition.name, description: definition.description ?? null, definition: JSON.stringify(definition), created_at: context.now().getTime() })
          .execute();
        return scheduleMetricsPass(context, trx);
      }),
  );
  return { definition, recompute };
}
