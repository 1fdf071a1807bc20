// Opens the store: an embedded SQLite file by default, PostgreSQL when the URL says so.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type MigrationReport } from './migrations.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, with any password removed, for logs and the health check. */
  location: string;
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_PATH = './data/tagbase.db';

// int8 columns (ids, epoch milliseconds) come back from pg as strings by default; every such
// value we store is far below 2^53, so numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export interface OpenStoreOptions {
  /** A PostgreSQL schema to work in (tests isolate themselves this way). */
  pgSchema?: string;
  /** Upper bound of pooled PostgreSQL connections. */
  poolSize?: number;
}

export async function openStore(url: string = DEFAULT_DATABASE_PATH, options: OpenStoreOptions = {}): Promise<Store> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url);
}

function openSqlite(path: string): Store {
  const file = path.startsWith('sqlite:') ? path.slice('sqlite:'.length) : path;
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  // An ingest batch of 1,000 events dirties ~3,000 scattered pages, so the default checkpoint
  // every 1,000 pages ran (and synced) after every batch: half its commit time. Every ~10,000
  // pages (~40 MB of WAL) lets pages rewritten by consecutive batches be copied back once;
  // the size limit truncates the file to 64 MB again after an unusually large transaction.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('journal_size_limit = 67108864');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    migrate: () => migrateToLatest(db as Kysely<unknown>, 'sqlite'),
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (options.pgSchema) await sql`create schema if not exists ${sql.id(options.pgSchema)}`.execute(db);
  return {
    db,
    dialect: 'postgres',
    location: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    migrate: () => migrateToLatest(db as Kysely<unknown>, 'postgres', options.pgSchema),
    close: () => db.destroy(),
  };
}
