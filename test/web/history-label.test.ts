// How the console labels a tag change: `name: value`, and for the copy of a value a merge
// dropped, the record it came from, in the reader's language (the API gives the id as data).
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';
import { historyLabel } from '../../web/src/modules/portrait/utils/historyLabel.js';
import { modelLabel, modelTagDescription, modelTagName, modelTagValueName } from '../../web/src/modules/models/utils/modelLabel.js';
import { subjectLookup } from '../../web/src/modules/expression/utils/parseFilter.js';

const t = (lang: 'zh-CN' | 'en-US') => (key: MessageKey, vars?: Record<string, string | number>) => fillMessage((lang === 'en-US' ? enUS : zhCN)[key], lang, vars);

describe('a tag change as the console labels it', () => {
  it('says where a merge dropped the merged record\'s copy, in the reader\'s language', () => {
    const dropped = { label: '兴趣爱好: 高尔夫', merged_from: 'B' };
    expect(historyLabel(t('zh-CN'), dropped)).toBe('兴趣爱好: 高尔夫（合并自「B」）');
    expect(historyLabel(t('en-US'), dropped)).toBe('兴趣爱好: 高尔夫 (merged from “B”)');
    expect(historyLabel(t('en-US'), { label: '兴趣爱好: 高尔夫', merged_from: null })).toBe('兴趣爱好: 高尔夫');
  });

  it('reads a model’s tag change in the catalog’s English words in English, and words an operator chose as written', () => {
    const models = [{ name: '生命周期', english: 'lifecycle', values: [{ key: 'new', name: '新客户', english: 'new' }, { key: 'lost', name: '流失客户', english: 'lost' }] }];
    expect(modelLabel('生命周期: 新客户', models, 'en-US')).toBe('Lifecycle: New');
    expect(modelLabel('生命周期: 新客户', models, 'zh-CN')).toBe('生命周期: 新客户');
    // A value or a tag renamed in the workspace is the workspace's own word; the catalog's words beside it are still put in English.
    expect(modelLabel('生命周期: 新朋友', models, 'en-US')).toBe('Lifecycle: 新朋友');
    expect(modelLabel('客户阶段: 新客户', models, 'en-US')).toBe('客户阶段: 新客户');
    expect(modelLabel('兴趣爱好: 高尔夫', models, 'en-US')).toBe('兴趣爱好: 高尔夫');
    // A replacement names the value before and after: each in English, an operator's own word as written.
    expect(modelLabel('生命周期: 新客户 → 流失客户', models, 'en-US')).toBe('Lifecycle: New → Lost');
    expect(modelLabel('生命周期: 新朋友 → 流失客户', models, 'en-US')).toBe('Lifecycle: 新朋友 → Lost');
    expect(modelLabel('生命周期: 新客户 → 流失客户', models, 'zh-CN')).toBe('生命周期: 新客户 → 流失客户');
  });

  it('names a model’s tag and its values in the catalog’s English words wherever they are shown, and a tag the workspace named itself as written', () => {
    const models = [{ name: 'RFM等级', english: 'RFM level', values: [{ key: 'important_value', name: '重要价值客户', english: 'important value' }] }];
    const rfm = { name: 'RFM等级', kind: 'model' };
    expect(modelTagName(rfm, models, 'en-US')).toBe('RFM level');
    expect(modelTagName(rfm, models, 'zh-CN')).toBe('RFM等级');
    expect(modelTagValueName(rfm, { key: 'important_value', name: '重要价值客户' }, models, 'en-US')).toBe('Important value');
    expect(modelTagValueName(rfm, { key: 'important_value', name: '重要价值客户' }, models, 'zh-CN')).toBe('重要价值客户');
    // Renamed: the tag, and so its values, are the workspace's words.
    const renamed = { name: '价值等级', kind: 'model' };
    expect(modelTagName(renamed, models, 'en-US')).toBe('价值等级');
    expect(modelTagValueName(renamed, { key: 'important_value', name: '重要价值客户' }, models, 'en-US')).toBe('重要价值客户');
    expect(modelTagValueName(rfm, { key: 'important_value', name: '最重要客户' }, models, 'en-US')).toBe('最重要客户');
    // A tag an operator made under the model's name is no model's tag.
    expect(modelTagName({ name: 'RFM等级', kind: 'manual' }, models, 'en-US')).toBe('RFM等级');
    expect(modelTagValueName({ name: 'RFM等级', kind: 'manual' }, { key: 'important_value', name: '重要价值客户' }, models, 'en-US')).toBe('重要价值客户');
    expect(modelLabel('RFM等级: 重要价值客户', models, 'en-US', 'manual')).toBe('RFM等级: 重要价值客户');
    expect(modelLabel('RFM等级: 重要价值客户', models, 'en-US', 'model')).toBe('RFM level: Important value');
  });

  it('reads a typed expression by a model’s tag’s stored name, not by the English one it is shown by', () => {
    const subject = { id: 'tag:rfm', kind: 'tag' as const, key: 'rfm', name: 'RFM level', written: 'RFM等级', type: 'tag' as const, multi: false, ordered: false, options: [] };
    const lookup = subjectLookup([subject]);
    expect(lookup.get('RFM等级')).toBe(subject);
    expect(lookup.get('rfm')).toBe(subject);
    expect(lookup.has('RFM level')).toBe(false);
  });

  it('describes a model’s tag in English by the English line of the description the model gave it, and a description an operator wrote as written', () => {
    const models = [{ name: 'RFM等级', english: 'RFM level', values: [] }];
    const rfm = { name: 'RFM等级', kind: 'model' };
    const given = '按最近一次消费分成八个等级。\nRFM level: Eight levels from recency.';
    expect(modelTagDescription(rfm, given, models, 'en-US')).toBe('RFM level: Eight levels from recency.');
    expect(modelTagDescription(rfm, given, models, 'zh-CN')).toBe(given);
    expect(modelTagDescription(rfm, '重要客户分层，每月复盘', models, 'en-US')).toBe('重要客户分层，每月复盘');
    expect(modelTagDescription({ name: '兴趣爱好', kind: 'manual' }, given, models, 'en-US')).toBe(given);
  });
});
