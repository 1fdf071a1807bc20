// A move to another workspace chosen by the operator, which leaves the last one's choices behind.
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { addressInWorkspace } from '../utils/workspaceAddress';
import { useSession } from './useSession';

/**
 * Switches to the workspace and shows the page at its start there (`addressInWorkspace`), or at
 * `to`. The address is replaced, not pushed: Back would otherwise open the last workspace's
 * portrait or tag under the new workspace's name.
 */
export function useWorkspaceChange() {
  const { setWorkspace } = useSession();
  const navigate = useNavigate();
  return useCallback(
    (key: string, to?: string) => {
      const target = to ?? addressInWorkspace(window.location.pathname, window.location.search);
      setWorkspace(key);
      void navigate(target, { replace: true });
    },
    [setWorkspace, navigate],
  );
}
