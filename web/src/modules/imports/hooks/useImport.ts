// Sends a file to `POST /imports/{kind}` a piece at a time, so the page can show how far it has
// got and stop between pieces; the answers add up to one result with the file's line numbers.
import { useRef, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { errorText } from '../../app/utils/api';
import type { ImportKind } from '../../../../../src/core/import-columns';
import { noteChunkIds, repeatedIdsOf, type RepeatedId } from '../utils/repeatedIds';
import { csvRecords, type CsvChunk } from '../utils/splitCsv';

export interface ImportResultJson {
  rows: number;
  accepted: number;
  rejected: number;
  /** `reason` in the language the request asked for, `localized` in every language. */
  rejections: { line: number; code: string; reason: string; localized?: { en: string; 'zh-CN': string } }[];
  /** The header and each listed rejected row as they are in the file, for the operator to correct and import again. */
  rejected_rows?: { header: string; rows: string[] };
  /** Times the file wrote without a zone, read in the workspace's (`utc_offset_minutes` east of UTC). */
  zoneless_times: number;
  utc_offset_minutes: number;
  /** Of a customers import: customers new to the workspace, and those that were there and were updated. */
  created?: number;
  updated?: number;
  /** Of a customers import: ids on more than one row of the whole file that landed, whose last row's values stand. */
  repeated_ids?: RepeatedId[];
  /** Of a customers import: identifier cells masked as an export for a masking role writes them (138****5678), left alone. */
  masked_identifiers?: number;
  /** Of an events import: rows that landed whose event was stored before, and was not stored again. */
  duplicates?: number;
}

export interface ImportProgress {
  done: number;
  total: number;
  /** Rows per second so far. */
  rate: number;
}

/**
 * The most rejected rows kept for the table and the download: all of a large file's, as the
 * server lists every rejected row of each piece (`MAX_LISTED_REJECTIONS`, the piece's size).
 */
const MAX_LISTED = 100_000;

/** A record as a line of its own, whatever ended it in the file. */
const asLine = (text: string) => (/[\r\n]$/.test(text) ? text : `${text}\n`);

export function useImport() {
  const api = useApi();
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ImportProgress>();
  const [result, setResult] = useState<ImportResultJson>();
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<string>();
  // A ref, not state: the loop reads it between requests, long after it captured its render.
  const stop = useRef(false);
  // Which run is current: one reset or replaced mid-way must not write over what follows it.
  const generation = useRef(0);
  /**
   * `rowOfLine` numbers a workbook's rejected rows as its sheet does (see `sheetAsCsv`);
   * `idColumn`, the file's column read as the customer id, finds ids repeated across pieces.
   */
  const run = async (kind: ImportKind, chunks: CsvChunk[], total: number, columns: Record<string, string>, rowOfLine: (line: number) => number = (line) => line, idColumn?: string) => {
    const id = ++generation.current;
    stop.current = false;
    setRunning(true);
    setCancelled(false);
    setResult(undefined);
    setError(undefined);
    setProgress({ done: 0, total, rate: 0 });
    const sum: ImportResultJson = { rows: 0, accepted: 0, rejected: 0, rejections: [], zoneless_times: 0, utc_offset_minutes: 0 };
    const started = performance.now();
    let done = 0;
    const ids = new Map<string, number[]>();
    try {
      for (const chunk of chunks) {
        if (stop.current) {
          setCancelled(true);
          break;
        }
        const answer = await api.post<ImportResultJson>(`/imports/${kind}`, { text: chunk.text, format: 'csv', columns });
        if (id !== generation.current) return;
        sum.rows += answer.rows;
        sum.accepted += answer.accepted;
        sum.rejected += answer.rejected;
        sum.zoneless_times += answer.zoneless_times;
        if (answer.created !== undefined) sum.created = (sum.created ?? 0) + answer.created;
        if (answer.updated !== undefined) sum.updated = (sum.updated ?? 0) + answer.updated;
        if (answer.masked_identifiers !== undefined) sum.masked_identifiers = (sum.masked_identifiers ?? 0) + answer.masked_identifiers;
        if (answer.duplicates !== undefined) sum.duplicates = (sum.duplicates ?? 0) + answer.duplicates;
        sum.utc_offset_minutes = answer.utc_offset_minutes;
        const room = MAX_LISTED - sum.rejections.length;
        const listed = room > 0 ? answer.rejections.slice(0, room) : [];
        if (listed.length > 0) {
          // The server numbers a piece's lines from its header: the piece's own records say which text each line starts.
          const byLine = new Map<number, string>();
          let header = '';
          for (const record of csvRecords(chunk.text.replace(/^\uFEFF/, ''))) {
            if (header === '' && !record.blank) header = asLine(record.text);
            else byLine.set(record.line, asLine(record.text));
          }
          sum.rejected_rows ??= { header, rows: [] };
          // A row refused for several reasons (an event missing two properties) is listed once
          // for each, but goes into the file of rejected rows once: corrected, it imports once.
          const kept = new Set<number>();
          for (const rejection of listed) {
            sum.rejections.push({ ...rejection, line: rowOfLine(rejection.line + chunk.lineOffset) });
            if (kept.has(rejection.line)) continue;
            kept.add(rejection.line);
            sum.rejected_rows.rows.push(byLine.get(rejection.line) ?? '');
          }
        }
        if (kind === 'customers' && idColumn !== undefined) {
          noteChunkIds(ids, chunk, idColumn, new Set(answer.rejections.map((rejection) => rejection.line)), (line) => rowOfLine(line + chunk.lineOffset));
          const repeated = repeatedIdsOf(ids);
          if (repeated.length > 0) sum.repeated_ids = repeated;
        }
        done += chunk.rows;
        const seconds = (performance.now() - started) / 1000;
        setProgress({ done, total, rate: seconds > 0 ? done / seconds : 0 });
        // A copy, so React sees each piece land.
        setResult({ ...sum, rejections: [...sum.rejections], ...(sum.rejected_rows ? { rejected_rows: { ...sum.rejected_rows } } : {}) });
      }
    } catch (failure) {
      if (id === generation.current) setError(errorText(failure));
    } finally {
      if (id === generation.current) setRunning(false);
    }
  };
  const cancel = () => {
    stop.current = true;
  };
  const reset = () => {
    generation.current++;
    setRunning(false);
    setResult(undefined);
    setProgress(undefined);
    setCancelled(false);
    setError(undefined);
  };
  return { running, progress, result, cancelled, error, run, cancel, reset };
}
