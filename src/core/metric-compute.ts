// Computes one customer's metrics from that customer's events, and when they next change
// by time alone. Pure: events and `now` are passed in, so the real-time path, the
// scheduler and `recompute` all reach the same values from the same events.
import type { ItemError } from './errors.js';
import { diagnosticItem, diagnosticText } from './expression-errors.js';
import { compileExpression, evaluateExpression, type BoundExpression, type CatalogAttribute } from './expression/index.js';
import { SHOP_SENT_EVENT_TYPES } from './event.js';
import { BUILTIN_EVENT_PROPERTY_TYPES } from './event-properties.js';
import { localized, type LocalizedText } from './locale.js';
import { parseWorkspaceTime } from './time.js';
import { asPickedValue, hourBand, type AggregateMetric, type MetricDefinition, type MetricValue, type MetricWindow, type ScoreMetric } from './metric.js';

const DAY = 86_400_000;

/** The events whose amounts `capRefunds` weighs against each other, by their `order_id`. */
export const ORDER_EVENT = 'order_paid';
export const REFUND_EVENT = 'order_refunded';

/** What `*` (every event type) leaves out: the types the shop sends (`SHOP_SENT_EVENT_TYPES`), not the customer's doing. */
const SHOP_SENT: ReadonlySet<string> = new Set(SHOP_SENT_EVENT_TYPES);

export interface MetricEvent {
  type: string;
  occurredAt: number;
  properties: Record<string, unknown>;
  /** Of a refund whose order the customer paid (an `order_paid` of its `order_id`): that order_id, set by `capRefunds`. */
  paidOrderId?: string | undefined;
}

export interface MetricResult {
  values: Record<string, MetricValue>;
  /** The next instant at which a value changes with no new event; null when none will. */
  validUntil: number | null;
}

export interface MetricPlan {
  definitions: readonly MetricDefinition[];
  /** Definitions in an order where every derived metric comes after what it reads. */
  order: MetricDefinition[];
  filters: Map<string, BoundExpression>;
  /** The plan as `computeMetrics` walks it. */
  compiled: CompiledPlan;
}

/**
 * Problems with a set of definitions: unknown metrics read, cycles, filters that do not
 * compile. `message` is the English, for logs; `text` has it in every language, and `items`
 * each diagnostic of a filter with its place.
 */
export class MetricDefinitionError extends Error {
  readonly text: LocalizedText;
  readonly items: ItemError[] | undefined;

  constructor(text: LocalizedText, items?: ItemError[]) {
    super(text.en);
    this.name = 'MetricDefinitionError';
    this.text = text;
    this.items = items;
  }
}

function filterCatalogFor(eventType: string): CatalogAttribute[] {
  const known = BUILTIN_EVENT_PROPERTY_TYPES[eventType];
  return known ? Object.entries(known).map(([key, type]) => ({ key, type })) : [];
}

/** Orders definitions and compiles their filters once; reuse the plan for every customer. */
export function planMetrics(definitions: readonly MetricDefinition[]): MetricPlan {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const order: MetricDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (definition: MetricDefinition, path: string[]) => {
    const seen = state.get(definition.key);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path, definition.key].join(' → ');
      throw new MetricDefinitionError(localized(`metrics read each other in a cycle: ${cycle}`, `指标之间形成了循环引用：${cycle}`));
    }
    state.set(definition.key, 'visiting');
    for (const input of derivedInputs(definition)) {
      const dependency = byKey.get(input);
      if (!dependency) throw new MetricDefinitionError(localized(`metric "${definition.key}" reads unknown metric "${input}"`, `指标「${definition.key}」引用了不存在的指标「${input}」`));
      visit(dependency, [...path, definition.key]);
    }
    state.set(definition.key, 'done');
    order.push(definition);
  };
  for (const definition of definitions) visit(definition, []);

  const filters = new Map<string, BoundExpression>();
  for (const definition of definitions) {
    const formula = definition.formula;
    if (formula.kind !== 'aggregate' || formula.filter === undefined) continue;
    const compiled = compileExpression(formula.filter, { tags: [], fields: filterCatalogFor(formula.eventType), metrics: [], segments: [] });
    if (!compiled.bound) {
      const first = compiled.diagnostics[0];
      const problem = first ? diagnosticText(first) : undefined;
      throw new MetricDefinitionError(
        localized(
          `metric "${definition.key}": filter ${problem && first ? `${problem.en} (column ${first.column})` : 'does not compile'}`,
          `指标「${definition.key}」的筛选条件：${problem && first ? `${problem['zh-CN']}（第 ${first.column} 列）` : '无法编译'}`,
        ),
        compiled.diagnostics.map((diagnostic) => diagnosticItem(diagnostic, 0, 'filter')),
      );
    }
    filters.set(definition.key, compiled.bound);
  }
  return { definitions, order, filters, compiled: compilePlan(order, filters) };
}

function derivedInputs(definition: MetricDefinition): string[] {
  const formula = definition.formula;
  switch (formula.kind) {
    case 'aggregate':
      return [];
    case 'ratio':
      return [formula.numerator, formula.denominator];
    case 'difference':
      return [formula.minuend, formula.subtrahend];
    case 'days_since':
      return [formula.metric];
    case 'score':
      return formula.onlyIf === undefined ? [formula.metric] : [formula.metric, formula.onlyIf];
    default: {
      const unreachable: never = formula;
      return unreachable;
    }
  }
}

/**
 * Which stored events can change a plan's values at `now`, so that a recompute reads only
 * those. An event of a type read only by windowed metrics matters while it is inside the
 * widest of those windows; types read by an all-time metric matter entirely. Of the types no
 * metric reads by name, only the first and last event times reach `*` metrics of the form
 * first/last time over all time (`last_active_at`); any other `*` metric needs every event.
 * Either way `*` reads only what the customer did: the first and last times are those of the
 * customer's own events (`SHOP_SENT_EVENT_TYPES` left out), as `computeMetrics` reads them.
 */
export type EventSelection =
  | { kind: 'all' }
  | {
      kind: 'some';
      /** Every event of these types. */
      allOf: string[];
      /** Events of the type strictly after the instant. */
      after: Map<string, number>;
      /** Whether the customer's first and last event times are needed (see `extremeEvents`). */
      extremes: boolean;
    };

/** The event type of the stand-ins `extremeEvents` makes: no metric can read it by name. */
export const EXTREME_EVENT_TYPE = '@extreme';

export function selectEvents(plan: MetricPlan, now: number, utcOffsetMinutes: number): EventSelection {
  const allOf = new Set<string>();
  const after = new Map<string, number>();
  let extremes = false;
  for (const definition of plan.definitions) {
    const formula = definition.formula;
    if (formula.kind !== 'aggregate') continue;
    if (formula.eventType === '*') {
      const timeOnly = formula.property === undefined || formula.property === '@time';
      if (formula.window.kind === 'all' && (formula.aggregation === 'first' || formula.aggregation === 'last') && timeOnly && formula.filter === undefined) extremes = true;
      else return { kind: 'all' };
    } else if (formula.window.kind === 'all') {
      allOf.add(formula.eventType);
    } else {
      const from = windowStart(formula.window, now, utcOffsetMinutes);
      after.set(formula.eventType, Math.min(from, after.get(formula.eventType) ?? Infinity));
    }
  }
  // A refund counts against its order's earlier refunds and its amount (`capRefunds`), whenever they were.
  if (allOf.has(REFUND_EVENT) || after.has(REFUND_EVENT)) {
    allOf.add(REFUND_EVENT);
    allOf.add(ORDER_EVENT);
  }
  for (const type of allOf) after.delete(type);
  return { kind: 'some', allOf: [...allOf], after, extremes };
}

/**
 * Stand-ins for a customer's first and last events of their own doing (no shop-sent type) when
 * `selectEvents` left the rest out: only `*` first/last-time metrics read them, and duplicates
 * of loaded events change neither.
 */
export function extremeEvents(first: number, last: number): MetricEvent[] {
  return [
    { type: EXTREME_EVENT_TYPE, occurredAt: first, properties: {} },
    { type: EXTREME_EVENT_TYPE, occurredAt: last, properties: {} },
  ];
}

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
export function scoreValue(formula: ScoreMetric, values: Readonly<Record<string, unknown>>): number | null {
  return scoreOf(formula, values[formula.metric], formula.onlyIf === undefined ? 1 : values[formula.onlyIf]);
}

function scoreOf(formula: ScoreMetric, value: unknown, gate: unknown): number | null {
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

/**
 * A property path taken apart once per plan: the `@` attributes by name, a top-level property,
 * or the list and item property of `list[].item` (`@days_after_launch` as the item part).
 */
interface PathReader {
  kind: 'time' | 'one' | 'paid_order' | 'hour_band' | 'plain' | 'items' | 'days_after_launch' | 'other';
  path: string;
  /** The property read: the whole path for `plain`, the list's for `items` and `days_after_launch`. */
  name: string;
  /** The item's property, for `items`. */
  item: string;
}

function pathReader(path: string): PathReader {
  if (path === '@time') return { kind: 'time', path, name: '', item: '' };
  if (path === '@one') return { kind: 'one', path, name: '', item: '' };
  if (path === '@paid_order_id') return { kind: 'paid_order', path, name: '', item: '' };
  if (path === '@hour_band') return { kind: 'hour_band', path, name: '', item: '' };
  const arrayAt = path.indexOf('[].');
  if (arrayAt >= 0) {
    const rest = path.slice(arrayAt + 3);
    return { kind: rest === '@days_after_launch' ? 'days_after_launch' : 'items', path, name: path.slice(0, arrayAt), item: rest };
  }
  // Any other `@` name yields what `propertyValues` gives it: the property of that name.
  return { kind: path.startsWith('@') ? 'other' : 'plain', path, name: path, item: '' };
}

/**
 * Calls `visit` with each value `propertyValues` yields for the event, in its order, without
 * the array it makes for the common paths.
 */
function eachValue<State>(event: MetricEvent, reader: PathReader, utcOffsetMinutes: number, state: State, visit: (state: State, value: unknown, event: MetricEvent) => void): void {
  switch (reader.kind) {
    case 'time':
      visit(state, event.occurredAt, event);
      return;
    case 'one':
      visit(state, 1, event);
      return;
    case 'plain': {
      const value = event.properties[reader.name];
      if (value !== undefined && value !== null) visit(state, value, event);
      return;
    }
    case 'items': {
      const list = event.properties[reader.name];
      if (!Array.isArray(list)) return;
      for (let k = 0; k < list.length; k++) {
        const item: unknown = list[k];
        const value = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[reader.item] : undefined;
        if (value !== undefined && value !== null) visit(state, value, event);
      }
      return;
    }
    default:
      for (const value of propertyValues(event, reader.path, utcOffsetMinutes)) visit(state, value, event);
  }
}

/** The first value `propertyValues` yields for the event; undefined when none. */
function firstValue(event: MetricEvent, reader: PathReader, utcOffsetMinutes: number): unknown {
  switch (reader.kind) {
    case 'time':
      return event.occurredAt;
    case 'plain': {
      const value = event.properties[reader.name];
      return value === null ? undefined : value;
    }
    default:
      return propertyValues(event, reader.path, utcOffsetMinutes)[0];
  }
}

/** The events `events[from…]` as an aggregation of them gives its value. */
function aggregate(step: AggregateStep, events: readonly MetricEvent[], from: number, utcOffsetMinutes: number): MetricValue {
  const reader = step.reader;
  switch (step.formula.aggregation) {
    case 'count':
      return events.length - from;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return numericAggregate(step.formula.aggregation, events, from, reader, utcOffsetMinutes);
    case 'first':
    case 'last': {
      const first = step.formula.aggregation === 'first';
      const time = reader.kind === 'time';
      for (let k = from; k < events.length; k++) {
        const event = events[first ? k : events.length - 1 - (k - from)] as MetricEvent;
        const value = time ? event.occurredAt : firstValue(event, reader, utcOffsetMinutes);
        if (typeof value === 'number' || typeof value === 'string') return asPickedValue(value, time ? undefined : step.formula.valueType);
      }
      return null;
    }
    case 'gap_days': {
      if (events.length - from < 2) return null;
      const last = events[events.length - 1] as MetricEvent;
      const previous = events[events.length - 2] as MetricEvent;
      return Math.floor((last.occurredAt - previous.occurredAt) / DAY);
    }
    case 'distinct_count': {
      const seen = new Set<string | undefined>();
      for (let k = from; k < events.length; k++) eachValue(events[k] as MetricEvent, reader, utcOffsetMinutes, seen, addDistinct);
      return seen.size;
    }
    case 'most_frequent': {
      // Ties go to the value seen most recently, so a customer's latest habit wins.
      const counts = new Map<string, { count: number; last: number }>();
      if (reader.kind === 'plain') {
        for (let k = from; k < events.length; k++) {
          const event = events[k] as MetricEvent;
          countValue(counts, event.properties[reader.name], event.occurredAt);
        }
      } else {
        for (let k = from; k < events.length; k++) eachValue(events[k] as MetricEvent, reader, utcOffsetMinutes, counts, countEventValue);
      }
      let best: [string, { count: number; last: number }] | undefined;
      for (const entry of counts) {
        if (!best || entry[1].count > best[1].count || (entry[1].count === best[1].count && (entry[1].last > best[1].last || (entry[1].last === best[1].last && entry[0] < best[0])))) best = entry;
      }
      return best?.[0] ?? null;
    }
    default: {
      const unreachable: never = step.formula.aggregation;
      return unreachable;
    }
  }
}

function addDistinct(seen: Set<string | undefined>, value: unknown): void {
  seen.add(JSON.stringify(value));
}

function countEventValue(counts: Map<string, { count: number; last: number }>, value: unknown, event: MetricEvent): void {
  countValue(counts, value, event.occurredAt);
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
function numericAggregate(aggregation: 'sum' | 'avg' | 'min' | 'max', events: readonly MetricEvent[], from: number, reader: PathReader, utcOffsetMinutes: number): MetricValue {
  const fold: NumericFold = { total: 0, count: 0, extreme: NaN, min: aggregation === 'min' };
  if (reader.kind === 'time') {
    for (let k = from; k < events.length; k++) foldNumber(fold, (events[k] as MetricEvent).occurredAt);
  } else if (reader.kind === 'one') {
    for (let k = from; k < events.length; k++) foldNumber(fold, 1);
  } else if (reader.kind === 'plain') {
    for (let k = from; k < events.length; k++) foldNumber(fold, (events[k] as MetricEvent).properties[reader.name]);
  } else {
    for (let k = from; k < events.length; k++) eachValue(events[k] as MetricEvent, reader, utcOffsetMinutes, fold, foldNumber);
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
export function capRefunds(events: readonly MetricEvent[]): readonly MetricEvent[] {
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

/** One aggregate metric of a plan, read apart once: which events it reads, from where, and how. */
interface AggregateStep {
  kind: 'aggregate';
  key: string;
  formula: AggregateMetric;
  filter: BoundExpression | undefined;
  /** Index into the per-type lists `computeMetrics` makes; -1 for `*` (every event the customer did). */
  type: number;
  /** Index into the plan's windows. */
  window: number;
  reader: PathReader;
}

/** A derived metric of a plan, with the places of the values it reads. */
interface DerivedStep {
  kind: 'derived';
  key: string;
  formula: Exclude<MetricDefinition['formula'], AggregateMetric>;
  inputs: number[];
}

/** A plan's metrics as `computeMetrics` walks them: in `order`, each value at its index there. */
interface CompiledPlan {
  steps: (AggregateStep | DerivedStep)[];
  /** The event types read by name, at their index in `types`. */
  typeIndex: Map<string, number>;
  types: number;
  windows: MetricWindow[];
  /**
   * The keys in `order`, each null: cloned for each customer's values, so that they keep one shape.
   * Undefined when a metric is keyed `__proto__`: then the values are set key by key as they always
   * were, and that key sets the object's prototype rather than a value.
   */
  template: Record<string, MetricValue> | undefined;
  /** The index of a metric keyed `__proto__`; -1 when none. */
  protoSlot: number;
  /** The windows' starts for the last `now` and offset asked (the same for a whole batch or recompute). */
  startsAt: { now: number; utcOffsetMinutes: number; starts: number[]; yearEnd: number } | undefined;
}

/** What an aggregation without a property reads: the event time, or its time of day for the most frequent. */
function defaultPath(aggregation: AggregateMetric['aggregation']): string {
  return aggregation === 'most_frequent' ? '@hour_band' : '@time';
}

function compilePlan(order: readonly MetricDefinition[], filters: ReadonlyMap<string, BoundExpression>): CompiledPlan {
  const slots = new Map(order.map((definition, index) => [definition.key, index]));
  const typeIndex = new Map<string, number>();
  const windows: MetricWindow[] = [];
  const steps = order.map((definition): AggregateStep | DerivedStep => {
    const formula = definition.formula;
    if (formula.kind !== 'aggregate') return { kind: 'derived', key: definition.key, formula, inputs: derivedInputs(definition).map((key) => slots.get(key) ?? -1) };
    let type = -1;
    if (formula.eventType !== '*') {
      type = typeIndex.get(formula.eventType) ?? typeIndex.size;
      typeIndex.set(formula.eventType, type);
    }
    let window = windows.findIndex((known) => sameWindow(known, formula.window));
    if (window < 0) window = windows.push(formula.window) - 1;
    return { kind: 'aggregate', key: definition.key, formula, filter: filters.get(definition.key), type, window, reader: pathReader(formula.property ?? defaultPath(formula.aggregation)) };
  });
  const protoSlot = slots.get('__proto__') ?? -1;
  const template = protoSlot < 0 ? Object.fromEntries(order.map((definition) => [definition.key, null])) : undefined;
  return { steps, typeIndex, types: typeIndex.size, windows, template, protoSlot, startsAt: undefined };
}

function sameWindow(a: MetricWindow, b: MetricWindow): boolean {
  return a.kind === b.kind && (a.kind !== 'days' || (b.kind === 'days' && Object.is(a.days, b.days)));
}

/** The instant an event must be strictly after to be inside each of the plan's windows, at `now`. */
function windowStarts(compiled: CompiledPlan, now: number, utcOffsetMinutes: number): { starts: number[]; yearEnd: number } {
  const known = compiled.startsAt;
  if (known && known.now === now && known.utcOffsetMinutes === utcOffsetMinutes) return known;
  const [yearStart, yearEnd] = yearBounds(now, utcOffsetMinutes);
  const starts = compiled.windows.map((window) => (window.kind === 'calendar_year' ? yearStart : windowStart(window, now, utcOffsetMinutes)));
  compiled.startsAt = { now, utcOffsetMinutes, starts, yearEnd };
  return compiled.startsAt;
}

const NO_EVENTS: readonly MetricEvent[] = [];

/**
 * A derived metric's input, as reading it from the values set key by key gave it: a metric keyed
 * `__proto__` reads as the values' prototype (none once its value was null), not as its value.
 */
function input(compiled: CompiledPlan, slots: readonly MetricValue[], index: number): unknown {
  if (index !== compiled.protoSlot) return slots[index];
  return slots[index] === null ? undefined : Object.prototype;
}

function isCustomersOwn(event: MetricEvent): boolean {
  return !SHOP_SENT.has(event.type);
}

export function computeMetrics(plan: MetricPlan, events: readonly MetricEvent[], now: number, utcOffsetMinutes: number): MetricResult {
  const compiled = plan.compiled;
  // Stored events usually arrive in time order already; the sort is stable, so skipping it then changes nothing.
  const sorted = capRefunds(inTimeOrder(events) ? events : [...events].sort((a, b) => a.occurredAt - b.occurredAt));
  const byType: (MetricEvent[] | undefined)[] = new Array<MetricEvent[] | undefined>(compiled.types);
  let shopSent = false;
  for (let k = 0; k < sorted.length; k++) {
    const event = sorted[k] as MetricEvent;
    if (SHOP_SENT.has(event.type)) shopSent = true;
    const type = compiled.typeIndex.get(event.type);
    if (type === undefined) continue;
    const list = byType[type];
    if (list) list.push(event);
    else byType[type] = [event];
  }
  // What `*` reads: the customer's own events, without what the shop sent them.
  const own = shopSent ? sorted.filter(isCustomersOwn) : sorted;
  const { starts, yearEnd } = windowStarts(compiled, now, utcOffsetMinutes);
  const slots: MetricValue[] = new Array<MetricValue>(compiled.steps.length);
  const filterOptions = { utcOffsetMinutes };
  let validUntil: number | null = null;
  for (let index = 0; index < compiled.steps.length; index++) {
    const step = compiled.steps[index] as AggregateStep | DerivedStep;
    let changesAt: number | null = null;
    if (step.kind === 'aggregate') {
      const candidates = step.type < 0 ? own : (byType[step.type] ?? NO_EVENTS);
      // Candidates are in time order, so the window is a suffix: found by bisection, and read
      // in place rather than copied.
      let inWindow = candidates;
      let from = firstAfter(candidates, starts[step.window] as number);
      const filter = step.filter;
      if (filter) {
        const kept: MetricEvent[] = [];
        for (let k = from; k < candidates.length; k++) {
          const event = candidates[k] as MetricEvent;
          if (evaluateExpression(filter, { tags: NO_TAGS, fields: event.properties as Record<string, string | number | boolean | null>, metrics: NO_METRICS }, now, filterOptions)) kept.push(event);
        }
        inWindow = kept;
        from = 0;
      }
      slots[index] = aggregate(step, inWindow, from, utcOffsetMinutes);
      const oldest = inWindow[from];
      if (oldest) {
        const window = step.formula.window;
        changesAt = window.kind === 'all' ? null : window.kind === 'days' ? oldest.occurredAt + window.days * DAY : yearEnd;
      }
    } else {
      const formula = step.formula;
      const first = input(compiled, slots, step.inputs[0] as number);
      switch (formula.kind) {
        case 'ratio': {
          const denominator = input(compiled, slots, step.inputs[1] as number);
          slots[index] = typeof first === 'number' && typeof denominator === 'number' && denominator !== 0 ? Math.round((first / denominator) * 10_000) / 10_000 : null;
          break;
        }
        case 'difference': {
          const subtrahend = input(compiled, slots, step.inputs[1] as number) ?? 0;
          // Rounded as sums are: 2500.1 − 542.4 is 1957.6999999999998 in floating point, which a
          // threshold or a score cut-off taken from it would show.
          slots[index] = typeof first === 'number' && typeof subtrahend === 'number' ? Math.max(roundMoney(first - subtrahend), formula.atLeast ?? -Infinity) : null;
          break;
        }
        case 'score': {
          const gate = formula.onlyIf === undefined ? 1 : input(compiled, slots, step.inputs[1] as number);
          slots[index] = scoreOf(formula, first, gate);
          break;
        }
        case 'days_since': {
          if (typeof first === 'number') {
            const days = Math.max(0, Math.floor((now - first) / DAY));
            slots[index] = days;
            changesAt = first + (days + 1) * DAY;
          } else {
            slots[index] = null;
          }
          break;
        }
        default: {
          const unreachable: never = formula;
          return unreachable;
        }
      }
    }
    if (changesAt !== null && changesAt > now && (validUntil === null || changesAt < validUntil)) validUntil = changesAt;
  }
  // Cloned from the plan's template, so that every customer's values share one shape (keys set one
  // by one would make each a dictionary), in the plan's order as before.
  const values: Record<string, MetricValue> = compiled.template ? { ...compiled.template } : {};
  for (let index = 0; index < compiled.steps.length; index++) values[(compiled.steps[index] as AggregateStep | DerivedStep).key] = slots[index] as MetricValue;
  return { values, validUntil };
}
