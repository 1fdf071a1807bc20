import { Typography } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { auditTargetName, namedTarget, type AuditNames } from '../utils/target';

/**
 * An entry's target as what it names ("客户 C1", a link to the portrait; a tag or a segment by the
 * name the workspace gives it), the target as recorded on hover.
 */
export function AuditTarget({ action, target, names }: { action: string; target: string; names: AuditNames }) {
  const { t } = useSession();
  const found = auditTargetName(action, target);
  if (!found) return <Typography.Text code>{target}</Typography.Text>;
  const named = namedTarget(found, names);
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
