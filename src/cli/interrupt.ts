// What a command that draws a progress bar leaves when it is stopped midway (Ctrl-C, or a
// service manager's SIGTERM): the terminal as it found it. cli-progress hides the cursor while
// it draws, and a process ended by the signal alone left it hidden in the shell afterwards. The
// store needs nothing here: each batch is a transaction, which a process ending midway leaves
// undone, so the command can simply be run again.

const cleanups = new Set<() => void>();

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function interrupted(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // The others still run, and the signal still ends the command.
    }
  }
  cleanups.clear();
  for (const name of SIGNALS) process.off(name, interrupted);
  // Ended by the signal itself, as without this handler, rather than by an exit code: a shell
  // then stops the script or loop the command runs in, as it does for any command stopped so.
  process.kill(process.pid, signal);
}

/**
 * Runs `cleanup` if the command is interrupted before the returned function is called (once the
 * bar is stopped). While any cleanup is pending the signals are the command's to handle; once
 * none is, they end the process as they do by default.
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (cleanups.size === 0) for (const name of SIGNALS) process.on(name, interrupted);
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) for (const name of SIGNALS) process.off(name, interrupted);
  };
}
