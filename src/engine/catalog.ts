// The workspace as the expression language sees it: tags (with their store ids), fields
// (built-in and custom), metrics and segments — plus the loader of one customer's view
// for the reference evaluator.
import type { Kysely, Transaction } from 'kysely';
import {
  BUILTIN_FIELDS,
  COMPUTED_FIELDS,
  COMPUTED_FIELD_NAMES,
  CUSTOMER_TYPES,
  CUSTOMER_TYPE_LABELS,
  GENDERS,
  GENDER_LABELS,
  REACHABILITY_FIELDS,
  REACHABILITY_KINDS,
  reachabilityValues,
  type ComputedFieldKey,
  type CustomFieldDefinition,
} from '../core/customer.js';
import { TagbaseError } from '../core/errors.js';
import { compileExpression, segmentNestingMeasure, type AttributeValue, type CatalogAttribute, type CatalogTag, type CustomerView, type ExpandedNesting, type ExpressionCatalog } from '../core/expression/index.js';
import { localized, type LocalizedText } from '../core/locale.js';
import type { ReadSegment, SegmentReader } from '../core/masked-asks.js';
import { BUILTIN_METRICS, isBuiltinMetricKey, metricValueType, type MetricDefinition } from '../core/metric.js';
import { randomBucket } from '../core/random-bucket.js';
import { isComputedTag, isTagVisibleTo, type TagDefinition, type TagScope } from '../core/tag.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { listCustomFields } from './fields.js';
import { stillHeld } from '../store/still-held.js';
import { BUILTIN_FIELD_COLUMNS } from '../store/customer-fields.js';
import { loadEveryonesTags } from './tag-loading.js';

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
  /**
   * Saved segments, key → expression source; `writtenFull` when whoever last wrote the
   * expression is known to have seen personal data whole.
   */
  segments: Map<string, { name: string; expression: string; writtenFull?: boolean }>;
  utcOffsetMinutes: number;
  /**
   * Staff members with an active personal rule tag, whoever loaded the catalog: their rules run
   * on every change, though only they see the tags (see rule-groups.ts).
   */
  personalRuleOwners: string[];
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
  { key: 'random_bucket', name: COMPUTED_FIELD_NAMES.random_bucket, type: COMPUTED_FIELDS.random_bucket },
  ...REACHABILITY_FIELDS.map((key) => ({ key, name: COMPUTED_FIELD_NAMES[key], type: COMPUTED_FIELDS[key] })),
];

/**
 * The built-in fields no column holds, as the customer with internal id `customerId` and
 * identities of `identityKinds` has them: `random_bucket`, from the id, and the reachability
 * fields (`has_phone` …), from the kinds. Every reader of a customer's fields adds these after
 * the columns, so a custom value of the same key (from before the field was built in) never wins.
 */
export function computedFieldValues(customerId: number, identityKinds: Iterable<string>): Record<ComputedFieldKey, number | boolean> {
  return { random_bucket: randomBucket(customerId), ...reachabilityValues(identityKinds) };
}

/** Every identity kind some reachability field reads. */
export const REACHABLE_KINDS: string[] = [...new Set(Object.values(REACHABILITY_KINDS).flat())];

/** The kinds of identity each of these customers holds that a reachability field reads; a customer holding none is left out. */
export async function loadIdentityKinds(db: Db, customerIds: readonly number[]): Promise<Map<number, string[]>> {
  const kinds = new Map<number, string[]>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const rows = await db.selectFrom('identities').select(['customer_id', 'kind']).where('customer_id', 'in', part).where('kind', 'in', REACHABLE_KINDS).execute();
    for (const row of rows) {
      const list = kinds.get(row.customer_id);
      if (list) list.push(row.kind);
      else kinds.set(row.customer_id, [row.kind]);
    }
  }
  return kinds;
}

/** A tag as the expression language knows it: its values in the order they are listed. */
export function catalogTag(tag: TagDefinition): CatalogTag {
  return { key: tag.key, name: tag.name, cardinality: tag.cardinality, ordered: tag.ordered, values: tag.values.map((value, order) => ({ key: value.key, name: value.name, order })) };
}

export function customFieldAttribute(field: CustomFieldDefinition): CatalogAttribute {
  return field.type === 'enum' ? { key: field.key, name: field.name, type: 'enum', options: field.options } : { key: field.key, name: field.name, type: field.type };
}

export function metricAttribute(metric: MetricDefinition): CatalogAttribute {
  return { key: metric.key, name: metric.name, type: metricValueType(metric) };
}

/**
 * Custom metric definitions stored for the workspace. One stored under a key that a later version
 * made built-in (`refunded_orders_total`) gives way to the built-in metric: a key means one
 * metric, and the built-in one is what the product's models and documentation mean by it.
 */
export async function loadCustomMetrics(context: WorkspaceContext, db: Db = context.store.db): Promise<MetricDefinition[]> {
  // A model declares its metrics at one moment: the key orders them alike on both stores.
  const rows = await db.selectFrom('metric_definitions').selectAll().where('workspace_id', '=', context.workspaceId).orderBy('created_at').orderBy('key').execute();
  return rows.filter((row) => !isBuiltinMetricKey(row.key)).map((row) => JSON.parse(row.definition) as MetricDefinition);
}

/** The saved segments that `start` reads, directly or through one another, and every tag they read. */
export function readsThroughSegments(catalog: WorkspaceCatalog, start: readonly string[]): { segments: Set<string>; tags: Set<string> } {
  const segments = new Set<string>();
  const tags = new Set<string>();
  const pending = [...start];
  while (pending.length > 0) {
    const key = pending.pop() ?? '';
    if (segments.has(key)) continue;
    segments.add(key);
    const source = catalog.segments.get(key)?.expression;
    if (source === undefined) continue;
    const reads = compileExpression(source, catalog.catalog).dependencies;
    reads.tags.forEach((tag) => tags.add(tag));
    pending.push(...reads.segments);
  }
  return { segments, tags };
}

/**
 * The saved segments as `maskedAsk` walks them (src/core/masked-asks.ts): each compiled once, in
 * the catalog's view, and marked masked unless whoever last wrote it is known to see personal
 * data whole.
 */
export function maskedSegmentReader(catalog: WorkspaceCatalog): SegmentReader {
  const compiled = new Map<string, ReadSegment | undefined>();
  return (key) => {
    if (compiled.has(key)) return compiled.get(key);
    const segment = catalog.segments.get(key);
    const read = segment && { key, name: segment.name, bound: compileExpression(segment.expression, catalog.catalog).bound, masked: segment.writtenFull !== true };
    compiled.set(key, read);
    return read;
  };
}

export async function loadWorkspaceCatalog(context: WorkspaceContext, db: Db = context.store.db): Promise<WorkspaceCatalog> {
  const [everyones, customFields, customMetrics, segmentRows, workspace, archivedTags] = await Promise.all([
    loadEveryonesTags(context, {}, db),
    listCustomFields(context, db),
    loadCustomMetrics(context, db),
    db.selectFrom('segments').select(['key', 'name', 'expression', 'expression_view']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute(),
    db.selectFrom('workspaces').select('utc_offset_minutes').where('id', '=', context.workspaceId).executeTakeFirst(),
    // Those the acting user may see: another's personal tag stays unknown to them.
    db.selectFrom('tags').select(['key', 'name', 'scope', 'owner']).where('workspace_id', '=', context.workspaceId).where('status', '=', 'archived').orderBy('id').execute(),
  ]);
  const tags = everyones.filter((tag) => isTagVisibleTo(tag, context.actor));
  // Active ones only, as loaded: an archived rule tag runs for nobody.
  const ruleOwners = [...new Set(everyones.flatMap((tag) => (tag.scope === 'personal' && isComputedTag(tag.kind) && tag.owner ? [tag.owner] : [])))].sort();
  const metrics = [...BUILTIN_METRICS, ...customMetrics];
  return {
    catalog: {
      tags: tags.map(catalogTag),
      fields: [...BUILTIN_FIELD_ATTRIBUTES, ...customFields.map(customFieldAttribute)],
      metrics: metrics.map(metricAttribute),
      segments: segmentRows.map((row) => ({ key: row.key, name: row.name })),
      archivedTags: archivedTags.filter((tag) => isTagVisibleTo({ scope: tag.scope as TagScope, owner: tag.owner === '' ? null : tag.owner }, context.actor)).map((tag) => ({ key: tag.key, name: tag.name })),
    },
    tagIds: new Map(tags.map((tag) => [tag.key, { id: tag.id, values: new Map(tag.values.map((value) => [value.key, value.id])) }])),
    tags,
    customFields,
    metrics,
    segments: new Map(segmentRows.map((row) => [row.key, { name: row.name, expression: row.expression, writtenFull: row.expression_view === 'full' }])),
    utcOffsetMinutes: workspace?.utc_offset_minutes ?? 480,
    personalRuleOwners: ruleOwners,
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
  // Without the expired values the expiry sweep has not taken off yet, as the SQL back end and the index read them.
  const now = context.now().getTime();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const [customers, assignments, metrics, identityKinds] = await Promise.all([
      db.selectFrom('customers').selectAll().where('id', 'in', part).where('merged_into', 'is', null).execute(),
      db.selectFrom('assignments').select(['customer_id', 'value_id']).where('customer_id', 'in', part).where(stillHeld(now)).execute(),
      db.selectFrom('customer_metrics').select(['customer_id', 'metric_values']).where('customer_id', 'in', part).execute(),
      loadIdentityKinds(db, part),
    ]);
    const metricValues = new Map(metrics.map((row) => [row.customer_id, JSON.parse(row.metric_values) as Record<string, AttributeValue>]));
    for (const row of customers) {
      const fields: Record<string, AttributeValue> = { ...(JSON.parse(row.custom) as Record<string, AttributeValue>) };
      for (const [key, column] of Object.entries(BUILTIN_FIELD_COLUMNS)) fields[key] = row[column];
      Object.assign(fields, computedFieldValues(row.id, identityKinds.get(row.id) ?? []));
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

export type ExpressionSubjectKind = 'tag' | 'field' | 'metric';

const KIND_WORDS: Record<ExpressionSubjectKind, { en: string; zh: string }> = { tag: { en: 'tag', zh: '标签' }, field: { en: 'field', zh: '字段' }, metric: { en: 'metric', zh: '指标' } };

/**
 * Expressions find tags, fields and metrics by key and by name, keys first, tags before fields
 * before metrics. A new key or name equal to another's would silently change what saved
 * segments and rules read (a field keyed `spend_365d` would hide the metric), or never be
 * reached itself, so each key and name answers to one thing. Same-kind clashes of key with key
 * and name with name are refused earlier with their own codes.
 */
export async function assertExpressionNamesFree(context: WorkspaceContext, kind: ExpressionSubjectKind, key: string, name: string, replacing?: string): Promise<void> {
  const { catalog } = await loadWorkspaceCatalog(context);
  const subjects: { kind: ExpressionSubjectKind; key: string; name: string | undefined }[] = [
    ...catalog.tags.map((tag) => ({ kind: 'tag' as const, key: tag.key, name: tag.name })),
    ...catalog.fields.map((field) => ({ kind: 'field' as const, key: field.key, name: field.name })),
    ...catalog.metrics.map((metric) => ({ kind: 'metric' as const, key: metric.key, name: metric.name })),
  ];
  for (const text of new Set([key, name])) {
    const holder = subjects.find((subject) => !(subject.kind === kind && subject.key === (replacing ?? key)) && (subject.key === text || subject.name === text));
    if (!holder) continue;
    const words = KIND_WORDS[holder.kind];
    throw new TagbaseError('NAME_IN_USE', { name: text, holder: localized(`${words.en} "${holder.key}"`, `${words.zh}「${holder.key}」`), subject: `${holder.kind}:${holder.key}` });
  }
}

/** A saved expression that names tags and segments as text: a segment's, or one of a care plan's conditions. */
export interface SavedExpression {
  kind: 'segment' | 'care_plan';
  key: string;
  name: string;
  source: string;
}

/** Measures expressions' nesting through the saved segments of `segments`, found by key, then by name, as `segment("…")` finds them. */
export function segmentNesting(segments: WorkspaceCatalog['segments']): (source: string) => ExpandedNesting {
  return segmentNestingMeasure((keyOrName) => {
    const key = segments.has(keyOrName) ? keyOrName : [...segments].find(([, segment]) => segment.name === keyOrName)?.[0];
    const segment = key === undefined ? undefined : segments.get(key);
    return key === undefined || segment === undefined ? undefined : { key, source: segment.expression };
  });
}

/** Every saved segment's expression and care plan condition, segments first: what a rename or removal could leave unreadable. */
export async function savedExpressions(context: WorkspaceContext, catalog: WorkspaceCatalog): Promise<SavedExpression[]> {
  const found: SavedExpression[] = [...catalog.segments].map(([key, segment]) => ({ kind: 'segment', key, name: segment.name, source: segment.expression }));
  const plans = await context.store.db.selectFrom('care_plans').select(['key', 'name', 'condition', 'steps']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  for (const plan of plans) {
    const conditions = [plan.condition, ...(JSON.parse(plan.steps) as { condition?: string | null }[]).map((step) => step.condition)];
    for (const condition of conditions) if (condition) found.push({ kind: 'care_plan', key: plan.key, name: plan.name, source: condition });
  }
  return found;
}

/** How an error names the reader of a saved expression: by the name operators gave it, with the key integrators use beside it. */
export function savedExpressionReader(entry: SavedExpression): LocalizedText {
  const same = entry.name === entry.key;
  const [en, zh] = same ? ['', ''] : [` (${entry.key})`, `（${entry.key}）`];
  return entry.kind === 'segment'
    ? localized(`segment "${entry.name}"${en}`, `人群「${entry.name}」${zh}`)
    : localized(`the conditions of care plan "${entry.name}"${en}`, `关怀计划「${entry.name}」${zh}的条件`);
}
