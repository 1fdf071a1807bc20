import { describe, expect, it } from 'vitest';
import { fieldHeadings, guessTarget, recognisedColumns } from '../../src/core/import-columns.js';

describe("an import file's columns", () => {
  it('are guessed from English or Chinese names, for the console to propose', () => {
    expect(guessTarget('customers', '手机号')).toBe('phone');
    expect(guessTarget('customers', 'Name')).toBe('name');
    expect(guessTarget('customers', '客户编号')).toBe('id');
    expect(guessTarget('customers', 'customer_id')).toBe('id');
    expect(guessTarget('customers', 'Customer_ID')).toBe('id');
    expect(guessTarget('events', '客户')).toBe('customer_id');
    expect(guessTarget('events', '金额')).toBe('properties.金额');
    expect(guessTarget('customers', '鞋码')).toBe('鞋码');
    // Filled templates of other systems, whose columns to fill in are marked so, and English lists' phone.
    expect(['*编号', '客户编号*', '姓名（必填）', '手机(选填)', '＊会员ID', 'City (optional)', 'Mobile', 'Phone number'].map((column) => guessTarget('customers', column))).toEqual([
      'id', 'id', 'name', 'phone', 'id', 'city', 'phone', 'phone',
    ]);
    expect(['客户编号*', '事件类型*', '发生时间（必填）', '金额*'].map((column) => guessTarget('events', column))).toEqual(['customer_id', 'type', 'occurred_at', 'properties.金额*']);
    expect([...recognisedColumns('customers', ['客户编号*', '姓名（必填）', '备注*'])]).toEqual([['客户编号*', 'id'], ['姓名（必填）', 'name']]);
    // As member lists of shop systems head them: a member's number is the customer's id, and an event's customer.
    expect(['会员编号', '会员ID', '客户姓名', '手机号码', '联系电话', '电子邮箱', 'E-mail', '会员卡号', '所在城市', '注册渠道', '入会时间'].map((column) => guessTarget('customers', column))).toEqual([
      'id', 'id', 'name', 'phone', 'phone', 'email', 'email', 'member_card', 'city', 'source_channel', 'first_seen_at',
    ]);
    // A WeCom (企业微信) customer list's external contact id, by its key, WeCom's own name and in Chinese.
    expect(['wecom_external_userid', 'external_userid', 'External_UserID', '企微外部联系人ID', '企业微信外部联系人ID', '外部联系人ID', '外部联系人id'].map((column) => guessTarget('customers', column))).toEqual(
      Array(7).fill('wecom_external_userid'),
    );
    expect([...recognisedColumns('customers', ['编号', '企业微信外部联系人ID'])]).toEqual([['编号', 'id'], ['企业微信外部联系人ID', 'wecom_external_userid']]);
    expect(['会员号', '成交时间', '手机号码'].map((column) => guessTarget('events', column))).toEqual(['customer_id', 'occurred_at', 'properties.手机号码']);
    // 客户编号 is the customer's in an events or assignments file too, not the event's own id; an
    // event's type and id by their names, which in a customers file stay the customer's columns.
    expect(['客户编号', '事件类型', '行为类型', '事件编号', '事件ID'].map((column) => guessTarget('events', column))).toEqual(['customer_id', 'type', 'type', 'id', 'id']);
    expect(guessTarget('assignments', '客户编号')).toBe('customer_id');
    expect(['客户编号', '事件类型'].map((column) => guessTarget('customers', column))).toEqual(['id', '事件类型']);
    expect([...recognisedColumns('customers', ['客户编号', '姓名'])]).toEqual([['客户编号', 'id'], ['姓名', 'name']]);
    // The time columns of shop exports.
    expect(['注册时间', '下单时间', '付款时间', '到期时间'].map((column) => [guessTarget('customers', column), guessTarget('events', column), guessTarget('assignments', column)])).toEqual([
      ['first_seen_at', 'properties.注册时间', '注册时间'],
      ['下单时间', 'occurred_at', '下单时间'],
      ['付款时间', 'occurred_at', '付款时间'],
      ['到期时间', 'properties.到期时间', 'expires_at'],
    ]);
  });

  it('are read under the importer’s names by the command line only where the name is another name of one of them', () => {
    expect([...recognisedColumns('customers', ['编号', '姓名', '手机', '鞋码'])]).toEqual([
      ['编号', 'id'],
      ['姓名', 'name'],
      ['手机', 'phone'],
    ]);
    // The importer's own name wins over another name for it; of two other names, the first.
    expect([...recognisedColumns('customers', ['id', '编号', '手机', '电话'])]).toEqual([['手机', 'phone']]);
    expect([...recognisedColumns('customers', ['customer_id', 'name'])]).toEqual([['customer_id', 'id']]);
    expect([...recognisedColumns('customers', ['id', 'customer_id'])]).toEqual([]);
    // Any other event column is one of the event's properties, as the console proposes it.
    expect([...recognisedColumns('events', ['客户', '事件', '时间', '金额', 'properties.sku'])]).toEqual([
      ['客户', 'customer_id'],
      ['事件', 'type'],
      ['时间', 'occurred_at'],
      ['金额', 'properties.金额'],
    ]);
    // Unless the file has that property's column already.
    expect([...recognisedColumns('events', ['customer_id', 'sku', 'properties.sku'])]).toEqual([]);
  });

  it("are read as a customer's custom field by its name, after the built-in fields' names and the fields' keys", () => {
    const fields = fieldHeadings([
      { key: 'joined', name: '入会日期' },
      { key: 'shoe', name: 'Shoe Size' },
      { key: 'vip', name: '会员等级' },
      { key: 'size_eu', name: 'Size' },
      { key: 'size_us', name: 'size' },
      { key: 'score', name: 'joined' },
    ]);
    // Trimmed, and Latin letters in any case.
    expect(['入会日期', ' shoe size ', 'SHOE SIZE'].map((column) => guessTarget('customers', column, fields))).toEqual(['custom.joined', 'custom.shoe', 'custom.shoe']);
    // A built-in field's name is that field's; a field's key is that field's, not the one named so; a name two fields share is neither's.
    expect(['会员等级', 'joined', 'Size'].map((column) => guessTarget('customers', column, fields))).toEqual(['member_level', 'joined', 'Size']);
    // Only of customers: an event's column is a property, an assignment's none.
    expect(guessTarget('events', '入会日期', fields)).toBe('properties.入会日期');
    expect(guessTarget('assignments', '入会日期', fields)).toBe('入会日期');
    expect([...recognisedColumns('customers', ['编号', '入会日期', 'Shoe Size'], fields)]).toEqual([
      ['编号', 'id'],
      ['入会日期', 'custom.joined'],
      ['Shoe Size', 'custom.shoe'],
    ]);
    // The file has the field's column already, by its key or with `custom.`: the name is not read as it.
    expect([...recognisedColumns('customers', ['id', 'joined', '入会日期'], fields)]).toEqual([]);
    expect([...recognisedColumns('customers', ['id', 'custom.shoe', 'shoe size'], fields)]).toEqual([]);
    // Of two columns named for one field, the first.
    expect([...recognisedColumns('customers', ['id', 'SHOE SIZE', 'shoe size'], fields)]).toEqual([['SHOE SIZE', 'custom.shoe']]);
  });
});
