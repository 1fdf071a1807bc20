// Withdrawing the care reminders an undone bulk tagging triggered: a value given to thousands by
// mistake and taken back must not go on to greet them. Care reads tag changes after the fact,
// so the plans following the tag first read what they have not yet (the operation's own changes
// among it), in the undo's transaction; then each reminder not yet due that one of those changes
// started, for a customer the undo puts back, is skipped as `undone`, by the one undoing. So is
// each that a rule tag's change following the operation started (「重点跟进」 reading 贵宾), where
// the undo's rules took that change back.
import type { Transaction } from 'kysely';
import { tagTriggerOf, type TagTrigger } from '../core/care.js';
import type { TagDefinition } from '../core/tag.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { scheduleFromLogIn, type TriggerData } from './care.js';
import { loadWorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';

/** What the undo takes back for one customer: the values the operation gave them, and those it took away that they get back. */
export interface ReversedChange {
  added: ReadonlySet<number>;
  removed: ReadonlySet<number>;
}

export interface UndoneTagging {
  tag: TagDefinition;
  action: 'assign' | 'remove';
  /** When the operation was made: its changes were recorded then. */
  at: number;
  /** Who undoes it, and when. */
  by: string;
  now: number;
  /** The customers the undo puts back, with what it takes back of each. */
  customers: ReadonlyMap<number, ReversedChange>;
}

/** Whether a change the undo takes back is one that starts the plan's trigger. */
function started(trigger: TagTrigger, valueId: number | undefined, action: 'assign' | 'remove', change: ReversedChange): boolean {
  const values = trigger.kind === 'tag_added' ? change.added : change.removed;
  if (valueId !== undefined) return values.has(valueId);
  // Losing a value to another (a single-valued tag's replacement) is no removal of the tag: only a bulk removal starts "any value removed".
  return values.size > 0 && (trigger.kind === 'tag_added' || action === 'remove');
}

/**
 * In the undo's transaction (under the workspace's write lock, before the undo writes its own
 * history), withdraws the scheduled reminders the operation's changes started for the customers
 * put back. Answers how many. Reminders already due or closed stay as they are: they were sent.
 */
export async function withdrawUndoneReminders(context: WorkspaceContext, trx: Transaction<Database>, undo: UndoneTagging): Promise<number> {
  if (undo.customers.size === 0) return 0;
  const plans = (await trx.selectFrom('care_plans').select(['id', 'trigger', 'enabled']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute()).flatMap((row) => {
    const trigger = tagTriggerOf(row.trigger);
    if (trigger?.tag !== undo.tag.key) return [];
    const valueId = trigger.value === undefined ? undefined : undo.tag.values.find((value) => value.key === trigger.value)?.id;
    // A plan following a value removed from the tag since follows nothing the undo takes back.
    if (trigger.value !== undefined && valueId === undefined) return [];
    return [{ id: row.id, trigger, valueId, enabled: Number(row.enabled) === 1 }];
  });
  if (plans.length === 0) return 0;
  await catchUp(context, trx, plans);
  const byPlan = new Map(plans.map((plan) => [plan.id, plan]));
  const candidates: { id: number; planId: number; customerId: number; change: number | undefined }[] = [];
  for (const part of chunks([...undo.customers.keys()], IDS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('care_reminders')
      .select(['id', 'plan_id', 'customer_id', 'trigger_data'])
      .where('plan_id', 'in', [...byPlan.keys()])
      .where('customer_id', 'in', part)
      .where('status', '=', 'scheduled')
      // A customer put back has changed nothing of the tag since the operation: what started a reminder since is the operation's.
      .where('trigger_at', '>=', undo.at)
      .execute();
    for (const row of rows) candidates.push({ id: row.id, planId: row.plan_id, customerId: row.customer_id, change: (JSON.parse(row.trigger_data) as TriggerData).change });
  }
  // A value that expired as the operation was made is recorded at its time too, and the undo does not bring it back.
  const expiries = new Set<number>();
  for (const part of chunks([...new Set(candidates.flatMap((candidate) => (candidate.change === undefined ? [] : [candidate.change])))], IDS_PER_QUERY)) {
    for (const row of await trx.selectFrom('tag_history').select('id').where('id', 'in', part).where('action', '=', 'expire').execute()) expiries.add(Number(row.id));
  }
  const withdrawn = candidates.filter((candidate) => {
    const plan = byPlan.get(candidate.planId);
    const change = undo.customers.get(candidate.customerId);
    if (!plan || !change || (candidate.change !== undefined && expiries.has(candidate.change))) return false;
    return started(plan.trigger, plan.valueId, undo.action, change);
  });
  return withdraw(trx, withdrawn.map((candidate) => candidate.id), undo);
}

/** The operation's changes not read yet by a plan would be scheduled by the next round of care, after the undo: the enabled plans read them now. */
async function catchUp(context: WorkspaceContext, trx: Transaction<Database>, plans: readonly { id: number; enabled: boolean }[]): Promise<void> {
  const enabled = plans.filter((plan) => plan.enabled);
  if (enabled.length === 0) return;
  const catalog = await loadWorkspaceCatalog(context, trx);
  for (const plan of enabled) {
    for (;;) {
      const round = await scheduleFromLogIn(trx, context, plan.id, catalog);
      if (!round || !round.more) break;
    }
  }
}

/** Skips these reminders as `undone`, by the one undoing, those still scheduled; answers how many. */
async function withdraw(trx: Transaction<Database>, reminderIds: readonly number[], undo: Pick<UndoneTagging, 'by' | 'now'>): Promise<number> {
  let count = 0;
  for (const part of chunks([...reminderIds], IDS_PER_QUERY)) {
    const result = await trx.updateTable('care_reminders').set({ status: 'skipped', reason: 'undone', resolved_by: undo.by, resolved_at: undo.now }).where('id', 'in', part).where('status', '=', 'scheduled').executeTakeFirst();
    count += Number(result.numUpdatedRows);
  }
  return count;
}

export interface UndoneFollowers {
  /** The operation undone. */
  operation: number;
  /** Who undoes it, and when. */
  by: string;
  now: number;
  /** The customers the undo puts back. */
  customers: readonly number[];
}

/**
 * In the undo's transaction, once its own changes and the rules following them are written:
 * withdraws the scheduled reminders that the changes of rule tags following the operation started
 * for the customers put back, where the undo's rules changed that rule tag of theirs back (one
 * who holds it still, for another reason since, keeps what it started). Answers how many.
 */
export async function withdrawFollowingReminders(context: WorkspaceContext, trx: Transaction<Database>, undo: UndoneFollowers): Promise<number> {
  const caused: { id: number; customerId: number; tagId: number }[] = [];
  const undone = new Set<string>();
  for (const part of chunks([...undo.customers], IDS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('tag_history')
      .select(['id', 'customer_id', 'tag_id', 'caused_by_operation'])
      .where('workspace_id', '=', context.workspaceId)
      .where('customer_id', 'in', part)
      .where((eb) => eb.or([eb('caused_by_operation', '=', undo.operation), eb('undone_operation', '=', undo.operation)]))
      .execute();
    for (const row of rows) {
      if (row.caused_by_operation === null) undone.add(`${row.customer_id}:${row.tag_id}`);
      else caused.push({ id: Number(row.id), customerId: row.customer_id, tagId: row.tag_id });
    }
  }
  const changes = new Set(caused.filter((row) => undone.has(`${row.customerId}:${row.tagId}`)).map((row) => row.id));
  if (changes.size === 0) return 0;
  const tagIds = [...new Set(caused.filter((row) => changes.has(row.id)).map((row) => row.tagId))];
  const keys = new Set((await trx.selectFrom('tags').select('key').where('id', 'in', tagIds).execute()).map((row) => row.key));
  const plans = (await trx.selectFrom('care_plans').select(['id', 'trigger', 'enabled']).where('workspace_id', '=', context.workspaceId).orderBy('id').execute()).flatMap((row) => {
    const trigger = tagTriggerOf(row.trigger);
    return trigger && keys.has(trigger.tag) ? [{ id: row.id, enabled: Number(row.enabled) === 1 }] : [];
  });
  if (plans.length === 0) return 0;
  await catchUp(context, trx, plans);
  const withdrawn: number[] = [];
  for (const part of chunks([...undo.customers], IDS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('care_reminders')
      .select(['id', 'trigger_data'])
      .where('plan_id', 'in', plans.map((plan) => plan.id))
      .where('customer_id', 'in', part)
      .where('status', '=', 'scheduled')
      .execute();
    // The history row a tag trigger's reminder keeps tells the rule's change the operation caused from any other.
    for (const row of rows) {
      const change = (JSON.parse(row.trigger_data) as TriggerData).change;
      if (change !== undefined && changes.has(change)) withdrawn.push(row.id);
    }
  }
  return withdraw(trx, withdrawn, undo);
}
