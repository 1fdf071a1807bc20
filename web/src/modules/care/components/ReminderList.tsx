import { Alert, Button, Grid, Select, Space, Tag, Typography, type PaginationProps } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBrowseLimit } from '../../app/hooks/useBrowseLimit';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { useReminders } from '../hooks/useReminders';
import { REMINDER_STATUSES, type CarePlan, type ReminderStatus } from '../utils/types';
import { CareRunButton } from './CareRunButton';
import { ReminderCards } from './ReminderCards';
import { ReminderEmpty } from './ReminderEmpty';
import { ReminderTable } from './ReminderTable';
import { SegmentedChoice } from '../../app/components/SegmentedChoice';

const PAGE_SIZE = 20;

interface Props {
  plans: CarePlan[];
  /** Whether `plans` is the workspace's answer (not still on its way, nor failed): only then does none mean it has none. */
  plansKnown: boolean;
  status: ReminderStatus;
  /** A plan's key, or every plan. */
  plan: string | undefined;
  /** A customer's id (their reminders only), or every customer. */
  customer: string | undefined;
  /** Counts the plans changed elsewhere on the page: each change reloads the list. */
  planChanges: number;
  onStatus: (status: ReminderStatus) => void;
  onPlan: (plan: string | undefined) => void;
  onCustomer: (customer: string | undefined) => void;
  /** The plans' counts change with every reminder closed or brought due. */
  onChanged: () => void;
}

/** The staff's to-do list: reminders due, oldest first, to act on or dismiss; and those scheduled, closed or skipped. */
export function ReminderList({ plans, plansKnown, status, plan, customer, planChanges, onStatus, onPlan, onCustomer, onChanged }: Props) {
  const { t } = useSession();
  const pager = usePagerLabels();
  const { can } = usePermissions();
  // Another status, plan or customer starts from its first page.
  const filter = `${status}|${plan ?? ''}|${customer ?? ''}`;
  const [paging, setPaging] = useState({ filter, page: 1 });
  const page = paging.filter === filter ? paging.page : 1;
  const reminders = useReminders({ status, plan, customer, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const data = reminders.error ? undefined : reminders.data;
  // A role that may not export pages through the first reminders only (the server refuses the rest).
  const total = data?.total ?? 0;
  const { pagedTotal, note } = useBrowseLimit(total, 'care.reminder.browseLimit');
  const { reload } = reminders;
  useEffect(() => {
    if (planChanges > 0) reload();
  }, [planChanges, reload]);
  // The last reminder of the last page closed: the page before it is shown instead of an empty one.
  useEffect(() => {
    if (data && data.items.length === 0 && pagedTotal > 0 && page > 1) setPaging({ filter, page: Math.ceil(pagedTotal / PAGE_SIZE) });
  }, [data, page, filter, pagedTotal]);
  const changed = () => {
    reminders.reload();
    onChanged();
  };
  const reloadButton = useRef<HTMLButtonElement>(null);
  const fallbackFocus = useCallback(() => reloadButton.current, []);
  // On a phone each reminder is a card the screen's width, its message and buttons in sight; a
  // table there put them past the screen's edge, a sideways scroll away.
  const phone = Grid.useBreakpoint().md === false;
  const pagination: PaginationProps = {
    ...pager,
    current: page,
    pageSize: PAGE_SIZE,
    total: pagedTotal,
    showSizeChanger: false,
    // One page still shows its total (共 3 条); an empty list has no pager at all, rather than a
    // 共 0 条 under the sentence that says there is nothing. antd hides a pager of no pages then,
    // the table's and the cards' alike.
    hideOnSinglePage: total === 0,
    onChange: (next) => setPaging({ filter, page: next }),
    // The whole count, also where the pager stops at the first reminders.
    showTotal: () => <span data-testid="care-reminders-total">{t('care.reminder.total', { total })}</span>,
  };
  // No plan, no reminder of any status: the list says where plans are made rather than that none is due.
  const noPlans = plansKnown && plans.length === 0;
  const listed = {
    reminders: data?.items ?? [],
    status,
    loading: reminders.loading,
    empty: <ReminderEmpty status={status} failed={reminders.error !== undefined} noPlans={noPlans} />,
    pagination,
    onChanged: changed,
    fallbackFocus,
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {/* Each part no wider than the card: on a phone the five statuses (in English, wider than the
          screen) wrap onto a second line, all in sight, rather than hiding the last past the edge. */}
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }} styles={{ item: { maxWidth: '100%' } }}>
        <Space wrap style={{ maxWidth: '100%' }} styles={{ item: { maxWidth: '100%' } }}>
          <SegmentedChoice<ReminderStatus>
            data-testid="care-status"
            aria-label={t('care.reminder.status')}
            className="tb-wrapping-segmented"
            style={{ maxWidth: '100%' }}
            value={status}
            onChange={onStatus}
            options={REMINDER_STATUSES.map((each) => ({ value: each, label: <span data-testid={`care-status-${each}`}>{t(`care.status.${each}`)}</span> }))}
          />
          <Select<string>
            data-testid="care-plan-filter"
            aria-label={t('care.reminder.plan')}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('care.reminder.allPlans')}
            style={{ width: 200, maxWidth: '100%' }}
            value={plan}
            onChange={(key?: string) => onPlan(key)}
            options={plans.map((each) => ({ value: each.key, label: each.name }))}
          />
          {customer !== undefined && (
            <Tag closable data-testid="care-customer-filter" style={{ marginInlineEnd: 0, padding: '4px 8px' }} onClose={() => onCustomer(undefined)}>
              {t('care.reminder.customerFilter', { customer })}
            </Tag>
          )}
        </Space>
        <Space>
          {can('write') && <CareRunButton onRan={changed} />}
          <Button ref={reloadButton} icon={<ReloadOutlined />} data-testid="care-reload" aria-label={t('care.reload')} onClick={changed} />
        </Space>
      </Space>
      {reminders.error && <Alert data-testid="care-reminders-error" type="error" showIcon message={t('common.error')} description={reminders.error.message} />}
      {note !== undefined && (
        <Typography.Text type="secondary" data-testid="care-reminders-browse-limit">
          {note}
        </Typography.Text>
      )}
      {phone ? <ReminderCards {...listed} /> : <ReminderTable {...listed} />}
    </Space>
  );
}
