// Malformed expressions sent to the API: every one is a 400 problem whose entry says where, in
// English and in Chinese, never a crash — nesting far past the limit and lists as long as a
// request may carry included.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: malformed expressions', (h) => {
  const api = useServer(h);

  it('answers each with its place, in both languages', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }, { id: 'C2', city: '广州' }] });
    const nested = '('.repeat(3990) + 'city = "上海"' + ')'.repeat(3990);
    // The expression, its code, and the offset of the text its first entry points at.
    const cases: [string, string, number][] = [
      ['(city = "上海"', 'EXPRESSION_SYNTAX', 12],
      ['city = "上海")', 'EXPRESSION_SYNTAX', 11],
      ['city in （"上海"）', 'EXPRESSION_SYNTAX', 8],
      ['city = “上海”', 'EXPRESSION_SYNTAX', 7],
      ['city in ("上海"，"广州")', 'EXPRESSION_SYNTAX', 13],
      ['cty = "上海"', 'EXPRESSION_UNKNOWN_NAME', 0],
      ['tagged("nope")', 'EXPRESSION_UNKNOWN_NAME', 7],
      ['city exsits', 'EXPRESSION_SYNTAX', 5],
      ['city == "上海"', 'EXPRESSION_SYNTAX', 5],
      ['city = "上海" and', 'EXPRESSION_SYNTAX', 15],
      ['city = "上海" or not', 'EXPRESSION_SYNTAX', 18],
      [nested, 'EXPRESSION_SYNTAX', 101],
      ['not '.repeat(1900) + 'city = "上海"', 'EXPRESSION_SYNTAX', 404],
    ];
    for (const [expression, code, offset] of cases) {
      for (const language of ['en', 'zh-CN']) {
        const reply = await api.post('/api/v1/segments/count', { expression }, { 'accept-language': language });
        expect(reply.status, expression.slice(0, 40)).toBe(400);
        expect(reply.body.code, expression.slice(0, 40)).toBe(code);
        const [entry] = reply.body.errors ?? [];
        expect(entry, expression.slice(0, 40)).toMatchObject({ offset, line: 1 });
        expect(entry?.message, expression.slice(0, 40)).toMatch(language === 'en' ? /^[\x20-\x7e“”"（），…→�-]/ : /[\u4e00-\u9fff]/);
      }
    }
  });

  it('counts a list as long as a request may carry', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }, { id: 'C2', city: '广州' }] });
    const list = Array.from({ length: 1500 }, (_, i) => String(i)).join(',');
    const reply = await api.post('/api/v1/segments/count', { expression: `random_bucket in (${list}) and city exists` });
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
    expect(reply.body.count).toBe(2);
  });
});
