// A command whose store refuses it says why and ends, even when the database server keeps the
// connection open: a PostgreSQL server that asked for a password waits for it until its
// authentication timeout (a minute by default), and the command waited with it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPasswordAskingServer } from '../support/fake-postgres.js';
import { storeKinds } from '../support/stores.js';

const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

describe('tagbase on a store that refuses it', () => {
  it('ends once it has said a password is missing, though the server keeps the connection open', async () => {
    // It asks for a password, as PostgreSQL does, then waits for it with the connection open.
    const server = await startPasswordAskingServer({ hangUp: false });
    const port = server.port;
    try {
      const ended = await new Promise<{ code: number | null; killed: boolean; stderr: string }>((resolve) => {
        // Killed only if it still runs long after it had nothing left to do.
        execFile(process.execPath, [BIN, 'migrate', '--database', `postgres://tagbase@127.0.0.1:${port}/tagbase`], { timeout: 45_000, env: { ...process.env, LANG: 'en_US.UTF-8' } }, (error, _stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, killed: error?.killed === true, stderr });
        });
      });
      expect(ended.killed).toBe(false);
      expect(ended.code).toBe(1);
      expect(ended.stderr).toContain('the server asks for a password and the URL gives none');
    } finally {
      await server.close();
    }
  }, 60_000);

  it.runIf(storeKinds().includes('postgres'))('says in one line, with a code of its own and no stack trace, a role or database PostgreSQL does not have, and a port where none listens', async () => {
    const run = (url: string, lang: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [BIN, 'care', 'plans', '--database', url], { timeout: 45_000, env: { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '' } }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
        });
      });
    const role = new URL(process.env.TAGBASE_TEST_PG_URL ?? '');
    role.username = 't_nobody_at_all';
    const database = new URL(process.env.TAGBASE_TEST_PG_URL ?? '');
    database.pathname = '/t_no_such_database';
    const closed = new URL(process.env.TAGBASE_TEST_PG_URL ?? '');
    closed.port = '5999';
    for (const [url, english, chinese] of [
      [role, `error STORE_REFUSED: The database refused the connection: ${role.toString()}: role "t_nobody_at_all" does not exist: check the user and password the URL gives`, `错误 STORE_REFUSED：数据库拒绝了连接：${role.toString()}：role "t_nobody_at_all" does not exist：请检查地址中的用户名和密码`],
      [database, `error STORE_REFUSED: The database refused the connection: ${database.toString()}: database "t_no_such_database" does not exist: create the database first (create database …), or name one that exists`, `错误 STORE_REFUSED：数据库拒绝了连接：${database.toString()}：database "t_no_such_database" does not exist：请先创建该数据库（create database …），或改用已有的数据库`],
      // The address the driver tried follows, as the system resolved the host.
      [closed, `error STORE_UNAVAILABLE: The database cannot be reached: ${closed.toString()}: connection refused at `, `错误 STORE_UNAVAILABLE：无法连接数据库：${closed.toString()}：连接被拒绝：`],
    ] as const) {
      for (const [lang, line] of [['en_US.UTF-8', english], ['zh_CN.UTF-8', chinese]] as const) {
        const ran = await run(url.toString(), lang);
        expect([ran.code, ran.stdout]).toEqual([1, '']);
        expect(ran.stderr.startsWith(line)).toBe(true);
        if (url === closed) expect(ran.stderr).toMatch(lang.startsWith('en') ? /:5999: is PostgreSQL running there, and on that port\? \(connect ECONNREFUSED \S+:5999\)\n$/ : /:5999 上没有程序在监听，请检查 PostgreSQL 是否在运行、端口是否正确（connect ECONNREFUSED \S+:5999）\n$/);
        // One line: the URL, the server's words and what to do; never a stack trace.
        expect(ran.stderr.split('\n')).toHaveLength(2);
      }
    }
  }, 120_000);
});
