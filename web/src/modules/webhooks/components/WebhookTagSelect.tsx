import { Select } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';

interface Props {
  /** Given by the form field, whose label names the select by it. */
  id?: string;
  library: TagJson[];
  value?: string[];
  onChange?: (keys: string[]) => void;
}

/** The shared tags by name, for a form field: a personal tag's changes are never posted. */
export function WebhookTagSelect({ id, library, value, onChange }: Props) {
  const { t } = useSession();
  const words = useModelWords();
  return (
    <Select<string[]>
      id={id}
      data-testid="webhook-tags"
      mode="multiple"
      allowClear
      value={value}
      onChange={onChange}
      placeholder={t('webhooks.allTags')}
      optionFilterProp="label"
      options={library.filter((tag) => tag.scope !== 'personal').map((tag) => ({ value: tag.key, label: words.tagName(tag) }))}
    />
  );
}
