// Why a post did not get through, in words: the server reports the network's own codes
// (ECONNREFUSED, ENOTFOUND …), which say little to whoever sets a receiver up.
import type { MessageKey } from '../../app/utils/messages';

const CODES: Record<string, MessageKey> = {
  ECONNREFUSED: 'webhooks.problem.refused',
  ENOTFOUND: 'webhooks.problem.notFound',
  EAI_AGAIN: 'webhooks.problem.notFound',
  ETIMEDOUT: 'webhooks.problem.timeout',
  TimeoutError: 'webhooks.problem.timeout',
  ECONNRESET: 'webhooks.problem.reset',
  EHOSTUNREACH: 'webhooks.problem.unreachable',
  ENETUNREACH: 'webhooks.problem.unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'webhooks.problem.certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'webhooks.problem.certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'webhooks.problem.certificate',
  CERT_HAS_EXPIRED: 'webhooks.problem.certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'webhooks.problem.certificate',
};

/** The problem in words with its code after it (`连接被拒绝… (ECONNREFUSED)`); an HTTP status or an unknown code as it is. */
export function problemInWords(t: (key: MessageKey) => string, problem: string): string {
  const key = CODES[problem] ?? (/timeout/i.test(problem) ? 'webhooks.problem.timeout' : undefined);
  return key === undefined ? problem : `${t(key)} (${problem})`;
}
