// The customer portrait (客户画像): fields, identities, tags shown as `name: value` with
// their provenance, recent events and recent tag history — what a salesperson reads at a glance.
import { sql, type Selectable } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { IdentityKind } from '../core/customer.js';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { maskPersonalDataIn, maskPersonalMetricValue } from '../core/masked-properties.js';
import { metricValueType, type MetricDefinition, type MetricValue } from '../core/metric.js';
import { RFM_MODEL_KEY, explainRfm, rfmSample, type RfmThresholds } from '../core/models/rfm.js';
import { formatTagLabel, isStillHeld, type TagDefinition } from '../core/tag.js';
import { toIso, toIsoOrNull } from '../core/time.js';
import type { Store } from '../store/connect.js';
import { reusableQuery } from '../store/reusable-query.js';
import type { TagHistoryTable } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { customerToJson, requireCustomer, type CustomerJson } from './customers.js';
import { cachedCatalog } from './engine-cache.js';
import { loadTags } from './library.js';
import { MERGE_SOURCE } from './history.js';
import { decodeTimeIdCursor, encodeTimeIdCursor, type TimeIdPosition } from './page-cursor.js';

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
  /** The same in English, as metrics carry `name_en`: "R 12 days ≤ 43.2 · F 5 ≥ 3.1 · M 2,380 ≥ 1,150.4". */
  explanation_en?: string;
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
  /** Of a copy of the value a merge dropped: the id of the record merged in (said in the reader's language where shown). */
  merged_from: string | null;
}

export interface PortraitMetric {
  key: string;
  name: string;
  /** The English name, where the metric has one (built-in and model metrics); null otherwise. */
  name_en: string | null;
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

export interface PortraitOptions {
  events?: number;
  history?: number;
}

export async function getPortrait(context: WorkspaceContext, externalId: string, options: PortraitOptions = {}): Promise<Portrait> {
  // The API's text read back: one writer, so that every caller gets the same portrait.
  return JSON.parse(await getPortraitJson(context, externalId, options)) as Portrait;
}

/**
 * The portrait as JSON text, as the API answers it. Its tags and metrics are most of the text,
 * and all but a few of their fields come from the catalog: that part is written once per
 * catalog and reused, where building the objects and JSON.stringify wrote it out again on every
 * request. The fields are in the order `Portrait` declares them.
 */
export async function getPortraitJson(context: WorkspaceContext, externalId: string, options: PortraitOptions = {}): Promise<string> {
  const eventLimit = options.events ?? 20;
  const historyLimit = options.history ?? 20;
  const row = await loadPortraitRow(context, externalId, eventLimit, historyFetchSize(historyLimit));
  // The tag library and metric definitions change rarely; reading them per request was most of a portrait's cost.
  const catalog = await cachedCatalog(context, row.log_head);
  const lookup = tagLookup(catalog.tags);
  const metricValues = row.metric_values === null ? {} : (JSON.parse(row.metric_values) as Record<string, MetricValue>);
  const held: HeldValue[] = [];
  // An expired value stays in the store until the expiry sweep takes it off (a second later in
  // the server, longer while a scheduler round runs, and not between commands): never shown.
  const now = context.now().getTime();
  for (const assignment of jsonRows(row.assignments)) {
    const value = lookup.values.get(assignment.value_id);
    if (value && isStillHeld(assignment.expires_at, now)) held.push({ value, assignment });
  }
  held.sort((a, b) => a.value.rank - b.value.rank);
  const rfm = held.some(({ value }) => value.tag.kind === 'model') ? rfmExplanation(row.rfm_thresholds, metricValues) : undefined;

  const identities = jsonRows(row.identities).map((identity) => ({ kind: identity.kind as IdentityKind, value: identity.value }));
  const customer: CustomerJson = customerToJson(row, identities, context.personalData);
  let text = `${JSON.stringify(customer).slice(0, -1)},"tags":[`;
  held.forEach(({ value, assignment }, i) => {
    text += `${i === 0 ? '' : ','}${tagFieldsJson(value)},"source":${JSON.stringify(assignment.source)},"actor":${JSON.stringify(assignment.actor)}`;
    text += `,"assigned_at":${JSON.stringify(toIso(assignment.assigned_at))},"expires_at":${JSON.stringify(toIsoOrNull(assignment.expires_at))}`;
    const explanation = value.tag.kind === 'model' && value.tag.model === RFM_MODEL_KEY ? rfm : undefined;
    text += explanation === undefined ? '}' : `,"explanation":${JSON.stringify(explanation.zh)},"explanation_en":${JSON.stringify(explanation.en)}}`;
  });
  text += '],"metrics":[';
  metricColumns(catalog.metrics).forEach(({ key, type, definition, fieldsJson }, i) => {
    const stored = metricValues[key] ?? null;
    // A metric that picks a property's value (the last `receiver_phone`) shows it as the event's properties do.
    const value = context.personalData === 'masked' ? maskPersonalMetricValue(definition, stored, identities) : stored;
    const shown = JSON.stringify(type === 'timestamp' && typeof value === 'number' ? toIso(value) : value) as string | undefined;
    // As JSON.stringify leaves out a member it cannot write: a key missing from the values that
    // names something every object inherits ("toString") finds a function there.
    text += `${i === 0 ? '' : ','}${fieldsJson}${shown === undefined ? '' : `,"value":${shown}`}}`;
  });
  const events: EventJson[] = jsonRows(row.events).map((event) => ({
    id: event.event_key,
    type: event.type,
    occurred_at: toIso(event.occurred_at),
    properties: context.personalData === 'masked' ? maskPersonalDataIn(JSON.parse(event.properties) as Record<string, unknown>, identities) : (JSON.parse(event.properties) as Record<string, unknown>),
  }));
  const historyRows = jsonRows(row.history);
  // An archived tag left the portrait's tags but not the customer's past: its entries stay, as
  // in the full history. Loading those tags only when the page holds one keeps reads cheap.
  const historyLookup = historyRows.some((entry) => !lookup.tags.has(entry.tag_id)) ? tagLookup(await loadTags(context, { includeArchived: true })) : lookup;
  const history = historyEntries(historyRows, historyLookup, historyLimit);
  return `${text}],"recent_events":${JSON.stringify(events)},"recent_history":${JSON.stringify(history)}}`;
}

interface HeldValue {
  value: TagLookupValue;
  assignment: { value_id: number; source: string; actor: string; assigned_at: number; expires_at: number | null };
}

/** Why the customer holds their RFM level, against the thresholds the portrait statement read, in Chinese and English; undefined without thresholds or a sample. */
function rfmExplanation(thresholds: string | null, metrics: Readonly<Record<string, unknown>>): { zh: string; en: string } | undefined {
  const sample = rfmSample(metrics);
  if (!thresholds || !sample) return undefined;
  const read = JSON.parse(thresholds) as RfmThresholds;
  return { zh: explainRfm(sample, read, 'zh-CN'), en: explainRfm(sample, read, 'en') };
}

/** History rows read for a page of `limit`: a margin, so that rows of hidden tags do not make the page short in the common case. */
function historyFetchSize(limit: number): number {
  return limit === 0 ? 0 : limit * 2 + 20;
}

/**
 * The customer with its metrics, identities, tags, recent events and recent history in one
 * statement, because each statement's round trip through the query builder and the driver
 * costs more than SQLite's work on it. A merged id (rare) answers with the customer it was
 * merged into. `historyLimit` is the number of history rows to read, not the page size.
 */
async function loadPortraitRow(context: WorkspaceContext, externalId: string, eventLimit: number, historyLimit: number) {
  const [row] = await portraitByExternalId(eventLimit, historyLimit)(context.store, { workspaceId: context.workspaceId, externalId });
  if (row && row.merged_into === null) return row;
  const survivor = await requireCustomer(context, externalId);
  const merged = await portraitQuery(context.store, context.workspaceId, eventLimit, historyLimit).where('customers.id', '=', survivor.id).executeTakeFirst();
  if (!merged) throw new TagbaseError('CUSTOMER_NOT_FOUND', { customer: externalId });
  return merged;
}

type PortraitRow = Awaited<ReturnType<ReturnType<typeof portraitQuery>['executeTakeFirstOrThrow']>>;
type PortraitStatement = ReturnType<typeof reusableQuery<{ workspaceId: number; externalId: string }, PortraitRow>>;

/** Compiled statements by page sizes; callers nearly always ask for the defaults. */
const portraitStatements = new Map<string, PortraitStatement>();
const MAX_PORTRAIT_STATEMENTS = 32;

function portraitByExternalId(eventLimit: number, historyLimit: number): PortraitStatement {
  const key = `${eventLimit}:${historyLimit}`;
  let statement = portraitStatements.get(key);
  if (!statement) {
    statement = reusableQuery<{ workspaceId: number; externalId: string }, PortraitRow>(['workspaceId', 'externalId'], (store, values) =>
      portraitQuery(store, values.workspaceId, eventLimit, historyLimit).where('customers.external_id', '=', values.externalId),
    );
    if (portraitStatements.size >= MAX_PORTRAIT_STATEMENTS) portraitStatements.clear();
    portraitStatements.set(key, statement);
  }
  return statement;
}

function portraitQuery(store: Store, workspaceId: number, eventLimit: number, historyLimit: number) {
  const jsonArrayFrom = store.dialect === 'postgres' ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
  // The page sizes are written into the text (they are validated integers): with a bound
  // LIMIT, SQLite took three times as long over the same plan (~110 µs against ~35 µs).
  const events = sql.lit(Math.trunc(eventLimit));
  const history = sql.lit(Math.trunc(historyLimit));
  return store.db
    .selectFrom('customers')
    .selectAll('customers')
    .select((eb) => [
      eb.selectFrom('customer_metrics').select('metric_values').whereRef('customer_metrics.customer_id', '=', 'customers.id').as('metric_values'),
      jsonArrayFrom(eb.selectFrom('identities').select(['kind', 'value']).whereRef('identities.customer_id', '=', 'customers.id').orderBy('kind').orderBy('value')).as('identities'),
      jsonArrayFrom(
        eb.selectFrom('assignments').select(['value_id', 'source', 'actor', 'assigned_at', 'expires_at']).whereRef('assignments.customer_id', '=', 'customers.id'),
      ).as('assignments'),
      jsonArrayFrom(
        eb
          .selectFrom('events')
          .select(['events.event_key', 'events.type', 'events.occurred_at', 'events.properties'])
          .whereRef('events.customer_id', '=', 'customers.id')
          .orderBy('events.occurred_at', 'desc')
          .orderBy('events.id', 'desc')
          .limit(events),
      ).as('events'),
      jsonArrayFrom(
        eb
          .selectFrom('tag_history')
          .select(['action', 'tag_id', 'value_id', 'previous_value_id', 'label', 'source', 'actor', 'at', 'expires_at', 'merged_from'])
          .whereRef('tag_history.customer_id', '=', 'customers.id')
          // What a merge wrote for webhooks: the history moved with the merged record.
          .where('source', '<>', MERGE_SOURCE)
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(history),
      ).as('history'),
      // Read here rather than by their own statements: each statement costs more than its work.
      eb.selectFrom('models').select('thresholds').whereRef('models.workspace_id', '=', 'customers.workspace_id').where('models.key', '=', RFM_MODEL_KEY).as('rfm_thresholds'),
      eb
        .selectFrom('changes')
        .select((changes) => changes.fn.max('changes.id').as('head'))
        .whereRef('changes.workspace_id', '=', 'customers.workspace_id')
        .as('log_head'),
    ])
    .where('customers.workspace_id', '=', workspaceId);
}

/**
 * Rows aggregated as JSON by the statement. PostgreSQL's driver hands `json` over parsed;
 * SQLite has no JSON type, so there the same array arrives as its text.
 */
function jsonRows<T>(value: T[] | string): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}

type TagValueDefinition = TagDefinition['values'][number];

interface TagLookupValue {
  tag: TagDefinition;
  value: TagValueDefinition;
  rank: number;
  /** The fields of its portrait tag that come from the catalog, as JSON without the closing brace; written on first use. */
  fieldsJson?: string;
}

function tagFieldsJson(entry: TagLookupValue): string {
  const { tag, value } = entry;
  entry.fieldsJson ??= JSON.stringify({
    tag: tag.key,
    tag_name: tag.name,
    value: value.key,
    value_name: value.name,
    label: formatTagLabel(tag.name, value.name),
    color: value.color ?? tag.color,
    group_id: tag.groupId,
    scope: tag.scope,
    kind: tag.kind,
  } satisfies Omit<PortraitTag, 'source' | 'actor' | 'assigned_at' | 'expires_at' | 'explanation' | 'explanation_en'>).slice(0, -1);
  return entry.fieldsJson;
}

/** A library's tags and values by store id; `rank` orders held values by tag key, then value order. */
export interface TagLookup {
  tags: Map<number, TagDefinition>;
  values: Map<number, TagLookupValue>;
}

// Derived once per loaded library: the cached catalog hands out the same array until it reloads,
// and building these maps for a library of a thousand values cost more than the portrait's queries.
const lookups = new WeakMap<readonly TagDefinition[], TagLookup>();

export function tagLookup(tags: readonly TagDefinition[]): TagLookup {
  const known = lookups.get(tags);
  if (known) return known;
  const pairs = tags.flatMap((tag) => tag.values.map((value) => ({ tag, value })));
  const order = (a: (typeof pairs)[number], b: (typeof pairs)[number]) => a.tag.key.localeCompare(b.tag.key) || a.value.sortOrder - b.value.sortOrder;
  pairs.sort(order);
  const values: TagLookup['values'] = new Map();
  let rank = 0;
  pairs.forEach((pair, i) => {
    const previous = pairs[i - 1];
    // Equal keys share a rank, so that a stable sort keeps such values in the order they were read.
    if (previous !== undefined && order(previous, pair) !== 0) rank++;
    values.set(pair.value.id, { ...pair, rank });
  });
  const lookup = { tags: new Map(tags.map((tag) => [tag.id, tag])), values };
  lookups.set(tags, lookup);
  return lookup;
}

interface MetricColumn {
  key: string;
  type: string;
  definition: MetricDefinition;
  /** `{ key, name, name_en, type }` of its portrait metric as JSON, without the closing brace. */
  fieldsJson: string;
}

const metricColumnCache = new WeakMap<readonly MetricDefinition[], MetricColumn[]>();

function metricColumns(definitions: readonly MetricDefinition[]): MetricColumn[] {
  let columns = metricColumnCache.get(definitions);
  if (!columns) {
    columns = definitions.map((definition) => {
      const fields: Omit<PortraitMetric, 'value'> = { key: definition.key, name: definition.name, name_en: definition.name_en ?? null, type: metricValueType(definition) };
      return { key: fields.key, type: fields.type, definition, fieldsJson: JSON.stringify(fields).slice(0, -1) };
    });
    metricColumnCache.set(definitions, columns);
  }
  return columns;
}

/** A page of a customer's tag history, and where the next one starts (null after the last). */
export interface HistoryPage {
  items: HistoryEntryJson[];
  next_cursor: string | null;
}

export interface HistoryPageOptions {
  limit: number;
  /** Only changes before this instant. */
  before?: number | undefined;
  /** A `next_cursor` of an earlier page: the page starts after that page's last row. */
  cursor?: string | undefined;
}

/** Tag history of one customer, newest first, limited to the tags the actor may see. */
export async function customerHistory(context: WorkspaceContext, customerId: number, visibleTags: TagDefinition[], options: HistoryPageOptions): Promise<HistoryPage> {
  const lookup = tagLookup(visibleTags);
  const after = options.cursor === undefined ? undefined : decodeHistoryCursor(options.cursor);
  let query = context.store.db
    .selectFrom('tag_history')
    .select(['id', 'action', 'tag_id', 'value_id', 'previous_value_id', 'label', 'source', 'actor', 'at', 'expires_at', 'merged_from'])
    .where('customer_id', '=', customerId)
    .where('source', '<>', MERGE_SOURCE);
  if (options.before !== undefined) query = query.where('at', '<', options.before);
  // Several changes share one instant (a bulk call, a rule moving two values): a page ends at a
  // row, not at a time, so the next one starts right after it.
  if (after !== undefined) query = query.where((eb) => eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]));
  const fetched = historyFetchSize(options.limit);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(fetched).execute();
  const visible = rows.filter((row) => lookup.tags.has(row.tag_id));
  const page = visible.slice(0, options.limit);
  // The last row looked at: the last one shown when the page is full, else the last one read
  // (rows of tags the actor may not see are passed over); none when the history ended.
  const last = visible.length > options.limit ? page[page.length - 1] : rows.length === fetched ? rows[rows.length - 1] : undefined;
  return { items: page.map((row) => historyEntry(row, lookup)), next_cursor: last === undefined ? null : encodeHistoryCursor(last) };
}

const HISTORY_CURSOR = 'h1';
const encodeHistoryCursor = (row: TimeIdPosition) => encodeTimeIdCursor(HISTORY_CURSOR, row);
const decodeHistoryCursor = (cursor: string) => decodeTimeIdCursor(HISTORY_CURSOR, cursor, localized('not a cursor this history handed out', '不是本历史记录给出的游标'));

type HistoryRow = Pick<Selectable<TagHistoryTable>, 'action' | 'tag_id' | 'value_id' | 'previous_value_id' | 'label' | 'source' | 'actor' | 'at' | 'expires_at' | 'merged_from'>;

function historyEntries(rows: readonly HistoryRow[], lookup: TagLookup, limit: number): HistoryEntryJson[] {
  return rows
    .filter((row) => lookup.tags.has(row.tag_id))
    .slice(0, limit)
    .map((row) => historyEntry(row, lookup));
}

/** A tag history row as the API answers it (the portrait, webhooks), with keys from `lookup`. */
export function historyEntry(row: HistoryRow, lookup: TagLookup): HistoryEntryJson {
  return {
    action: row.action,
    tag: lookup.tags.get(row.tag_id)?.key ?? null,
    value: lookup.values.get(row.value_id)?.value.key ?? null,
    previous_value: row.previous_value_id === null ? null : (lookup.values.get(row.previous_value_id)?.value.key ?? null),
    label: row.label,
    source: row.source,
    actor: row.actor,
    at: toIso(row.at),
    expires_at: toIsoOrNull(row.expires_at),
    merged_from: row.merged_from,
  };
}

export async function getCustomerHistory(context: WorkspaceContext, externalId: string, options: HistoryPageOptions): Promise<HistoryPage> {
  const row = await requireCustomer(context, externalId);
  return customerHistory(context, row.id, await loadTags(context, { includeArchived: true }), options);
}
