// The ready-made models: each is one tag whose values carry conditions generated from a few
// tunable parameters (and, for RFM, from thresholds computed over the data). Once enabled a
// model tag is kept true by the same real-time engine as rule tags.
import { z } from 'zod';
import { printString } from '../expression/index.js';
import type { MetricDefinition } from '../metric.js';
import { RFM_LEVELS, RFM_MODEL_KEY, rfmConditions, rfmMetrics, rfmParamsSchema, rfmScoreMetrics, type RfmThresholds } from './rfm.js';

export interface ModelValue {
  key: string;
  name: string;
  /** The English name, shown beside the Chinese one. */
  english: string;
  condition: string;
}

export interface ModelKind {
  key: string;
  name: string;
  english: string;
  description: string;
  /** The description in Chinese, for the console and answers in Chinese. */
  descriptionZh: string;
  cardinality: 'single' | 'multi';
  ordered: boolean;
  /** Whether the values depend on thresholds computed from the customers (refreshed by the scheduler). */
  statistical: boolean;
  /** The parameters it takes, optional ones included: named when an unknown one is given. */
  paramKeys: readonly string[];
  /** Validates the parameters and fills in the defaults; throws a ZodError. */
  parse(raw: unknown): Record<string, unknown>;
  /** The metrics the model reads; with thresholds, also those measured against them (RFM's scores). */
  metrics(params: Record<string, unknown>, thresholds?: RfmThresholds): MetricDefinition[];
  values(params: Record<string, unknown>, thresholds: RfmThresholds | undefined): ModelValue[];
}

function defineModel<S extends z.ZodType<Record<string, unknown>>>(spec: {
  key: string;
  name: string;
  english: string;
  description: string;
  descriptionZh: string;
  cardinality?: 'single' | 'multi';
  ordered?: boolean;
  statistical?: boolean;
  params: S;
  metrics?: (params: z.output<S>, thresholds: RfmThresholds | undefined) => MetricDefinition[];
  values: (params: z.output<S>, thresholds: RfmThresholds | undefined) => ModelValue[];
}): ModelKind {
  return {
    key: spec.key,
    name: spec.name,
    english: spec.english,
    description: spec.description,
    descriptionZh: spec.descriptionZh,
    cardinality: spec.cardinality ?? 'single',
    ordered: spec.ordered ?? true,
    statistical: spec.statistical ?? false,
    paramKeys: spec.params instanceof z.ZodObject ? Object.keys(spec.params.shape) : [],
    // With its input in each issue, so that the issue can be worded again in Chinese.
    parse: (raw) => spec.params.parse(raw ?? {}, { reportInput: true }),
    metrics: (params, thresholds) => spec.metrics?.(params as z.output<S>, thresholds) ?? [],
    values: (params, thresholds) => spec.values(params as z.output<S>, thresholds),
  };
}

const days = (max = 3650) => z.number().int().min(1).max(max);
const amount = () => z.number().finite().min(0);
/** An amount that spend must reach: at 0 every customer would reach it, those who never bought included. */
const spendBound = () => z.number().finite().positive();

/** Ascending bounds → "< a", "a–b", …, "≥ z" bands over one metric. */
function bands(metric: string, bounds: readonly number[], unit: string, floor: string): ModelValue[] {
  const values: ModelValue[] = [];
  // Names with thousands separators (5,000元以上), conditions with the plain number.
  const shown = (bound: number) => bound.toLocaleString('en-US');
  bounds.forEach((bound, index) => {
    const previous = bounds[index - 1];
    values.push(
      previous === undefined
        ? { key: `band_${index + 1}`, name: `${shown(bound)}${unit}以下`, english: `under ${shown(bound)}`, condition: `${floor} and ${metric} < ${bound}` }
        : { key: `band_${index + 1}`, name: `${shown(previous)}–${shown(bound)}${unit}`, english: `${shown(previous)} to ${shown(bound)}`, condition: `${metric} >= ${previous} and ${metric} < ${bound}` },
    );
  });
  const last = bounds[bounds.length - 1] ?? 0;
  values.push({ key: `band_${bounds.length + 1}`, name: `${shown(last)}${unit}以上`, english: `${shown(last)} and over`, condition: `${metric} >= ${last}` });
  return values;
}

const ascending = (list: number[]) => list.every((value, index) => index === 0 || value > (list[index - 1] ?? -Infinity));

/** A short stable suffix for a category's metric keys, whatever script the name is in. */
export function categorySuffix(category: string): string {
  let hash = 0x811c9dc5;
  for (const char of category) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export const MODEL_KINDS: readonly ModelKind[] = [
  defineModel({
    key: RFM_MODEL_KEY,
    name: 'RFM等级',
    english: 'RFM level',
    descriptionZh: '按最近一次消费（距上次支付订单的天数）、消费频次（窗口内的支付订单数）和消费金额（窗口内扣除退款后的支付金额）分成八个等级：每项与阈值比较分高低，阈值可取平均值（默认）、中位数或固定数，按窗口内有支付订单的客户计算。R 不高于阈值为高，F、M 不低于阈值为高。窗口内没有支付订单的客户没有等级。',
    description:
      'Eight levels from recency (days since the last paid order), frequency (paid orders in the window) and monetary value (paid amount net of refunds in the window), each high or low against a threshold: the mean (default), the median, or a fixed number, over the customers with a paid order in the window. R is high at or below its threshold, F and M at or above. Customers without a paid order in the window have no level.',
    statistical: true,
    params: rfmParamsSchema,
    metrics: (params, thresholds) => [...rfmMetrics(params), ...(thresholds ? rfmScoreMetrics(thresholds) : [])],
    values: (_params, thresholds) => {
      const conditions = thresholds ? rfmConditions(thresholds) : new Map<string, string>();
      // Before the first thresholds exist, no customer has a level.
      return RFM_LEVELS.map((level) => ({ key: level.key, name: level.name, english: level.english, condition: conditions.get(level.key) ?? 'rfm_frequency < 0' }));
    },
  }),
  defineModel({
    key: 'lifecycle',
    name: '生命周期',
    english: 'lifecycle',
    descriptionZh: '潜在客户（还没有订单）、新客户（首单在 new_days 天内）、成长客户、成熟客户（至少 mature_orders 单）、衰退客户（decline_days 天没有订单）和流失客户（lost_days 天没有订单）。',
    description: 'Prospect (no order yet), new (first order within new_days), growing, mature (at least mature_orders orders), declining (no order for decline_days) and lost (no order for lost_days).',
    params: z
      .strictObject({ new_days: days().default(30), mature_orders: z.number().int().min(2).max(1000).default(5), decline_days: days().default(90), lost_days: days().default(180) })
      .refine((p) => p.lost_days > p.decline_days, { message: 'must be more than decline_days', path: ['lost_days'] }),
    values: (p) => {
      const active = `orders_total >= 1 and days_since_last_order <= ${p.decline_days}`;
      return [
        { key: 'prospect', name: '潜在客户', english: 'prospect', condition: 'not orders_total >= 1' },
        { key: 'new', name: '新客户', english: 'new', condition: `${active} and first_order_at within ${p.new_days} days` },
        { key: 'growing', name: '成长客户', english: 'growing', condition: `${active} and orders_total < ${p.mature_orders} and not first_order_at within ${p.new_days} days` },
        { key: 'mature', name: '成熟客户', english: 'mature', condition: `${active} and orders_total >= ${p.mature_orders} and not first_order_at within ${p.new_days} days` },
        { key: 'declining', name: '衰退客户', english: 'declining', condition: `days_since_last_order > ${p.decline_days} and days_since_last_order <= ${p.lost_days}` },
        { key: 'lost', name: '流失客户', english: 'lost', condition: `days_since_last_order > ${p.lost_days}` },
      ];
    },
  }),
  defineModel({
    key: 'vip',
    name: 'VIP',
    english: 'VIP',
    descriptionZh: '近 365 天消费（扣除退款）达到 spend_365d 的客户。',
    description: 'Customers whose spend in the last 365 days, net of refunds, reaches spend_365d.',
    params: z.strictObject({ spend_365d: spendBound().default(5000) }),
    values: (p) => [{ key: 'vip', name: 'VIP客户', english: 'VIP', condition: `spend_365d >= ${p.spend_365d}` }],
  }),
  defineModel({
    key: 'activity',
    name: '活跃状态',
    english: 'activity status',
    descriptionZh: '活跃（active_days 天内有客户自己的任何行为）、不活跃、流失（lost_days 天没有行为）和回流（间隔超过 lost_days 后再次活跃，直到之后的互动恢复正常节奏）。商家发给客户的事件（领取优惠券 coupon_received）不算客户的行为：给流失客户发券不会让他们变为活跃。',
    ordered: false,
    description:
      'Active (any event of the customer\'s own doing within active_days), inactive, lost (no event for lost_days), and won back (active again after an absence longer than lost_days, until the next interaction shows a normal rhythm). What the shop sends a customer (a coupon_received) is not their doing: coupons sent to lost customers leave them lost.',
    params: z
      .strictObject({ active_days: days().default(30), lost_days: days().default(90) })
      .refine((p) => p.lost_days > p.active_days, { message: 'must be more than active_days', path: ['lost_days'] }),
    metrics: () => [{ key: 'activity_gap_days', name: '最近两次活跃间隔天数', name_en: 'Days between the last two activities', formula: { kind: 'aggregate', aggregation: 'gap_days', eventType: '*', window: { kind: 'all' } } }],
    values: (p) => {
      const back = `days_since_last_active <= ${p.active_days} and activity_gap_days > ${p.lost_days}`;
      return [
        { key: 'active', name: '活跃', english: 'active', condition: `days_since_last_active <= ${p.active_days} and not activity_gap_days > ${p.lost_days}` },
        { key: 'inactive', name: '不活跃', english: 'inactive', condition: `days_since_last_active > ${p.active_days} and days_since_last_active <= ${p.lost_days}` },
        { key: 'lost', name: '流失', english: 'lost', condition: `days_since_last_active > ${p.lost_days}` },
        { key: 'won_back', name: '挽回', english: 'won back', condition: back },
      ];
    },
  }),
  defineModel({
    key: 'value_tier',
    name: '价值分层',
    english: 'value tier',
    descriptionZh: '按近 365 天扣除退款后的消费金额分为高、中、低价值。',
    description: 'High, middle and low value by spend in the last 365 days, net of refunds.',
    params: z
      .strictObject({ high: spendBound().default(5000), middle: spendBound().default(1000) })
      .refine((p) => p.high > p.middle, { message: 'must be more than middle', path: ['high'] }),
    values: (p) => [
      { key: 'low', name: '低价值', english: 'low', condition: `orders_365d >= 1 and spend_365d < ${p.middle}` },
      { key: 'middle', name: '中价值', english: 'middle', condition: `spend_365d >= ${p.middle} and spend_365d < ${p.high}` },
      { key: 'high', name: '高价值', english: 'high', condition: `spend_365d >= ${p.high}` },
    ],
  }),
  defineModel({
    key: 'frequency_tier',
    name: '消费频次',
    english: 'frequency tier',
    descriptionZh: '按近 365 天的支付订单数分为高、中、低频次。',
    description: 'High, middle and low frequency by paid orders in the last 365 days.',
    params: z
      .strictObject({ high: z.number().int().min(2).default(12), middle: z.number().int().min(2).default(4) })
      .refine((p) => p.high > p.middle, { message: 'must be more than middle', path: ['high'] }),
    values: (p) => [
      { key: 'low', name: '低频', english: 'low', condition: `orders_365d >= 1 and orders_365d < ${p.middle}` },
      { key: 'middle', name: '中频', english: 'middle', condition: `orders_365d >= ${p.middle} and orders_365d < ${p.high}` },
      { key: 'high', name: '高频', english: 'high', condition: `orders_365d >= ${p.high}` },
    ],
  }),
  defineModel({
    key: 'spend_band',
    name: '消费金额段',
    english: 'spend band',
    descriptionZh: '按近 365 天扣除退款后的消费金额落在哪两个递增边界之间分段。',
    description: 'Bands of spend in the last 365 days, net of refunds, between ascending bounds.',
    params: z.strictObject({ bounds: z.array(spendBound()).min(1).max(20).refine(ascending, 'each bound must be greater than the one before').default([500, 1000, 2000, 5000]) }),
    values: (p) => bands('spend_365d', p.bounds, '元', 'orders_365d >= 1'),
  }),
  defineModel({
    key: 'freshness',
    name: '新鲜度',
    english: 'freshness',
    descriptionZh: '按距客户最近一次自己的任何互动（不含商家发放的优惠券 coupon_received）的天数落在哪两个递增边界之间分段。',
    description: 'Bands of days since the customer\'s last interaction of any kind of their own doing (a coupon_received the shop sent is none), between ascending bounds.',
    params: z.strictObject({ bounds: z.array(z.number().int().min(1)).min(1).max(20).refine(ascending, 'each bound must be greater than the one before').default([5, 15, 30, 90]) }),
    values: (p) => {
      const values: ModelValue[] = [];
      let previous = -1;
      for (const [index, bound] of p.bounds.entries()) {
        values.push({
          key: `band_${index + 1}`,
          name: `${previous + 1}–${bound}天`,
          english: `${previous + 1} to ${bound} days`,
          condition: previous < 0 ? `days_since_last_active <= ${bound}` : `days_since_last_active > ${previous} and days_since_last_active <= ${bound}`,
        });
        previous = bound;
      }
      values.push({ key: `band_${p.bounds.length + 1}`, name: `${previous}天以上`, english: `over ${previous} days`, condition: `days_since_last_active > ${previous}` });
      return values;
    },
  }),
  defineModel({
    key: 'personas',
    name: '客户画像',
    english: 'personas',
    descriptionZh: '同时给出多个画像：新客、二次购买、忠实客户、冠军客户、大额客户、加购未买、早鸟（多在上午购买）、夜猫子（多在深夜购买）、折扣敏感（多用优惠券或折扣购买）、潮流先锋（近 365 天内在商品 launched_at 之后 trend_days 天内买过）和本地客户（设置了 home_city 时住在该城市）。',
    description:
      'Several at once: new customer, second purchase, loyal, champion, big spender, cart abandoner, early bird (buys mostly in the morning), night owl (late at night), bargain hunter (buys mostly with a coupon or discount), trendsetter (bought an item within trend_days of its launched_at in the last 365 days), and local (lives in home_city, when it is set).',
    cardinality: 'multi',
    ordered: false,
    params: z.strictObject({
      new_days: days().default(30),
      loyal_orders: z.number().int().min(2).default(6),
      champion_orders: z.number().int().min(2).default(12),
      champion_spend: amount().default(10000),
      big_order: amount().default(2000),
      bargain_share: z.number().min(0).max(1).default(0.8),
      bargain_min_orders: z.number().int().min(1).default(3),
      home_city: z.string().trim().min(1).max(64).optional(),
      trend_days: days(365).default(14),
    }),
    metrics: () => [
      {
        key: 'personas_days_after_launch_365d',
        name: '近365天购买新品最快天数',
        name_en: 'Fewest days from launch to purchase, last 365 days',
        formula: { kind: 'aggregate', aggregation: 'min', eventType: 'order_paid', property: 'items[].@days_after_launch', window: { kind: 'days', days: 365 } },
      },
    ],
    values: (p) => [
      { key: 'new_customer', name: '新客', english: 'new customer', condition: `orders_total = 1 and first_order_at within ${p.new_days} days` },
      { key: 'second_purchase', name: '二次购买', english: 'second purchase', condition: 'orders_total = 2' },
      { key: 'loyal', name: '忠实客户', english: 'loyal', condition: `orders_365d >= ${p.loyal_orders}` },
      { key: 'champion', name: '冠军客户', english: 'champion', condition: `orders_365d >= ${p.champion_orders} and spend_365d >= ${p.champion_spend}` },
      { key: 'big_spender', name: '大额客户', english: 'big spender', condition: `max_order_amount >= ${p.big_order}` },
      { key: 'cart_abandoner', name: '加购未买', english: 'cart abandoner', condition: 'cart_adds_30d >= 1 and not orders_30d >= 1' },
      { key: 'early_bird', name: '早鸟', english: 'early bird', condition: 'preferred_hour_band = "morning"' },
      { key: 'night_owl', name: '夜猫子', english: 'night owl', condition: 'preferred_hour_band = "night"' },
      { key: 'bargain_hunter', name: '折扣敏感', english: 'bargain hunter', condition: `orders_total >= ${p.bargain_min_orders} and discount_order_share >= ${p.bargain_share}` },
      { key: 'trendsetter', name: '潮流先锋', english: 'trendsetter', condition: `personas_days_after_launch_365d <= ${p.trend_days}` },
      ...(p.home_city === undefined ? [] : [{ key: 'local', name: '本地客户', english: 'local', condition: `city = ${printString(p.home_city)}` }]),
    ],
  }),
  defineModel({
    key: 'interests',
    name: '行为兴趣',
    english: 'interests from behaviour',
    descriptionZh: '近 window_days 天内，客户浏览某个品类至少一次停留 dwell_seconds 秒，或浏览 min_views 次，即对该品类有兴趣；兴趣移出窗口后该值随之去掉。',
    description:
      'Interested in a category when, in the last window_days, the customer viewed it for at least dwell_seconds once, or viewed it min_views times; the value goes when the interest fades out of the window.',
    cardinality: 'multi',
    ordered: false,
    params: z.strictObject({
      categories: z
        .array(z.string().trim().min(1).max(64))
        .min(1)
        .max(100)
        .refine((list) => new Set(list).size === list.length, 'name each category once')
        .default(['服装', '鞋靴', '美妆', '母婴', '数码', '家居', '食品', '运动户外', '个护']),
      window_days: days(365).default(30),
      dwell_seconds: z.number().int().min(1).default(30),
      min_views: z.number().int().min(1).default(3),
    }),
    metrics: (p) =>
      p.categories.flatMap((category) => {
        const window = { kind: 'days' as const, days: p.window_days };
        const filter = `category = ${printString(category)}`;
        return [
          { key: `interest_views_${categorySuffix(category)}`, name: `${category}浏览次数`, name_en: `${category} views`, formula: { kind: 'aggregate' as const, aggregation: 'count' as const, eventType: 'product_viewed', filter, window } },
          {
            key: `interest_long_views_${categorySuffix(category)}`,
            name: `${category}长浏览次数`,
            name_en: `${category} long views`,
            formula: { kind: 'aggregate' as const, aggregation: 'count' as const, eventType: 'product_viewed', filter: `${filter} and dwell_seconds >= ${p.dwell_seconds}`, window },
          },
        ];
      }),
    values: (p) =>
      p.categories.map((category) => ({
        key: `interest_${categorySuffix(category)}`,
        name: category,
        english: category,
        condition: `interest_long_views_${categorySuffix(category)} >= 1 or interest_views_${categorySuffix(category)} >= ${p.min_views}`,
      })),
  }),
];

export function findModelKind(key: string): ModelKind | undefined {
  return MODEL_KINDS.find((kind) => kind.key === key || kind.name === key);
}
