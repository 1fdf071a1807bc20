import { ExportButtons, type ExportFileFormat } from '../../app/components/ExportButtons';
import { Alert, Button, Drawer, Grid, Space, Typography } from 'antd';
import { TagsOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useBrowseLimit } from '../../app/hooks/useBrowseLimit';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { downloadResponse, type DownloadOptions } from '../../app/utils/downloadResponse';
import { exportColumnsQuery, type ExportColumns } from '../../app/utils/exportColumns';
import type { PreviewRow } from '../../app/utils/types';
import { BulkTagDialog } from '../../customers/components/BulkTagDialog';
import { CustomerCards } from '../../customers/components/CustomerCards';
import { customerColumns } from '../../customers/components/CustomerTable';
import { useModelWords } from '../../models/hooks/useModelWords';
import type { TagJson } from '../../app/utils/types';
import { MEMBERS_PAGE_SIZE, useFlowMembers, type FlowSelection } from '../hooks/useFlowMembers';
import { pluralKey } from '../../app/utils/messages';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { DrawerTable } from '../../app/components/DrawerTable';
import { periodText } from '../utils/period';

export interface OpenFlow extends FlowSelection {
  fromName: string;
  toName: string;
}

/**
 * The customers behind one number of the matrix, a page at a time, each linked to their portrait: a
 * table on a wide screen, and on a phone a card each, saying under the name the values the customer
 * went between and the period it was over, where the table's later columns lay a sideways scroll away.
 */
export function FlowMembersDrawer({ flow, colors, tags, onClose }: { flow: OpenFlow; colors: Map<string, string>; tags: TagJson[]; onClose: () => void }) {
  useFocusReturn();
  const { t, lang, utcOffsetMinutes } = useSession();
  const words = useModelWords();
  const pager = usePagerLabels();
  const [page, setPage] = useState(1);
  const members = useFlowMembers(flow, page);
  const api = useApi();
  const { can } = usePermissions();
  // Tagging everyone of the flow, e.g. a win-back tag on the 重要价值客户 who became 重要保持客户.
  const [tagging, setTagging] = useState(false);
  const total = members.data?.total ?? 0;
  // A role that may not export pages through the first customers only (the server refuses the rest).
  const browsing = useBrowseLimit(total, 'customers.browseLimit');
  // Every customer of the flow, over the same instants as the list; the server logs the export first.
  // Busy while the file is made; a refusal says why, rather than nothing happening.
  // Beside the title they squeezed it to a word a line on a phone: there they go above the list.
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;
  // Cards below the width where the customer list shows them too.
  const cards = screens.md === false;
  const exportMembers = async (format: ExportFileFormat, download: DownloadOptions, columns: ExportColumns) => {
    const query = new URLSearchParams({ from: flow.from, to: flow.to, from_value: flow.fromValue, to_value: flow.toValue, format, header: 'names' });
    await downloadResponse(await api.raw('GET', `/tags/${encodeURIComponent(flow.tag)}/transitions/export?${query.toString()}${exportColumnsQuery(columns)}`, undefined, download.signal), `${flow.tag}-${flow.fromValue}-${flow.toValue}.${format}`, download);
  };
  const shown = (label: string) => words.label(label);
  const pagination = {
    ...pager,
    current: page,
    pageSize: MEMBERS_PAGE_SIZE,
    total: browsing.pagedTotal,
    showSizeChanger: false,
    onChange: setPage,
    showTotal: () => <span data-testid="transitions-members-total">{t(pluralKey('customers.total', total), { total })}</span>,
  };
  const actions = (
    <Space>
      {can('write') && (
        <Button size="small" icon={<TagsOutlined />} disabled={total === 0} onClick={() => setTagging(true)} data-testid="transitions-members-tag">
          {t('customers.bulkTag')}
        </Button>
      )}
      {can('export') && (
        <ExportButtons size="small" icon testId="transitions-members-export" onExport={exportMembers} columns />
      )}
    </Space>
  );
  return (
    <Drawer
      open
      width="min(860px, 100vw)"
      title={t('transitions.members', { from: flow.fromName, to: flow.toName })}
      onClose={onClose}
      data-testid="transitions-members-drawer"
      extra={phone ? undefined : actions}
    >
      {tagging && (
        <BulkTagDialog
          action="assign"
          target={{ kind: 'flow', tag: flow.tag, from: flow.from, to: flow.to, fromValue: flow.fromValue, toValue: flow.toValue, count: total }}
          tags={tags}
          onClose={(changed) => {
            setTagging(false);
            // The customers' tags shown in the list may have changed.
            if (changed) members.reload();
          }}
        />
      )}
      {phone && <div style={{ marginBottom: 12 }}>{actions}</div>}
      {members.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={members.error.message} />}
      {browsing.note !== undefined && (
        <Typography.Paragraph type="secondary" data-testid="transitions-browse-limit">
          {browsing.note}
        </Typography.Paragraph>
      )}
      {cards ? (
        <CustomerCards
          testId="transitions-members"
          rows={members.data?.items ?? []}
          loading={members.loading}
          colors={colors}
          shown={shown}
          empty={t('common.empty')}
          // The simple pager (‹ 3 / 10 ›), as the customer list's cards have: it stays on one line of a phone.
          pagination={{ ...pagination, simple: true }}
          selected={[]}
          leadingLines={[
            [t('transitions.memberFlow'), `${flow.fromName} → ${flow.toName}`],
            [t('transitions.period'), periodText(flow.from, flow.to, lang, utcOffsetMinutes, (ends) => t('transitions.range', ends))],
          ]}
        />
      ) : (
        <DrawerTable<PreviewRow> testId="transitions-members" rows={members.data?.items} loading={members.loading} pagination={pagination} columns={customerColumns(t, colors, { shown })} />
      )}
    </Drawer>
  );
}
