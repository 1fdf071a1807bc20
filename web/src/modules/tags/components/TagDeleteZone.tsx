import { Alert, App, Button, Divider, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { pluralKey } from '../../app/utils/messages';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';

interface TagReaders {
  segments: { key: string; name: string }[];
  care_plans: { key: string; name: string }[];
  rule_tags: { key: string; name: string }[];
}

/**
 * The foot of the tag editor: deleting a tag made by mistake or no longer used, for good. Only a
 * tag nobody holds and nothing reads goes, so the button is enabled only then and otherwise says
 * why (how many hold it, what reads it); what the library cannot see (a webhook with changes of it
 * still to post) the server's refusal says.
 */
export function TagDeleteZone({ tag, onDeleted }: { tag: TagJson; onDeleted: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const words = useModelWords();
  const { message, modal } = App.useApp();
  const [problem, setProblem] = useState<string>();
  const model = tag.kind === 'model';
  const readers = useApiQuery<TagReaders>(model ? null : `/tags/${encodeURIComponent(tag.key)}/readers`);
  const named = readers.data
    ? [
        ...readers.data.segments.map((segment) => t('tags.readerSegment', { name: segment.name })),
        ...readers.data.care_plans.map((plan) => t('tags.readerPlan', { name: plan.name })),
        ...readers.data.rule_tags.map((rule) => t('tags.readerRule', { name: words.tagName(rule) })),
      ]
    : [];
  const reasons = model
    ? [t('tags.deleteModel')]
    : [...(tag.customers > 0 ? [t(pluralKey('tags.deleteHeld', tag.customers), { count: tag.customers })] : []), ...(named.length > 0 ? [t('tags.deleteReaders', { list: named.join(t('care.separator')) })] : [])];
  const ready = model || readers.data !== undefined;
  const confirm = () =>
    modal.confirm({
      title: t('tags.deleteConfirmTitle', { name: tag.name }),
      content: t('tags.deleteConfirmBody', { name: tag.name, values: tag.values.length }),
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
