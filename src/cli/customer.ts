// `tagbase customer show ID`: one customer's portrait as a terminal reads it — fields, identities,
// tags with where they came from, metrics, recent events and tag changes — or the API's JSON
// with --json, for scripts. The same reading as `GET /api/v1/customers/{id}`. And `tagbase
// customer find TEXT`: the customers a name, id, phone or other identity finds, as the console's
// search box finds them, each with its tags. And `tagbase customer merge FROM --into ID`: two
// records of one person made one, as `POST /api/v1/customers/{id}/merge` makes them. And
// `tagbase customer identity remove ID KIND VALUE`, as `DELETE /api/v1/customers/{id}/identities/…`.
import { CUSTOMER_TYPE_LABELS, CUSTOMER_TYPE_LABELS_EN, GENDER_LABELS, GENDER_LABELS_EN, REACHABILITY_FIELDS, normalizeIdentity, type CustomerType, type Gender, type IdentityKind } from '../core/customer.js';
import { TagbaseError, isTagbaseError } from '../core/errors.js';
import { listSeparator, localized, type Locale } from '../core/locale.js';
import { ASSIGNMENT_SOURCES, HISTORY_ACTIONS, type AssignmentSource, type HistoryAction } from '../core/tag.js';
import { englishLabel, type CatalogModel } from '../core/models/model-words.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import { loadWorkspaceCatalog } from '../engine/catalog.js';
import type { WorkspaceContext } from '../engine/context.js';
import { MAX_SEARCH_LENGTH, findCustomerByIdentity, searchCustomerRowIds } from '../engine/customers.js';
import { loadMemberRows, type MemberRow } from '../engine/segment-members.js';
import { listCustomFields } from '../engine/fields.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import type { MergeResult } from '../engine/merge.js';
import { listModels } from '../engine/models.js';
import { getPortrait, type Portrait } from '../engine/portrait.js';
import { auditCli } from './audit-entry.js';
import { terminalTable, terminalWidth } from './commander-locale.js';
import { cliLocale } from './errors.js';
import { CLI_MESSAGES, type Say } from './messages.js';
import { auditReadsOn, inCommandWorkspace } from './store-options.js';

export interface CustomerShowOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  json?: boolean | undefined;
  /** How many of the latest events and tag changes to show. */
  recent?: number | undefined;
  /** The customer is named by an identity of this kind (a phone number) rather than by id. */
  by?: IdentityKind | undefined;
}

export const DEFAULT_RECENT = 10;

export function showCustomerCommand(id: string, options: CustomerShowOptions): Promise<string> {
  return inCommandWorkspace(options, (context, say) => customerPortraitText(context, id, say, options));
}

/** The portrait as text (or JSON); recorded in the audit trail as a personal read when the server records those. */
export async function customerPortraitText(context: WorkspaceContext, id: string, say: Say, options: Pick<CustomerShowOptions, 'json' | 'recent' | 'locale' | 'by'> = {}): Promise<string> {
  const recent = options.recent ?? DEFAULT_RECENT;
  const externalId = options.by === undefined ? id : (await findCustomerByIdentity(context, options.by, id)).id;
  const portrait = await getPortrait(context, externalId, { events: recent, history: recent }).catch((error: unknown) => {
    throw options.by === undefined ? withIdentityHint(error, id) : error;
  });
  if (auditReadsOn()) {
    await auditCli(context, 'customer show', `/customers/${encodeURIComponent(portrait.id)}`);
  }
  if (options.json) return JSON.stringify(portrait, null, 2);
  const fieldNames = new Map((await listCustomFields(context)).map((field) => [field.key, field.name]));
  const locale = options.locale ?? 'en';
  return formatPortrait(portrait, say, { locale, utcOffsetMinutes: await workspaceUtcOffset(context), fieldNames, models: await catalogWords(context, locale) });
}

/**
 * An id not found that reads as a phone number or an e-mail address (19954592061) was most
 * likely meant as one: the refusal says how to look a customer up by it.
 */
function withIdentityHint(error: unknown, id: string): unknown {
  if (!isTagbaseError(error) || error.code !== 'CUSTOMER_NOT_FOUND') return error;
  const key = normalizeIdentity('email', id) !== undefined ? 'customer.notFoundEmail' : normalizeIdentity('phone', id) !== undefined ? 'customer.notFoundPhone' : undefined;
  if (key === undefined) return error;
  return new TagbaseError('CUSTOMER_NOT_FOUND', { ...error.params, hint: localized(CLI_MESSAGES[key].en, CLI_MESSAGES[key]['zh-CN']) }, error.items);
}

/** The models' catalog words an English reader reads a model's tag in (RFM level: Important value), as the console does; none for a Chinese one. */
export async function catalogWords(context: WorkspaceContext, locale: Locale): Promise<readonly CatalogModel[]> {
  return locale === 'en' ? listModels(context) : [];
}

export interface CustomerFindOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  json?: boolean | undefined;
  /** How many of the customers found to show, after skipping `offset`. */
  limit: number;
  offset: number;
}

export function findCustomersCommand(text: string, options: CustomerFindOptions): Promise<string> {
  return inCommandWorkspace(options, (context, say) => foundCustomersText(context, text, say, options));
}

/** The customers `text` finds, a page of them with their tags, as a table or (--json) as `{ total, offset, limit, items }`. */
export async function foundCustomersText(context: WorkspaceContext, text: string, say: Say, options: Pick<CustomerFindOptions, 'json' | 'limit' | 'offset' | 'locale'>): Promise<string> {
  const q = text.trim();
  if (q === '') {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized('say what to look for: part of a name, a customer id, a phone number or another identity', '请给出要查找的内容：姓名的一部分、客户编号、手机号或其他身份标识') });
  }
  // As the API's q is limited: no name, id or identity is longer, and SQLite refuses a far longer pattern in its own words.
  if (q.length > MAX_SEARCH_LENGTH) {
    const given = q.length.toLocaleString('en');
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `what to look for is at most ${MAX_SEARCH_LENGTH} characters (${given} given): no name, customer id or identity is longer`,
        `要查找的内容最多 ${MAX_SEARCH_LENGTH} 个字符（现有 ${given} 个）：姓名、客户编号和身份标识都不会更长`,
      ),
    });
  }
  // The store's scan, not the index the server searches: a command opens no index, and building
  // one took 8-12 s at 200,000 customers on SQLite where the scan took 0.2-0.4 s. The scan finds
  // the same customers in the same order, by id, as `GET /api/v1/customers?q=` does
  // (test/engine/customer-search.test.ts).
  const ids = await searchCustomerRowIds(context, q);
  const page = ids.slice(options.offset, options.offset + options.limit);
  const items = await loadMemberRows(context, await loadWorkspaceCatalog(context), page, []);
  if (auditReadsOn() && page.length > 0) {
    await auditCli(context, 'customer find', '/customers');
  }
  if (options.json) return JSON.stringify({ total: ids.length, offset: options.offset, limit: options.limit, items: items.map(withoutMetrics) }, null, 2);
  if (ids.length === 0) return say('customer.foundNone', { text: q });
  const lines = [say(ids.length === 1 ? 'customer.foundOne' : 'customer.found', { count: ids.length.toLocaleString('en'), text: q })];
  if (items.length === 0) return [...lines, say('customer.foundPast', { offset: options.offset.toLocaleString('en') })].join('\n');
  const separator = listSeparator(options.locale ?? cliLocale());
  const header = [say('customer.column.id'), say('customer.column.name'), say('customer.field.city'), say('customer.field.member_level'), say('customer.identity.phone'), say('customer.column.tags')];
  const models = await catalogWords(context, options.locale ?? 'en');
  const rows = items.map((item) => [item.id, item.name ?? '', item.city ?? '', item.member_level ?? '', item.phone ?? '', tagsText(item.tags.map((label) => englishLabel(label, models)), separator)]);
  lines.push(...terminalTable([header, ...rows]).map((line) => `  ${line}`));
  const shownTo = options.offset + items.length;
  if (shownTo < ids.length || options.offset > 0) lines.push(say('customer.foundShown', { from: (options.offset + 1).toLocaleString('en'), to: shownTo.toLocaleString('en'), count: ids.length.toLocaleString('en') }));
  return lines.join('\n');
}

export interface CustomerMergeOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  /** The record that stays. */
  into: string;
  /** A merge cannot be undone: without this the command only says what it would do. */
  yes: boolean;
}

/**
 * Merges `from` into `options.into` and says what moved, as the API answers it. A merge that
 * cannot be (an unknown id, one record named twice, two ids merged before) is refused before
 * --yes is asked for; without --yes nothing changes and the answer says what would.
 */
export function mergeCustomersCommand(from: string, options: CustomerMergeOptions): Promise<{ text: string; done: boolean }> {
  return inCommandWorkspace(options, (context, say) => mergeAnswer(context, from, options, say));
}

/** The merge in `context`, or (without `yes`) what it would do; recorded in the audit trail once made. */
export async function mergeAnswer(context: WorkspaceContext, from: string, { into, yes }: Pick<CustomerMergeOptions, 'into' | 'yes'>, say: Say): Promise<{ text: string; done: boolean }> {
  const { mergeCustomers, requireMergeable } = await import('../engine/merge.js');
  await requireMergeable(context, into, from);
  if (!yes) return { text: say('merge.needsYes', { from, into }), done: false };
  const result = await mergeCustomers(context, into, from);
  // The path the same merge has in the API: POST /customers/{into}/merge.
  await auditCli(context, 'customer merge', `/customers/${encodeURIComponent(into)}/merge`);
  return { text: mergedText(result, say), done: true };
}

/** What a merge moved, as the API answers it, in one line. */
export function mergedText(result: MergeResult, say: Say): string {
  const moved = say('merge.done', { merged: result.merged, survivor: result.survivor, identities: result.identities, events: result.events, moved: result.assignments_moved, history: result.history });
  // A tag the survivor held already (the value, or another value of a single-valued tag) stays the survivor's.
  return result.assignments_dropped === 0 ? moved : moved + say('merge.dropped', { dropped: result.assignments_dropped, survivor: result.survivor });
}

/** Where a customer's tags are cut, in terminal columns, so that a row of the list stays one line on most terminals. */
const TAGS_WIDTH = 60;

/** The tags that fit in `TAGS_WIDTH`, then how many more (`… +3`): the portrait shows them all. */
function tagsText(tags: readonly string[], separator: string): string {
  let text = '';
  for (const [shown, tag] of tags.entries()) {
    const next = shown === 0 ? tag : `${text}${separator}${tag}`;
    const rest = tags.length - shown - 1;
    if (shown > 0 && terminalWidth(next) + (rest > 0 ? terminalWidth(` … +${rest}`) : 0) > TAGS_WIDTH) return `${text} … +${tags.length - shown}`;
    text = next;
  }
  return text;
}

/** A row as a script reads it: the page has no metrics to carry. */
function withoutMetrics({ metrics: _metrics, ...row }: MemberRow): Omit<MemberRow, 'metrics'> {
  return row;
}

const FIELDS = ['type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel', 'first_seen_at'] as const;

/** The built-in enumerations in the reader's language (女, 企业; Female, Company), as the console and exports write them; `--json` keeps the stored keys. */
function fieldValue(field: (typeof FIELDS)[number], value: string, locale: Locale): string {
  if (field === 'gender') return (locale === 'zh-CN' ? GENDER_LABELS : GENDER_LABELS_EN)[value as Gender] ?? value;
  if (field === 'type') return (locale === 'zh-CN' ? CUSTOMER_TYPE_LABELS : CUSTOMER_TYPE_LABELS_EN)[value as CustomerType] ?? value;
  return value;
}

/** Where an event's properties are cut, in terminal columns: an order's items would run on for lines. */
const PROPERTIES_WIDTH = 100;

/**
 * The portrait in columns, times in the workspace's zone (named once, at the top) to the
 * minute, as the console shows them.
 */
export function formatPortrait(portrait: Portrait, say: Say, { locale, utcOffsetMinutes, fieldNames, models = [] }: { locale: Locale; utcOffsetMinutes: number; fieldNames?: ReadonlyMap<string, string>; models?: readonly CatalogModel[] }): string {
  const lines: string[] = [];
  // A model's tag in the catalog's English words for an English reader (`models` given then), in its tags and its history alike.
  const label = (text: string, kind?: string) => (locale === 'en' ? englishLabel(text, models, kind) : text);
  const time = (iso: string) => localMinute(iso, utcOffsetMinutes);
  const source = (word: string) => (ASSIGNMENT_SOURCES.includes(word as AssignmentSource) ? say(`customer.source.${word as AssignmentSource}`) : word);
  const action = (word: string) => (HISTORY_ACTIONS.includes(word as HistoryAction) ? say(`customer.action.${word as HistoryAction}`) : word);
  lines.push(`${portrait.name === null ? portrait.id : `${portrait.id}  ${portrait.name}`}  ${say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })}`);
  const fields: string[][] = [];
  for (const field of FIELDS) {
    const value = portrait[field];
    if (value !== null) fields.push([say(`customer.field.${field}`), field === 'first_seen_at' ? time(value) : fieldValue(field, value, locale)]);
  }
  // Computed from the customer, so always there: what a holdout (random_bucket < 10) reads.
  fields.push([say('customer.field.random_bucket'), String(portrait.random_bucket)]);
  // Whether a message can reach the customer on each channel, from their identities: never missing.
  for (const field of REACHABILITY_FIELDS) fields.push([say(`customer.field.${field}`), say(portrait[field] ? 'customer.yes' : 'customer.no')]);
  // A custom field by the name it was declared with (鞋码), as the console shows it; a yes-or-no one
  // in words, as reachability is; a number grouped to two decimals, as the metrics below and the console's portrait write it.
  const customText = (value: unknown) => (typeof value === 'boolean' ? say(value ? 'customer.yes' : 'customer.no') : typeof value === 'number' ? value.toLocaleString('en', { maximumFractionDigits: 2 }) : String(value));
  for (const [key, value] of Object.entries(portrait.custom)) {
    if (value !== null) fields.push([fieldNames?.get(key) ?? key, customText(value)]);
  }
  for (const identity of portrait.identities) fields.push([say(`customer.identity.${identity.kind}`), identity.value]);
  lines.push(...terminalTable(fields).map((line) => `  ${line}`));

  lines.push('', say('customer.tags', { count: portrait.tags.length }));
  if (portrait.tags.length === 0) lines.push(`  ${say('customer.noTags')}`);
  lines.push(
    ...terminalTable(portrait.tags.map((tag) => [label(tag.label, tag.kind), source(tag.source), tag.actor, time(tag.assigned_at), tag.expires_at === null ? '' : say('customer.expires', { at: time(tag.expires_at) }), (locale === 'en' ? (tag.explanation_en ?? tag.explanation) : tag.explanation) ?? ''])).map((line) => `  ${line}`),
  );

  const metrics = portrait.metrics.filter((metric) => metric.value !== null);
  lines.push('', say('customer.metrics', { count: metrics.length }));
  if (metrics.length === 0) lines.push(`  ${say('customer.noMetrics')}`);
  const metricName = (metric: Portrait['metrics'][number]) => (locale === 'en' ? (metric.name_en ?? metric.name) : metric.name);
  const metricText = (metric: Portrait['metrics'][number]) =>
    typeof metric.value === 'number' ? metric.value.toLocaleString('en', { maximumFractionDigits: 2 }) : metric.type === 'timestamp' && metric.value !== null ? time(metric.value) : (metric.value ?? '');
  lines.push(...terminalTable(metrics.map((metric) => [metricName(metric), metricText(metric), metric.key])).map((line) => `  ${line}`));

  lines.push('', say('customer.recentEvents', { count: portrait.recent_events.length }));
  if (portrait.recent_events.length === 0) lines.push(`  ${say('customer.noEvents')}`);
  lines.push(
    ...terminalTable(portrait.recent_events.map((event) => [time(event.occurred_at), event.type, propertiesText(event.properties)])).map((line) => `  ${line}`),
  );

  lines.push('', say('customer.recentHistory', { count: portrait.recent_history.length }));
  if (portrait.recent_history.length === 0) lines.push(`  ${say('customer.noHistory')}`);
  lines.push(...terminalTable(portrait.recent_history.map((entry) => [time(entry.at), action(entry.action), entry.merged_from === null ? label(entry.label) : label(entry.label) + say('customer.mergedFrom', { id: entry.merged_from }), source(entry.source), entry.actor])).map((line) => `  ${line}`));
  return lines.join('\n');
}

/** `2026-11-17 16:50` in the zone `utcOffsetMinutes` east of UTC. */
export function localMinute(iso: string, utcOffsetMinutes: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return minuteInZone(ms, utcOffsetMinutes);
}

function propertiesText(properties: Readonly<Record<string, unknown>>): string {
  const text = Object.entries(properties)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  if (terminalWidth(text) <= PROPERTIES_WIDTH) return text;
  let cut = '';
  for (const character of text) {
    if (terminalWidth(cut + character) > PROPERTIES_WIDTH - 1) break;
    cut += character;
  }
  return `${cut}…`;
}


/**
 * Takes one identity away from a customer, says which, and records it in the audit trail with
 * the value masked, as the API's entry is.
 */
export function removeIdentityCommand(id: string, kind: IdentityKind, value: string, options: { workspace: string; database?: string | undefined; actor?: string | undefined; locale?: Locale | undefined }): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const { removeIdentity } = await import('../engine/identity-removal.js');
    const removed = await removeIdentity(context, id, kind, value);
    const { maskIdentity } = await import('../core/access.js');
    const target = `/customers/${encodeURIComponent(removed.customer)}/identities/${kind}/${encodeURIComponent(maskIdentity(kind, removed.value))}`;
    await auditCli(context, 'customer identity remove', target);
    return say('identity.removed', { kind: say(`customer.identity.${kind}`), value: removed.value, customer: removed.customer });
  });
}
