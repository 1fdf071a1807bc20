// JSON request bodies, parsed as Fastify would, but a body that is not JSON says why and where
// in the reader's language: Fastify's own parser replaces the JSON parser's explanation with
// a sentence of its own.
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { jsonPointer, TagbaseError, type ItemError } from '../core/errors.js';
import { duplicateJsonKeys, duplicateKeyText, type DuplicateJsonKey } from '../core/json-duplicate-keys.js';
import { explainJsonSyntaxError } from '../core/json-syntax.js';
import { localized } from '../core/locale.js';
import { namedSteps, UNSTORABLE_TEXT, unstorableTextPlace } from '../core/storable-text.js';
import { contentTypeGot, placeInBody } from './problems.js';

function parseWith(parser: FastifyBodyParser<string>, request: FastifyRequest, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const result: unknown = parser(request, body, (error, value: unknown) => (error ? reject(error) : resolve(value)));
    if (result instanceof Promise) result.then(resolve, reject);
  });
}

/** Why a body Fastify's parser refused is not JSON: the JSON parser's words, or the keys Fastify refuses in JSON that parses. */
function malformed(body: string): TagbaseError {
  try {
    JSON.parse(body);
  } catch (error) {
    return new TagbaseError('MALFORMED_JSON', { detail: explainJsonSyntaxError((error as Error).message) });
  }
  return new TagbaseError('MALFORMED_JSON', { detail: localized('"__proto__" and "constructor.prototype" keys are not accepted', '不接受 "__proto__" 或 "constructor.prototype" 键') });
}

/** A Content-Encoding other than none (`identity`), as sent. */
function contentEncodingOf(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header.join(', ') : (header ?? '')).trim();
  return value === '' || value.toLowerCase() === 'identity' ? undefined : value;
}

/** The names of UTF-8 a Content-Type may give as its charset, in lower case. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);

/** The `charset` parameter of a Content-Type, in lower case and unquoted, when it has one. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * The body as text, refused when it is not UTF-8: decoded leniently, a body from a GBK system
 * (张伟 as D5 C5 CE B0) would be stored as 「��ΰ」 without a word, where it is the client's to fix.
 */
function utf8Text(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    const lenient = raw.toString('utf8');
    const at = Buffer.byteLength(lenient.slice(0, Math.max(0, lenient.indexOf('\ufffd'))), 'utf8');
    const byte = `0x${(raw[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    throw new TagbaseError('MALFORMED_JSON', {
      detail: localized(
        `it is not UTF-8 text (byte ${byte} at offset ${at} is not UTF-8). JSON is read as UTF-8 only: a body written in GBK or another encoding must be converted to UTF-8 first.`,
        `请求体不是 UTF-8 文本（偏移 ${at} 处的字节 ${byte} 不是 UTF-8）。JSON 只按 UTF-8 读取：GBK 等其他编码的内容请先转为 UTF-8。`,
      ),
    });
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A body field whose rows the route checks one by one: a whole file (an import's `text`), or
     * a batch's list (`events`, `customers`). A NUL in one row rejects that row, as `tagbase
     * import` does, or refuses that item with its other problems and the other items', not the body.
     */
    rowsCheckedIn?: string;
  }
}

/** The body without the field whose rows its route checks itself. */
function withoutRowsField(value: unknown, field: string | undefined): unknown {
  if (field === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { [field]: _rows, ...rest } = value as Record<string, unknown>;
  return rest;
}

/**
 * A body giving a key twice in one object, refused as a schema failure is: each such key an item
 * of `errors[]` at the value it names (the batch item, the field, the pointer, the line and column
 * of its second writing), the first in `detail`.
 */
function duplicateKeysError(duplicates: readonly DuplicateJsonKey[]): TagbaseError {
  const items: ItemError[] = duplicates.map((found) => {
    const { index, path } = placeInBody(namedSteps(found.place));
    const text = duplicateKeyText(found);
    return { index, code: 'VALIDATION_FAILED', message: text.en, localized: text, ...(path ? { path } : {}), pointer: jsonPointer(found.place), line: found.line, column: found.column };
  });
  const [first] = items;
  const text = first?.localized ?? localized('a key is given twice in one object', '同一对象中有重复的键');
  const index = first?.index ?? -1;
  const path = first?.path ?? '';
  const more = items.length - 1;
  const where = localized(`body${index >= 0 ? ` item ${index}` : ''}${path ? ` ${path}` : ''}`, `请求体${index >= 0 ? ` 第 ${index} 项` : ''}${path ? ` ${path}` : ''}`);
  return new TagbaseError('VALIDATION_FAILED', { detail: localized(`${where.en}: ${text.en}${more > 0 ? ` (and ${more} more)` : ''}`, `${where['zh-CN']}：${text['zh-CN']}${more > 0 ? `（另有 ${more} 处）` : ''}`) }, items);
}

export function registerJsonBodies(app: FastifyInstance): void {
  // Every body is JSON: a text/plain one (curl -d without a Content-Type of JSON, say) is told
  // so (415), not read as a string and refused for not being an object.
  app.removeContentTypeParser('text/plain');
  // But no body is no body, whatever it is labelled: `curl -X POST -d ''` sends nothing as a
  // form, and `fetch(url, { method: 'POST', body: '' })` as text/plain, to calls that take no
  // body (a webhook's pause, a deletion). Told "send JSON" for nothing, a client could not
  // comply; a call that needs a body says it has none, as it does for an empty JSON one.
  app.addHook('onRequest', async (request) => {
    const headers = request.raw.headers;
    if (headers['content-type'] !== undefined && headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0')) delete headers['content-type'];
  });
  // Fastify's defaults: refuse both kinds of prototype poisoning.
  const parser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) => {
    // A compressed body would be read as bytes that are not UTF-8 ("convert it from GBK"): say what it is.
    const encoding = contentEncodingOf(request.headers['content-encoding']);
    if (encoding !== undefined) {
      throw new TagbaseError('UNSUPPORTED_MEDIA_TYPE', {
        got: contentTypeGot(request.headers['content-type'], localized(`with Content-Encoding: ${encoding}`, `（Content-Encoding: ${encoding}）`)),
        hint: localized(' A body is read uncompressed only: send it without Content-Encoding.', '请求体只按未压缩的内容读取：请不带 Content-Encoding 发送。'),
      });
    }
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
      throw new TagbaseError('UNSUPPORTED_MEDIA_TYPE', {
        got: contentTypeGot(request.headers['content-type']),
        hint: localized(
          ` JSON is read as UTF-8 only: convert the body from ${charset} to UTF-8, and send charset=utf-8 or no charset.`,
          `JSON 只按 UTF-8 读取：请先把请求体从 ${charset} 转为 UTF-8，并发送 charset=utf-8 或不写 charset。`,
        ),
      });
    }
    const body = utf8Text(raw);
    // Many clients label every request JSON, a DELETE without a body included: no body is no
    // body, and a route that needs one says so when it validates.
    if (body.trim() === '') return undefined;
    let value: unknown;
    try {
      value = await parseWith(parser, request, body);
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY') throw malformed(body);
      throw error;
    }
    const duplicates = duplicateJsonKeys(body, value);
    if (duplicates.length > 0) throw duplicateKeysError(duplicates);
    // JSON writes the NUL character and a surrogate only as escapes (UTF-8 has no bytes for a
    // lone one), so a body without such an escape needs no walk.
    const unstorableAt = body.includes('\\u0000') || /\\u[dD][89a-fA-F]/.test(body) ? unstorableTextPlace(withoutRowsField(value, request.routeOptions.config.rowsCheckedIn)) : undefined;
    if (unstorableAt !== undefined) {
      // Said as a schema failure is: the batch item and the field, in `detail` and in `errors[]`.
      const { index, path } = placeInBody(namedSteps(unstorableAt));
      const text = localized(UNSTORABLE_TEXT.en, UNSTORABLE_TEXT.zh);
      const where = localized(`body${index >= 0 ? ` item ${index}` : ''}${path ? ` ${path}` : ''}`, `请求体${index >= 0 ? ` 第 ${index} 项` : ''}${path ? ` ${path}` : ''}`);
      const item: ItemError = { index, code: 'VALIDATION_FAILED', message: text.en, localized: text, ...(path ? { path } : {}), pointer: jsonPointer(unstorableAt) };
      throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`${where.en}: ${text.en}`, `${where['zh-CN']}：${text['zh-CN']}`) }, [item]);
    }
    return value;
  });
}
