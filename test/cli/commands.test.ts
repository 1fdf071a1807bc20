// The real `tagbase` binary, run as a user would, on a temporary SQLite file.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import readWorkbook from 'read-excel-file/universal';
import { gb18030Bytes } from '../support/gb18030.js';
import { describe, expect, it, vi } from 'vitest';

// Each test starts the real binary several times, a second or two each; on a busy machine a
// test of a dozen runs takes longer than the suite's default minute.
vi.setConfig({ testTimeout: 180_000 });

const BIN = join(import.meta.dirname, '../../bin/tagbase.js');

function tagbase(args: string[], env: Record<string, string> = {}, input?: string | Buffer) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000, ...(input === undefined ? {} : { input }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tagbase command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-'));
  const database = join(dir, 'store.db');

  it('migrates a new store and says so, then says it is up to date', () => {
    const first = tagbase(['migrate', '--database', database]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 0001_initial_schema');
    expect(tagbase(['migrate'], { TAGBASE_DATABASE_URL: database }).stdout).toContain('schema is up to date');
  });

  it('imports a file, prints a summary, writes the report and exits 3 when rows were rejected', () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'id,name,phone,first_seen_at\nC1,张伟,13800138000,2026/5/1 9:30\nC2,李娜,not-a-phone,\n');
    const result = tagbase(['import', 'customers', csv, '--database', database]);
    expect(result.stdout).toContain("read 1 time(s) without a zone as the workspace's local time (UTC+08:00)");
    expect(result.stdout).toContain('2 rows, 1 imported, 1 rejected');
    expect(result.code).toBe(3);
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8')).toContain('3,VALIDATION_FAILED');
  });

  it('warns when a file has no rows to import', () => {
    const csv = join(dir, 'header-only.csv');
    writeFileSync(csv, 'id,name\n');
    const result = tagbase(['import', 'customers', csv, '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 rows, 0 imported, 0 rejected');
    expect(result.stderr).toBe('warning: header-only.csv has no rows: nothing was imported\n');
  });

  it('erases a customer only when told --yes, and says how much went', () => {
    const csv = join(dir, 'to-erase.csv');
    writeFileSync(csv, 'id,name,phone\nERASE1,王五,13700000001\n');
    expect(tagbase(['import', 'customers', csv, '--database', database]).code).toBe(0);
    const asked = tagbase(['customer', 'erase', 'ERASE1', '--database', database]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('erasing customer "ERASE1" cannot be undone; run it again with --yes to erase\n');
    const erased = tagbase(['customer', 'erase', 'ERASE1', '--yes', '--database', database]);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toBe('erased customer "ERASE1": 1 record(s), 1 identities, 0 events, 0 tags, 0 history rows, 0 snapshot memberships\n');
    const again = tagbase(['customer', 'erase', 'ERASE1', '--yes', '--database', database]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CUSTOMER_NOT_FOUND');
    const trail = tagbase(['audit', '--database', database]);
    expect(trail.code).toBe(0);
    expect(trail.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}cli {2}cli {2}erased a customer on request {2}\/customers\/\(erased\)\n$/);
    expect(tagbase(['audit', '--database', database], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('按要求删除客户个人信息');
  });

  it('runs what time has made due, clock rules included, and says what changed', () => {
    const result = tagbase(['tick', '--database', database]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ workspace\(s\): 0 assignments expired, \d+ customers' metrics refreshed, tags changed for 0\n$/);
  });

  it('finishes a rule pass and a recompute of metrics that a stop cut short, and says so', () => {
    const file = new Database(database);
    try {
      const workspace = file.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      // A pass of a tag since deleted and the recompute for a new metric, last heard of an hour ago.
      const insert = file.prepare('insert into rule_passes (workspace_id, tag_key, token, after_id, updated_at) values (?, ?, ?, ?, ?)');
      insert.run(workspace.id, 'gone', 'crashed', 0, Date.now() - 3_600_000);
      insert.run(workspace.id, '@metrics', 'crashed too', 0, Date.now() - 3_600_000);
    } finally {
      file.close();
    }
    const result = tagbase(['tick', '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nfinished rule passes that a stop had cut short: gone\nfinished a recompute of every customer's metrics that a stop had cut short \(in 1 workspace\(s\)\)\n$/);
    const after = new Database(database, { readonly: true });
    try {
      expect(after.prepare('select count(*) as n from rule_passes').get()).toEqual({ n: 0 });
    } finally {
      after.close();
    }
  });

  it('applies event batches accepted before a stop, and says so', () => {
    // A store of its own: the customer the batch creates would change the counts of the tests after.
    const journaled = join(dir, 'journal.db');
    expect(tagbase(['migrate', '--database', journaled]).code).toBe(0);
    const file = new Database(journaled);
    try {
      const workspace = file.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      // What `POST /events` with `Prefer: respond-async` stores before it answers.
      const events = JSON.stringify({ duplicates: 0, events: [['J1', 'JOURNAL1', 'product_viewed', Date.now() - 60_000, '{"sku":"S1"}'], ['J2', 'JOURNAL1', 'product_viewed', Date.now() - 30_000, '{"sku":"S2"}']] });
      file.prepare("insert into event_journal (workspace_id, actor, received_at, received, event_count, events, status) values (?, null, ?, 2, 2, ?, 'pending')").run(workspace.id, Date.now() - 10_000, events);
    } finally {
      file.close();
    }
    const result = tagbase(['tick', '--database', journaled]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\napplied 1 accepted event batch(es), 2 events stored\n');
    const after = new Database(journaled, { readonly: true });
    try {
      expect(after.prepare("select count(*) as n from events where event_key in ('J1', 'J2')").get()).toEqual({ n: 2 });
      expect(after.prepare("select status, events from event_journal").all()).toEqual([{ status: 'applied', events: null }]);
    } finally {
      after.close();
    }
  });

  it('prints one readable line for bad usage', () => {
    const unknownKind = tagbase(['import', 'orders', join(dir, 'x.csv'), '--database', database]);
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toMatch(/^error VALIDATION_FAILED: .*customers, events or assignments/);
    const noFormat = tagbase(['import', 'customers', join(dir, 'x.txt'), '--database', database]);
    expect(noFormat.stderr).toContain('pass --format csv, jsonl or xlsx');
    const unknownEncoding = tagbase(['import', 'customers', join(dir, 'customers.csv'), '--encoding', 'latin1', '--database', database]);
    expect(unknownEncoding.stderr).toContain('--encoding must be auto, utf-8 or gb18030; got "latin1"');
    const unknownWorkspace = tagbase(['import', 'customers', join(dir, 'customers.csv'), '--workspace', 'nope', '--database', database]);
    expect(unknownWorkspace.stderr).toContain('error WORKSPACE_NOT_FOUND');
    const missing = join(dir, 'missing.csv');
    const noFile = tagbase(['import', 'customers', missing, '--database', database]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe(`error: ${missing}: no such file or directory\n`);
    expect(tagbase(['care', 'add', missing, '--database', database], { LANG: 'zh_CN.UTF-8' }).stderr).toBe(`错误：${missing}：文件或目录不存在\n`);
    expect(tagbase(['segment', 'export', 'city = "上海"', '--output', dir, '--database', database]).stderr).toBe(`error: ${dir}: is a directory, not a file\n`);
    // Neither a SQLite path nor a PostgreSQL URL: refused, instead of a SQLite file made under ./mysql:/.
    const otherUrl = spawnSync(process.execPath, [BIN, 'migrate', '--database', 'mysql://root@localhost/shop'], { cwd: dir, encoding: 'utf8' });
    expect(otherUrl.status).toBe(1);
    expect(otherUrl.stderr).toBe('error VALIDATION_FAILED: "mysql://root@localhost/shop" is neither a SQLite path nor a postgres:// URL\n');
    expect(existsSync(join(dir, 'mysql:'))).toBe(false);
  });

  it('on a terminal, an import that fails puts its progress bar away, says why on a line of its own and exits', () => {
    const csv = join(dir, 'twice.csv');
    writeFileSync(csv, 'id,id\nC1,C2\n');
    // `script` runs the command on a pseudo-terminal, where the progress bar is drawn.
    const command = [process.execPath, BIN, 'import', 'customers', csv, '--database', database].map((part) => `'${part}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' }, timeout: 30_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\r?\nerror VALIDATION_FAILED: line 1: column "id" appears twice in the header\r?\n$/);
    // The cursor, hidden while the bar is drawn, is shown again.
    expect(run.stdout.lastIndexOf('\x1b[?25h')).toBeGreaterThan(run.stdout.lastIndexOf('\x1b[?25l'));
  });

  it('stops quietly when the reader of its output goes away (| head, | grep -q)', async () => {
    const child = spawn(process.execPath, [BIN, 'segment', 'list', '--database', database], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the command writes its first line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });

  it('prints errors in Chinese under a Chinese locale', () => {
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const unknownWorkspace = tagbase(['import', 'customers', join(dir, 'customers.csv'), '--workspace', 'nope', '--database', database], chinese);
    expect(unknownWorkspace.code).toBe(1);
    expect(unknownWorkspace.stderr).toBe('错误 WORKSPACE_NOT_FOUND：工作空间「nope」不存在。\n');
  });

  it('speaks Chinese under a Chinese locale: summaries, help and usage errors', () => {
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const store = join(dir, 'chinese.db');
    expect(tagbase(['migrate', '--database', store], chinese).stdout).toMatch(/^已应用 0001_initial_schema/);
    expect(tagbase(['migrate', '--database', store], chinese).stdout).toBe(`表结构已是最新（sqlite ${store}）\n`);
    const csv = join(dir, 'customers-zh.csv');
    writeFileSync(csv, 'id,name,phone\nZ1,张伟,13800138000\nZ2,李娜,not-a-phone\n');
    const imported = tagbase(['import', 'customers', csv, '--database', store], chinese);
    expect(imported.code).toBe(3);
    expect(imported.stdout).toMatch(/^customers-zh\.csv：共 2 行，导入 1 行，拒绝 1 行，用时 [\d.]+ 秒（每秒 \d+ 行）\n新增客户 1 位，更新已有客户 0 位\n被拒绝的行及原因：/);
    // Again, with one more row: the customer already there is updated, the new one created.
    writeFileSync(csv, 'id,name\nZ1,张伟\nZ3,王芳\n');
    expect(tagbase(['import', 'customers', csv, '--database', store], chinese).stdout).toContain('新增客户 1 位，更新已有客户 1 位\n');
    const tick = tagbase(['tick', '--database', store], chinese);
    expect(tick.code).toBe(0);
    expect(tick.stdout).toMatch(/^\d+ 个工作空间：0 条打标记录过期，\d+ 位客户的指标已刷新，0 位客户的标签有变化\n$/);
    const help = tagbase(['import', '--help'], chinese);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('从 CSV、JSON Lines 或 Excel 工作簿导入客户、事件或打标记录');
    expect(help.stdout).toMatch(/-w, --workspace <key> +导入到哪个工作空间（默认："default"）/);
    expect(tagbase(['--help'], chinese).stdout).toMatch(/^用法: tagbase \[options\] \[command\]\n\n客户标签系统/);
    const unknown = tagbase(['segment', 'count', '--workspac', 'x'], chinese);
    expect(unknown.code).toBe(1);
    // One line of what went wrong and a pointer to the help, not the whole help under it.
    expect(unknown.stderr).toBe('错误：未知选项 --workspac\n（是不是要用 --workspace？）\n（加上 --help 查看命令用法）\n');
    const english = tagbase(['tag', 'lst'], { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' });
    expect([english.code, english.stdout, english.stderr]).toEqual([1, '', "error: unknown command 'lst'\n(Did you mean list?)\n(add --help to see how the command is used)\n"]);
  });

  it('serves HTTP and answers /healthz', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stderr.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(seen);
          if (match?.[1]) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen}`)));
      });
      const health = (await (await fetch(`${address}/healthz`)).json()) as { status: string; store: string };
      expect(health).toMatchObject({ status: 'ok', store: 'sqlite' });
      const customers = (await (await fetch(`${address}/api/v1/customers`)).json()) as { total: number };
      expect(customers.total).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('says in words why it cannot serve: a port another program holds, a log level pino does not know', async () => {
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = String((holder.address() as AddressInfo).port);
    const english = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
    try {
      const run = (env: Record<string, string>) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'serve', '--port', port, '--database', database], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('close', (code) => resolve({ code, stderr }));
        });
      // It exits, rather than staying up with nothing listening.
      expect(await run(english)).toEqual({ code: 1, stderr: `error: another program (another tagbase serve?) is already listening on 127.0.0.1 port ${port}: stop it, or choose another port with --port or PORT\n` });
      expect(await run({ ...english, LOG_LEVEL: 'verbose' })).toEqual({ code: 1, stderr: 'error: LOG_LEVEL is one of fatal, error, warn, info, debug, trace or silent; got "verbose"\n' });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('counts and exports segments, and shows a bad expression with a caret', async () => {
    const csv = join(dir, 'segment-customers.csv');
    writeFileSync(csv, 'id,name,city\nS1,周杰,上海\nS2,吴敏,上海\nS3,郑爽,北京\n');
    expect(tagbase(['import', 'customers', csv, '--database', database]).code).toBe(0);
    const count = tagbase(['segment', 'count', 'city = "上海"', '--database', database]);
    expect(count.code).toBe(0);
    expect(count.stdout).toMatch(/^2 of 4 customers \(50\.0%\), counted in [\d.]+ (µs|ms)/);
    const out = join(dir, 'shanghai.csv');
    const exported = tagbase(['segment', 'export', 'city = "上海"', '--output', out, '--database', database]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`2 customers written to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe('\uFEFFid,name,type,gender,city,member_level,phone,tags\r\nS1,周杰,,,上海,,,\r\nS2,吴敏,,,上海,,,\r\n');
    // Headed for people, in the terminal's language.
    const named = tagbase(['segment', 'export', 'city = "上海"', '--header', 'names', '--database', database], { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' });
    expect(named.stdout.split('\r\n')[0]).toBe('\uFEFF编号,姓名,类型,性别,城市,会员等级,手机,标签');
    expect(tagbase(['segment', 'export', 'city = "上海"', '--header', 'labels', '--database', database]).stderr).toMatch(/^error: --header must be keys or names; got "labels"\n/);
    const jsonl = tagbase(['segment', 'export', 'city = "北京"', '--format', 'jsonl', '--database', database]);
    expect(JSON.parse(jsonl.stdout)).toMatchObject({ id: 'S3', name: '郑爽', city: '北京' });
    // A workbook, read back by the importer's own reader.
    const workbook = join(dir, 'beijing.xlsx');
    expect(tagbase(['segment', 'export', 'city = "北京"', '--format', 'xlsx', '--output', workbook, '--database', database]).code).toBe(0);
    const bytes = readFileSync(workbook);
    const [sheet] = await readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(sheet?.data).toEqual([
      ['id', 'name', 'type', 'gender', 'city', 'member_level', 'phone', 'tags'],
      ['S3', '郑爽', null, null, '北京', null, null, null],
    ]);
    expect(tagbase(['segment', 'export', 'city = "北京"', '--format', 'xls', '--database', database]).stderr).toMatch(/^error: --format must be csv, jsonl or xlsx; got "xls"\n/);
    // A file that cannot be written exports nothing, and nothing is logged.
    const nowhere = tagbase(['segment', 'export', 'city = "上海"', '--output', join(dir, 'no-such-dir', 'x.csv'), '--database', database]);
    expect([nowhere.code, nowhere.stderr]).toEqual([1, `error: ${join(dir, 'no-such-dir', 'x.csv')}: no such file or directory\n`]);
    const file = new Database(database, { readonly: true });
    try {
      const logged = file.prepare('select actor, source, target, format, rows from export_log order by id').all();
      expect(logged).toEqual([
        { actor: 'cli', source: 'expression', target: 'city = "上海"', format: 'csv', rows: 2 },
        { actor: 'cli', source: 'expression', target: 'city = "上海"', format: 'csv', rows: 2 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'jsonl', rows: 1 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'xlsx', rows: 1 },
      ]);
    } finally {
      file.close();
    }
    const bad = tagbase(['segment', 'count', 'city = "上海" and ctiy = "北京"', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('EXPRESSION_UNKNOWN_NAME at line 1, column 17');
    expect(bad.stderr).toContain('1 | city = "上海" and ctiy = "北京"');
    expect(bad.stderr).toContain(` | ${' '.repeat(18)}^^^^\n`);
    expect(tagbase(['segment', 'count', '--segment', 'nope', '--database', database]).stderr).toContain('error SEGMENT_NOT_FOUND');
    expect(tagbase(['segment', 'count', 'city = "上海"', '--segment', 'nope', '--database', database]).stderr).toContain('name an expression or a saved segment with --segment, not both');
    // A mistyped path is not a new, empty store answering "0 of 0".
    const typo = join(dir, 'stroe.db');
    const missing = tagbase(['segment', 'count', 'city = "上海"', '--database', typo]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining(`There is no store at "${typo}"`)]);
    expect(existsSync(typo)).toBe(false);
    expect(tagbase(['segment', 'export', 'city exists', '--format', 'xml', '--database', database]).stderr).toContain('--format must be csv, jsonl or xlsx');
    expect(tagbase(['segment', 'list', '--database', database]).stdout).toContain('no saved segments');
    // A segment saved in the console; its size is counted until `tick` records today's.
    const saved = new Database(database);
    try {
      const { id } = saved.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      saved.prepare("insert into segments (workspace_id, key, name, expression, created_at, updated_at) values (?, 'shanghai', '上海客户', 'city = \"上海\"', 0, 0)").run(id);
    } finally {
      saved.close();
    }
    const counted = tagbase(['segment', 'sizes', '上海客户', '--days', '7', '--database', database]);
    expect(counted.stdout).toMatch(/^shanghai: size over the last 7 days\n\d{4}-\d{2}-\d{2} +2 +50\.0% +\(counted now, recorded later today\)\n$/);
    const ticked = tagbase(['tick', '--database', database]);
    expect(ticked.code).toBe(0);
    expect(ticked.stdout).toMatch(/\nrecorded today's size of 1 saved segment\(s\)\n$/);
    // Once a day: the next tick records nothing more, and says nothing of it.
    expect(tagbase(['tick', '--database', database]).stdout).not.toContain('saved segment');
    expect(tagbase(['segment', 'sizes', 'shanghai', '--database', database]).stdout).toMatch(/\n\d{4}-\d{2}-\d{2} +2 +50\.0%\n$/);
    expect(tagbase(['segment', 'sizes', 'shanghai', '--days', '0', '--database', database]).stderr).toContain('a positive whole number');
  });

  it('exports a saved segment named by its name, logged by its key, and says which command wants an expression', () => {
    // The segment 上海客户 (shanghai) of the test above.
    expect(tagbase(['segment', 'export', '--segment', '上海客户', '--database', database]).code).toBe(0);
    const file = new Database(database, { readonly: true });
    try {
      expect(file.prepare('select source, target, rows from export_log order by id desc limit 1').get()).toEqual({ source: 'segment', target: 'shanghai', rows: 2 });
    } finally {
      file.close();
    }
    expect(tagbase(['segment', 'export', '--database', database]).stderr).toBe('error: name an expression, e.g. tagbase segment export \'city = "上海" and orders_total >= 2\', or a saved segment with --segment\n');
    expect(tagbase(['segment', 'count', '--database', database]).stderr).toContain('e.g. tagbase segment count ');
    // In Chinese, a segment is 人群, as in the console and the API.
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    expect(tagbase(['segment', 'export', '--database', database], chinese).stderr).toBe('错误：请给出表达式，例如 tagbase segment export \'city = "上海" and orders_total >= 2\'，或用 --segment 指定已保存的人群\n');
    expect(tagbase(['segment', '--help'], chinese).stdout).not.toContain('分群');
  });

  it('saves, changes and deletes segments, refusing a bad key and a deletion something reads', () => {
    // A store of its own: the other tests count the customers of theirs.
    const database = join(dir, 'saved-segments.db');
    const csv = join(dir, 'saved-segment-customers.csv');
    writeFileSync(csv, 'id,name,city\nG1,何军,广州\nG2,梁静,广州\nG3,黄磊,深圳\n');
    expect(tagbase(['import', 'customers', csv, '--database', database]).code).toBe(0);
    const saved = tagbase(['segment', 'save', 'guangzhou', 'city = "广州"', '--name', '广州客户', '--database', database]);
    expect([saved.code, saved.stderr]).toEqual([0, '']);
    expect(saved.stdout).toMatch(/^saved segment "广州客户" \(guangzhou\): 2 of 3 customers\n$/);
    expect(tagbase(['segment', 'list', '--database', database]).stdout).toContain('guangzhou\t广州客户\tcity = "广州"');
    // By its name too; the name stays when none is given.
    const changed = tagbase(['segment', 'save', '广州客户', 'city in ("广州", "深圳")', '--database', database]);
    expect(changed.stdout).toMatch(/^changed segment "广州客户" \(guangzhou\): 3 of 3 customers\n$/);
    expect(tagbase(['segment', 'count', '--segment', 'guangzhou', '--database', database]).stdout).toMatch(/^3 of /);
    expect(tagbase(['segment', 'save', 'south', 'segment("guangzhou") and city = "深圳"', '--database', database]).code).toBe(0);
    const refused = tagbase(['segment', 'delete', 'guangzhou', '--database', database]);
    expect([refused.code, refused.stderr]).toEqual([1, 'error SEGMENT_IN_USE: Segment "广州客户" is read by segment "south"; change those first.\n']);
    expect(tagbase(['segment', 'save', 'bad key', 'city exists', '--database', database]).stderr).toMatch(/^error VALIDATION_FAILED: .*key/);
    expect(tagbase(['segment', 'save', 'north', 'ctiy = "北京"', '--database', database]).stderr).toContain('EXPRESSION_UNKNOWN_NAME');
    expect(tagbase(['segment', 'delete', 'south', '--database', database]).stdout).toBe('deleted segment "south" (south) and its snapshots\n');
    expect(tagbase(['segment', 'delete', 'guangzhou', '--database', database]).code).toBe(0);
    expect(tagbase(['segment', 'list', '--database', database]).stdout).not.toContain('guangzhou');
  });

  it('lists, shows and applies templates, and doctor exits 4 when it finds something', () => {
    const store = join(dir, 'templates.db');
    expect(tagbase(['migrate', '--database', store]).code).toBe(0);
    const doctorClean = tagbase(['doctor', '--database', store]);
    expect(doctorClean.code).toBe(0);
    expect(doctorClean.stdout).toContain('the tag library is clean');
    expect(tagbase(['template', 'list']).stdout).toMatch(/^general +General classification \(通用客户分类\) +\d+ tags — [A-Z]/);
    expect(tagbase(['template', 'list']).stdout).toMatch(/\n(personality|levels) +.* 1 tag — /);
    expect(tagbase(['template', 'list'], { LANG: 'zh_CN.UTF-8' }).stdout).toMatch(/^general +通用客户分类（General classification） +\d+ 个标签 — /);
    expect(tagbase(['template', 'show', '餐饮']).stdout).toContain('口味 (taste; manual, multi): 清淡 / 微辣 / 麻辣 / 变态辣 / 酸甜');
    const unknown = tagbase(['template', 'apply', 'resturant', '--database', store]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error TEMPLATE_NOT_FOUND: Template "resturant" does not exist. Did you mean "restaurant"?');
    const applied = tagbase(['template', 'apply', 'levels', '--database', store]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('created 1 group(s), 1 tag(s), 3 value(s)');
    expect(tagbase(['template', 'apply', 'levels', '-d', store]).stdout).toContain('created 0 group(s), 0 tag(s), 0 value(s); 1 group(s) and 1 tag(s) already in place');
    // Without customers, nobody holding a tag says nothing about the library: said once, not a finding.
    const empty = tagbase(['doctor', '-d', store]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('the workspace has no customers yet, so no tag is reported as unused; import them with tagbase import customers FILE\nworkspace default: the tag library is clean\n');
    const csv = join(dir, 'templates-customers.csv');
    writeFileSync(csv, 'id\nC1\n');
    expect(tagbase(['import', 'customers', csv, '-d', store]).code).toBe(0);
    const doctor = tagbase(['doctor', '-d', store]);
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toContain('unused tag: 客户分级 (abc_level) — no customer holds it');
    expect(doctor.stdout).not.toContain('no customers yet');
    expect(tagbase(['doctor', '--jaccard', '2', '-d', store]).code).toBe(1);
    // One owner is no sign of a shared need: refused as the option, like the other thresholds.
    const oneOwner = tagbase(['doctor', '--min-owners', '1', '-d', store]);
    expect(oneOwner.code).toBe(1);
    expect(oneOwner.stderr).toMatch(/^error: option '--min-owners <n>' argument '1' is invalid\. must be a whole number of at least 2\n/);
  });

  it('shows how customers moved between a tag\'s values, and refuses a date it cannot read in one line', async () => {
    const store = join(dir, 'transitions.db');
    expect(tagbase(['migrate', '-d', store]).code).toBe(0);
    expect(tagbase(['template', 'apply', 'levels', '-d', store]).code).toBe(0);
    const customers = join(dir, 'level-customers.csv');
    writeFileSync(customers, 'id,name\nL1,张伟\nL2,李娜\n');
    expect(tagbase(['import', 'customers', customers, '-d', store]).code).toBe(0);
    const assign = (name: string, rows: string) => {
      const file = join(dir, name);
      writeFileSync(file, `customer_id,tag,value\n${rows}`);
      expect(tagbase(['import', 'assignments', file, '-d', store]).code).toBe(0);
    };
    assign('levels-1.csv', 'L1,abc_level,c\nL2,abc_level,b\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assign('levels-2.csv', 'L1,abc_level,a\n');
    const shown = tagbase(['tag', 'transitions', '客户分级', '--from', between, '-d', store]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toMatch(/^客户分级 \(abc_level\): \S+Z → \S+Z$/);
    expect(lines[1]).toBe('held at the start 2 · at the end 2 · stayed 1 · moved 1 · entered 0 · left 0');
    expect(lines.slice(3, 7)).toEqual(['value  start  end  gained  lost', 'C级        1    0      +0    -1', 'B级        1    1      +0    -0', 'A级        0    1      +1    -0']);
    expect(lines.slice(-3)).toEqual(['moves between values:', 'C级 → A级  1', '']);
    expect(tagbase(['tag', 'transitions', 'abc_level', '-d', store], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('（未持有） → B级');
    // What each value's customers are now: none has ordered, so the order count is 0 for each.
    const profile = tagbase(['tag', 'profile', 'abc_level', '-m', 'orders_total', '-d', store]);
    expect(profile.stderr).toBe('');
    expect(profile.stdout.split('\n').slice(0, 3)).toEqual(['客户分级 (abc_level) now', '', 'value       customers   share  累计订单数 (mean)']);
    expect(profile.stdout).toContain('A级                 1   50.0%                  0');
    expect(profile.stdout).toContain('(everyone)          2  100.0%                  0');
    expect(tagbase(['tag', 'profile', 'abc_level', '-m', 'last_order_at', '-d', store]).stderr).toContain('error VALIDATION_FAILED');
    expect(tagbase(['tag', 'profile', 'abc_level', '-s', 'vip', '-d', store]).stderr).toContain('error SEGMENT_NOT_FOUND');
    const bad = tagbase(['tag', 'transitions', 'abc_level', '--from', 'last week', '-d', store]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error VALIDATION_FAILED: --from "last week" is not a date or time like 2026-11-01 or 2026-11-01T08:00\n');
  });

  it('adds a care plan from a file saved with a byte-order mark or in GB18030, as Windows editors save them', () => {
    const store = join(dir, 'care-files.db');
    expect(tagbase(['migrate', '-d', store]).code).toBe(0);
    const plan = (key: string, name: string) => JSON.stringify({ key, name, trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: `{name}，${name}` }] });
    const bom = join(dir, 'plan-bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plan('bom', '售后回访'), 'utf8')]));
    const gbk = join(dir, 'plan-gbk.json');
    writeFileSync(gbk, gb18030Bytes(plan('gbk', '生日祝福')));
    expect(tagbase(['care', 'add', bom, '-d', store]).stdout).toBe('Added the care plan 售后回访 (bom); it reacts to what happens from now on.\n');
    expect(tagbase(['care', 'add', gbk, '-d', store]).stdout).toBe('Added the care plan 生日祝福 (gbk); it reacts to what happens from now on.\n');
    expect(tagbase(['care', 'plans', '-d', store]).stdout).toContain('  1. 1d: {name}，生日祝福');
    const binary = join(dir, 'plan.bin');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0xff, 0x7d]));
    expect(tagbase(['care', 'add', binary, '-d', store]).stderr).toBe(`error VALIDATION_FAILED: ${binary} is neither UTF-8 nor GB18030 text\n`);
  });

  it('pages through more reminders than one listing shows, saying which part it shows and the offset of the next', () => {
    const store = join(dir, 'care-pages.db');
    const plan = join(dir, 'thanks.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '感谢购买 {event:order_id}' }] }));
    expect(tagbase(['migrate', '-d', store]).code).toBe(0);
    expect(tagbase(['care', 'add', plan, '-d', store]).code).toBe(0);
    const events = join(dir, 'care-page-events.jsonl');
    // A little in the past: a step of 0 is then due when the round reads it, however soon that is.
    const at = Date.now() - 10_000;
    writeFileSync(events, ['P1', 'P2', 'P3'].map((customer, index) => JSON.stringify({ id: `PE${index}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(at + index * 1000).toISOString(), properties: { order_id: `O-${index}`, amount: 10 } })).join('\n'));
    expect(tagbase(['import', 'events', events, '-d', store]).code).toBe(0);
    expect(tagbase(['care', 'run', '-d', store]).stdout).toContain('3 fell due');
    const lines = (args: string[]) => tagbase(['care', 'reminders', ...args, '-d', store]).stdout.trimEnd().split('\n');
    const first = lines(['-n', '2']);
    expect(first.slice(0, 2).map((line) => /(P\d)/.exec(line)?.[1])).toEqual(['P1', 'P2']);
    expect(first[2]).toBe('… 1–2 of 3 due reminders shown; the next with --offset 2');
    const next = lines(['-n', '2', '-o', '2']);
    expect(next.map((line) => /(P\d)/.exec(line)?.[1] ?? line)).toEqual(['P3', '… 3–3 of 3 due reminders shown', '(times in UTC+08:00)']);
    expect(lines(['-o', '3'])).toEqual(['No reminders from this --offset on: 3 due in all.']);
    expect(tagbase(['care', 'reminders', '-o', '-1', '-d', store]).stderr).toContain('must be a whole number, 0 or more');
    expect(tagbase(['care', 'reminders', '-n', '2', '-d', store], { LANG: 'zh_CN.UTF-8' }).stdout.trimEnd().split('\n')[2]).toBe('…… 共 3 条 due 提醒，显示了第 1–2 条；下一页加 --offset 2');
  });

  it('adds a care plan from a file, runs a round, lists the reminders and closes one', () => {
    const store = join(dir, 'care.db');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买 {event:order_id}' }, { after: '3d', message: '回访', condition: 'orders_total >= 1' }] }));
    expect(tagbase(['migrate', '-d', store]).code).toBe(0);
    const added = tagbase(['care', 'add', plan, '-d', store]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe('Added the care plan 购后感谢 (thanks); it reacts to what happens from now on.\n');
    const events = join(dir, 'care-events.jsonl');
    writeFileSync(events, `${JSON.stringify({ id: 'CE1', customer_id: 'K1', type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: 'O-77', amount: 10 } })}\n`);
    expect(tagbase(['import', 'events', events, '-d', store]).code).toBe(0);
    // tick runs the care round too, and says what it did as care run does.
    expect(tagbase(['tick', '-d', store]).stdout).toMatch(/\nScheduled 2 reminder\(s\) \(0 step\(s\) already long past were left out\); 1 fell due, 0 skipped\.\n$/);
    const due = tagbase(['care', 'reminders', '-d', store]);
    // Due at the workspace's wall-clock time (Beijing by default), as the console shows it.
    const dueAt = new Date(Date.parse(JSON.parse(readFileSync(events, 'utf8')).occurred_at as string) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(due.stdout).toBe(`#${/^#(\d+)/.exec(due.stdout)?.[1] ?? ''}  ${dueAt}  K1  购后感谢 step 1  ，感谢购买 O-77\n(times in UTC+08:00)\n`);
    const id = /^#(\d+)/.exec(due.stdout)?.[1] ?? '';
    expect(tagbase(['care', 'done', `#${id}`, '-a', '导购-小李', '-d', store]).stdout).toBe(`Reminder #${id} done.\n`);
    expect(tagbase(['care', 'reminders', '-d', store]).stdout).toBe('No reminders.\n');
    expect(tagbase(['care', 'reminders', '-s', 'done', '-d', store]).stdout).toContain('购后感谢 step 1');
    const plans = tagbase(['care', 'plans', '-d', store], { LANG: 'zh_CN.UTF-8' });
    expect(plans.stdout.split('\n').slice(0, 4)).toEqual(['购后感谢 (thanks)  行为 order_paid  待处理 0，已安排 1，已完成 1', '  1. 0: {name}，感谢购买 {event:order_id}', '  2. 3d: 回访', '     条件：orders_total >= 1']);
    const again = tagbase(['care', 'done', id, '-d', store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error CARE_REMINDER_CLOSED');
    // Marked done by mistake: open again, and closed for good.
    expect(tagbase(['care', 'reopen', `#${id}`, '-d', store]).stdout).toBe(`Reminder #${id} reopened: due again.\n`);
    expect(tagbase(['care', 'reminders', '-d', store]).stdout).toContain('购后感谢 step 1');
    expect(tagbase(['care', 'reopen', id, '-d', store], { LANG: 'zh_CN.UTF-8' }).stderr).toContain(`提醒 ${id} 的状态是「待处理」：只有已完成或已忽略的提醒能重新打开。`);
    expect(tagbase(['care', 'done', id, '-d', store]).code).toBe(0);
    expect(tagbase(['care', 'reminders', '-s', 'lost', '-d', store]).stderr).toContain('use due, scheduled, done, dismissed or skipped');
    writeFileSync(plan, '{"key": "x",');
    // The file is named, not "the request body" as the API says of its own input.
    expect(tagbase(['care', 'add', plan, '-d', store]).stderr).toMatch(new RegExp(`^error MALFORMED_JSON: ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: \\S`));
    expect(tagbase(['care', 'disable', '购后感谢', '-d', store]).stdout).toBe('The care plan 购后感谢 (thanks) is off.\n');
    expect(tagbase(['care', 'plans', '-d', store]).stdout.split('\n')[0]).toBe('购后感谢 (thanks) [off]  on order_paid  due 0, scheduled 1, done 1');
    expect(tagbase(['care', 'enable', 'thanks', '-d', store]).code).toBe(0);
    // Changed in place, its reminders kept: only what the file names changes.
    writeFileSync(plan, JSON.stringify({ steps: [{ after: '0', message: '{name}，谢谢惠顾' }], quiet_hours: { start: '21:00', end: '08:00' } }));
    expect(tagbase(['care', 'update', '购后感谢', plan, '-d', store]).stdout).toBe('Changed the care plan 购后感谢 (thanks); new steps apply to reminders scheduled from now on.\n');
    expect(tagbase(['care', 'plans', '-d', store]).stdout.split('\n').slice(0, 3)).toEqual(['购后感谢 (thanks)  on order_paid  due 0, scheduled 1, done 1', '  nothing falls due 21:00–08:00 (moved to 08:00)', '  1. 0: {name}，谢谢惠顾']);
    expect(tagbase(['care', 'update', 'thanks', '-', '-d', store], { LANG: 'zh_CN.UTF-8' }, '{"trigger": {"kind": "birthday"}}').stderr).toContain('关怀计划的触发条件不能修改');
    const asked = tagbase(['care', 'remove', 'thanks', '-d', store]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('deleting the care plan 购后感谢 takes its 2 reminder(s) with it and cannot be undone; run it again with --yes to delete\n');
    expect(tagbase(['care', 'remove', 'thanks', '--yes', '-d', store]).stdout).toBe('Deleted the care plan 购后感谢 and its 2 reminder(s).\n');
    expect(tagbase(['care', 'remove', 'thanks', '--yes', '-d', store]).stderr).toContain('error CARE_PLAN_NOT_FOUND');
  });

  it('puts a due reminder off, and says what it wants when the time is not one', () => {
    const store = join(dir, 'care-snooze.db');
    const plan = join(dir, 'snooze-plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }));
    expect(tagbase(['migrate', '-d', store]).code).toBe(0);
    expect(tagbase(['care', 'add', plan, '-d', store]).code).toBe(0);
    const events = join(dir, 'snooze-events.jsonl');
    writeFileSync(events, `${JSON.stringify({ id: 'SE1', customer_id: 'S1', type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: 'O-1', amount: 10 } })}\n`);
    expect(tagbase(['import', 'events', events, '-d', store]).code).toBe(0);
    expect(tagbase(['care', 'run', '-d', store]).stdout).toContain('1 fell due');
    const id = /^#(\d+)/.exec(tagbase(['care', 'reminders', '-d', store]).stdout)?.[1] ?? '';
    const bad = tagbase(['care', 'snooze', id, 'soon', '-d', store], { LANG: 'zh_CN.UTF-8' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('应为往后推的时长，如 1h、3h 或 1d');
    expect(tagbase(['care', 'snooze', `#${id}`, '2h', '-d', store]).stdout).toMatch(new RegExp(`^Reminder #${id} put off: due again at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(UTC\\+08:00\\)\\.\n$`));
    expect(tagbase(['care', 'reminders', '-d', store]).stdout).toBe('No reminders.\n');
    expect(tagbase(['care', 'reminders', '-s', 'scheduled', '-d', store]).stdout).toContain(`#${id} `);
    expect(tagbase(['care', 'snooze', id, '2h', '-d', store]).stderr).toContain('error CARE_REMINDER_CLOSED');
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
    expect(tagbase(['import', 'events', join(dir, 'orders.jsonl'), '--database', store]).code).toBe(0);
    expect(tagbase(['model', 'enable', 'vip', '--param', 'spend_365d=100', '--database', store]).code).toBe(0);
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

  it('enables models with parameters, lists them, and refuses a bad parameter in one line', () => {
    const enabled = tagbase(['model', 'enable', 'vip', '--param', 'spend_365d=8000', '--database', database]);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain('VIP客户 (VIP) ⇐ spend_365d >= 8000');
    expect(tagbase(['model', 'list', '--database', database]).stdout).toMatch(/● vip\s+VIP/);
    const bad = tagbase(['model', 'enable', 'rfm', '-p', 'recency=soon', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error MODEL_INVALID: Model "rfm": recency: a threshold is "mean", "median" or a number of at least 0\n');
    expect(tagbase(['model', 'refresh', 'rfm', '--database', database]).stderr).toContain('error MODEL_NOT_ENABLED');
    expect(tagbase(['model', 'enable', 'vip', '-p', 'spend_365d', '--database', database]).stderr).toContain('--param takes NAME=VALUE');
    // The model's tag under a key of its own, kept when the parameters change.
    expect(tagbase(['model', 'enable', 'activity', '--tag-key', 'activity_state', '--database', database]).stdout).toContain('  its tag: activity_state\n');
    expect(tagbase(['model', 'enable', 'activity', '-p', 'active_days=20', '--database', database]).stdout).toContain('  its tag: activity_state\n');
    expect(tagbase(['model', 'enable', 'activity', '--tag-key', 'active', '--database', database]).stderr).toContain('error MODEL_INVALID: Model "activity": its tag has the key "activity_state", which stays');
  });
});

describe('tagbase workspace', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cli-workspaces-')), 'store.db');

  it('makes a workspace the other commands then act in', () => {
    expect(tagbase(['migrate', '--database', database]).code).toBe(0);
    expect(tagbase(['audit', '-w', 'shop-hz', '--database', database]).stderr).toContain('WORKSPACE_NOT_FOUND');
    const made = tagbase(['workspace', 'create', 'shop-hz', '--name', '杭州店', '--database', database]);
    expect(made).toMatchObject({ code: 0, stdout: 'created the workspace "shop-hz" (杭州店); name it with -w shop-hz, or X-Tagbase-Workspace: shop-hz on the API\n' });
    expect(tagbase(['audit', '-w', 'shop-hz', '--database', database]).code).toBe(0);
  });

  it('lists the workspaces, named as made or by their key', () => {
    expect(tagbase(['workspace', 'create', 'shop-sh', '--database', database]).stdout).toContain('"shop-sh" (shop-sh)');
    expect(tagbase(['workspace', 'list', '--database', database]).stdout).toMatch(/^default {2}Default {2}UTC\+08:00 {2}created \S+\nshop-hz {2}杭州店 {2}UTC\+08:00 {2}created \S+\nshop-sh {2}shop-sh {2}UTC\+08:00 {2}created \S+\n$/);
    expect(tagbase(['workspace', 'list', '--database', database], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('shop-hz  杭州店  UTC+08:00  创建于 ');
  });

  it('makes a workspace in another time zone, and moves or renames one, in the audit trail', () => {
    expect(tagbase(['workspace', 'create', 'shop-ldn', '-n', 'London', '--utc-offset', 'UTC+0', '--database', database]).code).toBe(0);
    expect(tagbase(['workspace', 'list', '--database', database]).stdout).toMatch(/\nshop-ldn {2}London {2}UTC\+00:00 {2}created /);
    expect(tagbase(['workspace', 'update', 'shop-ldn', '--utc-offset', '-05:00', '--actor', '运维-老陈', '--database', database]).stdout).toBe('workspace "shop-ldn": London, UTC-05:00\n');
    expect(tagbase(['workspace', 'update', 'shop-ldn', '-n', 'New York', '--database', database]).stdout).toBe('workspace "shop-ldn": New York, UTC-05:00\n');
    expect(tagbase(['audit', '-w', 'shop-ldn', '--database', database]).stdout).toContain("运维-老陈  cli  changed the workspace's name or time zone  shop-ldn");
    // A zone no one has, or none at all: one line, nothing changed.
    const bad = tagbase(['workspace', 'create', 'shop-x', '--utc-offset', '+8:20', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("option '--utc-offset <offset>' argument '+8:20' is invalid. must be a time zone as +08:00, +8, UTC-5 or -03:30");
    expect(tagbase(['workspace', 'update', 'shop-ldn', '--database', database]).stderr).toBe('error VALIDATION_FAILED: nothing to change: give --name or --utc-offset\n');
    expect(tagbase(['workspace', 'update', 'nowhere', '--utc-offset', '+1', '--database', database]).stderr).toContain('WORKSPACE_NOT_FOUND');
  });

  it('refuses a taken key, a bad key and an overlong name in one line, and makes nothing', () => {
    expect(tagbase(['workspace', 'create', 'shop-hz', '--database', database])).toMatchObject({ code: 1, stderr: 'error WORKSPACE_EXISTS: Workspace "shop-hz" already exists.\n' });
    expect(tagbase(['workspace', 'create', '杭州 店', '--database', database]).stderr).toMatch(/^error INVALID_WORKSPACE: .*\n$/);
    expect(tagbase(['workspace', 'create', 'long', '-n', 'x'.repeat(129), '--database', database], { LANG: 'zh_CN.UTF-8' }).stderr).toBe('错误 VALIDATION_FAILED：工作空间名称为 1 到 128 个字符\n');
    expect(tagbase(['workspace', 'list', '--database', database]).stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('tagbase field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-fields-'));
  const database = join(dir, 'store.db');

  it('declares custom fields that an import then fills, and lists them', () => {
    expect(tagbase(['migrate', '--database', database]).code).toBe(0);
    expect(tagbase(['field', 'list', '--database', database]).stdout).toBe('the workspace "default" has no custom fields; declare one with tagbase field add\n');
    const csv = join(dir, 'notes.csv');
    writeFileSync(csv, 'id,会员备注,level\nF1,老客户,金\n');
    // Not declared yet: the file is refused before any row.
    expect(tagbase(['import', 'customers', csv, '--database', database]).stderr).toContain('the file has column(s) 会员备注, level that are no customer field');
    expect(tagbase(['field', 'add', '会员备注', '--database', database]).stdout).toBe('declared the custom field "会员备注" (会员备注, string) in the workspace "default"; imports read the column custom.会员备注 or 会员备注 into it\n');
    expect(tagbase(['field', 'add', 'level', '-n', '等级', '-t', 'enum', '-o', '金,银、铜', '--database', database]).code).toBe(0);
    expect(tagbase(['field', 'list', '--database', database]).stdout).toBe('会员备注  会员备注  string\nlevel  等级  enum (金, 银, 铜)\n');
    expect(tagbase(['import', 'customers', csv, '--database', database]).stdout).toMatch(/^notes\.csv: 1 rows, 1 imported, 0 rejected/);
  });

  it('refuses a bad key or type, an enum without values and a taken key in one line', () => {
    expect(tagbase(['field', 'add', '2x', '--database', database])).toMatchObject({ code: 1, stderr: 'error VALIDATION_FAILED: key: a key is 1-64 letters (Chinese too), digits, "_" or "-", starting with a letter or "_"\n' });
    expect(tagbase(['field', 'add', 'colour', '-t', 'enum', '--database', database]).stderr).toBe('error VALIDATION_FAILED: options: an enum field needs options\n');
    expect(tagbase(['field', 'add', 'size', '-t', 'float', '--database', database]).stderr).toMatch(/^error: option '-t, --type <type>' argument 'float' is invalid\. use string, number, boolean, date or enum\n/);
    expect(tagbase(['field', 'add', 'city', '--database', database]).stderr).toBe('error FIELD_EXISTS: Field "city" already exists.\n');
    expect(tagbase(['field', 'list', '-w', 'nope', '--database', database]).stderr).toContain('WORKSPACE_NOT_FOUND');
    expect(tagbase(['field', 'list', '--database', database]).stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });
});

describe('tagbase import from standard input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-piped-'));
  const database = join(dir, 'store.db');

  it('imports rows piped to it as -, given their format, and reports rejections beside where it runs', () => {
    const events = '{"id":"PIPE1","customer_id":"PIPED1","type":"app_opened","occurred_at":"2026-12-01T10:00:00Z","properties":{}}\n{"id":"PIPE2","customer_id":"PIPED1","type":"bad type","occurred_at":"2026-12-01T10:00:00Z"}\n';
    const piped = spawnSync(process.execPath, [BIN, 'import', 'events', '-', '-f', 'jsonl', '--database', database], { encoding: 'utf8', cwd: dir, input: events, timeout: 60_000 });
    expect(piped.stdout).toMatch(/^standard input: 2 rows, 1 imported, 1 rejected in /);
    expect(piped.stdout).toContain('rejected rows and reasons: events.rejected.csv');
    expect(piped.status).toBe(3);
    expect(readFileSync(join(dir, 'events.rejected.csv'), 'utf8')).toContain('2,VALIDATION_FAILED');
    expect(tagbase(['customer', 'show', 'PIPED1', '--json', '--database', database]).stdout).toContain('"type": "app_opened"');
    // A workbook piped in is read whole; Chinese headers as from a file.
    const workbook = readFileSync(join(import.meta.dirname, '../fixtures/shop-export.xlsx'));
    expect(tagbase(['import', 'customers', '-', '-f', 'xlsx', '--report', join(dir, 'piped.rejected.csv'), '--database', database], {}, workbook).stdout).toMatch(/standard input: 4 rows, 3 imported, 1 rejected/);
    expect(tagbase(['import', 'events', '-', '--database', database], {}, events)).toMatchObject({ code: 1, stderr: 'error: reading standard input (-), say what it holds: --format csv, jsonl or xlsx\n' });
    expect(tagbase(['import', 'events', '-', '-f', 'jsonl', '--database', database], {}, ' [{"id": "A"}]\n').stderr).toBe("error: standard input holds one JSON array; import reads JSON Lines, one object per line (pipe it through jq -c '.[]' first)\n");
  });
});

describe('tagbase customer show and tag list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-reading-'));
  const database = join(dir, 'store.db');

  it('reads a customer and the tag library from the terminal, and says what is wrong in one line', () => {
    writeFileSync(join(dir, 'customers.csv'), 'id,name,city\nR1,王芳,苏州\n');
    expect(tagbase(['import', 'customers', join(dir, 'customers.csv'), '--database', database]).code).toBe(0);
    expect(tagbase(['template', 'apply', 'general', '--database', database]).code).toBe(0);
    const shown = tagbase(['customer', 'show', 'R1', '--database', database]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^R1 {2}王芳 {2}\(times in UTC\+08:00\)\n {2}city +苏州\n/);
    expect(JSON.parse(tagbase(['customer', 'show', 'R1', '--json', '--database', database]).stdout)).toMatchObject({ id: 'R1', name: '王芳', city: '苏州', tags: [] });
    expect(tagbase(['customer', 'show', 'R9', '--database', database])).toMatchObject({ code: 1, stderr: 'error CUSTOMER_NOT_FOUND: Customer "R9" does not exist.\n' });
    expect(tagbase(['customer', 'show', 'R1', '-n', 'x', '--database', database]).stderr).toMatch(/^error: option '-n, --recent <count>' argument 'x' is invalid/);
    const library = tagbase(['tag', 'list', '--database', database]);
    expect(library.code).toBe(0);
    expect(library.stdout).toMatch(/^\d+ tags in the workspace "default" \(values: name, key, customers\)\n/);
    const listed = JSON.parse(tagbase(['tag', 'list', '--json', '--database', database]).stdout) as { key: string }[];
    expect(listed.length).toBeGreaterThan(0);
    for (const tag of listed) expect(library.stdout).toContain(`  ${tag.key}  `);
  });
});

describe('tagbase token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-tokens-'));
  const database = join(dir, 'store.db');

  /** Starts `tagbase serve` and resolves with its address and what it wrote to stderr. */
  function serveOn(args: string[]) {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--database', database, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8', LOG_LEVEL: 'warn' } });
    const started = new Promise<{ address: string; stderr: string }>((resolve, reject) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /listening on (http:\/\/\S+)[\s\S]*API docs[^\n]*\n([\s\S]*)/.exec(seen);
        if (match?.[1]) setTimeout(() => resolve({ address: match[1] ?? '', stderr: seen }), 200);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen}`)));
    });
    return { child, started };
  }

  it('warns when it listens beyond this machine with no token', async () => {
    const { child, started } = serveOn(['--host', '0.0.0.0']);
    try {
      expect((await started).stderr).toContain('warning: listening on 0.0.0.0 with no access token');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('makes a token shown once, lists and revokes tokens, and a server then asks for one', async () => {
    expect(tagbase(['token', 'list', '--database', database]).stdout).toBe('no access tokens: the API is open to whoever can reach it\n');
    const made = tagbase(['token', 'create', '导购-王芳', '--role', 'operator', '--database', database]);
    expect(made.code).toBe(0);
    const token = /\n(tb_\S+)\n/.exec(made.stdout)?.[1] ?? '';
    expect(token).toMatch(/^tb_/);
    expect(made.stdout).toContain('created a token for "导购-王芳" in the role operator; it is shown only now');
    expect(made.stdout).toContain('this is the first token: from now on the API and the console ask for a token');
    const wrongRole = tagbase(['token', 'create', 'x', '--role', 'owner', '--database', database]);
    expect(wrongRole.code).toBe(1);
    expect(wrongRole.stderr).toContain('the role is one of admin, operator, viewer');
    expect(tagbase(['token', 'create', '导购-王芳', '--role', 'viewer', '--database', database]).stderr).toContain('ACCESS_TOKEN_NAME_TAKEN');
    expect(tagbase(['token', 'list', '--database', database]).stdout).toMatch(/^导购-王芳 {2}operator {2}created \d{4}-\d\d-\d\dT[\d:.]+Z {2}never used\n$/);
    const temporary = tagbase(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', '30', '--database', database]);
    expect(temporary.stdout).toMatch(/\nit is refused from \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    expect(tagbase(['token', 'create', 'x', '--role', 'viewer', '--expires-in', '0', '--database', database]).code).toBe(1);
    expect(tagbase(['token', 'list', '--database', database]).stdout).toMatch(/^临时-小张 {2}viewer {2}created \S+ {2}expires \S+ {2}never used\n/);
    expect(tagbase(['token', 'revoke', '临时-小张', '--database', database]).code).toBe(0);
    expect(tagbase(['token', 'create', '门店-小刘', '--role', 'operator', '-w', 'default', '--database', database]).code).toBe(0);
    expect(tagbase(['token', 'list', '--database', database]).stdout).toMatch(/^门店-小刘 {2}operator {2}created \S+ {2}only in default {2}never used\n/);
    expect(tagbase(['token', 'create', 'y', '--role', 'viewer', '-w', 'nowhere', '--database', database]).stderr).toContain('WORKSPACE_NOT_FOUND');
    expect(tagbase(['token', 'revoke', '门店-小刘', '--database', database]).code).toBe(0);
    expect(tagbase(['token', 'list', '--database', database]).stdout).not.toContain(token);

    const { child, started } = serveOn(['--quiet']);
    try {
      const { address, stderr } = await started;
      expect(stderr).not.toContain('warning');
      expect((await fetch(`${address}/api/v1/customers`)).status).toBe(401);
      const answer = await fetch(`${address}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
      expect(await answer.json()).toMatchObject({ authenticated: true, name: '导购-王芳', role: 'operator' });
      expect((await fetch(`${address}/api/v1/customers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      // A clean stop writes down when the tokens were last used.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(tagbase(['token', 'list', '--database', database]).stdout).toMatch(/\n导购-王芳 {2}operator {2}created \S+ {2}last used \S+\n$/);

    const revoked = tagbase(['token', 'revoke', '导购-王芳', '--database', database]);
    expect(revoked.stdout).toBe('revoked the token of "导购-王芳"\nno live token is left: the API is open again to whoever can reach it\n');
    expect(tagbase(['token', 'revoke', '导购-王芳', '--database', database]).stderr).toContain('ACCESS_TOKEN_NOT_FOUND');
    expect(tagbase(['token', 'list', '--database', database]).stdout).toMatch(/operator {2}created \S+ {2}last used \S+ {2}revoked \S+\n$/);
    const trail = tagbase(['audit', '--database', database]).stdout.split('\n');
    expect(trail[0]).toMatch(/ {2}cli {2}cli {2}revoked an access token {2}导购-王芳$/);
    expect(trail[2]).toMatch(/ {2}cli {2}cli {2}created an access token {2}门店-小刘 \(operator, default\)$/);
    expect(trail[4]).toMatch(/ {2}cli {2}cli {2}created an access token {2}临时-小张 \(viewer, 30d\)$/);
    expect(trail[5]).toMatch(/ {2}cli {2}cli {2}created an access token {2}导购-王芳 \(operator\)$/);
  });
});

describe('tagbase webhook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-webhooks-'));
  const database = join(dir, 'store.db');

  it('adds a webhook showing its secret once, tests it against a real receiver, lists and removes it, all in the audit trail', async () => {
    const received: { topic: string; signature: string; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ topic: String(request.headers['x-tagbase-topic']), signature: String(request.headers['x-tagbase-signature']), body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // The receiver answers on this process's event loop: the command must not block it.
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args, '--database', database], { env: { ...process.env, LANG: 'en_US.UTF-8' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      expect((await run(['migrate'])).code).toBe(0);
      expect((await run(['webhook', 'list'])).stdout).toBe('no webhooks\n');
      const added = await run(['webhook', 'add', url, '--topic', 'tag_changes', '--topic', 'care_reminders', '--secret', 'a-secret-of-sixteen+']);
      expect(added.code).toBe(0);
      expect(added.stdout).toBe(`created webhook #1:\n#1  ${url}  tag_changes + care_reminders  nothing posted yet\nits signing secret, shown only now (X-Tagbase-Signature is the HMAC-SHA256 of each body under it):\na-secret-of-sixteen+\n`);
      const bad = await run(['webhook', 'add', url, '--topic', 'everything']);
      expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('"everything" is not a topic; the topics are tag_changes, segment_changes, care_reminders')]);

      const tested = await run(['webhook', 'test', '1']);
      expect(tested.code).toBe(0);
      expect(tested.stdout).toMatch(/^test post to webhook #1 delivered: HTTP 200 in \d+ ms\n$/);
      expect(received.map((post) => post.topic)).toEqual(['test']);
      const signed = received[0];
      expect(signed?.signature).toBe(`sha256=${createHmac('sha256', 'a-secret-of-sixteen+').update(signed?.body ?? '').digest('hex')}`);

      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      const failed = await run(['webhook', 'test', '1']);
      expect(failed.code).toBe(5);
      expect(failed.stderr).toMatch(/^test post to webhook #1 not delivered: connection refused: nothing listens at this address and port \(ECONNREFUSED\) \(after \d+ ms\)\n$/);
      expect((await run(['webhook', 'list'])).stdout).toBe(`#1  ${url}  tag_changes + care_reminders  nothing posted yet\n`);
      const deliveries = await run(['webhook', 'deliveries', '1']);
      expect(deliveries.stdout).toMatch(/^\S+Z {2}test {2}not delivered: connection refused: nothing listens at this address and port \(ECONNREFUSED\) {2}\d+ ms\n\S+Z {2}test {2}delivered, HTTP 200 {2}\d+ ms\n$/);
      const rotated = await run(['webhook', 'rotate-secret', '1', '--secret', 'the-second-secret-16']);
      expect(rotated.stdout).toBe('webhook #1 has a new signing secret, shown only now; posts are signed with it from now on:\nthe-second-secret-16\n');

      const paused = await run(['webhook', 'pause', '1', '--actor', '运营-王芳']);
      expect(paused.stdout).toMatch(new RegExp(`^webhook #1 paused; what happens meanwhile is posted once it is resumed \\(tagbase webhook resume 1\\):\n#1  ${url}  tag_changes \\+ care_reminders  paused \\S+Z by 运营-王芳: nothing is posted until it is resumed\n$`));
      const retried = await run(['webhook', 'retry', '1']);
      expect([retried.code, retried.stderr]).toEqual([1, expect.stringContaining('is paused: resume it')]);
      const resumed = await run(['webhook', 'resume', '1']);
      expect(resumed.stdout).toBe(`webhook #1 resumed; the server posts what it has not delivered yet within a second:\n#1  ${url}  tag_changes + care_reminders  nothing posted yet\n`);
      expect((await run(['webhook', 'retry', '1'])).code).toBe(0);

      expect((await run(['webhook', 'remove', '1'])).stdout).toBe('deleted webhook #1\n');
      expect((await run(['webhook', 'remove', '1'])).stderr).toContain('WEBHOOK_NOT_FOUND');
      const trail = (await run(['audit'])).stdout.split('\n');
      expect(trail.slice(0, 8).map((line) => line.replace(/^\S+ {2}/, ''))).toEqual([
        `cli  cli  deleted a webhook  #1 ${url}`,
        'cli  cli  retried a failing webhook now  #1',
        'cli  cli  resumed a webhook  #1',
        '运营-王芳  cli  paused a webhook  #1',
        "cli  cli  changed a webhook's signing secret  #1",
        'cli  cli  sent a test post to a webhook  #1',
        'cli  cli  sent a test post to a webhook  #1',
        `cli  cli  created a webhook  #1 ${url}`,
      ]);
    } finally {
      receiver.close();
    }
  });
});
