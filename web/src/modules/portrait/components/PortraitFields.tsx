import { Button, Card, Collapse, Descriptions, Tooltip, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { CARD_DESCRIPTION_COLUMNS, formatTime } from '../../app/utils/format';
import { customFieldText } from '../utils/customFieldText';
import { fieldLabel, fieldValue, identityLabel } from '../utils/fieldLabels';
import type { Portrait } from '../hooks/usePortrait';
import { maskIdentity } from '../../../../../src/core/access';
import { REACHABILITY_KINDS, type IdentityKind, type ReachabilityField } from '../../../../../src/core/customer';
import { RemoveIdentity } from './RemoveIdentity';

const FIELDS = ['type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel'] as const;
/** Whether the customer can be reached on each channel (有手机号 …), read from the identities the server holds. */
const REACHABILITY: readonly ReachabilityField[] = ['has_phone', 'has_email', 'has_wechat', 'has_member_card'];

/**
 * Whether the identities listed under the fields already say what `field` says: a 是 beside a
 * phone number listed below only repeats it. A 否 stays (no identity row says that a channel is
 * missing), and so does a 是 no listed identity bears out.
 */
function saidByIdentities(portrait: Portrait, field: ReachabilityField): boolean {
  const kinds: readonly string[] = REACHABILITY_KINDS[field];
  return portrait[field] === true && portrait.identities.some((identity) => kinds.includes(identity.kind));
}

/** `onRemoveIdentity` for those who may change customers: each identity then has its remove control. */
export function PortraitFields({ portrait, onRemoveIdentity }: { portrait: Portrait; onRemoveIdentity?: ((identity: { kind: string; value: string }, shown: string) => Promise<void>) | undefined }) {
  const { t, lang, access, utcOffsetMinutes } = useSession();
  // The workspace's own fields (鞋码, 会员备注 …), named as declared, in the order declared: the read the segment builder makes.
  const declared = useApiQuery<{ items: { key: string; name: string }[] }>('/fields');
  const custom = (declared.data?.items ?? []).filter((field) => Object.hasOwn(portrait.custom, field.key) && portrait.custom[field.key] !== null);
  // Whole identifiers reach only those allowed to see them; even they see them masked until they
  // ask, the way the server masks them for everyone else (138****5678, ****5678 for a card).
  const mayReveal = access?.personal_data === 'full';
  const [revealed, setRevealed] = useState(false);
  // A kind this console does not know yet (from a newer server) is starred whole.
  const shown = (kind: string, value: string) => (mayReveal && !revealed ? ((maskIdentity(kind as IdentityKind, value) as string | undefined) ?? '****') : value);
  const reveal = mayReveal && portrait.identities.length > 0 && (
    <Tooltip title={t(revealed ? 'portrait.hideIdentities' : 'portrait.revealIdentities')}>
      <Button
        data-testid="identity-reveal"
        type="text"
        size="small"
        aria-label={t(revealed ? 'portrait.hideIdentities' : 'portrait.revealIdentities')}
        icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />}
        onClick={() => setRevealed(!revealed)}
      />
    </Tooltip>
  );
  return (
    <Card
      // Whole, wrapping on a phone: a card's title is cut short on one line, and a company's long name took the id after it out of sight.
      title={<span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{`${portrait.name ?? portrait.id} · ${portrait.id}`}</span>}
      data-testid="portrait-fields"
    >
      <Descriptions size="small" column={CARD_DESCRIPTION_COLUMNS} title={t('portrait.fields')}>
        {FIELDS.map((field) => (
          <Descriptions.Item key={field} label={fieldLabel(t, field)}>
            {fieldValue(t, field, portrait[field])}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={fieldLabel(t, 'first_seen_at')}>{formatTime(portrait.first_seen_at, lang, utcOffsetMinutes)}</Descriptions.Item>
        {REACHABILITY.filter((field) => !saidByIdentities(portrait, field)).map((field) => (
          <Descriptions.Item key={field} label={fieldLabel(t, field)}>
            <span data-testid={`portrait-${field}`}>{portrait[field] === undefined ? '—' : t(portrait[field] ? 'portrait.yes' : 'portrait.no')}</span>
          </Descriptions.Item>
        ))}
        {custom.map((field) => (
          <Descriptions.Item key={`custom:${field.key}`} label={field.name}>
            <span data-testid={`portrait-custom-${field.key}`}>{customFieldText(t, lang, portrait.custom[field.key] ?? null)}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      {/* Centred rather than on the first line's baseline: on a touch screen the × beside each
          identity is 40 px high, which set the identity's text a line below its label. */}
      <Descriptions
        size="small"
        column={1}
        title={t('portrait.identities')}
        extra={reveal}
        style={{ marginTop: 12 }}
        styles={{ label: { alignSelf: 'center' }, content: { alignItems: 'center' } }}
      >
        {portrait.identities.map((identity) => (
          <Descriptions.Item key={`${identity.kind}:${identity.value}`} label={identityLabel(t, identity.kind)}>
            <span data-testid={`identity-${identity.kind}`}>{shown(identity.kind, identity.value)}</span>
            {onRemoveIdentity && <RemoveIdentity kind={identity.kind} shown={shown(identity.kind, identity.value)} onRemove={() => onRemoveIdentity(identity, shown(identity.kind, identity.value))} />}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {/* The random bucket splits customers for tests (random_bucket < 10, a holdout): a number for whoever
          sets one up, not a fact about the customer, so it waits, closed, below what a salesperson reads. */}
      <Collapse
        ghost
        size="small"
        data-testid="portrait-technical"
        style={{ marginTop: 12 }}
        items={[
          {
            key: 'technical',
            label: t('portrait.technical'),
            styles: { header: { paddingInline: 0 }, body: { paddingInline: 0 } },
            children: (
              <>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={fieldLabel(t, 'random_bucket')}>
                    <span data-testid="portrait-random-bucket">{portrait.random_bucket ?? '—'}</span>
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Text type="secondary">{t('portrait.randomBucketHelp')}</Typography.Text>
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
