// Group commit: requests that arrive while another is being written for the same workspace and
// actor wait, and are then written together in one transaction, each answered with its own
// result. Integrations that send one event or one customer per request would otherwise pay a
// transaction and a durable commit each, and on SQLite be written strictly one after another.
// Single rows that must be durable before an answer (audit entries, accepted event batches) are
// appended the same way.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Transaction } from 'kysely';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceContext } from './context.js';

interface Waiting<R, T> {
  request: R;
  resolve(result: T): void;
  reject(error: unknown): void;
}

/** How one kind of request is grouped and written. */
export interface GroupWriter<R, T> {
  /** Keeps the queues of different kinds of request apart. */
  kind: string;
  /** The items a request carries; a group holds at most `maxItems` (at least one request). */
  size(request: R): number;
  maxItems: number;
  /** Writes the requests in one transaction and answers each, in order. */
  write(group: readonly R[]): Promise<T[]>;
}

// Requests waiting for the write in progress, by store, then by kind, workspace and actor (the
// engine state a write uses depends on both). A key is present while a writer drains its queue.
const waiting = new WeakMap<Store, Map<string, Waiting<unknown, unknown>[]>>();

/** Writes `request` with whatever else is waiting for the same workspace and actor; the first is written at once. */
export function writeGrouped<R, T>(context: WorkspaceContext, writer: GroupWriter<R, T>, request: R): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let byKey = waiting.get(context.store);
    if (!byKey) {
      byKey = new Map();
      waiting.set(context.store, byKey);
    }
    const key = `${writer.kind}\u0000${context.workspaceId}\u0000${context.actor ?? ''}`;
    const entry = { request, resolve, reject } as Waiting<unknown, unknown>;
    const queue = byKey.get(key);
    if (queue) {
      queue.push(entry);
      return;
    }
    const fresh = [entry];
    byKey.set(key, fresh);
    void drain(byKey, key, fresh as Waiting<R, T>[], writer);
  });
}

/**
 * Writes the queue's requests group by group until none is left. After each write it waits one
 * turn of the event loop: on SQLite a write runs without yielding to it, so requests whose
 * bytes arrived meanwhile are read, and join the queue, only then.
 */
async function drain<R, T>(byKey: Map<string, Waiting<unknown, unknown>[]>, key: string, queue: Waiting<R, T>[], writer: GroupWriter<R, T>): Promise<void> {
  try {
    do {
      await writeSettling(takeGroup(queue, writer), writer);
      await nextTurn();
    } while (queue.length > 0);
  } finally {
    byKey.delete(key);
  }
}

/** The first requests of the queue, as many as fit `maxItems` (at least one). */
function takeGroup<R, T>(queue: Waiting<R, T>[], writer: GroupWriter<R, T>): Waiting<R, T>[] {
  let items = 0;
  let count = 0;
  for (const entry of queue) {
    const size = writer.size(entry.request);
    if (count > 0 && items + size > writer.maxItems) break;
    items += size;
    count++;
  }
  return queue.splice(0, count);
}

/**
 * Writes a group and settles each request with its own result. When a group of several fails,
 * each is written again on its own, so that one request's failure is not every request's.
 */
async function writeSettling<R, T>(group: Waiting<R, T>[], writer: GroupWriter<R, T>): Promise<void> {
  let results: T[];
  try {
    results = await writer.write(group.map((entry) => entry.request));
  } catch (error) {
    if (group.length === 1) {
      group[0]?.reject(error);
      return;
    }
    for (const entry of group) await writeSettling([entry], writer);
    return;
  }
  group.forEach((entry, k) => entry.resolve(results[k] as T));
}

/** How rows of one table are appended together (see `appendTogether`). */
export interface RowAppender<Row, Id> {
  /** Keeps the queues of different tables apart. */
  kind: string;
  /** Inserts the rows in the caller's transaction, in order, and returns what each caller is answered. */
  insert(trx: Transaction<Database>, rows: readonly Row[]): Promise<Id[]>;
}

/** Rows appended in one commit at most: a commit of many large rows would hold the writer long. */
const ROWS_PER_COMMIT = 256;

const appending = new WeakMap<Store, Map<string, Waiting<unknown, unknown>[]>>();

/**
 * Appends a row that must be durable before its caller goes on (an accepted event batch, an
 * audit entry written before its answer is sent). Rows that arrive while another is being
 * appended are appended together, in one transaction and one durable commit: one request at a
 * time would otherwise pay a commit each. The first is written at once; a row whose group fails
 * is tried again alone.
 */
export function appendTogether<Row, Id>(store: Store, appender: RowAppender<Row, Id>, row: Row): Promise<Id> {
  return new Promise<Id>((resolve, reject) => {
    let byKind = appending.get(store);
    if (!byKind) {
      byKind = new Map();
      appending.set(store, byKind);
    }
    const entry = { request: row, resolve, reject } as Waiting<unknown, unknown>;
    const queue = byKind.get(appender.kind);
    if (queue) {
      queue.push(entry);
      return;
    }
    const fresh = [entry];
    byKind.set(appender.kind, fresh);
    const writer: GroupWriter<Row, Id> = {
      kind: appender.kind,
      size: () => 1,
      maxItems: ROWS_PER_COMMIT,
      write: (rows) => store.db.transaction().execute((trx) => appender.insert(trx, rows)),
    };
    void drain(byKind, appender.kind, fresh as Waiting<Row, Id>[], writer);
  });
}
