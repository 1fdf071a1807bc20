// Segment changes: who entered and who left each saved segment a webhook watches. A segment is
// an expression, not a list, so nothing is written when a customer changes; instead the server
// looks at every watched segment each second, through the bitmap index, against the members it
// saw last time, and logs the difference. The log is the outbox of the `segment_changes`
// webhook topic, written under the workspace's write lock so that its ids grow in commit order,
// as the tag history's do. A customer who enters and leaves between two looks is not logged:
// what is reported is membership as the index sees it, a second apart at most.
import type { Store } from '../store/connect.js';
import { chunks, rowsPerInsert } from '../store/chunks.js';
import { lockWorkspaceWrites, type WorkspaceContext } from './context.js';
import type { BoundExpression } from '../core/expression/index.js';
import { loadSegmentScope, readableAudience, type Audience, type SegmentScope } from './segments.js';
import { workspaceGone } from './workspace-gone.js';

export interface SegmentWatchReport {
  /** Entries and exits logged. */
  logged: number;
  /** Segments looked at for the first time: their members are the starting point, not changes. */
  started: number;
  /**
   * Segments whose expression no longer compiles (it reads a tag since archived, say): not
   * looked at, their members seen kept, until the expression is mended.
   */
  broken: string[];
}

/** The workspace's webhooks with the `segment_changes` topic: the segment ids each names (none: every one) and its cursor. */
async function segmentWebhooks(context: WorkspaceContext): Promise<{ segments: number[]; cursor: number }[]> {
  const webhooks = await context.store.db.selectFrom('webhooks').select(['topics', 'segments', 'segment_cursor']).where('workspace_id', '=', context.workspaceId).execute();
  return webhooks
    .filter((webhook) => (JSON.parse(webhook.topics) as string[]).includes('segment_changes'))
    .map((webhook) => ({ segments: JSON.parse(webhook.segments) as number[], cursor: Number(webhook.segment_cursor) }));
}

/** The saved segments these webhooks watch, by id. */
async function watchedSegments(context: WorkspaceContext, webhooks: readonly { segments: number[] }[]): Promise<Map<number, string>> {
  if (webhooks.length === 0) return new Map();
  const every = webhooks.some((webhook) => webhook.segments.length === 0);
  const wanted = new Set(webhooks.flatMap((webhook) => webhook.segments));
  const segments = await context.store.db.selectFrom('segments').select(['id', 'key']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
  return new Map(segments.filter((segment) => every || wanted.has(segment.id)).map((segment) => [segment.id, segment.key]));
}

/**
 * Looks at each watched segment once and logs who entered and who left since the last look.
 * A segment looked at for the first time only records its members. A look by a process whose
 * index has read less of the change log than the last look's is dropped, so two servers on one
 * store never undo each other's view; so is one that another look overtook meanwhile.
 */
export async function watchSegments(context: WorkspaceContext, audience: Audience): Promise<SegmentWatchReport> {
  const db = context.store.db;
  const report: SegmentWatchReport = { logged: 0, started: 0, broken: [] };
  const webhooks = await segmentWebhooks(context);
  const watched = await watchedSegments(context, webhooks);
  const seen = await db.selectFrom('segment_members_seen').select(['segment_id', 'members', 'position']).where('workspace_id', '=', context.workspaceId).execute();
  // A segment no longer watched forgets its members: watched again later, it starts afresh
  // rather than reporting, as of then, changes made while nobody looked.
  const forgotten = seen.filter((row) => !watched.has(row.segment_id)).map((row) => row.segment_id);
  if (forgotten.length > 0) await db.deleteFrom('segment_members_seen').where('segment_id', 'in', forgotten).execute();
  await purgeDelivered(context, webhooks);
  if (watched.size === 0) return report;
  const scope = await loadSegmentScope(context);
  const last = new Map(seen.map((row) => [row.segment_id, row]));
  for (const [segmentId, key] of watched) {
    const before = last.get(segmentId);
    const bound = compiled(scope, key);
    if (!bound) {
      report.broken.push(key);
      continue;
    }
    const changes = await audience.membershipChanges(context, bound, scope, before ? new Uint8Array(before.members) : undefined);
    const at = context.now().getTime();
    const unmoved = changes.entered.length === 0 && changes.left.length === 0;
    if (before && (changes.position < before.position || unmoved)) continue;
    const row = { members: Buffer.from(changes.members()), member_count: changes.size, position: changes.position, seen_at: at };
    if (!before) {
      // Another process may have started it meanwhile: its members stand.
      const inserted = await db
        .insertInto('segment_members_seen')
        .values({ segment_id: segmentId, workspace_id: context.workspaceId, ...row })
        .onConflict((oc) => oc.column('segment_id').doNothing())
        .executeTakeFirst();
      report.started += Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? 1 : 0;
      continue;
    }
    report.logged += await db.transaction().execute(async (trx) => {
      await lockWorkspaceWrites(context, trx);
      const moved = await trx
        .updateTable('segment_members_seen')
        .set(row)
        .where('segment_id', '=', segmentId)
        .where('position', '=', before.position)
        .where('members', '=', before.members)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return 0;
      const entries = [...changes.entered.map((id) => [id, 1] as const), ...changes.left.map((id) => [id, 0] as const)].sort((a, b) => a[0] - b[0]);
      const rows = entries.map(([customerId, entered]) => ({ workspace_id: context.workspaceId, segment_id: segmentId, segment_key: key, customer_id: customerId, entered, at }));
      for (const part of chunks(rows, rowsPerInsert(6))) await trx.insertInto('segment_changes_log').values(part).execute();
      return rows.length;
    });
  }
  return report;
}

/**
 * The saved segment's expression compiled, or undefined when it no longer compiles, nor a segment
 * it reads: everyone would seem to have left it.
 */
function compiled(scope: SegmentScope, key: string): BoundExpression | undefined {
  const source = scope.catalog.segments.get(key)?.expression;
  return source === undefined ? undefined : readableAudience(scope, source);
}

/** Drops log entries every webhook of the topic has delivered (all of them when no webhook wants the topic). */
async function purgeDelivered(context: WorkspaceContext, webhooks: readonly { cursor: number }[]): Promise<void> {
  const db = context.store.db;
  const delivered = webhooks.length === 0 ? Infinity : Math.min(...webhooks.map((webhook) => webhook.cursor));
  // Read first: a delete of nothing still takes the store's write lock, every second.
  const oldest = await db.selectFrom('segment_changes_log').select('id').where('workspace_id', '=', context.workspaceId).orderBy('id').limit(1).executeTakeFirst();
  if (oldest === undefined || Number(oldest.id) > delivered) return;
  const query = db.deleteFrom('segment_changes_log').where('workspace_id', '=', context.workspaceId);
  await (webhooks.length === 0 ? query : query.where('id', '<=', delivered)).execute();
}

/**
 * `watchSegments` in each workspace that has a webhook, or members seen by one since deleted;
 * the rest have nothing watched and nothing to drop.
 */
export async function watchAllSegments(store: Store, audience: Audience, now: () => number, onError: ((error: unknown) => void) | undefined): Promise<void> {
  const workspaces = await store.db
    .selectFrom('workspaces')
    .select(['id', 'key'])
    // One being deleted is looked at no more: its index would be built from half its rows.
    .where('deleting', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('webhooks').select('webhooks.id').whereRef('webhooks.workspace_id', '=', 'workspaces.id')),
        eb.exists(eb.selectFrom('segment_members_seen').select('segment_members_seen.segment_id').whereRef('segment_members_seen.workspace_id', '=', 'workspaces.id')),
      ]),
    )
    .execute();
  for (const workspace of workspaces) {
    try {
      await watchSegments({ store, workspaceId: workspace.id, workspaceKey: workspace.key, actor: null, now: () => new Date(now()) }, audience);
    } catch (error) {
      // Deleted while its segments were looked at: they went with it.
      if (!(await workspaceGone(store, workspace.id))) onError?.(error);
    }
  }
}
