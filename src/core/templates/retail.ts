// A general online store: interests staff learn in conversation, service stage, personality,
// care and campaign tags. The demo workspace's library is exactly this template.
import { CONTACT_PREFERENCE_TAG, CUSTOMER_STATUS_GROUP, EVENT_ATTENDEE_TAG, INTERESTS_GROUP, INTERESTS_TAG, PERSONALITY_TAG, PSYCHOLOGY_GROUP, SERVICE_GROUP, SERVICE_STAGE_TAG, VIP_CARE_TAG } from './shared.js';
import { defineTemplate } from './template.js';

export const RETAIL_TEMPLATE = defineTemplate({
  key: 'retail',
  name: '综合零售',
  name_en: 'Online retail',
  description: '线上综合店铺的基础标签：兴趣爱好、服务阶段、性格、重点关怀、沟通方式、线下活动',
  description_en: 'Basic tags for an online store: interests, service stage, personality, VIP care, contact preference and offline events',
  groups: [INTERESTS_GROUP, CUSTOMER_STATUS_GROUP, SERVICE_GROUP, PSYCHOLOGY_GROUP],
  tags: [INTERESTS_TAG, SERVICE_STAGE_TAG, PERSONALITY_TAG, VIP_CARE_TAG, CONTACT_PREFERENCE_TAG, EVENT_ATTENDEE_TAG],
});
