// The languages the product speaks to people, and text written in each of them. Codes,
// keys and paths stay the same in every language; only the words change.

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** English unless asked otherwise: it is what scripts and logs have always read. */
export const DEFAULT_LOCALE: Locale = 'en';

/** One text in every language, for the parts of a message that are themselves words. */
export type LocalizedText = Readonly<Record<Locale, string>>;

export function localized(en: string, zh: string): LocalizedText {
  return { en, 'zh-CN': zh };
}

/**
 * Items named one after another as the language lists them: 「甲、乙、丙」 in Chinese, "a, b, c"
 * in English. Written out rather than through Intl.ListFormat, whose lists end in "and" or 和
 * and change with the ICU data Node is built with.
 */
export function joinList(items: readonly string[], locale: Locale): string {
  return items.join(listSeparator(locale));
}

/** What stands between two items of a list in `locale`, for a list cut short as it is written. */
export function listSeparator(locale: Locale): string {
  return locale === 'zh-CN' ? '、' : ', ';
}
