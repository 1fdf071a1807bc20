// Wording for syntax errors: how a token and a list of expectations read in a message.
import { isReservedWord, type Token } from './token.js';

/** Expectations that are descriptions rather than literal text, so they are not quoted. */
const DESCRIPTIONS = new Set(['a name', 'a string', 'a number', 'end of input', 'N days ago', 'date("…")', 'tagged("…")', 'segment("…")']);

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string ${token.text}`;
    case 'number':
      return `the number ${token.text}`;
    case 'name':
      return !token.quoted && isReservedWord(token.name) ? `the keyword "${token.name}"` : `the name ${token.quoted ? token.text : `"${token.text}"`}`;
    case 'symbol':
      return `"${token.symbol}"`;
    default: {
      const unreachable: never = token;
      return unreachable;
    }
  }
}

/** `"=", "in" or a string`. */
export function describeExpected(expected: readonly string[]): string {
  const items = expected.map((item) => (DESCRIPTIONS.has(item) ? item : `"${item}"`));
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}
