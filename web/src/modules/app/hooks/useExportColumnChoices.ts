// What an export of members can add as columns, named in the console's language: the workspace's
// metrics and custom fields (read only when asked for: a page of segments has a button a row).
import { useMemo } from 'react';
import { metricName } from '../utils/metricNames';
import { useApiQuery } from './useApiQuery';
import { useSession } from './useSession';

export interface ColumnChoice {
  key: string;
  name: string;
}

export interface ExportColumnChoices {
  /** Undefined until read (or when not asked for). */
  metrics: ColumnChoice[] | undefined;
  customFields: ColumnChoice[] | undefined;
  loading: boolean;
  error: boolean;
}

export function useExportColumnChoices(wanted: boolean): ExportColumnChoices {
  const { lang } = useSession();
  const metrics = useApiQuery<{ items: { key: string; name: string; name_en?: string | null }[] }>(wanted ? '/metrics' : null);
  const fields = useApiQuery<{ items: ColumnChoice[] }>(wanted ? '/fields' : null);
  const metricChoices = useMemo(() => metrics.data?.items.map((metric) => ({ key: metric.key, name: metricName(metric, lang) })), [metrics.data, lang]);
  const fieldChoices = useMemo(() => fields.data?.items.map(({ key, name }) => ({ key, name })), [fields.data]);
  return { metrics: metricChoices, customFields: fieldChoices, loading: metrics.loading || fields.loading, error: metrics.error !== undefined || fields.error !== undefined };
}
