import { Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import type { ModelWords } from '../../models/hooks/useModelWords';
import { TagChip } from '../../tags/components/TagChip';
import { pickTagColor } from '../../tags/utils/tagColor';

/** The tags a webhook posts, by name; a tag since removed from the library keeps its key. */
/** `words` comes from the table: one read of the models' words for all its rows, not one per row. */
export function WebhookTags({ keys, library, words }: { keys: string[]; library: TagJson[]; words: ModelWords }) {
  const { t } = useSession();
  if (keys.length === 0) return <Typography.Text type="secondary">{t('webhooks.allTags')}</Typography.Text>;
  return (
    <>
      {keys.map((key) => {
        const tag = library.find((candidate) => candidate.key === key);
        return <TagChip key={key} label={tag ? words.tagName(tag) : key} color={tag?.color ?? (tag && pickTagColor(tag.name))} />;
      })}
    </>
  );
}
