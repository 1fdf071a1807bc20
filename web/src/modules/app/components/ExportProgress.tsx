import { Button, Modal, Progress, Typography } from 'antd';
import type { KeyboardEvent } from 'react';
import { useSession } from '../hooks/useSession';
import type { DownloadProgress } from '../utils/downloadResponse';

interface Props {
  progress: DownloadProgress | undefined;
  onCancel: () => void;
}

/**
 * How far an export's file has come while it downloads (rows against the members the server said
 * would come, or the bytes of a workbook), with a button that cancels it: a segment of 300,000
 * customers took a minute behind a spinner. Its opener gives the focus back itself (ExportButtons),
 * at once, where the dialog's own return waits for a closing animation the unmounted dialog never has.
 */
export function ExportProgress({ progress, onCancel }: Props) {
  const { t, lang } = useSession();
  const { rows, expected, bytes = 0, done = false } = progress ?? {};
  const percent = done ? 100 : rows !== undefined && expected ? Math.min(99, Math.floor((rows / expected) * 100)) : expected === 0 ? 99 : undefined;
  const size = bytes < 1_048_576 ? `${(bytes / 1024).toLocaleString(lang, { maximumFractionDigits: 0 })} KB` : `${(bytes / 1_048_576).toLocaleString(lang, { maximumFractionDigits: 1 })} MB`;
  // Rendered in a portal, the dialog's keys still bubble through React to what holds its opener: Esc
  // would close a drawer (a snapshot's) behind a download still under way. Only 取消导出 ends it.
  const keepEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') event.stopPropagation();
  };
  return (
    <span onKeyDown={keepEscape}>
      <Modal
        open
        title={t('exportProgress.title')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        focusTriggerAfterClose={false}
        footer={
          <Button data-testid="export-cancel" onClick={onCancel} disabled={done}>
            {t('exportProgress.cancel')}
          </Button>
        }
      >
        <Progress data-testid="export-progress" percent={percent ?? 0} status={done ? 'success' : 'active'} showInfo={percent !== undefined} aria-label={t('exportProgress.title')} />
        <Typography.Text type="secondary" data-testid="export-progress-text">
          {rows !== undefined && expected !== undefined
            ? t('exportProgress.rows', { rows: rows.toLocaleString(lang), expected: expected.toLocaleString(lang), size })
            : t('exportProgress.bytes', { size })}
        </Typography.Text>
      </Modal>
    </span>
  );
}
