// Exports are POSTs or need the workspace header, so a plain link cannot fetch them: the
// console fetches the file and hands the browser a blob, named as the server names it: without the
// marks that set the direction of text (src/core/file-name.ts). The body is read as it streams,
// so a large export shows how far it has come and can be cancelled before anything is saved.
import { downloadFileName } from '../../../../../src/core/file-name';

/** How far a download has come: bytes received, and for CSV and JSON Lines the rows among `expected` (X-Tagbase-Members). */
export interface DownloadProgress {
  bytes: number;
  /** Rows received so far; undefined for a workbook, whose compressed rows cannot be counted as they come. */
  rows: number | undefined;
  expected: number | undefined;
  done: boolean;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborts the reading: nothing is saved, and the promise rejects with the browser's `AbortError`. */
  signal?: AbortSignal;
}

const NEWLINE = 0x0a;

export async function downloadResponse(response: Response, fallbackName: string, options: DownloadOptions = {}): Promise<void> {
  const blob = await readBody(response, options);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadFileName(fallbackName);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function readBody(response: Response, { onProgress, signal }: DownloadOptions): Promise<Blob> {
  const members = response.headers.get('x-tagbase-members');
  const expected = members === null || !/^\d+$/.test(members) ? undefined : Number(members);
  const type = response.headers.get('content-type') ?? '';
  // A line a row: the CSV's first is its header. A workbook is compressed, its rows not counted.
  const lines = type.startsWith('text/csv') ? -1 : type.startsWith('application/x-ndjson') ? 0 : undefined;
  if (response.body === null || onProgress === undefined) {
    const blob = await response.blob();
    signal?.throwIfAborted();
    return blob;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let newlines = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
      for (let at = value.indexOf(NEWLINE); at !== -1; at = value.indexOf(NEWLINE, at + 1)) newlines += 1;
      // A quoted cell may hold a line break: the count stops short of the whole until the file ends.
      const rows = lines === undefined ? undefined : Math.max(0, newlines + lines);
      onProgress({ bytes, rows: rows === undefined || expected === undefined ? rows : Math.min(rows, expected), expected, done: false });
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  onProgress({ bytes, rows: expected, expected, done: true });
  return new Blob(parts as BlobPart[], { type });
}
