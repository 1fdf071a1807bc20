// Text holding the NUL character (U+0000) or a lone surrogate is refused on both stores alike:
// PostgreSQL cannot store NUL (it answered 500 with the driver's words while SQLite kept it),
// SQLite's LIKE stops at it (a search for it found every customer), and a lone surrogate came
// back as one U+FFFD from PostgreSQL and three from SQLite.
import { expect } from 'vitest';
import { importRows, parseRows, wordRejections } from '../../src/engine/imports.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const NUL = String.fromCharCode(0);

forEachStore('text holding the NUL character or a lone surrogate', (h) => {
  const api = useServer(h);

  it('a body whose text holds it is refused, saying where, and nothing is stored', async () => {
    const reply = await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }, { id: 'C2', name: `王${NUL}芳` }] });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    // Placed as any other bad item's problem is: the batch item and its field, in the detail and in errors[].
    expect(reply.body.detail).toMatch(/^The request is not valid: 1 problem in the batch; nothing was stored\. item 1 name: text may not hold the NUL character/);
    expect(reply.body.errors).toEqual([{ index: 1, code: 'VALIDATION_FAILED', path: 'name', pointer: '#/customers/1/name', message: expect.stringContaining('NUL character') }]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    const tag = await api.post('/api/v1/tags', { key: 'taste', name: '口味', values: [{ key: 'hot', name: `麻辣${NUL}` }] }, { 'accept-language': 'zh-CN' });
    expect(tag.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/^请求无效：请求体 values\.0\.name：文本中不能含有 NUL 字符/), errors: [{ index: -1, path: 'values.0.name', message: expect.stringContaining('NUL 字符') }] });
  });

  it('a body whose text holds a lone surrogate is refused, and a pair is text like any other', async () => {
    const lone = await api.post('/api/v1/customers', '{"customers":[{"id":"C1","name":"a\\ud800b"}]}', { 'content-type': 'application/json' });
    expect(lone.status).toBe(400);
    expect(lone.body.detail).toContain('item 0 name: text may not hold');
    const trailing = await api.post('/api/v1/customers', '{"customers":[{"id":"C1","custom":{"\\udc00":1}}]}', { 'content-type': 'application/json' });
    expect(trailing.body.code).toBe('VALIDATION_FAILED');
    const pair = await api.post('/api/v1/customers', '{"customers":[{"id":"C1","name":"\\ud83d\\ude00会员"}]}', { 'content-type': 'application/json' });
    expect(pair.status).toBe(200);
    expect((await api.get('/api/v1/customers/C1')).body.name).toBe('😀会员');
  });

  it('an item holding it is refused with every other problem of the batch, not alone', async () => {
    const customers = await api.post('/api/v1/customers', {
      customers: [{ id: 'C1', birthday: '1990-02-30' }, { id: 'C2', name: `王${NUL}芳`, city: '\ud800广州' }, { id: 'C3', name: '李娜' }, { id: 'C 4' }],
    });
    expect(customers.status).toBe(400);
    expect(customers.body.detail).toMatch(/^The request is not valid: 4 problems in the batch; nothing was stored\./);
    expect(customers.body.errors?.map((error) => [error.index, error.path, error.pointer])).toEqual([
      [0, 'birthday', '#/customers/0/birthday'],
      [1, 'name', '#/customers/1/name'],
      [1, 'city', '#/customers/1/city'],
      [3, 'id', '#/customers/3/id'],
    ]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    const event = (id: string, properties: Record<string, unknown>, occurredAt = '2026-06-01T08:00:00Z') => ({ id, customer_id: 'C1', type: 'order_paid', occurred_at: occurredAt, properties });
    const events = await api.post('/api/v1/events', '{"events":' + JSON.stringify([event('e1', { order_id: 'O1', amount: 'ten' }), event('e2', { order_id: 'O2', amount: 5, note: '\ud800' }), event('e3', { order_id: 'O3', amount: 5 }, 'yesterday')]) + '}', { 'content-type': 'application/json' });
    expect(events.status).toBe(400);
    expect(events.body.errors?.map((error) => [error.index, error.code, error.path])).toEqual([
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.amount'],
      [1, 'VALIDATION_FAILED', 'properties.note'],
      [2, 'VALIDATION_FAILED', 'occurred_at'],
    ]);
    expect(events.body.errors?.[1]?.message).toContain('lone surrogate');
    // Accepted at once or not, a batch is checked alike: nothing of it goes into the journal.
    const accepted = await api.post('/api/v1/events', { events: [event('e4', { order_id: 'O4', amount: 5, note: `a${NUL}` }), event('e5', { order_id: 'O5', amount: -1 })] }, { prefer: 'respond-async' });
    expect(accepted.body.errors?.map((error) => [error.index, error.path])).toEqual([[0, 'properties.note'], [1, 'properties.amount']]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    // The rest of such a body is still checked as a whole.
    expect((await api.post('/api/v1/events', { events: [], [`x${NUL}`]: 1 })).body.code).toBe('VALIDATION_FAILED');
  });

  it('a body that only writes a backslash before u0000 is text like any other', async () => {
    const reply = await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '\\u0000' }] });
    expect(reply.status).toBe(200);
    expect((await api.get('/api/v1/customers/C1')).body.name).toBe('\\u0000');
  });

  it('a search, a path or an actor that holds it is refused', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }] });
    const search = await api.get('/api/v1/customers?q=%00');
    expect(search).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await api.get('/api/v1/tags/taste%00')).body.code).toBe('VALIDATION_FAILED');
    const tagged = await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] }, { 'x-tagbase-actor': 'a%00b' });
    expect(tagged.body.code).toBe('VALIDATION_FAILED');
  });

  it('an imported row whose text holds it is rejected with its line, and the other rows land', async () => {
    const rows = parseRows(`id,name,city\nC1,张伟,广州\nC2,王${NUL}芳,深圳\nC3,李娜,北京\n`, 'csv');
    const result = await importRows(h.context(), 'customers', rows, { batchSize: 1000 });
    expect(result).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(wordRejections(result.rejections, 'en')).toEqual([{ line: 3, code: 'VALIDATION_FAILED', reason: 'name: text may not hold the NUL character (\\u0000) or a lone surrogate (\\ud800–\\udfff without its pair)' }]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(2);
    // Posted to the API, the file's rows are checked as tagbase import checks them: one row, not the body.
    const posted = await api.post('/api/v1/imports/customers', { text: `id,name\nC4,赵敏\nC5,钱${NUL}多\n` });
    expect(posted.body).toMatchObject({ rows: 2, accepted: 1, rejected: 1, rejections: [{ line: 3, code: 'VALIDATION_FAILED', reason: expect.stringContaining('name: text may not hold the NUL character') }] });
    expect((await api.get('/api/v1/customers')).body.total).toBe(3);
    // The rest of such a body is still checked.
    const mapped = await api.post('/api/v1/imports/customers', { text: 'id,name\nC6,孙丽\n', columns: { [`name${NUL}`]: 'name' } });
    expect(mapped.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: expect.stringContaining('body columns') });
  });
});
