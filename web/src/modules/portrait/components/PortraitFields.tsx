import { Button, Card, Descriptions, Tooltip } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { CARD_DESCRIPTION_COLUMNS, formatTime } from '../../app/utils/format';
import { fieldLabel, fieldValue, identityLabel } from '../utils/fieldLabels';
import type { Portrait } from '../hooks/usePortrait';
import { maskPhone } from '../utils/maskPhone';

const FIELDS = ['type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel'] as const;

export function PortraitFields({ portrait }: { portrait: Portrait }) {
  const { t, lang, access } = useSession();
  // Whole numbers reach only those allowed to see them; even they see them masked until they ask.
  const mayReveal = access?.personal_data === 'full';
  const [revealed, setRevealed] = useState(false);
  return (
    <Card title={`${portrait.name ?? portrait.id} · ${portrait.id}`} data-testid="portrait-fields">
      <Descriptions size="small" column={CARD_DESCRIPTION_COLUMNS} title={t('portrait.fields')}>
        {FIELDS.map((field) => (
          <Descriptions.Item key={field} label={fieldLabel(t, field)}>
            {fieldValue(t, field, portrait[field])}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={fieldLabel(t, 'first_seen_at')}>{formatTime(portrait.first_seen_at, lang)}</Descriptions.Item>
      </Descriptions>
      <Descriptions size="small" column={1} title={t('portrait.identities')} style={{ marginTop: 12 }}>
        {portrait.identities.map((identity) => (
          <Descriptions.Item key={`${identity.kind}:${identity.value}`} label={identityLabel(t, identity.kind)}>
            <span data-testid={`identity-${identity.kind}`}>{identity.kind === 'phone' && !revealed ? maskPhone(identity.value) : identity.value}</span>
            {identity.kind === 'phone' && mayReveal && (
              <Tooltip title={t(revealed ? 'portrait.hidePhone' : 'portrait.revealPhone')}>
                <Button
                  data-testid="identity-reveal"
                  type="text"
                  size="small"
                  style={{ marginLeft: 4, height: 22 }}
                  aria-label={t(revealed ? 'portrait.hidePhone' : 'portrait.revealPhone')}
                  icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />}
                  onClick={() => setRevealed(!revealed)}
                />
              </Tooltip>
            )}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}
