import { App, Button, Tooltip } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { useSession } from '../../app/hooks/useSession';
import { useCareChanges } from '../hooks/useCareChanges';

/** Runs a round now rather than wait for the server's next minute: what was just seen is scheduled, what is due falls due. */
export function CareRunButton({ onRan }: { onRan: () => void }) {
  const { t } = useSession();
  const { run } = useCareChanges();
  const { message } = App.useApp();
  const { busy, act } = useBusyAction();
  const start = () =>
    act(async () => {
      const report = await run();
      message.success(t('care.run.report', { scheduled: report.scheduled, due: report.due, skipped: report.skipped }) + (report.late > 0 ? t('care.run.late', { late: report.late }) : ''));
      onRan();
    });
  return (
    <Tooltip title={t('care.run.hint')}>
      <Button icon={<ThunderboltOutlined />} loading={busy} data-testid="care-run" onClick={() => void start()}>
        {t('care.run')}
      </Button>
    </Tooltip>
  );
}
