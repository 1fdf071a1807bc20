// A model's tag in the console's language. A model's tag keeps the catalog's Chinese words unless
// an operator renamed it: a tag name or value name in those words reads in the catalog's English
// ones in English (RFM等级: 重要价值客户 → RFM level: Important value), as the charts name the
// values; words an operator chose read as written. Only what is shown changes: expressions and
// the API go on naming the tag by its stored name or key.
import { capitalised, type CatalogValue } from './modelValueName.js';

/** A model as `GET /models` gives it: its name, its English name and its values with the current parameters. */
export interface CatalogModel {
  name: string;
  english: string;
  values: readonly CatalogValue[];
}

/** A tag as the console holds it: its stored name and, where the answer gives it, its kind (only a model's tag has catalog words). */
export interface NamedTag {
  name: string;
  kind?: string | null | undefined;
}

/** The model whose tag this is while it keeps the catalog's name. */
function catalogModel(tag: NamedTag, models: readonly CatalogModel[], lang: string): CatalogModel | undefined {
  if (lang !== 'en-US' || (tag.kind != null && tag.kind !== 'model')) return undefined;
  return models.find((model) => model.name === tag.name);
}

/** The tag's name to show: in English, a model's tag under the catalog's Chinese name reads in its English one. */
export function modelTagName(tag: NamedTag, models: readonly CatalogModel[], lang: string): string {
  const model = catalogModel(tag, models, lang);
  return model ? capitalised(model.english) : tag.name;
}

/** A value's name to show: in English, a value of a model's tag (under the catalog's name) that keeps the catalog's Chinese name reads in its English one. */
export function modelTagValueName(tag: NamedTag, value: { name: string; key?: string | undefined }, models: readonly CatalogModel[], lang: string): string {
  const model = catalogModel(tag, models, lang);
  const known = model?.values.find((candidate) => candidate.name === value.name && (value.key === undefined || candidate.key === value.key));
  return known ? capitalised(known.english) : value.name;
}

/** A stored label (`name: value`, in the words the tag had then) to show, each part as `modelTagName` and `modelTagValueName` put it. */
export function modelLabel(label: string, models: readonly CatalogModel[], lang: string, kind?: string | null): string {
  for (const model of lang === 'en-US' ? models : []) {
    const prefix = `${model.name}: `;
    if (!label.startsWith(prefix)) continue;
    const tag = { name: model.name, kind };
    if (!catalogModel(tag, models, lang)) return label;
    return `${modelTagName(tag, models, lang)}: ${modelTagValueName(tag, { name: label.slice(prefix.length) }, models, lang)}`;
  }
  return label;
}
