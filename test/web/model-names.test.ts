// How the console names a model's values, the metrics in its conditions and the model in a
// problem: in the console's language where the catalog has the words, as stored where the
// workspace wrote its own.
import { describe, expect, it } from 'vitest';
import { findModelKind, MODEL_KINDS } from '../../src/core/models/catalog.js';
import { conditionParts } from '../../web/src/modules/models/utils/conditionParts.js';
import { modelTitle } from '../../web/src/modules/models/utils/modelTitle.js';
import { modelValueName } from '../../web/src/modules/models/utils/modelValueName.js';
import { namedModelDetail } from '../../web/src/modules/models/utils/namedModelDetail.js';

const rfm = findModelKind('rfm');
const interests = findModelKind('interests');
if (!rfm || !interests) throw new Error('the catalog has an RFM model and a model of interests');
const levels = rfm.values(rfm.parse({}), undefined);

describe('a model value’s name', () => {
  it('is the catalog’s English name, capitalised, in English', () => {
    expect(modelValueName({ key: 'important_value', name: '重要价值客户' }, levels, 'en-US')).toBe('Important value');
  });

  it('is the stored Chinese name in Chinese', () => {
    expect(modelValueName({ key: 'important_value', name: '重要价值客户' }, levels, 'zh-CN')).toBe('重要价值客户');
  });

  it('is the workspace’s own name once it renamed the value, in English too', () => {
    expect(modelValueName({ key: 'important_value', name: 'VIP 大客户' }, levels, 'en-US')).toBe('VIP 大客户');
  });

  it('is the stored name when the catalog is not known (yet)', () => {
    expect(modelValueName({ key: 'important_value', name: '重要价值客户' }, undefined, 'en-US')).toBe('重要价值客户');
  });
});

describe('a model’s condition for reading', () => {
  const params = interests.parse({ categories: ['服装'], min_views: 3 });
  const names = new Map(interests.metrics(params).map((metric) => [metric.key, metric.name_en ?? metric.name]));
  const [value] = interests.values(params, undefined);
  if (!value) throw new Error('one category, one value');

  it('names the metrics the model of interests defines for itself, keeping their keys', () => {
    const parts = conditionParts(value.condition, names);
    expect(parts.map((part) => ('metric' in part ? `[${part.name}]` : part.text)).join('')).toBe('[服装 long views] >= 1 or [服装 views] >= 3');
    expect(parts.flatMap((part) => ('metric' in part ? [part.metric] : []))).toEqual([...names.keys()].reverse());
    expect(value.condition).toMatch(/interest_long_views_\w+ >= 1/);
  });

  it('leaves built-in metrics, quoted words and parts of longer names as written', () => {
    const known = new Map([['views', 'Views']]);
    expect(conditionParts('page_views >= 1 and city = "views" and views > 2', known)).toEqual([{ text: 'page_views >= 1 and city = "views" and ' }, { metric: 'views', name: 'Views' }, { text: ' > 2' }]);
    expect(conditionParts('spend_365d >= 5000', names)).toEqual([{ text: 'spend_365d >= 5000' }]);
  });
});

describe('a problem about a model', () => {
  const titles = (lang: string) => MODEL_KINDS.map((kind) => ({ key: kind.key, title: modelTitle(kind, lang) }));

  it('names the model by its name, not its key, in either language', () => {
    expect(namedModelDetail('本工作空间未启用模型「rfm」，请先启用。', titles('zh-CN'))).toBe('本工作空间未启用模型「RFM等级」，请先启用。');
    expect(namedModelDetail('Model "rfm" is not enabled in this workspace; enable it first.', titles('en-US'))).toBe('Model “RFM level” is not enabled in this workspace; enable it first.');
    expect(namedModelDetail('Model "value_tier": params.high: must be more than middle', titles('en-US'))).toBe('Model “Value tier”: params.high: must be more than middle');
    expect(namedModelDetail('标签「生命周期」属于模型 lifecycle，它的值', titles('zh-CN'))).toBe('标签「生命周期」属于模型「生命周期」，它的值');
  });

  it('leaves a tag key that happens to be a model’s as it is', () => {
    expect(namedModelDetail('无法启用模型「interests」：标签库中已使用标识「interests」', titles('zh-CN'))).toBe('无法启用模型「行为兴趣」：标签库中已使用标识「interests」');
    expect(namedModelDetail('tag "rfm" is already called "RFM等级"', titles('en-US'))).toBe('tag "rfm" is already called "RFM等级"');
  });
});
