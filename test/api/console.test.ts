import { mkdtempSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { buildConsole } from '../../src/cli/serve.js';
import type { Store } from '../../src/store/connect.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const wang = { 'x-tagbase-actor': encodeURIComponent('导购-王芳') };
const li = { 'x-tagbase-actor': encodeURIComponent('导购-李娜') };

forEachStore('API: console reads', (h) => {
  const api = useServer(h);

  async function seed() {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟' }, { id: 'C2', name: '李娜' }, { id: 'C3' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'after', name: '售后' }] });
    const personal = await api.post('/api/v1/tags', { key: 'mine', name: '我的关注', scope: 'personal', values: [{ key: 'yes', name: '是' }] }, wang);
    expect(personal.status).toBe(201);
    await api.post('/api/v1/tags/stage/assign', { value: 'pre', customers: ['C1', 'C2'] }, wang);
    h.clock.advance(60_000);
    await api.post('/api/v1/customers/C1/tags', { tag: 'stage', value: 'after' }, wang);
    h.clock.advance(60_000);
    await api.post('/api/v1/tags/mine/assign', { value: 'yes', customers: ['C3'] }, wang);
  }

  it('counts customers, the tagged ones and the tags the actor may see', async () => {
    await seed();
    expect((await api.get('/api/v1/overview', wang)).body).toEqual({ customers: 3, tagged: 3, tags: 2, care_due: 0 });
    // Another member of staff sees neither the personal tag nor the customer only it tags.
    expect((await api.get('/api/v1/overview', li)).body).toEqual({ customers: 3, tagged: 2, tags: 1, care_due: 0 });
    expect((await api.get('/api/v1/overview')).body).toEqual({ customers: 3, tagged: 2, tags: 1, care_due: 0 });
  });

  it('lists the newest tag changes first, limited and filtered by visibility', async () => {
    await seed();
    const mine = await api.get('/api/v1/history?limit=2', wang);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ customer_id: 'C3', customer_name: null, action: 'add', tag: 'mine', label: '我的关注: 是', actor: '导购-王芳' }),
      expect.objectContaining({ customer_id: 'C1', customer_name: '张伟', action: 'replace', tag: 'stage', label: '服务阶段: 售前 → 售后', source: 'manual' }),
    ]);
    const theirs = await api.get('/api/v1/history', li);
    expect((theirs.body.items as { tag: string }[]).map((item) => item.tag)).toEqual(['stage', 'stage', 'stage']);
    expect((theirs.body.items as { at: string }[])[0]?.at).toBe('2026-06-15T10:01:00.000Z');
  });

  it('refuses a bad limit on the history', async () => {
    for (const limit of ['0', '501', 'ten', '1.5']) {
      const reply = await api.get(`/api/v1/history?limit=${limit}`);
      expect(reply.status).toBe(400);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers no history in a workspace without tags', async () => {
    expect((await api.get('/api/v1/history')).body).toEqual({ items: [] });
    expect((await api.get('/api/v1/overview')).body).toEqual({ customers: 0, tagged: 0, tags: 0, care_due: 0 });
  });

  it('counts daily additions per value over the last days, oldest first', async () => {
    await seed();
    h.clock.advance(2 * 86_400_000);
    await api.post('/api/v1/customers/C2/tags', { tag: 'stage', value: 'after' });
    const trend = await api.get('/api/v1/history/trend?tag=stage&days=3');
    expect(trend.status).toBe(200);
    expect(trend.body).toEqual({
      tag: 'stage',
      name: '服务阶段',
      dates: ['2026-06-15', '2026-06-16', '2026-06-17'],
      series: [
        { value: 'pre', name: '售前', counts: [2, 0, 0] },
        { value: 'after', name: '售后', counts: [1, 0, 1] },
      ],
    });
    expect((await api.get(`/api/v1/history/trend?tag=${encodeURIComponent('服务阶段')}`)).body.dates).toHaveLength(30);
  });

  it('leaves out of the newest changes and the daily additions what a merge writes for webhooks', async () => {
    await seed();
    const before = await api.get('/api/v1/history', li);
    const trend = await api.get('/api/v1/history/trend?tag=stage&days=3');
    // C3 gains C2's 售前 and C2 loses it: no one's tags changed.
    expect((await api.post('/api/v1/customers/C3/merge', { from: 'C2' })).status).toBe(200);
    // The same changes (C2's history now reads under C3, the record it went into).
    const changes = (body: Record<string, unknown>) => (body.items as { action: string; label: string; source: string; at: string }[]).map((item) => [item.action, item.label, item.source, item.at]);
    expect(changes((await api.get('/api/v1/history', li)).body)).toEqual(changes(before.body));
    expect((await api.get('/api/v1/history/trend?tag=stage&days=3')).body).toEqual(trend.body);
  });

  it('answers an unknown or invisible tag and bad days with problem JSON', async () => {
    await seed();
    const unknown = await api.get('/api/v1/history/trend?tag=stag');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'TAG_NOT_FOUND' });
    expect(String(unknown.body.detail)).toContain('stage');
    expect((await api.get('/api/v1/history/trend?tag=mine', li)).body.code).toBe('TAG_NOT_FOUND');
    expect((await api.get('/api/v1/history/trend?tag=mine', wang)).status).toBe(200);
    expect((await api.get('/api/v1/history/trend')).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/history/trend?tag=stage&days=0')).body.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/v1/history/trend?tag=stage&days=367')).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('the console beside the API', () => {
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let dir: string;
  let appStore: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tagbase-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-abc.js'), 'console.log(1)');
    const { openStore } = await import('../../src/store/connect.js');
    const store = await openStore(':memory:');
    await store.migrate();
    appStore = store;
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: dir });
    bare = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: join(dir, 'missing') });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
  });

  it('answers a deep link with the app shell and an asset as it is', async () => {
    for (const url of ['/', '/customers/C1', '/tags?x=1']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<div id="root">');
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/app-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('keeps API answers: an unknown /api path, a missing asset and a POST are problem JSON', async () => {
    for (const [method, url] of [['GET', '/api/v1/nothing'], ['GET', '/api'], ['GET', '/assets/missing.js'], ['POST', '/customers']] as const) {
      const reply = await app.inject({ method, url });
      expect(reply.statusCode).toBe(404);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
  });

  it('answers every page of the console, whatever the request accepts, with a page saying it is being built until it is', async () => {
    // A first visit right after start answered a JSON 404 where the request did not say it took
    // HTML (curl, a script's fetch, a link checker), though once built the same path answers the console.
    const accepts = [undefined, '*/*', 'application/json', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'];
    for (const url of ['/', '/customers', '/customers/C1', '/segments?segment=vip', '/index.html']) {
      for (const accept of accepts) {
        const page = await bare.inject({ method: 'GET', url, headers: accept === undefined ? {} : { accept } });
        expect([url, accept, page.statusCode]).toEqual([url, accept, 503]);
        expect(page.headers['content-type']).toContain('text/html');
        expect(page.headers['retry-after']).toBe('5');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.body).toContain('tagbase 控制台正在构建');
        expect(page.body).toContain('The web console is not built yet');
        expect(page.body).toContain('<meta http-equiv="refresh" content="5">');
      }
      expect((await bare.inject({ method: 'HEAD', url })).statusCode).toBe(503);
    }
    // Its scripts, asked for by a browser too, stay a 404, and so do the API's paths and another method.
    for (const [method, url] of [['GET', '/assets/app.js'], ['GET', '/favicon.ico'], ['GET', '/api/v1/nothing'], ['GET', '/api'], ['POST', '/customers']] as const) {
      const reply = await bare.inject({ method, url, headers: { accept: 'text/html,*/*' } });
      expect([url, reply.statusCode, reply.json()]).toEqual([url, 404, expect.objectContaining({ code: 'NOT_FOUND' })]);
    }
    expect((await bare.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
    expect((await bare.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    // Made for the build to come, so that the server does not warn at start that it is missing.
    expect(statSync(join(dir, 'missing')).isDirectory()).toBe(true);
  });

  it('says the console failed to build, with the error and what to do, and stops reloading', async () => {
    // A web folder whose page loads a script that is not there: Vite itself fails to build it.
    const web = join(dir, 'broken-web');
    mkdirSync(web);
    writeFileSync(join(web, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(web, 'vite.config.ts'), 'export default {};\n');
    writeFileSync(join(web, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/src/missing-main.tsx"></script>\n');
    const dist = join(web, 'dist');
    const server = await buildServer({ store: appStore, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: dist });
    try {
      const building = buildConsole(dist);
      // While it builds, the page says so and reloads.
      expect((await server.inject({ method: 'GET', url: '/customers/C1' })).body).toContain('<meta http-equiv="refresh" content="5">');
      const failure = await building.then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      for (const url of ['/', '/customers/C1']) {
        const page = await server.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        // It said the console was being built and reloaded itself every 5 seconds, forever.
        expect([url, page.statusCode]).toEqual([url, 503]);
        expect(page.headers['content-type']).toContain('text/html');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.headers['retry-after']).toBeUndefined();
        expect(page.body).not.toContain('http-equiv="refresh"');
        expect(page.body).not.toContain('控制台正在构建');
        expect(page.body).toContain('tagbase 控制台构建失败');
        expect(page.body).toContain('Building the web console failed');
        expect(page.body).toContain('<code>npm run build:web</code>');
        expect(page.body).toContain('server log');
        // Vite's own words, escaped.
        expect(page.body).toContain('missing-main.tsx');
        expect(page.body).not.toContain('\u001b[');
      }
      expect((await server.inject({ method: 'HEAD', url: '/' })).statusCode).toBe(503);
      expect((await server.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(404);
      expect((await server.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
      // Fixed and built again, the console is served.
      writeFileSync(join(web, 'index.html'), '<!doctype html><div id="root"></div>\n');
      await buildConsole(dist);
      const page = await server.inject({ method: 'GET', url: '/customers/C1' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<div id="root">');
    } finally {
      await server.close();
    }
  });

  it('serves the console at once when it is built after the server started', async () => {
    const later = join(dir, 'later');
    const server = await buildServer({ store: appStore, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: later });
    try {
      expect((await server.inject({ method: 'GET', url: '/customers/C1' })).statusCode).toBe(503);
      writeFileSync(join(later, 'index.html'), '<!doctype html><div id="root"></div>');
      for (const url of ['/', '/customers/C1']) {
        const page = await server.inject({ method: 'GET', url });
        expect([url, page.statusCode]).toEqual([url, 200]);
        expect(page.body).toContain('<div id="root">');
      }
    } finally {
      await server.close();
    }
  });
});
