// A model's value in the console's language. The catalog names each value in English beside the
// Chinese name the workspace's tag stores; a value renamed in the workspace since is the
// workspace's own word (data, not the catalog's text) and reads as it was written.
import { capitalised, type CatalogValue } from '../../../../../src/core/models/model-words.js';

// A value as the catalog names it (`GET /models` gives them with the model's current parameters).
export type { CatalogValue };
export { capitalised };

/** The value's name to show: the catalog's English one in English while the workspace keeps the catalog's Chinese name. */
export function modelValueName(value: { key: string; name: string }, catalog: readonly CatalogValue[] | undefined, lang: string): string {
  if (lang !== 'en-US') return value.name;
  const known = catalog?.find((item) => item.key === value.key);
  return known && known.name === value.name ? capitalised(known.english) : value.name;
}
