import { App, Switch } from 'antd';
import { useState } from 'react';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { useCareChanges } from '../hooks/useCareChanges';
import type { CarePlan } from '../utils/types';

/** Switches a plan off (its reminders not yet due are skipped when they would fall due) or back on (it reacts to what happens from then on). */
export function PlanEnabledSwitch({ plan, onChanged }: { plan: CarePlan; onChanged: () => void }) {
  const { t } = useSession();
  const { can } = usePermissions();
  const { update } = useCareChanges();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    try {
      await update(plan.key, { enabled });
      message.success(t(enabled ? 'care.plan.enabledDone' : 'care.plan.disabledDone', { name: plan.name }));
      onChanged();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Switch
      size="small"
      checked={plan.enabled}
      loading={busy}
      disabled={!can('write')}
      data-testid={`care-plan-enabled-${plan.key}`}
      aria-label={t('care.plan.enabledNamed', { name: plan.name })}
      onChange={(enabled) => void toggle(enabled)}
    />
  );
}
