import { Tag } from 'antd';
import { useSession } from '../../app/hooks/useSession';

/** An entry's answer at a glance: done, refused, or the status itself when it is neither. */
export function AuditResult({ status }: { status: number | null }) {
  const { t } = useSession();
  if (status === null) return <>—</>;
  if (status >= 200 && status < 300) return <Tag color="success">{t('audit.done')}</Tag>;
  if (status === 403) return <Tag color="error">{t('audit.refused')}</Tag>;
  return <Tag color="warning">{status}</Tag>;
}
