// What every engine operation needs: the store, the workspace it acts in, who acts, and the clock.
import { sql, type Transaction } from 'kysely';
import type { Store } from '../store/connect.js';
import type { ChangeKind, Database } from '../store/schema.js';
import type { WorkspaceCatalog } from './catalog.js';
import type { RuleSet } from './rules.js';
import type { Clock } from '../core/time.js';
import type { PersonalDataView } from '../core/access.js';
import { catalogChangedInProcess } from './engine-cache.js';
import { WORKSPACE_WRITE_LOCK } from '../store/advisory-locks.js';

/** Told after a transaction commits, so derived state (the bitmap index) follows the store. */
export interface ChangeObserver {
  customersChanged(workspaceId: number, customerIds: readonly number[]): void;
  catalogChanged(workspaceId: number): void;
  /** A tag nobody held was deleted: what is derived from customers drops it, with its values, and stands otherwise. */
  tagDeleted?(workspaceId: number, tagId: number, valueIds: readonly number[]): void;
}

export interface WorkspaceContext {
  store: Store;
  workspaceId: number;
  workspaceKey: string;
  /** The acting staff member; null for anonymous integrations. Owner of personal tags. */
  actor: string | null;
  /**
   * What to record as who acted when nobody is named: `console` for someone at the web console
   * who left the name empty (while no token is asked for), rather than `api`.
   */
  unnamedActor?: string | undefined;
  now: Clock;
  /** How personal identifiers (phone numbers, e-mail addresses) are shown to whoever acts; whole when not given. */
  personalData?: PersonalDataView | undefined;
  observer?: ChangeObserver | undefined;
  /** When an index is at hand: which customers a pass of the rules needs to evaluate. */
  ruleCandidates?: RuleCandidateFinder | undefined;
  /**
   * Where a saved rule's pass over everyone goes on after its first batch (the server's
   * background); without one, the save runs the whole pass before it returns.
   */
  rulePasses?: RulePassRunner | undefined;
  /**
   * Told after each batch of a rule's pass over everyone that runs here (the CLI's progress
   * bars), with the tag by id: staff members' personal tags may share a key.
   */
  rulePassProgress?: ((tag: { id: number; key: string; owner: string | null }, done: number, total: number) => void) | undefined;
}

export interface RulePassRunner {
  /** Customers in the batch the save runs itself; `RULE_PASS_BATCH` when not given. */
  firstBatchSize?: number | undefined;
  /** Customers per transaction after it; `RULE_PASS_BATCH` when not given. */
  batchSize?: number | undefined;
  /** Runs `work` on its own, after the caller has returned; `signal` aborts when the process stops. */
  start(work: (signal: AbortSignal) => Promise<unknown>): void;
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

/** Customers a write changed; what is added before its transaction commits is logged in that commit. */
export type ChangedCustomers = Set<number>;

/**
 * Runs `work` in one transaction and writes the change-log entry for the customers it adds to
 * `changed` in that same transaction, so that no crash can commit a change that indexes in
 * other processes (the CLI beside a running server, several servers on one PostgreSQL) never
 * hear of; this process's observer is told once the transaction has committed.
 */
export async function writeCustomers<T>(context: WorkspaceContext, work: (trx: Transaction<Database>, changed: ChangedCustomers) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  const changed: ChangedCustomers = new Set();
  let logged: number | undefined;
  const result = await context.store.db.transaction().execute(async (trx) => {
    await lockWorkspaceWrites(context, trx);
    const value = await work(trx, changed);
    logged = await logCustomersChanged(context, trx, changed);
    return value;
  });
  options.committed?.(logged);
  if (changed.size > 0) context.observer?.customersChanged(context.workspaceId, [...changed]);
  return result;
}

export interface WriteOptions {
  /** Called once the transaction has committed, with the id of the change-log entry it wrote (none when it changed nobody). */
  committed?: (changeId: number | undefined) => void;
}

/** The change-log entry for these customers, written in the caller's transaction (see `writeCustomers`). */
export async function logCustomersChanged(context: WorkspaceContext, trx: Transaction<Database>, customerIds: Iterable<number>): Promise<number | undefined> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return undefined;
  if (ids.length > MAX_LOGGED_CUSTOMERS) return logChange(context, trx, 'catalog', null);
  return logChange(context, trx, 'customers', JSON.stringify(ids));
}

/**
 * What a catalog change touches. `definitions`: names, colours, order, rules and other parts of
 * the library that no customer's stored data depends on (whatever they change in assignments
 * is reported as customer changes); compiled catalogs are dropped, indexes are kept. `all`:
 * what the index is built from may have changed (fields, metrics, models, a full recompute),
 * so every index is rebuilt.
 */
export type CatalogChange = 'definitions' | 'all';

/**
 * Runs a write to the catalog and its change-log entry in one transaction, then drops this
 * process's compiled catalog (also before: nothing here reuses the old one meanwhile) and,
 * for `all`, tells the observer.
 */
export async function writeCatalog<T>(context: WorkspaceContext, change: CatalogChange, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  catalogChangedInProcess(context.store, context.workspaceId);
  const result = await context.store.db.transaction().execute(async (trx) => {
    await lockWorkspaceWrites(context, trx);
    const value = await work(trx);
    await logCatalogChanged(context, trx, change);
    return value;
  });
  catalogChangeCommitted(context, change);
  return result;
}

/** A catalog change with nothing else to write (a recompute that rewrote what the index is built from). */
export async function notifyCatalogChanged(context: WorkspaceContext, change: CatalogChange = 'all'): Promise<void> {
  await writeCatalog(context, change, async () => {});
}

/** The catalog-change entry, in the caller's transaction; `catalogChangeCommitted` once that has committed. */
export async function logCatalogChanged(context: WorkspaceContext, trx: Transaction<Database>, change: CatalogChange): Promise<void> {
  await logChange(context, trx, change === 'all' ? 'catalog' : 'library', null);
}

export function catalogChangeCommitted(context: WorkspaceContext, change: CatalogChange): void {
  catalogChangedInProcess(context.store, context.workspaceId);
  if (change === 'all') context.observer?.catalogChanged(context.workspaceId);
}

/**
 * The change-log entry for a deleted tag, in the caller's transaction (which also logs the
 * library change): every index drops the tag and its values rather than rebuilding.
 * `tagDeletedCommitted` once that has committed.
 */
export async function logTagDeleted(context: WorkspaceContext, trx: Transaction<Database>, tagId: number, valueIds: readonly number[]): Promise<void> {
  await logChange(context, trx, 'tag_deleted', JSON.stringify([tagId, ...valueIds]));
}

export function tagDeletedCommitted(context: WorkspaceContext, tagId: number, valueIds: readonly number[]): void {
  context.observer?.tagDeleted?.(context.workspaceId, tagId, valueIds);
}


/**
 * On PostgreSQL, waits until no other transaction writes the workspace's customers or catalog,
 * and holds that until this one ends: what SQLite's one writer gives by itself. A write derives
 * metrics and tags from what it reads in its own transaction, so two at once could each miss
 * the other's events: at READ COMMITTED, two concurrent batches for one customer each computed
 * its metrics from its own events only, and the later commit stored values that missed the
 * other batch's. Taken first, before any row lock, so that every writer takes locks in one order.
 */
export async function lockWorkspaceWrites(context: WorkspaceContext, trx: Transaction<Database>): Promise<void> {
  if (context.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${WORKSPACE_WRITE_LOCK}, ${context.workspaceId})`.execute(trx);
}

async function logChange(context: WorkspaceContext, trx: Transaction<Database>, kind: ChangeKind, customerIds: string | null): Promise<number> {
  // Readers remember the highest id they have read. On PostgreSQL an id is drawn at insert and
  // transactions commit in any order, so a reader could read id 11 and never see id 10 committed
  // after it; holding the workspace's write lock from the insert to the commit makes its entries
  // commit in id order (a transaction that took it at its start already holds it).
  await lockWorkspaceWrites(context, trx);
  const row = await trx.insertInto('changes').values({ workspace_id: context.workspaceId, kind, customer_ids: customerIds, at: Date.now() }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The name recorded in history when nobody in particular acted: `fallback` when given, else who the context says an unnamed user is. */
export function actorName(context: Pick<WorkspaceContext, 'actor' | 'unnamedActor'>, fallback?: string): string {
  return context.actor ?? fallback ?? context.unnamedActor ?? 'api';
}
