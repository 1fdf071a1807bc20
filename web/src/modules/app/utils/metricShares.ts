// Metrics that are shares — a part of a whole, between 0 and 1: the refund rate, the share of
// orders with a coupon — and how the console prints them: as percentages, not as 0.06.
// Pure, importing nothing, so that its rule is tested on its own.

type MetricWindowJson = { kind: 'all' } | { kind: 'days'; days: number } | { kind: 'calendar_year' };

/** What the rule reads of a formula as `GET /metrics` gives it. */
interface Formula {
  kind: string;
  aggregation?: string;
  event_type?: string;
  property?: string | null;
  filter?: string | null;
  window?: MetricWindowJson;
  numerator?: string;
  denominator?: string;
}

/** A metric as `GET /metrics` gives it, as far as the rule reads it. */
export interface MetricFormula {
  key: string;
  formula: Formula;
}

/**
 * Event types each of whose events is about one event of another type, and the properties that
 * name it: a refund is of a paid order (its `order_id`, or `@paid_order_id`, which names only
 * orders the customer paid), so the orders refunded, counted over all time, are some of the
 * orders. Refunds themselves are not: one order may be refunded in parts.
 */
const PART_OF: Readonly<Record<string, { whole: string; by: readonly string[] }>> = { order_refunded: { whole: 'order_paid', by: ['order_id', '@paid_order_id'] } };

/** Whether every moment of `inner` lies in `outer`: the last 30 days in the last 90, this year in all time. */
function windowWithin(inner: MetricWindowJson | undefined, outer: MetricWindowJson | undefined): boolean {
  const whole = outer ?? { kind: 'all' };
  const part = inner ?? { kind: 'all' };
  switch (whole.kind) {
    case 'all':
      return true;
    case 'days':
      return part.kind === 'days' && part.days <= whole.days;
    case 'calendar_year':
      return part.kind === 'calendar_year';
    default:
      return false;
  }
}

/**
 * Whether every event the count `part` counts is one that the count `whole` counts, or stands
 * for one (a refund for its order). A whole with a filter is only known to hold a part with the
 * same filter: two different filters cannot be compared here.
 */
function countsWithin(part: Formula, whole: Formula): boolean {
  const sameFilter = !whole.filter || whole.filter === part.filter;
  if (part.aggregation === 'count' && part.event_type !== undefined && (whole.event_type === part.event_type || whole.event_type === '*')) return sameFilter && windowWithin(part.window, whole.window);
  // The orders refunded (distinct order ids of refunds), not the refunds; and a refund in a window
  // may be of an order paid before it: only all of them are all of some orders.
  const of = part.event_type === undefined ? undefined : PART_OF[part.event_type];
  return of !== undefined && part.aggregation === 'distinct_count' && part.property != null && of.by.includes(part.property) && of.whole === whole.event_type && !whole.filter && (whole.window ?? { kind: 'all' }).kind === 'all' && windowWithin(part.window, whole.window);
}

/**
 * The keys of the metrics that are shares, read from their formulas as `GET /metrics` gives them:
 * a ratio of two counts whose numerator counts some of what its denominator counts (refunded
 * orders over orders, orders with a coupon over orders). A ratio of counts of unrelated events (product views
 * per order) is a rate, and one of a sum to a count (spend over orders) an average: not shares.
 * When the formulas cannot tell, the metric is no share: a plain number misleads less than a
 * wrong percentage.
 */
export function shareMetricKeys(metrics: readonly MetricFormula[]): Set<string> {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  const count = (key: string | undefined): Formula | undefined => {
    const formula = key === undefined ? undefined : byKey.get(key)?.formula;
    return formula?.kind === 'aggregate' && (formula.aggregation === 'count' || formula.aggregation === 'distinct_count') ? formula : undefined;
  };
  return new Set(
    metrics
      .filter(({ formula }) => {
        if (formula.kind !== 'ratio') return false;
        const part = count(formula.numerator);
        const whole = count(formula.denominator);
        return part !== undefined && whole !== undefined && countsWithin(part, whole);
      })
      .map((metric) => metric.key),
  );
}

/**
 * A share as a percentage: to a tenth of a percent at most (6%, 33.3%), or always to a tenth
 * with `fixed`, so that a column of them lines up (6.0%).
 */
export function formatShareValue(value: number, lang: string, fixed = false): string {
  return value.toLocaleString(lang, { style: 'percent', minimumFractionDigits: fixed ? 1 : 0, maximumFractionDigits: 1 });
}
