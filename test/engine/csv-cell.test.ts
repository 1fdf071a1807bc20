// Export cells: quoted as RFC 4180 says, and defused where a spreadsheet would run them.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/engine/segment-members.js';

describe('csvCell', () => {
  it('defuses text a spreadsheet would run as a formula, and leaves numbers and plain negative numbers alone', () => {
    expect(['=1+1', '+86 138', '@SUM(A1)', '\tx', '-2+3+cmd|x', '-A1', '-'].map(csvCell)).toEqual(["'=1+1", "'+86 138", "'@SUM(A1)", "'\tx", "'-2+3+cmd|x", "'-A1", "'-"]);
    expect(['-12', '-12.5', '张伟', 'a-b'].map(csvCell)).toEqual(['-12', '-12.5', '张伟', 'a-b']);
    expect([-3, 0, null, undefined].map(csvCell)).toEqual(['-3', '0', '', '']);
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});
