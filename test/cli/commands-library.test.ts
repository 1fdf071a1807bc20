// The `tagbase` command on saved segments, templates, tag transitions, care plans and models, each on a temporary SQLite file:
// run in the test's process (tagbaseHere), and as the real binary where it reads standard input.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gb18030Bytes } from '../support/gb18030.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiAnswer } from './api-answer.js';
import { createTagIn, tagbase, tagbaseHere } from './run-tagbase.js';


describe('tagbase command: segments, templates, transitions, care and models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-library-'));
  const database = join(dir, 'store.db');

  beforeAll(async () => {
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
  });

  it('saves, changes and deletes segments, refusing a bad key and a deletion something reads', async () => {
    // A store of its own: the other tests count the customers of theirs.
    const database = join(dir, 'saved-segments.db');
    const csv = join(dir, 'saved-segment-customers.csv');
    writeFileSync(csv, 'id,name,city\nG1,何军,广州\nG2,梁静,广州\nG3,黄磊,深圳\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    const saved = await tagbaseHere(['segment', 'save', 'guangzhou', 'city = "广州"', '--name', '广州客户', '--database', database]);
    expect([saved.code, saved.stderr]).toEqual([0, '']);
    expect(saved.stdout).toMatch(/^saved segment "广州客户" \(guangzhou\): 2 of 3 customers\n$/);
    // Columns aligned with spaces, as the other lists are, not separated by tabs.
    expect((await tagbaseHere(['segment', 'list', '--database', database])).stdout).toContain('guangzhou  广州客户  city = "广州"');
    // By its name too; the name stays when none is given.
    const changed = await tagbaseHere(['segment', 'save', '广州客户', 'city in ("广州", "深圳")', '--database', database]);
    expect(changed.stdout).toMatch(/^changed segment "广州客户" \(guangzhou\): 3 of 3 customers\n$/);
    expect((await tagbaseHere(['segment', 'count', '--segment', 'guangzhou', '--database', database])).stdout).toMatch(/^3 of /);
    expect((await tagbaseHere(['segment', 'save', 'south', 'segment("guangzhou") and city = "深圳"', '--database', database])).code).toBe(0);
    const refused = await tagbaseHere(['segment', 'delete', 'guangzhou', '--database', database]);
    expect([refused.code, refused.stderr]).toEqual([1, 'error SEGMENT_IN_USE: Segment "广州客户" is read by segment "south"; change those first.\n']);
    expect((await tagbaseHere(['segment', 'save', 'bad key', 'city exists', '--database', database])).stderr).toMatch(/^error VALIDATION_FAILED: .*key/);
    expect((await tagbaseHere(['segment', 'save', 'north', 'ctiy = "北京"', '--database', database])).stderr).toContain('EXPRESSION_UNKNOWN_NAME');
    // It cannot be undone: only with --yes, as customer erase and care remove; without, nothing goes.
    expect(await tagbaseHere(['segment', 'delete', 'south', '--database', database])).toMatchObject({ code: 2, stdout: '', stderr: 'deleting segment "south" (south) takes its snapshots and recorded sizes with it and cannot be undone; run it again with --yes to delete\n' });
    expect((await tagbaseHere(['segment', 'delete', 'south', '--yes', '--database', database])).stdout).toBe('deleted segment "south" (south) and its snapshots\n');
    expect((await tagbaseHere(['segment', 'delete', 'guangzhou', '-y', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['segment', 'list', '--database', database])).stdout).not.toContain('guangzhou');
  });

  it('deletes a tag nothing depends on only with --yes, and says in one line why one may not go', async () => {
    const database = join(dir, 'tag-delete.db');
    const csv = join(dir, 'tag-delete-customers.csv');
    writeFileSync(csv, 'id,name\nT1,何军\nT2,梁静\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    await createTagIn(database, { key: 'trial', name: '试用', scope: 'enterprise', cardinality: 'single', ordered: false, kind: 'manual', values: [{ key: 'yes', name: '是' }] });
    expect((await tagbaseHere(['tag', 'assign', 'trial', 'yes', 'T1', '--database', database])).code).toBe(0);
    expect(await tagbaseHere(['tag', 'delete', '试用', '--yes', '--database', database])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error TAG_NOT_DELETABLE: Tag "试用" (trial) cannot be deleted: 1 customer holds it; take it off them first with bulk untagging (POST /api/v1/tags/trial/unassign, tagbase tag unassign, or the customers page). Nothing was deleted.\n',
    });
    expect((await tagbaseHere(['tag', 'unassign', 'trial', 'T1', '--database', database])).code).toBe(0);
    // It cannot be undone: without --yes it says what would go, and nothing does.
    expect(await tagbaseHere(['tag', 'delete', '试用', '--database', database])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'deleting tag "试用" (trial) takes its 1 value and 2 rows of tag history with it and cannot be undone; run it again with --yes to delete\n',
    });
    expect((await tagbaseHere(['tag', 'list', '--database', database])).stdout).toContain('trial');
    expect(await tagbaseHere(['tag', 'delete', 'trial', '--yes', '-a', '运营-小李', '--database', database])).toMatchObject({ code: 0, stdout: 'deleted tag "试用" (trial) with its 1 value and 2 rows of tag history\n' });
    expect((await tagbaseHere(['tag', 'list', '--database', database])).stdout).not.toContain('trial');
    // The row names the tag; its definition follows on a line of its own, whole.
    expect((await tagbaseHere(['audit', '--database', database])).stdout).toMatch(/运营-小李 +cli +deleted a tag +\/tags\/trial\n {2}definition: \{"key":"trial","name":"试用",/);
    expect((await tagbaseHere(['tag', 'delete', 'trial', '--database', database])).stderr).toMatch(/^error TAG_NOT_FOUND: /);
    // A tag of many values keeps all of them in the trail, in the table and in --json.
    const values = Array.from({ length: 60 }, (_, i) => ({ key: `city_${String(i)}`, name: `城市${String(i)}`, description: '由门店登记的常住城市' }));
    await createTagIn(database, { key: 'wide', name: '常住城市', scope: 'enterprise', cardinality: 'single', ordered: false, kind: 'manual', values });
    expect((await tagbaseHere(['tag', 'delete', 'wide', '--yes', '--database', database])).code).toBe(0);
    const shown = (await tagbaseHere(['audit', '--limit', '1', '--database', database])).stdout.split('\n');
    expect(shown[0]).toMatch(/deleted a tag +\/tags\/wide$/);
    const definition = JSON.parse(shown[1]?.replace(/^ {2}definition: /, '') ?? '') as { values: { key: string }[] };
    expect(definition.values.map((value) => value.key)).toEqual(values.map((value) => value.key));
    const listed = JSON.parse((await tagbaseHere(['audit', '--json', '--limit', '1', '--database', database])).stdout) as { items: { target: string }[] };
    expect(listed.items[0]?.target.length).toBeGreaterThan(1024);
    expect((JSON.parse(listed.items[0]?.target.replace(/^\/tags\/wide\?definition=/, '') ?? '') as { values: unknown[] }).values).toHaveLength(60);
  });

  it('lists, shows and applies templates, and doctor exits 4 when it finds something', async () => {
    const store = join(dir, 'templates.db');
    expect((await tagbaseHere(['migrate', '--database', store])).code).toBe(0);
    const doctorClean = await tagbaseHere(['doctor', '--database', store]);
    expect(doctorClean.code).toBe(0);
    expect(doctorClean.stdout).toContain('nothing to fix in the tag library or the customers');
    expect((await tagbaseHere(['template', 'list'])).stdout).toMatch(/^general +General classification \(通用客户分类\) +\d+ tags — [A-Z]/);
    expect((await tagbaseHere(['template', 'list'])).stdout).toMatch(/\n(personality|levels) +.* 1 tag — /);
    expect((await tagbaseHere(['template', 'list'], { LANG: 'zh_CN.UTF-8' })).stdout).toMatch(/^general +通用客户分类（General classification） +\d+ 个标签 — /);
    expect((await tagbaseHere(['template', 'show', '餐饮'])).stdout).toContain('口味 (taste; manual, multi): 清淡 / 微辣 / 麻辣 / 变态辣 / 酸甜');
    const unknown = await tagbaseHere(['template', 'apply', 'resturant', '--database', store]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error TEMPLATE_NOT_FOUND: Template "resturant" does not exist. Did you mean "restaurant"?');
    const applied = await tagbaseHere(['template', 'apply', 'levels', '--database', store]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('created 1 group, 1 tag, 3 values');
    expect((await tagbaseHere(['template', 'apply', 'levels', '-d', store])).stdout).toContain('created 0 groups, 0 tags, 0 values; 1 group and 1 tag already in place');
    // Without customers, nobody holding a tag says nothing about the library: said once, not a finding.
    const empty = await tagbaseHere(['doctor', '-d', store]);
    expect(empty.code).toBe(0);
    // After the store's checks, one line each (test/cli/doctor-store.test.ts).
    expect(empty.stdout.split('\n').slice(3).join('\n')).toBe('the workspace has no customers yet, so no tag is reported as unused; import them with tagbase import customers FILE\nworkspace default: nothing to fix in the tag library or the customers\n');
    const csv = join(dir, 'templates-customers.csv');
    writeFileSync(csv, 'id\nC1\n');
    expect((await tagbaseHere(['import', 'customers', csv, '-d', store])).code).toBe(0);
    const doctor = await tagbaseHere(['doctor', '-d', store]);
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toContain('unused tag: 客户分级 (abc_level) — no customer holds it');
    expect(doctor.stdout).not.toContain('no customers yet');
    // A model's tag in the catalog's English words for an English reader, as the console's report names it.
    expect((await tagbaseHere(['model', 'enable', 'value_tier', '-d', store])).code).toBe(0);
    const modelled = await tagbaseHere(['doctor', '-d', store], { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' });
    expect(modelled.stdout).toContain('unused tag: Value tier (value_tier) — the value_tier model gives it to nobody');
    expect(modelled.stdout).not.toContain('价值分层');
    expect((await tagbaseHere(['doctor', '-d', store], { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' })).stdout).toContain('未使用的标签：价值分层（value_tier）');
    expect((await tagbaseHere(['doctor', '--jaccard', '2', '-d', store])).code).toBe(1);
    // One owner is no sign of a shared need: refused as the option, like the other thresholds.
    const oneOwner = await tagbaseHere(['doctor', '--min-owners', '1', '-d', store]);
    expect(oneOwner.code).toBe(1);
    expect(oneOwner.stderr).toMatch(/^error: option '--min-owners <n>' argument '1' is invalid\. must be a whole number of at least 2\n/);
  });

  it('shows how customers moved between a tag\'s values, and refuses a date it cannot read in one line', async () => {
    const store = join(dir, 'transitions.db');
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['template', 'apply', 'levels', '-d', store])).code).toBe(0);
    const customers = join(dir, 'level-customers.csv');
    writeFileSync(customers, 'id,name\nL1,张伟\nL2,李娜\n');
    expect((await tagbaseHere(['import', 'customers', customers, '-d', store])).code).toBe(0);
    const assign = async (name: string, rows: string) => {
      const file = join(dir, name);
      writeFileSync(file, `customer_id,tag,value\n${rows}`);
      expect((await tagbaseHere(['import', 'assignments', file, '-d', store])).code).toBe(0);
    };
    await assign('levels-1.csv', 'L1,abc_level,c\nL2,abc_level,b\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assign('levels-2.csv', 'L1,abc_level,a\n');
    const shown = await tagbaseHere(['tag', 'transitions', '客户分级', '--from', between, '-d', store]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    // On the workspace's clock (China's by default), as the console shows it, not in UTC.
    expect(lines[0]).toMatch(/^客户分级 \(abc_level\): \d{4}-\d\d-\d\d \d\d:\d\d → \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)$/);
    // A day typed starts at that day's midnight there; a day typed as the end is the whole of it,
    // as the console reads the days picked on its calendar: November to its 30th, up to December.
    const days = await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', '2026-11-01', '--to', '2026-11-30', '-d', store]);
    expect(days.stdout.split('\n')[0]).toBe('客户分级 (abc_level): 2026-11-01 00:00 → 2026-12-01 00:00 (UTC+08:00)');
    expect((await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', '2026-11-01', '--to', '2026-11-30 18:30', '-d', store])).stdout.split('\n')[0]).toBe('客户分级 (abc_level): 2026-11-01 00:00 → 2026-11-30 18:30 (UTC+08:00)');
    // Today alone, from its midnight to now: what was assigned today is held at the end.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const todayOnly = await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', today, '--to', today, '-d', store]);
    expect([todayOnly.code, todayOnly.stderr]).toEqual([0, '']);
    expect(todayOnly.stdout.split('\n')[1]).toBe('held at the start 0 · at the end 2 · stayed 0 · moved 0 · entered 2 · left 0');
    expect(lines[1]).toBe('held at the start 2 · at the end 2 · stayed 1 · moved 1 · entered 0 · left 0');
    expect(lines.slice(3, 7)).toEqual(['value  start  end  gained  lost', 'C级        1    0      +0    -1', 'B级        1    1      +0    -0', 'A级        0    1      +1    -0']);
    expect(lines.slice(-3)).toEqual(['moves between values:', 'C级 → A级  1', '']);
    expect((await tagbaseHere(['tag', 'transitions', 'abc_level', '-d', store], { LANG: 'zh_CN.UTF-8' })).stdout).toContain('（未持有） → B级');
    // What each value's customers are now: none has ordered, so the order count is 0 for each.
    const profile = await tagbaseHere(['tag', 'profile', 'abc_level', '-m', 'orders_total', '-d', store]);
    expect(profile.stderr).toBe('');
    // A built-in metric by its English name in English, as the portrait names it.
    expect(profile.stdout.split('\n').slice(0, 3)).toEqual(['客户分级 (abc_level) now', '', 'value       customers   share  Orders, all time (mean)  median (p25–p75)']);
    // Beside the mean, the median and between which figures the middle half lies.
    expect(profile.stdout).toContain('A级                 1   50.0%                        0           0 (0–0)');
    expect(profile.stdout).toContain('(everyone)          2  100.0%                        0           0 (0–0)');
    expect(profile.stdout).toContain('C级                 0    0.0%                        -                 -');
    expect((await tagbaseHere(['tag', 'profile', 'abc_level', '-m', 'last_order_at', '-d', store])).stderr).toContain('error VALIDATION_FAILED');
    expect((await tagbaseHere(['tag', 'profile', 'abc_level', '-s', 'vip', '-d', store])).stderr).toContain('error SEGMENT_NOT_FOUND');
    const bad = await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', 'last week', '-d', store]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error VALIDATION_FAILED: --from "last week" is not a date or time in a form it takes: 2026-11-01, 2026-11-01 08:00 or 2026-11-01T08:00, with Z or +08:00 after a time for another zone\n');
    // Only the forms the help and the API take: a spreadsheet's 2025/01/01 or 2025年1月1日 is refused naming them, --to as --from.
    for (const [option, text] of [['--from', '2025/01/01'], ['--to', '2025年1月1日'], ['--from', '2025.1.1 08:00'], ['--to', '2026-11-30 18：30']] as const) {
      const refused = await tagbaseHere(['tag', 'transitions', 'abc_level', option, text, '-d', store]);
      expect([refused.code, refused.stdout, refused.stderr]).toEqual([1, '', `error VALIDATION_FAILED: ${option} "${text}" is not a date or time in a form it takes: 2026-11-01, 2026-11-01 08:00 or 2026-11-01T08:00, with Z or +08:00 after a time for another zone\n`]);
    }
    expect((await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', '2025/01/01', '-d', store], { LANG: 'zh_CN.UTF-8' })).stderr).toBe(
      '错误 VALIDATION_FAILED：--from「2025/01/01」不是可用的日期或时间写法：请写成 2026-11-01、2026-11-01 08:00 或 2026-11-01T08:00，其他时区在时间后加 Z 或 +08:00\n',
    );
    expect((await tagbaseHere(['tag', 'transitions', 'abc_level', '--from', '2026-11-01T08:00+08:00', '--to', '2026-11-01T12:00Z', '-d', store])).stdout.split('\n')[0]).toBe('客户分级 (abc_level): 2026-11-01 08:00 → 2026-11-01 20:00 (UTC+08:00)');
  });

  it('prints with --json what the API answers for the same thing, and nothing else on standard output', async () => {
    const store = join(dir, 'json.db');
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['template', 'apply', 'levels', '-d', store])).code).toBe(0);
    const customers = join(dir, 'json-customers.csv');
    writeFileSync(customers, 'id,name,city\nJ1,张伟,上海\nJ2,李娜,上海\nJ3,王芳,北京\n');
    expect((await tagbaseHere(['import', 'customers', customers, '-d', store])).code).toBe(0);
    const assignments = join(dir, 'json-assignments.csv');
    writeFileSync(assignments, 'customer_id,tag,value\nJ1,abc_level,a\nJ2,abc_level,b\n');
    expect((await tagbaseHere(['import', 'assignments', assignments, '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['segment', 'save', 'sh', 'city = "上海"', '-n', '上海客户', '-d', store])).code).toBe(0);
    const plan = join(dir, 'json-plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '感谢购买 {event:order_id}' }] }));
    expect((await tagbaseHere(['care', 'add', plan, '-d', store])).code).toBe(0);
    const events = join(dir, 'json-events.jsonl');
    writeFileSync(events, `${JSON.stringify({ id: 'JE1', customer_id: 'J1', type: 'order_paid', occurred_at: new Date(Date.now() - 10_000).toISOString(), properties: { order_id: 'O-1', amount: 10 } })}\n`);
    expect((await tagbaseHere(['import', 'events', events, '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'run', '-d', store])).code).toBe(0);

    /** The command's standard output read as one JSON document, once it has said nothing on standard error. */
    const json = async (args: string[], code = 0, storeOptions = ['-d', store]) => {
      const ran = await tagbaseHere([...args, '--json', ...storeOptions]);
      expect([ran.code, ran.stderr]).toEqual([code, '']);
      return JSON.parse(ran.stdout) as unknown;
    };
    const api = (path: string) => apiAnswer(store, path);
    // The time a count took is the count's own.
    const counted = (answer: unknown) => ({ ...(answer as object), took_ms: expect.any(Number) as unknown });

    expect(await json(['segment', 'count', 'city = "上海"'])).toEqual({ count: 2, population: 3, took_ms: expect.any(Number) });
    expect(await json(['segment', 'count', '--segment', '上海客户'])).toEqual(counted(await api('/segments/sh')));
    expect(await json(['segment', 'list'])).toEqual(await api('/segments'));
    expect(await json(['segment', 'sizes', 'sh', '-n', '7'])).toEqual(await api('/segments/sh/sizes?days=7'));
    expect(await json(['tag', 'transitions', 'abc_level', '--from', '2026-11-01', '--to', '2026-11-30'])).toEqual(await api('/tags/abc_level/transitions?from=2026-11-01&to=2026-11-30'));
    expect(await json(['tag', 'profile', 'abc_level', '-m', 'orders_total', '-s', 'sh'])).toEqual(await api('/tags/abc_level/profile?metrics=orders_total&segment=sh'));
    expect(await json(['care', 'plans'])).toEqual(await api('/care/plans'));
    const reminders = await json(['care', 'reminders', '-n', '1']);
    expect(reminders).toMatchObject({ total: 1, items: [{ customer: { id: 'J1' }, plan: { key: 'thanks' } }] });
    expect(reminders).toEqual(await api('/care/reminders?limit=1'));
    expect(await json(['model', 'list'])).toEqual(await api('/models'));
    expect(await json(['audit', '-n', '3'])).toEqual(await api('/audit?limit=3'));
    // Templates come with the program, not from a store.
    expect(await json(['template', 'list'], 0, [])).toEqual(await api('/templates'));
    expect(await json(['template', 'show', '餐饮'], 0, [])).toEqual(await api('/templates/%E9%A4%90%E9%A5%AE'));
    // Still exit status 4 when it finds something (J3 holds no level), the summary line left out.
    const { store: checks, ...report } = (await json(['doctor'], 4)) as { store: unknown };
    expect(report).toMatchObject({ findings: expect.any(Number) as unknown, customers: 3 });
    expect(report).toEqual(await api('/governance'));
    // The store's checks beside it, under a key of their own.
    expect(checks).toMatchObject({ ok: true });
    // Errors are the readable line on standard error, with the same exit status, and nothing on standard output.
    expect(await tagbaseHere(['segment', 'sizes', 'nosuch', '--json', '-d', store])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^error SEGMENT_NOT_FOUND: /) as unknown });
  });

  it('adds a care plan from a file saved with a byte-order mark or in GB18030, as Windows editors save them', async () => {
    const store = join(dir, 'care-files.db');
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    const plan = (key: string, name: string) => JSON.stringify({ key, name, trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: `{name}，${name}` }] });
    const bom = join(dir, 'plan-bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plan('bom', '售后回访'), 'utf8')]));
    const gbk = join(dir, 'plan-gbk.json');
    writeFileSync(gbk, gb18030Bytes(plan('gbk', '生日祝福')));
    expect((await tagbaseHere(['care', 'add', bom, '-d', store])).stdout).toBe('added the care plan 售后回访 (bom); it reacts to what happens from now on\n');
    expect((await tagbaseHere(['care', 'add', gbk, '-d', store])).stdout).toBe('added the care plan 生日祝福 (gbk); it reacts to what happens from now on\n');
    expect((await tagbaseHere(['care', 'plans', '-d', store])).stdout).toContain('  1. 1d: {name}，生日祝福');
    const binary = join(dir, 'plan.bin');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0xff, 0x7d]));
    expect((await tagbaseHere(['care', 'add', binary, '-d', store])).stderr).toBe(`error VALIDATION_FAILED: ${binary} is neither UTF-8 nor GB18030 text\n`);
  });

  it('pages through more reminders than one listing shows, saying which part it shows and the offset of the next', async () => {
    const store = join(dir, 'care-pages.db');
    const plan = join(dir, 'thanks.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '感谢购买 {event:order_id}' }] }));
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'add', plan, '-d', store])).code).toBe(0);
    const events = join(dir, 'care-page-events.jsonl');
    // A little in the past: a step of 0 is then due when the round reads it, however soon that is.
    const at = Date.now() - 10_000;
    writeFileSync(events, ['P1', 'P2', 'P3'].map((customer, index) => JSON.stringify({ id: `PE${index}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(at + index * 1000).toISOString(), properties: { order_id: `O-${index}`, amount: 10 } })).join('\n'));
    expect((await tagbaseHere(['import', 'events', events, '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'run', '-d', store])).stdout).toContain('3 fell due');
    const lines = async (args: string[]) => (await tagbaseHere(['care', 'reminders', ...args, '-d', store])).stdout.trimEnd().split('\n');
    const first = await lines(['-n', '2']);
    expect(first.slice(0, 2).map((line) => /(P\d)/.exec(line)?.[1])).toEqual(['P1', 'P2']);
    expect(first[2]).toBe('… 1–2 of 3 due reminders shown; the next with --offset 2');
    const next = await lines(['-n', '2', '-o', '2']);
    expect(next.map((line) => /(P\d)/.exec(line)?.[1] ?? line)).toEqual(['P3', '… 3–3 of 3 due reminders shown', '(times in UTC+08:00)']);
    expect(await lines(['-o', '3'])).toEqual(['no reminders from this --offset on: 3 due in all']);
    expect((await tagbaseHere(['care', 'reminders', '-o', '-1', '-d', store])).stderr).toContain('must be a whole number, 0 or more');
    expect((await tagbaseHere(['care', 'reminders', '-n', '2', '-d', store], { LANG: 'zh_CN.UTF-8' })).stdout.trimEnd().split('\n')[2]).toBe('…… 共 3 条待处理的提醒，显示了第 1–2 条；下一页加 --offset 2');
  });

  it('adds a care plan from a file, runs a round, lists the reminders and closes one', async () => {
    const store = join(dir, 'care.db');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买 {event:order_id}' }, { after: '3d', message: '回访', condition: 'orders_total >= 1' }] }));
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    const added = await tagbaseHere(['care', 'add', plan, '-d', store]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe('added the care plan 购后感谢 (thanks); it reacts to what happens from now on\n');
    const events = join(dir, 'care-events.jsonl');
    writeFileSync(events, `${JSON.stringify({ id: 'CE1', customer_id: 'K1', type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: 'O-77', amount: 10 } })}\n`);
    expect((await tagbaseHere(['import', 'events', events, '-d', store])).code).toBe(0);
    // tick runs the care round too, and says what it did as care run does.
    expect((await tagbaseHere(['tick', '-d', store])).stdout).toMatch(/\nscheduled 2 reminders \(0 steps already long past were left out\); 1 fell due, 0 skipped\n$/);
    const due = await tagbaseHere(['care', 'reminders', '-d', store]);
    // Due at the workspace's wall-clock time (Beijing by default), as the console shows it.
    const dueAt = new Date(Date.parse(JSON.parse(readFileSync(events, 'utf8')).occurred_at as string) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(due.stdout).toBe(`#${/^#(\d+)/.exec(due.stdout)?.[1] ?? ''}  ${dueAt}  K1  购后感谢 step 1  ，感谢购买 O-77\n(times in UTC+08:00)\n`);
    const id = /^#(\d+)/.exec(due.stdout)?.[1] ?? '';
    // Each reminder names its customer: with reads recorded, the list is a read by whom -a names, as GET /care/reminders is.
    const latestEntry = async () => (JSON.parse((await tagbaseHere(['audit', '--json', '-n', '1', '-d', store])).stdout) as { items: { actor: string; action: string; target: string }[] }).items.map(({ actor, action, target }) => ({ actor, action, target }));
    expect((await tagbaseHere(['care', 'reminders', '-a', '导购-小李', '-d', store], { TAGBASE_AUDIT_READS: 'on' })).code).toBe(0);
    expect(await latestEntry()).toEqual([{ actor: '导购-小李', action: 'care reminders', target: '/care/reminders' }]);
    // The plans and the webhooks name no customer and record nothing: there -a is not taken and left unread.
    for (const args of [['care', 'plans'], ['webhook', 'list'], ['webhook', 'deliveries', '1']]) {
      const refused = await tagbaseHere([...args, '-a', '导购-小李', '-d', store]);
      expect([args, refused.code, refused.stderr]).toEqual([args, 1, expect.stringMatching(/^error: unknown option '-a'\n/)]);
    }
    expect((await tagbaseHere(['care', 'done', `#${id}`, '-a', '导购-小李', '-d', store])).stdout).toBe(`reminder #${id} done\n`);
    expect((await tagbaseHere(['care', 'reminders', '-d', store])).stdout).toBe('no reminders\n');
    expect((await tagbaseHere(['care', 'reminders', '-s', 'done', '-d', store])).stdout).toContain('购后感谢 step 1');
    const plans = await tagbaseHere(['care', 'plans', '-d', store], { LANG: 'zh_CN.UTF-8' });
    expect(plans.stdout.split('\n').slice(0, 4)).toEqual(['购后感谢 (thanks)  行为 order_paid  待处理 0，已安排 1，已完成 1', '  1. 0: {name}，感谢购买 {event:order_id}', '  2. 3d: 回访', '     条件：orders_total >= 1']);
    const again = await tagbaseHere(['care', 'done', id, '-d', store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error CARE_REMINDER_CLOSED');
    // Marked done by mistake: open again, and closed for good.
    expect((await tagbaseHere(['care', 'reopen', `#${id}`, '-d', store])).stdout).toBe(`reminder #${id} reopened: due again\n`);
    expect((await tagbaseHere(['care', 'reminders', '-d', store])).stdout).toContain('购后感谢 step 1');
    expect((await tagbaseHere(['care', 'reopen', id, '-d', store], { LANG: 'zh_CN.UTF-8' })).stderr).toContain(`提醒 ${id} 的状态是「待处理」：只有已完成或已忽略的提醒能重新打开。`);
    // Put off by mistake: brought back to the to-do list as it was; one not put off is refused, in either language.
    expect((await tagbaseHere(['care', 'snooze', id, '1d', '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'reminders', '-d', store])).stdout).toBe('no reminders\n');
    expect((await tagbaseHere(['care', 'unsnooze', `#${id}`, '-a', '导购-小李', '-d', store])).stdout).toBe(`reminder #${id} no longer put off: due again\n`);
    expect(await latestEntry()).toEqual([{ actor: '导购-小李', action: 'care unsnooze', target: `/care/reminders/${id}?unsnooze` }]);
    expect((await tagbaseHere(['care', 'reminders', '-d', store])).stdout).toContain('购后感谢 step 1  ，感谢购买 O-77');
    const notSnoozed = await tagbaseHere(['care', 'unsnooze', id, '-d', store], { LANG: 'zh_CN.UTF-8' });
    expect([notSnoozed.code, notSnoozed.stderr]).toEqual([1, `错误 CARE_REMINDER_NOT_SNOOZED：提醒 ${id} 的状态是「待处理」：只有推迟的提醒能恢复为待处理。\n`]);
    expect((await tagbaseHere(['care', 'done', id, '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'reminders', '-s', 'lost', '-d', store])).stderr).toContain('use due, scheduled, done, dismissed or skipped');
    // A plan with several mistakes is refused naming each, one to a line, rather than the first alone.
    writeFileSync(plan, JSON.stringify({ key: 'many', name: ' ', trigger: { kind: 'event', event_type: 'order_paid' }, condition: 'ctiy = "x"', steps: [{ after: '1d', message: '{metric:nope}，您好' }] }));
    const many = await tagbaseHere(['care', 'add', plan, '-d', store]);
    expect([many.code, many.stderr.split('\n')]).toEqual([
      1,
      [
        'error CARE_PLAN_INVALID: The care plan is not valid: 3 problems, each in errors: name, condition, steps.0.message',
        '  name: a name needs at least one visible character',
        expect.stringMatching(/^ {2}line 1 condition: .*ctiy/),
        '  steps.0.message: step 1: {metric:nope}: no metric of that key or name',
        '',
      ],
    ]);
    writeFileSync(plan, '{"key": "x",');
    // The file is named, not "the request body" as the API says of its own input.
    expect((await tagbaseHere(['care', 'add', plan, '-d', store])).stderr).toMatch(new RegExp(`^error MALFORMED_JSON: ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: \\S`));
    expect((await tagbaseHere(['care', 'disable', '购后感谢', '-d', store])).stdout).toBe('the care plan 购后感谢 (thanks) is off\n');
    expect((await tagbaseHere(['care', 'plans', '-d', store])).stdout.split('\n')[0]).toBe('购后感谢 (thanks) [off]  on order_paid  due 0, scheduled 1, done 1');
    expect((await tagbaseHere(['care', 'enable', 'thanks', '-d', store])).code).toBe(0);
    // Changed in place, its reminders kept: only what the file names changes.
    writeFileSync(plan, JSON.stringify({ steps: [{ after: '0', message: '{name}，谢谢惠顾' }], quiet_hours: { start: '21:00', end: '08:00' } }));
    expect((await tagbaseHere(['care', 'update', '购后感谢', plan, '-d', store])).stdout).toBe('changed the care plan 购后感谢 (thanks); new steps apply to reminders scheduled from now on\n');
    expect((await tagbaseHere(['care', 'plans', '-d', store])).stdout.split('\n').slice(0, 3)).toEqual(['购后感谢 (thanks)  on order_paid  due 0, scheduled 1, done 1', '  nothing falls due 21:00–08:00 (moved to 08:00)', '  1. 0: {name}，谢谢惠顾']);
    expect(tagbase(['care', 'update', 'thanks', '-', '-d', store], { LANG: 'zh_CN.UTF-8' }, '{"trigger": {"kind": "birthday"}}').stderr).toContain('关怀计划的触发条件不能修改');
    const asked = await tagbaseHere(['care', 'remove', 'thanks', '-d', store]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('deleting the care plan 购后感谢 takes its 2 reminders with it and cannot be undone; run it again with --yes to delete\n');
    expect((await tagbaseHere(['care', 'remove', 'thanks', '--yes', '-d', store])).stdout).toBe('deleted the care plan 购后感谢 and its 2 reminders\n');
    expect((await tagbaseHere(['care', 'remove', 'thanks', '--yes', '-d', store])).stderr).toContain('error CARE_PLAN_NOT_FOUND');
  });

  it('puts a due reminder off, and says what it wants when the time is not one', async () => {
    const store = join(dir, 'care-snooze.db');
    const plan = join(dir, 'snooze-plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }));
    expect((await tagbaseHere(['migrate', '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'add', plan, '-d', store])).code).toBe(0);
    const events = join(dir, 'snooze-events.jsonl');
    writeFileSync(events, `${JSON.stringify({ id: 'SE1', customer_id: 'S1', type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: 'O-1', amount: 10 } })}\n`);
    expect((await tagbaseHere(['import', 'events', events, '-d', store])).code).toBe(0);
    expect((await tagbaseHere(['care', 'run', '-d', store])).stdout).toContain('1 fell due');
    const id = /^#(\d+)/.exec((await tagbaseHere(['care', 'reminders', '-d', store])).stdout)?.[1] ?? '';
    const bad = await tagbaseHere(['care', 'snooze', id, 'soon', '-d', store], { LANG: 'zh_CN.UTF-8' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('「soon」不是往后推的时长，应如 1h、3h 或 1d');
    expect((await tagbaseHere(['care', 'snooze', `#${id}`, '2h', '-d', store])).stdout).toMatch(new RegExp(`^reminder #${id} put off: due again at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(UTC\\+08:00\\)\n$`));
    expect((await tagbaseHere(['care', 'reminders', '-d', store])).stdout).toBe('no reminders\n');
    expect((await tagbaseHere(['care', 'reminders', '-s', 'scheduled', '-d', store])).stdout).toContain(`#${id} `);
    expect((await tagbaseHere(['care', 'snooze', id, '2h', '-d', store])).stderr).toContain('error CARE_REMINDER_CLOSED');
  });

  it('tags the customers a model selects', async () => {
    const store = join(dir, 'model-index.db');
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const orders = [
      ['A', 50],
      ['B', 150],
      ['C', 300],
    ].map(([customer, amount], k) => JSON.stringify({ id: `O${k}`, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: `O${k}`, amount } }));
    writeFileSync(join(dir, 'orders.jsonl'), `${orders.join('\n')}\n`);
    expect((await tagbaseHere(['import', 'events', join(dir, 'orders.jsonl'), '--database', store])).code).toBe(0);
    expect((await tagbaseHere(['model', 'enable', 'vip', '--param', 'spend_365d=100', '--database', store])).code).toBe(0);
    const { openStore } = await import('../../src/store/connect.js');
    const opened = await openStore(store);
    try {
      const holders = await opened.db
        .selectFrom('assignments')
        .innerJoin('tags', 'tags.id', 'assignments.tag_id')
        .innerJoin('customers', 'customers.id', 'assignments.customer_id')
        .select('customers.external_id')
        .where('tags.key', '=', 'vip')
        .orderBy('customers.external_id')
        .execute();
      expect(holders.map((row) => row.external_id)).toEqual(['B', 'C']);
    } finally {
      await opened.close();
    }
  });

  it('enables models with parameters, lists them, and refuses a bad parameter in one line', async () => {
    const enabled = await tagbaseHere(['model', 'enable', 'vip', '--param', 'spend_365d=8000', '--database', database]);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain('VIP客户 (VIP) ⇐ spend_365d >= 8000');
    expect((await tagbaseHere(['model', 'list', '--database', database])).stdout).toMatch(/● vip\s+VIP/);
    // English names in English brackets, Chinese ones in Chinese.
    expect(enabled.stdout.split('\n')[0]).toBe('VIP (VIP, vip): enabled');
    expect((await tagbaseHere(['model', 'list', '--database', database])).stdout).toMatch(/^[●○] lifecycle +生命周期 \(lifecycle\)$/m);
    // In Chinese the Chinese name alone beside the key, as metric list names a metric; no English gloss.
    const chinese = (await tagbaseHere(['model', 'list', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout;
    expect(chinese).toMatch(/^[●○] lifecycle +生命周期$/m);
    expect(chinese).toMatch(/^● vip +VIP$/m);
    expect(chinese).toMatch(/^[●○] activity +活跃状态$/m);
    expect(chinese).not.toMatch(/[a-z]+）$/m);
    // And the model as set up: the keys in the brackets, as the tag library lists a name and its key.
    const enabledChinese = await tagbaseHere(['model', 'enable', 'vip', '--param', 'spend_365d=8000', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(enabledChinese.stdout.split('\n')[0]).toBe('VIP（vip）：已启用');
    expect(enabledChinese.stdout).toContain('\n  VIP客户（vip） ⇐ spend_365d >= 8000');
    const lifecycle = (await tagbaseHere(['model', 'enable', 'lifecycle', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout;
    expect(lifecycle).toMatch(/^生命周期（lifecycle）：已启用\n/);
    expect(lifecycle).toContain('\n  潜在客户（prospect） ⇐ ');
    expect((await tagbaseHere(['model', 'enable', 'lifecycle', '--database', database])).stdout).toContain('\n  潜在客户 (prospect) ⇐ ');
    const bad = await tagbaseHere(['model', 'enable', 'rfm', '-p', 'recency=soon', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error MODEL_INVALID: Model "rfm": recency: a threshold is "mean", "median" or a number of at least 0\n');
    expect((await tagbaseHere(['model', 'refresh', 'rfm', '--database', database])).stderr).toContain('error MODEL_NOT_ENABLED');
    expect((await tagbaseHere(['model', 'enable', 'vip', '-p', 'spend_365d', '--database', database])).stderr).toContain('--param takes NAME=VALUE');
    // The model's tag under a key of its own, kept when the parameters change.
    expect((await tagbaseHere(['model', 'enable', 'activity', '--tag-key', 'activity_state', '--database', database])).stdout).toContain('  its tag: activity_state\n');
    expect((await tagbaseHere(['model', 'enable', 'activity', '-p', 'active_days=20', '--database', database])).stdout).toContain('  its tag: activity_state\n');
    expect((await tagbaseHere(['model', 'enable', 'activity', '--tag-key', 'active', '--database', database])).stderr).toContain('error MODEL_INVALID: Model "activity": its tag has the key "activity_state", which stays');
    // RFM on a store where nobody has bought: no thresholds of 0 rating every new buyer high, and why there are none.
    const rfm = await tagbaseHere(['model', 'enable', 'rfm', '--database', database]);
    expect(rfm.stdout).toMatch(/^ {2}no thresholds: no customer had a paid order in the window at .+, so no customer has a level yet$/m);
    expect(rfm.stdout).not.toContain('thresholds (');
    expect((await tagbaseHere(['model', 'refresh', 'rfm', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toMatch(/^ {2}暂无阈值：.+ 计算时窗口内没有客户有支付订单，所有客户暂无等级$/m);
    // A model without thresholds has nothing to refresh, and says so.
    const vip = await tagbaseHere(['model', 'refresh', 'vip', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(vip.code).toBe(0);
    expect(vip.stdout.split('\n')[0]).toBe('模型「vip」没有按客户数据计算的阈值，它的取值随每个事件实时变化，没有需要刷新的内容');
  });
});

