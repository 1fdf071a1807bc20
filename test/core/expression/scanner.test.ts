import { describe, expect, it } from 'vitest';
import { scanTokens, type Token } from '../../../src/core/expression/index.js';

function kinds(source: string): string[] {
  return scanTokens(source).tokens.map(show);
}

function show(token: Token): string {
  switch (token.kind) {
    case 'name':
      return token.quoted ? `name\`${token.name}\`` : `name:${token.name}`;
    case 'string':
      return `string:${token.value}`;
    case 'number':
      return `number:${token.value}`;
    case 'symbol':
      return token.symbol;
    case 'end':
      return 'end';
  }
}

describe('scanTokens', () => {
  it('scans names, strings, numbers and symbols', () => {
    expect(kinds('rfm = "重要价值客户" and spend_365d >= 1000')).toEqual([
      'name:rfm',
      '=',
      'string:重要价值客户',
      'name:and',
      'name:spend_365d',
      '>=',
      'number:1000',
      'end',
    ]);
    expect(kinds('a!=b<c<=d>e>=f(,)')).toEqual(['name:a', '!=', 'name:b', '<', 'name:c', '<=', 'name:d', '>', 'name:e', '>=', 'name:f', '(', ',', ')', 'end']);
  });

  it('scans identifiers in any script, with digits and underscores', () => {
    expect(kinds('客户等级 _x9 é_1 ไทย 𠀀字')).toEqual(['name:客户等级', 'name:_x9', 'name:é_1', 'name:ไทย', 'name:𠀀字', 'end']);
  });

  it('scans backtick-quoted names with spaces, punctuation and escapes', () => {
    expect(kinds('`RFM 等级` `a-b.c` `tick\\`s`')).toEqual(['name`RFM 等级`', 'name`a-b.c`', 'name`tick`s`', 'end']);
  });

  it('scans double- and single-quoted strings with escapes', () => {
    expect(kinds(`"a\\"b" 'c\\'d' "\\n\\t\\r\\\\\\0" "\\u4e2d\\u{1F600}"`)).toEqual(['string:a"b', "string:c'd", 'string:\n\t\r\\\0', 'string:中😀', 'end']);
    expect(kinds(`"it's" 'say "hi"'`)).toEqual(["string:it's", 'string:say "hi"', 'end']);
  });

  it('keeps SQL and emoji inside strings as plain text', () => {
    expect(kinds(`"'; DROP TABLE customers; --" "🎉会员日🎉"`)).toEqual(["string:'; DROP TABLE customers; --", 'string:🎉会员日🎉', 'end']);
  });

  it('scans integers, decimals, negatives and exponents; -0 is 0', () => {
    expect(kinds('0 42 -7 3.25 -0.5 1e3 2.5E-2 -0')).toEqual(['number:0', 'number:42', 'number:-7', 'number:3.25', 'number:-0.5', 'number:1000', 'number:0.025', 'number:0', 'end']);
    const zero = scanTokens('-0').tokens[0];
    expect(zero?.kind === 'number' && Object.is(zero.value, 0)).toBe(true);
  });

  it('skips -- comments to the end of the line and all whitespace, full-width space included', () => {
    expect(kinds('a -- comment "not a string"\n=\u3000-- more\r\n1 -- end')).toEqual(['name:a', '=', 'number:1', 'end']);
  });

  it('gives every token its offset, length, line and column', () => {
    const { tokens } = scanTokens('城市 = "广州"\n  and `😀` x');
    expect(tokens.map((token) => token.span)).toEqual([
      { offset: 0, length: 2, line: 1, column: 1 },
      { offset: 3, length: 1, line: 1, column: 4 },
      { offset: 5, length: 4, line: 1, column: 6 },
      { offset: 12, length: 3, line: 2, column: 3 },
      // The emoji is two UTF-16 units but one column.
      { offset: 16, length: 4, line: 2, column: 7 },
      { offset: 21, length: 1, line: 2, column: 11 },
      { offset: 22, length: 0, line: 2, column: 12 },
    ]);
  });

  it('reports a bare emoji as an unexpected character, one column wide', () => {
    expect(scanTokens('a = 1 and 😀x').diagnostics).toEqual([expect.objectContaining({ offset: 10, length: 2, line: 1, column: 11, found: '😀' })]);
  });

  it('counts \\r\\n and a lone \\r as one line break', () => {
    const { tokens } = scanTokens('a\r\nb\rc');
    expect(tokens.map((token) => [token.span.line, token.span.column])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [3, 2],
    ]);
  });

  it('reports an unterminated string at its opening quote', () => {
    const { diagnostics } = scanTokens('city = "广州\nand x');
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'EXPRESSION_SYNTAX', offset: 7, length: 3, line: 1, column: 8, found: '"广州', expected: ['"'] }),
    ]);
  });

  it('stops at the first problem: a string broken by a line, or an unknown escape in an open string, is one error', () => {
    expect(scanTokens('note = "a\nb"').diagnostics).toEqual([expect.objectContaining({ reason: 'unterminated', column: 8, found: '"a' })]);
    expect(scanTokens('note = "a\\qb').diagnostics).toEqual([expect.objectContaining({ reason: 'unknown_escape', found: '\\q' })]);
  });

  it('reports operators of other languages as one slip each, with the one to write', () => {
    const slip = (source: string) => {
      const { diagnostics } = scanTokens(source);
      expect(diagnostics).toHaveLength(1);
      return diagnostics[0];
    };
    expect(slip('city = "广州" && age > 1')).toMatchObject({ reason: 'operator_slip', column: 13, length: 2, found: '&&', suggestion: 'and' });
    expect(slip('a exists || b exists')).toMatchObject({ found: '||', suggestion: 'or' });
    expect(slip('a exists & b exists')).toMatchObject({ found: '&', suggestion: 'and' });
    expect(slip('age == 30')).toMatchObject({ found: '==', suggestion: '=', column: 5 });
    expect(slip('age <> 30')).toMatchObject({ found: '<>', suggestion: '!=' });
    expect(slip('age => 30')).toMatchObject({ found: '=>', suggestion: '>=' });
    expect(slip('age =< 30')).toMatchObject({ found: '=<', suggestion: '<=' });
    // What the language has is untouched.
    expect(scanTokens('a <= 1 and b >= 2 and c != 3 and d = "=="').diagnostics).toEqual([]);
  });

  it('reports unknown escapes and empty quoted names', () => {
    expect(scanTokens('"a\\qb"').diagnostics).toEqual([expect.objectContaining({ offset: 2, length: 2, found: '\\q' })]);
    expect(scanTokens('"\\u{110000}"').diagnostics).toHaveLength(1);
    expect(scanTokens('`` = 1').diagnostics).toEqual([expect.objectContaining({ message: 'A quoted name cannot be empty.', found: '``' })]);
  });

  it('points out full-width punctuation typed by a Chinese input method, the first only', () => {
    const { diagnostics } = scanTokens('city in （"广州"）');
    expect(diagnostics.map((d) => [d.found, d.suggestion, d.column])).toEqual([['（', '(', 9]]);
    expect(scanTokens('rfm ＝ “重要”').diagnostics.map((d) => d.suggestion)).toEqual(['=']);
    // A number in full-width digits is one mistake, with the number to type.
    expect(scanTokens('spend_365d > １２００．５').diagnostics).toEqual([
      expect.objectContaining({ found: '１２００．５', suggestion: '1200.5', column: 14, length: 6, message: 'Full-width "１２００．５" is not part of the language; type the ASCII "1200.5" instead.' }),
    ]);
  });

  it('reports a lone "!" and "-" with what they might have meant', () => {
    expect(scanTokens('a ! b').diagnostics[0]).toMatchObject({ found: '!', suggestion: '!=' });
    expect(scanTokens('a = - 1').diagnostics[0]).toMatchObject({ found: '-', column: 5 });
  });

  it('refuses numbers too large to represent', () => {
    expect(scanTokens('x = 1e999').diagnostics[0]).toMatchObject({ found: '1e999' });
  });
});
