// Which language a request's errors and other words are written in, from its Accept-Language header:
// Chinese when any zh tag is weighted at least as high as English, English otherwise.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, type Locale } from '../core/locale.js';

/** The highest weight the header gives a language whose tags start with `prefix` (0 when it gives none). */
function weightOf(entries: readonly { tag: string; q: number }[], prefix: string): number {
  return entries.reduce((best, entry) => (entry.tag === prefix || entry.tag.startsWith(`${prefix}-`) ? Math.max(best, entry.q) : best), 0);
}

export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (header === undefined || header.trim() === '') return DEFAULT_LOCALE;
  const entries = header.split(',').flatMap((part) => {
    const [tag = '', ...options] = part.trim().split(';');
    const weight = options.map((option) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(option)?.[1]).find((q) => q !== undefined);
    const q = weight === undefined ? 1 : Number(weight);
    return tag.trim() === '' || !Number.isFinite(q) ? [] : [{ tag: tag.trim().toLowerCase(), q }];
  });
  const chinese = weightOf(entries, 'zh');
  // A wildcard stands for English when English is not named: it is what "anything" gets.
  const english = Math.max(weightOf(entries, 'en'), entries.some((entry) => entry.tag.startsWith('en')) ? 0 : weightOf(entries, '*'));
  return chinese > 0 && chinese >= english ? 'zh-CN' : DEFAULT_LOCALE;
}

export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return localeFromAcceptLanguage(Array.isArray(header) ? header.join(',') : header);
}

/** Adds a header name to Vary, keeping what is there. */
export function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('vary');
  const names = String(current ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  if (!names.some((part) => part === '*' || part.toLowerCase() === name.toLowerCase())) reply.header('vary', [...names, name].join(', '));
}

/** The language of a reply whose words depend on the request's; says so in Content-Language, and that it varies in Vary. */
export function replyLocale(reply: FastifyReply): Locale {
  const locale = requestLocale(reply.request);
  addVary(reply, 'Accept-Language');
  reply.header('content-language', locale);
  return locale;
}
