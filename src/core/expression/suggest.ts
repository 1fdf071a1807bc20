// "Did you mean" for the checker: the nearest name by edit distance, or else the one
// candidate that contains what was typed, since operators often type a short form
// ("成熟" for "成熟客户") that is too far by edits alone.
import { nearestName } from '../names.js';

export function suggestName(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const nearest = nearestName(input, list);
  if (nearest !== undefined || input.length === 0) return nearest;
  const needle = input.toLowerCase();
  const containing = [...new Set(list.filter((candidate) => candidate.toLowerCase().includes(needle)))];
  return containing.length === 1 ? containing[0] : undefined;
}
