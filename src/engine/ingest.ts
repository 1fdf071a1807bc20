// Event ingest: batches of up to 10,000, idempotent by the client's event id, in any time
// order; an event for an unknown customer creates the customer.
import { randomUUID } from 'node:crypto';
import { TagbaseError, type ItemError } from '../core/errors.js';
import { checkEventProperties, eventInputSchema, type EventInput } from '../core/event.js';
import { localized } from '../core/locale.js';
import { parseTimestamp } from '../core/time.js';
import { assertBatchSize, parseBatch, rejectBatchIfInvalid } from '../core/validation.js';
import { chunks, rowsPerInsert } from '../store/chunks.js';
import { writeCustomers, type WorkspaceContext } from './context.js';
import { propagateEvents } from './propagate.js';
import { ensureCustomers } from './customers.js';

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

interface PreparedEvent {
  index: number;
  eventKey: string;
  customerExternalId: string;
  type: string;
  occurredAt: number;
  properties: string;
}

/** Validates a batch; events with problems are returned as errors, the rest as rows to store. */
export function prepareEvents(items: readonly unknown[]): { events: PreparedEvent[]; errors: ItemError[]; duplicatesInBatch: number } {
  const { values, errors } = parseBatch(eventInputSchema, items);
  const events: PreparedEvent[] = [];
  const seen = new Map<string, string>();
  let duplicatesInBatch = 0;
  values.forEach((input: EventInput | undefined, index) => {
    if (!input) return;
    const properties = input.properties ?? {};
    const serialized = JSON.stringify(properties);
    const problems = checkEventProperties(input.type, properties, serialized);
    if (problems.length > 0) {
      for (const problem of problems) errors.push({ index, code: 'EVENT_PROPERTIES_INVALID', path: 'properties', message: problem.en, localized: problem });
      return;
    }
    const occurredAt = parseTimestamp(input.occurred_at);
    if (occurredAt === undefined) return;
    if (input.id !== undefined) {
      const fingerprint = `${input.customer_id}\u0000${input.type}\u0000${occurredAt}\u0000${serialized}`;
      const earlier = seen.get(input.id);
      if (earlier !== undefined) {
        if (earlier !== fingerprint) {
          const text = localized(`event id "${input.id}" appears twice in the batch with different content`, `事件编号「${input.id}」在本批中出现了两次，且内容不同`);
          errors.push({ index, code: 'EVENT_ID_CONFLICT', path: 'id', message: text.en, localized: text });
        }
        else duplicatesInBatch++;
        return;
      }
      seen.set(input.id, fingerprint);
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
  return { events, errors, duplicatesInBatch };
}

export async function ingestEvents(context: WorkspaceContext, items: readonly unknown[], options: { keepGood?: boolean } = {}): Promise<IngestResult> {
  assertBatchSize(items.length, MAX_EVENT_BATCH);
  const { events, errors, duplicatesInBatch } = prepareEvents(items);
  if (!options.keepGood) rejectBatchIfInvalid(errors);
  const receivedAt = context.now().getTime();
  return writeCustomers(context, async (trx, changed) => {
    const firstSeen = new Map<string, number>();
    for (const event of events) {
      const seenAt = firstSeen.get(event.customerExternalId);
      if (seenAt === undefined || event.occurredAt < seenAt) firstSeen.set(event.customerExternalId, event.occurredAt);
    }
    const { ids, created, rows: customerRows } = await ensureCustomers(context, trx, firstSeen);
    let stored = 0;
    const touched = new Set<number>();
    for (const part of chunks(events, rowsPerInsert(7))) {
      const rows = part.map((event) => {
        const customerId = ids.get(event.customerExternalId);
        if (customerId === undefined) throw new TagbaseError('INTERNAL', { detail: `customer ${event.customerExternalId} was not created` });
        return {
          workspace_id: context.workspaceId,
          event_key: event.eventKey,
          customer_id: customerId,
          type: event.type,
          occurred_at: event.occurredAt,
          received_at: receivedAt,
          properties: event.properties,
        };
      });
      const inserted = await trx
        .insertInto('events')
        .values(rows)
        .onConflict((oc) => oc.columns(['workspace_id', 'event_key']).doNothing())
        .returning(['id', 'customer_id'])
        .execute();
      stored += inserted.length;
      for (const row of inserted) touched.add(row.customer_id);
    }
    const propagation = await propagateEvents(context, trx, [...touched], created, customerRows);
    for (const id of propagation.changed) changed.add(id);
    return {
      received: items.length,
      stored,
      duplicates: events.length - stored + duplicatesInBatch,
      customers_created: created.size,
      tags_changed: propagation.rules.changedCustomers.size,
      rejected: errors,
    };
  });
}
