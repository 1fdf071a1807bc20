// A tag change's stored label (`name: value`, written in the words the tag had then) in the
// console's language. A model's tag keeps the catalog's Chinese words unless an operator renamed
// it: a label in those words reads in the catalog's English ones in English (RFM等级: 重要价值客户 →
// RFM level: Important value), as the charts name the values; words an operator chose read as written.
import { capitalised, type CatalogValue } from './modelValueName.js';

/** A model as `GET /models` gives it: its name, its English name and its values with the current parameters. */
export interface CatalogModel {
  name: string;
  english: string;
  values: readonly CatalogValue[];
}

/** The label to show: in English, the catalog's Chinese tag name and value name put in its English words. */
export function modelLabel(label: string, models: readonly CatalogModel[], lang: string): string {
  if (lang !== 'en-US') return label;
  for (const model of models) {
    const prefix = `${model.name}: `;
    if (!label.startsWith(prefix)) continue;
    const value = model.values.find((candidate) => candidate.name === label.slice(prefix.length));
    if (value) return `${capitalised(model.english)}: ${capitalised(value.english)}`;
  }
  return label;
}
