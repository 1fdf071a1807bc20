// Making and revoking access tokens, with what each does to the console's own session: the first
// token closes the API, revoking one's own token ends the session, and revoking the last live one
// opens the API again.
import { useCallback } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { ApiError } from '../../app/utils/api';
import type { AccessJson, Role } from '../../app/utils/types';
import type { MadeAccessToken } from '../utils/types';

/**
 * After a revocation: nothing else changed, the API is open again (the last live token went), or
 * the session has ended (the token in use went while others remain).
 */
export type RevokeOutcome = 'kept' | 'opened' | 'ended';

export function useAccessTokenChanges() {
  const api = useApi();
  const { access, token, signIn, signOut } = useSession();
  const open = access?.auth_required === false;

  const create = useCallback(
    async (input: { name: string; role: Role; expires_in_days?: number; workspaces?: string[] }): Promise<MadeAccessToken> => {
      const made = await api.post<MadeAccessToken>('/tokens', input);
      if (open) {
        // From now on every call needs a token; without this one the next call would send the user to sign in.
        try {
          await signIn(made.token);
        } catch {
          // The server that has just made the token refused it only if it went away; the token is
          // still shown, and the sign-in screen takes it once the server is back.
        }
      }
      return made;
    },
    [api, open, signIn],
  );

  const revoke = useCallback(
    async (name: string): Promise<RevokeOutcome> => {
      await api.del(`/tokens/${encodeURIComponent(name)}`);
      try {
        const now = await api.get<AccessJson>('/session');
        if (now.auth_required) return 'kept';
        // The last live token is gone and the API is open again: a token kept now would be refused as soon as another one is made.
        if (token) signOut();
        return 'opened';
      } catch (error) {
        // A 401: the token in use was the one revoked, and the session has already gone back to
        // sign-in. Anything else: the revocation itself is done all the same.
        return error instanceof ApiError && error.problem.status === 401 ? 'ended' : 'kept';
      }
    },
    [api, token, signOut],
  );

  return { create, revoke };
}
