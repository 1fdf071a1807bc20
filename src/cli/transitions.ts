// `tagbase tag transitions TAG` and `tagbase tag profile TAG`: a tag's values as a terminal reads
// them — how customers moved between them over a period (the totals, a line per value, and for a
// single-valued tag the flows), and what each value's customers are worth now.
import { TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { englishTagName, englishValueName, type CatalogModel } from '../core/models/model-words.js';
import { formatUtcOffset, parseWorkspaceTime, toIso } from '../core/time.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { metricSummary, tagProfile, tagProfileToJson, type TagProfile } from '../engine/tag-profile.js';
import { tagTransitions, transitionsToJson, type TagTransitions } from '../engine/transitions.js';
import type { GroupTotals } from '../engine/segments.js';
import { indexAudience } from '../index/audience.js';
import { IndexRegistry } from '../index/registry.js';
import { openWorkspace } from '../engine/workspaces.js';
import { systemClock } from '../core/time.js';
import { terminalTable } from './commander-locale.js';
import { catalogWords, localMinute } from './customer.js';
import { spread } from './insight.js';
import { cliMessages, type Say } from './messages.js';
import { indexSnapshotsOn, openMigratedStore } from './store-options.js';

export interface TransitionsCommandOptions {
  workspace: string;
  database?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  locale?: Locale | undefined;
  /** Print what `GET /api/v1/tags/{tag}/transitions` answers for the same period, as JSON. */
  json?: boolean | undefined;
}

/**
 * A date or time as the help and `GET /tags/{tag}/transitions` take it (`parseWorkspaceTime`):
 * `2026-11-01`, `2026-11-01 08:00` or `2026-11-01T08:00` in the workspace's calendar, or with its
 * own `Z` or offset. A day without a time is its start, or as the end of a period (`wholeDay`)
 * the whole of it, up to the next day's start, as the console reads the days picked on its
 * calendar. A spreadsheet's `2025/01/01` or `2025年1月1日`, which imports read, is refused
 * naming the forms taken: a script should write the same time to the command and to the API.
 */
function instant(text: string | undefined, utcOffsetMinutes: number, option: string, wholeDay = false): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseWorkspaceTime(text, utcOffsetMinutes, wholeDay ? 'end' : 'start');
  if (ms === undefined) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${option} "${text}" is not a date or time in a form it takes: 2026-11-01, 2026-11-01 08:00 or 2026-11-01T08:00, with Z or +08:00 after a time for another zone`,
        `${option}「${text}」不是可用的日期或时间写法：请写成 2026-11-01、2026-11-01 08:00 或 2026-11-01T08:00，其他时区在时间后加 Z 或 +08:00`,
      ),
    });
  }
  return ms;
}

export async function tagTransitionsCommand(tag: string, options: TransitionsCommandOptions): Promise<string> {
  const store = await openMigratedStore(options.database);
  try {
    const context = await openWorkspace(store, options.workspace, null, systemClock);
    const offset = await workspaceUtcOffset(context);
    const found = await tagTransitions(context, tag, { from: instant(options.from, offset, '--from'), to: instant(options.to, offset, '--to', true) });
    if (options.json) return JSON.stringify(transitionsToJson(found), null, 2);
    return formatTransitions(found, cliMessages(options.locale), offset, await catalogWords(context, options.locale ?? 'en'));
  } finally {
    await store.close();
  }
}

/** The first column left-aligned (names), the rest right-aligned (counts). */
const table = (rows: readonly string[][]) => terminalTable(rows, (column) => column > 0);

/** A count of customers in a table, its digits grouped as the messages group them. */
const count = (value: number) => value.toLocaleString('en');

/**
 * The period is printed on the workspace's clock, as `--from` and `--to` are read and the console
 * shows it: `--from 2026-11-30` starts at `2026-11-30 00:00`, not at `2026-11-29T16:00:00.000Z`.
 * A model's tag and its values read in the catalog's English words of `models` (given for an English reader).
 */
export function formatTransitions(found: TagTransitions, say: Say, utcOffsetMinutes = 0, models: readonly CatalogModel[] = []): string {
  const { tag } = found;
  const valueName = (value: { name: string; key: string }) => englishValueName(tag, value, models);
  const name = (valueId: number | null) => {
    if (valueId === null) return say('transitions.none');
    const value = tag.values.find((candidate) => candidate.id === valueId);
    return value ? valueName(value) : say('transitions.removed', { name: found.removedValues.get(valueId) ?? '?' });
  };
  const single = tag.cardinality === 'single';
  const lines = [
    say('transitions.heading', { name: englishTagName(tag, models), key: tag.key, from: localMinute(toIso(found.from), utcOffsetMinutes), to: localMinute(toIso(found.to), utcOffsetMinutes), zone: formatUtcOffset(utcOffsetMinutes) }),
    say(single ? 'transitions.totals.single' : 'transitions.totals', {
      from: found.holdersFrom,
      to: found.holdersTo,
      stayed: found.stayed ?? 0,
      moved: found.moved ?? 0,
      entered: found.entered,
      left: found.left,
    }),
    '',
    ...table([
      [say('transitions.column.value'), say('transitions.column.from'), say('transitions.column.to'), say('transitions.column.gained'), say('transitions.column.lost')],
      ...[...tag.values.map((value) => value.id), ...found.removedValues.keys()].map((valueId) => {
        const counted = found.values.get(valueId) ?? { heldFrom: 0, heldTo: 0, gained: 0, lost: 0 };
        return [name(valueId), count(counted.heldFrom), count(counted.heldTo), `+${count(counted.gained)}`, `-${count(counted.lost)}`];
      }),
    ]),
  ];
  if (single) {
    lines.push('', say('transitions.flows'));
    const moved = found.flows.filter((flow) => flow.from !== flow.to);
    lines.push(...(moved.length === 0 ? [say('transitions.noFlows')] : table(moved.map((flow) => [`${name(flow.from)} → ${name(flow.to)}`, count(flow.customers)]))));
  }
  return lines.join('\n');
}

export interface ProfileCommandOptions {
  workspace: string;
  database?: string | undefined;
  metrics: readonly string[];
  /** Only the customers of this saved segment. */
  segment?: string | undefined;
  locale?: Locale | undefined;
  /** Print what `GET /api/v1/tags/{tag}/profile` answers for the same metrics and segment, as JSON. */
  json?: boolean | undefined;
}

export async function tagProfileCommand(tag: string, options: ProfileCommandOptions): Promise<string> {
  const store = await openMigratedStore(options.database);
  try {
    const context = await openWorkspace(store, options.workspace, null, systemClock);
    const audience = indexAudience(new IndexRegistry(store, { snapshots: indexSnapshotsOn() }));
    const profile = await tagProfile(context, audience, tag, options.metrics, options.segment === undefined ? undefined : { segment: options.segment });
    if (options.json) return JSON.stringify(tagProfileToJson(profile), null, 2);
    return formatProfile(profile, cliMessages(options.locale), options.locale, await catalogWords(context, options.locale ?? 'en'));
  } finally {
    await store.close();
  }
}

const decimals = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 2 });

/** A row per value, then the tag's holders and everyone: customers, their share, and each metric's mean per customer with a value and its median and quartiles; a model's tag in the catalog's English words of `models`. */
export function formatProfile(profile: TagProfile, say: Say, locale: Locale = 'en', models: readonly CatalogModel[] = []): string {
  // A built-in metric in the reader's language, as the portrait names it; a custom one as it was named.
  const metricName = (metric: TagProfile['metrics'][number]) => (locale === 'en' && metric.name_en ? metric.name_en : metric.name);
  const population = profile.everyone.customers;
  const row = (name: string, totals: GroupTotals) => [
    name,
    totals.customers.toLocaleString('en'),
    `${population === 0 ? '0.0' : ((totals.customers / population) * 100).toFixed(1)}%`,
    ...profile.metrics.flatMap((metric) => {
      const total = totals.metrics.get(metric.key);
      if (total === undefined || total.customers === 0) return ['-', '-'];
      return [decimals(total.sum / total.customers), spread(metricSummary(total))];
    }),
  ];
  const empty: GroupTotals = { customers: 0, metrics: new Map() };
  return [
    profile.within && 'segment' in profile.within
      ? say('profile.headingWithin', { name: englishTagName(profile.tag, models), key: profile.tag.key, segment: profile.within.name })
      : say('profile.heading', { name: englishTagName(profile.tag, models), key: profile.tag.key }),
    '',
    ...table([
      [say('transitions.column.value'), say('profile.column.customers'), say('profile.column.share'), ...profile.metrics.flatMap((metric) => [say('profile.column.mean', { metric: metricName(metric) }), say('profile.column.median')])],
      ...profile.tag.values.map((value) => row(englishValueName(profile.tag, value, models), profile.values.get(value.id) ?? empty)),
      row(say('profile.holders'), profile.holders),
      row(say('profile.everyone'), profile.everyone),
    ]),
  ].join('\n');
}
