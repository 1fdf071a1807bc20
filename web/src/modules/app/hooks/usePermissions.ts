// What the signed-in user's role lets them do, so the console offers only that.
import { useCallback } from 'react';
import type { Permission } from '../utils/types';
import { useSession } from './useSession';

export function usePermissions(): { can: (permission: Permission) => boolean } {
  const { access } = useSession();
  const can = useCallback((permission: Permission) => access?.permissions.includes(permission) ?? false, [access]);
  return { can };
}
