import { Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';

/**
 * An entry's answer at a glance: done, refused, or the status itself when it is neither. An entry
 * without a status (a command on the server, a token made or revoked, a demo loaded) is written in
 * the same transaction as what it records, or after it: it is there only because it was done.
 */
export function AuditResult({ status }: { status: number | null }) {
  const { t } = useSession();
  if (status === null || (status >= 200 && status < 300)) return <Tag color="success">{t('audit.done')}</Tag>;
  if (status === 403) return <Tag color="error">{t('audit.refused')}</Tag>;
  return <Tag color="warning">{status}</Tag>;
}
