// The `tagbase` command: serve, migrate, backup, store, demo, import, recompute, tick, journal, segment, customer, field, metric, token, audit, tag, webhook, care, model, template, doctor.
// Each command loads what it needs when it runs: the server, the spreadsheet reader and the
// generator cost most of a second to load, which `tagbase --help` or `tagbase segment count`
// should not pay.
import { basename } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatUtcOffset, parseUtcOffset, systemClock } from '../core/time.js';
import { openWorkspace, ensureDefaultWorkspace, DEFAULT_WORKSPACE } from '../engine/workspaces.js';
import { LOCALES, type Locale } from '../core/locale.js';
import { REMINDER_STATUSES, type ReminderStatus } from '../core/care.js';
import { CUSTOM_FIELD_TYPES, IDENTITY_KINDS, type CustomFieldType, type IdentityKind } from '../core/customer.js';
import { cliLocale, formatCliError } from './errors.js';
import { localizeCommander } from './commander-locale.js';
import { cliMessages, type Say } from './messages.js';
import { COMPLETION_SHELLS, type CompletionShell } from './completion.js';
import { auditReadsOn, databaseUrl, noteOpenedStore, noteStoreUse, openCommandIndex, openMigratedStore, type StoreUse } from './store-options.js';
import { openStore } from '../store/connect.js';
import { assertNoUnfinishedCopy } from '../store/copy.js';
import { progressBar, resumedPassNames, rulePassBars } from './progress.js';

/**
 * The most days `segment sizes` reads back: the engine's MAX_SIZE_DAYS, written here rather than
 * imported, since importing it would load the segment engine for every command's start.
 */
const SIZE_DAYS_MOST = 366;

/**
 * The most snapshots a page of `segment snapshots` holds, and how many unless told: the engine's
 * MAX_SNAPSHOT_PAGE and DEFAULT_SNAPSHOT_PAGE, as `GET /segments/{segment}/snapshots` takes them
 * (written here, as SIZE_DAYS_MOST is).
 */
const SNAPSHOT_PAGE_MOST = 1000;
const SNAPSHOT_PAGE_DEFAULT = 100;

/**
 * The most exports `segment exports` lists, and how many unless told: the engine's
 * MAX_LISTED_EXPORTS and `GET /exports`'s default `limit` (written here, as SIZE_DAYS_MOST is).
 */
const EXPORTS_LISTED_MOST = 500;
const EXPORTS_LISTED_DEFAULT = 50;

/** The longest cursor `segment snapshots --cursor` takes, as the API's `cursor` (written here, as SIZE_DAYS_MOST is). */
const SNAPSHOT_CURSOR_MOST = 128;

/** `tagbase import`'s options that only an import reads, by their attribute names: `--template` leaves them unread. */
const IMPORT_ONLY_OPTIONS = ['column', 'encoding', 'sheet', 'report', 'batch', 'actor'] as const;

/** Customer ids on more than one line of an import file that its summary names one by one. */
const REPEATED_IDS_NAMED = 10;

function fractionParser(say: Say): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || value > 1) throw new InvalidArgumentError(say('invalid.fraction'));
    return value;
  };
}

/**
 * The longest `tag assign --expires-in`: a tag's own default expiry goes up to 100 years (the
 * API's `default_expiry_days`), written here rather than imported, as SIZE_DAYS_MOST is.
 */
const EXPIRY_DAYS_MOST = 36_500;

/**
 * The longest `token create --expires-in`, as the engine's MAX_TOKEN_DAYS (written here, as
 * SIZE_DAYS_MOST is): refused as the option before the store is opened, as other numbers are.
 */
const TOKEN_DAYS_MOST = 3650;

/** The most customers `tagbase demo` draws (the generator's MAX_DEMO_CUSTOMERS), and a sane most of events for each. */
const DEMO_CUSTOMERS_MOST = 99_999_999;
const DEMO_EVENTS_PER_CUSTOMER_MOST = 1000;

/**
 * A whole number of at least `least` and at most `most`, written as people write one: decimal
 * digits, not `0x10`, `1e3` or an empty word (which Number() reads as 16, 1000 and 0). Without
 * a `most` of its own an option still ends at 2^53 − 1, which the stores and the clock can
 * hold: past it a number reached SQLite or PostgreSQL as a float their integers refuse
 * ("datatype mismatch", "bigint out of range"), or an expiry past any date. A refusal says the
 * option's own range (the engine's would name its own word for it, `min_owners`, `days`), or
 * `refusal` for a number that is not one of the kind asked for.
 */
function wholeNumberParser(say: Say, least: number, most = Number.MAX_SAFE_INTEGER, refusal?: string): (text: string) => number {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (value >= least && value <= most) return value;
    if (most !== Number.MAX_SAFE_INTEGER || value > most) throw new InvalidArgumentError(say('invalid.wholeNumberBetween', { least, most }));
    throw new InvalidArgumentError(refusal ?? say('invalid.wholeNumberAtLeast', { least }));
  };
}

/** An option that takes text of `least` to `most` characters, refused in `message` otherwise. */
function textParser(least: number, most: number, message: string): (text: string) => string {
  return (text) => {
    const length = [...text].length;
    if (length < least || length > most) throw new InvalidArgumentError(message);
    return text;
  };
}

/** The longest actor `audit --actor` takes, as `GET /audit?actor=` does (written here, as SIZE_DAYS_MOST is). */
const AUDIT_ACTOR_MOST = 64;

/**
 * The longest page `audit -n` and `care reminders -n` show, as `GET /audit` and `GET /care/reminders`
 * take it (MAX_LISTED_AUDIT, REMINDER_PAGE_MAX; written here, as SIZE_DAYS_MOST is).
 */
const PAGE_MOST = 500;

/**
 * What a command that cannot be undone (`segment delete`, `tag delete`, `care remove`, `webhook remove`,
 * `token revoke`, `workspace delete`) answered: what it did, on standard output; or, without --yes, what would go,
 * on standard error with exit status 2, nothing changed.
 */
function printAsked(answer: { text: string; done: boolean }): void {
  if (answer.done) console.log(answer.text);
  else {
    console.error(answer.text);
    process.exitCode = 2;
  }
}

/**
 * A customer id an argument or option names: empty (`--into ""`, a variable not set) it is
 * refused as the value it is, not looked up and said to be a customer "" that does not exist
 * (or, by `customer erasures`, never erased).
 */
function customerIdParser(say: Say): (text: string) => string {
  return (text) => {
    if (text.trim() === '') throw new InvalidArgumentError(say('invalid.customerIdEmpty'));
    return text;
  };
}

/** An option that takes one of a few words, refused in `message` otherwise. */
function choiceParser<T extends string>(choices: readonly T[], message: string): (text: string) => T {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) throw new InvalidArgumentError(message);
    return text as T;
  };
}

/** Options made by `requiredAfterArguments`. */
const REQUIRED_AFTER_ARGUMENTS = new WeakSet<Option>();

/**
 * An option a command cannot go without, asked for after its arguments (by the program's
 * `preAction` hook): commander checks a `requiredOption` before them, so `tagbase token create`
 * alone asked for --role and not for the token's name. Missing, it is said in commander's own
 * words, which the Chinese help rewords.
 */
function requiredAfterArguments(flags: string, description: string): Option {
  const option = new Option(flags, description);
  REQUIRED_AFTER_ARGUMENTS.add(option);
  return option;
}

function utcOffsetParser(say: Say): (text: string) => number {
  return (text) => {
    const minutes = parseUtcOffset(text);
    if (minutes === undefined) throw new InvalidArgumentError(say('invalid.utcOffset'));
    return minutes;
  };
}

export function buildProgram(locale: Locale = cliLocale()): Command {
  const say = cliMessages(locale);
  const fraction = fractionParser(say);
  const positiveInteger = wholeNumberParser(say, 1, Number.MAX_SAFE_INTEGER, say('invalid.positiveInteger'));
  const nonNegativeInteger = wholeNumberParser(say, 0, Number.MAX_SAFE_INTEGER, say('invalid.nonNegativeInteger'));
  const utcOffset = utcOffsetParser(say);
  const reminderStatus = choiceParser(REMINDER_STATUSES, say('invalid.reminderStatus'));
  const program = new Command('tagbase')
    .description(say('help.program'))
    .version('0.1.0', '-V, --version', say('help.version'))
    // One line of what went wrong and where to look, rather than the whole help under it.
    .showHelpAfterError(say('help.afterError'))
    .configureOutput({ outputError: (text, write) => write(text) });
  localizeCommander(program, locale);
  // Whether the command may make the default store where there is none (see STORE_USE).
  program.hook('preAction', (_program, command) => {
    for (const option of command.options) {
      if (REQUIRED_AFTER_ARGUMENTS.has(option) && command.getOptionValue(option.attributeName()) === undefined) {
        command.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOption' });
      }
    }
    const path = commandPath(command);
    const use = STORE_USE[path];
    // A read the audit trail records writes its entry into the store.
    if (use !== undefined && use !== 'none') noteStoreUse(use === 'reads' && READS_RECORDED.has(path) && auditReadsOn() ? 'changes' : use);
  });

  program
    .command('serve')
    .description(say('help.serve'))
    .option('-p, --port <port>', say('help.option.port'))
    .option('--host <host>', say('help.option.host'))
    .option('-d, --database <url>', say('help.option.serveDatabase'))
    .option('--cors-origins <origins>', say('help.option.corsOrigins'))
    .option('-q, --quiet', say('help.option.quiet'))
    .action(async (options: { port?: string; host?: string; database?: string; corsOrigins?: string; quiet?: boolean }) => {
      const { serve } = await import('./serve.js');
      await serve({ ...options, locale });
    });

  program
    .command('migrate')
    .description(say('help.migrate'))
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { database?: string }) => {
      const url = databaseUrl(options.database);
      noteOpenedStore(url);
      const store = await openStore(url);
      try {
        // Migrations and the default workspace are writes, which the next copy into a store a copy
        // did not finish would empty (see openMigratedStore).
        await assertNoUnfinishedCopy(store);
        const { applied } = await store.migrate();
        await ensureDefaultWorkspace(store, systemClock);
        const where = { dialect: store.dialect, location: store.location };
        console.log(applied.length === 0 ? say('migrate.upToDate', where) : say('migrate.applied', { ...where, migrations: applied }));
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .description(say('help.backup'))
    .argument('<file>', say('help.arg.backupFile'))
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (file: string, options: { database?: string }) => {
      const { backupStore } = await import('./backup.js');
      const { location, bytes } = await backupStore(options.database, file);
      console.log(say('backup.done', { location, file, size: (bytes / 1_048_576).toFixed(1) }));
    });

  const storeCommand = program.command('store').description(say('help.store'));
  storeCommand
    .command('copy')
    .description(say('help.store.copy'))
    .addOption(requiredAfterArguments('--to <url>', say('help.option.copyTo')))
    .option('-d, --database <url>', say('help.option.copyFrom'))
    .action(async (options: { to: string; database?: string }) => {
      const { storeCopyCommand } = await import('./store-copy.js');
      console.log(await storeCopyCommand({ ...options, locale }));
    });

  program
    .command('demo')
    .description(say('help.demo'))
    .option('-w, --workspace <key>', say('help.option.demoWorkspace'), 'demo')
    .option('-c, --customers <n>', say('help.option.customers'), wholeNumberParser(say, 1, DEMO_CUSTOMERS_MOST), 20_000)
    .option('-e, --events-per-customer <n>', say('help.option.eventsPerCustomer'), wholeNumberParser(say, 1, DEMO_EVENTS_PER_CUSTOMER_MOST), 10)
    .option('-s, --seed <n>', say('help.option.seed'), positiveInteger, 42)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { workspace: string; customers: number; eventsPerCustomer: number; seed: number; actor: string; database?: string }) => {
      const { runDemo } = await import('../engine/demo/run-demo.js');
      const store = await openMigratedStore(options.database, { mayCreate: true });
      const bar = progressBar(say('demo.progress'), process.stderr.isTTY, locale);
      try {
        const summary = await runDemo(store, { ...options, now: systemClock, onProgress: (progress) => bar.update(progress.done, progress.total) });
        bar.stop();
        console.error(say('demo.summary', { workspace: options.workspace, ...summary, seconds: summary.seconds.toFixed(1) }));
      } finally {
        // Also on failure: a bar left running would keep the command from exiting.
        bar.stop();
        await store.close();
      }
    });

  program
    .command('import')
    .description(say('help.import'))
    .argument('<kind>', say('help.arg.importKind'))
    .argument('[file]', say('help.arg.importFile'))
    .option('-w, --workspace <key>', say('help.option.importWorkspace'), DEFAULT_WORKSPACE)
    .option('-f, --format <format>', say('help.option.importFormat'))
    // An option rather than a subcommand `import template <kind>`: the command's own options
    // (-w, -f, -d) would be taken by `import` before a subcommand saw them.
    .option('-t, --template [file]', say('help.option.importTemplate'))
    .option('--lang <language>', say('help.option.templateLang'), choiceParser(LOCALES, say('invalid.templateLang')))
    .option('-e, --encoding <encoding>', say('help.option.importEncoding'), 'auto')
    .option('-s, --sheet <name>', say('help.option.importSheet'))
    .option('-c, --column <file=column>', say('help.option.importColumn'), (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('-r, --report <path>', say('help.option.report'))
    .option('-b, --batch <n>', say('help.option.importBatch'), positiveInteger, 1000)
    .option('-a, --actor <name>', say('help.option.actor'), 'import')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (kindText: string, file: string | undefined, options: { workspace: string; format?: string; template?: string | true; lang?: Locale; encoding: string; sheet?: string; column: string[]; report?: string; batch: number; actor: string; database?: string }, command: Command) => {
      const { assertImportKind, runImport } = await import('./import/run-import.js');
      const { columnsOf, encodingOf, formatOf, STANDARD_INPUT } = await import('./import/read-rows.js');
      const kind = assertImportKind(kindText);
      // The template's language only: an import reads column names in either language, and its
      // messages and report follow the locale settings, so --lang alone would change nothing.
      if (options.lang !== undefined && options.template === undefined) throw new InvalidArgumentError(say('invalid.langWithoutTemplate', { lang: options.lang }));
      if (options.template !== undefined) {
        // `import customers 会员.csv --template` reads as either; neither is guessed.
        if (file !== undefined) throw new InvalidArgumentError(say('invalid.templateAndFile', { file }));
        // How a file is read and imported, and who the audit trail names: a template run reads no file and writes nothing to the store.
        const unread = IMPORT_ONLY_OPTIONS.filter((name) => command.getOptionValueSource(name) === 'cli').map((name) => command.options.find((option) => option.attributeName() === name)?.long ?? name);
        if (unread.length > 0) throw new InvalidArgumentError(say('invalid.importOptionsWithTemplate', { options: unread }));
        const path = options.template === true ? undefined : options.template;
        const format = options.format ?? (path !== undefined && exportFormatOfFile(path) === 'xlsx' ? 'xlsx' : 'csv');
        if (format !== 'csv' && format !== 'xlsx') throw new InvalidArgumentError(say('invalid.templateFormat', { format }));
        // A workbook's bytes would garble a terminal.
        if (format === 'xlsx' && path === undefined && process.stdout.isTTY) throw new InvalidArgumentError(say('invalid.templateXlsxToTerminal'));
        const lang = options.lang ?? locale;
        const { writeImportTemplate } = await import('./import/write-template.js');
        const written = await writeImportTemplate({ kind, path, format, lang, workspace: options.workspace, database: options.database });
        if (path !== undefined) {
          console.error(say('import.templateWritten', { file: path }));
          if (written.example !== '') console.error(say('import.templateExample', { row: written.example }));
        }
        return;
      }
      // As commander says it of a required argument: the file is optional only beside --template.
      if (file === undefined) command.error("error: missing required argument 'file'", { code: 'commander.missingArgument' });
      const format = formatOf(file, options.format, locale);
      // Left unread, it would import the CSV as if the sheet named had been found.
      if (options.sheet !== undefined && format !== 'xlsx') throw new InvalidArgumentError(say('invalid.sheetOfText', { file, format }));
      const columns = columnsOf(options.column, format, locale);
      const encoding = encodingOf(options.encoding, locale);
      const store = await openMigratedStore(options.database, { mayCreate: true });
      try {
        const context = await openWorkspace(store, options.workspace, options.actor, systemClock);
        const summary = await runImport(context, {
          kind,
          path: file,
          format,
          encoding,
          sheet: options.sheet,
          columns,
          // Rows piped in are reported beside where the command runs.
          reportPath: options.report ?? (file === STANDARD_INPUT ? `${kind}.rejected.csv` : `${file}.rejected.csv`),
          batchSize: Math.min(options.batch, kind === 'assignments' ? 100_000 : 10_000),
          progress: process.stderr.isTTY,
          locale,
          // As its first rows land (a file of which nothing was taken changed nothing).
          onRowsLanded: async () => {
            const { auditCli } = await import('./audit-entry.js');
            await auditCli(context, 'import', `/imports/${kind}`);
          },
        });
        const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
        if (summary.encoding === 'gb18030' && encoding === 'auto') console.log(say('import.readAsGb18030'));
        if (summary.sheet && summary.sheet.count > 1) console.log(say('import.sheet', { sheet: summary.sheet.name, position: summary.sheet.position, count: summary.sheet.count }));
        if (summary.titles.length > 0) console.log(say('import.titles', { titles: summary.titles.map((title) => say('import.title', { row: title.row, text: title.text })) }));
        if (summary.readAsReport) console.log(say('import.readAsReport'));
        if (summary.renamedColumns.length > 0) console.log(say('import.renamedColumns', { columns: summary.renamedColumns.map(([column, target]) => `${column} → ${target}`) }));
        if (summary.leftOutColumns.length > 0) console.log(say('import.leftOutColumns', { columns: summary.leftOutColumns }));
        if (summary.zonelessTimes > 0) console.log(say('import.zonelessTimes', { count: summary.zonelessTimes, zone: formatUtcOffset(summary.utcOffsetMinutes) }));
        const name = file === STANDARD_INPUT ? say('import.standardInput') : basename(file);
        console.log(say('import.summary', { file: name, rows: summary.rows, accepted: summary.accepted, rejected: summary.rejected, seconds: summary.seconds.toFixed(1), rate }));
        if (summary.customers && summary.accepted > 0) console.log(say('import.customers', summary.customers));
        if (summary.duplicates !== undefined && summary.duplicates > 0) console.log(say('import.duplicates', { count: summary.duplicates }));
        if (summary.maskedIdentifiers > 0) console.log(say('import.maskedIdentifiers', { count: summary.maskedIdentifiers }));
        if (summary.reportPath) console.log(say('import.report', { path: summary.reportPath }));
        if (summary.earlierReportRemoved) console.log(say('import.earlierReportRemoved', { path: summary.earlierReportRemoved }));
        if (summary.rows === 0) console.error(say('import.noRows', { file: name }));
        // A few named, so the warning stays readable over a file of many.
        for (const repeated of summary.repeatedIds.slice(0, REPEATED_IDS_NAMED)) {
          console.error(say('import.repeatedId', { id: repeated.id, lines: repeated.lines.map(String), last: repeated.lines.at(-1) ?? 0 }));
        }
        if (summary.repeatedIds.length > REPEATED_IDS_NAMED) console.error(say('import.repeatedIdsMore', { count: summary.repeatedIds.length - REPEATED_IDS_NAMED }));
        for (const lost of summary.lostLeadingZeros.slice(0, REPEATED_IDS_NAMED)) console.error(say('import.lostLeadingZeros', { ...lost }));
        if (summary.lostLeadingZeros.length > REPEATED_IDS_NAMED) console.error(say('import.lostLeadingZerosMore', { count: summary.lostLeadingZeros.length - REPEATED_IDS_NAMED }));
        if (summary.rejected > 0) process.exitCode = 3;
      } finally {
        await store.close();
      }
    });

  program
    .command('recompute')
    .description(say('help.recompute'))
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-b, --batch <n>', say('help.option.recomputeBatch'), positiveInteger, 1000)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { workspace: string; batch: number; actor: string; database?: string }) => {
      const { recomputeWorkspace } = await import('../engine/maintenance.js');
      const store = await openMigratedStore(options.database);
      try {
        const context = await openWorkspace(store, options.workspace, 'recompute', systemClock);
        const started = Date.now();
        const bar = progressBar(say('recompute.progress'), process.stderr.isTTY, locale);
        // Stopped also on failure: a bar left running would keep the command from exiting.
        const result = await recomputeWorkspace(context, { batchSize: options.batch, onProgress: ({ done, total }) => bar.update(done, total) }).finally(() => bar.stop());
        // The work runs as `recompute`, as before; the trail names who ran it.
        const { auditCli } = await import('./audit-entry.js');
        await auditCli({ ...context, actor: options.actor }, 'recompute', '/workspace');
        console.log(say('recompute.summary', { customers: result.customers, seconds: ((Date.now() - started) / 1000).toFixed(1), changed: result.tagsChanged }));
      } finally {
        await store.close();
      }
    });

  program
    .command('tick')
    .description(say('help.tick'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { actor: string; database?: string }) => {
      const { startScheduler } = await import('../engine/scheduler.js');
      const { indexAudience } = await import('../index/audience.js');
      const store = await openMigratedStore(options.database);
      // The clock-rule pass asks the index which customers it could change.
      const index = await openCommandIndex(store);
      const bars = rulePassBars(process.stderr.isTTY, locale);
      const scheduler = startScheduler(store, systemClock, { intervalMs: 2 ** 30, ...index, audience: indexAudience(index.observer), rulePassProgress: bars.update });
      try {
        // Before the tick, which would apply them too, so that what it did can be told.
        const { applyJournal } = await import('../engine/event-journal.js');
        const journal = await applyJournal({ store, now: systemClock, ...index });
        const reports = await scheduler.tick({ clockRules: true });
        bars.stop();
        const sum = (key: 'expired' | 'metricsRefreshed' | 'tagsChanged') => reports.reduce((total, report) => total + report[key], 0);
        console.log(say('tick.summary', { workspaces: reports.length, expired: sum('expired'), refreshed: sum('metricsRefreshed'), changed: sum('tagsChanged') }));
        const resumed = reports.flatMap((report) => report.rulePassesResumed);
        if (resumed.length > 0) console.log(say('tick.resumed', { tags: resumedPassNames(resumed, locale) }));
        if (journal.applied > 0) console.log(say('tick.journal', { batches: journal.applied, events: journal.stored }));
        if (journal.failed > 0) console.log(say('tick.journalFailed', { count: journal.failed }));
        const recomputed = reports.filter((report) => report.metricsPassResumed).length;
        if (recomputed > 0) console.log(say('tick.metricsResumed', { count: recomputed }));
        const keyed = reports.reduce((total, report) => total + report.nameKeysFilled, 0);
        if (keyed > 0) console.log(say('tick.nameKeys', { count: keyed }));
        const care = { scheduled: 0, late: 0, due: 0, skipped: 0 };
        for (const report of reports) for (const key of Object.keys(care) as (keyof typeof care)[]) care[key] += report.care[key];
        if (Object.values(care).some((count) => count > 0)) console.log(say('care.ran', care));
        const sizes = reports.reduce((total, report) => total + report.segmentSizes, 0);
        if (sizes > 0) console.log(say('tick.segmentSizes', { count: sizes }));
        // One entry for the store as a whole, and only for a tick that changed something: one run
        // from cron every minute would otherwise bury what people did under rounds that did nothing.
        const changed = sum('expired') + sum('metricsRefreshed') + sum('tagsChanged') + journal.applied + resumed.length + recomputed + keyed + Object.values(care).reduce((total, count) => total + count, 0) + sizes;
        if (changed > 0) {
          const { auditCli } = await import('./audit-entry.js');
          await auditCli({ store, workspaceId: null, actor: options.actor, now: systemClock }, 'tick', '/workspaces');
        }
      } finally {
        bars.stop();
        scheduler.stop();
        await store.close();
      }
    });

  const segment = program.command('segment').description(say('help.segment'));
  const targetOptions = (command: Command) =>
    command
      .argument('[expression]', say('help.arg.expression'))
      .option('-s, --segment <key>', say('help.option.segment'))
      .option('--all', say('help.option.all'), false)
      .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
      .option('-d, --database <url>', say('help.option.database'));

  targetOptions(segment.command('count').description(say('help.segment.count')))
    .option('--json', say('help.option.segmentCountJson'), false)
    .action(async (expression: string | undefined, options: { segment?: string; all: boolean; workspace: string; database?: string; json: boolean }) => {
      const { countSegment } = await import('./segment.js');
      console.log(await countSegment({ ...options, expression, locale }));
    });

  targetOptions(segment.command('export').description(say('help.segment.export')))
    .option('-f, --format <format>', say('help.option.exportFormat'), 'csv')
    .option('-o, --output <file>', say('help.option.output'))
    .option('-m, --metrics <keys>', say('help.option.metrics'), '')
    .option('--fields <keys>', say('help.option.exportFields'), '')
    .option('--header <how>', say('help.option.exportHeader'), 'keys')
    .option('-a, --actor <name>', say('help.option.exportActor'), 'cli')
    .action(async (expression: string | undefined, options: { segment?: string; all: boolean; workspace: string; database?: string; format: string; output?: string; metrics: string; fields: string; header: string; actor: string }, command: Command) => {
      // Without --format, a file named .xlsx or .jsonl is written as one, not as CSV under that name.
      if (command.getOptionValueSource('format') === 'default' && options.output !== undefined) options.format = exportFormatOfFile(options.output) ?? options.format;
      if (options.format !== 'csv' && options.format !== 'jsonl' && options.format !== 'xlsx') throw new InvalidArgumentError(say('invalid.format', { format: options.format }));
      // A workbook's bytes would garble a terminal.
      if (options.format === 'xlsx' && options.output === undefined && process.stdout.isTTY) throw new InvalidArgumentError(say('invalid.xlsxToTerminal'));
      if (options.header !== 'keys' && options.header !== 'names') throw new InvalidArgumentError(say('invalid.exportHeader', { header: options.header }));
      const { exportSegment } = await import('./segment.js');
      const metrics = options.metrics.split(',').map((name) => name.trim()).filter(Boolean);
      const fields = options.fields.split(',').map((name) => name.trim()).filter(Boolean);
      const count = await exportSegment({ ...options, expression, format: options.format, metrics, fields, headerNames: options.header === 'names', locale });
      if (options.output !== undefined) console.error(say('segment.exported', { count, file: options.output }));
    });

  segment
    .command('insight')
    .description(say('help.segment.insight'))
    .argument('<segment>', say('help.arg.segment'))
    .option('-m, --metrics <keys>', say('help.option.profileMetrics'), '')
    .option('--top <n>', say('help.option.insightTop'), wholeNumberParser(say, 1, 1000), 10)
    .option('--min-members <n>', say('help.option.insightMinMembers'), positiveInteger)
    .option('--json', say('help.option.insightJson'), false)
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { metrics: string; top: number; minMembers?: number; json: boolean; workspace: string; database?: string }) => {
      const { segmentInsightCommand } = await import('./insight.js');
      const metrics = options.metrics.split(',').map((name) => name.trim()).filter(Boolean);
      console.log(await segmentInsightCommand(key, { ...options, metrics, locale }));
    });

  segment
    .command('sizes')
    .description(say('help.segment.sizes'))
    .argument('<segment>', say('help.arg.segment'))
    .option('-n, --days <n>', say('help.option.days'), wholeNumberParser(say, 1, SIZE_DAYS_MOST), 30)
    .option('--json', say('help.option.json', { call: 'GET /api/v1/segments/{segment}/sizes' }), false)
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { days: number; json: boolean; workspace: string; database?: string }) => {
      const { segmentSizesCommand } = await import('./segment.js');
      console.log(await segmentSizesCommand(key, options.days, { ...options, locale }));
    });

  segment
    .command('snapshot')
    .description(say('help.segment.snapshot'))
    .argument('<segment>', say('help.arg.segment'))
    .option('--json', say('help.option.json', { call: 'POST /api/v1/segments/{segment}/snapshots' }), false)
    .option('-a, --actor <name>', say('help.option.snapshotActor'), 'cli')
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { json: boolean; actor: string; workspace: string; database?: string }) => {
      const { takeSnapshotCommand } = await import('./segment.js');
      console.log(await takeSnapshotCommand(key, { ...options, locale }));
    });

  segment
    .command('snapshots')
    .description(say('help.segment.snapshots'))
    .argument('<segment>', say('help.arg.segment'))
    .option('-n, --limit <count>', say('help.option.snapshotLimit'), wholeNumberParser(say, 1, SNAPSHOT_PAGE_MOST), SNAPSHOT_PAGE_DEFAULT)
    .option('--cursor <cursor>', say('help.option.snapshotCursor'), textParser(1, SNAPSHOT_CURSOR_MOST, say('invalid.snapshotCursor')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/segments/{segment}/snapshots' }), false)
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { limit: number; cursor?: string; json: boolean; workspace: string; database?: string }) => {
      const { segmentSnapshotsCommand } = await import('./segment.js');
      console.log(await segmentSnapshotsCommand(key, { limit: options.limit, cursor: options.cursor }, { ...options, locale }));
    });

  segment
    .command('exports')
    .description(say('help.segment.exports'))
    .option('-n, --limit <count>', say('help.option.exportsLimit'), wholeNumberParser(say, 1, EXPORTS_LISTED_MOST), EXPORTS_LISTED_DEFAULT)
    .option('--json', say('help.option.json', { call: 'GET /api/v1/exports' }), false)
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { limit: number; json: boolean; workspace: string; database?: string }) => {
      const { exportLogCommand } = await import('./export-log.js');
      console.log(await exportLogCommand({ ...options, locale }));
    });

  segment
    .command('save')
    .description(say('help.segment.save'))
    .argument('<key>', say('help.arg.segmentKey'))
    .argument('<expression>', say('help.arg.expression'))
    .option('-n, --name <name>', say('help.option.segmentName'))
    .option('--description <text>', say('help.option.segmentDescription'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, expression: string, options: { name?: string; description?: string; actor: string; workspace: string; database?: string }) => {
      const { saveSegmentCommand } = await import('./segment.js');
      console.log(await saveSegmentCommand(key, expression, { ...options, locale }));
    });

  segment
    .command('delete')
    .description(say('help.segment.delete'))
    .argument('<segment>', say('help.arg.segment'))
    .option('-y, --yes', say('help.option.yesSegmentDelete'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { workspace: string; database?: string; yes: boolean; actor: string }) => {
      const { deleteSegmentCommand } = await import('./segment.js');
      printAsked(await deleteSegmentCommand(key, { ...options, locale }));
    });

  segment
    .command('list')
    .description(say('help.segment.list'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/segments' }), false)
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { listSavedSegments } = await import('./segment.js');
      console.log(await listSavedSegments({ ...options, locale }));
    });

  const workspaceOptions = (command: Command) =>
    command.option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE).option('-d, --database <url>', say('help.option.database'));

  const journal = program.command('journal').description(say('help.journal'));
  workspaceOptions(journal.command('list').description(say('help.journal.list')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/events/journal' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { journalListCommand } = await import('./journal.js');
      console.log(await journalListCommand({ ...options, locale }));
    });
  workspaceOptions(journal.command('retry').description(say('help.journal.retry')))
    .argument('<id>', say('help.arg.journalBatch'), positiveInteger)
    .option('-a, --actor <name>', say('help.option.journalActor'), 'cli')
    .option('--json', say('help.option.json', { call: 'POST /api/v1/events/journal/{batch}/retry' }), false)
    .action(async (id: number, options: { workspace: string; database?: string; actor: string; json: boolean }) => {
      const { journalRetryCommand } = await import('./journal.js');
      console.log(await journalRetryCommand(id, { ...options, locale }));
    });

  const customer = program.command('customer').description(say('help.customer'));
  workspaceOptions(customer.command('show').description(say('help.customer.show')))
    .argument('<id>', say('help.arg.customerId'), customerIdParser(say))
    .option('--by <kind>', say('help.option.portraitBy'), choiceParser(IDENTITY_KINDS, say('invalid.identityKind')))
    .option('--json', say('help.option.portraitJson'), false)
    .option('-n, --recent <count>', say('help.option.portraitRecent'), nonNegativeInteger, 10)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (id: string, options: { workspace: string; database?: string; by?: IdentityKind; json: boolean; recent: number; actor: string }) => {
      const { showCustomerCommand } = await import('./customer.js');
      console.log(await showCustomerCommand(id, { ...options, locale }));
    });
  workspaceOptions(customer.command('find').alias('search').description(say('help.customer.find')))
    .argument('<text>', say('help.arg.findText'))
    .option('-n, --limit <count>', say('help.option.findLimit'), wholeNumberParser(say, 1, 1000), 20)
    .option('--offset <count>', say('help.option.findOffset'), nonNegativeInteger, 0)
    .option('--json', say('help.option.findJson'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (text: string, options: { workspace: string; database?: string; json: boolean; limit: number; offset: number; actor: string }) => {
      const { findCustomersCommand } = await import('./customer.js');
      console.log(await findCustomersCommand(text, { ...options, locale }));
    });
  workspaceOptions(customer.command('merge').description(say('help.customer.merge')))
    .argument('<from>', say('help.arg.mergeFrom'), customerIdParser(say))
    .addOption(requiredAfterArguments('--into <id>', say('help.option.mergeInto')).argParser(customerIdParser(say)))
    .option('-y, --yes', say('help.option.yesMerge'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (from: string, options: { workspace: string; database?: string; into: string; yes: boolean; actor: string }) => {
      const { mergeCustomersCommand } = await import('./customer.js');
      printAsked(await mergeCustomersCommand(from, { ...options, locale }));
    });
  const identity = customer.command('identity').description(say('help.customer.identity'));
  workspaceOptions(identity.command('remove').description(say('help.customer.identity.remove')))
    .argument('<customer>', say('help.arg.customerId'), customerIdParser(say))
    .argument('<kind>', say('help.arg.identityKind'), choiceParser(IDENTITY_KINDS, say('invalid.identityKind')))
    .argument('<value>', say('help.arg.identityValue'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (id: string, kind: IdentityKind, value: string, options: { workspace: string; database?: string; actor: string }) => {
      const { removeIdentityCommand } = await import('./customer.js');
      console.log(await removeIdentityCommand(id, kind, value, { ...options, locale }));
    });
  workspaceOptions(customer.command('erasures').description(say('help.customer.erasures')))
    .argument('<id>', say('help.arg.customerId'), customerIdParser(say))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/erasures?customer=ID' }), false)
    .action(async (id: string, options: { workspace: string; database?: string; json: boolean }) => {
      const { erasuresCommand } = await import('./erasures.js');
      console.log(await erasuresCommand(id, { ...options, locale }));
    });
  workspaceOptions(customer.command('erase').description(say('help.customer.erase')))
    .argument('<id>', say('help.arg.customerId'), customerIdParser(say))
    .option('-y, --yes', say('help.option.yesErase'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (id: string, options: { workspace: string; database?: string; yes: boolean; actor: string }) => {
      const { eraseCustomer } = await import('../engine/erasure.js');
      const { requireCustomer } = await import('../engine/customers.js');
      const store = await openMigratedStore(options.database);
      try {
        const context = await openWorkspace(store, options.workspace, options.actor, systemClock);
        // A customer that is not there is said first (CUSTOMER_NOT_FOUND), not after a --yes that would erase nothing.
        await requireCustomer(context, id);
        if (!options.yes) {
          console.error(say('erase.needsYes', { id }));
          process.exitCode = 2;
          return;
        }
        const result = await eraseCustomer(context, id);
        const [{ ERASED_CUSTOMER_PATH }, { auditCli }] = await Promise.all([import('../engine/audit.js'), import('./audit-entry.js')]);
        await auditCli(context, 'customer erase', ERASED_CUSTOMER_PATH);
        console.log(say('erase.done', { id, records: result.records, identities: result.identities, events: result.events, assignments: result.assignments, history: result.history, snapshots: result.snapshot_memberships }));
      } finally {
        await store.close();
      }
    });

  const token = program.command('token').description(say('help.token'));
  token
    .command('create')
    .description(say('help.token.create'))
    .argument('<name>', say('help.arg.tokenName'))
    .addOption(requiredAfterArguments('-r, --role <role>', say('help.option.role')))
    .option('--expires-in <days>', say('help.option.expiresIn'), wholeNumberParser(say, 1, TOKEN_DAYS_MOST))
    .option('-w, --workspace <key>', say('help.option.tokenWorkspace'), (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (name: string, options: { role: string; expiresIn?: number; workspace?: string[]; actor: string; database?: string }) => {
      const [{ createTokenCommand }, { printSecret }] = await Promise.all([import('./token.js'), import('./secret.js')]);
      printSecret(await createTokenCommand(name, options.role, { ...options, locale }));
    });
  token
    .command('list')
    .description(say('help.token.list'))
    .option('--json', say('help.option.tokenListJson'), false)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { database?: string; json: boolean }) => {
      const { listTokensCommand } = await import('./token.js');
      console.log(await listTokensCommand({ ...options, locale }));
    });
  token
    .command('revoke')
    .description(say('help.token.revoke'))
    .argument('<name>', say('help.arg.tokenName'))
    .option('-y, --yes', say('help.option.yesTokenRevoke'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (name: string, options: { database?: string; yes: boolean; actor: string }) => {
      const { revokeTokenCommand } = await import('./token.js');
      printAsked(await revokeTokenCommand(name, { ...options, locale }));
    });

  const workspace = program.command('workspace').description(say('help.workspace'));
  workspace
    .command('list')
    .description(say('help.workspace.list'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/workspaces' }), false)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { database?: string; json: boolean }) => {
      const { listWorkspacesCommand } = await import('./workspace.js');
      console.log(await listWorkspacesCommand({ ...options, locale }));
    });
  workspace
    .command('create')
    .description(say('help.workspace.create'))
    .argument('<key>', say('help.arg.workspaceKey'))
    .option('-n, --name <name>', say('help.option.workspaceName'))
    .option('--utc-offset <offset>', say('help.option.utcOffset'), utcOffset)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { name?: string; utcOffset?: number; actor: string; database?: string }) => {
      const { createWorkspaceCommand } = await import('./workspace.js');
      console.log(await createWorkspaceCommand(key, { ...options, locale }));
    });
  workspace
    .command('update')
    .description(say('help.workspace.update'))
    .argument('<key>', say('help.arg.workspaceKey'))
    .option('-n, --name <name>', say('help.option.workspaceNewName'))
    .option('--utc-offset <offset>', say('help.option.utcOffsetChange'), utcOffset)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { name?: string; utcOffset?: number; actor: string; database?: string }) => {
      const { updateWorkspaceCommand } = await import('./workspace.js');
      console.log(await updateWorkspaceCommand(key, { ...options, locale }));
    });

  workspace
    .command('delete')
    .description(say('help.workspace.delete'))
    .argument('<key>', say('help.arg.workspaceKey'))
    .option('-y, --yes', say('help.option.yesWorkspaceDelete'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (key: string, options: { yes: boolean; actor: string; database?: string }) => {
      const { deleteWorkspaceCommand } = await import('./workspace.js');
      printAsked(await deleteWorkspaceCommand(key, { ...options, locale }));
    });

  const field = program.command('field').description(say('help.field'));
  workspaceOptions(field.command('list').description(say('help.field.list')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/fields' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { listFieldsCommand } = await import('./field.js');
      console.log(await listFieldsCommand({ ...options, locale }));
    });
  workspaceOptions(field.command('add').description(say('help.field.add')))
    .argument('<key>', say('help.arg.fieldKey'))
    .option('-n, --name <name>', say('help.option.fieldName'))
    .option('-t, --type <type>', say('help.option.fieldType'), choiceParser(CUSTOM_FIELD_TYPES, say('invalid.fieldType')), 'string')
    .option('-o, --options <values>', say('help.option.fieldOptions'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (key: string, options: { workspace: string; database?: string; name?: string; type: CustomFieldType; options?: string; actor: string }) => {
      const { addFieldCommand } = await import('./field.js');
      console.log(await addFieldCommand(key, { ...options, locale }));
    });

  const metric = program.command('metric').description(say('help.metric'));
  workspaceOptions(metric.command('list').description(say('help.metric.list')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/metrics' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { listMetricsCommand } = await import('./metric.js');
      console.log(await listMetricsCommand({ ...options, locale }));
    });

  workspaceOptions(program.command('audit').description(say('help.audit')))
    .option('-n, --limit <count>', say('help.option.auditLimit'), wholeNumberParser(say, 1, PAGE_MOST), 50)
    .option('-a, --actor <name>', say('help.option.auditActor'), textParser(1, AUDIT_ACTOR_MOST, say('invalid.auditActor', { most: AUDIT_ACTOR_MOST })))
    .option('--before <entry>', say('help.option.auditBefore'), wholeNumberParser(say, 1, Number.MAX_SAFE_INTEGER, say('invalid.auditBefore')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/audit' }), false)
    .action(async (options: { workspace: string; database?: string; limit: number; actor?: string; before?: number; json: boolean }) => {
      const { auditCommand } = await import('./audit.js');
      console.log(await auditCommand({ ...options, locale }));
    });

  const tag = program.command('tag').description(say('help.tag'));
  workspaceOptions(tag.command('list').description(say('help.tag.list')))
    .option('--json', say('help.option.tagListJson'), false)
    .option('--archived', say('help.option.tagListArchived'), false)
    .action(async (options: { workspace: string; database?: string; json: boolean; archived: boolean }) => {
      const { listTagsCommand } = await import('./tag-list.js');
      console.log(await listTagsCommand({ ...options, locale }));
    });
  workspaceOptions(tag.command('assign').description(say('help.tag.assign')))
    .argument('<tag>', say('help.arg.tag'))
    .argument('<value>', say('help.arg.tagValue'))
    .argument('[customers...]', say('help.arg.taggedCustomers'))
    .option('-f, --file <file>', say('help.option.customersFile'))
    .option('--expires-in <days>', say('help.option.assignExpiresIn'), wholeNumberParser(say, 1, EXPIRY_DAYS_MOST))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (key: string, value: string, customers: string[], options: { workspace: string; database?: string; file?: string; expiresIn?: number; actor: string }) => {
      const { assignTagCommand } = await import('./tagging.js');
      console.log(await assignTagCommand(key, value, customers, { ...options, expiresInDays: options.expiresIn, locale }));
    });
  workspaceOptions(tag.command('unassign').description(say('help.tag.unassign')))
    .argument('<tag>', say('help.arg.tag'))
    .argument('[customers...]', say('help.arg.taggedCustomers'))
    .option('-v, --value <value>', say('help.option.unassignValue'))
    .option('-f, --file <file>', say('help.option.customersFile'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (key: string, customers: string[], options: { workspace: string; database?: string; value?: string; file?: string; actor: string }) => {
      const { unassignTagCommand } = await import('./tagging.js');
      console.log(await unassignTagCommand(key, customers, { ...options, locale }));
    });
  workspaceOptions(tag.command('undo').description(say('help.tag.undo')))
    .argument('<operation>', say('help.arg.operation'), positiveInteger)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (operation: number, options: { workspace: string; database?: string; actor: string }) => {
      const { undoTaggingCommand } = await import('./tagging.js');
      console.log(await undoTaggingCommand(operation, { ...options, locale }));
    });
  workspaceOptions(tag.command('operations').description(say('help.tag.operations')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/tagging/operations' }), false)
    .option('-a, --actor <name>', say('help.option.operationsActor'), 'cli')
    .action(async (options: { workspace: string; database?: string; json: boolean; actor: string }) => {
      const { taggingOperationsCommand } = await import('./tagging.js');
      console.log(await taggingOperationsCommand({ ...options, locale }));
    });
  workspaceOptions(tag.command('delete').description(say('help.tag.delete')))
    .argument('<tag>', say('help.arg.tag'))
    .option('-y, --yes', say('help.option.yesTagDelete'), false)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (key: string, options: { workspace: string; database?: string; yes: boolean; actor: string }) => {
      const { deleteTagCommand } = await import('./tag-delete.js');
      printAsked(await deleteTagCommand(key, { ...options, locale }));
    });
  const repeatable = (value: string, previous: string[]) => [...previous, value];
  workspaceOptions(tag.command('create').description(say('help.tag.create')))
    .argument('<name>', say('help.arg.tagName'))
    .option('-v, --values <values>', say('help.option.tagValues'))
    .option('--key <key>', say('help.option.tagCreateKey'))
    .option('--multi', say('help.option.tagMulti'))
    .option('--ordered', say('help.option.tagOrdered'))
    .option('--color <colour>', say('help.option.tagColor'))
    .option('--description <text>', say('help.option.tagDescription'))
    .option('-g, --group <group>', say('help.option.tagGroup'))
    .option('--expires-in <days>', say('help.option.tagExpiresIn'), wholeNumberParser(say, 1, EXPIRY_DAYS_MOST))
    .option('-k, --kind <kind>', say('help.option.tagCreateKind'), choiceParser(['manual', 'rule'] as const, say('invalid.tagKind')))
    .option('-c, --condition <value=expression>', say('help.option.tagCondition'), repeatable, [] as string[])
    .option('-s, --scope <scope>', say('help.option.tagCreateScope'), choiceParser(['enterprise', 'personal'] as const, say('invalid.tagScope')))
    .option('-a, --actor <name>', say('help.option.tagCreateActor'), 'cli')
    .action(async (name: string, options: { workspace: string; database?: string; values?: string; key?: string; multi?: boolean; ordered?: boolean; color?: string; description?: string; group?: string; expiresIn?: number; kind?: 'manual' | 'rule'; condition: string[]; scope?: 'enterprise' | 'personal'; actor: string }) => {
      const { createTagCommand } = await import('./tag-create.js');
      console.log(await createTagCommand(name, { ...options, conditions: options.condition, locale }));
    });
  workspaceOptions(tag.command('update').alias('edit').description(say('help.tag.update')))
    .argument('<tag>', say('help.arg.tag'))
    .option('-n, --name <name>', say('help.option.tagNewName'))
    .option('--key <key>', say('help.option.tagNewKey'))
    .option('--color <colour>', say('help.option.tagColor'))
    .option('--description <text>', say('help.option.tagDescription'))
    .option('-g, --group <group>', say('help.option.tagGroup'))
    .option('--no-group', say('help.option.tagNoGroup'))
    .option('--multi', say('help.option.tagMulti'))
    .option('--single', say('help.option.tagSingle'))
    .option('--ordered', say('help.option.tagOrdered'))
    .option('--no-ordered', say('help.option.tagNotOrdered'))
    .option('--expires-in <days>', say('help.option.tagExpiresIn'), wholeNumberParser(say, 1, EXPIRY_DAYS_MOST))
    .option('--no-expires-in', say('help.option.tagNoExpiry'))
    .option('--archive', say('help.option.tagArchive'))
    .option('--restore', say('help.option.tagRestore'))
    .option('--add-value <value>', say('help.option.tagAddValue'), repeatable, [] as string[])
    .option('--rename-value <value=name>', say('help.option.tagRenameValue'), repeatable, [] as string[])
    .option('-k, --kind <kind>', say('help.option.tagKind'), choiceParser(['manual', 'rule'] as const, say('invalid.tagKind')))
    .option('-c, --condition <value=expression>', say('help.option.tagCondition'), repeatable, [] as string[])
    .option('-s, --scope <scope>', say('help.option.tagScope'), choiceParser(['enterprise', 'personal'] as const, say('invalid.tagScope')))
    .option('-a, --actor <name>', say('help.option.tagUpdateActor'), 'cli')
    .action(
      async (
        key: string,
        options: {
          workspace: string;
          database?: string;
          name?: string;
          key?: string;
          color?: string;
          description?: string;
          group?: string | false;
          multi?: boolean;
          single?: boolean;
          ordered?: boolean;
          expiresIn?: number | false;
          archive?: boolean;
          restore?: boolean;
          addValue: string[];
          renameValue: string[];
          kind?: 'manual' | 'rule';
          condition: string[];
          scope?: 'enterprise' | 'personal';
          actor: string;
        },
      ) => {
        const { updateTagCommand } = await import('./tag-update.js');
        console.log(await updateTagCommand(key, { ...options, conditions: options.condition, addValues: options.addValue, renameValues: options.renameValue, locale }));
      },
    );
  workspaceOptions(tag.command('transitions').description(say('help.tag.transitions')))
    .argument('<tag>', say('help.arg.tag'))
    .option('--from <date>', say('help.option.from'))
    .option('--to <date>', say('help.option.to'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/tags/{tag}/transitions' }), false)
    .action(async (key: string, options: { workspace: string; database?: string; from?: string; to?: string; json: boolean }) => {
      const { tagTransitionsCommand } = await import('./transitions.js');
      console.log(await tagTransitionsCommand(key, { ...options, locale }));
    });
  workspaceOptions(tag.command('profile').description(say('help.tag.profile')))
    .argument('<tag>', say('help.arg.tag'))
    .option('-m, --metrics <keys>', say('help.option.profileMetrics'), '')
    .option('-s, --segment <key>', say('help.option.profileSegment'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/tags/{tag}/profile' }), false)
    .action(async (key: string, options: { workspace: string; database?: string; metrics: string; segment?: string; json: boolean }) => {
      const { tagProfileCommand } = await import('./transitions.js');
      const metrics = options.metrics.split(',').map((name) => name.trim()).filter(Boolean);
      console.log(await tagProfileCommand(key, { ...options, metrics, locale }));
    });

  const model = program.command('model').description(say('help.model'));
  workspaceOptions(model.command('list').description(say('help.model.list')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/models' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { listModelsCommand } = await import('./model.js');
      console.log(await listModelsCommand({ ...options, locale }));
    });
  workspaceOptions(model.command('enable').description(say('help.model.enable')))
    .argument('<name>', say('help.arg.modelName'))
    .option('-p, --param <name=value>', say('help.option.param'), (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--tag-key <key>', say('help.option.tagKey'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (name: string, options: { workspace: string; database?: string; param: string[]; tagKey?: string; actor: string }) => {
      const { enableModelCommand } = await import('./model.js');
      console.log(await enableModelCommand(name, options.param, { ...options, locale }));
    });
  workspaceOptions(model.command('refresh').description(say('help.model.refresh')))
    .argument('<name>', say('help.arg.model'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (name: string, options: { workspace: string; database?: string; actor: string }) => {
      const { refreshModelCommand } = await import('./model.js');
      console.log(await refreshModelCommand(name, { ...options, locale }));
    });
  workspaceOptions(model.command('disable').description(say('help.model.disable')))
    .argument('<name>', say('help.arg.model'))
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .action(async (name: string, options: { workspace: string; database?: string; actor: string }) => {
      const { disableModelCommand } = await import('./model.js');
      console.log(await disableModelCommand(name, { ...options, locale }));
    });

  const care = program.command('care').description(say('help.care'));
  const webhook = program.command('webhook').description(say('help.webhook'));
  const webhookOptions = (command: Command) => workspaceOptions(command).option('-a, --actor <name>', say('help.option.webhookActor'), 'cli');
  const repeated = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  // Listing webhooks and their deliveries records nothing, so names no actor (-a would be taken and go unread).
  workspaceOptions(webhook.command('list').description(say('help.webhook.list')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/webhooks' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { listWebhooksCommand } = await import('./webhook.js');
      console.log(await listWebhooksCommand({ ...options, locale }));
    });
  webhookOptions(webhook.command('add').description(say('help.webhook.add')))
    .argument('<url>', say('help.arg.webhookUrl'))
    .option('-t, --topic <topic>', say('help.option.webhookTopic'), repeated)
    .option('--tag <key>', say('help.option.webhookTag'), repeated)
    .option('-s, --segment <key>', say('help.option.webhookSegment'), repeated)
    .option('--secret <secret>', say('help.option.webhookSecret'))
    .action(async (url: string, options: { workspace: string; database?: string; actor: string; topic?: string[]; tag?: string[]; segment?: string[]; secret?: string }) => {
      const [{ addWebhookCommand }, { printSecret }] = await Promise.all([import('./webhook.js'), import('./secret.js')]);
      printSecret(await addWebhookCommand(url, { ...options, locale }));
    });
  webhookOptions(webhook.command('topics').description(say('help.webhook.topics')))
    .argument('<id>', say('help.arg.webhookId'), positiveInteger)
    .option('--add <topic>', say('help.option.webhookTopicAdd'), repeated)
    .option('--remove <topic>', say('help.option.webhookTopicRemove'), repeated)
    .action(async (id: number, options: { workspace: string; database?: string; actor: string; add?: string[]; remove?: string[] }) => {
      const { webhookTopicsCommand } = await import('./webhook.js');
      console.log(await webhookTopicsCommand(id, { ...options, locale }));
    });
  webhookOptions(webhook.command('test').description(say('help.webhook.test')))
    .argument('<id>', say('help.arg.webhookId'), positiveInteger)
    .action(async (id: number, options: { workspace: string; database?: string; actor: string }) => {
      const { testWebhookCommand, WEBHOOK_TEST_FAILED_EXIT_CODE } = await import('./webhook.js');
      const tested = await testWebhookCommand(id, { ...options, locale });
      if (tested.delivered) console.log(tested.text);
      else {
        console.error(tested.text);
        process.exitCode = WEBHOOK_TEST_FAILED_EXIT_CODE;
      }
    });
  workspaceOptions(webhook.command('deliveries').description(say('help.webhook.deliveries')))
    .argument('<id>', say('help.arg.webhookId'), positiveInteger)
    .option('--json', say('help.option.json', { call: 'GET /api/v1/webhooks/{webhook}/deliveries' }), false)
    .action(async (id: number, options: { workspace: string; database?: string; json: boolean }) => {
      const { webhookDeliveriesCommand } = await import('./webhook.js');
      console.log(await webhookDeliveriesCommand(id, { ...options, locale }));
    });
  webhookOptions(webhook.command('rotate-secret').description(say('help.webhook.rotateSecret')))
    .argument('<id>', say('help.arg.webhookId'), positiveInteger)
    .option('--secret <secret>', say('help.option.webhookSecret'))
    .action(async (id: number, options: { workspace: string; database?: string; actor: string; secret?: string }) => {
      const [{ rotateWebhookSecretCommand }, { printSecret }] = await Promise.all([import('./webhook.js'), import('./secret.js')]);
      printSecret(await rotateWebhookSecretCommand(id, { ...options, locale }));
    });
  for (const change of ['pause', 'resume', 'retry'] as const) {
    webhookOptions(webhook.command(change).description(say(`help.webhook.${change}`)))
      .argument('<id>', say('help.arg.webhookId'), positiveInteger)
      .action(async (id: number, options: { workspace: string; database?: string; actor: string }) => {
        const { changeWebhookCommand } = await import('./webhook.js');
        console.log(await changeWebhookCommand(change, id, { ...options, locale }));
      });
  }
  webhookOptions(webhook.command('remove').description(say('help.webhook.remove')))
    .argument('<id>', say('help.arg.webhookId'), positiveInteger)
    .option('-y, --yes', say('help.option.yesWebhookRemove'), false)
    .action(async (id: number, options: { workspace: string; database?: string; actor: string; yes: boolean }) => {
      const { removeWebhookCommand } = await import('./webhook.js');
      printAsked(await removeWebhookCommand(id, { ...options, locale }));
    });

  // A plan's change and a round of care are recorded in the audit trail; a reminder's outcome on the reminder too.
  const careOptions = (command: Command, actor = say('help.option.careActor')) => workspaceOptions(command).option('-a, --actor <name>', actor, 'cli');
  const carePlanOptions = (command: Command) => careOptions(command, say('help.option.auditedActor'));
  // The plans name no customer: listing them records nothing, so it names no actor.
  workspaceOptions(care.command('plans').description(say('help.care.plans')))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/care/plans' }), false)
    .action(async (options: { workspace: string; database?: string; json: boolean }) => {
      const { carePlansCommand } = await import('./care.js');
      console.log(await carePlansCommand({ ...options, locale }));
    });
  carePlanOptions(care.command('add').description(say('help.care.add')))
    .argument('<file>', say('help.arg.planFile'))
    .action(async (file: string, options: { workspace: string; database?: string; actor: string }) => {
      const { addCarePlanCommand } = await import('./care.js');
      console.log(await addCarePlanCommand(file, { ...options, locale }));
    });
  carePlanOptions(care.command('update').description(say('help.care.update')))
    .argument('<plan>', say('help.arg.carePlan'))
    .argument('<file>', say('help.arg.planChangeFile'))
    .action(async (plan: string, file: string, options: { workspace: string; database?: string; actor: string }) => {
      const { updateCarePlanCommand } = await import('./care.js');
      console.log(await updateCarePlanCommand(plan, file, { ...options, locale }));
    });
  carePlanOptions(care.command('run').description(say('help.care.run'))).action(async (options: { workspace: string; database?: string; actor: string }) => {
    const { runCareCommand } = await import('./care.js');
    console.log(await runCareCommand({ ...options, locale }));
  });
  // Each reminder names its customer: a read recorded as the API's when reads are (TAGBASE_AUDIT_READS=on).
  careOptions(care.command('reminders').description(say('help.care.reminders')), say('help.option.readActor'))
    .option('-s, --status <status>', say('help.option.reminderStatus'), reminderStatus, 'due')
    .option('-p, --plan <plan>', say('help.option.carePlan'))
    .option('-c, --customer <id>', say('help.option.careCustomer'), customerIdParser(say))
    .option('-n, --limit <count>', say('help.option.reminderLimit'), wholeNumberParser(say, 1, PAGE_MOST), 50)
    .option('-o, --offset <count>', say('help.option.reminderOffset'), nonNegativeInteger, 0)
    .option('--json', say('help.option.json', { call: 'GET /api/v1/care/reminders' }), false)
    .action(async (options: { workspace: string; database?: string; actor: string; status: ReminderStatus; plan?: string; customer?: string; limit: number; offset: number; json: boolean }) => {
      const { remindersCommand } = await import('./care.js');
      console.log(await remindersCommand({ ...options, locale }));
    });
  for (const enabled of [true, false]) {
    carePlanOptions(care.command(enabled ? 'enable' : 'disable').description(say(enabled ? 'help.care.enable' : 'help.care.disable')))
      .argument('<plan>', say('help.arg.carePlan'))
      .action(async (plan: string, options: { workspace: string; database?: string; actor: string }) => {
        const { switchCarePlanCommand } = await import('./care.js');
        console.log(await switchCarePlanCommand(plan, enabled, { ...options, locale }));
      });
  }
  carePlanOptions(care.command('remove').description(say('help.care.remove')))
    .argument('<plan>', say('help.arg.carePlan'))
    .option('-y, --yes', say('help.option.yesCareRemove'), false)
    .action(async (plan: string, options: { workspace: string; database?: string; actor: string; yes: boolean }) => {
      const { removeCarePlanCommand } = await import('./care.js');
      printAsked(await removeCarePlanCommand(plan, { ...options, locale }));
    });
  for (const outcome of ['done', 'dismissed'] as const) {
    careOptions(care.command(outcome === 'done' ? 'done' : 'dismiss').description(say(outcome === 'done' ? 'help.care.done' : 'help.care.dismiss')))
      .argument('<reminder>', say('help.arg.reminder'))
      .action(async (id: string, options: { workspace: string; database?: string; actor: string }) => {
        const { resolveReminderCommand } = await import('./care.js');
        console.log(await resolveReminderCommand(id, outcome, { ...options, locale }));
      });
  }
  careOptions(care.command('reopen').description(say('help.care.reopen')))
    .argument('<reminder>', say('help.arg.reminder'))
    .action(async (id: string, options: { workspace: string; database?: string; actor: string }) => {
      const { reopenReminderCommand } = await import('./care.js');
      console.log(await reopenReminderCommand(id, { ...options, locale }));
    });
  careOptions(care.command('snooze').description(say('help.care.snooze')))
    .argument('<reminder>', say('help.arg.reminder'))
    .argument('<for>', say('help.arg.snoozeFor'))
    .action(async (id: string, duration: string, options: { workspace: string; database?: string; actor: string }) => {
      const { snoozeReminderCommand } = await import('./care.js');
      console.log(await snoozeReminderCommand(id, duration, { ...options, locale }));
    });
  careOptions(care.command('unsnooze').description(say('help.care.unsnooze')))
    .argument('<reminder>', say('help.arg.reminder'))
    .action(async (id: string, options: { workspace: string; database?: string; actor: string }) => {
      const { unsnoozeReminderCommand } = await import('./care.js');
      console.log(await unsnoozeReminderCommand(id, { ...options, locale }));
    });

  const template = program.command('template').description(say('help.template'));
  template
    .command('list')
    .description(say('help.template.list'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/templates' }), false)
    .action(async (options: { json: boolean }) => {
      const { formatTemplateList, templateListJson } = await import('./template.js');
      console.log(options.json ? templateListJson() : formatTemplateList(locale));
    });
  template
    .command('show')
    .description(say('help.template.show'))
    .argument('<name>', say('help.arg.templateName'))
    .option('--json', say('help.option.json', { call: 'GET /api/v1/templates/{template}' }), false)
    .action(async (name: string, options: { json: boolean }) => {
      const { formatTemplate, templateJson } = await import('./template.js');
      console.log(options.json ? templateJson(name) : formatTemplate(name, locale));
    });
  template
    .command('apply')
    .description(say('help.template.apply'))
    .argument('<name>', say('help.arg.template'))
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('-a, --actor <name>', say('help.option.auditedActor'), 'cli')
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (name: string, options: { workspace: string; database?: string; actor: string }) => {
      const { applyTemplateCommand } = await import('./template.js');
      console.log(await applyTemplateCommand(name, { ...options, locale }));
    });

  program
    .command('doctor')
    .description(say('help.doctor'))
    .option('-w, --workspace <key>', say('help.option.workspace'), DEFAULT_WORKSPACE)
    .option('--jaccard <x>', say('help.option.jaccard'), fraction, 0.9)
    .option('--min-members <n>', say('help.option.minMembers'), positiveInteger, 20)
    .option('--group-budget <n>', say('help.option.groupBudget'), positiveInteger, 30)
    .option('--min-owners <n>', say('help.option.minOwners'), wholeNumberParser(say, 2), 3)
    .option('--json', say('help.option.doctorJson'), false)
    .option('-d, --database <url>', say('help.option.database'))
    .action(async (options: { workspace: string; database?: string; jaccard: number; minMembers: number; groupBudget: number; minOwners: number; json: boolean }) => {
      const { DOCTOR_FINDINGS_EXIT_CODE, runDoctor } = await import('./doctor.js');
      const { DOCTOR_STORE_FAILED_EXIT_CODE } = await import('./doctor-store.js');
      const thresholds = { jaccard: options.jaccard, min_members: options.minMembers, group_budget: options.groupBudget, min_owners: options.minOwners };
      const { output, findings, storePassed } = await runDoctor({ workspace: options.workspace, database: options.database, thresholds, locale, json: options.json });
      console.log(output);
      // The library is not reviewed on a store that failed its checks.
      if (!storePassed) process.exitCode = DOCTOR_STORE_FAILED_EXIT_CODE;
      else if (findings > 0) process.exitCode = DOCTOR_FINDINGS_EXIT_CODE;
    });

  program
    .command('completion')
    .description(say('help.completion'))
    .argument('[shell]', say('help.arg.completionShell'), choiceParser(COMPLETION_SHELLS, say('invalid.completionShell')), 'bash')
    .action(async (shell: CompletionShell) => {
      const { bashCompletionScript, zshCompletionScript } = await import('./completion.js');
      process.stdout.write(await (shell === 'zsh' ? zshCompletionScript(program) : bashCompletionScript(program)));
    });

  addExamples(program, say);
  pointToCommands(program, say);
  return program;
}

/**
 * What a command that holds others (`tagbase`, `tagbase segment`) says under an error, an unknown
 * command above all: where its commands are listed, since `--help` after an unknown command is
 * refused too. Set once its commands are made, which keep the pointer to their own help.
 */
function pointToCommands(command: Command, say: Say, path: readonly string[] = ['tagbase']): void {
  if (command.commands.length === 0) return;
  command.showHelpAfterError(say('help.afterErrorCommands', { command: path.join(' ') }));
  for (const sub of command.commands) pointToCommands(sub, say, [...path, sub.name()]);
}

/**
 * Command lines shown under a command's help, as one would type them, by the command's path.
 * The same in either language: keys, options and the demo's data do not change with it.
 */
const HELP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'tagbase demo',
    'tagbase serve --port 8080',
    'tagbase segment count \'city = "上海" and spend_365d >= 5000\' -w demo',
    'tagbase customer show 18438942126 --by phone -w demo',
    'tagbase import customers 会员.csv -w shop',
    'tagbase help segment',
  ],
  import: [
    'tagbase import customers 会员.csv -w shop',
    'tagbase import events 订单.csv -c 会员号=customer_id -c 金额=properties.amount',
    'curl -s https://shop.example/events.jsonl | tagbase import events - -f jsonl',
    'tagbase import customers --template 客户导入模板.xlsx -w shop',
    'tagbase import assignments --template --lang en > assignments-template.csv',
  ],
  'segment count': ['tagbase segment count \'city = "上海" and spend_365d >= 5000\' -w demo', 'tagbase segment count --segment 流失风险客户 -w demo'],
  'segment export': [
    'tagbase segment export \'rfm = "重要价值客户"\' -m spend_365d -w demo > vip.csv',
    'tagbase segment export --segment 流失风险客户 -o 流失风险客户.xlsx -w demo',
    'tagbase segment export --all --header names -o 全部客户.xlsx -w demo',
  ],
  'segment save': ['tagbase segment save big_spenders \'spend_365d >= 5000\' -n 大客户 -w demo'],
  'segment sizes': ['tagbase segment sizes 流失风险客户 -n 90 -w demo'],
  'segment insight': ['tagbase segment insight 流失风险客户 -w demo', 'tagbase segment insight 重要价值客户 -m spend_365d --top 20 -w demo'],
  'segment delete': ['tagbase segment delete big_spenders --yes -w demo'],
  'segment snapshots': ['tagbase segment snapshots 流失风险客户 -w demo', 'tagbase segment snapshots drifting_away -n 20 --json -w demo'],
  'segment exports': ['tagbase segment exports -w demo', 'tagbase segment exports -n 200 --json -w demo'],
  'journal list': ['tagbase journal list -w demo', 'tagbase journal list --json -w demo'],
  'journal retry': ['tagbase journal retry 42 -w demo', 'tagbase journal retry 42 -a 运维-老陈 --json -w demo'],
  'metric list': ['tagbase metric list -w demo', 'tagbase metric list -w demo --json'],
  'tag operations': ['tagbase tag operations -w demo', 'tagbase tag undo 42 -w demo'],
  'tag delete': ['tagbase tag delete 试用标签 -w demo', 'tagbase tag delete trial --yes -w demo'],
  'tag update': ["tagbase tag update 高潜 -k rule -c '高=orders_30d > 0' -c '低=orders_30d = 0'", 'tagbase tag update 高潜 --kind manual -w demo', 'tagbase tag update 我的重点 --scope enterprise -a 导购-王芳 -w demo'],
  'workspace delete': ['tagbase workspace delete shop-test --yes'],
  'store copy': ['tagbase store copy --to postgres://tagbase:secret@db/tagbase', 'tagbase store copy -d postgres://tagbase@db/tagbase --to laptop.db'],
  'webhook remove': ['tagbase webhook remove 3 --yes -w demo'],
  'webhook topics': ['tagbase webhook topics 3 --add customer_changes -w demo', 'tagbase webhook topics 3 --remove customer_changes -w demo'],
  'token revoke': ['tagbase token revoke 导购-王芳 --yes'],
  audit: ['tagbase audit --actor 导购-王芳 -w demo', 'tagbase audit -n 100 --before 1234 -w demo'],
  'customer find': ['tagbase customer find 王芳 -w demo', 'tagbase customer find 18438942126 -w demo --json'],
  'customer show': ['tagbase customer show C000006 -w demo', 'tagbase customer show 18438942126 --by phone -w demo -n 2 --json'],
  'customer merge': ['tagbase customer merge C000417 --into C000006 -w demo', 'tagbase customer merge C000417 --into C000006 --yes -w demo'],
  'customer identity remove': ['tagbase customer identity remove C000006 phone 13800138000 -w demo', "tagbase customer identity remove C000006 phone '+86 138-0013-8000' -w demo"],
  'tag assign': ['tagbase tag assign 兴趣爱好 高尔夫 C000006 C017246 -w demo', 'tagbase tag assign 重点关怀 是 -f 名单.txt --expires-in 30 -a 王芳 -w demo'],
  'tag unassign': ['tagbase tag unassign 兴趣爱好 C000006 -v 高尔夫 -w demo', 'tagbase tag unassign 重点关怀 -f 名单.txt -w demo'],
  'tag transitions': ['tagbase tag transitions rfm --from 2026-11-01 -w demo'],
  'tag profile': ['tagbase tag profile rfm -m spend_365d,refund_rate -w demo'],
  'model enable': ['tagbase model enable rfm -p recency=median -w demo', 'tagbase model enable interests --tag-key browsing_interests -w demo'],
  'token create': ['tagbase token create 导购-王芳 --role operator', 'tagbase token create 杭州店-小刘 --role operator -w shop-hz --expires-in 30'],
  'webhook add': ['tagbase webhook add https://crm.example.com/hooks/tagbase --tag rfm -w demo', 'tagbase webhook add https://sms.example.com/hooks -t care_reminders -w demo'],
  'care snooze': ['tagbase care snooze 12 3h -w demo'],
};

/**
 * What each command, by its path, does with its store (see openMigratedStore). One that only
 * `reads` it (a count, a list, a portrait, a backup) or `changes` what must be there already (a
 * tag's assignments, a reminder, a webhook, a recompute, an export, which is logged) needs it, and
 * answers STORE_NOT_FOUND where the default store is not, rather than making an empty one and
 * answering from it or failing on it. One that sets up (`serve` on a fresh machine, `demo`, an
 * import, a workspace, a field, a token, a plan) `makes` it. One that makes or changes its store
 * writes to it, and is refused on a store a copy did not finish before it writes anything, its
 * migrations and the default workspace included: the next copy into it would empty what it wrote.
 * `none`: the command opens no store. Every command has its entry (test/cli/store-use.test.ts).
 */
export const STORE_USE: Readonly<Record<string, StoreUse | 'none'>> = {
  serve: 'makes',
  migrate: 'makes',
  backup: 'reads',
  'store copy': 'reads',
  demo: 'makes',
  import: 'makes',
  recompute: 'changes',
  tick: 'changes',
  'segment count': 'reads',
  'segment export': 'changes',
  'segment sizes': 'reads',
  'segment insight': 'reads',
  'segment save': 'makes',
  'segment delete': 'changes',
  'segment list': 'reads',
  'segment snapshots': 'reads',
  'segment snapshot': 'changes',
  'segment exports': 'reads',
  'journal list': 'reads',
  'journal retry': 'changes',
  'customer show': 'reads',
  'customer find': 'reads',
  'customer erase': 'changes',
  'customer erasures': 'reads',
  'customer merge': 'changes',
  'customer identity remove': 'changes',
  'token create': 'makes',
  'token list': 'reads',
  'token revoke': 'changes',
  'workspace list': 'reads',
  'workspace create': 'makes',
  'workspace update': 'changes',
  'workspace delete': 'changes',
  'field list': 'reads',
  'field add': 'makes',
  'metric list': 'reads',
  audit: 'reads',
  'tag list': 'reads',
  'tag assign': 'changes',
  'tag unassign': 'changes',
  'tag undo': 'changes',
  'tag operations': 'reads',
  'tag transitions': 'reads',
  'tag profile': 'reads',
  'tag delete': 'changes',
  'tag update': 'changes',
  'tag create': 'makes',
  'model list': 'reads',
  'model enable': 'makes',
  'model refresh': 'changes',
  'model disable': 'changes',
  'care plans': 'reads',
  'care add': 'makes',
  'care update': 'changes',
  'care run': 'changes',
  'care reminders': 'reads',
  'care enable': 'changes',
  'care disable': 'changes',
  'care remove': 'changes',
  'care done': 'changes',
  'care dismiss': 'changes',
  'care reopen': 'changes',
  'care snooze': 'changes',
  'care unsnooze': 'changes',
  'webhook list': 'reads',
  'webhook add': 'makes',
  'webhook topics': 'changes',
  'webhook test': 'changes',
  'webhook deliveries': 'reads',
  'webhook rotate-secret': 'changes',
  'webhook pause': 'changes',
  'webhook resume': 'changes',
  'webhook retry': 'changes',
  'webhook remove': 'changes',
  'template list': 'none',
  'template show': 'none',
  'template apply': 'makes',
  doctor: 'reads',
  completion: 'none',
};

/**
 * Commands that only read but record the read of personal data in the audit trail when reads are
 * recorded (TAGBASE_AUDIT_READS=on, see CLI_AUDITED): then they write, and are refused on a store
 * a copy did not finish as a change is, rather than leave their entry where the next copy empties it.
 */
export const READS_RECORDED: ReadonlySet<string> = new Set(['customer show', 'customer find', 'care reminders']);

/** A command's path below `tagbase`, its names joined by spaces (`segment count`); an alias is read as its command. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Puts each command's examples under its help. */
function addExamples(command: Command, say: Say, path: string[] = []): void {
  const lines = HELP_EXAMPLES[path.join(' ')];
  if (lines !== undefined) command.addHelpText('after', `\n${say('help.examples')}\n${lines.map((line) => `  ${line}`).join('\n')}`);
  for (const sub of command.commands) addExamples(sub, say, [...path, sub.name()]);
}

/** The help option's two spellings, as commander reads them. */
const HELP_FLAGS = new Set(['-h', '--help']);

/**
 * `argv` as commander should read it to say that a command is not there. Commander answers
 * `tagbase generate --help` (and `tagbase segment lst -h`) with the help of the command above
 * and status 0 before it looks at the word, and `tagbase help generate` with the whole help on
 * standard error; so the help flags after an unknown command are left out, and commander says
 * it is unknown in one line, with the closest command it knows, and exits 1. `help A B` is read
 * as `A B --help`, where commander showed A's help whatever B was. Commands that hold others
 * take no option before their command but `-h` and `-V`, so the first word that is not an
 * option names it.
 */
export function unknownCommandSaid(program: Command, argv: readonly string[]): string[] {
  const args = argv.slice(2);
  let command = program;
  for (let at = 0; at < args.length && command.commands.length > 0; at += 1) {
    const word = args[at] ?? '';
    if (word.startsWith('-')) break;
    if (word === 'help') {
      const asked = args[at + 1];
      // `help` alone, or before an option: commander's help of this command, as asked.
      if (asked === undefined || asked.startsWith('-')) break;
      args.splice(at, 1);
      args.push('--help');
      at -= 1;
      continue;
    }
    const sub = command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
    if (sub === undefined) return [...argv.slice(0, 2), ...args.slice(0, at + 1), ...args.slice(at + 1).filter((arg) => !HELP_FLAGS.has(arg))];
    command = sub;
  }
  return [...argv.slice(0, 2), ...args];
}

/** Whether writing failed because the reader went away (`| head`, `| grep -q`). */
function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

export async function main(argv: string[]): Promise<void> {
  const locale = cliLocale();
  // A reader that stops early closes the pipe: stop there quietly, as other command-line tools
  // do, instead of a stack trace (an unhandled 'error' event) or a line about EPIPE.
  let stdoutFailed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (isBrokenPipe(error)) process.exit(1);
    // Anything else (a full disk under `> members.csv`, a read-only file system) is said in one
    // line, as a file given with -o is, rather than as a stack trace; once, then the command ends.
    if (stdoutFailed) return;
    stdoutFailed = true;
    const named = Object.assign(error, { path: locale === 'zh-CN' ? '标准输出' : 'standard output' });
    process.stderr.write(`${formatCliError(named, locale)}\n`, () => process.exit(1));
  });
  // Nothing can be told once stderr's reader is gone (`2>&1 | head`): its lines are dropped, and
  // the command, or the server, goes on (an unhandled 'error' would end the process mid-work).
  process.stderr.on('error', (error) => {
    if (!isBrokenPipe(error)) throw error;
  });
  try {
    const program = buildProgram(locale);
    await program.parseAsync(unknownCommandSaid(program, argv));
  } catch (error) {
    if (isBrokenPipe(error)) {
      process.exitCode = 1;
      return;
    }
    const code = process.exitCode && process.exitCode !== 0 ? Number(process.exitCode) : 1;
    // Ended once the line is out: a connection the command could not close (a PostgreSQL server
    // that asked for a password waits for it until its authentication timeout) would keep the
    // process alive a minute after it had nothing left to do.
    process.stderr.write(`${formatCliError(error, locale)}\n`, () => process.exit(code));
  }
}

/** The export format a file's name asks for: `.xlsx` a workbook, `.jsonl` or `.ndjson` JSON Lines. */
function exportFormatOfFile(file: string): 'xlsx' | 'jsonl' | undefined {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === 'xlsx') return 'xlsx';
  return extension === 'jsonl' || extension === 'ndjson' ? 'jsonl' : undefined;
}
