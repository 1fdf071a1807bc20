// The append-only tag history: every add, remove, replace and expiry.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, TagHistoryTable } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A change as written, its id given by the store; `merged_from` only of a merge's dropped copies
 * and of what a merge gave the survivor, `merged_into` only of a merge's removals of the merged
 * record's values, `undone_operation` only of an undo's changes (and of the rule tags' that
 * followed it), `caused_by_operation` only of the rule tags' changes that followed a bulk tagging.
 */
export type HistoryRow = Omit<Selectable<TagHistoryTable>, 'id' | 'merged_from' | 'merged_into' | 'recorded_for' | 'undone_operation' | 'caused_by_operation'> & {
  merged_from?: string | null;
  merged_into?: string | null;
  undone_operation?: number | null;
  caused_by_operation?: number | null;
};

/** Appends history rows in statements that fit the parameter limits. */
export async function insertHistory(db: Db, rows: HistoryRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    await db.insertInto('tag_history').values(rows.slice(start, start + 2000)).execute();
  }
}


/**
 * The source of the changes a merge writes for webhooks: the merged record's values removed, the
 * survivor's gained. Read by webhooks only: the history people read has moved to the survivor.
 */
export const MERGE_SOURCE = 'merge';
