import { Tag, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';

/** Active, or revoked and since when. */
export function TokenStatus({ revokedAt }: { revokedAt: string | null }) {
  const { t, lang } = useSession();
  if (revokedAt === null) return <Tag color="success">{t('tokens.active')}</Tag>;
  return (
    <>
      <Tag>{t('tokens.revoked')}</Tag>
      <Typography.Text type="secondary">{formatTime(revokedAt, lang)}</Typography.Text>
    </>
  );
}
