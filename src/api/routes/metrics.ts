// Metrics over HTTP: the definitions (built-in and custom) and declaring a custom one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { metricInputSchema, metricValueType, type MetricDefinition } from '../../core/metric.js';
import { runMetricsPass } from '../../engine/metric-passes.js';
import { createMetric, listMetrics } from '../../engine/metrics.js';
import { BUILTIN_METRICS } from '../../core/metric.js';
import { contextOf, type AppOptions } from '../app.js';
import { workspaceHeaders } from './shared.js';

function metricToJson(metric: MetricDefinition) {
  return { key: metric.key, name: metric.name, description: metric.description ?? null, type: metricValueType(metric), builtin: BUILTIN_METRICS.includes(metric), formula: metric.formula };
}

export const metricRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get('/metrics', { schema: { tags: ['metrics'], summary: 'Metric definitions', headers: workspaceHeaders } }, async (request) => ({
    items: (await listMetrics(await contextOf(request, options))).map(metricToJson),
  }));

  app.post(
    '/metrics',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Declare a custom metric',
        description:
          'An aggregation (count, sum, avg, min, max, first, last, distinct_count, most_frequent) of one event type (or `*`), of a property (`amount`, `items[].category`, `@time`, `@hour_band`), with an optional filter in the expression language over the event properties and a window (`{"kind": "all"}`, `{"kind": "days", "days": 30}`, `{"kind": "calendar_year"}`). Every customer’s value is computed before the call answers.',
        headers: workspaceHeaders,
        body: metricInputSchema,
      },
    },
    async (request, reply) => {
      const context = await contextOf(request, options);
      const { definition, recompute } = await createMetric(context, request.body);
      await runMetricsPass(context, recompute);
      return reply.status(201).send(metricToJson(definition));
    },
  );
};
