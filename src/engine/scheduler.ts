// Runs what time makes due, inside `tagbase serve`: a few seconds after the server has started
// (`firstTickMs`), then every minute, accepted event batches still pending
// (src/engine/event-journal.ts), each workspace's expired assignments, moved metric windows,
// rule passes cut short by a crash, care reminders and, once a day, the sizes of its saved
// segments; every hour, the rules that read the clock. Each step is its own transaction,
// so a crash loses nothing and the next tick finishes the work. A workspace being loaded (the
// demo store), by this process or another on the store, is left out until it is loaded.
import { isTagbaseError } from '../core/errors.js';
import type { Clock } from '../core/time.js';
import type { Store } from '../store/connect.js';
import { CHANGE_LOG_RETENTION_MS, type ChangeObserver, type RuleCandidateFinder, type WorkspaceContext } from './context.js';
import { tickWorkspace, type TickReport } from './maintenance.js';
import { sweepExpiredAssignments } from './tagging.js';
import { refreshStaleModels } from './models.js';
import { runCare, type CareReport } from './care.js';
import { recordSegmentSizes } from './segment-sizes.js';
import { expiredBy } from '../store/still-held.js';
import { isLoading } from './workspaces-loading.js';
import type { Audience } from './segments.js';
import { applyJournal, purgeJournal } from './event-journal.js';
import { workspaceGone, workspaceGoneLine } from './workspace-gone.js';

const MODEL_THRESHOLD_MAX_AGE_MS = 24 * 3_600_000;

/** What a tick did in one workspace: the maintenance, the care round, and the segment sizes recorded. */
export interface WorkspaceTickReport extends TickReport {
  care: CareReport;
  segmentSizes: number;
}

export interface Scheduler {
  /** Runs every due job once, now; resolves when done. */
  tick(options?: { clockRules?: boolean }): Promise<WorkspaceTickReport[]>;
  /**
   * Runs no more ticks; a tick under way finishes the workspace it is in and skips the others.
   * Resolves once it has, so the store can be closed under nothing.
   */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  intervalMs?: number;
  /**
   * Runs the first tick this long after `startAfter` settles, rather than one interval after the
   * start (the default); the ticks after it come every interval. Never later than one interval
   * after the start either: startup work that takes longer does not hold back what is due.
   */
  firstTickMs?: number;
  /** Startup work the first tick waits for (the server listening, its indexes built); settled either way. */
  startAfter?: Promise<unknown>;
  clockRuleIntervalMs?: number;
  observer?: ChangeObserver;
  ruleCandidates?: RuleCandidateFinder;
  /** Told of a failure; `message`, when given, names what failed (an accepted event batch by its id). */
  onError?: (error: unknown, message?: string) => void;
  /** Told, in a line, of a workspace deleted while its round ran: its round ends there, with no failure. */
  onInfo?: (message: string) => void;
  /** Told after each batch of a rule pass the tick finishes (see `WorkspaceContext`). */
  rulePassProgress?: WorkspaceContext['rulePassProgress'];
  /** Counts saved segments for their daily sizes; without one, no sizes are recorded. */
  audience?: Audience;
  /**
   * Looks this often, between the rounds, for assignments that have just expired, and takes them
   * off: a count, a portrait or a rule then reads them gone within this, not within a round. Off
   * when not given (`tagbase serve` looks every second).
   */
  expiryCheckMs?: number;
}

/** A workspace's round that failed, naming the workspace; the error itself is its cause. */
export class WorkspaceTickError extends Error {
  constructor(
    readonly workspace: string,
    cause: unknown,
  ) {
    super(`workspace "${workspace}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'WorkspaceTickError';
  }
}

/**
 * How long a round gives a workspace's older customers their name search keys: a million of them
 * take ~33 s on SQLite, so a store upgraded at millions is keyed over a few minutes of rounds
 * rather than holding one round (its care reminders, the other workspaces, a shutdown) for them.
 */
export const NAME_KEYS_BUDGET_MS = 5_000;

export function startScheduler(store: Store, now: Clock, options: SchedulerOptions = {}): Scheduler {
  let running: Promise<WorkspaceTickReport[]> | undefined;
  let stopped = false;
  let lastClockRun = -Infinity;
  const clockEvery = options.clockRuleIntervalMs ?? 3_600_000;
  // A workspace being deleted has no rounds: its deletion takes its rows away batch by batch.
  const listWorkspaces = () => store.db.selectFrom('workspaces').select(['id', 'key', 'loading_until']).where('deleting', 'is', null).orderBy('id').execute();
  const contextOf = (workspace: { id: number; key: string }): WorkspaceContext => ({ store, workspaceId: workspace.id, workspaceKey: workspace.key, actor: null, now, observer: options.observer, ruleCandidates: options.ruleCandidates, rulePassProgress: options.rulePassProgress });
  const tick = async (request: { clockRules?: boolean } = {}) => {
    if (stopped) return [];
    // One tick at a time: a slow tick is not overlapped by the next interval.
    running ??= (async () => {
      const clockRules = request.clockRules ?? now().getTime() - lastClockRun >= clockEvery;
      if (clockRules) lastClockRun = now().getTime();
      const workspaces = await listWorkspaces();
      // Batches accepted by another process, or left pending by a crash or a failure now due again.
      await applyJournal({ store, now, observer: options.observer, ruleCandidates: options.ruleCandidates, onError: options.onError });
      await purgeJournal(store, now().getTime());
      const reports: WorkspaceTickReport[] = [];
      // One workspace's failure (a bad row, a bug its data meets) is not every other's: they all
      // take their round, and the first failure is raised after them.
      const failures: unknown[] = [];
      for (const workspace of workspaces) {
        if (stopped) break;
        if (isLoading(workspace.loading_until)) continue;
        const context = contextOf(workspace);
        try {
          const report = await tickWorkspace(context, { clockRules, nameKeysBudgetMs: NAME_KEYS_BUDGET_MS });
          // Thresholds describe the whole customer base and may be a day old; the levels still move in real time.
          if (clockRules) await refreshStaleModels(context, MODEL_THRESHOLD_MAX_AGE_MS);
          // After the tick, so that reminders falling due read the tags and metrics time has just moved.
          const care = await runCare(context);
          const segmentSizes = options.audience ? await recordSegmentSizes(context, options.audience) : 0;
          reports.push({ ...report, care, segmentSizes });
        } catch (error) {
          // Deleted while its round ran (by a request to this server or another process): nothing is left to do.
          if (await workspaceGone(store, workspace.id)) {
            options.onInfo?.(workspaceGoneLine(workspace.key, 'round'));
            continue;
          }
          // An error of ours already says what went wrong in words (the store out of reach, say).
          failures.push(isTagbaseError(error) ? error : new WorkspaceTickError(workspace.key, error));
        }
      }
      // Readers that fell further behind than this rebuild from the store instead (see the index registry).
      await store.db.deleteFrom('changes').where('at', '<', Date.now() - CHANGE_LOG_RETENTION_MS).execute();
      for (const failure of failures.slice(1)) options.onError?.(failure);
      if (failures.length > 0) throw failures[0];
      return reports;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const every = options.intervalMs ?? 60_000;
  const tickInBackground = () => {
    tick().catch((error: unknown) => options.onError?.(error));
  };
  let timer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;
  // Whichever comes first of the two starts the ticks; the other then does nothing.
  const begin = () => {
    if (stopped || timer) return;
    clearTimeout(latest);
    clearTimeout(soon);
    timer = setInterval(tickInBackground, every);
    timer.unref();
    tickInBackground();
  };
  const latest = setTimeout(begin, every);
  latest.unref();
  const firstTickMs = options.firstTickMs;
  if (firstTickMs !== undefined) {
    void Promise.resolve(options.startAfter)
      .catch(() => undefined)
      .then(() => {
        if (stopped || timer) return;
        soon = setTimeout(begin, firstTickMs);
        soon.unref();
      });
  }
  // Between the rounds, the assignments expired since: one indexed look per workspace, a sweep only where some are due.
  let sweeping: Promise<void> | undefined;
  const sweepExpired = async () => {
    const at = now().getTime();
    const workspaces = await listWorkspaces();
    for (const workspace of workspaces) {
      if (stopped || running) return;
      if (isLoading(workspace.loading_until)) continue;
      const due = await store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', workspace.id).where(expiredBy(at)).limit(1).executeTakeFirst();
      if (!due) continue;
      try {
        await sweepExpiredAssignments(contextOf(workspace));
      } catch (error) {
        if (!(await workspaceGone(store, workspace.id))) throw error;
        options.onInfo?.(workspaceGoneLine(workspace.key, 'expiry check'));
      }
    }
  };
  const expiryChecks =
    options.expiryCheckMs === undefined
      ? undefined
      : setInterval(() => {
          // A round under way sweeps them itself.
          if (stopped || running || sweeping) return;
          sweeping = sweepExpired()
            .catch((error: unknown) => options.onError?.(error))
            .finally(() => {
              sweeping = undefined;
            });
        }, options.expiryCheckMs);
  expiryChecks?.unref();
  const stop = async () => {
    stopped = true;
    clearTimeout(latest);
    clearTimeout(soon);
    clearInterval(timer);
    clearInterval(expiryChecks);
    // Its failure was told to onError already.
    await running?.catch(() => undefined);
    await sweeping;
  };
  return { tick, stop };
}
