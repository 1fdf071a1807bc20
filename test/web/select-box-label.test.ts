// What a screen reader hears for the box that selects a customer, in the customer table and on its card on a phone.
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';
import { selectBoxLabel } from '../../web/src/modules/customers/utils/selectBoxLabel.js';

describe('the select box of a customer', () => {
  it('names the customer with the id beside the name, or by the id alone without a name, in each language', () => {
    const chinese = (key: MessageKey, vars?: Record<string, string | number>) => fillMessage(zhCN[key], 'zh-CN', vars);
    const english = (key: MessageKey, vars?: Record<string, string | number>) => fillMessage(enUS[key], 'en-US', vars);
    expect(selectBoxLabel(chinese, { id: 'C001', name: '张伟' })).toBe('选择张伟 (C001)');
    expect(selectBoxLabel(chinese, { id: 'C002', name: null })).toBe('选择 C002');
    expect(selectBoxLabel(english, { id: 'C001', name: '张伟' })).toBe('Select 张伟 (C001)');
  });
});
