// `tagbase import` over files a spreadsheet spoiled: ids re-saved by Excel without their leading
// zeros (12 for 00012), warned of where they create a customer and named where an assignment
// finds none; a phone saved in scientific notation (1.38001E+10), refused saying how to keep its
// digits, and a time saved as Excel's serial (45291.75), read as that time; and a header of two
// rows (a merged 联系方式 over 手机 and 邮箱), refused in words.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tagbaseHere } from './run-tagbase.js';

describe('tagbase import: what Excel did to a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-excel-'));
  const database = join(dir, 'store.db');
  const csv = (name: string, text: string | Buffer) => {
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

  it('rejects a row whose phone Excel saved in scientific notation, saying how to keep its digits, and reads a time saved as a serial', async () => {
    const path = csv('科学计数法.csv', '编号,手机,注册时间\nS1,1.38001E+10,45291.75\nS2,13800138002,45291.75\n');
    const imported = await tagbaseHere(['import', 'customers', path, '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(imported.code).toBe(3);
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toContain('2,VALIDATION_FAILED,手机「1.38001E+10」被电子表格转成了科学计数法，后几位数字已经丢失：请在 Excel 或 WPS 中把这一列设置为文本格式后重新导出（或直接导入 .xlsx 文件）,S1,1.38001E+10,45291.75');
    const shown = await tagbaseHere(['customer', 'show', 'S2', '--json', '--database', database]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ first_seen_at: '2023-12-31T10:00:00.000Z', identities: [expect.objectContaining({ kind: 'phone', value: '13800138002' })] });
  });

  it('refuses a header of two rows in the terminal\'s language', async () => {
    const path = csv('会员.csv', '客户编号,姓名,联系方式,\n,,手机,邮箱\n00012,张三,13800138000,zs@example.com\n');
    const zh = await tagbaseHere(['import', 'customers', path, '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect([zh.code, zh.stderr]).toEqual([1, '错误 VALIDATION_FAILED：表头占了两行（如合并单元格"联系方式"下面还有"手机""邮箱"）：请只保留一行表头再导入\n']);
  });

  it('refuses a file that is not text as what the format asked for needs: UTF-8 CSV for csv, UTF-8 JSON Lines for jsonl', async () => {
    // A workbook (a zip) given as JSON Lines, and random bytes: neither is told to be saved as CSV.
    const zip = csv('导出.jsonl', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xc5, 0x93, 0xff, 0xfe, 0x80, 0x0a]));
    const en = await tagbaseHere(['import', 'events', zip, '--format', 'jsonl', '--database', database], { LANG: 'en_US.UTF-8' });
    expect([en.code, en.stderr]).toEqual([1, "error VALIDATION_FAILED: the file is not UTF-8 text, so it is not JSON Lines: write it as UTF-8 text with one JSON object a line (a JSON array becomes that with `jq -c '.[]'`), or import a spreadsheet as CSV or .xlsx\n"]);
    const zh = await tagbaseHere(['import', 'events', zip, '--format', 'jsonl', '--database', database], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stderr).toBe("错误 VALIDATION_FAILED：文件不是 UTF-8 编码的文本，因而不是 JSON Lines：请写成 UTF-8 编码、每行一个 JSON 对象的文本（JSON 数组可用 `jq -c '.[]'` 转成这样），或把电子表格按 CSV 或 .xlsx 导入\n");
    const asCsv = await tagbaseHere(['import', 'customers', zip, '--format', 'csv', '--database', database], { LANG: 'en_US.UTF-8' });
    expect(asCsv.stderr).toBe('error VALIDATION_FAILED: the file is neither UTF-8 nor GB18030 (GBK) text; save it as UTF-8 CSV and import it again\n');
  });
});
