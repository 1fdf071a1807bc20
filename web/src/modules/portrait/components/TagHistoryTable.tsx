import { Card, Table } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import { useModels } from '../../models/hooks/useModels';
import { modelLabel } from '../../models/utils/modelLabel';
import type { Portrait } from '../hooks/usePortrait';
import { HistoryAction } from './HistoryAction';
import { HistorySource } from './HistorySource';
import { historyLabel } from '../utils/historyLabel';

/** A customer's recent tag changes; a model's tag in English by the catalog's English words, as on the overview. */
export function TagHistoryTable({ history }: { history: Portrait['recent_history'] }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { models } = useModels();
  return (
    <Card title={t('portrait.history')}>
      <Table
        // Wide enough for every column; narrower only on a phone, where the table scrolls sideways.
        scroll={{ x: 440 }}
        data-testid="portrait-history"
        size="small"
        pagination={false}
        rowKey={(row) => `${row.at}-${row.label}-${row.action}`}
        dataSource={history}
        columns={[
          { title: t('history.at'), dataIndex: 'at', width: 100, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
          { title: t('history.action'), dataIndex: 'action', width: 80, render: (action: string) => <HistoryAction action={action} /> },
          { title: t('history.label'), dataIndex: 'label', render: (label: string, row) => historyLabel(t, { ...row, label: modelLabel(label, models, lang) }) },
          { title: t('history.by'), dataIndex: 'source', width: 120, render: (source: string, row) => <HistorySource source={source} actor={row.actor} /> },
        ]}
      />
    </Card>
  );
}
