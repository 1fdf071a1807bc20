import { Alert, Button, Drawer, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { downloadResponse } from '../../app/utils/downloadResponse';
import type { PreviewRow } from '../../app/utils/types';
import { maskPhone } from '../../portrait/utils/maskPhone';
import { TagChip } from '../../tags/components/TagChip';
import { MEMBERS_PAGE_SIZE, useFlowMembers, type FlowSelection } from '../hooks/useFlowMembers';

export interface OpenFlow extends FlowSelection {
  fromName: string;
  toName: string;
}

/** The customers behind one number of the matrix, a page at a time, each linked to their portrait. */
export function FlowMembersDrawer({ flow, colors, onClose }: { flow: OpenFlow; colors: Map<string, string>; onClose: () => void }) {
  const { t } = useSession();
  const [page, setPage] = useState(1);
  const members = useFlowMembers(flow, page);
  const api = useApi();
  const { can } = usePermissions();
  // Every customer of the flow, over the same instants as the list; the server logs the export first.
  const exportCsv = () => {
    const query = new URLSearchParams({ from: flow.from, to: flow.to, from_value: flow.fromValue, to_value: flow.toValue, format: 'csv' });
    void api.raw('GET', `/tags/${encodeURIComponent(flow.tag)}/transitions/export?${query.toString()}`).then((response) => downloadResponse(response, `${flow.tag}-${flow.fromValue}-${flow.toValue}.csv`));
  };
  return (
    <Drawer
      open
      width="min(860px, 100vw)"
      title={t('transitions.members', { from: flow.fromName, to: flow.toName })}
      onClose={onClose}
      data-testid="transitions-members-drawer"
      extra={
        can('export') && (
          <Button size="small" icon={<DownloadOutlined />} onClick={exportCsv} data-testid="transitions-members-export">
            {t('common.export')}
          </Button>
        )
      }
    >
      {members.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={members.error.message} />}
      <Table<PreviewRow>
        data-testid="transitions-members"
        scroll={{ x: 'max-content' }}
        size="small"
        rowKey="id"
        loading={members.loading}
        dataSource={members.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: MEMBERS_PAGE_SIZE,
          total: members.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => <span data-testid="transitions-members-total">{t('customers.total', { total })}</span>,
        }}
        columns={[
          { title: t('customers.id'), dataIndex: 'id', width: 110, render: (id: string) => <Link to={`/customers/${encodeURIComponent(id)}`}>{id}</Link> },
          { title: t('customers.name'), dataIndex: 'name', width: 110, render: (name: string | null, row) => <Link to={`/customers/${encodeURIComponent(row.id)}`}>{name ?? '—'}</Link> },
          { title: t('customers.city'), dataIndex: 'city', width: 80 },
          { title: t('customers.level'), dataIndex: 'member_level', width: 100 },
          { title: t('customers.phone'), dataIndex: 'phone', width: 130, render: (phone: string | null) => maskPhone(phone) },
          { title: t('customers.tags'), dataIndex: 'tags', render: (tags: string[]) => tags.map((label) => <TagChip key={label} label={label} color={colors.get(label)} />) },
        ]}
      />
    </Drawer>
  );
}
