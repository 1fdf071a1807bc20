// A batch lists every problem of every event at once, so that one correction makes it go
// through. An event the schema refused for another field (an empty customer id, a type that is
// not lower_snake_case) had its properties checked, but not whether its time was more than a day
// ahead of the server's clock or before 1970 on the workspace's clock: the integrator corrected
// the customer id, sent the batch again, and only then heard of the time.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from '../api/support.js';

forEachStore('an event refused for its customer id is told its time too', (h) => {
  const api = useServer(h);

  it('names the time ahead of the clock beside the customer id and the type', async () => {
    const at = (hours: number) => new Date(h.clock.now().getTime() + hours * 3_600_000).toISOString();
    const refused = await api.post('/api/v1/events', {
      events: [
        { id: 'O1', customer_id: '', type: 'order_paid', occurred_at: at(48), properties: { order_id: 'O1', amount: -1 } },
        { id: 'O2', customer_id: 'C1', type: 'Order-Paid', occurred_at: at(48) },
        // 1970-01-01 without an offset is 1969-12-31T16:00Z on China's clock: before the earliest time kept.
        { id: 'O3', customer_id: 'C 1', type: 'app_opened', occurred_at: '1970-01-01T00:00:00' },
      ],
    });
    expect(refused.body.errors?.map((e) => [e.index, e.code, e.path, e.pointer])).toEqual([
      [0, 'VALIDATION_FAILED', 'customer_id', '#/events/0/customer_id'],
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.amount', '#/events/0/properties/amount'],
      [0, 'VALIDATION_FAILED', 'occurred_at', '#/events/0/occurred_at'],
      [1, 'VALIDATION_FAILED', 'type', '#/events/1/type'],
      [1, 'VALIDATION_FAILED', 'occurred_at', '#/events/1/occurred_at'],
      [2, 'VALIDATION_FAILED', 'customer_id', '#/events/2/customer_id'],
      [2, 'VALIDATION_FAILED', 'occurred_at', '#/events/2/occurred_at'],
    ]);
    expect(refused.body.errors?.[2]?.message).toContain('more than a day ahead');
    expect(refused.body.errors?.[6]?.message).toContain('1970-01-01T00:00:00Z or later');
    // Corrected where it was told, the batch goes through.
    const corrected = await api.post('/api/v1/events', {
      events: [
        { id: 'O1', customer_id: 'C1', type: 'order_paid', occurred_at: at(-1), properties: { order_id: 'O1', amount: 1 } },
        { id: 'O2', customer_id: 'C1', type: 'order_paid_offline', occurred_at: at(-1) },
        { id: 'O3', customer_id: 'C1', type: 'app_opened', occurred_at: '1970-01-01T08:00:00' },
      ],
    });
    expect(corrected.body).toMatchObject({ received: 3, stored: 3 });
  });
});
