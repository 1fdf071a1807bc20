// What an erasure on request does beyond deleting rows, so that the person's bytes are gone from
// SQLite's files and not only from its tables: deleted content and free pages zeroed, and the
// write-ahead log emptied. PostgreSQL keeps deleted rows until vacuum and frees their space
// without overwriting it: docs/operations.md says what to run there.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The largest zero blob written at a time, well under SQLite's limit of a billion bytes. */
const WIPE_BYTES = 256 * 1024 * 1024;

/** For the rest of this transaction, SQLite overwrites everything it deletes, pages freed whole included. */
export async function zeroDeletions(trx: Transaction<Database>): Promise<void> {
  await sql`pragma secure_delete = ON`.execute(trx);
}

/**
 * Overwrites SQLite's free pages with zeros, last in an erasure's transaction: pages freed before
 * it (an index snapshot replaced, rows of a workspace deleted) may still hold the person's text.
 * The pages are taken by blobs of zeros and freed again, all within the transaction, so no reader
 * ever sees the rows; it costs a write of the free space (~1 s per 160 MiB).
 */
export async function zeroFreePages(trx: Transaction<Database>, workspaceId: number): Promise<void> {
  const [free] = (await sql<{ freelist_count: number }>`pragma freelist_count`.execute(trx)).rows;
  const [size] = (await sql<{ page_size: number }>`pragma page_size`.execute(trx)).rows;
  let bytes = Number(free?.freelist_count ?? 0) * Number(size?.page_size ?? 4096);
  for (let part = 0; bytes > 0; part++, bytes -= WIPE_BYTES) {
    const length = Math.min(bytes, WIPE_BYTES);
    await sql`insert into index_snapshot_parts (workspace_id, version, part, data) values (${workspaceId}, ${'erasure-wipe'}, ${part}, zeroblob(${length}))`.execute(trx);
  }
  await trx.deleteFrom('index_snapshot_parts').where('workspace_id', '=', workspaceId).where('version', '=', 'erasure-wipe').execute();
}

/** After the erasure's commit: deleted content back to overwritten only, and the log's older page images gone. */
export async function afterErasure(db: Kysely<Database>): Promise<void> {
  await sql`pragma secure_delete = FAST`.execute(db);
  // The log still holds the pages as they were before, until a checkpoint copies the new ones back
  // and empties it. A reader in the middle of a long read keeps it; a later checkpoint empties it.
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
