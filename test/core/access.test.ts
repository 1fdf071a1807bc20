import { describe, expect, it } from 'vitest';
import { isMaskedIdentity, maskIdentity, personalDataViewOf, roleAllows } from '../../src/core/access.js';
import { IDENTITY_KINDS } from '../../src/core/customer.js';

describe('access by role', () => {
  it('gives each role its permissions, and identifiers whole to administrators only', () => {
    expect(['read', 'write', 'export', 'admin'].filter((p) => roleAllows('operator', p as 'read'))).toEqual(['read', 'write', 'export']);
    expect(roleAllows('viewer', 'write')).toBe(false);
    expect(roleAllows('admin', 'admin')).toBe(true);
    expect([personalDataViewOf('admin'), personalDataViewOf('operator'), personalDataViewOf('viewer')]).toEqual(['full', 'masked', 'masked']);
  });

  it('masks identifiers so that they can be told apart but not used, nor their length read', () => {
    expect(maskIdentity('phone', '13812345678')).toBe('138****5678');
    expect(maskIdentity('phone', '+4420794601234')).toBe('+442****1234');
    expect(maskIdentity('phone', '02155667788')).toBe('021****7788');
    expect(maskIdentity('phone', '95588')).toBe('9****');
    expect(maskIdentity('email', 'zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskIdentity('email', '王@例子.中国')).toBe('王***@例子.中国');
    expect(maskIdentity('wechat_unionid', 'oX1b2C3d4E5f6G7h8I9j')).toBe('oX1b****8I9j');
    expect(maskIdentity('wecom_external_userid', 'wmZx1b2C3d4E5f6G7h8I9jKlMnOpQrSt')).toBe('wmZx****QrSt');
    expect(maskIdentity('platform_nick', '小鹿爱买买')).toBe('小****');
    expect(maskIdentity('member_card', 'VIP0012345678')).toBe('****5678');
    expect(maskIdentity('member_card', '123')).toBe('1****');
    expect(maskIdentity('platform_nick', '小鹿爱买')).toBe(maskIdentity('platform_nick', '小鹿爱买买爱逛街'));
    expect(maskIdentity('member_card', 'A00012345678')).toBe(maskIdentity('member_card', '12345678'));
  });
});

describe('a masked identifier read back', () => {
  it('is known as masked, of every kind, as the export wrote it; a whole identifier is not', () => {
    const whole = { phone: '13212342308', email: 'zhang@example.com', wechat_unionid: 'oUn1onIdAbCdEf123', wechat_openid: 'oOpenIdAbCdEf456', wecom_external_userid: 'wmExtUserAbCdEf789', platform_nick: '小王爱买', member_card: 'VIP-000123' } as const;
    for (const kind of IDENTITY_KINDS) {
      expect(isMaskedIdentity(kind, maskIdentity(kind, whole[kind]))).toBe(true);
      expect(isMaskedIdentity(kind, whole[kind])).toBe(false);
    }
    expect(isMaskedIdentity('phone', maskIdentity('phone', '12345'))).toBe(true);
    expect(isMaskedIdentity('email', ' z***@example.com ')).toBe(true);
    expect(isMaskedIdentity('email', 'zz***@example.com')).toBe(false);
  });
});
