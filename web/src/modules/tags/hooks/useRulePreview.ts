// Live counts per value of a rule tag being edited (debounced `POST /tags/preview`), and the
// diagnostics of a condition that does not compile, by value key.
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { ApiError } from '../../app/utils/api';
import { useDebounced } from '../../expression/hooks/useDebounced';

export interface RuleDiagnostic {
  line: number;
  column: number;
  /** Where the problem is in the condition, in UTF-16 units, as the server counts. */
  offset: number;
  length: number;
  message: string;
}

export interface RulePreview {
  counts: Map<string, number> | undefined;
  customers: number | undefined;
  errors: Map<string, RuleDiagnostic[]>;
  detail: string | undefined;
  pending: boolean;
}

/** RULE_INVALID names the value and place as `value:line:column` in each error's path. */
function diagnosticsOf(problem: ApiError['problem']): Map<string, RuleDiagnostic[]> {
  const errors = new Map<string, RuleDiagnostic[]>();
  for (const item of (problem.errors ?? []) as { path?: string; message: string; offset?: number; length?: number }[]) {
    const match = /^(.*):(\d+):(\d+)$/.exec(item.path ?? '');
    if (!match?.[1]) continue;
    const list = errors.get(match[1]) ?? [];
    list.push({ line: Number(match[2]), column: Number(match[3]), offset: item.offset ?? -1, length: item.length ?? 0, message: item.message });
    errors.set(match[1], list);
  }
  return errors;
}

export function useRulePreview(definition: unknown, replacing: string | undefined, enabled: boolean): RulePreview {
  const api = useApi();
  const text = JSON.stringify(definition);
  const debounced = useDebounced(text, 350);
  const [state, setState] = useState<Omit<RulePreview, 'pending'> & { answered: string }>({ counts: undefined, customers: undefined, errors: new Map(), detail: undefined, answered: '' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const query = replacing ? `?replacing=${encodeURIComponent(replacing)}` : '';
    api
      .post<{ customers: number; values: { key: string; customers: number }[] }>(`/tags/preview${query}`, JSON.parse(debounced))
      .then((answer) => live && setState({ counts: new Map(answer.values.map((value) => [value.key, value.customers])), customers: answer.customers, errors: new Map(), detail: undefined, answered: debounced }))
      .catch((error: unknown) => {
        if (!live) return;
        const problem = error instanceof ApiError ? error.problem : undefined;
        setState({ counts: undefined, customers: undefined, errors: problem ? diagnosticsOf(problem) : new Map(), detail: problem?.detail ?? String(error), answered: debounced });
      });
    return () => {
      live = false;
    };
  }, [api, debounced, replacing, enabled]);
  return { counts: state.counts, customers: state.customers, errors: state.errors, detail: state.detail, pending: enabled && state.answered !== text };
}
