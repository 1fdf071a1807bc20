import { App, Alert, Button, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useReloadWhile } from '../../app/hooks/useReloadWhile';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import { formatTime } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';

interface JournalBatchJson {
  batch: number;
  status: 'pending' | 'applied' | 'failed';
  received: number;
  received_at: string;
  attempts: number;
  error: string | null;
}

interface RetriedJson extends JournalJson {
  retried: number;
}

interface JournalJson {
  pending_batches: number;
  pending_events: number;
  oldest_pending_at: string | null;
  failed_batches: number;
  failed: JournalBatchJson[];
}

/**
 * Event batches an integration sent to be applied after the answer (`Prefer: respond-async`):
 * while some wait, how many and since when; when some failed, which, why, and a retry each.
 * Nothing while the journal is empty.
 */
export function JournalNotice() {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const journal = useApiQuery<JournalJson>('/events/journal');
  // A batch's number, or 'all' while every failed batch is retried.
  const [retrying, setRetrying] = useState<number | 'all' | null>(null);
  const data = journal.data;
  useReloadWhile(journal, (data?.pending_batches ?? 0) > 0, 2000);
  if (!data || (data.pending_batches === 0 && data.failed_batches === 0)) return null;
  const retry = async (batch: number) => {
    setRetrying(batch);
    try {
      const answer = await api.post<JournalBatchJson>(`/events/journal/${batch}/retry`);
      if (answer.status === 'failed') message.error(t('journal.stillFailing', { batch, error: answer.error ?? '' }));
      else message.success(t('journal.retried', { batch }));
      journal.reload();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setRetrying(null);
    }
  };
  const batches = (n: number) => t(pluralKey('journal.batchCount', n), { n });
  const retryAll = async () => {
    setRetrying('all');
    try {
      const answer = await api.post<RetriedJson>('/events/journal/retry');
      if (answer.failed_batches > 0) message.warning(t('journal.retriedAllSomeFailing', { batches: batches(answer.retried), failing: batches(answer.failed_batches) }));
      else message.success(t('journal.retriedAll', { batches: batches(answer.retried) }));
      journal.reload();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setRetrying(null);
    }
  };
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="journal-notice">
      {data.pending_batches > 0 && (
        <Alert
          data-testid="journal-pending"
          type="info"
          showIcon
          message={t('journal.pending', { batches: t(pluralKey('journal.batchCount', data.pending_batches), { n: data.pending_batches }), events: t(pluralKey('journal.eventCount', data.pending_events), { n: data.pending_events }), since: formatTime(data.oldest_pending_at, lang, utcOffsetMinutes) })}
        />
      )}
      {data.failed_batches > 0 && (
        <Alert
          data-testid="journal-failed"
          type="warning"
          showIcon
          message={t(pluralKey('journal.failed', data.failed_batches), { batches: data.failed_batches })}
          action={
            can('write') && data.failed_batches > 1 ? (
              <Button size="small" loading={retrying === 'all'} disabled={retrying !== null && retrying !== 'all'} data-testid="journal-retry-all" onClick={() => void retryAll()}>
                {t('journal.retryAll', { batches: batches(data.failed_batches) })}
              </Button>
            ) : undefined
          }
          description={
            <List<JournalBatchJson>
              size="small"
              dataSource={data.failed}
              renderItem={(batch) => (
                <List.Item
                  data-testid={`journal-failed-${batch.batch}`}
                  actions={
                    can('write')
                      ? [
                          <Button key="retry" size="small" loading={retrying === batch.batch} disabled={retrying === 'all'} data-testid={`journal-retry-${batch.batch}`} onClick={() => void retry(batch.batch)}>
                            {t('journal.retry')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{t(pluralKey('journal.batch', batch.attempts), { batch: String(batch.batch), events: t(pluralKey('journal.eventCount', batch.received), { n: batch.received }), at: formatTime(batch.received_at, lang, utcOffsetMinutes), attempts: batch.attempts })}</Typography.Text>
                    {batch.error && (
                      <Typography.Text type="secondary" ellipsis={{ tooltip: batch.error }} style={{ maxWidth: 560 }}>
                        {batch.error}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          }
        />
      )}
    </Space>
  );
}
