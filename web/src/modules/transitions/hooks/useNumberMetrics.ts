// The workspace's metrics a profile can add up: numbers, not times or strings (the server refuses those).
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';

export interface MetricChoice {
  key: string;
  name: string;
  /** Whether customers' values add up to something (orders, spend): not so for an average, a ratio or days since. */
  additive?: boolean;
}

interface MetricJson {
  key: string;
  name: string;
  type: 'number' | 'timestamp' | 'string';
  formula: { kind: string; aggregation?: string };
}

const ADDITIVE_AGGREGATIONS = new Set(['count', 'sum', 'distinct_count']);

function additive(formula: MetricJson['formula']): boolean {
  return formula.kind === 'difference' || (formula.kind === 'aggregate' && ADDITIVE_AGGREGATIONS.has(formula.aggregation ?? ''));
}

export function useNumberMetrics(): { metrics: MetricChoice[]; loading: boolean } {
  const query = useApiQuery<{ items: MetricJson[] }>('/metrics');
  const metrics = useMemo(
    () => (query.data?.items ?? []).filter((metric) => metric.type === 'number').map(({ key, name, formula }) => ({ key, name, additive: additive(formula) })),
    [query.data],
  );
  return { metrics, loading: query.loading };
}
