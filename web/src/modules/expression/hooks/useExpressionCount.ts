// Counts an expression as it is typed (debounced), keeping the diagnostics of a bad one.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError, type ExpressionDiagnostic } from '../../app/utils/api';
import type { CountJson } from '../../app/utils/types';
import { useDebounced } from './useDebounced';

export interface ExpressionCount {
  /** The expression the answer is about: empty, or one that checked. */
  settled: string;
  count: CountJson | undefined;
  diagnostics: ExpressionDiagnostic[];
  detail: string | undefined;
  /** The server refused the expression itself (4xx), as opposed to not answering (the database out of reach, 5xx, the network). */
  refused: boolean;
  pending: boolean;
}

/** `revision` counts the same expression again when it changes: the saved segments it may read were changed, say. */
export function useExpressionCount(expression: string, ms = 300, revision = ''): ExpressionCount {
  const api = useApi();
  const debounced = useDebounced(expression.trim(), ms);
  const [state, setState] = useState<Omit<ExpressionCount, 'pending'>>({ settled: '', count: undefined, diagnostics: [], detail: undefined, refused: false });
  const [answered, setAnswered] = useState('');
  useEffect(() => {
    let live = true;
    if (debounced === '') {
      setState({ settled: '', count: undefined, diagnostics: [], detail: undefined, refused: false });
      setAnswered('');
      return;
    }
    api
      .post<CountJson>('/segments/count', { expression: debounced })
      .then((count) => live && setState({ settled: debounced, count, diagnostics: [], detail: undefined, refused: false }))
      .catch((error: unknown) => {
        if (!live) return;
        const problem = error instanceof ApiError ? error.problem : undefined;
        const refused = problem !== undefined && problem.status >= 400 && problem.status < 500;
        setState((previous) => ({ ...previous, count: undefined, diagnostics: problem?.errors ?? [], detail: problem?.detail ?? String(error), refused }));
      })
      .finally(() => live && setAnswered(debounced));
    return () => {
      live = false;
    };
  }, [debounced, api, revision]);
  return { ...state, pending: expression.trim() !== answered };
}
