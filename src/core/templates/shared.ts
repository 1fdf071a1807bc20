// Groups and tags that several templates hold. A template that reuses one of these gets the
// identical definition, so applying two templates never reports the one against the other.
// They also match the demo workspace's library, which is the `retail` template.
import type { TemplateGroupSource, TemplateTagSource } from './template.js';

export const INTERESTS_GROUP: TemplateGroupSource = { key: 'interests', name: '兴趣爱好', description: '导购和客服在沟通中了解到的爱好' };
export const CUSTOMER_STATUS_GROUP: TemplateGroupSource = { key: 'customer_status', name: '客户状态', description: '需要特别对待的客户' };
export const SERVICE_GROUP: TemplateGroupSource = { key: 'service', name: '服务', description: '服务进度与沟通偏好' };
export const PSYCHOLOGY_GROUP: TemplateGroupSource = { key: 'psychology', name: '心理属性', description: '沟通时需要留意的性格特点' };

export const INTERESTS_TAG: TemplateTagSource = {
  key: 'interests',
  name: '兴趣爱好',
  description: '可以同时有多个爱好',
  color: '#13a8a8',
  group: 'interests',
  scope: 'enterprise',
  cardinality: 'multi',
  ordered: false,
  kind: 'manual',
  values: [
    { key: 'golf', name: '高尔夫', color: '#52c41a' },
    { key: 'fishing', name: '钓鱼', color: '#1677ff' },
    { key: 'yoga', name: '瑜伽', color: '#eb2f96' },
    { key: 'photography', name: '摄影', color: '#722ed1' },
    { key: 'travel', name: '旅行', color: '#fa8c16' },
    { key: 'food', name: '美食', color: '#f5222d' },
  ],
};

export const SERVICE_STAGE_TAG: TemplateTagSource = {
  key: 'service_stage',
  name: '服务阶段',
  description: '售前咨询、下单交付、售后服务',
  color: '#2f54eb',
  group: 'service',
  scope: 'enterprise',
  cardinality: 'single',
  ordered: true,
  kind: 'manual',
  values: [
    { key: 'pre_sale', name: '售前', color: '#91caff' },
    { key: 'in_sale', name: '售中', color: '#4096ff' },
    { key: 'after_sale', name: '售后', color: '#0958d9' },
  ],
};

export const PERSONALITY_TAG: TemplateTagSource = {
  key: 'personality',
  name: '性格',
  description: '沟通风格，帮助同事调整话术',
  color: '#faad14',
  group: 'psychology',
  scope: 'enterprise',
  cardinality: 'single',
  ordered: false,
  kind: 'manual',
  values: [
    { key: 'irritable', name: '暴躁型', color: '#ff4d4f' },
    { key: 'complainer', name: '吐槽型', color: '#fa8c16' },
    { key: 'amiable', name: '和蔼型', color: '#52c41a' },
    { key: 'sharer', name: '爱分享型', color: '#13c2c2' },
  ],
};

export const VIP_CARE_TAG: TemplateTagSource = {
  key: 'vip_care',
  name: '重点关怀',
  description: '近期需要重点跟进的客户，90 天后自动失效',
  color: '#cf1322',
  group: 'customer_status',
  scope: 'enterprise',
  cardinality: 'single',
  ordered: false,
  default_expiry_days: 90,
  kind: 'manual',
  values: [{ key: 'yes', name: '是', color: '#cf1322' }],
};

export const CONTACT_PREFERENCE_TAG: TemplateTagSource = {
  key: 'contact_preference',
  name: '偏好沟通方式',
  description: '客户希望被联系的方式',
  color: '#08979c',
  group: 'service',
  scope: 'enterprise',
  cardinality: 'single',
  ordered: false,
  kind: 'manual',
  values: [
    { key: 'wechat', name: '微信', color: '#52c41a' },
    { key: 'phone', name: '电话', color: '#1677ff' },
    { key: 'sms', name: '短信', color: '#faad14' },
    { key: 'email', name: '邮件', color: '#8c8c8c' },
  ],
};

export const EVENT_ATTENDEE_TAG: TemplateTagSource = {
  key: 'event_attendee',
  name: '线下活动参与',
  description: '参加过的线下活动；活动标签一年后失去参考价值',
  color: '#d4380d',
  group: 'customer_status',
  scope: 'enterprise',
  cardinality: 'multi',
  ordered: false,
  default_expiry_days: 365,
  kind: 'manual',
  values: [
    { key: 'launch_event', name: '新品发布会', color: '#ff7a45' },
    { key: 'member_salon', name: '会员沙龙', color: '#ffa940' },
    { key: 'anniversary', name: '周年庆', color: '#ffc53d' },
  ],
};
