// A tag's values side by side (RFM levels, lifecycle stages): how many customers hold each, and
// what they are worth — the sum, mean, median and quartiles of chosen metrics among them —
// beside the tag's holders together and everyone. Answered by the index, so it costs what
// reading the columns and walking their value buckets costs.
import { fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { assertMaskedReads } from '../core/masked-asks.js';
import { metricValueType, type MetricDefinition } from '../core/metric.js';
import type { MetricSummary, ProfileWithin } from '../core/segment-insight.js';
import type { TagDefinition } from '../core/tag.js';
import { loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { resolveMetricKeys } from './segment-members.js';
import { compileAsked, compileSavedSegment, loadSegmentScope, type Audience, type CompiledAudience, type GroupTotals, type MetricTotal } from './segments.js';
import { getTag } from './tag-loading.js';

/** What a value's customers are compared by when no metric is named: the RFM measures. */
export const DEFAULT_PROFILE_METRICS = ['spend_365d', 'orders_365d', 'avg_order_value', 'days_since_last_order'] as const;

/** Figures to the cent: the metrics a profile adds up are money, counts and days. */
export function metricSummary(total: MetricTotal): MetricSummary {
  const cents = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  const { quantiles } = total;
  return {
    sum: cents(total.sum) ?? 0,
    mean: total.customers === 0 ? null : cents(total.sum / total.customers),
    median: cents(quantiles.median),
    p25: cents(quantiles.p25),
    p75: cents(quantiles.p75),
    customers: total.customers,
  };
}

/** At most this many metrics per profile: a table a person reads. */
export const MAX_PROFILE_METRICS = 12;

/** Whose profile: everyone, or the customers a saved segment or an expression matches. */
export type ProfileAudience = { segment: string } | { expression: string } | undefined;

export interface TagProfile {
  tag: TagDefinition;
  /** The saved segment's key or the expression the customers were narrowed to; undefined for everyone. */
  within: ProfileWithin | undefined;
  metrics: MetricDefinition[];
  /** Per value id, in the tag's order. */
  values: Map<number, GroupTotals>;
  /** Customers holding any of the tag's values. */
  holders: GroupTotals;
  /** Everyone, or everyone the segment or expression matches. */
  everyone: GroupTotals;
}

/** The saved segment or expression `audience` names, compiled, and how it is named back. */
export async function narrowing(context: WorkspaceContext, audience: NonNullable<ProfileAudience>): Promise<{ compiled: CompiledAudience; within: ProfileWithin }>;
export async function narrowing(context: WorkspaceContext, audience: ProfileAudience): Promise<{ compiled: CompiledAudience; within: ProfileWithin } | undefined>;
export async function narrowing(context: WorkspaceContext, audience: ProfileAudience): Promise<{ compiled: CompiledAudience; within: ProfileWithin } | undefined> {
  if (audience === undefined) return undefined;
  if ('segment' in audience) {
    const saved = await compileSavedSegment(context, audience.segment);
    return { compiled: { bound: saved.bound, scope: saved.scope }, within: { segment: saved.segment.key, name: saved.segment.name } };
  }
  const scope = await loadSegmentScope(context);
  return { compiled: { bound: compileAsked(context, scope, audience.expression).bound, scope }, within: { expression: audience.expression } };
}

/**
 * The number metrics named (keys or names; the RFM measures when none), each once, or a
 * VALIDATION_FAILED naming what is wrong: what a profile or a segment's insight adds up.
 */
export async function profileMetrics(context: WorkspaceContext, metricNames: readonly string[]): Promise<{ keys: string[]; metrics: MetricDefinition[] }> {
  const catalog = await loadWorkspaceCatalog(context);
  const keys = [...new Set(resolveMetricKeys(catalog, metricNames.length > 0 ? metricNames : DEFAULT_PROFILE_METRICS))];
  // One member's mean, or a median, is that member's value.
  assertMaskedReads(context.personalData, keys, catalog.metrics, 'metrics');
  if (keys.length > MAX_PROFILE_METRICS) {
    throw fieldError('query', 'metrics', localized(`at most ${MAX_PROFILE_METRICS} metrics at once`, `一次最多 ${MAX_PROFILE_METRICS} 个指标`));
  }
  const metrics = keys.map((key) => catalog.metrics.find((metric) => metric.key === key)).filter((metric) => metric !== undefined);
  const notNumbers = metrics.filter((metric) => metricValueType(metric) !== 'number');
  if (notNumbers.length > 0) {
    const names = notNumbers.map((metric) => metric.name).join('、');
    throw fieldError('query', 'metrics', localized(`only number metrics add up; not ${names}`, `只有数值指标才能汇总：${names} 不是`));
  }
  return { keys, metrics };
}

export async function tagProfile(context: WorkspaceContext, audience: Pick<Audience, 'groupTotals'>, tagKey: string, metricNames: readonly string[] = [], among?: ProfileAudience): Promise<TagProfile> {
  const tag = await getTag(context, tagKey);
  const { keys, metrics } = await profileMetrics(context, metricNames);
  const narrowed = await narrowing(context, among);
  const within = narrowed?.compiled;
  const empty: GroupTotals = { customers: 0, metrics: new Map() };
  const totals = await audience.groupTotals(context, [...tag.values.map((value) => ({ valueId: value.id })), { tagId: tag.id }, 'everyone'], keys, within);
  const values = new Map(tag.values.map((value, i) => [value.id, totals[i] ?? empty]));
  return { tag, within: narrowed?.within, metrics, values, holders: totals.at(-2) ?? empty, everyone: totals.at(-1) ?? empty };
}

function totalsToJson(group: GroupTotals, population: number) {
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, total] of group.metrics) metrics[key] = metricSummary(total);
  return { customers: group.customers, share: population === 0 ? 0 : group.customers / population, metrics };
}

/** A profile as `GET /api/v1/tags/{tag}/profile` answers it and `tagbase tag profile --json` prints it. */
export function tagProfileToJson(profile: TagProfile) {
  const population = profile.everyone.customers;
  return {
    tag: { key: profile.tag.key, name: profile.tag.name, cardinality: profile.tag.cardinality },
    within: profile.within ?? null,
    population,
    metrics: profile.metrics.map((metric) => ({ key: metric.key, name: metric.name })),
    values: profile.tag.values.map((value) => {
      const totals = profile.values.get(value.id) ?? { customers: 0, metrics: new Map() };
      return { key: value.key, name: value.name, color: value.color, ...totalsToJson(totals, population) };
    }),
    holders: totalsToJson(profile.holders, population),
    everyone: totalsToJson(profile.everyone, population),
  };
}
