// `tagbase customer show ID`: one customer's portrait as a terminal reads it — fields, identities,
// tags with where they came from, metrics, recent events and tag changes — or the API's JSON
// with --json, for scripts. The same reading as `GET /api/v1/customers/{id}`.
import { CUSTOMER_TYPE_LABELS, GENDER_LABELS, type CustomerType, type Gender, type IdentityKind } from '../core/customer.js';
import type { Locale } from '../core/locale.js';
import { ASSIGNMENT_SOURCES, HISTORY_ACTIONS, type AssignmentSource, type HistoryAction } from '../core/tag.js';
import { formatUtcOffset } from '../core/time.js';
import type { WorkspaceContext } from '../engine/context.js';
import { findCustomerByIdentity } from '../engine/customers.js';
import { listCustomFields } from '../engine/fields.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { getPortrait, type Portrait } from '../engine/portrait.js';
import { terminalTable, terminalWidth } from './commander-locale.js';
import type { Say } from './messages.js';
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
  const portrait = await getPortrait(context, externalId, { events: recent, history: recent });
  if (auditReadsOn()) {
    const { recordAudit } = await import('../engine/audit.js');
    await recordAudit(context.store.db, { workspaceId: context.workspaceId, actor: context.actor, source: 'cli', action: 'customer show', target: `/customers/${encodeURIComponent(portrait.id)}`, status: null, at: context.now().getTime() });
  }
  if (options.json) return JSON.stringify(portrait, null, 2);
  const fieldNames = new Map((await listCustomFields(context)).map((field) => [field.key, field.name]));
  return formatPortrait(portrait, say, { locale: options.locale ?? 'en', utcOffsetMinutes: await workspaceUtcOffset(context), fieldNames });
}

const FIELDS = ['type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel', 'first_seen_at'] as const;

/** Text in the reader's language for the built-in enumerations (女, 企业); the stored word in English. */
function fieldValue(field: (typeof FIELDS)[number], value: string, locale: Locale): string {
  if (locale !== 'zh-CN') return value;
  if (field === 'gender') return GENDER_LABELS[value as Gender] ?? value;
  if (field === 'type') return CUSTOMER_TYPE_LABELS[value as CustomerType] ?? value;
  return value;
}

/** Where an event's properties are cut, in terminal columns: an order's items would run on for lines. */
const PROPERTIES_WIDTH = 100;

/**
 * The portrait in columns, times in the workspace's zone (named once, at the top) to the
 * minute, as the console shows them.
 */
export function formatPortrait(portrait: Portrait, say: Say, { locale, utcOffsetMinutes, fieldNames }: { locale: Locale; utcOffsetMinutes: number; fieldNames?: ReadonlyMap<string, string> }): string {
  const lines: string[] = [];
  const time = (iso: string) => localMinute(iso, utcOffsetMinutes);
  const source = (word: string) => (ASSIGNMENT_SOURCES.includes(word as AssignmentSource) ? say(`customer.source.${word as AssignmentSource}`) : word);
  const action = (word: string) => (HISTORY_ACTIONS.includes(word as HistoryAction) ? say(`customer.action.${word as HistoryAction}`) : word);
  lines.push(`${portrait.name === null ? portrait.id : `${portrait.id}  ${portrait.name}`}  ${say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })}`);
  const fields: string[][] = [];
  for (const field of FIELDS) {
    const value = portrait[field];
    if (value !== null) fields.push([say(`customer.field.${field}`), field === 'first_seen_at' ? time(value) : fieldValue(field, value, locale)]);
  }
  // A custom field by the name it was declared with (鞋码), as the console shows it.
  for (const [key, value] of Object.entries(portrait.custom)) if (value !== null) fields.push([fieldNames?.get(key) ?? key, String(value)]);
  for (const identity of portrait.identities) fields.push([say(`customer.identity.${identity.kind}`), identity.value]);
  lines.push(...terminalTable(fields).map((line) => `  ${line}`));

  lines.push('', say('customer.tags', { count: portrait.tags.length }));
  if (portrait.tags.length === 0) lines.push(`  ${say('customer.noTags')}`);
  lines.push(
    ...terminalTable(portrait.tags.map((tag) => [tag.label, source(tag.source), tag.actor, time(tag.assigned_at), tag.expires_at === null ? '' : say('customer.expires', { at: time(tag.expires_at) }), (locale === 'en' ? (tag.explanation_en ?? tag.explanation) : tag.explanation) ?? ''])).map((line) => `  ${line}`),
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
  lines.push(...terminalTable(portrait.recent_history.map((entry) => [time(entry.at), action(entry.action), entry.label, source(entry.source), entry.actor])).map((line) => `  ${line}`));
  return lines.join('\n');
}

/** `2026-11-17 16:50` in the zone `utcOffsetMinutes` east of UTC. */
export function localMinute(iso: string, utcOffsetMinutes: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
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

