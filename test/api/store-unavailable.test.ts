// A database that cannot be reached is told as such: the API answers 503 STORE_UNAVAILABLE
// with Retry-After (the health check included), and a command says which database in words,
// where the API answered a bare 500 and a command printed the driver's "connect ECONNREFUSED".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildServer } from '../../src/api/server.js';
import { formatCliError } from '../../src/cli/errors.js';
import { startPasswordAskingServer } from '../support/fake-postgres.js';
import { openMigratedStore } from '../../src/cli/store-options.js';
import { openStore, type Store } from '../../src/store/connect.js';

describe('a database that cannot be reached', () => {
  let closedPort = 0;
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    // A port just closed again: nothing listens there.
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    closedPort = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    store = await openStore(`postgres://tagbase@127.0.0.1:${closedPort}/tagbase`, { poolSize: 1 });
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('is answered 503 STORE_UNAVAILABLE with Retry-After, by the health check and the API alike', async () => {
    for (const url of ['/healthz', '/api/v1/tags', '/api/v1/customers?q=%E5%BC%A0']) {
      const reply = await app?.inject({ method: 'GET', url, headers: { 'accept-language': 'zh-CN' } });
      expect(reply?.statusCode).toBe(503);
      expect(reply?.headers['content-type']).toContain('application/problem+json');
      expect(reply?.headers['retry-after']).toBe('5');
      const problem = reply?.json() as { code: string; detail: string };
      expect(problem.code).toBe('STORE_UNAVAILABLE');
      expect(problem.detail).toBe('无法连接数据库：请稍后重试');
    }
  });

  it('is named in words by a command, with the database it tried', async () => {
    const url = `postgres://tagbase:secret@127.0.0.1:${closedPort}/tagbase`;
    const failure = await openMigratedStore(url).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const line = formatCliError(failure, 'en');
    expect(line).toContain(`error STORE_UNAVAILABLE: The database cannot be reached: postgres://tagbase:***@127.0.0.1:${closedPort}/tagbase`);
    expect(line).toContain('ECONNREFUSED');
    expect(line).not.toContain('secret');
  });

  it('is named without a password given as a parameter of the URL', async () => {
    const url = `postgres://tagbase@127.0.0.1:${closedPort}/tagbase?application_name=crm&password=secret&sslmode=disable`;
    const failure = await openMigratedStore(url).then(
      () => undefined,
      (error: unknown) => error,
    );
    const line = formatCliError(failure, 'en');
    expect(line).toContain(`postgres://tagbase@127.0.0.1:${closedPort}/tagbase?application_name=crm&password=***&sslmode=disable`);
    expect(line).not.toContain('secret');
  });

  it('is named without any of a password written with an unencoded @', async () => {
    const failure = await openMigratedStore(`postgres://tagbase:se@cret@127.0.0.1:${closedPort}/tagbase`).then(
      () => undefined,
      (error: unknown) => error,
    );
    const line = formatCliError(failure, 'en');
    expect(line).toContain(`postgres://tagbase:***@127.0.0.1:${closedPort}/tagbase`);
    expect(line).not.toContain('cret');
  });

  it('says a password the server asks for is missing from the URL, or SSL the URL asks for is not offered, naming the URL', async () => {
    // A server that declines SSL, or asks for a SCRAM password; the client gives up at its challenge.
    const server = await startPasswordAskingServer({ hangUp: true });
    const port = server.port;
    try {
      for (const [url, said, zh] of [
        [`postgres://tagbase@127.0.0.1:${port}/tagbase`, 'the server asks for a password and the URL gives none', '服务器要求密码'],
        [`postgres://tagbase:secret@127.0.0.1:${port}/tagbase?sslmode=no-verify`, 'the URL asks for SSL (sslmode) and the server does not offer it', '地址要求 SSL'],
      ] as const) {
        const failure = await openMigratedStore(url).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toMatchObject({ code: 'STORE_REFUSED' });
        const line = formatCliError(failure, 'en');
        expect(line).toContain(`error STORE_REFUSED: The database refused the connection: ${url.replace(':secret@', ':***@')}: ${said}`);
        expect(line).not.toContain('secret');
        expect(formatCliError(failure, 'zh-CN')).toContain(zh);
      }
    } finally {
      await server.close();
    }
  });

  it('hides the password of a URL of another database it refuses', async () => {
    const failure = await openMigratedStore('mysql://shop:secret@db.example.com/shop').then(
      () => undefined,
      (error: unknown) => error,
    );
    const line = formatCliError(failure, 'en');
    expect(line).toBe('error VALIDATION_FAILED: "mysql://shop:***@db.example.com/shop" is neither a SQLite path nor a postgres:// URL');
  });
});

describe('a SQLite file another process holds longer than the busy timeout', () => {
  let directory = '';
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  let holder: ChildProcessWithoutNullStreams | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tagbase-busy-'));
    const file = join(directory, 'store.db');
    store = await openMigratedStore(file, { mayCreate: true });
    // The product waits 5 s for a lock; what is tested is the answer after the wait, not its length.
    await sql`pragma busy_timeout = 300`.execute(store.db);
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z') });
    // Another process (a command's long import, say) holds the write lock until told to let go.
    const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('begin immediate'); process.stdout.write('held');
process.stdin.once('data', () => { db.exec('commit'); process.exit(0); });`;
    holder = spawn(process.execPath, ['-e', script]);
    await new Promise<void>((resolve) => holder?.stdout.once('data', () => resolve()));
  });
  afterAll(async () => {
    holder?.stdin.write('end\n');
    await app?.close();
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is answered 503 STORE_UNAVAILABLE with Retry-After, and named in words by a command, where the API answered 500 and a command printed "database is locked"', async () => {
    const reply = await app?.inject({ method: 'POST', url: '/api/v1/customers', headers: { 'accept-language': 'zh-CN', 'content-type': 'application/json' }, payload: { customers: [{ id: 'C1' }] } });
    expect(reply?.statusCode).toBe(503);
    expect(reply?.headers['retry-after']).toBe('5');
    const problem = reply?.json() as { code: string; detail: string };
    expect(problem.code).toBe('STORE_UNAVAILABLE');
    expect(problem.detail).toContain('另一个进程');
    const failure = await store?.db
      .transaction()
      .execute(() => Promise.resolve())
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(formatCliError(failure, 'en')).toMatch(/^error STORE_UNAVAILABLE: .*another process .* is writing to the store .*try again shortly$/);
  }, 30_000);
});
