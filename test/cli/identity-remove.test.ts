// `tagbase customer identity remove CUSTOMER KIND VALUE`: one identity taken away from a
// customer, the value read as it was written, a readable line when there is no such identity,
// and an audit entry with the value masked — on a temporary SQLite file, run in the test's process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { openStore } from '../../src/store/connect.js';
import { tagbaseHere } from './run-tagbase.js';

describe('tagbase customer identity remove', () => {
  it('removes a phone written another way, says so in both languages, refuses what the customer does not hold, and is recorded masked', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cli-identity-')), 'store.db');
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    const store = await openStore(database);
    try {
      const context = await openWorkspace(store, 'default', 'cli', () => new Date());
      await upsertCustomers(context, [{ id: 'C1', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'member_card', value: 'VIP-0001' }] }]);
    } finally {
      await store.close();
    }
    const removed = await tagbaseHere(['customer', 'identity', 'remove', 'C1', 'phone', '+86 138-0013-8000', '-a', '导购-王芳', '--database', database]);
    expect([removed.code, removed.stdout, removed.stderr]).toEqual([0, 'removed phone 13800138000 from customer "C1"\n', '']);
    const chinese = await tagbaseHere(['customer', 'identity', 'remove', 'C1', 'member_card', 'VIP-0001', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(chinese.stdout).toBe('已移除客户「C1」的会员卡号「VIP-0001」\n');

    const again = await tagbaseHere(['customer', 'identity', 'remove', 'C1', 'phone', '13800138000', '--database', database]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Customer "C1" has no phone "13800138000".');
    const nobody = await tagbaseHere(['customer', 'identity', 'remove', 'C9', 'phone', '13800138000', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(nobody.stderr).toContain('客户「C9」不存在。');
    expect((await tagbaseHere(['customer', 'identity', 'remove', 'C1', 'fax', '1', '--database', database])).code).not.toBe(0);

    const shown = JSON.parse((await tagbaseHere(['customer', 'show', 'C1', '--json', '--database', database])).stdout) as { has_phone: boolean; identities: unknown[] };
    expect(shown).toMatchObject({ has_phone: false, identities: [] });
    const trail = await tagbaseHere(['audit', '--json', '--database', database]);
    expect(trail.stdout).toContain('/customers/C1/identities/phone/138****8000');
    expect(trail.stdout).not.toContain('13800138000');
  });
});
