import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdCard } from '../../src/core/access.js';
import { maskPersonalDataIn, maskPersonalMetricValue, metricPickedProperty } from '../../src/core/masked-properties.js';
import type { Aggregation, MetricDefinition } from '../../src/core/metric.js';
import { isIdCardNumber, maskPersonalDataInText, maskPersonalValue, personalKindOfName } from '../../src/core/personal-text.js';

describe('personal data named by a property', () => {
  it('knows phone, e-mail, ID card and address names in English and Chinese, and no other', () => {
    const names = {
      phone: ['phone', 'receiver_phone', 'contactMobile', 'tel', 'Tel', 'telephone', 'phone_number', 'mobile-no', '手机', '收货人手机号', '联系电话'],
      email: ['email', 'e-mail', 'E_Mail', 'receiverEmail', 'email_address', '邮箱', '邮箱地址', '电子邮件'],
      id_card: ['id_card', 'idCard', 'id_card_no', 'identity_card', 'idcard', '身份证', '身份证号码'],
      address: ['address', 'shipping_address', 'receiverAddr', '地址', '收货地址'],
    } as const;
    for (const [kind, list] of Object.entries(names)) for (const name of list) expect([name, personalKindOfName(name)]).toEqual([name, kind]);
    for (const name of ['hotel', 'order_id', 'amount', 'telegram_group', 'ideal_card', 'idea', 'card_id', 'note', '备注', '收货人', 'mailbox_size', 'mail_count']) expect([name, personalKindOfName(name)]).toEqual([name, undefined]);
  });

  it('masks a value under such a name as identifiers are masked', () => {
    expect(maskPersonalValue('phone', '+86 138-1234-5678')).toBe('138****5678');
    expect(maskPersonalValue('phone', '0571-88886666 转 8001')).toBe('057****8001');
    // Under a phone's name, text of fewer than five digits is no number.
    expect(maskPersonalValue('phone', 'iOS')).toBe('iOS');
    expect(maskPersonalValue('phone', '分机 8001')).toBe('分机 8001');
    expect(maskPersonalValue('phone', '95588')).toBe('9****');
    expect(maskPersonalValue('email', ' Hui@126.com ')).toBe('h***@126.com');
    expect(maskPersonalValue('email', 'not given')).toBe('n****');
    expect(maskPersonalValue('id_card', '33010619900307123X')).toBe('3301****123X');
    expect(maskPersonalValue('address', '浙江省杭州市西湖区文三路 100 号')).toBe('浙江省杭州市****');
    expect(maskPersonalValue('address', '')).toBe('');
    expect(maskAddress('杭州市')).toBe('杭****');
    expect(maskIdCard('330106199003071235')).toBe('3301****1235');
  });
});

describe('personal data in free text', () => {
  it('tells a mainland ID card number by its birth date and check character', () => {
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('11010519491231002x')).toBe(true);
    expect(isIdCardNumber('110105194912310021')).toBe(false);
    expect(isIdCardNumber('110105194902300020')).toBe(false);
    expect(isIdCardNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe(true);
  });

  it('masks phone numbers however written, e-mail addresses and ID card numbers, and leaves the rest', () => {
    const cases: [string, string][] = [
      ['13812345678', '138****5678'],
      ['请联系 138 1234 5678 或 139-0000-1111。', '请联系 138****5678 或 139****1111。'],
      ['+86 13812345678', '138****5678'],
      ['(+86)138-1234-5678', '138****5678'],
      ['008613812345678', '138****5678'],
      ['8613812345678', '138****5678'],
      ['１３８１２３４５６７８', '138****5678'],
      ['香港 +852 9123 4567', '香港 +852****4567'],
      ['call +1 (415) 555-0100 today', 'call +141****0100 today'],
      ['门店 0571-88886666', '门店 057****6666'],
      ['邮箱h@126.com请回复', '邮箱h***@126.com请回复'],
      ['Zhang.Wei@Example.com', 'z***@example.com'],
      ['13812345678@163.com', '1***@163.com'],
      ['身份证 11010519491231002X 已核验', '身份证 1101****002X 已核验'],
      // An 18-digit order number is no ID card, nor a longer run of digits a phone number.
      ['订单 202612051234567890', '订单 202612051234567890'],
      ['138123456789', '138123456789'],
      ['2026-12-05 13:45', '2026-12-05 13:45'],
      ['+5 积分', '+5 积分'],
      ['共 3 件，合计 128.50 元', '共 3 件，合计 128.50 元'],
      ['', ''],
    ];
    for (const [text, masked] of cases) expect([text, maskPersonalDataInText(text)]).toEqual([text, masked]);
  });
});

describe('an event\'s properties as a masking role reads them', () => {
  it('masks named values, the customer\'s own identifiers and personal data in text, in nested objects and lists', () => {
    const properties = {
      order_id: 'O1',
      amount: 99,
      receiver_phone: '13812345678',
      contact: 13912345678,
      address: '浙江省杭州市西湖区文三路 100 号',
      email: 'hui@126.com',
      receiver: { 手机: '+86 137 0000 1111', 收货地址: { 省: '浙江省', 详细: '文三路 100 号' }, cards: ['VIP-00012345'] },
      items: [{ sku: 'S1', note: '送给 h@qq.com' }, '身份证 11010519491231002X'],
      id_card: ['11010519491231002X'],
      mobile_os: 'iOS',
      phone_calls: 3,
      address_count: 2,
      paid: true,
      coupon: null,
    };
    expect(maskPersonalDataIn(properties, [{ kind: 'member_card', value: 'VIP-00012345' }])).toEqual({
      order_id: 'O1',
      amount: 99,
      receiver_phone: '138****5678',
      contact: '139****5678',
      address: '浙江省杭州市****',
      email: 'h***@126.com',
      receiver: { 手机: '137****1111', 收货地址: { 省: '浙****', 详细: '文三路 10****' }, cards: ['****2345'] },
      items: [{ sku: 'S1', note: '送给 h***@qq.com' }, '身份证 1101****002X'],
      id_card: ['1101****002X'],
      mobile_os: 'iOS',
      phone_calls: 3,
      address_count: 2,
      paid: true,
      coupon: null,
    });
  });
});

describe('personal data in a metric\'s value', () => {
  const metric = (aggregation: Aggregation, property?: string): MetricDefinition => ({ key: 'm', name: 'm', formula: { kind: 'aggregate', aggregation, eventType: 'order', property, window: { kind: 'all' } } });

  it('reads a value picked from a property as that property, named by the item before the list', () => {
    expect(metricPickedProperty(metric('last', 'receiver_phone'))).toEqual({ property: 'receiver_phone', named: 'phone' });
    expect(metricPickedProperty(metric('most_frequent', 'items[].收货地址'))).toEqual({ property: 'items[].收货地址', named: 'address' });
    expect(metricPickedProperty(metric('first', 'receivers[].note'))).toEqual({ property: 'receivers[].note', named: undefined });
    expect(metricPickedProperty(metric('max', 'addresses[].floor'))).toEqual({ property: 'addresses[].floor', named: 'address' });
    // The sum or mean of one phone number is that number: of a property named as personal data, they are read as it.
    expect(metricPickedProperty(metric('sum', 'phone'))).toEqual({ property: 'phone', named: 'phone' });
    expect(metricPickedProperty(metric('avg', 'items[].mobile'))).toEqual({ property: 'items[].mobile', named: 'phone' });
    // Computed values, and the event's own attributes, hold no property's value.
    for (const definition of [metric('count'), metric('sum', 'amount'), metric('avg', 'amount'), metric('distinct_count', 'phone'), metric('gap_days'), metric('last'), metric('last', '@time'), metric('most_frequent', '@hour_band'), metric('max', 'items[].@days_after_launch')]) {
      expect(metricPickedProperty(definition)).toBeUndefined();
    }
    expect(metricPickedProperty({ key: 'r', name: 'r', formula: { kind: 'ratio', numerator: 'a', denominator: 'b' } })).toBeUndefined();
  });

  it('masks it as the event\'s properties are masked, and leaves computed numbers', () => {
    expect(maskPersonalMetricValue(metric('last', 'receiver_phone'), '+86 139-1234-5678', [])).toBe('139****5678');
    expect(maskPersonalMetricValue(metric('last', 'receiver_phone'), 13912345678, [])).toBe('139****5678');
    expect(maskPersonalMetricValue(metric('most_frequent', '收货地址'), '浙江省杭州市西湖区文三路 100 号', [])).toBe('浙江省杭州市****');
    expect(maskPersonalMetricValue(metric('first', 'note'), '改送 h.li@qq.com，电话 13912345678', [])).toBe('改送 h***@qq.com，电话 139****5678');
    expect(maskPersonalMetricValue(metric('last', 'card'), 'VIP-00012345', [{ kind: 'member_card', value: 'VIP-00012345' }])).toBe('****2345');
    expect(maskPersonalMetricValue(metric('last', 'note'), '周末送货', [])).toBe('周末送货');
    expect(maskPersonalMetricValue(metric('last', 'phone_calls'), 3, [])).toBe(3);
    expect(maskPersonalMetricValue(metric('last', 'receiver_phone'), null, [])).toBeNull();
    // A count, or a sum of what no name calls personal data, is a number the product computed.
    expect(maskPersonalMetricValue(metric('sum', 'amount'), 13912345678, [])).toBe(13912345678);
    // A sum of a phone number sent as a number is the number, once: masked as it is.
    expect(maskPersonalMetricValue(metric('sum', 'receiver_phone'), 13912345678, [])).toBe('139****5678');
    expect(maskPersonalMetricValue(metric('last'), 1781078400000, [])).toBe(1781078400000);
    expect(maskPersonalMetricValue(metric('most_frequent', '@hour_band'), 'evening', [])).toBe('evening');
  });
});
