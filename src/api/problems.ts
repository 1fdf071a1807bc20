// RFC 9457 problem details: every error leaves the API as application/problem+json with a
// stable `code` from the error table, a human message in the request's language
// (Accept-Language), and per-item errors for batches.
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorTitle, itemMessage, jsonPointer, TagbaseError, type ErrorCode, type ItemError } from '../core/errors.js';
import { explainJsonSyntaxError } from '../core/json-syntax.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { toldIssues } from '../core/validation.js';
import { isConnectionRefused } from '../store/connect.js';
import { ISO_TIME_MESSAGE } from '../core/time.js';
import { replyLocale } from './locale.js';
import { isStoreDamage } from '../store/connect.js';
import { isPermissionDenied } from '../store/permissions.js';
import { isStatementCancelled, isStoreBusy, isStoreNotWritable, isStoreUnavailable, isTransactionConflict, STATEMENT_CANCELLED, STORE_BUSY, TRANSACTION_CONFLICT } from '../store/unavailable.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body's list whose positions `errors[].index` counts (`events`, `customers`): an item
     * the engine places within one of its entries is pointed at through it. Only for routes
     * whose body holds such a list.
     */
    itemsIn?: string;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  errors?: ItemError[];
  [extension: string]: unknown;
}

/**
 * What `UNSUPPORTED_MEDIA_TYPE` says it got: the Content-Type as sent (with what else was wrong
 * with it), or that there was none, in words rather than as a type called "none".
 */
export function contentTypeGot(contentType: string | undefined, withWhat?: LocalizedText): LocalizedText {
  if (contentType === undefined || contentType.trim() === '') return localized('got no Content-Type', '收到的请求没有 Content-Type');
  return localized(`got ${contentType}${withWhat ? ` ${withWhat.en}` : ''}`, `收到的是 ${contentType}${withWhat?.['zh-CN'] ?? ''}`);
}

export function problemType(code: ErrorCode): string {
  return `urn:tagbase:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * `itemsIn` is the body's list whose positions the items' `index` counts (`events` for `POST
 * /events`), from the route's `itemsIn`: with it an item placed within its batch item gets its
 * `pointer` (`#/events/3/properties/amount`).
 */
export function toProblem(error: TagbaseError, instance: string, locale: Locale = 'en', itemsIn?: string): Problem {
  const problem: Problem = {
    type: problemType(error.code),
    title: errorTitle(error.code, locale),
    status: error.status,
    detail: error.messageIn(locale),
    code: error.code,
    instance,
  };
  // A request refused as not valid always says where in `errors[]`, so that a client can show
  // every refusal the same way: one that is about no single field has an entry without a path.
  const items = error.items ?? (error.code === 'VALIDATION_FAILED' ? [unplacedItem(error.params.detail)] : undefined);
  if (items) {
    problem.errors = items.slice(0, 1000).map((item) => {
      const shown: ItemError = { ...item, message: itemMessage(item, locale) };
      const pointer = item.pointer ?? (itemsIn !== undefined && item.index >= 0 && item.inItem !== undefined ? jsonPointer([itemsIn, item.index, ...item.inItem]) : undefined);
      if (pointer !== undefined) shown.pointer = pointer;
      delete shown.localized;
      delete shown.inItem;
      return shown;
    });
  }
  return problem;
}

/** An entry of `errors[]` saying what `detail` says, for a refusal placed at no one field. */
function unplacedItem(detail: unknown): ItemError {
  const text = typeof detail === 'object' && detail !== null ? (detail as LocalizedText) : localized(String(detail ?? ''), String(detail ?? ''));
  return { index: -1, code: 'VALIDATION_FAILED', message: text.en, localized: text };
}

/** What fastify calls each part of a request, as a message names it. */
const PARTS: Readonly<Record<string, LocalizedText>> = {
  body: localized('body', '请求体'),
  querystring: localized('querystring', '查询参数'),
  params: localized('params', '路径参数'),
  headers: localized('headers', '请求头'),
};

/** The bodies that are batches: an issue inside one names its item by index, as `errors[].index`. */
const BATCH_KEYS = new Set(['customers', 'events']);

/**
 * Where in a body a problem is, as `errors[]` says it: `customers.3.birthday` is item 3, path
 * `birthday`, so batches say which entry is wrong; elsewhere (a tag's values, a care plan's
 * steps) the list's name stays in the path, with index -1. An entry wrong as a whole (`1` in a
 * bulk tagging's list of customer ids) is item 3 with the list's name as its path, as an unknown
 * id in that list is placed.
 */
export function placeInBody(segments: readonly string[]): { index: number; path: string } {
  const index = segments.length >= 2 && BATCH_KEYS.has(segments[0] ?? '') && /^\d+$/.test(segments[1] ?? '') ? Number(segments[1]) : -1;
  if (index < 0) return { index, path: segments.join('.') };
  return { index, path: segments.length === 2 ? (segments[0] ?? '') : segments.slice(2).join('.') };
}

/** Schema failures as one problem, each issue an item of `errors[]` placed by `placeInBody`. */
function validationToError(error: z.ZodError, context: string | undefined): TagbaseError {
  const inBody = (context ?? 'body') === 'body';
  const issues = context === 'querystring' || context === 'params' ? error.issues.map(inAddress) : error.issues;
  const items: ItemError[] = toldIssues(issues).map((told) => {
    const { index, path } = placeInBody(told.path);
    // Where in the body, whatever the route's list: the issue's path starts at the body's root.
    const pointer = inBody ? { pointer: jsonPointer(told.path) } : {};
    return { index, code: 'VALIDATION_FAILED', path: path || undefined, ...pointer, message: told.text.en, localized: told.text } as ItemError;
  });
  const first = items[0];
  const part = PARTS[context ?? 'body'] ?? localized(context ?? 'body', context ?? 'body');
  const path = first?.path ? ` ${first.path}` : '';
  const message = first?.localized ?? localized('is not valid', '无效');
  const more = items.length - 1;
  const item = first !== undefined && first.index >= 0 ? first.index : undefined;
  const where = localized(`${part.en}${item !== undefined ? ` item ${item}` : ''}${path}`, `${part['zh-CN']}${item !== undefined ? ` 第 ${item} 项` : ''}${path}`);
  const detail = localized(`${where.en}: ${message.en}${more > 0 ? ` (and ${more} more)` : ''}`, `${where['zh-CN']}：${message['zh-CN']}${more > 0 ? `（另有 ${more} 处）` : ''}`);
  return new TagbaseError('VALIDATION_FAILED', { detail }, items);
}

/**
 * An issue of a query or path parameter, where everything arrives as text: a number written
 * otherwise than in digits (`0x10`, `1e3`, empty) is told so rather than "expected a number, got
 * text", and a parameter given twice (`limit=1&limit=2`, which arrives as a list) is told that.
 */
function inAddress(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const input: unknown = issue.input;
  if (issue.code === 'custom' && issue.message === ISO_TIME_MESSAGE && typeof input === 'string') {
    // `?before=2026-01-01T00:00:00+08:00` sent unencoded: the query reads its + as a space.
    const offset = OFFSET_WITHOUT_ITS_PLUS.exec(input)?.[1];
    return offset === undefined ? issue : { ...issue, message: `${ISO_TIME_MESSAGE}; a "+" in the address reads as a space: write +${offset} as %2B${offset}` };
  }
  if (issue.code !== 'invalid_type') return issue;
  if (Array.isArray(input)) return { ...issue, message: `given ${input.length} times; give it once` };
  if (issue.expected === 'number' && typeof input === 'string') return { ...issue, message: 'a number written in digits, like 20' };
  return issue;
}

/** A time of day followed by a space and an offset's digits: `+08:00` once its + became a space. */
const OFFSET_WITHOUT_ITS_PLUS = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)? (\d{2}(?::?\d{2})?)$/;

/** A route's byte limit as the docs write it (`64 MB`), with the exact count beside it. */
function bodyTooLarge(limit: number): TagbaseError {
  const megabytes = limit / 1_048_576;
  const max = Number.isInteger(megabytes) ? `${megabytes} MB` : `${Math.round(limit / 1024)} KB`;
  return new TagbaseError('BODY_TOO_LARGE', { max, bytes: limit.toLocaleString('en-US') });
}

const SEE_THE_LOG = localized('see the server log', '详情请查看服务器日志');
const STORE_DAMAGED = localized('the store is damaged where this call reads it; the server log says where, and how to restore it', '数据库在此调用读取的位置已损坏；服务器日志写明了位置和恢复方法');

/**
 * An internal error as the reader sees it. Its details name the server's own state, for the
 * operator reading the log (where the error is written in full); a detail written only in
 * English reads in other languages as a pointer to that log.
 */
function internalError(error: TagbaseError): TagbaseError {
  const detail = error.params.detail;
  return typeof detail === 'object' ? error : new TagbaseError('INTERNAL', { detail: localized(detail === undefined ? SEE_THE_LOG.en : String(detail), SEE_THE_LOG['zh-CN']) });
}

/**
 * The longest path parameter the router takes, in UTF-16 units once decoded: a customer id is
 * at most 128 characters, each up to two units.
 */
export const MAX_PATH_PARAMETER_LENGTH = 512;

/** Turns anything thrown by a route or by Fastify itself into a TagbaseError. */
export function classifyError(error: unknown, request: FastifyRequest): TagbaseError {
  if (error instanceof TagbaseError) return error.code === 'INTERNAL' ? internalError(error) : error;
  if (error instanceof z.ZodError) {
    const context = (error as { validationContext?: string }).validationContext;
    // No body at all (the JSON parser reads an empty one as none); a JSON `null` is a body, answered as the wrong kind.
    if ((context ?? 'body') === 'body' && request.body === undefined && error.issues.some((issue) => issue.path.length === 0)) {
      return new TagbaseError('VALIDATION_FAILED', { detail: localized('the request has no body; this call takes a JSON object', '请求没有请求体，此接口需要一个 JSON 对象') });
    }
    return validationToError(error, context);
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TagbaseError('MALFORMED_JSON', { detail: localized(fastifyError.message ?? '', '格式有误') });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TagbaseError('MALFORMED_JSON', { detail: localized(fastifyError.message ?? '', 'Content-Type 为 application/json 时，请求体不能为空') });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(request.routeOptions.bodyLimit ?? 0);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TagbaseError('UNSUPPORTED_MEDIA_TYPE', { got: contentTypeGot(request.headers['content-type']) });
    case 'FST_ERR_BAD_URL':
      return new TagbaseError('VALIDATION_FAILED', { detail: localized('the path holds a malformed percent-encoding (a % must be followed by two hexadecimal digits of UTF-8)', '路径中的百分号编码有误（% 之后应为两位十六进制数字，且须为 UTF-8 编码）') });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new TagbaseError('VALIDATION_FAILED', { detail: localized(`a part of the path is longer than ${MAX_PATH_PARAMETER_LENGTH} characters (a customer id is at most 128)`, `路径中的某一段超过了 ${MAX_PATH_PARAMETER_LENGTH} 个字符（客户编号最多 128 个字符）`) });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TagbaseError('VALIDATION_FAILED', { detail: localized(fastifyError.message ?? '', '请求体的大小与 Content-Length 不符') });
    default:
      break;
  }
  if (isStoreBusy(error)) return new TagbaseError('STORE_UNAVAILABLE', { detail: STORE_BUSY });
  if (isStatementCancelled(error)) return new TagbaseError('STORE_UNAVAILABLE', { detail: STATEMENT_CANCELLED });
  if (isTransactionConflict(error)) return new TagbaseError('STORE_UNAVAILABLE', { detail: TRANSACTION_CONFLICT });
  // A role that may read but not write (or lost a grant under the server): its log names the role, the table and the GRANT.
  if (isPermissionDenied(error)) return new TagbaseError('STORE_PERMISSION_DENIED', { detail: localized("nothing was changed; the server's log says which right its database role lacks", '未做任何更改；原因见服务器日志（其数据库用户缺少的权限）') });
  if (isStoreNotWritable(error)) return new TagbaseError('STORE_NOT_WRITABLE', { detail: localized("nothing was changed; the server's log says why (a read-only file or database, or a full disk)", '未做任何更改；原因见服务器日志（文件或数据库只读，或磁盘已满）') });
  // A role dropped or a password changed under the server: its log names the URL and the server's words.
  if (isConnectionRefused(error)) return new TagbaseError('STORE_REFUSED', { detail: localized("nothing was changed; the server's log says why (the user, password or SSL of its database URL)", '未做任何更改；原因见服务器日志（数据库地址中的用户名、密码或 SSL 设置）') });
  if (isStoreUnavailable(error)) return new TagbaseError('STORE_UNAVAILABLE', { detail: localized('try again shortly', '请稍后重试') });
  // The caller can do nothing about it, and the file's path is the server's own: the log names it.
  if (isStoreDamage(error)) return new TagbaseError('INTERNAL', { detail: STORE_DAMAGED });
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new TagbaseError('MALFORMED_JSON', { detail: explainJsonSyntaxError(error.message) });
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new TagbaseError('VALIDATION_FAILED', { detail: fastifyError.message ?? 'bad request' });
  }
  return new TagbaseError('INTERNAL', { detail: SEE_THE_LOG });
}

export function sendProblem(reply: FastifyReply, error: TagbaseError, instance: string): FastifyReply {
  const locale = replyLocale(reply);
  const itemsIn = reply.request.routeOptions.config?.itemsIn;
  return reply.status(error.status).type('application/problem+json; charset=utf-8').send(toProblem(error, instance, locale, itemsIn));
}

/** What to do about the usual cause: a client that sent UTF-8 unencoded (curl does in the query string). */
const WHERE_UNREADABLE = localized(
  'an address holds a character outside ASCII or a space; percent-encode it (黄 is %E9%BB%84), as browsers and most HTTP clients do',
  '地址中含有 ASCII 以外的字符或空格，请先做百分号编码（黄 写作 %E9%BB%84），浏览器和多数 HTTP 客户端会自动这样做',
);

/**
 * Answers a request Node's HTTP parser refused before any route saw it (raw UTF-8 in a query
 * string, headers too large, a request that never finished) with a problem document like every
 * other error, rather than Fastify's own JSON. The language comes from the request's
 * Accept-Language when the parser read that far.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new TagbaseError('REQUEST_TIMEOUT')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new TagbaseError('HEADERS_TOO_LARGE', { limit: `${(maxHeaderSize / 1024).toLocaleString('en')} KB` })
        : new TagbaseError('REQUEST_UNREADABLE', { detail: error.code === 'HPE_INVALID_URL' ? WHERE_UNREADABLE : localized(error.message, error.message) });
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  const locale: Locale = /^accept-language:[ \t]*zh/im.test(raw) ? 'zh-CN' : 'en';
  // The path as far as the parser's input shows it, without the query that is likely the trouble.
  const instance = /^[A-Z]+ ([^ ?\r\n]*)/.exec(raw)?.[1] ?? '';
  const body = JSON.stringify(toProblem(problem, instance, locale));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Language: ${locale}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
