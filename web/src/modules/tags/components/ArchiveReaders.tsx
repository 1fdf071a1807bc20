import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { useTagReaders } from '../hooks/useTagReaders';

/**
 * Inside the archive confirmation: what reads the tag — saved segments, care plans, rule tags,
 * other staff members' personal rule tags, webhooks — which stops counting, running or posting
 * it once it is archived. Loaded only when the confirmation opens.
 */
export function ArchiveReaders({ tagKey }: { tagKey: string }) {
  const { t } = useSession();
  const { readers } = useTagReaders(tagKey);
  if (readers.length === 0) return null;
  return (
    <Typography.Text type="warning" data-testid={`tag-archive-readers-${tagKey}`} style={{ display: 'block', maxWidth: 360 }}>
      {t('tags.archiveReaders', { list: readers.join(t('care.separator')) })}
    </Typography.Text>
  );
}
