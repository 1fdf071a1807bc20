// How many of the targeted customers a bulk action would really change: those lacking the
// value when assigning, those holding it when removing.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import type { CountJson, TagJson } from '../../app/utils/types';
import { MAX_EXPRESSION, holdsExpression } from '../utils/expressions';

export function useChangingCount(target: string | undefined, tag: TagJson | undefined, value: string | undefined, action: 'assign' | 'remove') {
  const api = useApi();
  const [changing, setChanging] = useState<number | undefined>();
  useEffect(() => {
    setChanging(undefined);
    if (!target || !tag || !value) return;
    const holds = holdsExpression(tag, value);
    const expression = `(${target}) and ${action === 'assign' ? `not ${holds}` : holds}`;
    if (expression.length > MAX_EXPRESSION) return;
    let live = true;
    api
      .post<CountJson>('/segments/count', { expression })
      .then((count) => live && setChanging(count.count))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, target, tag, value, action]);
  return changing;
}
