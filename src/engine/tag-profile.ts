// A tag's values side by side (RFM levels, lifecycle stages): how many customers hold each, and
// what they are worth — the sum and mean of chosen metrics among them — beside the tag's holders
// together and everyone. Answered by the index, so it costs what reading the columns costs.
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { metricValueType, type MetricDefinition } from '../core/metric.js';
import type { TagDefinition } from '../core/tag.js';
import { loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { resolveMetricKeys } from './segment-members.js';
import type { Audience, GroupTotals } from './segments.js';
import { getTag } from './tag-loading.js';

/** What a value's customers are compared by when no metric is named: the RFM measures. */
export const DEFAULT_PROFILE_METRICS = ['spend_365d', 'orders_365d', 'avg_order_value', 'days_since_last_order'] as const;

/** At most this many metrics per profile: a table a person reads. */
export const MAX_PROFILE_METRICS = 12;

export interface TagProfile {
  tag: TagDefinition;
  metrics: MetricDefinition[];
  /** Per value id, in the tag's order. */
  values: Map<number, GroupTotals>;
  /** Customers holding any of the tag's values. */
  holders: GroupTotals;
  everyone: GroupTotals;
}

export async function tagProfile(context: WorkspaceContext, audience: Audience, tagKey: string, metricNames: readonly string[] = []): Promise<TagProfile> {
  const tag = await getTag(context, tagKey);
  const catalog = await loadWorkspaceCatalog(context);
  const keys = [...new Set(resolveMetricKeys(catalog, metricNames.length > 0 ? metricNames : DEFAULT_PROFILE_METRICS))];
  if (keys.length > MAX_PROFILE_METRICS) {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`at most ${MAX_PROFILE_METRICS} metrics at once`, `一次最多 ${MAX_PROFILE_METRICS} 个指标`) });
  }
  const metrics = keys.map((key) => catalog.metrics.find((metric) => metric.key === key)).filter((metric) => metric !== undefined);
  const notNumbers = metrics.filter((metric) => metricValueType(metric) !== 'number');
  if (notNumbers.length > 0) {
    const names = notNumbers.map((metric) => metric.name).join('、');
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`only number metrics add up; not ${names}`, `只有数值指标才能汇总：${names} 不是`) });
  }
  const [values, holders, everyone] = await Promise.all([
    Promise.all(tag.values.map(async (value) => [value.id, await audience.groupTotals(context, { valueId: value.id }, keys)] as const)),
    audience.groupTotals(context, { tagId: tag.id }, keys),
    audience.groupTotals(context, 'everyone', keys),
  ]);
  return { tag, metrics, values: new Map(values), holders, everyone };
}
