// `tagbase segment export --all`: every customer of the workspace, exported as an expression
// matching everyone would be and logged so that the log says so; with an expression or
// --segment, or with none of the three, refused with a line that says what to give.
import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { commandStore } from './own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

for (const kind of storeKinds()) {
  describe(`tagbase segment export --all [${kind}]`, () => {
    const { run, json } = commandStore(kind, 'export-all', 'id,name,city\nA1,张伟,上海\nA2,李娜,北京\nA3,王芳,\n');

    it('exports every customer, with the columns an expression matching everyone gives', async () => {
      const all = await run(['segment', 'export', '--all', '-m', 'orders_total', '-a', 'ops']);
      expect(all.code, all.stderr).toBe(0);
      const everyone = await run(['segment', 'export', 'random_bucket >= 0', '-m', 'orders_total']);
      expect(all.stdout).toBe(everyone.stdout);
      const rows = all.stdout.replace('\uFEFF', '').split('\r\n').filter(Boolean);
      expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(['A1', 'A2', 'A3']);
      expect((await run(['segment', 'count', '--all'])).stdout).toMatch(/^3 /);
    });

    it('is logged as every customer, which the export log says in words', async () => {
      expect((await run(['segment', 'export', '--all', '-a', 'ops'])).code).toBe(0);
      const log = (await json(['segment', 'exports', '-n', '1', '--json'])) as { items: { actor: string; source: string; target: string; rows: number; status: string }[] };
      expect(log.items[0]).toMatchObject({ actor: 'ops', source: 'expression', target: 'id exists', rows: 3, status: 'completed' });
      expect((await run(['segment', 'exports', '-n', '1'])).stdout).toContain('all customers');
      expect((await run(['segment', 'exports', '-n', '1'], CHINESE)).stdout).toContain('全部客户');
    });

    it('refuses --all with an expression or --segment, and none of the three', async () => {
      const withExpression = await run(['segment', 'export', '--all', 'city = "上海"']);
      expect(withExpression.code).not.toBe(0);
      expect(withExpression.stderr).toContain('--all takes every customer: give it without an expression or --segment');
      const withSegment = await run(['segment', 'export', '--all', '--segment', 'vip']);
      expect(withSegment.code).not.toBe(0);
      expect(withSegment.stderr).toContain('--all takes every customer');
      const none = await run(['segment', 'export']);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('or every customer with --all');
      expect((await run(['segment', 'export', '--all', '--segment', 'vip'], CHINESE)).stderr).toContain('--all 表示全部客户');
    });

    it('says --all in its help, with an example', async () => {
      const help = (await run(['segment', 'export', '--help'])).stdout;
      expect(help).toContain('--all');
      expect(help).toContain('tagbase segment export --all');
    });
  });
}
