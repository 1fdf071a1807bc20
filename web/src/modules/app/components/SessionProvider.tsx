import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { enUS, zhCN, type MessageKey } from '../utils/messages';
import { SessionContext, readStored, writeStored, type Lang, type SessionState } from '../utils/sessionContext';

function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [workspace, setWorkspaceState] = useState(() => readStored('workspace') ?? '');
  const [actor, setActorState] = useState(() => readStored('actor') ?? '');
  const [lang, setLangState] = useState<Lang>(() => (readStored('lang') === 'en-US' ? 'en-US' : 'zh-CN'));
  const setWorkspace = useCallback((value: string) => {
    writeStored('workspace', value);
    setWorkspaceState(value);
  }, []);
  const setActor = useCallback((value: string) => {
    writeStored('actor', value);
    setActorState(value);
  }, []);
  const setLang = useCallback((value: Lang) => {
    writeStored('lang', value);
    document.documentElement.lang = value;
    setLangState(value);
  }, []);
  const t = useCallback((key: MessageKey, vars?: Record<string, string | number>) => fill((lang === 'en-US' ? enUS : zhCN)[key], vars), [lang]);
  const value = useMemo<SessionState>(() => ({ workspace, actor, lang, setWorkspace, setActor, setLang, t }), [workspace, actor, lang, setWorkspace, setActor, setLang, t]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
