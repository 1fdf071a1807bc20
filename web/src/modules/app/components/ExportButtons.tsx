import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useRef, useState } from 'react';
import { useBusyAction } from '../hooks/useBusyAction';
import { useSession } from '../hooks/useSession';
import type { DownloadOptions, DownloadProgress } from '../utils/downloadResponse';
import { ExportProgress } from './ExportProgress';

export type ExportFileFormat = 'csv' | 'xlsx';

interface Props {
  /** The CSV button's test id; the workbook's is the same with `-xlsx`. */
  testId: string;
  /**
   * Fetches and downloads the file in that format, passing `download` on to the call (its signal)
   * and to `downloadResponse` (its progress and signal); a refusal is shown as a message.
   */
  onExport: (format: ExportFileFormat, download: Required<DownloadOptions>) => Promise<void>;
  size?: 'small' | 'middle';
  icon?: boolean;
  disabled?: boolean;
  /** The workbook's button as an icon alone, where the room is narrow (a table's actions column). */
  compact?: boolean;
  /** What is exported, where a row of a table has its own buttons: named to a screen reader, which would hear a column of "Export CSV" alike. */
  named?: string;
}

/**
 * Export as CSV, or as an Excel workbook, where phone numbers and ids stay as written (a
 * spreadsheet opening CSV shows 13800138000 as 1.38E+10 and 000123 as 123). Busy while the
 * file is made, with its progress and a button that cancels it while it downloads.
 */
export function ExportButtons({ testId, onExport, size = 'middle', icon = false, disabled = false, compact = false, named }: Props) {
  const { t } = useSession();
  const { message } = App.useApp();
  const csv = useBusyAction();
  const xlsx = useBusyAction();
  // The download under way: its progress, shown with a cancel button until it is saved or cancelled.
  const [running, setRunning] = useState<{ progress: DownloadProgress | undefined } | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);
  const run = async (format: ExportFileFormat) => {
    const aborter = new AbortController();
    controller.current = aborter;
    // The progress dialog takes the focus; given back after it, the export button keeps it, so
    // Esc still closes a drawer the export was made from (a snapshot's).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    setRunning({ progress: undefined });
    try {
      await onExport(format, { signal: aborter.signal, onProgress: (progress) => setRunning({ progress }) });
    } catch (error) {
      // Cancelled: nothing was saved, which is what was asked; said, not shown as a failure.
      if (!aborter.signal.aborted) throw error;
      void message.info(t('exportProgress.cancelled'));
    } finally {
      controller.current = undefined;
      setRunning(undefined);
      setTimeout(() => {
        if (opener?.isConnected) opener.focus();
      });
    }
  };
  return (
    <Space.Compact size={size}>
      <Button
        data-testid={testId}
        aria-label={named === undefined ? undefined : t('common.exportNamed', { name: named })}
        icon={icon ? <DownloadOutlined /> : undefined}
        disabled={disabled || xlsx.busy}
        loading={csv.busy}
        onClick={() => void csv.act(() => run('csv'))}
      >
        {t('common.export')}
      </Button>
      <Tooltip title={t('common.exportXlsxHint')}>
        <Button
          data-testid={`${testId}-xlsx`}
          aria-label={named === undefined ? t('common.exportXlsx') : t('common.exportXlsxNamed', { name: named })}
          icon={compact ? <FileExcelOutlined /> : undefined}
          disabled={disabled || csv.busy}
          loading={xlsx.busy}
          onClick={() => void xlsx.act(() => run('xlsx'))}
        >
          {compact ? undefined : t('common.exportXlsx')}
        </Button>
      </Tooltip>
      {running && <ExportProgress progress={running.progress} onCancel={() => controller.current?.abort()} />}
    </Space.Compact>
  );
}
