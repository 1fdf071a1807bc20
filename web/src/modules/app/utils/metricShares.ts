// Metrics that are shares — a part of a whole, between 0 and 1: the refund rate, the share of
// orders with a coupon — and how the console prints them: as percentages, not as 0.06.
import type { MetricFormulaJson } from './types';

/**
 * The keys of the metrics that are shares, read from their formulas as `GET /metrics` gives them:
 * a ratio of two counts (refunds over orders, orders with a coupon over orders) counts some of what
 * its denominator counts. A ratio of a sum to a count (spend over orders) is an average, not a share.
 */
export function shareMetricKeys(metrics: readonly MetricFormulaJson[]): Set<string> {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  const counts = (key: string | undefined) => {
    const formula = key === undefined ? undefined : byKey.get(key)?.formula;
    return formula?.kind === 'aggregate' && formula.aggregation === 'count';
  };
  return new Set(metrics.filter(({ formula }) => formula.kind === 'ratio' && counts(formula.numerator) && counts(formula.denominator)).map((metric) => metric.key));
}

/**
 * A share as a percentage: to a tenth of a percent at most (6%, 33.3%), or always to a tenth
 * with `fixed`, so that a column of them lines up (6.0%).
 */
export function formatShareValue(value: number, lang: string, fixed = false): string {
  return value.toLocaleString(lang, { style: 'percent', minimumFractionDigits: fixed ? 1 : 0, maximumFractionDigits: 1 });
}
