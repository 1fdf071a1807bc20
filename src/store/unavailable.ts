// Whether an error says the database could not be reached or dropped the connection (as
// opposed to refusing a statement): the server answers 503 and the command line says so in
// words, where both showed a driver's message or a bare 500.
import { sql } from 'kysely';
import { localized } from '../core/locale.js';
import type { Store } from './connect.js';

/** Node's socket errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

/**
 * PostgreSQL's SQLSTATEs for a connection lost or refused: class 08 (connection exception),
 * the server shutting down or ending the session (57P01–57P03), too many connections (53300),
 * and a database that is not there (3D000), which only a new connection meets: at the start the
 * store says it is to be created (connect.ts), and while a server runs it is the database
 * dropped or being restored under it, answered 503 until it is back.
 */
function isConnectionState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code === '3D000';
}

/**
 * The driver's words when the socket closed under a statement, when a statement comes to a
 * connection that was lost before it, or when no connection came in time.
 */
const LOST_CONNECTION = /^Connection terminated|^Client has encountered a connection error and is not queryable|^Client was closed and is not queryable|^timeout expired|^timeout exceeded when trying to connect/;

/**
 * A database closed to new connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`, as during
 * maintenance): SQLSTATE 55000, which otherwise names statements refused for the state of an
 * object, so it is told by its words.
 */
const CLOSED_DATABASE = /is not currently accepting connections/;

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isStoreBusy(error) || isStatementCancelled(error) || isTransactionConflict(error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isConnectionState(code)))) return true;
  if (code === '55000' && CLOSED_DATABASE.test(error.message)) return true;
  return LOST_CONNECTION.test(error.message);
}

/**
 * SQLite's "database is locked": another process (the server, or a command beside it) held the
 * file's write lock for longer than the busy timeout. Nothing was changed, and the same call a
 * moment later goes through, as when PostgreSQL is out of reach: so it is answered the same way.
 */
export const STORE_BUSY = localized(
  'another process (the server, or a command beside it) is writing to the store and held it longer than 5 s (database is locked); nothing was changed, try again shortly',
  '另一个进程（服务器，或同时运行的命令）正在写入数据库，占用超过 5 秒（database is locked）；未做任何更改，请稍后重试',
);

export function isStoreBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * PostgreSQL cancelling a statement: its `lock_timeout` ran out while another session held a lock
 * the statement waited for (55P03), or its `statement_timeout` did, or an administrator cancelled
 * it (57014, query_canceled). As with SQLite's "database is locked", the transaction was rolled
 * back and the same call a moment later usually goes through: so it is answered the same way,
 * not as an internal error.
 */
export const STATEMENT_CANCELLED = localized(
  'the database cancelled the statement (its lock_timeout or statement_timeout ran out, another session holding a lock it waited for, or an administrator cancelled it); nothing was changed, try again shortly',
  '数据库取消了该语句（等待其他会话持有的锁时超过了 lock_timeout 或 statement_timeout，或被管理员取消）；未做任何更改，请稍后重试',
);

export function isStatementCancelled(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && (code === '55P03' || code === '57014');
}

/**
 * PostgreSQL ending a transaction to break a deadlock with another session (40P01), or one it could
 * not serialise beside another (40001): as with a statement cancelled, the transaction was rolled
 * back and the same call a moment later goes through, so it is answered the same way.
 */
export const TRANSACTION_CONFLICT = localized(
  'the database ended the transaction to break a deadlock with another session (or a serialization failure); nothing was changed, try again shortly',
  '数据库为解除与其他会话的死锁（或因串行化冲突）结束了该事务；未做任何更改，请稍后重试',
);

export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && (code === '40P01' || code === '40001');
}

/**
 * The store refuses to be written where it can still be read: on SQLite, a file or folder this
 * user may not write (or a file that cannot be opened at all), a full disk; on PostgreSQL, a
 * read-only server (a standby, `default_transaction_read_only`) or a full disk. Unlike an outage it
 * does not pass by itself: nothing was changed, and someone has to see to the file, the disk or
 * the URL.
 */
export function isStoreNotWritable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (!(error instanceof Error) || typeof code !== 'string') return false;
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === '25006' || isStoreFull(error);
}

/**
 * A refusal for lack of room (SQLite's SQLITE_FULL, PostgreSQL's disk_full), which a probe that
 * writes nothing, or little into space the files already hold, cannot tell apart from a store that
 * has recovered.
 */
export function isStoreFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

/** What to look at when the store cannot be written, for the one running the server or a command. */
export function notWritableHint(error: unknown): ReturnType<typeof localized> {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  return code.startsWith('SQLITE')
    ? localized('check that the file and its folder may be written by the user this runs as, and that the disk has room; nothing was changed', '请检查运行它的用户能否写入该文件及其所在目录，以及磁盘是否还有空间；未做任何更改')
    : localized('check that the URL names the primary server rather than a read-only standby, and that its disk has room; nothing was changed', '请检查地址指向的是主库而非只读备库，以及数据库磁盘是否还有空间；未做任何更改');
}

/**
 * Throws the store's own refusal when it cannot be written: a read-only SQLite file or folder, a
 * full disk, a read-only PostgreSQL (a standby). A statement that would write and changes nothing.
 */
export async function assertWritable(store: Store): Promise<void> {
  await store.db.updateTable('workspaces').set((eb) => ({ key: eb.ref('key') })).where(sql<boolean>`1 = 0`).execute();
}
