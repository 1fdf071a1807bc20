import { Button, Space, Table, Tooltip, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import type { CarePlan, SeenEventTypes } from '../utils/types';
import { PlanCounts } from './PlanCounts';
import { PlanDeleteButton } from './PlanDeleteButton';
import { PlanEnabledSwitch } from './PlanEnabledSwitch';
import { PlanKey } from './PlanKey';
import { PlanSteps } from './PlanSteps';
import { PlanTrigger } from './PlanTrigger';
import { useModelWords } from '../../models/hooks/useModelWords';
import { knownRows } from '../../app/utils/knownRows';
import { usePlanFocus } from '../hooks/usePlanFocus';

/** What the plans' table and their cards on a phone show, and what they tell the page. */
export interface PlanListProps {
  plans: CarePlan[];
  /** The library, for the names of the tags a plan reacts to. */
  tags: TagJson[];
  /** The event types the workspace received lately: a plan started by none of them is said to wait. */
  seen: SeenEventTypes | undefined;
  loading: boolean;
  /** The plans could not be read (the page says why): the list says so rather than that there are none. */
  failed: boolean;
  onEdit: (plan: CarePlan) => void;
  /** A plan was switched or deleted (its key given when deleted). */
  onChanged: (deleted?: string) => void;
  /** Takes the focus once the last plan listed is deleted under it. */
  fallbackFocus: () => HTMLElement | null;
}

const MONOSPACE = 'ui-monospace, SFMono-Regular, Menlo, monospace';

/** Each plan: what starts it, its steps, whom it keeps to, how its reminders stand, and whether it is on. */
export function PlanTable({ plans, tags, seen, loading, failed, onEdit, onChanged, fallbackFocus }: PlanListProps) {
  const { t } = useSession();
  const { can } = usePermissions();
  const words = useModelWords();
  const { box, leave } = usePlanFocus(plans, fallbackFocus);
  const onDeleted = (row: CarePlan) => {
    leave(row);
    onChanged(row.key);
  };
  const columns: ColumnsType<CarePlan> = [
    {
      title: t('care.plan.name'),
      key: 'name',
      width: 180,
      render: (_, row) => (
        <Tooltip title={row.description}>
          <Typography.Text strong>{row.name}</Typography.Text>
          <br />
          <PlanKey planKey={row.key} />
        </Tooltip>
      ),
    },
    { title: t('care.plan.trigger'), key: 'trigger', width: 220, render: (_, row) => <PlanTrigger trigger={row.trigger} cancel={row.cancel_on} tags={tags} seen={seen} words={words} /> },
    { title: t('care.plan.steps'), key: 'steps', width: 150, render: (_, row) => <PlanSteps steps={row.steps} quietHours={row.quiet_hours} /> },
    {
      title: t('care.plan.conditionColumn'),
      dataIndex: 'condition',
      // A long condition is cut to one line here; hovering shows it whole.
      render: (condition: string | null) =>
        condition ? (
          <Typography.Text code ellipsis={{ tooltip: condition }} style={{ fontFamily: MONOSPACE, maxWidth: '100%' }}>
            {condition}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('care.plan.reminders'),
      key: 'reminders',
      width: 170,
      render: (_, row) => <PlanCounts plan={row} />,
    },
    { title: t('care.plan.enabled'), key: 'enabled', width: 60, render: (_, row) => <PlanEnabledSwitch plan={row} onChanged={() => onChanged()} /> },
    ...(can('write')
      ? [
          {
            title: t('care.plan.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, row: CarePlan) => (
              <Space size={0}>
                <Button size="small" type="link" icon={<EditOutlined />} data-testid={`care-plan-edit-${row.key}`} aria-label={t('care.plan.editNamed', { name: row.name })} onClick={() => onEdit(row)}>
                  {t('care.plan.edit')}
                </Button>
                <PlanDeleteButton plan={row} onDeleted={() => onDeleted(row)} />
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <div ref={box}>
      <Table<CarePlan>
        data-testid="care-plans"
        scroll={{ x: 960 }}
        size="small"
        rowKey="key"
        loading={loading}
        dataSource={knownRows(plans, loading)}
        pagination={false}
        locale={{ emptyText: t(failed ? 'common.notLoaded' : 'care.plan.none') }}
        columns={columns}
      />
    </div>
  );
}
