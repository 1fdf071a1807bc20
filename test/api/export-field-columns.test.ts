// The customers' other fields in an export (`fields=birthday,email,鞋码`): columns after the
// metrics, headed by key or by the names the importer reads, written as it reads them back,
// masked as the phone is, and named in the export log.
import { expect } from 'vitest';
import { guessTarget } from '../../src/core/import-columns.js';
import { EXPORT_FIELD_KEYS, EXPORT_FIELD_NAMES } from '../../src/core/export-fields.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: export field columns', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const seed = async (headers: Record<string, string> = {}) => {
    expect((await api.post('/api/v1/fields', { key: 'shoe_size', name: '鞋码', type: 'number' }, headers)).status).toBe(201);
    expect((await api.post('/api/v1/fields', { key: 'vip', name: '老客', type: 'boolean' }, headers)).status).toBe(201);
    const customer = {
      id: 'C1',
      city: '上海',
      birthday: '1990-05-17',
      occupation: '教师',
      first_seen_at: '2026-03-01T08:30:00Z',
      identities: [{ kind: 'email', value: 'li.na@example.com' }, { kind: 'member_card', value: 'VIP0001234' }],
      custom: { shoe_size: 38, vip: true },
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
