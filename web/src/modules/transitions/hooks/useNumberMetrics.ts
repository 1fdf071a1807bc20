// The workspace's metrics a profile can add up: numbers, not times or strings (the server refuses those).
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';

export interface MetricChoice {
  key: string;
  name: string;
}

interface MetricJson extends MetricChoice {
  type: 'number' | 'timestamp' | 'string';
}

export function useNumberMetrics(): { metrics: MetricChoice[]; loading: boolean } {
  const query = useApiQuery<{ items: MetricJson[] }>('/metrics');
  const metrics = useMemo(() => (query.data?.items ?? []).filter((metric) => metric.type === 'number').map(({ key, name }) => ({ key, name })), [query.data]);
  return { metrics, loading: query.loading };
}
