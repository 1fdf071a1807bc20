// The customers' other fields in an export (`fields=birthday,email,鞋码`): columns after the
// metrics, headed by key or by the names the importer reads, written as it reads them back,
// masked as the phone is, and named in the export log; headed for people, times on the
// workspace's clock (date cells in a workbook), which an import reads back as the same.
import { strFromU8, unzipSync } from 'fflate';
import { expect } from 'vitest';
import { bufferSource, inflateRaw } from '../../src/cli/import/xlsx-zip.js';
import { guessTarget } from '../../src/core/import-columns.js';
import { EXPORT_FIELD_KEYS, EXPORT_FIELD_NAMES } from '../../src/core/export-fields.js';
import { openWorkbook, sheetAsCsv } from '../../src/core/xlsx-workbook.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: export field columns', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const seed = async (headers: Record<string, string> = {}) => {
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' }, headers)).status).toBe(201);
    expect((await api.post('/api/v1/fields', { key: 'vip', name: '老客', type: 'boolean' }, headers)).status).toBe(201);
    expect((await api.post('/api/v1/fields', { key: 'anniversary', name: '纪念日', type: 'date' }, headers)).status).toBe(201);
    const customer = {
      id: 'C1',
      city: '上海',
      birthday: '1990-05-17',
      occupation: '教师',
      first_seen_at: '2026-03-01T08:30:00Z',
      identities: [{ kind: 'email', value: 'li.na@example.com' }, { kind: 'member_card', value: 'VIP0001234' }],
      custom: { shoe_size: 38, vip: true, anniversary: '2025-12-31' },
    };
    expect((await api.post('/api/v1/customers', { customers: [customer, { id: 'C2', city: '上海' }] }, headers)).status).toBe(200);
    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海', expression: 'city = "上海"' }, headers)).status).toBe(201);
  };

  it('writes the fields asked for after the metrics, by key, and logs them', async () => {
    await seed();
    const fields = encodeURIComponent('birthday,email,鞋码,first_seen_at,member_card,vip,birthday');
    const csv = await api.get(`/api/v1/segments/sh/export?metrics=spend_365d&fields=${fields}`);
    expect(csv.status, csv.text).toBe(200);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('\uFEFFid,name,type,gender,city,member_level,phone,tags,random_bucket,has_phone,has_email,has_wechat,has_member_card,spend_365d,birthday,email,shoe_size,first_seen_at,member_card,vip');
    expect(lines.find((line) => line.startsWith('C1,'))?.split(',').slice(-6)).toEqual(['1990-05-17', 'li.na@example.com', '38', '2026-03-01T08:30:00.000Z', 'VIP0001234', 'true']);
    // Without a birthday, an email, a shoe size, a card or a yes or no; first seen when it was stored.
    expect(lines.find((line) => line.startsWith('C2,'))?.split(',').slice(-6)).toEqual(['', '', '', h.clock.now().toISOString(), '', '']);
    const jsonl = await api.post(`/api/v1/segments/export?format=jsonl&fields=${fields}`, { expression: 'id = "C1"' });
    expect((JSON.parse(jsonl.text.split('\n')[0] ?? '') as { fields: unknown }).fields).toEqual({
      birthday: '1990-05-17',
      email: 'li.na@example.com',
      shoe_size: 38,
      first_seen_at: '2026-03-01T08:30:00.000Z',
      member_card: 'VIP0001234',
      vip: true,
    });
    expect(((await api.get('/api/v1/exports?limit=2')).body.items as { metrics: string[]; fields: string[] }[]).map((item) => [item.metrics, item.fields])).toEqual([
      [[], ['birthday', 'email', 'shoe_size', 'first_seen_at', 'member_card', 'vip']],
      [['spend_365d'], ['birthday', 'email', 'shoe_size', 'first_seen_at', 'member_card', 'vip']],
    ]);
  });

  it('heads them by the names the importer reads as those fields, in either language', async () => {
    await seed();
    const zh = await api.get(`/api/v1/segments/sh/export?header=names&fields=${encodeURIComponent('birthday,email,shoe_size,vip')}`, { 'accept-language': 'zh-CN' });
    const [header, ...rows] = zh.text.replace('\uFEFF', '').split('\r\n');
    expect(header?.split(',').slice(-4)).toEqual(['生日', '邮箱', '鞋码', '老客']);
    expect(rows.find((line) => line.startsWith('C1,'))?.split(',').slice(-4)).toEqual(['1990-05-17', 'li.na@example.com', '38', '是']);
    const en = await api.get('/api/v1/segments/sh/export?header=names&fields=source_channel,first_seen_at,vip');
    expect(en.text.split('\r\n')[0]?.split(',').slice(-3)).toEqual(['Source channel', 'First seen at', '老客']);
    expect(en.text.split('\r\n').find((line) => line.startsWith('C1,'))?.split(',').slice(-1)).toEqual(['yes']);
    // Every built-in field's name, in both languages, is read back by the importer as that field.
    for (const key of EXPORT_FIELD_KEYS) for (const name of Object.values(EXPORT_FIELD_NAMES[key])) expect(guessTarget('customers', name), name).toBe(key);
  });

  it('writes times headed for people on the workspace\'s clock, and keeps ISO UTC for scripts', async () => {
    await seed();
    expect((await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-05-31T16:00:00Z', properties: { order_id: 'E1', amount: 99 } }] })).status).toBe(200);
    const query = `metrics=last_order_at&fields=${encodeURIComponent('first_seen_at,birthday,纪念日')}`;
    const people = await api.get(`/api/v1/segments/sh/export?header=names&${query}`, { 'accept-language': 'zh-CN' });
    const [header, ...rows] = people.text.replace('\uFEFF', '').split('\r\n');
    expect(header?.split(',').slice(-4)).toEqual(['最近一次消费时间', '注册时间', '生日', '纪念日']);
    // 16:00 UTC is midnight the next day at UTC+8, the workspace's clock; C2 was first seen at the clock's 10:00 UTC.
    expect(rows.find((line) => line.startsWith('C1,'))?.split(',').slice(-4)).toEqual(['2026-06-01 00:00:00', '2026-03-01 16:30:00', '1990-05-17', '2025-12-31']);
    expect(rows.find((line) => line.startsWith('C2,'))?.split(',').slice(-4)).toEqual(['', '2026-06-15 18:00:00', '', '']);
    const scripts = await api.get(`/api/v1/segments/sh/export?${query}`);
    expect(scripts.text.split('\r\n').find((line) => line.startsWith('C1,'))?.split(',').slice(-4)).toEqual(['2026-05-31T16:00:00.000Z', '2026-03-01T08:30:00.000Z', '1990-05-17', '2025-12-31']);
    const jsonl = await api.get(`/api/v1/segments/sh/export?format=jsonl&header=names&${query}`);
    expect(JSON.parse(jsonl.text.split('\n')[0] ?? '')).toMatchObject({ id: 'C1', metrics: { last_order_at: '2026-05-31T16:00:00.000Z' }, fields: { first_seen_at: '2026-03-01T08:30:00.000Z' } });
    // In the workspace's zone of the moment.
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: 0 })).status).toBe(200);
    const utc = await api.post(`/api/v1/segments/export?header=names&${query}`, { expression: 'id = "C1"' });
    expect(utc.text.split('\r\n')[1]?.split(',').slice(-4)).toEqual(['2026-05-31 16:00:00', '2026-03-01 08:30:00', '1990-05-17', '2025-12-31']);
  });

  it('writes them in a workbook headed for people as date cells, and as text headed by keys', async () => {
    await seed();
    expect((await api.post('/api/v1/events', { events: [{ id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-05-31T16:00:00Z', properties: { order_id: 'E1', amount: 99 } }] })).status).toBe(200);
    const query = 'format=xlsx&metrics=last_order_at&fields=first_seen_at,birthday,anniversary';
    const sheetXml = (bytes: Buffer) => {
      const files = unzipSync(new Uint8Array(bytes));
      return { sheet: strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array()), styles: strFromU8(files['xl/styles.xml'] ?? new Uint8Array()) };
    };
    const people = sheetXml((await api.get(`/api/v1/segments/sh/export?header=names&${query}`)).bytes);
    // A date and time style and a date style, which Excel shows as 2026-06-01 00:00:00 and sorts as times.
    expect(people.styles).toContain('formatCode="yyyy-mm-dd hh:mm:ss"');
    expect(people.styles).toContain('formatCode="yyyy-mm-dd"');
    const c1 = /<row r="\d+">(?:(?!<\/row>).)*?>C1<(?:(?!<\/row>).)*<\/row>/.exec(people.sheet)?.[0] ?? '';
    expect(c1).toMatch(/<c r="N\d+" s="2"><v>46174<\/v><\/c>/);
    expect(c1).toMatch(/<c r="O\d+" s="2"><v>46082.6875<\/v><\/c>/);
    expect(c1).toMatch(/<c r="P\d+" s="3"><v>33010<\/v><\/c>/);
    expect(c1).toMatch(/<c r="Q\d+" s="3"><v>46022<\/v><\/c>/);
    // Wide enough that a date and time shows rather than ####.
    expect(people.sheet).toMatch(/<cols>.*<col min="15" max="15" width="20"/);
    const scripts = sheetXml((await api.get(`/api/v1/segments/sh/export?${query}`)).bytes);
    expect(scripts.sheet).toContain('<t xml:space="preserve">2026-03-01T08:30:00.000Z</t>');
  });

  it('imports a file headed for people back as the same customers, times to the millisecond', async () => {
    await seed();
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C5', city: '上海', first_seen_at: '2026-04-01T01:02:03.457Z' }] })).status).toBe(200);
    const stored = async () => ((await api.get('/api/v1/customers?limit=10')).body.items as { id: string; first_seen_at: string; birthday: string | null; custom: unknown }[]).map(({ id, first_seen_at, birthday, custom }) => ({ id, first_seen_at, birthday, custom }));
    const before = await stored();
    expect(before.find((customer) => customer.id === 'C5')?.first_seen_at).toBe('2026-04-01T01:02:03.457Z');
    const query = 'header=names&fields=first_seen_at,birthday,anniversary';
    const csv = await api.get(`/api/v1/segments/sh/export?${query}`, { 'accept-language': 'zh-CN' });
    expect(csv.text).toContain('2026-04-01 09:02:03.457');
    const fromCsv = await api.post('/api/v1/imports/customers', { text: csv.text });
    expect(fromCsv.body).toMatchObject({ accepted: 3, rejected: 0, created: 0, updated: 0, unchanged: 3 });
    expect(await stored()).toEqual(before);
    const workbook = await api.get(`/api/v1/segments/sh/export?format=xlsx&${query}`);
    const sheet = await sheetAsCsv(await openWorkbook(bufferSource(workbook.bytes), inflateRaw), 0);
    const fromSheet = await api.post('/api/v1/imports/customers', { text: sheet.text });
    expect(fromSheet.body).toMatchObject({ accepted: 3, rejected: 0, created: 0, updated: 0, unchanged: 3 });
    expect(await stored()).toEqual(before);
  });

  it('refuses a field the customers do not have, naming it and the one likely meant', async () => {
    await seed();
    const reply = await api.get('/api/v1/segments/sh/export?fields=birthdya');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'fields' }] });
    expect(String(reply.body.detail)).toContain('"birthdya" is not a customer field');
    expect(String(reply.body.detail)).toContain('birthday');
    const fixed = await api.post('/api/v1/segments/export?fields=phone', { expression: 'city = "上海"' }, { 'accept-language': 'zh-CN' });
    expect(fixed.status).toBe(400);
    expect(String(fixed.body.detail)).toContain('「phone」是每次导出都有的列');
    expect(((await api.get('/api/v1/exports')).body.items as unknown[]).length).toBe(0);
  });

  it('masks an email as the phone is for a role that sees personal data masked', async () => {
    const admin = (await createAccessToken(h.store(), { name: '管理员', role: 'admin' }, h.clock.now())).token;
    const operator = (await createAccessToken(h.store(), { name: '导购', role: 'operator' }, h.clock.now())).token;
    await seed(bearer(admin));
    const masked = await api.get('/api/v1/segments/sh/export?format=jsonl&fields=email,member_card,birthday', bearer(operator));
    expect(masked.status, masked.text).toBe(200);
    const fields = (JSON.parse(masked.text.split('\n')[0] ?? '') as { fields: Record<string, string> }).fields;
    expect(fields.email).not.toContain('li.na');
    expect(fields.member_card).not.toBe('VIP0001234');
    expect(fields.birthday).toBe('1990-05-17');
  });
});
