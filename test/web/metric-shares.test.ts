// Which metrics the console prints as percentages: ratios of two counts whose numerator counts
// some of what the denominator counts, and no other ratio of counts.
import { describe, expect, it } from 'vitest';
import { shareMetricKeys, type MetricFormula } from '../../web/src/modules/app/utils/metricShares.js';
import { BUILTIN_METRICS } from '../../src/core/metric.js';

const ALL = { kind: 'all' } as const;
const count = (key: string, eventType: string, extra: { filter?: string; window?: MetricFormula['formula']['window'] } = {}): MetricFormula => ({
  key,
  formula: { kind: 'aggregate', aggregation: 'count', event_type: eventType, window: ALL, ...extra },
});
const ratio = (key: string, numerator: string, denominator: string): MetricFormula => ({ key, formula: { kind: 'ratio', numerator, denominator } });

const METRICS: MetricFormula[] = [
  count('orders_total', 'order_paid'),
  count('orders_30d', 'order_paid', { window: { kind: 'days', days: 30 } }),
  count('orders_90d', 'order_paid', { window: { kind: 'days', days: 90 } }),
  count('orders_this_year', 'order_paid', { window: { kind: 'calendar_year' } }),
  count('online_orders', 'order_paid', { filter: 'channel = "online"' }),
  count('discounted_orders_total', 'order_paid', { filter: 'coupon_id exists or discount > 0' }),
  count('refunds_total', 'order_refunded'),
  count('refunds_30d', 'order_refunded', { window: { kind: 'days', days: 30 } }),
  { key: 'refunded_orders_total', formula: { kind: 'aggregate', aggregation: 'distinct_count', event_type: 'order_refunded', property: 'order_id', window: ALL } },
  { key: 'refunded_paid_orders_total', formula: { kind: 'aggregate', aggregation: 'distinct_count', event_type: 'order_refunded', property: '@paid_order_id', window: ALL } },
  { key: 'refunded_skus', formula: { kind: 'aggregate', aggregation: 'distinct_count', event_type: 'order_refunded', property: 'sku', window: ALL } },
  count('product_views_30d', 'product_viewed', { window: { kind: 'days', days: 30 } }),
  count('events_total', '*'),
  { key: 'spend_total', formula: { kind: 'aggregate', aggregation: 'sum', event_type: 'order_paid', window: ALL } },
  // Shares: some of the denominator's events.
  ratio('refund_rate', 'refunded_orders_total', 'orders_total'),
  ratio('paid_refund_rate', 'refunded_paid_orders_total', 'orders_total'),
  ratio('discount_order_share', 'discounted_orders_total', 'orders_total'),
  ratio('recent_order_share', 'orders_30d', 'orders_90d'),
  ratio('this_year_share', 'orders_this_year', 'orders_total'),
  ratio('order_share_of_events', 'orders_total', 'events_total'),
  // Not shares, or not known to be.
  ratio('views_per_order', 'product_views_30d', 'orders_30d'),
  ratio('orders_per_refund', 'orders_total', 'refunds_total'),
  ratio('avg_order_value', 'spend_total', 'orders_total'),
  ratio('orders_90d_over_30d', 'orders_90d', 'orders_30d'),
  ratio('month_over_year', 'orders_30d', 'orders_this_year'),
  ratio('coupons_among_online', 'discounted_orders_total', 'online_orders'),
  ratio('recent_refunds_over_recent_orders', 'refunds_30d', 'orders_30d'),
  // Several partial refunds of one order: refunds over orders can pass 100 %.
  ratio('refunds_per_order', 'refunds_total', 'orders_total'),
  ratio('refunded_skus_per_order', 'refunded_skus', 'orders_total'),
];

describe('shares among the metrics', () => {
  const shares = shareMetricKeys(METRICS);

  it('are the ratios whose numerator counts some of the events its denominator counts', () => {
    for (const key of ['refund_rate', 'paid_refund_rate', 'discount_order_share', 'recent_order_share', 'this_year_share', 'order_share_of_events']) expect(shares.has(key), key).toBe(true);
  });

  it('leave out ratios of counts of other events, wider windows or filters that cannot be compared, and averages', () => {
    for (const key of ['views_per_order', 'orders_per_refund', 'avg_order_value', 'orders_90d_over_30d', 'month_over_year', 'coupons_among_online', 'recent_refunds_over_recent_orders', 'refunds_per_order', 'refunded_skus_per_order']) expect(shares.has(key), key).toBe(false);
    expect(shares.size).toBe(6);
  });

  it('include the built-in refund rate, refunded paid orders over orders', () => {
    // As GET /metrics gives the formulas: the one key the rule reads in snake case.
    const builtin = BUILTIN_METRICS.map(({ key, formula }) => ({ key, formula: formula.kind === 'aggregate' ? { ...formula, event_type: formula.eventType } : formula }));
    expect([...shareMetricKeys(builtin)].sort()).toEqual(['discount_order_share', 'refund_rate']);
  });
});
