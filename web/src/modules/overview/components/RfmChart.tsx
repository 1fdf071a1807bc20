import { Card, Empty } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { Chart } from '../../charts/components/Chart';
import { countLabel } from '../../charts/utils/countLabels';
import { modelValueName, type CatalogValue } from '../../models/utils/modelValueName';
import { valuesFromTop } from '../../models/utils/valuesFromTop';
import { ModelMissing } from './ModelMissing';

/** Customers per RFM level, from the tag's value counts; in English the levels by the catalog's English names. */
export function RfmChart({ rfm, catalog, tagKey, enabled, loading, unread }: { rfm: TagJson | undefined; catalog: readonly CatalogValue[]; tagKey: string | null; enabled: boolean; loading: boolean; unread: boolean }) {
  const { t, lang } = useSession();
  const option = useMemo(() => {
    const compact = new Intl.NumberFormat(lang, { notation: 'compact' });
    // The highest level at the top, as the Models page draws it.
    const values = rfm ? valuesFromTop(rfm) : [];
    return {
      tooltip: { trigger: 'axis' },
      // The level names measured rather than given a fixed margin; the axis in short numbers (2.5K; 2500 and 1万 in Chinese), which on a phone do not run into each other.
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: (value: number) => compact.format(value) } },
      yAxis: { type: 'category', inverse: true, data: values.map((value) => modelValueName(value, catalog, lang)) },
      series: [{ type: 'bar', data: values.map((value) => value.customers), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right', formatter: countLabel(lang) } }],
    };
  }, [rfm, catalog, lang]);
  return (
    <Card
      title={t('overview.rfm')}
      loading={loading}
      extra={
        enabled &&
        tagKey !== null && (
          <Link to={`/transitions?tag=${encodeURIComponent(tagKey)}`} data-testid="rfm-transitions">
            {t('overview.rfmTransitions')}
          </Link>
        )
      }
    >
      {unread ? (
        <Empty data-testid="rfm-unread" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.notLoaded')} />
      ) : !enabled ? (
        <ModelMissing model="rfm" message={t('overview.rfmMissing')} readOnlyMessage={t('overview.rfmMissingReadOnly')} testId="rfm" />
      ) : rfm && rfm.customers === 0 ? (
        // Enabled, yet no one bought in the window: the chart waits for buyers, not for anything to switch on.
        <Empty data-testid="rfm-ungraded" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('overview.rfmUngraded')} />
      ) : (
        <Chart option={option} testId="rfm-chart" height={300} />
      )}
    </Card>
  );
}
