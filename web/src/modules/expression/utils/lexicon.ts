// How the console writes names and strings so the server's parser reads them back exactly
// (docs/expressions.md, "Lexical structure").

/** Never a bare name. */
export const RESERVED = new Set(['and', 'or', 'not', 'in', 'has', 'between', 'exists', 'missing', 'before', 'after', 'within', 'ago', 'true', 'false']);
// Contextual keywords are names where a subject stands, but the canonical printer quotes
// them anyway, and so do we: the text then reads the same whatever follows it.
const CONTEXTUAL = new Set(['any', 'all', 'none', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'tagged', 'segment', 'date']);

const BARE_NAME = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;

export function isBareName(text: string): boolean {
  const lower = text.toLowerCase();
  return BARE_NAME.test(text) && !RESERVED.has(lower) && !CONTEXTUAL.has(lower);
}

function escape(text: string, quote: string): string {
  let out = '';
  for (const char of text) {
    if (char === '\\' || char === quote) out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\0') out += '\\0';
    // The language has no \b or \f, and raw control characters would end up invisible.
    else if (char < ' ' || char === '\u007f' || char === '\u2028' || char === '\u2029') out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

export function quoteString(text: string): string {
  return `"${escape(text, '"')}"`;
}

export function quoteName(name: string): string {
  return isBareName(name) ? name : `\`${escape(name, '`')}\``;
}
