// What every engine operation needs: the store, the workspace it acts in, who acts, and the clock.
import type { Store } from '../store/connect.js';
import type { ChangeKind } from '../store/schema.js';
import type { WorkspaceCatalog } from './catalog.js';
import type { RuleSet } from './rules.js';
import type { Clock } from '../core/time.js';
import { catalogChangedInProcess } from './engine-cache.js';

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
  /** When an index is at hand: which customers a pass of the rules needs to evaluate. */
  ruleCandidates?: RuleCandidateFinder | undefined;
}

/**
 * Every customer whose rule tags a pass of `rules` could change — a superset, found from the
 * bitmap index — so that a pass over the whole workspace evaluates only those exactly.
 */
export type RuleCandidateFinder = (context: WorkspaceContext, rules: RuleSet, catalog: WorkspaceCatalog) => Promise<number[]>;

/** How long the change log keeps an entry; a reader that has not read it for half of that rebuilds. */
export const CHANGE_LOG_RETENTION_MS = 24 * 3_600_000;

/** Past this many customers a change is logged as a catalog change: every reader rebuilds. */
const MAX_LOGGED_CUSTOMERS = 10_000;

/**
 * Records a committed change in the change log, which indexes in other processes (the CLI
 * beside a running server, several servers on one PostgreSQL) read to stay in step, and tells
 * this process's observer at once.
 */
export async function notifyCustomersChanged(context: WorkspaceContext, customerIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  if (ids.length > MAX_LOGGED_CUSTOMERS) {
    await logChange(context, 'catalog', null);
  } else {
    await logChange(context, 'customers', JSON.stringify(ids));
  }
  context.observer?.customersChanged(context.workspaceId, ids);
}

/**
 * What a catalog change touches. `definitions`: names, colours, order, rules and other parts of
 * the library that no customer's stored data depends on (whatever they change in assignments
 * is reported as customer changes); compiled catalogs are dropped, indexes are kept. `all`:
 * what the index is built from may have changed (fields, metrics, models, a full recompute),
 * so every index is rebuilt.
 */
export type CatalogChange = 'definitions' | 'all';

export async function notifyCatalogChanged(context: WorkspaceContext, change: CatalogChange = 'all'): Promise<void> {
  // Before the log write, so that nothing in this process reuses the old catalog meanwhile.
  catalogChangedInProcess(context.store, context.workspaceId);
  await logChange(context, change === 'all' ? 'catalog' : 'library', null);
  if (change === 'all') context.observer?.catalogChanged(context.workspaceId);
}

async function logChange(context: WorkspaceContext, kind: ChangeKind, customerIds: string | null): Promise<void> {
  await context.store.db.insertInto('changes').values({ workspace_id: context.workspaceId, kind, customer_ids: customerIds, at: Date.now() }).execute();
}

/** The name recorded in history when nobody in particular acted. */
export function actorName(context: Pick<WorkspaceContext, 'actor'>, fallback = 'api'): string {
  return context.actor ?? fallback;
}
