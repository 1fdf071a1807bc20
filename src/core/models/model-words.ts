// A model's tag in the reader's language. A model's tag keeps the catalog's Chinese words unless
// an operator renamed it: a tag name or value name in those words reads in the catalog's English
// ones for an English reader (RFM等级: 重要价值客户 → RFM level: Important value); words an operator
// chose read as written. Only what is shown changes: expressions, imports and the API go on naming
// the tag by its stored name or key. The console and the command line both read it this way.

/** A model's value as the catalog names it (with the model's current parameters). */
export interface CatalogValue {
  key: string;
  name: string;
  english: string;
}

/** A model as the catalog names it: its tag's Chinese name, its English one and its values. */
export interface CatalogModel {
  name: string;
  english: string;
  values: readonly CatalogValue[];
}

/** A tag as a reader holds it: its stored name and, where known, its kind (only a model's tag has catalog words). */
export interface NamedTag {
  name: string;
  kind?: string | null | undefined;
}

/** English catalog words stand alone as labels: lower case glosses ("important value") start with a capital. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The model whose tag this is while it keeps the catalog's name. */
function catalogModel(tag: NamedTag, models: readonly CatalogModel[]): CatalogModel | undefined {
  if (tag.kind != null && tag.kind !== 'model') return undefined;
  return models.find((model) => model.name === tag.name);
}

/** The tag's name to show an English reader: a model's tag under the catalog's Chinese name reads in its English one. */
export function englishTagName(tag: NamedTag, models: readonly CatalogModel[]): string {
  const model = catalogModel(tag, models);
  return model ? capitalised(model.english) : tag.name;
}

/** A value's name to show an English reader: a value of a model's tag (under the catalog's name) that keeps the catalog's Chinese name reads in its English one. */
export function englishValueName(tag: NamedTag, value: { name: string; key?: string | undefined }, models: readonly CatalogModel[]): string {
  const known = catalogModel(tag, models)?.values.find((candidate) => candidate.name === value.name && (value.key === undefined || candidate.key === value.key));
  return known ? capitalised(known.english) : value.name;
}

/** A stored label (`name: value`, or `name: from → to` for a replacement, in the words the tag had then) to show an English reader, each part as `englishTagName` and `englishValueName` put it. */
export function englishLabel(label: string, models: readonly CatalogModel[], kind?: string | null): string {
  for (const model of models) {
    const prefix = `${model.name}: `;
    if (!label.startsWith(prefix)) continue;
    const tag = { name: model.name, kind };
    if (!catalogModel(tag, models)) return label;
    // A replacement is labelled `name: from → to`: each value reads on its own.
    const values = label.slice(prefix.length).split(' → ').map((name) => englishValueName(tag, { name }, models));
    return `${englishTagName(tag, models)}: ${values.join(' → ')}`;
  }
  return label;
}

/**
 * A tag's description to show an English reader. A model describes its tag in Chinese, then on a
 * line of its own in English after the model's English name (`RFM level: Eight levels …`): that
 * line alone reads in English (`Lifecycle: Prospect …` for `lifecycle: …`). A description an
 * operator wrote reads as written.
 */
export function englishTagDescription(tag: NamedTag, description: string, models: readonly CatalogModel[]): string {
  const model = catalogModel(tag, models);
  if (!model) return description;
  const english = description.slice(description.indexOf('\n') + 1);
  return description.includes('\n') && english.startsWith(`${model.english}: `) ? capitalised(english) : description;
}
