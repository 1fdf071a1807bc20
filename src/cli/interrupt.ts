// What a command that draws a progress bar leaves when it is stopped midway (Ctrl-C, or a
// service manager's SIGTERM): the terminal as it found it. cli-progress hides the cursor while
// it draws, and a process ended by the signal alone left it hidden in the shell afterwards. The
// store needs nothing here: each batch is a transaction, which a process ending midway leaves
// undone, so the command can simply be run again. A command whose work must be put right before
// it ends (`tagbase store copy`, which empties what it wrote) holds the signal instead.
import { constants } from 'node:os';

const cleanups = new Set<() => void>();
let holder: ((signal: NodeJS.Signals) => void) | undefined;
let listening = false;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The signals are the command's to handle while a cleanup or a holder is pending; once none is, they end the process as they do by default. */
function listen(): void {
  const wanted = cleanups.size > 0 || holder !== undefined;
  if (wanted === listening) return;
  for (const name of SIGNALS) {
    if (wanted) process.on(name, interrupted);
    else process.off(name, interrupted);
  }
  listening = wanted;
}

function interrupted(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // The others still run, and the signal still ends the command.
    }
  }
  cleanups.clear();
  const holding = holder;
  holder = undefined;
  // A second signal, while a holder puts its work right, ends the process at once.
  listen();
  if (holding === undefined) endBySignal(signal);
  else holding(signal);
}

/**
 * Ends the process by `signal` itself, as without a handler, rather than by an exit code: a
 * shell then stops the script or loop the command runs in, as it does for any command stopped
 * so, and says 130 (SIGINT) or 143 (SIGTERM). Should the signal not end it (one the process
 * was started ignoring), it exits with that code.
 */
export function endBySignal(signal: NodeJS.Signals): never {
  process.kill(process.pid, signal);
  process.exit(128 + constants.signals[signal]);
}

/**
 * Runs `cleanup` if the command is interrupted before the returned function is called (once the
 * bar is stopped).
 */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  listen();
  return () => {
    if (cleanups.delete(cleanup)) listen();
  };
}

/**
 * Hands the first SIGINT or SIGTERM to `stop` (after the cleanups) until the returned function
 * is called, instead of ending the process: the command stops its work where it stands, puts it
 * right, and ends by `endBySignal`. A second signal ends the process at once.
 */
export function holdInterrupt(stop: (signal: NodeJS.Signals) => void): () => void {
  holder = stop;
  listen();
  return () => {
    if (holder === stop) holder = undefined;
    listen();
  };
}
