// `tagbase tag update`: a tag's kind and scope changed from the terminal, on a temporary SQLite file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tagInputSchema } from '../../src/core/tag.js';
import { openStore } from '../../src/store/connect.js';
import { createTagIn, tagbaseHere } from './run-tagbase.js';

describe('tagbase tag update', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-tag-update-'));
  const database = join(dir, 'store.db');

  beforeAll(async () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'id,name,city\nA,何军,杭州\nB,梁静,北京\nC,黄磊,北京\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    await createTagIn(database, tagInputSchema.parse({ key: 'potential', name: '高潜客户', values: [{ key: 'high', name: '高' }, { key: 'low', name: '低' }] }));
  });

  it('makes a hand tag a rule tag, its hand values kept, and back', async () => {
    expect((await tagbaseHere(['tag', 'assign', 'potential', 'high', 'C', '--database', database])).code).toBe(0);
    const lacking = await tagbaseHere(['tag', 'update', 'potential', '--kind', 'rule', '-c', 'high=city = "杭州"', '--database', database]);
    expect([lacking.code, lacking.stderr]).toEqual([1, 'error VALIDATION_FAILED: every value of a rule tag needs a condition: give one for "low" with -c low=EXPRESSION\n']);
    const nothing = await tagbaseHere(['tag', 'update', 'potential', '--database', database]);
    expect([nothing.code, nothing.stderr]).toEqual([1, expect.stringMatching(/^error VALIDATION_FAILED: nothing to change: give --name, .*, --kind, --scope, --add-value or --rename-value\n$/)]);
    expect((await tagbaseHere(['tag', 'update', 'potential', '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr).toMatch(/^错误 VALIDATION_FAILED：没有要修改的内容：请给出 --name、.*、--scope、--add-value 或 --rename-value\n$/);
    const alone = await tagbaseHere(['tag', 'update', 'potential', '-c', 'high=true', '--database', database]);
    expect([alone.code, alone.stderr]).toEqual([1, 'error VALIDATION_FAILED: --condition comes with --kind rule\n']);
    expect((await tagbaseHere(['tag', 'update', 'potential', '--kind', 'model', '--database', database])).code).not.toBe(0);
    const rule = await tagbaseHere(['tag', 'update', '高潜客户', '--kind', 'rule', '-c', '高=city = "杭州"', '--condition', 'low=city = "北京"', '--database', database]);
    expect([rule.code, rule.stdout, rule.stderr]).toEqual([0, 'changed tag "高潜客户" (potential): a rule tag, shared with everyone; 3 customers hold it\n', '']);
    const shown = await tagbaseHere(['customer', 'show', 'C', '--json', '--database', database]);
    expect((JSON.parse(shown.stdout) as { tags: { label: string; source: string }[] }).tags.map((tag) => [tag.label, tag.source])).toEqual([['高潜客户: 高', 'manual']]);
    const manual = await tagbaseHere(['tag', 'update', 'potential', '--kind', 'manual', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect([manual.code, manual.stdout]).toEqual([0, '已修改标签「高潜客户」（potential）：手动标签，企业标签（所有人可见）；3 位客户持有\n']);
  });

  it('names every value left without a condition at once, in the command\'s words', async () => {
    await createTagIn(database, tagInputSchema.parse({ key: 'mood', name: '性格', values: [{ key: 'amiable', name: '随和' }, { key: 'sharer', name: '爱分享' }, { key: 'complainer', name: '爱抱怨' }, { key: 'irritable', name: '急躁' }] }));
    const none = await tagbaseHere(['tag', 'update', 'mood', '--kind', 'rule', '--database', database]);
    expect([none.code, none.stdout, none.stderr]).toEqual([
      1,
      '',
      'error VALIDATION_FAILED: every value of a rule tag needs a condition: give one for each of "amiable", "sharer", "complainer" and "irritable" with -c amiable=EXPRESSION -c sharer=EXPRESSION -c complainer=EXPRESSION -c irritable=EXPRESSION\n',
    ]);
    const some = await tagbaseHere(['tag', 'update', 'mood', '--kind', 'rule', '-c', '随和=city = "杭州"', '-c', 'sharer=city = "北京"', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect([some.code, some.stderr]).toEqual([1, '错误 VALIDATION_FAILED：规则标签的每个值都需要条件：请用 -c complainer=表达式 -c irritable=表达式 为「complainer」和「irritable」各给出条件\n']);
  });

  it('counts the holders it names without a value past its expiry that no sweep has taken off yet', async () => {
    await createTagIn(database, tagInputSchema.parse({ key: 'promo', name: '活动', values: [{ key: 'spring', name: '春季' }] }));
    expect((await tagbaseHere(['tag', 'assign', 'promo', 'spring', 'A', 'B', '--database', database])).code).toBe(0);
    // Expired a second ago, as a store nobody swept since holds it: the command sweeps nothing.
    const store = await openStore(database);
    try {
      const a = await store.db.selectFrom('customers').select('id').where('external_id', '=', 'A').executeTakeFirstOrThrow();
      const promo = await store.db.selectFrom('tags').select('id').where('key', '=', 'promo').executeTakeFirstOrThrow();
      await store.db.updateTable('assignments').set({ expires_at: Date.now() - 1000 }).where('customer_id', '=', a.id).where('tag_id', '=', promo.id).execute();
    } finally {
      await store.close();
    }
    const renamed = await tagbaseHere(['tag', 'update', 'promo', '--name', '春季活动', '--database', database]);
    expect([renamed.code, renamed.stdout]).toEqual([0, 'changed tag "春季活动" (promo): a manual tag, shared with everyone; 1 customer holds it\n']);
  });

  it('makes a tag personal and shared again', async () => {
    const personal = await tagbaseHere(['tag', 'update', 'potential', '--scope', 'personal', '-a', '导购-王芳', '--database', database]);
    expect([personal.code, personal.stdout]).toEqual([0, 'changed tag "高潜客户" (potential): a manual tag, the personal tag of 导购-王芳; 3 customers hold it\n']);
    expect((await tagbaseHere(['tag', 'update', 'potential', '--scope', 'enterprise', '--database', database])).stderr).toMatch(/^error TAG_NOT_FOUND/);
    expect((await tagbaseHere(['tag', 'update', 'potential', '--scope', 'enterprise', '-a', '导购-王芳', '--database', database])).code).toBe(0);
  });
});
