// The workspace catalog and the engine state compiled from it (metric plan, rule set), kept
// between requests. Loading and compiling them costs more than the rest of a small ingest
// batch or a portrait read, and they change only when the library is edited.
//
// Staying current: every catalog change is written through `writeCatalog`, which logs a
// 'catalog' or 'library' row in the change log in the same transaction and drops this
// process's entries. Before each use the
// entry reads the log past the position it was loaded at (an indexed range of a few rows), so
// a change made by another process is seen by the next use after it was logged — the same
// contract as the bitmap index. Saved segments are the exception: they are edited without a
// catalog notice, so the rule path compares their stored expressions on every use.
//
// Never use a cached state inside a transaction that edits the catalog itself: the entry
// reflects committed rows only. Those paths call `loadEngineState` directly.
import type { Kysely, Transaction } from 'kysely';
import type { MetricPlan } from '../core/metric-compute.js';
import type { Store } from '../store/connect.js';
import { reusableQuery } from '../store/reusable-query.js';
import type { Database } from '../store/schema.js';
import { loadWorkspaceCatalog, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';
import { loadMetricPlanFor } from './metrics.js';
import { compileRules, type RuleSet } from './rules.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Everything the engine needs to derive metrics and rule tags for one workspace. */
export interface EngineState {
  catalog: WorkspaceCatalog;
  plan: MetricPlan;
  rules: RuleSet;
}

interface Entry {
  catalog: WorkspaceCatalog;
  /** Compiled on first use by the rule path; portraits need the catalog only. */
  engine: EngineState | undefined;
  /** The in-process generation of the workspace the entry was loaded at. */
  generation: number;
  /** Change log id up to which every catalog change is reflected in the entry. */
  logPosition: number;
  polledAt: number;
}

/**
 * An entry not checked against the log for this long may have missed pruned rows: reload it.
 * Half of `CHANGE_LOG_RETENTION_MS`, written out because context.ts imports this module.
 */
const MAX_POLL_GAP_MS = 12 * 3_600_000;

// Keyed by the Store object, not by the database: two stores on one file are two processes'
// worth of caches, each kept current only through the change log.
const entries = new WeakMap<Store, Map<string, Entry>>();
const generations = new WeakMap<Store, Map<number, number>>();

function generationOf(store: Store, workspaceId: number): number {
  return generations.get(store)?.get(workspaceId) ?? 0;
}

/** Called by `writeCatalog` around a catalog change made in this process. */
export function catalogChangedInProcess(store: Store, workspaceId: number): void {
  let byWorkspace = generations.get(store);
  if (!byWorkspace) {
    byWorkspace = new Map();
    generations.set(store, byWorkspace);
  }
  byWorkspace.set(workspaceId, generationOf(store, workspaceId) + 1);
}

// Tag visibility depends on the actor (personal tags), so the catalog does too.
function entryKey(context: WorkspaceContext): string {
  return `${context.workspaceId}\u0000${context.actor ?? ''}`;
}

function entriesOf(store: Store): Map<string, Entry> {
  let map = entries.get(store);
  if (!map) {
    map = new Map();
    entries.set(store, map);
  }
  return map;
}

/**
 * Whether the entry still holds: no in-process change, and no catalog row logged past its
 * position. `logHead` is the log's last id as the caller has just read it, when it has: an
 * entry that reflects the log that far needs no read of its own. The poll time is left as it
 * was then, so that the log is still read at least every MAX_POLL_GAP_MS.
 */
async function stillCurrent(context: WorkspaceContext, db: Db, entry: Entry, logHead?: number | null): Promise<boolean> {
  const polledAt = Date.now();
  if (entry.generation !== generationOf(context.store, context.workspaceId)) return false;
  if (polledAt - entry.polledAt > MAX_POLL_GAP_MS) return false;
  if (logHead !== undefined && Number(logHead ?? 0) <= entry.logPosition) return true;
  const [row] = await changesSince(context.store, { workspaceId: context.workspaceId, position: entry.logPosition }, db);
  if (row?.catalog !== null && row?.catalog !== undefined) return false;
  entry.polledAt = polledAt;
  if (row?.last !== null && row?.last !== undefined) entry.logPosition = Math.max(entry.logPosition, Number(row.last));
  return true;
}

// Read before every use of an entry, so compiled once: building it cost more than running it.
const changesSince = reusableQuery<{ workspaceId: number; position: number }, { last: number | null; catalog: number | null }>(['workspaceId', 'position'], (store, values) =>
  store.db
    .selectFrom('changes')
    .select((eb) => [eb.fn.max('id').as('last'), eb.fn.max(eb.case().when('kind', 'in', ['catalog', 'library']).then(eb.ref('id')).end()).as('catalog')])
    .where('workspace_id', '=', values.workspaceId)
    .where('id', '>', values.position),
);

async function load(context: WorkspaceContext, db: Db): Promise<Entry> {
  const generation = generationOf(context.store, context.workspaceId);
  const polledAt = Date.now();
  // Read before the catalog: a change logged while it loads is read again at the next use.
  const last = await db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', context.workspaceId).executeTakeFirst();
  const catalog = await loadWorkspaceCatalog(context, db);
  const entry: Entry = { catalog, engine: undefined, generation, logPosition: Number(last?.id ?? 0), polledAt };
  entriesOf(context.store).set(entryKey(context), entry);
  return entry;
}

async function currentEntry(context: WorkspaceContext, db: Db, logHead?: number | null): Promise<Entry> {
  const entry = entriesOf(context.store).get(entryKey(context));
  if (entry && (await stillCurrent(context, db, entry, logHead))) return entry;
  return load(context, db);
}

/**
 * The workspace catalog as committed, for readers that do not evaluate rules (portraits).
 * `logHead`: the change log's last id, read by the caller's own statement just before (a
 * portrait reads it with the customer, where a statement of its own cost half as much as the
 * portrait).
 */
export async function cachedCatalog(context: WorkspaceContext, logHead?: number | null): Promise<WorkspaceCatalog> {
  return (await currentEntry(context, context.store.db, logHead)).catalog;
}

function sameSegments(catalog: WorkspaceCatalog, rows: readonly { key: string; name: string; expression: string }[]): boolean {
  if (rows.length !== catalog.segments.size) return false;
  return rows.every((row) => {
    const cached = catalog.segments.get(row.key);
    return cached !== undefined && cached.name === row.name && cached.expression === row.expression;
  });
}

/** The compiled engine state for ingest and customer upserts, compiled once per catalog. */
export async function cachedEngineState(context: WorkspaceContext, db: Db): Promise<EngineState> {
  let entry = await currentEntry(context, db);
  const segmentRows = await db.selectFrom('segments').select(['key', 'name', 'expression']).where('workspace_id', '=', context.workspaceId).execute();
  if (!sameSegments(entry.catalog, segmentRows)) entry = await load(context, db);
  if (!entry.engine) entry.engine = compileEngineState(entry.catalog);
  return entry.engine;
}

export function compileEngineState(catalog: WorkspaceCatalog): EngineState {
  return { catalog, plan: loadMetricPlanFor(catalog.metrics), rules: compileRules(catalog) };
}

/** Drops what this process compiled for a workspace that was deleted. */
export function forgetWorkspaceInProcess(store: Store, workspaceId: number): void {
  const map = entries.get(store);
  if (map) for (const key of [...map.keys()]) if (key.startsWith(`${workspaceId}\u0000`)) map.delete(key);
  catalogChangedInProcess(store, workspaceId);
}

/** Drops every entry of the store (tests; a process that wants to start afresh). */
export function clearEngineCache(store: Store): void {
  entries.delete(store);
}
