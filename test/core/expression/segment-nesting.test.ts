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

  it('writes each segment out where it is read, a level deeper, by key or by name, and names the segments on the way', () => {
    expect(measure('segment("flat")')).toMatchObject({ depth: 1, chain: ['flat'] });
    expect(measure('segment("five")')).toMatchObject({ depth: 7, chain: ['five'] });
    expect(measure('not segment("reads_five")')).toMatchObject({ depth: 11, chain: ['reads_five', 'five'] });
    expect(measure('not segment("by_name")')).toMatchObject({ depth: 10, chain: ['by_name', 'five'] });
    // A segment reading itself is not followed round again, and a segment not found is not followed at all.
    expect(measure('segment("self")')).toMatchObject({ depth: 2, chain: ['self'] });
    expect(measure('not segment("nowhere")')).toMatchObject({ depth: 1, chain: [] });
  });

  it('counts each segment("…") followed as a level, so a chain of plain reads passes the limit at its 101st link', () => {
    const chain = (keyOrName: string) => {
      const link = /^link(\d+)$/.exec(keyOrName);
      if (!link) return undefined;
      const n = Number(link[1]);
      return { key: keyOrName, source: n === 0 ? 'has_phone' : `segment("link${n - 1}")` };
    };
    const measureChain = segmentNestingMeasure(chain);
    const fine = `segment("link${MAX_NESTING_DEPTH - 1}")`;
    expect(measureChain(fine)).toMatchObject({ depth: MAX_NESTING_DEPTH });
    expect(segmentNestingDiagnostic(fine, measureChain(fine))).toBeUndefined();
    const over = `segment("link${MAX_NESTING_DEPTH}")`;
    expect(segmentNestingDiagnostic(over, measureChain(over))).toMatchObject({ reason: 'too_deep_through_segments', params: { depth: MAX_NESTING_DEPTH + 1 } });
    expect(measureChain(over).chain).toHaveLength(MAX_NESTING_DEPTH + 1);
  });

  it('reports passing the limit as the parser reports a too-deep expression, at the segment("…") it goes through', () => {
    const source = `has_phone and ${'not '.repeat(MAX_NESTING_DEPTH - 10)}segment("reads_five")`;
    expect(segmentNestingDiagnostic(source, measure(source))).toBeUndefined();
    const deeper = `has_phone and ${'not '.repeat(MAX_NESTING_DEPTH - 9)}segment("reads_five")`;
    const diagnostic = segmentNestingDiagnostic(deeper, measure(deeper));
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_SYNTAX', reason: 'too_deep_through_segments', found: 'segment("reads_five")', params: { max: MAX_NESTING_DEPTH, depth: 101, segments: ['reads_five', 'five'] } });
    if (!diagnostic) return;
    expect(diagnostic.message).toBe('The expression nests deeper than 100 levels of parentheses, "not" and segment("…") with the saved segments it reads written out where it reads them: 101 levels through segment("reads_five") → segment("five").');
    expect(diagnosticMessage(diagnostic, 'zh-CN')).toBe('把读取的人群在读取处展开后，表达式中括号、"not" 和 segment("…") 的嵌套超过了 100 层：经由 segment("reads_five") → segment("five") 共 101 层。');
  });
});
