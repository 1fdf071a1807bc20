// How every command finds its store: --database, else TAGBASE_DATABASE_URL, else ./data/tagbase.db.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TagbaseError } from '../core/errors.js';
import { systemClock } from '../core/time.js';
import type { RuleCandidateFinder, WorkspaceContext } from '../engine/context.js';
import { historyMemorySetting, keepHistoriesInMemory } from '../engine/history-memory.js';
import { ensureDefaultWorkspace, openWorkspace } from '../engine/workspaces.js';
import type { IndexRegistry } from '../index/registry.js';
import { DEFAULT_DATABASE_PATH, isPostgresUrl, openStore, withoutPassword, type Store } from '../store/connect.js';
import { assertNoUnfinishedCopy, unfinishedCopyError, unfinishedCopy, type UnfinishedCopy } from '../store/copy.js';
import { assertRoleRights, permissionDenied, roleInSchema, type RoleInSchema } from '../store/permissions.js';
import { assertWritable } from '../store/unavailable.js';
import { localized, type Locale } from '../core/locale.js';
import { cliMessages, type Say } from './messages.js';

/** The variable that names the store when --database does not. */
export const DATABASE_VARIABLE = 'TAGBASE_DATABASE_URL';

/** The store's URL from the environment: an empty variable (`TAGBASE_DATABASE_URL=`) names none. */
function databaseFromEnvironment(): string | undefined {
  const value = process.env[DATABASE_VARIABLE]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The SQLite file a URL names, or undefined for PostgreSQL and an in-memory store. */
function sqliteFile(url: string): string | undefined {
  if (isPostgresUrl(url)) return undefined;
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return file === ':memory:' ? undefined : file;
}

export function databaseUrl(option: string | undefined): string {
  // An empty path (`--database "$DB"` with DB not set) is SQLite's temporary store, dropped when
  // the command ends: an import into it said its rows were in, and none were kept.
  if (option !== undefined && (option.trim() === '' || option.trim() === 'sqlite:')) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        '--database is empty: name a SQLite file or a postgres:// URL (is it a variable that is not set?), or leave the option out for TAGBASE_DATABASE_URL or ./data/tagbase.db',
        '--database 为空：请指定 SQLite 数据库文件或 postgres:// URL（是否引用了未设置的变量？），或不写该选项，以使用 TAGBASE_DATABASE_URL 或 ./data/tagbase.db',
      ),
    });
  }
  const fromEnvironment = option === undefined ? databaseFromEnvironment() : undefined;
  const url = option ?? fromEnvironment ?? DEFAULT_DATABASE_PATH;
  // Any other URL (mysql://…, postgre://…) would otherwise be taken for a SQLite path, and a
  // store made in a directory named after the scheme.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !isPostgresUrl(url) && !url.startsWith('sqlite:')) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`"${withoutPassword(url)}" is neither a SQLite path nor a postgres:// URL`, `「${withoutPassword(url)}」既不是 SQLite 文件路径，也不是 postgres:// URL`),
    });
  }
  // One that cannot be read as a URL at all (a bracket left unclosed) is said with the
  // URL, rather than as Node's bare "Invalid URL".
  if (isPostgresUrl(url) && !URL.canParse(url)) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `"${withoutPassword(url)}" is not a URL that can be read: write it as postgres://user:password@host:5432/database, with any @, :, / or % in the user or password percent-encoded (%40, %3A, %2F, %25)`,
        `「${withoutPassword(url)}」不是可以读取的 URL：请写成 postgres://user:password@host:5432/database，用户名或密码中的 @、:、/、% 需写成百分号编码（%40、%3A、%2F、%25）`,
      ),
    });
  }
  // A folder (`--database ./data` for ./data/tagbase.db) is said as what it is: SQLite's own
  // "unable to open database file" read as a store that may not be written.
  const named = sqliteFile(url);
  if (named !== undefined && isFolder(named)) {
    const example = join(named, 'tagbase.db');
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${named} is a folder, not a SQLite file: name the store's file in it, such as ${example}, with --database or ${DATABASE_VARIABLE}`,
        `${named} 是目录，不是 SQLite 数据库文件：请用 --database 或 ${DATABASE_VARIABLE} 指定其中的数据库文件，如 ${example}`,
      ),
    });
  }
  // Set once and out of sight (a service file, a container's settings), the variable is where a
  // mistyped path goes unnoticed: a folder that is not there is said rather than made, and an
  // empty store made in it. A folder given with --database, before the user's eyes, is made.
  const file = fromEnvironment === undefined ? undefined : sqliteFile(fromEnvironment);
  if (file !== undefined && !existsSync(dirname(file))) {
    const folder = dirname(resolve(file));
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `${DATABASE_VARIABLE} names ${file}, in a folder that does not exist (${folder}): check the variable, or make the folder first`,
        `${DATABASE_VARIABLE} 指向 ${file}，但所在目录 ${folder} 不存在：请检查该变量，或先创建该目录`,
      ),
    });
  }
  return url;
}

/**
 * Whether a SQLite file is there with something in it. An empty file (`touch`, or a spreadsheet
 * saved empty and named by mistake) is no store either: a command that reads one would otherwise
 * migrate it into an empty store, and answer from it, while it refuses a file not there.
 */
function holdsAnything(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

/** Whether `path` is a folder; not when it is anything else or cannot be read (a part of it a file, say). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The store this command opened (the path, or the URL without its password), to name it in errors. */
let opened: string | undefined;

export function openedStoreLocation(): string | undefined {
  return opened;
}

/** The PostgreSQL role the command's store connects as, and its schema, once migrated. */
let openedRole: RoleInSchema | undefined;

export function openedStoreRole(): RoleInSchema | undefined {
  return openedRole;
}

/**
 * The unfinished copy the command's store holds, once opened by a command that only reads: a
 * workspace not found in it is then said to be missing because the copy did not finish (see
 * formatCliError), rather than with the `workspace create` that would write into it.
 */
let openedUnfinished: { store: string; copy: UnfinishedCopy } | undefined;

export function openedUnfinishedCopy(): { store: string; copy: UnfinishedCopy } | undefined {
  return openedUnfinished;
}

/**
 * Notes the store a command is about to open, by the URL it was given. What was learnt of a store
 * opened before (its role, a copy left unfinished in it) is of another command's store, forgotten
 * here: commands run one after another in one process too (the tests), not only one per process.
 */
export function noteOpenedStore(url: string): void {
  opened = isPostgresUrl(url) ? withoutPassword(url) : url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  openedRole = undefined;
  openedUnfinished = undefined;
}

/**
 * What the command that runs does with its store: `reads` one that is there, `changes` what one
 * that is there holds, or `makes` one where there is none (to set up). Set by the command line
 * before a command's action runs (see STORE_USE in main.ts); a caller that sets nothing opens
 * as a command that makes its store.
 */
export type StoreUse = 'makes' | 'changes' | 'reads';

let storeUse: StoreUse = 'makes';

export function noteStoreUse(use: StoreUse): void {
  storeUse = use;
}

/**
 * Opens the store and brings its schema up to date, with the default workspace in place. A
 * SQLite file named with --database or TAGBASE_DATABASE_URL must exist, unless the command is
 * one that makes a store (`mayCreate`: serve, demo, import; `migrate` opens its own): a
 * mistyped path would otherwise answer from a new, empty store as if it were the real one.
 * The default file (./data/tagbase.db, where neither names one) is made by a command that sets
 * up, the first `npm start` above all; one that reads it or changes what it holds says it is not
 * there, as it is where a command run in another folder than the store's would look. A command
 * that writes (one that `makes` or `changes` its store, see StoreUse, or opens with `mayCreate`) is
 * refused on a store a copy did not finish (STORE_COPY_UNFINISHED) before anything is written,
 * and on one it may not write (STORE_NOT_WRITABLE, STORE_PERMISSION_DENIED) before it does anything.
 * `onCreated` hears of a SQLite file made now, by its full path and whether the variable named it.
 */
export async function openMigratedStore(
  option: string | undefined,
  {
    mayCreate = false,
    onConnectionLost,
    onCreated,
  }: { mayCreate?: boolean; onConnectionLost?: (error: Error) => void; onCreated?: (path: string, fromEnvironment: boolean) => void } = {},
): Promise<Store> {
  const { url, file, absent, fromEnvironment } = storeToOpen(option, mayCreate);
  const writes = mayCreate || storeUse !== 'reads';
  // Read before the store opens, so that a value the setting does not take stops the command there.
  const heldHistories = historyMemorySetting(process.env.TAGBASE_HISTORY_MEMORY);
  const store = await openStore(url, onConnectionLost ? { onConnectionLost } : {});
  keepHistoriesInMemory(store, heldHistories);
  try {
    // A command that writes stops on a store a copy did not finish before it writes anything, its
    // migrations and default workspace included: the next copy into it would empty what it wrote.
    if (writes) await assertNoUnfinishedCopy(store);
    const unfinished = writes ? undefined : await unfinishedCopy(store);
    await store.migrate();
    // The role and schema, asked now: a change the role may not make later is said with them and
    // the GRANT that gives it (see openedStoreRole), when the store is closed and cannot be asked.
    if (store.dialect === 'postgres') openedRole = await roleInSchema(store.db).catch(() => undefined);
    // A command that only reads makes nothing in a store a copy did not finish, the default
    // workspace included (the next copy would empty it again): it reads what the copy wrote, and
    // where the copy wrote no workspace at all there is nothing to read but why.
    if (unfinished === undefined) await ensureDefaultWorkspace(store, systemClock);
    else {
      openedUnfinished = { store: store.location, copy: unfinished };
      if ((await store.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst()) === undefined) throw unfinishedCopyError(store.location, unfinished);
    }
    // A command that writes (a server above all, which would otherwise answer its health check
    // and every read, and fail every change; a recompute, which would fail after its work) stops
    // here on a store it cannot write, or on a PostgreSQL role that may not write every table (one
    // made for reporting), before it does anything. Commands that only read go on with such a role.
    if (writes) {
      await assertRoleRights(store);
      await assertWritable(store);
    }
  } catch (error) {
    const said = await permissionDenied(store.db, error, store.location).catch(() => undefined);
    await store.close();
    throw said ?? error;
  }
  if (absent && file !== undefined) onCreated?.(resolve(file), fromEnvironment);
  return store;
}

/**
 * The URL of the store a command names, to open as it is (`tagbase doctor`, which checks it before
 * anything is migrated): refused as openMigratedStore refuses a SQLite file that is not there.
 */
export function existingStoreUrl(option: string | undefined): string {
  return storeToOpen(option, false).url;
}

/** The store a command names, refused (STORE_NOT_FOUND) where it must exist and does not (see openMigratedStore). */
function storeToOpen(option: string | undefined, mayCreate: boolean): { url: string; file: string | undefined; absent: boolean; fromEnvironment: boolean } {
  const url = databaseUrl(option);
  const file = sqliteFile(url);
  const fromEnvironment = option === undefined && databaseFromEnvironment() !== undefined;
  const absent = file !== undefined && !holdsAnything(file);
  const named = option !== undefined || fromEnvironment;
  if (absent && !mayCreate && (named || storeUse !== 'makes')) throw storeNotFound(named ? (option ?? file) : undefined, fromEnvironment);
  noteOpenedStore(url);
  return { url, file, absent, fromEnvironment };
}

/**
 * Runs `work` on the store as it is, neither migrated nor given a default workspace, and closes
 * it after: for a copy of it (`tagbase backup`), which must hold the layout the store has, so
 * that a backup taken before an upgrade opens with the version that made it.
 */
export async function withStoreAsItIs<T>(database: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const { url } = storeToOpen(database, false);
  const store = await openStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * No SQLite file at the path a command was given (`path`), or at the default when it was given
 * none: said with how to make one there.
 */
function storeNotFound(path: string | undefined, fromEnvironment: boolean): TagbaseError {
  if (path !== undefined) {
    return new TagbaseError('STORE_NOT_FOUND', {
      path,
      named: fromEnvironment ? localized(` (${DATABASE_VARIABLE})`, `（${DATABASE_VARIABLE}）`) : undefined,
      remedy: localized(`check the path, or create one there with \`tagbase migrate --database ${path}\``, `请检查路径，或用 \`tagbase migrate --database ${path}\` 在那里新建一个`),
    });
  }
  // Named in full: the default is under the folder the command runs in, which may not be the store's.
  return new TagbaseError('STORE_NOT_FOUND', {
    path: resolve(DEFAULT_DATABASE_PATH),
    named: localized(
      ` (the default, ${DEFAULT_DATABASE_PATH} in this folder: neither --database nor ${DATABASE_VARIABLE} names a store)`,
      `（默认位置，即当前目录下的 ${DEFAULT_DATABASE_PATH}：--database 和 ${DATABASE_VARIABLE} 都没有指定数据库）`,
    ),
    remedy: localized(
      `run the command where the store's data/ folder is, name the store with --database or ${DATABASE_VARIABLE}, or create one here with \`npm start\` (\`tagbase serve\`) or \`tagbase demo\``,
      `请在数据库所在的目录中运行该命令，或用 --database 或 ${DATABASE_VARIABLE} 指定数据库，或用 \`npm start\`（\`tagbase serve\`）或 \`tagbase demo\` 在这里新建一个`,
    ),
  });
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
  return onOffSetting('TAGBASE_INDEX_SNAPSHOTS', true);
}

/** Whether the server records who read which customer's personal data (`TAGBASE_AUDIT_READS=on`). */
export function auditReadsOn(): boolean {
  return onOffSetting('TAGBASE_AUDIT_READS', false);
}

/**
 * A setting of `on` or `off`, in any case; unset or empty, its default. Another word is refused,
 * naming the variable: `TAGBASE_AUDIT_READS=yes` read as off would leave reads unrecorded unsaid.
 */
function onOffSetting(name: 'TAGBASE_AUDIT_READS' | 'TAGBASE_INDEX_SNAPSHOTS', byDefault: boolean): boolean {
  const setting = process.env[name];
  const value = (setting ?? '').trim().toLowerCase();
  if (value === '') return byDefault;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`${name} is "on" or "off", not "${setting}"`, `${name} 只能是 "on" 或 "off"，而不是「${setting}」`) });
}

/**
 * The workspace for a command that applies rule tags to everyone (a template, a model): its
 * rule passes ask an index which customers they could change, as the server's do, instead of
 * evaluating every customer (at a million customers, a minute per rule tag against well under
 * a second). The index starts from the server's snapshot when it is usable, and follows what
 * the command writes.
 */
export async function openIndexedWorkspace(store: Store, key: string, actor: string, rulePassProgress?: WorkspaceContext['rulePassProgress']): Promise<WorkspaceContext> {
  const context = await openWorkspace(store, key, actor, systemClock);
  return { ...context, ...(await openCommandIndex(store)), rulePassProgress };
}

/** The in-memory index of a command that writes, as `openCommandIndex` sets it up. */
export interface CommandIndex {
  /** Told what the command changes, so that what it counts afterwards counts it. */
  observer: IndexRegistry;
  /** Asked which customers a rule pass could change. */
  ruleCandidates: RuleCandidateFinder;
}

/**
 * The index a command that writes keeps in step, as the server's is (`tagbase tick`, `journal
 * retry`, a template or a model applied): the server's snapshot when there is a usable one,
 * otherwise an index built here. Read-only: a command never saves a snapshot.
 */
export async function openCommandIndex(store: Store): Promise<CommandIndex> {
  const [{ IndexRegistry }, { indexRuleCandidates }] = await Promise.all([import('../index/registry.js'), import('../index/rule-candidates.js')]);
  const index = new IndexRegistry(store, { snapshots: indexSnapshotsOn() });
  return { observer: index, ruleCandidates: indexRuleCandidates(index) };
}
