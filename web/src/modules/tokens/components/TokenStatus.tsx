import { Tag, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';

/** Active (until when), expired, or revoked and since when. */
export function TokenStatus({ revokedAt, expiresAt }: { revokedAt: string | null; expiresAt: string | null }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  if (revokedAt === null && expiresAt !== null && Date.parse(expiresAt) <= Date.now()) {
    return (
      <>
        <Tag color="warning">{t('tokens.expired')}</Tag>
        <Typography.Text type="secondary">{formatTime(expiresAt, lang, utcOffsetMinutes)}</Typography.Text>
      </>
    );
  }
  if (revokedAt === null) {
    return (
      <>
        <Tag color="success">{t('tokens.active')}</Tag>
        {expiresAt !== null && <Typography.Text type="secondary">{t('tokens.until', { at: formatTime(expiresAt, lang, utcOffsetMinutes) })}</Typography.Text>}
      </>
    );
  }
  return (
    <>
      <Tag>{t('tokens.revoked')}</Tag>
      <Typography.Text type="secondary">{formatTime(revokedAt, lang, utcOffsetMinutes)}</Typography.Text>
    </>
  );
}
