import { ExportButtons, type ExportFileFormat } from '../../app/components/ExportButtons';
import { Alert, App, Button, Card, Col, Drawer, Row, Space, Statistic, Table, Typography } from 'antd';
import { CameraOutlined, DeleteOutlined, SwapOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { actorLabel } from '../../app/utils/actorLabel';
import { downloadResponse, type DownloadOptions } from '../../app/utils/downloadResponse';
import { exportColumnsQuery, type ExportColumns } from '../../app/utils/exportColumns';
import { formatTime } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import type { SegmentJson } from '../hooks/useSegments';
import { useSegmentSnapshots, type SnapshotJson } from '../hooks/useSegmentSnapshots';
import { ApiError } from '../../app/utils/api';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { knownRows } from '../../app/utils/knownRows';

interface SnapshotComparison {
  snapshot: SnapshotJson;
  now: number;
  stayed: number;
  joined: number;
  left: number;
}

type SnapshotPart = 'members' | 'stayed' | 'left' | 'joined';

/**
 * A saved segment's snapshots, newest first: freezes the members now, and downloads the members
 * of any earlier one — what a campaign was sent to, after the live segment has moved on — or
 * deletes one. A hundred are read at a time, earlier ones on request.
 */
export function SegmentSnapshots({ segment, onClose, onExported }: { segment: SegmentJson; onClose: () => void; onExported: () => void }) {
  useFocusReturn();
  const { t, lang, utcOffsetMinutes } = useSession();
  const pager = usePagerLabels();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const path = `/segments/${encodeURIComponent(segment.key)}/snapshots`;
  const snapshots = useSegmentSnapshots(path);
  const [compared, setCompared] = useState<number>();
  const remove = async (row: SnapshotJson) => {
    try {
      await api.del(`${path}/${row.id}`);
    } catch (error) {
      // Deleted meanwhile elsewhere: gone all the same, and said so in the server's words.
      if (error instanceof ApiError && error.problem.code === 'SNAPSHOT_NOT_FOUND') forget(row.id);
      throw error;
    }
    forget(row.id);
    message.success(t('segments.snapshotDeleted', { id: row.id }));
  };
  const forget = (id: number) => {
    snapshots.removed(id);
    if (compared === id) setCompared(undefined);
  };
  const taking = useBusyAction();
  const take = () =>
    taking.act(async () => {
      const taken = await api.post<{ members: number }>(path);
      message.success(t(pluralKey('segments.snapshotDone', taken.members), { count: taken.members }));
      snapshots.reload();
    });
  return (
    <Drawer open width={720} title={t('segments.snapshotsTitle', { name: segment.name })} onClose={onClose} data-testid="segment-snapshots">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('segments.snapshotsHint')}</Typography.Text>
        {can('write') && (
          <Button type="primary" icon={<CameraOutlined />} loading={taking.busy} data-testid="segment-snapshot-take" onClick={() => void take()}>
            {t('segments.snapshotTake')}
          </Button>
        )}
        {snapshots.error && <Alert type="error" showIcon message={snapshots.error.message} />}
        {compared !== undefined && <SnapshotComparisonCard key={compared} segment={segment} snapshotId={compared} onExported={onExported} />}
        <Table<SnapshotJson>
          data-testid="segment-snapshot-list"
          // On a phone the columns scroll sideways inside the drawer, rather than push the export button past its edge.
          scroll={{ x: 800 }}
          size="small"
          rowKey="id"
          loading={snapshots.loading}
          dataSource={knownRows(snapshots.items, snapshots.loading)}
          pagination={{ ...pager, pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('segments.snapshotsNone') }}
          columns={[
            { title: t('segments.snapshotAt'), dataIndex: 'taken_at', width: 150, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
            { title: t('segments.snapshotBy'), dataIndex: 'actor', width: 110, render: (actor: string | null) => actorLabel(t, actor) },
            { title: t('segments.count'), dataIndex: 'members', width: 90, align: 'right', render: (members: number) => <span data-testid="segment-snapshot-members">{members.toLocaleString(lang)}</span> },
            {
              title: t('segments.expression'),
              dataIndex: 'expression',
              render: (expression: string, row: SnapshotJson) => (
                <>
                  <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{expression}</Typography.Text>
                  {/* What the segments it read meant then: an edit of one since does not change what chose these members. */}
                  {(row.segments ?? []).map((read) => (
                    <div key={read.key} data-testid="segment-snapshot-read">
                      <Typography.Text type="secondary">{t('segments.snapshotRead', { name: read.name, key: read.key })}</Typography.Text>{' '}
                      <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{read.expression}</Typography.Text>
                    </div>
                  ))}
                </>
              ),
            },
            {
              title: '',
              key: 'compare',
              width: 110,
              render: (_: unknown, row: SnapshotJson) => (
                <Button size="small" icon={<SwapOutlined />} type={compared === row.id ? 'primary' : 'default'} data-testid={`segment-snapshot-compare-${row.id}`} onClick={() => setCompared(row.id)}>
                  {t('segments.snapshotCompare')}
                </Button>
              ),
            },
            ...(can('export')
              ? [{ title: '', key: 'export', width: 110, render: (_: unknown, row: SnapshotJson) => <SnapshotExportButton segment={segment} snapshotId={row.id} onExported={onExported} /> }]
              : []),
            ...(can('write')
              ? [
                  {
                    title: '',
                    key: 'delete',
                    width: 90,
                    render: (_: unknown, row: SnapshotJson) => (
                      <ConfirmedButton
                        label={t('segments.snapshotDelete')}
                        icon={<DeleteOutlined />}
                        ariaLabel={t('segments.snapshotDeleteNamed', { id: row.id })}
                        testId={`segment-snapshot-delete-${row.id}`}
                        title={t('segments.snapshotDeleteConfirm', { id: row.id, at: formatTime(row.taken_at, lang, utcOffsetMinutes) })}
                        description={t('segments.snapshotDeleteNote')}
                        okTestId="segment-snapshot-delete-ok"
                        run={() => remove(row)}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
        {snapshots.nextCursor !== null && (
          <div style={{ textAlign: 'center' }}>
            <Button data-testid="segment-snapshots-more" loading={snapshots.loading} onClick={snapshots.loadMore}>
              {t('segments.snapshotsMore')}
            </Button>
          </div>
        )}
      </Space>
    </Drawer>
  );
}

/** A snapshot against the segment now: who stayed, left and joined, each part exportable. */
function SnapshotComparisonCard({ segment, snapshotId, onExported }: { segment: SegmentJson; snapshotId: number; onExported: () => void }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const comparison = useApiQuery<SnapshotComparison>(`/segments/${encodeURIComponent(segment.key)}/snapshots/${snapshotId}/compare`);
  const parts = ['stayed', 'left', 'joined'] as const;
  return (
    <Card
      size="small"
      data-testid="segment-snapshot-comparison"
      loading={comparison.loading}
      title={comparison.data ? t('segments.snapshotCompareTitle', { id: snapshotId, at: formatTime(comparison.data.snapshot.taken_at, lang, utcOffsetMinutes) }) : t('segments.snapshotCompare')}
    >
      {comparison.error ? (
        <Alert type="error" showIcon message={comparison.error.message} />
      ) : (
        comparison.data && (
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('segments.snapshotCompareHint')}</Typography.Text>
            <Row gutter={[16, 16]}>
              {parts.map((part) => (
                <Col key={part} xs={12} sm={6}>
                  <Statistic title={t(`segments.part.${part}`)} value={comparison.data?.[part]} groupSeparator="," valueStyle={{ fontSize: 20 }} data-testid={`segment-snapshot-${part}`} />
                  {can('export') && (comparison.data?.[part] ?? 0) > 0 && <SnapshotExportButton segment={segment} snapshotId={snapshotId} part={part} onExported={onExported} />}
                </Col>
              ))}
              <Col xs={12} sm={6}>
                <Statistic title={t('segments.part.now')} value={comparison.data.now} groupSeparator="," valueStyle={{ fontSize: 20 }} data-testid="segment-snapshot-now" />
              </Col>
            </Row>
          </Space>
        )
      )}
    </Card>
  );
}

function SnapshotExportButton({ segment, snapshotId, part = 'members', onExported }: { segment: SegmentJson; snapshotId: number; part?: SnapshotPart; onExported: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const exportMembers = async (format: ExportFileFormat, download: DownloadOptions, columns: ExportColumns) => {
    try {
      const response = await api.raw('GET', `/segments/${encodeURIComponent(segment.key)}/snapshots/${snapshotId}/export?format=${format}&header=names&part=${part}${exportColumnsQuery(columns)}`, undefined, download.signal);
      await downloadResponse(response, `${segment.name}-${snapshotId}${part === 'members' ? '' : `-${t(`segments.part.${part}`)}`}.${format}`, download);
    } finally {
      // A cancelled export is logged too, as stopped.
      onExported();
    }
  };
  const testId = `segment-snapshot-export-${snapshotId}${part === 'members' ? '' : `-${part}`}`;
  return <ExportButtons size="small" compact={part !== 'members'} testId={testId} onExport={exportMembers} columns />;
}
