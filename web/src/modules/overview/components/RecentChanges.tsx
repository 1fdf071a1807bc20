import { Card, Table } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import type { HistoryJson } from '../../app/utils/types';
import { modelLabel, type CatalogModel } from '../../models/utils/modelLabel';
import { HistoryAction } from '../../portrait/components/HistoryAction';
import { HistorySource } from '../../portrait/components/HistorySource';
import { historyLabel } from '../../portrait/utils/historyLabel';
import { knownRows } from '../../app/utils/knownRows';

/**
 * The workspace's newest tag changes, each linked to the customer's portrait; a model's tag in English by the catalog's English words (`models`).
 * `items` is undefined until they are read: only then is "no tag changes yet" said.
 */
export function RecentChanges({ items, models, loading, unread }: { items: HistoryJson[] | undefined; models: readonly CatalogModel[]; loading: boolean; unread: boolean }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  return (
    <Card title={t('overview.recent')}>
      <Table<HistoryJson>
        // A minimum width, not max-content: a long customer name is cut short and the label has room on a tablet; a phone scrolls sideways.
        scroll={{ x: 680 }}
        data-testid="recent-changes"
        size="small"
        loading={loading}
        pagination={false}
        rowKey={(row, index) => `${row.at}-${row.customer_id}-${index}`}
        dataSource={knownRows(items, loading)}
        locale={{ emptyText: t(unread ? 'common.notLoaded' : 'overview.noChanges') }}
        columns={[
          { title: t('history.at'), dataIndex: 'at', width: 136, render: (at: string) => formatTime(at, lang, utcOffsetMinutes) },
          {
            title: t('history.customer'),
            dataIndex: 'customer_id',
            width: 150,
            ellipsis: true,
            render: (id: string, row) => (
              <Link to={`/customers/${encodeURIComponent(id)}`} title={row.customer_name ?? id}>
                {row.customer_name ?? id}
              </Link>
            ),
          },
          { title: t('history.action'), dataIndex: 'action', width: 80, render: (action: string) => <HistoryAction action={action} /> },
          { title: t('history.label'), dataIndex: 'label', render: (label: string, row) => historyLabel(t, { ...row, label: modelLabel(label, models, lang) }) },
          { title: t('history.by'), dataIndex: 'source', width: 160, render: (source: string, row) => <HistorySource source={source} actor={row.actor} /> },
        ]}
      />
    </Card>
  );
}
