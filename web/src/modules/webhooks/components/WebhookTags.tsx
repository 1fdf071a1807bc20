import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { TagChip } from '../../tags/components/TagChip';

/** The tags a webhook posts, by name; a tag since removed from the library keeps its key. */
export function WebhookTags({ keys, library }: { keys: string[]; library: TagJson[] }) {
  const { t } = useSession();
  if (keys.length === 0) return <Typography.Text type="secondary">{t('webhooks.allTags')}</Typography.Text>;
  return (
    <>
      {keys.map((key) => {
        const tag = library.find((candidate) => candidate.key === key);
        return <TagChip key={key} label={tag?.name ?? key} color={tag?.color} />;
      })}
    </>
  );
}
