// The append-only tag history: every add, remove, replace and expiry.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type HistoryRow = {
  workspace_id: number;
  customer_id: number;
  tag_id: number;
  value_id: number;
  previous_value_id: number | null;
  action: string;
  label: string;
  source: string;
  actor: string;
  at: number;
  expires_at: number | null;
};

/** Appends history rows in statements that fit the parameter limits. */
export async function insertHistory(db: Db, rows: HistoryRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    await db.insertInto('tag_history').values(rows.slice(start, start + 2000)).execute();
  }
}

