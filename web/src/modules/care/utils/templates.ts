// Plans a shop starts from in one click, worded in the console's language: the after-sales
// 3315 (thanks after 30 minutes, care after 3 days, advice after 7), a coupon about to expire,
// a birthday greeting. Each fills the whole form, to be adjusted before saving.
import type { MessageKey } from '../../app/utils/messages';
import { emptyFields, type PlanFields } from './planFields';

export type CareTemplateId = 'after_sales_3315' | 'coupon_expiry' | 'birthday_greeting';

export const CARE_TEMPLATES: readonly CareTemplateId[] = ['after_sales_3315', 'coupon_expiry', 'birthday_greeting'];

export function templateName(t: (key: MessageKey) => string, id: CareTemplateId): string {
  return t(`care.template.${id}.name`);
}

export function templateFields(t: (key: MessageKey) => string, id: CareTemplateId): PlanFields {
  const base = { ...emptyFields(), key: id, name: templateName(t, id), description: t(`care.template.${id}.description`) };
  switch (id) {
    case 'after_sales_3315':
      return {
        ...base,
        kind: 'event',
        eventType: 'order_paid',
        // A refunded order needs no thanks and no advice on using what went back.
        cancel: true,
        cancelEventType: 'order_refunded',
        cancelSameProperty: 'order_id',
        steps: [
          { amount: 30, unit: 'm', side: 'after', message: t('care.template.after_sales_3315.step1'), condition: '' },
          { amount: 3, unit: 'd', side: 'after', message: t('care.template.after_sales_3315.step2'), condition: '' },
          { amount: 7, unit: 'd', side: 'after', message: t('care.template.after_sales_3315.step3'), condition: '' },
        ],
      };
    case 'coupon_expiry':
      return {
        ...base,
        kind: 'event',
        eventType: 'coupon_received',
        // Counted back from when the coupon expires, not from when it was received.
        timeProperty: 'expires_at',
        cancel: true,
        cancelEventType: 'coupon_used',
        cancelSameProperty: 'coupon_id',
        steps: [{ amount: 3, unit: 'd', side: 'before', message: t('care.template.coupon_expiry.step1'), condition: '' }],
      };
    case 'birthday_greeting':
      return {
        ...base,
        kind: 'birthday',
        daysBefore: 3,
        // The trigger is the start of the day: 9h puts the greeting in working hours.
        steps: [{ amount: 9, unit: 'h', side: 'after', message: t('care.template.birthday_greeting.step1'), condition: '' }],
      };
  }
}
