// Reads a full build's pages on a thread of its own, ahead of the build: on a SQLite file,
// producing a page's documents is a second core's worth of work beside reading them into
// the index. The thread (page-reader-worker.mjs) opens the file read-only and runs the
// statements the build compiled, with the page's values bound; it is plain JavaScript, so
// it starts without the TypeScript loader.
import { Worker } from 'node:worker_threads';
import type { Compilable } from 'kysely';
import { sqliteFile, type Store } from '../store/connect.js';

/** The values a page's statements take, filled in by the thread page after page. */
export type PageValue = 'after' | 'first' | 'last';

/** Stands in for a page value while a statement is built; found again among the compiled parameters. */
class PageSlot {
  constructor(readonly name: PageValue) {}
}

/**
 * Stand-ins to pass to the query builder in place of the page's values, each as a plain value
 * (never inside a list or a raw fragment), so that it becomes exactly one bound parameter.
 * Typed as the numbers they stand for: they are only carried into the parameter list.
 */
export const pageSlots = {
  after: new PageSlot('after') as unknown as number,
  first: new PageSlot('first') as unknown as number,
  last: new PageSlot('last') as unknown as number,
};

/** A compiled statement as the thread runs it: each parameter a constant or a page value. */
export interface PageStatement {
  sql: string;
  parameters: ({ value: unknown } | { slot: PageValue })[];
}

export function pageStatement(query: Compilable): PageStatement {
  const compiled = query.compile();
  return {
    sql: compiled.sql,
    parameters: compiled.parameters.map((parameter) => (parameter instanceof PageSlot ? { slot: parameter.name } : { value: parameter })),
  };
}

/**
 * The statements of a page, each run with `raw` rows (arrays in select order), in one read
 * transaction per page.
 */
export interface PageStatements {
  /** The page after `after` as one document: rows (bytes), floats, first id, last id, count. */
  customers: PageStatement;
  /** When the document is not usable: the page's last id and count. */
  bounds: PageStatement;
  /** The assignments of ids `first` to `last`: customer, tag and value ids as three lists (bytes; the thread reads them into numbers). */
  assignments: PageStatement;
  /** The metric values of ids `first` to `last`: ids and lengths (JSON texts) and the values end to end (bytes). */
  metrics: PageStatement;
  /** The identities of ids `first` to `last` a reachability field reads: customer ids and bits as two lists (bytes; the thread reads them into numbers). */
  identities: PageStatement;
}

/** A page's documents as the thread read them; `count` customers, merged ones included. */
export interface PageDocuments {
  kind: 'page';
  count: number;
  /** Null for an empty page. */
  last: number | null;
  rows: Uint8Array | null;
  /** The assignments' ids as numbers, or as the bytes of group_concat's list when the thread did not read them. */
  customerIds: Float64Array | Uint8Array | null;
  tagIds: Float64Array | Uint8Array | null;
  valueIds: Float64Array | Uint8Array | null;
  metricIds: string | null;
  metricLengths: string | null;
  metrics: Uint8Array | null;
  /** The identities' customer ids and reachability bits, as numbers or as group_concat's bytes. */
  identityIds: Float64Array | Uint8Array | null;
  identityBits: Float64Array | Uint8Array | null;
}

/** A page whose customers do not make a usable document: the build reads ids after the previous page's last, up to `through`, itself. */
export interface FallbackPage {
  kind: 'fallback';
  count: number;
  through: number;
}

/** The thread could not start (its module or the file could not be opened): the build reads on. */
export interface ReaderUnavailable {
  kind: 'unavailable';
  reason: string;
}

export type ReadAhead = PageDocuments | FallbackPage | ReaderUnavailable;

interface ReaderFailure {
  kind: 'error';
  message: string;
  code: unknown;
}

interface Waiter {
  resolve: (read: ReadAhead) => void;
  reject: (error: unknown) => void;
}

/** The thread's module, beside this one: found the same way under tsx, vitest and plain node. */
const WORKER_URL = new URL('./page-reader-worker.mjs', import.meta.url);

/**
 * Pages after `after`, read on a thread at most `ahead` pages before the build takes them;
 * undefined when the store is not a SQLite file. Must be closed, which stops the thread.
 */
export function startPageReader(store: Store, statements: PageStatements, after: number, batch: number, ahead: number): PageReader | undefined {
  const file = sqliteFile(store);
  if (file === undefined) return undefined;
  let worker: Worker;
  try {
    // No execArgv: the thread needs no loader, and process-wide V8 flags are not per thread.
    worker = new Worker(WORKER_URL, { workerData: { file, statements, after, batch, ahead }, execArgv: [] });
  } catch {
    return undefined;
  }
  return new PageReader(worker);
}

export class PageReader {
  readonly #worker: Worker;
  readonly #received: ReadAhead[] = [];
  #waiter: Waiter | undefined;
  #failure: unknown;
  /** Starting until the thread's first message; unavailable once told it did not start. */
  #state: 'starting' | 'reading' | 'unavailable' | 'closed' = 'starting';

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: ReadAhead | ReaderFailure) => {
      if (this.#state === 'starting') this.#state = message.kind === 'unavailable' ? 'unavailable' : 'reading';
      if (message.kind === 'error') this.#fail(Object.assign(new Error(message.message), { code: message.code }));
      else this.#deliver(message);
    });
    worker.on('messageerror', (error) => this.#fail(error));
    worker.on('error', (error) => this.#stopped(error));
    worker.on('exit', (code) => this.#stopped(new Error(`the page reader stopped with exit code ${code}`)));
  }

  /** The next page, or that the thread did not start; rejects with the thread's error. */
  next(): Promise<ReadAhead> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const read = this.#received.shift();
    if (read) {
      this.#taken(read);
      return Promise.resolve(read);
    }
    return new Promise((resolve, reject) => {
      this.#waiter = {
        resolve: (next) => {
          this.#taken(next);
          resolve(next);
        },
        reject,
      };
    });
  }

  /** Stops the thread; resolves once it has stopped. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    await this.#worker.terminate();
  }

  #taken(read: ReadAhead): void {
    // A page taken frees a place in the queue: the thread may read one more.
    if (read.kind !== 'unavailable' && this.#state === 'reading') this.#worker.postMessage(null);
  }

  #deliver(read: ReadAhead): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter.resolve(read);
    else this.#received.push(read);
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  /** The thread ended without being closed: before its first message it did not start, later it failed. */
  #stopped(error: Error): void {
    if (this.#state === 'starting') {
      this.#state = 'unavailable';
      this.#deliver({ kind: 'unavailable', reason: error.message });
    } else if (this.#state === 'reading') this.#fail(error);
  }
}
