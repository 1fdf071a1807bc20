// How the console prints money and groups digits: one amount alike on the portrait and in a tag's
// profile, and a number typed in a dialog grouped as the text around it writes numbers.
import { describe, expect, it } from 'vitest';
import { formatList, formatMoney, formatShare, groupedIntegerInput, isMoneyMetric } from '../../web/src/modules/app/utils/format.js';

describe('money', () => {
  it('prints to the cent, in either language', () => {
    expect(formatMoney(1234.5, 'zh-CN')).toBe('1,234.50');
    expect(formatMoney(100, 'en-US')).toBe('100.00');
  });

  it('is told by the metric, for the portrait and a tag’s profile alike', () => {
    // The RFM model's amounts too, beside the spend they are read with on the portrait.
    for (const key of ['spend_365d', 'avg_order_value', 'max_order_amount', 'refund_amount_total', 'rfm_monetary', 'rfm_paid_amount', 'rfm_refund_amount']) expect(isMoneyMetric(key)).toBe(true);
    for (const key of ['orders_365d', 'refund_rate', 'days_since_last_order', 'rfm_m_score', 'rfm_frequency']) expect(isMoneyMetric(key)).toBe(false);
  });
});

describe('a share of everyone', () => {
  it('is to a tenth of a percent, all and none as they are', () => {
    expect(formatShare(79, 2000)).toBe('4.0%');
    expect(formatShare(2000, 2000)).toBe('100.0%');
    expect(formatShare(0, 2000)).toBe('0.0%');
    expect(formatShare(5, 0)).toBe('—');
  });

  it('never reads some but not all as everyone, nor a few as nobody', () => {
    // Four customers of 20,000 left untagged: the overview's tagged share is not 100.0%.
    expect(formatShare(19_996, 20_000)).toBe('>99.9%');
    expect(formatShare(19_990, 20_000)).toBe('>99.9%');
    expect(formatShare(19_989, 20_000)).toBe('99.9%');
    // A segment of three among 20,000 is not 0.0% of everyone.
    expect(formatShare(3, 20_000)).toBe('<0.1%');
    expect(formatShare(10, 20_000)).toBe('0.1%');
  });
});

describe('a grouped number input', () => {
  it('shows 20,000 and reads it back as 20000', () => {
    for (const lang of ['zh-CN', 'en-US']) {
      const { formatter, parser } = groupedIntegerInput(lang);
      expect(formatter(20000)).toBe('20,000');
      expect(formatter(1000000)).toBe('1,000,000');
      expect(formatter(500)).toBe('500');
      expect(Number(parser('20,000'))).toBe(20000);
    }
  });

  it('leaves an emptied input empty', () => {
    const { formatter, parser } = groupedIntegerInput('en-US');
    expect(formatter(undefined)).toBe('');
    expect(parser('')).toBe('');
  });
});

describe('a list of names', () => {
  it('is joined as the language joins one', () => {
    expect(formatList(['会员等级', '兴趣爱好'], 'zh-CN')).toBe('会员等级和兴趣爱好');
    expect(formatList(['Level', 'Hobby', 'City'], 'en-US')).toBe('Level, Hobby, and City');
    expect(formatList(['Level', 'Hobby'], 'en-US')).not.toContain('、');
  });
});
