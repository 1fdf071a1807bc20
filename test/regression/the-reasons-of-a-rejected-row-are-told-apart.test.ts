// A row refused for several reasons has them in one cell of a report of rejected rows (`tagbase
// import`'s and the console's download). They were apart by "; " (by "；" in Chinese), which many a
// single reason holds itself (`customer "12" does not exist; there is a customer "00012": …`), so
// that a reader could not tell where one ended. They are apart by " | ", which no reason's words hold.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REJECTED_REASONS_SEPARATOR, rejectedRowCells } from '../../src/core/import-columns.js';
import { LOCALES, localized } from '../../src/core/locale.js';
import { rowProblemText, type RowProblem, type RowProblemReason } from '../../src/engine/import-reasons.js';

/** Every problem of a row, with parameters of every kind it words. */
const PROBLEMS: { [R in RowProblemReason]: Extract<RowProblem, { reason: R }>['params'][] } = {
  not_an_object: [{}],
  invalid_json: [{ detail: localized('Unexpected token', '意外的字符') }],
  column_count: [{ expected: 3, got: 4 }, { expected: 1, got: 2 }],
  cells_without_heading: [{ positions: [3] }, { positions: [3, 4] }],
  unreadable_from_here: [{ detail: localized('Quote Not Closed', '引号没有闭合') }],
  properties_not_object: [{}],
  properties_invalid_json: [{}],
  duplicate_key: [
    { path: 'name', key: 'name', more: 0 },
    { path: 'properties.amount', key: 'amount', column: 30, firstColumn: 16, more: 1 },
    { cell: '属性', path: '0.sku', key: 'sku', more: 0 },
  ],
  unknown_columns: [{ columns: ['x'] }, { columns: ['x', 'y'] }],
  required: [{ column: 'id' }],
  unstorable_text: [{ column: 'name' }],
  expires_at_not_time: [{ column: 'expires_at', found: 'soon' }],
  time_not_readable: [{ column: 'occurred_at', found: 'soon' }],
  expires_at_not_future: [{ column: 'expires_at', found: '2020-01-01' }],
  expires_at_too_late: [{ column: 'expires_at', found: '10000-01-01' }],
  time_ahead: [{ column: 'occurred_at', found: '2099-01-01' }],
  formula_without_result: [{ columns: ['a'] }, { columns: ['a', 'b'] }],
  customer_not_found: [{ customer: '12' }, { customer: '12', stored: '00012' }],
  tag_not_found: [{ tag: 'x' }, { tag: 'x', nearest: 'y' }, { tag: 'x', valueOfTag: 'y' }],
  tag_value_not_found: [
    { tag: 't', value: 'v', values: [], count: 0 },
    { tag: 't', value: 'v', values: ['a', 'b'], count: 5 },
    { tag: 't', value: 'a|b', values: ['a', 'b'], count: 2, several: ['a', 'b'] },
  ],
  single_value_taken: [{ customer: 'C1', tag: 't', value: 'v', line: 2 }],
  item: [{ message: localized('required', '必填') }, { path: 'phone', message: localized('required', '必填') }],
  date_not_readable: [{ column: 'birthday', found: 'soon' }],
  scientific_notation: [{ column: 'phone', found: '1.38E+10' }],
};

/** The text of every string and template literal in the TypeScript files under `folder`, with where it is. */
function literalsUnder(folder: string): { at: string; text: string }[] {
  const found: { at: string; text: string }[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      found.push(...literalsUnder(path));
      continue;
    }
    if (!name.endsWith('.ts')) continue;
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
        found.push({ at: `${path}:${String(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1)}`, text: node.text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe("the reasons of a rejected row, in a report's reason cell", () => {
  it('are apart by a separator a reason holds no part of, in either language', () => {
    const notFound = { code: 'CUSTOMER_NOT_FOUND', reason: 'customer "12" does not exist; there is a customer "00012": Excel may have dropped the leading zeros' };
    const phone = { code: 'VALIDATION_FAILED', reason: 'phone: "12" is not a valid phone' };
    expect(rejectedRowCells([notFound, phone])).toEqual({
      code: 'CUSTOMER_NOT_FOUND VALIDATION_FAILED',
      reason: 'customer "12" does not exist; there is a customer "00012": Excel may have dropped the leading zeros | phone: "12" is not a valid phone',
    });
    expect(rejectedRowCells([notFound, phone]).reason.split(REJECTED_REASONS_SEPARATOR)).toEqual([notFound.reason, phone.reason]);
    const chinese = [
      { code: 'CUSTOMER_NOT_FOUND', reason: '找不到客户「12」；库中有「00012」，可能是 Excel 去掉了前导零' },
      { code: 'VALIDATION_FAILED', reason: '手机：「12」不是有效的手机号' },
    ];
    expect(rejectedRowCells(chinese).reason.split(REJECTED_REASONS_SEPARATOR)).toEqual(chinese.map((entry) => entry.reason));
  });

  it("is held by no row problem's words, in either language", () => {
    const worded = Object.entries(PROBLEMS).flatMap(([reason, list]) => list.flatMap((params) => LOCALES.map((locale) => rowProblemText({ reason, params } as RowProblem, locale))));
    expect(worded.length).toBeGreaterThan(Object.keys(PROBLEMS).length * 2);
    expect(worded.filter((text) => text.includes(REJECTED_REASONS_SEPARATOR))).toEqual([]);
  });

  it("is held by no text of the engine's and the domain's messages, whence every reason comes", () => {
    // An expression's diagnostic, drawn under its line with a gutter (`3 | …`), is printed for an expression and is no row's reason.
    const drawn = join('src', 'core', 'expression', 'format-diagnostic.ts');
    // The separator's own definition is none either.
    const texts = [...literalsUnder(join('src', 'core')), ...literalsUnder(join('src', 'engine'))].filter((literal) => !literal.at.startsWith(drawn) && literal.text !== REJECTED_REASONS_SEPARATOR);
    expect(texts.length).toBeGreaterThan(1000);
    expect(texts.filter((literal) => literal.text.includes(REJECTED_REASONS_SEPARATOR))).toEqual([]);
  });
});
