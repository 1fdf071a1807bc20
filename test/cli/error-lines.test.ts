// What a command says when what it was given is wrong: each problem once, where it is, in the
// terminal's language, and an exit status that is not 0. Run in the test's process, as the binary
// runs the same `main`; as the real binary where a process is the point (standard input, its
// standard output on a full disk).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_SIZE_DAYS } from '../../src/engine/segment-sizes.js';
import { BIN, tagbase, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 300_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

describe('tagbase on wrong input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-error-lines-'));
  const database = join(dir, 'store.db');

  it('underlines a mistake in the expression of segment save, as segment count does, and saves nothing', async () => {
    expect((await tagbaseHere(['migrate', '--database', database])).code).toBe(0);
    const saved = await tagbaseHere(['segment', 'save', 'shanghai', 'cty = "上海"', '--database', database], ENGLISH);
    expect(saved.code).toBe(1);
    expect(saved.stdout).toBe('');
    expect(saved.stderr).toBe(
      [
        'error: EXPRESSION_UNKNOWN_NAME at line 1, column 1: Unknown tag, field or metric "cty": no tag, field or metric has that key or name. Did you mean "city"?',
        '1 | cty = "上海"',
        '  | ^^^',
        '',
      ].join('\n'),
    );
    const chinese = await tagbaseHere(['segment', 'save', 'shanghai', 'city =', '--database', database], CHINESE);
    expect(chinese.code).toBe(1);
    expect(chinese.stderr.split('\n').slice(0, 3)).toEqual(['错误：EXPRESSION_SYNTAX（第 1 行第 7 列）：这里应为字符串、数字、"true"、"false"、date("…") 或 N days ago，实际是表达式结尾。', '1 | city =', '  |       ^']);
    expect((await tagbaseHere(['segment', 'list', '--database', database], ENGLISH)).stdout).toBe('no saved segments\n');
  });

  it('says an expression problem of a care plan once, not again beneath it', async () => {
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, condition: 'city =', steps: [{ after: '1d', message: '谢谢' }] }));
    const added = await tagbaseHere(['care', 'add', plan, '--database', database], ENGLISH);
    expect(added.code).toBe(1);
    expect(added.stderr).toBe('error EXPRESSION_SYNTAX: the plan\'s condition: line 1, column 7: Expected a string, a number, "true", "false", date("…") or N days ago but found the end of the expression.\n');
  });

  it('refuses a care plan file that gives a key twice in one object, naming the key and where, rather than keeping the last', async () => {
    const plan = join(dir, 'twice.json');
    writeFileSync(plan, '{"key": "thanks", "name": "感谢", "trigger": {"kind": "event", "event_type": "order_paid"},\n "steps": [{"after": "1d", "message": "谢谢", "message": "再见"}]}');
    const english = await tagbaseHere(['care', 'add', plan, '--database', database], ENGLISH);
    expect(english.code).toBe(1);
    expect(english.stderr).toBe(`error VALIDATION_FAILED: ${plan} at steps.0.message: the key "message" is given twice in one object (line 2, column 45; first at line 2, column 28): a JSON parser would keep only the last value\n`);
    const chinese = await tagbaseHere(['care', 'add', plan, '--database', database], CHINESE);
    expect(chinese.stderr).toBe(`错误 VALIDATION_FAILED：${plan} 中 steps.0.message：同一对象中键 "message" 出现了两次（第 2 行第 45 列；首次在第 2 行第 28 列）：JSON 解析只会保留最后一个值\n`);
    expect((await tagbaseHere(['care', 'plans', '--database', database], ENGLISH)).stdout).not.toContain('thanks');
  });

  it('refuses a model parameter whose JSON gives a key twice in one object, naming the key and where, rather than keeping the last', async () => {
    const english = await tagbaseHere(['model', 'enable', 'rfm', '-p', 'weights={"r":1,"f":2,"r":3}', '--database', database], ENGLISH);
    expect([english.code, english.stdout, english.stderr]).toEqual([1, '', 'error: --param weights.r: the key "r" is given twice in one object (column 22; first at column 10): a JSON parser would keep only the last value\n']);
    const chinese = await tagbaseHere(['model', 'enable', 'rfm', '-p', 'weights={"r":1,"f":2,"r":3}', '--database', database], CHINESE);
    expect([chinese.code, chinese.stderr]).toEqual([1, '错误：--param weights.r：同一对象中键 "r" 出现了两次（第 22 列；首次在第 10 列）：JSON 解析只会保留最后一个值\n']);
  });

  it('names the file that is no SQLite store, and where to change it, in English and Chinese', async () => {
    const notAStore = join(dir, 'customers.csv');
    writeFileSync(notAStore, 'id,name\nC1,张伟\n'.repeat(200));
    for (const args of [['tag', 'list'], ['workspace', 'list'], ['import', 'customers', notAStore]]) {
      const english = await tagbaseHere([...args, '--database', notAStore], ENGLISH);
      expect(english.code).toBe(1);
      expect(english.stdout).toBe('');
      expect(english.stderr).toBe(`error VALIDATION_FAILED: ${notAStore}: not a SQLite database (file is not a database): check --database or TAGBASE_DATABASE_URL, which name a SQLite file or a postgres:// URL\n`);
    }
    const chinese = await tagbaseHere(['tag', 'list'], { ...CHINESE, TAGBASE_DATABASE_URL: notAStore });
    expect(chinese.code).toBe(1);
    expect(chinese.stderr).toBe(`错误 VALIDATION_FAILED：${notAStore}：不是 SQLite 数据库（file is not a database）：请检查 --database 或 TAGBASE_DATABASE_URL，它们应指向 SQLite 数据库文件或 postgres:// 地址\n`);
  });

  it('refuses more days of segment sizes than are kept as the option, in the option\'s words', async () => {
    const english = await tagbaseHere(['segment', 'sizes', 'vips', '-n', String(MAX_SIZE_DAYS + 1), '--database', database], ENGLISH);
    expect(english.code).toBe(1);
    expect(english.stderr.split('\n')[0]).toBe(`error: option '-n, --days <n>' argument '${MAX_SIZE_DAYS + 1}' is invalid. must be a whole number from 1 to ${MAX_SIZE_DAYS}`);
    const chinese = await tagbaseHere(['segment', 'sizes', 'vips', '-n', '0', '--database', database], CHINESE);
    expect(chinese.stderr.split('\n')[0]).toBe(`错误：选项 -n, --days <n> 的取值「0」无效：必须是 1 到 ${MAX_SIZE_DAYS} 之间的整数`);
  });

  it('says which commands list and make workspaces when -w names none there is', async () => {
    const english = await tagbaseHere(['tag', 'list', '-w', 'shop-hz', '--database', database], ENGLISH);
    expect(english.code).toBe(1);
    expect(english.stderr).toBe('error WORKSPACE_NOT_FOUND: Workspace "shop-hz" does not exist. tagbase workspace list shows those there are; tagbase workspace create shop-hz makes it.\n');
    const chinese = await tagbaseHere(['segment', 'list', '-w', 'shop-hz', '--database', database], CHINESE);
    expect(chinese.stderr).toBe('错误 WORKSPACE_NOT_FOUND：工作空间「shop-hz」不存在。用 tagbase workspace list 查看已有的工作空间，或用 tagbase workspace create shop-hz 新建。\n');
  });

  it('refuses --sheet for a file that is no workbook rather than importing it as if the sheet were found', async () => {
    const csv = join(dir, '会员.csv');
    writeFileSync(csv, 'id,name\nS1,张伟\n');
    const english = await tagbaseHere(['import', 'customers', csv, '--sheet', '会员', '--database', database], ENGLISH);
    expect([english.code, english.stdout, english.stderr.split('\n')[0]]).toEqual([1, '', `error: --sheet names a sheet of an Excel workbook (.xlsx); ${csv} is read as csv, which has none`]);
    const chinese = tagbase(['import', 'customers', '-', '-f', 'jsonl', '-s', '会员', '--database', database], CHINESE, '{"id":"S1"}\n');
    expect(chinese.stderr.split('\n')[0]).toBe('错误：--sheet 用于指定 Excel 工作簿（.xlsx）中的工作表；- 按 jsonl 读取，没有工作表');
    expect((await tagbaseHere(['customer', 'show', 'S1', '--database', database], ENGLISH)).stderr).toMatch(/^error CUSTOMER_NOT_FOUND/);
  });

  it('refuses a folder as the report of rejected rows in one line, importing nothing, rather than with a stack trace', async () => {
    const csv = join(dir, 'report-folder.csv');
    writeFileSync(csv, 'id,birthday\nRF1,1990-02-30\nRF2,\n');
    const english = await tagbaseHere(['import', 'customers', csv, '--report', dir, '--database', database], ENGLISH);
    expect([english.code, english.stdout, english.stderr]).toEqual([1, '', `error: ${dir}: is a directory, not a file\n`]);
    const chinese = await tagbaseHere(['import', 'customers', csv, '-r', dir, '--database', database], CHINESE);
    expect([chinese.code, chinese.stderr]).toEqual([1, `错误：${dir}：是目录，不是文件\n`]);
    expect((await tagbaseHere(['customer', 'show', 'RF2', '--database', database], ENGLISH)).stderr).toMatch(/^error CUSTOMER_NOT_FOUND/);
  });

  it('asks for --yes before a merge in one line and exits 2, merges with it, and refuses a merge made before in one line', async () => {
    const csv = join(dir, 'to-merge.csv');
    writeFileSync(csv, 'id,name,phone\nKEEP1,王五,13700000011\nAWAY1,,+85212345678\n');
    expect((await tagbaseHere(['import', 'customers', csv, '--database', database], ENGLISH)).code).toBe(0);
    const asked = await tagbaseHere(['customer', 'merge', 'AWAY1', '--into', 'KEEP1', '--database', database], ENGLISH);
    expect([asked.code, asked.stdout, asked.stderr]).toEqual([2, '', 'merging customer "AWAY1" into "KEEP1" cannot be undone: "KEEP1" stays and takes the identities, events, tags and history of "AWAY1", which leads to it from then on; run it again with --yes to merge\n']);
    const merged = await tagbaseHere(['customer', 'merge', 'AWAY1', '--into', 'KEEP1', '--yes', '--database', database], ENGLISH);
    expect([merged.code, merged.stdout, merged.stderr]).toEqual([0, 'merged customer "AWAY1" into "KEEP1": 1 identity, 0 events, 0 tags and 0 history rows moved\n', '']);
    const again = await tagbaseHere(['customer', 'merge', 'AWAY1', '--into', 'KEEP1', '--yes', '--database', database], CHINESE);
    expect([again.code, again.stdout, again.stderr]).toEqual([1, '', '错误 MERGE_ALREADY：客户「AWAY1」之前已合并到「KEEP1」，两者已是同一条记录。\n']);
  });

  it.skipIf(!existsSync('/dev/full'))('says a full disk under its standard output or its -o file in one line, not a stack trace', async () => {
    /** The command with its standard output on a device that is always full, as a disk can be under `> members.csv`. */
    const toFullDisk = (args: string[], env: Record<string, string>) => {
      const full = openSync('/dev/full', 'w');
      try {
        const ran = spawnSync(process.execPath, [BIN, ...args, '--database', database], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', full, 'pipe'], timeout: 60_000 });
        return { code: ran.status, stderr: ran.stderr };
      } finally {
        closeSync(full);
      }
    };
    expect(toFullDisk(['tag', 'list'], ENGLISH)).toEqual({ code: 1, stderr: 'error: standard output: no space left on the disk\n' });
    expect(toFullDisk(['segment', 'export', 'city = "上海"'], CHINESE)).toEqual({ code: 1, stderr: '错误：标准输出：磁盘空间不足\n' });
    const written = await tagbaseHere(['segment', 'export', 'city = "上海"', '-o', '/dev/full', '--database', database], ENGLISH);
    expect([written.code, written.stdout, written.stderr]).toEqual([1, '', 'error: /dev/full: no space left on the disk\n']);
  });
});
