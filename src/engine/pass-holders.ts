// Who holds a pass over everyone (`rule_passes.token`): the run's own id, then the process that
// runs it — its host name, its process id and when it started. A server killed with SIGKILL
// cannot mark its passes ownerless, and without this a restarted server waited out the lease (five
// minutes) before finishing them; a holder that provably no longer runs is taken over at once.
// "Provably" is narrow on purpose: the same host, the same boot and process namespace (two
// containers of one name each count from pid 1), and the process either gone or another one
// that started at a different moment under its id. Anything else — another host, a holder
// written before this existed, a system without /proc to tell the start time — waits the lease.
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** A process that may hold a pass. */
export interface PassHolder {
  host: string;
  pid: number;
  /**
   * When the process started, as `boot id.pid namespace.clock ticks since boot` from /proc;
   * undefined where there is none to read (not Linux).
   */
  birth: string | undefined;
}

/** The process `pid` as seen from here: its birth when /proc tells it, undefined when it runs no more (or cannot be read at all). */
export function processHolder(pid: number): PassHolder | undefined {
  if (!isRunning(pid)) return undefined;
  return { host: hostname(), pid, birth: processBirth(pid) };
}

let thisProcess: PassHolder | undefined;

/** This process, read once. */
export function currentHolder(): PassHolder {
  thisProcess ??= { host: hostname(), pid: process.pid, birth: processBirth(process.pid) };
  return thisProcess;
}

/** A fresh token for a run held by `holder` (this process unless told). */
export function holderToken(holder: PassHolder = currentHolder()): string {
  return [randomUUID(), holder.host, String(holder.pid), holder.birth ?? '-'].join(' ');
}

/** The holder a token names; undefined for a token without one (a run recorded before holders were, a migration's). */
export function tokenHolder(token: string): PassHolder | undefined {
  const [id, host, pid, birth, ...rest] = token.split(' ');
  if (id === undefined || !host || pid === undefined || !/^\d+$/.test(pid) || birth === undefined || rest.length > 0) return undefined;
  return { host, pid: Number(pid), birth: birth === '-' ? undefined : birth };
}

/**
 * Whether the process holding the run `token` names is known to be gone: on this host, and
 * either no process has its id or the one that has it started at another moment (its id was
 * reused). False whenever that cannot be told from here.
 */
export function holderGone(token: string): boolean {
  const holder = tokenHolder(token);
  const here = currentHolder();
  if (!holder || holder.host !== here.host) return false;
  if (holder.birth !== undefined && here.birth !== undefined && bootAndNamespace(holder.birth) !== bootAndNamespace(here.birth)) return false;
  if (!isRunning(holder.pid)) return true;
  if (holder.birth === undefined) return false;
  const birth = processBirth(holder.pid);
  return birth !== undefined && birth !== holder.birth;
}

function bootAndNamespace(birth: string): string {
  return birth.slice(0, birth.lastIndexOf('.'));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The boot, pid namespace and start of process `pid` (Linux); undefined when any cannot be read. */
function processBirth(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // `pid:[4026531836]`
    const namespace = /\[(\d+)\]/.exec(readlinkSync(`/proc/${String(pid)}/ns/pid`))?.[1];
    // The command name, in parentheses, may hold spaces and parentheses: the fields after the last one.
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!boot || !namespace || !ticks || !/^\d+$/.test(ticks)) return undefined;
    return `${boot}.${namespace}.${ticks}`;
  } catch {
    return undefined;
  }
}
