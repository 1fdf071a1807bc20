// TAGBASE_HISTORY_MEMORY is a number of customers (50,000 unless set, `off` for none): another
// value stops the server at start, and
// a command, in one line naming the variable (rather than failing the first ingest request); the
// server says at start that it keeps histories, and an import through it stores what it would
// without them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BIN, ENGLISH, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

function startupLines(env: Record<string, string>, database: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('/api/v1/docs\n')) child.kill('SIGTERM');
    });
    child.on('close', () => resolve(stderr));
  });
}

describe('TAGBASE_HISTORY_MEMORY', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-history-memory-'));
  const database = join(dir, 'store.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the server at start, and a command, when it is no number of customers', async () => {
    expect((await tagbaseHere(['migrate', '--database', database], ENGLISH)).code).toBe(0);
    // A server that started anyway is stopped by the timeout, and has no status.
    const served = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { encoding: 'utf8', env: { ...process.env, ...ENGLISH, TAGBASE_HISTORY_MEMORY: 'lots' }, timeout: 30_000 });
    expect([served.status, served.stderr]).toEqual([1, 'error VALIDATION_FAILED: TAGBASE_HISTORY_MEMORY is a number of customers (0 or off for none), not "lots"\n']);
    const imported = await tagbaseHere(['import', 'events', join(dir, 'none.csv'), '--database', database], { ...CHINESE, TAGBASE_HISTORY_MEMORY: '-1' });
    expect([imported.code, imported.stderr]).toEqual([1, '错误 VALIDATION_FAILED：TAGBASE_HISTORY_MEMORY 应为客户数（0 或 off 表示不保留），而不是「-1」\n']);
  });

  it('is said at the server’s start unless off, in the terminal’s language', async () => {
    expect(await startupLines({ ...ENGLISH, TAGBASE_HISTORY_MEMORY: '200000' }, database)).toContain("\n  ingest keeps up to 200,000 customers' event histories in memory (TAGBASE_HISTORY_MEMORY)\n");
    expect(await startupLines({ ...CHINESE, TAGBASE_HISTORY_MEMORY: '5000' }, database)).toContain('\n  写入事件时在内存中保留至多 5,000 位客户的事件历史（TAGBASE_HISTORY_MEMORY）\n');
    expect(await startupLines({ ...ENGLISH, TAGBASE_HISTORY_MEMORY: 'off' }, database)).not.toContain('TAGBASE_HISTORY_MEMORY');
    expect(await startupLines({ ...ENGLISH, TAGBASE_HISTORY_MEMORY: '' }, database)).toContain("\n  ingest keeps up to 50,000 customers' event histories in memory (TAGBASE_HISTORY_MEMORY)\n");
  });

  it('lets an import of events through a command keep histories', async () => {
    const events = join(dir, 'events.csv');
    writeFileSync(events, 'id,customer_id,type,occurred_at,properties.order_id,properties.amount\ne1,C1,order_paid,2026-06-01T10:00:00Z,O1,120\ne2,C1,order_paid,2026-06-02T10:00:00Z,O2,30\n');
    const imported = await tagbaseHere(['import', 'events', events, '--database', database], { ...ENGLISH, TAGBASE_HISTORY_MEMORY: '1000' });
    expect(imported.code, imported.stderr).toBe(0);
    const shown = await tagbaseHere(['customer', 'show', 'C1', '--json', '--database', database], ENGLISH);
    expect(shown.code, shown.stderr).toBe(0);
    const metrics = (JSON.parse(shown.stdout) as { metrics: { key: string; value: unknown }[] }).metrics;
    expect(['orders_total', 'spend_total'].map((key) => metrics.find((metric) => metric.key === key)?.value)).toEqual([2, 150]);
  });
});
