// Workspaces being filled by a long job (the demo store's replay): the scheduler leaves them out
// of its rounds until the job ends. The job ticks them itself at each of its checkpoints; a round
// of the scheduler in between would record the day's segment sizes over half the customers,
// bring care reminders due, or move tags by the clock of today while the job stands in the past.
// The job may run in another process than the server (`tagbase demo` beside `tagbase serve`),
// so it is said in the store: a lease (`workspaces.loading_until`) the job renews while it
// works, and which lapses on its own if the job dies without clearing it.
import type { Store } from '../store/connect.js';

/** How long a lease lasts unless renewed: a loader that died leaves its workspace out of the rounds this long at most. */
export const LOADING_LEASE_MS = 60_000;

/** How often a running job renews its lease. */
const RENEW_EVERY_MS = LOADING_LEASE_MS / 4;

/** Jobs under way in this process, by store and workspace: the lease is cleared when the last one ends. */
const loading = new WeakMap<Store, Map<number, number>>();

/** Runs `work` with the workspace left out of the scheduler's rounds, in this process and any other on the store. */
export async function whileLoading<T>(store: Store, workspaceId: number, work: () => Promise<T>): Promise<T> {
  const jobs = loading.get(store) ?? new Map<number, number>();
  loading.set(store, jobs);
  jobs.set(workspaceId, (jobs.get(workspaceId) ?? 0) + 1);
  const renew = () => store.db.updateTable('workspaces').set({ loading_until: Date.now() + LOADING_LEASE_MS }).where('id', '=', workspaceId).execute();
  const renewing = setInterval(() => {
    // A renewal that fails (the store busy a moment) is tried again at the next; the lease lasts four of them.
    renew().catch(() => undefined);
  }, RENEW_EVERY_MS);
  renewing.unref();
  try {
    await renew();
    return await work();
  } finally {
    clearInterval(renewing);
    const left = (jobs.get(workspaceId) ?? 1) - 1;
    if (left === 0) jobs.delete(workspaceId);
    else jobs.set(workspaceId, left);
    if (left === 0) await store.db.updateTable('workspaces').set({ loading_until: null }).where('id', '=', workspaceId).execute();
  }
}

/** Whether a job holds the workspace, by the lease the scheduler read with it (`workspaces.loading_until`). */
export function isLoading(loadingUntil: number | string | null): boolean {
  return loadingUntil !== null && Number(loadingUntil) > Date.now();
}
