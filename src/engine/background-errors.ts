// What work the server does in the background (webhook delivery, the scheduler, applying accepted
// event batches) logs of its failures, so that a database out of reach does not flood the log.
import { isStoreDamage } from '../store/connect.js';
import { isStoreUnavailable } from '../store/unavailable.js';

/** How often a background job out of reach of the database says so again while it lasts. */
export const OUTAGE_REPEAT_MS = 60_000;

/**
 * Reports one failure; `message` names what failed where that is more than the job (an accepted
 * event batch by its id), and is used for a failure of its own, not for the database being away.
 */
export type BackgroundErrorReport = (error: unknown, message?: string) => void;

/**
 * What a background job that runs every second or minute (webhook delivery, the scheduler, the
 * event journal) reports of its failures: each failure in full, except the database being out of
 * reach, which is one line when it begins and again each minute it lasts (a stack trace a second
 * filled the log while PostgreSQL restarted), and so is a SQLite file found damaged deeper than
 * the check at startup reads (see assertStoreReadable). The job itself still tries at its own pace.
 */
export function backgroundErrors(log: (error: unknown, message: string) => void, what: string, now: () => number = Date.now): BackgroundErrorReport {
  const quietUntil = { unavailable: -Infinity, damaged: -Infinity };
  return (error, message) => {
    const kind = isStoreUnavailable(error) ? 'unavailable' : isStoreDamage(error) ? 'damaged' : undefined;
    if (kind === undefined) {
      log(error, message ?? what);
      return;
    }
    const at = now();
    if (at < quietUntil[kind]) return;
    quietUntil[kind] = at + OUTAGE_REPEAT_MS;
    const reason = error instanceof Error ? error.message : String(error);
    log(
      undefined,
      kind === 'unavailable'
        ? `${what}: the database cannot be reached (${reason}); trying again, said once a minute while it lasts`
        : `${what}: the store is damaged (${reason}): stop the server and restore it from a backup; said once a minute while it lasts`,
    );
  };
}
