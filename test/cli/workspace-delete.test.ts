// `tagbase workspace delete` on a workspace whose deletion was stopped midway: it says so, and
// with --yes finishes it, a progress line per tenth on standard error.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagbaseHere } from './run-tagbase.js';
import { runDemo } from '../../src/engine/demo/run-demo.js';
import { deleteWorkspace, workspaceDeletionSettings } from '../../src/engine/workspace-deletion.js';
import { systemClock } from '../../src/core/time.js';
import { openStore } from '../../src/store/connect.js';

describe('tagbase workspace delete', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cli-workspace-delete-')), 'store.db');

  it('finishes a deletion that was stopped midway, showing its progress, and lists the workspace as being deleted until then', async () => {
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    const store = await openStore(database);
    const saved = { ...workspaceDeletionSettings };
    try {
      for (const workspace of ['closing', 'open']) await runDemo(store, { workspace, customers: 10, eventsPerCustomer: 2, seed: 7, now: systemClock });
      workspaceDeletionSettings.batch = 25;
      let reports = 0;
      const stop = () => {
        if (++reports === 3) throw new Error('stopped midway');
      };
      await expect(deleteWorkspace(store, 'closing', systemClock, { actor: 'ops', source: 'cli' }, undefined, stop)).rejects.toThrow('stopped midway');
    } finally {
      Object.assign(workspaceDeletionSettings, saved);
      await store.close();
    }

    const listed = (await tagbaseHere(['workspace', 'list', '--database', database])).stdout.match(/^closing .* being deleted: (\d+) of (\d+) rows gone$/m);
    const [deleted, total] = [Number(listed?.[1]), Number(listed?.[2])];
    expect(deleted).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(deleted);
    expect((await tagbaseHere(['audit', '-w', 'closing', '--database', database])).stderr).toMatch(/^error WORKSPACE_DELETING: Workspace "closing" is being deleted/);
    expect(await tagbaseHere(['workspace', 'delete', 'closing', '--database', database])).toEqual({
      code: 2,
      stdout: '',
      stderr: `workspace "closing" is being deleted (${deleted} of ${total} rows gone) and can no longer be used; run it again with --yes to finish the deletion\n`,
    });

    const done = await tagbaseHere(['workspace', 'delete', 'closing', '--yes', '--database', database]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^deleted workspace "closing": 10 customers, \d+ events and everything else in it\n$/);
    const lines = done.stderr.trim().split('\n');
    expect(lines[0]).toBe(`deleting workspace "closing": ${deleted} of ${total} rows gone`);
    expect(lines.at(-1)).toBe(`deleting workspace "closing": ${total} of ${total} rows gone`);
    expect(lines.length).toBeLessThanOrEqual(11);
    const list = (await tagbaseHere(['workspace', 'list', '--database', database])).stdout;
    expect(list).not.toContain('closing');
    expect(list).toContain('open');
    expect((await tagbaseHere(['audit', '--database', database])).stdout).toContain('ops  cli  deleted a workspace and everything in it  closing (10 customers');
  });
});
