// `tagbase customer erasures ID`: whether a customer id was erased, from the terminal, as GET
// /erasures?customer=ID answers it, on SQLite and PostgreSQL.
import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { apiAnswer } from './api-answer.js';
import { commandStore } from './own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

for (const kind of storeKinds()) {
  describe(`tagbase customer erasures [${kind}]`, () => {
    const { url, run } = commandStore(kind, 'erasures', 'id,name,phone\nE1,张伟,13800138000\nE2,李娜,13900139000\n');


    it('says whether an id was erased, when, by whom and how much went, as GET /erasures answers it', async () => {
      expect(await run(['customer', 'erasures', 'E1'])).toMatchObject({ code: 0, stderr: '', stdout: 'no erasure is recorded under customer id "E1" in workspace "default"\n' });
      expect(await run(['customer', 'erase', 'E1', '--yes', '-a', '法务-小周'])).toMatchObject({ code: 0 });

      const english = await run(['customer', 'erasures', 'E1']);
      expect(english).toMatchObject({ code: 0, stderr: '' });
      expect(english.stdout).toMatch(/^erasures of customer "E1", newest first\n\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}法务-小周 {2}1 record, 1 identity, 0 events, 0 tags, 0 history rows, 0 snapshot memberships\n\(times in UTC\+08:00\)\n$/);
      const chinese = await run(['customer', 'erasures', 'E1'], CHINESE);
      expect(chinese.stdout).toMatch(/^客户「E1」的删除记录，最新的在前\n.+ {2}法务-小周 {2}1 条记录、1 个身份标识、0 条事件、0 个标签、0 条标签历史、0 个快照成员\n（时间为 UTC\+08:00）\n$/);
      const ran = await run(['customer', 'erasures', 'E1', '--json']);
      expect([ran.code, ran.stderr]).toEqual([0, '']);
      expect(JSON.parse(ran.stdout)).toEqual(await apiAnswer(url(), '/erasures?customer=E1'));
      expect(JSON.parse(ran.stdout)).toMatchObject({ items: [{ actor: '法务-小周', details: { records: 1 } }] });

      // Only the id that was erased: another, still there, has none.
      expect((await run(['customer', 'erasures', 'E2'])).stdout).toBe('no erasure is recorded under customer id "E2" in workspace "default"\n');
      expect(await run(['customer', 'erasures', 'E1', '-w', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('WORKSPACE_NOT_FOUND') as unknown });
    });

    it('refuses an empty customer id, as merge does, rather than answering that "" was never erased', async () => {
      const empty = await run(['customer', 'erasures', '']);
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([1, '', "error: command-argument value '' is invalid for argument 'id'. must be a customer id, not empty\n(add --help to see how the command is used)\n"]);
      expect((await run(['customer', 'erasures', ' '], CHINESE)).stderr).toBe('错误：参数 id 的取值「 」无效：必须是客户编号，不能为空\n（加上 --help 查看命令用法）\n');
      // The other commands that name one customer refuse it alike, before anything is looked up or erased.
      for (const args of [['customer', 'show', ''], ['customer', 'erase', '', '--yes'], ['customer', 'identity', 'remove', '', 'phone', '13800138000'], ['care', 'reminders', '-c', '']]) {
        const ran = await run(args);
        expect([ran.code, ran.stdout, ran.stderr]).toEqual([1, '', expect.stringContaining('must be a customer id, not empty') as unknown]);
      }
    });
  });
}
