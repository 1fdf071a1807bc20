import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPARISON_OPERATORS,
  HAS_QUANTIFIERS,
  parseExpression,
  PRESENCE_OPERATORS,
  printExpression,
  TIME_UNITS,
  type Duration,
  type Expression,
  type Literal,
  type NameReference,
  type Span,
  type StringLiteral,
} from '../../../src/core/expression/index.js';
import { withoutSpans } from './fixture.js';

const SPAN: Span = { offset: 0, length: 0, line: 1, column: 1 };

function reprint(source: string): string {
  const { ast, diagnostics } = parseExpression(source);
  if (ast === undefined) throw new Error(JSON.stringify(diagnostics));
  return printExpression(ast);
}

describe('printExpression', () => {
  it('prints a canonical layout: lower-case keywords, double quotes, one space', () => {
    expect(reprint("RFM='重要价值客户'  AND spend_365d>=1000")).toBe('RFM = "重要价值客户" and spend_365d >= 1000');
    expect(reprint('interests HAS ANY ("高尔夫","钓鱼") and NOT status = "流失客户"')).toBe('interests has any ("高尔夫", "钓鱼") and not status = "流失客户"');
    expect(reprint('x BEFORE 1 Days Ago or y within 2 WEEK')).toBe('x before 1 day ago or y within 2 weeks');
    expect(reprint('d after DATE("2026-01-31") or TAGGED("vip") or Segment("高价值人群")')).toBe('d after date("2026-01-31") or tagged("vip") or segment("高价值人群")');
    expect(reprint('x not in (1, -2.5, true) -- comment')).toBe('x not in (1, -2.5, true)');
  });

  it('adds parentheses only where the tree needs them', () => {
    expect(reprint('(a exists and b exists) or c exists')).toBe('a exists and b exists or c exists');
    expect(reprint('a exists and (b exists or c exists)')).toBe('a exists and (b exists or c exists)');
    expect(reprint('(a exists and b exists) and c exists')).toBe('(a exists and b exists) and c exists');
    expect(reprint('a exists or (b exists or c exists)')).toBe('a exists or (b exists or c exists)');
    expect(reprint('not (a exists and b exists)')).toBe('not (a exists and b exists)');
    expect(reprint('not (not a exists)')).toBe('not not a exists');
    expect(reprint('((a exists))')).toBe('a exists');
  });

  it('quotes names that are keywords or not bare identifiers, and escapes text', () => {
    expect(reprint('`RFM 等级` = "a\\"b" and `and` exists and `days` exists and `tick\\`` exists')).toBe(
      '`RFM 等级` = "a\\"b" and `and` exists and `days` exists and `tick\\`` exists',
    );
    expect(reprint("note = 'it\\'s'")).toBe('note = "it\'s"');
    expect(reprint('note = "line\\nbreak\\ttab\\\\"')).toBe('note = "line\\nbreak\\ttab\\\\"');
    expect(reprint('`客户等级` = "😀"')).toBe('客户等级 = "😀"');
  });

  it('round-trips random trees: parse(print(tree)) is the tree, positions aside', () => {
    fc.assert(
      fc.property(expressionArbitrary, (expression) => {
        const printed = printExpression(expression);
        const parsed = parseExpression(printed);
        expect(parsed.diagnostics).toEqual([]);
        expect(withoutSpans(parsed.ast)).toEqual(withoutSpans(expression));
        if (parsed.ast !== undefined) expect(printExpression(parsed.ast)).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });
});

const text = fc.oneof(
  fc.constantFrom('重要价值客户', 'a"b', "it's", 'back\\slash', 'line\nbreak', '\r\t', "'; DROP TABLE customers; --", '🎉😀', '', '`'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const nameText = fc.oneof(
  fc.constantFrom('rfm', 'spend_365d', '生命周期', 'RFM 等级', 'and', 'OR', 'Days', 'tagged', 'segment', 'date', 'any', 'x-y', '_', 'é1', 'a`b', '😀'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
);

const nameRef: fc.Arbitrary<NameReference> = nameText.map((name) => ({ kind: 'name', name, span: SPAN }));
const stringLiteral: fc.Arbitrary<StringLiteral> = text.map((value) => ({ kind: 'string', value, span: SPAN }));
const number = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true })).map((value) => (value === 0 ? 0 : value));
const duration: fc.Arbitrary<Duration> = fc.record({ amount: number, unit: fc.constantFrom(...TIME_UNITS) }).map(({ amount, unit }) => ({ kind: 'duration', amount, unit, span: SPAN }));

const literal: fc.Arbitrary<Literal> = fc.oneof(
  stringLiteral,
  number.map((value): Literal => ({ kind: 'number', value, span: SPAN })),
  fc.boolean().map((value): Literal => ({ kind: 'boolean', value, span: SPAN })),
  text.map((value): Literal => ({ kind: 'date', value, span: SPAN })),
  duration.map((value): Literal => ({ kind: 'ago', duration: value, span: SPAN })),
);
const literals = fc.array(literal, { minLength: 1, maxLength: 4 });

const predicate: fc.Arbitrary<Expression> = fc.oneof(
  fc.record({ subject: nameRef, operator: fc.constantFrom(...COMPARISON_OPERATORS), value: literal }).map((node): Expression => ({ kind: 'comparison', ...node, span: SPAN })),
  fc.record({ subject: nameRef, negated: fc.boolean(), values: literals }).map((node): Expression => ({ kind: 'in', ...node, span: SPAN })),
  fc.record({ subject: nameRef, low: literal, high: literal }).map((node): Expression => ({ kind: 'between', ...node, span: SPAN })),
  fc.record({ subject: nameRef, quantifier: fc.constantFrom(...HAS_QUANTIFIERS), values: literals }).map((node): Expression => ({ kind: 'has', ...node, span: SPAN })),
  fc.record({ subject: nameRef, operator: fc.constantFrom(...PRESENCE_OPERATORS) }).map((node): Expression => ({ kind: 'presence', ...node, span: SPAN })),
  fc.record({ subject: nameRef, duration }).map((node): Expression => ({ kind: 'within', ...node, span: SPAN })),
  nameRef.map((subject): Expression => ({ kind: 'bare', subject, span: SPAN })),
  stringLiteral.map((tag): Expression => ({ kind: 'tagged', tag, span: SPAN })),
  stringLiteral.map((segment): Expression => ({ kind: 'segment', segment, span: SPAN })),
);

const { expressionArbitrary } = fc.letrec<{ expressionArbitrary: Expression }>((tie) => ({
  expressionArbitrary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc.array(tie('expressionArbitrary'), { minLength: 2, maxLength: 3 }).map((operands): Expression => ({ kind: 'and', operands, span: SPAN })),
    fc.array(tie('expressionArbitrary'), { minLength: 2, maxLength: 3 }).map((operands): Expression => ({ kind: 'or', operands, span: SPAN })),
    tie('expressionArbitrary').map((operand): Expression => ({ kind: 'not', operand, span: SPAN })),
  ),
}));
