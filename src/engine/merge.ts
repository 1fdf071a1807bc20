// Merging two records of one person: identities, events, tags, history, care reminders and places
// in segment snapshots move to the survivor; the merged record stays as a forwarding address and
// the merge is recorded.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import type { CustomFieldValue } from '../core/customer.js';
import { nameSearchKey } from '../core/name-search.js';
import { formatTagLabel } from '../core/tag.js';
import { actorName, writeCustomers, type WorkspaceContext } from './context.js';
import { propagateAll } from './propagate.js';
import { requireCustomer } from './customers.js';
import { insertHistory, loadTags } from './library.js';
import { MERGE_SOURCE } from './history.js';
import { writeCustomerChange } from './customer-changes.js';
import type { CustomerTable, Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;
type CustomerRow = Selectable<CustomerTable>;

export interface MergeResult {
  survivor: string;
  merged: string;
  identities: number;
  events: number;
  assignments_moved: number;
  assignments_dropped: number;
  history: number;
}

const FILLABLE = ['name', 'type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel'] as const;

/**
 * The two records a merge of `mergedId` into `survivorId` would join, or why there is no such
 * merge (CUSTOMER_NOT_FOUND, MERGE_SELF, MERGE_ALREADY): asked by the merge itself, and by the
 * command line before it asks for --yes, so that it never asks to confirm a merge that cannot be.
 */
export async function requireMergeable(context: WorkspaceContext, survivorId: string, mergedId: string, db: Db = context.store.db): Promise<{ survivor: CustomerRow; merged: CustomerRow }> {
  const survivor = await requireCustomer(context, survivorId, db);
  const merged = await requireCustomer(context, mergedId, db);
  if (survivor.id === merged.id) {
    // Two ids of one record: the other was merged into it before.
    // Either id may be the one merged away: the message names it, and the record it lives in.
    if (survivorId !== mergedId) throw new TagbaseError('MERGE_ALREADY', { customer: mergedId === survivor.external_id ? survivorId : mergedId, into: survivor.external_id });
    throw new TagbaseError('MERGE_SELF', { customer: survivorId });
  }
  return { survivor, merged };
}

export async function mergeCustomers(context: WorkspaceContext, survivorId: string, mergedId: string): Promise<MergeResult> {
  const now = context.now().getTime();
  const actor = actorName(context);
  return writeCustomers(context, async (trx, changed) => {
    const { survivor, merged } = await requireMergeable(context, survivorId, mergedId, trx);

    // Fields: the survivor's values win; the merged record fills the gaps.
    const fill: Record<string, string | number | null> = {};
    for (const key of FILLABLE) if (survivor[key] === null && merged[key] !== null) fill[key] = merged[key];
    // A name taken from the merged record is found by its pinyin as the record's was.
    if (fill.name !== undefined) fill.name_search = nameSearchKey(merged.name);
    const custom = { ...(JSON.parse(merged.custom) as Record<string, CustomFieldValue>), ...(JSON.parse(survivor.custom) as Record<string, CustomFieldValue>) };
    const firstSeen = Math.min(survivor.first_seen_at ?? Infinity, merged.first_seen_at ?? Infinity);
    await trx
      .updateTable('customers')
      .set({ ...fill, custom: JSON.stringify(custom), first_seen_at: Number.isFinite(firstSeen) ? firstSeen : null, updated_at: now })
      .where('id', '=', survivor.id)
      .execute();

    const identities = await trx.updateTable('identities').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).executeTakeFirst();
    const events = await trx.updateTable('events').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).executeTakeFirst();

    // Tags: a value both hold is kept once; on a single-valued tag the survivor's value wins.
    const tags = new Map((await loadTags(context, { includeArchived: true }, trx)).map((tag) => [tag.id, tag]));
    const survivorHeld = await trx.selectFrom('assignments').select(['tag_id', 'value_id']).where('customer_id', '=', survivor.id).execute();
    const mergedHeld = await trx.selectFrom('assignments').selectAll().where('customer_id', '=', merged.id).execute();
    const survivorValues = new Set(survivorHeld.map((row) => row.value_id));
    const survivorTags = new Set(survivorHeld.map((row) => row.tag_id));
    const dropped = mergedHeld.filter((row) => {
      const tag = tags.get(row.tag_id);
      return survivorValues.has(row.value_id) || (tag?.cardinality !== 'multi' && survivorTags.has(row.tag_id));
    });
    const droppedValues = new Set(dropped.map((row) => row.value_id));
    for (const row of dropped) await trx.deleteFrom('assignments').where('customer_id', '=', merged.id).where('value_id', '=', row.value_id).execute();
    const moved = await trx.updateTable('assignments').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).executeTakeFirst();
    // Each change keeps the record it was made to, for a webhook that has yet to post it.
    const history = await trx
      .updateTable('tag_history')
      .set((eb) => ({ customer_id: survivor.id, recorded_for: eb.fn.coalesce('recorded_for', eb.val(merged.external_id)) }))
      .where('customer_id', '=', merged.id)
      .executeTakeFirst();
    // An open reminder both customers have (the same plan, step and trigger: a birthday greeting)
    // is kept once, the survivor's; the other is skipped rather than sent twice.
    await trx
      .updateTable('care_reminders')
      .set({ status: 'skipped', reason: 'merged' })
      .where('customer_id', '=', merged.id)
      .where('status', 'in', ['scheduled', 'due'])
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('care_reminders as kept')
            .select('kept.id')
            .where('kept.customer_id', '=', survivor.id)
            .whereRef('kept.plan_id', '=', 'care_reminders.plan_id')
            .whereRef('kept.step', '=', 'care_reminders.step')
            .whereRef('kept.trigger_at', '=', 'care_reminders.trigger_at'),
        ),
      )
      .execute();
    await trx.updateTable('care_reminders').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).execute();
    // A snapshot's place is the person's: it moves to the survivor, and a snapshot that held both
    // records holds the survivor once, so its export lists the person once and its comparison
    // with the segment now finds them there (its member count stays as taken).
    await trx
      .deleteFrom('segment_snapshot_members')
      .where('customer_id', '=', merged.id)
      .where('snapshot_id', 'in', (eb) => eb.selectFrom('segment_snapshot_members as kept').select('kept.snapshot_id').where('kept.customer_id', '=', survivor.id))
      .execute();
    await trx.updateTable('segment_snapshot_members').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).execute();
    // The merged record's metrics were read from the events that moved: the survivor's are
    // computed anew below, and the record that stays only as a forwarding address keeps none.
    await trx.deleteFrom('customer_metrics').where('customer_id', '=', merged.id).execute();
    await insertHistory(
      trx,
      mergedHeld
        .filter((row) => droppedValues.has(row.value_id))
        .map((row) => {
          const tag = tags.get(row.tag_id);
          const value = tag?.values.find((v) => v.id === row.value_id);
          return {
            workspace_id: context.workspaceId,
            customer_id: survivor.id,
            tag_id: row.tag_id,
            value_id: row.value_id,
            previous_value_id: null,
            action: 'remove',
            label: formatTagLabel(tag?.name ?? '?', value?.name ?? '?'),
            source: row.source,
            actor,
            at: now,
            expires_at: null,
            // Data, not words: the console and the command line say it in the reader's language.
            merged_from: merged.external_id,
          };
        }),
    );

    // For whoever follows tag changes (webhooks): the merged record loses every value it held and
    // the survivor gains those it did not hold, as changes of their own (source `merge`), so that
    // a copy of the tags kept by customer id ends as tagbase's. The history the people who read
    // it see (portraits, transitions, care triggers) leaves them out: it moved to the survivor.
    const label = (row: (typeof mergedHeld)[number]) => {
      const tag = tags.get(row.tag_id);
      return formatTagLabel(tag?.name ?? '?', tag?.values.find((v) => v.id === row.value_id)?.name ?? '?');
    };
    const change = { workspace_id: context.workspaceId, previous_value_id: null, source: MERGE_SOURCE, actor, at: now };
    await insertHistory(trx, [
      ...mergedHeld.map((row) => ({ ...change, customer_id: merged.id, tag_id: row.tag_id, value_id: row.value_id, action: 'remove', label: label(row), expires_at: null, merged_into: survivor.external_id })),
      ...mergedHeld
        .filter((row) => !droppedValues.has(row.value_id))
        .map((row) => ({ ...change, customer_id: survivor.id, tag_id: row.tag_id, value_id: row.value_id, action: 'add', label: label(row), expires_at: row.expires_at, merged_from: merged.external_id })),
    ]);
    await writeCustomerChange(context, trx, { change: 'merged', customer_id: merged.external_id, into_id: survivor.external_id, at: now });

    await trx.updateTable('customers').set({ merged_into: survivor.id, updated_at: now }).where('id', '=', merged.id).execute();
    // Records merged into the merged one now forward straight to the survivor.
    await trx.updateTable('customers').set({ merged_into: survivor.id }).where('merged_into', '=', merged.id).execute();

    const result: MergeResult = {
      survivor: survivor.external_id,
      merged: merged.external_id,
      identities: Number(identities.numUpdatedRows),
      events: Number(events.numUpdatedRows),
      assignments_moved: Number(moved.numUpdatedRows),
      assignments_dropped: dropped.length,
      history: Number(history.numUpdatedRows),
    };
    await trx
      .insertInto('customer_merges')
      .values({
        workspace_id: context.workspaceId,
        survivor_id: survivor.id,
        merged_id: merged.id,
        merged_external_id: merged.external_id,
        actor,
        at: now,
        details: JSON.stringify(result),
      })
      .execute();
    // The survivor's metrics now read both records' events, and its rules may answer anew.
    await propagateAll(context, trx, [survivor.id]);
    changed.add(survivor.id).add(merged.id);
    return result;
  });
}
