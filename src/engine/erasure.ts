// Erasing a customer on request (PIPL art. 47, GDPR art. 17): the person's records — the one
// named and every record merged into it — go with their identities, events (stored, or accepted
// and not applied yet), tags, tag history, metrics, care reminders and places in segment
// snapshots, in one transaction. What stays is that an erasure happened: who did it, when, how
// much went, and a digest of the id, never the id itself (but for the webhooks that post
// customer changes, until each has told its receiver, which needs the id to delete).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { typedValue } from '../store/expression-sql/values.js';
import { isBuiltinField } from '../store/customer-fields.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import { afterErasure, zeroDeletions, zeroFreePages } from '../store/erased-bytes.js';
import { actorName, writeCustomers, type WorkspaceContext } from './context.js';
import { requireCustomer } from './customers.js';
import { scrubAuditTargets } from './audit.js';
import { scrubJournal } from './event-journal.js';
import { scrubExportTargets } from './export-log.js';
import { toIso } from '../core/time.js';
import { writeCustomerChanges } from './customer-changes.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ErasureResult {
  /** The id the erasure was asked for. */
  customer: string;
  /** Records erased: the customer and those merged into it. */
  records: number;
  identities: number;
  events: number;
  assignments: number;
  history: number;
  snapshot_memberships: number;
}

export interface ErasureRecord {
  actor: string;
  at: string;
  details: Omit<ErasureResult, 'customer'>;
}

/**
 * How an erased customer's id is kept: SHA-256 over the workspace and the id, so that "was this
 * customer erased?" can be answered for someone who knows the id, and nothing else.
 */
export function customerDigest(workspaceId: number, externalId: string): string {
  return createHash('sha256').update(`${workspaceId}\u0000${externalId}`).digest('hex');
}

export async function eraseCustomer(context: WorkspaceContext, externalId: string): Promise<ErasureResult> {
  try {
    return await eraseRecords(context, externalId);
  } finally {
    if (context.store.dialect === 'sqlite') await afterErasure(context.store.db);
  }
}

async function eraseRecords(context: WorkspaceContext, externalId: string): Promise<ErasureResult> {
  const now = context.now().getTime();
  return writeCustomers(context, async (trx, changed) => {
    const sqlite = context.store.dialect === 'sqlite';
    if (sqlite) await zeroDeletions(trx);
    // The id of a merged record finds the person it was merged into: the whole person goes.
    const survivor = await requireCustomer(context, externalId, trx);
    const merged = await trx.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).where('merged_into', '=', survivor.id).execute();
    const ids = [survivor.id, ...merged.map((row) => row.id)];
    const removed = async (table: 'identities' | 'events' | 'assignments' | 'tag_history' | 'customer_metrics' | 'segment_snapshot_members' | 'care_reminders' | 'segment_changes_log') => {
      let rows = 0;
      for (const part of chunks(ids, IDS_PER_QUERY)) rows += Number((await trx.deleteFrom(table).where('customer_id', 'in', part).executeTakeFirst()).numDeletedRows);
      return rows;
    };
    // What an exported expression may have picked them by, read before it goes.
    const personal: string[] = [];
    const customText = new Map<string, Set<string>>();
    for (const part of chunks(ids, IDS_PER_QUERY)) {
      for (const row of await trx.selectFrom('customers').select(['name', 'custom']).where('id', 'in', part).execute()) {
        if (row.name) personal.push(row.name);
        for (const [key, value] of Object.entries(JSON.parse(row.custom) as Record<string, unknown>)) {
          if (typeof value === 'string' && value !== '' && !isBuiltinField(key)) customText.set(key, (customText.get(key) ?? new Set()).add(value));
        }
      }
      for (const row of await trx.selectFrom('identities').select('value').where('customer_id', 'in', part).execute()) personal.push(row.value);
    }
    const details = {
      records: ids.length,
      identities: await removed('identities'),
      events: await removed('events'),
      assignments: await removed('assignments'),
      history: await removed('tag_history'),
      snapshot_memberships: await removed('segment_snapshot_members'),
    };
    await removed('customer_metrics');
    // Their care reminders carry their name in the messages written for them.
    await removed('care_reminders');
    // Entries and exits not delivered yet: the next look at the segment finds them gone, which is not posted either.
    await removed('segment_changes_log');
    // The merge log keeps that merges happened and how much moved, not whom they joined.
    for (const part of chunks(ids, IDS_PER_QUERY)) {
      const merges = await trx
        .selectFrom('customer_merges')
        .select(['id', 'details'])
        .where('workspace_id', '=', context.workspaceId)
        .where((eb) => eb.or([eb('merged_id', 'in', part), eb('survivor_id', 'in', part)]))
        .execute();
      for (const merge of merges) {
        const { survivor: _survivor, merged: _merged, ...counts } = JSON.parse(merge.details) as Record<string, unknown>;
        await trx.updateTable('customer_merges').set({ merged_external_id: '', details: JSON.stringify(counts) }).where('id', '=', merge.id).execute();
      }
    }
    for (const part of chunks(ids, IDS_PER_QUERY)) await trx.deleteFrom('customers').where('id', 'in', part).execute();
    // A custom field's text that nobody else holds (an ID card number, a member number kept as a
    // field) picked the person as an identifier does; one that others hold too (a tier, a note
    // such as 门店) picked no one in particular and stays in the export log.
    personal.push(...(await textHeldByNoOneElse(context, trx, customText)));
    // The stored index snapshot holds the customer's fields: it goes too, and the next one is
    // written without them (a snapshot keeps only values someone holds).
    await trx.deleteFrom('index_snapshots').where('workspace_id', '=', context.workspaceId).execute();
    await trx.deleteFrom('index_snapshot_parts').where('workspace_id', '=', context.workspaceId).execute();
    // Under every id the person had, so that any of them answers "was this customer erased?".
    const names = new Set([externalId, survivor.external_id, ...merged.map((row) => row.external_id)]);
    await scrubAuditTargets(trx, context.workspaceId, names);
    await scrubExportTargets(trx, context.workspaceId, [...names, ...personal]);
    // Events accepted for them but not applied yet would otherwise bring them back.
    details.events += await scrubJournal(trx, context.workspaceId, names);
    // Webhooks that post customer changes are told, by id alone, so that a receiver deletes what
    // it holds of the person; what the log held of them before (a merge not delivered yet) goes.
    for (const part of chunks([...names], IDS_PER_QUERY)) {
      await trx
        .deleteFrom('customer_changes_log')
        .where('workspace_id', '=', context.workspaceId)
        .where((eb) => eb.or([eb('customer_id', 'in', part), eb('into_id', 'in', part)]))
        .execute();
    }
    await writeCustomerChanges(
      context,
      trx,
      [survivor.external_id, ...merged.map((row) => row.external_id)].map((id) => ({ change: 'erased', customer_id: id, into_id: null, at: now })),
    );
    const record = { workspace_id: context.workspaceId, actor: actorName(context), at: now, details: JSON.stringify(details) };
    for (const part of chunks([...names], rowsPerInsert(5))) {
      await trx
        .insertInto('customer_erasures')
        .values(part.map((name) => ({ ...record, customer_digest: customerDigest(context.workspaceId, name) })))
        .execute();
    }
    if (sqlite) await zeroFreePages(trx, context.workspaceId);
    for (const id of ids) changed.add(id);
    return { customer: externalId, ...details };
  });
}

/** Of these custom field values (by field key), those no customer of the workspace holds under that field. */
async function textHeldByNoOneElse(context: WorkspaceContext, trx: Transaction<Database>, values: ReadonlyMap<string, ReadonlySet<string>>): Promise<string[]> {
  const alone: string[] = [];
  for (const [key, texts] of values) {
    const held = typedValue({ source: 'field', key, name: key, type: 'string' }, context.store.dialect)?.value;
    if (!held) continue;
    const others = new Set<string>();
    for (const part of chunks([...texts], IDS_PER_QUERY)) {
      const rows = await trx
        .selectFrom('customers')
        .select(held.as('text'))
        .where('workspace_id', '=', context.workspaceId)
        .where((eb) => eb(held, 'in', part))
        .distinct()
        .execute();
      for (const row of rows) others.add(String(row.text));
    }
    for (const text of texts) if (!others.has(text)) alone.push(text);
  }
  return alone;
}

/** The erasures recorded for a customer id, newest first. */
export async function findErasures(context: WorkspaceContext, externalId: string): Promise<ErasureRecord[]> {
  const rows = await context.store.db
    .selectFrom('customer_erasures')
    .select(['actor', 'at', 'details'])
    .where('workspace_id', '=', context.workspaceId)
    .where('customer_digest', '=', customerDigest(context.workspaceId, externalId))
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({ actor: row.actor, at: toIso(row.at), details: JSON.parse(row.details) as ErasureRecord['details'] }));
}

/**
 * The ids of these customers still stored. A pass that listed its customers before its
 * transaction (a recompute, the scheduler) asks this inside it: a customer erased meanwhile
 * must not have metrics written for it again.
 */
export async function storedCustomerIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const present = new Set<number>();
  for (const part of chunks(ids, IDS_PER_QUERY)) for (const row of await db.selectFrom('customers').select('id').where('id', 'in', part).execute()) present.add(row.id);
  return present;
}
