import { Alert, Card, Drawer, Empty, Grid, Space, Spin, Table, Typography } from 'antd';
import { CardLines } from '../../app/components/CardLines';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useSession } from '../../app/hooks/useSession';
import { formatNumber, formatShare } from '../../app/utils/format';
import { metricName } from '../../app/utils/metricNames';
import { pluralKey } from '../../app/utils/messages';
import { formatMetricFigure } from '../../transitions/utils/profileRows';
import { useNumberMetrics } from '../../transitions/hooks/useNumberMetrics';
import { useModelWords } from '../../models/hooks/useModelWords';
import { useSegmentInsight, type InsightTarget } from '../hooks/useSegmentInsight';
import type { MetricSummary, SegmentInsight as SegmentInsightAnswer } from '../../../../../src/core/segment-insight';
import { InsightTagBars } from './InsightTagBars';

type MetricRow = SegmentInsightAnswer['metrics'][number];

/**
 * What sets a segment apart (人群洞察): its key metrics (mean, median and quartiles) beside
 * everyone's, then every tag the reader may see, the most distinctive first, each value's share
 * of the segment against its share of everyone and the TGI. For a saved segment, or the expression being built.
 */
export function SegmentInsight({ target, onClose }: { target: InsightTarget; onClose: () => void }) {
  useFocusReturn();
  const { t, lang } = useSession();
  const insight = useSegmentInsight(target);
  const numberMetrics = useNumberMetrics();
  const words = useModelWords();
  const data = insight.data;
  // A phone shows each metric as lines of label and figure: the table's six columns squeezed the
  // metric's name to a character a line and left everyone's median and the difference off the screen.
  const phone = Grid.useBreakpoint().md === false;
  const isShare = (key: string) => numberMetrics.metrics.find((metric) => metric.key === key)?.share === true;
  const figure = (key: string, value: number | null) => (value === null ? '—' : formatMetricFigure(key, value, lang, isShare(key)));
  // The median, and below it the quartiles the middle half of the customers lie between.
  const median = (key: string, side: MetricSummary, testId: string) =>
    side.median === null ? (
      <span data-testid={testId}>—</span>
    ) : (
      <div data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
        <div data-testid={`${testId}-value`}>{figure(key, side.median)}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`${testId}-quartiles`}>
          {t('segments.insightQuartiles', { low: figure(key, side.p25), high: figure(key, side.p75) })}
        </Typography.Text>
      </div>
    );
  const nameOf = (row: MetricRow) => metricName(numberMetrics.metrics.find((known) => known.key === row.key) ?? row, lang);
  const difference = (row: MetricRow) => {
    const { mean } = row.members;
    const everyone = row.everyone.mean;
    if (mean === null || everyone === null || everyone === 0) return '—';
    // A change that rounds to nothing reads 0%, not -0%.
    return (mean / everyone - 1).toLocaleString(lang, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  };
  return (
    <Drawer open width={760} title={'segment' in target ? t('segments.insightTitle', { name: target.name }) : t('segments.insightBuiltTitle')} onClose={onClose} data-testid="segment-insight">
      {insight.error && <Alert data-testid="segment-insight-error" type="error" showIcon message={t('common.error')} description={insight.error.message} />}
      {!data && insight.loading && <Spin />}
      {data && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Text data-testid="segment-insight-summary">
            {t(pluralKey('segments.insightSummary', data.population), { members: formatNumber(data.members, lang), population: formatNumber(data.population, lang), share: formatShare(data.members, data.population) })}
          </Typography.Text>
          {data.members === 0 ? (
            <Empty data-testid="segment-insight-empty" description={t('segments.insightEmpty')} />
          ) : (
            <>
              <Card size="small" title={t('segments.insightMetrics')}>
                {phone ? (
                  <Space data-testid="segment-insight-metrics" direction="vertical" size={12} style={{ width: '100%' }}>
                    {data.metrics.map((row) => (
                      <div key={row.key} data-testid={`segment-insight-metric-card-${row.key}`}>
                        <Typography.Text strong data-testid={`segment-insight-metric-name-${row.key}`}>
                          {nameOf(row)}
                        </Typography.Text>
                        <CardLines
                          lines={[
                            [t('segments.insightMembersMean'), <span data-testid={`segment-insight-metric-${row.key}`}>{figure(row.key, row.members.mean)}</span>],
                            [t('segments.insightMembersMedian'), median(row.key, row.members, `segment-insight-median-${row.key}`)],
                            [t('segments.insightEveryoneMean'), figure(row.key, row.everyone.mean)],
                            [t('segments.insightEveryoneMedian'), median(row.key, row.everyone, `segment-insight-everyone-median-${row.key}`)],
                            [t('segments.insightDifference'), <span data-testid={`segment-insight-difference-${row.key}`}>{difference(row)}</span>],
                          ]}
                        />
                      </div>
                    ))}
                  </Space>
                ) : (
                  <Table<MetricRow>
                    data-testid="segment-insight-metrics"
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={data.metrics}
                    columns={[
                      { title: t('segments.insightMetric'), key: 'metric', render: (_, row) => nameOf(row) },
                      { title: t('segments.insightMembersMean'), key: 'members', align: 'right', render: (_, row) => <span data-testid={`segment-insight-metric-${row.key}`}>{figure(row.key, row.members.mean)}</span> },
                      { title: t('segments.insightMembersMedian'), key: 'members-median', align: 'right', render: (_, row) => median(row.key, row.members, `segment-insight-median-${row.key}`) },
                      { title: t('segments.insightEveryoneMean'), key: 'everyone', align: 'right', render: (_, row) => figure(row.key, row.everyone.mean) },
                      { title: t('segments.insightEveryoneMedian'), key: 'everyone-median', align: 'right', render: (_, row) => median(row.key, row.everyone, `segment-insight-everyone-median-${row.key}`) },
                      { title: t('segments.insightDifference'), key: 'difference', align: 'right', render: (_, row) => <span data-testid={`segment-insight-difference-${row.key}`}>{difference(row)}</span> },
                    ]}
                  />
                )}
              </Card>
              <Typography.Text type="secondary">{t(pluralKey('segments.insightHint', data.min_members), { count: data.min_members })}</Typography.Text>
              {data.tags.length === 0 ? (
                <Empty description={t('segments.insightNoTags')} />
              ) : (
                data.tags.map((tag) => <InsightTagBars key={tag.key} tag={tag} minMembers={data.min_members} words={words} />)
              )}
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
