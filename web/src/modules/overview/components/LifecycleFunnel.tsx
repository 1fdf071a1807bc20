import { Card } from 'antd';
import { useMemo } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { Chart } from '../../charts/components/Chart';
import { namedCountLabel } from '../../charts/utils/countLabels';
import { ModelMissing } from './ModelMissing';

/** Customers per lifecycle stage, in the stages' order. */
export function LifecycleFunnel({ lifecycle, loading }: { lifecycle: TagJson | undefined; loading: boolean }) {
  const { t, lang } = useSession();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: namedCountLabel(lang, ': ') },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          minSize: '10%',
          label: { show: true, position: 'inside', formatter: namedCountLabel(lang) },
          data: (lifecycle?.values ?? []).map((value) => ({ name: value.name, value: value.customers })),
        },
      ],
    }),
    [lifecycle, lang],
  );
  return (
    <Card title={t('overview.lifecycle')} loading={loading}>
      {lifecycle?.status === 'active' ? <Chart option={option} testId="lifecycle-chart" height={300} /> : (
        <ModelMissing model="lifecycle" message={t('overview.lifecycleMissing')} testId="lifecycle" />
      )}
    </Card>
  );
}
