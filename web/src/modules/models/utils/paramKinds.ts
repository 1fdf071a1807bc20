// How a model parameter is edited, read from its current value: the API sends defaults for
// every parameter, so the form needs no copy of the server's schemas.
export type ParamKind = 'threshold' | 'number' | 'numbers' | 'strings' | 'text' | 'boolean';

/**
 * Parameters a model takes but has no default for: the API leaves them out until they are set,
 * so the form would have no value to read their kind from.
 */
export const OPTIONAL_PARAMS: Record<string, Record<string, 'text' | 'number'>> = {
  personas: { home_city: 'text' },
};

const THRESHOLD_KEYS = new Set(['recency', 'frequency', 'monetary']);

export function paramKind(key: string, value: unknown): ParamKind {
  if (THRESHOLD_KEYS.has(key) || value === 'mean' || value === 'median') return 'threshold';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return value.every((item) => typeof item === 'number') && value.length > 0 ? 'numbers' : 'strings';
  return 'text';
}

/** A list typed as tags back into the parameter's list: numbers stay numbers. */
export function listValue(kind: ParamKind, items: string[]): (string | number)[] {
  return kind === 'numbers' ? items.map((item) => (item.trim() !== '' && Number.isFinite(Number(item)) ? Number(item) : item)) : items;
}
