// What every page reads: the workspace, who acts (and what they may do), and the language.
import { createContext } from 'react';
import type { MessageKey } from './messages';
import type { AccessJson } from './types';

export type Lang = 'zh-CN' | 'en-US';

export interface SessionState {
  workspace: string;
  actor: string;
  lang: Lang;
  /** The signed-in user's access token, when the server asks for one. */
  token: string | undefined;
  /** The server's answer to GET /session; undefined until it has come. */
  access: AccessJson | undefined;
  /** Why the user is back at the sign-in screen (a revoked token, say), in the server's words. */
  signInNotice: string | undefined;
  /** The workspace's time zone, minutes east of UTC, that times are shown in; undefined until the server has said it. */
  utcOffsetMinutes: number | undefined;
  setWorkspace: (workspace: string) => void;
  /** Shows times in another zone for a workspace moved to it (its settings changed here). */
  setWorkspaceZone: (workspace: string, utcOffsetMinutes: number) => void;
  setActor: (actor: string) => void;
  setLang: (lang: Lang) => void;
  /** Checks the token with the server and keeps it; rejects with the server's ApiError when it is refused. */
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(`tagbase.${key}`);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(`tagbase.${key}`, value);
  } catch {
    // Private windows may refuse storage; the choice then lasts for the visit.
  }
}

export function removeStored(key: string): void {
  try {
    localStorage.removeItem(`tagbase.${key}`);
  } catch {
    // Nothing was kept where storage is refused.
  }
}
