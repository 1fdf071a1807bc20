// The `tagbase` command on a temporary SQLite file: run in the test's process for what it answers,
// and as the real binary for what only a process shows (serving, a terminal, a closed pipe).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import readWorkbook from 'read-excel-file/universal';
import { describe, expect, it, vi } from 'vitest';
import { BIN, listeningAddress, tagbaseHere } from './run-tagbase.js';

// Some tests start the real binary (a server and the commands beside it); on a busy machine
// they can take longer than the suite's default minute.
vi.setConfig({ testTimeout: 300_000 });

describe('tagbase command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-'));
  const database = join(dir, 'store.db');

  it('migrates a new store and says so, then says it is up to date', async () => {
    const first = await tagbaseHere(['migrate', '--database', database]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 0001_initial_schema');
    expect((await tagbaseHere(['migrate'], { TAGBASE_DATABASE_URL: database })).stdout).toContain('schema is up to date');
  });

  it('imports a file, prints a summary, writes the report and exits 3 when rows were rejected', async () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'id,name,phone,first_seen_at\nC1,张伟,13800138000,2026/5/1 9:30\nC2,李娜,not-a-phone,\n');
    const result = await tagbaseHere(['import', 'customers', csv, '--database', database]);
    expect(result.stdout).toContain("read 1 time without a zone as the workspace's local time (UTC+08:00)");
    expect(result.stdout).toContain('2 rows, 1 imported, 1 rejected');
    expect(result.code).toBe(3);
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8')).toContain('3,VALIDATION_FAILED');
  });

  it('counts customers a file imported again left as they were as unchanged, and those it changed as updated', async () => {
    const store = join(dir, 'unchanged.db');
    const csv = join(dir, 'members.csv');
    const members = Array.from({ length: 50 }, (_, i) => `M${i + 1},会员${i + 1},广州`);
    writeFileSync(csv, ['id,name,city', ...members].join('\n'));
    expect((await tagbaseHere(['import', 'customers', csv, '--database', store])).stdout).toContain('\n50 new customers, 0 already here and updated, 0 already here and unchanged\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', store])).stdout).toContain('\n0 new customers, 0 already here and updated, 50 already here and unchanged\n');
    writeFileSync(csv, ['id,name,city', ...members.map((row) => (row === 'M7,会员7,广州' ? 'M7,会员7,深圳' : row))].join('\n'));
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    expect((await tagbaseHere(['import', 'customers', csv, '--database', store], chinese)).stdout).toContain('\n新增客户 0 位，更新已有客户 1 位，已有客户无变化 49 位\n');
  });

  it('warns when a file has no rows to import', async () => {
    const csv = join(dir, 'header-only.csv');
    writeFileSync(csv, 'id,name\n');
    const result = await tagbaseHere(['import', 'customers', csv, '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 rows, 0 imported, 0 rejected');
    expect(result.stderr).toBe('warning: header-only.csv has no rows: nothing was imported\n');
  });

  it('erases a customer only when told --yes, and says how much went', async () => {
    const csv = join(dir, 'to-erase.csv');
    writeFileSync(csv, 'id,name,phone\nERASE1,王五,13700000001\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    const asked = await tagbaseHere(['customer', 'erase', 'ERASE1', '--database', database]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('erasing customer "ERASE1" cannot be undone; run it again with --yes to erase\n');
    const erased = await tagbaseHere(['customer', 'erase', 'ERASE1', '--yes', '--database', database]);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toBe('erased customer "ERASE1": 1 record, 1 identity, 0 events, 0 tags, 0 history rows, 0 snapshot memberships\n');
    const again = await tagbaseHere(['customer', 'erase', 'ERASE1', '--yes', '--database', database]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CUSTOMER_NOT_FOUND');
    // One that is not there is said before --yes is asked for, which would erase nothing.
    expect(await tagbaseHere(['customer', 'erase', 'NOSUCH', '--database', database])).toMatchObject({ code: 1, stdout: '', stderr: 'error CUSTOMER_NOT_FOUND: Customer "NOSUCH" does not exist.\n' });
    expect((await tagbaseHere(['customer', 'erase', 'NOSUCH', '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr).toBe('错误 CUSTOMER_NOT_FOUND：客户「NOSUCH」不存在。\n');
    // An id as given is shown safely: control characters escaped, a long one cut with its length said.
    const hostile = await tagbaseHere(['customer', 'erase', 'A\x1b[2J\rB\u202eC\x01', '--database', database]);
    expect(hostile.stderr).toBe('error CUSTOMER_NOT_FOUND: Customer "A\\x1b[2J\\rB\\u202eC\\x01" does not exist.\n');
    const long = await tagbaseHere(['customer', 'erase', 'x'.repeat(100_000), '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(long.stderr).toBe(`错误 CUSTOMER_NOT_FOUND：客户「${'x'.repeat(200)}…（共 100,000 个字符）」不存在。\n`);
    const trail = await tagbaseHere(['audit', '--database', database]);
    expect(trail.code).toBe(0);
    // To the minute in the workspace's zone, named once, as the other lists write times; the
    // imports that took rows before it (the file of none changed nothing) under it.
    expect(trail.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}cli {5}cli {2}erased a customer on request {2}\/customers\/\(erased\)\n(\S+ \S+ {2}import {2}cli {2}imported a file {15}\/imports\/customers\n){2}\(times in UTC\+08:00\)\n$/);
    expect((await tagbaseHere(['audit', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toContain('按要求删除客户个人信息');
  });

  it('runs what time has made due, clock rules included, and says what changed', async () => {
    const result = await tagbaseHere(['tick', '--database', database]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ workspaces?: 0 assignments expired, \d+ customers?' metrics refreshed, tags changed for 0\n$/);
  });

  it('finishes a rule pass and a recompute of metrics that a stop cut short, and says so', async () => {
    const file = new Database(database);
    try {
      const workspace = file.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      // A pass of a tag since deleted and the recompute for a new metric, last heard of an hour ago.
      // Passes are recorded by tag id; the recompute under 0, which no tag has.
      const insert = file.prepare('insert into rule_passes (workspace_id, tag_id, tag_key, token, after_id, updated_at) values (?, ?, ?, ?, ?, ?)');
      insert.run(workspace.id, 999_999, 'gone', 'crashed', 0, Date.now() - 3_600_000);
      insert.run(workspace.id, 0, '@metrics', 'crashed too', 0, Date.now() - 3_600_000);
    } finally {
      file.close();
    }
    const result = await tagbaseHere(['tick', '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nfinished rule passes that a stop had cut short: gone\nfinished a recompute of every customer's metrics that a stop had cut short \(in 1 workspace\)\n$/);
    const after = new Database(database, { readonly: true });
    try {
      expect(after.prepare('select count(*) as n from rule_passes').get()).toEqual({ n: 0 });
    } finally {
      after.close();
    }
  });

  it('gives the customers kept from before names had search keys theirs, and says so', async () => {
    const file = new Database(database);
    try {
      // As a store upgraded from the version before holds them: named, with no key yet.
      file.prepare("update customers set name_search = null where external_id = 'C1'").run();
    } finally {
      file.close();
    }
    const result = await tagbaseHere(['tick', '--database', database]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n1 customer kept from an earlier version can now be found by the pinyin of their names\n$/);
    const after = new Database(database, { readonly: true });
    try {
      expect(after.prepare("select name_search like '%' || char(30) || 'zw%' as keyed from customers where external_id = 'C1'").get()).toEqual({ keyed: 1 });
    } finally {
      after.close();
    }
    expect((await tagbaseHere(['tick', '--database', database])).stdout).not.toContain('pinyin');
  });

  it('applies event batches accepted before a stop, and says so', async () => {
    // A store of its own: the customer the batch creates would change the counts of the tests after.
    const journaled = join(dir, 'journal.db');
    expect((await tagbaseHere(['migrate', '--database', journaled])).code).toBe(0);
    const file = new Database(journaled);
    try {
      const workspace = file.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      // What `POST /events` with `Prefer: respond-async` stores before it answers.
      const events = JSON.stringify({ duplicates: 0, events: [['J1', 'JOURNAL1', 'product_viewed', Date.now() - 60_000, '{"sku":"S1"}'], ['J2', 'JOURNAL1', 'product_viewed', Date.now() - 30_000, '{"sku":"S2"}']] });
      file.prepare("insert into event_journal (workspace_id, actor, received_at, received, event_count, events, status) values (?, null, ?, 2, 2, ?, 'pending')").run(workspace.id, Date.now() - 10_000, events);
    } finally {
      file.close();
    }
    const result = await tagbaseHere(['tick', '--database', journaled]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\napplied 1 accepted event batch, 2 events stored\n');
    const after = new Database(journaled, { readonly: true });
    try {
      expect(after.prepare("select count(*) as n from events where event_key in ('J1', 'J2')").get()).toEqual({ n: 2 });
      expect(after.prepare("select status, events from event_journal").all()).toEqual([{ status: 'applied', events: null }]);
    } finally {
      after.close();
    }
  });

  it('prints one readable line for bad usage', async () => {
    const unknownKind = await tagbaseHere(['import', 'orders', join(dir, 'x.csv'), '--database', database]);
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toMatch(/^error VALIDATION_FAILED: .*customers, events or assignments/);
    const noFormat = await tagbaseHere(['import', 'customers', join(dir, 'x.dat'), '--database', database]);
    expect(noFormat.stderr).toContain('pass --format csv, jsonl or xlsx');
    const unknownEncoding = await tagbaseHere(['import', 'customers', join(dir, 'customers.csv'), '--encoding', 'latin1', '--database', database]);
    expect(unknownEncoding.stderr).toContain('--encoding must be auto, utf-8, gb18030, utf-16le or utf-16be; got "latin1"');
    const unknownWorkspace = await tagbaseHere(['import', 'customers', join(dir, 'customers.csv'), '--workspace', 'nope', '--database', database]);
    expect(unknownWorkspace.stderr).toContain('error WORKSPACE_NOT_FOUND');
    const missing = join(dir, 'missing.csv');
    const noFile = await tagbaseHere(['import', 'customers', missing, '--database', database]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe(`error: ${missing}: no such file or directory\n`);
    expect((await tagbaseHere(['care', 'add', missing, '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr).toBe(`错误：${missing}：文件或目录不存在\n`);
    expect((await tagbaseHere(['care', 'add', dir, '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr).toBe(`错误：${dir}：是目录，不是文件\n`);
    expect((await tagbaseHere(['segment', 'export', 'city = "上海"', '--output', dir, '--database', database])).stderr).toBe(`error: ${dir}: is a directory, not a file\n`);
    // Neither a SQLite path nor a PostgreSQL URL: refused, instead of a SQLite file made under ./mysql:/.
    const otherUrl = spawnSync(process.execPath, [BIN, 'migrate', '--database', 'mysql://root@localhost/shop'], { cwd: dir, encoding: 'utf8' });
    expect(otherUrl.status).toBe(1);
    expect(otherUrl.stderr).toBe('error VALIDATION_FAILED: "mysql://root@localhost/shop" is neither a SQLite path nor a postgres:// URL\n');
    expect(existsSync(join(dir, 'mysql:'))).toBe(false);
  });

  it('on a terminal, an import that fails puts its progress bar away, says why on a line of its own and exits', async () => {
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

  it('prints errors in Chinese under a Chinese locale', async () => {
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const unknownWorkspace = await tagbaseHere(['import', 'customers', join(dir, 'customers.csv'), '--workspace', 'nope', '--database', database], chinese);
    expect(unknownWorkspace.code).toBe(1);
    expect(unknownWorkspace.stderr).toBe('错误 WORKSPACE_NOT_FOUND：工作空间「nope」不存在。用 tagbase workspace list 查看已有的工作空间，或用 tagbase workspace create nope 新建。\n');
  });

  it('speaks Chinese under a Chinese locale: summaries, help and usage errors', async () => {
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const store = join(dir, 'chinese.db');
    expect((await tagbaseHere(['migrate', '--database', store], chinese)).stdout).toMatch(/^已应用 0001_initial_schema/);
    expect((await tagbaseHere(['migrate', '--database', store], chinese)).stdout).toBe(`表结构已是最新（sqlite ${store}）\n`);
    const csv = join(dir, 'customers-zh.csv');
    writeFileSync(csv, 'id,name,phone\nZ1,张伟,13800138000\nZ2,李娜,not-a-phone\n');
    const imported = await tagbaseHere(['import', 'customers', csv, '--database', store], chinese);
    expect(imported.code).toBe(3);
    expect(imported.stdout).toMatch(/^customers-zh\.csv：共 2 行，导入 1 行，拒绝 1 行，用时 [\d.]+ 秒（每秒 \d+ 行）\n新增客户 1 位，更新已有客户 0 位，已有客户无变化 0 位\n被拒绝的行及原因：/);
    // Again, with one more row: the customer already there under that name is unchanged, the new one created.
    writeFileSync(csv, 'id,name\nZ1,张伟\nZ3,王芳\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', store], chinese)).stdout).toContain('新增客户 1 位，更新已有客户 0 位，已有客户无变化 1 位\n');
    const tick = await tagbaseHere(['tick', '--database', store], chinese);
    expect(tick.code).toBe(0);
    expect(tick.stdout).toMatch(/^\d+ 个工作空间：0 条打标记录过期，\d+ 位客户的指标已刷新，0 位客户的标签有变化\n$/);
    const help = await tagbaseHere(['import', '--help'], chinese);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('从 CSV、JSON Lines 或 Excel 工作簿导入客户、事件或打标记录');
    expect(help.stdout).toMatch(/-w, --workspace <key> +导入到哪个工作空间（默认："default"）/);
    expect((await tagbaseHere(['--help'], chinese)).stdout).toMatch(/^用法: tagbase \[选项\] \[命令\]\n\n客户标签系统/);
    expect((await tagbaseHere(['tag', 'assign', '--help'], chinese)).stdout).toMatch(/^用法: tagbase tag assign \[选项\] <tag> <value> \[customers\.\.\.\]\n/);
    const unknown = await tagbaseHere(['segment', 'count', '--workspac', 'x'], chinese);
    expect(unknown.code).toBe(1);
    // One line of what went wrong and a pointer to the help, not the whole help under it.
    expect(unknown.stderr).toBe('错误：未知选项 --workspac\n（是不是要用 --workspace？）\n（加上 --help 查看命令用法）\n');
    const english = await tagbaseHere(['tag', 'lst'], { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' });
    expect([english.code, english.stdout, english.stderr]).toEqual([1, '', "error: unknown command 'lst'\n(Did you mean list?)\n(tagbase tag --help lists its commands)\n"]);
  });

  it('serves HTTP and answers /healthz', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const address = await listeningAddress(child);
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
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).code).toBe(0);
    const count = await tagbaseHere(['segment', 'count', 'city = "上海"', '--database', database]);
    expect(count.code).toBe(0);
    expect(count.stdout).toMatch(/^2 of 4 customers \(50\.0%\), counted in [\d.]+ (µs|ms)/);
    const out = join(dir, 'shanghai.csv');
    const exported = await tagbaseHere(['segment', 'export', 'city = "上海"', '--output', out, '--database', database]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`2 customers written to ${out}`);
    // Each customer's random bucket (随机分组号) after the tags, as `customer show --json` gives it.
    const bucket = async (id: string, store = database) => String((JSON.parse((await tagbaseHere(['customer', 'show', id, '--json', '--database', store])).stdout) as { random_bucket: number }).random_bucket);
    expect(readFileSync(out, 'utf8')).toBe(`\uFEFFid,name,type,gender,city,member_level,phone,tags,random_bucket,has_phone,has_email,has_wechat,has_member_card\r\nS1,周杰,,,上海,,,,${await bucket('S1')},false,false,false,false\r\nS2,吴敏,,,上海,,,,${await bucket('S2')},false,false,false,false\r\n`);
    // Headed for people, in the terminal's language.
    const named = await tagbaseHere(['segment', 'export', 'city = "上海"', '--header', 'names', '--database', database], { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' });
    expect(named.stdout.split('\r\n').slice(0, 2)).toEqual(['\uFEFF编号,姓名,类型,性别,城市,会员等级,手机,标签,随机分组号,有手机号,有邮箱,有微信,有会员卡号', `S1,周杰,,,上海,,,,${await bucket('S1')},否,否,否,否`]);
    // Its tags column too: a model's tag in the catalog's English words for an English terminal; headed by keys, for scripts, the stored names.
    const modelled = join(dir, 'modelled.db');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', modelled])).code).toBe(0);
    expect((await tagbaseHere(['model', 'enable', 'lifecycle', '--database', modelled])).code).toBe(0);
    const exportIn = async (LANG: string, header: string) => (await tagbaseHere(['segment', 'export', 'city = "北京"', '--header', header, '--database', modelled], { LC_ALL: '', LC_MESSAGES: '', LANG })).stdout.split('\r\n').slice(0, 2);
    const modelledBucket = await bucket('S3', modelled);
    expect(await exportIn('en_US.UTF-8', 'names')).toEqual(['\uFEFFID,Name,Type,Gender,City,Member level,Phone,Tags,Random bucket,Has phone,Has e-mail,Has WeChat,Has member card', `S3,郑爽,,,北京,,,Lifecycle: Prospect,${modelledBucket},no,no,no,no`]);
    expect(await exportIn('zh_CN.UTF-8', 'names')).toEqual(['\uFEFF编号,姓名,类型,性别,城市,会员等级,手机,标签,随机分组号,有手机号,有邮箱,有微信,有会员卡号', `S3,郑爽,,,北京,,,生命周期: 潜在客户,${modelledBucket},否,否,否,否`]);
    expect(await exportIn('en_US.UTF-8', 'keys')).toEqual(['\uFEFFid,name,type,gender,city,member_level,phone,tags,random_bucket,has_phone,has_email,has_wechat,has_member_card', `S3,郑爽,,,北京,,,生命周期: 潜在客户,${modelledBucket},false,false,false,false`]);
    // A customer's type and gender too, as the console names them in the terminal's language (Female, 女), which the import reads back; by keys for scripts.
    const typed = join(dir, 'typed.csv');
    writeFileSync(typed, 'id,name,type,gender,city\nS4,孙丽,Individual,FEMALE,杭州\n');
    expect((await tagbaseHere(['import', 'customers', typed, '--database', modelled])).code).toBe(0);
    const hangzhou = async (LANG: string, header: string) => (await tagbaseHere(['segment', 'export', 'city = "杭州"', '--header', header, '--database', modelled], { LC_ALL: '', LC_MESSAGES: '', LANG })).stdout.split('\r\n')[1]?.split(',').slice(0, 4);
    expect(await hangzhou('en_US.UTF-8', 'names')).toEqual(['S4', '孙丽', 'Individual', 'Female']);
    expect(await hangzhou('zh_CN.UTF-8', 'names')).toEqual(['S4', '孙丽', '个人', '女']);
    expect(await hangzhou('en_US.UTF-8', 'keys')).toEqual(['S4', '孙丽', 'individual', 'female']);
    expect((await tagbaseHere(['segment', 'export', 'city = "上海"', '--header', 'labels', '--database', database])).stderr).toMatch(/^error: --header must be keys or names; got "labels"\n/);
    const jsonl = await tagbaseHere(['segment', 'export', 'city = "北京"', '--format', 'jsonl', '--database', database]);
    expect(JSON.parse(jsonl.stdout)).toMatchObject({ id: 'S3', name: '郑爽', city: '北京', random_bucket: Number(await bucket('S3')), has_phone: false, has_member_card: false });
    // A workbook, read back by the importer's own reader.
    const workbook = join(dir, 'beijing.xlsx');
    expect((await tagbaseHere(['segment', 'export', 'city = "北京"', '--format', 'xlsx', '--output', workbook, '--database', database])).code).toBe(0);
    const bytes = readFileSync(workbook);
    const [sheet] = await readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(sheet?.data).toEqual([
      ['id', 'name', 'type', 'gender', 'city', 'member_level', 'phone', 'tags', 'random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card'],
      ['S3', '郑爽', null, null, '北京', null, null, null, Number(await bucket('S3')), false, false, false, false],
    ]);
    // Without --format, the file's name says which: a workbook, or JSON Lines, not CSV under that name.
    const byName = join(dir, 'beijing-named.xlsx');
    expect((await tagbaseHere(['segment', 'export', 'city = "北京"', '--output', byName, '--database', database])).code).toBe(0);
    const namedBytes = readFileSync(byName);
    const [namedSheet] = await readWorkbook(namedBytes.buffer.slice(namedBytes.byteOffset, namedBytes.byteOffset + namedBytes.byteLength) as ArrayBuffer);
    expect(namedSheet?.data[1]).toEqual(['S3', '郑爽', null, null, '北京', null, null, null, Number(await bucket('S3')), false, false, false, false]);
    const lines = join(dir, 'beijing.JSONL');
    expect((await tagbaseHere(['segment', 'export', 'city = "北京"', '-o', lines, '--database', database])).code).toBe(0);
    expect(JSON.parse(readFileSync(lines, 'utf8'))).toMatchObject({ id: 'S3', city: '北京' });
    // Said outright, --format wins over the name.
    const plain = join(dir, 'beijing.csv.xlsx');
    expect((await tagbaseHere(['segment', 'export', 'city = "北京"', '--format', 'csv', '-o', plain, '--database', database])).code).toBe(0);
    expect(readFileSync(plain, 'utf8')).toMatch(/^\uFEFFid,name,/);
    expect((await tagbaseHere(['segment', 'export', 'city = "北京"', '--format', 'xls', '--database', database])).stderr).toMatch(/^error: --format must be csv, jsonl or xlsx; got "xls"\n/);
    // A file that cannot be written exports nothing, and nothing is logged.
    const nowhere = await tagbaseHere(['segment', 'export', 'city = "上海"', '--output', join(dir, 'no-such-dir', 'x.csv'), '--database', database]);
    expect([nowhere.code, nowhere.stderr]).toEqual([1, `error: ${join(dir, 'no-such-dir', 'x.csv')}: no such file or directory\n`]);
    const file = new Database(database, { readonly: true });
    try {
      const logged = file.prepare('select actor, source, target, format, rows from export_log order by id').all();
      expect(logged).toEqual([
        { actor: 'cli', source: 'expression', target: 'city = "上海"', format: 'csv', rows: 2 },
        { actor: 'cli', source: 'expression', target: 'city = "上海"', format: 'csv', rows: 2 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'jsonl', rows: 1 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'xlsx', rows: 1 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'xlsx', rows: 1 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'jsonl', rows: 1 },
        { actor: 'cli', source: 'expression', target: 'city = "北京"', format: 'csv', rows: 1 },
      ]);
    } finally {
      file.close();
    }
    const bad = await tagbaseHere(['segment', 'count', 'city = "上海" and ctiy = "北京"', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('EXPRESSION_UNKNOWN_NAME at line 1, column 17');
    expect(bad.stderr).toContain('1 | city = "上海" and ctiy = "北京"');
    expect(bad.stderr).toContain(` | ${' '.repeat(18)}^^^^\n`);
    expect((await tagbaseHere(['segment', 'count', '--segment', 'nope', '--database', database])).stderr).toContain('error SEGMENT_NOT_FOUND');
    expect((await tagbaseHere(['segment', 'count', 'city = "上海"', '--segment', 'nope', '--database', database])).stderr).toContain('name an expression or a saved segment with --segment, not both');
    // A mistyped path is not a new, empty store answering "0 of 0".
    const typo = join(dir, 'stroe.db');
    const missing = await tagbaseHere(['segment', 'count', 'city = "上海"', '--database', typo]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining(`There is no store at "${typo}"`)]);
    expect(existsSync(typo)).toBe(false);
    expect((await tagbaseHere(['segment', 'export', 'city exists', '--format', 'xml', '--database', database])).stderr).toContain('--format must be csv, jsonl or xlsx');
    expect((await tagbaseHere(['segment', 'list', '--database', database])).stdout).toContain('no saved segments');
    // A segment saved in the console; its size is counted until `tick` records today's.
    const saved = new Database(database);
    try {
      const { id } = saved.prepare("select id from workspaces where key = 'default'").get() as { id: number };
      saved.prepare("insert into segments (workspace_id, key, name, expression, created_at, updated_at) values (?, 'shanghai', '上海客户', 'city = \"上海\"', 0, 0)").run(id);
    } finally {
      saved.close();
    }
    const counted = await tagbaseHere(['segment', 'sizes', '上海客户', '--days', '7', '--database', database]);
    // Named by its name and its key, as segment save and segment insight name it.
    expect(counted.stdout).toMatch(/^上海客户 \(shanghai\): size over the last 7 days\n\d{4}-\d{2}-\d{2} +2 +50\.0% +\(counted now, recorded later today\)\n$/);
    const ticked = await tagbaseHere(['tick', '--database', database]);
    expect(ticked.code).toBe(0);
    expect(ticked.stdout).toMatch(/\nrecorded today's size of 1 saved segment\n$/);
    // Once a day: the next tick records nothing more, and says nothing of it.
    expect((await tagbaseHere(['tick', '--database', database])).stdout).not.toContain('saved segment');
    expect((await tagbaseHere(['segment', 'sizes', 'shanghai', '--database', database])).stdout).toMatch(/\n\d{4}-\d{2}-\d{2} +2 +50\.0%\n$/);
    expect((await tagbaseHere(['segment', 'sizes', 'shanghai', '-n', '1', '--database', database], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' })).stdout).toMatch(/^人群「上海客户」（shanghai）：近 1 天人数\n/);
    expect((await tagbaseHere(['segment', 'sizes', 'shanghai', '--days', '0', '--database', database])).stderr).toContain('a whole number from 1 to 366');
  });

  it('exports a saved segment named by its name, logged by its key, and says which command wants an expression', async () => {
    // The segment 上海客户 (shanghai) of the test above.
    expect((await tagbaseHere(['segment', 'export', '--segment', '上海客户', '--database', database])).code).toBe(0);
    const file = new Database(database, { readonly: true });
    try {
      expect(file.prepare('select source, target, rows from export_log order by id desc limit 1').get()).toEqual({ source: 'segment', target: 'shanghai', rows: 2 });
    } finally {
      file.close();
    }
    expect((await tagbaseHere(['segment', 'export', '--database', database])).stderr).toBe('error: name an expression, e.g. tagbase segment export \'city = "上海" and orders_total >= 2\', a saved segment with --segment, or every customer with --all\n');
    expect((await tagbaseHere(['segment', 'count', '--database', database])).stderr).toContain('e.g. tagbase segment count ');
    // In Chinese, a segment is 人群, as in the console and the API.
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    expect((await tagbaseHere(['segment', 'export', '--database', database], chinese)).stderr).toBe('错误：请给出表达式，例如 tagbase segment export \'city = "上海" and orders_total >= 2\'，或用 --segment 指定已保存的人群，或用 --all 选择全部客户\n');
    expect((await tagbaseHere(['segment', '--help'], chinese)).stdout).not.toContain('分群');
  });
});

describe('tagbase care --help', () => {
  const english = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
  const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

  it('says where -a is recorded: the audit trail for a plan\'s change or a round of care, the reminder for its outcome', async () => {
    // A plan has no reminder to record its author on: each said so.
    for (const command of ['add', 'update', 'run', 'enable', 'disable', 'remove']) {
      expect((await tagbaseHere(['care', command, '--help'], english)).stdout, command).toMatch(/-a, --actor <name> +who acts \(recorded in the audit trail\)/);
      expect((await tagbaseHere(['care', command, '--help'], chinese)).stdout, command).toMatch(/-a, --actor <name> +操作人，记入审计日志/);
    }
    for (const command of ['done', 'dismiss', 'reopen', 'snooze']) {
      expect((await tagbaseHere(['care', command, '--help'], english)).stdout, command).toMatch(/-a, --actor <name> +who acts \(recorded on the reminder\)/);
    }
  });
});
