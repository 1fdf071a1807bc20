import { Alert, Drawer, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
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
  return (
    <Drawer open width="min(860px, 100vw)" title={t('transitions.members', { from: flow.fromName, to: flow.toName })} onClose={onClose} data-testid="transitions-members-drawer">
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
