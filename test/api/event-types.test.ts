// GET /events/types: the types the workspace receives, read from its latest events, with the
// properties they carry — what the care plan form offers and checks a typed type against.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { seenEventTypes } from '../../src/engine/event-types.js';
import { useServer, type Reply } from './support.js';

const typesOf = (reply: Reply) => (reply.body as { items: { type: string }[] }).items.map((item) => item.type);

forEachStore('API: event types', (h) => {
  const api = useServer(h);

  it('answers nothing before any event, then each type with its count, latest time and properties', async () => {
    expect((await api.get('/api/v1/events/types')).body).toEqual({ items: [], sampled: 0, sample_limit: 20_000 });
    const events = [
      { id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 100, channel: 'online' } },
      { id: 'E2', customer_id: 'C2', type: 'order_paid', occurred_at: '2026-06-03T08:00:00Z', properties: { order_id: 'O2', amount: 50 } },
      { id: 'E3', customer_id: 'C1', type: 'live_room_entered', occurred_at: '2026-06-02T20:00:00+08:00', properties: { room: '直播间 A', 停留秒数: 30 } },
    ];
    expect((await api.post('/api/v1/events', { events })).status).toBe(200);
    const reply = await api.get('/api/v1/events/types');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      items: [
        { type: 'order_paid', builtin: true, events: 2, last_at: '2026-06-03T08:00:00.000Z', properties: ['amount', 'order_id', 'channel'] },
        { type: 'live_room_entered', builtin: false, events: 1, last_at: '2026-06-02T12:00:00.000Z', properties: ['room', '停留秒数'] },
      ],
      sampled: 3,
      sample_limit: 20_000,
    });
  });

  it('reads only the latest events, and only the workspace’s own', async () => {
    const events = Array.from({ length: 6 }, (_, i) => ({ id: `E${i}`, customer_id: 'C1', type: i < 3 ? 'old_type' : 'new_type', occurred_at: '2026-06-01T08:00:00Z', properties: {} }));
    for (const event of events) expect((await api.post('/api/v1/events', { events: [event] })).status).toBe(200);
    expect((await seenEventTypes(h.context(), 3)).items.map((item) => item.type)).toEqual(['new_type']);
    const other = `${h.workspaceKey()}_b`;
    expect((await api.post('/api/v1/workspaces', { key: other, name: '别家' })).status).toBe(201);
    expect((await api.post('/api/v1/events', { events: [{ ...events[0], id: 'X1', type: 'elsewhere' }] }, { 'x-tagbase-workspace': other })).status).toBe(200);
    expect(typesOf(await api.get('/api/v1/events/types', { 'x-tagbase-workspace': other }))).toEqual(['elsewhere']);
    expect(typesOf(await api.get('/api/v1/events/types'))).toEqual(['new_type', 'old_type']);
  });
});
