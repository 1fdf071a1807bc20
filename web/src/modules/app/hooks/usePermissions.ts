// What the signed-in user's role lets them do, so the console offers only that.
import { useCallback } from 'react';
import type { Permission } from '../utils/types';
import { useSession } from './useSession';

export function usePermissions(): {
  can: (permission: Permission) => boolean;
  /** Whether what acts outside any one workspace (access tokens, new workspaces) is theirs: an administrator's, unless the token is limited to some workspaces (the server refuses those calls then). */
  serverWide: boolean;
} {
  const { access } = useSession();
  const can = useCallback((permission: Permission) => access?.permissions.includes(permission) ?? false, [access]);
  return { can, serverWide: can('admin') && (access?.workspaces ?? null) === null };
}
