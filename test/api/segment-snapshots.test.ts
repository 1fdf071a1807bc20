import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: deleting segment snapshots and paging their list', (h) => {
  // Tokens are read again on every request, so the last test's tokens apply from the call after they are made.
  const api = useServer(h, { tokensReadEveryMs: 0 });

  async function seed() {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', city: '上海' }, { id: 'C2', city: '上海' }, { id: 'C3', city: '广州' }] })).status).toBe(200);
    expect((await api.post('/api/v1/segments', { key: 'sh', name: '上海客户', expression: 'city = "上海"' })).status).toBe(201);
    expect((await api.post('/api/v1/segments', { key: 'gz', name: '广州客户', expression: 'city = "广州"' })).status).toBe(201);
  }

  const take = async (segment = 'sh') => {
    const taken = await api.post(`/api/v1/segments/${segment}/snapshots`, {});
    expect(taken.status).toBe(201);
    return taken.body.id as number;
  };
  const listed = async (query = '') => ((await api.get(`/api/v1/segments/sh/snapshots${query}`)).body.items as { id: number }[]).map((item) => item.id);
  const storedMembers = async (snapshot: number) => (await h.store().db.selectFrom('segment_snapshot_members').select('customer_id').where('snapshot_id', '=', snapshot).execute()).length;

  it('deletes a snapshot and its members; its comparison and exports are then unknown, its logged exports still read', async () => {
    await seed();
    const kept = await take();
    h.clock.advance(60_000);
    const gone = await take();
    const exported = await api.get(`/api/v1/segments/sh/snapshots/${String(gone)}/export?format=jsonl`);
    expect(exported.status).toBe(200);
    expect(await storedMembers(gone)).toBe(2);

    const deleted = await api.del(`/api/v1/segments/sh/snapshots/${String(gone)}`, { 'x-tagbase-actor': encodeURIComponent('运营-小李') });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(await listed()).toEqual([kept]);
    expect(await storedMembers(gone)).toBe(0);
    expect(await storedMembers(kept)).toBe(2);

    for (const url of [`/compare`, `/export`, `/export?part=joined`, `/export?part=left&format=jsonl`, `/export?part=stayed`, '']) {
      const reply = await api.call(url === '' ? 'DELETE' : 'GET', `/api/v1/segments/sh/snapshots/${String(gone)}${url}`);
      expect(reply.status).toBe(404);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    }
    // The one left is whole.
    expect((await api.get(`/api/v1/segments/sh/snapshots/${String(kept)}/compare`)).body).toMatchObject({ now: 2, stayed: 2, joined: 0, left: 0 });

    // The export log still names what was exported, as it was logged.
    const log = await api.get('/api/v1/exports');
    expect(log.status).toBe(200);
    expect((log.body.items as unknown[])[0]).toMatchObject({ source: 'snapshot', target: `sh#${String(gone)}`, rows: 2 });

    // The audit trail records who deleted which, as it records the snapshot taken; the attempts at an unknown one changed nothing.
    const trail = (await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' })).body.items as { actor: string; action: string; summary: string; target: string; status: number }[];
    expect(trail.filter((entry) => entry.action.startsWith('DELETE'))).toEqual([
      expect.objectContaining({ actor: '运营-小李', action: 'DELETE /segments/:segment/snapshots/:snapshot', summary: '删除人群快照', target: `/segments/sh/snapshots/${String(gone)}`, status: 204 }),
    ]);
    expect((await api.get('/api/v1/audit', { 'accept-language': 'en' })).body.items).toContainEqual(expect.objectContaining({ summary: 'deleted a segment snapshot' }));
  });

  it('answers 404 for a snapshot the segment does not have, by its name too, and deletes nothing then', async () => {
    await seed();
    const theirs = await take('gz');
    const unknown = await api.del('/api/v1/segments/sh/snapshots/99999', { 'accept-language': 'zh-CN' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'SNAPSHOT_NOT_FOUND' });
    // Another segment's snapshot is not this one's.
    expect((await api.del(`/api/v1/segments/sh/snapshots/${String(theirs)}`)).body).toMatchObject({ status: 404, code: 'SNAPSHOT_NOT_FOUND' });
    expect(await storedMembers(theirs)).toBe(1);
    expect((await api.del(`/api/v1/segments/nope/snapshots/${String(theirs)}`)).body).toMatchObject({ status: 404, code: 'SEGMENT_NOT_FOUND' });
    expect((await api.del('/api/v1/segments/sh/snapshots/0')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // By the segment's name, as every snapshot address takes it.
    expect((await api.del(`/api/v1/segments/${encodeURIComponent('广州客户')}/snapshots/${String(theirs)}`)).status).toBe(204);
    expect(await storedMembers(theirs)).toBe(0);
  });

  it('lists snapshots newest first a page at a time, by cursor, without repeating or skipping one', async () => {
    await seed();
    const taken: number[] = [];
    for (let day = 0; day < 5; day++) {
      taken.push(await take());
      // Two taken at one instant: a page may end between them.
      if (day === 2) taken.push(await take());
      h.clock.advance(24 * 3600_000);
    }
    const newestFirst = [...taken].reverse();
    const whole = await api.get('/api/v1/segments/sh/snapshots');
    expect(whole.body).toMatchObject({ next_cursor: null });
    expect((whole.body.items as { id: number }[]).map((item) => item.id)).toEqual(newestFirst);

    const walked: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.get>> = await api.get(`/api/v1/segments/sh/snapshots?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.status).toBe(200);
      walked.push(...(page.body.items as { id: number }[]).map((item) => item.id));
      cursor = page.body.next_cursor as string | null;
      pages++;
      // A snapshot deleted between pages is not shown, and moves no other.
      if (pages === 1) expect((await api.del(`/api/v1/segments/sh/snapshots/${String(newestFirst[3])}`)).status).toBe(204);
    } while (cursor !== null);
    expect(walked).toEqual(newestFirst.filter((id) => id !== newestFirst[3]));
    expect(pages).toBe(3);
    // A page that ends exactly at the last snapshot says there is no more.
    expect((await api.get('/api/v1/segments/sh/snapshots?limit=5')).body.next_cursor).toBeNull();
    expect((await api.get('/api/v1/segments/sh/snapshots?limit=4')).body.next_cursor).toEqual(expect.any(String));

    for (const bad of ['limit=0', 'limit=1001', 'limit=x', 'cursor=nonsense', `cursor=${Buffer.from('h1:1:1').toString('base64url')}`]) {
      expect((await api.get(`/api/v1/segments/sh/snapshots?${bad}`)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await api.get('/api/v1/segments/sh/snapshots?cursor=nonsense')).body.errors?.[0]).toMatchObject({ path: 'cursor' });
    expect((await api.get('/api/v1/segments/sh/snapshots?limit=1000')).status).toBe(200);
  });

  // Last: the tokens made here are the server's, and ask every later call for one.
  it('lets whoever may take a snapshot delete one, and a viewer list them page by page but delete none', async () => {
    await seed();
    const first = await take();
    h.clock.advance(1000);
    const second = await take();
    const now = h.clock.now();
    const operator = (await createAccessToken(h.store(), { name: '运营-王芳', role: 'operator' }, now)).token;
    const viewer = (await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, now)).token;
    const admin = (await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, now)).token;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const refused = await api.del(`/api/v1/segments/sh/snapshots/${String(first)}`, bearer(viewer));
    expect(refused.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.post('/api/v1/segments/sh/snapshots', {}, bearer(viewer))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await storedMembers(first)).toBe(2);
    // A list of snapshots is no list of customers: a viewer pages through it by cursor as anyone does.
    const page = await api.get('/api/v1/segments/sh/snapshots?limit=1', bearer(viewer));
    expect((page.body.items as { id: number }[]).map((item) => item.id)).toEqual([second]);
    const next = await api.get(`/api/v1/segments/sh/snapshots?limit=1&cursor=${encodeURIComponent(String(page.body.next_cursor))}`, bearer(viewer));
    expect(next.status).toBe(200);
    expect((next.body.items as { id: number }[]).map((item) => item.id)).toEqual([first]);

    expect((await api.del(`/api/v1/segments/sh/snapshots/${String(first)}`, bearer(operator))).status).toBe(204);
    expect((await api.del(`/api/v1/segments/sh/snapshots/${String(second)}`, bearer(admin))).status).toBe(204);
    const trail = (await api.get('/api/v1/audit', bearer(admin))).body.items as { actor: string; action: string; status: number }[];
    const deletions = trail.filter((entry) => entry.action === 'DELETE /segments/:segment/snapshots/:snapshot');
    // The refused attempt is recorded too, as every refused one is.
    expect(deletions.map((entry) => [entry.actor, entry.status])).toEqual([
      ['管理员-李娜', 204],
      ['运营-王芳', 204],
      ['分析-小陈', 403],
    ]);
  });
});
