// Where the API's resources are read: the address a 201 Created names in its Location header
// (RFC 9110 §15.3.2), an absolute path under the API, read in the same workspace as the call.
import type { FastifyReply } from 'fastify';

export const API_PREFIX = '/api/v1';

/** A resource's address under the API, each part percent-encoded: `apiPath('tags', '服务阶段')` is `/api/v1/tags/%E6%9C%8D%E5%8A%A1%E9%98%B6%E6%AE%B5`. */
export function apiPath(...parts: readonly (string | number)[]): string {
  return `${API_PREFIX}/${parts.map((part) => encodeURIComponent(String(part))).join('/')}`;
}

/** Answers 201 Created with what was made, its own address (`'tags', key`) in Location: the route declares it with `created(description, '/tags/{tag}')`. */
export function sendCreated(reply: FastifyReply, body: unknown, ...at: readonly (string | number)[]): FastifyReply {
  return reply.status(201).header('location', apiPath(...at)).send(body);
}
