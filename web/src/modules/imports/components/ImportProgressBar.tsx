import { Button, Progress, Space, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatNumber } from '../../app/utils/format';
import type { ImportProgress } from '../utils/importTypes';

export type ImportState = 'running' | 'done' | 'cancelled' | 'failed';

/** Rows sent so far out of the file's, how fast, and a way to stop before the next piece. */
export function ImportProgressBar({ progress, state, rejected, onCancel }: { progress: ImportProgress; state: ImportState; rejected: number; onCancel: () => void }) {
  const { t, lang } = useSession();
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  const status = state === 'running' ? 'active' : state === 'failed' ? 'exception' : state === 'done' && rejected === 0 ? 'success' : 'normal';
  return (
    <Space wrap data-testid="import-progress" data-state={state} data-done={progress.done} data-total={progress.total}>
      <Progress aria-label={t('imports.progress')} style={{ width: 240, margin: 0 }} percent={percent} status={status} format={() => `${formatNumber(progress.done, lang)} / ${formatNumber(progress.total, lang)}`} />
      <Typography.Text type="secondary" data-testid="import-rate">
        {t('imports.rate', { rate: formatNumber(Math.round(progress.rate), lang) })}
      </Typography.Text>
      {state === 'running' && (
        <Button data-testid="import-cancel" size="small" onClick={onCancel}>
          {t('imports.cancel')}
        </Button>
      )}
      {state === 'cancelled' && <Typography.Text type="warning">{t('imports.cancelled', { done: formatNumber(progress.done, lang) })}</Typography.Text>}
    </Space>
  );
}
