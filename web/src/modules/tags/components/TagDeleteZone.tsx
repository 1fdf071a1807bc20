import { Alert, App, Button, Divider, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { pluralKey } from '../../app/utils/messages';
import type { TagJson } from '../../app/utils/types';
import { useTagReaders } from '../hooks/useTagReaders';

/**
 * The foot of the tag editor: deleting a tag made by mistake or no longer used, for good. Only a
 * tag nobody holds and nothing reads goes, so the button is enabled only then and otherwise says
 * why: how many hold it, what reads it (webhooks and other staff members' personal rules too),
 * changes of it a paused or failing webhook has yet to post, a pass of its rule under way. Changes
 * a webhook that is due has yet to post do not hold it up: the deletion has it post them first,
 * as the confirmation says. What changes between this answer and the click the server's refusal says.
 */
export function TagDeleteZone({ tag, onDeleted }: { tag: TagJson; onDeleted: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const { message, modal } = App.useApp();
  const [problem, setProblem] = useState<string>();
  const model = tag.kind === 'model';
  const readers = useTagReaders(model ? null : tag.key);
  const reasons = model
    ? [t('tags.deleteModel')]
    : [
        ...(tag.customers > 0 ? [t(pluralKey('tags.deleteHeld', tag.customers), { count: tag.customers })] : []),
        ...(readers.readers.length > 0 ? [t('tags.deleteReaders', { list: readers.readers.join(t('care.separator')) })] : []),
        ...readers.underWay,
      ];
  const ready = model || readers.ready;
  const postedFirst = model ? [] : readers.postedFirst;
  const confirm = () =>
    modal.confirm({
      title: t('tags.deleteConfirmTitle', { name: tag.name }),
      content: (
        <>
          {t('tags.deleteConfirmBody', { name: tag.name, values: tag.values.length })}
          {postedFirst.length > 0 && (
            <div data-testid="tag-delete-posted-first" style={{ marginTop: 8 }}>
              {t(pluralKey('tags.deletePostsFirst', postedFirst.length), { ids: postedFirst.join(t('care.separator')) })}
            </div>
          )}
        </>
      ),
      okText: t('tags.deleteButton'),
      okButtonProps: { danger: true, ...{ 'data-testid': 'tag-delete-confirm' } },
      onOk: async () => {
        setProblem(undefined);
        try {
          await api.del(`/tags/${encodeURIComponent(tag.key)}`);
          message.success(t('tags.deleted', { name: tag.name }));
          onDeleted();
        } catch (error) {
          setProblem(errorText(error));
        }
      },
    });
  return (
    <div data-testid="tag-delete-zone" style={{ marginTop: 24 }}>
      <Divider style={{ margin: '8px 0 12px' }} />
      <Typography.Title level={5} type="danger" style={{ marginTop: 0 }}>
        {t('tags.deleteTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('tags.deleteWarning')}</Typography.Paragraph>
      {reasons.map((reason) => (
        <Typography.Paragraph key={reason} type="warning" data-testid="tag-delete-reason">
          {reason}
        </Typography.Paragraph>
      ))}
      {problem && <Alert data-testid="tag-delete-error" type="error" showIcon style={{ marginBottom: 12 }} message={problem} />}
      <Button danger data-testid="tag-delete" disabled={!ready || reasons.length > 0} onClick={confirm}>
        {t('tags.deleteButton')}
      </Button>
    </div>
  );
}
