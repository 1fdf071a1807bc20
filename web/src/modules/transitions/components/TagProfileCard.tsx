import { Alert, Card, Progress, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMemo, type CSSProperties } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { formatNumber, formatShare } from '../../app/utils/format';
import { metricName } from '../../app/utils/metricNames';
import type { CatalogValue } from '../../models/utils/modelValueName';
import { TagChip } from '../../tags/components/TagChip';
import { useNumberMetrics } from '../hooks/useNumberMetrics';
import { useTagProfile } from '../hooks/useTagProfile';
import { formatMetricFigure, profileRows, type ProfileRow } from '../utils/profileRows';
import { ProfileMetricPicker } from './ProfileMetricPicker';
import { ProfileSegmentPicker } from './ProfileSegmentPicker';
import { pluralKey } from '../../app/utils/messages';
import { knownRows } from '../../app/utils/knownRows';

const TOTAL_BACKGROUND = '#fafafa';
const TOTALS_DIVIDER = '2px solid #d9d9d9';
const FIGURE: CSSProperties = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

/** Totals read apart from the values: shaded, and a rule above the first of them. */
function totalCell(row: ProfileRow): { style: CSSProperties } {
  if (row.kind === 'value') return { style: {} };
  return { style: { background: TOTAL_BACKGROUND, ...(row.kind === 'holders' ? { borderTop: TOTALS_DIVIDER } : {}) } };
}

/**
 * A tag's values side by side as they are now, whatever the period above: customers, share of
 * everyone, and per metric the mean among those with a value, their median with its quartiles,
 * and the sum; then the tag's holders together and everyone, to compare each value against.
 */
export function TagProfileCard({
  tag,
  catalog,
  metrics,
  onChooseMetrics,
  among,
  onChooseAmong,
}: {
  tag: string;
  /** The values of the model whose tag this is, as its catalog names them. */
  catalog: readonly CatalogValue[];
  metrics: string[] | undefined;
  onChooseMetrics: (keys: string[]) => void;
  among: string | undefined;
  onChooseAmong: (segment: string | undefined) => void;
}) {
  const { t, lang } = useSession();
  const profile = useTagProfile(tag, metrics, among);
  const numberMetrics = useNumberMetrics();
  const answer = profile.error ? undefined : profile.data;
  const rows = useMemo(() => (answer ? profileRows(answer, catalog, lang) : []), [answer, catalog, lang]);
  const options = numberMetrics.metrics.length > 0 ? numberMetrics.metrics : (answer?.metrics ?? []);
  // The address may name metrics by name, as the API allows; the picker speaks keys.
  const chosen = metrics?.map((entry) => numberMetrics.metrics.find((metric) => metric.key === entry || metric.name === entry)?.key ?? entry) ?? answer?.metrics.map((metric) => metric.key) ?? [];
  const population = answer?.population ?? 0;

  const rowName = (row: ProfileRow) => {
    if (row.kind === 'value') return <TagChip label={row.name} color={row.color} />;
    const within = answer?.within;
    const everyone = within && 'segment' in within ? t('transitions.profileWithin', { name: within.name }) : t('transitions.profileEveryone');
    return <Typography.Text strong>{row.kind === 'holders' ? t('transitions.profileHolders') : everyone}</Typography.Text>;
  };
  // A total of averages or of days since means nothing: only what adds up is added up.
  const adds = (key: string) => numberMetrics.metrics.find((metric) => metric.key === key)?.additive !== false;
  const isShare = (key: string) => numberMetrics.metrics.find((metric) => metric.key === key)?.share === true;
  const metricFigure = (row: ProfileRow, key: string) => {
    const testId = `transitions-profile-${row.id}-${key}`;
    const totals = row.group.metrics[key];
    if (!totals || totals.mean === null) return <Typography.Text type="secondary" data-testid={testId}>—</Typography.Text>;
    return (
      <div data-testid={testId} style={FIGURE}>
        <Tooltip title={t(pluralKey('transitions.profileMeanOver', totals.customers), { count: formatNumber(totals.customers, lang) })}>
          <span data-testid={`${testId}-mean`}>{formatMetricFigure(key, totals.mean, lang, isShare(key))}</span>
        </Tooltip>
        {totals.median !== null && (
          <div>
            <Tooltip title={t('transitions.profileMedianTip')}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`${testId}-median`}>
                {t('transitions.profileMedian', { median: formatMetricFigure(key, totals.median, lang, isShare(key)), low: formatMetricFigure(key, totals.p25 ?? totals.median, lang, isShare(key)), high: formatMetricFigure(key, totals.p75 ?? totals.median, lang, isShare(key)) })}
              </Typography.Text>
            </Tooltip>
          </div>
        )}
        {adds(key) && (
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`${testId}-sum`}>
              {t('transitions.profileSum', { sum: formatMetricFigure(key, totals.sum, lang) })}
            </Typography.Text>
          </div>
        )}
      </div>
    );
  };
  const columns: TableColumnsType<ProfileRow> = [
    { title: t('transitions.value'), key: 'value', fixed: 'left', onCell: totalCell, render: (_, row) => rowName(row) },
    {
      title: t('transitions.profileCustomers'),
      key: 'customers',
      align: 'right',
      onCell: totalCell,
      render: (_, row) => (
        <span data-testid={`transitions-profile-${row.id}-customers`} style={FIGURE}>
          {formatNumber(row.group.customers, lang)}
        </span>
      ),
    },
    {
      title: t('transitions.profileShare'),
      key: 'share',
      onCell: totalCell,
      render: (_, row) => (
        <Space size={8} style={FIGURE}>
          {/* Normal even at 100%, where antd would turn the bar green as if something had succeeded. */}
          <Progress aria-label={t('transitions.profileShare')} percent={row.group.share * 100} showInfo={false} status="normal" size={[72, 6]} strokeColor={row.color} style={{ margin: 0 }} />
          <span data-testid={`transitions-profile-${row.id}-share`}>{formatShare(row.group.customers, population)}</span>
        </Space>
      ),
    },
    ...(answer?.metrics ?? []).map((metric) => ({
      title: (
        <div data-testid={`transitions-profile-metric-${metric.key}`} style={{ whiteSpace: 'nowrap' }}>
          {/* The profile names its metrics in Chinese; the metric list has the English names too. */}
          <div>{metricName(numberMetrics.metrics.find((known) => known.key === metric.key) ?? metric, lang)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t(adds(metric.key) ? 'transitions.profileMeanSum' : 'transitions.profileMean')}
          </Typography.Text>
        </div>
      ),
      key: `metric-${metric.key}`,
      align: 'right' as const,
      onCell: totalCell,
      render: (_: unknown, row: ProfileRow) => metricFigure(row, metric.key),
    })),
  ];

  return (
    <Card
      data-testid="transitions-profile-card"
      title={
        <Space size={12}>
          <span>{t('transitions.profile')}</span>
          {answer && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="transitions-profile-population">
              {t(pluralKey('transitions.profileNow', answer.population), { count: formatNumber(answer.population, lang) })}
            </Typography.Text>
          )}
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <ProfileSegmentPicker among={among} onChange={onChooseAmong} />
        <ProfileMetricPicker chosen={chosen} options={options} loading={numberMetrics.loading} onChange={onChooseMetrics} />
        {profile.error && <Alert data-testid="transitions-profile-error" type="error" showIcon message={t('common.error')} description={profile.error.message} />}
        {!profile.error && (
          <Table<ProfileRow> data-testid="transitions-profile" size="small" scroll={{ x: 'max-content' }} pagination={false} rowKey="id" loading={profile.loading} dataSource={knownRows(rows, profile.loading)} columns={columns} />
        )}
      </Space>
    </Card>
  );
}
