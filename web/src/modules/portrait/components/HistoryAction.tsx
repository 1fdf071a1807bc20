import { Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';

const COLORS: Record<string, string> = { add: 'green', remove: 'red', replace: 'blue', expire: 'default' };

export function HistoryAction({ action }: { action: string }) {
  const { t } = useSession();
  const key = `history.${action}` as MessageKey;
  return <Tag color={COLORS[action] ?? 'default'}>{action in COLORS ? t(key) : action}</Tag>;
}
