// The workspace as the expression language sees it: tags (with their store ids), fields
// (built-in and custom), metrics and segments — plus the loader of one customer's view
// for the reference evaluator.
import type { Kysely, Transaction } from 'kysely';
import { BUILTIN_FIELDS, CUSTOMER_TYPES, CUSTOMER_TYPE_LABELS, GENDERS, GENDER_LABELS, type CustomFieldDefinition } from '../core/customer.js';
import type { AttributeValue, CatalogAttribute, CustomerView, ExpressionCatalog } from '../core/expression/index.js';
import { BUILTIN_METRICS, metricValueType, type MetricDefinition } from '../core/metric.js';
import type { TagDefinition } from '../core/tag.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { listCustomFields } from './fields.js';
import { loadTags } from './tag-loading.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TagIds {
  id: number;
  values: Map<string, number>;
}

export interface WorkspaceCatalog {
  catalog: ExpressionCatalog;
  /** Tag key → store ids of the tag and of each value key. */
  tagIds: Map<string, TagIds>;
  tags: TagDefinition[];
  customFields: CustomFieldDefinition[];
  metrics: MetricDefinition[];
  /** Saved segments, key → expression source. */
  segments: Map<string, { name: string; expression: string }>;
  utcOffsetMinutes: number;
}

/** Built-in customer fields as catalog attributes; they live in the customers table's columns. */
export const BUILTIN_FIELD_ATTRIBUTES: CatalogAttribute[] = [
  { key: 'id', name: '客户ID', type: 'string' },
  { key: 'name', name: '姓名', type: BUILTIN_FIELDS.name },
  { key: 'type', name: '客户类型', type: 'enum', options: [...CUSTOMER_TYPES], optionLabels: CUSTOMER_TYPE_LABELS },
  { key: 'gender', name: '性别', type: 'enum', options: [...GENDERS], optionLabels: GENDER_LABELS },
  { key: 'birthday', name: '生日', type: BUILTIN_FIELDS.birthday },
  { key: 'city', name: '城市', type: BUILTIN_FIELDS.city },
  { key: 'region', name: '地区', type: BUILTIN_FIELDS.region },
  { key: 'occupation', name: '职业', type: BUILTIN_FIELDS.occupation },
  { key: 'member_level', name: '会员等级', type: BUILTIN_FIELDS.member_level },
  { key: 'source_channel', name: '来源渠道', type: BUILTIN_FIELDS.source_channel },
  { key: 'first_seen_at', name: '首次访问时间', type: BUILTIN_FIELDS.first_seen_at },
];

/** Built-in field key → customers column. `id` is the merchant's id. */
export const BUILTIN_FIELD_COLUMNS = {
  id: 'external_id',
  name: 'name',
  type: 'type',
  gender: 'gender',
  birthday: 'birthday',
  city: 'city',
  region: 'region',
  occupation: 'occupation',
  member_level: 'member_level',
  source_channel: 'source_channel',
  first_seen_at: 'first_seen_at',
} as const;
export type BuiltinFieldColumn = (typeof BUILTIN_FIELD_COLUMNS)[keyof typeof BUILTIN_FIELD_COLUMNS];

export function isBuiltinField(key: string): key is keyof typeof BUILTIN_FIELD_COLUMNS {
  return Object.hasOwn(BUILTIN_FIELD_COLUMNS, key);
}

export function customFieldAttribute(field: CustomFieldDefinition): CatalogAttribute {
  return field.type === 'enum' ? { key: field.key, name: field.name, type: 'enum', options: field.options } : { key: field.key, name: field.name, type: field.type };
}

export function metricAttribute(metric: MetricDefinition): CatalogAttribute {
  return { key: metric.key, name: metric.name, type: metricValueType(metric) };
}

/** Custom metric definitions stored for the workspace. */
export async function loadCustomMetrics(context: WorkspaceContext, db: Db = context.store.db): Promise<MetricDefinition[]> {
  const rows = await db.selectFrom('metric_definitions').selectAll().where('workspace_id', '=', context.workspaceId).orderBy('created_at').execute();
  return rows.map((row) => JSON.parse(row.definition) as MetricDefinition);
}

export async function loadWorkspaceCatalog(context: WorkspaceContext, db: Db = context.store.db): Promise<WorkspaceCatalog> {
  const [tags, customFields, customMetrics, segmentRows, workspace] = await Promise.all([
    loadTags(context, {}, db),
    listCustomFields(context, db),
    loadCustomMetrics(context, db),
    db.selectFrom('segments').select(['key', 'name', 'expression']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute(),
    db.selectFrom('workspaces').select('utc_offset_minutes').where('id', '=', context.workspaceId).executeTakeFirst(),
  ]);
  const metrics = [...BUILTIN_METRICS, ...customMetrics];
  return {
    catalog: {
      tags: tags.map((tag) => ({
        key: tag.key,
        name: tag.name,
        cardinality: tag.cardinality,
        ordered: tag.ordered,
        values: tag.values.map((value, order) => ({ key: value.key, name: value.name, order })),
      })),
      fields: [...BUILTIN_FIELD_ATTRIBUTES, ...customFields.map(customFieldAttribute)],
      metrics: metrics.map(metricAttribute),
      segments: segmentRows.map((row) => ({ key: row.key, name: row.name })),
    },
    tagIds: new Map(tags.map((tag) => [tag.key, { id: tag.id, values: new Map(tag.values.map((value) => [value.key, value.id])) }])),
    tags,
    customFields,
    metrics,
    segments: new Map(segmentRows.map((row) => [row.key, { name: row.name, expression: row.expression }])),
    utcOffsetMinutes: workspace?.utc_offset_minutes ?? 480,
  };
}

/**
 * Customer views for the reference evaluator, keyed by internal id: tags by key, fields
 * (built-in columns and custom JSON), and metric values.
 */
export async function loadCustomerViews(context: WorkspaceContext, catalog: WorkspaceCatalog, customerIds: readonly number[], db: Db = context.store.db): Promise<Map<number, CustomerView>> {
  const valueKeys = new Map<number, { tag: string; value: string }>();
  for (const [tagKey, ids] of catalog.tagIds) for (const [valueKey, valueId] of ids.values) valueKeys.set(valueId, { tag: tagKey, value: valueKey });
  const views = new Map<number, CustomerView>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const [customers, assignments, metrics] = await Promise.all([
      db.selectFrom('customers').selectAll().where('id', 'in', part).where('merged_into', 'is', null).execute(),
      db.selectFrom('assignments').select(['customer_id', 'value_id']).where('customer_id', 'in', part).execute(),
      db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('customer_id', 'in', part).execute(),
    ]);
    const metricValues = new Map(metrics.map((row) => [row.customer_id, JSON.parse(row.metric_values) as Record<string, AttributeValue>]));
    for (const row of customers) {
      const fields: Record<string, AttributeValue> = { ...(JSON.parse(row.custom) as Record<string, AttributeValue>) };
      for (const [key, column] of Object.entries(BUILTIN_FIELD_COLUMNS)) fields[key] = row[column];
      views.set(row.id, { tags: new Map(), fields, metrics: metricValues.get(row.id) ?? {} });
    }
    for (const assignment of assignments) {
      const view = views.get(assignment.customer_id);
      const keys = valueKeys.get(assignment.value_id);
      if (!view || !keys) continue;
      const tags = view.tags as Map<string, Set<string>>;
      const held = tags.get(keys.tag) ?? new Set<string>();
      held.add(keys.value);
      tags.set(keys.tag, held);
    }
  }
  return views;
}
