// Everything the overview shows, fetched side by side. The RFM and lifecycle charts read their
// models' tags, found through the models (a model's tag may have a key of its own); a model
// that is not enabled shows as such rather than as an error.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { HistoryJson, TagJson } from '../../app/utils/types';
import type { ModelJson } from '../../models/hooks/useModels';

export interface TrendJson {
  dates: string[];
  series: { value: string; name: string; counts: number[] }[];
}

export interface OverviewTotals {
  customers: number;
  tagged: number;
  tags: number;
  /** Care reminders due: the to-do list's length. */
  care_due: number;
}

export function useOverview() {
  const totals = useApiQuery<OverviewTotals>('/overview');
  const models = useApiQuery<{ items: ModelJson[] }>('/models');
  const tagOf = (key: string) => {
    const model = models.data?.items.find((candidate) => candidate.key === key);
    return model?.enabled ? (model.tag_key ?? model.key) : null;
  };
  // The values as the catalog names them, for the charts to name them in English.
  const catalogOf = (key: string) => models.data?.items.find((candidate) => candidate.key === key)?.values ?? [];
  const rfmKey = tagOf('rfm');
  const lifecycleKey = tagOf('lifecycle');
  const rfm = useApiQuery<TagJson>(rfmKey === null ? null : `/tags/${encodeURIComponent(rfmKey)}`);
  const lifecycle = useApiQuery<TagJson>(lifecycleKey === null ? null : `/tags/${encodeURIComponent(lifecycleKey)}`);
  const history = useApiQuery<{ items: HistoryJson[] }>('/history?limit=12');
  const rfmEnabled = rfmKey !== null && rfm.data !== undefined && rfm.data.status === 'active';
  const trend = useApiQuery<TrendJson>(rfmEnabled ? `/history/trend?tag=${encodeURIComponent(rfmKey)}&days=30` : null);
  const modelsLoading = models.loading && !models.data && !models.error;
  // A model whose state or tag could not be read is said so, not taken for one not enabled.
  const rfmUnread = Boolean(models.error ?? rfm.error);
  const lifecycleUnread = Boolean(models.error ?? lifecycle.error);
  return { totals, rfm, lifecycle, history, trend, rfmEnabled, rfmKey, modelsLoading, rfmUnread, lifecycleUnread, rfmCatalog: catalogOf('rfm'), lifecycleCatalog: catalogOf('lifecycle'), models: models.data?.items ?? [] };
}
