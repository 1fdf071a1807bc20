// Reads an import file row by row, CSV (with a header) or JSON Lines, keeping the line
// number of each row so that rejected rows can be reported precisely.
import { createReadStream } from 'node:fs';
import type { Locale } from '../../core/locale.js';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../core/text-encoding.js';
import { parseRows, type ImportFormat, type ParseOptions, type RawRow } from '../../engine/imports.js';
import { cliMessages } from '../messages.js';

export type { ImportFormat, RawRow } from '../../engine/imports.js';

export function formatOf(path: string, explicit?: string, locale?: Locale): ImportFormat {
  if (explicit === 'csv' || explicit === 'jsonl') return explicit;
  if (explicit !== undefined) throw new Error(cliMessages(locale)('invalid.format', { format: explicit }));
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  if (/\.csv$/i.test(path)) return 'csv';
  throw new Error(cliMessages(locale)('invalid.formatUnknown', { path }));
}

export function encodingOf(explicit: string | undefined, locale?: Locale): TextEncodingName | 'auto' {
  const named = explicit?.trim().toLowerCase();
  if (named === undefined || named === 'auto') return 'auto';
  if (named === 'gbk') return 'gb18030';
  if (named === 'utf8') return 'utf-8';
  const known = TEXT_ENCODINGS.find((encoding) => encoding === named);
  if (known) return known;
  throw new Error(cliMessages(locale)('invalid.encoding', { encoding: explicit ?? '' }));
}

/**
 * Rows of a file; `onBytes` reports how far the reading got, for the progress bar. The file
 * opens on the first read: a 'data' listener makes the stream flow, and rows read before
 * the parser is attached would be lost.
 */
export async function* readRows(path: string, format: ImportFormat, onBytes?: (bytes: number) => void, options: ParseOptions = {}): AsyncGenerator<RawRow> {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead));
  yield* parseRows(stream, format, options);
}
