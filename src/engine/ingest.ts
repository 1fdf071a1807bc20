// Event ingest: batches of up to 10,000, idempotent by the client's event id, in any time
// order; an event for an unknown customer creates the customer.
import { randomUUID } from 'node:crypto';
import { batchItemError, TagbaseError, type ItemError } from '../core/errors.js';
import { canonicalJson } from '../core/canonical-json.js';
import { checkEventProperties, eventInputSchema, propertiesTooDeep, type EventInput, type EventProperties } from '../core/event.js';
import { localized } from '../core/locale.js';
import { MAX_TIME_LEAD_MS, TIME_AHEAD_MESSAGE, parseWorkspaceTime, zonelessTime } from '../core/time.js';
import { assertBatchSize, parseBatch, rejectBatchIfInvalid, schemaMessageText, tooEarlyTimeMessage } from '../core/validation.js';
import { chunks, IDS_PER_QUERY, rowsPerInsert } from '../store/chunks.js';
import { writeCustomers, type WorkspaceContext } from './context.js';
import { propagateEvents } from './propagate.js';
import { ensureCustomers } from './customers.js';
import { writeGrouped, type GroupWriter } from './group-commit.js';
import { workspaceUtcOffset } from './metrics.js';
import type { Database } from '../store/schema.js';
import type { Insertable, Transaction } from 'kysely';
import { RowInsert } from '../store/row-inserts.js';
import { beginHistoryBatch, type HistoryBatch, type StoredEventOfBatch } from './history-memory.js';

export const MAX_EVENT_BATCH = 10_000;

export interface IngestResult {
  received: number;
  /** Events stored by this call. */
  stored: number;
  /** Events whose id had been stored before (or appeared twice in the batch). */
  duplicates: number;
  customers_created: number;
  /** Customers whose rule tags changed because of these events. */
  tags_changed: number;
  rejected: ItemError[];
}

export interface PreparedEvent {
  index: number;
  eventKey: string;
  customerExternalId: string;
  type: string;
  occurredAt: number;
  properties: string;
}

/**
 * How far ahead of the server's clock an event may be: clocks on tills and phones drift, but an
 * event a day ahead is a wrong date, and it would stay the customer's last activity until then.
 */
export const MAX_EVENT_LEAD_MS = MAX_TIME_LEAD_MS;

/**
 * Validates a batch received at `now` in a workspace `utcOffsetMinutes` east of UTC, where an
 * `occurred_at` without an offset is on its clock; events with problems are returned as errors,
 * the rest as rows to store.
 */
export function prepareEvents(items: readonly unknown[], now: number, utcOffsetMinutes: number): { events: PreparedEvent[]; errors: ItemError[]; duplicatesInBatch: number } {
  const { values, errors } = parseBatch(eventInputSchema, items);
  const events: PreparedEvent[] = [];
  const seen = new Map<string, { fingerprint: string; properties: EventProperties }>();
  let duplicatesInBatch = 0;
  values.forEach((input: EventInput | undefined, index) => {
    // Every problem of the event is told at once, so that one correction fixes it: an event the
    // schema refused (a bad customer id, say) still has its properties checked when they can be.
    const problemsBefore = errors.length;
    const refused = input === undefined ? checkableParts(items[index]) : undefined;
    const parts = input ?? refused;
    const properties = parts?.properties ?? {};
    const tooDeep = propertiesTooDeep(properties);
    // Too deep to be serialized and checked safely: the only thing said of its properties.
    const serialized = tooDeep ? '' : JSON.stringify(properties);
    if (parts !== undefined && (input !== undefined || refused?.propertiesCheckable === true)) {
      const problems = tooDeep ? [{ at: [], text: tooDeep }] : checkEventProperties(parts.type, properties, serialized);
      for (const problem of problems) errors.push(batchItemError(index, 'EVENT_PROPERTIES_INVALID', ['properties', ...problem.at], problem.text));
    }
    // Its time against the clock too, when the schema took it, whichever other field it refused.
    const occurredAtText = input?.occurred_at ?? refused?.occurredAt;
    const occurredAt = occurredAtText === undefined ? undefined : parseWorkspaceTime(occurredAtText, utcOffsetMinutes);
    // 1970-01-01 is 1969-12-31T16:00Z at UTC+8 (the schema refused what is before it as UTC reads it).
    if (occurredAtText !== undefined && occurredAt !== undefined && occurredAt < 0) errors.push(batchItemError(index, 'VALIDATION_FAILED', ['occurred_at'], schemaMessageText(tooEarlyTimeMessage(occurredAtText))));
    if (occurredAt !== undefined && occurredAt > now + MAX_EVENT_LEAD_MS) {
      const text = localized(`occurred_at ${occurredAtText} is ${TIME_AHEAD_MESSAGE}`, `occurred_at ${occurredAtText} 比服务器时钟超前一天以上`);
      errors.push(batchItemError(index, 'VALIDATION_FAILED', ['occurred_at'], text));
    }
    if (!input || occurredAt === undefined || errors.length > problemsBefore) return;
    if (input.id !== undefined) {
      const fingerprint = `${input.customer_id}\u0000${input.type}\u0000${occurredAt}\u0000${serialized}`;
      const earlier = seen.get(input.id);
      if (earlier !== undefined) {
        // The same properties with their keys in another order are the same event.
        if (earlier.fingerprint !== fingerprint && !sameEventApartFromKeyOrder(earlier, fingerprint, properties)) {
          const text = localized(`event id "${input.id}" appears twice in the batch with different content`, `事件编号「${input.id}」在本批中出现了两次，且内容不同`);
          errors.push(batchItemError(index, 'EVENT_ID_CONFLICT', ['id'], text));
        }
        else duplicatesInBatch++;
        return;
      }
      seen.set(input.id, { fingerprint, properties });
    }
    events.push({
      index,
      eventKey: input.id ?? `gen:${randomUUID()}`,
      customerExternalId: input.customer_id,
      type: input.type,
      occurredAt,
      properties: serialized,
    });
  });
  // An event's problems together, in the order of its fields, whichever check found them.
  errors.sort((a, b) => a.index - b.index);
  return { events, errors, duplicatesInBatch };
}

function sameEventApartFromKeyOrder(earlier: { fingerprint: string; properties: EventProperties }, fingerprint: string, properties: EventProperties): boolean {
  const head = (print: string) => print.slice(0, print.lastIndexOf('\u0000'));
  return head(earlier.fingerprint) === head(fingerprint) && canonicalJson(earlier.properties) === canonicalJson(properties);
}

/**
 * What can still be checked of an event the schema refused: its type and properties when the
 * properties are well formed (a type the schema refused is checked as a custom one would be), and
 * its time when the schema took it, to be held against the clock as a passed event's is.
 */
function checkableParts(item: unknown): { type: string; properties: EventProperties | undefined; propertiesCheckable: boolean; occurredAt: string | undefined } | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const raw = item as Record<string, unknown>;
  const type = eventInputSchema.shape.type.safeParse(raw.type);
  const properties = eventInputSchema.shape.properties.safeParse(raw.properties);
  const occurredAt = eventInputSchema.shape.occurred_at.safeParse(raw.occurred_at);
  return {
    type: type.success ? type.data : '',
    properties: properties.success ? properties.data : undefined,
    propertiesCheckable: properties.success,
    occurredAt: occurredAt.success ? occurredAt.data : undefined,
  };
}

/**
 * A batch checked as every way in checks it (applied now, accepted into the journal, keyed or
 * not): at most `MAX_EVENT_BATCH` events, refused whole when one is bad unless `keepGood`.
 */
export function checkedEvents(items: readonly unknown[], now: number, utcOffsetMinutes: number, keepGood = false): ReturnType<typeof prepareEvents> {
  assertBatchSize(items.length, MAX_EVENT_BATCH);
  const prepared = prepareEvents(items, now, utcOffsetMinutes);
  if (!keepGood) rejectBatchIfInvalid(prepared.errors);
  return prepared;
}

export interface WorkspaceBatchOptions {
  keepGood?: boolean | undefined;
  /** The workspace's zone when the caller has read it already (an import). */
  utcOffsetMinutes?: number | undefined;
}

/**
 * `checkedEvents` in the context's workspace, its zone read once for the whole batch (an
 * `occurred_at` without an offset is on the workspace's clock), never per event, and only when
 * some time needs it: a batch of times with their offsets is checked without waiting on the
 * store, so that batches arriving together still reach the group commit in the order they came.
 */
export async function checkedWorkspaceEvents(context: WorkspaceContext, items: readonly unknown[], now: number, options: WorkspaceBatchOptions = {}): Promise<ReturnType<typeof prepareEvents>> {
  assertBatchSize(items.length, MAX_EVENT_BATCH);
  const utcOffsetMinutes = options.utcOffsetMinutes ?? (items.some((item) => zonelessTime(item, 'occurred_at')) ? await workspaceUtcOffset(context) : 0);
  return checkedEvents(items, now, utcOffsetMinutes, options.keepGood);
}

/** A request's validated events, as written with others in one transaction. */
export interface EventBatch {
  context: WorkspaceContext;
  received: number;
  events: PreparedEvent[];
  errors: ItemError[];
  duplicatesInBatch: number;
  receivedAt: number;
}

const EVENT_GROUPS: GroupWriter<EventBatch, IngestResult> = {
  kind: 'events',
  size: (batch) => batch.events.length,
  maxItems: MAX_EVENT_BATCH,
  write: (group) => writeEventGroup(group),
};

/**
 * Stores a batch of events and everything that follows from them (metrics, rule tags, history)
 * in one transaction. Batches that arrive while another is being written for the same workspace
 * wait and are then written together, up to `MAX_EVENT_BATCH` events per transaction (group
 * commit, src/engine/group-commit.ts). Each caller still gets the counts of its own batch.
 */
export async function ingestEvents(context: WorkspaceContext, items: readonly unknown[], options: WorkspaceBatchOptions = {}): Promise<IngestResult> {
  const receivedAt = context.now().getTime();
  const { events, errors, duplicatesInBatch } = await checkedWorkspaceEvents(context, items, receivedAt, options);
  return writeGrouped(context, EVENT_GROUPS, { context, received: items.length, events, errors, duplicatesInBatch, receivedAt });
}

/** What a caller of `writeEventGroup` adds to the group's transaction. */
export interface GroupHooks {
  /** Runs first, under the workspace's write lock; throwing rolls the group back before anything is written. */
  claim?(trx: Transaction<Database>): Promise<void>;
  /** Runs last, with each batch's result, before the commit. */
  settle?(trx: Transaction<Database>, results: readonly IngestResult[]): Promise<void>;
}

/**
 * Writes batches of one workspace and actor in one transaction, each counted on its own (see
 * `ingestEvents`). The event journal applies its accepted batches through it too.
 */
export async function writeEventGroup(group: readonly EventBatch[], hooks: GroupHooks = {}): Promise<IngestResult[]> {
  const leader = (group[0] as EventBatch).context;
  // An id sent by two requests of the group is stored for the first; for the others it is a
  // duplicate, as it would be had they come after it.
  const owner = new Map<string, number>();
  const rows: { event: PreparedEvent; receivedAt: number }[] = [];
  group.forEach((request, k) => {
    for (const event of request.events) {
      if (owner.has(event.eventKey)) continue;
      owner.set(event.eventKey, k);
      rows.push({ event, receivedAt: request.receivedAt });
    }
  });
  let memory: HistoryBatch | undefined;
  return writeCustomers(
    leader,
    async (trx, changed) => {
      await hooks.claim?.(trx);
      memory = await beginHistoryBatch(leader, trx);
      // An event whose id is stored already is a duplicate, kept as it was: it neither creates
      // its customer nor moves anyone's first_seen_at (the insert below skips it as well, but the
      // customers are made before it).
      const storedBefore = await storedEventKeys(leader, trx, rows.map(({ event }) => event.eventKey));
      const fresh = rows.filter(({ event }) => !storedBefore.has(event.eventKey));
      // What the memory is told of the rows the insert returns, by their id.
      const sent = new Map(memory ? fresh.map(({ event }) => [event.eventKey, event]) : []);
      const firstSeen = new Map<string, number>();
      for (const { event } of fresh) {
        const seenAt = firstSeen.get(event.customerExternalId);
        if (seenAt === undefined || event.occurredAt < seenAt) firstSeen.set(event.customerExternalId, event.occurredAt);
      }
      const { ids, created, rows: customerRows } = await ensureCustomers(leader, trx, firstSeen);
      const stored = group.map(() => 0);
      // Per request, the customers its stored events went to.
      const reached = group.map(() => new Set<number>());
      const touched = new Set<number>();
      for (const part of chunks(fresh, rowsPerInsert(7))) {
        const values = part.map(({ event, receivedAt }): EventRow => ({
          workspace_id: leader.workspaceId,
          event_key: event.eventKey,
          customer_id: customerIdOf(ids, event),
          type: event.type,
          occurred_at: event.occurredAt,
          received_at: receivedAt,
          properties: event.properties,
        }));
        const { rows: inserted } = await EVENT_INSERT.execute(trx, values);
        if (memory) memory.stored(inserted.map((row) => storedOfBatch(row, sent)));
        for (const row of inserted) {
          const k = owner.get(row.event_key) ?? 0;
          stored[k] = (stored[k] ?? 0) + 1;
          reached[k]?.add(row.customer_id);
          touched.add(row.customer_id);
        }
      }
      const propagation = await propagateEvents(leader, trx, [...touched], created, customerRows, memory?.histories);
      for (const id of propagation.changed) changed.add(id);
      // A customer created for events of several requests counts for the first of them; a rule tag
      // change counts for each request whose events reached that customer. A request's duplicates
      // (stored before, or by an earlier request of the group) made no customer, whomever they name.
      const attributed = new Set<number>();
      const results = group.map((request, k): IngestResult => {
        const customers = reached[k] ?? new Set<number>();
        let customersCreated = 0;
        for (const event of request.events) {
          if (storedBefore.has(event.eventKey) || owner.get(event.eventKey) !== k) continue;
          const id = ids.get(event.customerExternalId);
          if (id === undefined || !created.has(id) || attributed.has(id)) continue;
          attributed.add(id);
          customers.add(id);
          customersCreated++;
        }
        let tagsChanged = 0;
        for (const id of customers) if (propagation.rules.changedCustomers.has(id)) tagsChanged++;
        const storedHere = stored[k] ?? 0;
        return {
          received: request.received,
          stored: storedHere,
          duplicates: request.events.length - storedHere + request.duplicatesInBatch,
          customers_created: customersCreated,
          tags_changed: tagsChanged,
          rejected: request.errors,
        };
      });
      await hooks.settle?.(trx, results);
      return results;
    },
    { committed: (changeId) => memory?.committed(changeId) },
  );
}

type EventRow = Insertable<Database['events']>;

/** An ingest batch's events, of which those whose id the workspace holds already are left out. */
const EVENT_INSERT = new RowInsert<EventRow, { id: number; event_key: string; customer_id: number }>(['workspace_id', 'event_key', 'customer_id', 'type', 'occurred_at', 'received_at', 'properties'], (db, rows) =>
  db
    .insertInto('events')
    .values(rows)
    .onConflict((oc) => oc.columns(['workspace_id', 'event_key']).doNothing())
    .returning(['id', 'event_key', 'customer_id']),
);

/** An inserted row with what the batch sent for it, as the history memory keeps it. */
function storedOfBatch(row: { id: number; event_key: string; customer_id: number }, sent: ReadonlyMap<string, PreparedEvent>): StoredEventOfBatch {
  const event = sent.get(row.event_key);
  if (event === undefined) throw new TagbaseError('INTERNAL', { detail: `event ${row.event_key} was stored but not sent` });
  return { id: Number(row.id), customerId: row.customer_id, type: event.type, occurredAt: event.occurredAt, properties: event.properties };
}

/** Which of these event ids the workspace has stored already. */
async function storedEventKeys(context: WorkspaceContext, trx: Transaction<Database>, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(keys, IDS_PER_QUERY)) {
    const rows = await trx.selectFrom('events').select('event_key').where('workspace_id', '=', context.workspaceId).where('event_key', 'in', part).execute();
    for (const row of rows) found.add(row.event_key);
  }
  return found;
}

function customerIdOf(ids: ReadonlyMap<string, number>, event: PreparedEvent): number {
  const customerId = ids.get(event.customerExternalId);
  if (customerId === undefined) throw new TagbaseError('INTERNAL', { detail: `customer ${event.customerExternalId} was not created` });
  return customerId;
}
