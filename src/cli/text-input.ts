// A small text a command is given as a file, or as `-` for standard input (a care plan's JSON, a
// list of customer ids): read as imports read theirs, UTF-8 or GB18030 told from the bytes,
// UTF-16 by its byte-order mark or its zero bytes, and the mark itself dropped. A file that cannot be opened is
// left to the command's error line, which says so in the reader's language.
import { readFile } from 'node:fs/promises';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { detectTextEncoding } from '../core/text-encoding.js';

export async function readTextInput(file: string): Promise<string> {
  const bytes = file === '-' ? await readStandardInput() : await readFile(file).catch((error: unknown) => {
    // A directory opens and fails at the read, whose error names no path: the error line names it.
    if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) (error as NodeJS.ErrnoException).path = file;
    throw error;
  });
  const encoding = detectTextEncoding(bytes);
  if (!encoding) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`${file} is neither UTF-8 nor GB18030 text`, `${file} 既不是 UTF-8 也不是 GB18030 文本`) });
  return new TextDecoder(encoding).decode(bytes);
}

async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
