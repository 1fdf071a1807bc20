// TAGBASE_AUDIT_READS and TAGBASE_INDEX_SNAPSHOTS take `on` or `off` (in any case, empty for the
// default); another word stops the server at start, and a command, naming the variable, rather
// than leaving reads unrecorded (`TAGBASE_AUDIT_READS=yes`) or snapshots in use (`=no`) unsaid.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditReadsOn, indexSnapshotsOn } from '../../src/cli/store-options.js';
import { BIN, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const saved = { reads: process.env.TAGBASE_AUDIT_READS, snapshots: process.env.TAGBASE_INDEX_SNAPSHOTS };

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

describe('on/off settings', () => {
  afterEach(() => {
    restore('TAGBASE_AUDIT_READS', saved.reads);
    restore('TAGBASE_INDEX_SNAPSHOTS', saved.snapshots);
  });

  it('read on and off in any case, and empty as the default', () => {
    for (const [value, reads] of [[undefined, false], ['', false], ['on', true], ['ON', true], [' On ', true], ['off', false], ['OFF', false]] as const) {
      restore('TAGBASE_AUDIT_READS', value);
      expect(auditReadsOn(), String(value)).toBe(reads);
    }
    for (const [value, snapshots] of [[undefined, true], ['', true], ['on', true], ['off', false], ['Off', false]] as const) {
      restore('TAGBASE_INDEX_SNAPSHOTS', value);
      expect(indexSnapshotsOn(), String(value)).toBe(snapshots);
    }
  });

  it('refuse another word, naming the variable', () => {
    for (const value of ['yes', 'true', '1', 'of']) {
      process.env.TAGBASE_AUDIT_READS = value;
      expect(() => auditReadsOn()).toThrow(`TAGBASE_AUDIT_READS is "on" or "off", not "${value}"`);
    }
    for (const value of ['no', 'false', '0']) {
      process.env.TAGBASE_INDEX_SNAPSHOTS = value;
      expect(() => indexSnapshotsOn()).toThrow(`TAGBASE_INDEX_SNAPSHOTS is "on" or "off", not "${value}"`);
    }
  });

  it('stop the server at start, and a command that counts, in one line', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-on-off-')), 'store.db');
    expect((await tagbaseHere(['migrate', '--database', database], ENGLISH)).code).toBe(0);
    for (const [name, value] of [['TAGBASE_AUDIT_READS', 'yes'], ['TAGBASE_INDEX_SNAPSHOTS', 'no']] as const) {
      // A server that started anyway is stopped by the timeout, and has no status.
      const served = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { encoding: 'utf8', env: { ...process.env, ...ENGLISH, [name]: value }, timeout: 30_000 });
      expect([served.status, served.stderr]).toEqual([1, `error VALIDATION_FAILED: ${name} is "on" or "off", not "${value}"\n`]);
    }
    const counted = await tagbaseHere(['segment', 'count', 'city = "上海"', '--database', database], { ...ENGLISH, TAGBASE_INDEX_SNAPSHOTS: 'no' });
    expect([counted.code, counted.stderr]).toEqual([1, 'error VALIDATION_FAILED: TAGBASE_INDEX_SNAPSHOTS is "on" or "off", not "no"\n']);
  });
});
