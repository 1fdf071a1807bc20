// What follows a change, inside the same transaction: events recompute the customer's
// metrics, and every rule that reads what changed is re-evaluated for that customer only.
// Committing the whole chain at once means a crash never leaves metrics and tags apart.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustomerTable, Database } from '../store/schema.js';
import { loadWorkspaceCatalog } from './catalog.js';
import { chunks } from '../store/chunks.js';
import { writeCustomers, type WorkspaceContext } from './context.js';
import { cachedEngineState, compileEngineState, type EngineState } from './engine-cache.js';
import { recomputeMetricValues, type HistorySource } from './metrics.js';
import { evaluateRuleGroups, ruleGroups } from './rule-groups.js';
import type { RuleResult, RuleTrigger } from './rules.js';

type Db = Kysely<Database> | Transaction<Database>;

export type { EngineState };

/**
 * The engine state as `db` sees it, read afresh: for transactions that may themselves have
 * edited the catalog (a removed value must not be handed straight back by its rule).
 */
export async function loadEngineState(context: WorkspaceContext, db: Db): Promise<EngineState> {
  return compileEngineState(await loadWorkspaceCatalog(context, db));
}

export interface Propagation {
  /** Customers whose stored metrics or tags changed. */
  changed: Set<number>;
  rules: RuleResult;
}

function merge(changed: Set<number>, ...more: Iterable<number>[]): Set<number> {
  for (const ids of more) for (const id of ids) changed.add(id);
  return changed;
}

/**
 * After events were stored for `customerIds` (of which `newCustomerIds` were just created);
 * `customerRows` are rows the caller has already read in this transaction, not read again;
 * `histories`, where their events come from when not from the store.
 */
export async function propagateEvents(
  context: WorkspaceContext,
  db: Db,
  customerIds: readonly number[],
  newCustomerIds: ReadonlySet<number>,
  customerRows?: ReadonlyMap<number, Selectable<CustomerTable>>,
  histories?: HistorySource,
): Promise<Propagation> {
  const state = await cachedEngineState(context, db);
  const { changes: metrics, values } = await recomputeMetricValues(context, db, customerIds, state.plan, state.catalog.utcOffsetMinutes, histories);
  const existing = customerIds.filter((id) => !newCustomerIds.has(id));
  const groups = await ruleGroups(context, db, state);
  const rules = await evaluateRuleGroups(context, db, groups, existing, { metrics }, { metrics: values, customers: customerRows });
  const fresh = await evaluateRuleGroups(context, db, groups, [...newCustomerIds], { all: true }, { metrics: values });
  return { changed: merge(new Set(metrics.keys()), rules.changedCustomers, fresh.changedCustomers, newCustomerIds), rules: sum(rules, fresh) };
}

/** After customer fields were written: new customers get their first metrics and every rule. */
export async function propagateCustomers(context: WorkspaceContext, db: Db, updated: readonly number[], created: readonly number[], fields: ReadonlySet<string>): Promise<Propagation> {
  const state = await cachedEngineState(context, db);
  const { changes: metrics, values } = await recomputeMetricValues(context, db, created, state.plan, state.catalog.utcOffsetMinutes);
  const groups = await ruleGroups(context, db, state);
  const fresh = await evaluateRuleGroups(context, db, groups, created, { all: true }, { metrics: values });
  const rules = await evaluateRuleGroups(context, db, groups, updated, { fields });
  return { changed: merge(new Set(metrics.keys()), fresh.changedCustomers, rules.changedCustomers, created), rules: sum(fresh, rules) };
}

/**
 * After tags were assigned or removed by hand (or expired): the rules that read those tags, and
 * the tags' own rules (pins may have gone). By id: a colleague's personal tag of the same key,
 * and the rules reading it, are left alone. `history` marks the rules' history rows (a bulk
 * tagging's or an undo's changes they follow).
 */
export async function propagateTags(context: WorkspaceContext, db: Db, customerIds: readonly number[], tagIds: ReadonlySet<number>, history?: RuleTrigger['history']): Promise<Propagation> {
  const state = await loadEngineState(context, db);
  const rules = await evaluateRuleGroups(context, db, await ruleGroups(context, db, state, { fresh: true }), customerIds, { tagIds, onlyTagIds: tagIds, history });
  return { changed: new Set(rules.changedCustomers), rules };
}

/** Everything for these customers: metrics from their events, then every rule. */
export async function propagateAll(context: WorkspaceContext, db: Db, customerIds: readonly number[], state?: EngineState): Promise<Propagation> {
  const engine = state ?? (await loadEngineState(context, db));
  const { changes: metrics, values } = await recomputeMetricValues(context, db, customerIds, engine.plan, engine.catalog.utcOffsetMinutes);
  const rules = await evaluateRuleGroups(context, db, await ruleGroups(context, db, engine, { fresh: state === undefined }), customerIds, { all: true }, { metrics: values });
  return { changed: merge(new Set(metrics.keys()), rules.changedCustomers), rules };
}

/**
 * Customers per transaction of a rule pass over the whole workspace. SQLite has one writer: a
 * pass in a single transaction held it for minutes at millions of customers while ingest waited.
 */
export const RULE_PASS_BATCH = 5000;

export interface RulePassOptions {
  batchSize?: number;
  /** Customers up to this id were done by an earlier run of the pass. */
  after?: number;
  /** Stops after this many batches (the rest is left to a later run, from where this one stopped). */
  maxBatches?: number;
  /**
   * Called in each batch's transaction, before its rules run, with the batch's last customer
   * id and how many of this run's customers are done once it commits; false stops the pass
   * there, writing nothing more.
   */
  beforeBatch?: (trx: Transaction<Database>, progress: BatchProgress) => Promise<boolean>;
  /** Called once each batch has committed. */
  afterBatch?: (progress: BatchProgress) => void;
}

export interface BatchProgress {
  lastId: number;
  /** This run's customers evaluated once the batch commits, of `total`. */
  done: number;
  total: number;
}

/**
 * Runs a pass of the rules over every customer it could change (the index's candidates, or
 * everyone), in id order, `batchSize` customers per transaction. Each batch reads the catalog in
 * its own transaction, so a pass follows a rule edited meanwhile; customers created meanwhile got
 * every rule when they were written. Returns how many customers' tags changed, and whether the
 * pass reached its end.
 */
export async function applyRulesInBatches(context: WorkspaceContext, trigger: RuleTrigger, options: RulePassOptions = {}): Promise<{ changed: number; finished: boolean }> {
  const after = options.after ?? 0;
  const found = (await ruleCandidatesFor(context)) ?? (await allCustomerIds(context, context.store.db));
  const ids = found.filter((id) => id > after).sort((a, b) => a - b);
  let changed = 0;
  let done = 0;
  let batches = 0;
  for (const part of chunks(ids, options.batchSize ?? RULE_PASS_BATCH)) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) return { changed, finished: false };
    batches++;
    done += part.length;
    const progress = { lastId: part[part.length - 1] ?? after, done, total: ids.length };
    const batch = await writeCustomers(context, async (trx, changedHere) => {
      if (options.beforeBatch && !(await options.beforeBatch(trx, progress))) return undefined;
      const state = await cachedEngineState(context, trx);
      for (const id of (await evaluateRuleGroups(context, trx, await ruleGroups(context, trx, state), part, trigger)).changedCustomers) changedHere.add(id);
      return changedHere.size;
    });
    if (batch === undefined) return { changed, finished: false };
    changed += batch;
    options.afterBatch?.(progress);
    // SQLite answers synchronously, so without this a pass is one chain of promises and the
    // server takes no request until it ends; between batches, requests waiting are read first.
    await nextTurn();
  }
  return { changed, finished: true };
}

/** Customer ids of the workspace, live ones only, in id order. */
export async function allCustomerIds(context: WorkspaceContext, db: Db): Promise<number[]> {
  const rows = await db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).where('merged_into', 'is', null).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/**
 * Applies the given rules (and those reading them) to every customer of the workspace, or only
 * to `candidates` when the index has told which customers a pass could change.
 */
export async function applyRulesToEveryone(context: WorkspaceContext, db: Db, trigger: RuleTrigger, candidates?: readonly number[]): Promise<Propagation> {
  const state = await loadEngineState(context, db);
  const rules = await evaluateRuleGroups(context, db, await ruleGroups(context, db, state, { fresh: true }), candidates ?? (await allCustomerIds(context, db)), trigger);
  return { changed: new Set(rules.changedCustomers), rules };
}

/**
 * The customers a pass of every rule must evaluate, when the context has an index to ask;
 * undefined otherwise (then everyone is evaluated). Asked before the pass's transaction opens:
 * the index reads the store, and on SQLite the transaction holds the only connection.
 */
export async function ruleCandidatesFor(context: WorkspaceContext): Promise<number[] | undefined> {
  if (!context.ruleCandidates) return undefined;
  const state = await loadEngineState(context, context.store.db);
  const candidates = new Set<number>();
  for (const group of await ruleGroups(context, context.store.db, state, { fresh: true })) for (const id of await context.ruleCandidates(context, group.rules, group.catalog)) candidates.add(id);
  return [...candidates].sort((a, b) => a - b);
}

function sum(a: RuleResult, b: RuleResult): RuleResult {
  return {
    changedCustomers: merge(new Set(a.changedCustomers), b.changedCustomers),
    changedTags: new Set([...a.changedTags, ...b.changedTags]),
    changedTagIds: new Set([...a.changedTagIds, ...b.changedTagIds]),
    assignmentsAdded: a.assignmentsAdded + b.assignmentsAdded,
    assignmentsRemoved: a.assignmentsRemoved + b.assignmentsRemoved,
  };
}
