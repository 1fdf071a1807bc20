// `tagbase segment count|export|list|save|delete|sizes|snapshot|snapshots`: segments from the terminal, answered by the same
// bitmap index as the server (built for the workspace when the command starts).
import { lstatSync, rmSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { compileExpression, formatDiagnostic, type BoundExpression } from '../core/expression/index.js';
import { DEFAULT_LOCALE, type Locale } from '../core/locale.js';
import type { WorkspaceContext } from '../engine/context.js';
import { assertExportable, exportMembers, resolveFieldKeys, resolveMetricKeys, type ExportFormat } from '../engine/segment-members.js';
import { countedSegment, countMatched } from '../engine/segment-count.js';
import { segmentSizeHistory } from '../engine/segment-sizes.js';
import { compileSavedSegment, createSegment, deleteSegment, getSegment, listSegments, listSnapshots, loadSegmentScope, takeSnapshot, segmentInputSchema, segmentPatchSchema, segmentRow, segmentToDelete, updateSegment, type Audience, type SegmentScope } from '../engine/segments.js';
import { TagbaseError } from '../core/errors.js';
import { formatUtcOffset, minuteInZone, minuteWithZone } from '../core/time.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { parseInput } from '../core/validation.js';
import { actorName } from '../engine/context.js';
import { EVERYONE_EXPRESSION, logExport } from '../engine/export-log.js';
import { IndexRegistry } from '../index/registry.js';
import { indexAudience } from '../index/audience.js';
import { onInterrupt } from './interrupt.js';
import { progressBar } from './progress.js';
import { auditCli } from './audit-entry.js';
import { inCommandWorkspace, indexSnapshotsOn } from './store-options.js';
import { cliLocale } from './errors.js';
import { terminalTable } from './commander-locale.js';
import { cliMessages } from './messages.js';

export interface SegmentTarget {
  /** An expression, unless `segment` names a saved one. */
  expression?: string | undefined;
  segment?: string | undefined;
  /** Every customer of the workspace (`--all`), instead of an expression or a segment. */
  all?: boolean | undefined;
  workspace: string;
  database?: string | undefined;
  /** The language of the output and of expression errors; the locale settings' when not given. */
  locale?: Locale | undefined;
  /** Print the API's answer for the same thing as JSON, rather than lines for a person. */
  json?: boolean | undefined;
}

/** `command` is the subcommand run (`count`, `export`), for its example when the expression is missing. */
async function resolveTarget(context: WorkspaceContext, target: SegmentTarget, command: string): Promise<{ bound: BoundExpression; scope: SegmentScope; name: string }> {
  const locale = target.locale ?? cliLocale();
  const hasExpression = (target.expression ?? '').trim() !== '';
  // Both would leave one of them silently unused.
  if (target.all === true && (hasExpression || target.segment !== undefined)) throw new Error(cliMessages(locale)('invalid.allAndTarget'));
  if (target.segment !== undefined && hasExpression) throw new Error(cliMessages(locale)('invalid.expressionAndSegment'));
  if (target.all === true) {
    // Bound as the expression the export log names everyone by, so a count or an export of it reads as one of everyone.
    const scope = await loadSegmentScope(context);
    return { bound: compileOrUnderline(EVERYONE_EXPRESSION, scope, locale), scope, name: 'segment' };
  }
  if (target.segment !== undefined) {
    const saved = await compileSavedSegment(context, target.segment);
    // Its key, however it was named: the export log lists a segment by key.
    return { bound: saved.bound, scope: saved.scope, name: saved.segment.key };
  }
  const source = target.expression ?? '';
  if (source.trim() === '') throw new Error(cliMessages(locale)('invalid.noExpression', { command }));
  const scope = await loadSegmentScope(context);
  return { bound: compileOrUnderline(source, scope, locale), scope, name: 'segment' };
}

/** The expression bound, or an error that shows each problem under the expression, underlined, as a terminal reads it. */
function compileOrUnderline(source: string, scope: SegmentScope, locale: Locale): BoundExpression {
  const compiled = compileExpression(source, scope.catalog.catalog);
  if (!compiled.bound) throw new Error(compiled.diagnostics.map((diagnostic) => formatDiagnostic(source, diagnostic, locale)).join('\n'));
  return compiled.bound;
}

/** An index to count with: from the server's snapshot when snapshots are on and one is usable, otherwise built here. */
function audienceFor(context: WorkspaceContext): Audience {
  return indexAudience(new IndexRegistry(context.store, { snapshots: indexSnapshotsOn() }));
}

function withAudience<T>(target: SegmentTarget, command: string, body: (context: WorkspaceContext, resolved: Awaited<ReturnType<typeof resolveTarget>>, audience: Audience) => Promise<T>): Promise<T> {
  return inCommandWorkspace(target, async (context) => body(context, await resolveTarget(context, target, command), audienceFor(context)));
}

export function countSegment(target: SegmentTarget): Promise<string> {
  return withAudience(target, 'count', async (context, resolved, audience) => {
    // As `POST /segments/count` answers an expression, and `GET /segments/{segment}` a saved segment.
    if (target.json) return JSON.stringify(target.segment === undefined ? await countMatched(context, audience, resolved) : await countedSegment(context, audience, target.segment), null, 2);
    const population = await audience.population(context);
    const started = process.hrtime.bigint();
    const count = await audience.count(context, resolved.bound, resolved.scope);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    const share = population === 0 ? 0 : (count / population) * 100;
    const duration = micros < 1000 ? `${micros.toFixed(0)} µs` : `${(micros / 1000).toFixed(1)} ms`;
    return cliMessages(target.locale)('segment.count', { count, population, share: share.toFixed(1), duration });
  });
}

export function listSavedSegments(target: SegmentTarget): Promise<string> {
  return inCommandWorkspace(target, async (context) => {
    const segments = await listSegments(context);
    if (target.json) return JSON.stringify({ items: segments }, null, 2);
    return segments.length === 0 ? cliMessages(target.locale)('segment.noSaved') : terminalTable(segments.map((segment) => [segment.key, segment.name, segment.expression])).join('\n');
  });
}

/** Whether the workspace has a segment of this key or name. */
async function existingSegment(context: WorkspaceContext, keyOrName: string) {
  try {
    return await getSegment(context, keyOrName);
  } catch (error) {
    if (error instanceof TagbaseError && error.code === 'SEGMENT_NOT_FOUND') return undefined;
    throw error;
  }
}

/** `tagbase segment save KEY EXPRESSION`: a new segment, or the saved one of that key changed as `PATCH /segments/{key}` would. */
export function saveSegmentCommand(key: string, expression: string, options: Omit<SegmentTarget, 'expression' | 'segment'> & { name?: string | undefined; description?: string | undefined; actor?: string | undefined }): Promise<string> {
  return inCommandWorkspace(options, async (context) => {
    const say = cliMessages(options.locale);
    // Its mistakes underlined as `segment count` shows them; what only saving refuses (a
    // segment reading itself, a personal tag) is the engine's to say.
    compileOrUnderline(expression, await loadSegmentScope(context), options.locale ?? cliLocale());
    const before = await existingSegment(context, key);
    const saved = before
      ? await updateSegment(context, before.key, parseInput(segmentPatchSchema, { expression, ...(options.name === undefined ? {} : { name: options.name }), ...(options.description === undefined ? {} : { description: options.description }) }))
      : await createSegment(context, parseInput(segmentInputSchema, { key, name: options.name ?? key, expression, ...(options.description === undefined ? {} : { description: options.description }) }));
    await auditCli(context, 'segment save', `/segments/${encodeURIComponent(saved.key)}`);
    const compiled = await compileSavedSegment(context, saved.key);
    const audience = audienceFor(context);
    const count = await audience.count(context, compiled.bound, compiled.scope);
    return say(before ? 'segment.updated' : 'segment.created', { name: saved.name, key: saved.key, count, population: await audience.population(context) });
  });
}

/**
 * `tagbase segment delete KEY --yes`: only with --yes, as `customer erase` and `care remove`,
 * since it cannot be undone; without, says what would go. A segment that is not there, or that
 * something reads, is said first: a --yes asked for would delete nothing.
 */
export function deleteSegmentCommand(key: string, options: Omit<SegmentTarget, 'expression' | 'segment'> & { yes: boolean; actor?: string | undefined }): Promise<{ text: string; done: boolean }> {
  return inCommandWorkspace(options, async (context, say) => {
    const segment = await segmentToDelete(context, key);
    if (!options.yes) return { text: say('segment.deleteAsk', { name: segment.name, key: segment.key }), done: false };
    await deleteSegment(context, segment.key);
    await auditCli(context, 'segment delete', `/segments/${encodeURIComponent(segment.key)}`);
    return { text: say('segment.deleted', { name: segment.name, key: segment.key }), done: true };
  });
}

/** A saved segment as a heading names it, by its name and its key, as `segment save` and `segment insight` do. */
async function namedSegment(context: WorkspaceContext, key: string): Promise<{ name: string; key: string }> {
  const row = await segmentRow(context, key);
  return { name: row.name, key: row.key };
}

/** A saved segment's recorded sizes, one day per line: day, members, share of everyone. */
export function segmentSizesCommand(key: string, days: number, target: Omit<SegmentTarget, 'expression' | 'segment'>): Promise<string> {
  return inCommandWorkspace(target, async (context) => {
    const say = cliMessages(target.locale);
    const history = await segmentSizeHistory(context, audienceFor(context), key, days);
    if (target.json) return JSON.stringify(history, null, 2);
    const { items } = history;
    const lines = items.map((point) => {
      const share = point.population === 0 ? 0 : (point.members / point.population) * 100;
      return `${point.day}  ${point.members.toLocaleString('en').padStart(11)}  ${`${share.toFixed(1)}%`.padStart(6)}${point.recorded ? '' : `  ${say('segment.sizeCountedNow')}`}`;
    });
    return [say('segment.sizesHeading', { ...(await namedSegment(context, history.segment)), days }), ...lines].join('\n');
  });
}

/**
 * `tagbase segment snapshots SEGMENT`: a page of the segment's snapshots, newest first, as
 * `GET /api/v1/segments/{segment}/snapshots?limit=&cursor=` answers; the last line names the
 * cursor of the next page, as `audit` names its --before.
 */
export function segmentSnapshotsCommand(key: string, page: { limit: number; cursor?: string | undefined }, target: Omit<SegmentTarget, 'expression' | 'segment'>): Promise<string> {
  return inCommandWorkspace(target, async (context, say) => {
    const snapshots = await listSnapshots(context, key, page);
    if (target.json) return JSON.stringify(snapshots, null, 2);
    const first = snapshots.items[0];
    if (first === undefined) return say(page.cursor === undefined ? 'segment.noSnapshots' : 'segment.noMoreSnapshots', { segment: key });
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    const rows = snapshots.items.map((snapshot) => [`#${snapshot.id}`, minuteInZone(Date.parse(snapshot.taken_at), utcOffsetMinutes), snapshot.actor, say('segment.snapshotMembers', { count: snapshot.members }), snapshot.expression]);
    return [
      say('segment.snapshotsHeading', await namedSegment(context, first.segment)),
      ...terminalTable(rows, (column) => column === 0 || column === 3),
      ...(snapshots.next_cursor === null ? [] : [say('segment.moreSnapshots', { cursor: snapshots.next_cursor })]),
      say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }),
    ].join('\n');
  });
}

/**
 * `tagbase segment snapshot SEGMENT`: the saved segment's members frozen now, as `POST
 * /api/v1/segments/{segment}/snapshots` freezes them (the expression and the saved segments it
 * reads kept with them), under the actor given; `--json` prints what that call answers.
 */
export function takeSnapshotCommand(key: string, target: Omit<SegmentTarget, 'expression' | 'segment'> & { actor?: string | undefined }): Promise<string> {
  return inCommandWorkspace(target, async (context, say) => {
    const snapshot = await takeSnapshot(context, audienceFor(context), key);
    await auditCli(context, 'segment snapshot', `/segments/${encodeURIComponent(snapshot.segment)}/snapshots`);
    if (target.json) return JSON.stringify(snapshot, null, 2);
    const at = minuteWithZone(Date.parse(snapshot.taken_at), await workspaceUtcOffset(context), target.locale ?? cliLocale());
    return say('segment.snapshotTaken', { id: String(snapshot.id), segment: snapshot.segment, count: snapshot.members, at });
  });
}

export interface ExportOptions extends SegmentTarget {
  format: ExportFormat;
  /** Who exports: named in the export log and the audit trail (`cli` when not given). */
  actor?: string | undefined;
  output?: string | undefined;
  metrics: string[];
  /** The customers' fields to add after the metrics (`--fields birthday,email,鞋码`). */
  fields?: string[] | undefined;
  /** A CSV header of column names in the command's language, rather than keys. */
  headerNames?: boolean | undefined;
}

/** Streams members to a file (with a progress bar) or to standard output; answers how many rows it wrote. */
export function exportSegment(options: ExportOptions): Promise<number> {
  return withAudience(options, 'export', async (context, resolved, audience) => {
    // Everyone is the index's bitmap of live customers as it stands, read as it is rather than matched customer by customer.
    const ids = options.all === true ? (await audience.livePage(context, { offset: 0, limit: Number.MAX_SAFE_INTEGER })).ids : await audience.members(context, resolved.bound, resolved.scope);
    const metricKeys = resolveMetricKeys(resolved.scope.catalog, options.metrics);
    const fieldKeys = resolveFieldKeys(resolved.scope.catalog, options.fields ?? []);
    assertExportable(options.format, ids.length);
    const exported = options.segment === undefined ? { source: 'expression' as const, target: options.all === true ? EVERYONE_EXPRESSION : (options.expression ?? '') } : { source: 'segment' as const, target: resolved.name };
    // The file is opened before the export is logged: one that cannot be written exports nothing.
    const file = options.output === undefined ? undefined : await openExportFile(options.output);
    // Logged and entered in the audit trail before the first row goes out, both naming one actor: an
    // export that fails half-way has still taken customers out. The trail's target is the path the
    // API's export of the same members has (`GET /segments/{key}/export`, `POST /segments/export`),
    // without a query string, as the API's entry has none.
    const actor = actorName(context, 'cli');
    const loggedAs = await logExport(context, { ...exported, actor, format: options.format, rows: ids.length, metrics: metricKeys, fields: fieldKeys });
    await auditCli({ ...context, actor }, 'segment export', options.segment === undefined ? '/segments/export' : `/segments/${encodeURIComponent(resolved.name)}/export`);
    const out = file === undefined ? process.stdout : file.handle.createWriteStream();
    const bar = progressBar(cliMessages(options.locale)('segment.exportProgress'), options.output !== undefined && process.stderr.isTTY, options.locale);
    const namesIn = options.headerNames ? (options.locale ?? DEFAULT_LOCALE) : undefined;
    // Members erased or merged away while the rows are read are left out: the count is of the rows written.
    let written = 0;
    const onRows = (rowsWritten: number, read: number) => {
      written = rowsWritten;
      bar.update(read, ids.length);
    };
    const rows = exportMembers(context, resolved.scope.catalog, ids, options.format, metricKeys, { onRows, namesIn, loggedAs, fieldKeys });
    try {
      for await (const chunk of rows) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
      }
      await file?.done();
    } catch (error) {
      file?.abandon();
      // A write that failed (a full disk) names no file of its own: said of the file given.
      throw withPath(error, options.output);
    } finally {
      // Also on failure: a bar left running would keep the command from exiting.
      bar.stop();
    }
    return written;
  });
}

/**
 * Where an export to `path` writes: a file of its own beside it, moved in place once every row is
 * written. An export stopped midway (Ctrl-C, a store lost, a full disk) left part of the members
 * under the name asked for, as if they were all of them, in place of an earlier run's whole
 * file; now it leaves that file as it was and nothing else. A name that is no plain file (a
 * device such as /dev/stdout, a pipe, a link), or a folder the command may not add a file to, is
 * written as it is.
 */
async function openExportFile(path: string): Promise<{ handle: FileHandle; done(): Promise<void>; abandon(): void }> {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing === undefined || existing.isFile()) {
    const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
    const handle = await open(partial, 'wx').catch(() => undefined);
    if (handle !== undefined) {
      const remove = () => rmSync(partial, { force: true });
      const release = onInterrupt(remove);
      return {
        handle,
        done: async () => {
          await rename(partial, path);
          release();
        },
        abandon: () => {
          remove();
          release();
        },
      };
    }
  }
  return { handle: await open(path, 'w'), done: async () => undefined, abandon: () => undefined };
}

/** A system error (ENOSPC …) that names no path, given `path`; anything else as it is. */
function withPath(error: unknown, path: string | undefined): unknown {
  const failure = error as NodeJS.ErrnoException | undefined;
  if (path === undefined || typeof failure?.code !== 'string' || failure.path !== undefined) return error;
  return Object.assign(failure, { path });
}
