// The headers every call may carry: the workspace it acts in, while the API is open who acts,
// and whether it comes from the web console.
import type { FastifyRequest } from 'fastify';
import { fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { NUL } from '../core/storable-text.js';
import { DEFAULT_WORKSPACE } from '../engine/workspaces.js';

export const WORKSPACE_HEADER = 'x-tagbase-workspace';
export const ACTOR_HEADER = 'x-tagbase-actor';
/** `console` from the web console: what its staff do there is by hand, named or not. */
export const CLIENT_HEADER = 'x-tagbase-client';

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return undefined;
  // Header values are Latin-1 on the wire; non-ASCII names (导购-王芳) arrive percent-encoded.
  // A client that sent the UTF-8 bytes as they are (curl -H 'X-Tagbase-Actor: 王芳') gets them
  // read back as UTF-8, rather than stored as the Latin-1 characters of those bytes.
  const text = /[^ -~\t]/.test(value) ? utf8FromLatin1(name, value) : value;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.trim());
  } catch {
    throw fieldError('header', name, localized(`header ${name} is not valid percent-encoding`, `请求头 ${name} 不是有效的百分号编码`));
  }
  if (decoded.includes(NUL)) throw fieldError('header', name, localized(`header ${name} holds the NUL character (%00)`, `请求头 ${name} 中含有 NUL 字符（%00）`));
  return decoded;
}

export function workspaceKeyOf(request: FastifyRequest): string {
  return headerValue(request, WORKSPACE_HEADER) ?? DEFAULT_WORKSPACE;
}

function utf8FromLatin1(name: string, value: string): string {
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  if (decoded.includes('\ufffd')) {
    throw fieldError('header', name, localized(`header ${name} holds bytes that are not UTF-8; percent-encode names that are not ASCII`, `请求头 ${name} 中有不是 UTF-8 的字节；非 ASCII 的名称请用百分号编码`));
  }
  return decoded;
}
