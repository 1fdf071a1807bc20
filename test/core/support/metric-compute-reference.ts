// The metric computation as it was before it was compiled per plan (kept verbatim, as the
// reference the differential test in metric-compute.property.test.ts holds the product's to,
// value for value and bit for bit). Do not "fix" or speed this up: it is what the values were.
import { evaluateExpression } from '../../../src/core/expression/index.js';
import { ORDER_EVENT, REFUND_EVENT, type MetricEvent, type MetricPlan, type MetricResult } from '../../../src/core/metric-compute.js';
import { asPickedValue, hourBand, type AggregateMetric, type MetricValue, type MetricWindow, type ScoreMetric } from '../../../src/core/metric.js';
import { parseWorkspaceTime } from '../../../src/core/time.js';

const DAY = 86_400_000;

/** Start of the calendar year containing `now`, and of the next one, in the offset's calendar. */
function yearBounds(now: number, utcOffsetMinutes: number): [number, number] {
  const offset = utcOffsetMinutes * 60_000;
  const year = new Date(now + offset).getUTCFullYear();
  return [Date.UTC(year, 0, 1) - offset, Date.UTC(year + 1, 0, 1) - offset];
}

// Closure-free on purpose: they run once per metric per customer, and a closure each
// (under tsx, a named wrapper too) was a measurable share of an ingest batch.
/** The instant an event must be strictly after to be inside the window. */
function windowStart(window: MetricWindow, now: number, utcOffsetMinutes: number): number {
  switch (window.kind) {
    case 'all':
      return -Infinity;
    case 'days':
      return now - window.days * DAY;
    case 'calendar_year':
      return yearBounds(now, utcOffsetMinutes)[0];
    default: {
      const unreachable: never = window;
      return unreachable;
    }
  }
}

/** When an event at `time` leaves the window; null when it never does. */
function windowLeaves(window: MetricWindow, time: number, now: number, utcOffsetMinutes: number): number | null {
  switch (window.kind) {
    case 'all':
      return null;
    case 'days':
      return time + window.days * DAY;
    case 'calendar_year':
      return yearBounds(now, utcOffsetMinutes)[1];
    default: {
      const unreachable: never = window;
      return unreachable;
    }
  }
}

/** The values a property path yields for one event: `items[].category` flattens, `@time` is the event time. */
function propertyValues(event: MetricEvent, path: string, utcOffsetMinutes: number): unknown[] {
  if (path === '@time') return [event.occurredAt];
  if (path === '@one') return [1];
  if (path === '@paid_order_id') return event.paidOrderId === undefined ? [] : [event.paidOrderId];
  if (path === '@hour_band') return [hourBand(new Date(event.occurredAt + utcOffsetMinutes * 60_000).getUTCHours())];
  const arrayAt = path.indexOf('[].');
  if (arrayAt >= 0) {
    const list = event.properties[path.slice(0, arrayAt)];
    if (!Array.isArray(list)) return [];
    const rest = path.slice(arrayAt + 3);
    if (rest === '@days_after_launch') return list.flatMap((item: unknown) => daysAfterLaunch(event, item, utcOffsetMinutes));
    return list.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[rest] : undefined)).filter((value) => value !== undefined && value !== null);
  }
  const value = event.properties[path];
  return value === undefined || value === null ? [] : [value];
}

/** A customer's 1–5 score from already computed metric values; null when not scored. */
function scoreValue(formula: ScoreMetric, values: Readonly<Record<string, unknown>>): number | null {
  const value = values[formula.metric];
  const gate = formula.onlyIf === undefined ? 1 : values[formula.onlyIf];
  if (typeof value !== 'number' || typeof gate !== 'number' || gate < 1) return null;
  // Lower is better scores the same buckets reversed: a value at a cut-off is in the bucket below
  // it, for F and M the worse one and for R the better one, so that each score holds the same
  // share of customers whichever way a metric points.
  return 1 + formula.cutoffs.filter((cutoff) => (formula.lowerIsBetter ? value <= cutoff : value > cutoff)).length;
}

/**
 * Whole days from an item's `launched_at` to the purchase; nothing for an item without one or
 * bought before it. A `launched_at` without an offset is on the workspace's clock, as every time sent is.
 */
function daysAfterLaunch(event: MetricEvent, item: unknown, utcOffsetMinutes: number): number[] {
  const launched = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).launched_at : undefined;
  const at = typeof launched === 'string' ? parseWorkspaceTime(launched, utcOffsetMinutes) : undefined;
  if (at === undefined || at > event.occurredAt) return [];
  return [Math.floor((event.occurredAt - at) / DAY)];
}

/** `propertyValues` for every event, in event order, without an array per event for the common paths. */
function collectValues(events: readonly MetricEvent[], path: string, utcOffsetMinutes: number): unknown[] {
  const out: unknown[] = [];
  if (path === '@time') {
    for (const event of events) out.push(event.occurredAt);
  } else if (path === '@one') {
    for (let k = 0; k < events.length; k++) out.push(1);
  } else if (path.startsWith('@') || path.includes('[].')) {
    for (const event of events) for (const value of propertyValues(event, path, utcOffsetMinutes)) out.push(value);
  } else {
    for (const event of events) {
      const value = event.properties[path];
      if (value !== undefined && value !== null) out.push(value);
    }
  }
  return out;
}

function aggregate(formula: AggregateMetric, events: readonly MetricEvent[], utcOffsetMinutes: number): MetricValue {
  const property = formula.property;
  switch (formula.aggregation) {
    case 'count':
      return events.length;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return numericAggregate(formula.aggregation, events, property ?? '@time', utcOffsetMinutes);
    case 'first':
    case 'last': {
      const path = property ?? '@time';
      const first = formula.aggregation === 'first';
      for (let k = 0; k < events.length; k++) {
        const event = events[first ? k : events.length - 1 - k] as MetricEvent;
        const value = path === '@time' ? event.occurredAt : propertyValues(event, path, utcOffsetMinutes)[0];
        if (typeof value === 'number' || typeof value === 'string') return asPickedValue(value, path === '@time' ? undefined : formula.valueType);
      }
      return null;
    }
    case 'gap_days': {
      const last = events[events.length - 1];
      const previous = events[events.length - 2];
      return last && previous ? Math.floor((last.occurredAt - previous.occurredAt) / DAY) : null;
    }
    case 'distinct_count':
      return new Set(collectValues(events, property ?? '@time', utcOffsetMinutes).map((value) => JSON.stringify(value))).size;
    case 'most_frequent': {
      // Ties go to the value seen most recently, so a customer's latest habit wins.
      const counts = new Map<string, { count: number; last: number }>();
      const path = property ?? '@hour_band';
      const plain = isPlainProperty(path);
      for (const event of events) {
        if (plain) {
          countValue(counts, event.properties[path], event.occurredAt);
        } else {
          for (const value of propertyValues(event, path, utcOffsetMinutes)) countValue(counts, value, event.occurredAt);
        }
      }
      let best: [string, { count: number; last: number }] | undefined;
      for (const entry of counts) {
        if (!best || entry[1].count > best[1].count || (entry[1].count === best[1].count && (entry[1].last > best[1].last || (entry[1].last === best[1].last && entry[0] < best[0])))) best = entry;
      }
      return best?.[0] ?? null;
    }
    default: {
      const unreachable: never = formula.aggregation;
      return unreachable;
    }
  }
}

/** A path that names one top-level property: read directly, without the array `propertyValues` makes. */
function isPlainProperty(path: string): boolean {
  return !path.startsWith('@') && !path.includes('[].');
}

function countValue(counts: Map<string, { count: number; last: number }>, value: unknown, occurredAt: number): void {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const key = String(value);
  const entry = counts.get(key);
  if (entry) {
    entry.count++;
    entry.last = Math.max(entry.last, occurredAt);
  } else {
    counts.set(key, { count: 1, last: occurredAt });
  }
}

/**
 * Sum, average, minimum or maximum of the finite numbers a path yields, folded in event order
 * without collecting them first: the additions happen in the same order as a sum over the
 * collected list, and a pairwise `Math.min`/`Math.max` fold gives what one call over the list gives.
 */
function numericAggregate(aggregation: 'sum' | 'avg' | 'min' | 'max', events: readonly MetricEvent[], path: string, utcOffsetMinutes: number): MetricValue {
  const fold: NumericFold = { total: 0, count: 0, extreme: NaN, min: aggregation === 'min' };
  if (path === '@time') {
    for (const event of events) foldNumber(fold, event.occurredAt);
  } else if (path === '@one') {
    for (let k = 0; k < events.length; k++) foldNumber(fold, 1);
  } else if (isPlainProperty(path)) {
    for (const event of events) foldNumber(fold, event.properties[path]);
  } else {
    for (const value of collectValues(events, path, utcOffsetMinutes)) foldNumber(fold, value);
  }
  if (aggregation === 'sum') return roundMoney(fold.total);
  if (fold.count === 0) return null;
  if (aggregation === 'avg') return roundMoney(fold.total / fold.count);
  return fold.extreme;
}

interface NumericFold {
  total: number;
  count: number;
  extreme: number;
  min: boolean;
}

function foldNumber(fold: NumericFold, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) return;
  fold.total += value;
  fold.extreme = fold.count === 0 ? value : fold.min ? Math.min(fold.extreme, value) : Math.max(fold.extreme, value);
  fold.count++;
}

/** Money sums keep two decimals, so that 0.1 + 0.2 reads 0.3 in every store. */
function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Index of the first event (in time order) strictly after `from`. */
function firstAfter(events: readonly MetricEvent[], from: number): number {
  if (from === -Infinity) return 0;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((events[middle] as MetricEvent).occurredAt > from) high = middle;
    else low = middle + 1;
  }
  return low;
}

const NO_TAGS: ReadonlyMap<string, ReadonlySet<string>> = new Map();
const NO_METRICS: Readonly<Record<string, MetricValue>> = Object.freeze({});

function inTimeOrder(events: readonly MetricEvent[]): boolean {
  for (let k = 1; k < events.length; k++) if ((events[k] as MetricEvent).occurredAt < (events[k - 1] as MetricEvent).occurredAt) return false;
  return true;
}

function orderKey(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * The events with each refund's `amount` as much as it can count: at most what is still
 * unrefunded of its order (the customer's `order_paid` events of that `order_id`, less the
 * refunds before it), so that partial refunds of one order never add up to more than was paid.
 * A refund of an order the customer has no paid event for (one from before the data began)
 * counts its whole amount. A refund of a paid order carries that order's id in `paidOrderId`
 * (what the refund rate counts). The same events, unchanged, when a customer has no refund.
 */
function capRefunds(events: readonly MetricEvent[]): readonly MetricEvent[] {
  if (!events.some((event) => event.type === REFUND_EVENT)) return events;
  const unrefunded = new Map<string, number>();
  for (const event of events) {
    if (event.type !== ORDER_EVENT) continue;
    const order = orderKey(event.properties.order_id);
    const amount = event.properties.amount;
    if (order !== undefined && typeof amount === 'number' && Number.isFinite(amount)) unrefunded.set(order, roundMoney((unrefunded.get(order) ?? 0) + amount));
  }
  return events.map((event) => {
    if (event.type !== REFUND_EVENT) return event;
    const order = orderKey(event.properties.order_id);
    const left = order === undefined ? undefined : unrefunded.get(order);
    if (order === undefined || left === undefined) return event;
    const amount = event.properties.amount;
    let properties = event.properties;
    if (typeof amount === 'number' && Number.isFinite(amount)) {
      const counted = Math.max(0, Math.min(amount, left));
      unrefunded.set(order, roundMoney(left - counted));
      if (counted !== amount) properties = { ...properties, amount: counted };
    }
    // Built field by field: a stored event reads its properties through a getter, which a spread would drop.
    return { type: event.type, occurredAt: event.occurredAt, properties, paidOrderId: order };
  });
}

export function referenceComputeMetrics(plan: MetricPlan, events: readonly MetricEvent[], now: number, utcOffsetMinutes: number): MetricResult {
  // Stored events usually arrive in time order already; the sort is stable, so skipping it then changes nothing.
  const sorted = capRefunds(inTimeOrder(events) ? events : [...events].sort((a, b) => a.occurredAt - b.occurredAt));
  const byType = new Map<string, MetricEvent[]>();
  for (const event of sorted) {
    const list = byType.get(event.type) ?? [];
    list.push(event);
    byType.set(event.type, list);
  }
  const values: Record<string, MetricValue> = {};
  const filterOptions = { utcOffsetMinutes };
  let validUntil: number | null = null;
  const changeAt = (time: number | null) => {
    if (time !== null && time > now && (validUntil === null || time < validUntil)) validUntil = time;
  };
  for (const definition of plan.order) {
    const formula = definition.formula;
    switch (formula.kind) {
      case 'aggregate': {
        const filter = plan.filters.get(definition.key);
        const candidates = formula.eventType === '*' ? sorted : (byType.get(formula.eventType) ?? []);
        // Candidates are in time order, so the window is a suffix: found by bisection, and
        // shared rather than copied when it is everything.
        const start = firstAfter(candidates, windowStart(formula.window, now, utcOffsetMinutes));
        const windowed = start === 0 ? candidates : candidates.slice(start);
        const inWindow = filter
          ? windowed.filter((event) => evaluateExpression(filter, { tags: NO_TAGS, fields: event.properties as Record<string, string | number | boolean | null>, metrics: NO_METRICS }, now, filterOptions))
          : windowed;
        values[definition.key] = aggregate(formula, inWindow, utcOffsetMinutes);
        const oldest = inWindow[0];
        if (oldest) changeAt(windowLeaves(formula.window, oldest.occurredAt, now, utcOffsetMinutes));
        break;
      }
      case 'ratio': {
        const numerator = values[formula.numerator];
        const denominator = values[formula.denominator];
        values[definition.key] = typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
        break;
      }
      case 'difference': {
        const minuend = values[formula.minuend];
        const subtrahend = values[formula.subtrahend] ?? 0;
        // Rounded as sums are: 2500.1 − 542.4 is 1957.6999999999998 in floating point, which a
        // threshold or a score cut-off taken from it would show.
        values[definition.key] = typeof minuend === 'number' && typeof subtrahend === 'number' ? Math.max(roundMoney(minuend - subtrahend), formula.atLeast ?? -Infinity) : null;
        break;
      }
      case 'score':
        values[definition.key] = scoreValue(formula, values);
        break;
      case 'days_since': {
        const since = values[formula.metric];
        if (typeof since === 'number') {
          const days = Math.max(0, Math.floor((now - since) / DAY));
          values[definition.key] = days;
          changeAt(since + (days + 1) * DAY);
        } else {
          values[definition.key] = null;
        }
        break;
      }
      default: {
        const unreachable: never = formula;
        return unreachable;
      }
    }
  }
  return { values, validUntil };
}
