// `tagbase import <kind> --template [FILE]`: the file to fill in for an import, as the console's
// import page offers it (GET /api/v1/imports/{kind}/template): the header row the importer
// reads, with the workspace's own custom fields among the columns. The example row goes to
// stderr as a hint, never into the file, where it would be imported as a customer.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { TagbaseError } from '../../core/errors.js';
import { localized, type Locale } from '../../core/locale.js';
import type { ImportKind } from '../../core/import-columns.js';
import { importTemplate, templateFile, type TemplateFileFormat } from '../../engine/import-template.js';
import { csvLine } from '../../engine/segment-members.js';
import { inCommandWorkspace } from '../store-options.js';

export interface TemplateOptions {
  kind: ImportKind;
  /** Where to write it; standard output when not given. */
  path: string | undefined;
  format: TemplateFileFormat;
  /** The language of the header (and of the hint). */
  lang: Locale;
  workspace: string;
  database?: string | undefined;
}

export interface WrittenTemplate {
  /** The example row, as a line of CSV under the header's columns; empty when there is none. */
  example: string;
}

/**
 * Writes the template of `options.kind`. A file already there is refused, as a backup's is:
 * `--template 会员.csv` mistyped for the file to import would otherwise replace the members with
 * a header.
 */
export async function writeImportTemplate(options: TemplateOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<WrittenTemplate> {
  if (options.path !== undefined && existsSync(options.path)) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`${options.path} already exists; a template never overwrites a file: name another one`, `${options.path} 已存在；模板不会覆盖已有文件，请换一个文件名`),
    });
  }
  const template = await inCommandWorkspace({ workspace: options.workspace, database: options.database, locale: options.lang }, (context) => importTemplate(context, options.kind, options.lang));
  const bytes = await templateFile(template, options.format);
  if (options.path === undefined) {
    // With its byte-order mark, as a segment's CSV on standard output: `> 模板.csv` is how it is kept.
    await new Promise<void>((resolve, reject) => stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
  } else {
    await writeFile(options.path, bytes, { flag: 'wx' });
  }
  // An assignments template of a workspace without a manual tag has no example to give.
  return { example: template.example.every((cell) => cell === '') ? '' : csvLine(template.example).trimEnd() };
}
