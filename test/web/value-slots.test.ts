// The rows and columns of the tag transitions page: a model's values by the catalog's English
// names in the English console, as the overview and the Models page name them.
import { describe, expect, it } from 'vitest';
import type { TagProfileJson, TransitionsJson } from '../../web/src/modules/transitions/utils/types.js';
import { profileRows } from '../../web/src/modules/transitions/utils/profileRows.js';
import { valueSlots } from '../../web/src/modules/transitions/utils/valueSlots.js';

const movement = { color: null, removed: false, held_from: 1, held_to: 1, gained: 0, lost: 0 };
const answer: TransitionsJson = {
  tag: { key: 'rfm', name: 'RFM等级', cardinality: 'single', ordered: true },
  from: '2026-11-05T00:00:00.000Z',
  to: '2026-12-05T00:00:00.000Z',
  customers_from: 3,
  customers_to: 3,
  entered: 0,
  left: 0,
  stayed: 3,
  moved: 0,
  values: [
    { key: 'important_value', name: '重要价值客户', ...movement },
    { key: 'general_retention', name: '老客户', ...movement },
    { key: null, name: '旧等级', ...movement, removed: true },
  ],
  flows: [],
};
const catalog = [
  { key: 'important_value', name: '重要价值客户', english: 'important value' },
  { key: 'general_retention', name: '一般保持客户', english: 'general retention' },
];

describe('the values of a tag transition', () => {
  it("names a model's values by the catalog's English names in English, and a value the workspace renamed or removed as it is called", () => {
    expect(valueSlots(answer, 'No value', catalog, 'en-US').map((slot) => slot.name)).toEqual(['Important value', '老客户', '旧等级', 'No value']);
  });

  it('names them as the tag does in Chinese', () => {
    expect(valueSlots(answer, '无', catalog, 'zh-CN').map((slot) => slot.name)).toEqual(['重要价值客户', '老客户', '旧等级', '无']);
  });

  it("names them so in the values now below, the workspace's own names as they are", () => {
    const group = { customers: 1, share: 0.5, metrics: {} };
    const profile: TagProfileJson = {
      within: null,
      tag: { key: 'rfm', name: 'RFM等级', cardinality: 'single' },
      population: 2,
      metrics: [],
      values: [
        { key: 'important_value', name: '重要价值客户', color: null, ...group },
        { key: 'general_retention', name: '老客户', color: null, ...group },
      ],
      holders: group,
      everyone: group,
    };
    expect(profileRows(profile, catalog, 'en-US').map((row) => row.name)).toEqual(['Important value', '老客户', '', '']);
  });
});
