import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const wang = { 'x-tagbase-actor': encodeURIComponent('导购-王芳') };
const li = { 'x-tagbase-actor': encodeURIComponent('导购-李娜') };

interface Value {
  key: string;
  members: number;
  share: number;
  population_share: number;
  tgi: number | null;
}
interface Tag {
  key: string;
  group: string | null;
  values: Value[];
}

forEachStore('API: segment insight', (h) => {
  const api = useServer(h);

  /**
   * Ten customers, 上海 (C1–C4) the segment. 服务阶段: 售前 C1 C2 C3 C5, 售后 C4 C6–C10, 售中 nobody;
   * 兴趣 (multi-valued): golf C1 C5, tea C2 C3 C4 C6 C7; 会员专享: C4 alone.
   */
  async function seed() {
    expect((await api.post('/api/v1/tag-groups', { key: 'basics', name: '基础' })).status).toBe(201);
    const stage = { key: 'stage', name: '服务阶段', group: 'basics', values: [{ key: 'pre', name: '售前' }, { key: 'during', name: '售中' }, { key: 'after', name: '售后', color: '#52c41a' }] };
    expect((await api.post('/api/v1/tags', stage)).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'interest', name: '兴趣', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'tea', name: '茶' }] })).status).toBe(201);
    expect((await api.post('/api/v1/tags', { key: 'vip', name: '会员专享', values: [{ key: 'yes', name: '是' }] })).status).toBe(201);
    const ids = Array.from({ length: 10 }, (_, i) => `C${String(i + 1)}`);
    await api.post('/api/v1/customers', { customers: ids.map((id, i) => ({ id, city: i < 4 ? '上海' : '北京' })) });
    const order = (customer_id: string, amount: number, n: number) => ({ id: `${customer_id}-${String(n)}`, customer_id, type: 'order_paid', occurred_at: '2026-06-01T10:00:00Z', properties: { order_id: `${customer_id}-${String(n)}`, amount } });
    expect((await api.post('/api/v1/events', { events: [order('C1', 100, 1), order('C1', 300, 2), order('C2', 50, 1), order('C5', 1000, 1)] })).status).toBe(200);
    const assign = async (tag: string, value: string, customers: string[], headers?: Record<string, string>) => expect((await api.post(`/api/v1/tags/${tag}/assign`, { value, customers }, headers)).status).toBe(200);
    await assign('stage', 'pre', ['C1', 'C2', 'C3', 'C5']);
    await assign('stage', 'after', ['C4', 'C6', 'C7', 'C8', 'C9', 'C10']);
    await assign('interest', 'golf', ['C1', 'C5']);
    await assign('interest', 'tea', ['C2', 'C3', 'C4', 'C6', 'C7']);
    await assign('vip', 'yes', ['C4']);
    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
  }

  const tgis = (tags: Tag[]) => tags.map((tag) => [tag.key, ...tag.values.map((value) => value.tgi)]);

  it('compares every tag value’s share of the segment with its share of everyone (TGI), the most distinctive tag first', async () => {
    await seed();
    const reply = await api.get(`/api/v1/segments/${encodeURIComponent('上海客户')}/insight?metrics=spend_total&min_members=1`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ within: { segment: 'sh', name: '上海客户' }, members: 4, population: 10, min_members: 1 });
    const tags = reply.body.tags as Tag[];
    // 会员专享 250 (|250 − 100| = 150), 服务阶段 188 (88), 兴趣 150 (50).
    expect(tags.map((tag) => tag.key)).toEqual(['vip', 'stage', 'interest']);
    expect(tags[1]).toEqual({
      key: 'stage',
      name: '服务阶段',
      group: 'basics',
      values: [
        // 3 of 4 members against 4 of 10 customers: 100 × 0.75 / 0.4 = 187.5.
        { key: 'pre', name: '售前', color: null, members: 3, share: 0.75, population_share: 0.4, tgi: 188 },
        { key: 'during', name: '售中', color: null, members: 0, share: 0, population_share: 0, tgi: null },
        // 1 of 4 against 6 of 10: 41.67.
        { key: 'after', name: '售后', color: '#52c41a', members: 1, share: 0.25, population_share: 0.6, tgi: 42 },
      ],
    });
    expect(tgis(tags)).toEqual([
      ['vip', 250],
      ['stage', 188, null, 42],
      ['interest', 125, 150],
    ]);
    // C1 (400) and C2 (50) have spent among the four members; C1, C2 and C5 (1000) among the ten.
    // Members 400, 50, 0, 0: the median 25 between the two middle values, where the mean is 112.5.
    expect(reply.body.metrics).toEqual([
      { key: 'spend_total', name: '累计消费额', members: { customers: 4, sum: 450, mean: 112.5, median: 25, p25: 0, p75: 137.5 }, everyone: { customers: 10, sum: 1450, mean: 145, median: 0, p25: 0, p75: 37.5 } },
    ]);
  });

  it('ranks only by values enough members hold, still listing the rest, and by default compares the RFM measures', async () => {
    await seed();
    // 会员专享's one member no longer ranks it: it comes last, its TGI still given.
    const two = await api.get('/api/v1/segments/sh/insight?min_members=2');
    expect(tgis(two.body.tags as Tag[])).toEqual([
      ['stage', 188, null, 42],
      ['interest', 125, 150],
      ['vip', 250],
    ]);
    // By default a value needs 5 members: none here has, and the tags keep the library's order.
    const byDefault = await api.get('/api/v1/segments/sh/insight');
    expect(byDefault.body.min_members).toBe(5);
    expect((byDefault.body.tags as Tag[]).map((tag) => tag.key)).toEqual(['stage', 'interest', 'vip']);
    expect((byDefault.body.metrics as { key: string }[]).map((metric) => metric.key)).toEqual(['spend_365d', 'orders_365d', 'avg_order_value', 'days_since_last_order']);
  });

  it('answers for an expression being built, and for one that matches nobody', async () => {
    await seed();
    const built = await api.post('/api/v1/segments/insight?min_members=1&metrics=orders_total', { expression: 'interest has any ("golf")' });
    expect(built.status).toBe(200);
    expect(built.body).toMatchObject({ within: { expression: 'interest has any ("golf")' }, members: 2, population: 10, metrics: [{ key: 'orders_total', members: { customers: 2, sum: 3, mean: 1.5 } }] });
    const empty = await api.post('/api/v1/segments/insight?metrics=spend_total', { expression: 'city = "广州"' });
    expect(empty.body).toMatchObject({ members: 0, population: 10, metrics: [{ key: 'spend_total', members: { customers: 0, sum: 0, mean: null }, everyone: { customers: 10, sum: 1450 } }] });
    // Nothing to compare: no share, no TGI.
    expect((empty.body.tags as Tag[]).flatMap((tag) => tag.values.map((value) => [value.share, value.tgi]))).toEqual(Array.from({ length: 6 }, () => [0, null]));
  });

  it('shows a personal tag to its owner alone and leaves archived tags out', async () => {
    await seed();
    expect((await api.post('/api/v1/tags', { key: 'mine', name: '我的关注', scope: 'personal', values: [{ key: 'yes', name: '是' }] }, wang)).status).toBe(201);
    expect((await api.post('/api/v1/tags/mine/assign', { value: 'yes', customers: ['C1'] }, wang)).status).toBe(200);
    expect((await api.post('/api/v1/tags', { key: 'old', name: '旧标签', values: [{ key: 'x', name: 'X' }] })).status).toBe(201);
    expect((await api.post('/api/v1/tags/old/assign', { value: 'x', customers: ['C1', 'C2'] })).status).toBe(200);
    expect((await api.patch('/api/v1/tags/old', { status: 'archived' })).status).toBe(200);
    const keys = async (headers?: Record<string, string>) => ((await api.get('/api/v1/segments/sh/insight', headers)).body.tags as Tag[]).map((tag) => tag.key);
    expect(await keys(wang)).toEqual(['stage', 'interest', 'vip', 'mine']);
    expect(await keys(li)).toEqual(['stage', 'interest', 'vip']);
    expect(await keys()).toEqual(['stage', 'interest', 'vip']);
  });

  it('follows a change at once, as counts do', async () => {
    await seed();
    expect((await api.post('/api/v1/tags/vip/assign', { value: 'yes', customers: ['C1', 'C5'] })).status).toBe(200);
    const reply = await api.get('/api/v1/segments/sh/insight?min_members=1');
    // 2 of 4 against 3 of 10.
    expect((reply.body.tags as Tag[]).find((tag) => tag.key === 'vip')?.values[0]).toMatchObject({ members: 2, share: 0.5, population_share: 0.3, tgi: 167 });
  });

  it('refuses an unknown segment, a bad expression, a segment that no longer reads and a bad metric, in problem JSON', async () => {
    await seed();
    expect((await api.get('/api/v1/segments/shanghi/insight')).body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    expect((await api.post('/api/v1/segments/insight', { expression: 'city = ' })).body).toMatchObject({ status: 400, code: 'EXPRESSION_SYNTAX' });
    expect((await api.post('/api/v1/segments/insight', { expression: 'ctiy exists' })).body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    expect((await api.post('/api/v1/segments', { key: 'members_only', name: '专享客户', expression: 'vip = "是"' })).status).toBe(201);
    expect((await api.patch('/api/v1/tags/vip', { status: 'archived' })).status).toBe(200);
    expect((await api.get('/api/v1/segments/members_only/insight')).body).toMatchObject({ status: 400, code: 'EXPRESSION_UNKNOWN_NAME' });
    const metric = await api.get('/api/v1/segments/sh/insight?metrics=spend_totl');
    expect(metric.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(String(metric.body.detail)).toContain('spend_total');
    expect((await api.get('/api/v1/segments/sh/insight?metrics=preferred_category')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.get('/api/v1/segments/sh/insight?min_members=-1')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // A value no member holds never ranks its tag: the least min_members is 1.
    expect((await api.get('/api/v1/segments/sh/insight?min_members=0')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'min_members' })] });
    expect((await api.post('/api/v1/segments/insight?min_members=0', { expression: 'city = "上海"' })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.post('/api/v1/segments/insight', {})).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
