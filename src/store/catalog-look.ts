// A look at PostgreSQL's catalog without the JIT compiler: the migrator's list of tables and the
// role's rights on the store's tables are planned as costly (a subquery per row of pg_class, a
// catalog holding many tables or many dead rows), which passes the server's `jit_above_cost`, and
// the compiler then spent 150 ms and more before a run of a few milliseconds, at the start of
// every command and of the server.
import { sql, type Kysely } from 'kysely';

/** Runs `look` on one connection with the JIT compiler off, and puts the connection back as it was. */
export async function withoutJit<D, T>(db: Kysely<D>, look: (connection: Kysely<D>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    // `current_setting(…, true)` is null on a server that has no such setting: nothing to turn off there.
    await sql`select set_config('jit', 'off', false) where current_setting('jit', true) is not null`.execute(connection);
    try {
      return await look(connection);
    } finally {
      // A connection gone meanwhile cannot be reset, and is not lent again.
      await sql`reset jit`.execute(connection).catch(() => undefined);
    }
  });
}
