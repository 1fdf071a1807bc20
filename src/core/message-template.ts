// Filling a message template in one language, for the error table and the CLI's messages alike:
// its parameters, counts with their digits grouped as the language groups them (12,345), and
// the words that agree with a count (English "1 customer", "3 customers"; Chinese has no plural).
import { localized, type Locale, type LocalizedText } from './locale.js';

/**
 * A parameter: a plain value, or words given in every language. A number is a count, written
 * with its digits grouped; a number that names something (an id, a port) is given as a string.
 */
export type TemplateValue = string | number | LocalizedText | undefined;

/**
 * How a template marks its parameters: the error table writes `{name}` and `{name:one|other}`,
 * the CLI's messages `{{name}}` and `{{name:one|other}}` (single braces there are the progress
 * bar's own tokens). `{name:one|other}` is the word that agrees with the number `name`: English
 * `{count} {count:customer holds|customers hold}`.
 */
export type Braces = 'single' | 'double';

const PLACEHOLDER: Readonly<Record<Braces, RegExp>> = {
  single: /\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g,
  double: /\{\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}\}/g,
};

export interface FillOptions {
  braces: Braces;
  /** What a parameter not given at all becomes: nothing, or its marker as written. */
  missing: 'empty' | 'marker';
}

// Made once per language: building ICU's number and plural tables costs more than filling a
// message, and the command fills hundreds (its help) at every start.
const numberFormats = new Map<Locale, Intl.NumberFormat>();
const pluralRules = new Map<Locale, Intl.PluralRules>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return format;
}

function plural(locale: Locale): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

/** Fills every placeholder of `text` in one pass, so a value that itself holds braces stays as it is. */
export function fillTemplate(text: string, params: Readonly<Record<string, TemplateValue>>, locale: Locale, options: FillOptions): string {
  return text.replace(PLACEHOLDER[options.braces], (marker, name: string, one: string | undefined, other: string | undefined) => {
    if (!(name in params)) return options.missing === 'marker' ? marker : '';
    const value = params[name];
    if (one !== undefined && other !== undefined) return plural(locale).select(Number(value)) === 'one' ? one : other;
    if (value === undefined) return '';
    if (typeof value === 'object') return value[locale];
    return typeof value === 'number' && Number.isFinite(value) ? numberFormat(locale).format(value) : String(value);
  });
}

/** One message written in English and Chinese with single-brace placeholders, filled in both. */
export function fillBoth(en: string, zh: string, params: Readonly<Record<string, TemplateValue>>): LocalizedText {
  const fill = (text: string, locale: Locale) => fillTemplate(text, params, locale, { braces: 'single', missing: 'empty' });
  return localized(fill(en, 'en'), fill(zh, 'zh-CN'));
}

/** The word of the two that agrees with `count` in `locale`, for wordings built in code rather than from a template. */
export function agreeing(count: number, one: string, other: string, locale: Locale = 'en'): string {
  return plural(locale).select(count) === 'one' ? one : other;
}

/** The parameter names a template uses, sorted: the same in every language of one message. */
export function templateParameters(text: string, braces: Braces): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER[braces]), (match) => match[1] ?? ''))].sort();
}
