import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openWorkspace } from '../../src/engine/workspaces.js';

const trial = { key: 'trial', name: '试用', cardinality: 'multi', values: [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }] };

forEachStore('API: a deleted tag leaves the index without a build', (h) => {
  const served = new IndexRegistry(undefined, { snapshots: true });
  const api = useServer(h, { index: served });

  it('drops the tag from the running index here and in another process, and from a snapshot written afterwards, building nothing', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    expect((await api.post('/api/v1/tags', trial)).status).toBe(201);
    await api.post('/api/v1/tags', { key: 'kept', name: '保留', values: [{ key: 'y', name: '是' }, { key: 'n', name: '否' }] });
    await api.post('/api/v1/tags/kept/assign', { value: 'y', customers: ['C1', 'C3'] });
    await api.post('/api/v1/tags/kept/assign', { value: 'n', customers: ['C2'] });
    await api.post('/api/v1/tags/trial/assign', { value: 'a', customers: ['C1'] });
    await api.post('/api/v1/tags/trial/assign', { value: 'b', customers: ['C2'] });
    const tag = await h.store().db.selectFrom('tags').select('id').where('key', '=', 'trial').executeTakeFirstOrThrow();
    const valueIds = (await h.store().db.selectFrom('tag_values').select('id').where('tag_id', '=', tag.id).execute()).map((row) => row.id);

    // The server's index and another process's, both built once while customers held the tag.
    const context = await openWorkspace(h.store(), h.workspaceKey(), 'tester', h.clock.now);
    const other = new IndexRegistry(h.store(), { snapshots: true });
    expect((await api.post('/api/v1/segments/count', { expression: 'trial exists' })).body.count).toBe(2);
    const servedIndex = await served.get(context);
    const otherIndex = await other.get(context);
    await api.post('/api/v1/tags/trial/unassign', { customers: ['C1', 'C2'] });
    expect((await api.post('/api/v1/segments/count', { expression: 'trial exists' })).body.count).toBe(0);
    for (const [registry, index] of [[served, servedIndex], [other, otherIndex]] as const) {
      expect(await registry.get(context)).toBe(index);
      expect(registry.builds(context.workspaceId)).toBe(1);
      expect(index.tagMembers(tag.id)?.size).toBe(0);
      expect(valueIds.filter((id) => index.valueMembers(id) !== undefined)).toEqual(valueIds);
    }
    const bitmapsBefore = servedIndex.stats().bitmaps;
    const countsBefore = servedIndex.valueCounts();

    expect((await api.del('/api/v1/tags/trial')).status).toBe(200);

    // Expressions naming it are refused as naming no tag or field; the other tag counts as before.
    for (const expression of ['trial exists', 'trial = "甲"', 'kept = "是" and not trial = "乙"']) {
      expect((await api.post('/api/v1/segments/count', { expression })).body.code).toBe('EXPRESSION_UNKNOWN_NAME');
    }
    expect((await api.post('/api/v1/segments/count', { expression: 'kept = "是"' })).body.count).toBe(2);
    expect((await api.post('/api/v1/segments/count', { expression: 'kept exists' })).body.count).toBe(3);
    expect((await api.get('/api/v1/tags/kept')).body).toMatchObject({ customers: 3 });

    // Both indexes are the ones built before, without the tag: nothing was built again.
    for (const [registry, index] of [[served, servedIndex], [other, otherIndex]] as const) {
      expect(await registry.get(context)).toBe(index);
      expect(registry.builds(context.workspaceId)).toBe(1);
      expect(index.tagMembers(tag.id)).toBeUndefined();
      expect(valueIds.filter((id) => index.valueMembers(id) !== undefined)).toEqual([]);
      expect(index.stats().bitmaps).toBeLessThan(bitmapsBefore);
      expect(index.valueCounts()).toEqual(countsBefore);
    }

    // A snapshot written afterwards reads back without it.
    expect(await served.saveSnapshot(context)).toBeDefined();
    const restarted = new IndexRegistry(h.store(), { snapshots: true });
    const loaded = await restarted.get(context);
    expect(loaded.stats().origin).toBe('snapshot');
    expect(restarted.builds(context.workspaceId)).toBe(0);
    expect(loaded.tagMembers(tag.id)).toBeUndefined();
    expect(valueIds.filter((id) => loaded.valueMembers(id) !== undefined)).toEqual([]);
    expect(loaded.stats().bitmaps).toBe(servedIndex.stats().bitmaps);
    expect(loaded.valueCounts()).toEqual(countsBefore);
  });
});
