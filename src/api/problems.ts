// RFC 9457 problem details: every error leaves the API as application/problem+json with a
// stable `code` from the error table, a human message, and per-item errors for batches.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES, TagbaseError, type ErrorCode, type ItemError } from '../core/errors.js';

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

export function problemType(code: ErrorCode): string {
  return `urn:tagbase:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function toProblem(error: TagbaseError, instance: string): Problem {
  const problem: Problem = {
    type: problemType(error.code),
    title: ERROR_CODES[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    instance,
  };
  if (error.items) problem.errors = error.items.slice(0, 1000);
  return problem;
}

/** Maps schema failures on `body.items.3.birthday` to item 3, path `birthday`, so batches say which entry is wrong. */
function validationToError(error: FastifyError & { validation: { instancePath: string; message?: string | undefined }[] }, context: string | undefined): TagbaseError {
  const items: ItemError[] = error.validation.map((issue) => {
    const segments = issue.instancePath.split('/').filter(Boolean);
    const index = segments.length >= 2 && /^\d+$/.test(segments[1] ?? '') ? Number(segments[1]) : -1;
    const path = index >= 0 ? segments.slice(2).join('.') : segments.join('.');
    return { index, code: 'VALIDATION_FAILED', path: path || undefined, message: issue.message ?? 'is not valid' } as ItemError;
  });
  const first = items[0];
  const where = first ? `${context ?? 'body'}${first.index >= 0 ? ` item ${first.index}` : ''}${first.path ? ` ${first.path}` : ''}` : context;
  const more = items.length > 1 ? ` (and ${items.length - 1} more)` : '';
  return new TagbaseError('VALIDATION_FAILED', { detail: `${where}: ${first?.message ?? 'is not valid'}${more}` }, items);
}

/** Turns anything thrown by a route or by Fastify itself into a TagbaseError. */
export function classifyError(error: unknown, request: FastifyRequest): TagbaseError {
  if (error instanceof TagbaseError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return validationToError(error, error.validationContext);
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TagbaseError('MALFORMED_JSON', { detail: fastifyError.message ?? '' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TagbaseError('BODY_TOO_LARGE', { max: request.routeOptions.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TagbaseError('UNSUPPORTED_MEDIA_TYPE', { contentType: request.headers['content-type'] ?? 'none' });
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new TagbaseError('MALFORMED_JSON', { detail: error.message });
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new TagbaseError('VALIDATION_FAILED', { detail: fastifyError.message ?? 'bad request' });
  }
  return new TagbaseError('INTERNAL', { detail: 'see the server log' });
}

export function sendProblem(reply: FastifyReply, error: TagbaseError, instance: string): FastifyReply {
  return reply.status(error.status).type('application/problem+json; charset=utf-8').send(toProblem(error, instance));
}
