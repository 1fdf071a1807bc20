import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';

// A numeric id in the path is read only as written plainly (`42`): `042`, `42.0`, `+42`, `42e0` or
// ` 42` would name the same webhook, snapshot, batch, reminder or operation under another address,
// which caches, request logs and the audit trail tell apart.
forEachStore('API: numeric ids in the path', (h) => {
  const api = useServer(h);

  /** Every other way of writing `id` that a number parser reads as it, as sent in the address and as the server decodes it. */
  const otherSpellings = (id: number): { sent: string; read: string }[] => [
    { sent: `0${id}`, read: `0${id}` },
    { sent: `00${id}`, read: `00${id}` },
    { sent: `${id}.0`, read: `${id}.0` },
    { sent: `${id}.`, read: `${id}.` },
    { sent: `+${id}`, read: `+${id}` },
    { sent: `%2B${id}`, read: `+${id}` },
    { sent: `${id}e0`, read: `${id}e0` },
    { sent: `${id}E0`, read: `${id}E0` },
    { sent: `%20${id}`, read: ` ${id}` },
    { sent: `${id}%20`, read: `${id} ` },
    { sent: `%09${id}`, read: `\t${id}` },
  ];

  const refusedAt = (reply: Reply, parameter: string, read: string) =>
    expect(reply.body, read).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ index: -1, code: 'VALIDATION_FAILED', path: parameter, message: `${JSON.stringify(read)} is not an id: ids are written as plain whole numbers, like 42 (no sign, leading zeros, decimal point, exponent or spaces)` }],
    });

  /** Refuses every other spelling of `id` at `parameter`, then answers `expected` to `id` as written plainly. */
  async function readsOnlyAsWritten(parameter: string, id: number, send: (id: string) => Promise<Reply>, expected: number): Promise<Reply> {
    for (const { sent, read } of otherSpellings(id)) refusedAt(await send(sent), parameter, read);
    const plain = await send(String(id));
    expect(plain.status, plain.text).toBe(expected);
    return plain;
  }

  it('reads a webhook, a snapshot, an event batch, a reminder and a tagging operation only by the id written plainly', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', city: '上海' }, { id: 'C2', city: '上海' }] });

    const webhook = (await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/tagbase' })).body.id as number;
    const read = await readsOnlyAsWritten('webhook', webhook, (id) => api.get(`/api/v1/webhooks/${id}`), 200);
    expect(read.body).toMatchObject({ id: webhook });
    await readsOnlyAsWritten('webhook', webhook, (id) => api.get(`/api/v1/webhooks/${id}/deliveries`), 200);

    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    const snapshot = (await api.post('/api/v1/segments/sh/snapshots', {})).body.id as number;
    await readsOnlyAsWritten('snapshot', snapshot, (id) => api.get(`/api/v1/segments/sh/snapshots/${id}/compare`), 200);

    const accepted = await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] }, { prefer: 'respond-async' });
    expect(accepted.status, accepted.text).toBe(202);
    await readsOnlyAsWritten('batch', accepted.body.batch as number, (id) => api.get(`/api/v1/events/journal/${id}`), 200);
    // Applied before the care plan below is made, so that only the order after it is cared for.
    for (let attempt = 0; (await api.get(`/api/v1/events/journal/${String(accepted.body.batch)}`)).body.status === 'pending'; attempt++) {
      if (attempt > 1000) throw new Error('the batch stayed pending');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    await api.post('/api/v1/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] });
    await api.post('/api/v1/events', { events: [{ id: 'E2', customer_id: 'C1', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O2', amount: 99 } }] });
    await api.post('/api/v1/care/run', {});
    const reminder = ((await api.get('/api/v1/care/reminders')).body.items as { id: number }[])[0]?.id;
    expect(reminder).toEqual(expect.any(Number));
    const closed = await readsOnlyAsWritten('reminder', reminder ?? 0, (id) => api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' }), 200);
    expect(closed.body).toMatchObject({ id: reminder, status: 'done' });

    await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    const operation = (await api.post('/api/v1/tags/vip/assign', { value: 'yes', customers: ['C1', 'C2'] })).body.operation as number;
    const undone = await readsOnlyAsWritten('operation', operation, (id) => api.post(`/api/v1/tagging/operations/${id}/undo`, {}), 200);
    expect(undone.body).toMatchObject({ undone: 2 });
  });

  it('still reads 1 and 42, and any id within the safe integers, as ids, not found when there is none', async () => {
    for (const id of ['1', '42', String(Number.MAX_SAFE_INTEGER)]) {
      expect((await api.get(`/api/v1/webhooks/${id}`)).body, id).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
      expect((await api.get(`/api/v1/events/journal/${id}`)).body, id).toMatchObject({ status: 404, code: 'JOURNAL_BATCH_NOT_FOUND' });
      expect((await api.patch(`/api/v1/care/reminders/${id}`, { status: 'done' })).body, id).toMatchObject({ status: 404, code: 'CARE_REMINDER_NOT_FOUND' });
      expect((await api.post(`/api/v1/tagging/operations/${id}/undo`, {})).body, id).toMatchObject({ status: 404, code: 'TAGGING_OPERATION_NOT_FOUND' });
    }
    // Written plainly but no id: told by their bounds, as before.
    expect((await api.get('/api/v1/webhooks/0')).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'webhook', message: 'at least 1' }]);
    expect((await api.get('/api/v1/webhooks/9007199254740992')).body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'webhook', message: 'at most 9007199254740991' }]);
  });

  it('says in Chinese and English which id was refused and how ids are written, as it refuses text', async () => {
    const english = await api.get('/api/v1/webhooks/abc');
    expect(english.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid: params webhook: "abc" is not an id: ids are written as plain whole numbers, like 42 (no sign, leading zeros, decimal point, exponent or spaces)',
    });
    const chinese = await api.get('/api/v1/events/journal/007', { 'accept-language': 'zh-CN' });
    expect(chinese.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(chinese.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'batch', message: '「007」不是有效的编号：编号写作普通整数，如 42（不带正负号、前导零、小数点、指数或空格）' }]);
    expect(chinese.body.detail).toContain('路径参数 batch：「007」不是有效的编号');
  });

  it('shows in the OpenAPI document how each numeric path id is written', async () => {
    type Parameter = { in: string; name: string; description?: string; schema?: { type?: string; pattern?: string } };
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const numeric = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.values(operations).flatMap((operation) => (operation.parameters ?? []).filter((parameter) => parameter.in === 'path' && parameter.schema?.type === 'integer').map((parameter) => ({ path, parameter }))),
    );
    expect(new Set(numeric.map(({ parameter }) => parameter.name))).toEqual(new Set(['webhook', 'snapshot', 'batch', 'reminder', 'operation']));
    for (const { path, parameter } of numeric) {
      expect(parameter.schema?.pattern, `${path} ${parameter.name}`).toBe('^(0|[1-9][0-9]*)$');
      expect(parameter.description, `${path} ${parameter.name}`).toContain('never `042`');
    }
  });
});
