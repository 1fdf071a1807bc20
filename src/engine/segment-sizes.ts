// How saved segments grow and shrink: each one's size is recorded once a day (by the scheduler,
// from the index), so that a trend can be drawn for any segment without keeping its members.
// The day is the workspace's calendar day. A day the server did not run has no size; a segment
// edited keeps the sizes recorded under its earlier expression.
import { fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { addDays, calendarDate } from '../core/expression/time-window.js';
import type { WorkspaceContext } from './context.js';
import { workspaceUtcOffset } from './metrics.js';
import { compileAudience, loadSegmentScope, readableAudience, segmentRow, type Audience, type SegmentScope } from './segments.js';

/** The longest trend asked for at once. */
export const MAX_SIZE_DAYS = 366;

export interface SegmentSizePoint {
  /** YYYY-MM-DD in the workspace's calendar. */
  day: string;
  members: number;
  /** Every live customer of the workspace that day. */
  population: number;
  /** False for today's size when it has not been recorded yet: counted for this answer. */
  recorded: boolean;
}

async function todayOf(context: WorkspaceContext): Promise<string> {
  return calendarDate(context.now().getTime(), await workspaceUtcOffset(context));
}

/** The expression that reads a saved segment as counts read it. */
const savedSegment = (key: string) => `segment(${JSON.stringify(key)})`;

/** A saved segment's size now, for the day's record; undefined for one that no longer reads (a tag it names, or a segment it reads through, archived). */
async function countSaved(context: WorkspaceContext, audience: Audience, scope: SegmentScope, key: string): Promise<number | undefined> {
  const bound = readableAudience(scope, savedSegment(key));
  return bound === undefined ? undefined : audience.count(context, bound, scope);
}

/**
 * Records today's size of every saved segment that has none yet, and returns how many it
 * recorded. The scheduler calls it every minute: when every segment has today's, it reads the
 * segments, the workspace's offset and today's rows, and compiles nothing.
 */
export async function recordSegmentSizes(context: WorkspaceContext, audience: Audience): Promise<number> {
  const db = context.store.db;
  const segments = await db.selectFrom('segments').select(['id', 'key']).where('workspace_id', '=', context.workspaceId).execute();
  if (segments.length === 0) return 0;
  const today = await todayOf(context);
  const recorded = await db.selectFrom('segment_sizes').select('segment_id').where('workspace_id', '=', context.workspaceId).where('day', '=', today).execute();
  const done = new Set(recorded.map((row) => row.segment_id));
  const missing = segments.filter((segment) => !done.has(segment.id));
  if (missing.length === 0) return 0;
  const scope = await loadSegmentScope(context);
  const population = await audience.population(context);
  const recordedAt = context.now().getTime();
  const rows = [];
  for (const segment of missing) {
    // One that no longer reads has no size that day rather than a size of nobody; the others are recorded all the same.
    const members = await countSaved(context, audience, scope, segment.key);
    if (members !== undefined) rows.push({ workspace_id: context.workspaceId, segment_id: segment.id, day: today, members, population, recorded_at: recordedAt });
  }
  if (rows.length === 0) return 0;
  // Another process may have recorded the same day meanwhile: its size stands.
  await db
    .insertInto('segment_sizes')
    .values(rows)
    .onConflict((oc) => oc.columns(['segment_id', 'day']).doNothing())
    .execute();
  return rows.length;
}

/**
 * A saved segment's sizes over the last `days` days (today included), oldest first. Today's
 * is counted now when it has not been recorded yet, so a segment saved today has a point.
 */
export async function segmentSizeHistory(context: WorkspaceContext, audience: Audience, keyOrName: string, days: number): Promise<{ segment: string; items: SegmentSizePoint[] }> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_SIZE_DAYS) {
    throw fieldError('query', 'days', localized(`days is a whole number from 1 to ${MAX_SIZE_DAYS}`, `days 须为 1 到 ${MAX_SIZE_DAYS} 之间的整数`));
  }
  const row = await segmentRow(context, keyOrName);
  const today = await todayOf(context);
  const rows = await context.store.db
    .selectFrom('segment_sizes')
    .select(['day', 'members', 'population'])
    .where('segment_id', '=', row.id)
    .where('day', '>', addDays(today, -days))
    .where('day', '<=', today)
    .orderBy('day')
    .execute();
  const items: SegmentSizePoint[] = rows.map((size) => ({ day: size.day, members: Number(size.members), population: Number(size.population), recorded: true }));
  if (items.at(-1)?.day !== today) {
    // Counted as any count is, refused when the segment no longer reads: its own expression
    // compiled, as for its members, so that the problem's errors[] are placed in it.
    const scope = await loadSegmentScope(context);
    items.push({ day: today, members: await audience.count(context, compileAudience(scope, row.expression).bound, scope), population: await audience.population(context), recorded: false });
  }
  return { segment: row.key, items };
}
