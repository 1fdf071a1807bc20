// A model's condition for reading: the metrics a model defines for itself have keys made for the
// engine (`interest_views_1k2x9`, one per category), so they read by their names; everything else
// (operators, numbers, quoted words, built-in metrics an operator writes in expressions) as written.

export type ConditionPart = { text: string } | { metric: string; name: string };

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The condition in pieces: text as written, and each metric of `names` by its name (its key kept beside). */
export function conditionParts(condition: string, names: ReadonlyMap<string, string>): ConditionPart[] {
  const parts: ConditionPart[] = [];
  let text = '';
  let at = 0;
  while (at < condition.length) {
    const char = condition.charAt(at);
    if (char === '"') {
      // A quoted word is a value, never a metric, whatever it spells; `\"` does not end it.
      let end = at + 1;
      while (end < condition.length && condition.charAt(end) !== '"') end += condition.charAt(end) === '\\' ? 2 : 1;
      text += condition.slice(at, end + 1);
      at = end + 1;
      continue;
    }
    IDENTIFIER.lastIndex = at;
    const word = /[A-Za-z0-9_]/.test(condition.charAt(at - 1)) ? null : IDENTIFIER.exec(condition);
    if (word) {
      const name = names.get(word[0]);
      if (name === undefined) text += word[0];
      else {
        if (text) parts.push({ text });
        text = '';
        parts.push({ metric: word[0], name });
      }
      at += word[0].length;
      continue;
    }
    text += char;
    at += 1;
  }
  if (text) parts.push({ text });
  return parts;
}
