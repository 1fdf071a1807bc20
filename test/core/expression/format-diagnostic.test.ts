import { describe, expect, it } from 'vitest';
import { compileExpression, displayWidth, formatDiagnostic, parseExpression, type ExpressionDiagnostic } from '../../../src/core/expression/index.js';
import { catalog } from './fixture.js';

function first(diagnostics: ExpressionDiagnostic[]): ExpressionDiagnostic {
  const [diagnostic] = diagnostics;
  if (diagnostic === undefined) throw new Error('expected a diagnostic');
  return diagnostic;
}

describe('formatDiagnostic', () => {
  it('renders the message, the line and a caret under the span', () => {
    const source = 'rfn = "重要价值客户"';
    expect(formatDiagnostic(source, first(compileExpression(source, catalog).diagnostics))).toBe(
      [
        'EXPRESSION_UNKNOWN_NAME at line 1, column 1: Unknown tag, field or metric "rfn": no tag, field or metric has that key or name. Did you mean "rfm"?',
        '1 | rfn = "重要价值客户"',
        '  | ^^^',
      ].join('\n'),
    );
  });

  it('pads by display width, so carets sit under Chinese text and emoji', () => {
    const source = '城市 = "广州" and 生命周期 >= "成熟"';
    const output = formatDiagnostic(source, first(compileExpression(source, catalog).diagnostics));
    const [, line, carets] = output.split('\n');
    expect(line).toBe(`1 | ${source}`);
    // `城市 = "广州" and 生命周期 >= ` is 30 columns wide: each Chinese character takes two.
    expect(carets).toBe(`  | ${' '.repeat(30)}^^^^^^`);
  });

  it('points at the right line of a multi-line expression, with the expected tokens', () => {
    const source = 'rfm = "重要价值客户"\n  and city in ("广州" "深圳")';
    expect(formatDiagnostic(source, first(parseExpression(source).diagnostics))).toBe(
      [
        'EXPRESSION_SYNTAX at line 2, column 21: Expected "," or ")" but found the string "深圳".',
        '2 |   and city in ("广州" "深圳")',
        `  | ${' '.repeat(22)}^^^^^^`,
        '  = expected "," or ")"',
      ].join('\n'),
    );
  });

  it('puts one caret at the end of the input, and shows a suggested rewrite', () => {
    const source = 'rfm =';
    expect(formatDiagnostic(source, first(parseExpression(source).diagnostics)).split('\n')[2]).toBe('  |      ^');
    const typed = 'interests = "高尔夫"';
    expect(formatDiagnostic(typed, first(compileExpression(typed, catalog).diagnostics))).toContain('\n  = try interests has any ("高尔夫")');
  });

  it('keeps tabs in the padding so the caret lines up in a terminal', () => {
    const source = '\trfn exists';
    expect(formatDiagnostic(source, first(compileExpression(source, catalog).diagnostics)).split('\n')[2]).toBe('  | \t^^^');
  });

  it('measures display width', () => {
    expect(['a', '客', '😀', '\u0301', 'Ａ', '가'].map(displayWidth)).toEqual([1, 2, 2, 0, 2, 2]);
  });
});
