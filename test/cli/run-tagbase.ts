// The `tagbase` command, two ways. `tagbase` runs the real binary as a child process, as a user
// runs it: for what only a process shows (its start, signals, pipes, standard input, the compiled
// build). `tagbaseHere` runs the same `main` the binary calls, in the test's own process, with its
// output, exit status and environment captured: for the many checks of what a command answers,
// which would otherwise each pay a process's start and the loading of the sources (most of a run).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { Console } from 'node:console';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { TagInput } from '../../src/core/tag.js';
import { createTag } from '../../src/engine/library.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { openStore } from '../../src/store/connect.js';

export const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

/** A locale that makes the commands speak English, whatever the machine's. */
export const ENGLISH = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tagbase(args: string[], env: Record<string, string> = {}, input?: string | Buffer): CommandResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000, ...(input === undefined ? {} : { input }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The address a `tagbase serve` child says it listens on; fails, with what it wrote, if it exits first. */
export function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${seen}`)));
  });
}

/** What `process.exit` does inside `tagbaseHere`: ends the command there, as it would end the process. */
class CommandExited extends Error {
  constructor(readonly code: number) {
    super(`the command exited with status ${code}`);
  }
}

type WriteCallback = (error?: Error | null) => void;

/**
 * Runs `tagbase ARGS` in this process, with `env` added to the environment for its run. Writes
 * after an exit are dropped, as a process that has exited writes nothing more. A command that
 * reads standard input (`-` as a file) needs `tagbase`: this process's input is not the command's.
 */
export async function tagbaseHere(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  if (args.includes('-')) throw new Error('a command reading standard input runs as a process: use tagbase()');
  const output = { stdout: '', stderr: '' };
  let exited: number | undefined;
  const capture = (into: 'stdout' | 'stderr') =>
    function write(chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
      if (exited === undefined) output[into] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      done?.();
      return true;
    };
  const streams = {
    stdout: new Writable({ write: (chunk: Buffer, _encoding, done) => done(void capture('stdout')(chunk)) }),
    stderr: new Writable({ write: (chunk: Buffer, _encoding, done) => done(void capture('stderr')(chunk)) }),
  };
  const saved = {
    console: globalThis.console,
    stdoutWrite: process.stdout.write.bind(process.stdout),
    stderrWrite: process.stderr.write.bind(process.stderr),
    exit: process.exit.bind(process),
    stdoutListeners: process.stdout.listeners('error'),
    stderrListeners: process.stderr.listeners('error'),
    env: Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]])),
  };
  globalThis.console = new Console({ stdout: streams.stdout, stderr: streams.stderr });
  process.stdout.write = capture('stdout') as typeof process.stdout.write;
  process.stderr.write = capture('stderr') as typeof process.stderr.write;
  process.exit = ((code?: number | string | null) => {
    exited ??= Number(code ?? process.exitCode ?? 0);
    throw new CommandExited(exited);
  }) as typeof process.exit;
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    await main([process.execPath, BIN, ...args]);
  } catch (error) {
    if (!(error instanceof CommandExited)) throw error;
  } finally {
    globalThis.console = saved.console;
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    process.exit = saved.exit;
    // main() listens for its output's errors on every run; one process runs it once.
    for (const [stream, kept] of [[process.stdout, saved.stdoutListeners], [process.stderr, saved.stderrListeners]] as const) {
      for (const listener of stream.listeners('error')) if (!kept.includes(listener)) stream.off('error', listener as (error: Error) => void);
    }
    for (const [name, value] of Object.entries(saved.env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const code = exited ?? Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, ...output };
}

/**
 * Defines a tag in the default workspace of the SQLite file `database`: the command line has no
 * command that makes one (tags come from the console, the API or a template).
 */
export async function createTagIn(database: string, input: TagInput): Promise<void> {
  const store = await openStore(database);
  try {
    await createTag(await openWorkspace(store, 'default', 'cli', () => new Date()), input);
  } finally {
    await store.close();
  }
}
