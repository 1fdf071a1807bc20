import { Card, Empty } from 'antd';
import { useMemo } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { Chart } from '../../charts/components/Chart';
import { countLabel } from '../../charts/utils/countLabels';
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName';
import { valuesFromTop } from '../../models/utils/valuesFromTop';
import { ModelMissing } from './ModelMissing';

/**
 * Customers per lifecycle stage, in the stages' order from the top, as the Models page lists them (`valuesFromTop`). Bars rather than a funnel:
 * the stages are not steps that only lose customers (the lost ones outnumber those declining,
 * the potential ones the new), and a funnel drew a larger stage as a smaller layer. In English the
 * stages the tag keeps as the catalog named them read by the catalog's English names.
 */
export function LifecycleStages({ lifecycle, catalog, loading, unread }: { lifecycle: TagJson | undefined; catalog: readonly CatalogValue[]; loading: boolean; unread: boolean }) {
  const { t, lang } = useSession();
  const values = useMemo(() => (lifecycle ? valuesFromTop(lifecycle) : []), [lifecycle]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', inverse: true, axisTick: { show: false }, data: values.map((value) => modelValueName(value, catalog, lang)) },
      series: [
        {
          type: 'bar',
          barMaxWidth: 28,
          data: values.map((value) => ({ value: value.customers, itemStyle: { color: value.color ?? '#1677ff' } })),
          label: { show: true, position: 'right', color: '#1f1f1f', formatter: countLabel(lang) },
        },
      ],
    }),
    [values, catalog, lang],
  );
  return (
    <Card title={t('overview.lifecycle')} loading={loading}>
      {unread ? (
        <Empty data-testid="lifecycle-unread" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.notLoaded')} />
      ) : lifecycle?.status === 'active' ? <Chart option={option} testId="lifecycle-chart" height={300} renderer="svg" /> : (
        <ModelMissing model="lifecycle" message={t('overview.lifecycleMissing')} testId="lifecycle" />
      )}
    </Card>
  );
}
