// Workspaces: one deployment serves many merchants; every row carries its workspace. Deleting
// one is workspace-deletion.ts.
import { fieldError, TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { formatUtcOffset, isValidUtcOffset, type Clock } from '../core/time.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';
import { NEW_WORKSPACE_LOCK } from '../store/advisory-locks.js';

export const DEFAULT_WORKSPACE = 'default';
/** The name the default workspace is made with; the console and the command show it in the reader's language (默认). */
export const DEFAULT_WORKSPACE_NAME = 'Default';
export const WORKSPACE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** What a workspace key is made of, as a schema refusing one says it: no Chinese, unlike a tag's key. */
export const WORKSPACE_KEY_RULE = '1-64 ASCII letters (A-Z, a-z), digits, "-" or "_"';
export const MAX_WORKSPACE_NAME = 128;

export interface Workspace {
  id: number;
  key: string;
  name: string;
  created_at: string;
  /** The workspace's time zone, minutes east of UTC: its days, windows and times without a zone are counted in it. */
  utc_offset_minutes: number;
  /** Only while it is being deleted: how many of its rows are gone of how many it held (null while they are counted). */
  deleting?: { deleted_rows: number; total_rows: number | null };
}

function workspaceToJson(row: { id: number; key: string; name: string; created_at: number; utc_offset_minutes: number; deleting?: string | null }): Workspace {
  const workspace: Workspace = { id: row.id, key: row.key, name: row.name, created_at: new Date(row.created_at).toISOString(), utc_offset_minutes: row.utc_offset_minutes };
  if (row.deleting) {
    const state = JSON.parse(row.deleting) as { deleted_rows?: number; total_rows?: number | null };
    workspace.deleting = { deleted_rows: state.deleted_rows ?? 0, total_rows: state.total_rows ?? null };
  }
  return workspace;
}

/** Every workspace, those being deleted included (with how far that is). */
export async function listWorkspaces(store: Store): Promise<Workspace[]> {
  const rows = await store.db.selectFrom('workspaces').selectAll().orderBy('id').execute();
  return rows.map(workspaceToJson);
}

/** One workspace by id; undefined when there is none. */
export async function getWorkspace(store: Store, id: number): Promise<Workspace | undefined> {
  const row = await store.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? workspaceToJson(row) : undefined;
}

/**
 * A workspace keeps its key (its name may change), so a key, once found, keeps its id: requests
 * skip the lookup. A workspace can be deleted, though, by this process (which forgets the key at
 * once) or by another (the command line beside a server): a key found is read again after
 * KEY_RECHECK_MS, so that a server stops acting in a workspace deleted elsewhere within that.
 * Ids are never reused, so an id held a moment longer finds no rows, never another workspace's.
 */
const knownWorkspaces = new WeakMap<Store, Map<string, { id: number; deleting: boolean; checkedAt: number }>>();
const KEY_RECHECK_MS = 1000;

/** The workspace under the key, and whether it is being deleted; undefined when there is none. */
async function findWorkspace(store: Store, key: string): Promise<{ id: number; deleting: boolean } | undefined> {
  const known = knownWorkspaces.get(store) ?? new Map<string, { id: number; deleting: boolean; checkedAt: number }>();
  knownWorkspaces.set(store, known);
  const cached = known.get(key);
  const now = Date.now();
  if (cached !== undefined && now - cached.checkedAt < KEY_RECHECK_MS) return cached;
  const row = await store.db.selectFrom('workspaces').select(['id', 'deleting']).where('key', '=', key).executeTakeFirst();
  const found = row ? { id: row.id, deleting: row.deleting !== null } : undefined;
  if (found) known.set(key, { ...found, checkedAt: now });
  else known.delete(key);
  return found;
}

/** The id of the workspace under the key; undefined when there is none or it is being deleted. */
export async function findWorkspaceId(store: Store, key: string): Promise<number | undefined> {
  const found = await findWorkspace(store, key);
  return found && !found.deleting ? found.id : undefined;
}

/** Forgets the id this process found for the key (the workspace was deleted). */
export function forgetWorkspaceKey(store: Store, key: string): void {
  knownWorkspaces.get(store)?.delete(key);
}

/**
 * A workspace whose key differs from `key` only in case (`Shop-HZ` beside `shop-hz`): a new key
 * that would be told from an existing one by case alone is refused, as people type keys both
 * ways. Stores that hold two such keys from before keep both.
 */
async function sameKeyButCase(db: Kysely<Database> | Transaction<Database>, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workspaces')
    .select('key')
    .where(sql`lower(${sql.ref('key')})`, '=', key.toLowerCase())
    .where('key', '!=', key)
    .orderBy('id')
    .executeTakeFirst();
  return row?.key;
}

function caseTaken(key: string, existing: string): TagbaseError {
  return new TagbaseError('WORKSPACE_EXISTS', {
    workspace: existing,
    hint: localized(` Workspace keys are told apart regardless of case: "${key}" is the same key; use "${existing}", or another key.`, `工作空间标识不区分大小写：「${key}」与之相同；请使用「${existing}」或其他标识。`),
  });
}


/** China time, the zone a workspace counts its days in unless it is given another. */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

export function checkWorkspaceName(name: string): void {
  if (name.length === 0 || name.length > MAX_WORKSPACE_NAME) {
    throw fieldError('body', 'name', localized(`a workspace's name is 1 to ${MAX_WORKSPACE_NAME} characters`, `工作空间名称为 1 到 ${MAX_WORKSPACE_NAME} 个字符`));
  }
  // As other names may not: a line break would read as a second workspace in a list.
  if (/\p{Cc}/u.test(name)) {
    throw fieldError('body', 'name', localized("a workspace's name may not hold a line break, a tab or another control character", '工作空间名称中不能含有换行符、制表符或其他控制字符'));
  }
}

export function checkUtcOffset(minutes: number): void {
  if (isValidUtcOffset(minutes)) return;
  throw fieldError(
    'body',
    'utc_offset_minutes',
    localized(
      `a workspace's time zone is minutes east of UTC, from ${formatUtcOffset(-720)} (-720) to ${formatUtcOffset(840)} (840) in quarter hours, 480 for China time; got ${minutes}`,
      `工作空间的时区是相对 UTC 向东的分钟数，从 ${formatUtcOffset(-720)}（-720）到 ${formatUtcOffset(840)}（840），以 15 分钟为单位，中国时间为 480；收到的是 ${minutes}`,
    ),
  );
}

/** The workspace every store has, which a call naming none acts in: made as a store is first opened. */
export function ensureDefaultWorkspace(store: Store, now: Clock): Promise<number> {
  return ensureWorkspace(store, DEFAULT_WORKSPACE, DEFAULT_WORKSPACE_NAME, now);
}

/** Creates the workspace unless it exists; returns its id either way. */
export async function ensureWorkspace(store: Store, key: string, name: string, now: Clock): Promise<number> {
  if (!WORKSPACE_KEY_PATTERN.test(key)) throw new TagbaseError('INVALID_WORKSPACE', { workspace: key });
  const existing = await findWorkspace(store, key);
  if (existing?.deleting) throw new TagbaseError('WORKSPACE_DELETING', { workspace: key });
  if (existing !== undefined) return existing.id;
  await store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${NEW_WORKSPACE_LOCK}, 0)`.execute(trx);
    const taken = await sameKeyButCase(trx, key);
    if (taken !== undefined) throw caseTaken(key, taken);
    await trx
      .insertInto('workspaces')
      .values({ key, name, created_at: now().getTime() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
  const id = await findWorkspaceId(store, key);
  if (id === undefined) throw new TagbaseError('INTERNAL', { detail: `workspace ${key} was not created` });
  return id;
}

/**
 * Creates the workspace; WORKSPACE_EXISTS when it exists, also when another request created it
 * a moment before (the insert, not a check before it, decides).
 */
export async function createWorkspace(store: Store, key: string, name: string, now: Clock, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): Promise<Workspace> {
  if (!WORKSPACE_KEY_PATTERN.test(key)) throw new TagbaseError('INVALID_WORKSPACE', { workspace: key });
  checkWorkspaceName(name);
  checkUtcOffset(utcOffsetMinutes);
  const created = await store.db.transaction().execute(async (trx) => {
    // Checked and inserted under one lock, so that `Shop` and `shop` asked at once are not both made.
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${NEW_WORKSPACE_LOCK}, 0)`.execute(trx);
    const taken = await sameKeyButCase(trx, key);
    if (taken !== undefined) throw caseTaken(key, taken);
    return trx
      .insertInto('workspaces')
      .values({ key, name, created_at: now().getTime(), utc_offset_minutes: utcOffsetMinutes })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning(['id', 'key', 'name', 'created_at', 'utc_offset_minutes'])
      .executeTakeFirst();
  });
  if (!created) throw new TagbaseError('WORKSPACE_EXISTS', { workspace: key });
  return workspaceToJson(created);
}

/** The context for a request naming `key`; unknown workspaces are an error, not created on the fly. */
export async function openWorkspace(store: Store, key: string, actor: string | null, now: Clock): Promise<WorkspaceContext> {
  if (!WORKSPACE_KEY_PATTERN.test(key)) throw new TagbaseError('INVALID_WORKSPACE', { workspace: key });
  const found = await findWorkspace(store, key);
  if (found === undefined) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: key });
  if (found.deleting) throw new TagbaseError('WORKSPACE_DELETING', { workspace: key });
  return { store, workspaceId: found.id, workspaceKey: key, actor, now };
}
