// Work that time itself causes: expired assignments are swept on an interval. Runs inside
// `tagbase serve`; each sweep is one transaction, so a crash loses nothing.
import type { Clock } from '../core/time.js';
import type { Store } from '../store/connect.js';
import { sweepExpiredAssignments } from './tagging.js';

export interface Scheduler {
  /** Runs every due job once, now; resolves when done. */
  tick(): Promise<{ expired: number }>;
  stop(): void;
}

export function startScheduler(store: Store, now: Clock, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Scheduler {
  let running: Promise<{ expired: number }> | undefined;
  const tick = async () => {
    // One tick at a time: a slow sweep is not overlapped by the next interval.
    running ??= sweepExpiredAssignments(store, now().getTime())
      .then((expired) => ({ expired }))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
