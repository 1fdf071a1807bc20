// Copies a whole store into another, empty one of either kind (`tagbase store copy`): every table
// row for row, ids kept, in an order in which foreign keys hold, and the id counters carried over.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { TagbaseError } from '../core/errors.js';
import { toIso } from '../core/time.js';
import { rowsPerInsert } from './chunks.js';
import type { Dialect, Store } from './connect.js';
import { refusedConnection, unreachableStore } from './connection-refusals.js';
import type { Database } from './schema.js';

/**
 * Every table the copy carries, parents before the rows that refer to them, each with the
 * columns that order its rows uniquely (its primary key), so that it is read a page at a time
 * from where the last page ended. Change logs and cursors are carried too: webhooks, care plans
 * and watched segments keep their places in them.
 */
export const COPIED_TABLES = [
  { table: 'workspaces', key: ['id'] },
  { table: 'field_definitions', key: ['workspace_id', 'key'] },
  { table: 'tag_groups', key: ['id'] },
  { table: 'tags', key: ['id'] },
  { table: 'tag_values', key: ['id'] },
  { table: 'customers', key: ['id'] },
  { table: 'identities', key: ['workspace_id', 'kind', 'value'] },
  { table: 'events', key: ['id'] },
  { table: 'assignments', key: ['customer_id', 'value_id'] },
  { table: 'tag_history', key: ['id'] },
  { table: 'tagging_operations', key: ['id'] },
  { table: 'customer_merges', key: ['id'] },
  { table: 'customer_erasures', key: ['id'] },
  { table: 'metric_definitions', key: ['workspace_id', 'key'] },
  { table: 'customer_metrics', key: ['customer_id'] },
  { table: 'models', key: ['workspace_id', 'key'] },
  { table: 'segments', key: ['id'] },
  { table: 'segment_snapshots', key: ['id'] },
  { table: 'segment_snapshot_members', key: ['snapshot_id', 'customer_id'] },
  { table: 'segment_sizes', key: ['segment_id', 'day'] },
  { table: 'segment_members_seen', key: ['segment_id'] },
  { table: 'segment_changes_log', key: ['id'] },
  { table: 'rule_passes', key: ['workspace_id', 'tag_id'] },
  { table: 'care_plans', key: ['id'] },
  { table: 'care_reminders', key: ['id'] },
  { table: 'care_due_log', key: ['id'] },
  { table: 'customer_changes_log', key: ['id'] },
  { table: 'webhooks', key: ['id'] },
  { table: 'webhook_deliveries', key: ['id'] },
  { table: 'access_tokens', key: ['id'] },
  { table: 'audit_log', key: ['id'] },
  { table: 'export_log', key: ['id'] },
  { table: 'event_journal', key: ['id'] },
  { table: 'changes', key: ['id'] },
] as const satisfies readonly { table: keyof Database; key: readonly string[] }[];

/**
 * Tables left out: the saved snapshot of each workspace's in-memory index, which the server
 * builds again from the rows at its first start (and saves anew), and which is large.
 */
export const SKIPPED_TABLES = ['index_snapshots', 'index_snapshot_parts'] as const satisfies readonly (keyof Database)[];

export type CopiedTableName = (typeof COPIED_TABLES)[number]['table'];

// Every table of the schema is either copied or left out on purpose: a new table that is neither does not compile.
type Unplaced = Exclude<keyof Database, CopiedTableName | (typeof SKIPPED_TABLES)[number]>;
const everyTablePlaced: [Unplaced] extends [never] ? true : Unplaced = true;
void everyTablePlaced;

type Row = Record<string, unknown>;
/** The tables read by name, one after another: each row as the store gives it. */
type AnyTables = Record<string, Row>;

function loose(db: Kysely<Database>): Kysely<AnyTables> {
  return db as unknown as Kysely<AnyTables>;
}

/** The rows of `table` after `after` (by `key`), at most `limit`, in key order. */
async function readPage(db: Kysely<AnyTables>, table: string, key: readonly string[], after: Row | undefined, limit: number): Promise<Row[]> {
  let query = db.selectFrom(table).selectAll();
  if (after !== undefined) {
    // A row-value comparison, which both stores answer from the primary key's index.
    const columns = sql.join(key.map((column) => sql.ref(column)));
    const values = sql.join(key.map((column) => after[column]));
    query = query.where(sql<boolean>`(${columns}) > (${values})`);
  }
  for (const column of key) query = query.orderBy(column);
  return query.limit(limit).execute();
}

async function countRows(db: Kysely<AnyTables>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * A value as the other store takes it. Both stores hold one schema (instants as epoch
 * milliseconds, JSON as text, booleans as 0/1, ids as 64-bit integers read as numbers), so only
 * the shapes a driver may hand back differently are changed: a binary column's bytes as a Buffer.
 */
function asWritten(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

/** The tables of a store that hold rows, by name; the default workspace alone, with nothing in it, is not counted. */
export async function tablesHoldingRows(store: Store, defaultWorkspace: string): Promise<string[]> {
  const db = loose(store.db);
  const holding: string[] = [];
  for (const { table } of COPIED_TABLES) {
    if (table === 'workspaces') {
      // The default workspace a migration or a server's start makes is nothing of anyone's.
      const others = await db.selectFrom('workspaces').select('key').where('key', '<>', defaultWorkspace).limit(1).execute();
      if (others.length > 0) holding.push(table);
      continue;
    }
    const rows = await db.selectFrom(table).select(sql`1`.as('one')).limit(1).execute();
    if (rows.length > 0) holding.push(table);
  }
  return holding;
}

/**
 * Text of a SQLite store that a copy cannot carry as it is: the NUL character (U+0000), which
 * PostgreSQL cannot store in text, or a lone UTF-16 surrogate (U+D800–U+DFFF without its pair),
 * which the driver wrote as its three bytes and reads back as three U+FFFD, so that either store
 * would get other text than the source holds. tagbase refuses both on every way in
 * (src/core/storable-text.ts); a store may hold them from an older version or another program.
 */
export type UnstorableKind = 'nul' | 'surrogate';

/** A column of a SQLite store whose text holds one kind of such text: in how many rows, and the key of the first of them. */
export interface UnstorableText {
  kind: UnstorableKind;
  table: CopiedTableName;
  column: string;
  rows: number;
  /** The first such row's primary key, column by column. */
  first: Row;
}

/** Refuses a copy of a source holding text the target would not get as it is: found before anything is written. */
export class UnstorableTextInSource extends Error {
  constructor(readonly places: UnstorableText[]) {
    super(`the source holds text a copy cannot carry in ${places.map((place) => `${place.table}.${place.column}`).join(', ')}`);
    this.name = 'UnstorableTextInSource';
  }
}

/** Whether a SQLite value is text holding a NUL byte; read as bytes, since SQLite's text functions stop at the first NUL. */
function holdsNul(column: string): RawBuilder<number> {
  return sql<number>`(case when typeof(${sql.ref(column)}) = 'text' then instr(cast(${sql.ref(column)} as blob), x'00') > 0 else 0 end)`;
}

// A surrogate's three bytes start ED A0–ED BF, which well-formed UTF-8 never holds (ED starts a
// character, and is followed by 80–9F); a Korean syllable's ED 80–9F is left alone.
const SURROGATE_STARTS = Array.from({ length: 0x20 }, (_, index) => sql.raw(`x'ED${(0xa0 + index).toString(16).toUpperCase()}'`));

/** Whether a SQLite value is text holding a lone surrogate, read as bytes (SQLite's text functions read one as U+FFFD); only text holding the byte ED is looked at further. */
function holdsSurrogate(column: string): RawBuilder<number> {
  const bytes = sql`cast(${sql.ref(column)} as blob)`;
  const any = sql.join(
    SURROGATE_STARTS.map((start) => sql`instr(${bytes}, ${start}) > 0`),
    sql` or `,
  );
  return sql<number>`(case when typeof(${sql.ref(column)}) <> 'text' then 0 when instr(${bytes}, x'ED') = 0 then 0 else (${any}) end)`;
}

const HOLDS: Record<UnstorableKind, (column: string) => RawBuilder<number>> = { nul: holdsNul, surrogate: holdsSurrogate };

/** Every column of a SQLite store's copied tables whose text holds one of `kinds`: one scan of each table, and one more of each column and kind found. */
export async function sqliteUnstorableTexts(db: Kysely<AnyTables>, kinds: readonly UnstorableKind[]): Promise<UnstorableText[]> {
  const found: UnstorableText[] = [];
  if (kinds.length === 0) return found;
  for (const { table, key } of COPIED_TABLES) {
    const { rows: columns } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    if (columns.length === 0) continue;
    const counted = sql.join(columns.flatMap(({ name }, index) => kinds.map((kind) => sql`sum(${HOLDS[kind](name)}) as ${sql.ref(`c${index}_${kind}`)}`)));
    const { rows } = await sql<Record<string, number | null>>`select ${counted} from ${sql.table(table)}`.execute(db);
    const sums = rows[0] ?? {};
    for (const [index, { name }] of columns.entries()) {
      for (const kind of kinds) {
        const count = Number(sums[`c${index}_${kind}`] ?? 0);
        if (count === 0) continue;
        let query = db.selectFrom(table).select(key.map((column) => sql.ref(column).as(column))).where(HOLDS[kind](name), '=', 1);
        for (const column of key) query = query.orderBy(column);
        const first = (await query.limit(1).executeTakeFirst()) ?? {};
        found.push({ kind, table, column: name, rows: count, first });
      }
    }
  }
  return found;
}

/**
 * The table a copy makes in its target as it begins to write and drops once the copy is whole
 * and counted, its one row naming the source: a target holding it holds an unfinished copy (one
 * killed outright, or whose emptying failed), which the next copy empties itself. It is no table
 * of the schema, so no command reads it as data, and a finished copy has none.
 */
const UNFINISHED_COPY = 'tagbase_copy_unfinished';

export interface UnfinishedCopy {
  /** The store copied from, as the copy named it. */
  source: string;
  /** When the copy began to write, epoch milliseconds. */
  started_at: number;
}

/** The unfinished copy the target holds, if it holds one. */
export async function unfinishedCopy(store: Store): Promise<UnfinishedCopy | undefined> {
  const there: RawBuilder<{ found: unknown }> =
    store.dialect === 'sqlite'
      ? sql`select name as found from sqlite_master where type = 'table' and name = ${UNFINISHED_COPY}`
      : sql`select to_regclass(${UNFINISHED_COPY}) as found`;
  // Asked before the migrations, this is a command's first statement: a store out of reach, or
  // one refusing the connection, is said in words here as the migrations would say it.
  const { rows } = await there.execute(store.db).catch((error: unknown) => {
    throw refusedConnection(error, store.location) ?? unreachableStore(error, store.location) ?? error;
  });
  if (rows[0]?.found === undefined || rows[0].found === null) return undefined;
  const { rows: marks } = await sql<{ source: string; started_at: number | string }>`select source, started_at from ${sql.table(UNFINISHED_COPY)}`.execute(store.db);
  const [mark] = marks;
  return { source: mark?.source ?? '', started_at: Number(mark?.started_at ?? 0) };
}

/**
 * Throws STORE_COPY_UNFINISHED when the store holds an unfinished copy: a command that writes
 * (a server above all) stops there, before writing anything, since the next copy into the store
 * would empty it, and what was written with it, without a word. Commands that only read open it,
 * making nothing in it, and are told the same where the copy left no workspace to read.
 */
export async function assertNoUnfinishedCopy(store: Store): Promise<void> {
  const unfinished = await unfinishedCopy(store);
  if (unfinished === undefined) return;
  throw unfinishedCopyError(store.location, unfinished);
}

/** STORE_COPY_UNFINISHED for the store at `location`: the copy to run again, or the mark to drop. */
export function unfinishedCopyError(location: string, unfinished: UnfinishedCopy): TagbaseError {
  return new TagbaseError('STORE_COPY_UNFINISHED', { store: location, source: unfinished.source, since: toIso(unfinished.started_at) });
}

/**
 * Readies an empty target for the copy, in one transaction: clears what it may hold (its bare
 * default workspace and any index snapshot of it) and marks it as holding an unfinished copy of
 * `source`, before the first row is written.
 */
export async function beginCopy(store: Store, source: string, now: Date): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('index_snapshot_parts').execute();
    await trx.deleteFrom('index_snapshots').execute();
    await trx.deleteFrom('workspaces').execute();
    await trx.schema.createTable(UNFINISHED_COPY).addColumn('source', 'text', (column) => column.notNull()).addColumn('started_at', 'bigint', (column) => column.notNull()).execute();
    await sql`insert into ${sql.table(UNFINISHED_COPY)} (source, started_at) values (${source}, ${now.getTime()})`.execute(trx);
  });
}

/** Takes the mark of an unfinished copy off the target: the last write of a copy that is whole. */
export async function finishCopy(store: Store): Promise<void> {
  await store.db.schema.dropTable(UNFINISHED_COPY).ifExists().execute();
}

/**
 * Empties every table a copy writes, children first, resets their id counters and takes off the
 * mark of an unfinished copy: a copy that failed or was stopped partway, or one killed outright
 * that the next copy finds, leaves the target migrated and empty, which a copy takes as empty.
 */
export async function emptyTarget(store: Store): Promise<void> {
  const tables = [...COPIED_TABLES.map(({ table }) => table), ...SKIPPED_TABLES].reverse();
  await store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') {
      // One statement for all of them (foreign keys among them hold), at once whatever the rows, the sequences restarted.
      await sql`truncate table ${sql.join(tables.map((table) => sql.table(table)))} restart identity`.execute(trx);
    } else {
      for (const table of tables) await loose(trx).deleteFrom(table).execute();
      await sql`delete from sqlite_sequence where name in (${sql.join(tables)})`.execute(trx);
    }
    await trx.schema.dropTable(UNFINISHED_COPY).ifExists().execute();
  });
}

export interface TableCopied {
  table: CopiedTableName;
  rows: number;
  total: number;
  /** Told once a table is whole; before, after each statement. */
  finished: boolean;
}

export interface CopyOptions {
  onTable: (progress: TableCopied) => void;
  beforeWriting?: (() => Promise<void>) | undefined;
  stop?: AbortSignal | undefined;
}

export interface CopyReport {
  tables: { table: CopiedTableName; source: number; target: number }[];
  rows: number;
}

/**
 * Copies every table of `source` into `target` (migrated, empty) as of one moment of the source:
 * all of it is read in one read-only transaction (on SQLite a snapshot the server's writes do not
 * disturb; on PostgreSQL repeatable read), and written in statements of at most `rowsPerInsert`
 * rows, each its own transaction. Then the target's id counters are set past the source's
 * (a log's counter may stand past its last row, whose ids are not to be given again), and the
 * rows of each table counted on both sides. The source is only read. `beforeWriting` runs within
 * the source's read, once it is known to be copyable (from SQLite: no text holding a lone
 * surrogate, nor, into PostgreSQL, the NUL character, else `UnstorableTextInSource`), before the
 * first row is written. Once `stop` is aborted the copy ends after the statement under way,
 * throwing its reason.
 */
export async function copyStore(source: Store, target: Store, options: CopyOptions): Promise<CopyReport> {
  const { onTable, beforeWriting, stop } = options;
  const into = loose(target.db);
  const begun = source.db.transaction().setAccessMode('read only');
  const reading = source.dialect === 'postgres' ? begun.setIsolationLevel('repeatable read') : begun;
  const counts = await reading.execute(async (trx) => {
    const from = loose(trx);
    if (source.dialect === 'sqlite') {
      // PostgreSQL refuses the NUL character mid-copy, and a lone surrogate would arrive as U+FFFD
      // in either store; told here, of every column at once, before the target is touched.
      const unstorable = await sqliteUnstorableTexts(from, target.dialect === 'postgres' ? ['nul', 'surrogate'] : ['surrogate']);
      if (unstorable.length > 0) throw new UnstorableTextInSource(unstorable);
    }
    stop?.throwIfAborted();
    await beforeWriting?.();
    stop?.throwIfAborted();
    const sourceCounts = new Map<CopiedTableName, number>();
    for (const { table } of COPIED_TABLES) sourceCounts.set(table, await countRows(from, table));
    for (const { table, key } of COPIED_TABLES) {
      const total = sourceCounts.get(table) ?? 0;
      let done = 0;
      let after: Row | undefined;
      let limit = 1000;
      for (;;) {
        const page = await readPage(from, table, key, after, limit);
        if (page.length === 0) break;
        const first = page[0] ?? {};
        limit = rowsPerInsert(Object.keys(first).length);
        const rows = page.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, asWritten(value)])));
        await target.db.transaction().execute(async (write) => {
          await loose(write).insertInto(table).values(rows).execute();
        });
        done += page.length;
        if (stop !== undefined) {
          // A signal is told on a turn of the event loop, which a SQLite store's statements, answered at once, never give.
          await new Promise((resolve) => setImmediate(resolve));
          stop.throwIfAborted();
        }
        onTable({ table, rows: done, total, finished: false });
        after = page[page.length - 1];
      }
      onTable({ table, rows: done, total, finished: true });
    }
    const counters = new Map<string, number>();
    for (const { table, key } of COPIED_TABLES) {
      if (key[0] !== 'id' || key.length !== 1) continue;
      counters.set(table, await idCounter(from, source.dialect, table));
    }
    return { sourceCounts, counters };
  });
  for (const [table, highest] of counts.counters) await setIdCounter(into, target.dialect, table, highest);
  const tables: CopyReport['tables'] = [];
  for (const { table } of COPIED_TABLES) tables.push({ table, source: counts.sourceCounts.get(table) ?? 0, target: await countRows(into, table) });
  return { tables, rows: tables.reduce((sum, entry) => sum + entry.target, 0) };
}

/**
 * The highest id `table` has given out: its counter (which stays past rows deleted since, a log
 * delivered and dropped), or its highest id where that is higher.
 */
async function idCounter(db: Kysely<AnyTables>, dialect: Dialect, table: string): Promise<number> {
  const counted: RawBuilder<{ seq: number | string | null }> =
    dialect === 'sqlite' ? sql`select seq from sqlite_sequence where name = ${table}` : sql`select pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass) as seq`;
  const { rows } = await counted.execute(db);
  const highest = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Math.max(Number(rows[0]?.seq ?? 0), Number(highest?.id ?? 0));
}

/** Sets the target's counter of `table` so that the next id it gives is past `highest`. */
async function setIdCounter(db: Kysely<AnyTables>, dialect: Dialect, table: string, highest: number): Promise<void> {
  if (dialect === 'postgres') {
    await (highest > 0
      ? sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${highest}, true)`
      : sql`select setval(pg_get_serial_sequence(${table}, 'id'), 1, false)`
    ).execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`delete from sqlite_sequence where name = ${table}`.execute(trx);
    if (highest > 0) await sql`insert into sqlite_sequence (name, seq) values (${table}, ${highest})`.execute(trx);
  });
}
