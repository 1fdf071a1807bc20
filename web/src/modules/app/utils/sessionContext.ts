// What every page reads: the workspace, who acts, and the language.
import { createContext } from 'react';
import type { MessageKey } from './messages';

export type Lang = 'zh-CN' | 'en-US';

export interface SessionState {
  workspace: string;
  actor: string;
  lang: Lang;
  setWorkspace: (workspace: string) => void;
  setActor: (actor: string) => void;
  setLang: (lang: Lang) => void;
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
