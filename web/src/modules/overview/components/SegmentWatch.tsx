import { Alert, Card, Grid, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { formatShare } from '../../app/utils/format';
import { SizeSparkline } from '../../segments/components/SizeSparkline';
import { useSegmentSizes } from '../../segments/hooks/useSegmentSizes';
import { useSegments, type SegmentJson } from '../../segments/hooks/useSegments';

/**
 * The saved segments at a glance: members now, their share of everyone, and the last 30 days;
 * nothing while none is saved. What could not be read is said, with the server's reason.
 */
export function SegmentWatch() {
  const { t, lang } = useSession();
  const { segments, counts, populations, countFailures, loading } = useSegments();
  const { sizes, failures } = useSegmentSizes(segments.map((segment) => segment.key), 30);
  // On a phone the share gives way (it is on the segments page), so that the name, the count and the
  // 30 days fit without scrolling sideways: with it, the last 30 days were out of sight at 375 px.
  const phone = Grid.useBreakpoint().sm === false;
  if (segments.length === 0) return null;
  const countFailure = countFailures.values().next().value;
  const sizeFailure = failures.values().next().value;
  return (
    <Card title={t('overview.segments')} extra={<Link to="/segments">{t('overview.allSegments')}</Link>}>
      {countFailure !== undefined && <Alert data-testid="overview-segments-count-error" type="warning" showIcon style={{ marginBottom: 12 }} message={t('segments.countsFailed', { error: countFailure })} />}
      {sizeFailure !== undefined && <Alert data-testid="overview-segments-sizes-error" type="warning" showIcon style={{ marginBottom: 12 }} message={t('segments.sizesFailed', { error: sizeFailure })} />}
      <Table<SegmentJson>
        data-testid="overview-segments"
        size="small"
        rowKey="key"
        loading={loading}
        dataSource={segments}
        pagination={false}
        {...(phone ? {} : { scroll: { x: 360 } })}
        columns={[
          { title: t('segments.name'), dataIndex: 'name', render: (name: string, row) => <Typography.Text strong title={row.expression}>{name}</Typography.Text> },
          { title: t('segments.count'), key: 'count', width: 64, align: 'right', render: (_, row) => counts.get(row.key)?.toLocaleString(lang) ?? (countFailures.has(row.key) ? '—' : '…') },
          {
            title: t('overview.segmentShare'),
            key: 'share',
            width: 64,
            responsive: ['sm'],
            align: 'right',
            // Of everyone when it was counted: the day's recorded size has the morning's population,
            // and customers added since would put the share above what it is.
            render: (_, row) => {
              const count = counts.get(row.key);
              const population = populations.get(row.key);
              if (count !== undefined && population !== undefined) return formatShare(count, population);
              return countFailures.has(row.key) ? '—' : '…';
            },
          },
          { title: t('segments.trend'), key: 'trend', width: 112, render: (_, row) => <SizeSparkline segment={row} points={sizes.get(row.key)} failure={failures.get(row.key)} /> },
        ]}
      />
    </Card>
  );
}
