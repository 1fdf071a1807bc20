import { Card, theme } from 'antd';
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { formatMoney, formatNumber, formatTime, isMoneyMetric } from '../../app/utils/format';
import { metricName, metricValueLabel } from '../../app/utils/metricNames';
import { formatShareValue, shareMetricKeys } from '../../app/utils/metricShares';
import type { MetricFormulaJson } from '../../app/utils/types';
import type { Portrait } from '../hooks/usePortrait';

export function PortraitMetrics({ metrics }: { metrics: Portrait['metrics'] }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { token } = theme.useToken();
  const shown = metrics.filter((metric) => metric.value !== null);
  // The portrait names its metrics' values, not what they measure: the definitions say which are shares.
  const definitions = useApiQuery<{ items: MetricFormulaJson[] }>('/metrics');
  const shares = useMemo(() => shareMetricKeys(definitions.data?.items ?? []), [definitions.data]);
  return (
    <Card title={t('portrait.metrics')} data-testid="portrait-metrics">
      {/* Names and values in columns of their own (tb-metric-list in index.html): a long English name
          ("Spend, last 30 days, net of refunds") wraps within its column, and its value stays level
          with its first line and in line with the values above and below it, each name read whole. */}
      <div className="tb-metrics">
        <dl className="tb-metric-list">
        {shown.map((metric) => [
          <dt key={`name:${metric.key}`} style={{ color: token.colorTextTertiary }}>
            {metricName(metric, lang)}
          </dt>,
          <dd key={`value:${metric.key}`} style={{ color: token.colorText }}>
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
          </dd>,
        ])}
        </dl>
      </div>
    </Card>
  );
}
