// How the console fills a message's blanks: numbers grouped as the language writes them, and a
// Chinese name set without the spaces that keep numbers and Latin names apart from Chinese text.
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';

describe('a message with its blanks filled', () => {
  it('groups a number as the language writes it', () => {
    expect(fillMessage('共 {total} 位客户', 'zh-CN', { total: 12000 })).toBe('共 12,000 位客户');
    expect(fillMessage('{total} customers', 'en-US', { total: 12000 })).toBe('12,000 customers');
  });

  it('sets a Chinese name close against the Chinese around it', () => {
    expect(fillMessage('已完成对 {customer} 的提醒', 'zh-CN', { customer: '张三' })).toBe('已完成对张三的提醒');
    expect(fillMessage('已将对 {customer} 的提醒推迟到 {at}，到时重新生成消息', 'zh-CN', { customer: '李四', at: '12月6日 09:00' })).toBe('已将对李四的提醒推迟到 12月6日 09:00，到时重新生成消息');
  });

  it('keeps the space beside an id, a Latin name or a number', () => {
    expect(fillMessage('已完成对 {customer} 的提醒', 'zh-CN', { customer: 'C1001' })).toBe('已完成对 C1001 的提醒');
    expect(fillMessage('已完成对 {customer} 的提醒', 'zh-CN', { customer: 'Anna 王' })).toBe('已完成对 Anna 王的提醒');
    expect(fillMessage('已完成对 {customer} 的提醒', 'zh-CN', { customer: '王 Anna' })).toBe('已完成对王 Anna 的提醒');
  });

  it('leaves English and unfilled blanks as they are', () => {
    expect(fillMessage('Marked the reminder for {customer} done', 'en-US', { customer: '张三' })).toBe('Marked the reminder for 张三 done');
    expect(fillMessage('已完成对 {customer} 的提醒', 'zh-CN')).toBe('已完成对 {customer} 的提醒');
  });
});
