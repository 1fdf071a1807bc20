import { Button, Grid, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCallback, useRef, useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { useSeenEventTypes } from '../hooks/useSeenEventTypes';
import type { CarePlan } from '../utils/types';
import { PlanCards } from './PlanCards';
import { PlanEditor } from './PlanEditor';
import { PlanTable } from './PlanTable';

/** The plans, and making or changing one in the editor. */
export function PlanList({ plans, loading, failed, onChanged }: { plans: CarePlan[]; loading: boolean; failed: boolean; onChanged: (deleted?: string) => void }) {
  const { t } = useSession();
  const { can } = usePermissions();
  const library = useTagLibrary();
  const seen = useSeenEventTypes();
  // A plan being changed, or `new` for one being made.
  const [editing, setEditing] = useState<CarePlan | 'new'>();
  const createButton = useRef<HTMLButtonElement>(null);
  const fallbackFocus = useCallback(() => createButton.current, []);
  // On a phone each plan is a card the screen's width; a table there scrolled sideways inside itself.
  const phone = Grid.useBreakpoint().md === false;
  const listed = { plans, tags: library.tags, seen, loading, failed, onEdit: setEditing, onChanged, fallbackFocus };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }} align="start">
        <Typography.Text type="secondary">{t('care.plan.about')}</Typography.Text>
        {can('write') && (
          <Button ref={createButton} type="primary" icon={<PlusOutlined />} data-testid="care-plan-create" onClick={() => setEditing('new')}>
            {t('care.plan.create')}
          </Button>
        )}
      </Space>
      {phone ? <PlanCards {...listed} /> : <PlanTable {...listed} />}
      {editing && (
        <PlanEditor
          plan={editing === 'new' ? undefined : editing}
          tags={library.tags}
          takenKeys={plans.map((plan) => plan.key)}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) onChanged();
          }}
        />
      )}
    </Space>
  );
}
