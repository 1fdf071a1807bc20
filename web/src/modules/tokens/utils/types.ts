// Access tokens as the server answers them: never the token itself, except once when it is made.
import type { Role } from '../../app/utils/types';

export interface AccessToken {
  id: number;
  name: string;
  role: Role;
  /** The workspaces it may act in; null for every one. */
  workspaces: string[] | null;
  created_at: string;
  /** From then on the token is refused; null for never. */
  expires_at: string | null;
  /** To the minute; null for never. */
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AccessTokenList {
  items: AccessToken[];
}

/** The answer to making a token: the only time the token (`tb_…`) travels. */
export interface MadeAccessToken extends AccessToken {
  token: string;
}
