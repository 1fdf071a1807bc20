// The plan form's fields, and what they become on the wire: the whole plan for `POST
// /care/plans`, or the parts that may change for `PATCH` (its key and trigger stay).
import { readOffset, writeOffset, type StepSide, type StepUnit } from './stepOffset';
import type { CarePlan, CarePlanInput, CarePlanPatch, CareTrigger, CareTriggerKind } from './types';

export interface StepFields {
  amount: number | null;
  unit: StepUnit;
  side: StepSide;
  message: string;
  condition: string;
}

export interface PlanFields {
  key: string;
  name: string;
  description: string;
  kind: CareTriggerKind;
  eventType: string;
  timeProperty: string;
  tag: string | undefined;
  tagValue: string | undefined;
  daysBefore: number;
  condition: string;
  cancel: boolean;
  cancelEventType: string;
  cancelSameProperty: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  steps: StepFields[];
}

/** A time of day as the server takes it: `21:00`. */
export const CLOCK_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export function newStep(): StepFields {
  return { amount: 1, unit: 'd', side: 'after', message: '', condition: '' };
}

export function emptyFields(): PlanFields {
  return {
    key: '',
    name: '',
    description: '',
    kind: 'event',
    eventType: '',
    timeProperty: '',
    tag: undefined,
    tagValue: undefined,
    daysBefore: 0,
    condition: '',
    cancel: false,
    cancelEventType: '',
    cancelSameProperty: '',
    quiet: false,
    quietStart: '21:00',
    quietEnd: '08:00',
    steps: [newStep()],
  };
}

export function fieldsOf(plan: CarePlan): PlanFields {
  const trigger = plan.trigger;
  return {
    key: plan.key,
    name: plan.name,
    description: plan.description ?? '',
    kind: trigger.kind,
    eventType: trigger.kind === 'event' ? trigger.event_type : '',
    timeProperty: trigger.kind === 'event' ? (trigger.time_property ?? '') : '',
    tag: trigger.kind === 'tag_added' || trigger.kind === 'tag_removed' ? trigger.tag : undefined,
    tagValue: trigger.kind === 'tag_added' || trigger.kind === 'tag_removed' ? trigger.value : undefined,
    daysBefore: trigger.kind === 'birthday' ? trigger.days_before : 0,
    condition: plan.condition ?? '',
    cancel: plan.cancel_on !== null,
    cancelEventType: plan.cancel_on?.event_type ?? '',
    cancelSameProperty: plan.cancel_on?.same_property ?? '',
    quiet: plan.quiet_hours !== null,
    quietStart: plan.quiet_hours?.start ?? '21:00',
    quietEnd: plan.quiet_hours?.end ?? '08:00',
    steps: plan.steps.map((step) => ({ ...readOffset(step.after), message: step.message, condition: step.condition ?? '' })),
  };
}

function triggerOf(fields: PlanFields): CareTrigger {
  switch (fields.kind) {
    case 'event':
      return { kind: 'event', event_type: fields.eventType.trim(), ...(fields.timeProperty.trim() ? { time_property: fields.timeProperty.trim() } : {}) };
    case 'tag_added':
    case 'tag_removed':
      return { kind: fields.kind, tag: fields.tag ?? '', ...(fields.tagValue ? { value: fields.tagValue } : {}) };
    case 'birthday':
      return { kind: 'birthday', days_before: fields.daysBefore };
  }
}

/** Empty text means none: the server keeps null rather than an empty condition or description. */
function changeableOf(fields: PlanFields): Required<Omit<CarePlanPatch, 'enabled'>> {
  // Comparing with the trigger's properties needs an event trigger; the field is hidden otherwise, but may still hold a template's value.
  const same = fields.kind === 'event' ? fields.cancelSameProperty.trim() : '';
  return {
    name: fields.name.trim(),
    description: fields.description.trim() || null,
    condition: fields.condition.trim() || null,
    cancel_on: fields.cancel ? { event_type: fields.cancelEventType.trim(), ...(same ? { same_property: same } : {}) } : null,
    quiet_hours: fields.quiet ? { start: fields.quietStart.trim(), end: fields.quietEnd.trim() } : null,
    steps: fields.steps.map((step) => ({ after: writeOffset({ amount: step.amount ?? 0, unit: step.unit, side: step.side }), message: step.message.trim(), ...(step.condition.trim() ? { condition: step.condition.trim() } : {}) })),
  };
}

export function inputOf(fields: PlanFields): CarePlanInput {
  return { key: fields.key.trim(), trigger: triggerOf(fields), ...changeableOf(fields) };
}

export function patchOf(fields: PlanFields): CarePlanPatch {
  return changeableOf(fields);
}
