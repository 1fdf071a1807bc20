import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';

forEachStore('API: loading the demo store', (h) => {
  const api = useServer(h);

  async function finished(): Promise<Reply> {
    for (;;) {
      const reply = await api.get('/api/v1/demo');
      if (reply.body.state !== 'running') return reply;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('fills a new workspace in the background, telling its progress, and counts it at once', async () => {
    const workspace = `${h.workspaceKey()}-demo`;
    expect((await api.get('/api/v1/demo')).body).toEqual({ state: 'idle' });
    const started = await api.post('/api/v1/demo', { workspace, customers: 150 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ workspace, customers: 150, state: 'running', finished_at: null, summary: null, error: null });
    // A second call while it loads answers the same job rather than starting another.
    const again = await api.post('/api/v1/demo', { workspace: 'other', customers: 100 });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ workspace, state: 'running' });

    const done = await finished();
    expect(done.body).toMatchObject({ workspace, state: 'done', error: null, summary: { customers: 150 } });
    const summary = done.body.summary as { events: number; assignments: number };
    expect(summary.events).toBeGreaterThan(700);
    const progress = done.body.progress as { done: number; total: number };
    expect(progress.done).toBe(150 + summary.events);
    expect(progress.done).toBeLessThanOrEqual(progress.total);

    // The server's index followed every batch: the demo is counted without a restart.
    const inDemo = { 'x-tagbase-workspace': workspace };
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_total >= 0 or orders_total missing' }, inDemo)).body).toMatchObject({ count: 150, population: 150 });
    expect((await api.get('/api/v1/workspaces')).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ key: workspace })]));
    const segments = (await api.get('/api/v1/segments', inDemo)).body.items as { key: string }[];
    expect(segments.length).toBeGreaterThan(0);
    // The days the replay stood still fall inside the quarter, the month and the week a segment's sizes are read over.
    const recordedDays = async (days: number) => ((await api.get(`/api/v1/segments/${segments[0]?.key}/sizes?days=${days}`, inDemo)).body.items as { recorded: boolean }[]).filter((item) => item.recorded).length;
    expect([await recordedDays(90), await recordedDays(30), await recordedDays(7)]).toEqual([4, 3, 2]);
    expect((await api.get('/api/v1/models', inDemo)).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'rfm', enabled: true })]));
    // Recorded once, in the workspace it filled: where `tagbase demo` looks before filling it again.
    const trail = (await api.get('/api/v1/audit?limit=500', inDemo)).body.items as { action: string }[];
    expect(trail.filter((entry) => entry.action.includes('demo'))).toEqual([expect.objectContaining({ action: 'demo', source: 'api', target: workspace, summary: 'loaded the demo store into the workspace' })]);

    // A workspace holding customers is never filled with made-up ones.
    const refused = await api.post('/api/v1/demo', { workspace, customers: 100 });
    expect(refused.body).toMatchObject({ status: 409, code: 'WORKSPACE_EXISTS', detail: `Workspace "${workspace}" already exists. It holds customers, which the demo's would mix with: load the demo into a new workspace, or one without customers.` });
    expect((await api.post('/api/v1/demo', { workspace, customers: 100 }, { 'accept-language': 'zh-CN' })).body.detail).toBe(`工作空间「${workspace}」已存在。其中已有客户，示例数据会与之混在一起：请载入新的工作空间，或没有客户的工作空间。`);
    expect((await api.post('/api/v1/segments/count', { expression: 'orders_total >= 0 or orders_total missing' }, inDemo)).body.count).toBe(150);
  });

  it('refuses a workspace holding something under a key or name the demo gives its own, before starting, naming what', async () => {
    const workspace = `${h.workspaceKey()}-shop`;
    expect((await api.post('/api/v1/workspaces', { key: workspace, name: workspace })).status).toBe(201);
    const inShop = { 'x-tagbase-workspace': workspace };
    expect((await api.post('/api/v1/segments', { key: 'buyers', name: '活跃买家', expression: 'orders_total >= 1' }, inShop)).status).toBe(201);
    const before = (await api.get('/api/v1/demo')).body;

    const refused = await api.post('/api/v1/demo', { workspace, customers: 100 });
    expect(refused.body).toMatchObject({
      status: 409,
      code: 'DEMO_IN_THE_WAY',
      detail: `Workspace "${workspace}" already holds segment "活跃买家" (buyers), under a key or name the demo gives its own: load the demo into a workspace of its own ({"workspace": "demo"}).`,
    });
    expect((await api.post('/api/v1/demo', { workspace, customers: 100 }, { 'accept-language': 'zh-CN' })).body.detail).toBe(
      `工作空间「${workspace}」中已有人群「活跃买家」（buyers），与演示数据要建的标识或名称相同：请把演示数据载入单独的工作空间（{"workspace": "demo"}）。`,
    );
    // No job started, and nothing written: no tags, no models, no other segments.
    expect((await api.get('/api/v1/demo')).body).toEqual(before);
    expect(((await api.get('/api/v1/segments', inShop)).body.items as { key: string }[]).map((segment) => segment.key)).toEqual(['buyers']);
    expect((await api.get('/api/v1/tags', inShop)).body.items).toEqual([]);
  });

  it('refuses a size or a workspace key it cannot take, as problem JSON', async () => {
    const small = await api.post('/api/v1/demo', { customers: 5 });
    expect(small.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.post('/api/v1/demo', { customers: 1_000_000 })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/demo', { workspace: '演示 店' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.post('/api/v1/demo', { workspace: 'x', seed: 3 })).body.code).toBe('VALIDATION_FAILED');
  });
});
