import { useContext } from 'react';
import { SessionContext, type SessionState } from '../utils/sessionContext';

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
