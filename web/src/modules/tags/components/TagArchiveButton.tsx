import { Button, Popconfirm, Tooltip, type ButtonProps } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useQuestion } from '../../app/hooks/useQuestion';
import { useSession } from '../../app/hooks/useSession';
import { formatNumber } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import type { TagJson } from '../../app/utils/types';
import { ArchiveReaders } from './ArchiveReaders';

/**
 * A tag's archive button in the library, asking first: how many hold the tag and what reads it.
 * Asked from the keyboard, the answer takes the focus, and Esc gives it back to the button.
 * `name` is the tag's name as the page shows it (a model's tag in the catalog's English words):
 * the page reads the models once, rather than every row's button.
 */
export function TagArchiveButton({ tag, name, onConfirm }: { tag: TagJson; name: string; onConfirm: () => void }) {
  const { t, lang } = useSession();
  const { okButtonProps, ...question } = useQuestion();
  return (
    <Popconfirm
      {...question}
      // How many hold it, in the customers' own count, before a tag they hold is archived.
      title={tag.customers > 0 ? t(pluralKey('tags.archiveConfirmHeld', tag.customers), { name, count: formatNumber(tag.customers, lang) }) : t('tags.archiveConfirm', { name })}
      description={<ArchiveReaders tagKey={tag.key} />}
      okText={t('common.confirm')}
      okButtonProps={okButtonProps as ButtonProps}
      cancelText={t('common.cancel')}
      onConfirm={onConfirm}
    >
      <Tooltip title={t('tags.archive')}>
        <Button data-testid={`tag-archive-${tag.key}`} size="small" danger icon={<InboxOutlined />} aria-label={t('tags.archiveTitle', { name })} />
      </Tooltip>
    </Popconfirm>
  );
}
