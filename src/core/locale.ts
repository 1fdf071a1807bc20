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
