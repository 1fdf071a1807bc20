// Keeps customer metrics true: recomputed from a customer's events whenever events arrive,
// and again when a window moves (the scheduler finds customers whose values are due).
import type { Kysely, Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { computeMetrics, planMetrics, MetricDefinitionError, type MetricEvent, type MetricPlan } from '../core/metric-compute.js';
import { BUILTIN_METRICS, HIDDEN_METRICS, metricInputSchema, type MetricDefinition, type MetricInput, type MetricValue } from '../core/metric.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { loadCustomMetrics } from './catalog.js';
import { notifyCatalogChanged, type WorkspaceContext } from './context.js';

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

/**
 * Recomputes the metrics of the given customers from all their events and stores them.
 * Returns, per customer, the metric keys whose values changed.
 */
export async function recomputeMetrics(context: WorkspaceContext, db: Db, customerIds: readonly number[], plan: MetricPlan, utcOffsetMinutes: number): Promise<MetricChanges> {
  const now = context.now().getTime();
  const changes: MetricChanges = new Map();
  for (const part of chunks([...new Set(customerIds)], IDS_PER_QUERY)) {
    const [events, previousRows] = await Promise.all([
      db.selectFrom('events').select(['customer_id', 'type', 'occurred_at', 'properties']).where('customer_id', 'in', part).execute(),
      db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('customer_id', 'in', part).execute(),
    ]);
    const byCustomer = new Map<number, MetricEvent[]>();
    for (const event of events) {
      const list = byCustomer.get(event.customer_id) ?? [];
      list.push(new StoredEvent(event.type, event.occurred_at, event.properties));
      byCustomer.set(event.customer_id, list);
    }
    const previous = new Map(previousRows.map((row) => [row.customer_id, JSON.parse(row.metric_values) as Record<string, MetricValue>]));
    const rows = part.map((customerId) => {
      const result = computeMetrics(plan, byCustomer.get(customerId) ?? [], now, utcOffsetMinutes);
      const before = previous.get(customerId);
      const changed = new Set<string>();
      for (const definition of plan.definitions) if (!before || !sameValue(before[definition.key], result.values[definition.key])) changed.add(definition.key);
      if (changed.size > 0) changes.set(customerId, changed);
      return { customer_id: customerId, workspace_id: context.workspaceId, metric_values: JSON.stringify(dropNulls(result.values)), computed_at: now, valid_until: result.validUntil };
    });
    for (const slice of chunks(rows, rowsPerInsert(5))) {
      await db
        .insertInto('customer_metrics')
        .values(slice)
        .onConflict((oc) =>
          oc.column('customer_id').doUpdateSet((eb) => ({
            metric_values: eb.ref('excluded.metric_values'),
            computed_at: eb.ref('excluded.computed_at'),
            valid_until: eb.ref('excluded.valid_until'),
          })),
        )
        .execute();
    }
  }
  return changes;
}

/**
 * An event whose properties are parsed on first read. Most of a customer's history lies
 * outside every window that reads properties (old product views count only towards
 * "last active"), so parsing it all up front was most of the cost of a recompute.
 */
class StoredEvent implements MetricEvent {
  #parsed: Record<string, unknown> | undefined;
  constructor(
    readonly type: string,
    readonly occurredAt: number,
    private readonly raw: string,
  ) {}

  get properties(): Record<string, unknown> {
    this.#parsed ??= JSON.parse(this.raw) as Record<string, unknown>;
    return this.#parsed;
  }
}

function dropNulls(values: Record<string, MetricValue>): Record<string, MetricValue> {
  const kept: Record<string, MetricValue> = {};
  for (const [key, value] of Object.entries(values)) if (value !== null) kept[key] = value;
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

/** Declares a custom metric; existing customers get its values on the next recompute. */
export async function createMetric(context: WorkspaceContext, raw: MetricInput): Promise<MetricDefinition> {
  const input = metricInputSchema.parse(raw);
  return defineMetric(context, {
    key: input.key,
    name: input.name,
    description: input.description,
    formula: { kind: 'aggregate', aggregation: input.aggregation, eventType: input.event_type, property: input.property, filter: input.filter, window: input.window },
  });
}

/** Stores any metric definition, derived ones included (the models declare theirs this way), after checking it plans. */
export async function defineMetric(context: WorkspaceContext, definition: MetricDefinition): Promise<MetricDefinition> {
  const existing = await listMetrics(context);
  if (existing.some((metric) => metric.key === definition.key) || HIDDEN_METRICS.some((metric) => metric.key === definition.key)) {
    throw new TagbaseError('METRIC_EXISTS', { metric: definition.key });
  }
  try {
    planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...existing.filter((m) => !BUILTIN_METRICS.includes(m)), definition]);
  } catch (error) {
    if (error instanceof MetricDefinitionError) throw new TagbaseError('METRIC_INVALID', { detail: error.message });
    throw error;
  }
  await context.store.db
    .insertInto('metric_definitions')
    .values({ workspace_id: context.workspaceId, key: definition.key, name: definition.name, description: definition.description ?? null, definition: JSON.stringify(definition), created_at: context.now().getTime() })
    .execute();
  await notifyCatalogChanged(context);
  return definition;
}
