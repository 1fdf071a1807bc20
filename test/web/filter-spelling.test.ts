// The visual builder writes text from its conditions. What it read from text — a saved segment
// written with names, as the demo's are — is written back in the operator's words, not turned
// into keys the moment another condition is added.
import { describe, expect, it } from 'vitest';
import { blankCondition, writeFilter } from '../../web/src/modules/expression/utils/filterModel.js';
import { parseFilter } from '../../web/src/modules/expression/utils/parseFilter.js';
import type { Subject } from '../../web/src/modules/expression/utils/subjects.js';

const subjects: Subject[] = [
  { id: 'tag:rfm', kind: 'tag', key: 'rfm', name: 'RFM等级', type: 'tag', multi: false, ordered: false, options: [{ value: 'important_value', label: '重要价值客户' }, { value: 'important_retain', label: '重要保持客户' }] },
  { id: 'tag:interests', kind: 'tag', key: 'interests', name: '兴趣', type: 'tag', multi: true, ordered: false, options: [{ value: 'golf', label: '高尔夫' }, { value: 'fishing', label: '钓鱼' }] },
  { id: 'field:city', kind: 'field', key: 'city', name: '城市', type: 'string', multi: false, ordered: false, options: [] },
  { id: 'field:gender', kind: 'field', key: 'gender', name: '性别', type: 'enum', multi: false, ordered: false, options: [{ value: 'female', label: '女性', aliases: ['女'] }] },
  { id: 'field:has_phone', kind: 'field', key: 'has_phone', name: '有手机号', type: 'boolean', multi: false, ordered: false, options: [] },
  { id: 'segment:active_buyers', kind: 'segment', key: 'active_buyers', name: '活跃买家', type: 'segment', multi: false, ordered: false, options: [] },
];
const byId = new Map(subjects.map((subject) => [subject.id, subject]));

function read(text: string) {
  const model = parseFilter(text, subjects);
  if (!model) throw new Error(`the builder cannot read ${text}`);
  return model;
}

describe('the builder writing back what it read', () => {
  it('keeps the names a condition was written with when another condition is added', () => {
    const model = read('RFM等级 = "重要价值客户" and not segment("活跃买家") and 兴趣 has any ("高尔夫", "fishing") and 性别 = "女"');
    const added = { ...model, conditions: [...model.conditions, { ...blankCondition(), subject: 'field:city', operator: '=' as const, values: ['北京'] }] };
    expect(writeFilter(added, byId)).toBe('RFM等级 = "重要价值客户" and not segment("活跃买家") and 兴趣 has any ("高尔夫", "fishing") and 性别 = "女" and city = "北京"');
  });

  it('writes a value chosen in the builder, or a subject chosen in place of the one read, by key', () => {
    const model = read('RFM等级 in ("重要价值客户")');
    const [condition] = model.conditions;
    if (!condition) throw new Error('no condition');
    expect(writeFilter({ ...model, conditions: [{ ...condition, values: [...condition.values, 'important_retain'] }] }, byId)).toBe('RFM等级 in ("重要价值客户", "important_retain")');
    expect(writeFilter({ ...model, conditions: [{ ...condition, subject: 'field:city', operator: '=', values: ['重要价值客户'] }] }, byId)).toBe('city = "重要价值客户"');
  });

  it('reads a boolean written alone as = true, and writes it so; any other name alone stays text', () => {
    const model = read('segment("活跃买家") and 有手机号 and not has_phone');
    expect(model.conditions.map(({ not, subject, operator, values }) => ({ not, subject, operator, values }))).toEqual([
      { not: false, subject: 'segment:active_buyers', operator: 'member', values: [] },
      { not: false, subject: 'field:has_phone', operator: '=', values: ['true'] },
      { not: true, subject: 'field:has_phone', operator: '=', values: ['true'] },
    ]);
    expect(writeFilter(model, byId)).toBe('segment("活跃买家") and 有手机号 = true and not has_phone = true');
    expect(parseFilter('has_phone or city', subjects)).toBeUndefined();
    expect(parseFilter('has_phone not', subjects)).toBeUndefined();
  });

  it('keeps a name written in backticks, without the backticks it does not need', () => {
    const model = read('`城市` in ("广州", "深圳")');
    expect(writeFilter(model, byId)).toBe('城市 in ("广州", "深圳")');
  });
});
