// Which web pages of other origins may call the API from a browser: `--cors-origins`, else
// TAGBASE_CORS_ORIGINS, else none (no CORS headers at all, as before there was the setting).
import { parseCorsOrigins, type CorsOrigins } from '../api/cors.js';
import type { Say } from './messages.js';

/**
 * The origins allowed, or undefined when none is listed. An empty or blank variable is unset, as
 * `PORT=` is; an item that is no origin (a path, no scheme) is refused, naming where it came from,
 * rather than left out unsaid, which would leave the page's calls blocked with no word why.
 */
export function corsOriginsSetting(option: string | undefined, variable: string | undefined, say: Say): CorsOrigins | undefined {
  const given = option ?? (variable?.trim() ? variable : undefined);
  if (given === undefined) return undefined;
  const read = parseCorsOrigins(given);
  if ('invalid' in read) throw new Error(say('invalid.corsOrigin', { setting: option === undefined ? 'TAGBASE_CORS_ORIGINS' : '--cors-origins', origin: read.invalid }));
  return read;
}
