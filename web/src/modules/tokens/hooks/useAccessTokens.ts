// The access tokens of this server, revoked ones too, newest first; asked for only by an administrator.
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { AccessTokenList } from '../utils/types';

export function useAccessTokens(enabled: boolean) {
  return useApiQuery<AccessTokenList>(enabled ? '/tokens' : null);
}
