// `tagbase doctor`'s lines: what each finding says, and for a model's tag, that its model's
// parameters are what to change (the tag itself is the model's alone); shared tags that read as one
// name, each with its key and group.
import { describe, expect, it } from 'vitest';
import { formatGovernanceReport } from '../../src/cli/doctor.js';
import type { CatalogModel } from '../../src/core/models/model-words.js';
import type { GovernanceReport } from '../../src/engine/governance.js';

/** The catalog's words an English reader is given (as `GET /models` lists them), for the models the report names. */
const models: CatalogModel[] = [
  { name: '价值分层', english: 'value tier', values: [{ key: 'high', name: '高价值', english: 'high' }] },
  { name: '客户画像', english: 'personas', values: [{ key: 'early_bird', name: '早鸟', english: 'early bird' }] },
];

const report: GovernanceReport = {
  options: { jaccard: 0.9, min_members: 20, group_budget: 30, min_owners: 3 },
  customers: 120,
  unusedTags: [
    // A model's tag whose key is not the model's (the library had a tag of that key): the model is named.
    { tag: 'vip_model', name: 'VIP', kind: 'model', model: 'vip', group: null },
    { tag: 'device', name: '常用设备', kind: 'manual', model: null, group: 'technology' },
  ],
  emptyValues: [
    { tag: 'value_tier', name: '价值分层', kind: 'model', model: 'value_tier', value: 'high', valueName: '高价值' },
    { tag: 'age_band', name: '年龄段', kind: 'rule', model: null, value: 'under_18', valueName: '18岁以下' },
    { tag: 'taste', name: '口味', kind: 'manual', model: null, value: 'sweet_sour', valueName: '酸甜' },
  ],
  overlappingTags: [],
  rulesReadingArchivedTags: [],
  crowdedGroups: [],
  duplicateTags: [],
  promotionCandidates: [],
  samePhoneTwoWays: [],
  findings: 5,
};

describe('tagbase doctor', () => {
  it('says of a model’s tag held by nobody that the model’s parameters are what to change, in English and Chinese', () => {
    expect(formatGovernanceReport(report, 'en')).toEqual([
      'unused tag: VIP (vip_model) — the vip model gives it to nobody with its parameters now; change them with tagbase model enable vip -p name=value, or disable the model',
      'unused tag: 常用设备 (device) — no customer holds it',
      'empty value: 价值分层: 高价值 (value_tier.high) — the value_tier model gives it to nobody with its parameters now; change them with tagbase model enable value_tier -p name=value, or disable the model',
      'empty value: 年龄段: 18岁以下 (age_band.under_18) — its condition never matches',
      'empty value: 口味: 酸甜 (taste.sweet_sour) — no customer holds it',
    ]);
    // Given the catalog's words, as the command gives them to an English reader, the model's tag reads in English, as the console's report names it.
    expect(formatGovernanceReport(report, 'en', 'default', models)[2]).toBe(
      'empty value: Value tier: High (value_tier.high) — the value_tier model gives it to nobody with its parameters now; change them with tagbase model enable value_tier -p name=value, or disable the model',
    );
    expect(formatGovernanceReport(report, 'en', 'default', models)[3]).toBe('empty value: 年龄段: 18岁以下 (age_band.under_18) — its condition never matches');
    expect(formatGovernanceReport(report, 'zh-CN')[2]).toBe('空的标签值：价值分层：高价值（value_tier.high）— 模型 value_tier 按现在的参数没有给任何客户；用 tagbase model enable value_tier -p 参数=值 调整参数，或停用这个模型');
  });

  it('says once that a workspace has no customers yet, in English and Chinese', () => {
    const empty: GovernanceReport = { ...report, customers: 0, unusedTags: [], emptyValues: [], findings: 0 };
    expect(formatGovernanceReport(empty, 'en')).toEqual(['the workspace has no customers yet, so no tag is reported as unused; import them with tagbase import customers FILE']);
    expect(formatGovernanceReport(empty, 'zh-CN')).toEqual(['工作空间还没有客户，因此不报告未使用的标签；用 tagbase import customers 文件 导入客户']);
  });

  it('names the two values whose holders nearly coincide', () => {
    const overlapping: GovernanceReport = {
      ...report,
      unusedTags: [],
      emptyValues: [],
      overlappingTags: [
        {
          first: { tag: 'personas', name: '客户画像', value: 'early_bird', valueName: '早鸟', customers: 856 },
          second: { tag: 'shopping_time', name: '消费时段偏好', value: 'early_bird', valueName: '早起型', customers: 860 },
          shared: 856,
          jaccard: 0.995,
        },
      ],
      findings: 1,
    };
    expect(formatGovernanceReport(overlapping, 'en')).toEqual([
      'overlapping values: 客户画像: 早鸟 (personas.early_bird, 856 customers) and 消费时段偏好: 早起型 (shopping_time.early_bird, 860 customers) share 856 — Jaccard 0.995',
    ]);
    expect(formatGovernanceReport(overlapping, 'en', 'default', models)).toEqual([
      'overlapping values: Personas: Early bird (personas.early_bird, 856 customers) and 消费时段偏好: 早起型 (shopping_time.early_bird, 860 customers) share 856 — Jaccard 0.995',
    ]);
    expect(formatGovernanceReport(overlapping, 'zh-CN')).toEqual([
      '相互重叠的标签值：客户画像：早鸟（personas.early_bird，856 位客户）与 消费时段偏好：早起型（shopping_time.early_bird，860 位客户）共有 856 位 — Jaccard 0.995',
    ]);
  });

  it('names the values of a rule that reads archived tags, one value or several', () => {
    const reading = (values: string[]): GovernanceReport => ({
      ...report,
      unusedTags: [],
      emptyValues: [],
      rulesReadingArchivedTags: [{ tag: 'loyalty', name: '忠诚度', values, archivedTags: ['old_vip'] }],
      findings: 1,
    });
    expect(formatGovernanceReport(reading(['high']), 'en')).toEqual(['rule reads archived tags: 忠诚度 (loyalty) reads old_vip in value high — it has stopped running']);
    expect(formatGovernanceReport(reading(['high', 'low']), 'en')).toEqual(['rule reads archived tags: 忠诚度 (loyalty) reads old_vip in values high, low — it has stopped running']);
    expect(formatGovernanceReport(reading(['high', 'low']), 'zh-CN')).toEqual(['规则读取已归档的标签：忠诚度（loyalty）的 2 个值 high、low 读取了 old_vip — 它已停止运行']);
  });

  it('names the staff who made one personal tag each, listed as the language lists them', () => {
    const promoted: GovernanceReport = {
      ...report,
      unusedTags: [],
      emptyValues: [],
      promotionCandidates: [
        {
          names: ['老客户'],
          owners: ['小刘', '小王', '小张'],
          tags: [
            { tag: 'old', name: '老客户', owner: '小刘' },
            { tag: 'old', name: '老客户', owner: '小王' },
            { tag: 'old', name: '老客户', owner: '小张' },
          ],
          enterpriseTag: null,
        },
      ],
      findings: 1,
    };
    expect(formatGovernanceReport(promoted, 'en')).toEqual(['promotion candidate: 3 staff made personal tags 「老客户」 (小刘, 小王, 小张)']);
    expect(formatGovernanceReport(promoted, 'zh-CN')).toEqual(['可升级为企业标签：3 位员工创建了个人标签 「老客户」（小刘、小王、小张）']);
  });

  it('names the two customers holding one phone written with 00 and with +, and the command that merges them, in their workspace', () => {
    const twice: GovernanceReport = { ...report, unusedTags: [], emptyValues: [], samePhoneTwoWays: [{ customer: 'C7', other: 'C9', phone: '+85212345678' }], findings: 1 };
    expect(formatGovernanceReport(twice, 'en')).toEqual([
      'one phone, two customers: C7 holds +85212345678 dialled with 00, C9 holds it with + — if they are one person, merge them with tagbase customer merge C7 --into C9',
    ]);
    expect(formatGovernanceReport(twice, 'zh-CN', 'shop')).toEqual([
      '同一手机号属于两位客户：C7 以 00 开头保存了 +85212345678，C9 以 + 开头保存 — 如果是同一个人，请用 tagbase customer merge C7 --into C9 -w shop 合并他们',
    ]);
  });

  it('names shared tags that read as one name, with their keys and groups, in English and Chinese', () => {
    const duplicated: GovernanceReport = {
      ...report,
      unusedTags: [],
      emptyValues: [],
      duplicateTags: [
        {
          normalisedName: '高价值',
          tags: [
            { tag: 'high_value', name: '高价值', kind: 'manual', group: 'value' },
            { tag: 'high_value_2', name: '高 价值', kind: 'rule', group: null },
          ],
        },
        // A model's tag under its stored name: that is the name the other reads as.
        {
          normalisedName: '价值分层',
          tags: [
            { tag: 'value_tier', name: '价值分层', kind: 'model', group: null },
            { tag: 'tier', name: '价值 分层', kind: 'manual', group: null },
          ],
        },
      ],
      findings: 2,
    };
    expect(formatGovernanceReport(duplicated, 'en', 'default', models)).toEqual([
      'duplicate tags: 「高价值」 (high_value, group value), 「高 价值」 (high_value_2) read as one name (width, case, spaces and punctuation aside) — rename one, or archive the one not needed',
      'duplicate tags: 「价值分层」 (value_tier), 「价值 分层」 (tier) read as one name (width, case, spaces and punctuation aside) — rename one, or archive the one not needed',
    ]);
    expect(formatGovernanceReport(duplicated, 'zh-CN')[0]).toBe('重复的标签：「高价值」（high_value，分组 value）、「高 价值」（high_value_2）读起来是同一个名称（不计全角半角、大小写、空格和标点）— 请给其中一个改名，或归档不需要的那个');
  });
});
