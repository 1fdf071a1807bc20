import { ExportButtons, type ExportFileFormat } from '../../app/components/ExportButtons';
import { Alert, App, Button, Drawer, Space, Table, Typography } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { downloadResponse } from '../../app/utils/downloadResponse';
import { formatTime } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import type { SegmentJson } from '../hooks/useSegments';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';

interface SnapshotJson {
  id: number;
  expression: string;
  members: number;
  taken_at: string;
  actor: string | null;
}

/**
 * A saved segment's snapshots, newest first: freezes the members now, and downloads the members
 * of any earlier one — what a campaign was sent to, after the live segment has moved on.
 */
export function SegmentSnapshots({ segment, onClose, onExported }: { segment: SegmentJson; onClose: () => void; onExported: () => void }) {
  useFocusReturn();
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const path = `/segments/${encodeURIComponent(segment.key)}/snapshots`;
  const snapshots = useApiQuery<{ items: SnapshotJson[] }>(path);
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
        <Table<SnapshotJson>
          data-testid="segment-snapshot-list"
          // On a phone the columns scroll sideways inside the drawer, rather than push the export button past its edge.
          scroll={{ x: 600 }}
          size="small"
          rowKey="id"
          loading={snapshots.loading}
          dataSource={snapshots.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('segments.snapshotsNone') }}
          columns={[
            { title: t('segments.snapshotAt'), dataIndex: 'taken_at', width: 150, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
            { title: t('segments.snapshotBy'), dataIndex: 'actor', width: 110, render: (actor: string | null) => actorLabel(t, actor) },
            { title: t('segments.count'), dataIndex: 'members', width: 90, align: 'right', render: (members: number) => <span data-testid="segment-snapshot-members">{members.toLocaleString(lang)}</span> },
            { title: t('segments.expression'), dataIndex: 'expression', render: (expression: string) => <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{expression}</Typography.Text> },
            ...(can('export')
              ? [{ title: '', key: 'export', width: 110, render: (_: unknown, row: SnapshotJson) => <SnapshotExportButton segment={segment} snapshot={row} onExported={onExported} /> }]
              : []),
          ]}
        />
      </Space>
    </Drawer>
  );
}

function SnapshotExportButton({ segment, snapshot, onExported }: { segment: SegmentJson; snapshot: SnapshotJson; onExported: () => void }) {
  const api = useApi();
  const exportMembers = async (format: ExportFileFormat) => {
    const response = await api.raw('GET', `/segments/${encodeURIComponent(segment.key)}/snapshots/${snapshot.id}/export?format=${format}&header=names`);
    await downloadResponse(response, `${segment.name}-${snapshot.id}.${format}`);
    onExported();
  };
  return <ExportButtons size="small" testId={`segment-snapshot-export-${snapshot.id}`} onExport={exportMembers} />;
}
