// Snapshots of a workspace's index in the store, so that a process starts from the latest one
// and the change log after it instead of reading every customer. A snapshot is only a cache of
// derived data: anything that makes it doubtful (another catalog, a damaged or missing part, a
// position the log may no longer reach) makes the caller build from the store instead.
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sql, type Transaction } from 'kysely';
import { COMPUTED_FIELDS } from '../core/customer.js';
import { BUILTIN_FIELD_COLUMNS } from '../store/customer-fields.js';
import { IDS_PER_QUERY, chunks } from '../store/chunks.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { SNAPSHOT_FORMAT, SnapshotReader, SnapshotWriter } from './snapshot-format.js';
import { WorkspaceIndex } from './workspace-index.js';
import { SNAPSHOT_SWITCH_LOCK } from '../store/advisory-locks.js';

export interface SnapshotPosition {
  /** The change log id the index reflects. */
  position: number;
  /** When the log was read for `position`. */
  polledAt: number;
}

export interface SavedSnapshot {
  bytes: number;
  parts: number;
  /** Encoding (the event loop is held) and writing. */
  encodeMs: number;
  writeMs: number;
}

export type LoadedSnapshot = ({ index: WorkspaceIndex } & SnapshotPosition) | { rejected: string };

/**
 * What the snapshot's layout depends on beyond the customers: custom fields and their types,
 * metric definitions, the built-in columns and the payload format. A change to any of them is
 * logged as a catalog change, but the log may have been pruned or a process may have died
 * before logging; comparing this catches both. Tags and their values are left out: the index
 * holds who has which value id, whatever the library calls it, so editing the library keeps
 * both the running index and its snapshot.
 */
export async function catalogFingerprint(store: Store, workspaceId: number): Promise<string> {
  const { db } = store;
  const [fields, metrics] = await Promise.all([
    db.selectFrom('field_definitions').select(['key', 'type']).where('workspace_id', '=', workspaceId).orderBy('key').execute(),
    db.selectFrom('metric_definitions').select(['key', 'definition']).where('workspace_id', '=', workspaceId).orderBy('key').execute(),
  ]);
  const hash = createHash('sha256');
  hash.update(JSON.stringify([SNAPSHOT_FORMAT, BUILTIN_FIELD_COLUMNS, COMPUTED_FIELDS]));
  hash.update(JSON.stringify(fields.map((row) => [row.key, row.type])));
  hash.update(JSON.stringify(metrics.map((row) => [row.key, row.definition])));
  return hash.digest('hex');
}


/**
 * Parts of another version than the header's are those of a save under way (another server's)
 * or of one that died half way; after this long since its version was made, it is the latter
 * (writing 220 MiB takes seconds), and its parts are deleted by the next save.
 */
const ABANDONED_PARTS_MS = 3_600_000;

/**
 * Stores `index` as the workspace's snapshot. The payload is encoded at once (so it is the
 * index at `at`, whatever happens while the parts are written); the header is switched to the
 * new parts and the old ones deleted in one short transaction at the end. Nothing is stored, and
 * undefined answered, when a customer it holds was erased meanwhile, or when another save (a
 * second server on the store) installed a snapshot further on in the change log meanwhile.
 */
export async function saveIndexSnapshot(store: Store, index: WorkspaceIndex, at: SnapshotPosition, fingerprint: string): Promise<SavedSnapshot | undefined> {
  const started = performance.now();
  const writer = new SnapshotWriter();
  index.writeSnapshot(writer);
  const parts = writer.finish();
  const checksum = checksumOf(parts);
  const bytes = parts.reduce((total, part) => total + part.length, 0);
  const encoded = performance.now();
  const workspaceId = index.workspaceId;
  const version = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  const { db } = store;
  try {
    for (let part = 0; part < parts.length; part++) {
      await db
        .insertInto('index_snapshot_parts')
        .values({ workspace_id: workspaceId, version, part, data: parts[part] as Buffer })
        .execute();
      // Only the copy in the store is needed from here on.
      parts[part] = Buffer.alloc(0);
    }
    const installed = await db.transaction().execute(async (trx) => {
      // Two servers saving at once switch the header one after the other (SQLite's write lock
      // does it there), each reading the one the other installed: on PostgreSQL both inserted a
      // header where none was, and the second failed on its key.
      if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${SNAPSHOT_SWITCH_LOCK}, ${workspaceId})`.execute(trx);
      const replaced = await trx.selectFrom('index_snapshots').select(['version', 'position']).where('workspace_id', '=', workspaceId).executeTakeFirst();
      // The other server's index had read further in the log: its snapshot is kept, and this one skipped.
      if (replaced && Number(replaced.position) > at.position) return false;
      await trx.deleteFrom('index_snapshots').where('workspace_id', '=', workspaceId).execute();
      // A customer erased while the parts were written is still in them: the erasure deleted the
      // snapshot before this one, and this one must not bring the person back into the store.
      // Read after the delete above, which waits for an erasure deleting the same header.
      if (await customersGoneSince(trx, workspaceId, at.position)) return false;
      await trx
        .insertInto('index_snapshots')
        .values({ workspace_id: workspaceId, version, position: at.position, polled_at: at.polledAt, fingerprint, checksum, bytes, parts: parts.length, created_at: Date.now() })
        .execute();
      // The replaced snapshot's parts and those of saves that died half way, but not the parts
      // another server is writing now: deleted, its header would name parts that are gone, and
      // the next start would refuse the snapshot and build the index from the store.
      const gone = await partsLeftBehind(trx, workspaceId, version);
      if (replaced) gone.add(replaced.version);
      for (const old of chunks([...gone], IDS_PER_QUERY)) await trx.deleteFrom('index_snapshot_parts').where('workspace_id', '=', workspaceId).where('version', 'in', old).execute();
      return true;
    });
    if (!installed) {
      await db.deleteFrom('index_snapshot_parts').where('workspace_id', '=', workspaceId).where('version', '=', version).execute();
      return undefined;
    }
  } catch (error) {
    await db.deleteFrom('index_snapshot_parts').where('workspace_id', '=', workspaceId).where('version', '=', version).execute().catch(() => undefined);
    throw error;
  }
  return { bytes, parts: parts.length, encodeMs: encoded - started, writeMs: performance.now() - encoded };
}

/** The versions of the workspace's parts, besides `version`, whose save began long enough ago to have died half way. */
async function partsLeftBehind(trx: Transaction<Database>, workspaceId: number, version: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('index_snapshot_parts').select('version').distinct().where('workspace_id', '=', workspaceId).where('version', '!=', version).execute();
  const before = Date.now() - ABANDONED_PARTS_MS;
  // A version starts with the time its save began (`saveIndexSnapshot`); one that does not read so is left over too.
  return new Set(rows.map((row) => row.version).filter((other) => !(Number.parseInt(other.split('-')[0] ?? '', 36) >= before)));
}

/** Whether a customer the log reports changed after `position` is no longer stored: erased since. */
async function customersGoneSince(trx: Transaction<Database>, workspaceId: number, position: number): Promise<boolean> {
  const changes = await trx.selectFrom('changes').select('customer_ids').where('workspace_id', '=', workspaceId).where('kind', '=', 'customers').where('id', '>', position).execute();
  const ids = [...new Set(changes.flatMap((change) => JSON.parse(change.customer_ids ?? '[]') as number[]))];
  for (const part of chunks(ids, IDS_PER_QUERY)) {
    const stored = await trx.selectFrom('customers').select('id').where('id', 'in', part).execute();
    if (stored.length < part.length) return true;
  }
  return false;
}

/** The workspace's snapshot as an index, if there is one taken with `fingerprint` that reads back whole. */
export async function loadIndexSnapshot(store: Store, workspaceId: number, fingerprint: string): Promise<LoadedSnapshot> {
  const started = performance.now();
  const { db } = store;
  const header = await db.selectFrom('index_snapshots').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!header) return { rejected: 'no snapshot' };
  if (header.fingerprint !== fingerprint) return { rejected: 'the catalog changed since the snapshot' };
  // pg hands bytea over as hex text; base64 is a third shorter and Node decodes it faster
  // (3.3 s against 4.1 s for 256 MiB).
  const data = store.dialect === 'postgres' ? sql<Buffer | string>`encode(data, 'base64')` : sql<Buffer | string>`data`;
  const readPart = async (part: number): Promise<Buffer | undefined> => {
    const row = await db
      .selectFrom('index_snapshot_parts')
      .select(data.as('data'))
      .where('workspace_id', '=', workspaceId)
      .where('version', '=', header.version)
      .where('part', '=', part)
      .executeTakeFirst();
    if (!row) return undefined;
    return typeof row.data === 'string' ? Buffer.from(row.data, 'base64') : row.data;
  };
  // One part per statement, the next one asked for while this one is decoded: all of them
  // at once would hold the whole payload as text.
  const parts: Buffer[] = [];
  let next = header.parts > 0 ? readPart(0) : undefined;
  for (let part = 0; part < header.parts; part++) {
    const current = await next;
    next = part + 1 < header.parts ? readPart(part + 1) : undefined;
    if (!current) {
      await next?.catch(() => undefined);
      return { rejected: `part ${part} of the snapshot is missing` };
    }
    parts.push(current);
  }
  const bytes = parts.reduce((total, part) => total + part.length, 0);
  if (bytes !== Number(header.bytes) || checksumOf(parts) !== header.checksum) return { rejected: 'the snapshot does not match its checksum' };
  try {
    const index = await WorkspaceIndex.fromSnapshot(store, workspaceId, new SnapshotReader(parts));
    index.buildMs = performance.now() - started;
    return { index, position: Number(header.position), polledAt: Number(header.polled_at) };
  } catch (error) {
    return { rejected: `the snapshot does not read back: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * CRC-32 of the parts in order, with their count: it guards against damage in storage and
 * transit (the store is trusted), at a third of SHA-256's cost on hundreds of MiB.
 */
export function checksumOf(parts: readonly Uint8Array[]): string {
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  return `crc32:${parts.length}:${crc.toString(16).padStart(8, '0')}`;
}

/** Removes the workspace's snapshot (tests; a workspace that should start from a build). */
export async function dropIndexSnapshot(store: Store, workspaceId: number): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('index_snapshots').where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('index_snapshot_parts').where('workspace_id', '=', workspaceId).execute();
  });
}
