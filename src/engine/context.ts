// What every engine operation needs: the store, the workspace it acts in, who acts, and the clock.
import type { Store } from '../store/connect.js';
import type { Clock } from '../core/time.js';

/** Told after a transaction commits, so derived state (the bitmap index) follows the store. */
export interface ChangeObserver {
  customersChanged(workspaceId: number, customerIds: readonly number[]): void;
  catalogChanged(workspaceId: number): void;
}

export interface WorkspaceContext {
  store: Store;
  workspaceId: number;
  workspaceKey: string;
  /** The acting staff member; null for anonymous integrations. Owner of personal tags. */
  actor: string | null;
  now: Clock;
  observer?: ChangeObserver | undefined;
}

export function notifyCustomersChanged(context: WorkspaceContext, customerIds: Iterable<number>): void {
  const ids = [...customerIds];
  if (ids.length > 0) context.observer?.customersChanged(context.workspaceId, ids);
}

export function notifyCatalogChanged(context: WorkspaceContext): void {
  context.observer?.catalogChanged(context.workspaceId);
}

/** The name recorded in history when nobody in particular acted. */
export function actorName(context: Pick<WorkspaceContext, 'actor'>, fallback = 'api'): string {
  return context.actor ?? fallback;
}
