// Holds `computeMetrics` to the reference (the computation as it was, one pass over the events per
// metric) on thousands of random histories and random plans: every value of every metric, and the
// time the values next change, must be the same to the bit. The histories lean on the edges:
// events out of order and at the same instant, events after `now`, year ends in the workspace's
// calendar, refunds before, after and beyond their orders, and property values of every JSON shape
// (and NaN, ±Infinity, -0, which events built in code may hold).
import { describe, expect, it } from 'vitest';
import { computeMetrics, planMetrics, type MetricEvent, type MetricPlan } from '../../src/core/metric-compute.js';
import { AGGREGATIONS, BUILTIN_METRICS, HIDDEN_METRICS, type AggregateMetric, type MetricDefinition, type MetricWindow, type PickedValueType } from '../../src/core/metric.js';
import { rfmMetrics, rfmParamsSchema } from '../../src/core/models/rfm.js';
import { referenceComputeMetrics } from './support/metric-compute-reference.js';

const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so that every run draws the same histories. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const pick = <T,>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const chance = (random: Random, p: number) => random() < p;

const NOWS = [
  Date.parse('2026-06-15T04:00:00Z'),
  Date.parse('2026-12-31T15:59:59.999Z'), // the last instant of 2026 in China
  Date.parse('2026-12-31T16:00:00Z'), // the first of 2027 in China, still 2026 in UTC
  Date.parse('2028-02-29T12:00:00Z'),
  Date.parse('2027-01-01T00:30:00Z'),
];
const OFFSETS = [480, 0, -300, 330, 840, -720];
const TYPES = ['order_paid', 'order_paid', 'order_paid', 'order_refunded', 'order_refunded', 'product_viewed', 'favorited', 'cart_added', 'visit'];
const TEXTS = ['美妆', '数码', 'online', 'store', '', ' 12.5 ', '7', '1e3', 'a"b', 'O1', 'O2'];
const ORDER_IDS: readonly unknown[] = ['O1', 'O2', 'O3', 'O4', 1, 2, '1', null, undefined, true, { id: 'O1' }];

/** A value of any shape a property can hold. */
function anyValue(random: Random): unknown {
  switch (Math.floor(random() * 14)) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return pick(random, TEXTS);
    case 3:
      return Math.round(random() * 100_000) / 100;
    case 4:
      return pick(random, [0.1, 0.2, 0.3, 1e21, -5, -0, 0, 3, 7]);
    case 5:
      return pick(random, [NaN, Infinity, -Infinity]);
    case 6:
      return chance(random, 0.5);
    case 7:
      return [pick(random, TEXTS), 1];
    case 8:
      return { nested: pick(random, TEXTS) };
    default:
      return chance(random, 0.5) ? pick(random, TEXTS) : Math.floor(random() * 10);
  }
}

function item(random: Random, at: number): unknown {
  if (chance(random, 0.05)) return pick(random, [null, 'x', 3, []]);
  const launched = pick(random, [
    undefined,
    new Date(at - Math.floor(random() * 400) * DAY).toISOString(),
    new Date(at + DAY).toISOString(),
    '2026-01-01 08:00:00',
    '2026-01-01',
    'not a time',
    12345,
  ]);
  return {
    ...(chance(random, 0.9) ? { category: chance(random, 0.85) ? pick(random, ['美妆', '数码', '服饰', '食品']) : anyValue(random) } : {}),
    ...(chance(random, 0.8) ? { price: chance(random, 0.9) ? Math.round(random() * 50_000) / 100 : anyValue(random) } : {}),
    ...(launched === undefined ? {} : { launched_at: launched }),
  };
}

function event(random: Random, now: number): MetricEvent {
  const type = pick(random, TYPES);
  // Mostly inside the windows, some long ago, some at the window edges, a few after now.
  const span = pick(random, [30, 90, 400, 1200]);
  let occurredAt = now - Math.floor(random() * span * DAY);
  if (chance(random, 0.05)) occurredAt = now - pick(random, [30, 90, 365, 1]) * DAY;
  if (chance(random, 0.03)) occurredAt = now + Math.floor(random() * 3 * DAY);
  if (chance(random, 0.05)) occurredAt = Math.floor(occurredAt / DAY) * DAY;
  const properties: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) properties[key] = value;
  };
  if (type === 'order_paid' || type === 'order_refunded') {
    set('order_id', chance(random, 0.85) ? pick(random, ['O1', 'O2', 'O3', 'O4', 'O5']) : pick(random, ORDER_IDS));
    set('amount', chance(random, 0.85) ? pick(random, [Math.round(random() * 100_000) / 100, 0.1, 0.2, 19.99, 100]) : anyValue(random));
  }
  if (type === 'order_paid') {
    if (chance(random, 0.7)) set('channel', chance(random, 0.9) ? pick(random, ['online', 'store', 'app']) : anyValue(random));
    if (chance(random, 0.3)) set('coupon_id', pick(random, ['C1', 'C2', null]));
    if (chance(random, 0.3)) set('discount', chance(random, 0.8) ? Math.round(random() * 50) : anyValue(random));
    if (chance(random, 0.8)) set('items', chance(random, 0.9) ? Array.from({ length: Math.floor(random() * 4) }, () => item(random, occurredAt)) : anyValue(random));
  } else if (type !== 'order_refunded') {
    if (chance(random, 0.8)) set('category', chance(random, 0.85) ? pick(random, ['美妆', '数码', '服饰']) : anyValue(random));
    if (chance(random, 0.5)) set('dwell_seconds', chance(random, 0.8) ? Math.floor(random() * 300) : anyValue(random));
  }
  if (chance(random, 0.1)) set('extra', anyValue(random));
  return { type, occurredAt, properties };
}

/** A stored event's shape: properties read through a getter, as the engine's events are. */
function throughGetter(source: MetricEvent): MetricEvent {
  const raw = source.properties;
  return {
    type: source.type,
    occurredAt: source.occurredAt,
    get properties() {
      return raw;
    },
  };
}

function history(random: Random, now: number): MetricEvent[] {
  const size = pick(random, [0, 1, 2, 3, 5, 8, 13, 20, 40, 80]);
  const events: MetricEvent[] = [];
  for (let k = 0; k < size; k++) {
    // Same instants: duplicates and events sharing a time with another.
    if (events.length > 0 && chance(random, 0.08)) {
      const twin = pick(random, events);
      events.push(chance(random, 0.5) ? { ...twin } : { ...event(random, now), occurredAt: twin.occurredAt });
    } else {
      events.push(event(random, now));
    }
  }
  // Most histories arrive in time order (as stored), some shuffled.
  if (chance(random, 0.7)) events.sort((a, b) => a.occurredAt - b.occurredAt);
  return chance(random, 0.5) ? events.map(throughGetter) : events;
}

const WINDOWS: readonly MetricWindow[] = [{ kind: 'all' }, { kind: 'days', days: 1 }, { kind: 'days', days: 7 }, { kind: 'days', days: 30 }, { kind: 'days', days: 90 }, { kind: 'days', days: 365 }, { kind: 'calendar_year' }];
const PATHS: readonly (string | undefined)[] = [
  undefined,
  '@time',
  '@one',
  '@hour_band',
  '@paid_order_id',
  'amount',
  'order_id',
  'channel',
  'category',
  'dwell_seconds',
  'discount',
  'extra',
  'missing',
  'items[].category',
  'items[].price',
  'items[].launched_at',
  'items[].@days_after_launch',
  'items[].missing',
];
const FILTERS: Readonly<Record<string, readonly string[]>> = {
  order_paid: ['amount >= 100', 'channel = "online"', 'coupon_id exists or discount > 0', 'channel = "online" and amount >= 100'],
  order_refunded: ['amount > 50'],
  product_viewed: ['dwell_seconds > 60', 'category = "美妆"'],
  favorited: ['category = "数码"'],
  cart_added: ['price > 10'],
};

function randomAggregate(random: Random, key: string): MetricDefinition {
  const eventType = pick(random, [...TYPES, '*']);
  const aggregation = pick(random, AGGREGATIONS);
  const filters = FILTERS[eventType];
  const filter = filters && chance(random, 0.25) ? pick(random, filters) : undefined;
  const valueType: PickedValueType | undefined = (aggregation === 'first' || aggregation === 'last') && chance(random, 0.4) ? pick(random, ['number', 'string'] as const) : undefined;
  const formula: AggregateMetric = { kind: 'aggregate', aggregation, eventType, property: pick(random, PATHS), filter, window: pick(random, WINDOWS), ...(valueType === undefined ? {} : { valueType }) };
  return { key, name: key, formula };
}

function randomDerived(random: Random, key: string, earlier: readonly string[]): MetricDefinition {
  const some = () => pick(random, earlier);
  switch (Math.floor(random() * 4)) {
    case 0:
      return { key, name: key, formula: { kind: 'ratio', numerator: some(), denominator: some() } };
    case 1:
      return { key, name: key, formula: { kind: 'difference', minuend: some(), subtrahend: some(), ...(chance(random, 0.5) ? { atLeast: 0 } : {}) } };
    case 2:
      return { key, name: key, formula: { kind: 'days_since', metric: some() } };
    default:
      return { key, name: key, formula: { kind: 'score', metric: some(), cutoffs: [1, 10, 100, 1000], lowerIsBetter: chance(random, 0.5), ...(chance(random, 0.5) ? { onlyIf: some() } : {}) } };
  }
}

/** The built-in metrics, RFM's, and a dozen random ones (derived ones reading any of them). */
function randomPlan(random: Random): MetricPlan {
  const definitions: MetricDefinition[] = [...BUILTIN_METRICS, ...HIDDEN_METRICS];
  if (chance(random, 0.5)) definitions.push(...rfmMetrics(rfmParamsSchema.parse({})));
  const size = Math.floor(random() * 16);
  for (let k = 0; k < size; k++) {
    // A key a values object treats apart: set key by key, it names the object's prototype.
    const key = chance(random, 0.02) && !definitions.some((definition) => definition.key === '__proto__') ? '__proto__' : `m${k}`;
    definitions.push(chance(random, 0.75) ? randomAggregate(random, key) : randomDerived(random, key, definitions.map((definition) => definition.key)));
  }
  return planMetrics(definitions);
}

/** Every value the same to the bit (Object.is: -0 is not 0, NaN is NaN), and no key more or less. */
function differences(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...keys].filter((key) => !(key in actual && key in expected && Object.is(actual[key], expected[key]))).map((key) => `${key}: ${String(actual[key])} ≠ ${String(expected[key])}`);
}

describe('metric computation against the reference', () => {
  it('gives every value of every metric, and when they next change, as the reference does, on random histories and plans', () => {
    const random = seeded(20261206);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const plan = randomPlan(random);
      const now = pick(random, NOWS);
      const offset = pick(random, OFFSETS);
      for (let customer = 0; customer < 12; customer++) {
        const events = history(random, now);
        const expected = referenceComputeMetrics(plan, events, now, offset);
        const actual = computeMetrics(plan, events, now, offset);
        const problems = differences(actual.values, expected.values);
        if (problems.length > 0 || actual.validUntil !== expected.validUntil) {
          expect.fail(`round ${round}, customer ${customer}, now ${new Date(now).toISOString()}, offset ${offset}: ${[...problems, `validUntil ${actual.validUntil} vs ${expected.validUntil}`].join('; ')}\n${JSON.stringify(events)}`);
        }
        // Computing again from the same events (and the same plan, warmed) gives the same.
        if (customer === 0) expect(differences(computeMetrics(plan, events, now, offset).values, expected.values)).toEqual([]);
        compared++;
      }
    }
    expect(compared).toBe(3600);
  });

  it('leaves the events it is given as they were', () => {
    const random = seeded(7);
    const plan = randomPlan(random);
    for (let k = 0; k < 200; k++) {
      const now = pick(random, NOWS);
      const events = history(random, now).map((one) => ({ ...one, properties: one.properties }));
      const before = JSON.stringify(events.map((one) => [one.type, one.occurredAt, one.properties, one.paidOrderId]));
      computeMetrics(plan, events, now, 480);
      expect(JSON.stringify(events.map((one) => [one.type, one.occurredAt, one.properties, one.paidOrderId]))).toBe(before);
    }
  });
});
