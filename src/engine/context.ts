// What every engine operation needs: the store, the workspace it acts in, who acts, and the clock.
import type { Store } from '../store/connect.js';
import type { Clock } from '../core/time.js';

export interface WorkspaceContext {
  store: Store;
  workspaceId: number;
  workspaceKey: string;
  /** The acting staff member; null for anonymous integrations. Owner of personal tags. */
  actor: string | null;
  now: Clock;
}

/** The name recorded in history when nobody in particular acted. */
export function actorName(context: Pick<WorkspaceContext, 'actor'>, fallback = 'api'): string {
  return context.actor ?? fallback;
}
