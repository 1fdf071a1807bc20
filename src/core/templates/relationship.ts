// Templates about the relationship rather than the product: B2B accounts, communication
// personality, and A/B/C customer levels.
import { PERSONALITY_TAG, PSYCHOLOGY_GROUP, SERVICE_GROUP, SERVICE_STAGE_TAG } from './shared.js';
import { defineTemplate } from './template.js';

export const B2B_TEMPLATE = defineTemplate({
  key: 'b2b',
  name: 'B2B 客户',
  name_en: 'B2B accounts',
  description: '按客户类型、需求和服务阶段管理企业客户',
  description_en: 'Business customers managed by customer type, needs and service stage',
  groups: [
    { key: 'account', name: '客户信息', description: '客户是谁、谁来拍板' },
    { key: 'needs', name: '客户需求', description: '客户最看重什么' },
    SERVICE_GROUP,
  ],
  tags: [
    {
      // The customer type is a field; this rule shows it on the portrait beside the other
      // tags and always follows the field, so there is nothing to keep in step by hand.
      key: 'customer_kind',
      name: '客户性质',
      description: '来自客户字段“客户类型”',
      color: '#2f54eb',
      group: 'account',
      kind: 'rule',
      values: [
        { key: 'individual', name: '个人客户', condition: 'type = "individual"' },
        { key: 'company', name: '企业客户', condition: 'type = "company"' },
        { key: 'government', name: '政府客户', condition: 'type = "government"' },
      ],
    },
    {
      key: 'decision_role',
      name: '决策角色',
      color: '#531dab',
      group: 'account',
      values: [
        { key: 'decision_maker', name: '决策者' },
        { key: 'influencer', name: '影响者' },
        { key: 'purchaser', name: '采购' },
        { key: 'user', name: '使用者' },
      ],
    },
    {
      key: 'company_size',
      name: '企业规模',
      color: '#08979c',
      group: 'account',
      ordered: true,
      values: [
        { key: 'micro', name: '小微' },
        { key: 'medium', name: '中型' },
        { key: 'large', name: '大型' },
      ],
    },
    {
      key: 'needs',
      name: '需求',
      description: '客户最看重的方面，可以有多个',
      color: '#d46b08',
      group: 'needs',
      cardinality: 'multi',
      values: [
        { key: 'function', name: '功能' },
        { key: 'quality', name: '质量' },
        { key: 'brand', name: '品牌' },
        { key: 'price', name: '价格' },
        { key: 'service', name: '服务' },
      ],
    },
    SERVICE_STAGE_TAG,
  ],
});

export const PERSONALITY_TEMPLATE = defineTemplate({
  key: 'personality',
  name: '性格标签',
  name_en: 'Personality',
  description: '记录客户的沟通风格（暴躁型、吐槽型、和蔼型、爱分享型），同事接手时知道怎么说话',
  description_en: 'How a customer likes to be spoken to (short-tempered, complaining, easy-going, sharing), so a colleague who takes over knows how to talk to them',
  groups: [PSYCHOLOGY_GROUP],
  tags: [PERSONALITY_TAG],
});

export const LEVELS_TEMPLATE = defineTemplate({
  key: 'levels',
  name: '客户分级',
  name_en: 'A/B/C levels',
  description: 'A/B/C 三级客户，A 最重要；值按从低到高排列，所以“客户分级 >= "B级"”就是 A 和 B',
  description_en: 'Customers in three levels A, B and C, A the most important; the values run from low to high, so “abc_level >= "B级"” means A and B',
  groups: [{ key: 'levels', name: '客户分级', description: '按重要程度分级跟进' }],
  tags: [
    {
      key: 'abc_level',
      name: '客户分级',
      color: '#cf1322',
      group: 'levels',
      ordered: true,
      values: [
        { key: 'c', name: 'C级', color: '#8c8c8c', description: '一般客户，定期维护' },
        { key: 'b', name: 'B级', color: '#faad14', description: '重要客户，重点跟进' },
        { key: 'a', name: 'A级', color: '#cf1322', description: '核心客户，专人服务' },
      ],
    },
  ],
});
