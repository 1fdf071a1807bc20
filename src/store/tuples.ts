// Rows as arrays for the engine's largest reads (an ingest batch's event history, a recompute
// chunk's assignments). better-sqlite3 builds an object with named keys for every row, which
// cost about as much as SQLite's own work on those reads; in raw mode it returns arrays.
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

interface SelectQuery<Row> {
  compile(): CompiledQuery;
  execute(): Promise<Row[]>;
}

/**
 * The rows of `query` as tuples of `columns`, in that order (which must be the query's select
 * order). On SQLite inside a transaction, straight from the connection the transaction holds;
 * elsewhere through Kysely, so that a read outside a transaction still waits for the connection.
 */
export async function selectTuples<Row, const Columns extends readonly (keyof Row)[]>(
  store: Store,
  db: Kysely<Database> | Transaction<Database>,
  query: SelectQuery<Row>,
  columns: Columns,
): Promise<{ [K in keyof Columns]: Row[Columns[K]] }[]> {
  type Tuple = { [K in keyof Columns]: Row[Columns[K]] };
  // The arrays hold the selected columns in select order, which is what the tuple type says.
  if (store.readTuples && db.isTransaction) return store.readTuples(query.compile()) as unknown as Tuple[];
  const rows = await query.execute();
  return rows.map((row) => columns.map((column) => row[column]) as unknown as Tuple);
}
