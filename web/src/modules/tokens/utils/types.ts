// Access tokens as the server answers them: never the token itself, except once when it is made.
import type { Role } from '../../app/utils/types';

export interface AccessToken {
  id: number;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

export interface AccessTokenList {
  items: AccessToken[];
}

/** The answer to making a token: the only time the token (`tb_…`) travels. */
export interface MadeAccessToken extends AccessToken {
  token: string;
}
