// Why a post did not get through, in words (the kinds are in src/core/webhook-problems.ts).
import { webhookProblemKind } from '../../../../../src/core/webhook-problems';
import type { MessageKey } from '../../app/utils/messages';

/** The problem in words with its code after it (`连接被拒绝… (ECONNREFUSED)`); an HTTP status or an unknown code as it is. */
export function problemInWords(t: (key: MessageKey) => string, problem: string): string {
  const kind = webhookProblemKind(problem);
  return kind === undefined ? problem : `${t(`webhooks.problem.${kind}`)} (${problem})`;
}
