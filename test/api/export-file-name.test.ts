// The name an export's file is given in `Content-Disposition`: the segment's name, written as
// RFC 8187 allows in `filename*`, so that a strict reader of the header takes it whole, and
// without the marks that set the direction of text, which can show another extension.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

/** RFC 8187's ext-value in UTF-8: each character an attr-char or a percent-encoded byte. */
const EXT_VALUE = /^UTF-8''((?:%[0-9A-F]{2}|[A-Za-z0-9!#$&+\-.^_`|~])+)$/;

/** The file name `filename*` gives, refused unless written as the grammar allows. */
function extendedFileName(header: unknown): string {
  const value = /filename\*=([^;]+)/.exec(String(header))?.[1] ?? '';
  const encoded = EXT_VALUE.exec(value)?.[1];
  if (encoded === undefined) throw new Error(`filename* is not an RFC 8187 value: ${value}`);
  return decodeURIComponent(encoded);
}

/** The plain `filename`, which tools that read no `filename*` (`curl -OJ`) save under. */
function plainFileName(header: unknown): string | undefined {
  return /filename="([^"]*)"/.exec(String(header))?.[1];
}

forEachStore('API: export file names', (h) => {
  const api = useServer(h);

  it("writes a name holding an apostrophe, parentheses or an asterisk as RFC 8187 allows, for a segment's and a snapshot's file alike", async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    const name = "VIP (上海) Bob's *精选*";
    expect((await api.post('/api/v1/segments', { key: 'vip', name, expression: 'city = "上海"' })).status).toBe(201);
    const live = await api.get('/api/v1/segments/vip/export');
    expect(live.status).toBe(200);
    expect(extendedFileName(live.headers['content-disposition'])).toBe(`${name}.csv`);
    expect(String(live.headers['content-disposition'])).toContain(`filename*=UTF-8''VIP%20%28%E4%B8%8A%E6%B5%B7%29%20Bob%27s%20%2A%E7%B2%BE%E9%80%89%2A.csv`);
    const snapshot = (await api.post('/api/v1/segments/vip/snapshots', undefined)).body.id as number;
    const joined = await api.get(`/api/v1/segments/vip/snapshots/${String(snapshot)}/export?part=joined&format=xlsx`);
    expect(joined.status).toBe(200);
    expect(extendedFileName(joined.headers['content-disposition'])).toBe(`${name}-${String(snapshot)}-joined.xlsx`);
  });

  it('leaves the marks that set the direction of text out of the file name, and keeps them in the segment\'s name', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '杭州' }] })).status).toBe(200);
    // Shown as 名单vsc.docx by a reader that follows the override.
    const name = '名单\u202Excod';
    expect((await api.post('/api/v1/segments', { key: 'spoofed', name, expression: 'city = "杭州"' })).status).toBe(201);
    const live = await api.get('/api/v1/segments/spoofed/export');
    expect(live.status).toBe(200);
    const header = String(live.headers['content-disposition']);
    expect(extendedFileName(header)).toBe('名单xcod.csv');
    expect(plainFileName(header)).toBe('segment-spoofed-2026-06-15.csv');
    const marks = '\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect((await api.patch('/api/v1/segments/spoofed', { name: `名单${marks}甲` })).status).toBe(200);
    expect(extendedFileName((await api.get('/api/v1/segments/spoofed/export?format=jsonl')).headers['content-disposition'])).toBe('名单甲.jsonl');
    expect((await api.get('/api/v1/segments/spoofed')).body.name).toBe(`名单${marks}甲`);
  });

  it('names a file beyond ASCII in plain `filename` after the segment\'s key (its id when the key is Chinese) and the day in the workspace\'s zone, where it was underscores', async () => {
    // 04:30 on the 16th in China, the workspace's zone, and still the 15th in UTC.
    h.clock.set('2026-06-15T20:30:00Z');
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] })).status).toBe(200);
    expect((await api.post('/api/v1/segments', { key: 'vip', name: '高价值人群', expression: 'city = "上海"' })).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: '上海客户', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'plain', name: 'Shanghai VIP', expression: 'city = "上海"' })).status).toBe(201);
    const live = await api.get('/api/v1/segments/vip/export');
    expect(live.status).toBe(200);
    expect(plainFileName(live.headers['content-disposition'])).toBe('segment-vip-2026-06-16.csv');
    expect(extendedFileName(live.headers['content-disposition'])).toBe('高价值人群.csv');
    const chineseKey = await api.get(`/api/v1/segments/${encodeURIComponent('上海客户')}/export?format=xlsx`);
    expect(plainFileName(chineseKey.headers['content-disposition'])).toMatch(/^segment-\d+-2026-06-16\.xlsx$/);
    // A name in ASCII keeps its own, as before.
    expect(plainFileName((await api.get('/api/v1/segments/plain/export')).headers['content-disposition'])).toBe('Shanghai_VIP.csv');
    const snapshot = (await api.post('/api/v1/segments/vip/snapshots', undefined)).body.id as number;
    const joined = await api.get(`/api/v1/segments/vip/snapshots/${String(snapshot)}/export?part=joined`);
    expect(plainFileName(joined.headers['content-disposition'])).toBe(`segment-vip-snapshot-${String(snapshot)}-joined.csv`);
    const template = await api.get('/api/v1/imports/customers/template', { 'accept-language': 'zh-CN' });
    expect(plainFileName(template.headers['content-disposition'])).toBe('customers-template.csv');
    expect(extendedFileName(template.headers['content-disposition'])).toBe('客户导入模板.csv');
  });
});
