import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';
import type { SessionState } from '../../app/utils/sessionContext';
import { actorLabel } from '../../app/utils/actorLabel';

const SOURCES = new Set(['manual', 'import', 'api', 'rule', 'model']);

/** Where a tag change came from, in words (手动 for `manual`). */
export function sourceLabel(t: SessionState['t'], source: string): string {
  return SOURCES.has(source) ? t(`history.source.${source}` as MessageKey) : source;
}


/** What a rule or a model records as the actor of its changes (`rule:vip_level`, `model:rfm`): the tag beside it already names it. */
const COMPUTED_ACTOR = /^(rule|model):/;

/** Where a tag change came from, in words, with who made it under it (one column, so history tables fit a half-width card). */
export function HistorySource({ source, actor }: { source: string; actor: string }) {
  const { t } = useSession();
  // A rule's or a model's own id says no more than 规则 or 模型 and the tag beside it; it stays as the word's tooltip.
  if (COMPUTED_ACTOR.test(actor)) return <div title={actor}>{sourceLabel(t, source)}</div>;
  const who = actorLabel(t, actor);
  return (
    <>
      <div>{sourceLabel(t, source)}</div>
      <Typography.Text type="secondary" ellipsis={{ tooltip: who }} style={{ fontSize: 12, maxWidth: 140 }}>
        {who}
      </Typography.Text>
    </>
  );
}
