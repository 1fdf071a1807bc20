// A command whose store refuses it says why and ends, even when the database server keeps the
// connection open: a PostgreSQL server that asked for a password waits for it until its
// authentication timeout (a minute by default), and the command waited with it.
import { execFile } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

describe('tagbase on a store that refuses it', () => {
  it('ends once it has said a password is missing, though the server keeps the connection open', async () => {
    const open: Socket[] = [];
    // Enough of the protocol to ask for a SCRAM password, as PostgreSQL does, and then to wait for
    // it with the connection open, as PostgreSQL does until its authentication timeout.
    const server = createServer((socket) => {
      open.push(socket);
      let startup = true;
      socket.on('data', () => {
        if (startup) {
          startup = false;
          const mechanism = Buffer.from('SCRAM-SHA-256\0\0');
          const message = Buffer.alloc(9 + mechanism.length);
          message.write('R', 0);
          message.writeInt32BE(8 + mechanism.length, 1);
          message.writeInt32BE(10, 5);
          mechanism.copy(message, 9);
          socket.write(message);
          return;
        }
        const first = Buffer.from('r=nonce,s=c2FsdA==,i=4096');
        const message = Buffer.alloc(9 + first.length);
        message.write('R', 0);
        message.writeInt32BE(8 + first.length, 1);
        message.writeInt32BE(11, 5);
        first.copy(message, 9);
        socket.write(message);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
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
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
