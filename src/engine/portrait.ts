// The customer portrait (客户画像): fields, identities, tags shown as `name: value` with
// their provenance, recent events and recent tag history — what a salesperson reads at a glance.
import { formatTagLabel, type TagDefinition } from '../core/tag.js';
import { toIso, toIsoOrNull } from '../core/time.js';
import type { WorkspaceContext } from './context.js';
import { customerToJson, loadIdentities, requireCustomer, type CustomerJson } from './customers.js';
import { cachedCatalog } from './engine-cache.js';
import { loadTags } from './library.js';
import { explainModels } from './models.js';
import { metricValueType, type MetricValue } from '../core/metric.js';

export interface PortraitTag {
  tag: string;
  tag_name: string;
  value: string;
  value_name: string;
  label: string;
  color: string | null;
  group_id: number | null;
  scope: string;
  kind: string;
  source: string;
  actor: string;
  assigned_at: string;
  expires_at: string | null;
  /** Why a model tag holds this value: "R 12 天 ≤ 43.2 · F 5 ≥ 3.1 · M 2,380 ≥ 1,150.4". */
  explanation?: string;
}

export interface EventJson {
  id: string;
  type: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}

export interface HistoryEntryJson {
  action: string;
  tag: string | null;
  value: string | null;
  previous_value: string | null;
  label: string;
  source: string;
  actor: string;
  at: string;
  expires_at: string | null;
}

export interface PortraitMetric {
  key: string;
  name: string;
  type: string;
  /** Timestamps as ISO 8601; null when the customer has no value. */
  value: number | string | null;
}

export interface Portrait extends CustomerJson {
  tags: PortraitTag[];
  metrics: PortraitMetric[];
  recent_events: EventJson[];
  recent_history: HistoryEntryJson[];
}

export async function getPortrait(context: WorkspaceContext, externalId: string, options: { events?: number; history?: number } = {}): Promise<Portrait> {
  const { db } = context.store;
  // The tag library and metric definitions change rarely; reading them per request was most of a portrait's cost.
  const [row, catalog] = await Promise.all([requireCustomer(context, externalId), cachedCatalog(context)]);
  const tags = catalog.tags;
  const metricDefinitions = catalog.metrics;
  const [identities, assignments, events, history, metricRow] = await Promise.all([
    loadIdentities(db, [row.id]),
    db.selectFrom('assignments').selectAll().where('customer_id', '=', row.id).execute(),
    db.selectFrom('events').selectAll().where('customer_id', '=', row.id).orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(options.events ?? 20).execute(),
    customerHistory(context, row.id, tags, { limit: options.history ?? 20 }),
    db.selectFrom('customer_metrics').select('metric_values').where('customer_id', '=', row.id).executeTakeFirst(),
  ]);
  const metricValues = metricRow ? (JSON.parse(metricRow.metric_values) as Record<string, MetricValue>) : {};
  const byValueId = valueIndex(tags);
  const held = assignments
    .flatMap((assignment) => {
      const found = byValueId.get(assignment.value_id);
      return found ? [{ ...found, assignment }] : [];
    })
    .sort((a, b) => a.tag.key.localeCompare(b.tag.key) || a.value.sortOrder - b.value.sortOrder);
  const explanations = held.some(({ tag }) => tag.kind === 'model') ? await explainModels(context, metricValues) : new Map<string, string>();
  const portraitTags: PortraitTag[] = held.map(({ tag, value, assignment }) => ({
    tag: tag.key,
    tag_name: tag.name,
    value: value.key,
    value_name: value.name,
    label: formatTagLabel(tag.name, value.name),
    color: value.color ?? tag.color,
    group_id: tag.groupId,
    scope: tag.scope,
    kind: tag.kind,
    source: assignment.source,
    actor: assignment.actor,
    assigned_at: toIso(assignment.assigned_at),
    expires_at: toIsoOrNull(assignment.expires_at),
    ...(tag.kind === 'model' && explanations.has(tag.key) ? { explanation: explanations.get(tag.key) } : {}),
  }));
  return {
    ...customerToJson(row, identities.get(row.id) ?? []),
    tags: portraitTags,
    metrics: metricDefinitions.map((definition) => {
      const type = metricValueType(definition);
      const value = metricValues[definition.key] ?? null;
      return { key: definition.key, name: definition.name, type, value: type === 'timestamp' && typeof value === 'number' ? toIso(value) : value };
    }),
    recent_events: events.map((event) => ({
      id: event.event_key,
      type: event.type,
      occurred_at: toIso(event.occurred_at),
      properties: JSON.parse(event.properties) as Record<string, unknown>,
    })),
    recent_history: history,
  };
}

function valueIndex(tags: TagDefinition[]) {
  const index = new Map<number, { tag: TagDefinition; value: TagDefinition['values'][number] }>();
  for (const tag of tags) for (const value of tag.values) index.set(value.id, { tag, value });
  return index;
}

/** Tag history of one customer, newest first, limited to the tags the actor may see. */
export async function customerHistory(
  context: WorkspaceContext,
  customerId: number,
  visibleTags: TagDefinition[],
  options: { limit: number; before?: number | undefined },
): Promise<HistoryEntryJson[]> {
  const visible = new Map(visibleTags.map((tag) => [tag.id, tag]));
  const values = valueIndex(visibleTags);
  let query = context.store.db.selectFrom('tag_history').selectAll().where('customer_id', '=', customerId);
  if (options.before !== undefined) query = query.where('at', '<', options.before);
  // Fetch a margin so that rows of hidden tags do not make the page short in the common case.
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit * 2 + 20).execute();
  return rows
    .filter((row) => visible.has(row.tag_id))
    .slice(0, options.limit)
    .map((row) => ({
      action: row.action,
      tag: visible.get(row.tag_id)?.key ?? null,
      value: values.get(row.value_id)?.value.key ?? null,
      previous_value: row.previous_value_id === null ? null : (values.get(row.previous_value_id)?.value.key ?? null),
      label: row.label,
      source: row.source,
      actor: row.actor,
      at: toIso(row.at),
      expires_at: toIsoOrNull(row.expires_at),
    }));
}

export async function getCustomerHistory(context: WorkspaceContext, externalId: string, options: { limit: number; before?: number | undefined }): Promise<HistoryEntryJson[]> {
  const row = await requireCustomer(context, externalId);
  return customerHistory(context, row.id, await loadTags(context, { includeArchived: true }), options);
}
