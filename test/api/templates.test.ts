import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: templates and governance', (h) => {
  const api = useServer(h);

  it('lists templates and shows one by key or name', async () => {
    const list = await api.get('/api/v1/templates');
    expect(list.status).toBe(200);
    const items = list.body.items as { key: string; tags: number }[];
    expect(items.map((item) => item.key)).toContain('restaurant');
    expect(items.find((item) => item.key === 'levels')).toMatchObject({ tags: 1, groups: 1, values: 3, name: '客户分级', name_en: 'A/B/C levels', description_en: expect.stringContaining('A the most important') });
    // Every template reads in English too.
    expect(items.filter((item) => !(item as { description_en?: string }).description_en)).toEqual([]);
    const shown = await api.get(`/api/v1/templates/${encodeURIComponent('餐饮')}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ key: 'restaurant', name: '餐饮', name_en: 'Restaurant', description_en: expect.stringContaining('Cantonese') });
    expect((shown.body.tags as { key: string }[]).map((tag) => tag.key)).toContain('taste');
  });

  it('answers an unknown template with problem JSON and a hint', async () => {
    for (const reply of [await api.get('/api/v1/templates/resturant'), await api.post('/api/v1/templates/resturant/apply', {})]) {
      expect(reply.status).toBe(404);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ code: 'TEMPLATE_NOT_FOUND', type: 'urn:tagbase:problem:template-not-found' });
      expect(String(reply.body.detail)).toContain('Did you mean "restaurant"?');
    }
  });

  it('applies a template, then changes nothing the second time, and reports edits', async () => {
    const first = await api.post('/api/v1/templates/levels/apply', {});
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ template: 'levels', created: { groups: 1, tags: 1, values: 3 }, unchanged: { groups: 0, tags: 0, values: 0 }, conflicts: [] });
    expect((await api.get('/api/v1/tags/abc_level')).body).toMatchObject({ name: '客户分级', ordered: true, group: 'levels' });
    // As the template's description says: B and above is A and B.
    expect((await api.post('/api/v1/segments/count', { expression: 'abc_level >= "B级"' })).body).toMatchObject({ count: 0 });
    const second = await api.post('/api/v1/templates/levels/apply', {});
    expect(second.body).toMatchObject({ created: { groups: 0, tags: 0, values: 0 }, unchanged: { groups: 1, tags: 1, values: 3 }, conflicts: [] });
    expect((await api.patch('/api/v1/tags/abc_level/values/a', { name: 'A类' })).status).toBe(200);
    const third = await api.post('/api/v1/templates/levels/apply', {});
    expect(third.body.conflicts).toEqual([{ tag: 'abc_level', value: 'a', field: 'name', template: 'A级', workspace: 'A类' }]);
  });

  it('reports governance findings with thresholds from the query', async () => {
    await api.post('/api/v1/templates/levels/apply', {});
    await api.post('/api/v1/tag-groups', { key: 'g', name: '分组' });
    await api.post('/api/v1/tags', { key: 'one', name: '一', group: 'g', values: [{ key: 'y', name: '是' }] });
    // Without customers, no tag is called unused: the report says there are none instead.
    const before = await api.get('/api/v1/governance?group_budget=1');
    expect(before.body).toMatchObject({ findings: 0, customers: 0, unused_tags: [], empty_values: [], same_phone_two_ways: [] });
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] })).status).toBe(200);
    const report = await api.get('/api/v1/governance?group_budget=1');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      thresholds: { jaccard: 0.9, min_members: 20, group_budget: 1, min_owners: 3 },
      findings: 2,
      customers: 1,
      unused_tags: [
        { tag: 'abc_level', name: '客户分级', kind: 'manual', group: 'levels' },
        { tag: 'one', name: '一', kind: 'manual', group: 'g' },
      ],
      empty_values: [],
      overlapping_tags: [],
      rules_reading_archived_tags: [],
      crowded_groups: [],
      promotion_candidates: [],
    });
  });

  it('names the two values of an overlap', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    await api.post('/api/v1/tags', { key: 'spend', name: '年消费额', values: [{ key: 'low', name: '低' }, { key: 'high', name: '高' }] });
    await api.post('/api/v1/tags', { key: 'big', name: '大客户', values: [{ key: 'yes', name: '是' }] });
    await api.post('/api/v1/tags/spend/assign', { value: 'low', customers: ['C1'] });
    await api.post('/api/v1/tags/spend/assign', { value: 'high', customers: ['C2', 'C3'] });
    await api.post('/api/v1/tags/big/assign', { value: 'yes', customers: ['C2', 'C3'] });
    const report = await api.get('/api/v1/governance?min_members=2');
    expect(report.body.overlapping_tags).toEqual([
      {
        first: { tag: 'spend', name: '年消费额', value: 'high', value_name: '高', customers: 2 },
        second: { tag: 'big', name: '大客户', value: 'yes', value_name: '是', customers: 2 },
        shared: 2,
        jaccard: 1,
      },
    ]);
  });

  it('refuses bad thresholds with VALIDATION_FAILED', async () => {
    for (const query of ['jaccard=2', 'jaccard=0', 'jaccard=abc', 'min_members=0', 'group_budget=1.5', 'min_owners=1', 'jacard=0.5']) {
      const reply = await api.get(`/api/v1/governance?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body.code, query).toBe('VALIDATION_FAILED');
    }
  });
});
