// Event ingest over HTTP: applied before the answer, or accepted into the event journal and
// applied right after it when the client prefers (`Prefer: respond-async`).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { BUILTIN_EVENT_TYPES, eventInputSchema } from '../../core/event.js';
import { MAX_EVENT_BATCH, ingestEvents } from '../../engine/ingest.js';
import { EVENT_TYPE_SAMPLE, seenEventTypes } from '../../engine/event-types.js';
import { applyJournal, idempotencyKey, ingestOnce, journalBatch, journalEvents, journalSummary, retryFailedJournalBatches, retryJournalBatch, type IdempotencyKey } from '../../engine/event-journal.js';
import { fieldError } from '../../core/errors.js';
import { backgroundErrors } from '../../engine/background-errors.js';
import { localized } from '../../core/locale.js';
import { contextOf, type AppOptions } from '../app.js';
import { batchBody } from '../batch-body.js';
import { apiPath } from '../location.js';
import { optionalStrings, withShortcut } from '../shortcuts.js';
import { idParameter, workspaceHeaders } from './shared.js';

const batchParams = z.object({ batch: idParameter });

const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
const REPLAYED_HEADER = { type: 'string' as const, description: '`true` when the answer is that of an earlier request with the same `Idempotency-Key`; nothing was applied now.' };

/** The workspace headers, `Prefer` and `Idempotency-Key`, which the document names so that clients find them. */
const ingestHeaders = withShortcut(
  workspaceHeaders.extend({
    prefer: z.string().optional().describe('`respond-async` (RFC 7240): store the valid batch in the event journal and answer 202 at once'),
    'idempotency-key': z
      .string()
      .optional()
      .describe(
        `Up to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, a UUID say, new for each request and the same when it is sent again: a repeat within a day is answered with what became of the first (\`Idempotent-Replayed: true\`) and applies nothing, so events without an \`id\` are not counted twice. The same key with other events is \`IDEMPOTENCY_KEY_REUSED\` (422).`,
      ),
  }),
  optionalStrings(['x-tagbase-workspace', 'x-tagbase-actor', 'x-tagbase-client', 'prefer', 'idempotency-key']),
);

/**
 * The request's `Idempotency-Key`, as the IETF draft writes it (a quoted string) or bare, as
 * most clients send it.
 */
function idempotencyKeyOf(request: FastifyRequest, items: readonly unknown[]): IdempotencyKey | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const text = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  const key = /^"(.*)"$/.test(text) ? text.slice(1, -1) : text;
  if (key === '' || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !/^[ -~]+$/.test(key)) {
    throw fieldError(
      'header',
      'idempotency-key',
      localized(
        `header Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters (a UUID, say)`,
        `请求头 Idempotency-Key 须为 1 至 ${IDEMPOTENCY_KEY_MAX_LENGTH} 个可打印的 ASCII 字符（例如一个 UUID）`,
      ),
    );
  }
  return idempotencyKey(key, items);
}

/** Whether the request's `Prefer` header (RFC 7240) asks for an asynchronous answer. */
function prefersAsync(request: FastifyRequest): boolean {
  const raw = request.headers.prefer;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.some((value) => value.split(',').some((preference) => preference.split(';')[0]?.trim().toLowerCase() === 'respond-async'));
}

export const eventRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  // Requests to accept batches from their first byte to their answer: the drain lets them go first.
  const accepting = new Set<FastifyRequest>();
  const settled = async (request: FastifyRequest) => {
    accepting.delete(request);
  };
  // While the store is away every accepted batch's drain fails alike: that is said once a minute,
  // and a batch failing for its own reasons once, by its id, where each logged a stack trace.
  const report = backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'applying accepted events failed', () => options.now().getTime());
  // Requests accepted while a drain runs share its promise: its failure is told once, not once per request.
  const reported = new WeakSet<object>();
  const applier = { store: options.store, now: options.now, observer: options.observer, ruleCandidates: options.ruleCandidates, rulePasses: options.rulePasses, accepting: () => accepting.size > 0, onError: report };
  const applySoon = () => {
    applyJournal(applier).catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) {
        if (reported.has(error)) return;
        reported.add(error);
      }
      report(error);
    });
  };

  app.post(
    '/events',
    {
      config: {
        itemsIn: 'events',
        rowsCheckedIn: 'events',
        answers: [
          {
            status: 200,
            description: 'Applied: `{received, stored, duplicates, customers_created, tags_changed}` for the whole batch (for a repeat under an `Idempotency-Key`, the first request\'s)',
            headers: { 'Idempotent-Replayed': REPLAYED_HEADER },
          },
          {
            status: 202,
            description: 'With `Prefer: respond-async`: in the journal, applied soon; `Location` is the batch to follow. A repeat under an `Idempotency-Key` of a batch not applied yet is answered so too, whatever it prefers',
            headers: {
              Location: { type: 'string', description: 'The accepted batch: `/api/v1/events/journal/{batch}`.' },
              'Preference-Applied': { type: 'string', description: '`respond-async`.' },
              'Idempotent-Replayed': REPLAYED_HEADER,
            },
          },
        ],
      },
      bodyLimit: 64 * 1024 * 1024,
      onRequest: async (request) => {
        if (prefersAsync(request)) accepting.add(request);
      },
      onResponse: settled,
      onRequestAbort: settled,
      schema: {
        tags: ['events'],
        summary: 'Ingest events in a batch',
        description: `Up to ${MAX_EVENT_BATCH.toLocaleString('en')} events. Idempotent by \`id\`: an id stored before is skipped, whatever the new event holds (it creates no customer). \`id\` may be left out, but then the event is stored again each time it is sent: a request retried after a timeout counts its orders twice, so send one. Built-in types (${BUILTIN_EVENT_TYPES.join(', ')}) have checked properties; other lower_snake_case types are custom and carry any properties. An unknown customer_id creates the customer. The whole batch is rejected when any event is bad, \`errors[]\` listing every problem of every event at once. With \`Prefer: respond-async\` the valid batch is stored in the event journal and answered 202 at once, \`{received, batch, status}\`; metrics, rule tags and history follow moments later, and \`GET /events/journal/{batch}\` tells the batch's counts once applied.`,
        headers: ingestHeaders,
        body: batchBody('events', eventInputSchema, MAX_EVENT_BATCH),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      // Unchecked so far (see batchBody): the engine tells every problem of every event at once.
      const items: readonly unknown[] = request.body.events;
      // A batch in the journal: a new one accepted, or a repeat of one not applied yet, which says
      // how far it got whatever this request preferred.
      const accepted = (receipt: { received: number; batch: number; status: string }) => {
        if (prefersAsync(request)) reply.header('preference-applied', 'respond-async');
        return reply.status(202).header('location', apiPath('events', 'journal', receipt.batch)).send(receipt);
      };
      const idempotency = idempotencyKeyOf(request, items);
      if (idempotency) {
        const { replayed, batch } = await ingestOnce(context, items, idempotency, prefersAsync(request) ? 'accept' : 'apply');
        if (replayed) reply.header('idempotent-replayed', 'true');
        if (batch.status === 'applied' && batch.result) return { received: batch.received, ...batch.result };
        if (!replayed) applySoon();
        return accepted({ received: batch.received, batch: batch.batch, status: batch.status });
      }
      if (prefersAsync(request)) {
        const receipt = await journalEvents(context, items);
        applySoon();
        return accepted(receipt);
      }
      const { rejected: _rejected, ...result } = await ingestEvents(context, items);
      return result;
    },
  );

  app.get(
    '/events/types',
    {
      schema: {
        tags: ['events'],
        summary: 'The event types the workspace receives',
        description: `Read from the workspace's latest events (at most ${EVENT_TYPE_SAMPLE.toLocaleString('en')}): each type with \`builtin\`, how many of those events it has, the latest time among them, and the property names they carry, the most frequent first. \`{items, sampled, sample_limit}\`, the most frequent type first. What a care plan or a metric can name; a type missing here has not arrived lately.`,
        headers: workspaceHeaders,
      },
    },
    async (request) => seenEventTypes(await contextOf(request, options)),
  );

  app.get(
    '/events/journal',
    {
      schema: {
        tags: ['events'],
        summary: 'How far applying accepted event batches is behind',
        description: 'Batches accepted with `Prefer: respond-async` that are still pending (and their events), when the oldest was accepted, and how many failed and were set aside.',
        headers: workspaceHeaders,
      },
    },
    async (request) => journalSummary(await contextOf(request, options)),
  );

  app.get(
    '/events/journal/:batch',
    {
      schema: {
        tags: ['events'],
        summary: 'One accepted event batch',
        description: 'Its status (`pending`, `applied` or `failed`), when it was accepted and applied, and once applied the counts `POST /events` would have answered. Applied batches are kept for a day, failed ones for 30 days from when they were set aside.',
        headers: workspaceHeaders,
        params: batchParams,
      },
    },
    async (request) => journalBatch(await contextOf(request, options), request.params.batch),
  );

  app.post(
    '/events/journal/retry',
    {
      schema: {
        tags: ['events'],
        summary: 'Apply every failed batch again',
        description: 'Puts every batch of the workspace that failed repeatedly back in line and applies them, once whatever failed them is mended. Answers how many were retried and the journal as `GET /events/journal` then tells it (those failing again are listed there).',
        headers: workspaceHeaders,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const retried = await retryFailedJournalBatches(context);
      if (retried > 0) await applyJournal(applier);
      return { retried, ...(await journalSummary(context)) };
    },
  );

  app.post(
    '/events/journal/:batch/retry',
    {
      schema: {
        tags: ['events'],
        summary: 'Apply a failed batch again',
        description: 'Puts a batch that failed repeatedly back in line and applies it; a batch in any other state is left as it is.',
        headers: workspaceHeaders,
        params: batchParams,
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      const batch = await retryJournalBatch(context, request.params.batch);
      if (batch.status !== 'pending') return batch;
      await applyJournal(applier);
      return journalBatch(context, request.params.batch);
    },
  );
};
