import { Card, Table } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import type { Portrait } from '../hooks/usePortrait';
import { HistoryAction } from './HistoryAction';

export function TagHistoryTable({ history }: { history: Portrait['recent_history'] }) {
  const { t, lang } = useSession();
  return (
    <Card title={t('portrait.history')}>
      <Table
        scroll={{ x: 'max-content' }}
        data-testid="portrait-history"
        size="small"
        pagination={false}
        rowKey={(row) => `${row.at}-${row.label}-${row.action}`}
        dataSource={history}
        columns={[
          { title: t('history.at'), dataIndex: 'at', width: 100, render: (at: string) => formatTime(at, lang) },
          { title: t('history.action'), dataIndex: 'action', width: 80, render: (action: string) => <HistoryAction action={action} /> },
          { title: t('history.label'), dataIndex: 'label', width: '45%' },
          { title: t('history.source'), dataIndex: 'source', width: 70 },
          { title: t('history.actor'), dataIndex: 'actor', width: 100, ellipsis: true },
        ]}
      />
    </Card>
  );
}
