// Customers' event histories kept in memory between ingest batches, so that a batch recomputes a
// returning customer's metrics from what the process holds and the batch's own events, instead
// of reading it back from the store each time. `TAGBASE_HISTORY_MEMORY` names how many customers
// to keep across the workspaces, 50,000 unless set, `off` for none (docs/architecture.md,
// "Histories kept in memory").
//
// What is held is always what the store holds, or nothing:
//  - A batch's own events join the memory once its transaction has committed, never before: a
//    batch that rolls back leaves the memory as it was.
//  - Whatever else changes a history (another process's ingest, a merge, an erasure, a new metric
//    plan, a time-zone change) is found when the next batch begins, under the workspace's write
//    lock, by two reads that find nothing while this process is the only writer: the change
//    log's entries past the memory's position, and the events stored past the last one it
//    knows of. The customers they name are forgotten and read afresh when next met; a catalog
//    change forgets the whole workspace, a library change (names, rules) nobody.
import type { Kysely, Transaction } from 'kysely';
import { SHOP_SENT_EVENT_TYPES } from '../core/event.js';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { extremeEvents, type EventSelection, type MetricEvent } from '../core/metric-compute.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/schema.js';
import { CHANGE_LOG_RETENTION_MS, type WorkspaceContext } from './context.js';
import { StoredEvent, readStoredHistories, type HistorySource } from './metrics.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One customer's events as a recompute needs them. */
interface History {
  /** Events of the types the selection reads, in the order they were read and then added. */
  events: MetricEvent[];
  /** The customer's first and last own event times, when the selection stands them in. */
  first: number | null;
  last: number | null;
  /** The instant after which each type read only within a window was read: older ones may be missing. */
  from: ReadonlyMap<string, number>;
}

interface WorkspaceHistories {
  /** The shape of the selection the histories were read for; another shape starts afresh. */
  shape: string;
  /** When (wall clock) the memory last looked for others' changes. */
  lookedAt: number;
  /** The change log's last entry the memory has accounted for. */
  changePosition: number;
  /** The last stored event (of any workspace) the memory has accounted for. */
  eventPosition: number;
  /** In order of last use, the least recent first. */
  customers: Map<number, History>;
}

interface Memory {
  /** How many customers' histories, across the workspaces. */
  capacity: number;
  /** In order of last write, the least recent first. */
  workspaces: Map<number, WorkspaceHistories>;
  /** The wall clock the change log's entries are pruned by. */
  wallClock: () => number;
}

/**
 * A memory that has not looked at the change log for this long may have missed entries pruned
 * meanwhile: it starts the workspace afresh, as the engine's cache reloads.
 */
const MAX_LOOK_GAP_MS = CHANGE_LOG_RETENTION_MS / 2;

const memories = new WeakMap<Store, Memory>();

/** How many customers' histories a process keeps unless `TAGBASE_HISTORY_MEMORY` says otherwise: about 200 MB on the benchmark's data. */
export const DEFAULT_HELD_HISTORIES = 50_000;

/**
 * `TAGBASE_HISTORY_MEMORY`: how many customers' histories a process keeps in all
 * (`DEFAULT_HELD_HISTORIES` unless set); 0 or `off` keeps none and reads every history from the
 * store.
 */
export function historyMemorySetting(setting: string | undefined): number {
  const value = (setting ?? '').trim().toLowerCase();
  if (value === '') return DEFAULT_HELD_HISTORIES;
  if (value === 'off') return 0;
  const customers = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(customers)) return customers;
  throw new TagbaseError('VALIDATION_FAILED', {
    detail: localized(`TAGBASE_HISTORY_MEMORY is a number of customers (0 or off for none), not "${setting}"`, `TAGBASE_HISTORY_MEMORY 应为客户数（0 或 off 表示不保留），而不是「${setting}」`),
  });
}

/**
 * Keeps up to `customers` histories in all for this store in this process (0: none),
 * whatever the setting says; `wallClock` for tests.
 */
export function keepHistoriesInMemory(store: Store, customers: number, wallClock: () => number = Date.now): void {
  memories.set(store, { capacity: customers, workspaces: new Map(), wallClock });
}

function memoryOf(store: Store): Memory {
  let memory = memories.get(store);
  if (!memory) {
    memory = { capacity: historyMemorySetting(process.env.TAGBASE_HISTORY_MEMORY), workspaces: new Map(), wallClock: Date.now };
    memories.set(store, memory);
  }
  return memory;
}

/** Forgets what the process holds of a workspace (deleted, or changed in a way the log does not tell). */
export function forgetHistories(store: Store, workspaceId: number): void {
  memories.get(store)?.workspaces.delete(workspaceId);
}

/** How many customers' histories the process holds for the workspace (tests, the benchmark). */
export function heldHistories(store: Store, workspaceId: number): number {
  return memories.get(store)?.workspaces.get(workspaceId)?.customers.size ?? 0;
}

/** How many events the process holds of a customer's history, undefined when it holds none (tests). */
export function heldEventCount(store: Store, workspaceId: number, customerId: number): number | undefined {
  return memories.get(store)?.workspaces.get(workspaceId)?.customers.get(customerId)?.events.length;
}

/** An event a batch stores, as the memory keeps it. */
export interface StoredEventOfBatch {
  id: number;
  customerId: number;
  type: string;
  occurredAt: number;
  properties: string;
}

/**
 * One write transaction's use of the memory: begun under the workspace's write lock before the
 * batch writes anything, told the events the batch stores, read as the recompute's history
 * source, and committed once the transaction has.
 */
export class HistoryBatch {
  readonly #store: Store;
  readonly #memory: Memory;
  readonly #workspaceId: number;
  readonly #workspace: WorkspaceHistories;
  readonly #changePosition: number;
  readonly #eventPosition: number;
  readonly #stored = new Map<number, StoredEventOfBatch[]>();
  #lastEventId = 0;
  /** What each customer's entry becomes at the commit, with the entry it replaces (undefined: none). */
  readonly #staged = new Map<number, { before: History | undefined; after: History }>();
  readonly #replaced = new Map<number, History>();
  /** The shape of the selection the batch read for. */
  #shape: string | undefined;

  constructor(store: Store, memory: Memory, workspaceId: number, workspace: WorkspaceHistories) {
    this.#store = store;
    this.#memory = memory;
    this.#workspaceId = workspaceId;
    this.#workspace = workspace;
    this.#changePosition = workspace.changePosition;
    this.#eventPosition = workspace.eventPosition;
  }

  /** Events the batch stored, in the order stored. */
  stored(events: readonly StoredEventOfBatch[]): void {
    for (const event of events) {
      const list = this.#stored.get(event.customerId);
      if (list) list.push(event);
      else this.#stored.set(event.customerId, [event]);
      if (event.id > this.#lastEventId) this.#lastEventId = event.id;
    }
  }

  /** The recompute's history source: held histories with the batch's events, the others read from the store. */
  readonly histories: HistorySource = async (context, db, customerIds, selection) => {
    const workspace = this.#workspace;
    const shape = selectionShape(selection);
    if (workspace.shape !== shape) {
      workspace.customers.clear();
      workspace.shape = shape;
    }
    this.#shape = shape;
    const result = new Map<number, MetricEvent[]>();
    const missing: number[] = [];
    for (const customerId of customerIds) {
      const held = workspace.customers.get(customerId);
      if (held === undefined || !covers(held, selection)) {
        missing.push(customerId);
        // Read afresh below; the entry it replaces, if any, is what the commit expects to find.
        if (held !== undefined) this.#replaced.set(customerId, held);
        continue;
      }
      const after = withEvents(held, this.#stored.get(customerId) ?? [], selection);
      this.#staged.set(customerId, { before: held, after });
      result.set(customerId, eventsOf(after, selection));
    }
    if (missing.length > 0) {
      // Read in this transaction, so with the batch's own events already.
      const read = await readStoredHistories(context, db, missing, selection);
      for (const [customerId, history] of historiesRead(missing, read, selection)) {
        this.#staged.set(customerId, { before: this.#replaced.get(customerId), after: history });
        result.set(customerId, eventsOf(history, selection));
      }
    }
    return result;
  };

  /**
   * Called once the transaction has committed, with its change-log entry: the histories read or
   * extended in it are held from now on. If another transaction began on the workspace since this
   * one did, it may have read this one's entries as another writer's and forgotten their
   * customers: then nothing is kept.
   */
  committed(changeId: number | undefined): void {
    const workspace = this.#workspace;
    // Forgotten meanwhile (the workspace deleted, the memory set anew).
    if (memories.get(this.#store) !== this.#memory || this.#memory.workspaces.get(this.#workspaceId) !== workspace) return;
    if (workspace.changePosition !== this.#changePosition || workspace.eventPosition !== this.#eventPosition || (this.#shape !== undefined && workspace.shape !== this.#shape)) {
      for (const customerId of this.#staged.keys()) workspace.customers.delete(customerId);
      return;
    }
    for (const [customerId, { before, after }] of this.#staged) {
      const current = workspace.customers.get(customerId);
      // Deleted first, so that it moves to the end: the most recently used.
      workspace.customers.delete(customerId);
      // Another entry than the one this batch read: not this batch's to replace, and not to be trusted.
      if (current === before) workspace.customers.set(customerId, after);
    }
    if (changeId !== undefined) workspace.changePosition = Math.max(workspace.changePosition, changeId);
    workspace.eventPosition = Math.max(workspace.eventPosition, this.#lastEventId);
    // Moved to the end: the workspace written last.
    this.#memory.workspaces.delete(this.#workspaceId);
    this.#memory.workspaces.set(this.#workspaceId, workspace);
    giveUpPastCapacity(this.#memory);
  }
}

/**
 * Gives up histories past the memory's size: those of the workspaces written least recently
 * first, and in each the customers met least recently.
 */
function giveUpPastCapacity(memory: Memory): void {
  let excess = -memory.capacity;
  for (const workspace of memory.workspaces.values()) excess += workspace.customers.size;
  for (const workspace of memory.workspaces.values()) {
    if (excess <= 0) return;
    for (const customerId of workspace.customers.keys()) {
      if (excess-- <= 0) return;
      workspace.customers.delete(customerId);
    }
  }
}

/**
 * Begins a write transaction's use of the memory, undefined when the process keeps none. Runs
 * under the workspace's write lock, before the transaction writes anything: it forgets what
 * others have changed since the memory last looked.
 */
export async function beginHistoryBatch(context: WorkspaceContext, trx: Transaction<Database>): Promise<HistoryBatch | undefined> {
  const memory = memoryOf(context.store);
  if (memory.capacity <= 0) return undefined;
  const lookedAt = memory.wallClock();
  let workspace = memory.workspaces.get(context.workspaceId);
  if (!workspace || lookedAt - workspace.lookedAt > MAX_LOOK_GAP_MS) {
    workspace = { shape: '', lookedAt, ...(await lastPositions(context, trx)), customers: new Map() };
    memory.workspaces.set(context.workspaceId, workspace);
  } else {
    await forgetWhatOthersChanged(context, trx, workspace);
    workspace.lookedAt = lookedAt;
  }
  return new HistoryBatch(context.store, memory, context.workspaceId, workspace);
}

/** The change log's last entry for the workspace, and the last stored event of any. */
async function lastPositions(context: WorkspaceContext, db: Db): Promise<{ changePosition: number; eventPosition: number }> {
  const [changes, events] = await Promise.all([
    db.selectFrom('changes').select((eb) => eb.fn.max('id').as('last')).where('workspace_id', '=', context.workspaceId).executeTakeFirst(),
    db.selectFrom('events').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst(),
  ]);
  return { changePosition: Number(changes?.last ?? 0), eventPosition: Number(events?.last ?? 0) };
}

/**
 * Past this many entries or events since it last looked, the memory forgets the workspace rather
 * than read them all: another writer has been busy, and the reads stay small (and on PostgreSQL,
 * ordered and limited, go by the primary key however stale the table's statistics).
 */
const MOST_CHANGES_READ = 5_000;

async function forgetWhatOthersChanged(context: WorkspaceContext, db: Db, workspace: WorkspaceHistories): Promise<void> {
  const [changes, events] = await Promise.all([
    db.selectFrom('changes').select(['id', 'kind', 'customer_ids']).where('workspace_id', '=', context.workspaceId).where('id', '>', workspace.changePosition).orderBy('id').limit(MOST_CHANGES_READ).execute(),
    // Every workspace's, by the primary key alone: the workspace's own index would walk all its events.
    db.selectFrom('events').select(['id', 'workspace_id', 'customer_id']).where('id', '>', workspace.eventPosition).orderBy('id').limit(MOST_CHANGES_READ).execute(),
  ]);
  if (changes.length === MOST_CHANGES_READ || events.length === MOST_CHANGES_READ) {
    workspace.customers.clear();
    Object.assign(workspace, await lastPositions(context, db));
    return;
  }
  for (const change of changes) {
    workspace.changePosition = Math.max(workspace.changePosition, Number(change.id));
    // Names, rules and deleted tags change no one's events; a catalog change (metrics, the time zone) may change what is read.
    if (change.kind === 'library' || change.kind === 'tag_deleted') continue;
    if (change.kind === 'customers' && change.customer_ids !== null) for (const customerId of JSON.parse(change.customer_ids) as number[]) workspace.customers.delete(customerId);
    else workspace.customers.clear();
  }
  for (const event of events) {
    workspace.eventPosition = Math.max(workspace.eventPosition, Number(event.id));
    if (event.workspace_id === context.workspaceId) workspace.customers.delete(event.customer_id);
  }
}

/** What makes two selections read the same kinds of events (their instants aside). */
function selectionShape(selection: EventSelection): string {
  if (selection.kind === 'all') return 'all';
  return JSON.stringify([[...selection.allOf].sort(), [...selection.after.keys()].sort(), selection.extremes]);
}

/** Whether a held history has every event the selection reads: its windows start no earlier than when it was read. */
function covers(history: History, selection: EventSelection): boolean {
  if (selection.kind === 'all') return true;
  for (const [type, from] of selection.after) {
    const readFrom = history.from.get(type);
    if (readFrom === undefined || readFrom > from) return false;
  }
  return true;
}

function reads(selection: EventSelection, type: string): boolean {
  return selection.kind === 'all' || selection.allOf.includes(type) || selection.after.has(type);
}

const SHOP_SENT = new Set<string>(SHOP_SENT_EVENT_TYPES);

/**
 * A held history with the batch's events added (a new history: the held one stays as it is until
 * the commit). Events of a type read only within windows that have moved past them are let go:
 * they count towards nothing any more, and a history would otherwise grow with every product view
 * for as long as the process runs. (The clock moving back reads the customer afresh: `covers`.)
 */
function withEvents(held: History, stored: readonly StoredEventOfBatch[], selection: EventSelection): History {
  if (stored.length === 0) return held;
  const after = selection.kind === 'some' ? selection.after : undefined;
  const counts = (type: string, occurredAt: number) => {
    const from = after?.get(type);
    return from === undefined || occurredAt > from;
  };
  const events = after !== undefined && after.size > 0 ? held.events.filter((event) => counts(event.type, event.occurredAt)) : held.events.slice();
  let { first, last } = held;
  for (const event of stored) {
    if (reads(selection, event.type) && counts(event.type, event.occurredAt)) events.push(new StoredEvent(event.type, event.occurredAt, event.properties));
    if (selection.kind === 'some' && selection.extremes && !SHOP_SENT.has(event.type)) {
      first = first === null ? event.occurredAt : Math.min(first, event.occurredAt);
      last = last === null ? event.occurredAt : Math.max(last, event.occurredAt);
    }
  }
  return { events, first, last, from: after ?? held.from };
}

/** Histories as read from the store, one per customer asked for (empty for one without events). */
function historiesRead(customerIds: readonly number[], read: Awaited<ReturnType<typeof readStoredHistories>>, selection: EventSelection): Map<number, History> {
  const from = selection.kind === 'all' ? new Map<string, number>() : selection.after;
  const histories = new Map<number, History>(customerIds.map((customerId) => [customerId, { events: [], first: null, last: null, from }]));
  for (const [customerId, type, occurredAt, properties] of read.events) histories.get(customerId)?.events.push(new StoredEvent(type, occurredAt, properties));
  for (const [customerId, first, last] of read.extremes) {
    const history = histories.get(customerId);
    if (history && first !== null && last !== null) {
      history.first = Number(first);
      history.last = Number(last);
    }
  }
  return histories;
}

/** The events `computeMetrics` takes for a history: as `eventsByCustomer` gives the store's rows. */
function eventsOf(history: History, selection: EventSelection): MetricEvent[] {
  if (selection.kind === 'all' || !selection.extremes || history.first === null || history.last === null) return history.events;
  return [...history.events, ...extremeEvents(history.first, history.last)];
}
