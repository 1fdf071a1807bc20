import { Button, Popover, Typography } from 'antd';
import { Link } from 'react-router';
import { readableAuditTarget } from '../../../../../src/core/audit-target';
import { useSession } from '../../app/hooks/useSession';
import { pluralKey } from '../../app/utils/messages';
import { auditTargetName, keptDefinition, namedTarget, type AuditNames, type TokenTerms } from '../utils/target';

/**
 * An entry's target as what it names ("客户 C1", a link to the portrait; a tag, a segment or a
 * workspace by its name), the target as recorded on hover (a path, a workspace's key); a deleted tag's definition, however
 * long, laid out in a popover of its own.
 */
export function AuditTarget({ action, target, names }: { action: string; target: string; names: AuditNames }) {
  const { t, lang } = useSession();
  const found = auditTargetName(action, target);
  // A path as its caller meant it (/segments/重要客户/export), as `tagbase audit` prints it.
  const readable = readableAuditTarget(target);
  if (!found) return <Typography.Text code>{readable}</Typography.Text>;
  const named = namedTarget(found, names);
  const name = named.nameKey ? t(named.nameKey) : named.name;
  const definition = keptDefinition(target);
  const detail = named.token ? tokenDetail(named.token, t, lang) : named.detail;
  return (
    // A deleted tag's definition is read in its popover: the hover keeps to the path.
    <span data-testid="audit-target" title={definition === undefined ? readable : readable.slice(0, readable.indexOf('?'))}>
      <Typography.Text type="secondary">{t(named.kind)}</Typography.Text>
      {name && ' '}
      {named.href ? <Link to={named.href}>{name}</Link> : name && <Typography.Text strong>{name}</Typography.Text>}
      {detail && <Typography.Text type="secondary"> · {detail}</Typography.Text>}
      {definition !== undefined && ' · '}
      {definition !== undefined && (
        <Popover
          trigger="click"
          title={t('audit.definition')}
          content={
            <pre data-testid="audit-definition" style={{ maxHeight: 360, maxWidth: 520, overflow: 'auto', whiteSpace: 'pre-wrap', margin: 0 }}>
              {definition}
            </pre>
          }
        >
          <Button data-testid="audit-definition-open" type="link" size="small" style={{ padding: 0, height: 'auto' }}>
            {t('audit.definition')}
          </Button>
        </Popover>
      )}
    </span>
  );
}

const ROLES = new Set(['admin', 'operator', 'viewer']);

/** A token's role and days in the console's words (「运营，90 天，shop-hz」), its workspaces by their keys. */
function tokenDetail(token: TokenTerms, t: ReturnType<typeof useSession>['t'], lang: ReturnType<typeof useSession>['lang']): string {
  const role = ROLES.has(token.role) ? t(`role.${token.role as 'admin' | 'operator' | 'viewer'}`) : token.role;
  const parts = [role, ...(token.days === undefined ? [] : [t(pluralKey('tokens.days', token.days), { days: token.days })]), ...(token.workspaces === undefined ? [] : [token.workspaces.join(' ')])];
  return parts.join(lang === 'zh-CN' ? '，' : ', ');
}
