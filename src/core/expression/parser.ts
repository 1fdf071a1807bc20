// The recursive-descent parser. Precedence, loosest first: `or`, `and`, `not`, then one
// predicate (`x = v`, `x in (…)`, `tagged("…")`, …) or a parenthesised expression.
// A syntax error is returned as a diagnostic; parse functions return undefined after
// recording it, and every caller passes that up without reading further.
import type { AgoLiteral, ComparisonOperator, Duration, Expression, HasQuantifier, Literal, NameReference, StringLiteral, TimeUnit } from './ast.js';
import { makeDiagnostic, type DiagnosticMessage, type ExpressionDiagnostic } from './diagnostic.js';
import { nearestName } from '../names.js';
import { describeToken } from './parser-messages.js';
import { printString } from './printer.js';
import { scanTokens } from './scanner.js';
import { spanBetween, type Span } from './span.js';
import { isKeyword, isReservedWord, type NameToken, type Token, type TokenSymbol } from './token.js';

export interface ParseResult {
  /** Present exactly when there are no diagnostics. */
  ast?: Expression;
  diagnostics: ExpressionDiagnostic[];
}

/** Deeper nesting than this is refused, so hostile input cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 100;

export const EXPECTED_CONDITION = ['a name', 'not', '(', 'tagged("…")', 'segment("…")'];
export const EXPECTED_OPERATOR = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'between', 'has', 'exists', 'missing', 'before', 'after', 'within'];
export const EXPECTED_VALUE = ['a string', 'a number', 'true', 'false', 'date("…")', 'N days ago'];
export const EXPECTED_UNIT = ['days', 'weeks', 'months', 'years'];

const UNITS: Record<string, TimeUnit> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};

const NO_TOKEN: Token = { kind: 'end', text: '', span: { offset: 0, length: 0, line: 1, column: 1 } };

export interface ParseOptions {
  /**
   * Whether a name is a known tag, field or metric (`compileExpression` asks its catalog). A
   * known name is never taken for a name with a Chinese operator typed against it: in
   * `是否存在投诉 "是"` the operator is missing, not written as 存在.
   */
  isKnownSubject?: (name: string) => boolean;
}

export function parseExpression(source: string, options: ParseOptions = {}): ParseResult {
  const scanned = scanTokens(source);
  const parser = new Parser(scanned.tokens, options);
  const ast = parser.parseRoot();
  // One error, the first: the scanner's tokens end at its problem, so the parser's is the
  // first only when it lies before it (at or after, it comes of the tokens cut short).
  const lexical = scanned.diagnostics[0];
  const diagnostic = parser.diagnostic;
  if (diagnostic !== undefined && (lexical === undefined || diagnostic.offset < lexical.offset)) return { diagnostics: [diagnostic] };
  if (lexical !== undefined) return { diagnostics: [lexical] };
  return ast === undefined ? { diagnostics: [] } : { ast, diagnostics: [] };
}

/** How deep an expression nests, and how deep each `segment("…")` in it stands, as the parser counts parentheses and `not`. */
export interface ExpressionNesting {
  depth: number;
  segments: { name: string; depth: number; span: Span }[];
}

/** The nesting of an expression that parses; undefined for one that does not. */
export function expressionNesting(source: string): ExpressionNesting | undefined {
  const scanned = scanTokens(source);
  if (scanned.diagnostics.length > 0) return undefined;
  const parser = new Parser(scanned.tokens, {});
  if (parser.parseRoot() === undefined || parser.diagnostic !== undefined) return undefined;
  return { depth: parser.deepest, segments: parser.segmentReads };
}

class Parser {
  diagnostic: ExpressionDiagnostic | undefined;
  private index = 0;
  private depth = 0;
  /** The deepest nesting reached, and each `segment("…")` with the nesting it stands at. */
  deepest = 0;
  readonly segmentReads: ExpressionNesting['segments'] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly options: ParseOptions,
  ) {}

  parseRoot(): Expression | undefined {
    if (this.current.kind === 'end') return this.fail(EXPECTED_CONDITION, { reason: 'empty_expression', params: {} });
    const expression = this.parseOr();
    if (expression === undefined) return undefined;
    // Read the token afresh: parseOr moved past the one checked above.
    if (this.peek(0).kind !== 'end') {
      if (this.reportedChineseConnective()) return undefined;
      const unbalanced: DiagnosticMessage | undefined = this.isSymbol(')') ? { reason: 'unbalanced_parenthesis', params: {} } : undefined;
      return this.fail(['and', 'or', 'end of input'], unbalanced);
    }
    return expression;
  }

  private parseOr(): Expression | undefined {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Expression | undefined {
    return this.parseChain('and', () => this.parseNot());
  }

  /** `a op b op c` as one node with the operands in order. */
  private parseChain(word: 'and' | 'or', parseOperand: () => Expression | undefined): Expression | undefined {
    const first = parseOperand();
    if (first === undefined) return undefined;
    const operands = [first];
    let last = first;
    while (isKeyword(this.current, word)) {
      this.advance();
      const operand = parseOperand();
      if (operand === undefined) return undefined;
      operands.push(operand);
      last = operand;
    }
    return operands.length === 1 ? first : { kind: word, operands, span: spanBetween(first.span, last.span) };
  }

  private parseNot(): Expression | undefined {
    if (!isKeyword(this.current, 'not')) return this.parsePrimary();
    const start = this.advance();
    const operand = this.nested(() => this.parseNot());
    if (operand === undefined) return undefined;
    return { kind: 'not', operand, span: spanBetween(start.span, operand.span) };
  }

  private parsePrimary(): Expression | undefined {
    const token = this.current;
    if (this.isSymbol('(')) {
      this.advance();
      const inner = this.nested(() => this.parseOr());
      if (inner === undefined) return undefined;
      if (!this.isSymbol(')')) return this.reportedChineseConnective() ? undefined : this.fail(['and', 'or', ')']);
      this.advance();
      return inner;
    }
    if (token.kind !== 'name') {
      const hint: DiagnosticMessage | undefined = token.kind === 'string' ? { reason: 'condition_starts_with_name', params: {} } : undefined;
      return this.fail(EXPECTED_CONDITION, hint);
    }
    if (!token.quoted && this.isSymbolAt(1, '(')) {
      const word = token.name.toLowerCase();
      if (word === 'tagged' || word === 'segment') return this.parseCall(word);
      // 人群("活跃买家") for segment("活跃买家"): a name before "(" is never a condition, so the word is what was meant.
      const call = CHINESE_CALLS[token.name];
      if (call !== undefined) return this.fail(EXPECTED_CONDITION, { reason: 'chinese_call', params: { word: token.text, call } }, call);
    }
    const subject = this.parseName(EXPECTED_CONDITION);
    if (subject === undefined) return undefined;
    return this.parsePredicate(subject);
  }

  /** `tagged("key")` or `segment("key")`. */
  private parseCall(word: 'tagged' | 'segment'): Expression | undefined {
    const start = this.advance();
    this.advance(); // the "(" that parsePrimary saw
    const argument = this.parseStringArgument();
    if (argument === undefined) return undefined;
    const end = this.expectSymbol(')', [')']);
    if (end === undefined) return undefined;
    const span = spanBetween(start.span, end.span);
    if (word === 'segment') this.segmentReads.push({ name: argument.value, depth: this.depth, span });
    return word === 'tagged' ? { kind: 'tagged', tag: argument, span } : { kind: 'segment', segment: argument, span };
  }

  private parseStringArgument(): StringLiteral | undefined {
    const token = this.current;
    if (token.kind !== 'string') {
      const suggestion = token.kind === 'name' ? printString(token.name) : undefined;
      return this.fail(['a string'], suggestion === undefined ? undefined : { reason: 'argument_not_quoted', params: { suggestion } }, suggestion);
    }
    this.advance();
    return { kind: 'string', value: token.value, span: token.span };
  }

  private parseName(expected: string[]): NameReference | undefined {
    const token = this.current;
    if (token.kind !== 'name') return this.fail(expected);
    if (!token.quoted && isReservedWord(token.name)) {
      const suggestion = `\`${token.name}\``;
      return this.fail(expected, { reason: 'keyword_as_name', params: { keyword: token.name, suggestion } }, suggestion);
    }
    this.advance();
    return { kind: 'name', name: token.name, span: token.span };
  }

  private parsePredicate(subject: NameReference): Expression | undefined {
    const token = this.current;
    if (token.kind === 'symbol' && isComparisonSymbol(token.symbol)) {
      this.advance();
      return this.parseComparison(subject, token.symbol);
    }
    if (isKeyword(token, 'before') || isKeyword(token, 'after')) {
      this.advance();
      return this.parseComparison(subject, isKeyword(token, 'before') ? 'before' : 'after');
    }
    if (isKeyword(token, 'not')) {
      this.advance();
      if (!isKeyword(this.current, 'in')) {
        const hint: DiagnosticMessage | undefined = isKeyword(this.current, 'exists') ? { reason: 'not_exists', params: {} } : undefined;
        return this.fail(['in'], hint, hint === undefined ? undefined : 'missing');
      }
      this.advance();
      return this.parseIn(subject, true);
    }
    if (isKeyword(token, 'in')) {
      this.advance();
      return this.parseIn(subject, false);
    }
    if (isKeyword(token, 'between')) {
      this.advance();
      const low = this.parseValue();
      if (low === undefined) return undefined;
      if (!isKeyword(this.current, 'and')) return this.fail(['and']);
      this.advance();
      const high = this.parseValue();
      if (high === undefined) return undefined;
      return { kind: 'between', subject, low, high, span: spanBetween(subject.span, high.span) };
    }
    if (isKeyword(token, 'has')) {
      this.advance();
      // `interests has "高尔夫"`: one value, as people first write it, is `has any ("高尔夫")`.
      // So is any other one value (`age has 1`, which the checker answers with `in`). A name
      // before a list (`has ayn (…)`) is a quantifier mistyped, and is told as one.
      const current = this.current;
      const quantified = current.kind === 'name' && QUANTIFIERS.some((word) => isKeyword(current, word));
      if (current.kind === 'string' || current.kind === 'number' || (current.kind === 'name' && !quantified && (!this.isSymbolAt(1, '(') || isKeyword(current, 'date')))) {
        const value = this.parseValue();
        if (value === undefined) return undefined;
        return { kind: 'has', subject, quantifier: 'any', values: [value], span: spanBetween(subject.span, value.span) };
      }
      const quantifier = this.parseQuantifier();
      if (quantifier === undefined) return undefined;
      const list = this.parseValueList();
      if (list === undefined) return undefined;
      return { kind: 'has', subject, quantifier, values: list.values, span: spanBetween(subject.span, list.end) };
    }
    if (isKeyword(token, 'exists') || isKeyword(token, 'missing')) {
      this.advance();
      return { kind: 'presence', subject, operator: isKeyword(token, 'exists') ? 'exists' : 'missing', span: spanBetween(subject.span, token.span) };
    }
    if (isKeyword(token, 'within')) {
      this.advance();
      const duration = this.parseDuration();
      if (duration === undefined) return undefined;
      return { kind: 'within', subject, duration, span: spanBetween(subject.span, duration.span) };
    }
    // A name alone (`has_phone and …`, `not is_member`): the checker reads a boolean as `= true`.
    const ends = token.kind === 'end' || this.isSymbol(')') || isKeyword(token, 'and') || isKeyword(token, 'or');
    const operator = token.kind === 'name' ? CHINESE_OPERATORS[token.name] : undefined;
    if (operator !== undefined) return this.fail(EXPECTED_OPERATOR, { reason: 'chinese_operator', params: { word: token.text, operator } }, operator);
    // Chinese is typed without spaces, so `城市等于"广州"` or `年龄大于30` reads as one name.
    const glued = this.previous.kind === 'name' && !this.previous.quoted && this.options.isKnownSubject?.(subject.name) !== true ? gluedOperator(subject.name) : undefined;
    if (glued !== undefined) {
      const span = { ...subject.span, offset: subject.span.offset + glued.at, column: subject.span.column + Array.from(subject.name.slice(0, glued.at)).length, length: glued.word.length };
      return this.failAt(span, glued.word, EXPECTED_OPERATOR, { reason: 'chinese_operator', params: { word: glued.word, operator: glued.operator } }, glued.operator);
    }
    if (ends) return { kind: 'bare', subject, span: subject.span };
    // `betwen`, `exsits`: an operator keyword mistyped is answered with the keyword.
    const keyword = token.kind === 'name' && !token.quoted ? nearestName(token.name, OPERATOR_WORDS) : undefined;
    return this.fail(EXPECTED_OPERATOR, { reason: 'expected_operator', params: { subject: subject.name, token: describeToken(token) } }, keyword === 'not' ? 'not in' : keyword);
  }

  private parseComparison(subject: NameReference, operator: ComparisonOperator): Expression | undefined {
    const value = this.parseValue();
    if (value === undefined) return undefined;
    return { kind: 'comparison', subject, operator, value, span: spanBetween(subject.span, value.span) };
  }

  private parseIn(subject: NameReference, negated: boolean): Expression | undefined {
    const list = this.parseValueList();
    if (list === undefined) return undefined;
    return { kind: 'in', subject, negated, values: list.values, span: spanBetween(subject.span, list.end) };
  }

  private parseQuantifier(): HasQuantifier | undefined {
    const token = this.current;
    for (const quantifier of QUANTIFIERS) {
      if (isKeyword(token, quantifier)) {
        this.advance();
        return quantifier;
      }
    }
    return this.fail(['any', 'all', 'none']);
  }

  /** `(v, v, …)`: at least one value. */
  private parseValueList(): { values: Literal[]; end: Span } | undefined {
    if (this.expectSymbol('(', ['(']) === undefined) return undefined;
    const values: Literal[] = [];
    for (;;) {
      const value = this.parseValue();
      if (value === undefined) return undefined;
      values.push(value);
      if (this.isSymbol(',')) {
        this.advance();
        continue;
      }
      const end = this.expectSymbol(')', [',', ')']);
      if (end === undefined) return undefined;
      return { values, end: end.span };
    }
  }

  private parseValue(): Literal | undefined {
    const token = this.current;
    switch (token.kind) {
      case 'string':
        this.advance();
        return { kind: 'string', value: token.value, span: token.span };
      case 'number': {
        if (this.unitAt(1) === undefined) {
          if (this.reportedChineseUnit(token, true)) return undefined;
          if (this.reportedUnquotedDate()) return undefined;
          this.advance();
          return { kind: 'number', value: token.value, span: token.span };
        }
        return this.parseAgo();
      }
      case 'name':
        return this.parseNameAsValue(token);
      case 'symbol':
      case 'end':
        return this.fail(EXPECTED_VALUE);
      default: {
        const unreachable: never = token;
        return unreachable;
      }
    }
  }

  private parseNameAsValue(token: NameToken): Literal | undefined {
    if (isKeyword(token, 'true') || isKeyword(token, 'false')) {
      this.advance();
      return { kind: 'boolean', value: isKeyword(token, 'true'), span: token.span };
    }
    if (isKeyword(token, 'date') && this.isSymbolAt(1, '(')) {
      this.advance();
      this.advance();
      const argument = this.parseStringArgument();
      if (argument === undefined) return undefined;
      const end = this.expectSymbol(')', [')']);
      if (end === undefined) return undefined;
      return { kind: 'date', value: argument.value, span: spanBetween(token.span, end.span) };
    }
    if (!token.quoted && isReservedWord(token.name)) return this.fail(EXPECTED_VALUE);
    // Operators often forget the quotes around a tag value; say exactly what to type.
    const suggestion = printString(token.name);
    return this.fail(EXPECTED_VALUE, { reason: 'value_not_quoted', params: { token: describeToken(token), suggestion } }, suggestion);
  }

  /** `N unit ago`; the caller saw the number followed by a unit. */
  private parseAgo(): AgoLiteral | undefined {
    const duration = this.parseDuration();
    if (duration === undefined) return undefined;
    const ago = this.current;
    if (!isKeyword(ago, 'ago')) return this.fail(['ago'], { reason: 'expected_ago', params: { amount: duration.amount, unit: duration.unit } });
    this.advance();
    return { kind: 'ago', duration, span: spanBetween(duration.span, ago.span) };
  }

  private parseDuration(): Duration | undefined {
    const amount = this.current;
    if (amount.kind !== 'number') return this.fail(['a number']);
    const unit = this.unitAt(1);
    if (unit === undefined) {
      if (this.reportedChineseUnit(amount, false)) return undefined;
      this.advance();
      return this.fail(EXPECTED_UNIT);
    }
    this.advance();
    const unitToken = this.advance();
    return { kind: 'duration', amount: amount.value, unit, span: spanBetween(amount.span, unitToken.span) };
  }

  private unitAt(distance: number): TimeUnit | undefined {
    const token = this.peek(distance);
    return token.kind === 'name' && !token.quoted ? UNITS[token.name.toLowerCase()] : undefined;
  }

  private nested<T>(parse: () => T | undefined): T | undefined {
    if (this.depth >= MAX_NESTING_DEPTH) return this.fail(EXPECTED_CONDITION, { reason: 'too_deep', params: { max: MAX_NESTING_DEPTH } });
    this.depth += 1;
    this.deepest = Math.max(this.deepest, this.depth);
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private expectSymbol(symbol: string, expected: string[]): Token | undefined {
    if (!this.isSymbol(symbol)) return this.fail(expected);
    return this.advance();
  }

  private isSymbol(symbol: string): boolean {
    return this.isSymbolAt(0, symbol);
  }

  private isSymbolAt(distance: number, symbol: string): boolean {
    const token = this.peek(distance);
    return token.kind === 'symbol' && token.symbol === symbol;
  }

  private get current(): Token {
    return this.peek(0);
  }

  /** The token `distance` ahead; past the end, the end token. */
  private peek(distance: number): Token {
    // The scanner always ends the list with an end token, so clamping keeps the index in range.
    return this.tokens[Math.min(this.index + distance, this.tokens.length - 1)] ?? NO_TOKEN;
  }

  /**
   * Where `and`/`or` could come: a Chinese word for one of them (和, 且, 或 …), as operators
   * writing in Chinese type it, reported with the keyword to use. Whether it was one.
   */
  private reportedChineseConnective(): boolean {
    const token = this.current;
    if (token.kind !== 'name' || token.quoted) return false;
    const keyword = CHINESE_CONNECTIVES[token.name];
    if (keyword !== undefined) {
      this.fail(['and', 'or'], { reason: 'chinese_connective', params: { word: token.text, keyword } }, keyword);
      return true;
    }
    // Typed without a space, the word and the next name are one name: `城市="广州"和年龄>30`.
    const word = CONNECTIVE_WORDS.find((candidate) => token.name.startsWith(candidate) && token.name.length > candidate.length);
    const glued = word === undefined ? undefined : CHINESE_CONNECTIVES[word];
    if (word !== undefined && glued !== undefined) {
      const rest = token.name.slice(word.length);
      this.failAt({ ...token.span, length: word.length }, word, ['and', 'or'], { reason: 'chinese_connective', params: { word, keyword: glued } }, `${glued} ${rest}`);
      return true;
    }
    // Likewise the keyword itself before a Chinese name: `"广州"and年龄>30`.
    const english = /^(and|or)(?=[^\p{ASCII}])/iu.exec(token.name)?.[1];
    if (english === undefined) return false;
    this.fail(['and', 'or'], undefined, `${english.toLowerCase()} ${token.name.slice(english.length)}`);
    return true;
  }

  /**
   * A number followed by a Chinese unit (`7 天`, `90 天前`), reported with what to type:
   * `N units ago` where a value belongs (`ago`), `N units` after `within`. Whether it was one.
   */
  private reportedChineseUnit(amount: Token, ago: boolean): boolean {
    const next = this.peek(1);
    if (amount.kind !== 'number' || next.kind !== 'name' || next.quoted) return false;
    const word = Object.keys(CHINESE_UNITS).find((candidate) => next.name.startsWith(candidate) && UNIT_ENDINGS.includes(next.name.slice(candidate.length)));
    const unit = word === undefined ? undefined : CHINESE_UNITS[word];
    if (unit === undefined) return false;
    const units = `${amount.text} ${unit}${amount.value === 1 ? '' : 's'}`;
    const suggestion = ago ? `${units} ago` : units;
    this.advance();
    this.fail(ago ? EXPECTED_VALUE : EXPECTED_UNIT, { reason: 'chinese_unit', params: { word: next.text, suggestion } }, suggestion);
    return true;
  }

  /**
   * A date written without quotes (`birthday < 1990-05-17`) scans as the numbers 1990, -05 and
   * -17; reported, at the whole date, with the quoted date to write. Whether it was one.
   */
  private reportedUnquotedDate(): boolean {
    const parts = [this.peek(0), this.peek(1), this.peek(2)];
    const adjacent = parts.every((part, i) => {
      const before = i === 0 ? undefined : parts[i - 1];
      return part.kind === 'number' && (before === undefined || part.span.offset === before.span.offset + before.span.length);
    });
    const text = parts.map((part) => part.text).join('');
    const last = parts[2];
    if (!adjacent || last === undefined || !/^\d{4}-\d{1,2}-\d{1,2}$/.test(text)) return false;
    const suggestion = printString(text);
    this.failAt(spanBetween(this.current.span, last.span), text, EXPECTED_VALUE, { reason: 'date_not_quoted', params: { text, suggestion } }, suggestion);
    return true;
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  /** The token before the current one (the start of the input: the current one). */
  private get previous(): Token {
    return this.tokens[Math.max(0, this.index - 1)] ?? NO_TOKEN;
  }

  private fail(expected: string[], message?: DiagnosticMessage, suggestion?: string): undefined {
    const token = this.current;
    const what: DiagnosticMessage = message ?? { reason: 'unexpected_token', params: { expected, token: describeToken(token) } };
    return this.failAt(token.span, token.text, expected, what, suggestion);
  }

  /** A problem at a span of its own: part of a token (a Chinese word typed against a name). */
  private failAt(span: Span, found: string, expected: string[], message: DiagnosticMessage, suggestion?: string): undefined {
    this.diagnostic ??= makeDiagnostic('EXPRESSION_SYNTAX', message, span, found, { expected, suggestion });
    return undefined;
  }
}

/** Chinese words operators type for a comparison, with the operator to use. */
/** Chinese words an operator may write for `segment(…)` and `tagged(…)`. */
const CHINESE_CALLS: Readonly<Record<string, 'segment' | 'tagged'>> = {
  人群: 'segment',
  分群: 'segment',
  客群: 'segment',
  属于人群: 'segment',
  标签: 'tagged',
  有标签: 'tagged',
  打标签: 'tagged',
  已打标签: 'tagged',
};

const QUANTIFIERS = ['any', 'all', 'none'] as const;

/** The keywords an operator after a name is spelled with (`not` begins `not in`). */
const OPERATOR_WORDS = ['in', 'not', 'between', 'has', 'exists', 'missing', 'before', 'after', 'within'] as const;

const CHINESE_OPERATORS: Readonly<Record<string, string>> = {
  等于: '=',
  是: '=',
  为: '=',
  不等于: '!=',
  不是: '!=',
  大于: '>',
  小于: '<',
  大于等于: '>=',
  不小于: '>=',
  小于等于: '<=',
  不大于: '<=',
  属于: 'in',
  在: 'in',
  不属于: 'not in',
  不在: 'not in',
  包含: 'has',
  存在: 'exists',
  有: 'exists',
  为空: 'missing',
  不存在: 'missing',
  介于: 'between',
};

const CHINESE_CONNECTIVES: Readonly<Record<string, 'and' | 'or'>> = { 和: 'and', 且: 'and', 并且: 'and', 而且: 'and', 与: 'and', 及: 'and', 以及: 'and', 同时: 'and', 或: 'or', 或者: 'or', 或是: 'or' };

/** The connectives, longest first, to find one at the start of a name it was typed against. */
const CONNECTIVE_WORDS = Object.keys(CHINESE_CONNECTIVES).sort((a, b) => b.length - a.length);

/**
 * Operator words of two characters or more, longest first, to find one inside a name it was
 * typed against; a single character (是, 在, 有) is too often part of a name to say so.
 */
const GLUED_OPERATOR_WORDS = Object.keys(CHINESE_OPERATORS)
  .filter((word) => word.length >= 2)
  .sort((a, b) => b.length - a.length);

/** The first Chinese operator word inside a name, after at least one character of it: `城市等于` → 等于 at 2. */
function gluedOperator(name: string): { word: string; operator: string; at: number } | undefined {
  let found: { word: string; operator: string; at: number } | undefined;
  for (const word of GLUED_OPERATOR_WORDS) {
    const at = name.indexOf(word, 1);
    const operator = CHINESE_OPERATORS[word];
    if (at > 0 && operator !== undefined && (found === undefined || at < found.at)) found = { word, operator, at };
  }
  return found;
}

/** Time units typed in Chinese after a number, with the unit to write. */
const CHINESE_UNITS: Readonly<Record<string, TimeUnit>> = { 个月: 'month', 星期: 'week', 天: 'day', 日: 'day', 周: 'week', 月: 'month', 年: 'year' };

/** What may follow such a unit in the same word (`天前`, `天以内`); anything else (`年龄`) is a name. */
const UNIT_ENDINGS = ['', '前', '以前', '之前', '内', '以内', '之内'];

function isComparisonSymbol(symbol: TokenSymbol): symbol is Extract<ComparisonOperator, TokenSymbol> {
  return symbol !== '(' && symbol !== ')' && symbol !== ',';
}
