// `tagbase serve`: migrate, then answer HTTP (the API and the web console) until stopped.
import { readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Locale } from '../core/locale.js';
import { agreeing } from '../core/message-template.js';
import { systemClock } from '../core/time.js';
import { buildServer } from '../api/server.js';
import { CONSOLE_DIR, consoleBuildFailed, consoleBuilt } from '../api/static.js';
import { historyMemorySetting } from '../engine/history-memory.js';
import { startScheduler } from '../engine/scheduler.js';
import { backgroundErrors } from '../engine/background-errors.js';
import { applyJournal, stopJournal } from '../engine/event-journal.js';
import { followStore, type StoreFollower } from '../index/follow.js';
import { IndexRegistry } from '../index/registry.js';
import { indexAudience } from '../index/audience.js';
import { indexRuleCandidates } from '../index/rule-candidates.js';
import type { SavedSnapshot } from '../index/snapshot.js';
import type { WorkspaceIndexStats } from '../index/workspace-index.js';
import type { Store } from '../store/connect.js';
import { cliMessages, type Say } from './messages.js';
import { corsOriginsSetting } from './cors-setting.js';
import { auditReadsOn, indexSnapshotsOn, openMigratedStore } from './store-options.js';
import { startWebhookDelivery } from '../engine/webhooks.js';
import { AccessTokenDirectory } from '../engine/access-tokens.js';
import { resumeWorkspaceDeletions } from '../engine/workspace-deletion.js';

export interface ServeOptions {
  port?: string | undefined;
  host?: string | undefined;
  database?: string | undefined;
  /** `--cors-origins`: the web pages of other origins that may call the API; TAGBASE_CORS_ORIGINS when not given. */
  corsOrigins?: string | undefined;
  quiet?: boolean | undefined;
  /** The language of the startup lines; the locale settings' when not given. The request log stays English. */
  locale?: Locale | undefined;
}

export async function serve(options: ServeOptions): Promise<void> {
  const say = cliMessages(options.locale);
  const port = listenPort(options.port, process.env.PORT, say);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const logLevel = process.env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(say('invalid.logLevel', { level: logLevel }));
  // Read before the store opens, so that a word these settings do not take stops the start there.
  const snapshots = indexSnapshotsOn();
  const auditPersonalReads = auditReadsOn();
  const corsOrigins = corsOriginsSetting(options.corsOrigins, process.env.TAGBASE_CORS_ORIGINS, say);
  // Until the server's log exists, a connection PostgreSQL ends goes unmentioned: the pool opens another.
  let connectionLost = (_error: Error): void => {};
  // A store made now is said once at startup: a mistyped path is then seen for the new, empty store it made.
  let created: string | undefined;
  const store = await openMigratedStore(options.database, {
    mayCreate: true,
    onConnectionLost: (error) => connectionLost(error),
    onCreated: (path, fromEnvironment) => (created = say(fromEnvironment ? 'serve.createdStoreFromVariable' : 'serve.createdStore', { path })),
  });
  const workspaceKeys = new WorkspaceKeys(store);
  const index = new IndexRegistry(store, { snapshots, onSnapshotRejected: (workspaceId, reason) => void workspaceKeys.keyOf(workspaceId).then((key) => app.log.info(snapshotRejectedLine(key, reason))) });
  const app = await buildServer({ store, now: systemClock, index, auditPersonalReads, corsOrigins, logger: options.quiet ? false : { level: logLevel, stream: logDestination() } });
  connectionLost = (error) => app.log.warn({ err: error }, 'PostgreSQL ended a connection; the next query opens another');
  // Settled once the server listens, the accepted events below are applied and the indexes are
  // built: the scheduler's first round waits for the startup work rather than competing with it.
  let startedUp = (): void => {};
  const startupDone = new Promise<void>((resolve) => (startedUp = resolve));
  const scheduler = startScheduler(store, systemClock, {
    firstTickMs: FIRST_TICK_MS,
    startAfter: startupDone,
    observer: index,
    ruleCandidates: indexRuleCandidates(index),
    audience: indexAudience(index),
    expiryCheckMs: EXPIRY_CHECK_MS,
    onError: backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'scheduled job failed'),
    onInfo: (message) => app.log.info(message),
  });
  const webhooks = startWebhookDelivery(store, { audience: indexAudience(index), onError: backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'delivering webhooks failed') });
  const logSnapshots = (saving: Promise<Map<number, SavedSnapshot>>) =>
    saving.then(
      async (saved) => {
        for (const [workspaceId, result] of saved) app.log.info(snapshotLine(await workspaceKeys.keyOf(workspaceId), result));
      },
      (error: unknown) => app.log.error({ err: error }, 'saving an index snapshot failed'),
    );
  // A restart then starts from a recent snapshot and only a short stretch of the change log.
  const snapshotTimer = snapshots ? setInterval(() => void logSnapshots(index.saveSnapshots()), SNAPSHOT_INTERVAL_MS).unref() : undefined;
  // Once the startup's builds are done, the indexes follow what other processes write in the
  // background, so a count after an import beside the server does not wait for the catch-up.
  let follower: StoreFollower | undefined;
  let shuttingDown = false;
  const followErrors = backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'catching the index up with the store failed');
  const startFollowing = () => {
    if (shuttingDown) return;
    follower = followStore(index, store, {
      intervalMs: FOLLOW_INTERVAL_MS,
      onBuilt: (workspaceId, stats) => void workspaceKeys.keyOf(workspaceId).then((key) => app.log.info(indexLine(key, stats))),
      onError: (error) => followErrors(error),
    });
  };
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    shuttingDown = true;
    clearInterval(snapshotTimer);
    // The background work ends where it stands (a scheduler round after its workspace, webhook
    // posts once recorded, accepted events after the group being written) before the store
    // closes, rather than failing under it; accepted batches not reached are applied at the next start.
    await Promise.all([scheduler.stop(), webhooks.stop(), stopJournal(store), follower?.stop()]);
    await app.close();
    await logSnapshots(index.saveSnapshots());
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (error) {
    // Nothing is left running (the pool's connections would keep the process alive), and the reason is said in words.
    shuttingDown = true;
    await Promise.all([scheduler.stop(), webhooks.stop(), stopJournal(store)]);
    clearInterval(snapshotTimer);
    await app.close();
    await store.close();
    throw listenProblem(error, host, port, say);
  }
  const startup = [
    say('serve.listening', { address, dialect: store.dialect, location: store.location }),
    ...(created === undefined ? [] : [created]),
    say('serve.console', { address }),
    say('serve.apiDocs', { address }),
  ];
  const heldHistories = historyMemorySetting(process.env.TAGBASE_HISTORY_MEMORY);
  if (heldHistories > 0) startup.push(say('serve.heldHistories', { customers: heldHistories.toLocaleString('en') }));
  if (!isLoopback(host) && !(await new AccessTokenDirectory(store).required())) startup.push(say('serve.openOnNetwork', { host }));
  process.stderr.write(`${startup.join('\n')}\n`);
  if (consoleOutdated()) {
    const why = consoleBuilt() ? say('serve.consoleStale') : say('serve.consoleMissing');
    process.stderr.write(`${say('serve.buildingConsole', { why })}\n`);
    buildConsole().catch((error: unknown) => app.log.error({ err: error }, 'building the web console failed'));
  }
  // Event batches accepted before a crash or a stop are applied at once rather than at the first
  // tick, once the server listens: it answers (health checks, the journal's backlog) meanwhile.
  const journalErrors = backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'applying accepted events failed');
  const journalApplied = applyJournal({ store, now: systemClock, observer: index, ruleCandidates: indexRuleCandidates(index), onError: journalErrors }).catch((error: unknown) => journalErrors(error));
  const indexesWarmed = warmIndexes(store, index, workspaceKeys, (line) => app.log.info(line)).catch((error: unknown) => app.log.error({ err: error }, 'building the index failed'));
  void Promise.all([journalApplied, indexesWarmed]).then(startedUp);
  void startupDone.then(startFollowing);
  // Deletions a crash or a stop left midway are finished once the server is up; their workspaces
  // answer WORKSPACE_DELETING meanwhile.
  void startupDone
    .then(() =>
      resumeWorkspaceDeletions(store, systemClock, {
        forget: (workspaceId) => index.evict(workspaceId),
        onError: (key, error) => app.log.error({ err: error }, `finishing the deletion of workspace ${key} failed`),
      }),
    )
    .then((done) => done.forEach((deleted) => app.log.info(`finished deleting workspace ${deleted.workspace}`)))
    .catch((error: unknown) => app.log.error({ err: error }, 'finishing workspace deletions failed'));
}

/**
 * The scheduler's first round comes this long after the startup work, not a minute after every
 * start: care reminders, expiry and passes a crash cut short wait seconds after a restart, and
 * the console opened at once has its first pages answered before the round takes the store.
 */
const FIRST_TICK_MS = 5_000;

/** How soon an expired assignment is taken off between the scheduler's rounds (see `expiryCheckMs`). */
const EXPIRY_CHECK_MS = 1_000;

/**
 * Where the request log goes: written to stdout at once, line by line. pino's own destination
 * buffers and, when the process exits, flushes what it holds in a loop that retries a write to
 * a pipe whose reader has gone (`tagbase serve 2>&1 | head`) forever, so that SIGTERM left the
 * server answering and only SIGKILL ended it. Here the log is dropped once its reader is gone
 * and the server goes on until it is stopped; nothing is left to flush at exit.
 */
export function logDestination(fd = 1): { write(line: string): void } {
  let gone = false;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return {
    write(line) {
      let rest = Buffer.from(line);
      while (!gone && rest.length > 0) {
        try {
          rest = rest.subarray(writeSync(fd, rest));
        } catch (error) {
          // A full pipe its reader will empty: wait a moment. Anything else (EPIPE, a closed descriptor) ends the log.
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') Atomics.wait(pause, 0, 0, 10);
          else gone = true;
        }
      }
    },
  };
}

/**
 * The port to listen on: `--port`, else `PORT`, else 8080. An empty or blank `PORT=` (a unit's
 * `Environment=PORT=`, a compose file's unset `${PORT}`) is unset: read as a number it was 0, a
 * port of the system's choosing that no health check would know. What is no port is refused,
 * naming where it came from.
 */
export function listenPort(option: string | undefined, variable: string | undefined, say: Say): number {
  const given = option ?? (variable?.trim() ? variable : undefined);
  if (given === undefined) return 8080;
  const port = /^\s*\d{1,5}\s*$/.test(given) ? Number(given) : Number.NaN;
  if (!(port <= 65_535)) throw new Error(say('invalid.port', { setting: option === undefined ? 'PORT' : '--port', port: given }));
  return port;
}

/** pino's levels, which LOG_LEVEL names. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Why the server could not listen, in words, where Node said `listen EADDRINUSE: address already in use`. */
function listenProblem(error: unknown, host: string, port: number, say: ReturnType<typeof cliMessages>): unknown {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  const reason = message ?? String(error);
  if (code === 'EADDRINUSE') return new Error(say('serve.portInUse', { host, port: String(port) }));
  if (code === 'EACCES' || code === 'EPERM') return new Error(say('serve.portRefused', { host, port: String(port), reason }));
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN') return new Error(say('serve.hostUnknown', { host, reason }));
  return error;
}

/** Whether only this machine can reach `host`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** How often the indexes look for changes other processes made (`followStore`): one indexed lookup per workspace. */
const FOLLOW_INTERVAL_MS = 2_000;

/** Index snapshots are saved this often, when the index changed since the last one (and at a clean shutdown). */
const SNAPSHOT_INTERVAL_MS = 10 * 60_000;

/** A count and its word in the server log, which is in English: `1 part`, `12,345 customers`. */
function counted(count: number, one: string, other: string): string {
  return `${count.toLocaleString('en')} ${agreeing(count, one, other)}`;
}

export function snapshotLine(workspaceKey: string, saved: SavedSnapshot): string {
  return `index snapshot of workspace "${workspaceKey}": ${(saved.bytes / 1_048_576).toFixed(1)} MiB in ${counted(saved.parts, 'part', 'parts')}, encoded in ${Math.round(saved.encodeMs)} ms, written in ${Math.round(saved.writeMs)} ms`;
}

export function snapshotRejectedLine(workspaceKey: string, reason: string): string {
  return `index of workspace "${workspaceKey}": building from the store (${reason})`;
}

/**
 * Workspaces' keys by id: the server's log names a workspace by its key, as the console and the
 * commands do, where the index knows it by id. Those warmed at the start are told; one made
 * since is looked up once; one gone meanwhile is named by its id (`#7`).
 */
export class WorkspaceKeys {
  private readonly keys = new Map<number, string>();

  constructor(private readonly store: Store) {}

  remember(workspaceId: number, key: string): void {
    this.keys.set(workspaceId, key);
  }

  async keyOf(workspaceId: number): Promise<string> {
    const known = this.keys.get(workspaceId);
    if (known !== undefined) return known;
    const row = await this.store.db.selectFrom('workspaces').select('key').where('id', '=', workspaceId).executeTakeFirst().catch(() => undefined);
    if (row === undefined) return `#${workspaceId}`;
    this.keys.set(workspaceId, row.key);
    return row.key;
  }
}

export function indexLine(workspaceKey: string, stats: Omit<WorkspaceIndexStats, 'workspaceId'>): string {
  const how = stats.origin === 'snapshot' ? 'loaded from its snapshot' : 'built';
  return `index of workspace "${workspaceKey}": ${counted(stats.customers, 'customer', 'customers')}, ${counted(stats.bitmaps, 'bitmap', 'bitmaps')}, ${(stats.bytes / 1_048_576).toFixed(1)} MiB, ${how} in ${Math.round(stats.buildMs)} ms`;
}

/**
 * Builds every workspace's index after the server answers, so the first count is fast too:
 * from its snapshot when there is a usable one, otherwise from the store, and then a snapshot
 * is saved at once so the next start need not build again.
 */
async function warmIndexes(store: Store, index: IndexRegistry, keys: WorkspaceKeys, log: (line: string) => void): Promise<void> {
  const workspaces = await store.db.selectFrom('workspaces').select(['id', 'key']).where('deleting', 'is', null).orderBy('id').execute();
  // Known before any is built: a snapshot turned down is said before the build it leads to.
  for (const workspace of workspaces) keys.remember(workspace.id, workspace.key);
  for (const workspace of workspaces) {
    const context = { store, workspaceId: workspace.id };
    const stats = (await index.get(context)).stats();
    log(indexLine(workspace.key, stats));
    if (stats.origin === 'build') {
      // A failed snapshot costs the next start a build, nothing more: the other workspaces still warm.
      const saved = await index.saveSnapshot(context).catch((error: unknown) => log(`saving the index snapshot of workspace "${workspace.key}" failed: ${error instanceof Error ? error.message : String(error)}`));
      if (saved) log(snapshotLine(workspace.key, saved));
    }
  }
}

/**
 * Whether the console in `outDir` is missing or older than its sources, so that a checkout
 * updated with new console code does not keep serving the console it built before.
 */
export function consoleOutdated(outDir: string = CONSOLE_DIR): boolean {
  if (!consoleBuilt(outDir) || builtFor(outDir) !== 'production') return true;
  const builtAt = statSync(join(outDir, 'index.html')).mtimeMs;
  const webDir = dirname(outDir);
  // The console also bundles the pure rules it shares with the server from src/core.
  const sources = [join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), ...filesUnder(join(webDir, 'src')), ...filesUnder(join(dirname(webDir), 'src', 'core'))];
  return sources.some((file) => modifiedAt(file) > builtAt);
}

/** Written beside a built console (web/vite.config.ts): what `process.env.NODE_ENV` its bundle was built for. */
const BUILD_MODE_FILE = '.build-mode';

function builtFor(outDir: string): string | undefined {
  try {
    return readFileSync(join(outDir, BUILD_MODE_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    // An installed copy may carry only the built console.
    return [];
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds the web console with Vite into `outDir`. Vite is loaded only here, so serving a built
 * console never loads it. The build goes to a fresh directory that is swapped into place, so
 * a server never sees half a console, and of two processes building at once the second finds
 * the first's console fresh and keeps it.
 */
export async function buildConsole(outDir: string = CONSOLE_DIR): Promise<void> {
  // Until it is built a page of the console says it is being built, or, once this failed, that
  // it failed and why, rather than that it is coming forever.
  consoleBuildFailed(outDir, undefined);
  try {
    await buildConsoleInto(outDir);
  } catch (error) {
    consoleBuildFailed(outDir, error ?? 'unknown error');
    throw error;
  }
}

async function buildConsoleInto(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const webDir = dirname(outDir);
  const staging = join(webDir, '.staging', `${process.pid}-${Date.now()}`);
  const previous = `${staging}-previous`;
  // Vite builds for whatever NODE_ENV the process was started with (`test` under Vitest,
  // `development` in some shells), and React and antd then ship their development builds: several
  // times slower on every click. The console is always served as a production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    if (!consoleOutdated(outDir)) return;
    if (consoleBuilt(outDir)) await rename(outDir, previous);
    await rename(staging, outDir);
  } catch (error) {
    // Another process finished first: its console is as good as ours.
    if (consoleOutdated(outDir)) throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(staging, { recursive: true, force: true });
    await rm(previous, { recursive: true, force: true });
  }
}
