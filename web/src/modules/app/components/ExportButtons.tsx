import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useRef, useState } from 'react';
import { useBusyAction } from '../hooks/useBusyAction';
import { useExportColumnChoices } from '../hooks/useExportColumnChoices';
import { useExportColumns } from '../hooks/useExportColumns';
import { useSession } from '../hooks/useSession';
import type { DownloadOptions, DownloadProgress } from '../utils/downloadResponse';
import { NO_EXPORT_COLUMNS, keepKnownColumns, type ExportColumns } from '../utils/exportColumns';
import { ExportColumnsButton } from './ExportColumnsButton';
import { ExportProgress } from './ExportProgress';

export type ExportFileFormat = 'csv' | 'xlsx';

interface Props {
  /** The CSV button's test id; the workbook's is the same with `-xlsx`. */
  testId: string;
  /**
   * Fetches and downloads the file in that format, passing `download` on to the call (its signal)
   * and to `downloadResponse` (its progress and signal); a refusal is shown as a message. With
   * `columns`, the call asks for the metrics and fields chosen (`exportColumnsQuery`).
   */
  onExport: (format: ExportFileFormat, download: Required<DownloadOptions>, columns: ExportColumns) => Promise<void>;
  /**
   * Exports the metrics and fields chosen for the workspace's exports, for an export whose call takes
   * `metrics` and `fields`: with the choice offered beside the buttons (`true`), or by one choice for
   * a whole list of exports, above it (`'above'`: a row of a table has no room for it).
   */
  columns?: boolean | 'above';
  size?: 'small' | 'middle';
  icon?: boolean;
  disabled?: boolean;
  /** The workbook's button as an icon alone, where the room is narrow (a table's actions column). */
  compact?: boolean;
  /** What is exported, where a row of a table has its own buttons: named to a screen reader, which would hear a column of "Export CSV" alike. */
  named?: string;
}

/** An export that takes longer than this shows its progress; a quicker one flashes no dialog. */
const PROGRESS_AFTER_MS = 400;

/**
 * Export as CSV, or as an Excel workbook, where phone numbers and ids stay as written (a
 * spreadsheet opening CSV shows 13800138000 as 1.38E+10 and 000123 as 123). Busy while the
 * file is made; one that takes a while shows its progress, with a button that cancels it.
 */
export function ExportButtons({ testId, onExport, size = 'middle', icon = false, disabled = false, compact = false, named, columns = false }: Props) {
  const { t } = useSession();
  const [chosen] = useExportColumns();
  const choices = useExportColumnChoices(columns && chosen.metrics.length + chosen.fields.length > 0);
  // What the workspace no longer has is left out, rather than have the server refuse the export for it.
  const asked = columns ? keepKnownColumns(chosen, choices.metrics?.map((metric) => metric.key), choices.customFields?.map((field) => field.key)) : NO_EXPORT_COLUMNS;
  const { message } = App.useApp();
  const csv = useBusyAction();
  const xlsx = useBusyAction();
  // The download under way: its progress, and whether its dialog is shown yet.
  const [running, setRunning] = useState<{ progress: DownloadProgress | undefined; shown: boolean } | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);
  const run = async (format: ExportFileFormat) => {
    const aborter = new AbortController();
    controller.current = aborter;
    // The dialog takes the focus; it goes back to the button clicked the moment the dialog goes, or
    // Esc would reach the page rather than a drawer the export was made from (a snapshot's).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const holder = opener?.parentElement?.closest<HTMLElement>('[tabindex]');
    setRunning({ progress: undefined, shown: false });
    const show = setTimeout(() => setRunning((now) => now && { ...now, shown: true }), PROGRESS_AFTER_MS);
    try {
      await onExport(format, { signal: aborter.signal, onProgress: (progress) => setRunning((now) => now && { ...now, progress }) }, asked);
    } catch (error) {
      // Cancelled: nothing was saved, which is what was asked; said, not shown as a failure.
      if (!aborter.signal.aborted) throw error;
      void message.info(t('exportProgress.cancelled'));
    } finally {
      clearTimeout(show);
      controller.current = undefined;
      giveFocusBack(opener, holder);
      setRunning(undefined);
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
      {columns === true && <ExportColumnsButton testId={testId} size={size} compact={compact} disabled={csv.busy || xlsx.busy} />}
      {running?.shown && <ExportProgress progress={running.progress} onCancel={() => controller.current?.abort()} />}
    </Space.Compact>
  );
}

/**
 * Before the dialog goes, synchronously: focus in it (its cancel button) or already fallen to the
 * page goes back to the export's button, or where that button was re-rendered away, to what held it
 * (a drawer), whose keys (Esc) then work as before the export. Done in the same task that saves the
 * file, so a key pressed once it is saved finds the focus back: the dialog's own return runs after
 * its closing animation, which a dialog unmounted never has, and a return put off to a timeout left
 * a moment when the focus was on the page and Esc missed the drawer.
 */
function giveFocusBack(opener: HTMLElement | undefined, holder: HTMLElement | null | undefined) {
  const active = document.activeElement;
  const lost = active === null || active === document.body || active.closest('.ant-modal-wrap') !== null;
  if (!lost) return;
  if (opener?.isConnected) opener.focus({ preventScroll: true });
  else if (holder?.isConnected) holder.focus({ preventScroll: true });
}
