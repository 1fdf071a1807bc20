// The console's imports, one a workspace, kept outside the import page: a page is drawn afresh in
// each workspace (and left for another page), while an import goes on sending its file piece by
// piece to the workspace it began in. Whoever switches back, or looks from another workspace,
// still sees how far it has got and can stop it.
import type { ImportKind } from '../../../../../src/core/import-columns';
import { noteChunkIds, repeatedIdsOf } from '../utils/repeatedIds';
import { csvRecords, type CsvChunk } from '../utils/splitCsv';
import { defusedRecord } from '../utils/defusedRecord';
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf } from '../../../../../src/core/spreadsheet';
import type { ImportProgress, ImportResultJson } from '../utils/importTypes';

export interface ImportJob {
  workspace: string;
  kind: ImportKind;
  fileName: string;
  running: boolean;
  progress: ImportProgress;
  result: ImportResultJson | undefined;
  cancelled: boolean;
  error: string | undefined;
  /** Whether its end was seen where it ran (its workspace's import page); until then the console points at it. */
  seen: boolean;
}

export interface ImportRequest {
  kind: ImportKind;
  fileName: string;
  chunks: CsvChunk[];
  total: number;
  columns: Record<string, string>;
  /** Numbers a workbook's rejected rows as its sheet does (see `sheetAsCsv`). */
  rowOfLine: (line: number) => number;
  /** The file's column read as the customer id, to find ids repeated across pieces. */
  idColumn: string | undefined;
  /** Sends one piece to the workspace the import began in. */
  post: (kind: ImportKind, body: { text: string; format: 'csv'; columns: Record<string, string> }) => Promise<ImportResultJson>;
  /** A failure in the console's words. */
  describe: (failure: unknown) => string;
}

/**
 * The most rejected rows kept for the table and the download: all of a large file's, as the
 * server lists every rejected row of each piece (`MAX_LISTED_REJECTIONS`, the piece's size).
 */
const MAX_LISTED = 100_000;

/** A record as a line of its own, whatever ended it in the file. */
const asLine = (text: string) => (/[\r\n]$/.test(text) ? text : `${text}\n`);

let jobs: ReadonlyMap<string, ImportJob> = new Map();
const listeners = new Set<() => void>();
/** Which run of each workspace is current: one cleared or replaced mid-way must not write over what follows it. */
const generations = new Map<string, number>();
/** Asked to stop before the next piece; read by the loop between requests. */
const stopping = new Set<string>();

/**
 * The console itself sends an import's file, piece by piece: closing or reloading the tab would
 * end it mid-file, so while one runs the browser asks before the page goes.
 */
function askBeforeLeaving(event: BeforeUnloadEvent): void {
  event.preventDefault();
  // Older browsers ask only when returnValue is set.
  event.returnValue = '';
}

let askingBeforeLeaving = false;

/** Tells the listeners of a change, and keeps the question before leaving while any import runs. */
function publish(): void {
  const running = [...jobs.values()].some((job) => job.running);
  if (running !== askingBeforeLeaving && typeof window !== 'undefined') {
    if (running) window.addEventListener('beforeunload', askBeforeLeaving);
    else window.removeEventListener('beforeunload', askBeforeLeaving);
    askingBeforeLeaving = running;
  }
  for (const listener of listeners) listener();
}

export function subscribeImportJobs(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every workspace's import, a new map at each change. */
export function importJobs(): ReadonlyMap<string, ImportJob> {
  return jobs;
}

function update(workspace: string, generation: number, change: (job: ImportJob) => ImportJob | undefined): void {
  if (generations.get(workspace) !== generation) return;
  const job = jobs.get(workspace);
  if (!job) return;
  const next = new Map(jobs);
  const changed = change(job);
  if (changed) next.set(workspace, changed);
  else next.delete(workspace);
  jobs = next;
  publish();
}

/** Sends the file to `workspace` a piece at a time; the answers add up to one result with the file's line numbers. */
export async function startImport(workspace: string, request: ImportRequest): Promise<void> {
  const generation = (generations.get(workspace) ?? 0) + 1;
  generations.set(workspace, generation);
  stopping.delete(workspace);
  const { kind, chunks, total, columns, rowOfLine, idColumn } = request;
  jobs = new Map(jobs).set(workspace, { workspace, kind, fileName: request.fileName, running: true, progress: { done: 0, total, rate: 0 }, result: undefined, cancelled: false, error: undefined, seen: false });
  publish();
  const sum: ImportResultJson = { rows: 0, accepted: 0, rejected: 0, rejections: [], zoneless_times: 0, utc_offset_minutes: 0 };
  const started = performance.now();
  let done = 0;
  const ids = new Map<string, number[]>();
  try {
    for (const chunk of chunks) {
      if (stopping.has(workspace)) {
        update(workspace, generation, (job) => ({ ...job, cancelled: true }));
        break;
      }
      const answer = await request.post(kind, { text: chunk.text, format: 'csv', columns });
      if (generations.get(workspace) !== generation) return;
      sum.rows += answer.rows;
      sum.accepted += answer.accepted;
      sum.rejected += answer.rejected;
      sum.zoneless_times += answer.zoneless_times;
      if (answer.created !== undefined) sum.created = (sum.created ?? 0) + answer.created;
      if (answer.updated !== undefined) sum.updated = (sum.updated ?? 0) + answer.updated;
      if (answer.unchanged !== undefined) sum.unchanged = (sum.unchanged ?? 0) + answer.unchanged;
      if (answer.masked_identifiers !== undefined) sum.masked_identifiers = (sum.masked_identifiers ?? 0) + answer.masked_identifiers;
      if (answer.duplicates !== undefined) sum.duplicates = (sum.duplicates ?? 0) + answer.duplicates;
      // Numbered as the file (or sheet) numbers its rows; an id created by one piece is stored for the next, so listed once.
      if (answer.leading_zeros_lost) sum.leading_zeros_lost = [...(sum.leading_zeros_lost ?? []), ...answer.leading_zeros_lost.map((lost) => ({ ...lost, line: rowOfLine(lost.line + chunk.lineOffset) }))];
      sum.utc_offset_minutes = answer.utc_offset_minutes;
      const room = MAX_LISTED - sum.rejections.length;
      const listed = room > 0 ? answer.rejections.slice(0, room) : [];
      if (listed.length > 0) {
        // The server numbers a piece's lines from its header: the piece's own records say which text each line starts.
        // Cells a spreadsheet would run as formulas are written as exports write them (`'=…`).
        const byLine = new Map<number, string>();
        let header = '';
        const text = chunk.text.replace(/^\uFEFF/, '');
        const delimiter = csvDelimiterOf(text.slice(0, CSV_DELIMITER_SAMPLE));
        for (const record of csvRecords(text, delimiter)) {
          if (header === '' && !record.blank) header = asLine(defusedRecord(record.text, delimiter));
          else byLine.set(record.line, asLine(defusedRecord(record.text, delimiter)));
        }
        sum.rejected_rows ??= { header, delimiter, rows: [] };
        // A row refused for several reasons (an event missing two properties) is listed once
        // for each, but goes into the file of rejected rows once: corrected, it imports once.
        const kept = new Set<number>();
        for (const rejection of listed) {
          const line = rowOfLine(rejection.line + chunk.lineOffset);
          sum.rejections.push({ ...rejection, line });
          if (kept.has(rejection.line)) continue;
          kept.add(rejection.line);
          sum.rejected_rows.rows.push({ line, text: byLine.get(rejection.line) ?? '' });
        }
      }
      if (kind === 'customers' && idColumn !== undefined) {
        noteChunkIds(ids, chunk, idColumn, new Set(answer.rejections.map((rejection) => rejection.line)), (line) => rowOfLine(line + chunk.lineOffset));
        const repeated = repeatedIdsOf(ids);
        if (repeated.length > 0) sum.repeated_ids = repeated;
      }
      done += chunk.rows;
      const seconds = (performance.now() - started) / 1000;
      // A copy, so React sees each piece land.
      const result = { ...sum, rejections: [...sum.rejections], ...(sum.rejected_rows ? { rejected_rows: { ...sum.rejected_rows } } : {}) };
      update(workspace, generation, (job) => ({ ...job, progress: { done, total, rate: seconds > 0 ? done / seconds : 0 }, result }));
    }
  } catch (failure) {
    update(workspace, generation, (job) => ({ ...job, error: request.describe(failure) }));
  } finally {
    update(workspace, generation, (job) => ({ ...job, running: false }));
  }
}

/** Stops the workspace's import before its next piece (the piece under way lands). */
export function cancelImport(workspace: string): void {
  if (jobs.get(workspace)?.running) stopping.add(workspace);
}

/** Forgets the workspace's import; one still running stops after its piece under way, unseen. */
export function clearImport(workspace: string): void {
  generations.set(workspace, (generations.get(workspace) ?? 0) + 1);
  stopping.delete(workspace);
  if (!jobs.has(workspace)) return;
  const next = new Map(jobs);
  next.delete(workspace);
  jobs = next;
  publish();
}

/** Notes that the workspace's finished import was seen where it ran, so the console stops pointing at it. */
export function markImportSeen(workspace: string): void {
  const job = jobs.get(workspace);
  if (!job || job.seen || job.running) return;
  jobs = new Map(jobs).set(workspace, { ...job, seen: true });
  publish();
}
