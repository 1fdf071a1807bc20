// A model's tag in the console's language: in English, the catalog's English words while the tag
// keeps the catalog's Chinese ones (RFM等级: 重要价值客户 → RFM level: Important value), as the
// command line reads it (src/core/models/model-words.ts); words an operator chose read as written.
// Only what is shown changes: expressions and the API go on naming the tag by its stored name or key.
import { englishLabel, englishTagDescription, englishTagName, englishValueName, type CatalogModel, type NamedTag } from '../../../../../src/core/models/model-words.js';

export type { CatalogModel, NamedTag };

/** The tag's name to show: in English, a model's tag under the catalog's Chinese name reads in its English one. */
export function modelTagName(tag: NamedTag, models: readonly CatalogModel[], lang: string): string {
  return lang === 'en-US' ? englishTagName(tag, models) : tag.name;
}

/** A value's name to show: in English, a value of a model's tag (under the catalog's name) that keeps the catalog's Chinese name reads in its English one. */
export function modelTagValueName(tag: NamedTag, value: { name: string; key?: string | undefined }, models: readonly CatalogModel[], lang: string): string {
  return lang === 'en-US' ? englishValueName(tag, value, models) : value.name;
}

/** A stored label (`name: value`, in the words the tag had then) to show, each part as `modelTagName` and `modelTagValueName` put it. */
export function modelLabel(label: string, models: readonly CatalogModel[], lang: string, kind?: string | null): string {
  return lang === 'en-US' ? englishLabel(label, models, kind) : label;
}

/** A tag's description to show: in English, the English line of the description a model gave its tag. */
export function modelTagDescription(tag: NamedTag, description: string, models: readonly CatalogModel[], lang: string): string {
  return lang === 'en-US' ? englishTagDescription(tag, description, models) : description;
}
