// Name helpers shared by every place that resolves a user-typed name: keys, and the
// nearest known name for "did you mean" hints.
import { localized, type LocalizedText } from './locale.js';

/** Keys are what integrations and expressions type: letters (any script), digits, `_` and `-`. */
export const KEY_PATTERN = /^[\p{L}_][\p{L}\p{N}_-]{0,63}$/u;

/** What KEY_PATTERN allows, as a schema says it when a key does not match (Chinese in validation.ts). */
export const KEY_RULE = 'a key is 1-64 letters (Chinese too), digits, "_" or "-", starting with a letter or "_"';
export const KEY_RULE_ZH = '标识为 1–64 个汉字、字母、数字、“_”或“-”，以汉字、字母或“_”开头';

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * Why a key KEY_PATTERN allows cannot name a custom field or a metric, or undefined when it can:
 * `__proto__`, which no JSON body may hold as a key (the API refuses it, as a guard against
 * prototype pollution) and which an object cannot hold as a property of its own, so that a
 * customer's values under it were lost (a field's imported, a metric's computed).
 */
export function unheldKeyText(key: string, what: LocalizedText): LocalizedText | undefined {
  if (key !== '__proto__') return undefined;
  return localized(`"${key}" cannot be ${what.en}'s key: no JSON body may hold it; choose another key`, `「${key}」不能用作${what['zh-CN']}的标识：JSON 请求体中不允许出现它；请换一个标识`);
}

/**
 * Edit distance over code points, so Chinese names compare by character. Two neighbours typed
 * the wrong way round (`ctiy`, `周期生命`) are one edit, the commonest slip of all, as in the
 * optimal string alignment distance; otherwise it is Levenshtein's.
 */
export function editDistance(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  let before: number[] = [];
  let previous = Array.from({ length: right.length + 1 }, (_, i) => i);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * The candidate nearest to `input`, if it is near enough to be a plausible typo: at most a
 * third of the longer name's length away, rounded down. So a single character has no near
 * miss: one edit away, `a` is as near to any other one-letter name as to none.
 */
export function nearestName(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.floor(Math.max(Array.from(input).length, Array.from(best).length) / 3);
  return bestDistance <= limit ? best : undefined;
}

/**
 * For things found by key, then by name (segments, care plans): the other one a new key or name
 * would make unreachable by it — a name that is another's name or key, or a key that is
 * another's name — and the word they would share.
 */
export function nameClash<T extends { key: string; name: string }>(others: Iterable<T>, given: { key?: string | undefined; name?: string | undefined }): { other: T; name: string } | undefined {
  for (const other of others) {
    if (given.name !== undefined && (other.name === given.name || other.key === given.name)) return { other, name: given.name };
    if (given.key !== undefined && other.name === given.key) return { other, name: given.key };
  }
  return undefined;
}

/** The item a user-typed word names: by key first, then by display name, as people type either. */
export function findByKeyOrName<T extends { key: string; name?: string | null | undefined }>(items: readonly T[], keyOrName: string): T | undefined {
  return items.find((item) => item.key === keyOrName) ?? items.find((item) => item.name === keyOrName);
}
