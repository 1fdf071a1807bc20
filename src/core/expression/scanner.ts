// The hand-written scanner: turns source text into tokens with exact positions, and
// reports the first bad character, unterminated string or unknown escape as a diagnostic.
import { makeDiagnostic, type DiagnosticMessage, type ExpressionDiagnostic } from './diagnostic.js';
import type { Span } from './span.js';
import type { Token, TokenSymbol } from './token.js';

export interface ScanResult {
  /** Always ends with one `end` token. */
  tokens: Token[];
  diagnostics: ExpressionDiagnostic[];
}

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{M}\p{N}_]/u;
const WHITESPACE = /\s/u;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Characters a Chinese input method types instead of the ASCII ones the language uses. */
const FULL_WIDTH: Record<string, string> = {
  '（': '(',
  '）': ')',
  '，': ',',
  '＝': '=',
  '＜': '<',
  '＞': '>',
  '！': '!',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '＂': '"',
  '＇': "'",
  '｀': '`',
  '－': '-',
  // Corner quotes: how Chinese text quotes (the console shows a tag's value as 「服务阶段: 售后」).
  '「': '"',
  '」': '"',
  '『': '"',
  '』': '"',
};

const FULL_WIDTH_NUMBER = /[０-９．]/;

/** Brackets other languages write lists in (`["广州"]`, JSON; 【】 in Chinese text), with the parenthesis to write. */
const LIST_BRACKETS: Readonly<Record<string, string>> = { '[': '(', ']': ')', '【': '(', '】': ')' };

/** Characters that show as nothing, or as a space, and are not the scanner's whitespace: zero-width spaces and joiners, control characters. */
const INVISIBLE = /^[\p{Cf}\p{Cc}\p{Zs}\p{Zl}\p{Zp}]$/u;

/**
 * Operators from other languages (SQL, JavaScript, Excel) that people type out of habit, with
 * the one to write; two characters are checked before one, so `&&` is one slip, not two.
 */
const OPERATOR_SLIPS: Readonly<Record<string, string>> = {
  '==': '=',
  '<>': '!=',
  '=>': '>=',
  '=<': '<=',
  '&&': 'and',
  '||': 'or',
  '&': 'and',
  '|': 'or',
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
};

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', '"': '"', "'": "'", '`': '`' };

export function scanTokens(source: string): ScanResult {
  return new Scanner(source).run();
}

class Scanner {
  private readonly tokens: Token[] = [];
  private readonly diagnostics: ExpressionDiagnostic[] = [];
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly source: string) {}

  run(): ScanResult {
    // Like the parser, the scanner stops at its first problem: what follows a bad character or
    // an unclosed string is rarely what was meant, and one clear error beats a cascade.
    while (this.diagnostics.length === 0) {
      this.skipTrivia();
      if (this.offset >= this.source.length) break;
      this.scanToken();
    }
    this.tokens.push({ kind: 'end', text: '', span: this.here(0) });
    return { tokens: this.tokens, diagnostics: this.diagnostics };
  }

  private skipTrivia(): void {
    while (this.offset < this.source.length) {
      const char = this.peek();
      if (WHITESPACE.test(char)) this.advance();
      else if (this.source.startsWith('--', this.offset)) {
        while (this.offset < this.source.length && !this.atLineBreak()) this.advance();
      } else return;
    }
  }

  private scanToken(): void {
    const start = this.mark();
    const char = this.peek();
    const next = this.source[this.offset + 1] ?? '';
    if (char === '"' || char === "'") return this.scanQuoted(start, char);
    if (char === '`') return this.scanQuoted(start, char);
    if (/\d/.test(char) || (char === '-' && /\d/.test(next))) return this.scanNumber(start);
    if (NAME_START.test(char)) return this.scanName(start);
    const slip = OPERATOR_SLIPS[char + next] !== undefined ? char + next : OPERATOR_SLIPS[char] !== undefined ? char : undefined;
    const operator = slip === undefined ? undefined : OPERATOR_SLIPS[slip];
    if (slip !== undefined && operator !== undefined) {
      for (let i = 0; i < slip.length; i++) this.advance();
      this.report({ reason: 'operator_slip', params: { written: slip, operator } }, this.spanFrom(start), slip, operator);
      return;
    }
    const symbol = this.matchSymbol(char, next);
    if (symbol !== undefined) {
      for (let i = 0; i < symbol.length; i++) this.advance();
      this.tokens.push({ kind: 'symbol', symbol, text: symbol, span: this.spanFrom(start) });
      return;
    }
    if (FULL_WIDTH_NUMBER.test(char)) {
      // A number typed in full-width digits (１００) is one mistake, not one per digit.
      let number = '';
      while (this.offset < this.source.length && FULL_WIDTH_NUMBER.test(this.peek())) {
        number += this.peek();
        this.advance();
      }
      const digits = number.normalize('NFKC');
      this.report({ reason: 'full_width_character', params: { char: number, ascii: digits } }, this.spanFrom(start), number, digits);
      return;
    }
    this.advance();
    const span = this.spanFrom(start);
    const ascii = FULL_WIDTH[char];
    if (ascii !== undefined) {
      this.report({ reason: 'full_width_character', params: { char, ascii } }, span, char, ascii);
    } else if (char === '!') {
      this.report({ reason: 'unexpected_bang', params: {} }, span, char, '!=');
    } else if (char === '-') {
      this.report({ reason: 'unexpected_minus', params: {} }, span, char);
    } else if (LIST_BRACKETS[char] !== undefined) {
      this.report({ reason: 'list_bracket', params: { char } }, span, char, LIST_BRACKETS[char]);
    } else if (INVISIBLE.test(char)) {
      // Shown as it is, the character would be nothing between the quotes: name its code point.
      const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      this.report({ reason: 'invisible_character', params: { code } }, span, char);
    } else {
      this.report({ reason: 'unexpected_character', params: { char } }, span, char);
    }
  }

  private matchSymbol(char: string, next: string): TokenSymbol | undefined {
    switch (char) {
      case '(':
      case ')':
      case ',':
      case '=':
        return char;
      case '!':
        return next === '=' ? '!=' : undefined;
      case '<':
        return next === '=' ? '<=' : '<';
      case '>':
        return next === '=' ? '>=' : '>';
      default:
        return undefined;
    }
  }

  private scanNumber(start: Mark): void {
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.source);
    // The caller saw a digit (after an optional minus), so the pattern always matches here.
    const text = match?.[0] ?? this.peek();
    for (let i = 0; i < text.length; i++) this.advance();
    const span = this.spanFrom(start);
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.report({ reason: 'number_too_large', params: { text } }, span, text);
      return;
    }
    // "-0" is zero: one value, one printed form.
    this.tokens.push({ kind: 'number', value: value === 0 ? 0 : value, text, span });
  }

  private scanName(start: Mark): void {
    this.advance();
    while (this.offset < this.source.length && NAME_PART.test(this.peek())) this.advance();
    const text = this.source.slice(start.offset, this.offset);
    this.tokens.push({ kind: 'name', name: text, quoted: false, text, span: this.spanFrom(start) });
  }

  /** Strings in `"` or `'`, and quoted names in backticks: one closing quote, backslash escapes, no line breaks. */
  private scanQuoted(start: Mark, quote: string): void {
    this.advance();
    let value = '';
    for (;;) {
      if (this.offset >= this.source.length || this.atLineBreak()) {
        const span = this.spanFrom(start);
        const what = quote === '`' ? 'name' : 'string';
        this.report({ reason: 'unterminated', params: { what, quote } }, span, this.source.slice(start.offset, this.offset), undefined, [quote]);
        return;
      }
      const char = this.peek();
      if (char === quote) {
        this.advance();
        break;
      }
      if (char === '\\') value += this.scanEscape();
      else {
        value += char;
        this.advance();
      }
    }
    const span = this.spanFrom(start);
    const text = this.source.slice(start.offset, this.offset);
    if (quote !== '`') {
      this.tokens.push({ kind: 'string', value, text, span });
    } else if (value.length === 0) {
      this.report({ reason: 'empty_quoted_name', params: {} }, span, text);
    } else {
      this.tokens.push({ kind: 'name', name: value, quoted: true, text, span });
    }
  }

  private scanEscape(): string {
    const start = this.mark();
    this.advance();
    const letter = this.offset < this.source.length && !this.atLineBreak() ? this.peek() : '';
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      this.advance();
      return simple;
    }
    if (letter === 'u') {
      this.advance();
      const match = /^\{([0-9a-fA-F]{1,6})\}|^([0-9a-fA-F]{4})/.exec(this.source.slice(this.offset, this.offset + 8));
      const hex = match?.[1] ?? match?.[2];
      const codePoint = hex === undefined ? NaN : parseInt(hex, 16);
      if (match !== null && codePoint <= 0x10ffff) {
        for (let i = 0; i < match[0].length; i++) this.advance();
        return String.fromCodePoint(codePoint);
      }
    } else if (letter !== '') {
      this.advance();
    }
    const span = this.spanFrom(start);
    const text = this.source.slice(start.offset, this.offset);
    this.report({ reason: 'unknown_escape', params: { text } }, span, text);
    return '';
  }

  private atLineBreak(): boolean {
    const char = this.source[this.offset];
    return char === '\n' || char === '\r';
  }

  /** The character (code point) at the current offset. */
  private peek(): string {
    const codePoint = this.source.codePointAt(this.offset);
    return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
  }

  private advance(): void {
    const char = this.peek();
    this.offset += char.length;
    if (char === '\n' || (char === '\r' && this.source[this.offset] !== '\n')) {
      this.line += 1;
      this.column = 1;
    } else if (char !== '\r') {
      this.column += 1;
    }
  }

  private mark(): Mark {
    return { offset: this.offset, line: this.line, column: this.column };
  }

  private here(length: number): Span {
    return { ...this.mark(), length };
  }

  private spanFrom(start: Mark): Span {
    return { ...start, length: this.offset - start.offset };
  }

  /** Records the first problem only (an unknown escape inside a string that is then left open is one). */
  private report(message: DiagnosticMessage, span: Span, found: string, suggestion?: string, expected: string[] = []): void {
    if (this.diagnostics.length > 0) return;
    this.diagnostics.push(makeDiagnostic('EXPRESSION_SYNTAX', message, span, found, { expected, suggestion }));
  }
}

interface Mark {
  offset: number;
  line: number;
  column: number;
}
