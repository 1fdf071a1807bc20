// A refused plan's problems placed beside the form's fields: the server lists each one in
// `errors[]` at its place in the body (`steps.1.message`), which names a field of the form.
import { ApiError, type ExpressionDiagnostic } from '../../app/utils/api';
import type { PlanFields, StepFields } from './planFields';

export type FieldPath = [keyof PlanFields] | ['steps', number, keyof StepFields];

/** The body's fields the form has a field for, by the name the form gives it. */
const FIELDS: Record<string, keyof PlanFields> = {
  key: 'key',
  name: 'name',
  description: 'description',
  condition: 'condition',
  'trigger.event_type': 'eventType',
  'trigger.time_property': 'timeProperty',
  'trigger.tag': 'tag',
  'trigger.value': 'tagValue',
  'trigger.days_before': 'daysBefore',
  'cancel_on.event_type': 'cancelEventType',
  'cancel_on.same_property': 'cancelSameProperty',
  'quiet_hours.start': 'quietStart',
  'quiet_hours.end': 'quietEnd',
};

/** A step's fields: its time is read from the form's amount, unit and side, shown by the amount. */
const STEP_FIELDS: Record<string, keyof StepFields> = { after: 'amount', message: 'message', condition: 'condition' };

/** The form's field for a place in the body (`steps.1.message` → `['steps', 1, 'message']`), if it has one. */
export function planFieldOf(path: string): FieldPath | undefined {
  const step = /^steps\.(\d+)\.(after|message|condition)$/.exec(path);
  if (step) return ['steps', Number(step[1]), STEP_FIELDS[step[2] ?? ''] ?? 'message'];
  const field = FIELDS[path];
  return field === undefined ? undefined : [field];
}

export interface PlacedProblems {
  /** Each field's problems, its messages in the order the server gave them. */
  fields: { name: FieldPath; errors: string[] }[];
  /** Every problem's message, placed or not, when the refusal holds more than one. */
  each: string[];
}

/** A refusal's problems by the field each is about; none for a refusal of another kind. */
export function placedProblems(error: unknown): PlacedProblems {
  if (!(error instanceof ApiError)) return { fields: [], each: [] };
  const items = (error.problem.errors ?? []) as (ExpressionDiagnostic & { path?: string })[];
  const fields = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const item of items) {
    const name = item.path === undefined ? undefined : planFieldOf(item.path);
    if (name === undefined) continue;
    const key = name.join('.');
    const text = item.line !== undefined && item.column !== undefined ? `${item.line}:${item.column} ${item.message}` : item.message;
    const field = fields.get(key) ?? { name, errors: [] };
    field.errors.push(text);
    fields.set(key, field);
  }
  return { fields: [...fields.values()], each: items.length > 1 ? items.map((item) => item.message) : [] };
}
