import { ExportButtons, type ExportFileFormat } from '../../app/components/ExportButtons';
import { useApi } from '../../app/hooks/useApi';
import { downloadResponse, type DownloadOptions } from '../../app/utils/downloadResponse';
import { exportColumnsQuery, type ExportColumns } from '../../app/utils/exportColumns';
import type { SegmentJson } from '../hooks/useSegments';

/** Downloads a saved segment's members as CSV or a workbook, with the columns chosen above the list (SegmentList). */
export function SegmentExportButton({ segment, onExported, compact = false }: { segment: SegmentJson; onExported: () => void; compact?: boolean }) {
  const api = useApi();
  const exportMembers = async (format: ExportFileFormat, download: DownloadOptions, columns: ExportColumns) => {
    try {
      const response = await api.raw('GET', `/segments/${encodeURIComponent(segment.key)}/export?format=${format}&header=names${exportColumnsQuery(columns)}`, undefined, download.signal);
      // Named as the operator named the segment, as the server names the file too.
      await downloadResponse(response, `${segment.name}.${format}`, download);
    } finally {
      // A cancelled export is logged too, as stopped.
      onExported();
    }
  };
  return <ExportButtons size="small" compact={compact} testId={`segment-export-${segment.key}`} named={segment.name} onExport={exportMembers} columns="above" />;
}
