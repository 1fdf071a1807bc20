import { Card, Empty, Timeline, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { eventLabel, propertyLabel } from '../../app/utils/eventTypes';
import { formatTime } from '../../app/utils/format';
import type { MessageKey } from '../../app/utils/messages';
import type { Portrait } from '../hooks/usePortrait';

/** An instant as events carry it (a coupon's `expires_at`): a date with a time and a zone. A bare date stays as it is. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The properties worth a glance, in a line: 「金额 1299 · 类目 数码」, with instants printed like the event's own time. */
function summarise(t: (key: MessageKey) => string, lang: string, utcOffsetMinutes: number | undefined, properties: Record<string, unknown>): string {
  return Object.entries(properties)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .slice(0, 4)
    .map(([key, value]) => `${propertyLabel(t, key)} ${typeof value === 'string' && INSTANT.test(value) ? formatTime(value, lang, utcOffsetMinutes) : String(value)}`)
    .join(' · ');
}

export function EventTimeline({ events }: { events: Portrait['recent_events'] }) {
  const { t, lang, utcOffsetMinutes } = useSession();
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
                <Typography.Text strong title={event.type}>
                  {eventLabel(t, event.type)}
                </Typography.Text> <Typography.Text type="secondary">{formatTime(event.occurred_at, lang, utcOffsetMinutes)}</Typography.Text>
                <div>{summarise(t, lang, utcOffsetMinutes, event.properties)}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
