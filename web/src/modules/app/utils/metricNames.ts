// Metrics in the reader's language: built-in and model metrics carry an English name beside the
// Chinese one (a custom metric has only the name it was given), and a few built-in metrics
// answer with a stored word (the hour band `evening`) that reads better in words of the language.
import { zhCN, type MessageKey } from './messages';
import type { Lang, SessionState } from './sessionContext';

export function metricName(metric: { name: string; name_en?: string | null | undefined }, lang: Lang): string {
  return lang === 'en-US' && metric.name_en ? metric.name_en : metric.name;
}

/** A string value of a built-in metric in words (上午 for `morning`, 线上 for `online`); any other value as it is. */
export function metricValueLabel(t: SessionState['t'], metric: string, value: string): string {
  const key = `metric.${metric}.${value}`;
  return key in zhCN ? t(key as MessageKey) : value;
}
