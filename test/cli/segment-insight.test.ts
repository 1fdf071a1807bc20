// `tagbase segment insight SEGMENT`: what sets a saved segment apart, as a table and as JSON, on a
// temporary SQLite file, run in the test's process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTagIn, tagbaseHere } from './run-tagbase.js';

describe('tagbase segment insight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-insight-'));
  const database = join(dir, 'store.db');

  beforeAll(async () => {
    // Ten customers, 上海 C1–C6 the segment; 客户分层 金卡 C1–C5 and C7, 银卡 C6 and C8–C10.
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, `id,city\n${Array.from({ length: 10 }, (_, i) => `C${String(i + 1)},${i < 6 ? '上海' : '北京'}`).join('\n')}\n`);
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    // Spend: C1 400 and C2 50 among the members, C7 1000 outside; everyone else 0.
    const events = join(dir, 'events.jsonl');
    const order = (customer_id: string, amount: number, n: number) => JSON.stringify({ id: `${customer_id}-${String(n)}`, customer_id, type: 'order_paid', occurred_at: '2026-06-01T10:00:00Z', properties: { order_id: `${customer_id}-${String(n)}`, amount } });
    writeFileSync(events, `${[order('C1', 100, 1), order('C1', 300, 2), order('C2', 50, 1), order('C7', 1000, 1)].join('\n')}\n`);
    expect((await tagbaseHere(['import', 'events', events, '-f', 'jsonl', '--database', database])).code).toBe(0);
    await createTagIn(database, { key: 'level', name: '客户分层', scope: 'enterprise', cardinality: 'single', ordered: false, kind: 'manual', values: [{ key: 'gold', name: '金卡' }, { key: 'silver', name: '银卡' }] });
    expect((await tagbaseHere(['tag', 'assign', 'level', 'gold', 'C1', 'C2', 'C3', 'C4', 'C5', 'C7', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['tag', 'assign', 'level', 'silver', 'C6', 'C8', 'C9', 'C10', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['segment', 'save', 'sh', 'city = "上海"', '--name', '上海客户', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['segment', 'save', 'gz', 'city = "广州"', '--database', database])).code).toBe(0);
  });

  it('prints the metrics beside everyone’s and the values held most over everyone, with their TGI', async () => {
    const shown = await tagbaseHere(['segment', 'insight', '上海客户', '-m', 'spend_total', '--database', database]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    // 金卡: 5 of 6 members against 6 of 10 customers, 100 × 0.833 / 0.6 = 139; 银卡 (1 member) under 100.
    expect(shown.stdout.split('\n')).toEqual([
      '上海客户 (sh): 6 of 10 customers (60.0%)',
      '',
      // Members 0, 0, 0, 0, 50, 400: the median 0 and the upper quartile 37.5 (between 0 and 50) where the mean is 75.
      'metric                           segment mean  median (p25–p75)  everyone mean  median (p25–p75)',
      'Spend, all time, net of refunds            75        0 (0–37.5)            145        0 (0–37.5)',
      '',
      'values held most over everyone (TGI above 100, at least 5 members):',
      'tag       value  members  share  everyone\'s share  TGI',
      '客户分层  金卡         5  83.3%             60.0%  139',
      '',
    ]);
    const chinese = await tagbaseHere(['segment', 'insight', 'sh', '-m', 'orders_total', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(chinese.stdout).toContain('人群「上海客户」（sh）：10 位客户中的 6 位（60.0%）');
    expect(chinese.stdout.split('\n')[2]).toMatch(/^指标 +本人群平均 +中位数（P25–P75） +全体平均 +中位数（P25–P75）$/);
    expect(chinese.stdout).toContain('明显高于全体客户的标签值（TGI 高于 100，至少 5 位成员持有）');
    // Fewer members asked of a value: none over-indexes still, 银卡 being under.
    const none = await tagbaseHere(['segment', 'insight', 'sh', '--min-members', '6', '--database', database]);
    expect(none.stdout).toContain('no value is held more than by everyone among those at least 6 members hold');
    // A value no member holds never ranks, so the least asked is 1, as the API's min_members.
    const zero = await tagbaseHere(['segment', 'insight', 'sh', '--min-members', '0', '--database', database]);
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toContain("error: option '--min-members <n>' argument '0' is invalid. must be a positive whole number");
  });

  it('prints the API’s answer with --json, says an empty segment has nothing to compare, and refuses an unknown segment', async () => {
    const json = await tagbaseHere(['segment', 'insight', 'sh', '--json', '-m', 'spend_total', '--database', database]);
    const answer = JSON.parse(json.stdout) as { within: unknown; members: number; population: number; tags: { key: string; values: { key: string; tgi: number | null }[] }[]; metrics: { key: string }[] };
    expect(answer).toMatchObject({
      within: { segment: 'sh', name: '上海客户' },
      members: 6,
      population: 10,
      metrics: [{ key: 'spend_total', members: { customers: 6, sum: 450, mean: 75, median: 0, p25: 0, p75: 37.5 }, everyone: { customers: 10, sum: 1450, mean: 145, median: 0, p25: 0, p75: 37.5 } }],
    });
    expect(answer.tags).toMatchObject([{ key: 'level', values: [{ key: 'gold', tgi: 139 }, { key: 'silver', tgi: 42 }] }]);
    expect((await tagbaseHere(['segment', 'insight', 'gz', '--database', database])).stdout).toContain('the segment has no members: nothing to compare');
    const unknown = await tagbaseHere(['segment', 'insight', 'shanghi', '--database', database]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/^error SEGMENT_NOT_FOUND: /)]);
    expect((await tagbaseHere(['segment', 'insight', 'sh', '-m', 'preferred_category', '--database', database])).stderr).toContain('error VALIDATION_FAILED');
  });
});
