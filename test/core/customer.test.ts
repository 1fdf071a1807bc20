import { describe, expect, it } from 'vitest';
import { normalizeIdentity } from '../../src/core/customer.js';

describe('identities as one person is found by', () => {
  it('reads a mainland phone number however it was written', () => {
    for (const written of ['13800138000', '138 0013 8000', '138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '8613800138000', '１３８００１３８０００', '＋８６ １３８００１３８０００']) {
      expect(normalizeIdentity('phone', written), written).toBe('13800138000');
    }
    expect(normalizeIdentity('phone', '+1 (415) 555-0100')).toBe('+14155550100');
    expect(normalizeIdentity('phone', '020-12345678')).toBe('02012345678');
    expect(normalizeIdentity('phone', '1.38001E+10')).toBeUndefined();
    expect(normalizeIdentity('phone', '电话')).toBeUndefined();
  });

  it('reads an email address in any case and width', () => {
    expect(normalizeIdentity('email', ' Zhang.Wei@Example.COM ')).toBe('zhang.wei@example.com');
    expect(normalizeIdentity('email', 'ｚｗ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('zw@example.com');
    expect(normalizeIdentity('email', 'not an address')).toBeUndefined();
  });
});
