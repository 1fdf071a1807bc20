// `tagbase import <kind> --template`: the command writes the file to fill in, on each store (run in the test's process).
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import readWorkbook from 'read-excel-file/universal';
import { afterAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { tagbaseHere } from './run-tagbase.js';

const english = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const chinese = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

for (const kind of storeKinds()) {
  describe(`tagbase import --template [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-template-'));
    const schema = `t_template_${process.pid}`;
    const admin = kind === 'postgres' ? new pg.Client({ connectionString: process.env.TAGBASE_TEST_PG_URL }) : undefined;
    const database = kind === 'sqlite' ? join(dir, 'store.db') : `${process.env.TAGBASE_TEST_PG_URL}?options=-c%20search_path%3D${schema}`;
    const run = (args: string[], env: Record<string, string> = english) => tagbaseHere([...args, '--database', database], env);

    it('writes the header with the workspace\'s fields, hints the example row, and the filled-in file imports', async () => {
      await admin?.connect();
      await admin?.query(`create schema ${schema}`);
      expect((await run(['migrate'])).code).toBe(0);
      expect((await run(['field', 'add', 'joined', '--name', '入会日期', '--type', 'date'])).code).toBe(0);
      expect((await run(['field', 'add', 'tier', '--name', '档位', '--type', 'enum', '--options', '银,金'])).code).toBe(0);

      // Standard output, in the language the locale settings ask for.
      const piped = await run(['import', 'customers', '--template'], chinese);
      expect([piped.code, piped.stderr]).toEqual([0, '']);
      expect(piped.stdout).toBe('\uFEFF编号,姓名,类型,性别,生日,城市,地区,职业,会员等级,来源渠道,注册时间,手机,邮箱,会员卡号,入会日期,档位\r\n');
      // --lang over the locale settings.
      expect((await run(['import', 'customers', '--template', '--lang', 'en'], chinese)).stdout).toMatch(/^\uFEFFid,name,type,.*,member_card,joined,tier\r\n$/);

      // A file: the example row beside it on stderr, never in it.
      const path = join(dir, `客户-${kind}.csv`);
      const written = await run(['import', 'customers', '--template', path], chinese);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe('');
      const hint = /^例：(.+)$/m.exec(written.stderr)?.[1];
      expect(hint).toBe('C0001,张伟,个人,男,1990-05-17,上海,华东,教师,金卡,门店,2024-03-08 14:30,13800138000,zhangwei@example.com,VIP0001,,银');
      expect(readFileSync(path, 'utf8')).toBe(piped.stdout);
      appendFileSync(path, `${hint}\r\n`);
      const imported = await run(['import', 'customers', path]);
      expect(imported.stdout).toContain('1 row, 1 imported, 0 rejected');
      expect((await run(['customer', 'show', 'C0001'])).stdout).toContain('张伟');

      // A file already there is never replaced.
      const again = await run(['import', 'customers', '--template', path]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already exists');
      expect(readFileSync(path, 'utf8')).toContain('张伟');
    });

    it('writes a workbook to a file named .xlsx, and refuses what it cannot write', async () => {
      const path = join(dir, `events-${kind}.xlsx`);
      const written = await run(['import', 'events', '-t', path, '--lang', 'en']);
      expect(written.code).toBe(0);
      expect(written.stderr).toMatch(/^wrote the template to .*events-.*\.xlsx.*\ne\.g\. C0001,order_paid,2026-06-01 20:15,DD20260601001,299,online\n$/);
      const bytes = readFileSync(path);
      const [sheet] = await readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      expect(sheet?.sheet).toBe('events-template');
      expect(sheet?.data).toEqual([['customer_id', 'type', 'occurred_at', 'order_id', 'amount', 'channel']]);

      // Without a manual tag in the workspace, an assignments template has no example to show.
      const assignments = await run(['import', 'assignments', '--template', join(dir, `assignments-${kind}.csv`), '--lang', 'en']);
      expect([assignments.code, assignments.stderr]).toEqual([0, `wrote the template to ${join(dir, `assignments-${kind}.csv`)}: fill in a row per line under the header\n`]);
      expect(readFileSync(join(dir, `assignments-${kind}.csv`), 'utf8')).toBe('\uFEFFcustomer_id,tag,value,expires_at\r\n');

      const jsonl = await run(['import', 'events', '--template', '-f', 'jsonl']);
      expect([jsonl.code, jsonl.stderr]).toEqual([1, 'error: a template is written as csv or xlsx; got "jsonl"\n']);
      const lang = await run(['import', 'events', '--template', '--lang', 'fr']);
      expect(lang.code).toBe(1);
      expect(lang.stderr).toContain("option '--lang <language>' argument 'fr' is invalid. use zh-CN or en");
      // A file to import beside --template is neither guessed to be read nor overwritten.
      const data = join(dir, `members-${kind}.csv`);
      writeFileSync(data, 'id,name\nM1,李娜\n');
      const both = await run(['import', 'customers', data, '--template'], chinese);
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('--template 只写出模板，不导入');
      expect(readFileSync(data, 'utf8')).toBe('id,name\nM1,李娜\n');
      // --lang is the template's: without --template it is refused, the file left unread, rather than silently ignored.
      const langAlone = await run(['import', 'customers', data, '--lang', 'en'], chinese);
      expect([langAlone.code, langAlone.stdout]).toEqual([1, '']);
      expect(langAlone.stderr).toMatch(/^错误：--lang 是 --template 所写模板的语言；.*要写出 en 模板请加上 --template，否则请去掉 --lang\n$/);
      expect((await run(['import', 'customers', data, '--lang', 'zh-CN'])).stderr).toMatch(/^error: --lang is the language of the template --template writes; .*add --template to write a template in zh-CN, or leave --lang out\n$/);
      expect((await run(['import', 'customers', '--lang', 'en'])).stderr).toMatch(/^error: --lang is the language of the template/);
      // What only an import reads (how the file is read, the report, the batches, whom the audit
      // trail names) is refused beside --template, naming each, rather than left unread.
      const report = join(dir, `report-${kind}.csv`);
      const unread = await run(['import', 'customers', '--template', '-c', '手机号码=phone', '-e', 'gb18030', '-s', 'Sheet1', '-r', report, '-b', '10', '-a', '王芳']);
      expect([unread.code, unread.stdout]).toEqual([1, '']);
      expect(unread.stderr).toBe(
        'error: --template writes a template and imports nothing: --column, --encoding, --sheet, --report, --batch, --actor would go unread; write the template without --column, --encoding, --sheet, --report, --batch, --actor, or leave --template out to import a file\n',
      );
      // Given as their defaults too; the template named is not written.
      const template = join(dir, `unwritten-${kind}.csv`);
      const one = await run(['import', 'events', '--template', template, '-e', 'auto'], chinese);
      expect([one.code, one.stdout, one.stderr]).toEqual([1, '', '错误：--template 只写出模板，不导入：--encoding 不会被用到；写模板时请去掉 --encoding，要导入文件请去掉 --template\n']);
      expect(existsSync(template)).toBe(false);
      // Without --template the file is still required, in commander's words.
      expect((await run(['import', 'customers'])).stderr).toMatch(/^error: missing required argument 'file'\n/);
      expect((await run(['import', 'customers'], chinese)).stderr).toMatch(/^错误：缺少必需的参数 file\n/);
      // A workspace that is not there is said, not made.
      expect((await run(['import', 'customers', '--template', '-w', 'nowhere'])).stderr).toMatch(/^error WORKSPACE_NOT_FOUND/);
    });

    afterAll(async () => {
      await admin?.query(`drop schema if exists ${schema} cascade`);
      await admin?.end();
    });
  });
}
