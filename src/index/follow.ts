// Keeps the server's indexes in step with the store in the background. Without it an index reads
// the change log only when asked for a count, so the first count after another process wrote
// (an import or `tagbase demo` beside the server, a second server on PostgreSQL) waited for the
// whole catch-up. Every few seconds this reads each workspace's change log head (one indexed
// lookup) and, when an index is behind it, catches the index up: at once for a small refresh;
// a rebuild, or a larger refresh, once the log has stood still for a poll, so a load under way
// is caught up once at its end rather than poll after poll. A workspace that appears (made by
// another process) is built once it is quiet, as the start builds every workspace; one a job
// holds (`workspaces.loading_until`, the demo's replay) is left until it is released. A read
// meanwhile still brings the index up to date itself, so it always answers as of its start.
import type { WorkspaceContext } from '../engine/context.js';
import { isLoading } from '../engine/workspaces-loading.js';
import type { Store } from '../store/connect.js';
import type { IndexRegistry } from './registry.js';
import type { WorkspaceIndexStats } from './workspace-index.js';

export interface FollowOptions {
  intervalMs: number;
  /** A workspace that appeared after the start was built. */
  onBuilt?: (workspaceId: number, stats: WorkspaceIndexStats) => void;
  /** A round failed: for one workspace (the others still had theirs), or at listing them. */
  onError?: (error: unknown, workspaceId: number | undefined) => void;
}

export interface StoreFollower {
  /** One round now (the timer's rounds and this one never overlap). */
  poll(): Promise<void>;
  /** Stops the timer and waits for a round under way. */
  stop(): Promise<void>;
}

export function followStore(registry: IndexRegistry, store: Store, options: FollowOptions): StoreFollower {
  /** Each workspace's change log head at the previous round: an unchanged one means the log is quiet. */
  const heads = new Map<number, number>();
  let stopped = false;
  let running: Promise<void> | undefined;

  const round = async (): Promise<void> => {
    const workspaces = await store.db.selectFrom('workspaces').select(['id', 'loading_until']).where('deleting', 'is', null).orderBy('id').execute();
    for (const workspace of workspaces) {
      if (stopped) return;
      const context: Pick<WorkspaceContext, 'store' | 'workspaceId'> = { store, workspaceId: workspace.id };
      try {
        const last = await store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspace.id).executeTakeFirst();
        const head = Number(last?.id ?? 0);
        const growing = heads.get(workspace.id) !== head;
        heads.set(workspace.id, head);
        if (isLoading(workspace.loading_until)) continue;
        if (!registry.has(workspace.id)) {
          if (growing) continue;
          const index = await registry.get(context);
          options.onBuilt?.(workspace.id, index.stats());
        } else if (!registry.isCurrent(workspace.id, head)) {
          await registry.catchUp(context, { growing });
        }
      } catch (error) {
        options.onError?.(error, workspace.id);
      }
    }
  };

  const poll = (): Promise<void> => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (!running) void poll().catch((error: unknown) => options.onError?.(error, undefined));
  }, options.intervalMs);
  timer.unref();

  return {
    poll,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
