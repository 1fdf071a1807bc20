// How every command finds its store: --database, else TAGBASE_DATABASE_URL, else ./data/tagbase.db.
import { existsSync } from 'node:fs';
import { TagbaseError } from '../core/errors.js';
import { systemClock } from '../core/time.js';
import type { WorkspaceContext } from '../engine/context.js';
import { DEFAULT_WORKSPACE, ensureWorkspace, openWorkspace } from '../engine/workspaces.js';
import { DEFAULT_DATABASE_PATH, isPostgresUrl, openStore, withoutPassword, type Store } from '../store/connect.js';
import { assertWritable } from '../store/unavailable.js';
import { localized, type Locale } from '../core/locale.js';
import { cliMessages, type Say } from './messages.js';

export function databaseUrl(option: string | undefined): string {
  const url = option ?? process.env.TAGBASE_DATABASE_URL ?? DEFAULT_DATABASE_PATH;
  // Any other URL (mysql://…, postgre://…) would otherwise be taken for a SQLite path, and a
  // store made in a directory named after the scheme.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !isPostgresUrl(url) && !url.startsWith('sqlite:')) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`"${withoutPassword(url)}" is neither a SQLite path nor a postgres:// URL`, `「${withoutPassword(url)}」既不是 SQLite 文件路径，也不是 postgres:// URL`),
    });
  }
  return url;
}

/** The store this command opened (the path, or the URL without its password), to name it in errors. */
let opened: string | undefined;

export function openedStoreLocation(): string | undefined {
  return opened;
}

/** Notes the store a command is about to open, by the URL it was given. */
export function noteOpenedStore(url: string): void {
  opened = isPostgresUrl(url) ? withoutPassword(url) : url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
}

/**
 * Opens the store and brings its schema up to date, with the default workspace in place. A
 * SQLite file named with --database must exist, unless the command is one that makes a store
 * (`mayCreate`: serve, demo, import; `migrate` opens its own): a mistyped path would otherwise
 * answer from a new, empty store as if it were the real one.
 */
export async function openMigratedStore(
  option: string | undefined,
  { mayCreate = false, onConnectionLost }: { mayCreate?: boolean; onConnectionLost?: (error: Error) => void } = {},
): Promise<Store> {
  const url = databaseUrl(option);
  if (option !== undefined && !mayCreate && !isPostgresUrl(option)) {
    const file = option.startsWith('sqlite:') ? option.slice('sqlite:'.length) : option;
    if (file !== ':memory:' && !existsSync(file)) throw new TagbaseError('STORE_NOT_FOUND', { path: option });
  }
  noteOpenedStore(url);
  const store = await openStore(url, onConnectionLost ? { onConnectionLost } : {});
  try {
    await store.migrate();
    await ensureWorkspace(store, DEFAULT_WORKSPACE, 'Default', systemClock);
    // A command that writes (a server above all, which would otherwise answer its health check
    // and every read, and fail every change) stops here on a store it cannot write.
    if (mayCreate) await assertWritable(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Runs `work` on the migrated store and closes it after. */
export async function withMigratedStore<T>(database: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(database);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs `work` in the workspace a command names, acting as `actor` ('cli' when not given), with
 * the command's messages, and closes the store after.
 */
export async function inCommandWorkspace<T>(
  options: { workspace: string; database?: string | undefined; actor?: string | undefined; locale?: Locale | undefined },
  work: (context: WorkspaceContext, say: Say) => Promise<T>,
): Promise<T> {
  return withMigratedStore(options.database, async (store) => work(await openWorkspace(store, options.workspace, options.actor ?? 'cli', systemClock), cliMessages(options.locale)));
}

/**
 * Commands that count start their index from the snapshot the server saves in the store
 * (0.4 s at a million customers, against ~25 s for a build), and build it when there is none
 * or it is stale; `TAGBASE_INDEX_SNAPSHOTS=off` always builds.
 */
export function indexSnapshotsOn(): boolean {
  return process.env.TAGBASE_INDEX_SNAPSHOTS !== 'off';
}

/** Whether the server records who read which customer's personal data (`TAGBASE_AUDIT_READS=on`). */
export function auditReadsOn(): boolean {
  return process.env.TAGBASE_AUDIT_READS === 'on';
}

/**
 * The workspace for a command that applies rule tags to everyone (a template, a model): its
 * rule passes ask an index which customers they could change, as the server's do, instead of
 * evaluating every customer (at a million customers, a minute per rule tag against well under
 * a second). The index starts from the server's snapshot when it is usable, and follows what
 * the command writes.
 */
export async function openIndexedWorkspace(store: Store, key: string, actor: string, rulePassProgress?: WorkspaceContext['rulePassProgress']): Promise<WorkspaceContext> {
  const [{ IndexRegistry }, { indexRuleCandidates }] = await Promise.all([import('../index/registry.js'), import('../index/rule-candidates.js')]);
  const context = await openWorkspace(store, key, actor, systemClock);
  const index = new IndexRegistry(store, { snapshots: indexSnapshotsOn() });
  return { ...context, observer: index, ruleCandidates: indexRuleCandidates(index), rulePassProgress };
}
