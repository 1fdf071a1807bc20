// A body that gives a key twice in one object (`{"name": "A", "name": "B"}`) is refused, naming
// the key and where it is: read as a JSON parser reads it, the last value would win without a
// word, and a client's mistake (a template's field given twice, two objects merged) would change
// data unseen.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const JSON_TYPE = { 'content-type': 'application/json' };

forEachStore('API: a JSON body giving a key twice', (h) => {
  const api = useServer(h);

  it('is refused with the key, its place and its line and column, and nothing is stored', async () => {
    const body = '{"customers": [\n  {"id": "C1"}, {"id": "C2"}, {"id": "C3"},\n  {"id": "C4", "name": "张伟", "name": "王芳"}\n]}';
    const reply = await api.post('/api/v1/customers', body, JSON_TYPE);
    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(reply.body.detail).toBe('The request is not valid: body item 3 name: the key "name" is given twice in one object (line 3, column 30; first at line 3, column 16): a JSON parser would keep only the last value');
    expect(reply.body.errors).toEqual([{ index: 3, code: 'VALIDATION_FAILED', path: 'name', pointer: '#/customers/3/name', line: 3, column: 30, message: expect.stringContaining('"name" is given twice') }]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    const chinese = await api.post('/api/v1/customers', body, { ...JSON_TYPE, 'accept-language': 'zh-CN' });
    expect(chinese.body.detail).toBe('请求无效：请求体 第 3 项 name：同一对象中键 "name" 出现了两次（第 3 行第 30 列；首次在第 3 行第 16 列）：JSON 解析只会保留最后一个值');
  });

  it('is refused wherever the body gives it, every such key named at once', async () => {
    const tag = await api.post('/api/v1/tags', '{"key": "stage", "name": "服务阶段", "values": [{"key": "pre", "name": "售前", "name": "售后"}], "key": "stage2"}', JSON_TYPE);
    expect(tag.status).toBe(400);
    expect(tag.body.errors?.map((error) => [error.index, error.path, error.pointer])).toEqual([
      [-1, 'values.0.name', '#/values/0/name'],
      [-1, 'key', '#/key'],
    ]);
    expect(tag.body.detail).toMatch(/^The request is not valid: body values\.0\.name: the key "name" is given twice .* \(and 1 more\)$/);
    expect((await api.get('/api/v1/tags/stage')).status).toBe(404);
    // The events' batch, whose items its route checks one by one, and a key written with an escape.
    const event = '{"customer_id": "C1", "type": "order_paid", "occurred_at": "2026-06-01T08:00:00Z", "properties": {"order_id": "O1", "amount": 10, "\\u0061mount": 12}}';
    const events = await api.post('/api/v1/events', `{"events": [${event}]}`, JSON_TYPE);
    expect(events.status).toBe(400);
    expect(events.body.errors).toEqual([expect.objectContaining({ index: 0, path: 'properties.amount', pointer: '#/events/0/properties/amount' })]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
  });

  it('takes a key given once in each of several objects, as before', async () => {
    const reply = await api.post('/api/v1/customers', '{"customers": [{"id": "C1", "name": "张伟"}, {"id": "C2", "name": "王芳"}]}', JSON_TYPE);
    expect(reply.status).toBe(200);
    expect((await api.get('/api/v1/customers')).body.total).toBe(2);
  });
});
