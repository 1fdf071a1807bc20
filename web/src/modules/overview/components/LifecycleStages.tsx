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
          // Each stage named beside its layer rather than inside it: inside, a thin layer (few customers) left its name spilling over its edges in the layer's own colour.
          left: '4%',
          width: '56%',
          top: 16,
          bottom: 16,
          minSize: '6%',
          label: { show: true, position: 'right', color: '#1f1f1f', formatter: namedCountLabel(lang) },
          labelLine: { show: true, length: 12 },
          data: (lifecycle?.values ?? []).map((value) => ({ name: value.name, value: value.customers })),
        },
      ],
    }),
    [lifecycle, lang],
  );
  return (
    <Card title={t('overview.lifecycle')} loading={loading}>
      {lifecycle?.status === 'active' ? <Chart option={option} testId="lifecycle-chart" height={300} renderer="svg" /> : (
        <ModelMissing model="lifecycle" message={t('overview.lifecycleMissing')} testId="lifecycle" />
      )}
    </Card>
  );
}
