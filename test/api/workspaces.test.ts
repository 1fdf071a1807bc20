import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('workspaces over HTTP', (h) => {
  const api = useServer(h);

  it('creates a workspace once, lists it, and refuses its key a second time, also when asked twice at once', async () => {
    const key = `shop-${randomBytes(4).toString('hex')}`;
    const created = await api.post('/api/v1/workspaces', { key, name: '杭州旗舰店' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, name: '杭州旗舰店' });
    expect(typeof created.body.id).toBe('number');
    // China time unless told otherwise: the console shows the workspace's times in it.
    expect(created.body.utc_offset_minutes).toBe(480);
    expect((await api.get('/api/v1/workspaces')).body.items as { key: string }[]).toContainEqual(expect.objectContaining({ key, utc_offset_minutes: 480 }));
    expect(await api.post('/api/v1/workspaces', { key, name: '又一个' })).toMatchObject({ status: 409, body: { code: 'WORKSPACE_EXISTS' } });

    const twice = `shop-${randomBytes(4).toString('hex')}`;
    const answers = await Promise.all([api.post('/api/v1/workspaces', { key: twice, name: '甲' }), api.post('/api/v1/workspaces', { key: twice, name: '乙' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect((await api.post('/api/v1/workspaces', { key: 'no spaces', name: 'x' })).body.code).toBe('VALIDATION_FAILED');
  });
});
