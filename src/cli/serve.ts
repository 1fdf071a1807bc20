// `tagbase serve`: migrate, then answer HTTP (the API and the web console) until stopped.
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { systemClock } from '../core/time.js';
import { buildServer } from '../api/server.js';
import { CONSOLE_DIR, consoleBuilt } from '../api/static.js';
import { startScheduler } from '../engine/scheduler.js';
import { IndexRegistry } from '../index/registry.js';
import type { Store } from '../store/connect.js';
import { openMigratedStore } from './store-options.js';

export interface ServeOptions {
  port?: string | undefined;
  host?: string | undefined;
  database?: string | undefined;
  quiet?: boolean | undefined;
}

export async function serve(options: ServeOptions): Promise<void> {
  const port = Number(options.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`port must be a number from 0 to 65535; got "${options.port ?? process.env.PORT}"`);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const store = await openMigratedStore(options.database);
  const index = new IndexRegistry(store);
  const app = await buildServer({ store, now: systemClock, index, logger: options.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' } });
  const scheduler = startScheduler(store, systemClock, { observer: index, onError: (error) => app.log.error({ err: error }, 'scheduled job failed') });
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    scheduler.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port, host });
  process.stderr.write(`tagbase is listening on ${address} (store: ${store.dialect} ${store.location})\n  console: ${address}/\n  API docs: ${address}/api/v1/docs\n`);
  if (!consoleBuilt()) {
    process.stderr.write('  building the web console into web/dist in the background (once; `npm run build:web` rebuilds it)\n');
    buildConsole().catch((error: unknown) => app.log.error({ err: error }, 'building the web console failed'));
  }
  warmIndexes(store, index, (line) => app.log.info(line)).catch((error: unknown) => app.log.error({ err: error }, 'building the index failed'));
}

/** Builds every workspace's index after the server answers, so the first count is fast too. */
async function warmIndexes(store: Store, index: IndexRegistry, log: (line: string) => void): Promise<void> {
  const workspaces = await store.db.selectFrom('workspaces').select(['id', 'key']).orderBy('id').execute();
  for (const workspace of workspaces) {
    const stats = (await index.get({ store, workspaceId: workspace.id })).stats();
    const mib = (stats.bytes / 1_048_576).toFixed(1);
    log(`index of workspace "${workspace.key}": ${stats.customers} customers, ${stats.bitmaps} bitmaps, ${mib} MiB, built in ${Math.round(stats.buildMs)} ms`);
  }
}

/**
 * Builds the web console with Vite into `outDir`. Vite is loaded only here, so serving a built
 * console never loads it. The build goes to a fresh directory that is renamed into place, so
 * a server never sees half a console and two processes building at once do not collide.
 */
export async function buildConsole(outDir: string = CONSOLE_DIR): Promise<void> {
  const { build } = await import('vite');
  const webDir = dirname(outDir);
  const staging = join(webDir, '.staging', `${process.pid}-${Date.now()}`);
  try {
    await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    if (consoleBuilt(outDir)) return;
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
  } catch (error) {
    // Another process finished first: its console is as good as ours.
    if (!consoleBuilt(outDir)) throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
