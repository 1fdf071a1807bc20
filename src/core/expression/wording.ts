// Diagnostics' wording by language, and the list of what was expected as a message says it.
import type { Locale } from '../locale.js';
import type { DiagnosticWording } from './diagnostic.js';
import { describeExpectedEn, DIAGNOSTICS_EN } from './wording-en.js';
import { describeExpectedZh, DIAGNOSTICS_ZH } from './wording-zh.js';

export const DIAGNOSTIC_WORDING: Readonly<Record<Locale, DiagnosticWording>> = { en: DIAGNOSTICS_EN, 'zh-CN': DIAGNOSTICS_ZH };

export function describeExpected(expected: readonly string[], locale: Locale = 'en'): string {
  return locale === 'zh-CN' ? describeExpectedZh(expected) : describeExpectedEn(expected);
}
