// Event ingest over HTTP: applied before the answer, or accepted into the event journal and
// applied right after it when the client prefers (`Prefer: respond-async`).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { BUILTIN_EVENT_TYPES, eventInputSchema } from '../../core/event.js';
import { MAX_EVENT_BATCH, ingestEvents } from '../../engine/ingest.js';
import { EVENT_TYPE_SAMPLE, seenEventTypes } from '../../engine/event-types.js';
import { applyJournal, journalBatch, journalEvents, journalSummary, retryJournalBatch } from '../../engine/event-journal.js';
import { contextOf, type AppOptions } from '../app.js';
import { optionalStrings, withShortcut } from '../shortcuts.js';
import { workspaceHeaders } from './shared.js';

const batchParams = z.object({ batch: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** The workspace headers, and `Prefer`, which the document names so that clients find the asynchronous answer. */
const ingestHeaders = withShortcut(
  workspaceHeaders.extend({ prefer: z.string().optional().describe('`respond-async` (RFC 7240): store the valid batch in the event journal and answer 202 at once') }),
  optionalStrings(['x-tagbase-workspace', 'x-tagbase-actor', 'x-tagbase-client', 'prefer']),
);

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
  const applier = { store: options.store, now: options.now, observer: options.observer, ruleCandidates: options.ruleCandidates, rulePasses: options.rulePasses, accepting: () => accepting.size > 0 };
  const applySoon = () => {
    applyJournal(applier).catch((error: unknown) => app.log.error({ err: error }, 'applying accepted events failed'));
  };

  app.post(
    '/events',
    {
      config: {
        answers: [
          { status: 200, description: 'Applied: `{received, stored, duplicates, customers_created, tags_changed}` for the whole batch' },
          {
            status: 202,
            description: 'With `Prefer: respond-async`: in the journal, applied soon; `Location` is the batch to follow',
            headers: {
              Location: { type: 'string', description: 'The accepted batch: `/api/v1/events/journal/{batch}`.' },
              'Preference-Applied': { type: 'string', description: '`respond-async`.' },
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
        description: `Up to ${MAX_EVENT_BATCH.toLocaleString('en')} events. Idempotent by \`id\`: an id stored before is skipped, whatever the new event holds (it creates no customer). \`id\` may be left out, but then the event is stored again each time it is sent: a request retried after a timeout counts its orders twice, so send one. Built-in types (${BUILTIN_EVENT_TYPES.join(', ')}) have checked properties; other lower_snake_case types are custom and carry any properties. An unknown customer_id creates the customer. The whole batch is rejected when any event is bad. With \`Prefer: respond-async\` the valid batch is stored in the event journal and answered 202 at once, \`{received, batch, status}\`; metrics, rule tags and history follow moments later, and \`GET /events/journal/{batch}\` tells the batch's counts once applied.`,
        headers: ingestHeaders,
        body: z.strictObject({ events: z.array(eventInputSchema) }),
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      if (prefersAsync(request)) {
        const receipt = await journalEvents(context, request.body.events);
        applySoon();
        return reply.status(202).header('preference-applied', 'respond-async').header('location', `${request.url.replace(/\/events(\?.*)?$/, '')}/events/journal/${receipt.batch}`).send(receipt);
      }
      const { rejected: _rejected, ...result } = await ingestEvents(context, request.body.events);
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
        description: 'Its status (`pending`, `applied` or `failed`), when it was accepted and applied, and once applied the counts `POST /events` would have answered. Applied batches are kept for a day, failed ones for 30.',
        headers: workspaceHeaders,
        params: batchParams,
      },
    },
    async (request) => journalBatch(await contextOf(request, options), request.params.batch),
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
