// Gives the customers a store held before names had search keys theirs (see migration
// 0027_customer_name_search): every write of a name writes its key, so only those are left.
import { sql } from 'kysely';
import { nameSearchKey } from '../core/name-search.js';
import type { WorkspaceContext } from './context.js';

/** Customers read and keyed per statement (three bound parameters each on SQLite). */
const KEYS_PER_BATCH = 2000;

/**
 * Writes the search key of every named customer of the workspace that has none (or, with
 * `budgetMs`, as many as that time allows, a batch at least); returns how many were written.
 * Each batch stands alone, so a round cut short leaves nothing half done. A key is written only
 * where the name is still the one it was read from and still has none: a name written meanwhile
 * came with its own key.
 */
export async function fillNameSearchKeys(context: WorkspaceContext, options: { batchSize?: number; budgetMs?: number | undefined } = {}): Promise<number> {
  const { db, dialect } = context.store;
  const batchSize = options.batchSize ?? KEYS_PER_BATCH;
  // Wall-clock time, not the workspace's clock: the budget is how long the round may be held up.
  const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  let filled = 0;
  for (let after = 0; ; ) {
    // Through customers_name_search_due_idx, which holds exactly these: empty once all are keyed.
    const due = await db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('workspace_id', '=', context.workspaceId)
      .where('name', 'is not', null)
      .where('name_search', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const last = due.at(-1);
    if (last === undefined) return filled;
    after = last.id;
    const keyed = due.flatMap((row) => (row.name === null ? [] : [{ id: row.id, name: row.name, key: nameSearchKey(row.name) }]));
    // One statement a batch: a million single-row updates cost more in statements than in rows.
    const result = await (dialect === 'postgres'
      ? sql`update customers set name_search = v.key
            from unnest(${keyed.map((row) => row.id)}::int8[], ${keyed.map((row) => row.name)}::text[], ${keyed.map((row) => row.key)}::text[]) as v(id, name, key)
            where customers.id = v.id and customers.name = v.name and customers.name_search is null`
      : sql`update customers set name_search = v.column3
            from (values ${sql.join(keyed.map((row) => sql`(${row.id}, ${row.name}, ${row.key})`))}) as v
            where customers.id = v.column1 and customers.name = v.column2 and customers.name_search is null`
    ).execute(db);
    filled += Number(result.numAffectedRows ?? 0);
    // At least one batch a round, so that a budget too small for any still gets there.
    if (due.length < batchSize || Date.now() >= deadline) return filled;
  }
}
