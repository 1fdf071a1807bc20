import { Button } from 'antd';
import { useApi } from '../../app/hooks/useApi';
import { useBusyAction } from '../../app/hooks/useBusyAction';
import { useSession } from '../../app/hooks/useSession';
import { downloadResponse } from '../../app/utils/downloadResponse';
import type { SegmentJson } from '../hooks/useSegments';

/** Downloads a saved segment's members as CSV: busy while the file is made, and a refusal said as a message. */
export function SegmentExportButton({ segment, onExported }: { segment: SegmentJson; onExported: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const { busy, act } = useBusyAction();
  const exportCsv = async () => {
    const response = await api.raw('GET', `/segments/${encodeURIComponent(segment.key)}/export?format=csv&header=names`);
    await downloadResponse(response, `${segment.key}.csv`);
    onExported();
  };
  return (
    <Button size="small" loading={busy} data-testid={`segment-export-${segment.key}`} onClick={() => void act(exportCsv)}>
      {t('common.export')}
    </Button>
  );
}
