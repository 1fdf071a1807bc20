// How a syntax error names the token it found: its kind and text, worded later in the
// reader's language (`wording-en.ts`, `wording-zh.ts`).
import type { TokenDescription } from './diagnostic.js';
import { isReservedWord, type Token } from './token.js';

export function describeToken(token: Token): TokenDescription {
  switch (token.kind) {
    case 'end':
      return { kind: 'end' };
    case 'string':
    case 'number':
      return { kind: token.kind, text: token.text };
    case 'name':
      if (!token.quoted && isReservedWord(token.name)) return { kind: 'keyword', text: token.name };
      return { kind: 'name', text: token.quoted ? token.text : `"${token.text}"` };
    case 'symbol':
      return { kind: 'symbol', text: token.symbol };
    default: {
      const unreachable: never = token;
      return unreachable;
    }
  }
}
