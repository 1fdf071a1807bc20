import { Typography } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { auditTargetName } from '../utils/target';

/** An entry's target as what it names ("客户 C1", a link to the portrait), the target as recorded on hover. */
export function AuditTarget({ action, target }: { action: string; target: string }) {
  const { t } = useSession();
  const named = auditTargetName(action, target);
  if (!named) return <Typography.Text code>{target}</Typography.Text>;
  const name = named.nameKey ? t(named.nameKey) : named.name;
  return (
    <span data-testid="audit-target" title={target}>
      <Typography.Text type="secondary">{t(named.kind)}</Typography.Text>
      {name && ' '}
      {named.href ? <Link to={named.href}>{name}</Link> : name && <Typography.Text strong>{name}</Typography.Text>}
      {named.detail && <Typography.Text type="secondary"> · {named.detail}</Typography.Text>}
    </span>
  );
}
