// The workspace's metric definitions as `GET /api/v1/metrics` answers them: the route and
// `tagbase metric list --json` write the same document from here.
import { BUILTIN_METRICS, metricValueType, type MetricDefinition } from '../core/metric.js';
import type { WorkspaceContext } from './context.js';
import { metricsPassProgress } from './metric-passes.js';
import { listMetrics } from './metrics.js';
import { passToJson } from './pass-records.js';

export function metricToJson(metric: MetricDefinition) {
  return { key: metric.key, name: metric.name, name_en: metric.name_en ?? null, description: metric.description ?? null, type: metricValueType(metric), builtin: BUILTIN_METRICS.includes(metric), formula: snakeCaseKeys(metric.formula) };
}

/** The formula in the API's snake_case, as a metric is declared (`event_type`, not the engine's `eventType`). */
function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), snakeCaseKeys(inner)]));
}

/** Every metric, built-in first, and the recompute of everyone's metrics still going on (null when none is). */
export async function metricsAnswer(context: WorkspaceContext) {
  return { items: (await listMetrics(context)).map(metricToJson), recompute: passToJson(await metricsPassProgress(context)) };
}
