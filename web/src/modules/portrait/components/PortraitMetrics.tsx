import { Card, Descriptions } from 'antd';
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { CARD_DESCRIPTION_COLUMNS, formatMoney, formatNumber, formatTime, isMoneyMetric } from '../../app/utils/format';
import { metricName, metricValueLabel } from '../../app/utils/metricNames';
import { formatShareValue, shareMetricKeys } from '../../app/utils/metricShares';
import type { MetricFormulaJson } from '../../app/utils/types';
import type { Portrait } from '../hooks/usePortrait';

export function PortraitMetrics({ metrics }: { metrics: Portrait['metrics'] }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const shown = metrics.filter((metric) => metric.value !== null);
  // The portrait names its metrics' values, not what they measure: the definitions say which are shares.
  const definitions = useApiQuery<{ items: MetricFormulaJson[] }>('/metrics');
  const shares = useMemo(() => shareMetricKeys(definitions.data?.items ?? []), [definitions.data]);
  return (
    <Card title={t('portrait.metrics')} data-testid="portrait-metrics">
      {/* A value as wide as it is: the long English names beside it wrap instead (otherwise a number stood one digit per line). */}
      <Descriptions size="small" column={CARD_DESCRIPTION_COLUMNS} styles={{ content: { minWidth: 'max-content' } }}>
        {shown.map((metric) => (
          <Descriptions.Item key={metric.key} label={metricName(metric, lang)}>
            <span data-testid={`portrait-metric-${metric.key}`}>
              {metric.type === 'timestamp' && typeof metric.value === 'string'
                ? formatTime(metric.value, lang, utcOffsetMinutes)
                : typeof metric.value === 'number'
                  ? shares.has(metric.key)
                    ? formatShareValue(metric.value, lang)
                    : isMoneyMetric(metric.key)
                      ? formatMoney(metric.value, lang)
                      : formatNumber(metric.value, lang)
                  : metric.value === null
                    ? null
                    : metricValueLabel(t, metric.key, metric.value)}
            </span>
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}
