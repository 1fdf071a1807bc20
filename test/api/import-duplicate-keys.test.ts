// An import row whose JSON gives a key twice in one object (a JSON line, or the JSON of an events
// file's `properties` cell) is rejected with its line, as a request body giving one is refused:
// read as a JSON parser reads it, the last value would be imported without a word.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

interface WordedRejection {
  line: number;
  code: string;
  reason: string;
  localized: { en: string; 'zh-CN': string };
}

forEachStore('API: an import row whose JSON gives a key twice', (h) => {
  const api = useServer(h);

  it('rejects that JSON line alone, naming the key and where on the line, in English and Chinese', async () => {
    const text = ['{"id":"J1","name":"甲"}', '  {"id":"J2","name":"乙","city":"杭州","name":"丙"}', '{"id":"J3","name":"丁"}'].join('\n');
    const reply = await api.post('/api/v1/imports/customers', { format: 'jsonl', text });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(reply.body.rejections).toEqual([
      {
        line: 2,
        code: 'VALIDATION_FAILED',
        reason: 'name: the key "name" is given twice in one object (column 37; first at column 14): a JSON parser would keep only the last value',
        localized: {
          en: 'name: the key "name" is given twice in one object (column 37; first at column 14): a JSON parser would keep only the last value',
          'zh-CN': 'name：同一对象中键 "name" 出现了两次（第 37 列；首次在第 14 列）：JSON 解析只会保留最后一个值',
        },
      },
    ]);
    expect((await api.get('/api/v1/customers/J2')).status).toBe(404);
    expect((await api.get('/api/v1/customers/J3')).body).toMatchObject({ name: '丁' });
  });

  it('rejects a JSON line giving a key twice within an object it holds, naming its place and how many more', async () => {
    const line = '{"customer_id":"C1","type":"order_paid","occurred_at":"2026-06-01T08:00:00Z","properties":{"order_id":"O1","amount":10,"\\u0061mount":12,"order_id":"O2"}}';
    const reply = await api.post('/api/v1/imports/events', { format: 'jsonl', text: `${line}\n` });
    expect(reply.body).toMatchObject({ rows: 1, accepted: 0 });
    const [rejection] = reply.body.rejections as WordedRejection[];
    expect(rejection).toMatchObject({ line: 1, code: 'VALIDATION_FAILED' });
    expect(rejection?.localized.en).toBe('properties.amount: the key "amount" is given twice in one object (column 120; first at column 108): a JSON parser would keep only the last value (and 1 more)');
    expect(rejection?.localized['zh-CN']).toBe('properties.amount：同一对象中键 "amount" 出现了两次（第 120 列；首次在第 108 列）：JSON 解析只会保留最后一个值（另有 1 处）');
    expect((await api.get('/api/v1/customers/C1')).status).toBe(404);
  });

  it('rejects an events row whose properties cell gives a key twice, and imports the others', async () => {
    const text = [
      'id,customer_id,type,occurred_at,properties,properties.items',
      'E1,C1,order_paid,2026-06-01T08:00:00Z,"{""order_id"":""O1"",""amount"":10}","[{""sku"":""A1""},{""sku"":""B2""}]"',
      'E2,C1,order_paid,2026-06-02T08:00:00Z,"{""order_id"":""O2"",""amount"":10,""amount"":100}",',
      'E3,C1,order_paid,2026-06-03T08:00:00Z,"{""order_id"":""O3"",""amount"":10}","[{""sku"":""A1"",""sku"":""B2""}]"',
    ].join('\n');
    const reply = await api.post('/api/v1/imports/events', { text });
    expect(reply.body).toMatchObject({ rows: 3, accepted: 1, rejected: 2 });
    expect((reply.body.rejections as WordedRejection[]).map((rejection) => [rejection.line, rejection.code, rejection.localized.en, rejection.localized['zh-CN']])).toEqual([
      [3, 'VALIDATION_FAILED', 'properties.amount: the key "amount" is given twice in one object: a JSON parser would keep only the last value', 'properties.amount：同一对象中键 "amount" 出现了两次：JSON 解析只会保留最后一个值'],
      [4, 'VALIDATION_FAILED', 'properties.items.0.sku: the key "sku" is given twice in one object: a JSON parser would keep only the last value', 'properties.items.0.sku：同一对象中键 "sku" 出现了两次：JSON 解析只会保留最后一个值'],
    ]);
    // A properties column headed otherwise is named as the file heads it.
    const headed = await api.post('/api/v1/imports/events', { text: '编号,客户,类型,时间,属性\nE4,C1,order_paid,2026-06-04T08:00:00Z,"{""order_id"":""O4"",""amount"":1,""amount"":2}"\n', columns: { 编号: 'id', 客户: 'customer_id', 类型: 'type', 时间: 'occurred_at', 属性: 'properties' } });
    expect((headed.body.rejections as WordedRejection[]).map((rejection) => [rejection.line, rejection.localized.en])).toEqual([[2, '属性.amount: the key "amount" is given twice in one object: a JSON parser would keep only the last value']]);
    const portrait = (await api.get('/api/v1/customers/C1')).body as { recent_events: { id: string; properties: unknown }[] };
    expect(portrait.recent_events.map((event) => [event.id, event.properties])).toEqual([['E1', { order_id: 'O1', amount: 10, items: [{ sku: 'A1' }, { sku: 'B2' }] }]]);
  });
});
