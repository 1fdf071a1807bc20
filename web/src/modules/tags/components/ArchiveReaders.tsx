import { Typography } from 'antd';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { useModelWords } from '../../models/hooks/useModelWords';

interface TagReaders {
  segments: { key: string; name: string }[];
  care_plans: { key: string; name: string }[];
  rule_tags: { key: string; name: string }[];
}

/**
 * Inside the archive confirmation: the saved segments, care plans and rule tags that read the
 * tag, which stop counting or running once it is archived. Loaded only when the confirmation opens.
 */
export function ArchiveReaders({ tagKey }: { tagKey: string }) {
  const { t } = useSession();
  const words = useModelWords();
  const readers = useApiQuery<TagReaders>(`/tags/${encodeURIComponent(tagKey)}/readers`);
  const data = readers.data;
  if (!data) return null;
  const named = [
    ...data.segments.map((segment) => t('tags.readerSegment', { name: segment.name })),
    ...data.care_plans.map((plan) => t('tags.readerPlan', { name: plan.name })),
    ...data.rule_tags.map((tag) => t('tags.readerRule', { name: words.tagName(tag) })),
  ];
  if (named.length === 0) return null;
  return (
    <Typography.Text type="warning" data-testid={`tag-archive-readers-${tagKey}`} style={{ display: 'block', maxWidth: 360 }}>
      {t('tags.archiveReaders', { list: named.join(t('care.separator')) })}
    </Typography.Text>
  );
}
