// Group commit: requests that arrive while another is being written for the same workspace and
// actor wait, and are then written together in one transaction, each answered with its own
// result. Integrations that send one event or one customer per request would otherwise pay a
// transaction and a durable commit each, and on SQLite be written strictly one after another.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../store/connect.js';
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
