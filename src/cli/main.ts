// The `tagbase` command: serve, migrate, demo, import, recompute, tick, segment, model, template, doctor.
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../core/time.js';
import { openWorkspace, ensureWorkspace, DEFAULT_WORKSPACE } from '../engine/workspaces.js';
import { formatCliError } from './errors.js';
import { serve } from './serve.js';
import { databaseUrl, openMigratedStore } from './store-options.js';
import { openStore } from '../store/connect.js';
import { assertImportKind, runImport } from './import/run-import.js';
import { formatOf } from './import/read-rows.js';
import { progressBar } from './progress.js';

function fraction(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1) throw new InvalidArgumentError('must be a number above 0 and at most 1');
  return value;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return value;
}

export function buildProgram(): Command {
  const program = new Command('tagbase')
    .description('Customer tags and segments (客户标签系统): a tag library, manual and automatic tagging, segments.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('serve')
    .description('run the HTTP API and console (migrates the store first)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option('-d, --database <url>', 'SQLite path or postgres:// URL (default: $TAGBASE_DATABASE_URL or ./data/tagbase.db)')
    .option('-q, --quiet', 'no request log')
    .action((options: { port?: string; host?: string; database?: string; quiet?: boolean }) => serve(options));

  program
    .command('migrate')
    .description('bring the store schema up to date')
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { database?: string }) => {
      const store = await openStore(databaseUrl(options.database));
      try {
        const { applied } = await store.migrate();
        await ensureWorkspace(store, DEFAULT_WORKSPACE, 'Default', systemClock);
        console.log(applied.length === 0 ? `schema is up to date (${store.dialect} ${store.location})` : `applied ${applied.join(', ')} (${store.dialect} ${store.location})`);
      } finally {
        await store.close();
      }
    });

  program
    .command('demo')
    .description('fill a workspace with a realistic demo store (customers, two years of events, tags)')
    .option('-w, --workspace <key>', 'workspace to fill', 'demo')
    .option('-c, --customers <n>', 'number of customers', positiveInteger, 20_000)
    .option('-e, --events-per-customer <n>', 'average events per customer', positiveInteger, 10)
    .option('-s, --seed <n>', 'random seed (same seed, same store)', positiveInteger, 42)
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { workspace: string; customers: number; eventsPerCustomer: number; seed: number; database?: string }) => {
      // Loaded on demand: the generator and its data are needed by this command only.
      const { runDemo } = await import('./demo/run-demo.js');
      const store = await openMigratedStore(options.database);
      try {
        await runDemo(store, { ...options, progress: process.stderr.isTTY, now: systemClock });
      } finally {
        await store.close();
      }
    });

  program
    .command('import')
    .description('import customers, events or assignments from CSV or JSON Lines')
    .argument('<kind>', 'customers | events | assignments')
    .argument('<file>', 'a .csv (with a header row) or .jsonl file')
    .option('-w, --workspace <key>', 'workspace to import into', DEFAULT_WORKSPACE)
    .option('-f, --format <format>', 'csv or jsonl (default: from the file name)')
    .option('-r, --report <path>', 'where to write rejected rows (default: <file>.rejected.csv)')
    .option('-b, --batch <n>', 'rows per transaction', positiveInteger, 1000)
    .option('-a, --actor <name>', 'who is importing (recorded in the history)', 'import')
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (kindText: string, file: string, options: { workspace: string; format?: string; report?: string; batch: number; actor: string; database?: string }) => {
      const kind = assertImportKind(kindText);
      const format = formatOf(file, options.format);
      const store = await openMigratedStore(options.database);
      try {
        const context = await openWorkspace(store, options.workspace, options.actor, systemClock);
        const summary = await runImport(context, {
          kind,
          path: file,
          format,
          reportPath: options.report ?? `${file}.rejected.csv`,
          batchSize: Math.min(options.batch, kind === 'assignments' ? 100_000 : 10_000),
          progress: process.stderr.isTTY,
        });
        const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
        console.log(`${basename(file)}: ${summary.rows} rows, ${summary.accepted} imported, ${summary.rejected} rejected in ${summary.seconds.toFixed(1)} s (${rate} rows/s)`);
        if (summary.reportPath) console.log(`rejected rows and reasons: ${summary.reportPath}`);
        if (summary.rejected > 0) process.exitCode = 3;
      } finally {
        await store.close();
      }
    });

  program
    .command('recompute')
    .description('re-derive every metric and rule tag of a workspace from its events')
    .option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE)
    .option('-b, --batch <n>', 'customers per transaction', positiveInteger, 1000)
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { workspace: string; batch: number; database?: string }) => {
      const { recomputeWorkspace } = await import('../engine/maintenance.js');
      const store = await openMigratedStore(options.database);
      try {
        const context = await openWorkspace(store, options.workspace, 'recompute', systemClock);
        const started = Date.now();
        const bar = progressBar('recompute', process.stderr.isTTY);
        const result = await recomputeWorkspace(context, { batchSize: options.batch, onProgress: ({ done, total }) => bar.update(done, total) });
        bar.stop();
        console.log(`recomputed ${result.customers} customers in ${((Date.now() - started) / 1000).toFixed(1)} s; tags changed for ${result.tagsChanged}`);
      } finally {
        await store.close();
      }
    });

  program
    .command('tick')
    .description('run what time has made due: expired assignments, moved metric windows, clock-dependent rules')
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { database?: string }) => {
      const { startScheduler } = await import('../engine/scheduler.js');
      const { IndexRegistry } = await import('../index/registry.js');
      const { indexRuleCandidates } = await import('../index/rule-candidates.js');
      const store = await openMigratedStore(options.database);
      // The clock-rule pass asks the index which customers it could change: the server's
      // snapshot when there is a usable one, otherwise an index built here.
      const index = new IndexRegistry(store, { snapshots: true });
      const scheduler = startScheduler(store, systemClock, { intervalMs: 2 ** 30, observer: index, ruleCandidates: indexRuleCandidates(index) });
      try {
        const reports = await scheduler.tick({ clockRules: true });
        const sum = (key: 'expired' | 'metricsRefreshed' | 'tagsChanged') => reports.reduce((total, report) => total + report[key], 0);
        console.log(`${reports.length} workspace(s): ${sum('expired')} assignments expired, ${sum('metricsRefreshed')} customers' metrics refreshed, tags changed for ${sum('tagsChanged')}`);
      } finally {
        scheduler.stop();
        await store.close();
      }
    });

  const segment = program.command('segment').description('count, list and export segments (answered by the bitmap index)');
  const targetOptions = (command: Command) =>
    command
      .argument('[expression]', 'a segment expression, e.g. \'city = "上海" and orders_total >= 2\'')
      .option('-s, --segment <key>', 'a saved segment instead of an expression')
      .option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE)
      .option('-d, --database <url>', 'SQLite path or postgres:// URL');

  targetOptions(segment.command('count').description('how many customers match, and how long the count took')).action(
    async (expression: string | undefined, options: { segment?: string; workspace: string; database?: string }) => {
      const { countSegment } = await import('./segment.js');
      console.log(await countSegment({ ...options, expression }));
    },
  );

  targetOptions(segment.command('export').description('write the members as CSV or JSON Lines'))
    .option('-f, --format <format>', 'csv or jsonl', 'csv')
    .option('-o, --output <file>', 'write to a file (default: standard output)')
    .option('-m, --metrics <keys>', 'comma-separated metrics to add as columns', '')
    .action(async (expression: string | undefined, options: { segment?: string; workspace: string; database?: string; format: string; output?: string; metrics: string }) => {
      if (options.format !== 'csv' && options.format !== 'jsonl') throw new InvalidArgumentError(`--format must be csv or jsonl; got "${options.format}"`);
      const { exportSegment } = await import('./segment.js');
      const metrics = options.metrics.split(',').map((name) => name.trim()).filter(Boolean);
      const count = await exportSegment({ ...options, expression, format: options.format, metrics });
      if (options.output !== undefined) console.error(`${count} customers written to ${options.output}`);
    });

  segment
    .command('list')
    .description('the saved segments: key, name, expression')
    .option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE)
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { workspace: string; database?: string }) => {
      const { listSavedSegments } = await import('./segment.js');
      console.log(await listSavedSegments(options));
    });

  const model = program.command('model').description('ready-made models kept true in real time: rfm, lifecycle, vip, activity, personas, …');
  const workspaceOptions = (command: Command) => command.option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE).option('-d, --database <url>', 'SQLite path or postgres:// URL');
  workspaceOptions(model.command('list').description('every model, ● when enabled')).action(async (options: { workspace: string; database?: string }) => {
    const { listModelsCommand } = await import('./model.js');
    console.log(await listModelsCommand(options));
  });
  workspaceOptions(model.command('enable').description('enable a model or change its parameters; every customer is tagged before it returns'))
    .argument('<name>', 'model key or name, e.g. rfm or 生命周期')
    .option('-p, --param <name=value>', 'a parameter, e.g. window_days=180 or recency=median (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .action(async (name: string, options: { workspace: string; database?: string; param: string[] }) => {
      const { enableModelCommand } = await import('./model.js');
      console.log(await enableModelCommand(name, options.param, options));
    });
  workspaceOptions(model.command('refresh').description('recompute the thresholds now (the server does it daily)'))
    .argument('<name>', 'model key or name')
    .action(async (name: string, options: { workspace: string; database?: string }) => {
      const { refreshModelCommand } = await import('./model.js');
      console.log(await refreshModelCommand(name, options));
    });
  workspaceOptions(model.command('disable').description('turn a model off: its tag is archived, its history kept'))
    .argument('<name>', 'model key or name')
    .action(async (name: string, options: { workspace: string; database?: string }) => {
      const { disableModelCommand } = await import('./model.js');
      console.log(await disableModelCommand(name, options));
    });

  const template = program.command('template').description('starter tag libraries: general, retail, restaurant, apparel, …');
  template
    .command('list')
    .description('the templates, with how many tags each holds')
    .action(async () => {
      const { formatTemplateList } = await import('./template.js');
      console.log(formatTemplateList());
    });
  template
    .command('show')
    .description('the groups, tags and values of one template')
    .argument('<name>', 'template key or name, e.g. restaurant or 餐饮')
    .action(async (name: string) => {
      const { formatTemplate } = await import('./template.js');
      console.log(formatTemplate(name));
    });
  template
    .command('apply')
    .description('create what the workspace lacks; edits already made in the workspace are reported, never overwritten')
    .argument('<name>', 'template key or name')
    .option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE)
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (name: string, options: { workspace: string; database?: string }) => {
      const { applyTemplateCommand } = await import('./template.js');
      console.log(await applyTemplateCommand(name, options));
    });

  program
    .command('doctor')
    .description('review the tag library: unused, empty, overlapping and duplicated tags (exit code 4 when it finds something)')
    .option('-w, --workspace <key>', 'workspace', DEFAULT_WORKSPACE)
    .option('--jaccard <x>', 'overlap threshold, above 0 and at most 1', fraction, 0.9)
    .option('--min-members <n>', 'only compare tags held by at least n customers', positiveInteger, 20)
    .option('--group-budget <n>', 'most tags per group', positiveInteger, 30)
    .option('--min-owners <n>', 'staff members who made the same personal tag', positiveInteger, 3)
    .option('-d, --database <url>', 'SQLite path or postgres:// URL')
    .action(async (options: { workspace: string; database?: string; jaccard: number; minMembers: number; groupBudget: number; minOwners: number }) => {
      const { DOCTOR_FINDINGS_EXIT_CODE, runDoctor } = await import('./doctor.js');
      const thresholds = { jaccard: options.jaccard, min_members: options.minMembers, group_budget: options.groupBudget, min_owners: options.minOwners };
      const { output, findings } = await runDoctor({ workspace: options.workspace, database: options.database, thresholds });
      console.log(output);
      if (findings > 0) process.exitCode = DOCTOR_FINDINGS_EXIT_CODE;
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`${formatCliError(error)}\n`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}
