// The `tagbase` command administering a store: workspaces, custom fields, piped imports, reading customers, tokens and webhooks;
// run in the test's process, and as the real binary where standard input or a server is the point.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apiAnswer } from './api-answer.js';
import { BIN, tagbase, tagbaseHere } from './run-tagbase.js';

// Some tests start the real binary (a server and the commands beside it); on a busy machine
// they can take longer than the suite's default minute.
vi.setConfig({ testTimeout: 300_000 });

describe('tagbase workspace', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cli-workspaces-')), 'store.db');

  it('makes a workspace the other commands then act in', async () => {
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['audit', '-w', 'shop-hz', '--database', database])).stderr).toContain('WORKSPACE_NOT_FOUND');
    const made = await tagbaseHere(['workspace', 'create', 'shop-hz', '--name', '杭州店', '--database', database]);
    expect(made).toMatchObject({ code: 0, stdout: 'created the workspace "shop-hz" (杭州店); name it with -w shop-hz, or X-Tagbase-Workspace: shop-hz on the API\n' });
    expect((await tagbaseHere(['audit', '-w', 'shop-hz', '--database', database])).code).toBe(0);
  });

  it('lists the workspaces, named as made or by their key', async () => {
    expect((await tagbaseHere(['workspace', 'create', 'shop-sh', '--database', database])).stdout).toContain('"shop-sh" (shop-sh)');
    // In columns, as the other lists are: 杭州店 takes six terminal columns, Default seven.
    // Each created at its own clock, to the minute, and the time names its zone: the workspaces' zones differ.
    expect((await tagbaseHere(['workspace', 'list', '--database', database])).stdout).toMatch(/^default {2}Default {2}created \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)\nshop-hz {2}杭州店 {3}created \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)\nshop-sh {2}shop-sh {2}created \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)\n$/);
    // The default workspace's built-in name in the reader's language, as the console shows it; a name given by hand as written.
    // Chinese writes the zone in full-width parentheses, as the API's Chinese messages do.
    expect((await tagbaseHere(['workspace', 'list', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toMatch(/^default {2}默认 {5}创建于 \d{4}-\d\d-\d\d \d\d:\d\d（UTC\+08:00）\nshop-hz {2}杭州店 {3}创建于 \d{4}-\d\d-\d\d \d\d:\d\d（UTC\+08:00）\n/);
    // For a script: what GET /api/v1/workspaces answers, and nothing else.
    const listed = await tagbaseHere(['workspace', 'list', '--json', '--database', database]);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(JSON.parse(listed.stdout)).toEqual(await apiAnswer(database, '/workspaces'));
    expect(JSON.parse(listed.stdout)).toMatchObject({ items: [{ key: 'default' }, { key: 'shop-hz', name: '杭州店', utc_offset_minutes: 480 }, { key: 'shop-sh' }] });
  });

  it('makes a workspace in another time zone, and moves or renames one, in the audit trail', async () => {
    expect((await tagbaseHere(['workspace', 'create', 'shop-ldn', '-n', 'London', '--utc-offset', 'UTC+0', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['workspace', 'list', '--database', database])).stdout).toMatch(/\nshop-ldn {2}London {3}created \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+00:00\)\n/);
    expect((await tagbaseHere(['workspace', 'update', 'shop-ldn', '--utc-offset', '-05:00', '--actor', '运维-老陈', '--database', database])).stdout).toBe('workspace "shop-ldn": London, UTC-05:00\n');
    expect((await tagbaseHere(['workspace', 'update', 'shop-ldn', '-n', 'New York', '--database', database])).stdout).toBe('workspace "shop-ldn": New York, UTC-05:00\n');
    expect((await tagbaseHere(['audit', '-w', 'shop-ldn', '--database', database])).stdout).toContain("运维-老陈  cli  changed the workspace's name or time zone  shop-ldn");
    // A zone no one has, or none at all: one line, nothing changed.
    const bad = await tagbaseHere(['workspace', 'create', 'shop-x', '--utc-offset', '+8:20', '--database', database]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("option '--utc-offset <offset>' argument '+8:20' is invalid. must be a time zone as +08:00, +8, UTC-5 or -03:30");
    expect((await tagbaseHere(['workspace', 'update', 'shop-ldn', '--database', database])).stderr).toBe('error VALIDATION_FAILED: nothing to change: give --name or --utc-offset\n');
    expect((await tagbaseHere(['workspace', 'update', 'nowhere', '--utc-offset', '+1', '--database', database])).stderr).toContain('WORKSPACE_NOT_FOUND');
  });

  it('refuses a taken key, a bad key and an overlong name in one line, and makes nothing', async () => {
    expect(await tagbaseHere(['workspace', 'create', 'shop-hz', '--database', database])).toMatchObject({ code: 1, stderr: 'error WORKSPACE_EXISTS: Workspace "shop-hz" already exists.\n' });
    expect((await tagbaseHere(['workspace', 'create', '杭州 店', '--database', database])).stderr).toMatch(/^error INVALID_WORKSPACE: .*\n$/);
    expect((await tagbaseHere(['workspace', 'create', 'long', '-n', 'x'.repeat(129), '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr).toBe('错误 VALIDATION_FAILED：工作空间名称为 1 到 128 个字符\n');
    expect((await tagbaseHere(['workspace', 'list', '--database', database])).stdout.split('\n').filter(Boolean)).toHaveLength(4);
    // A key told from a taken one by case alone is taken too, named as it was made.
    expect((await tagbaseHere(['workspace', 'create', 'Shop-HZ', '--database', database])).stderr).toBe('error WORKSPACE_EXISTS: Workspace "shop-hz" already exists. Workspace keys are told apart regardless of case: "Shop-HZ" is the same key; use "shop-hz", or another key.\n');
  });

  it('deletes a workspace only with --yes, saying first what would go, never the default one, in the store\'s audit trail', async () => {
    expect(await tagbaseHere(['workspace', 'delete', 'shop-sh', '--database', database])).toMatchObject({ code: 2, stdout: '', stderr: 'deleting workspace "shop-sh" takes its 0 customers and everything else in it, and cannot be undone; run it again with --yes to delete\n' });
    expect((await tagbaseHere(['workspace', 'list', '--database', database])).stdout).toContain('shop-sh');
    expect((await tagbaseHere(['workspace', 'delete', 'shop-sh', '--yes', '--database', database])).stdout).toBe('deleted workspace "shop-sh": 0 customers, 0 events and everything else in it\n');
    expect((await tagbaseHere(['workspace', 'list', '--database', database])).stdout).not.toContain('shop-sh');
    expect((await tagbaseHere(['workspace', 'delete', 'shop-sh', '--yes', '--database', database])).stderr).toContain('WORKSPACE_NOT_FOUND');
    expect((await tagbaseHere(['workspace', 'delete', 'default', '--yes', '--database', database])).stderr).toMatch(/^error WORKSPACE_DEFAULT_KEPT: /);
    expect((await tagbaseHere(['audit', '--database', database])).stdout).toContain('cli  deleted a workspace and everything in it  shop-sh (0 customers, 0 events)');
  });
});

describe('tagbase field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-fields-'));
  const database = join(dir, 'store.db');

  it('declares custom fields that an import then fills, and lists them', async () => {
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['field', 'list', '--database', database])).stdout).toBe('the workspace "default" has no custom fields; declare one with tagbase field add\n');
    const csv = join(dir, 'notes.csv');
    writeFileSync(csv, 'id,会员备注,level\nF1,老客户,金\n');
    // Not declared yet: the file is refused before any row.
    const refused = (await tagbaseHere(['import', 'customers', csv, '--database', database])).stderr;
    expect(refused).toContain('the file has columns 会员备注, level that are no customer field');
    // With the way to import the rest without them, by the file's own headings.
    expect(refused).toContain('or leave the columns out (tagbase import … -c 会员备注= -c level=, or "columns": {"会员备注": "", "level": ""} over the API)');
    // A column mapped to a name that is no field: the file's column, and the name it went to.
    const mapped = (await tagbaseHere(['import', 'customers', csv, '-c', 'level=', '-c', '会员备注=nosuch', '--database', database])).stderr;
    expect(mapped).toBe('error VALIDATION_FAILED: the file\'s column 会员备注 is mapped to nosuch, which is no customer field: declare it as a custom field first (tagbase field add, or POST /api/v1/fields), or leave the column out (tagbase import … -c 会员备注=, or "columns": {"会员备注": ""} over the API)\n');
    const mappedZh = (await tagbaseHere(['import', 'customers', csv, '-c', 'level=', '-c', '会员备注=nosuch', '--database', database], { LANG: 'zh_CN.UTF-8' })).stderr;
    expect(mappedZh).toContain('文件中的列 会员备注 对应到 nosuch，而 nosuch 不是客户字段：');
    expect((await tagbaseHere(['field', 'add', '会员备注', '--database', database])).stdout).toBe('declared the custom field "会员备注" (会员备注, string) in the workspace "default"; imports read the column custom.会员备注 or 会员备注 into it\n');
    expect((await tagbaseHere(['field', 'add', 'level', '-n', '等级', '-t', 'enum', '-o', '金,银、铜', '--database', database])).code).toBe(0);
    // In columns, as the other lists are: 会员备注 takes eight terminal columns, level five.
    expect((await tagbaseHere(['field', 'list', '--database', database])).stdout).toBe('会员备注  会员备注  string\nlevel     等级      enum (金, 银, 铜)\n');
    // In Chinese the options are listed as Chinese lists them.
    expect((await tagbaseHere(['field', 'list', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toBe('会员备注  会员备注  string\nlevel     等级      enum（金、银、铜）\n');
    const fields = await tagbaseHere(['field', 'list', '--json', '--database', database]);
    expect([fields.code, fields.stderr]).toEqual([0, '']);
    expect(JSON.parse(fields.stdout)).toEqual(await apiAnswer(database, '/fields'));
    expect(JSON.parse(fields.stdout)).toMatchObject({ items: [{ key: '会员备注', type: 'string' }, { key: 'level', name: '等级', type: 'enum', options: ['金', '银', '铜'] }] });
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).stdout).toMatch(/^notes\.csv: 1 row, 1 imported, 0 rejected/);
    // A customer on two rows: imported, and warned of.
    writeFileSync(csv, 'id,会员备注\nF1,老客户\nF2,新客户\nF1,回头客\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database])).stderr).toBe('warning: customer "F1" is on lines 2, 4: line 4 was imported last, and its values stand\n');
  });

  it('refuses a bad key or type, an enum without values and a taken key in one line', async () => {
    expect(await tagbaseHere(['field', 'add', '2x', '--database', database])).toMatchObject({ code: 1, stderr: 'error VALIDATION_FAILED: key: a key is 1-64 letters (Chinese too), digits, "_" or "-", starting with a letter or "_"\n' });
    expect((await tagbaseHere(['field', 'add', 'colour', '-t', 'enum', '--database', database])).stderr).toBe('error VALIDATION_FAILED: options: an enum field needs options\n');
    expect((await tagbaseHere(['field', 'add', 'size', '-t', 'float', '--database', database])).stderr).toMatch(/^error: option '-t, --type <type>' argument 'float' is invalid\. use string, number, boolean, date or enum\n/);
    expect((await tagbaseHere(['field', 'add', 'city', '--database', database])).stderr).toBe('error FIELD_EXISTS: Field "city" already exists. It is a built-in field: a customer takes it beside "id", without declaring it.\n');
    expect((await tagbaseHere(['field', 'list', '-w', 'nope', '--database', database])).stderr).toContain('WORKSPACE_NOT_FOUND');
    expect((await tagbaseHere(['field', 'list', '--database', database])).stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });
});

describe('tagbase import from standard input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-piped-'));
  const database = join(dir, 'store.db');

  it('imports rows piped to it as -, given their format, and reports rejections beside where it runs', async () => {
    const events = '{"id":"PIPE1","customer_id":"PIPED1","type":"app_opened","occurred_at":"2026-12-01T10:00:00Z","properties":{}}\n{"id":"PIPE2","customer_id":"PIPED1","type":"bad type","occurred_at":"2026-12-01T10:00:00Z"}\n';
    const piped = spawnSync(process.execPath, [BIN, 'import', 'events', '-', '-f', 'jsonl', '--database', database], { encoding: 'utf8', cwd: dir, input: events, timeout: 60_000 });
    expect(piped.stdout).toMatch(/^standard input: 2 rows, 1 imported, 1 rejected in /);
    expect(piped.stdout).toContain('rejected rows and reasons: events.rejected.csv');
    expect(piped.status).toBe(3);
    expect(readFileSync(join(dir, 'events.rejected.csv'), 'utf8')).toContain('2,VALIDATION_FAILED');
    expect((await tagbaseHere(['customer', 'show', 'PIPED1', '--json', '--database', database])).stdout).toContain('"type": "app_opened"');
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

  it('reads a customer and the tag library from the terminal, and says what is wrong in one line', async () => {
    writeFileSync(join(dir, 'customers.csv'), 'id,name,city\nR1,王芳,苏州\n');
    expect((await tagbaseHere(['import', 'customers', join(dir, 'customers.csv'), '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['template', 'apply', 'general', '--database', database])).code).toBe(0);
    const shown = await tagbaseHere(['customer', 'show', 'R1', '--database', database]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^R1 {2}王芳 {2}\(times in UTC\+08:00\)\n {2}city +苏州\n/);
    const json = JSON.parse((await tagbaseHere(['customer', 'show', 'R1', '--json', '--database', database])).stdout) as { random_bucket: number };
    expect(json).toMatchObject({ id: 'R1', name: '王芳', city: '苏州', tags: [] });
    // Its random bucket (随机分组号) among the fields, as the JSON has it.
    expect(shown.stdout).toMatch(new RegExp(`\\n {2}random bucket +${String(json.random_bucket)}\\n`));
    expect(await tagbaseHere(['customer', 'show', 'R9', '--database', database])).toMatchObject({ code: 1, stderr: 'error CUSTOMER_NOT_FOUND: Customer "R9" does not exist.\n' });
    expect((await tagbaseHere(['customer', 'show', 'R1', '-n', 'x', '--database', database])).stderr).toMatch(/^error: option '-n, --recent <count>' argument 'x' is invalid/);
    // A model's tag reads in the catalog's English words in English, as in the console, and as stored in Chinese.
    expect((await tagbaseHere(['model', 'enable', 'lifecycle', '--database', database])).code).toBe(0);
    const english = (await tagbaseHere(['customer', 'show', 'R1', '--database', database])).stdout;
    expect(english).toMatch(/\n {2}Lifecycle: Prospect +model /);
    expect(english).toMatch(/\n {2}\S+ \S+ +added +Lifecycle: Prospect /);
    expect(english).not.toContain('生命周期');
    const chinese = (await tagbaseHere(['customer', 'show', 'R1', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout;
    expect(chinese).toMatch(/\n {2}生命周期: 潜在客户 /);
    expect(chinese).toMatch(new RegExp(`\\n {2}随机分组号 +${String(json.random_bucket)}\\n`));
    // Whether each channel reaches the customer, 是 or 否, after it: R1 was imported with no identity.
    expect(chinese).toMatch(new RegExp(`\\n {2}随机分组号 +${String(json.random_bucket)}\\n {2}有手机号 +否\\n {2}有邮箱 +否\\n {2}有微信 +否\\n {2}有会员卡号 +否\\n`));
    const library = await tagbaseHere(['tag', 'list', '--database', database]);
    expect(library.code).toBe(0);
    expect(library.stdout).toMatch(/^\d+ tags in the workspace "default" \(values: name, key, customers\)\n/);
    const listed = JSON.parse((await tagbaseHere(['tag', 'list', '--json', '--database', database])).stdout) as { key: string }[];
    expect(listed.length).toBeGreaterThan(0);
    for (const tag of listed) expect(library.stdout).toContain(`  ${tag.key}  `);
    // The library, a tag's transitions and its profile name a model's tag and values in the catalog's English words in English too.
    expect(library.stdout).toMatch(/\n {2}Lifecycle {2}lifecycle {2}/);
    expect(library.stdout).toMatch(/\n {4}Prospect +prospect +1\n/);
    expect(library.stdout).not.toMatch(/生命周期 {2}lifecycle |潜在客户 +prospect/);
    expect((await tagbaseHere(['tag', 'list', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toMatch(/\n {2}生命周期 {2}lifecycle {2}[\s\S]*\n {4}潜在客户 +prospect +1\n/);
    const transitions = (await tagbaseHere(['tag', 'transitions', 'lifecycle', '--database', database])).stdout;
    expect(transitions).toMatch(/^Lifecycle \(lifecycle\)/);
    expect(transitions).toMatch(/\nProspect +0 +1 +\+1 +-0\n/);
    expect(transitions).not.toMatch(/生命周期|客户/);
    const profile = (await tagbaseHere(['tag', 'profile', 'lifecycle', '--database', database])).stdout;
    expect(profile).toMatch(/^Lifecycle \(lifecycle\) now\n/);
    expect(profile).toMatch(/\nProspect +1 /);
    expect(profile).not.toMatch(/生命周期|潜在客户/);
    expect((await tagbaseHere(['tag', 'transitions', 'lifecycle', '--database', database], { LANG: 'zh_CN.UTF-8' })).stdout).toMatch(/^生命周期/);
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

  it('asks for what a command acts on before an option it needs: the token\'s name, then its role; the customer to merge, then --into', async () => {
    const english = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const bare = await tagbaseHere(['token', 'create', '--database', database], english);
    expect([bare.code, bare.stdout, bare.stderr]).toEqual([1, '', "error: missing required argument 'name'\n(add --help to see how the command is used)\n"]);
    expect((await tagbaseHere(['token', 'create', '--database', database], chinese)).stderr).toBe('错误：缺少必需的参数 name\n（加上 --help 查看命令用法）\n');
    const named = await tagbaseHere(['token', 'create', '导购-小李', '--database', database], english);
    expect([named.code, named.stdout, named.stderr]).toEqual([1, '', "error: required option '-r, --role <role>' not specified\n(add --help to see how the command is used)\n"]);
    expect((await tagbaseHere(['token', 'create', '导购-小李', '--database', database], chinese)).stderr).toBe('错误：缺少必需的选项 -r, --role <role>\n（加上 --help 查看命令用法）\n');
    expect((await tagbaseHere(['customer', 'merge', '--database', database], english)).stderr).toBe("error: missing required argument 'from'\n(add --help to see how the command is used)\n");
    expect((await tagbaseHere(['customer', 'merge', 'C2', '--database', database], english)).stderr).toBe("error: required option '--into <id>' not specified\n(add --help to see how the command is used)\n");
  });

  it('refuses an empty customer id to merge, or an empty --into, as a value it cannot take, rather than as a customer "" not found', async () => {
    const english = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
    const chinese = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const into = await tagbaseHere(['customer', 'merge', 'C2', '--into', '', '--database', database], english);
    expect([into.code, into.stdout, into.stderr]).toEqual([1, '', "error: option '--into <id>' argument '' is invalid. must be a customer id, not empty\n(add --help to see how the command is used)\n"]);
    expect((await tagbaseHere(['customer', 'merge', 'C2', '--into', ' ', '--database', database], chinese)).stderr).toBe('错误：选项 --into <id> 的取值「 」无效：必须是客户编号，不能为空\n（加上 --help 查看命令用法）\n');
    const from = await tagbaseHere(['customer', 'merge', '', '--into', 'C1', '--database', database], english);
    expect([from.code, from.stdout, from.stderr]).toEqual([1, '', "error: command-argument value '' is invalid for argument 'from'. must be a customer id, not empty\n(add --help to see how the command is used)\n"]);
    expect((await tagbaseHere(['customer', 'merge', '', '--into', 'C1', '--database', database], chinese)).stderr).toBe('错误：参数 from 的取值「」无效：必须是客户编号，不能为空\n（加上 --help 查看命令用法）\n');
  });

  it('makes a token shown once, lists and revokes tokens, and a server then asks for one', async () => {
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toBe('no access tokens: the API is open to whoever can reach it\n');
    const made = await tagbaseHere(['token', 'create', '导购-王芳', '--role', 'operator', '--database', database]);
    expect(made.code).toBe(0);
    // The token alone on standard output, for a script to read; what it is on standard error.
    expect(made.stdout).toMatch(/^tb_\S+\n$/);
    const token = made.stdout.trim();
    expect(made.stderr).toBe(
      'created a token for "导购-王芳" in the role operator; it is shown only now, keep it somewhere safe:\nsend it as Authorization: Bearer <token>, or paste it into the console\'s sign-in\nthis is the first token: from now on the API and the console ask for a token\n',
    );
    const wrongRole = await tagbaseHere(['token', 'create', 'x', '--role', 'owner', '--database', database]);
    expect(wrongRole.code).toBe(1);
    expect(wrongRole.stderr).toContain('the role is one of admin, operator, viewer');
    const invisible = await tagbaseHere(['token', 'create', '\u202e', '--role', 'viewer', '--database', database]);
    expect(invisible.code).toBe(1);
    expect(invisible.stderr).toContain('a name needs at least one visible character');
    expect((await tagbaseHere(['token', 'create', '导购-王芳', '--role', 'viewer', '--database', database])).stderr).toContain('ACCESS_TOKEN_NAME_TAKEN');
    // Times to the minute in the default workspace's zone, named once, as the other lists write them.
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toMatch(/^导购-王芳 {2}operator {2}created \d{4}-\d\d-\d\d \d\d:\d\d {2}never used\n\(times in UTC\+08:00\)\n$/);
    const temporary = await tagbaseHere(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', '30', '--database', database]);
    expect(temporary.stdout).toMatch(/^tb_\S+\n$/);
    expect(temporary.stderr).toMatch(/\nit is refused from \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)\n$/);
    expect((await tagbaseHere(['token', 'create', 'x', '--role', 'viewer', '--expires-in', '0', '--database', database])).code).toBe(1);
    // In columns, as the other lists are: a column only some tokens have a word in is kept blank in the others.
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toMatch(/^临时-小张 {2}viewer {4}created \d{4}-\d\d-\d\d \d\d:\d\d {2}expires \d{4}-\d\d-\d\d \d\d:\d\d {2}never used\n导购-王芳 {2}operator {2}created \d{4}-\d\d-\d\d \d\d:\d\d {2}(?: {8})\s+never used\n\(times in UTC\+08:00\)\n$/);
    // Another token stays live: nothing opens, nothing more to say.
    expect((await tagbaseHere(['token', 'revoke', '临时-小张', '--database', database])).stderr).toBe('revoking the token of "临时-小张" cannot be undone: it stops working for good (a running server refuses it within 2 seconds); run it again with --yes to revoke\n');
    expect((await tagbaseHere(['token', 'revoke', '临时-小张', '--yes', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['token', 'create', '门店-小刘', '--role', 'operator', '-w', 'default', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toMatch(/^门店-小刘 {2}operator {2}created \d{4}-\d\d-\d\d \d\d:\d\d {2}only in default {2}(?: {8}\d{4}-\d\d-\d\d \d\d:\d\d {2})?\s*never used/);
    const columns = (await tagbaseHere(['token', 'list', '--database', database])).stdout.trimEnd().split('\n').slice(0, -1);
    // Every row's "created" and "never used" start at one terminal column (a Chinese character is two wide).
    const at = (line: string, word: string) => [...line.slice(0, line.indexOf(word))].reduce((width, char) => width + (/[\u4e00-\u9fff]/.test(char) ? 2 : 1), 0);
    expect(new Set(columns.map((line) => at(line, 'created'))).size).toBe(1);
    expect(new Set(columns.map((line) => at(line, 'never used'))).size).toBe(1);
    expect((await tagbaseHere(['token', 'create', 'y', '--role', 'viewer', '-w', 'nowhere', '--database', database])).stderr).toContain('WORKSPACE_NOT_FOUND');
    // For a script: the tokens as GET /api/v1/tokens lists them, newest first, never a token itself.
    const listed = await tagbaseHere(['token', 'list', '--json', '--database', database]);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(listed.stdout).not.toContain(token);
    expect(listed.stdout).not.toMatch(/tb_/);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      items: [
        { name: '门店-小刘', role: 'operator', workspaces: ['default'], revoked_at: null },
        { name: '临时-小张', role: 'viewer', expires_at: expect.any(String) as unknown, revoked_at: expect.any(String) as unknown },
        { name: '导购-王芳', role: 'operator', workspaces: null, last_used_at: null },
      ],
    });
    expect((await tagbaseHere(['token', 'revoke', '门店-小刘', '-y', '--database', database])).code).toBe(0);
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).not.toContain(token);

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
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toMatch(/\n导购-王芳 {2}operator {2}created \d{4}-\d\d-\d\d \d\d:\d\d {2}\s*last used \d{4}-\d\d-\d\d \d\d:\d\d\n\(times in UTC\+08:00\)\n$/);

    // It cannot be undone: without --yes the command says which token would stop working, exits 2 and revokes nothing.
    const asked = await tagbaseHere(['token', 'revoke', '导购-王芳', '--database', database], { LANG: 'zh_CN.UTF-8' });
    // The last live token: the question says, before it is too late, that the API opens again.
    expect([asked.code, asked.stdout, asked.stderr]).toEqual([2, '', '吊销「导购-王芳」的令牌后无法撤销：该令牌永久失效（运行中的服务在 2 秒内拒绝它）；加上 --yes 再运行一次即可吊销\n这是最后一个有效令牌：吊销后，任何能访问到服务的人都可以再次使用 API\n']);
    const revoked = await tagbaseHere(['token', 'revoke', '导购-王芳', '--yes', '--database', database]);
    expect(revoked.stdout).toBe('revoked the token of "导购-王芳"\nno live token is left: the API is open again to whoever can reach it\n');
    // A token no longer there is said first, not after a --yes that would revoke nothing.
    expect(await tagbaseHere(['token', 'revoke', '导购-王芳', '--database', database])).toMatchObject({ code: 1, stderr: expect.stringContaining('ACCESS_TOKEN_NOT_FOUND') });
    expect((await tagbaseHere(['token', 'list', '--database', database])).stdout).toMatch(/operator {2}created \d{4}-\d\d-\d\d \d\d:\d\d {2}\s*last used \d{4}-\d\d-\d\d \d\d:\d\d {2}revoked \d{4}-\d\d-\d\d \d\d:\d\d\n\(times in UTC\+08:00\)\n$/);
    const trail = (await tagbaseHere(['audit', '--database', database])).stdout.split('\n');
    expect(trail[0]).toMatch(/ {2}cli {2}cli {2}revoked an access token {2}导购-王芳$/);
    expect(trail[2]).toMatch(/ {2}cli {2}cli {2}created an access token {2}门店-小刘 \(operator, default\)$/);
    expect(trail[4]).toMatch(/ {2}cli {2}cli {2}created an access token {2}临时-小张 \(viewer, 30d\)$/);
    expect(trail[5]).toMatch(/ {2}cli {2}cli {2}created an access token {2}导购-王芳 \(operator\)$/);
    // A page at a time, as GET /audit reads it: its last lines say how to see the older entries, and the zone.
    const page = (await tagbaseHere(['audit', '-n', '2', '--database', database])).stdout.split('\n');
    expect(page[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}cli {2}cli {2}revoked an access token {2}导购-王芳$/);
    expect(page.slice(2)).toEqual([expect.stringMatching(/^… older entries follow: add --before \d+ to see them$/), '(times in UTC+08:00)', '']);
    const before = /--before (\d+)/.exec(page[2] ?? '')?.[1] ?? '';
    expect((await tagbaseHere(['audit', '-n', '1', '--before', before, '--database', database])).stdout).toMatch(/^\S+ \S+ {2}cli {2}cli {2}created an access token {2}门店-小刘 \(operator, default\)\n… older entries follow: add --before \d+ to see them\n/);
    expect((await tagbaseHere(['audit', '--before', 'x', '--database', database])).stderr).toMatch(/^error: option '--before <entry>' argument 'x' is invalid\. must be the number of an entry, as the last line of a page says \(--before 1234\)\n/);
  });
});

describe('tagbase webhook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-webhooks-'));
  const database = join(dir, 'store.db');

  it('adds a webhook showing its secret once, tests it against a real receiver, lists and removes it, all in the audit trail', async () => {
    const received: { topic: string; signature: string; body: string }[] = [];
    const receiver = createServer((request, response) => {
      // Decoded whole: a chunk may end within a character.
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ topic: String(request.headers['x-tagbase-topic']), signature: String(request.headers['x-tagbase-signature']), body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // The receiver answers on this process's event loop, while the command awaits its post.
    const run = (args: string[], lang = 'en_US.UTF-8') => tagbaseHere([...args, '--database', database], { LANG: lang });
    try {
      expect((await run(['migrate'])).code).toBe(0);
      expect((await run(['webhook', 'list'])).stdout).toBe('no webhooks\n');
      const added = await run(['webhook', 'add', url, '--topic', 'tag_changes', '--topic', 'care_reminders', '--secret', 'a-secret-of-sixteen+']);
      expect(added.code).toBe(0);
      // The secret alone on standard output, for a script to read; what it is on standard error.
      expect(added.stdout).toBe('a-secret-of-sixteen+\n');
      expect(added.stderr).toBe(`created webhook #1:\n#1  ${url}  tag_changes + care_reminders  nothing posted yet\nits signing secret, shown only now (X-Tagbase-Signature is the HMAC-SHA256 of each body under it):\n`);
      const bad = await run(['webhook', 'add', url, '--topic', 'everything']);
      expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('"everything" is not a topic; the topics are tag_changes, segment_changes, care_reminders')]);
      // In Chinese, listed as Chinese lists are.
      expect((await run(['webhook', 'add', url, '--topic', 'everything'], 'zh_CN.UTF-8')).stderr).toContain('「everything」不是推送内容；可选 tag_changes、segment_changes、care_reminders');
      // Every segment that does not exist is named at once, not only the first.
      const unknown = await run(['webhook', 'add', url, '-s', 'nope', '-s', 'gone']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/^error SEGMENT_NOT_FOUND: .*"nope" and "gone"/);
      // And every tag, the first as a single unknown tag is said.
      const tags = await run(['webhook', 'add', url, '--tag', 'nope', '--tag', 'gone']);
      expect([tags.code, tags.stderr]).toEqual([1, 'error TAG_NOT_FOUND: Tag "nope" does not exist. Neither does "gone".\n  tags.1: Tag "gone" does not exist.\n']);

      const tested = await run(['webhook', 'test', '1']);
      expect(tested.code).toBe(0);
      expect(tested.stdout).toMatch(/^test post to webhook #1 delivered: HTTP 200 in [\d,]+ ms\n$/);
      expect(received.map((post) => post.topic)).toEqual(['test']);
      const signed = received[0];
      expect(signed?.signature).toBe(`sha256=${createHmac('sha256', 'a-secret-of-sixteen+').update(signed?.body ?? '').digest('hex')}`);

      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      const failed = await run(['webhook', 'test', '1']);
      expect(failed.code).toBe(5);
      expect(failed.stderr).toMatch(/^test post to webhook #1 not delivered: connection refused: nothing listens at this address and port \(ECONNREFUSED\) \(after [\d,]+ ms\)\n$/);
      expect((await run(['webhook', 'list'])).stdout).toBe(`#1  ${url}  tag_changes + care_reminders  nothing posted yet\n(times in UTC+08:00)\n`);
      // For a script: what GET /api/v1/webhooks and …/deliveries answer, no secret in them.
      const listed = await run(['webhook', 'list', '--json']);
      expect([listed.code, listed.stderr]).toEqual([0, '']);
      expect(listed.stdout).not.toContain('a-secret-of-sixteen+');
      expect(JSON.parse(listed.stdout)).toEqual(await apiAnswer(database, '/webhooks'));
      expect(JSON.parse(listed.stdout)).toMatchObject({ items: [{ id: 1, url, topics: ['tag_changes', 'care_reminders'] }] });
      const posts = await run(['webhook', 'deliveries', '1', '--json']);
      expect(JSON.parse(posts.stdout)).toEqual(await apiAnswer(database, '/webhooks/1/deliveries'));
      expect(JSON.parse(posts.stdout)).toMatchObject({ items: [{ topic: 'test', delivered: false }, { topic: 'test', delivered: true, status: 200 }] });
      const deliveries = await run(['webhook', 'deliveries', '1']);
      expect(deliveries.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}test {2}not delivered: connection refused: nothing listens at this address and port \(ECONNREFUSED\) {2}\d+ ms\n\d{4}-\d\d-\d\d \d\d:\d\d {2}test {2}delivered, HTTP 200 {2}\d+ ms\n\(times in UTC\+08:00\)\n$/);
      const rotated = await run(['webhook', 'rotate-secret', '1', '--secret', 'the-second-secret-16']);
      expect([rotated.stdout, rotated.stderr]).toEqual(['the-second-secret-16\n', 'webhook #1 has a new signing secret, shown only now; posts are signed with it from now on:\n']);

      const paused = await run(['webhook', 'pause', '1', '--actor', '运营-王芳']);
      expect(paused.stdout).toMatch(new RegExp(`^webhook #1 paused; what happens meanwhile is posted once it is resumed \\(tagbase webhook resume 1\\):\n#1  ${url}  tag_changes \\+ care_reminders  paused \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d by 运营-王芳: nothing is posted until it is resumed\n$`));
      const retried = await run(['webhook', 'retry', '1']);
      expect([retried.code, retried.stderr]).toEqual([1, expect.stringContaining('is paused: resume it')]);
      const resumed = await run(['webhook', 'resume', '1']);
      expect(resumed.stdout).toBe(`webhook #1 resumed; the server posts what it has not delivered yet within a second:\n#1  ${url}  tag_changes + care_reminders  nothing posted yet\n`);
      expect((await run(['webhook', 'retry', '1'])).stdout).toBe(`webhook #1 is not failing: the server posts what it has every second, so there is nothing to try again:\n#1  ${url}  tag_changes + care_reminders  nothing posted yet\n`);

      // It cannot be undone: without --yes the command says what would go, exits 2 and deletes nothing.
      const asked = await run(['webhook', 'remove', '1']);
      expect([asked.code, asked.stdout, asked.stderr]).toEqual([2, '', `deleting webhook #1 (${url}) cannot be undone: what it has not delivered is never posted, and its log of deliveries goes with it; run it again with --yes to delete\n`]);
      expect((await run(['webhook', 'remove', '1', '--yes'])).stdout).toBe('deleted webhook #1\n');
      // A webhook no longer there is said first, not after a --yes that would delete nothing.
      expect(await run(['webhook', 'remove', '1'])).toMatchObject({ code: 1, stderr: expect.stringContaining('WEBHOOK_NOT_FOUND') });
      const trail = (await run(['audit'])).stdout.split('\n');
      // In columns as a terminal shows them: 运营-王芳 takes nine columns, cli three.
      expect(trail.slice(0, 8).map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}/, ''))).toEqual([
        `cli        cli  deleted a webhook                   #1 ${url}`,
        'cli        cli  retried a failing webhook now       #1',
        'cli        cli  resumed a webhook                   #1',
        '运营-王芳  cli  paused a webhook                    #1',
        "cli        cli  changed a webhook's signing secret  #1",
        'cli        cli  sent a test post to a webhook       #1',
        'cli        cli  sent a test post to a webhook       #1',
        `cli        cli  created a webhook                   #1 ${url}`,
      ]);
      // Only what one person did.
      expect((await run(['audit', '--actor', '运营-王芳'])).stdout).toMatch(/^\S+ \S+ {2}运营-王芳 {2}cli {2}paused a webhook {2}#1\n\(times in UTC\+08:00\)\n$/);
    } finally {
      receiver.close();
    }
  });
});
