// The tokens the scanner produces and the words the parser treats as keywords.
import type { Span } from './span.js';

export const SYMBOLS = ['(', ')', ',', '=', '!=', '<', '<=', '>', '>='] as const;
export type TokenSymbol = (typeof SYMBOLS)[number];

interface TokenBase {
  span: Span;
  /** The raw source text of the token, quotes and escapes included. */
  text: string;
}

/** An identifier, bare (`rfm`, `客户等级`) or in backticks (`` `RFM 等级` ``). Keywords are names too. */
export interface NameToken extends TokenBase {
  kind: 'name';
  name: string;
  quoted: boolean;
}

export interface StringToken extends TokenBase {
  kind: 'string';
  value: string;
}

export interface NumberToken extends TokenBase {
  kind: 'number';
  value: number;
}

export interface SymbolToken extends TokenBase {
  kind: 'symbol';
  symbol: TokenSymbol;
}

export interface EndToken extends TokenBase {
  kind: 'end';
}

export type Token = NameToken | StringToken | NumberToken | SymbolToken | EndToken;

/**
 * Words that can never be a bare name, because the parser would read them as structure.
 * A tag or field spelled like one is written in backticks: `` `exists` ``.
 */
export const RESERVED_WORDS = ['and', 'or', 'not', 'in', 'has', 'between', 'exists', 'missing', 'before', 'after', 'within', 'ago', 'true', 'false'] as const;

/**
 * Words with a meaning only in one place (`has any`, `7 days`, `tagged(`); elsewhere they are
 * ordinary names. The printer still quotes them, so printed text never depends on context.
 */
export const CONTEXTUAL_WORDS = ['any', 'all', 'none', 'tagged', 'segment', 'date', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years'] as const;

const reserved = new Set<string>(RESERVED_WORDS);
const keywordLike = new Set<string>([...RESERVED_WORDS, ...CONTEXTUAL_WORDS]);

/** Keywords are case-insensitive: `AND`, `And` and `and` are one word. */
export function isKeyword(token: Token, word: string): boolean {
  return token.kind === 'name' && !token.quoted && token.name.toLowerCase() === word;
}

export function isReservedWord(name: string): boolean {
  return reserved.has(name.toLowerCase());
}

export function isKeywordLike(name: string): boolean {
  return keywordLike.has(name.toLowerCase());
}

/** A bare identifier: a letter (any script) or `_`, then letters, marks, digits or `_`. */
export const BARE_NAME_PATTERN = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;
