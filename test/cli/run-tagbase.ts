// The real `tagbase` binary, run as a user would: the command line's tests start it as a child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

export function tagbase(args: string[], env: Record<string, string> = {}, input?: string | Buffer) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000, ...(input === undefined ? {} : { input }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
