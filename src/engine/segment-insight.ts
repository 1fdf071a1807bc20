// A segment's insight (人群洞察): what sets its customers apart. Every tag the caller may see,
// each value's share among the segment's members against its share of everyone (TGI), the tags
// ranked by how far their values stand from everyone's, and the segment's metrics beside
// everyone's. Answered by the index: a count of an intersection per value, no customer read.
import type { MetricDefinition } from '../core/metric.js';
import type { InsightTag, InsightValue, MetricSummary, SegmentInsight } from '../core/segment-insight.js';
import { NO_QUANTILES } from '../core/quantiles.js';
import type { TagDefinition } from '../core/tag.js';
import type { WorkspaceContext } from './context.js';
import { listTagGroups } from './library.js';
import type { Audience, GroupTotals } from './segments.js';
import { metricSummary, narrowing, profileMetrics } from './tag-profile.js';
import { loadTags } from './tag-loading.js';

/** A value held by fewer of the segment's members than this does not rank its tag (still listed): one customer of three is no trait. */
export const DEFAULT_MIN_MEMBERS = 5;

export interface InsightOptions {
  /** Metric keys or names; the tag profile's defaults when empty. */
  metrics?: readonly string[] | undefined;
  minMembers?: number | undefined;
}

function summary(totals: GroupTotals, key: string): MetricSummary {
  return metricSummary(totals.metrics.get(key) ?? { sum: 0, customers: 0, quantiles: NO_QUANTILES });
}

/**
 * How far a tag's values stand from everyone's: the largest |TGI − 100| among the values that
 * enough members hold; undefined when none does (such tags come last).
 */
export function distinctiveness(values: readonly InsightValue[], minMembers: number): number | undefined {
  let most: number | undefined;
  for (const value of values) {
    if (value.tgi === null || value.members < Math.max(minMembers, 1)) continue;
    const distance = Math.abs(value.tgi - 100);
    if (most === undefined || distance > most) most = distance;
  }
  return most;
}

export async function segmentInsight(context: WorkspaceContext, audience: Pick<Audience, 'valueShares'>, among: { segment: string } | { expression: string }, options: InsightOptions = {}): Promise<SegmentInsight> {
  const minMembers = options.minMembers ?? DEFAULT_MIN_MEMBERS;
  const narrowed = await narrowing(context, among);
  // Checked after the segment: a segment that does not exist is said before a metric misspelt.
  const { keys, metrics } = await profileMetrics(context, options.metrics ?? []);
  // Active tags only (archived ones are left out), and only those the acting user may see.
  const [tags, groups] = await Promise.all([loadTags(context), listTagGroups(context)]);
  const shown = tags.filter((tag) => tag.values.length > 0);
  const valueIds = shown.flatMap((tag) => tag.values.map((value) => value.id));
  const shares = await audience.valueShares(context, valueIds, keys, narrowed.compiled);
  const members = shares.members.customers;
  const population = shares.everyone.customers;
  const groupKeys = new Map(groups.map((group) => [group.id, group.key]));
  let next = 0;
  const ranked = shown.map((tag, order) => {
    const values = tag.values.map((value): InsightValue => {
      const counted = shares.values[next++] ?? { members: 0, holders: 0 };
      const share = members === 0 ? 0 : counted.members / members;
      const populationShare = population === 0 ? 0 : counted.holders / population;
      return {
        key: value.key,
        name: value.name,
        color: value.color,
        members: counted.members,
        share,
        population_share: populationShare,
        tgi: members === 0 || populationShare === 0 ? null : Math.round((100 * share) / populationShare),
      };
    });
    return { tag: insightTag(tag, groupKeys, values), score: distinctiveness(values, minMembers), order };
  });
  ranked.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.order - b.order);
  return {
    within: narrowed.within,
    members,
    population,
    min_members: minMembers,
    tags: ranked.map((entry) => entry.tag),
    metrics: metrics.map((metric: MetricDefinition) => ({ key: metric.key, name: metric.name, members: summary(shares.members, metric.key), everyone: summary(shares.everyone, metric.key) })),
  };
}

function insightTag(tag: TagDefinition, groupKeys: Map<number, string>, values: InsightValue[]): InsightTag {
  return { key: tag.key, name: tag.name, group: tag.groupId === null ? null : (groupKeys.get(tag.groupId) ?? null), values };
}
