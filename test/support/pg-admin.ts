// PostgreSQL tests set up what a store cannot do for itself (roles, schemas, databases, a backend
// ended) on a connection of their own as the test server's user, outside the store under test.
import pg from 'pg';

/** Runs `body` on a connection of its own to the test server, closed after. */
export async function asAdmin<T>(body: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: process.env.TAGBASE_TEST_PG_URL });
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.end();
  }
}
