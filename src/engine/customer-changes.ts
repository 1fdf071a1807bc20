// Customers as wholes merged away or erased, logged for webhooks with the `customer_changes`
// topic: the log (`customer_changes_log`) is written in the merge's or erasure's transaction,
// under the workspace's write lock, so its ids grow in commit order as the tag history's do. An
// erased customer's id is kept there only while a webhook has yet to deliver it.
import type { Kysely, Transaction } from 'kysely';
import { chunks, rowsPerInsert } from '../store/chunks.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';

type Db = Kysely<Database> | Transaction<Database>;

export const CUSTOMER_CHANGES_TOPIC = 'customer_changes';

export interface CustomerChange {
  change: 'merged' | 'erased';
  /** The external id of the record merged away or erased. */
  customer_id: string;
  /** Of a merge: the external id of the record it went into. */
  into_id: string | null;
  at: number;
}

/** The webhooks of the workspace that post customer changes, with where each is in the log. */
async function subscribers(db: Db, workspaceId: number): Promise<{ cursor: number }[]> {
  const webhooks = await db.selectFrom('webhooks').select(['topics', 'customer_cursor']).where('workspace_id', '=', workspaceId).execute();
  return webhooks.filter((webhook) => (JSON.parse(webhook.topics) as string[]).includes(CUSTOMER_CHANGES_TOPIC)).map((webhook) => ({ cursor: Number(webhook.customer_cursor) }));
}

/**
 * Logs customer changes for the webhooks that post them, and nothing when none does: a webhook
 * given the topic later starts after the log's last row, so an id logged now would only be kept.
 */
export async function writeCustomerChanges(context: WorkspaceContext, trx: Transaction<Database>, changes: readonly CustomerChange[]): Promise<void> {
  if (changes.length === 0 || (await subscribers(trx, context.workspaceId)).length === 0) return;
  // An erasure logs every record merged into the person: thousands, for a catch-all record.
  for (const part of chunks(changes, rowsPerInsert(5))) {
    await trx
      .insertInto('customer_changes_log')
      .values(part.map((change) => ({ workspace_id: context.workspaceId, ...change })))
      .execute();
  }
}

export async function writeCustomerChange(context: WorkspaceContext, trx: Transaction<Database>, change: CustomerChange): Promise<void> {
  await writeCustomerChanges(context, trx, [change]);
}

/**
 * Drops what every webhook with the topic has delivered, and all of it when none wants it any
 * more (deleted, or the topic taken off): an erased customer's id is not kept for nobody. The
 * bound is read before the webhooks, so a webhook made meanwhile, which starts after the log's
 * last row, loses nothing.
 */
export async function purgeDeliveredCustomerChanges(db: Kysely<Database>, workspaceId: number): Promise<void> {
  // Read first: a delete of nothing still takes the store's write lock.
  const bounds = await db
    .selectFrom('customer_changes_log')
    .select((eb) => [eb.fn.min('id').as('oldest'), eb.fn.max('id').as('newest')])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (bounds?.oldest === null || bounds?.oldest === undefined) return;
  const webhooks = await subscribers(db, workspaceId);
  const delivered = Math.min(Number(bounds.newest), ...webhooks.map((webhook) => webhook.cursor));
  if (Number(bounds.oldest) > delivered) return;
  await db.deleteFrom('customer_changes_log').where('workspace_id', '=', workspaceId).where('id', '<=', delivered).execute();
}
