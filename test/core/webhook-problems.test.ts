// What a webhook's recorded problem is, by kind, for the console and the command line to put in words.
import { describe, expect, it } from 'vitest';
import { webhookProblemKind } from '../../src/core/webhook-problems.js';

describe('webhook problems', () => {
  it('knows the network codes the deliveries record, and timeouts however they were recorded', () => {
    expect(webhookProblemKind('ECONNREFUSED')).toBe('refused');
    expect(webhookProblemKind('EAI_AGAIN')).toBe('notFound');
    expect(webhookProblemKind('TIMEOUT')).toBe('timeout');
    expect(webhookProblemKind('The operation was aborted due to timeout')).toBe('timeout');
    expect(webhookProblemKind('CERT_HAS_EXPIRED')).toBe('certificate');
  });

  it('knows an https:// URL whose port answers plain HTTP, and a port that answers something else than HTTP', () => {
    expect(webhookProblemKind('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('notTls');
    expect(webhookProblemKind('HPE_INVALID_CONSTANT')).toBe('notHttp');
    expect(webhookProblemKind('HPE_INVALID_VERSION')).toBe('notHttp');
  });

  it('knows a redirect, which a webhook does not follow, from the status and where it points', () => {
    expect(webhookProblemKind('HTTP 301 → https://crm.example.com/hooks/')).toBe('redirect');
    expect(webhookProblemKind('HTTP 302')).toBe('redirect');
    expect(webhookProblemKind('HTTP 308 → https://crm.example.com/hooks')).toBe('redirect');
    expect(webhookProblemKind('HTTP 304')).toBeUndefined();
  });

  it('leaves an HTTP status and an unknown code to be shown as they are', () => {
    expect(webhookProblemKind('HTTP 500')).toBeUndefined();
    expect(webhookProblemKind('EPROTO')).toBeUndefined();
  });
});
