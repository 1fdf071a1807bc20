import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, expressionNesting, segmentNestingDiagnostic, segmentNestingMeasure } from '../../../src/core/expression/index.js';
import { diagnosticMessage } from '../../../src/core/expression/diagnostic.js';

const saved: Record<string, string> = {
  flat: 'has_phone',
  five: 'not not (not not not has_phone)',
  reads_five: 'not not segment("five")',
  by_name: '(segment("五层") or has_phone)',
  self: 'not segment("self")',
};
const names: Record<string, string> = { 五层: 'five' };
const measure = segmentNestingMeasure((keyOrName) => {
  const key = saved[keyOrName] !== undefined ? keyOrName : names[keyOrName];
  const source = key === undefined ? undefined : saved[key];
  return key === undefined || source === undefined ? undefined : { key, source };
});

describe('nesting through saved segments', () => {
  it('counts parentheses and not as the parser does, and where each segment("…") stands', () => {
    expect(expressionNesting('a exists')).toEqual({ depth: 0, segments: [] });
    expect(expressionNesting('(a exists and not segment("s")) or segment("t")')).toMatchObject({ depth: 2, segments: [{ name: 's', depth: 2 }, { name: 't', depth: 0 }] });
    expect(expressionNesting('a =')).toBeUndefined();
  });

  it('writes each segment out where it is read, by key or by name, and names the segments on the way', () => {
    expect(measure('segment("flat")')).toMatchObject({ depth: 0 });
    expect(measure('segment("five")')).toMatchObject({ depth: 6, chain: ['five'] });
    expect(measure('not segment("reads_five")')).toMatchObject({ depth: 9, chain: ['reads_five', 'five'] });
    expect(measure('not segment("by_name")')).toMatchObject({ depth: 8, chain: ['by_name', 'five'] });
    // A segment reading itself is not followed round again.
    expect(measure('segment("self")')).toMatchObject({ depth: 1, chain: ['self'] });
  });

  it('reports passing the limit as the parser reports a too-deep expression, at the segment("…") it goes through', () => {
    const source = `has_phone and ${'not '.repeat(MAX_NESTING_DEPTH - 8)}segment("reads_five")`;
    expect(segmentNestingDiagnostic(source, measure(source))).toBeUndefined();
    const deeper = `has_phone and ${'not '.repeat(MAX_NESTING_DEPTH - 7)}segment("reads_five")`;
    const diagnostic = segmentNestingDiagnostic(deeper, measure(deeper));
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_SYNTAX', reason: 'too_deep_through_segments', found: 'segment("reads_five")', params: { max: MAX_NESTING_DEPTH, depth: 101, segments: ['reads_five', 'five'] } });
    if (!diagnostic) return;
    expect(diagnostic.message).toBe('The expression nests deeper than 100 levels of parentheses and "not" with the saved segments it reads written out where it reads them: 101 levels through segment("reads_five") → segment("five").');
    expect(diagnosticMessage(diagnostic, 'zh-CN')).toBe('把读取的人群在读取处展开后，表达式中括号和 "not" 的嵌套超过了 100 层：经由 segment("reads_five") → segment("five") 共 101 层。');
  });
});
