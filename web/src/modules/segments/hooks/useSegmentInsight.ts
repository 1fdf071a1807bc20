// What sets a segment apart: a saved segment's insight, or the expression being built's.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { InsightValue, ProfileWithin, SegmentInsight } from '../../../../../src/core/segment-insight';

/** A saved segment by key, or an expression. */
export type InsightTarget = ProfileWithin;

export function useSegmentInsight(target: InsightTarget) {
  return useApiQuery<SegmentInsight>('segment' in target ? `/segments/${encodeURIComponent(target.segment)}/insight` : '/segments/insight', 'segment' in target ? 'GET' : 'POST', 'segment' in target ? undefined : { expression: target.expression });
}

/** Whether a value stands out: held more than by everyone, by enough members to mean something. */
export function overIndexes(value: InsightValue, minMembers: number): boolean {
  return value.tgi !== null && value.tgi > 100 && value.members >= Math.max(minMembers, 1);
}
