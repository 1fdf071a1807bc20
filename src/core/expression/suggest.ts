// "Did you mean" for the checker: the nearest name by edit distance, or else the one
// candidate that contains what was typed, since operators often type a short form
// ("成熟" for "成熟客户") that is too far by edits alone, or else the one candidate that what
// was typed contains, as a word said in full ("女性" for the option "女").
import { nearestName } from '../names.js';

export function suggestName(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const nearest = nearestName(input, list);
  if (nearest !== undefined || input.length === 0) return nearest;
  const needle = input.toLowerCase();
  const containing = [...new Set(list.filter((candidate) => candidate.toLowerCase().includes(needle)))];
  if (containing.length === 1) return containing[0];
  if (containing.length > 1) return undefined;
  const contained = [...new Set(list.filter((candidate) => candidate.length > 0 && needle.includes(candidate.toLowerCase())))];
  return contained.length === 1 ? contained[0] : undefined;
}
