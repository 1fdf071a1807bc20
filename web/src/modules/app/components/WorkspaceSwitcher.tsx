import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useApiQuery } from '../hooks/useApiQuery';
import { usePermissions } from '../hooks/usePermissions';
import { useSession } from '../hooks/useSession';
import { useWorkspaceChange } from '../hooks/useWorkspaceChange';
import { WorkspaceCreateDialog, type WorkspaceJson } from './WorkspaceCreateDialog';
import { WorkspaceEditDialog } from './WorkspaceEditDialog';
import { lastListedWorkspaces, rememberListedWorkspaces } from '../utils/listedWorkspaces';
import { workspaceLabel } from '../utils/workspaceLabel';

/** The values of the list's two actions, which no workspace key can be (a key has no space). */
const EDIT = ' edit';
const CREATE = ' create';

/**
 * Picks the workspace; the demo one when nothing was chosen before and it exists. An administrator
 * over every workspace makes new ones here, and an administrator renames the one in use or moves it
 * to another time zone (one limited to some workspaces too: the server lets them, in theirs); one
 * over every workspace deletes it there, and the console then acts in the default one.
 */
export function WorkspaceSwitcher() {
  const { workspace, setWorkspace, t, token } = useSession();
  // The operator's own moves leave the last workspace's choices in the address behind; the first
  // pick below keeps a link's address, which was opened for the workspace it picks.
  const changeWorkspace = useWorkspaceChange();
  const { can, serverWide } = usePermissions();
  const { data, reload } = useApiQuery<{ items: WorkspaceJson[] }>('/workspaces');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  const items = data?.items;
  if (items) rememberListedWorkspaces(token, items);
  // Read again after a switch, and by a switcher mounted again (the layout changes between phone and
  // desktop): the list last read names the workspace at once meanwhile.
  const shown = items ?? lastListedWorkspaces(token);
  // A token limited to some workspaces may not make one (the server refuses it too).
  const mayCreate = serverWide;
  const current = shown?.find((item) => item.key === workspace);
  const mayEdit = can('admin') && current !== undefined;
  // A workspace made since the list was read (one just made here, the demo loaded from the
  // overview, a command in a terminal) is not in it: read it again once before choosing another.
  const [lookedAgain, setLookedAgain] = useState<{ workspace: string; before: WorkspaceJson[] }>();
  useEffect(() => {
    if (!items || items.some((item) => item.key === workspace)) return;
    if (workspace && lookedAgain?.workspace !== workspace) {
      setLookedAgain({ workspace, before: items });
      reload();
      return;
    }
    if (lookedAgain?.before === items) return;
    // A token limited to some workspaces lists only those: the first of them, then.
    const preferred = ['demo', 'default'].find((key) => items.some((item) => item.key === key)) ?? items[0]?.key;
    if (preferred !== undefined) setWorkspace(preferred);
  }, [items, workspace, setWorkspace, lookedAgain, reload]);
  const created = (workspaceMade?: WorkspaceJson) => {
    setCreating(false);
    if (workspaceMade) changeWorkspace(workspaceMade.key);
  };
  return (
    <>
      <Select
        data-testid="workspace-switcher"
        aria-label={t('session.workspace')}
        style={{ minWidth: 180 }}
        // Until the list is read the first time, its key alone would show: nothing is shown instead.
        value={(shown && workspace) || undefined}
        loading={!shown}
        onChange={(key: string) => (key === EDIT ? setEditing(true) : key === CREATE ? setCreating(true) : changeWorkspace(key))}
        // The workspaces, then 修改/新建 as options of the same list: reached by the arrows and
        // chosen by Enter as a workspace is (buttons under the list were beyond the keyboard's reach).
        options={[
          // The workspace every installation starts with is named by the server in English; its name in the console's language.
          // One being deleted answers nothing any more: listed, not chosen.
          ...(shown ?? []).map((item) =>
            item.deleting ? { value: item.key, label: t('workspaces.beingDeleted', { name: workspaceLabel(t, item) }), disabled: item.key !== workspace } : { value: item.key, label: workspaceLabel(t, item) },
          ),
          ...(mayEdit ? [{ value: EDIT, label: <span><EditOutlined aria-hidden /> {t('workspaces.edit')}</span>, 'data-testid': 'workspace-edit', className: 'tb-workspace-action' }] : []),
          ...(mayCreate ? [{ value: CREATE, label: <span><PlusOutlined aria-hidden /> {t('workspaces.create')}</span>, 'data-testid': 'workspace-create', className: mayEdit ? undefined : 'tb-workspace-action' }] : []),
        ]}
      />
      {creating && <WorkspaceCreateDialog onClose={created} />}
      {editing && current && (
        <WorkspaceEditDialog
          workspace={current}
          onClose={(saved) => {
            setEditing(false);
            if (saved) reload();
          }}
          onDeleted={() => {
            setEditing(false);
            changeWorkspace('default');
            reload();
          }}
        />
      )}
    </>
  );
}
