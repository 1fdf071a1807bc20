// `tagbase metric list`: the workspace's metrics from the terminal, as `GET /api/v1/metrics`
// lists them, so the keys an expression reads (`spend_365d >= 1000`) can be found without the console.
import type { AggregateMetric, DerivedMetric, MetricDefinition, MetricWindow } from '../core/metric.js';
import type { Locale } from '../core/locale.js';
import { listMetrics } from '../engine/metrics.js';
import { metricsAnswer } from '../engine/metric-list.js';
import { metricsPassProgress } from '../engine/metric-passes.js';
import { terminalTable } from './commander-locale.js';
import { cliLocale } from './errors.js';
import type { Say } from './messages.js';
import { inCommandWorkspace } from './store-options.js';

export interface MetricCommandOptions {
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  /** Print the metrics as `GET /api/v1/metrics` answers (`{items, recompute}`), as JSON. */
  json?: boolean | undefined;
}

export function listMetricsCommand(options: MetricCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    if (options.json) return JSON.stringify(await metricsAnswer(context), null, 2);
    const metrics = await listMetrics(context);
    // A custom metric without an English name is shown by the name it was given.
    const name = (metric: MetricDefinition) => ((options.locale ?? cliLocale()) === 'en' ? (metric.name_en ?? metric.name) : metric.name);
    const lines = terminalTable(metrics.map((metric) => [metric.key, name(metric), formulaText(metric.formula), windowText(metric.formula, say)]));
    const recompute = await metricsPassProgress(context);
    if (recompute !== undefined) lines.push(say('metric.recomputing', { done: recompute.done, total: recompute.total }));
    return lines.join('\n');
  });
}

/**
 * What a metric computes, written as its definition reads in either language: the aggregation
 * of an event type's property (`sum(order_paid.amount)`), with its filter, or the metrics it is
 * derived from (`spend_total_paid / orders_total`).
 */
export function formulaText(formula: AggregateMetric | DerivedMetric): string {
  switch (formula.kind) {
    case 'aggregate': {
      const of = formula.property === undefined ? formula.eventType : `${formula.eventType}.${formula.property}`;
      return `${formula.aggregation}(${of}${formula.filter === undefined ? '' : ` where ${formula.filter}`})`;
    }
    case 'ratio':
      return `${formula.numerator} / ${formula.denominator}`;
    case 'difference':
      return formula.atLeast === undefined ? `${formula.minuend} - ${formula.subtrahend}` : `max(${String(formula.atLeast)}, ${formula.minuend} - ${formula.subtrahend})`;
    case 'days_since':
      return `days_since(${formula.metric})`;
    case 'score':
      return `score(${formula.metric})`;
    default: {
      const unknown: never = formula;
      return String(unknown);
    }
  }
}

/** The span of events an aggregate reads; a derived metric has its inputs' spans, none of its own. */
function windowText(formula: AggregateMetric | DerivedMetric, say: Say): string {
  return formula.kind === 'aggregate' ? spanText(formula.window, say) : say('metric.window.derived');
}

function spanText(window: MetricWindow, say: Say): string {
  switch (window.kind) {
    case 'all':
      return say('metric.window.all');
    case 'days':
      return say('metric.window.days', { days: window.days });
    case 'calendar_year':
      return say('metric.window.calendarYear');
    default: {
      const unknown: never = window;
      return String(unknown);
    }
  }
}
