// The workspace's metrics a profile can add up: numbers, not times or strings (the server refuses those).
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { shareMetricKeys } from '../../app/utils/metricShares';
import type { MetricFormulaJson } from '../../app/utils/types';

export interface MetricChoice {
  key: string;
  /** The Chinese name, which an address may use as the API allows. */
  name: string;
  /** The English name, for built-in and model metrics. */
  name_en?: string | null;
  /** Whether customers' values add up to something (orders, spend): not so for an average, a ratio or days since. */
  additive?: boolean;
  /** Whether it is a share of a whole (the refund rate), printed as a percentage. */
  share?: boolean;
}

interface MetricJson extends MetricFormulaJson {
  name: string;
  name_en: string | null;
  type: 'number' | 'timestamp' | 'string';
}

const ADDITIVE_AGGREGATIONS = new Set(['count', 'sum', 'distinct_count']);

function additive(formula: MetricJson['formula']): boolean {
  return formula.kind === 'difference' || (formula.kind === 'aggregate' && ADDITIVE_AGGREGATIONS.has(formula.aggregation ?? ''));
}

export function useNumberMetrics(): { metrics: MetricChoice[]; loading: boolean } {
  const query = useApiQuery<{ items: MetricJson[] }>('/metrics');
  const metrics = useMemo(() => {
    const items = query.data?.items ?? [];
    const shares = shareMetricKeys(items);
    return items.filter((metric) => metric.type === 'number').map(({ key, name, name_en, formula }) => ({ key, name, name_en, additive: additive(formula), share: shares.has(key) }));
  }, [query.data]);
  return { metrics, loading: query.loading };
}
