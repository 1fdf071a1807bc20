// Event ingest over HTTP.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BUILTIN_EVENT_TYPES, eventInputSchema } from '../../core/event.js';
import { MAX_EVENT_BATCH, ingestEvents } from '../../engine/ingest.js';
import { contextOf, type AppOptions } from '../app.js';
import { workspaceHeaders } from './shared.js';

export const eventRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.post(
    '/events',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['events'],
        summary: 'Ingest events in a batch',
        description: `Up to ${MAX_EVENT_BATCH.toLocaleString('en')} events. Idempotent by \`id\`: an id stored before is skipped. Built-in types (${BUILTIN_EVENT_TYPES.join(', ')}) have checked properties; other lower_snake_case types are custom and carry any properties. An unknown customer_id creates the customer. The whole batch is rejected when any event is bad.`,
        headers: workspaceHeaders,
        body: z.object({ events: z.array(eventInputSchema) }),
      },
    },
    async (request) => {
      const { rejected: _rejected, ...result } = await ingestEvents(await contextOf(request, options), request.body.events);
      return result;
    },
  );
};
