// The demo's saved segments: what a shop would watch, saved from the start of the replay so
// that each has a size on every day the replay stood still (see runDemo).
import type { WorkspaceContext } from '../../engine/context.js';
import { createSegment, listSegments, type SegmentInput } from '../../engine/segments.js';

export const DEMO_SEGMENTS: SegmentInput[] = [
  { key: 'important_value', name: '重要价值客户', description: 'RFM 八类中的重要价值客户', expression: 'RFM等级 = "重要价值客户"' },
  { key: 'drifting_away', name: '流失风险客户', description: '生命周期为衰退或流失', expression: '生命周期 in ("衰退客户", "流失客户")' },
  { key: 'active_buyers', name: '活跃买家', description: '近 90 天下过单', expression: 'last_order_at within 90 days' },
];

export async function ensureDemoSegments(context: WorkspaceContext): Promise<void> {
  const existing = new Set((await listSegments(context)).map((segment) => segment.key));
  for (const segment of DEMO_SEGMENTS) if (!existing.has(segment.key)) await createSegment(context, segment);
}
