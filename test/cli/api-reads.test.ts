// `tagbase metric list`, `tagbase tag operations`, `tagbase segment snapshots` and `tagbase segment
// exports`: the reads an integrator makes of the API (GET /metrics, /tagging/operations,
// /segments/{segment}/snapshots, /exports),
// from the terminal, on SQLite and PostgreSQL, and `tagbase segment snapshot`, which takes one as
// POST /segments/{segment}/snapshots does. Each --json prints what the API answers.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { formulaText } from '../../src/cli/metric.js';
import { buildServer } from '../../src/api/server.js';
import { openStore } from '../../src/store/connect.js';
import { storeKinds } from '../support/stores.js';
import { apiAnswer } from './api-answer.js';
import { commandStore } from './own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

/** Freezes a saved segment's members as the console does, through the API. */
async function takeSnapshot(database: string, segment: string): Promise<void> {
  const store = await openStore(database);
  try {
    const app = await buildServer({ store, now: () => new Date(), consoleDir: false });
    try {
      const reply = await app.inject({ method: 'POST', url: `/api/v1/segments/${encodeURIComponent(segment)}/snapshots` });
      if (reply.statusCode !== 201) throw new Error(`the snapshot answered ${reply.statusCode}: ${reply.body}`);
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

it('writes what a metric computes as its definition reads: the aggregation, its filter, or the metrics it comes from', () => {
  expect(formulaText({ kind: 'aggregate', aggregation: 'sum', eventType: 'order_paid', property: 'amount', window: { kind: 'days', days: 30 } })).toBe('sum(order_paid.amount)');
  expect(formulaText({ kind: 'aggregate', aggregation: 'count', eventType: 'order_paid', filter: 'channel = "online"', window: { kind: 'all' } })).toBe('count(order_paid where channel = "online")');
  expect(formulaText({ kind: 'ratio', numerator: 'spend_total_paid', denominator: 'orders_total' })).toBe('spend_total_paid / orders_total');
  expect(formulaText({ kind: 'difference', minuend: 'a', subtrahend: 'b', atLeast: 0 })).toBe('max(0, a - b)');
  expect(formulaText({ kind: 'days_since', metric: 'last_order_at' })).toBe('days_since(last_order_at)');
});

for (const kind of storeKinds()) {
  describe(`tagbase metric list, tag operations and segment snapshots [${kind}]`, () => {
    const { url, run, json } = commandStore(kind, 'reads', 'id,name,city\nR1,张伟,上海\nR2,李娜,上海\nR3,王芳,北京\n');

    beforeAll(async () => {
      expect((await run(['template', 'apply', 'levels'])).code).toBe(0);
      expect((await run(['segment', 'save', 'sh', 'city = "上海"', '-n', '上海客户'])).code).toBe(0);
    });

    it('lists the metrics: key, name in the reader\'s language, what each computes and over which window', async () => {
      const english = await run(['metric', 'list']);
      expect([english.code, english.stderr]).toEqual([0, '']);
      expect(english.stdout).toMatch(/^orders_30d +Orders, last 30 days +count\(order_paid\) +last 30 days$/m);
      expect(english.stdout).toMatch(/^spend_365d +Spend, last 365 days, net of refunds +max\(0, spend_365d_paid - spend_365d_refunded\) +\(from other metrics\)$/m);
      expect(english.stdout).toMatch(/^last_active_at +Last active +last\(\*\) +all time$/m);
      // The helpers other metrics read are not listed, as the API lists them not.
      expect(english.stdout).not.toMatch(/^one_if_ordered /m);
      const chinese = await run(['metric', 'list'], CHINESE);
      expect(chinese.stdout).toMatch(/^orders_30d +近30天订单数 +count\(order_paid\) +近 30 天$/m);
      expect(chinese.stdout).toMatch(/^orders_this_year +本年订单数 +count\(order_paid\) +本年$/m);
      expect(await json(['metric', 'list'])).toEqual(await apiAnswer(url(), '/metrics'));
      expect(await run(['metric', 'list', '-w', 'nope'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^error WORKSPACE_NOT_FOUND: /) as unknown });
    });

    it('lists the bulk tagging of the last week with the numbers tag undo takes, undone ones said so', async () => {
      expect((await run(['tag', 'operations'])).stdout).toBe('no bulk tagging in the last 7 days\n');
      expect(await json(['tag', 'operations'])).toEqual({ items: [] });
      const assigned = await run(['tag', 'assign', 'abc_level', 'a', 'R1', 'R2', '-a', '导购-王芳']);
      const first = /tag undo (\d+)$/m.exec(assigned.stdout)?.[1] ?? '';
      const removed = await run(['tag', 'unassign', 'abc_level', 'R1']);
      const second = /tag undo (\d+)$/m.exec(removed.stdout)?.[1] ?? '';
      expect(Number(second)).toBeGreaterThan(Number(first));
      expect((await run(['tag', 'undo', second])).code).toBe(0);

      const listed = await run(['tag', 'operations']);
      expect([listed.code, listed.stderr]).toEqual([0, '']);
      const lines = listed.stdout.trimEnd().split('\n');
      // Newest first; when to the minute in the workspace's zone, named once at the end.
      expect(lines[0]).toMatch(new RegExp(`^${second} +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  cli +removed 客户分级 +1 customer +undone \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} by cli, 1 put back$`));
      expect(lines[1]).toMatch(new RegExp(`^${first} +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  导购-王芳 +assigned 客户分级: A级 +2 customers +undo until \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}: tagbase tag undo ${first}$`));
      expect(lines[2]).toBe('(times in UTC+08:00)');
      expect((await run(['tag', 'operations'], CHINESE)).stdout).toMatch(new RegExp(`^${first} .* 导购-王芳 +打上「客户分级: A级」 +2 位客户 +可撤销至 .*：tagbase tag undo ${first}$`, 'm'));
      expect(await json(['tag', 'operations'])).toEqual(await apiAnswer(url(), '/tagging/operations'));
      // Operations on a personal tag are listed to its owner alone, as the API lists them to its X-Tagbase-Actor.
      expect((await run(['tag', 'update', 'abc_level', '-s', 'personal', '-a', '导购-王芳'])).code).toBe(0);
      expect((await run(['tag', 'operations'])).stdout).toBe('no bulk tagging in the last 7 days\n');
      expect((await run(['tag', 'operations', '-a', '导购-王芳'])).stdout.split('\n')).toHaveLength(4);
      expect(await run(['tag', 'operations', '--limit', '3'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining("unknown option '--limit'") as unknown });
    });

    it("lists a segment's snapshots newest first, a page at a time, and says how to get the next", async () => {
      expect((await run(['segment', 'snapshots', '上海客户'])).stdout).toBe(
        'segment "上海客户" has no snapshots; tagbase segment snapshot 上海客户 freezes its members now, as the console (Snapshot → Freeze the members now) and POST /api/v1/segments/{segment}/snapshots do\n',
      );
      for (let i = 0; i < 3; i++) await takeSnapshot(url(), 'sh');
      const all = (await json(['segment', 'snapshots', 'sh'])) as { items: { id: number; members: number }[]; next_cursor: string | null };
      expect(all.items.map((snapshot) => snapshot.members)).toEqual([2, 2, 2]);
      expect(all.next_cursor).toBeNull();
      const [newest, middle, oldest] = all.items.map((snapshot) => snapshot.id);
      expect(newest).toBeGreaterThan(middle ?? 0);

      const page = await run(['segment', 'snapshots', 'sh', '-n', '2']);
      expect([page.code, page.stderr]).toEqual([0, '']);
      const lines = page.stdout.trimEnd().split('\n');
      // Named by its name and its key, as segment save and segment insight name it.
      expect(lines[0]).toBe('上海客户 (sh): snapshots, newest first');
      expect(lines[1]).toMatch(new RegExp(`^#${newest} +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  api  2 members  city = "上海"$`));
      expect(lines[2]).toMatch(new RegExp(`^#${middle} `));
      const cursor = /add --cursor (\S+) to see them$/.exec(lines[3] ?? '')?.[1] ?? '';
      expect(lines[4]).toBe('(times in UTC+08:00)');
      expect(await json(['segment', 'snapshots', '上海客户', '-n', '2'])).toEqual(await apiAnswer(url(), '/segments/sh/snapshots?limit=2'));

      const next = await run(['segment', 'snapshots', 'sh', '-n', '2', '--cursor', cursor], CHINESE);
      expect(next.stdout).toMatch(new RegExp(`^人群「上海客户」（sh）：快照，最新的在前\\n#${oldest} .* 2 位成员  city = "上海"\\n（时间为 UTC\\+08:00）\\n$`));
      expect(await json(['segment', 'snapshots', 'sh', '-n', '2', '--cursor', cursor])).toEqual(await apiAnswer(url(), `/segments/sh/snapshots?limit=2&cursor=${encodeURIComponent(cursor)}`));

      // Errors are one readable line on standard error, exit status 1, nothing on standard output.
      expect(await run(['segment', 'snapshots', 'nosuch', '--json'])).toMatchObject({ code: 1, stdout: '', stderr: 'error SEGMENT_NOT_FOUND: Segment "nosuch" does not exist.\n' });
      expect(await run(['segment', 'snapshots', 'sh', '--cursor', 'bogus'])).toMatchObject({ code: 1, stdout: '', stderr: 'error VALIDATION_FAILED: cursor: not a cursor this list of snapshots handed out\n' });
      expect(await run(['segment', 'snapshots', 'sh', '-n', '0'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('must be a whole number from 1 to 1,000') as unknown });
      expect(await run(['segment', 'snapshots', 'sh', '-n', '1001'], CHINESE)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('必须是 1 到 1,000 之间的整数') as unknown });
    });

    it("takes a snapshot of a saved segment's members now, as POST /segments/{segment}/snapshots does, under the actor given", async () => {
      const taken = await run(['segment', 'snapshot', '上海客户', '-a', '运营-小李']);
      expect([taken.code, taken.stderr]).toEqual([0, '']);
      const id = /snapshot #(\d+) /.exec(taken.stdout)?.[1] ?? '';
      expect(taken.stdout).toMatch(new RegExp(`^froze segment "sh": snapshot #${id} of 2 members, \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(UTC\\+08:00\\); tagbase segment snapshots sh lists it\\n$`));
      const listed = (await apiAnswer(url(), '/segments/sh/snapshots?limit=1')) as { items: { id: number; actor: string; members: number; expression: string }[] };
      expect(listed.items[0]).toMatchObject({ id: Number(id), actor: '运营-小李', members: 2, expression: 'city = "上海"' });
      // The first page of the list now starts with it.
      expect((await run(['segment', 'snapshots', 'sh', '-n', '1'])).stdout.split('\n')[1]).toMatch(new RegExp(`^#${id} .* 运营-小李  2 members  city = "上海"$`));

      const chinese = await run(['segment', 'snapshot', 'sh'], CHINESE);
      expect(chinese.stdout).toMatch(/^已冻结人群「sh」：快照 #\d+，2 位成员，\d{4}-\d{2}-\d{2} \d{2}:\d{2}（UTC\+08:00）；用 tagbase segment snapshots sh 查看\n$/);
      // --json prints the snapshot as the API answers it, the newest of the list.
      const answered = await json(['segment', 'snapshot', 'sh']);
      expect(answered).toEqual(((await apiAnswer(url(), '/segments/sh/snapshots?limit=1')) as { items: unknown[] }).items[0]);
      expect(answered).toMatchObject({ segment: 'sh', members: 2, actor: 'cli', segments: [] });

      // A segment that is not there is one readable line, and nothing is taken.
      const before = (await json(['segment', 'snapshots', 'sh'])) as { items: unknown[] };
      expect(await run(['segment', 'snapshot', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: 'error SEGMENT_NOT_FOUND: Segment "nosuch" does not exist.\n' });
      expect(await run(['segment', 'snapshot', 'nosuch'], CHINESE)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^错误 SEGMENT_NOT_FOUND：/) as unknown });
      expect(((await json(['segment', 'snapshots', 'sh'])) as { items: unknown[] }).items).toHaveLength(before.items.length);
    });

    it('lists the export log newest first, as GET /exports answers it: when, who, status, customers, format and what', async () => {
      expect(await run(['segment', 'exports'])).toMatchObject({
        code: 0,
        stderr: '',
        stdout: 'nobody has exported customers of workspace "default" yet; tagbase segment export, the console and the API log each export here\n',
      });
      expect(await json(['segment', 'exports'])).toEqual({ items: [] });
      expect((await run(['segment', 'export', '-s', '上海客户', '-a', '运营-小李'])).code).toBe(0);
      expect((await run(['segment', 'export', 'city = "北京"', '-f', 'jsonl'])).code).toBe(0);

      const english = await run(['segment', 'exports']);
      expect([english.code, english.stderr]).toEqual([0, '']);
      const lines = english.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('exports of customers, newest first');
      expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}cli +completed +1 customer {2}jsonl {2}expression {2}city = "北京"$/);
      expect(lines[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}运营-小李 {2}completed {2}2 customers {2}csv +segment +sh$/);
      expect(lines.slice(3)).toEqual(['(times in UTC+08:00)']);

      // A full page says older ones may follow; Chinese under a Chinese locale.
      const chinese = await run(['segment', 'exports', '-n', '1'], CHINESE);
      expect(chinese.stdout).toMatch(/^客户导出记录，最新的在前\n\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}cli {2}已完成 {2}1 位客户 {2}jsonl {2}条件 {2}city = "北京"\n…… 可能还有更早的导出：加大 -n（最多 500）查看\n（时间为 UTC\+08:00）\n$/);
      expect(await json(['segment', 'exports', '-n', '1'])).toEqual(await apiAnswer(url(), '/exports?limit=1'));
      expect(await json(['segment', 'exports'])).toEqual(await apiAnswer(url(), '/exports'));

      expect(await run(['segment', 'exports', '-n', '0'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('must be a whole number from 1 to 500') as unknown });
      expect(await run(['segment', 'exports', '-w', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('WORKSPACE_NOT_FOUND') as unknown });
    });
  });
}
