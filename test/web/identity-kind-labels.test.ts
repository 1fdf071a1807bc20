// The console names every identity kind in both languages — in the portrait (identity.KIND) and in
// the question taking one away (identityNoun.KIND) — rather than showing its key, which it does
// for a kind its catalogue lacks.
import { describe, expect, it } from 'vitest';
import { IDENTITY_KINDS } from '../../src/core/customer.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';

describe('identity kinds in the console', () => {
  it('each have a name and a noun in both languages', () => {
    const keys = new Set<string>(Object.keys(zhCN));
    const missing = IDENTITY_KINDS.flatMap((kind) => [`identity.${kind}`, `identityNoun.${kind}`]).filter((key) => !keys.has(key));
    expect(missing).toEqual([]);
  });

  it('call a WeCom external contact id so', () => {
    const keys: MessageKey[] = ['identity.wecom_external_userid', 'identityNoun.wecom_external_userid'];
    expect(keys.map((key) => [zhCN[key], enUS[key]])).toEqual([
      ['企业微信外部联系人ID', 'WeCom external contact ID'],
      ['企业微信外部联系人ID', 'WeCom external contact ID'],
    ]);
  });
});
