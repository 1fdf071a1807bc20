// A process of this host that has ended: what a server killed mid-work leaves behind as the
// holder of a rule pass or a webhook's claim.
import { spawn } from 'node:child_process';
import { processHolder, type PassHolder } from '../../src/engine/pass-holders.js';

export async function goneProcess(): Promise<PassHolder> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve) => child.once('spawn', resolve));
  const holder = processHolder(child.pid ?? -1);
  child.kill('SIGKILL');
  await exited;
  if (!holder) throw new Error('the child process ended before it could be read');
  return holder;
}
