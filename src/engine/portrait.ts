// The customer portrait (客户画像): fields, identities, tags shown as `name: value` with
// their provenance, recent events and recent tag history — what a salesperson reads at a glance.
import { sql, type Selectable } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { IdentityKind } from '../core/customer.js';
import { TagbaseError } from '../core/errors.js';
import { metricValueType, type MetricDefinition, type MetricValue } from '../core/metric.js';
import { explainRfm, rfmSample, type RfmThresholds } from '../core/models/rfm.js';
import { formatTagLabel, type TagDefinition } from '../core/tag.js';
import { toIso } from '../core/time.js';
import type { Store } from '../store/connect.js';
import { reusableQuery } from '../store/reusable-query.js';
import type { TagHistoryTable } from '../store/schema.js';
import type { WorkspaceCatalog } from './catalog.js';
import { CHANGE_LOG_RETENTION_MS, catalogChangeCount, type WorkspaceContext } from './context.js';
import { customerToJson, requireCustomer, type CustomerJson } from './customers.js';
import { cachedCatalog } from './engine-cache.js';
import { loadTags } from './library.js';

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
  const catalogChanges = catalogChangeCount(context.store);
  const row = await loadPortraitRow(context, externalId, eventLimit, historyFetchSize(historyLimit));
  const catalog = knownCatalog(context, row.log_head) ?? (await rememberCatalog(context, row.log_head, catalogChanges));
  const lookup = tagLookup(catalog.tags);
  const metricValues = row.metric_values === null ? {} : (JSON.parse(row.metric_values) as Record<string, MetricValue>);
  const held: HeldValue[] = [];
  for (const assignment of jsonRows(row.assignments)) {
    const value = lookup.values.get(assignment.value_id);
    if (value) held.push({ value, assignment });
  }
  held.sort((a, b) => a.value.rank - b.value.rank);
  const rfm = held.some(({ value }) => value.tag.kind === 'model') ? rfmExplanation(row.rfm_thresholds, metricValues) : undefined;

  const identities = jsonRows(row.identities).map((identity) => ({ kind: identity.kind as IdentityKind, value: identity.value }));
  const customer: CustomerJson = customerToJson(row, identities);
  let text = `${JSON.stringify(customer).slice(0, -1)},"tags":[`;
  held.forEach(({ value, assignment }, i) => {
    text += `${i === 0 ? '' : ','}${tagFieldsJson(value)},"source":${JSON.stringify(assignment.source)},"actor":${JSON.stringify(assignment.actor)}`;
    text += `,"assigned_at":${JSON.stringify(isoTime(assignment.assigned_at))},"expires_at":${JSON.stringify(isoTimeOrNull(assignment.expires_at))}`;
    const explanation = value.tag.kind === 'model' && value.tag.key === RFM_TAG ? rfm : undefined;
    text += explanation === undefined ? '}' : `,"explanation":${JSON.stringify(explanation)}}`;
  });
  text += '],"metrics":[';
  metricColumns(catalog.metrics).forEach(({ key, type, fieldsJson }, i) => {
    const value = metricValues[key] ?? null;
    const shown = JSON.stringify(type === 'timestamp' && typeof value === 'number' ? isoTime(value) : value) as string | undefined;
    // As JSON.stringify leaves out a member it cannot write: a key missing from the values that
    // names something every object inherits ("toString") finds a function there.
    text += `${i === 0 ? '' : ','}${fieldsJson}${shown === undefined ? '' : `,"value":${shown}`}}`;
  });
  const events: EventJson[] = jsonRows(row.events).map((event) => ({
    id: event.event_key,
    type: event.type,
    occurred_at: isoTime(event.occurred_at),
    properties: JSON.parse(event.properties) as Record<string, unknown>,
  }));
  const history = historyEntries(jsonRows(row.history), lookup, historyLimit);
  return `${text}],"recent_events":${JSON.stringify(events)},"recent_history":${JSON.stringify(history)}}`;
}

interface HeldValue {
  value: TagLookupValue;
  assignment: { value_id: number; source: string; actor: string; assigned_at: number; expires_at: number | null };
}

/** The model whose tag carries an explanation (its key is also its tag's key); the other models have none. */
const RFM_TAG = 'rfm';

/** Why the customer holds their RFM level, against the thresholds the portrait statement read; undefined without thresholds or a sample. */
function rfmExplanation(thresholds: string | null, metrics: Readonly<Record<string, unknown>>): string | undefined {
  const sample = rfmSample(metrics);
  return thresholds && sample ? explainRfm(sample, JSON.parse(thresholds) as RfmThresholds) : undefined;
}

/**
 * The catalog a portrait was last drawn with, per store, workspace and actor (personal tags are
 * the actor's), with the change log head and the count of this process's catalog changes it was
 * current at. A portrait reads the log head in its own statement; while neither has moved, no
 * catalog change can have been committed since, so the portrait skips the engine cache's own
 * read of the log, a second statement that cost half as much as the portrait's. Any logged
 * change, customer changes included, moves the head and sends the next portrait to the engine
 * cache.
 */
interface KnownCatalog {
  catalog: WorkspaceCatalog;
  logHead: number | null;
  catalogChanges: number;
  checkedAt: number;
}

const knownCatalogs = new WeakMap<Store, Map<string, KnownCatalog>>();
/** Actors seen per store before the map starts afresh; each holds a reference to a catalog. */
const MAX_KNOWN_CATALOGS = 1000;
/**
 * Past this gap the log may have been pruned of a change logged since, back to the same head
 * (an empty log, say): ask the engine cache, which follows the same rule.
 */
const MAX_CHECK_GAP_MS = CHANGE_LOG_RETENTION_MS / 2;

function knownCatalogKey(context: WorkspaceContext): string {
  return `${context.workspaceId}\u0000${context.actor ?? ''}`;
}

function knownCatalog(context: WorkspaceContext, logHead: number | null): WorkspaceCatalog | undefined {
  const known = knownCatalogs.get(context.store)?.get(knownCatalogKey(context));
  if (!known || known.logHead !== logHead || known.catalogChanges !== catalogChangeCount(context.store)) return undefined;
  const now = Date.now();
  if (now - known.checkedAt > MAX_CHECK_GAP_MS) return undefined;
  known.checkedAt = now;
  return known.catalog;
}

/**
 * The engine cache's catalog, remembered with the head the portrait statement read and the count
 * of catalog changes taken before that statement. Asked after the statement, the engine cache
 * reads the log at least as far as that head, so the catalog reflects every change up to it.
 */
async function rememberCatalog(context: WorkspaceContext, logHead: number | null, catalogChanges: number): Promise<WorkspaceCatalog> {
  const checkedAt = Date.now();
  const catalog = await cachedCatalog(context);
  let byKey = knownCatalogs.get(context.store);
  if (!byKey) {
    byKey = new Map();
    knownCatalogs.set(context.store, byKey);
  }
  if (byKey.size >= MAX_KNOWN_CATALOGS) byKey.clear();
  byKey.set(knownCatalogKey(context), { catalog, logHead, catalogChanges, checkedAt });
  return catalog;
}

const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on the year no longer has four digits. */
const YEAR_10000_MS = 253_402_300_800_000;

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const threeDigits = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `toIso` by arithmetic: a portrait writes dozens of timestamps, and building a Date for each
 * took three times as long. Only whole milliseconds from 1970 to 9999, where the two agree; the
 * rest (none in practice) goes to `toIso`.
 */
export function isoTime(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= YEAR_10000_MS) return toIso(ms);
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  // Days since 1970 to a civil date, counting from 0000-03-01 so that leap days end each year
  // (Howard Hinnant's days_from_civil, inverted).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hour)}:${twoDigits(minute)}:${twoDigits(second)}.${threeDigits(milli)}Z`;
}

function isoTimeOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : isoTime(ms);
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
          .select(['action', 'tag_id', 'value_id', 'previous_value_id', 'label', 'source', 'actor', 'at', 'expires_at'])
          .whereRef('tag_history.customer_id', '=', 'customers.id')
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(history),
      ).as('history'),
      // Read here rather than by their own statements: each statement costs more than its work.
      eb.selectFrom('models').select('thresholds').whereRef('models.workspace_id', '=', 'customers.workspace_id').where('models.key', '=', RFM_TAG).as('rfm_thresholds'),
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
  } satisfies Omit<PortraitTag, 'source' | 'actor' | 'assigned_at' | 'expires_at' | 'explanation'>).slice(0, -1);
  return entry.fieldsJson;
}

/** A library's tags and values by store id; `rank` orders held values by tag key, then value order. */
interface TagLookup {
  tags: Map<number, TagDefinition>;
  values: Map<number, TagLookupValue>;
}

// Derived once per loaded library: the cached catalog hands out the same array until it reloads,
// and building these maps for a library of a thousand values cost more than the portrait's queries.
const lookups = new WeakMap<readonly TagDefinition[], TagLookup>();

function tagLookup(tags: readonly TagDefinition[]): TagLookup {
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
  /** `{ key, name, type }` of its portrait metric as JSON, without the closing brace. */
  fieldsJson: string;
}

const metricColumnCache = new WeakMap<readonly MetricDefinition[], MetricColumn[]>();

function metricColumns(definitions: readonly MetricDefinition[]): MetricColumn[] {
  let columns = metricColumnCache.get(definitions);
  if (!columns) {
    columns = definitions.map((definition) => {
      const fields: Omit<PortraitMetric, 'value'> = { key: definition.key, name: definition.name, type: metricValueType(definition) };
      return { key: fields.key, type: fields.type, fieldsJson: JSON.stringify(fields).slice(0, -1) };
    });
    metricColumnCache.set(definitions, columns);
  }
  return columns;
}

/** Tag history of one customer, newest first, limited to the tags the actor may see. */
export async function customerHistory(
  context: WorkspaceContext,
  customerId: number,
  visibleTags: TagDefinition[],
  options: { limit: number; before?: number | undefined },
): Promise<HistoryEntryJson[]> {
  return readHistory(context, customerId, tagLookup(visibleTags), options);
}

async function readHistory(context: WorkspaceContext, customerId: number, lookup: TagLookup, options: { limit: number; before?: number | undefined }): Promise<HistoryEntryJson[]> {
  let query = context.store.db
    .selectFrom('tag_history')
    .select(['action', 'tag_id', 'value_id', 'previous_value_id', 'label', 'source', 'actor', 'at', 'expires_at'])
    .where('customer_id', '=', customerId);
  if (options.before !== undefined) query = query.where('at', '<', options.before);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(historyFetchSize(options.limit)).execute();
  return historyEntries(rows, lookup, options.limit);
}

type HistoryRow = Pick<Selectable<TagHistoryTable>, 'action' | 'tag_id' | 'value_id' | 'previous_value_id' | 'label' | 'source' | 'actor' | 'at' | 'expires_at'>;

function historyEntries(rows: readonly HistoryRow[], lookup: TagLookup, limit: number): HistoryEntryJson[] {
  return rows
    .filter((row) => lookup.tags.has(row.tag_id))
    .slice(0, limit)
    .map((row) => ({
      action: row.action,
      tag: lookup.tags.get(row.tag_id)?.key ?? null,
      value: lookup.values.get(row.value_id)?.value.key ?? null,
      previous_value: row.previous_value_id === null ? null : (lookup.values.get(row.previous_value_id)?.value.key ?? null),
      label: row.label,
      source: row.source,
      actor: row.actor,
      at: isoTime(row.at),
      expires_at: isoTimeOrNull(row.expires_at),
    }));
}

export async function getCustomerHistory(context: WorkspaceContext, externalId: string, options: { limit: number; before?: number | undefined }): Promise<HistoryEntryJson[]> {
  const row = await requireCustomer(context, externalId);
  return customerHistory(context, row.id, await loadTags(context, { includeArchived: true }), options);
}
