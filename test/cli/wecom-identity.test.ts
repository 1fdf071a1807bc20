// A WeCom (企业微信) external contact's id on the command line: `customer show --by
// wecom_external_userid`, `customer find` by it, and the portrait naming it in both languages —
// on every store; and the command's own parsing of the kind, on a temporary SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { customerPortraitText, foundCustomersText } from '../../src/cli/customer.js';
import { cliMessages } from '../../src/cli/messages.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { openStore } from '../../src/store/connect.js';
import { forEachStore, it } from '../support/stores.js';
import { tagbaseHere } from './run-tagbase.js';

const en = cliMessages('en');
const zh = cliMessages('zh-CN');
const ID = 'wmZx1b2C3d4E5f6G7h8I9jKlMnOpQr';

forEachStore('tagbase customer show and find by a WeCom external contact id', (h) => {
  it('shows the customer found by it, names it in both languages, and finds the customer by it', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟', identities: [{ kind: 'wecom_external_userid', value: ID }] }, { id: 'C2', name: '王芳' }]);
    const text = await customerPortraitText(ctx, ` ${ID} `, en, { by: 'wecom_external_userid', locale: 'en' });
    expect(text.split('\n')[0]).toBe('C1  张伟  (times in UTC+08:00)');
    expect(text).toMatch(new RegExp(`\\n {2}WeCom external contact ID +${ID}\\n`));
    // Not a WeChat identity the shop's WeChat messages reach.
    expect(text).toMatch(/\n {2}has WeChat +no\n/);
    expect(await customerPortraitText(ctx, 'C1', zh, { locale: 'zh-CN' })).toMatch(new RegExp(`\\n {2}企业微信外部联系人ID +${ID}\\n`));
    await expect(customerPortraitText(ctx, 'wmNobody', en, { by: 'wecom_external_userid' })).rejects.toThrow('Customer "wecom_external_userid:wmNobody" does not exist.');
    expect(await foundCustomersText(ctx, ID, en, { limit: 20, offset: 0, locale: 'en' })).toMatch(new RegExp(`^1 customer matches "${ID}"\\n.*\\n {2}C1 +张伟`));
  });
});

describe('tagbase customer show --by wecom_external_userid', () => {
  it('takes the kind, and lists it in the help and in the refusal of a kind it does not know', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cli-wecom-')), 'store.db');
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    const store = await openStore(database);
    try {
      await upsertCustomers(await openWorkspace(store, 'default', 'cli', () => new Date()), [{ id: 'C1', identities: [{ kind: 'wecom_external_userid', value: ID }] }]);
    } finally {
      await store.close();
    }
    const shown = await tagbaseHere(['customer', 'show', ID, '--by', 'wecom_external_userid', '--json', '--database', database]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'C1', has_wechat: false, identities: [{ kind: 'wecom_external_userid', value: ID }] });
    const refused = await tagbaseHere(['customer', 'show', ID, '--by', 'wecom', '--database', database]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('wecom_external_userid');
    expect((await tagbaseHere(['customer', 'show', '--help'])).stdout).toContain('wecom_external_userid');
  });
});
