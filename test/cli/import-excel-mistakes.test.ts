// `tagbase import` over files a spreadsheet spoiled: ids re-saved by Excel without their leading
// zeros (12 for 00012), warned of where they create a customer and named where an assignment
// finds none; and a header of two rows (a merged 联系方式 over 手机 and 邮箱), refused in words.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tagbaseHere } from './run-tagbase.js';

describe('tagbase import: what Excel did to a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-excel-'));
  const database = join(dir, 'store.db');
  const csv = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    expect((await tagbaseHere(['import', 'customers', csv('stored.csv', 'id,name\n00012,张三\n00013,李四\n'), '--database', database])).code).toBe(0);
  });

  it('warns that customer 12 was created beside 00012, and names 00012 where an assignment finds no 12', async () => {
    const created = await tagbaseHere(['import', 'customers', csv('resaved.csv', 'id,name\n12,张三\n'), '--database', database], { LANG: 'en_US.UTF-8' });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('warning: line 2 created customer "12"; there is a customer "00012": Excel may have dropped the leading zeros');
    // The customer is looked for before the tag.
    const path = csv('tags.csv', 'customer_id,tag,value\n13,vip,是\n');
    const assigned = await tagbaseHere(['import', 'assignments', path, '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(assigned.code).toBe(3);
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toContain('2,CUSTOMER_NOT_FOUND,找不到客户「13」；库中有「00013」，可能是 Excel 去掉了前导零,13,vip,是');
  });

  it('refuses a header of two rows in the terminal\'s language', async () => {
    const path = csv('会员.csv', '客户编号,姓名,联系方式,\n,,手机,邮箱\n00012,张三,13800138000,zs@example.com\n');
    const zh = await tagbaseHere(['import', 'customers', path, '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect([zh.code, zh.stderr]).toEqual([1, '错误 VALIDATION_FAILED：表头占了两行（如合并单元格"联系方式"下面还有"手机""邮箱"）：请只保留一行表头再导入\n']);
  });
});
