import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';

const SOURCES = new Set(['manual', 'import', 'api', 'rule', 'model']);

/** Where a tag change came from, in words, with who or which rule made it under it (one column, so history tables fit a half-width card). */
export function HistorySource({ source, actor }: { source: string; actor: string }) {
  const { t } = useSession();
  return (
    <>
      <div>{SOURCES.has(source) ? t(`history.source.${source}` as MessageKey) : source}</div>
      <Typography.Text type="secondary" ellipsis={{ tooltip: actor }} style={{ fontSize: 12, maxWidth: 140 }}>
        {actor}
      </Typography.Text>
    </>
  );
}
