import { Card, Empty, Timeline, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { eventLabel } from '../../app/utils/eventTypes';
import { formatTime } from '../../app/utils/format';
import type { Portrait } from '../hooks/usePortrait';
import { summariseEvent } from '../utils/eventSummary';

export function EventTimeline({ events }: { events: Portrait['recent_events'] }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  return (
    <Card title={t('portrait.events')} data-testid="portrait-events">
      {events.length === 0 ? (
        <Empty data-testid="portrait-events-none" description={t('portrait.eventsNone')} />
      ) : (
        <Timeline
          items={events.map((event) => ({
            color: event.type === 'order_paid' ? 'green' : event.type === 'order_refunded' ? 'red' : 'blue',
            children: (
              <div>
                <Typography.Text strong title={event.type}>
                  {eventLabel(t, event.type)}
                </Typography.Text> <Typography.Text type="secondary">{formatTime(event.occurred_at, lang, utcOffsetMinutes)}</Typography.Text>
                <div>{summariseEvent({ t, lang, utcOffsetMinutes }, event.type, event.properties)}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
