// How many of the targeted customers a bulk action would really change: those lacking the
// value when assigning, those holding it when removing.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { CountJson, TagJson } from '../../app/utils/types';
import { MAX_EXPRESSION, holdsExpression, idsExpressions } from '../utils/expressions';

/** Everyone an expression matches, or customers picked by id (any number of them). */
export type CountTarget = { expression: string } | { ids: readonly string[] };

/**
 * The number, `undefined` while it is being counted, or `null` when it cannot be (the filter is
 * too long to be combined with the tag, or the count failed): the dialog then goes on without it.
 */
export function useChangingCount(target: CountTarget | undefined, tag: TagJson | undefined, value: string | undefined, action: 'assign' | 'remove') {
  const api = useApi();
  const [changing, setChanging] = useState<number | null | undefined>();
  useEffect(() => {
    setChanging(undefined);
    if (!target || !tag || !value) return;
    const holds = holdsExpression(tag, value);
    const changes = (who: string) => `(${who}) and ${action === 'assign' ? `not ${holds}` : holds}`;
    // Picked customers are counted in as many pieces as their ids need, then added up.
    const expressions = 'expression' in target ? [changes(target.expression)] : idsExpressions(target.ids, MAX_EXPRESSION - changes('').length).map(changes);
    if (expressions.some((expression) => expression.length > MAX_EXPRESSION)) {
      setChanging(null);
      return;
    }
    let live = true;
    Promise.all(expressions.map((expression) => api.post<CountJson>('/segments/count', { expression })))
      .then((counts) => live && setChanging(counts.reduce((sum, count) => sum + count.count, 0)))
      .catch(() => live && setChanging(null));
    return () => {
      live = false;
    };
  }, [api, target, tag, value, action]);
  return changing;
}
