// Text the stores keep alike. The NUL character (U+0000): PostgreSQL cannot store it in a text
// column and SQLite cuts some of its string functions short at it. A lone UTF-16 surrogate
// (\ud800 without its pair): not Unicode, so each store's driver writes it its own way
// (PostgreSQL one U+FFFD, SQLite three), and the stores would answer apart. Input holding
// either is refused before it reaches a store.

/** The NUL character, written so that the source holds no raw one. */
export const NUL = String.fromCharCode(0);

const UNSTORABLE = new RegExp(`${NUL}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`);

/** What a refusal says of such text, in English and Chinese. */
export const UNSTORABLE_TEXT = {
  en: 'text may not hold the NUL character (\\u0000) or a lone surrogate (\\ud800–\\udfff without its pair)',
  zh: '文本中不能含有 NUL 字符（\\u0000）或落单的代理项（\\ud800–\\udfff 未成对）',
} as const;

/**
 * Where in a parsed value a string holds such text: '' for the value itself, a dotted path
 * (`customers.0.name`, with keys too) for one inside it; undefined when none does. A key that
 * holds such text is named as JSON writes it (`a\\u0000b`).
 */
export function unstorableTextPath(value: unknown): string | undefined {
  const place = unstorableTextPlace(value);
  return place === undefined ? undefined : namedSteps(place).join('.');
}

/**
 * Every place in a parsed value where a string holds such text, key by key as `unstorableTextPlace`
 * gives one: a batch's item is refused with all of them at once. Walked without recursion, each
 * step keeping only its parent, so that a value nested thousands deep costs no more than its size.
 */
export function unstorableTextPlaces(value: unknown): string[][] {
  if (!holdsUnstorableText(value)) return [];
  interface Step {
    value: unknown;
    key: string;
    parent: Step | undefined;
    /** A key that holds such text itself: named, and not walked into. */
    badKey: boolean;
  }
  const placeOf = (step: Step): string[] => {
    const keys: string[] = [];
    for (let at: Step | undefined = step; at?.parent !== undefined; at = at.parent) keys.push(at.key);
    return keys.reverse();
  };
  const places: string[][] = [];
  const pending: Step[] = [{ value, key: '', parent: undefined, badKey: false }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const inner = next.value;
    if (next.badKey || (typeof inner === 'string' && UNSTORABLE.test(inner))) places.push(placeOf(next));
    if (next.badKey || inner === null || typeof inner !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(inner) ? inner.map((item, index) => [String(index), item]) : Object.entries(inner);
    // Pushed last first, so that places come out in the order the value holds them.
    for (const [key, item] of entries.reverse()) pending.push({ value: item, key, parent: next, badKey: UNSTORABLE.test(key) });
  }
  return places;
}

/** A character that may start such text: most text has none, and skips the exact pattern's lookarounds. */
const MAYBE_UNSTORABLE = new RegExp(`[${NUL}\\ud800-\\udfff]`);

const unstorable = (text: string) => MAYBE_UNSTORABLE.test(text) && UNSTORABLE.test(text);

/** Whether a parsed value holds such text anywhere, its keys too: every item of every batch is asked, so without building a path. */
function holdsUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (unstorable(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (unstorable(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** A place's steps as a message names them: a key holding such text as JSON writes it (`a\\u0000b`). */
export function namedSteps(place: readonly string[]): string[] {
  return place.map((step) => (UNSTORABLE.test(step) ? JSON.stringify(step).slice(1, -1) : step));
}

/**
 * The same place key by key, as the value holds it (`['customers', '0', 'name']`), for a JSON
 * Pointer: a key holding a dot stays one step. A key that holds such text is the last step.
 */
export function unstorableTextPlace(value: unknown): string[] | undefined {
  return unstorableTextPlaces(value)[0];
}
