// Opens the store: an embedded SQLite file by default, PostgreSQL when the URL says so.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type Driver, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { hasPendingMigrations, migrateToLatest, type MigrationReport } from './migrations.js';
import { isStoreBusy } from './unavailable.js';
import { isPermissionDenied, permissionDenied } from './permissions.js';
import { withoutJit } from './catalog-look.js';
import { refusedConnection, unreachableStore } from './connection-refusals.js';
import type { Database } from './schema.js';
import type PgDriver from 'pg';

export { isConnectionRefused, refusedConnection, unreachableStore } from './connection-refusals.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, with any password removed, for logs and the health check. */
  location: string;
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
  /**
   * SQLite only: runs a select on the store's one connection and returns its rows as arrays.
   * Only safe inside a transaction of this store, which holds that connection (see `selectTuples`).
   */
  readTuples?: (query: CompiledQuery) => unknown[][];
}

export const DEFAULT_DATABASE_PATH = './data/tagbase.db';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export interface OpenStoreOptions {
  /** A PostgreSQL schema to work in (tests isolate themselves this way). */
  pgSchema?: string;
  /** Upper bound of pooled PostgreSQL connections. */
  poolSize?: number;
  /**
   * Told when PostgreSQL ends a pooled connection outside a statement (a restart of the server,
   * an administrator's `pg_terminate_backend`, an idle timeout on the way); the pool drops that
   * connection and opens a new one at the next query.
   */
  onConnectionLost?: (error: Error) => void;
}

export async function openStore(url: string = DEFAULT_DATABASE_PATH, options: OpenStoreOptions = {}): Promise<Store> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url);
}

function openSqlite(path: string): Store {
  const file = path.startsWith('sqlite:') ? path.slice('sqlite:'.length) : path;
  if (file !== ':memory:') makeFolder(dirname(file));
  if (file !== ':memory:' && file !== '' && existsSync(`${file}-wal`)) assertReadableBeforeWriting(file);
  const database = new SqliteDatabase(file);
  try {
    useWriteAheadLog(database);
    database.pragma(`synchronous = ${sqliteSynchronous(process.env.TAGBASE_SQLITE_SYNCHRONOUS)}`);
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    database.pragma('cache_size = -65536');
    // A row deleted or rewritten is overwritten with zeros in its page, which is written anyway,
    // so that no older text of a customer stays readable in the file; an erasure goes further
    // (src/store/erased-bytes.ts). Pages freed whole are left as they are: zeroing them on every
    // index snapshot replaced held the server ~1.2 s at a million customers.
    database.pragma('secure_delete = FAST');
    // An ingest batch of 1,000 events dirties ~3,000 scattered pages, so the default checkpoint
    // every 1,000 pages ran (and synced) after every batch: half its commit time. Every ~10,000
    // pages (~40 MB of WAL) lets pages rewritten by consecutive batches be copied back once;
    // the size limit truncates the file to 64 MB again after an unusually large transaction.
    database.pragma('wal_autocheckpoint = 10000');
    database.pragma('journal_size_limit = 67108864');
    if (file !== ':memory:' && file !== '') assertStoreReadable(database, file);
  } catch (error) {
    database.close();
    throw storeDamaged(error, file) ?? error;
  }
  const tuples = new StatementCache(database, true);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database, new StatementCache(database, false)) }, database) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    readTuples: (query) => tuples.prepare(query.sql).all(...query.parameters) as unknown[][],
    migrate: () => migrateSqlite(database, db as Kysely<unknown>, file),
    close: () => db.destroy(),
  };
}

/** How long opening a SQLite store waits for the lock it needs to switch the file to write-ahead logging, as long as the busy timeout. */
export const WAL_SWITCH_WAIT_MS = 5_000;

/**
 * Puts the file in write-ahead-log mode. A file in rollback-journal mode (a backup just restored,
 * a store copied from elsewhere) is switched when it first opens, which writes its header; two
 * processes opening it at once (the server and a command) both try, and SQLite fails the one
 * that finds the other's switch under way at once with "database is locked", without waiting
 * out the busy timeout (it already holds a read lock, and waiting could deadlock). So the switch
 * is tried again, a little later each time, for up to `waitMs`; by then the other process has
 * usually switched it, and the next try finds the file in WAL mode and writes nothing. A file
 * already in WAL mode is not written at all.
 */
export function useWriteAheadLog(database: SqliteDatabase.Database, waitMs: number = WAL_SWITCH_WAIT_MS): void {
  const started = Date.now();
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isStoreBusy(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= waitMs) throw walSwitchBusy(waitMs);
      sleep(Math.min(pause, waitMs - waited));
    }
  }
}

function walSwitchBusy(waitMs: number): TagbaseError {
  const seconds = Number((waitMs / 1000).toFixed(1));
  return new TagbaseError('STORE_UNAVAILABLE', {
    detail: localized(
      `the store is in rollback-journal mode (a backup just restored, say) and is switched to write-ahead logging when it opens, but another process (the server, or a command beside it) held it locked for the ${seconds} s this one waited to switch it (database is locked); nothing was changed, try again shortly`,
      `此数据库处于回滚日志模式（例如刚从备份恢复），打开时要切换为预写日志（WAL）模式，但另一个进程（服务器，或同时运行的命令）在本进程等待切换的 ${seconds} 秒内一直锁定着它（database is locked）；未做任何更改，请稍后重试`,
    ),
  });
}

/** Blocks this thread for `ms` milliseconds: opening a SQLite store is synchronous. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Migrations on SQLite hold the file's write lock from before they read which are applied until
 * the last one is recorded: Kysely's migrator takes no lock on SQLite, so two processes opening a
 * store that needed them (a server starting beside a command, two servers after an upgrade) both
 * ran them, and the second failed on a table the first had made ("table … already exists"). The
 * one that waits (up to the busy timeout) then finds them applied; one that fails leaves the
 * store as it found it. A store that needs none takes no lock, so one that cannot be written
 * still opens for reading.
 */
async function migrateSqlite(database: SqliteDatabase.Database, db: Kysely<unknown>, file: string): Promise<MigrationReport> {
  if (!(await hasPendingMigrations(db, 'sqlite'))) return migrateToLatest(db, 'sqlite');
  assertNoForeignTables(database, file);
  // The migrator's statements run on this same connection, so they run inside this transaction.
  database.exec('begin immediate');
  try {
    const report = await migrateToLatest(db, 'sqlite');
    database.exec('commit');
    return report;
  } catch (error) {
    if (database.inTransaction) database.exec('rollback');
    throw error;
  }
}

/**
 * Refuses a SQLite file holding another program's tables and no tagbase store (a mistyped path,
 * the neighbouring application's database) before anything is written to it: migrating it would
 * add tagbase's tables to a database that is not its own, and answer from an empty store. A file
 * with no tables (new, or empty) and a store of an earlier version (its first migration recorded)
 * migrate as before.
 */
function assertNoForeignTables(database: SqliteDatabase.Database, file: string): void {
  const tables = database.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name").pluck().all() as string[];
  const others = tables.filter((name) => !name.startsWith('kysely_migration'));
  if (others.length === 0) return;
  const ours = tables.includes('kysely_migration') && database.prepare("select 1 from kysely_migration where name = '0001_initial_schema'").get() !== undefined;
  if (ours) return;
  const named = others.slice(0, FOREIGN_TABLES_NAMED).join(', ');
  throw new TagbaseError('STORE_FOREIGN', {
    path: file,
    tables: others.length > FOREIGN_TABLES_NAMED ? localized(`${named}, … ${others.length} tables`, `${named} 等 ${others.length} 张表`) : named,
  });
}

/** How many of a foreign database's tables its refusal names. */
const FOREIGN_TABLES_NAMED = 5;

/**
 * Refuses a SQLite file that is damaged (a page overwritten, the file cut short) when it opens,
 * rather than at whichever read first meets the damage: a server would otherwise start on it and
 * fail its background work over and over. What is read is proportional to the schema, not to the
 * data (a few milliseconds on a store of gigabytes, where `PRAGMA quick_check` reads every page):
 * the file's header and the schema (sqlite_master), and for every table and index its root page
 * and the pages down to its first leaf. That finds a file cut short (SQLite compares its length
 * with the size its header gives), a damaged header or schema, and damage to the tables holding
 * a few rows (workspaces, tags, tokens, …), which fit in their root page; damage deeper in a large
 * table is found when a read reaches it, and said then as STORE_CORRUPT too (see storeDamaged).
 */
function assertStoreReadable(database: SqliteDatabase.Database, file: string, hint?: LocalizedText): void {
  let where: string | undefined;
  try {
    const trees = database.prepare("select type, name, tbl_name as tableName, sql from sqlite_master where type in ('table', 'index') and rootpage > 0").all() as { type: string; name: string; tableName: string; sql: string | null }[];
    for (const tree of trees) {
      where = tree.name;
      // `not indexed` and `indexed by` make SQLite walk this b-tree and no other; a partial
      // index is only used for a query carrying its condition.
      const condition = tree.type === 'index' && tree.sql !== null ? /\bwhere\b([\s\S]*)$/i.exec(tree.sql)?.[1] : undefined;
      const text = tree.type === 'table' ? `select 1 from ${quoted(tree.name)} not indexed limit 1` : `select 1 from ${quoted(tree.tableName)} indexed by ${quoted(tree.name)}${condition === undefined ? '' : ` where ${condition}`} limit 1`;
      try {
        database.prepare(text).get();
      } catch (error) {
        // A query this check could not make (an index SQLite will not scan so) says nothing of damage.
        if (isStoreDamage(error)) throw error;
      }
    }
  } catch (error) {
    throw storeDamaged(error, file, where, hint) ?? error;
  }
}

/**
 * A file with a `-wal` beside it is read through that log, and the last connection to close
 * folds the log into the file. A copy put in place of another store (a backup restored) with
 * that store's `-wal` left beside it reads as damaged, and folding the log in would damage the
 * copy for good: so it is first checked on a read-only connection, which writes nothing, and a
 * refusal names the files to move aside. Anything else a read-only connection meets (one that
 * cannot open here) is left to the usual opening.
 */
function assertReadableBeforeWriting(file: string): void {
  let reader: SqliteDatabase.Database;
  try {
    reader = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch {
    return;
  }
  const wal = `${basename(file)}-wal`;
  const shm = `${basename(file)}-shm`;
  const hint = localized(
    `${wal} beside it is read with it: if the file was just put in place of another store (a backup restored), move ${wal} and ${shm} aside; the file was not written`,
    `与它同在的 ${wal} 会被一并读取：若此文件刚放到另一个数据库的位置上（从备份恢复），请把 ${wal} 和 ${shm} 移开；此文件未被写入`,
  );
  try {
    assertStoreReadable(reader, file, hint);
  } catch (error) {
    if (error instanceof TagbaseError && error.code === 'STORE_CORRUPT') throw error;
  } finally {
    reader.close();
  }
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether SQLite found the file damaged (SQLITE_CORRUPT and its extended codes). */
export function isStoreDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CORRUPT');
}

/** A damaged file as STORE_CORRUPT, naming the file and, when known, the table or index where the damage is. */
export function storeDamaged(error: unknown, file: string, where?: string, hint?: LocalizedText): TagbaseError | undefined {
  if (!isStoreDamage(error)) return undefined;
  const said = error instanceof Error ? error.message : String(error);
  const placed = where === undefined ? localized(said, said) : localized(`${said}, in ${where}`, `${said}，位于 ${where}`);
  return new TagbaseError('STORE_CORRUPT', {
    path: file,
    detail: hint === undefined ? (where === undefined ? said : placed) : localized(`${placed.en}; ${hint.en}`, `${placed['zh-CN']}；${hint['zh-CN']}`),
  });
}

/**
 * `mkdir -p`, failing where Node's `mkdirSync(…, { recursive: true })` spins for ever: under a
 * parent that exists but cannot hold folders (/proc, a dangling link), mkdir answers "no such
 * file" for the child and "exists" for the parent, and Node goes back and forth between them.
 */
function makeFolder(folder: string): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(folder) === folder) throw error;
    makeFolder(dirname(folder));
    // The parent is there now: "no such file" again means it cannot hold this folder.
    try {
      mkdirSync(folder);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/**
 * SQLite transactions that take the write lock when they begin (`begin immediate`), waiting up to
 * the busy timeout for another process to finish, rather than when they first write. A
 * transaction begun with a plain `begin` reads first and takes the lock at its first write;
 * when another process (the server, while a command imports into the same file, or the other
 * way round) has committed in between, SQLite cannot let it write on what it read and fails it
 * at once with "database is locked" (SQLITE_BUSY_SNAPSHOT), without waiting. Within one
 * process the single connection already runs one transaction at a time, so nothing waits more.
 * A transaction that only reads says so (`setAccessMode('read only')`) and takes no lock.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly file: SqliteDatabase.Database,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection, settings) => {
      await connection.executeQuery(CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'));
    };
    // A full disk or an I/O error can make SQLite roll the whole transaction back itself; the
    // rollback after the error would then fail ("cannot rollback - no transaction is active")
    // and take the place of the error that says what happened (a full disk: STORE_NOT_WRITABLE).
    driver.rollbackTransaction = async (connection) => {
      if (this.file.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
    };
    return driver;
  }
}

/**
 * How hard a SQLite commit holds on to what it wrote. `full` (the default): the write-ahead log
 * is synced before a commit returns, so an acknowledged write survives a power loss as well as
 * a crash of the process. `normal`: the log is synced only at checkpoints, so a commit survives
 * the process dying but a power loss or a crash of the machine may undo the last ones (the file
 * stays consistent either way).
 */
export function sqliteSynchronous(setting: string | undefined): 'FULL' | 'NORMAL' {
  const value = (setting ?? 'full').trim().toLowerCase();
  if (value === 'full' || value === '') return 'FULL';
  if (value === 'normal') return 'NORMAL';
  throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`TAGBASE_SQLITE_SYNCHRONOUS is "full" or "normal", not "${setting}"`, `TAGBASE_SQLITE_SYNCHRONOUS 只能是 "full" 或 "normal"，而不是「${setting}」`) });
}

/** How long a PostgreSQL connection may take to open, or a statement wait for a free one of the pool. */
export const PG_CONNECT_TIMEOUT_MS = 30_000;

/**
 * `TAGBASE_PG_POOL_SIZE`: how many connections one process keeps to PostgreSQL at most (10
 * unless set). Several servers on one PostgreSQL share its `max_connections` (100 by default).
 */
export function pgPoolSize(setting: string | undefined): number {
  const value = (setting ?? '').trim();
  if (value === '') return 10;
  const size = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isInteger(size) && size >= 1 && size <= 1000) return size;
  throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`TAGBASE_PG_POOL_SIZE is a whole number from 1 to 1000, not "${setting}"`, `TAGBASE_PG_POOL_SIZE 应为 1 到 1000 的整数，而不是「${setting}」`) });
}

/**
 * The file of a SQLite store, which a second connection (a worker thread's) can open; undefined
 * for PostgreSQL and an in-memory database.
 */
export function sqliteFile(store: Store): string | undefined {
  if (store.dialect !== 'sqlite' || store.location === '' || store.location === ':memory:') return undefined;
  return resolve(store.location);
}

/** Distinct statements kept prepared; the engine's hot statements are a few dozen. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The driver prepares every statement it runs, and preparing an ingest batch's statements of
 * thousands of parameters cost as much as running some of them; the same texts recur batch
 * after batch (chunked statements have fixed sizes), so prepared statements are reused.
 */
class StatementCache {
  readonly #statements = new Map<string, SqliteDatabase.Statement>();
  constructor(
    private readonly database: SqliteDatabase.Database,
    private readonly raw: boolean,
  ) {}

  prepare(text: string): SqliteDatabase.Statement {
    const cached = this.#statements.get(text);
    // A statement still being iterated cannot be run again until it is done.
    if (cached && !cached.busy) {
      // Most recently used last, so that the oldest entry is the first in the map.
      this.#statements.delete(text);
      this.#statements.set(text, cached);
      return cached;
    }
    const statement = this.database.prepare(text);
    if (this.raw && statement.reader) statement.raw(true);
    if (cached) return statement;
    this.#statements.set(text, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next();
      if (!oldest.done) this.#statements.delete(oldest.value);
    }
    return statement;
  }

  clear(): void {
    this.#statements.clear();
  }
}

function withStatementCache(database: SqliteDatabase.Database, statements: StatementCache): KyselySqliteDatabase {
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (text: string) => statements.prepare(text),
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  // Loaded only for PostgreSQL: a command on the SQLite default does not pay for the driver.
  const { default: pg } = await import('pg');
  // int8 columns (ids, epoch milliseconds) come back from pg as strings by default; every such
  // value we store is far below 2^53, so numbers are exact.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  const pool = new pg.Pool({
    connectionString: await inTheClearWithoutSsl(pg, pgConnectionString(url)),
    max: options.poolSize ?? pgPoolSize(process.env.TAGBASE_PG_POOL_SIZE),
    // A server behind a firewall that drops packets would hold a new connection for the system's
    // TCP timeout (two minutes and more): STORE_UNAVAILABLE after this long instead, as for a refusal.
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  // Without listeners, the error of a connection the server ends would end the process: the
  // pool's event for one waiting idle, the connection's own for one lent out (a transaction
  // between two statements). Each connection reports through its own listener, once; the pool
  // drops it then (idle) or when it comes back unusable (lent out).
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionLost?.(error)));
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = withoutPassword(url);
  if (options.pgSchema) await sql`create schema if not exists ${sql.id(options.pgSchema)}`.execute(db);
  return {
    db,
    dialect: 'postgres',
    location,
    // The first statement of every command and of the server: a database out of reach is named here, in words.
    migrate: async () => {
      try {
        const schema = options.pgSchema ?? (await currentSchema(db));
        return await withoutJit(db as Kysely<unknown>, (connection) => migrateToLatest(connection, 'postgres', schema));
      } catch (error) {
        // Refusals first: a database that does not exist is also how one dropped under a running server reads.
        const refused = refusedConnection(error, location) ?? (isPermissionDenied(error) ? await permissionDenied(db, error, location, await migrationsPending(db, options.pgSchema)) : undefined);
        if (refused) throw refused;
        throw unreachableStore(error, location) ?? error;
      }
    },
    close: () => db.destroy(),
  };
}

/**
 * Whether the store lacks a migration this version has, so that a refusal met while migrating is
 * a migration's (making or changing a table); false when that cannot be read either.
 */
async function migrationsPending(db: Kysely<Database>, pgSchema: string | undefined): Promise<boolean> {
  const schema = pgSchema ?? (await currentSchema(db).catch(() => undefined));
  return hasPendingMigrations(db as Kysely<unknown>, 'postgres', schema).catch(() => false);
}

/**
 * The schema the store's tables are made in: the first of the connection's search_path that
 * exists (`public`, or one a URL names with `?options=-c search_path=…`).
 */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null; path: string }>`select current_schema() as schema, current_setting('search_path') as path`.execute(db);
  const found = rows[0];
  if (found?.schema) return found.schema;
  const path = found?.path ?? '';
  // current_schema() also skips a schema that exists where the user may not use it.
  const schemas = searchPathSchemas(path);
  const { rows: closed } = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname = any(${schemas.map((schema) => schema.name)}::text[]) and not has_schema_privilege(oid, 'USAGE') order by nspname`.execute(db);
  if (closed[0] !== undefined) throw Object.assign(new Error(`permission denied for schema ${closed[0].name}`), { code: '42501' });
  // PostgreSQL reads a name without double quotes in lower case: `search_path=Shop` names a
  // schema `shop`, so a schema made as "Shop" looks present and is not found.
  const unquoted = schemas.filter((schema) => !schema.quoted).map((schema) => schema.name);
  const { rows: cased } = await sql<{ name: string }>`select nspname as name from pg_namespace where lower(nspname) = any(${unquoted}) and nspname <> lower(nspname) order by nspname`.execute(db);
  const named = cased[0]?.name;
  if (named !== undefined) {
    const quoted = encodeURIComponent(`-c search_path="${named}"`);
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `the search_path "${path}" names the schema "${named.toLowerCase()}", which does not exist; a schema "${named}" does, and PostgreSQL reads a name without double quotes in lower case: write it quoted (?options=${quoted})`,
        `search_path「${path}」指的是模式「${named.toLowerCase()}」，它不存在；存在的是模式「${named}」，而 PostgreSQL 会把不带双引号的名称读作小写：请加上双引号（?options=${quoted}）`,
      ),
    });
  }
  throw new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `no schema of the search_path "${path}" exists in this PostgreSQL database: create it first (create schema …)`,
      `此 PostgreSQL 数据库中不存在 search_path「${path}」里的任何模式：请先创建（create schema …）`,
    ),
  });
}

/** The schemas of a search_path as PostgreSQL reads them (a name without double quotes in lower case), `$user` left out. */
function searchPathSchemas(path: string): { name: string; quoted: boolean }[] {
  return path
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '"$user"' && part !== '$user')
    .map((part) => (part.startsWith('"') && part.endsWith('"') ? { name: part.slice(1, -1).replace(/""/g, '"'), quoted: true } : { name: part.toLowerCase(), quoted: false }));
}

/**
 * The URL as the driver is to read it. `sslmode=prefer`, `require` and `verify-ca` mean what they
 * mean to psql and pg_dump given the same URL: encrypted, the certificate checked only against a
 * CA named by `sslrootcert` (and verify-ca without the host name). pg 8 reads them as verify-full
 * and prints a warning on every start that pg 9 will not; asking for libpq's reading (as its
 * warning advises) gives that meaning now, without the warning.
 */
export function pgConnectionString(url: string): string {
  // `allow` tries in the clear first, then SSL; read as `prefer` it connects wherever psql would, encrypted where it can be.
  const read = url.replace(/([?&]sslmode=)allow(?=&|#|$)/, '$1prefer');
  if (!/[?&]sslmode=(prefer|require|verify-ca)(&|#|$)/.test(read) || /[?&]uselibpqcompat=/i.test(read)) return read;
  return read.replace(/(#[^?]*)?$/, '&uselibpqcompat=true$1');
}

/**
 * `sslmode=prefer` (libpq's default, often left in a URL copied from elsewhere) connects in the
 * clear to a server that offers no SSL, as psql and pg_dump do; the driver would refuse it (The
 * server does not support SSL connections). So a first connection asks, and where the server
 * has no SSL the pool connects with `sslmode=disable`. Anything else that connection meets is
 * left for the store's first statement to say.
 */
async function inTheClearWithoutSsl(driver: { Client: typeof PgDriver.Client }, url: string): Promise<string> {
  if (!/[?&]sslmode=prefer(&|#|$)/.test(url)) return url;
  const probe = new driver.Client({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return url;
  } catch (error) {
    return (error as Error).message === 'The server does not support SSL connections' ? url.replace(/([?&]sslmode=)prefer(?=&|#|$)/, '$1disable') : url;
  } finally {
    await probe.end().catch(() => {});
  }
}

/**
 * A database URL as logs and messages show it: a password, in the address or as a parameter, is
 * `***`. The address's password runs to its last `@`, as the driver reads it: one written with an
 * `@` unencoded (`pa@ss`) is hidden whole, not up to its first `@`.
 */
export function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:@/?#]+):[^/?#]*@/, '//$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}
