// The import of the workspace in use: sends a file to `POST /imports/{kind}` a piece at a time, so
// the page can show how far it has got and stop between pieces. The import itself is kept by the
// console (`importJobs`), not the page, so that it is shown again when its workspace is.
import { useCallback, useSyncExternalStore } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import type { ImportKind } from '../../../../../src/core/import-columns';
import { cancelImport, clearImport, importJobs, markImportSeen, startImport, subscribeImportJobs } from '../state/importJobs';
import type { ImportResultJson } from '../utils/importTypes';
import type { CsvChunk } from '../utils/splitCsv';

export function useImport() {
  const { workspace } = useSession();
  const api = useApi();
  const job = useSyncExternalStore(subscribeImportJobs, () => importJobs().get(workspace));
  /**
   * `rowOfLine` numbers a workbook's rejected rows as its sheet does (see `sheetAsCsv`);
   * `idColumn`, the file's column read as the customer id, finds ids repeated across pieces.
   */
  const run = (kind: ImportKind, fileName: string, chunks: CsvChunk[], total: number, columns: Record<string, string>, rowOfLine: (line: number) => number = (line) => line, idColumn?: string) =>
    startImport(workspace, {
      kind,
      fileName,
      chunks,
      total,
      columns,
      rowOfLine,
      idColumn,
      post: (to, body) => api.post<ImportResultJson>(`/imports/${to}`, body),
      describe: errorText,
    });
  const cancel = useCallback(() => cancelImport(workspace), [workspace]);
  const reset = useCallback(() => clearImport(workspace), [workspace]);
  const seen = useCallback(() => markImportSeen(workspace), [workspace]);
  return {
    /** The import's file and kind, for a page drawn again while it runs or after. */
    job,
    running: job?.running ?? false,
    progress: job?.progress,
    result: job?.result,
    cancelled: job?.cancelled ?? false,
    error: job?.error,
    run,
    cancel,
    reset,
    seen,
  };
}
