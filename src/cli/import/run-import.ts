// `tagbase import`: streams a file through the engine's importer with a progress bar, and
// writes the rejected rows with their line numbers and reasons beside the file, the bar and the
// reasons in the language of the user's locale settings.
import { accessSync, constants, createWriteStream, statSync, writeSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Locale } from '../../core/locale.js';
import type { WorkspaceContext } from '../../engine/context.js';
import { runsAsFormula } from '../../core/spreadsheet.js';
import { isRejectedReport, rejectedRowCells, REJECTED_REPORT_COLUMNS } from '../../core/import-columns.js';
import { importRows, withImporterColumns, wordRejections, type ImportKind, type LostLeadingZeros, type Rejection, type RepeatedId } from '../../engine/imports.js';
import { cliLocale } from '../errors.js';
import type { TextEncodingName } from '../../core/text-encoding.js';
import { onInterrupt } from '../interrupt.js';
import { cliMessages } from '../messages.js';
import { readRows, STANDARD_INPUT, type ImportFileFormat, type SheetRead } from './read-rows.js';

export { assertImportKind, type Rejection } from '../../engine/imports.js';

export interface ImportOptions {
  kind: ImportKind;
  path: string;
  format: ImportFileFormat;
  /** How the file's bytes are text; `auto` when not given. */
  encoding?: TextEncodingName | 'auto';
  /** The file's columns read as the importer's (`--column 手机号码=phone`; '' leaves one out), as the API's `columns`. */
  columns?: Record<string, string>;
  /** The sheet of a workbook to read; the first when not given. */
  sheet?: string | undefined;
  reportPath: string;
  batchSize: number;
  /** Show a live progress bar (on a terminal). */
  progress: boolean;
  /** The language of the progress bar and the report's reasons; the locale settings' when not given. */
  locale?: Locale;
  /**
   * Called once, as the first rows land, to record the import in the audit trail then rather than
   * at its end: an import stopped midway (Ctrl-C) has changed the store all the same. The next
   * batch waits for it.
   */
  onRowsLanded?: () => Promise<void>;
}

export interface ImportSummary {
  rows: number;
  accepted: number;
  rejected: number;
  /** Of a customers import: new customers, customers that were there and changed, and those that were there as the file has them. */
  customers: { created: number; updated: number; unchanged: number } | undefined;
  seconds: number;
  reportPath: string | undefined;
  /** Where the report of an earlier run was removed, this run rejecting nothing. */
  earlierReportRemoved: string | undefined;
  /** The encoding the file was read in. */
  encoding: TextEncodingName | undefined;
  /** The sheet of a workbook read, its place, how many the workbook has, and the title rows left out above its header. */
  sheet: SheetRead | undefined;
  /** One-cell title rows left out above the header (a CSV file's or a sheet's). */
  titles: { row: number; text: string }[];
  /** The file's columns read as one of the importer's (`手机` as `phone`), in the order first met. */
  renamedColumns: [string, string][];
  /** Columns of a customers export that are not imported: its tags and metrics. */
  leftOutColumns: string[];
  /** Times without a zone, read in the workspace's, in rows that landed. */
  zonelessTimes: number;
  /** Of a customers import: masked identifier cells left alone (`ImportResult.maskedIdentifiers`), in rows that landed. */
  maskedIdentifiers: number;
  /** Of an events import: rows that landed whose event was stored already, not stored again. */
  duplicates: number | undefined;
  /** The workspace's zone, minutes east of UTC. */
  utcOffsetMinutes: number;
  /** Of a customers import: ids on more than one row that landed, the last row's values standing. */
  repeatedIds: RepeatedId[];
  /** Of a customers or events import: customers created under ids a stored customer has with leading zeros (12 beside 00012). */
  lostLeadingZeros: LostLeadingZeros[];
  /** Whether the file was read as a report of rejected rows (its header starts `line,code,reason`), those three columns left out. */
  readAsReport: boolean;
}

export async function runImport(context: WorkspaceContext, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const locale = options.locale ?? cliLocale();
  const say = cliMessages(locale);
  const piped = options.path === STANDARD_INPUT;
  const file = piped ? undefined : statSync(options.path);
  // Reading a directory fails with an EISDIR that names no path: name it here.
  if (file?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${options.path}`), { code: 'EISDIR', path: options.path });
  // A report that could not be written after the import would lose its summary: the rows would be in, unreported.
  accessSync(dirname(resolve(options.reportPath)), constants.W_OK);
  if (statSync(options.reportPath, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${options.reportPath}`), { code: 'EISDIR', path: options.reportPath });
  // Piped rows have no size to measure a bar against: the summary says how it went.
  const total = file?.size ?? 0;
  const bar = options.progress && !piped
    ? new cliProgress.SingleBar({ format: say('import.progress', { kind: say(`import.kind.${options.kind}` as const) }), hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  let bytes = 0;
  const update = (rows: number, rejected: number) => bar?.update(bytes, { rows: say('import.progressRows', { rows }), rejected, rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)) });
  bar?.start(Math.max(total, 1), 0, { rows: say('import.progressRows', { rows: 0 }), rejected: 0, rate: 0 });
  // A Ctrl-C stops the bar first, which shows the cursor again; the batches committed stay, and
  // running the import again is safe. The command says how far it got, piped too: a stop without
  // a word left a file half imported, and the rows rejected until then in no report.
  let landed = { rows: 0, rejected: 0 };
  const release = onInterrupt(() => {
    bar?.stop();
    const name = piped ? say('import.standardInput') : basename(options.path);
    const accepted = landed.rows - landed.rejected;
    const lines = [accepted === 0 ? say('import.interruptedNone', { file: name }) : say('import.interrupted', { file: name, accepted })];
    if (landed.rejected > 0) lines.push(say('import.interruptedRejected', { rejected: landed.rejected }));
    writeSync(2, lines.map((line) => `${line}\n`).join(''));
  });
  let encoding: TextEncodingName | undefined;
  let sheet: ImportSummary['sheet'];
  let titles: ImportSummary['titles'] = [];
  let header: string[] | undefined;
  // A report of rejected rows, put right, imports again: its own three columns are left out.
  const columns = { ...(options.columns ?? {}) };
  let readAsReport = false;
  const read = readRows(options.path, options.format, (count) => (bytes = count), {
    encoding: options.encoding,
    onEncoding: (found) => (encoding = found),
    onTitles: (found) => (titles = found),
    onHeader: (found) => {
      header = found;
      readAsReport = isRejectedReport(found);
      if (readAsReport) for (const column of REJECTED_REPORT_COLUMNS) columns[column] ??= '';
    },
    sheet: options.sheet,
    onSheet: (found) => {
      sheet = found;
      titles = found.titles;
    },
    locale,
  });
  // JSON Lines are shaped as the API takes them; the headers of CSV files and sheets are often in Chinese.
  const renamedColumns = new Map<string, string>();
  const leftOutColumns = new Set<string>();
  const rows = options.format === 'jsonl' ? read : withImporterColumns(context, options.kind, read, columns, renamedColumns, () => header, leftOutColumns);
  let result: Awaited<ReturnType<typeof importRows>>;
  let recorded = false;
  try {
    result = await importRows(context, options.kind, rows, {
      batchSize: options.batchSize,
      onBatch: async (progress) => {
        landed = progress;
        if (!recorded && progress.rows > progress.rejected && options.onRowsLanded) {
          recorded = true;
          await options.onRowsLanded();
        }
        update(progress.rows, progress.rejected);
      },
    });
    bytes = total;
    update(result.rows, result.rejected);
  } finally {
    // Also when the import fails: a bar left running keeps redrawing, so the command never
    // exits, and its error is written onto the bar's line with the cursor still hidden.
    bar?.stop();
    release();
  }

  let reportPath: string | undefined;
  let earlierReportRemoved: string | undefined;
  if (result.rejected > 0) {
    reportPath = options.reportPath;
    // A CSV file whose header was not settled yet when it became unreadable has no columns to show, rather than JSON Lines' `json`.
    await writeReport(reportPath, result.rejections, locale, options.format === 'jsonl' ? undefined : (header ?? []), readAsReport ? REJECTED_REPORT_COLUMNS.length : 0);
  } else if (await removeEarlierReport(options.reportPath)) {
    earlierReportRemoved = options.reportPath;
  }
  return { rows: result.rows, accepted: result.accepted, rejected: result.rejected, customers: result.customers, seconds: (Date.now() - started) / 1000, reportPath, earlierReportRemoved, encoding, sheet, titles, renamedColumns: [...renamedColumns], leftOutColumns: [...leftOutColumns], zonelessTimes: result.zonelessTimes, maskedIdentifiers: result.maskedIdentifiers, duplicates: result.duplicates, utcOffsetMinutes: result.utcOffsetMinutes, repeatedIds: result.repeatedIds ?? [], lostLeadingZeros: result.lostLeadingZeros ?? [], readAsReport };
}

/** A cell of the report, quoted per RFC 4180, and kept from running as a formula in a spreadsheet (`'=1+1`, as exports write it). */
function csvCell(text: string): string {
  const shown = runsAsFormula(text) ? `'${text}` : text;
  return /[",\n\r]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

/** How a report starts: its first columns, and then the rejected row's own (see `writeReport`). */
const REPORT_START = `\uFEFF${REJECTED_REPORT_COLUMNS.join(',')}`;

/**
 * Removes the report an earlier run left at `path` (one of ours, by its header): a run that
 * rejects nothing would otherwise leave the old reasons beside the file, as if they still held.
 */
async function removeEarlierReport(path: string): Promise<boolean> {
  const firstLine = await readFile(path, 'utf8').then(
    (text) => text.slice(0, text.indexOf('\n') + 1),
    () => '',
  );
  // Its first columns, and then the rejected rows' own columns (if any).
  if (!firstLine.startsWith(`${REPORT_START},`) && firstLine !== `${REPORT_START}\n`) return false;
  await rm(path);
  return true;
}

/** A cell's value as the report writes it: text as it is, anything else (a JSON line's number, list or object) as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Rejections grouped by their row (its line), in the order the rows were refused: the report
 * writes a row once, with all its reasons, so that the report put right imports it once.
 */
function rejectionsByRow(rejections: readonly Rejection[], worded: readonly { code: string; reason: string }[]): { rejection: Rejection; reasons: { code: string; reason: string }[] }[] {
  const rows = new Map<number, { rejection: Rejection; reasons: { code: string; reason: string }[] }>();
  rejections.forEach((rejection, index) => {
    const reason = { code: rejection.code, reason: worded[index]?.reason ?? '' };
    const row = rows.get(rejection.line);
    if (!row) {
      rows.set(rejection.line, { rejection, reasons: [reason] });
      return;
    }
    row.reasons.push(reason);
    // A cell without a heading is kept only by the reason naming it, which need not be the row's first.
    const cellsWithoutHeading = rejection.cellsWithoutHeading ? { ...row.rejection.cellsWithoutHeading, ...rejection.cellsWithoutHeading } : row.rejection.cellsWithoutHeading;
    row.rejection = {
      ...row.rejection,
      cells: row.rejection.cells ?? rejection.cells,
      cellsBeyondHeader: row.rejection.cellsBeyondHeader ?? rejection.cellsBeyondHeader,
      text: row.rejection.text ?? rejection.text,
      ...(cellsWithoutHeading ? { cellsWithoutHeading } : {}),
    };
  });
  return [...rows.values()];
}

/**
 * The report: each rejected row once, its line, codes and reasons, followed by the row's own cells, so
 * that what was refused can be seen and put right beside why. The cells stand under the file's
 * header (`header`: a CSV file's or a sheet's), those of a row longer than the header after them
 * under their place in the row (`column 3`, in the report's language), or, of JSON Lines, as the
 * line is written in a column `json` (a line nested deeper than JSON.stringify goes could not be
 * written back from what was read); a CSV row that could not be read at all has none. The first
 * `skipped` columns of the header are not written (an earlier report's own, left out of the import).
 */
async function writeReport(path: string, rejections: readonly Rejection[], locale: Locale, fileHeader: readonly string[] | undefined, skipped = 0): Promise<void> {
  const header = fileHeader?.slice(skipped);
  const worded = wordRejections(rejections, locale);
  const say = cliMessages(locale);
  // Cells beyond the header stand after the others, under their place in the row (`column 3`).
  const beyond = header ? rejections.reduce((most, rejection) => Math.max(most, rejection.cellsBeyondHeader?.length ?? 0), 0) : 0;
  const columns = [...(header ?? ['json']), ...Array.from({ length: beyond }, (_, index) => say('import.reportColumn', { position: (fileHeader?.length ?? 0) + index + 1 }))];
  const out = createWriteStream(path);
  // Unheard, a failure to open or write it (a full disk) ended the process with a stack trace; said with its path, it is a line.
  const named = (error: NodeJS.ErrnoException) => Object.assign(error, { path: error.path ?? path });
  const failed = new Promise<never>((_, reject) => out.on('error', (error) => reject(named(error))));
  // With a byte-order mark, as segment exports: spreadsheets on Chinese Windows read a CSV
  // without one as GBK, and the Chinese reasons would come out garbled.
  out.write(`${REPORT_START}${columns.map((column) => `,${csvCell(column)}`).join('')}\n`);
  for (const { rejection, reasons } of rejectionsByRow(rejections, worded)) {
    const { code, reason } = rejectedRowCells(reasons);
    const { cells } = rejection;
    // A column without a heading holds a cell only in a row refused for it, and each such column its own.
    const own = header ? header.map((column, at) => (column === '' ? (rejection.cellsWithoutHeading?.[skipped + at + 1] ?? '') : cellText(cells?.[column]))) : [rejection.text ?? (cells ? JSON.stringify(cells) : '')];
    const further = Array.from({ length: beyond }, (_, at) => rejection.cellsBeyondHeader?.[at] ?? '');
    out.write(`${rejection.line},${[code, reason, ...own, ...further].map(csvCell).join(',')}\n`);
  }
  await Promise.race([failed, new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(named(error)) : resolve())))]);
}
