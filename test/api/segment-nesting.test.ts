import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { MAX_NESTING_DEPTH } from '../../src/core/expression/index.js';

/** `not not … inner`, nested `levels` deep. */
const nested = (levels: number, inner: string) => `${'not '.repeat(levels)}${inner}`;

const tooDeep = (depth: number, segments: string[]) => ({
  status: 400,
  code: 'EXPRESSION_SYNTAX',
  errors: [{ code: 'EXPRESSION_SYNTAX', reason: 'too_deep_through_segments', params: { max: MAX_NESTING_DEPTH, depth, segments } }],
});

forEachStore('API: nesting through saved segments', (h) => {
  const api = useServer(h);

  it('counts the nesting limit through segment("…"): saving, counting, previewing and exporting past it are refused, naming the segments on the way', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }, { id: 'C2', city: '广州' }] });
    expect((await api.post('/api/v1/segments', { key: 'nt0', name: '嵌套0', expression: nested(MAX_NESTING_DEPTH - 1, 'city = "上海"') })).status).toBe(201);
    // Read where nothing nests around it, the read is one level more: as deep as an expression may be; `and` adds no level.
    expect((await api.post('/api/v1/segments/count', { expression: 'segment("nt0")' })).body).toMatchObject({ count: 1 });
    expect((await api.post('/api/v1/segments', { key: 'nt0b', name: '嵌套0b', expression: 'segment("嵌套0") and id exists' })).status).toBe(201);

    const saved = await api.post('/api/v1/segments', { key: 'nt1', name: '嵌套1', expression: nested(1, 'segment("nt0")') });
    expect(saved.body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 1, ['nt0']));
    expect(saved.body.errors?.[0]).toMatchObject({ found: 'segment("nt0")', column: 5 });
    expect(saved.body.detail).toBe(
      'line 1, column 5: The expression nests deeper than 100 levels of parentheses, "not" and segment("…") with the saved segments it reads written out where it reads them: 101 levels through segment("nt0").',
    );
    expect((await api.get('/api/v1/segments/nt1')).status).toBe(404);
    // Through two segments, by name: both are named.
    const counted = await api.post('/api/v1/segments/count', { expression: '(city = "上海" or segment("嵌套0b"))' }, { 'accept-language': 'zh-CN' });
    expect(counted.body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 2, ['nt0b', 'nt0']));
    expect(counted.body.detail).toContain('经由 segment("nt0b") → segment("nt0") 共 102 层');
    expect((await api.post('/api/v1/segments/preview', { expression: nested(2, 'segment("nt0")') })).body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 2, ['nt0']));
    expect((await api.post('/api/v1/segments/export?format=csv', { expression: nested(2, 'segment("nt0")') })).body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 2, ['nt0']));
  });

  it('refuses counting a segment saved too deep before the limit counted through segments, however long its chain, as an error rather than a stack overflow', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] });
    const chain = 70;
    for (let i = 0; i < chain; i += 1) {
      expect((await api.post('/api/v1/segments', { key: `nt${i}`, name: `嵌套${i}`, expression: i === 0 ? 'city = "上海"' : `segment("nt${i - 1}")` })).status).toBe(201);
    }
    // Written as a store kept them before: each 100 levels over the one before.
    for (let i = 0; i < chain; i += 1) {
      const expression = nested(MAX_NESTING_DEPTH, i === 0 ? 'city = "上海"' : `segment("nt${i - 1}")`);
      await h.store().db.updateTable('segments').set({ expression }).where('workspace_id', '=', h.context().workspaceId).where('key', '=', `nt${i}`).execute();
    }
    const last = `nt${chain - 1}`;
    const counted = await api.post('/api/v1/segments/count', { expression: `segment("${last}")` });
    // Each link 100 levels and the read of it one more.
    expect(counted.body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX', errors: [{ reason: 'too_deep_through_segments', params: { depth: (MAX_NESTING_DEPTH + 1) * chain } }] });
    expect(counted.body.detail).toContain(`through segment("${last}") → segment("nt68") → segment("nt67") → segment("nt66") → … 64 more … → segment("nt1") → segment("nt0")`);
    expect((await api.get(`/api/v1/segments/${last}/members`)).body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    expect((await api.get(`/api/v1/segments/${last}/export?format=csv`)).body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    // The first of them still reads.
    expect((await api.get('/api/v1/segments/nt0')).body).toMatchObject({ count: 1 });
  });

  it('counts each segment("…") of a chain as a level, so a chain of plain reads is refused once it is longer than the limit', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] });
    // A chain a store may hold: each segment reads the one before, with nothing around the read.
    const at = h.clock.now().getTime();
    const links = Array.from({ length: MAX_NESTING_DEPTH }, (_, i) => ({ workspace_id: h.context().workspaceId, key: `link${i}`, name: `链${i}`, description: null, expression: i === 0 ? 'city = "上海"' : `segment("link${i - 1}")`, created_at: at, updated_at: at }));
    await h.store().db.insertInto('segments').values(links).execute();
    // The 100th read is as deep as an expression may be.
    expect((await api.post('/api/v1/segments', { key: 'link100', name: '链100', expression: 'segment("link99")' })).status).toBe(201);
    expect((await api.get('/api/v1/segments/link100')).body).toMatchObject({ count: 1 });
    const refused = await api.post('/api/v1/segments', { key: 'link101', name: '链101', expression: 'segment("link100") or city = "北京"' });
    const chain = Array.from({ length: MAX_NESTING_DEPTH + 1 }, (_, i) => `link${MAX_NESTING_DEPTH - i}`);
    expect(refused.body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 1, chain));
    expect(refused.body.detail).toContain('101 levels through segment("link100") → segment("link99") → segment("link98") → segment("link97") → … 95 more … → segment("link1") → segment("link0")');
    expect((await api.get('/api/v1/segments/link101')).status).toBe(404);
    expect((await api.post('/api/v1/segments/count', { expression: 'segment("link100")' })).body).toMatchObject(tooDeep(MAX_NESTING_DEPTH + 1, chain));
    const rule = await api.post('/api/v1/tags', { key: 'chain_rule', name: '链规则', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("链100")' }] });
    expect(rule.body).toMatchObject({ status: 400, code: 'RULE_INVALID', errors: [{ reason: 'too_deep_through_segments', params: { depth: MAX_NESTING_DEPTH + 1 } }] });
  });

  it('refuses an edit of a segment that would have a segment, rule or care plan reading it nest past the limit, naming the reader', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }] });
    expect((await api.post('/api/v1/segments', { key: 'base', name: '基础', expression: 'city = "上海"' })).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'outer', name: '外层', expression: nested(MAX_NESTING_DEPTH - 2, 'segment("base")') })).status).toBe(201);
    expect((await api.patch('/api/v1/segments/base', { expression: 'not city = "广州"' })).status).toBe(200);
    const edited = await api.patch('/api/v1/segments/base', { expression: 'not not city = "上海"' });
    expect(edited.body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    expect(edited.body.detail).toBe(
      'segment "外层" (outer) reads this segment and would no longer read: The expression nests deeper than 100 levels of parentheses, "not" and segment("…") with the saved segments it reads written out where it reads them: 101 levels through segment("base").',
    );
    expect((await api.get('/api/v1/segments/base')).body).toMatchObject({ expression: 'not city = "广州"' });

    expect((await api.post('/api/v1/tags', { key: 'deep_rule', name: '深规则', kind: 'rule', values: [{ key: 'yes', name: '是', condition: nested(MAX_NESTING_DEPTH - 2, 'segment("base")') }] })).status).toBe(201);
    await api.patch('/api/v1/segments/outer', { expression: 'segment("base")' });
    expect((await api.patch('/api/v1/segments/base', { expression: 'not not city = "上海"' })).body.detail).toMatch(/^the rule of tag "深规则" \(deep_rule\) reads this segment and would no longer read: /);
  });

  it('refuses a rule tag or a care plan whose condition nests past the limit through the segments it reads', async () => {
    expect((await api.post('/api/v1/segments', { key: 'nt0', name: '嵌套0', expression: nested(60, 'city = "上海"') })).status).toBe(201);
    const rule = await api.post('/api/v1/tags', { key: 'deep_rule', name: '深规则', kind: 'rule', values: [{ key: 'yes', name: '是', condition: nested(40, 'segment("nt0")') }] });
    expect(rule.body).toMatchObject({ status: 400, code: 'RULE_INVALID', errors: [{ reason: 'too_deep_through_segments', params: { depth: 101, segments: ['nt0'] } }] });
    const plan = await api.post('/api/v1/care/plans', {
      key: 'deep',
      name: '深计划',
      trigger: { kind: 'event', event_type: 'order_paid' },
      condition: nested(40, 'segment("nt0")'),
      steps: [{ after: '30m', message: '你好' }],
    });
    expect(plan.body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX', errors: [{ reason: 'too_deep_through_segments', params: { depth: 101 } }] });
  });
});
