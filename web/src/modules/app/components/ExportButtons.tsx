import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useBusyAction } from '../hooks/useBusyAction';
import { useSession } from '../hooks/useSession';

export type ExportFileFormat = 'csv' | 'xlsx';

interface Props {
  /** The CSV button's test id; the workbook's is the same with `-xlsx`. */
  testId: string;
  /** Fetches and downloads the file in that format; a refusal is shown as a message. */
  onExport: (format: ExportFileFormat) => Promise<void>;
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
 * file is made.
 */
export function ExportButtons({ testId, onExport, size = 'middle', icon = false, disabled = false, compact = false, named }: Props) {
  const { t } = useSession();
  const csv = useBusyAction();
  const xlsx = useBusyAction();
  return (
    <Space.Compact size={size}>
      <Button
        data-testid={testId}
        aria-label={named === undefined ? undefined : t('common.exportNamed', { name: named })}
        icon={icon ? <DownloadOutlined /> : undefined}
        disabled={disabled || xlsx.busy}
        loading={csv.busy}
        onClick={() => void csv.act(() => onExport('csv'))}
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
          onClick={() => void xlsx.act(() => onExport('xlsx'))}
        >
          {compact ? undefined : t('common.exportXlsx')}
        </Button>
      </Tooltip>
    </Space.Compact>
  );
}
