// What sets a segment apart: a saved segment's insight, or the expression being built's.
import { useApiQuery } from '../../app/hooks/useApiQuery';

export interface InsightValueJson {
  key: string;
  name: string;
  color: string | null;
  members: number;
  share: number;
  population_share: number;
  tgi: number | null;
}

export interface InsightTagJson {
  key: string;
  name: string;
  group: string | null;
  values: InsightValueJson[];
}

export interface InsightMetricSide {
  customers: number;
  sum: number;
  mean: number | null;
  median: number | null;
  p25: number | null;
  p75: number | null;
}

export interface SegmentInsightJson {
  within: { segment: string; name: string } | { expression: string };
  members: number;
  population: number;
  min_members: number;
  tags: InsightTagJson[];
  metrics: { key: string; name: string; members: InsightMetricSide; everyone: InsightMetricSide }[];
}

/** A saved segment by key, or an expression. */
export type InsightTarget = { segment: string; name: string } | { expression: string };

export function useSegmentInsight(target: InsightTarget) {
  return useApiQuery<SegmentInsightJson>('segment' in target ? `/segments/${encodeURIComponent(target.segment)}/insight` : '/segments/insight', 'segment' in target ? 'GET' : 'POST', 'segment' in target ? undefined : { expression: target.expression });
}

/** Whether a value stands out: held more than by everyone, by enough members to mean something. */
export function overIndexes(value: InsightValueJson, minMembers: number): boolean {
  return value.tgi !== null && value.tgi > 100 && value.members >= Math.max(minMembers, 1);
}
