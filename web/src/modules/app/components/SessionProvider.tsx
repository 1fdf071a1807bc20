import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, UNAUTHORIZED_EVENT, requestJson, type UnauthorizedDetail } from '../utils/api';
import { fillMessage } from '../utils/format';
import { enUS, zhCN, type MessageKey } from '../utils/messages';
import { SessionContext, readStored, removeStored, writeStored, type Lang, type SessionState } from '../utils/sessionContext';
import type { AccessJson } from '../utils/types';

/** A server that predates access tokens lets everyone do everything, as it always did. */
const OPEN_ACCESS: AccessJson = { auth_required: false, authenticated: false, name: null, role: 'admin', permissions: ['read', 'write', 'export', 'admin'], personal_data: 'full', workspaces: null };

export function SessionProvider({ children }: { children: ReactNode }) {
  const [workspace, setWorkspaceState] = useState(() => readStored('workspace') ?? '');
  const [actor, setActorState] = useState(() => readStored('actor') ?? '');
  const [lang, setLangState] = useState<Lang>(() => (readStored('lang') === 'en-US' ? 'en-US' : 'zh-CN'));
  const [token, setToken] = useState<string | undefined>(() => readStored('token') ?? undefined);
  const [access, setAccess] = useState<AccessJson>();
  const [signInNotice, setSignInNotice] = useState<string>();
  const [generation, setGeneration] = useState(0);
  // The listener below outlives renders; it compares a refused request's token with this one.
  const tokenInUse = useRef(token);
  useEffect(() => {
    tokenInUse.current = token;
  }, [token]);

  useEffect(() => {
    let live = true;
    requestJson<AccessJson>({ workspace: '', actor: '', lang, token }, 'GET', '/session')
      .then((answer) => live && setAccess(answer))
      .catch((error: unknown) => {
        // A refused token is the unauthorized listener's to handle.
        if (!live || (error instanceof ApiError && error.problem.status === 401)) return;
        setAccess(OPEN_ACCESS);
      });
    return () => {
      live = false;
    };
  }, [token, lang, generation]);

  useEffect(() => {
    const onUnauthorized = (event: Event) => {
      const { token: refused, problem } = (event as CustomEvent<UnauthorizedDetail>).detail;
      // A sign-in attempt, or a request from before the last sign-in or sign-out.
      if (refused !== tokenInUse.current) return;
      if (refused) {
        tokenInUse.current = undefined;
        removeStored('token');
        setToken(undefined);
        setSignInNotice(problem.detail);
      }
      setAccess(undefined);
      setGeneration((n) => n + 1);
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

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
    setLangState(value);
  }, []);
  // The page's language as the console speaks it, from the first screen on (English chosen on an
  // earlier visit too): the browser picks its fonts, and a screen reader its voice, by it. The
  // window's title too, which index.html gives in Chinese: a tab, a bookmark and the history list show it.
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = (lang === 'en-US' ? enUS : zhCN)['app.title'];
  }, [lang]);
  const signIn = useCallback(
    async (candidate: string) => {
      const answer = await requestJson<AccessJson>({ workspace: '', actor: '', lang, token: candidate }, 'GET', '/session');
      writeStored('token', candidate);
      setSignInNotice(undefined);
      setAccess(answer);
      setToken(candidate);
    },
    [lang],
  );
  const signOut = useCallback(() => {
    removeStored('token');
    setSignInNotice(undefined);
    setAccess(undefined);
    setToken(undefined);
  }, []);
  // The workspaces' time zones, read again when the workspace is one not seen yet (one just made).
  const [zones, setZones] = useState<ReadonlyMap<string, number>>(new Map());
  const zonesKnown = useRef(zones);
  const readable = access !== undefined && (!access.auth_required || access.authenticated);
  useEffect(() => {
    if (!readable || zonesKnown.current.has(workspace)) return;
    let live = true;
    requestJson<{ items: { key: string; utc_offset_minutes?: number }[] }>({ workspace: '', actor: '', lang, token }, 'GET', '/workspaces')
      .then((answer) => {
        if (!live) return;
        const read = new Map(answer.items.flatMap((item) => (item.utc_offset_minutes === undefined ? [] : [[item.key, item.utc_offset_minutes] as const])));
        zonesKnown.current = read;
        setZones(read);
      })
      // Times then stay in the browser's zone; the page's own requests say what went wrong.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [readable, workspace, token, lang]);
  const setWorkspaceZone = useCallback((key: string, minutes: number) => {
    setZones((previous) => {
      const next = new Map(previous).set(key, minutes);
      zonesKnown.current = next;
      return next;
    });
  }, []);
  const utcOffsetMinutes = zones.get(workspace);
  const t = useCallback((key: MessageKey, vars?: Record<string, string | number>) => fillMessage((lang === 'en-US' ? enUS : zhCN)[key], lang, vars), [lang]);
  const value = useMemo<SessionState>(
    () => ({ workspace, actor, lang, token, access, signInNotice, utcOffsetMinutes, setWorkspace, setWorkspaceZone, setActor, setLang, signIn, signOut, t }),
    [workspace, actor, lang, token, access, signInNotice, utcOffsetMinutes, setWorkspace, setWorkspaceZone, setActor, setLang, signIn, signOut, t],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
