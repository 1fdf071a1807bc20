// Searching customers by a part of their name answers the same on both stores: letters A–Z
// match either case (PostgreSQL's LIKE matched only the case typed, SQLite's either), and
// `%` and `_` are the characters typed, not wildcards or dropped. Latin letters also find a name
// by its pinyin (docs/api.md, `q`). The server's index answers every search as the store does,
// in the process that wrote and in another sharing the store: the customer list's, the segment
// preview's (`searchCustomerIds` with the index) and, by the store's scan, `tagbase customer find`'s.
import type { KyselyPlugin } from 'kysely';
import { beforeEach, expect } from 'vitest';
import { foundCustomersText } from '../../src/cli/customer.js';
import { cliMessages } from '../../src/cli/messages.js';
import { listCustomers, searchCustomerIds, upsertCustomers } from '../../src/engine/customers.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { fillNameSearchKeys } from '../../src/engine/name-search-fill.js';
import { indexAudience } from '../../src/index/audience.js';
import { nameSearchKey } from '../../src/core/name-search.js';
import { IndexRegistry } from '../../src/index/registry.js';
import type { Store } from '../../src/store/connect.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('searching customers by name', (h) => {
  // The server's index in this process (told of every write) and in another sharing the store
  // (which reads the change log), each built on the test's first search.
  let here: IndexRegistry;
  let elsewhere: IndexRegistry;
  beforeEach(() => {
    here = new IndexRegistry(h.store());
    elsewhere = new IndexRegistry(h.store());
  });
  const context = (): WorkspaceContext => ({ ...h.context(), observer: here });

  async function found(q: string): Promise<string[]> {
    const page = await listCustomers(context(), { q, limit: 50, offset: 0 });
    const ids = page.items.map((item) => item.id);
    expect(await searchCustomerIds(context(), q)).toEqual(ids);
    for (const registry of [here, elsewhere]) {
      const indexed = await listCustomers(context(), { q, limit: 50, offset: 0 }, indexAudience(registry));
      expect({ q, total: indexed.total, ids: indexed.items.map((item) => item.id) }).toEqual({ q, total: page.total, ids });
      // The segment preview's search, with the index's names.
      expect({ q, ids: await searchCustomerIds(context(), q, indexAudience(registry)) }).toEqual({ q, ids });
    }
    // `tagbase customer find`, by the store's scan, in the same order.
    if (q.trim() !== '') {
      const command = JSON.parse(await foundCustomersText(context(), q, cliMessages('en'), { json: true, limit: 50, offset: 0 })) as { total: number; items: { id: string }[] };
      expect({ q, total: command.total, ids: command.items.map((item) => item.id) }).toEqual({ q, total: page.total, ids });
    }
    return ids;
  }

  it('matches letters A–Z in either case, and other characters as they are', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: 'Alice Wang' },
      { id: 'C2', name: 'ALICE 张' },
      { id: 'C3', name: '张伟' },
      { id: 'C4', name: 'Élodie' },
    ]);
    expect(await found('alice')).toEqual(['C1', 'C2']);
    expect(await found('wANG')).toEqual(['C1']);
    expect(await found('张')).toEqual(['C2', 'C3']);
    expect(await found('Élodie')).toEqual(['C4']);
  });

  it('reads full-width letters and digits, as a Chinese input method types them, as plain ones', async () => {
    await upsertCustomers(context(), [
      { id: 'CO12', name: 'Alice 王', identities: [{ kind: 'member_card', value: 'VIP0088' }] },
      { id: 'C2', name: 'ＢＯＢ' },
    ]);
    expect(await found('ａｌｉｃｅ')).toEqual(['CO12']);
    expect(await found('ＣＯ１２')).toEqual(['CO12']);
    expect(await found('ＶＩＰ００８８')).toEqual(['CO12']);
    // A name stored full-width is found as it was typed, and typed plain.
    expect(await found('ＢＯＢ')).toEqual(['C2']);
    expect(await found('bob')).toEqual(['C2']);
  });

  it('finds a name stored with full-width letters and digits when it is typed plain, in either case', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: 'ＡＢＣ公司' },
      { id: 'C2', name: '门店１２３' },
      { id: 'C3', name: '张伟' },
    ]);
    expect(await found('abc')).toEqual(['C1']);
    expect(await found('ABC公司')).toEqual(['C1']);
    expect(await found('123')).toEqual(['C2']);
    expect(await found('店1')).toEqual(['C2']);
  });

  it('finds a name by its full pinyin, with or without spaces, in any case, and from any of its characters on', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰' },
      { id: 'C2', name: '王桂英' },
      { id: 'C3', name: '李兰' },
      { id: 'C4', name: 'Wei Gui' },
    ]);
    expect(await found('weiguilan')).toEqual(['C1']);
    expect(await found('wei gui lan')).toEqual(['C1']);
    expect(await found('WeiGuiLan')).toEqual(['C1']);
    expect(await found('ｗｅｉｇｕｉｌａｎ')).toEqual(['C1']);
    // A start of it, from the surname or from any later character.
    expect(await found('weig')).toEqual(['C1', 'C4']);
    expect(await found('guilan')).toEqual(['C1']);
    expect(await found('gui')).toEqual(['C1', 'C2', 'C4']);
    expect(await found('lan')).toEqual(['C1', 'C3']);
    // Not from inside a syllable, and never with tones.
    expect(await found('eiguilan')).toEqual([]);
    expect(await found('uilan')).toEqual([]);
  });

  it('finds a name by its initials, whole or any run of them', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰' },
      { id: 'C2', name: '王桂英' },
      { id: 'C3', name: '张三' },
    ]);
    expect(await found('wgl')).toEqual(['C1']);
    expect(await found('WGL')).toEqual(['C1']);
    expect(await found('gl')).toEqual(['C1']);
    expect(await found('wg')).toEqual(['C1', 'C2']);
    expect(await found('zs')).toEqual(['C3']);
    expect(await found('lgw')).toEqual([]);
  });

  it('reads a surname with a reading of its own as a surname, and finds it by the everyday reading too', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '单田芳' },
      { id: 'C2', name: '曾国藩' },
      { id: 'C3', name: '解缙' },
      { id: 'C4', name: '仇英' },
      { id: 'C5', name: '区永' },
      { id: 'C6', name: '查良镛' },
      { id: 'C7', name: '吕小明' },
    ]);
    expect(await found('shantianfang')).toEqual(['C1']);
    expect(await found('stf')).toEqual(['C1']);
    expect(await found('zengguofan')).toEqual(['C2']);
    expect(await found('zgf')).toEqual(['C2']);
    expect(await found('xiejin')).toEqual(['C3']);
    expect(await found('qiuying')).toEqual(['C4']);
    expect(await found('ouyong')).toEqual(['C5']);
    expect(await found('zhaliangyong')).toEqual(['C6']);
    expect(await found('dantianfang')).toEqual(['C1']);
    // ü typed v, as input methods take it, or u.
    expect(await found('lvxiaoming')).toEqual(['C7']);
    expect(await found('luxiaoming')).toEqual(['C7']);
  });

  it('finds a renamed customer by the new name\'s pinyin and no longer by the old', async () => {
    await upsertCustomers(context(), [{ id: 'C1', name: '魏桂兰' }]);
    await upsertCustomers(context(), [{ id: 'C1', city: '上海' }]);
    expect(await found('wgl')).toEqual(['C1']);
    await upsertCustomers(context(), [{ id: 'C1', name: '张三' }]);
    expect(await found('wgl')).toEqual([]);
    expect(await found('weiguilan')).toEqual([]);
    expect(await found('zhangsan')).toEqual(['C1']);
    await upsertCustomers(context(), [{ id: 'C1', name: null }]);
    expect(await found('zhangsan')).toEqual([]);
  });

  it('finds neither a merged-away nor an erased customer by pinyin, and a survivor by the name it took from the merged', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', identities: [{ kind: 'phone', value: '13800138000' }] },
      { id: 'C2', name: '魏桂兰' },
      { id: 'C3', name: '魏桂英' },
    ]);
    await mergeCustomers(context(), 'C1', 'C2');
    expect(await found('wgl')).toEqual(['C1']);
    await eraseCustomer(context(), 'C3');
    expect(await found('wgy')).toEqual([]);
    expect(await found('wg')).toEqual(['C1']);
  });

  it('keeps a query of Chinese characters, digits, a phone number or an email to the name and identities', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'lan@example.com' }] },
      { id: 'C2', name: '桂林 13800' },
    ]);
    expect(await found('桂兰')).toEqual(['C1']);
    expect(await found('13800')).toEqual(['C2']);
    expect(await found('13800138000')).toEqual(['C1']);
    expect(await found('Lan@Example.com')).toEqual(['C1']);
    expect(await found('gl')).toEqual(['C1', 'C2']);
  });

  it('finds the customers a store kept from before names had search keys by their name at once, and by pinyin after a scheduler round', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰' },
      { id: 'C2', name: 'ＡＢＣ公司' },
      { id: 'C3' },
    ]);
    // As an upgraded store holds them: named, with no key yet.
    await h.store().db.updateTable('customers').set({ name_search: null }).where('workspace_id', '=', context().workspaceId).execute();
    expect(await found('桂兰')).toEqual(['C1']);
    expect(await found('wgl')).toEqual([]);
    expect(await found('abc')).toEqual([]);
    expect((await tickWorkspace(context(), { clockRules: false })).nameKeysFilled).toBe(2);
    expect(await found('wgl')).toEqual(['C1']);
    expect(await found('abc')).toEqual(['C2']);
    expect((await tickWorkspace(context(), { clockRules: false })).nameKeysFilled).toBe(0);
  });

  it('keys older customers a batch at least per round when the round has no time to spare, and the rest in later rounds', async () => {
    await upsertCustomers(context(), ['王一', '王二', '王三', '王四', '王五'].map((name, index) => ({ id: `C${index + 1}`, name })));
    await h.store().db.updateTable('customers').set({ name_search: null }).where('workspace_id', '=', context().workspaceId).execute();
    expect(await fillNameSearchKeys(context(), { batchSize: 2, budgetMs: 0 })).toBe(2);
    expect(await found('wangyi')).toEqual(['C1']);
    expect(await found('wangsan')).toEqual([]);
    expect(await fillNameSearchKeys(context(), { batchSize: 2 })).toBe(3);
    expect(await found('wangwu')).toEqual(['C5']);
  });

  it('pages a pinyin search in id order, as any search', async () => {
    await upsertCustomers(context(), ['王一', 'Wang Er', '汪三', '李四', '王五'].map((name, index) => ({ id: `C${index + 1}`, name })));
    const first = await listCustomers(context(), { q: 'wang', limit: 2, offset: 0 });
    expect(first.total).toBe(4);
    expect(first.items.map((item) => item.id)).toEqual(['C1', 'C2']);
    const second = await listCustomers(context(), { q: 'wang', limit: 2, offset: 0, cursor: first.next_cursor ?? undefined });
    expect(second.items.map((item) => item.id)).toEqual(['C3', 'C5']);
    expect(second.next_cursor).toBeNull();
  });

  it('finds every name as names arrive, change one at a time, and leave, in this process and another', async () => {
    const names = ['魏桂兰', '王桂英', 'Wang Er', '汪三', '李四', '王五', '张伟', '赵敏', '周杰', '吴静', '郑强', '孙丽'];
    for (const [k, name] of names.entries()) {
      await upsertCustomers(context(), [{ id: `C${k + 1}`, name }]);
      // Between every write, so that the names the index takes in arrive one at a time.
      expect(await found('wang')).toEqual(['C2', 'C3', 'C4', 'C6'].filter((id) => Number(id.slice(1)) <= k + 1));
    }
    expect(await found('王')).toEqual(['C2', 'C6']);
    await upsertCustomers(context(), [{ id: 'C7', name: '王伟' }, { id: 'C8', name: '赵敏' }]);
    expect(await found('王')).toEqual(['C2', 'C6', 'C7']);
    expect(await found('zm')).toEqual(['C8']);
    await mergeCustomers(context(), 'C2', 'C6');
    expect(await found('王')).toEqual(['C2', 'C7']);
    // The merged record's id still finds the survivor, as it resolves to it.
    expect(await found('C6')).toEqual(['C2']);
    await eraseCustomer(context(), 'C7');
    expect(await found('王')).toEqual(['C2']);
    expect(await found('wangwei')).toEqual([]);
    await upsertCustomers(context(), [{ id: 'C9', name: '王伟' }]);
    expect(await found('wangwei')).toEqual(['C9']);
  });

  it('finds by the keys the store holds, which come with the customers a build and a refresh read', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰', identities: [{ kind: 'phone', value: '13800138000' }] },
      { id: 'C2', name: '单田芳' },
      { id: 'C3', name: 'ＡＢＣ公司' },
    ]);
    // A stored key the index could not work out itself: only read from the store does it find C2 as "zzz".
    const keyOf = async (id: string, spelling: string) => {
      const row = await h.store().db.selectFrom('customers').select(['id', 'name']).where('workspace_id', '=', context().workspaceId).where('external_id', '=', id).executeTakeFirstOrThrow();
      await h.store().db.updateTable('customers').set({ name_search: `${nameSearchKey(row.name)}\u001e${spelling}` }).where('id', '=', row.id).execute();
      return row.id;
    };
    await keyOf('C2', 'zzz');
    expect(await found('zzz')).toEqual(['C2']);
    expect(await found('wgl')).toEqual(['C1']);
    expect(await found('shantianfang')).toEqual(['C2']);
    expect(await found('abc')).toEqual(['C3']);
    expect(await found('13800138000')).toEqual(['C1']);
    await upsertCustomers(context(), [{ id: 'C4', name: '魏国' }]);
    const c4 = await keyOf('C4', 'yyy');
    for (const registry of [here, elsewhere]) registry.customersChanged(context().workspaceId, [c4]);
    expect(await found('wg')).toEqual(['C1', 'C4']);
    expect(await found('yyy')).toEqual(['C4']);
    for (const registry of [here, elsewhere]) expect((await registry.get(context())).nameSearchTable()?.workedOut).toBe(0);
  });

  it('answers from a snapshot as from the store, its first search reading no key, then after renames, new customers and erasures', async () => {
    const names = ['魏桂兰', '王桂英', 'Wang Er', '汪三', '李四', '王五', '张伟', '赵敏', '欧阳修', 'ＡＢＣ公司'];
    await upsertCustomers(context(), names.map((name, k) => ({ id: `C${k + 1}`, name })));
    const terms = ['王', 'wang', 'wgl', '桂', 'zm', 'oyx', 'ouyang', 'abc', '不存在的人', 'li'];
    const store = h.store();
    const saving = new IndexRegistry(store, { snapshots: true });
    await saving.get(context());
    expect(await saving.saveSnapshot(context())).toBeDefined();
    // A process started after it, with every statement it sends to the store noted.
    const statements: string[] = [];
    const noting: KyselyPlugin = {
      transformQuery: (args) => (statements.push(JSON.stringify(args.node)), args.node),
      transformResult: (args) => Promise.resolve(args.result),
    };
    const started = (): { registry: IndexRegistry; context: WorkspaceContext } => {
      const observed: Store = { ...store, db: store.db.withPlugin(noting) };
      return { registry: new IndexRegistry(observed, { snapshots: true }), context: { ...context(), store: observed } };
    };
    const sameAsStore = async (registry: IndexRegistry, at: WorkspaceContext) => {
      for (const q of terms) {
        const page = await listCustomers(context(), { q, limit: 50, offset: 0 });
        const indexed = await listCustomers(at, { q, limit: 50, offset: 0 }, indexAudience(registry));
        expect({ q, total: indexed.total, ids: indexed.items.map((item) => item.id) }).toEqual({ q, total: page.total, ids: page.items.map((item) => item.id) });
      }
    };
    const first = started();
    const index = await first.registry.get(first.context);
    expect(index.origin).toBe('snapshot');
    statements.length = 0;
    expect((await indexAudience(first.registry).nameMatches?.(first.context, 'wang'))?.length).toBe(4);
    expect(statements.filter((statement) => statement.includes('name_search')).length).toBe(0);
    expect(index.nameSearchTable()?.workedOut).toBe(0);
    await sameAsStore(first.registry, first.context);
    terms.push('wgy', 'lxy', 'ml', 'zhangwei');
    // Renamed, a name new to the index, and two erased (one name nobody else holds), read from the change log.
    await upsertCustomers(context(), [{ id: 'C2', name: '刘晓燕' }, { id: 'C11', name: '马龙' }, { id: 'C12', name: '张伟' }]);
    await eraseCustomer(context(), 'C9');
    await eraseCustomer(context(), 'C7');
    await sameAsStore(first.registry, first.context);
    expect(await found('oyx')).toEqual([]);
    expect(await found('zhangwei')).toEqual(['C12']);
    expect(await first.registry.saveSnapshot(first.context)).toBeDefined();
    const second = started();
    expect((await second.registry.get(second.context)).origin).toBe('snapshot');
    // The index's own part of each search (listCustomers also looks for names the store has not keyed yet).
    statements.length = 0;
    for (const q of terms) await indexAudience(second.registry).nameMatches?.(second.context, q);
    expect(statements.filter((statement) => statement.includes('name_search')).length).toBe(0);
    await sameAsStore(second.registry, second.context);
    expect((await second.registry.get(second.context)).nameSearchTable()?.workedOut).toBe(0);
    // The erased name nobody else held is in the second snapshot neither as a name nor as its spellings.
    const parts = await store.db.selectFrom('index_snapshot_parts').select('data').where('workspace_id', '=', context().workspaceId).execute();
    const stored = Buffer.concat(parts.map((part) => Buffer.from(part.data)));
    expect(stored.includes(Buffer.from('ouyangxiu'))).toBe(false);
    expect(stored.includes(Buffer.from('欧阳修'))).toBe(false);
    expect(stored.includes(Buffer.from('liuxiaoyan'))).toBe(true);
  });

  it('finds the same customers for the segment preview from the index as the store finds, by name, pinyin, merchant id and identity', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '魏桂兰', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'Lan.Wei@Example.com' }] },
      { id: 'C2', name: 'Alice 王', identities: [{ kind: 'member_card', value: 'VIP0088' }] },
      { id: 'c2-b', name: '王桂英' },
      { id: 'C4', name: 'ALICE Chen' },
      { id: 'C5' },
    ]);
    const audience = indexAudience(here);
    let asked = 0;
    const counted = { nameMatches: (c: WorkspaceContext, q: string) => (asked++, audience.nameMatches?.(c, q) ?? Promise.resolve(new Uint32Array(0))) };
    const cases: [string, string[]][] = [
      ['王', ['C2', 'c2-b']],
      ['桂', ['C1', 'c2-b']],
      ['weiguilan', ['C1']],
      ['WGL', ['C1']],
      ['wg', ['C1', 'c2-b']],
      ['alice', ['C2', 'C4']],
      ['aLiCe cHeN', ['C4']],
      ['C2', ['C2']],
      ['c2-b', ['c2-b']],
      ['C5', ['C5']],
      ['13800138000', ['C1']],
      ['+86 138-0013-8000', ['C1']],
      ['lan.wei@example.COM', ['C1']],
      ['VIP0088', ['C2']],
      ['不存在的人', []],
    ];
    for (const [q, ids] of cases) {
      expect({ q, ids: await found(q) }).toEqual({ q, ids });
      expect({ q, ids: await searchCustomerIds(context(), q, counted) }).toEqual({ q, ids });
    }
    // Every one of them asked the index for its names.
    expect(asked).toBe(cases.length);
  });

  it('reads % and _ as the characters typed', async () => {
    await upsertCustomers(context(), [
      { id: 'C1', name: '100%会员' },
      { id: 'C2', name: '1000会员' },
      { id: 'C3', name: 'li_na' },
      { id: 'C4', name: 'lina' },
      { id: 'C5', name: 'lixna' },
    ]);
    expect(await found('100%')).toEqual(['C1']);
    expect(await found('%')).toEqual(['C1']);
    expect(await found('li_na')).toEqual(['C3']);
    expect(await found('_')).toEqual(['C3']);
  });
});
