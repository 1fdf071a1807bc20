import { Input } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useSession } from '../hooks/useSession';

/** The staff member the console acts as; committed on Enter or leaving the field, not per keystroke. */
export function ActorInput() {
  const { actor, setActor, t } = useSession();
  const [draft, setDraft] = useState(actor);
  useEffect(() => setDraft(actor), [actor]);
  const commit = () => draft.trim() !== actor && setActor(draft.trim());
  return (
    <Input
      data-testid="actor-input"
      aria-label={t('session.actor')}
      prefix={<UserOutlined />}
      placeholder={t('session.actorPlaceholder')}
      style={{ width: 160 }}
      maxLength={64}
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onPressEnter={commit}
    />
  );
}
