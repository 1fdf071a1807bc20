import { describe, expect, it } from 'vitest';
import { downloadFileName } from '../../src/core/file-name.js';

describe('the name of a file offered for download', () => {
  it('leaves out every mark that sets the direction of text, and nothing else', () => {
    expect(downloadFileName('名单\u202Excod.csv')).toBe('名单xcod.csv');
    expect(downloadFileName('a\u200Eb\u200Fc\u202Ad\u202Be\u202Cf\u202Dg\u202Eh\u2066i\u2067j\u2068k\u2069l.xlsx')).toBe('abcdefghijkl.xlsx');
    expect(downloadFileName("VIP (上海) Bob's *精选*-3-新进入.csv")).toBe("VIP (上海) Bob's *精选*-3-新进入.csv");
  });
});
