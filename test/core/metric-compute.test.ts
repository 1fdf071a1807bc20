import { describe, expect, it } from 'vitest';
import { computeMetrics, planMetrics, selectEvents, MetricDefinitionError, type MetricEvent } from '../../src/core/metric-compute.js';
import { BUILTIN_METRICS, HIDDEN_METRICS, type MetricDefinition } from '../../src/core/metric.js';
import { rfmMetrics, rfmParamsSchema } from '../../src/core/models/rfm.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T04:00:00Z'); // 12:00 in China
const CHINA = 480;
const plan = planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS]);

function order(daysAgo: number, amount: number, extra: Record<string, unknown> = {}): MetricEvent {
  return { type: 'order_paid', occurredAt: NOW - daysAgo * DAY, properties: { order_id: `O${daysAgo}`, amount, ...extra } };
}

/** A refund of `amount` on the order `orderId`, made `daysAgo` days before NOW. */
function refund(daysAgo: number, orderId: string, amount: number): MetricEvent {
  return { type: 'order_refunded', occurredAt: NOW - daysAgo * DAY, properties: { order_id: orderId, amount } };
}

describe('metric computation', () => {
  it('counts and sums orders in each window', () => {
    const events = [order(1, 100), order(20, 200), order(60, 300), order(200, 400), order(500, 500)];
    const { values } = computeMetrics(plan, events, NOW, CHINA);
    expect(values).toMatchObject({
      orders_total: 5,
      orders_30d: 2,
      orders_90d: 3,
      orders_365d: 4,
      spend_total: 1500,
      spend_30d: 300,
      spend_90d: 600,
      spend_365d: 1000,
      avg_order_value: 300,
      repurchases: 4,
      max_order_amount: 500,
      first_order_at: NOW - 500 * DAY,
      last_order_at: NOW - DAY,
      days_since_last_order: 1,
    });
  });

  it('writes a difference of amounts to the cent, as sums are, without floating-point remainders', () => {
    const net: MetricDefinition = { key: 'net_spend', name: '净消费额', formula: { kind: 'difference', minuend: 'spend_total_paid', subtrahend: 'refund_amount_total', atLeast: 0 } };
    const events = [order(3, 2500.1), { type: 'order_refunded', occurredAt: NOW - 2 * DAY, properties: { order_id: 'O3', amount: 542.4 } }];
    const { values } = computeMetrics(planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, net]), events, NOW, CHINA);
    expect(values.net_spend).toBe(1957.7);
    expect(values.spend_total).toBe(1957.7);
  });

  it('counts a refund at most what is still unrefunded of its order, so partial refunds never pass 100 %', () => {
    const windowed: MetricDefinition = { key: 'refunds_30d', name: '近30天退款额', formula: { kind: 'aggregate', aggregation: 'sum', eventType: 'order_refunded', property: 'amount', window: { kind: 'days', days: 30 } } };
    const largest: MetricDefinition = { key: 'largest_refund', name: '最大退款', formula: { kind: 'aggregate', aggregation: 'max', eventType: 'order_refunded', property: 'amount', window: { kind: 'all' } } };
    const events = [
      order(100, 100),
      order(50, 200),
      order(40, 50),
      // Order O100 refunded three times over 100 in all: the second counts 40, the third nothing.
      refund(90, 'O100', 60),
      refund(20, 'O100', 60),
      refund(10, 'O100', 30),
      // An order from before the data began: its refund is what it says.
      refund(5, 'O-old', 80),
    ];
    const { values } = computeMetrics(planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, windowed, largest]), events, NOW, CHINA);
    // The rate reads the refunded orders among the customer's paid ones: O100 of three, not O-old.
    expect(values).toMatchObject({ refunds_total: 4, refunded_orders_total: 2, refund_amount_total: 180, refund_rate: 0.3333, refunds_30d: 120, largest_refund: 80 });
    // Refunded orders over orders: at most 1 when every refunded order is known.
    expect(computeMetrics(plan, [order(3, 100), refund(2, 'O3', 40), refund(1, 'O3', 40), refund(0.5, 'O3', 40)], NOW, CHINA).values).toMatchObject({ refund_rate: 1, refund_amount_total: 100 });
    // What a refund counts against is read whenever it happened, even when only a window's refunds are aggregated.
    const selection = selectEvents(planMetrics([windowed]), NOW, CHINA);
    expect(selection).toMatchObject({ kind: 'some', allOf: expect.arrayContaining(['order_paid', 'order_refunded']) });
  });

  it('keeps the refund rate within 0–100 %: refunds of orders the customer has no paid order for count as refunded orders, not in the rate', () => {
    // One paid order, and refunds of two orders from before the data began: 200 % when every refunded order counted.
    const events = [order(3, 100), refund(2, 'O-old-1', 50), refund(1, 'O-old-2', 50), refund(1, 'O-old-2', 20)];
    expect(computeMetrics(plan, events, NOW, CHINA).values).toMatchObject({ refunded_orders_total: 2, refund_rate: 0 });
    // Its own order refunded twice in part: one refunded order of one.
    expect(computeMetrics(plan, [...events, refund(0.5, 'O3', 30), refund(0.2, 'O3', 30)], NOW, CHINA).values).toMatchObject({ refunded_orders_total: 3, refund_rate: 1 });
    // A refund without an order_id cannot be matched to a paid order and leaves the rate alone.
    expect(computeMetrics(plan, [order(3, 100), { type: 'order_refunded', occurredAt: NOW - DAY, properties: { amount: 10 } }], NOW, CHINA).values).toMatchObject({ refund_rate: 0 });
    // Whatever the order of arrival: a refund stored before its order (clock skew) still matches it.
    const early: MetricEvent = { type: 'order_refunded', occurredAt: NOW - 4 * DAY, properties: { order_id: 'O3', amount: 10 } };
    expect(computeMetrics(plan, [order(3, 100), early], NOW, CHINA).values).toMatchObject({ refund_rate: 1 });
  });

  it('nets refunds out of spend_365d as RFM nets them out of M: paid in the window less refunded in it, never below zero', () => {
    const rfm = planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...rfmMetrics(rfmParamsSchema.parse({}))]);
    const events = [
      order(400, 500),
      order(200, 400),
      order(20, 300),
      // A refund inside the window of an order from before it, and one of an order inside it.
      refund(10, 'O400', 250),
      refund(5, 'O20', 100),
    ];
    const { values } = computeMetrics(rfm, events, NOW, CHINA);
    expect(values).toMatchObject({ spend_365d: 350, rfm_monetary: 350, spend_total: 850, spend_30d: 0, spend_90d: 0, orders_365d: 2 });
    // Refunds beyond what was paid in the window leave it at zero, not below.
    const refunded = computeMetrics(rfm, [order(400, 1000), order(20, 100), refund(10, 'O400', 900)], NOW, CHINA).values;
    expect(refunded).toMatchObject({ spend_365d: 0, rfm_monetary: 0 });
  });

  it('stores a first or last of a property as the type it declares: a number as its text for text, text that reads as a number as that number for a number', () => {
    const picked = (key: string, aggregation: 'first' | 'last', property: string, valueType?: 'number' | 'string'): MetricDefinition => ({ key, name: key, formula: { kind: 'aggregate', aggregation, eventType: 'delivered', property, window: { kind: 'all' }, valueType } });
    const custom = planMetrics([picked('last_city', 'last', 'city', 'string'), picked('first_city', 'first', 'city', 'string'), picked('last_weight', 'last', 'weight', 'number'), picked('first_weight', 'first', 'weight', 'number'), picked('untyped', 'last', 'city')]);
    const delivered = (daysAgo: number, properties: Record<string, unknown>): MetricEvent => ({ type: 'delivered', occurredAt: NOW - daysAgo * DAY, properties });
    const { values } = computeMetrics(custom, [delivered(3, { city: 310000, weight: ' 2.5 ' }), delivered(1, { city: '杭州', weight: 'heavy' })], NOW, CHINA);
    expect(values).toEqual({ last_city: '杭州', first_city: '310000', last_weight: null, first_weight: 2.5, untyped: '杭州' });
  });

  it('nets refunds out of every spend window alike, so the windows nest, and keeps the average order value gross', () => {
    const events = [
      order(300, 1000),
      order(60, 400),
      order(10, 200),
      // Refunds of orders within the windows they are made in; the last two of O10 add up to more than was paid.
      refund(250, 'O300', 300),
      refund(50, 'O60', 150),
      refund(5, 'O10', 150),
      refund(2, 'O10', 150),
    ];
    const { values } = computeMetrics(plan, events, NOW, CHINA);
    // O10's second refund counts only the 50 left of it: 200 − 200 in 30 days, 600 − 350 in 90, 1600 − 650 in 365.
    expect(values).toMatchObject({ spend_30d: 0, spend_90d: 250, spend_365d: 950, spend_total: 950, spend_this_year: 250, refund_amount_total: 650 });
    const windows = ['spend_30d', 'spend_90d', 'spend_365d', 'spend_total'].map((key) => Number(values[key]));
    expect(windows).toEqual([...windows].sort((a, b) => a - b));
    // 客单价 stays what a paid order came to: 1600 over 3 orders.
    expect(values).toMatchObject({ avg_order_value: 533.3333 });
    // A refund made in a window counts there, whenever its order was paid, and takes no window below zero.
    const old = computeMetrics(plan, [order(200, 500), order(10, 100), refund(3, 'O200', 500)], NOW, CHINA).values;
    expect(old).toMatchObject({ spend_30d: 0, spend_90d: 0, spend_365d: 100, spend_total: 100, spend_this_year: 0, avg_order_value: 300 });
  });

  it('gives zero counts and no times for a customer without events', () => {
    const { values, validUntil } = computeMetrics(plan, [], NOW, CHINA);
    expect(values).toMatchObject({ orders_total: 0, spend_365d: 0, repurchases: 0, last_order_at: null, avg_order_value: null, days_since_last_order: null, preferred_category: null, refund_rate: null });
    expect(validUntil).toBeNull();
  });

  it('says when the values next change by time alone', () => {
    const { validUntil } = computeMetrics(plan, [order(29.5, 100)], NOW, CHINA);
    // days_since_last_order ticks over half a day from now, before the 30-day window moves.
    expect(validUntil).toBe(NOW - 29.5 * DAY + 30 * DAY);
    const later = computeMetrics(plan, [order(29.5, 100)], NOW + 0.5 * DAY, CHINA);
    expect(later.values.orders_30d).toBe(0);
    expect(later.values.days_since_last_order).toBe(30);
  });

  it('computes refund rate, coupon share and preferences', () => {
    const events: MetricEvent[] = [
      order(3, 100, { channel: 'online', coupon_id: 'CP1', items: [{ sku: 'A', category: '美妆' }] }),
      order(4, 100, { channel: 'online', discount: 10, items: [{ sku: 'B', category: '美妆' }, { sku: 'C', category: '服装' }] }),
      order(5, 100, { channel: 'offline', items: [{ sku: 'D', category: '服装' }] }),
      order(6, 100, { channel: 'online' }),
      { type: 'order_refunded', occurredAt: NOW - 2 * DAY, properties: { order_id: 'O3', amount: 100 } },
      { type: 'product_viewed', occurredAt: NOW - DAY, properties: { sku: 'X', category: '数码', dwell_seconds: 40 } },
    ];
    const { values } = computeMetrics(plan, events, NOW, CHINA);
    expect(values).toMatchObject({
      refunds_total: 1,
      refund_rate: 0.25,
      discounted_orders_total: 2,
      discount_order_share: 0.5,
      preferred_channel: 'online',
      categories_bought_365d: 2,
      preferred_viewed_category: '数码',
      product_views_30d: 1,
      last_active_at: NOW - DAY,
    });
    // 美妆 and 服装 tie at two items each; the more recent purchase (美妆, 3 days ago) wins.
    expect(values.preferred_category).toBe('美妆');
  });

  it('finds the preferred hour band in the workspace time zone', () => {
    const at = (iso: string): MetricEvent => ({ type: 'order_paid', occurredAt: Date.parse(iso), properties: { order_id: iso, amount: 1 } });
    const { values } = computeMetrics(plan, [at('2026-06-10T23:30:00Z'), at('2026-06-11T00:30:00Z'), at('2026-06-11T12:00:00Z')], NOW, CHINA);
    expect(values.preferred_hour_band).toBe('morning'); // 07:30 and 08:30 in China
  });

  it('counts the calendar year in the workspace time zone and changes at its end', () => {
    const { values, validUntil } = computeMetrics(plan, [order(100, 50)], NOW, CHINA);
    expect(values.orders_this_year).toBe(1);
    expect(validUntil).not.toBeNull();
    const newYear = Date.parse('2026-12-31T16:00:00Z'); // 2027-01-01 00:00 in China
    expect(computeMetrics(plan, [order(100, 50)], newYear, CHINA).values.orders_this_year).toBe(0);
    expect(computeMetrics(plan, [order(100, 50)], newYear - 1, CHINA).values.orders_this_year).toBe(1);
  });

  it('applies filters written in the expression language', () => {
    const bigOnline: MetricDefinition = { key: 'big_online', name: '大额线上单', formula: { kind: 'aggregate', aggregation: 'count', eventType: 'order_paid', filter: 'channel = "online" and amount >= 100', window: { kind: 'all' } } };
    const custom = planMetrics([bigOnline]);
    const { values } = computeMetrics(custom, [order(1, 150, { channel: 'online' }), order(2, 50, { channel: 'online' }), order(3, 500, { channel: 'offline' })], NOW, CHINA);
    expect(values.big_online).toBe(1);
  });

  it('refuses definitions that read unknown metrics, read each other, or have bad filters', () => {
    expect(() => planMetrics([{ key: 'x', name: 'x', formula: { kind: 'days_since', metric: 'nope' } }])).toThrow(MetricDefinitionError);
    expect(() =>
      planMetrics([
        { key: 'a', name: 'a', formula: { kind: 'ratio', numerator: 'b', denominator: 'b' } },
        { key: 'b', name: 'b', formula: { kind: 'days_since', metric: 'a' } },
      ]),
    ).toThrow(/cycle/);
    expect(() => planMetrics([{ key: 'f', name: 'f', formula: { kind: 'aggregate', aggregation: 'count', eventType: 'order_paid', filter: 'amont > 1', window: { kind: 'all' } } }])).toThrow(/amount/);
  });

  it('measures the gap before the last event, days from launch to purchase, and quintile scores', () => {
    const extra: MetricDefinition[] = [
      { key: 'gap', name: 'gap', formula: { kind: 'aggregate', aggregation: 'gap_days', eventType: '*', window: { kind: 'all' } } },
      { key: 'launch', name: 'launch', formula: { kind: 'aggregate', aggregation: 'min', eventType: 'order_paid', property: 'items[].@days_after_launch', window: { kind: 'all' } } },
      { key: 'm_score', name: 'm', formula: { kind: 'score', metric: 'spend_total', cutoffs: [100, 300, 600, 1000], lowerIsBetter: false, onlyIf: 'orders_total' } },
      { key: 'r_score', name: 'r', formula: { kind: 'score', metric: 'days_since_last_order', cutoffs: [3, 10, 60, 100], lowerIsBetter: true } },
    ];
    const withExtra = planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, ...extra]);
    const launched = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
    const events = [
      order(150, 200, { items: [{ sku: 'A', category: '服装', launched_at: launched(151) }] }),
      order(10, 400, { items: [{ sku: 'B', category: '服装', launched_at: launched(40) }, { sku: 'C', category: '服装', launched_at: launched(5) }, { sku: 'D', category: '服装' }] }),
    ];
    // Item C launched after the purchase (bad data) and D has no launch date: neither counts.
    // The last order 10 days ago is on R's second cut-off, in the bucket of the more recent: R 4.
    expect(computeMetrics(withExtra, events, NOW, CHINA).values).toMatchObject({ gap: 140, launch: 1, m_score: 3, r_score: 4 });
    expect(computeMetrics(withExtra, events.slice(0, 1), NOW, CHINA).values).toMatchObject({ gap: null, launch: 1, m_score: 2, r_score: 1 });
    // A launch written without an offset is on the workspace's clock: 2026-06-05 began at 16:00Z the day before in China,
    // so an order at 15:00Z on 06-05 is 0 whole days after it and one at 17:00Z a whole day; at UTC it began at 00:00Z on 06-05.
    const atDay = (iso: string, launched_at: string): MetricEvent => ({ type: 'order_paid', occurredAt: Date.parse(iso), properties: { order_id: iso, amount: 1, items: [{ sku: 'L', launched_at }] } });
    for (const launched_at of ['2026-06-05', '2026-06-05T00:00', '2026-06-04T16:00:00Z']) {
      expect(computeMetrics(withExtra, [atDay('2026-06-05T17:00:00Z', launched_at)], NOW, CHINA).values).toMatchObject({ launch: 1 });
      expect(computeMetrics(withExtra, [atDay('2026-06-05T15:00:00Z', launched_at)], NOW, CHINA).values).toMatchObject({ launch: 0 });
    }
    expect(computeMetrics(withExtra, [atDay('2026-06-05T17:00:00Z', '2026-06-05')], NOW, 0).values).toMatchObject({ launch: 0 });
    // Exactly on a cut-off is in the bucket below it: for M the worse one, for R (lower is
    // better) the better one, as the same buckets are scored in reverse; no orders means no score.
    expect(computeMetrics(withExtra, [order(60, 300)], NOW, CHINA).values).toMatchObject({ m_score: 2, r_score: 3 });
    expect(computeMetrics(withExtra, [], NOW, CHINA).values).toMatchObject({ m_score: null, r_score: null });
  });
});
