// `tagbase serve 2>&1 | head`: once the reader of its output has gone, the server goes on
// answering and still stops cleanly at SIGTERM (it used to retry its log forever, and only
// SIGKILL ended it).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BIN } from './run-tagbase.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

describe('tagbase serve with its output piped to a reader that goes away', () => {
  it('keeps answering and stops at SIGTERM', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-pipe-')), 'store.db');
    const port = await freePort();
    // stdout and stderr on one pipe, as `2>&1 |` gives them.
    const child = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, BIN, 'serve', '--port', String(port), '--database', database], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LANG: 'en_US.UTF-8', LOG_LEVEL: 'info' },
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let running = true;
    void exited.then(() => (running = false));
    // A server that did not stop is not left behind, whatever the outcome.
    onTestFinished(() => {
      if (running) child.kill('SIGKILL');
    });
    {
      // The reader goes away before the server has written a line.
      child.stdout.destroy();
      let up = false;
      for (let attempt = 0; attempt < 300 && running && !up; attempt++) {
        up = await answers(`http://127.0.0.1:${port}/healthz`);
        if (!up) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(up).toBe(true);
      // A request logged to the gone reader, then the stop.
      expect(await answers(`http://127.0.0.1:${port}/api/v1/customers`)).toBe(true);
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after SIGTERM'), 30_000))]);
      expect(stopped).toEqual({ code: 0, signal: null });
    }
  }, 60_000);
});
