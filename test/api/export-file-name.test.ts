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
    expect(/filename="([^"]*)"/.exec(header)?.[1]).toBe('__xcod.csv');
    const marks = '\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect((await api.patch('/api/v1/segments/spoofed', { name: `名单${marks}甲` })).status).toBe(200);
    expect(extendedFileName((await api.get('/api/v1/segments/spoofed/export?format=jsonl')).headers['content-disposition'])).toBe('名单甲.jsonl');
    expect((await api.get('/api/v1/segments/spoofed')).body.name).toBe(`名单${marks}甲`);
  });
});
