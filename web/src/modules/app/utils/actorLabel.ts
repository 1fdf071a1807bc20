import type { SessionState } from './sessionContext';

/**
 * Who did something, in words: someone at the console who left the name empty is recorded as
 * `console` (控制台（未署名）); nobody at all is a dash.
 */
export function actorLabel(t: SessionState['t'], actor: string | null | undefined): string {
  if (actor === null || actor === undefined || actor === '') return '—';
  return actor === 'console' ? t('history.actor.console') : actor;
}
