import { Button, Table, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { useSession } from '../../app/hooks/useSession';
import { actorLabel } from '../../app/utils/actorLabel';
import { formatTime, joinNames } from '../../app/utils/format';
import type { TagJson } from '../../app/utils/types';
import type { SegmentJson } from '../../segments/hooks/useSegments';
import type { MadeWebhook, Webhook } from '../utils/types';
import { WebhookDeleteButton } from './WebhookDeleteButton';
import { WebhookTestButton } from './WebhookTestButton';
import { useModelWords } from '../../models/hooks/useModelWords';
import { WebhookRotateSecretButton } from './WebhookRotateSecretButton';
import { WebhookDeliveryStatus } from './WebhookDeliveryStatus';
import { WebhookPauseButton } from './WebhookPauseButton';
import { WebhookTags } from './WebhookTags';
import { WebhookCustomerChangesOn } from './WebhookCustomerChangesOn';
import { knownRows } from '../../app/utils/knownRows';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';

interface Props {
  webhooks: Webhook[];
  /** The library, for the tags' names. */
  tags: TagJson[];
  /** The saved segments, for their names. */
  segments: SegmentJson[];
  loading: boolean;
  /** Deleted, paused, resumed, retried or given customer changes: the list is read again. */
  onChanged: () => void;
  onEdit: (webhook: Webhook) => void;
  onShowDeliveries: (webhook: Webhook) => void;
  onRotated: (made: MadeWebhook) => void;
  /** Takes the focus once the last webhook listed is deleted under it. */
  fallbackFocus: () => HTMLElement | null;
}

/** Each webhook, what it posts (and whether customers merged or erased are not among it), whether its posts are getting through, and ways to look closer, re-key, pause or stop it. */
export function WebhookTable({ webhooks, tags, segments, loading, onChanged, onEdit, onShowDeliveries, onRotated, fallbackFocus }: Props) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const words = useModelWords();
  // The webhook deleted, and its row's place: its 删除 went with the row, and the focus with it to
  // the page's top. Once the list no longer shows it, the focus goes on to 删除 in the row now in
  // its place (or the last), else to `fallbackFocus`; unless something has taken it since.
  const box = useRef<HTMLDivElement>(null);
  const deleted = useRef<{ key: string; index: number }>(undefined);
  useEffect(() => {
    const gone = deleted.current;
    if (!gone || webhooks.some((webhook) => String(webhook.id) === gone.key)) return;
    deleted.current = undefined;
    if (focusIsLost()) focusRowControl(box.current, gone.key, gone.index, ['[data-testid^="webhook-delete-"]', '[data-testid^="webhook-edit-"]'], fallbackFocus());
  }, [webhooks, fallbackFocus]);
  const onDeleted = (row: Webhook) => {
    deleted.current = { key: String(row.id), index: rowIndexOf(box.current, String(row.id)) };
    onChanged();
  };
  return (
    <div ref={box}>
      <Table<Webhook>
        data-testid="webhook-table"
        // A minimum width rather than max-content: the address and what it posts wrap, so that the
        // actions stay in view on a laptop screen (1280 wide, in either language); a phone scrolls sideways.
        scroll={{ x: 900 }}
        size="small"
        loading={loading}
        pagination={false}
        rowKey="id"
        dataSource={knownRows(webhooks, loading)}
        locale={{ emptyText: t('webhooks.none') }}
        columns={[
          { title: t('webhooks.url'), dataIndex: 'url', render: (url: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{url}</Typography.Text> },
          {
            title: t('webhooks.posts'),
            key: 'posts',
            render: (_, row) => (
              <>
                {row.topics.includes('tag_changes') && (
                  <div>
                    {t('webhooks.topicFor', { topic: t('webhooks.topic.tag_changes') })}
                    <WebhookTags keys={row.tags} library={tags} words={words} />
                  </div>
                )}
                {row.topics.includes('segment_changes') && (
                  <div data-testid="webhook-watched-segments">
                    {t('webhooks.topicFor', { topic: t('webhooks.topic.segment_changes') })}
                    {row.segments.length === 0 ? (
                      <Typography.Text type="secondary">{t('webhooks.allSegments')}</Typography.Text>
                    ) : (
                      joinNames(row.segments.map((key) => segments.find((segment) => segment.key === key)?.name ?? key), lang)
                    )}
                  </div>
                )}
                {row.topics.includes('care_reminders') && <div>{t('webhooks.topic.care_reminders')}</div>}
                {row.topics.includes('customer_changes') ? <div>{t('webhooks.topic.customer_changes')}</div> : <WebhookCustomerChangesOn webhook={row} onChanged={onChanged} />}
              </>
            ),
          },
          { title: t('webhooks.status'), key: 'status', width: 190, render: (_, row) => <WebhookDeliveryStatus webhook={row} onChanged={onChanged} /> },
          {
            title: t('webhooks.created'),
            key: 'created',
            width: 150,
            render: (_, row) => (
              <>
                {actorLabel(t, row.actor)}
                <br />
                <Typography.Text type="secondary">{formatTime(row.created_at, lang, utcOffsetMinutes)}</Typography.Text>
              </>
            ),
          },
          {
            title: t('webhooks.actions'),
            key: 'actions',
            width: 210,
            render: (_, row) => (
              // Six actions in rows within the column rather than one row wider than a laptop's table.
              <div style={{ display: 'flex', flexWrap: 'wrap' }}>
                <Button size="small" type="link" icon={<EditOutlined />} data-testid={`webhook-edit-${row.id}`} aria-label={t('webhooks.editUrl', { url: row.url })} onClick={() => onEdit(row)}>
                  {t('webhooks.editButton')}
                </Button>
                <WebhookTestButton webhook={row} />
                <Button size="small" type="link" icon={<HistoryOutlined />} data-testid={`webhook-deliveries-${row.id}`} aria-label={t('webhooks.deliveriesUrl', { url: row.url })} onClick={() => onShowDeliveries(row)}>
                  {t('webhooks.deliveries')}
                </Button>
                <WebhookPauseButton webhook={row} onChanged={onChanged} />
                <WebhookRotateSecretButton webhook={row} onRotated={onRotated} />
                <WebhookDeleteButton webhook={row} onDeleted={() => onDeleted(row)} />
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
