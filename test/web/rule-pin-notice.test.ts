// What bulk tagging says before a value is given by hand on a rule tag: a single-valued tag is
// pinned whole, a multi-valued one only in the value given.
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';
import { enUS, zhCN } from '../../web/src/modules/app/utils/messages.js';
import { rulePinNotice } from '../../web/src/modules/customers/utils/rulePinNotice.js';

describe('the notice on giving a rule tag by hand', () => {
  it('says a single-valued tag is left alone, and a multi-valued one keeps moving its other values', () => {
    expect(fillMessage(zhCN[rulePinNotice({ cardinality: 'single' })], 'zh-CN', { name: '价值分层' })).toBe('「价值分层」是规则标签：手工打上的值会固定下来，规则不再改动这些客户的这个标签，直到手工移除它。');
    expect(fillMessage(zhCN[rulePinNotice({ cardinality: 'multi' })], 'zh-CN', { name: '兴趣偏好' })).toBe('「兴趣偏好」是多值规则标签：手工打上的这个值会固定下来，直到手工移除它；规则仍按条件添加、移除这些客户的其他值。');
    expect(fillMessage(enUS[rulePinNotice({ cardinality: 'multi' })], 'en-US', { name: '兴趣偏好' })).toMatch(/^“兴趣偏好” is a multi-valued rule tag: the value given by hand stays put until it is removed by hand, and the rule goes on adding and removing/);
  });
});
