// Enabling a model, refreshing it and applying a template each take several transactions (a
// metric declared, everyone recomputed, thresholds, a tag created or synced). Two at once in a
// workspace tripped over each other's steps: a second `PUT /models/rfm` sent while the first was
// still recomputing failed with METRIC_EXISTS. In this process they wait their turn instead.
import type { Store } from '../store/connect.js';
import type { WorkspaceContext } from './context.js';

const queues = new WeakMap<Store, Map<number, Promise<unknown>>>();

/** Runs `work` once every setup started earlier in the context's workspace has ended. */
export async function oneSetupAtATime<T>(context: WorkspaceContext, work: () => Promise<T>): Promise<T> {
  let byWorkspace = queues.get(context.store);
  if (!byWorkspace) {
    byWorkspace = new Map();
    queues.set(context.store, byWorkspace);
  }
  const before = byWorkspace.get(context.workspaceId) ?? Promise.resolve();
  const mine = before.then(work);
  // What follows waits for this setup to end, not for it to succeed.
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  byWorkspace.set(context.workspaceId, settled);
  try {
    return await mine;
  } finally {
    if (byWorkspace.get(context.workspaceId) === settled) byWorkspace.delete(context.workspaceId);
  }
}
