import { Typography } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { auditTargetName } from '../utils/target';

/** An entry's target as what it names ("客户 C1", a link to the portrait), the path itself on hover. */
export function AuditTarget({ target }: { target: string }) {
  const { t } = useSession();
  const named = auditTargetName(target);
  if (!named) return <Typography.Text code>{target}</Typography.Text>;
  return (
    <span data-testid="audit-target" title={target}>
      <Typography.Text type="secondary">{t(named.kind)}</Typography.Text>
      {named.name && ' '}
      {named.href ? <Link to={named.href}>{named.name}</Link> : named.name && <Typography.Text strong>{named.name}</Typography.Text>}
    </span>
  );
}
