// Several processes opening one SQLite file that needs migrations at once (a server starting
// beside a command, two servers after an upgrade): one applies them, the others wait for it and
// find the store up to date, rather than running the same migrations again and failing on a
// table the first had made.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { migrationNames } from '../../src/store/migrations.js';
import { BIN, type CommandResult } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

function tagbaseProcess(args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('migrations of one SQLite file by several processes at once', () => {
  it('are applied by one of them, once, and the others find the store up to date', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-migrate-together-')), 'store.db');
    const results = await Promise.all([1, 2, 3].map(() => tagbaseProcess(['migrate', '--database', database])));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(results.filter((result) => result.stdout.startsWith('applied 0001_initial_schema,'))).toHaveLength(1);
    expect(results.filter((result) => result.stdout.startsWith('schema is up to date'))).toHaveLength(2);
    const store = new Database(database, { readonly: true });
    const applied = (store.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name);
    store.close();
    expect(applied).toEqual(migrationNames());
  });
});
