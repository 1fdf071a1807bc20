import { Select } from 'antd';
import { useEffect } from 'react';
import { useApiQuery } from '../hooks/useApiQuery';
import { useSession } from '../hooks/useSession';

interface Workspace {
  key: string;
  name: string;
}

/** Picks the workspace; the demo one when nothing was chosen before and it exists. */
export function WorkspaceSwitcher() {
  const { workspace, setWorkspace, t } = useSession();
  const { data } = useApiQuery<{ items: Workspace[] }>('/workspaces');
  const items = data?.items;
  useEffect(() => {
    if (!items || items.some((item) => item.key === workspace)) return;
    // A token limited to some workspaces lists only those: the first of them, then.
    const preferred = ['demo', 'default'].find((key) => items.some((item) => item.key === key)) ?? items[0]?.key;
    if (preferred !== undefined) setWorkspace(preferred);
  }, [items, workspace, setWorkspace]);
  return (
    <Select
      data-testid="workspace-switcher"
      aria-label={t('session.workspace')}
      style={{ minWidth: 180 }}
      value={workspace || undefined}
      onChange={setWorkspace}
      options={(items ?? []).map((item) => ({ value: item.key, label: `${item.name} (${item.key})` }))}
    />
  );
}
