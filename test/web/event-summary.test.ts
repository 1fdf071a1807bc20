// An event's properties on a customer's timeline: amounts to the cent and the built-in types'
// fixed values in words, as the metrics beside the timeline print them; a shop's own properties as sent.
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';
import { summariseEvent } from '../../web/src/modules/portrait/utils/eventSummary.js';

const tIn = (lang: 'zh-CN' | 'en-US') => (key: MessageKey) => fillMessage((lang === 'en-US' ? enUS : zhCN)[key], lang);
const zh = { t: tIn('zh-CN'), lang: 'zh-CN', utcOffsetMinutes: 480 };
const en = { t: tIn('en-US'), lang: 'en-US', utcOffsetMinutes: 480 };

describe("a timeline event's line", () => {
  it('prints amounts to the cent, as the portrait’s metrics do', () => {
    expect(summariseEvent(zh, 'order_paid', { order_id: 'DD1', amount: 518, channel: 'offline', discount: 6.9 })).toBe('订单号 DD1 · 金额 518.00 · 渠道 线下 · 优惠 6.90');
    expect(summariseEvent(en, 'order_paid', { order_id: 'DD1', amount: 2824.9, channel: 'online' })).toBe('order DD1 · amount 2,824.90 · channel online');
    expect(summariseEvent(zh, 'cart_added', { sku: 'S1', price: 159, quantity: 1 })).toBe('商品编码 S1 · 单价 159.00 · 数量 1');
    expect(summariseEvent(zh, 'coupon_received', { coupon_id: 'C-1', value: 50 })).toBe('优惠券 C-1 · 面额 50.00');
  });

  it('puts the built-in types’ fixed values in words', () => {
    expect(summariseEvent(zh, 'message_interaction', { channel: 'wechat', action: 'open' })).toBe('渠道 微信 · 动作 打开');
    expect(summariseEvent(en, 'message_interaction', { channel: 'wechat', action: 'click' })).toBe('channel WeChat · action click');
    expect(summariseEvent(zh, 'app_opened', { device_type: 'phone', os: 'iOS 18' })).toBe('设备 手机 · 系统 iOS 18');
  });

  it("leaves a shop's own properties and events as they were sent", () => {
    // A number of the shop's own is not an amount or a count to group: journey 3315 is a name.
    expect(summariseEvent(zh, 'message_interaction', { channel: 'sms', action: 'reply', journey: 3315 })).toBe('渠道 短信 · 动作 回复 · journey 3315');
    expect(summariseEvent(zh, 'store_visit', { amount: 518, channel: 'offline' })).toBe('金额 518 · 渠道 offline');
  });

  it('prints an instant as the event’s own time, and skips nested and empty values', () => {
    expect(summariseEvent(zh, 'coupon_received', { coupon_id: 'C-1', expires_at: '2025-09-12T02:02:26.477Z', items: [{ sku: 'x' }], note: null })).toBe('优惠券 C-1 · 到期 2025-09-12 10:02');
  });
});
