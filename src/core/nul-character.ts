// Text may not hold the NUL character (U+0000): PostgreSQL cannot store it in a text column and
// SQLite cuts some of its string functions short at it, so the two stores would answer apart.
// Input is refused before it reaches either.

/** The NUL character, written so that the source holds no raw one. */
export const NUL = String.fromCharCode(0);

/**
 * Where in a parsed value a string holds the NUL character: '' for the value itself, a dotted
 * path (`customers.0.name`, with keys too) for one inside it; undefined when none does.
 */
export function nulCharacterPath(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? '' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  for (const [key, item] of entries) {
    if (key.includes(NUL)) return key.replaceAll(NUL, '\\u0000');
    const inner = nulCharacterPath(item);
    if (inner !== undefined) return inner === '' ? key : `${key}.${inner}`;
  }
  return undefined;
}
