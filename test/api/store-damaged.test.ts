// A SQLite file damaged while the server runs (a disk error, a copy over it): a call that reads
// the damaged pages is answered 500 saying so, without the file's path, which the server's log
// names, as the command line does, with how to restore it.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { openMigratedStore } from '../../src/cli/store-options.js';
import type { Store } from '../../src/store/connect.js';
import { logInto } from './support.js';

describe('a store damaged while the server runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-damaged-api-'));
  const file = join(dir, 'tagbase.db');
  const lines: string[] = [];
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    store = await openMigratedStore(file, { mayCreate: true });
    const stream = logInto(lines);
    app = await buildServer({ store, now: () => new Date('2026-06-15T10:00:00Z'), consoleDir: false, logger: { level: 'error', stream } });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a call that reads the damage 500, saying so, and logs the file and how to restore it', async () => {
    const plan = await app?.inject({ method: 'POST', url: '/api/v1/care/plans', payload: { key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '感谢' }] } });
    expect(plan?.statusCode).toBe(201);
    // Another connection writes and copies the log into the file, so that the server's
    // connection reads the file again rather than the pages it holds; then the care plans' first
    // page is overwritten.
    const other = new Database(file);
    other.prepare('update workspaces set name = name').run();
    other.pragma('wal_checkpoint(TRUNCATE)');
    const { rootpage, pageSize } = other.prepare("select rootpage, (select page_size from pragma_page_size) as pageSize from sqlite_master where name = 'care_plans'").get() as { rootpage: number; pageSize: number };
    other.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xde), 0, 64, (rootpage - 1) * pageSize);
    closeSync(fd);

    const answer = await app?.inject({ method: 'GET', url: '/api/v1/care/plans', headers: { 'accept-language': 'zh-CN' } });
    expect(answer?.statusCode).toBe(500);
    expect(answer?.json()).toMatchObject({ code: 'INTERNAL', detail: '服务器内部出错：数据库在此调用读取的位置已损坏；服务器日志写明了位置和恢复方法' });
    expect(answer?.body).not.toContain(dir);
    const logged = lines.map((line) => JSON.parse(line) as { msg?: string }).find((line) => line.msg?.includes('is damaged'));
    expect(logged?.msg).toBe(`The store at "${file}" is damaged and cannot be read (database disk image is malformed): restore it from a backup (\`tagbase backup\` makes one), or name another store with --database or TAGBASE_DATABASE_URL.`);
  });
});
