import { describe, expect, it } from 'vitest';
import { readableAuditTarget } from '../../src/core/audit-target.js';

describe('an audit target as people read it', () => {
  it('decodes a path, keeping what would change its reading encoded, and a definition after it as stored', () => {
    expect(readableAuditTarget('/segments/%E9%87%8D%E8%A6%81%E5%AE%A2%E6%88%B7/export')).toBe('/segments/重要客户/export');
    expect(readableAuditTarget('/customers/C%201/tags/vip')).toBe('/customers/C 1/tags/vip');
    // A slash or question mark inside a name stays encoded: the path still reads as the same path.
    expect(readableAuditTarget('/segments/a%2Fb%3Fc/export')).toBe('/segments/a%2Fb%3Fc/export');
    expect(readableAuditTarget('/tags/%E8%AF%95?definition={"name":"%E9%87"}')).toBe('/tags/试?definition={"name":"%E9%87"}');
  });

  it('keeps as stored a path that does not decode as UTF-8, and a target that is no path', () => {
    expect(readableAuditTarget('/segments/%E9%87/export')).toBe('/segments/%E9%87/export');
    expect(readableAuditTarget('/segments/%ZZ')).toBe('/segments/%ZZ');
    expect(readableAuditTarget('分析-小陈 (viewer)')).toBe('分析-小陈 (viewer)');
    expect(readableAuditTarget('100%41 (operator)')).toBe('100%41 (operator)');
  });
});
