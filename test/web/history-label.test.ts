// How the console labels a tag change: `name: value`, and for the copy of a value a merge
// dropped, the record it came from, in the reader's language (the API gives the id as data).
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../web/src/modules/app/utils/format.js';
import { enUS, zhCN, type MessageKey } from '../../web/src/modules/app/utils/messages.js';
import { historyLabel } from '../../web/src/modules/portrait/utils/historyLabel.js';
import { modelLabel } from '../../web/src/modules/models/utils/modelLabel.js';

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
    // A value or a tag renamed in the workspace is the workspace's own word.
    expect(modelLabel('生命周期: 新朋友', models, 'en-US')).toBe('生命周期: 新朋友');
    expect(modelLabel('客户阶段: 新客户', models, 'en-US')).toBe('客户阶段: 新客户');
    expect(modelLabel('兴趣爱好: 高尔夫', models, 'en-US')).toBe('兴趣爱好: 高尔夫');
  });
});
