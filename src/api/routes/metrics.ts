// Metrics over HTTP: the definitions (built-in and custom) and declaring a custom one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AGGREGATIONS, metricInputSchema } from '../../core/metric.js';
import { applyRecordedMetricsPass, metricsPassProgress } from '../../engine/metric-passes.js';
import { createMetric } from '../../engine/metrics.js';
import { metricsAnswer, metricToJson } from '../../engine/metric-list.js';
import { contextOf, type AppOptions } from '../app.js';
import { FIRST_BATCH_TEXT, passToJson, workspaceHeaders } from './shared.js';
import { created } from '../openapi.js';

const RECOMPUTE_NOTE =
  'the recompute of every customer’s metrics that a declaration started, `{done, total, started_at, updated_at}`, while it goes on in the background; `null` once every customer has the new values.';

export const metricRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get(
    '/metrics',
    { schema: { tags: ['metrics'], summary: 'Metric definitions', description: `With \`recompute\`: ${RECOMPUTE_NOTE}`, headers: workspaceHeaders } },
    async (request) => metricsAnswer(await contextOf(request, options)),
  );

  app.post(
    '/metrics',
    {
      config: created('The new metric, with the progress of the recompute it started'),
      schema: {
        tags: ['metrics'],
        summary: 'Declare a custom metric',
        description:
          `An aggregation (${AGGREGATIONS.join(', ')}; \`gap_days\` is the whole days between the last two events) of one event type (or \`*\`: every type of the customer's own doing, what the shop sends them, \`coupon_received\`, left out), of a property (\`amount\`, \`items[].category\`, or with \`@\` one of the product's own attributes: \`@time\`, \`@one\`, \`@hour_band\`, \`@paid_order_id\`, \`items[].@days_after_launch\`; any other \`@\` name is \`VALIDATION_FAILED\`), with an optional filter in the expression language over the event properties and a window (\`{"kind": "all"}\`, \`{"kind": "days", "days": 30}\`, \`{"kind": "calendar_year"}\`). The answer comes once the first ${FIRST_BATCH_TEXT} customers have the value (in a workspace of up to ${FIRST_BATCH_TEXT}, everyone); its \`recompute\` is ${RECOMPUTE_NOTE}`,
        headers: workspaceHeaders,
        body: metricInputSchema,
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const { definition, recompute } = await createMetric(context, request.body);
      await applyRecordedMetricsPass(context, recompute);
      return reply.status(201).send({ ...metricToJson(definition), recompute: passToJson(await metricsPassProgress(context)) });
    },
  );
};
