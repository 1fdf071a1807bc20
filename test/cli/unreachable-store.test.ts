// A command whose store refuses it says why and ends, even when the database server keeps the
// connection open: a PostgreSQL server that asked for a password waits for it until its
// authentication timeout (a minute by default), and the command waited with it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPasswordAskingServer } from '../support/fake-postgres.js';

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
});
