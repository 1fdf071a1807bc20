import { Card, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { formatShare } from '../../app/utils/format';
import { SizeSparkline } from '../../segments/components/SizeSparkline';
import { useSegmentSizes } from '../../segments/hooks/useSegmentSizes';
import { useSegments, type SegmentJson } from '../../segments/hooks/useSegments';

/** The saved segments at a glance: members now, their share of everyone, and the last 30 days; nothing while none is saved. */
export function SegmentWatch() {
  const { t, lang } = useSession();
  const { segments, counts, loading } = useSegments();
  const sizes = useSegmentSizes(segments.map((segment) => segment.key), 30);
  if (segments.length === 0) return null;
  return (
    <Card title={t('overview.segments')} extra={<Link to="/segments">{t('overview.allSegments')}</Link>}>
      <Table<SegmentJson>
        data-testid="overview-segments"
        size="small"
        rowKey="key"
        loading={loading}
        dataSource={segments}
        pagination={false}
        scroll={{ x: 360 }}
        columns={[
          { title: t('segments.name'), dataIndex: 'name', render: (name: string, row) => <Typography.Text strong title={row.expression}>{name}</Typography.Text> },
          { title: t('segments.count'), key: 'count', width: 64, align: 'right', render: (_, row) => counts.get(row.key)?.toLocaleString(lang) ?? '…' },
          {
            title: t('overview.segmentShare'),
            key: 'share',
            width: 64,
            align: 'right',
            render: (_, row) => {
              const count = counts.get(row.key);
              const population = sizes.get(row.key)?.at(-1)?.population;
              return count === undefined || population === undefined ? '…' : formatShare(count, population);
            },
          },
          { title: t('segments.trend'), key: 'trend', width: 112, render: (_, row) => <SizeSparkline segment={row} points={sizes.get(row.key)} /> },
        ]}
      />
    </Card>
  );
}
