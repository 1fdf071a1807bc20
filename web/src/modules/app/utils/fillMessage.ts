import { formatNumber } from './format';
import type { Lang } from './sessionContext';

/** Han characters and the CJK punctuation around them: Chinese text sets no space between two of them. */
const HAN = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/**
 * A message with its blanks filled. A number is a count or an amount, written as the language writes
 * numbers (5,000 customers, not 5000); a number that is a name, such as an id, is passed as a string.
 *
 * A Chinese message spaces its blanks (「已完成对 {customer} 的提醒」) because most values are
 * numbers, ids or Latin names, which Chinese sets apart by a space; a value that begins or ends in
 * Chinese (张三) loses the space on that side, so that it reads 已完成对张三的提醒.
 */
export function fillMessage(template: string, lang: Lang, vars: Record<string, string | number> = {}): string {
  return template.replace(/( ?)\{(\w+)\}( ?)/g, (whole, before: string, name: string, after: string, offset: number) => {
    const value = vars[name];
    if (value === undefined) return whole;
    const text = typeof value === 'number' ? formatNumber(value, lang) : value;
    if (lang === 'en-US' || text === '') return before + text + after;
    const joinsBefore = before !== '' && HAN.test(template.charAt(offset - 1)) && HAN.test(text.charAt(0));
    const joinsAfter = after !== '' && HAN.test(template.charAt(offset + whole.length)) && HAN.test(text.charAt(text.length - 1));
    return (joinsBefore ? '' : before) + text + (joinsAfter ? '' : after);
  });
}
