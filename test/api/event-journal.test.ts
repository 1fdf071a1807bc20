import { describe, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { refuseInserts } from '../engine/support.js';

const order = (id: string, customer: string, amount = 1200) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: `O-${id}`, amount } });
const ASYNC = { prefer: 'respond-async' };

/** Polls an accepted batch until it is no longer pending. */
async function settled(api: ReturnType<typeof useServer>, location: string) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const reply = await api.get(location);
    if (reply.body.status !== 'pending') return reply;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${location} stayed pending`);
}

forEachStore('API: accepted event batches', (h) => {
  const api = useServer(h);

  it('answers 202 at once with Prefer: respond-async, and applies the batch right after', async () => {
    expect((await api.post('/api/v1/tags', { key: 'value_tier', name: '价值分层', kind: 'rule', values: [{ key: 'high', name: '高价值', condition: 'spend_365d >= 1000' }] })).status).toBe(201);
    const accepted = await api.post('/api/v1/events', { events: [order('E1', 'C1'), order('E2', 'C2', 10), order('E1', 'C1')] }, ASYNC);
    expect(accepted.status).toBe(202);
    expect(accepted.headers['preference-applied']).toBe('respond-async');
    expect(accepted.body).toEqual({ received: 3, batch: expect.any(Number), status: 'pending' });
    expect(accepted.headers.location).toBe(`/api/v1/events/journal/${String(accepted.body.batch)}`);
    const done = await settled(api, String(accepted.headers.location));
    expect(done.body).toMatchObject({ status: 'applied', received: 3, attempts: 1, error: null, result: { stored: 2, duplicates: 1, customers_created: 2, tags_changed: 1 } });
    expect((await api.get('/api/v1/customers/C1')).body.tags).toEqual([expect.objectContaining({ label: '价值分层: 高价值', source: 'rule' })]);
    expect((await api.get('/api/v1/events/journal')).body).toEqual({ pending_batches: 0, pending_events: 0, oldest_pending_at: null, failed_batches: 0, failed: [] });
    // Other preferences beside it, in any case, still ask for it; without it the answer waits for the counts.
    expect((await api.post('/api/v1/events', { events: [order('E3', 'C3')] }, { prefer: 'return=minimal, Respond-Async; wait=5' })).status).toBe(202);
    expect(await api.post('/api/v1/events', { events: [order('E4', 'C4')] })).toMatchObject({ status: 200, body: { received: 1, stored: 1, tags_changed: 1 } });
  });

  it('refuses a bad batch before accepting it, and names unknown batches in problem JSON', async () => {
    const bad = await api.post('/api/v1/events', { events: [order('E1', 'C1'), { id: 'E2', customer_id: 'C1', type: 'order_paid', occurred_at: 'yesterday' }] }, ASYNC);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors?.map((error) => [error.index, error.path, error.pointer, error.message])).toEqual([
      [1, 'occurred_at', '#/events/1/occurred_at', 'an ISO 8601 time like 2026-01-31T08:00:00Z'],
      [1, 'properties.order_id', '#/events/1/properties/order_id', 'required, and missing here'],
      [1, 'properties.amount', '#/events/1/properties/amount', 'required, and missing here'],
    ]);
    expect((await api.get('/api/v1/events/journal')).body).toMatchObject({ pending_batches: 0 });
    const missing = await api.get('/api/v1/events/journal/987654', { 'accept-language': 'zh-CN' });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ code: 'JOURNAL_BATCH_NOT_FOUND', title: '未找到已接收的批次' });
    expect((await api.get('/api/v1/events/journal/abc')).body.code).toBe('VALIDATION_FAILED');
    // A batch of another workspace is not this one's.
    const accepted = await api.post('/api/v1/events', { events: [order('E9', 'C9')] }, ASYNC);
    await settled(api, String(accepted.headers.location));
    expect((await api.post('/api/v1/workspaces', { key: `${h.workspaceKey()}-2`, name: '第二家店' })).status).toBe(201);
    expect((await api.get(String(accepted.headers.location), { 'x-tagbase-workspace': `${h.workspaceKey()}-2` })).status).toBe(404);
    // Retrying a batch that did not fail leaves it as it is; the retry is in the audit trail, accepting is not.
    expect((await api.post(`${String(accepted.headers.location)}/retry`, {})).body).toMatchObject({ status: 'applied' });
    const trail = await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' });
    expect((trail.body.items as { action: string; summary: string }[]).map((item) => [item.action, item.summary])).toEqual([
      ['POST /events/journal/:batch/retry', '重试已接收的事件批次'],
      ['POST /workspaces', '创建工作空间'],
    ]);
  });

  it('retries every failed batch at once, applying them, and says how many', async () => {
    // The store refuses the events for a while, as a full disk or a broken constraint would.
    const accept = await refuseInserts(h.kind, h.store().db, 'events', 'event_key', 'R1');
    const locations: string[] = [];
    // Two batches of the refused event.
    for (const id of ['R1', 'R1']) {
      const accepted = await api.post('/api/v1/events', { events: [order(id, `C-${id}${locations.length}`)] }, ASYNC);
      locations.push(String(accepted.headers.location));
    }
    for (const location of locations) {
      for (let attempt = 0; (await api.get(location)).body.attempts === 0 && attempt < 1000; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Set aside after its attempts, as eight failures in a row would.
    const batches = locations.map((location) => Number(location.split('/').pop()));
    await h.store().db.updateTable('event_journal').set({ status: 'failed', attempts: 8, retry_at: null }).where('id', 'in', batches).execute();
    expect((await api.get('/api/v1/events/journal')).body).toMatchObject({ failed_batches: 2, pending_batches: 0 });
    await accept();
    const retried = await api.post('/api/v1/events/journal/retry', {}, { 'accept-language': 'zh-CN' });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ retried: 2, pending_batches: 0, pending_events: 0, oldest_pending_at: null, failed_batches: 0, failed: [] });
    for (const location of locations) expect((await api.get(location)).body).toMatchObject({ status: 'applied', attempts: 1 });
    expect((await api.post('/api/v1/events/journal/retry', {})).body).toMatchObject({ retried: 0, failed_batches: 0 });
    const trail = await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' });
    expect((trail.body.items as { action: string; summary: string }[])[0]).toMatchObject({ action: 'POST /events/journal/retry', summary: '重试全部失败的事件批次' });
  });

  describe('Idempotency-Key', () => {
    const idless = (customer: string, amount: number) => ({ customer_id: customer, type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: `O-${customer}`, amount } });
    const ordersOf = async (customer: string) => ((await api.get(`/api/v1/customers/${customer}`)).body.metrics as { key: string; value: unknown }[]).find((metric) => metric.key === 'orders_total')?.value;

    it('answers a request sent again with what became of the first, and applies nothing', async () => {
      const first = await api.post('/api/v1/events', { events: [idless('K1', 10)] }, { 'idempotency-key': 'order-O-K1' });
      expect(first).toMatchObject({ status: 200, body: { received: 1, stored: 1, duplicates: 0, customers_created: 1, tags_changed: 0 } });
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Events without an id, which a plain retry would store again.
      const again = await api.post('/api/v1/events', { events: [idless('K1', 10)] }, { 'idempotency-key': '"order-O-K1"' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await ordersOf('K1')).toBe(1);
      // JSON objects have no order: the same events with their keys in another order are the same request.
      const { customer_id, type, occurred_at, properties } = idless('K1', 10);
      const reordered = await api.post('/api/v1/events', { events: [{ properties: { amount: properties.amount, order_id: properties.order_id }, occurred_at, type, customer_id }] }, { 'idempotency-key': 'order-O-K1' });
      expect(reordered.body).toEqual(first.body);
      expect(await ordersOf('K1')).toBe(1);
      // Another key is another request.
      expect((await api.post('/api/v1/events', { events: [idless('K1', 10)] }, { 'idempotency-key': 'order-O-K1-again' })).body).toMatchObject({ stored: 1 });
      expect(await ordersOf('K1')).toBe(2);
      // The same key with other events is refused, and changes nothing.
      const reused = await api.post('/api/v1/events', { events: [idless('K1', 99)] }, { 'idempotency-key': 'order-O-K1', 'accept-language': 'zh-CN' });
      expect(reused.status).toBe(422);
      expect(reused.contentType).toContain('application/problem+json');
      expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', title: '幂等键已用于另一请求' });
      expect(reused.body.detail).toContain('「order-O-K1」');
      // The header is placed in `errors[]` by its name in lower case, as a query parameter is by its name.
      expect(reused.body.errors).toEqual([{ index: -1, code: 'IDEMPOTENCY_KEY_REUSED', path: 'idempotency-key', message: expect.stringContaining('「order-O-K1」') }]);
      expect(await ordersOf('K1')).toBe(2);
      for (const bad of ['', 'x'.repeat(256), '"\u00e9"']) {
        const refused = await api.post('/api/v1/events', { events: [idless('K9', 1)] }, { 'idempotency-key': bad === '"\u00e9"' ? '"é"' : bad });
        if (bad === '') continue; // an empty header is no header to the HTTP layer's reading of it
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(refused.body.detail).toContain('Idempotency-Key');
        expect(refused.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'idempotency-key', message: 'header Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID, say)' }]);
      }
      // A key is the workspace's: another workspace's request under it is its own.
      expect((await api.post('/api/v1/workspaces', { key: `${h.workspaceKey()}-k`, name: '另一家店' })).status).toBe(201);
      expect((await api.post('/api/v1/events', { events: [idless('K1', 10)] }, { 'idempotency-key': 'order-O-K1', 'x-tagbase-workspace': `${h.workspaceKey()}-k` })).body).toMatchObject({ stored: 1, customers_created: 1 });
    });

    it('answers a repeat of an accepted batch with the batch, pending or applied', async () => {
      const accepted = await api.post('/api/v1/events', { events: [idless('K2', 10)] }, { ...ASYNC, 'idempotency-key': 'k2' });
      expect(accepted.status).toBe(202);
      const repeat = await api.post('/api/v1/events', { events: [idless('K2', 10)] }, { ...ASYNC, 'idempotency-key': 'k2' });
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      // The first may be applied already (the drain starts right after the answer), or not yet.
      if (repeat.status === 202) expect([repeat.body.batch, repeat.headers.location]).toEqual([accepted.body.batch, accepted.headers.location]);
      else expect(repeat).toMatchObject({ status: 200, body: { received: 1, stored: 1 } });
      await settled(api, String(accepted.headers.location));
      // Once applied, even a repeat that waits for the counts gets them.
      const applied = await api.post('/api/v1/events', { events: [idless('K2', 10)] }, { 'idempotency-key': 'k2' });
      expect(applied).toMatchObject({ status: 200, body: { received: 1, stored: 1, customers_created: 1 } });
      expect(applied.headers['idempotent-replayed']).toBe('true');
      expect(await ordersOf('K2')).toBe(1);
    });

    it('applies requests sent at the same time under one key once', async () => {
      const answers = await Promise.all([1, 2, 3].map(() => api.post('/api/v1/events', { events: [idless('K3', 10)] }, { 'idempotency-key': 'k3' })));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => answer.body)).toEqual([answers[0]?.body, answers[0]?.body, answers[0]?.body]);
      expect(answers.filter((answer) => answer.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
      expect(await ordersOf('K3')).toBe(1);
    });
  });
});
