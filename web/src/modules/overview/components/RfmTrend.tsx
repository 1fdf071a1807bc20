import { Card } from 'antd';
import { useMemo } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { Chart } from '../../charts/components/Chart';
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName';
import type { TrendJson } from '../hooks/useOverview';

/** Daily new customers per RFM level over the last 30 days, stacked; in English the levels by the catalog's English names. */
export function RfmTrend({ trend, catalog, loading }: { trend: TrendJson | undefined; catalog: readonly CatalogValue[]; loading: boolean }) {
  const { t, lang } = useSession();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: (trend?.dates ?? []).map((date) => date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: (trend?.series ?? []).map((entry) => ({ name: modelValueName({ key: entry.value, name: entry.name }, catalog, lang), type: 'bar', stack: 'levels', data: entry.counts })),
    }),
    [trend, catalog, lang],
  );
  return (
    // A title that wraps rather than losing its "last 30 days" to an ellipsis: the English one is longer than the card is wide at 1280 px.
    <Card title={t('overview.trend')} loading={loading} styles={{ title: { whiteSpace: 'normal' } }}>
      <Chart option={option} testId="rfm-trend" height={260} />
    </Card>
  );
}
