// How many of the targeted customers a bulk action would really change: those lacking the
// value when assigning, those holding it when removing; and, assigning a value of a
// single-valued tag, how many of them hold another value of it, which the new one replaces.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { CountJson, TagJson } from '../../app/utils/types';
import { MAX_EXPRESSION, holdsExpression, idsExpressions } from '../utils/expressions';

/** Everyone an expression matches, or customers picked by id (any number of them). */
export type CountTarget = { expression: string } | { ids: readonly string[] };

export interface ChangingCount {
  changing: number;
  /** Of those, the ones whose other value of the (single-valued) tag gives way: 0 for a multi-valued tag or a removal. */
  replacing: number;
}

/**
 * The numbers, `undefined` while they are being counted, or `null` when they cannot be (the
 * filter is too long to be combined with the tag, or the count failed): the dialog then goes on without them.
 */
export function useChangingCount(target: CountTarget | undefined, tag: TagJson | undefined, value: string | undefined, action: 'assign' | 'remove') {
  const api = useApi();
  const [counted, setCounted] = useState<ChangingCount | null | undefined>();
  useEffect(() => {
    setCounted(undefined);
    if (!target || !tag || !value) return;
    const holds = holdsExpression(tag, value);
    const changes = action === 'assign' ? `not ${holds}` : holds;
    const replaces = action === 'assign' && tag.cardinality !== 'multi' ? `\`${tag.key}\` exists and not ${holds}` : undefined;
    // The filter's closing parenthesis on a line of its own: a comment it ends with runs to the end of its line.
    const combined = (part: string, condition: string) => `(${part}\n) and ${condition}`;
    const longest = combined('', replaces ?? changes).length;
    // Picked customers are counted in as many pieces as their ids need, then added up.
    const who = 'expression' in target ? [target.expression] : idsExpressions(target.ids, MAX_EXPRESSION - longest);
    if (who.some((part) => part.length + longest > MAX_EXPRESSION)) {
      setCounted(null);
      return;
    }
    const total = async (condition: string | undefined) =>
      condition === undefined ? 0 : (await Promise.all(who.map((part) => api.post<CountJson>('/segments/count', { expression: combined(part, condition) })))).reduce((sum, count) => sum + count.count, 0);
    let live = true;
    Promise.all([total(changes), total(replaces)])
      .then(([changing, replacing]) => live && setCounted({ changing, replacing }))
      .catch(() => live && setCounted(null));
    return () => {
      live = false;
    };
  }, [api, target, tag, value, action]);
  return counted;
}
