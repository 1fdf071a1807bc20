// Why a webhook's post did not get through, by kind: the deliveries record the network's own
// codes (ECONNREFUSED, ENOTFOUND …, TIMEOUT for no answer in time), which say little to whoever
// sets a receiver up; the console and the command line put each kind in words.

export type WebhookProblemKind = 'refused' | 'notFound' | 'timeout' | 'reset' | 'unreachable' | 'certificate' | 'notTls' | 'notHttp' | 'redirect';

const KINDS: Readonly<Record<string, WebhookProblemKind>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'notFound',
  EAI_AGAIN: 'notFound',
  TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  UND_ERR_SOCKET: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate',
  CERT_HAS_EXPIRED: 'certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate',
  // An https:// URL whose port answers plain HTTP: the handshake reads its first bytes as a record.
  ERR_SSL_WRONG_VERSION_NUMBER: 'notTls',
};

/** The kind of a recorded problem; undefined for an HTTP status (`HTTP 500`) or a code not known here. */
export function webhookProblemKind(problem: string): WebhookProblemKind | undefined {
  // A redirect is recorded as its status and where it points (`HTTP 301 → https://…`): a post is not sent on.
  if (/^HTTP 30[12378]\b/.test(problem)) return 'redirect';
  // Deliveries recorded before timeouts had their code kept the abort's sentence.
  // The HTTP parser's codes (HPE_INVALID_CONSTANT …): what answered on that port is no web server.
  if (/^HPE_[A-Z_]+$/.test(problem)) return 'notHttp';
  return KINDS[problem] ?? (/timeout|timed out/i.test(problem) ? 'timeout' : undefined);
}
