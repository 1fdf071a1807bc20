// The event journal: batches accepted durably at once and applied right after (a client asks
// for it with `Prefer: respond-async`). A burst of events is then answered at the speed of one
// insert per batch while metrics, rule tags and history follow at the engine's pace. A batch is
// applied in one transaction that also marks it applied, so a crash loses nothing and applies
// nothing twice: the server's next drain, or its scheduler's, takes up what is still pending.
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '../core/canonical-json.js';
import { fieldProblem, isTagbaseError, TagbaseError } from '../core/errors.js';
import { isConnectionRefused, type Store } from '../store/connect.js';
import { isPermissionDenied } from '../store/permissions.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { Database, JournalStatus } from '../store/schema.js';
import type { Insertable, Transaction } from 'kysely';
import type { WorkspaceContext } from './context.js';
import { appendTogether, type RowAppender } from './group-commit.js';
import { checkedWorkspaceEvents, MAX_EVENT_BATCH, writeEventGroup, type EventBatch, type IngestResult, type PreparedEvent } from './ingest.js';

/**
 * A batch that failed this many times is set aside as failed, to be retried by hand. Tries the
 * store was away for (`storeAway`) are not counted: the batch was never tried.
 */
export const JOURNAL_MAX_ATTEMPTS = 8;
/** The longest wait between tries while the store is away: about the scheduler's pace. */
const OUTAGE_RETRY_MAX_MS = 60_000;
/**
 * Applied batches answer `GET /events/journal/{id}` this long (a day: a client sending one event
 * per request makes a batch per event); failed ones are kept this long for a retry.
 */
export const JOURNAL_APPLIED_RETENTION_MS = 86_400_000;
export const JOURNAL_FAILED_RETENTION_MS = 30 * 86_400_000;
/** Batches read per look at the journal; a group is made of the first of them. */
const HEADS_PER_LOOK = 256;
/**
 * About how long one group's write may hold the thread. On SQLite a write does not yield, so
 * requests arriving meanwhile (more batches to accept, portraits) wait for it; groups are sized
 * from the last one's pace so that they wait about this long at most.
 */
const GROUP_BUDGET_MS = 100;

export interface JournalReceipt {
  received: number;
  /** The accepted batch, for `GET /events/journal/{id}`. */
  batch: number;
  status: 'pending';
}

/** Validates a batch as `ingestEvents` does and stores it in the journal, to be applied after the answer. */
export async function journalEvents(context: WorkspaceContext, items: readonly unknown[]): Promise<JournalReceipt> {
  const batch = await appendBatch(context, items);
  if (batch === undefined) throw new Error('a batch without an idempotency key was not appended');
  return { received: items.length, batch, status: 'pending' };
}

/** The journal's id of the appended batch; undefined when another request took its idempotency key first. */
async function appendBatch(context: WorkspaceContext, items: readonly unknown[], idempotency?: IdempotencyKey): Promise<number | undefined> {
  const { events, duplicatesInBatch } = await checkedWorkspaceEvents(context, items, context.now().getTime());
  return appendTogether(context.store, JOURNAL_APPENDS, {
    workspace_id: context.workspaceId,
    actor: context.actor,
    received_at: context.now().getTime(),
    received: items.length,
    event_count: events.length,
    events: encodeEvents(events, duplicatesInBatch),
    status: 'pending',
    idempotency_key: idempotency?.key ?? null,
    request_digest: idempotency?.digest ?? null,
  });
}

type JournalRow = Insertable<Database['event_journal']>;

/**
 * Accepted batches arriving together are appended in one commit, as direct ingest groups its
 * writes. A batch whose idempotency key another took meanwhile is skipped (its id undefined)
 * rather than failing the commit of the others.
 */
const JOURNAL_APPENDS: RowAppender<JournalRow, number | undefined> = {
  kind: 'event_journal',
  async insert(trx, rows) {
    const ids: (number | undefined)[] = [];
    for (const row of rows) ids.push((await insertJournalRow(trx, row))?.id);
    return ids;
  },
};

function insertJournalRow(trx: Transaction<Database>, row: JournalRow) {
  // Only the idempotency key's index can conflict: a row without a key always goes in.
  return trx.insertInto('event_journal').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
}

/**
 * A client's `Idempotency-Key` and what its request carried. The same key with the same events,
 * while the first batch is kept (a day once applied), is a repeat: it is answered with what
 * became of the first and applies nothing. The same key with other events is refused.
 */
export interface IdempotencyKey {
  key: string;
  /** Of the events with their objects' keys in order: a retry that sends them in another order is the same request. */
  digest: string;
  /** Of the events as sent, as digests were taken before: a key stored then still matches its retry. */
  digestAsSent: string;
}

/** The digest of events too deeply nested to serialise: no sha256 digest in base64url reads so. */
const UNREADABLE_DIGEST = '(nested too deep)';

export function idempotencyKey(key: string, items: readonly unknown[]): IdempotencyKey {
  const digestOf = (text: string) => createHash('sha256').update(text).digest('base64url');
  try {
    return { key, digest: digestOf(canonicalJson(items)), digestAsSent: digestOf(JSON.stringify(items)) };
  } catch (error) {
    // Nested deeper than JSON.stringify or a walk in JavaScript goes: such events are refused
    // for it further on (properties nest at most 32 levels), so no stored batch has them, and a
    // digest that matches none lets the request reach that refusal.
    if (error instanceof RangeError) return { key, digest: UNREADABLE_DIGEST, digestAsSent: UNREADABLE_DIGEST };
    throw error;
  }
}

export interface OnceAnswer {
  /** True when an earlier request with the key was found, and nothing was applied now. */
  replayed: boolean;
  batch: JournalBatch;
}

/**
 * Ingests a batch at most once under its idempotency key: applied before the answer
 * (`'apply'`, in one transaction with the key, so that a crash keeps both or neither), or
 * accepted into the journal (`'accept'`). A request whose key is known is answered with the
 * first one's batch: applied, with its counts, or still pending.
 */
export async function ingestOnce(context: WorkspaceContext, items: readonly unknown[], idempotency: IdempotencyKey, mode: 'apply' | 'accept'): Promise<OnceAnswer> {
  const earlier = await earlierBatch(context, idempotency);
  if (earlier) return { replayed: true, batch: earlier };
  const id = mode === 'accept' ? await appendBatch(context, items, idempotency) : await applyKeyed(context, items, idempotency);
  if (id !== undefined) return { replayed: false, batch: await journalBatch(context, id) };
  // Another request with the key was stored between the look above and this one's write.
  const taken = await earlierBatch(context, idempotency);
  if (!taken) throw new Error(`the batch holding idempotency key ${idempotency.key} vanished while it was read`);
  return { replayed: true, batch: taken };
}

async function earlierBatch(context: WorkspaceContext, idempotency: IdempotencyKey): Promise<JournalBatch | undefined> {
  const row = await batchRows(context).select('request_digest').where('idempotency_key', '=', idempotency.key).executeTakeFirst();
  if (!row) return undefined;
  if (row.request_digest !== idempotency.digest && row.request_digest !== idempotency.digestAsSent) throw fieldProblem('IDEMPOTENCY_KEY_REUSED', 'header', 'idempotency-key', { key: idempotency.key });
  return batchJson(row);
}

/** Thrown inside the transaction of a keyed batch when another request holds the key already. */
class KeyTaken extends Error {}

/** Applies a keyed batch now, recording it in the journal as applied in the same transaction. */
async function applyKeyed(context: WorkspaceContext, items: readonly unknown[], idempotency: IdempotencyKey): Promise<number | undefined> {
  const receivedAt = context.now().getTime();
  const { events, errors, duplicatesInBatch } = await checkedWorkspaceEvents(context, items, receivedAt);
  let id: number | undefined;
  try {
    await writeEventGroup([{ context, received: items.length, events, errors, duplicatesInBatch, receivedAt }], {
      async claim(trx) {
        const row = await insertJournalRow(trx, {
          workspace_id: context.workspaceId,
          actor: context.actor,
          received_at: receivedAt,
          received: items.length,
          event_count: events.length,
          events: null,
          status: 'applying',
          idempotency_key: idempotency.key,
          request_digest: idempotency.digest,
        });
        if (!row) throw new KeyTaken();
        id = row.id;
      },
      async settle(trx, results) {
        const { rejected: _rejected, ...counts } = results[0] as IngestResult;
        await trx
          .updateTable('event_journal')
          .set({ status: 'applied', result: JSON.stringify(counts), applied_at: context.now().getTime(), attempts: 1 })
          .where('id', '=', id ?? 0)
          .execute();
      },
    });
  } catch (error) {
    if (error instanceof KeyTaken) return undefined;
    throw error;
  }
  return id;
}

// Arrays rather than objects: a batch of 10,000 events is stored once and read once.
type StoredEvent = [eventKey: string, customerExternalId: string, type: string, occurredAt: number, properties: string];

function encodeEvents(events: readonly PreparedEvent[], duplicatesInBatch: number): string {
  const stored: StoredEvent[] = events.map((event) => [event.eventKey, event.customerExternalId, event.type, event.occurredAt, event.properties]);
  return JSON.stringify({ duplicates: duplicatesInBatch, events: stored });
}

const EMPTY_BATCH = '{"duplicates":0,"events":[]}';

function decodeEvents(text: string): { events: PreparedEvent[]; duplicatesInBatch: number } {
  const parsed = JSON.parse(text) as { duplicates: number; events: StoredEvent[] };
  const events = parsed.events.map(([eventKey, customerExternalId, type, occurredAt, properties], index) => ({ index, eventKey, customerExternalId, type, occurredAt, properties }));
  return { events, duplicatesInBatch: parsed.duplicates };
}

/** What applying needs besides a batch's workspace and actor: the store, the clock, and whom to tell. */
export type JournalApplier = Pick<WorkspaceContext, 'store' | 'now' | 'observer' | 'ruleCandidates' | 'rulePasses'> & {
  /**
   * Whether batches are being accepted in this process right now. While they are, the drain
   * waits before its next group (up to `MAX_YIELD_MS`), so that answering them comes first:
   * a group holds the thread, and a request takes several turns of the event loop.
   */
  accepting?: (() => boolean) | undefined;
  /**
   * Told of a batch that failed for its own reasons, once: at its first failed try (again after a
   * retry by hand), not at each of the tries after it. A try the store was away for is not told
   * here: the caller's report of the drain failing says that, once a minute (see backgroundErrors).
   */
  onError?: ((error: unknown, message: string) => void) | undefined;
};

/** The longest the drain waits for accepting to pause: at least one group a second goes on during a long burst. */
const MAX_YIELD_MS = 1_000;

export interface JournalApplyReport {
  /** Batches applied by this drain. */
  applied: number;
  /** Events they stored. */
  stored: number;
  /** Batches that failed this time (tried again later, or set aside after `JOURNAL_MAX_ATTEMPTS`), the store's outages included. */
  failed: number;
}

const draining = new WeakMap<Store, { again: boolean; done: Promise<JournalApplyReport> }>();
/** Groups in a row this process found the store away for, for the wait before the next try; none since one applied. */
const outagesInARow = new WeakMap<Store, number>();
/** Stores whose process is shutting down: nothing more is applied to them here. */
const stopped = new WeakSet<Store>();

/**
 * Stops applying accepted batches to `store` in this process, as the server does when it shuts
 * down: a drain that is writing a group finishes it (its transaction commits) and ends there, and
 * no new drain starts. Resolves once no drain runs, so the store can be closed under nothing.
 * Batches not reached stay pending, and the next start applies them.
 */
export async function stopJournal(store: Store): Promise<void> {
  stopped.add(store);
  await draining.get(store)?.done.catch(() => undefined);
}

/**
 * Applies every pending batch that is due, oldest first, several at a time when they are of one
 * workspace and actor; resolves when none is left. One drain runs per store in a process: a call
 * while it runs makes it look again before it ends and shares its report.
 */
export function applyJournal(applier: JournalApplier): Promise<JournalApplyReport> {
  if (stopped.has(applier.store)) return Promise.resolve({ applied: 0, stored: 0, failed: 0 });
  const running = draining.get(applier.store);
  if (running) {
    running.again = true;
    return running.done;
  }
  const state = { again: false, done: Promise.resolve({ applied: 0, stored: 0, failed: 0 }) };
  state.done = (async () => {
    const report: JournalApplyReport = { applied: 0, stored: 0, failed: 0 };
    try {
      do {
        state.again = false;
        await drain(applier, report);
      } while (state.again);
    } finally {
      draining.delete(applier.store);
    }
    return report;
  })();
  draining.set(applier.store, state);
  return state.done;
}

interface JournalHead {
  id: number;
  workspace_id: number;
  actor: string | null;
  event_count: number;
}

async function drain(applier: JournalApplier, report: JournalApplyReport): Promise<void> {
  const tried = new Set<number>();
  // Milliseconds per event of the last group; until one is written, a guess on the slow side.
  let pace = 0.5;
  for (;;) {
    if (stopped.has(applier.store)) return;
    const now = applier.now().getTime();
    const heads = await applier.store.db
      .selectFrom('event_journal')
      .select(['id', 'workspace_id', 'actor', 'event_count'])
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<=', now)]))
      .orderBy('id')
      .limit(HEADS_PER_LOOK)
      .execute();
    // A batch that failed in this drain waits for its retry time, but a retry time already
    // past (a clock that does not move) must not make the drain spin on it.
    const due = heads.filter((head) => !tried.has(head.id));
    if (due.length === 0) return;
    const group = groupOf(due, Math.max(1, Math.min(MAX_EVENT_BATCH, Math.floor(GROUP_BUDGET_MS / pace))));
    for (const head of group) tried.add(head.id);
    if (applier.accepting) await whileAccepting(applier.accepting);
    if (stopped.has(applier.store)) return;
    const started = performance.now();
    // Batches another transaction changed meanwhile are read again.
    if (!(await applyGroup(applier, group, report))) for (const head of group) tried.delete(head.id);
    const events = group.reduce((sum, head) => sum + head.event_count, 0);
    if (events > 0) pace = (performance.now() - started) / events;
    // Lets requests waiting on the event loop be read between groups (SQLite writes do not yield).
    await nextTurn();
  }
}

async function whileAccepting(accepting: () => boolean): Promise<void> {
  const since = performance.now();
  while (accepting() && performance.now() - since < MAX_YIELD_MS) await sleep(2);
}

/** The first batch and those right after it of the same workspace and actor, up to `maxEvents` events. */
function groupOf(heads: readonly JournalHead[], maxEvents: number): JournalHead[] {
  const first = heads[0] as JournalHead;
  const group = [first];
  let events = first.event_count;
  for (const head of heads.slice(1)) {
    if (head.workspace_id !== first.workspace_id || head.actor !== first.actor || events + head.event_count > maxEvents) break;
    group.push(head);
    events += head.event_count;
  }
  return group;
}

/**
 * Thrown inside a group's transaction when another transaction got to one of its batches first:
 * another process applied it, or an erasure took events out of it after it was read.
 */
class ChangedElsewhere extends Error {}

/** Applies a group; `false` when another transaction changed one of its batches first, to be read again. */
async function applyGroup(applier: JournalApplier, group: readonly JournalHead[], report: JournalApplyReport): Promise<boolean> {
  const store = applier.store;
  const ids = group.map((head) => head.id);
  const first = group[0] as JournalHead;
  const workspace = await store.db.selectFrom('workspaces').select('key').where('id', '=', first.workspace_id).where('deleting', 'is', null).executeTakeFirst();
  // Deleted (or being deleted) since its batches were read: they go with it, and there is nothing to apply.
  if (!workspace) return true;
  const context: WorkspaceContext = { ...applier, workspaceId: first.workspace_id, workspaceKey: workspace.key, actor: first.actor };
  const rows = await store.db.selectFrom('event_journal').select(['id', 'received', 'received_at', 'event_count', 'events']).where('id', 'in', ids).where('status', '=', 'pending').orderBy('id').execute();
  if (rows.length !== ids.length) return false;
  try {
    const batches: EventBatch[] = rows.map((row) => ({ context, received: row.received, errors: [], receivedAt: row.received_at, ...decodeEvents(row.events ?? EMPTY_BATCH) }));
    const results = await writeEventGroup(batches, {
      async claim(trx) {
        // Each batch as it was read: still pending, and with as many events (an erasure removes some).
        for (const row of rows) {
          const claimed = await trx.updateTable('event_journal').set({ status: 'applying' }).where('id', '=', row.id).where('status', '=', 'pending').where('event_count', '=', row.event_count).executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) throw new ChangedElsewhere();
        }
      },
      async settle(trx, results) {
        const appliedAt = applier.now().getTime();
        for (const [k, row] of rows.entries()) {
          const { rejected: _rejected, ...counts } = results[k] as IngestResult;
          // The try that applied it counts: `attempts` is how many times it was tried, not only failed.
          await trx
            .updateTable('event_journal')
            .set((eb) => ({ status: 'applied', events: null, result: JSON.stringify(counts), error: null, retry_at: null, applied_at: appliedAt, attempts: eb('attempts', '+', 1) }))
            .where('id', '=', row.id)
            .execute();
        }
      },
    });
    report.applied += rows.length;
    for (const result of results) report.stored += result.stored;
    outagesInARow.delete(store);
    return true;
  } catch (error) {
    if (error instanceof ChangedElsewhere) return false;
    // Not the batches' failure: each would fail alike, and none of their tries is spent.
    if (storeAway(error)) {
      report.failed += group.length;
      await recordOutage(applier, ids, error);
      return true;
    }
    // One batch's failure is not its neighbours': each is tried again on its own.
    if (group.length > 1) {
      let settled = true;
      for (const head of group) settled = (await applyGroup(applier, [head], report)) && settled;
      return settled;
    }
    report.failed++;
    await recordFailure(applier, first.id, error);
    return true;
  }
}

/**
 * Takes the events of these customer ids out of the workspace's batches not applied yet (an
 * erasure, in its transaction), so that applying them later does not bring the person back.
 * Returns how many events went.
 */
export async function scrubJournal(trx: Transaction<Database>, workspaceId: number, customerIds: ReadonlySet<string>): Promise<number> {
  const rows = await trx.selectFrom('event_journal').select(['id', 'events']).where('workspace_id', '=', workspaceId).where('status', 'in', ['pending', 'failed']).where('events', 'is not', null).execute();
  let removed = 0;
  for (const row of rows) {
    const { events, duplicatesInBatch } = decodeEvents(row.events ?? EMPTY_BATCH);
    const kept = events.filter((event) => !customerIds.has(event.customerExternalId));
    if (kept.length === events.length) continue;
    removed += events.length - kept.length;
    await trx.updateTable('event_journal').set({ events: encodeEvents(kept, duplicatesInBatch), event_count: kept.length }).where('id', '=', row.id).execute();
  }
  return removed;
}

/**
 * Whether applying failed because the store was away, not for anything in the batch: the
 * database out of reach or restarting, a connection dropped under the transaction, SQLite's file
 * held by another process past the busy timeout, a deadlock or a lock wait given up (what the
 * API answers `503 STORE_UNAVAILABLE`), or a connection turned away (`STORE_REFUSED`, a password
 * changed under the server), or a right the database role lacks (a GRANT revoked, a role made
 * for reading given to the server): a fault of the setup that would refuse every batch alike.
 * A PostgreSQL restart of a few minutes set good batches aside as failed when such tries counted.
 */
function storeAway(error: unknown): boolean {
  if (isTagbaseError(error)) return error.code === 'STORE_UNAVAILABLE' || error.code === 'STORE_REFUSED' || error.code === 'STORE_PERMISSION_DENIED';
  if (isPermissionDenied(error)) return true;
  // A statement cancelled by its statement_timeout may be the batch's own size: it would never
  // go through, so it counts, and the batch is set aside after its tries rather than tried forever.
  if ((error as { code?: unknown }).code === '57014') return false;
  return isStoreUnavailable(error) || isConnectionRefused(error);
}

/**
 * Puts the batches off after a try the store was away for, with their attempts as they were: the
 * wait doubles from 2 s with each such group in a row, up to a minute, and starts again once a
 * group is applied. When the store is still away this write fails too, and ends the drain.
 */
async function recordOutage(applier: JournalApplier, ids: readonly number[], error: unknown): Promise<void> {
  const inARow = (outagesInARow.get(applier.store) ?? 0) + 1;
  outagesInARow.set(applier.store, inARow);
  const retryIn = Math.min(1_000 * 2 ** Math.min(inARow, 16), OUTAGE_RETRY_MAX_MS);
  const message = error instanceof Error ? error.message : String(error);
  await applier.store.db
    .updateTable('event_journal')
    .set({ error: message, retry_at: applier.now().getTime() + retryIn })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

async function recordFailure(applier: JournalApplier, id: number, error: unknown): Promise<void> {
  const row = await applier.store.db.selectFrom('event_journal').select('attempts').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const attempts = row.attempts + 1;
  const message = error instanceof Error ? error.message : String(error);
  const retryIn = Math.min(1_000 * 2 ** attempts, 600_000);
  const updated = await applier.store.db
    .updateTable('event_journal')
    .set(attempts >= JOURNAL_MAX_ATTEMPTS ? { attempts, status: 'failed', error: message, retry_at: null, failed_at: applier.now().getTime() } : { attempts, error: message, retry_at: applier.now().getTime() + retryIn })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (attempts === 1 && Number(updated.numUpdatedRows) === 1) applier.onError?.(error, batchFailedMessage(id));
}

/** What the server's log says of a batch that failed for its own reasons, by its id (`GET /events/journal/{id}`). */
export function batchFailedMessage(batch: number): string {
  return `applying accepted event batch ${batch} failed; it is tried again later, and set aside as failed after ${JOURNAL_MAX_ATTEMPTS} tries`;
}

export interface JournalBatch {
  batch: number;
  status: JournalStatus;
  received: number;
  received_at: string;
  applied_at: string | null;
  attempts: number;
  /** The last failure's message, while the batch waits for another try or has been set aside. */
  error: string | null;
  /** As `POST /events` answers once applied: stored, duplicates, customers_created, tags_changed. */
  result: Omit<IngestResult, 'rejected' | 'received'> | null;
}

/** One accepted batch of the workspace, pending, applied or failed. */
export async function journalBatch(context: WorkspaceContext, batch: number): Promise<JournalBatch> {
  const row = await batchRows(context).where('id', '=', batch).executeTakeFirst();
  if (!row) throw new TagbaseError('JOURNAL_BATCH_NOT_FOUND', { batch: String(batch) });
  return batchJson(row);
}

function batchRows(context: WorkspaceContext) {
  return context.store.db.selectFrom('event_journal').select(['id', 'status', 'received', 'received_at', 'applied_at', 'attempts', 'error', 'result']).where('workspace_id', '=', context.workspaceId);
}

function batchJson(row: { id: number; status: JournalStatus; received: number; received_at: number; applied_at: number | null; attempts: number; error: string | null; result: string | null }): JournalBatch {
  const result = row.result === null ? null : (JSON.parse(row.result) as IngestResult);
  return {
    batch: row.id,
    status: row.status,
    received: row.received,
    received_at: new Date(row.received_at).toISOString(),
    applied_at: row.applied_at === null ? null : new Date(row.applied_at).toISOString(),
    attempts: row.attempts,
    error: row.error,
    result: result && { stored: result.stored, duplicates: result.duplicates, customers_created: result.customers_created, tags_changed: result.tags_changed },
  };
}

/** Failed batches listed by `journalSummary`, the latest first. */
const FAILED_LISTED = 20;

export interface JournalSummary {
  pending_batches: number;
  pending_events: number;
  /** When the oldest pending batch was accepted; null when none is pending. */
  oldest_pending_at: string | null;
  failed_batches: number;
  /** The latest failed batches (at most 20), to retry. */
  failed: JournalBatch[];
}

/** How far applying is behind accepting in the workspace. */
export async function journalSummary(context: WorkspaceContext): Promise<JournalSummary> {
  const rows = await context.store.db
    .selectFrom('event_journal')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('batches'), eb.fn.sum<number | string | null>('event_count').as('events'), eb.fn.min<number | string | null>('received_at').as('oldest')])
    .where('workspace_id', '=', context.workspaceId)
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const pending = rows.find((row) => row.status === 'pending');
  const failed = rows.find((row) => row.status === 'failed');
  return {
    pending_batches: Number(pending?.batches ?? 0),
    pending_events: Number(pending?.events ?? 0),
    oldest_pending_at: pending?.oldest == null ? null : new Date(Number(pending.oldest)).toISOString(),
    failed_batches: Number(failed?.batches ?? 0),
    failed: failed ? (await batchRows(context).where('status', '=', 'failed').orderBy('id', 'desc').limit(FAILED_LISTED).execute()).map(batchJson) : [],
  };
}

/** Puts a failed batch back in line; a batch in any other state is left as it is. */
export async function retryJournalBatch(context: WorkspaceContext, batch: number): Promise<JournalBatch> {
  await context.store.db
    .updateTable('event_journal')
    .set({ status: 'pending', attempts: 0, retry_at: null, failed_at: null })
    .where('id', '=', batch)
    .where('workspace_id', '=', context.workspaceId)
    .where('status', '=', 'failed')
    .execute();
  return journalBatch(context, batch);
}

/**
 * Puts every failed batch of the workspace back in line, once whatever failed them is mended (a
 * field's type, a store that was full): one at a time, a day's failures were hundreds of clicks.
 * Returns how many.
 */
export async function retryFailedJournalBatches(context: WorkspaceContext): Promise<number> {
  const result = await context.store.db
    .updateTable('event_journal')
    .set({ status: 'pending', attempts: 0, retry_at: null, failed_at: null })
    .where('workspace_id', '=', context.workspaceId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Applied batches forgotten per statement: a day of one event per request can be millions. */
const PURGED_PER_STATEMENT = 10_000;

/** Forgets applied batches after `JOURNAL_APPLIED_RETENTION_MS` and failed ones `JOURNAL_FAILED_RETENTION_MS` after they were set aside. */
export async function purgeJournal(store: Store, now: number): Promise<void> {
  // Oldest first through the (status, id) index: batches are applied about in id order, so the
  // walk stops at the first that is still young rather than reading a day of applied batches.
  for (;;) {
    const oldest = store.db.selectFrom('event_journal').select('id').where('status', '=', 'applied').where('applied_at', '<', now - JOURNAL_APPLIED_RETENTION_MS).orderBy('id').limit(PURGED_PER_STATEMENT);
    const deleted = await store.db.deleteFrom('event_journal').where('id', 'in', oldest).executeTakeFirst();
    if (Number(deleted.numDeletedRows) < PURGED_PER_STATEMENT) break;
  }
  await store.db
    .deleteFrom('event_journal')
    .where('status', '=', 'failed')
    .where((eb) => eb.fn.coalesce('failed_at', 'received_at'), '<', now - JOURNAL_FAILED_RETENTION_MS)
    .execute();
}
