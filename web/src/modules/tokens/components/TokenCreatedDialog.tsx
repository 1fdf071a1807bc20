import { Typography } from 'antd';
import { ShownOnceDialog } from '../../app/components/ShownOnceDialog';
import { useSession } from '../../app/hooks/useSession';
import type { MadeAccessToken } from '../utils/types';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';

/** The new token, the one time it can be read: only its hash stays on the server. */
export function TokenCreatedDialog({ made, onClose }: { made: MadeAccessToken; onClose: () => void }) {
  useFocusReturn();
  const { t } = useSession();
  return (
    <ShownOnceDialog
      testId="token-created"
      title={t('tokens.createdTitle', { name: made.name })}
      warning={t('tokens.createdOnce')}
      value={made.token}
      closeLabel={t('tokens.createdClose')}
      onClose={onClose}
      after={<Typography.Text type="secondary">{t('tokens.createdRole', { role: t(`role.${made.role}`) })}</Typography.Text>}
    />
  );
}
