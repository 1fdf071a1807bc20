import { App } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { ConfirmedButton } from '../../app/components/ConfirmedButton';
import { useSession } from '../../app/hooks/useSession';
import { useCareChanges } from '../hooks/useCareChanges';
import type { CarePlan } from '../utils/types';

/** Deletes a plan after asking: its reminders go with it, those done included. */
export function PlanDeleteButton({ plan, onDeleted }: { plan: CarePlan; onDeleted: () => void }) {
  const { t } = useSession();
  const { remove } = useCareChanges();
  const { message } = App.useApp();
  return (
    <ConfirmedButton
      label={t('care.plan.delete')}
      icon={<DeleteOutlined />}
      ariaLabel={t('care.plan.deleteNamed', { name: plan.name })}
      testId={`care-plan-delete-${plan.key}`}
      title={t('care.plan.deleteConfirm', { name: plan.name })}
      description={t('care.plan.deleteNote')}
      okTestId="care-plan-delete-ok"
      run={async () => {
        await remove(plan.key);
        message.success(t('care.plan.deletedDone', { name: plan.name }));
        onDeleted();
      }}
    />
  );
}
