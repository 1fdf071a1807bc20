// Workspaces being filled by a long job in this process (the demo store's replay): the
// scheduler leaves them out of its rounds until the job ends. The job ticks them itself at each
// of its checkpoints; a round of the scheduler in between would record the day's segment sizes,
// or bring care reminders due, over half the customers.
import type { Store } from '../store/connect.js';

const loading = new WeakMap<Store, Map<number, number>>();

/** Runs `work` with the workspace left out of the scheduler's rounds in this process. */
export async function whileLoading<T>(store: Store, workspaceId: number, work: () => Promise<T>): Promise<T> {
  const jobs = loading.get(store) ?? new Map<number, number>();
  loading.set(store, jobs);
  jobs.set(workspaceId, (jobs.get(workspaceId) ?? 0) + 1);
  try {
    return await work();
  } finally {
    const left = (jobs.get(workspaceId) ?? 1) - 1;
    if (left === 0) jobs.delete(workspaceId);
    else jobs.set(workspaceId, left);
  }
}

export function isLoading(store: Store, workspaceId: number): boolean {
  return (loading.get(store)?.get(workspaceId) ?? 0) > 0;
}
