// The benchmark workspace's tag library (30 tags: manual and rule, single and multi-valued,
// ordered and not), its saved segment, and the fixed suite of segment expressions every
// back end is timed on. Kept apart from the generator so the suite reads as one list.
import type { TagGroupInput, TagInput } from '../src/core/tag.js';
import { CATEGORY_NAMES } from '../src/engine/demo/catalogue.js';

export const BENCH_GROUPS: readonly TagGroupInput[] = [
  { key: 'profile', name: '客户画像', sort_order: 0 },
  { key: 'service', name: '服务', sort_order: 1 },
  { key: 'status', name: '客户状态', sort_order: 2 },
  { key: 'value', name: '价值与生命周期', sort_order: 3 },
];

/** How a manual tag is handed out: each value independently (multi) or one drawn by weight (single). */
export interface ManualDistribution {
  /** Share of customers holding the tag at all (single-valued tags). */
  share: number;
  /** Relative weights of the values (single) or each value's own share (multi). */
  weights: readonly number[];
  /** Days until an assignment expires, counted from generation time. */
  expiresInDays?: number;
}

export interface BenchTag {
  input: TagInput;
  /** Present for manual tags: how the generator assigns them. */
  manual?: ManualDistribution;
}

const v = (key: string, name: string, condition?: string) => (condition === undefined ? { key, name } : { key, name, condition });

function manual(input: Omit<TagInput, 'kind' | 'scope'>, distribution: ManualDistribution): BenchTag {
  return { input: { ...input, kind: 'manual', scope: 'enterprise' }, manual: distribution };
}

function rule(input: Omit<TagInput, 'kind' | 'scope'>): BenchTag {
  return { input: { ...input, kind: 'rule', scope: 'enterprise' } };
}

const GUIDES = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵敏', '黄磊', '周杰', '吴倩', '徐丽', '孙浩', '马超', '朱琳', '胡军', '郭婷', '何雪', '高峰', '林然', '罗佳'];

/** The categories of the demo catalogue, keyed for rule values. */
export const CATEGORY_KEYS = CATEGORY_NAMES.map((name, index) => ({ key: `cat_${index}`, name }));

export const BENCH_TAGS: readonly BenchTag[] = [
  manual(
    { key: 'interests', name: '兴趣爱好', group: 'profile', cardinality: 'multi', ordered: false, values: [v('golf', '高尔夫'), v('fishing', '钓鱼'), v('yoga', '瑜伽'), v('photography', '摄影'), v('travel', '旅行'), v('food', '美食')] },
    { share: 1, weights: [0.04, 0.05, 0.1, 0.06, 0.12, 0.15] },
  ),
  manual(
    { key: 'service_stage', name: '服务阶段', group: 'service', cardinality: 'single', ordered: true, values: [v('pre_sale', '售前'), v('in_sale', '售中'), v('after_sale', '售后')] },
    { share: 0.4, weights: [3, 2, 1] },
  ),
  manual(
    { key: 'personality', name: '性格', group: 'profile', cardinality: 'single', ordered: false, values: [v('irritable', '暴躁型'), v('complainer', '吐槽型'), v('amiable', '和蔼型'), v('sharer', '爱分享型')] },
    { share: 0.2, weights: [1, 2, 5, 2] },
  ),
  manual({ key: 'vip_care', name: '重点关怀', group: 'status', cardinality: 'single', ordered: false, default_expiry_days: 90, values: [v('yes', '是')] }, { share: 0.03, weights: [1], expiresInDays: 60 }),
  manual(
    { key: 'contact_preference', name: '偏好沟通方式', group: 'service', cardinality: 'single', ordered: false, values: [v('wechat', '微信'), v('phone', '电话'), v('sms', '短信'), v('email', '邮件')] },
    { share: 0.5, weights: [6, 2, 1, 1] },
  ),
  manual(
    { key: 'event_attendee', name: '线下活动参与', group: 'status', cardinality: 'multi', ordered: false, values: [v('launch_event', '新品发布会'), v('member_salon', '会员沙龙'), v('anniversary', '周年庆')] },
    { share: 1, weights: [0.03, 0.04, 0.06] },
  ),
  manual(
    { key: 'loyalty_tier', name: '忠诚度等级', group: 'value', cardinality: 'single', ordered: true, values: [v('basic', '普通'), v('silver', '银卡'), v('gold', '金卡'), v('platinum', '铂金'), v('diamond', '钻石')] },
    { share: 0.85, weights: [50, 25, 15, 7, 3] },
  ),
  manual(
    { key: 'brand_affinity', name: '品牌偏好', group: 'profile', cardinality: 'multi', ordered: false, values: ['森屿', '素衣坊', '步履', '兰溪', '初颜', '极客派', '山野集', '野径'].map((name, i) => v(`brand_${i}`, name)) },
    { share: 1, weights: [0.06, 0.04, 0.05, 0.05, 0.03, 0.02, 0.05, 0.03] },
  ),
  manual(
    { key: 'skin_type', name: '肤质', group: 'profile', cardinality: 'single', ordered: false, values: [v('dry', '干性'), v('oily', '油性'), v('combination', '混合性'), v('sensitive', '敏感性')] },
    { share: 0.3, weights: [3, 3, 4, 2] },
  ),
  manual(
    { key: 'size', name: '常穿尺码', group: 'profile', cardinality: 'single', ordered: true, values: ['S', 'M', 'L', 'XL', 'XXL'].map((name) => v(`size_${name.toLowerCase()}`, name)) },
    { share: 0.45, weights: [2, 4, 4, 2, 1] },
  ),
  manual(
    { key: 'household', name: '家庭状况', group: 'profile', cardinality: 'single', ordered: false, values: [v('single', '单身'), v('married', '已婚'), v('parent', '有娃'), v('senior', '银发')] },
    { share: 0.35, weights: [3, 3, 3, 1] },
  ),
  manual(
    { key: 'pets', name: '宠物', group: 'profile', cardinality: 'multi', ordered: false, values: [v('cat', '猫'), v('dog', '狗'), v('other_pet', '其他宠物')] },
    { share: 1, weights: [0.1, 0.08, 0.02] },
  ),
  manual(
    { key: 'staff_owner', name: '专属导购', group: 'service', cardinality: 'single', ordered: false, values: GUIDES.map((name, i) => v(`guide_${i}`, name)) },
    { share: 0.6, weights: GUIDES.map((_, i) => 20 - i) },
  ),
  manual({ key: 'complaint', name: '投诉记录', group: 'status', cardinality: 'single', ordered: false, values: [v('yes', '有')] }, { share: 0.003, weights: [1] }),
  manual({ key: 'blacklist', name: '黑名单', group: 'status', cardinality: 'single', ordered: false, values: [v('yes', '是')] }, { share: 0.001, weights: [1] }),
  manual(
    { key: 'source_campaign', name: '拉新活动', group: 'status', cardinality: 'multi', ordered: false, values: ['双11', '618', '年货节', '开学季', '七夕', '周年庆', '直播间', '社群裂变', '门店扫码', '异业合作'].map((name, i) => v(`campaign_${i}`, name)) },
    { share: 1, weights: [0.03, 0.03, 0.02, 0.01, 0.01, 0.02, 0.03, 0.02, 0.03, 0.01] },
  ),
  manual({ key: 'wechat_friend', name: '企微好友', group: 'service', cardinality: 'single', ordered: false, values: [v('yes', '是')] }, { share: 0.4, weights: [1] }),
  manual({ key: 'do_not_disturb', name: '免打扰', group: 'service', cardinality: 'single', ordered: false, values: [v('yes', '是')] }, { share: 0.02, weights: [1] }),

  rule({
    key: 'rfm_level',
    name: 'RFM分层',
    group: 'value',
    cardinality: 'single',
    ordered: false,
    values: [
      v('important_value', '重要价值客户', 'spend_365d >= 2000 and days_since_last_order <= 60'),
      v('important_keep', '重要保持客户', 'spend_365d >= 2000'),
      v('potential', '潜力客户', 'orders_365d >= 2 and days_since_last_order <= 90'),
      v('general', '一般客户', 'orders_total >= 1'),
    ],
  }),
  rule({
    key: 'lifecycle',
    name: '生命周期',
    group: 'value',
    cardinality: 'single',
    ordered: true,
    values: [
      v('churned', '流失客户', 'last_order_at before 365 days ago'),
      v('dormant', '沉睡客户', 'last_order_at before 120 days ago'),
      v('new', '新客', 'orders_total = 1'),
      v('growing', '成长客户', 'orders_total between 2 and 5'),
      v('mature', '成熟客户', 'orders_total >= 6'),
    ],
  }),
  rule({ key: 'high_spender', name: '高消费', group: 'value', cardinality: 'single', ordered: false, values: [v('yes', '是', 'spend_total >= 5000')] }),
  rule({ key: 'active_30d', name: '近30天活跃', group: 'value', cardinality: 'single', ordered: false, values: [v('yes', '是', 'orders_30d >= 1')] }),
  rule({ key: 'birthday_soon', name: '近期生日', group: 'profile', cardinality: 'single', ordered: false, values: [v('yes', '是', 'birthday within 30 days')] }),
  rule({ key: 'big_city', name: '一线城市', group: 'profile', cardinality: 'single', ordered: false, values: [v('yes', '是', 'city in ("上海", "北京", "广州", "深圳")')] }),
  rule({ key: 'coupon_lover', name: '优惠敏感', group: 'value', cardinality: 'single', ordered: false, values: [v('yes', '是', 'discount_order_share >= 0.5 and orders_total >= 3')] }),
  rule({ key: 'refund_risk', name: '退货风险', group: 'status', cardinality: 'single', ordered: false, values: [v('yes', '是', 'refunds_total >= 2 and refund_rate >= 0.3')] }),
  rule({
    key: 'category_fan',
    name: '品类偏好',
    group: 'profile',
    cardinality: 'multi',
    ordered: false,
    values: CATEGORY_KEYS.map(({ key, name }) => v(key, `${name}控`, `preferred_category = "${name}"`)),
  }),
  rule({ key: 'vip_rule', name: '高价值会员', group: 'value', cardinality: 'single', ordered: false, values: [v('yes', '是', 'loyalty_tier >= "gold" and spend_365d >= 1000')] }),
  rule({
    key: 'channel_pref',
    name: '渠道偏好',
    group: 'profile',
    cardinality: 'single',
    ordered: false,
    values: [v('online', '线上', 'preferred_channel = "online"'), v('offline', '线下', 'preferred_channel = "offline"')],
  }),
  rule({ key: 'win_back', name: '待召回', group: 'value', cardinality: 'single', ordered: false, values: [v('yes', '是', 'tagged("rfm_level") and lifecycle = "dormant" and not tagged("do_not_disturb")')] }),
];

export const BENCH_SEGMENT = {
  key: 'high_value_active',
  name: '高价值活跃人群',
  expression: 'rfm_level = "important_value" or (tagged("high_spender") and tagged("active_30d"))',
};

export interface BenchExpression {
  name: string;
  source: string;
}

/** The fixed suite: what an operator typically asks, from one tag to a whole-population scan. */
export const BENCH_EXPRESSIONS: readonly BenchExpression[] = [
  { name: 'single tag', source: 'rfm_level = "important_value"' },
  { name: 'three tags and/or/not', source: '(tagged("wechat_friend") or contact_preference = "wechat") and not tagged("do_not_disturb")' },
  { name: 'multi-valued has any', source: 'interests has any ("golf", "fishing", "yoga")' },
  { name: 'ordered comparison', source: 'loyalty_tier >= "gold"' },
  { name: 'metric ranges', source: 'spend_365d between 500 and 3000 and orders_365d >= 2' },
  { name: 'relative date', source: 'last_order_at before 90 days ago' },
  { name: 'field in list', source: 'city in ("广州", "深圳", "杭州", "成都")' },
  { name: 'nested segment', source: 'segment("high_value_active") and gender = "female"' },
  { name: 'broad (~80%)', source: 'not tagged("blacklist") and (orders_total >= 1 or tagged("wechat_friend"))' },
  { name: 'narrow (~0.1%)', source: 'tagged("complaint") and tagged("wechat_friend")' },
];
