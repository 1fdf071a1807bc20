// Metrics (computed traits): per-customer numbers, times and strings derived from events
// over a window — spend in the last 365 days, last order time, preferred category.
import { z } from 'zod';
import { displayName } from './display-name.js';
import { BUILTIN_EVENT_PROPERTY_TYPES, ORDER_ITEM_PROPERTY_TYPES } from './event-properties.js';
import { localized, type LocalizedText } from './locale.js';
import { KEY_PATTERN, KEY_RULE } from './names.js';

/** `gap_days`: whole days between the last event and the one before it (what "came back after a long absence" reads). */
export const AGGREGATIONS = ['count', 'sum', 'avg', 'min', 'max', 'first', 'last', 'distinct_count', 'most_frequent', 'gap_days'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const METRIC_VALUE_TYPES = ['number', 'timestamp', 'string'] as const;
export type MetricValueType = (typeof METRIC_VALUE_TYPES)[number];

export type MetricWindow = { kind: 'all' } | { kind: 'days'; days: number } | { kind: 'calendar_year' };

/**
 * An aggregation of one event type's events. `property` names what is aggregated:
 * a property (`amount`), a property of every item (`items[].category`), or one of the
 * event's own attributes `@time` (the event time) and `@hour_band` (morning, afternoon,
 * evening, night in the workspace's time zone). `count` needs no property; `first`/`last`
 * without one give the event time.
 */
export interface AggregateMetric {
  kind: 'aggregate';
  aggregation: Aggregation;
  eventType: string;
  property?: string | undefined;
  /** An expression over event properties (`channel = "online" and amount >= 100`). */
  filter?: string | undefined;
  window: MetricWindow;
  /**
   * What a `first` or `last` of a property holds, as declared (or found in the events) when the
   * metric was: `string` keeps every value as text (a number is stored as its text), `number`
   * keeps numbers (text that reads as a number becomes one; other text gives no value). Stored
   * definitions of before got theirs on upgrading (migration 0038); without it (a definition that
   * never went through either) the type is as `metricValueType` infers it from the property.
   */
  valueType?: PickedValueType | undefined;
}

/** The value types a `first` or `last` of a property may declare. */
export const PICKED_VALUE_TYPES = ['number', 'string'] as const;
export type PickedValueType = (typeof PICKED_VALUE_TYPES)[number];

/** A metric computed from other metrics of the same customer (and the clock for `days_since`). */
export type DerivedMetric =
  | { kind: 'ratio'; numerator: string; denominator: string }
  | { kind: 'difference'; minuend: string; subtrahend: string; atLeast?: number | undefined }
  | { kind: 'days_since'; metric: string }
  | ScoreMetric;

/**
 * A 1–5 score of another metric against four ascending cut-offs (quintiles of the customers,
 * computed by a model): one point, plus one per cut-off the value is strictly beyond — above
 * it, or below it when lower is better (days since the last order). Only customers whose
 * `onlyIf` metric is at least 1 are scored.
 */
export interface ScoreMetric {
  kind: 'score';
  metric: string;
  cutoffs: number[];
  lowerIsBetter: boolean;
  onlyIf?: string | undefined;
}

export interface MetricDefinition {
  key: string;
  /** The display name, in Chinese for the built-in metrics and those the models declare. */
  name: string;
  /** The display name in English, for the console and answers in English; optional for custom metrics. */
  name_en?: string | undefined;
  description?: string | undefined;
  formula: AggregateMetric | DerivedMetric;
}

export type MetricValue = number | string | null;

export const HOUR_BANDS = ['morning', 'afternoon', 'evening', 'night'] as const;
export type HourBand = (typeof HOUR_BANDS)[number];

/** A time of day's name as the console shows it, in each language. */
export const HOUR_BAND_LABELS: Readonly<Record<HourBand, LocalizedText>> = {
  morning: localized('morning', '上午'),
  afternoon: localized('afternoon', '下午'),
  evening: localized('evening', '晚上'),
  night: localized('night', '深夜'),
};

/** An order's channel (`order_paid`'s `channel`, online or offline) by its name. */
export const ORDER_CHANNEL_LABELS: Readonly<Record<string, LocalizedText>> = {
  online: localized('online', '线上'),
  offline: localized('offline', '线下'),
};

/** The display names of a metric's values, when its values are keys that have them (a time of day, an order's channel); undefined otherwise. */
export function metricValueLabels(definition: MetricDefinition): Readonly<Record<string, LocalizedText>> | undefined {
  const formula = definition.formula;
  if (formula.kind !== 'aggregate') return undefined;
  if (formula.property === '@hour_band') return HOUR_BAND_LABELS;
  return formula.eventType === 'order_paid' && formula.property === 'channel' ? ORDER_CHANNEL_LABELS : undefined;
}

/** 06–11 morning, 11–17 afternoon, 17–22 evening, 22–06 night. */
export function hourBand(hour: number): HourBand {
  if (hour >= 6 && hour < 11) return 'morning';
  if (hour >= 11 && hour < 17) return 'afternoon';
  if (hour >= 17 && hour < 22) return 'evening';
  return 'night';
}

const count = (eventType: string, window: MetricWindow, filter?: string): AggregateMetric => ({ kind: 'aggregate', aggregation: 'count', eventType, window, filter });
const sum = (eventType: string, property: string, window: MetricWindow): AggregateMetric => ({ kind: 'aggregate', aggregation: 'sum', eventType, property, window });
const ALL: MetricWindow = { kind: 'all' };
const days = (n: number): MetricWindow => ({ kind: 'days', days: n });

/**
 * A spend metric net of refunds, and the two hidden metrics it reads: the amount paid in its window
 * (`<key>_paid`) less the amount refunded in it (`<key>_refunded`), never below 0. A refund counts
 * in the window in which it was made, whenever its order was paid, capped at what is left unrefunded
 * of that order (`capRefunds`); this is how RFM's M counts, so spend_365d equals M at RFM's default
 * window. One definition for every window, so that all of them count refunds alike.
 */
function netSpend(key: string, window: MetricWindow, name: string, nameEn: string, span: LocalizedText): { shown: MetricDefinition; parts: MetricDefinition[] } {
  const zh = span['zh-CN'];
  return {
    shown: {
      key,
      name,
      name_en: nameEn,
      description: `Paid amount less the refunds made in the same span (${span.en}; never below 0), as RFM counts M / ${zh}支付金额扣除同期发生的退款（不低于 0），与 RFM 的 M 口径一致`,
      formula: { kind: 'difference', minuend: `${key}_paid`, subtrahend: `${key}_refunded`, atLeast: 0 },
    },
    parts: [
      { key: `${key}_paid`, name: `${zh}支付额`, name_en: `Paid amount, ${span.en}`, formula: sum('order_paid', 'amount', window) },
      { key: `${key}_refunded`, name: `${zh}退款额`, name_en: `Refunded amount, ${span.en}`, formula: sum('order_refunded', 'amount', window) },
    ],
  };
}

// The Chinese names are kept as they were: rules and segments may name a metric by them.
const NET_SPEND = [
  netSpend('spend_total', ALL, '累计消费额', 'Spend, all time, net of refunds', localized('all time', '累计')),
  netSpend('spend_30d', days(30), '近30天消费额', 'Spend, last 30 days, net of refunds', localized('last 30 days', '近30天')),
  netSpend('spend_90d', days(90), '近90天消费额', 'Spend, last 90 days, net of refunds', localized('last 90 days', '近90天')),
  netSpend('spend_365d', days(365), '近365天消费额', 'Spend, last 365 days, net of refunds', localized('last 365 days', '近365天')),
  netSpend('spend_this_year', { kind: 'calendar_year' }, '年度消费额', 'Spend this year, net of refunds', localized('this calendar year', '本年')),
];

/** The metrics every workspace has, from the domain's list. */
export const BUILTIN_METRICS: readonly MetricDefinition[] = [
  { key: 'orders_total', name: '累计订单数', name_en: 'Orders, all time', formula: count('order_paid', ALL) },
  { key: 'orders_30d', name: '近30天订单数', name_en: 'Orders, last 30 days', formula: count('order_paid', days(30)) },
  { key: 'orders_90d', name: '近90天订单数', name_en: 'Orders, last 90 days', formula: count('order_paid', days(90)) },
  { key: 'orders_365d', name: '近365天订单数', name_en: 'Orders, last 365 days', formula: count('order_paid', days(365)) },
  { key: 'orders_this_year', name: '本年订单数', name_en: 'Orders this year', formula: count('order_paid', { kind: 'calendar_year' }) },
  // Spend is net of refunds in every window, as RFM's M is: an operator reads each beside the others and beside M.
  ...NET_SPEND.map((spend) => spend.shown),
  // Gross: what a paid order comes to on average (客单价), whatever was refunded of it later.
  {
    key: 'avg_order_value',
    name: '平均单价',
    name_en: 'Average order value',
    description: 'Paid amount of all time, before refunds, over paid orders (客单价) / 累计支付金额（未扣除退款）除以支付订单数，即客单价',
    formula: { kind: 'ratio', numerator: 'spend_total_paid', denominator: 'orders_total' },
  },
  { key: 'first_order_at', name: '首次消费时间', name_en: 'First order', formula: { kind: 'aggregate', aggregation: 'first', eventType: 'order_paid', window: ALL } },
  { key: 'last_order_at', name: '最近一次消费时间', name_en: 'Last order', formula: { kind: 'aggregate', aggregation: 'last', eventType: 'order_paid', window: ALL } },
  { key: 'days_since_last_order', name: '距上次消费天数', name_en: 'Days since last order', formula: { kind: 'days_since', metric: 'last_order_at' } },
  { key: 'repurchases', name: '复购次数', name_en: 'Repeat purchases', formula: { kind: 'difference', minuend: 'orders_total', subtrahend: 'one_if_ordered', atLeast: 0 } },
  { key: 'refunds_total', name: '累计退款次数', name_en: 'Refunds, all time', formula: count('order_refunded', ALL) },
  { key: 'refunded_orders_total', name: '累计退款订单数', name_en: 'Refunded orders, all time', formula: { kind: 'aggregate', aggregation: 'distinct_count', eventType: 'order_refunded', property: 'order_id', window: ALL } },
  // The customer's paid orders that were refunded: `@paid_order_id` is a refund's order_id when the customer paid that order.
  // Shown, so that the console reads from its formula that the refund rate is a share.
  { key: 'refunded_paid_orders_total', name: '累计退款的支付订单数', name_en: 'Paid orders refunded, all time', formula: { kind: 'aggregate', aggregation: 'distinct_count', eventType: 'order_refunded', property: '@paid_order_id', window: ALL } },
  { key: 'refund_amount_total', name: '累计退款额', name_en: 'Refunded amount, all time', formula: sum('order_refunded', 'amount', ALL) },
  // Refunded orders among the paid ones, not refunds: three partial refunds of one order are one refunded order,
  // and a refund of an order from before the data began is no paid order's, so the rate stays within 0–100 %.
  {
    key: 'refund_rate',
    name: '退货率',
    name_en: 'Refund rate',
    description: "Share of the customer's paid orders that have been refunded, in whole or in part / 已支付订单中发生过（全额或部分）退款的比例",
    formula: { kind: 'ratio', numerator: 'refunded_paid_orders_total', denominator: 'orders_total' },
  },
  { key: 'discounted_orders_total', name: '用券或折扣订单数', name_en: 'Orders with a coupon or discount', formula: count('order_paid', ALL, 'coupon_id exists or discount > 0') },
  { key: 'discount_order_share', name: '用券订单占比', name_en: 'Share of orders with a coupon', formula: { kind: 'ratio', numerator: 'discounted_orders_total', denominator: 'orders_total' } },
  { key: 'favorites_30d', name: '近30天收藏数', name_en: 'Favourites, last 30 days', formula: count('favorited', days(30)) },
  { key: 'cart_adds_30d', name: '近30天加购数', name_en: 'Cart adds, last 30 days', formula: count('cart_added', days(30)) },
  { key: 'product_views_30d', name: '近30天浏览商品数', name_en: 'Product views, last 30 days', formula: count('product_viewed', days(30)) },
  { key: 'preferred_category', name: '偏好品类', name_en: 'Preferred category', formula: { kind: 'aggregate', aggregation: 'most_frequent', eventType: 'order_paid', property: 'items[].category', window: days(365) } },
  { key: 'preferred_viewed_category', name: '常浏览品类', name_en: 'Most viewed category', formula: { kind: 'aggregate', aggregation: 'most_frequent', eventType: 'product_viewed', property: 'category', window: days(30) } },
  { key: 'preferred_channel', name: '偏好渠道', name_en: 'Preferred channel', formula: { kind: 'aggregate', aggregation: 'most_frequent', eventType: 'order_paid', property: 'channel', window: days(365) } },
  { key: 'preferred_hour_band', name: '偏好消费时段', name_en: 'Preferred time of day', formula: { kind: 'aggregate', aggregation: 'most_frequent', eventType: 'order_paid', property: '@hour_band', window: days(365) } },
  { key: 'categories_bought_365d', name: '近365天购买品类数', name_en: 'Categories bought, last 365 days', formula: { kind: 'aggregate', aggregation: 'distinct_count', eventType: 'order_paid', property: 'items[].category', window: days(365) } },
  { key: 'max_order_amount', name: '最大单笔金额', name_en: 'Largest order', formula: { kind: 'aggregate', aggregation: 'max', eventType: 'order_paid', property: 'amount', window: ALL } },
  { key: 'last_active_at', name: '最近活跃时间', name_en: 'Last active', formula: { kind: 'aggregate', aggregation: 'last', eventType: '*', window: ALL } },
  { key: 'days_since_last_active', name: '距上次活跃天数', name_en: 'Days since last active', formula: { kind: 'days_since', metric: 'last_active_at' } },
];

/** Helper metrics that other metrics read but that are not shown on their own. */
export const HIDDEN_METRICS: readonly MetricDefinition[] = [
  { key: 'one_if_ordered', name: '是否下过单', name_en: 'Has ordered', formula: { kind: 'aggregate', aggregation: 'max', eventType: 'order_paid', property: '@one', window: ALL } },
  ...NET_SPEND.flatMap((spend) => spend.parts),
];

/** Whether a key is a built-in metric's, shown or hidden: no custom metric may take it. */
export function isBuiltinMetricKey(key: string): boolean {
  return BUILTIN_METRICS.some((metric) => metric.key === key) || HIDDEN_METRICS.some((metric) => metric.key === key);
}

/** The value type a metric produces. */
export function metricValueType(definition: MetricDefinition): MetricValueType {
  const formula = definition.formula;
  switch (formula.kind) {
    case 'ratio':
    case 'difference':
    case 'days_since':
    case 'score':
      return 'number';
    case 'aggregate':
      switch (formula.aggregation) {
        case 'count':
        case 'sum':
        case 'avg':
        case 'distinct_count':
        case 'gap_days':
          return 'number';
        case 'most_frequent':
          return 'string';
        case 'first':
        case 'last':
          if (formula.property === undefined || formula.property === '@time') return 'timestamp';
          if (formula.valueType !== undefined) return formula.valueType;
          return propertyIsText(formula.eventType, formula.property) ? 'string' : 'number';
        case 'min':
        case 'max':
          return formula.property === undefined || formula.property === '@time' ? 'timestamp' : 'number';
        default: {
          const unreachable: never = formula.aggregation;
          return unreachable;
        }
      }
    default: {
      const unreachable: never = formula;
      return unreachable;
    }
  }
}

/**
 * `value` as a metric of `type` holds it: a number as its text for `string`; text that reads as a
 * number (`"12.5"`, as JSON writes it) as that number for `number`, other text as no value.
 */
export function asPickedValue(value: MetricValue, type: PickedValueType | undefined): MetricValue {
  if (type === undefined || value === null) return value;
  if (type === 'string') return typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** The type a built-in event type's property (or an order item's) is known to have; undefined for any other. */
export function knownPropertyType(eventType: string, property: string): PickedValueType | undefined {
  if (property === '@hour_band') return 'string';
  if (property.startsWith('@')) return undefined;
  const type = property.startsWith('items[].') ? ORDER_ITEM_PROPERTY_TYPES[property.slice('items[].'.length)] : BUILTIN_EVENT_PROPERTY_TYPES[eventType]?.[property];
  return type === 'string' || type === 'number' ? type : undefined;
}

/**
 * What `property` (`receiver_city`, `items[].sku`) holds in events' properties (their stored JSON
 * text): `number` when every value found is a number, `string` when any is text or none is found
 * (text keeps every value as it came, a number as its text).
 */
export function seenValueType(propertiesTexts: Iterable<string>, property: string): PickedValueType {
  const arrayAt = property.indexOf('[].');
  const valuesOf = (record: Record<string, unknown>): unknown[] => {
    if (arrayAt < 0) return [record[property]];
    const list = record[property.slice(0, arrayAt)];
    const inner = property.slice(arrayAt + 3);
    return Array.isArray(list) ? list.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[inner] : undefined)) : [];
  };
  let numbers = 0;
  for (const text of propertiesTexts) {
    let properties: unknown;
    try {
      properties = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) continue;
    for (const value of valuesOf(properties as Record<string, unknown>)) {
      if (typeof value === 'string') return 'string';
      if (typeof value === 'number') numbers++;
    }
  }
  return numbers > 0 ? 'number' : 'string';
}

/**
 * Whether a property path of an event type is known to hold text: `@hour_band`, and the text
 * properties of the built-in event types and of their order items (`channel`, `items[].category`).
 * The first or last of such a property is text (最近渠道 = "online"); of any other, a number.
 */
export function propertyIsText(eventType: string, property: string): boolean {
  if (property === '@hour_band') return true;
  if (property.startsWith('items[].')) return ORDER_ITEM_PROPERTY_TYPES[property.slice('items[].'.length)] === 'string';
  return BUILTIN_EVENT_PROPERTY_TYPES[eventType]?.[property] === 'string';
}

/** The aggregations that read numbers: a text property's values are none of theirs. */
export function isNumericAggregation(aggregation: Aggregation): aggregation is 'sum' | 'avg' | 'min' | 'max' {
  return aggregation === 'sum' || aggregation === 'avg' || aggregation === 'min' || aggregation === 'max';
}

const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
  z.strictObject({ kind: z.literal('calendar_year') }),
]);

/** The product's own attributes of an event, which a metric's `property` names with `@`. */
export const EVENT_ATTRIBUTES = ['@time', '@one', '@hour_band', '@paid_order_id'] as const;
/** What a list's items have of the product's own (`items[].@days_after_launch`). */
export const ITEM_ATTRIBUTES = ['@days_after_launch'] as const;

/**
 * The `@` name in a property path that is none of the product's attributes (`@nope`,
 * `items[].@time`): it would read a property of that very name, which no event is meant to hold,
 * so the metric would be empty for everyone. Checked when a metric is declared, not when a stored
 * one is read.
 */
export function unknownAttribute(property: string): string | undefined {
  const arrayAt = property.indexOf('[].');
  if (arrayAt < 0) return property.startsWith('@') && !(EVENT_ATTRIBUTES as readonly string[]).includes(property) ? property : undefined;
  const [list, item] = [property.slice(0, arrayAt), property.slice(arrayAt + 3)];
  if (list.startsWith('@')) return list;
  return item.startsWith('@') && !(ITEM_ATTRIBUTES as readonly string[]).includes(item) ? item : undefined;
}

const KNOWN_ATTRIBUTES = `${EVENT_ATTRIBUTES.join(', ')}, and of a list's items LIST[].${ITEM_ATTRIBUTES.join(', ')}`;

/** A custom metric as the API accepts it (aggregates only; derived metrics are built in). */
export const metricInputSchema = z.strictObject({
  key: z.string().regex(KEY_PATTERN, KEY_RULE),
  name: displayName(64),
  name_en: displayName(64).optional(),
  description: z.string().trim().max(1024).optional(),
  aggregation: z.enum(AGGREGATIONS),
  event_type: z.string().regex(/^([a-z][a-z0-9_]{0,63}|\*)$/, 'an event type, or * for every type'),
  property: z.string().min(1).max(128).optional(),
  filter: z.string().min(1).max(4000).optional(),
  window: windowSchema.default({ kind: 'all' }),
  /**
   * What a `first` or `last` of a property holds: `string` (text: compared with `=`, `!=`,
   * `in`) or `number` (compared with `<`, `between`). Without it, the property's type on
   * the built-in event types, else what the event type's stored events hold (text when any holds
   * text or none holds the property yet).
   */
  value_type: z.enum(PICKED_VALUE_TYPES).optional(),
}).refine((input) => !((input.aggregation === 'sum' || input.aggregation === 'avg') && (input.property === undefined || input.property.startsWith('@'))), {
  // Without one, the event time would be added up: a plausible-looking number that means nothing.
  message: 'sum and avg add up a numeric property (amount, items[].quantity): name it in property',
  path: ['property'],
}).superRefine((input, context) => {
  const unknown = input.property === undefined ? undefined : unknownAttribute(input.property);
  if (unknown !== undefined) {
    context.addIssue({ code: 'custom', path: ['property'], message: `${unknown} is none of the product's own attributes (${KNOWN_ATTRIBUTES}); an event's own property is named without @` });
    return;
  }
  // Without one they would count event times or fall back to the time of day: not what was asked for.
  if ((input.aggregation === 'distinct_count' || input.aggregation === 'most_frequent') && input.property === undefined) {
    context.addIssue({ code: 'custom', path: ['property'], message: `${input.aggregation} counts the values of a property (items[].category, channel, @hour_band): name it in property` });
    return;
  }
  if (input.value_type !== undefined) {
    const picked = (input.aggregation === 'first' || input.aggregation === 'last') && input.property !== undefined && !input.property.split('[].').some((name) => name.startsWith('@'));
    if (!picked) {
      context.addIssue({ code: 'custom', path: ['value_type'], message: 'value_type is declared only by a first or last of an event property; the other aggregations and @ attributes have the type they compute' });
      return;
    }
    const known = knownPropertyType(input.event_type, input.property ?? '');
    if (known !== undefined && known !== input.value_type) {
      context.addIssue({ code: 'custom', path: ['value_type'], message: `${input.property} of ${input.event_type} holds ${known === 'string' ? 'text' : 'numbers'}: its value_type is ${known}` });
      return;
    }
  }
  // A text property has no number to add up or compare: the metric would be 0 or empty for everyone.
  // `@paid_order_id` is an order's id, text too.
  if (!isNumericAggregation(input.aggregation) || input.property === undefined || !(propertyIsText(input.event_type, input.property) || input.property === '@paid_order_id')) return;
  context.addIssue({ code: 'custom', path: ['property'], message: `${input.aggregation} reads numbers, and ${input.property} of ${input.event_type} is text: count it with distinct_count or most_frequent, or take first or last` });
});
export type MetricInput = z.infer<typeof metricInputSchema>;
