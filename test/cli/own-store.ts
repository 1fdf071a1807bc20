// A store of a command-line test's own: a SQLite file in its folder, or a fresh PostgreSQL schema
// named in the URL the command is given (dropped again by `dispose`).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreKind } from '../support/stores.js';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TAGBASE_TEST_PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface OwnStore {
  url: string;
  dispose(): Promise<void>;
}

export async function ownStore(kind: StoreKind, dir: string, prefix: string): Promise<OwnStore> {
  if (kind === 'sqlite') return { url: join(dir, 'store.db'), dispose: async () => undefined };
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`create schema ${schema}`);
  return { url: `${process.env.TAGBASE_TEST_PG_URL}?options=-c%20search_path%3D${schema}`, dispose: () => admin(`drop schema if exists ${schema} cascade`) };
}
