// `tagbase segment insight SEGMENT`: what sets a saved segment apart, as a terminal reads it — its
// metrics beside everyone's, then the tag values it holds most over everyone (TGI); or, with
// --json, the answer of `GET /api/v1/segments/{segment}/insight`.
import type { Locale } from '../core/locale.js';
import { englishTagName, englishValueName, type CatalogModel } from '../core/models/model-words.js';
import { loadWorkspaceCatalog } from '../engine/catalog.js';
import type { MetricSummary, SegmentInsight } from '../core/segment-insight.js';
import { segmentInsight } from '../engine/segment-insight.js';
import { indexAudience } from '../index/audience.js';
import { IndexRegistry } from '../index/registry.js';
import { terminalTable } from './commander-locale.js';
import { catalogWords } from './customer.js';
import type { Say } from './messages.js';
import { inCommandWorkspace, indexSnapshotsOn } from './store-options.js';

export interface InsightCommandOptions {
  workspace: string;
  database?: string | undefined;
  metrics: readonly string[];
  top: number;
  minMembers?: number | undefined;
  json?: boolean | undefined;
  locale?: Locale | undefined;
}

export function segmentInsightCommand(segment: string, options: InsightCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const audience = indexAudience(new IndexRegistry(context.store, { snapshots: indexSnapshotsOn() }));
    const insight = await segmentInsight(context, audience, { segment }, { metrics: options.metrics, minMembers: options.minMembers });
    if (options.json) return JSON.stringify(insight, null, 2);
    const locale = options.locale ?? 'en';
    // A built-in metric in the reader's language, as the portrait and a tag profile name it.
    const english = new Map(locale === 'en' ? (await loadWorkspaceCatalog(context)).metrics.flatMap((metric) => (metric.name_en ? [[metric.key, metric.name_en] as const] : [])) : []);
    return formatInsight(insight, say, options.top, await catalogWords(context, locale), (key, name) => english.get(key) ?? name);
  });
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const decimals = (value: number | null) => (value === null ? '-' : value.toLocaleString('en', { maximumFractionDigits: 2 }));
/** The median, then the quartiles around it: `2.5 (1.75–3.25)`; `-` when nobody has a value. */
export const spread = (summary: Pick<MetricSummary, 'median' | 'p25' | 'p75'>) =>
  summary.median === null ? '-' : `${decimals(summary.median)} (${decimals(summary.p25)}–${decimals(summary.p75)})`;
/** Figures to the right, the first `words` columns (names) to the left. */
const table = (rows: readonly string[][], words = 1) => terminalTable(rows, (column) => column >= words);

/**
 * The heading, the metrics of the members and of everyone (means, medians and quartiles), then the `top` values with the
 * highest TGI above 100 among those at least `min_members` members hold, in any tag.
 */
export function formatInsight(insight: SegmentInsight, say: Say, top: number, models: readonly CatalogModel[] = [], metricName: (key: string, name: string) => string = (_key, name) => name): string {
  const { within } = insight;
  const named = 'segment' in within ? { name: within.name, key: within.segment } : { name: within.expression, key: '' };
  const lines = [say('insight.heading', { ...named, members: insight.members, population: insight.population, share: insight.population === 0 ? '0.0' : ((insight.members / insight.population) * 100).toFixed(1) })];
  if (insight.metrics.length > 0) {
    const header = [say('insight.column.metric'), say('insight.column.membersMean'), say('insight.column.membersMedian'), say('insight.column.everyoneMean'), say('insight.column.everyoneMedian')];
    lines.push('', ...table([header, ...insight.metrics.map((metric) => [metricName(metric.key, metric.name), decimals(metric.members.mean), spread(metric.members), decimals(metric.everyone.mean), spread(metric.everyone)])]));
  }
  const least = Math.max(insight.min_members, 1);
  const over = insight.tags
    .flatMap((tag) => tag.values.map((value) => ({ tag, value })))
    .filter(({ value }) => value.tgi !== null && value.tgi > 100 && value.members >= least)
    .sort((a, b) => (b.value.tgi ?? 0) - (a.value.tgi ?? 0) || b.value.members - a.value.members)
    .slice(0, top);
  lines.push('');
  if (insight.members === 0) {
    lines.push(say('insight.empty'));
  } else if (over.length === 0) {
    lines.push(say('insight.noneOver', { least }));
  } else {
    lines.push(
      say('insight.over', { least }),
      ...table([
        [say('insight.column.tag'), say('insight.column.value'), say('insight.column.members'), say('insight.column.share'), say('insight.column.everyone'), 'TGI'],
        ...over.map(({ tag, value }) => [englishTagName(tag, models), englishValueName(tag, value, models), value.members.toLocaleString('en'), percent(value.share), percent(value.population_share), String(value.tgi)]),
      ], 2),
    );
  }
  return lines.join('\n');
}
