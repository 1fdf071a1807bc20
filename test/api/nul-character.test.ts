// Text holding the NUL character (U+0000) is refused on both stores alike: PostgreSQL cannot
// store it (it answered 500 with the driver's words while SQLite kept it), and SQLite's LIKE
// stops at it (a search for it found every customer).
import { expect } from 'vitest';
import { importRows, parseRows, wordRejections } from '../../src/engine/imports.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const NUL = String.fromCharCode(0);

forEachStore('text holding the NUL character', (h) => {
  const api = useServer(h);

  it('a body whose text holds it is refused, saying where, and nothing is stored', async () => {
    const reply = await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }, { id: 'C2', name: `王${NUL}芳` }] });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(reply.body.detail).toContain('customers.1.name');
    expect((await api.get('/api/v1/customers')).body.total).toBe(0);
    const tag = await api.post('/api/v1/tags', { key: 'taste', name: '口味', values: [{ key: 'hot', name: `麻辣${NUL}` }] });
    expect(tag.body.code).toBe('VALIDATION_FAILED');
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
    expect(wordRejections(result.rejections, 'en')).toEqual([{ line: 3, code: 'VALIDATION_FAILED', reason: 'name holds the NUL character (\\u0000), which text may not hold' }]);
    expect((await api.get('/api/v1/customers')).body.total).toBe(2);
  });
});
