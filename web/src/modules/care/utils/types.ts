// Care plans and their reminders as the server answers them (docs/api.md, “Care automation”).
export type CareTrigger =
  /** `time_property`: count the steps from a time among the event's properties (a coupon's `expires_at`) rather than from when it happened. */
  | { kind: 'event'; event_type: string; time_property?: string }
  /** Tag and value come back as keys; a request may name them by key or name. */
  | { kind: 'tag_added'; tag: string; value?: string }
  | { kind: 'tag_removed'; tag: string; value?: string }
  /** 0 to 60 days ahead of the birthday. */
  | { kind: 'birthday'; days_before: number };

export type CareTriggerKind = CareTrigger['kind'];

export interface CareStep {
  /** `30m`, `9h`, `3d`, `-3d` (before the trigger's time) or `0`; at most 366 days either way. */
  after: string;
  message: string;
  /** This step only for customers who match it when it falls due, besides the plan's condition (a birthday coupon by level). */
  condition?: string | null;
}

/** Drops a reminder not yet due when the customer does this event. */
export interface CareCancel {
  event_type: string;
  /** Only an event whose property of this name equals the trigger event's (the same `order_id`); with an event trigger only. */
  same_property?: string;
}

/** Hours (the workspace's local time) in which nothing falls due: a reminder that would is moved to their end. */
export interface QuietHours {
  start: string;
  end: string;
}

export interface CarePlanInput {
  key: string;
  name: string;
  description?: string | null;
  trigger: CareTrigger;
  condition?: string | null;
  cancel_on?: CareCancel | null;
  quiet_hours?: QuietHours | null;
  steps: CareStep[];
  enabled?: boolean;
}

/** What may change once a plan is made: not its key, not its trigger. */
export type CarePlanPatch = Partial<Omit<CarePlanInput, 'key' | 'trigger'>>;

export interface ReminderCounts {
  scheduled: number;
  due: number;
  done: number;
  dismissed: number;
  skipped: number;
}

export interface CarePlan {
  key: string;
  name: string;
  description: string | null;
  trigger: CareTrigger;
  condition: string | null;
  cancel_on: CareCancel | null;
  quiet_hours: QuietHours | null;
  steps: CareStep[];
  enabled: boolean;
  reminders: ReminderCounts;
  actor: string;
  created_at: string;
  updated_at: string;
}

export interface CarePlanList {
  items: CarePlan[];
}

export type ReminderStatus = 'scheduled' | 'due' | 'done' | 'dismissed' | 'skipped';

export const REMINDER_STATUSES: readonly ReminderStatus[] = ['due', 'scheduled', 'done', 'dismissed', 'skipped'];

export interface CareReminder {
  id: number;
  plan: { key: string; name: string };
  /** The step's place in its plan, from 1. */
  step: number;
  customer: { id: string; name: string | null };
  trigger_at: string;
  due_at: string;
  status: ReminderStatus;
  /** Written when the reminder falls due; null before, and for one skipped. */
  message: string | null;
  reason: 'condition' | 'cancelled' | 'disabled' | 'customer_gone' | 'merged' | 'birthday_changed' | 'undone' | null;
  reason_text: { en: string; 'zh-CN': string } | null;
  /** The later event that cancelled a skipped reminder. */
  cancelled_by: { type: string; event_id: string; occurred_at: string } | null;
  resolved_by: string | null;
  resolved_at: string | null;
  /** Of one put off (推迟) and not yet due again: who put it off and when; null otherwise. */
  snoozed_by: string | null;
  snoozed_at: string | null;
  created_at: string;
}

export interface ReminderPage {
  items: CareReminder[];
  total: number;
}

/** What a round of care did (POST /care/run). */
export interface CareReport {
  scheduled: number;
  /** Steps whose time had passed by more than a day when their trigger was seen: not scheduled. */
  late: number;
  due: number;
  skipped: number;
}

/** GET /events/types: the types the workspace receives, read from its latest events. */
export interface SeenEventTypes {
  items: { type: string; builtin: boolean; events: number; last_at: string; properties: string[] }[];
  sampled: number;
  sample_limit: number;
}
