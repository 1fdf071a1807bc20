// JSON request bodies, parsed as Fastify would, but a body that is not JSON says why and where
// in the reader's language: Fastify's own parser replaces the JSON parser's explanation with
// a sentence of its own.
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { TagbaseError } from '../core/errors.js';
import { explainJsonSyntaxError } from '../core/json-syntax.js';
import { localized } from '../core/locale.js';
import { nulCharacterPath } from '../core/nul-character.js';

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

export function registerJsonBodies(app: FastifyInstance): void {
  // Every body is JSON: a text/plain one (curl -d without a Content-Type of JSON, say) is told
  // so (415), not read as a string and refused for not being an object.
  app.removeContentTypeParser('text/plain');
  // Fastify's defaults: refuse both kinds of prototype poisoning.
  const parser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, async (request: FastifyRequest, body: string) => {
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
    // JSON writes the NUL character only as the escape \u0000, so a body without one needs no walk.
    const nulAt = body.includes('\\u0000') ? nulCharacterPath(value) : undefined;
    if (nulAt !== undefined) {
      const where = nulAt === '' ? '' : ` ${nulAt}`;
      throw new TagbaseError('VALIDATION_FAILED', {
        detail: localized(`body${where}: text may not hold the NUL character (\\u0000)`, `请求体${where}：文本中不能含有 NUL 字符（\\u0000）`),
      });
    }
    return value;
  });
}
