// The columns the operator last chose to add to exports of members in this workspace, kept in the
// browser as the workspace and language are, and the same for every export button on the page.
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { readExportColumns, type ExportColumns } from '../utils/exportColumns';
import { readStored, writeStored } from '../utils/sessionContext';
import { useSession } from './useSession';

const listeners = new Set<() => void>();
// Where the browser refuses storage (a private window), the choice lasts for the visit.
const memory = new Map<string, string>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useExportColumns(): [ExportColumns, (columns: ExportColumns) => void] {
  const { workspace } = useSession();
  const key = `exportColumns.${workspace}`;
  // The stored text is the snapshot: a string compares equal from read to read, a parsed object would not.
  const stored = useSyncExternalStore(subscribe, () => readStored(key) ?? memory.get(key) ?? null);
  const columns = useMemo(() => readExportColumns(stored), [stored]);
  const choose = useCallback(
    (next: ExportColumns) => {
      memory.set(key, JSON.stringify(next));
      writeStored(key, JSON.stringify(next));
      for (const listener of listeners) listener();
    },
    [key],
  );
  return [columns, choose];
}
