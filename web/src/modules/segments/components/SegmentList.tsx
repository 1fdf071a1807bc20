import { App, Button, Card, Space, Table, Typography } from 'antd';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { downloadResponse } from '../../app/utils/downloadResponse';
import type { SegmentJson } from '../hooks/useSegments';

export function SegmentList({ segments, counts, loading }: { segments: SegmentJson[]; counts: Map<string, number>; loading: boolean }) {
  const { t, lang } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const path = (segment: SegmentJson) => `/segments/${encodeURIComponent(segment.key)}`;
  const snapshot = async (segment: SegmentJson) => {
    try {
      const taken = await api.post<{ members: number }>(`${path(segment)}/snapshots`);
      message.success(t('segments.snapshotDone', { count: taken.members }));
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Card title={t('segments.list')}>
      <Table<SegmentJson>
        scroll={{ x: 'max-content' }}
        data-testid="segment-list"
        size="middle"
        rowKey="key"
        loading={loading}
        dataSource={segments}
        pagination={false}
        columns={[
          { title: t('segments.name'), dataIndex: 'name', render: (name: string, row) => <Space direction="vertical" size={0}><Typography.Text strong>{name}</Typography.Text><Typography.Text type="secondary">{row.key}</Typography.Text></Space> },
          { title: t('segments.expression'), dataIndex: 'expression', render: (expression: string) => <Typography.Text code>{expression}</Typography.Text> },
          { title: t('segments.count'), key: 'count', width: 100, render: (_, row) => <span data-testid={`segment-count-${row.key}`}>{counts.get(row.key)?.toLocaleString(lang) ?? '…'}</span> },
          {
            title: t('segments.actions'),
            key: 'actions',
            width: 200,
            render: (_, row) => (
              <Space>
                {can('export') && (
                  <Button size="small" onClick={() => void api.raw('GET', `${path(row)}/export?format=csv`).then((response) => downloadResponse(response, `${row.key}.csv`))}>
                    {t('common.export')}
                  </Button>
                )}
                {can('write') && (
                  <Button size="small" onClick={() => void snapshot(row)}>
                    {t('segments.snapshot')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
