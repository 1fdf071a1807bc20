// RFM (recency, frequency, monetary): eight levels from three high/low tests against
// thresholds computed over the customers who bought in the window. Pure: the engine feeds
// it metric values and stores what it returns.
import { z } from 'zod';
import type { Locale } from '../locale.js';
import type { MetricDefinition } from '../metric.js';

const threshold = z.union([z.enum(['mean', 'median']), z.number().finite().min(0)], { error: 'a threshold is "mean", "median" or a number of at least 0' });

/** The RFM model's key, which is also its tag's key; its tag is the one whose values carry an explanation. */
export const RFM_MODEL_KEY = 'rfm';

export const rfmParamsSchema = z.strictObject({
  /** Days of history that count for F and M, and within which the last order must fall. */
  window_days: z.number().int().min(1).max(3650).default(365),
  recency: threshold.default('mean'),
  frequency: threshold.default('mean'),
  monetary: threshold.default('mean'),
});
export type RfmParams = z.infer<typeof rfmParamsSchema>;

export interface RfmThresholds {
  recency: number;
  frequency: number;
  monetary: number;
  /** Customers with a paid order in the window: the population the thresholds describe. */
  customers: number;
  /** Ascending 20/40/60/80 % cut-offs of R, F and M: what the 1–5 scores are measured against. */
  quintiles?: { recency: number[]; frequency: number[]; monetary: number[] };
}

export const RFM_METRICS = {
  recency: 'days_since_last_order',
  frequency: 'rfm_frequency',
  monetary: 'rfm_monetary',
} as const;

/** The window's metrics: paid orders, and paid amount net of refunds (never below zero). */
export function rfmMetrics(params: RfmParams): MetricDefinition[] {
  const window = { kind: 'days' as const, days: params.window_days };
  return [
    { key: 'rfm_frequency', name: `RFM·F 近${params.window_days}天订单数`, name_en: `RFM F: orders, last ${params.window_days} days`, formula: { kind: 'aggregate', aggregation: 'count', eventType: 'order_paid', window } },
    { key: 'rfm_paid_amount', name: `RFM 近${params.window_days}天支付额`, name_en: `RFM paid amount, last ${params.window_days} days`, formula: { kind: 'aggregate', aggregation: 'sum', eventType: 'order_paid', property: 'amount', window } },
    { key: 'rfm_refund_amount', name: `RFM 近${params.window_days}天退款额`, name_en: `RFM refunded amount, last ${params.window_days} days`, formula: { kind: 'aggregate', aggregation: 'sum', eventType: 'order_refunded', property: 'amount', window } },
    { key: 'rfm_monetary', name: `RFM·M 近${params.window_days}天净消费额`, name_en: `RFM M: net spend, last ${params.window_days} days`, formula: { kind: 'difference', minuend: 'rfm_paid_amount', subtrahend: 'rfm_refund_amount', atLeast: 0 } },
  ];
}

export type High = boolean;

/** The eight levels, lowest first: the order makes `RFM等级 >= "重要挽留客户"` mean "M is high". */
export const RFM_LEVELS: readonly { key: string; name: string; english: string; r: High; f: High; m: High }[] = [
  { key: 'general_winback', name: '一般挽留客户', english: 'general win-back', r: false, f: false, m: false },
  { key: 'general_retention', name: '一般保持客户', english: 'general retention', r: false, f: true, m: false },
  { key: 'general_development', name: '一般发展客户', english: 'general development', r: true, f: false, m: false },
  { key: 'general_value', name: '一般价值客户', english: 'general value', r: true, f: true, m: false },
  { key: 'important_winback', name: '重要挽留客户', english: 'important win-back', r: false, f: false, m: true },
  { key: 'important_retention', name: '重要保持客户', english: 'important retention', r: false, f: true, m: true },
  { key: 'important_development', name: '重要发展客户', english: 'important development', r: true, f: false, m: true },
  { key: 'important_value', name: '重要价值客户', english: 'important value', r: true, f: true, m: true },
];

/**
 * Thresholds are kept to two decimals, so the conditions and explanations read cleanly; rounded
 * toward the side that keeps every value of two decimals or fewer (whole days and orders, amounts
 * in cents) on the side of the threshold it is on before rounding: `up` for a test "at or above"
 * (F, M), `down` for "at or below" (R). Rounded to nearest, an F average of 3.004 became 3.00 and
 * put everyone with three orders above it.
 */
export function roundThreshold(value: number, direction: 'up' | 'down'): number {
  // The tolerance keeps binary fractions exact: 1.1 * 100 is 110.00000000000001, not over 110.
  const hundredths = value * 100;
  const rounded = direction === 'up' ? Math.ceil(hundredths - 1e-6) : Math.floor(hundredths + 1e-6);
  // Math.ceil(-0.000001) is -0, which JSON writes as 0 but a comparison with Object.is tells apart.
  return rounded === 0 ? 0 : rounded / 100;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface RfmSample {
  recency: number;
  frequency: number;
  monetary: number;
}

/** The values at 20, 40, 60 and 80 % of the sorted list (nearest rank); empty for no values. */
export function quintileCutoffs(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  return [1, 2, 3, 4].map((k) => sorted[Math.max(0, Math.ceil((sorted.length * k) / 5) - 1)] ?? 0);
}

/** Thresholds over the customers with a paid order in the window; a fixed number is taken as given. */
export function computeRfmThresholds(params: RfmParams, samples: readonly RfmSample[]): RfmThresholds {
  const pick = (method: RfmParams['recency'], values: number[], direction: 'up' | 'down') =>
    roundThreshold(typeof method === 'number' ? method : method === 'median' ? median(values) : mean(values), direction);
  const recency = samples.map((sample) => sample.recency);
  const frequency = samples.map((sample) => sample.frequency);
  const monetary = samples.map((sample) => sample.monetary);
  return {
    recency: pick(params.recency, recency, 'down'),
    frequency: pick(params.frequency, frequency, 'up'),
    monetary: pick(params.monetary, monetary, 'up'),
    customers: samples.length,
    quintiles: { recency: quintileCutoffs(recency), frequency: quintileCutoffs(frequency), monetary: quintileCutoffs(monetary) },
  };
}

/** Whether a threshold is a mean or a median, which only the customers who bought in the window can give. */
export function rfmNeedsBuyers(params: RfmParams): boolean {
  return [params.recency, params.frequency, params.monetary].some((method) => typeof method !== 'number');
}

/**
 * The thresholds when no customer bought in the window, where a mean or a median is asked for:
 * of nothing they would be 0, and every new buyer would be high on F and M until the next
 * refresh. The fixed ones are taken as given and the others kept from `previous`, with the
 * population and cut-offs they were computed over; without `previous` there are none, and no
 * customer has a level until there are buyers to compute them from.
 */
export function rfmThresholdsWithoutBuyers(params: RfmParams, previous: RfmThresholds | undefined): RfmThresholds | undefined {
  if (!previous) return undefined;
  const pick = (method: RfmParams['recency'], kept: number, direction: 'up' | 'down') => (typeof method === 'number' ? roundThreshold(method, direction) : kept);
  return {
    ...previous,
    recency: pick(params.recency, previous.recency, 'down'),
    frequency: pick(params.frequency, previous.frequency, 'up'),
    monetary: pick(params.monetary, previous.monetary, 'up'),
  };
}

/** R, F and M scores 1–5 by quintile, as metrics for analysis (not tags); recent is 5 for R. */
export function rfmScoreMetrics(thresholds: RfmThresholds): MetricDefinition[] {
  const quintiles = thresholds.quintiles ?? { recency: [], frequency: [], monetary: [] };
  const score = (key: string, name: string, nameEn: string, metric: string, cutoffs: number[], lowerIsBetter: boolean): MetricDefinition => ({
    key,
    name,
    name_en: nameEn,
    formula: { kind: 'score', metric, cutoffs, lowerIsBetter, onlyIf: RFM_METRICS.frequency },
  });
  return [
    score('rfm_r_score', 'RFM·R 分（1–5）', 'RFM R score (1–5)', RFM_METRICS.recency, quintiles.recency, true),
    score('rfm_f_score', 'RFM·F 分（1–5）', 'RFM F score (1–5)', RFM_METRICS.frequency, quintiles.frequency, false),
    score('rfm_m_score', 'RFM·M 分（1–5）', 'RFM M score (1–5)', RFM_METRICS.monetary, quintiles.monetary, false),
  ];
}

/** A customer's R, F and M when they bought in the window; undefined otherwise (no level). */
export function rfmSample(metrics: Readonly<Record<string, unknown>>): RfmSample | undefined {
  const recency = metrics[RFM_METRICS.recency];
  const frequency = metrics[RFM_METRICS.frequency];
  const monetary = metrics[RFM_METRICS.monetary];
  if (typeof frequency !== 'number' || frequency < 1 || typeof recency !== 'number') return undefined;
  return { recency, frequency, monetary: typeof monetary === 'number' ? monetary : 0 };
}

/** R is high at or below its threshold (recent); F and M at or above theirs. */
export function rfmConditions(thresholds: RfmThresholds): Map<string, string> {
  const { recency: r, frequency: f, monetary: m } = RFM_METRICS;
  const conditions = new Map<string, string>();
  for (const level of RFM_LEVELS) {
    conditions.set(
      level.key,
      [
        `${f} >= 1`,
        level.r ? `${r} <= ${thresholds.recency}` : `${r} > ${thresholds.recency}`,
        level.f ? `${f} >= ${thresholds.frequency}` : `${f} < ${thresholds.frequency}`,
        level.m ? `${m} >= ${thresholds.monetary}` : `${m} < ${thresholds.monetary}`,
      ].join(' and '),
    );
  }
  return conditions;
}

export function rfmLevelOf(sample: RfmSample, thresholds: RfmThresholds): (typeof RFM_LEVELS)[number] | undefined {
  const r = sample.recency <= thresholds.recency;
  const f = sample.frequency >= thresholds.frequency;
  const m = sample.monetary >= thresholds.monetary;
  return RFM_LEVELS.find((level) => level.r === r && level.f === f && level.m === m);
}

// One formatter for every explanation: `toLocaleString` with options builds a new one per call.
const NUMBER_FORMAT = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const formatNumber = (value: number) => NUMBER_FORMAT.format(value);

/**
 * "R 12 天 ≤ 43.2 · F 5 ≥ 3.1 · M 2,380 ≥ 1,150.4": why a customer holds their level; in English
 * "R 12 days ≤ 43.2 · …", the days being the only word in it.
 */
export function explainRfm(sample: RfmSample, thresholds: RfmThresholds, locale: Locale = 'zh-CN'): string {
  const r = sample.recency <= thresholds.recency ? '≤' : '>';
  const f = sample.frequency >= thresholds.frequency ? '≥' : '<';
  const m = sample.monetary >= thresholds.monetary ? '≥' : '<';
  const days = locale === 'zh-CN' ? '天' : sample.recency === 1 ? 'day' : 'days';
  return `R ${formatNumber(sample.recency)} ${days} ${r} ${formatNumber(thresholds.recency)} · F ${formatNumber(sample.frequency)} ${f} ${formatNumber(thresholds.frequency)} · M ${formatNumber(sample.monetary)} ${m} ${formatNumber(thresholds.monetary)}`;
}
