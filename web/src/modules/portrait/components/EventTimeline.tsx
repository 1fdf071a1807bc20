import { Card, Empty, Timeline, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { formatTime } from '../../app/utils/format';
import type { Portrait } from '../hooks/usePortrait';

/** The properties worth a glance, in a line: 「amount 1299 · category 数码」. */
function summarise(properties: Record<string, unknown>): string {
  return Object.entries(properties)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .slice(0, 4)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(' · ');
}

export function EventTimeline({ events }: { events: Portrait['recent_events'] }) {
  const { t, lang } = useSession();
  return (
    <Card title={t('portrait.events')} data-testid="portrait-events">
      {events.length === 0 ? (
        <Empty description={t('common.empty')} />
      ) : (
        <Timeline
          items={events.map((event) => ({
            color: event.type === 'order_paid' ? 'green' : event.type === 'order_refunded' ? 'red' : 'blue',
            children: (
              <div>
                <Typography.Text strong>{event.type}</Typography.Text> <Typography.Text type="secondary">{formatTime(event.occurred_at, lang)}</Typography.Text>
                <div>{summarise(event.properties)}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
