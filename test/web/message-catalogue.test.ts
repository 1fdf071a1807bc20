// The console's words: every message in both languages, neither empty, and each language's blanks
// the other's, so that switching the language loses no text and no value a message shows.
import { describe, expect, it } from 'vitest';
import { CUSTOMER_TYPES, CUSTOMER_TYPE_LABELS, CUSTOMER_TYPE_LABELS_EN, GENDERS, GENDER_LABELS, GENDER_LABELS_EN } from '../../src/core/customer.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';

/** The blanks `fillMessage` fills: `{name}`, not `{tag:标签键}` (a care message's own placeholder, shown as written). */
function blanks(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

describe('the console’s message catalogue', () => {
  const keys = Object.keys(zhCN) as MessageKey[];

  it('has the same keys in Chinese and English', () => {
    expect(Object.keys(enUS).sort()).toEqual([...keys].sort());
  });

  it('has no empty message', () => {
    expect(keys.filter((key) => zhCN[key].trim() === '' || enUS[key].trim() === '')).toEqual([]);
  });

  it('has the same blanks in both languages', () => {
    // A form for exactly one (`…One`) may spell the number out in English ("the 1 reminder"), so
    // its English blanks need only be among the Chinese ones.
    const differing = keys.filter((key) => {
      const [chinese, english] = [blanks(zhCN[key]), blanks(enUS[key])];
      const one = key.endsWith('One') && Object.hasOwn(zhCN, key.slice(0, -'One'.length));
      return one ? english.some((name) => !chinese.includes(name)) : chinese.join() !== english.join();
    });
    expect(differing).toEqual([]);
  });

  it("names a customer's type and gender as the files headed for people write them, which an import reads back", () => {
    // An export headed by names writes the console's words (Female, 女), so that it reads as the console does.
    const shown = (catalogue: Readonly<Record<string, string>>, field: string, options: readonly string[]) => options.map((option) => [option, catalogue[`field.${field}.${option}`]]);
    expect(shown(enUS, 'type', CUSTOMER_TYPES)).toEqual(Object.entries(CUSTOMER_TYPE_LABELS_EN));
    expect(shown(enUS, 'gender', GENDERS)).toEqual(Object.entries(GENDER_LABELS_EN));
    expect(shown(zhCN, 'type', CUSTOMER_TYPES)).toEqual(Object.entries(CUSTOMER_TYPE_LABELS));
    expect(shown(zhCN, 'gender', GENDERS)).toEqual(Object.entries(GENDER_LABELS));
  });
});
