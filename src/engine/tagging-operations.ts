// Undoing bulk tagging. A bulk assign or removal (a list, a segment's members, a tag transition's
// customers) records, in its own transaction, what each customer it changed held of the tag
// before and after: every assignment with its source, actor, time and expiry. Undoing puts back
// what each held before, with those, for every customer who still holds what the operation left;
// one changed since (by hand, by rule, by expiry, by another operation, merged into another or
// erased), or whose earlier values the tag no longer allows (a value removed from it, a tag made
// single-valued), is left as it is and counted, so an undo never overwrites a later decision.
// The care reminders the operation started for those put back, not yet due, are withdrawn with it,
// as are those the rule tags following it started, and the undo's own changes start none, nor do
// the rule tags' following them: it puts back what was, which no care plan reacts to.
import type { Insertable, Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { formatTagLabel, isStillHeld, type TagDefinition } from '../core/tag.js';
import { toIso, toIsoOrNull } from '../core/time.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { AssignmentTable, Database } from '../store/schema.js';
import { withdrawFollowingReminders, withdrawUndoneReminders, type ReversedChange } from './care-undone.js';
import { actorName, writeCustomers, type WorkspaceContext } from './context.js';
import { insertHistory, loadTags, type HistoryRow } from './library.js';
import { propagateTags } from './propagate.js';

/** How long an operation can be undone: its before and after are dropped after that. */
export const UNDO_DAYS = 7;
const UNDO_MS = UNDO_DAYS * 86_400_000;

/** One assignment as it stood: value id, source, actor, assigned at, expires at. */
type HeldAssignment = [number, string, string, number, number | null];

/** Per changed customer: what they held of the tag before the operation, and after it. */
type OperationStates = [number, HeldAssignment[], HeldAssignment[]][];

/** Each customer's assignments of the tag, as they stand in the transaction. */
export async function heldAssignments(trx: Transaction<Database>, tagId: number, customerIds: readonly number[]): Promise<Map<number, HeldAssignment[]>> {
  const held = new Map<number, HeldAssignment[]>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const rows = await trx.selectFrom('assignments').select(['customer_id', 'value_id', 'source', 'actor', 'assigned_at', 'expires_at']).where('tag_id', '=', tagId).where('customer_id', 'in', part).execute();
    for (const row of rows) {
      const list = held.get(row.customer_id) ?? [];
      list.push([row.value_id, row.source, row.actor, Number(row.assigned_at), row.expires_at === null ? null : Number(row.expires_at)]);
      held.set(row.customer_id, list);
    }
  }
  for (const list of held.values()) list.sort((a, b) => a[0] - b[0]);
  return held;
}

/** Those of these customers still stored and not merged into another. */
async function liveCustomerIds(trx: Transaction<Database>, customerIds: readonly number[]): Promise<Set<number>> {
  const live = new Set<number>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    for (const row of await trx.selectFrom('customers').select('id').where('id', 'in', part).where('merged_into', 'is', null).execute()) live.add(row.id);
  }
  return live;
}

/**
 * Records a bulk operation that changed `before`'s customers, reading what they hold now, in the
 * operation's transaction; drops operations too old to undo. Answers its id.
 */
export async function recordTaggingOperation(
  context: WorkspaceContext,
  trx: Transaction<Database>,
  operation: { tag: TagDefinition; action: 'assign' | 'remove'; valueId: number | null; source: string; actor: string; at: number },
  before: ReadonlyMap<number, HeldAssignment[]>,
): Promise<number> {
  const after = await heldAssignments(trx, operation.tag.id, [...before.keys()]);
  const states: OperationStates = [...before].map(([customerId, held]) => [customerId, held, after.get(customerId) ?? []]);
  await trx.deleteFrom('tagging_operations').where('workspace_id', '=', context.workspaceId).where('at', '<', operation.at - UNDO_MS).execute();
  const row = await trx
    .insertInto('tagging_operations')
    .values({
      workspace_id: context.workspaceId,
      tag_id: operation.tag.id,
      action: operation.action,
      value_id: operation.valueId,
      source: operation.source,
      actor: operation.actor,
      at: operation.at,
      customers: states.length,
      states: JSON.stringify(states),
      undone_at: null,
      undone_by: null,
      undone_customers: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface TaggingOperationJson {
  id: number;
  action: 'assign' | 'remove';
  tag: string;
  tag_name: string;
  /** The value assigned or removed; null for a removal of every value of the tag. */
  value: string | null;
  value_name: string | null;
  source: string;
  actor: string;
  at: string;
  /** Customers it changed. */
  customers: number;
  undone_at: string | null;
  undone_by: string | null;
  /** Of those, how many the undo put back (the rest had changed since). */
  undone_customers: number | null;
  /** Until when it can be undone. */
  undoable_until: string;
}

/** The workspace's bulk operations of the last `UNDO_DAYS` days, newest first, on tags the actor may see; with `id`, that one alone. */
export async function listTaggingOperations(context: WorkspaceContext, options: { limit?: number; id?: number } = {}): Promise<TaggingOperationJson[]> {
  const since = context.now().getTime() - UNDO_MS;
  let query = context.store.db
    .selectFrom('tagging_operations')
    .select(['id', 'tag_id', 'action', 'value_id', 'source', 'actor', 'at', 'customers', 'undone_at', 'undone_by', 'undone_customers'])
    .where('workspace_id', '=', context.workspaceId)
    .where('at', '>=', since);
  if (options.id !== undefined) query = query.where('id', '=', options.id);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .execute();
  const tags = new Map((await loadTags(context, { includeArchived: true })).map((tag) => [tag.id, tag]));
  return rows.flatMap((row) => {
    const tag = tags.get(row.tag_id);
    if (!tag) return [];
    const value = row.value_id === null ? undefined : tag.values.find((candidate) => candidate.id === row.value_id);
    return [
      {
        id: Number(row.id),
        action: row.action as 'assign' | 'remove',
        tag: tag.key,
        tag_name: tag.name,
        value: value?.key ?? null,
        value_name: value?.name ?? null,
        source: row.source,
        actor: row.actor,
        at: toIso(Number(row.at)),
        customers: Number(row.customers),
        undone_at: toIsoOrNull(row.undone_at === null ? null : Number(row.undone_at)),
        undone_by: row.undone_by,
        undone_customers: row.undone_customers === null ? null : Number(row.undone_customers),
        undoable_until: toIso(Number(row.at) + UNDO_MS),
      },
    ];
  });
}

export interface UndoResult {
  /** Customers put back as they were before the operation. */
  undone: number;
  /** Customers who hold something else of the tag than the operation left: left as they are. */
  skipped: number;
  /** Care reminders the operation (or the rule tags following it) had started for the customers put back, not yet due, withdrawn (skipped as `undone`). */
  reminders_withdrawn: number;
  operation: TaggingOperationJson;
}

const sameHeld = (a: readonly HeldAssignment[], b: readonly HeldAssignment[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Puts back what each customer the operation changed held of its tag before it, if they still
 * hold exactly what it left, in one transaction; the history records each change by the one
 * undoing, with the restored assignment's source, and rules reading the tag follow; the care
 * reminders the operation started for those put back, directly or through the rule tags that
 * followed it, not yet due, are withdrawn.
 * An assignment whose expiry has passed since is not brought back.
 */
export async function undoTaggingOperation(context: WorkspaceContext, id: number): Promise<UndoResult> {
  const now = context.now().getTime();
  const actor = actorName(context);
  const counts = await writeCustomers(context, async (trx, changed) => {
    const operation = await trx.selectFrom('tagging_operations').selectAll().where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!operation || Number(operation.at) < now - UNDO_MS) throw new TagbaseError('TAGGING_OPERATION_NOT_FOUND', { operation: String(id) });
    if (operation.undone_at !== null) throw new TagbaseError('TAGGING_OPERATION_UNDONE', { operation: String(id), by: operation.undone_by ?? '' });
    const tag = (await loadTags(context, { includeArchived: true }, trx)).find((candidate) => candidate.id === operation.tag_id);
    if (!tag) throw new TagbaseError('TAGGING_OPERATION_NOT_FOUND', { operation: String(id) });
    const states = JSON.parse(operation.states) as OperationStates;
    const current = await heldAssignments(trx, tag.id, states.map(([customerId]) => customerId));
    // A customer erased since is gone, and one merged into another since holds nothing of its own:
    // its tags are the survivor's now. Both changed since; neither is given anything back.
    const live = await liveCustomerIds(trx, states.map(([customerId]) => customerId));
    const names = new Map(tag.values.map((value) => [value.id, value.name]));
    const label = (valueId: number) => formatTagLabel(tag.name, names.get(valueId) ?? '?');
    const history: HistoryRow[] = [];
    const restoredCustomers: number[] = [];
    const inserts: Insertable<AssignmentTable>[] = [];
    const reversed = new Map<number, ReversedChange>();
    let skipped = 0;
    for (const [customerId, before, after] of states) {
      if (!live.has(customerId) || !sameHeld(current.get(customerId) ?? [], after)) {
        skipped++;
        continue;
      }
      const back = before.filter(([, , , , expiresAt]) => isStillHeld(expiresAt, now));
      // The library changed since: a value removed from the tag cannot be held again, and a tag made
      // single-valued holds one value a customer. Either was decided after the operation: left as it is.
      if (back.some(([valueId]) => !names.has(valueId)) || (tag.cardinality === 'single' && back.length > 1)) {
        skipped++;
        continue;
      }
      restoredCustomers.push(customerId);
      const held = (list: readonly HeldAssignment[]) => new Set(list.map(([valueId]) => valueId));
      const [had, left, given] = [held(before), held(after), held(back)];
      reversed.set(customerId, { added: new Set([...left].filter((valueId) => !had.has(valueId))), removed: new Set([...given].filter((valueId) => !left.has(valueId))) });
      for (const [valueId, source, assignedBy, assignedAt, expiresAt] of back) {
        inserts.push({ workspace_id: context.workspaceId, customer_id: customerId, tag_id: tag.id, value_id: valueId, source, actor: assignedBy, assigned_at: assignedAt, expires_at: expiresAt });
      }
      history.push(...undoHistory(context, tag, customerId, after, back, label, actor, now, id));
    }
    // Before the undo's own history is written: care reads the operation's changes, not the undo's.
    const withdrawn = await withdrawUndoneReminders(context, trx, { tag, action: operation.action as 'assign' | 'remove', at: Number(operation.at), by: actor, now, customers: reversed });
    for (const part of chunks(restoredCustomers, IDS_PER_QUERY)) await trx.deleteFrom('assignments').where('tag_id', '=', tag.id).where('customer_id', 'in', part).execute();
    for (const part of chunks(inserts, rowsPerInsert(8))) await trx.insertInto('assignments').values(part).execute();
    await insertHistory(trx, history);
    await trx.updateTable('tagging_operations').set({ undone_at: now, undone_by: actor, undone_customers: restoredCustomers.length }).where('id', '=', id).execute();
    // The rules following the undo put back what followed the operation: their changes name the undo too, and start no care plan.
    const propagation = await propagateTags(context, trx, restoredCustomers, new Set([tag.id]), { undone_operation: id });
    const followed = await withdrawFollowingReminders(context, trx, { operation: id, by: actor, now, customers: restoredCustomers });
    for (const customerId of [...restoredCustomers, ...propagation.changed]) changed.add(customerId);
    return { undone: restoredCustomers.length, skipped, reminders_withdrawn: withdrawn + followed };
  });
  const [operation] = await listTaggingOperations(context, { id });
  if (!operation) throw new TagbaseError('TAGGING_OPERATION_NOT_FOUND', { operation: String(id) });
  return { ...counts, operation };
}

/**
 * The history of putting `back` in place of `after` for one customer: a value put back in place
 * of one taken away, on a single-valued tag, is a replacement; otherwise each value gone is a
 * removal and each one back an addition. Each names the operation undone, so that care plans
 * read past it: the customer's history and the webhooks show it as any change.
 */
function undoHistory(context: WorkspaceContext, tag: TagDefinition, customerId: number, after: readonly HeldAssignment[], back: readonly HeldAssignment[], label: (valueId: number) => string, actor: string, at: number, operation: number): HistoryRow[] {
  const gone = after.filter(([valueId]) => !back.some(([kept]) => kept === valueId));
  const added = back.filter(([valueId]) => !after.some(([had]) => had === valueId));
  const row = (valueId: number, action: string, source: string, expiresAt: number | null, previous: number | null = null, text = label(valueId)): HistoryRow => ({
    workspace_id: context.workspaceId,
    customer_id: customerId,
    tag_id: tag.id,
    value_id: valueId,
    previous_value_id: previous,
    action,
    label: text,
    source,
    actor,
    at,
    expires_at: expiresAt,
    undone_operation: operation,
  });
  const [only] = gone;
  const [restored] = added;
  if (tag.cardinality === 'single' && gone.length === 1 && added.length === 1 && only && restored) {
    return [row(restored[0], 'replace', restored[1], restored[4], only[0], `${label(only[0])} → ${tag.values.find((value) => value.id === restored[0])?.name ?? '?'}`)];
  }
  return [...gone.map(([valueId, source]) => row(valueId, 'remove', source, null)), ...added.map(([valueId, source, , , expiresAt]) => row(valueId, 'add', source, expiresAt))];
}
