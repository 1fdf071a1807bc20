// A care plan's problems gathered rather than thrown one at a time: a plan refused names every
// mistake it holds (an empty name, a condition that does not compile, a message's placeholder),
// each at its field, so that it is put right in one go rather than one refusal after another.
import type { z } from 'zod';
import { careCancelSchema, carePlanInputSchema, careStepSchema, careTriggerSchema, type CareCancel, type CareTrigger } from './care.js';
import { TagbaseError, jsonPointer, type ItemError } from './errors.js';
import { localized } from './locale.js';
import { describeIssues, toldIssues } from './validation.js';

/** A step as far as its fields read: each one its schema refuses is left out (and told by the schema's problem). */
export interface CareStepDraft {
  after?: string | undefined;
  message?: string | undefined;
  condition?: string | null | undefined;
}

/** What of a plan's body the checks beyond its schema read, as far as it reads. */
export interface CarePlanDraft {
  trigger?: CareTrigger | undefined;
  condition?: string | null | undefined;
  cancel_on?: CareCancel | null | undefined;
  steps: CareStepDraft[];
}

/** How a schema's refusal is told: the API says it of the request's body, a command as the engine does. */
export type SchemaProblem = (error: z.ZodError) => TagbaseError;

/** A schema's refusal as `parseInput` tells it, with each issue placed in `errors[]`. */
export const schemaProblemInEngine: SchemaProblem = (error) =>
  new TagbaseError(
    'VALIDATION_FAILED',
    { detail: describeIssues(error) },
    toldIssues(error.issues).map(({ path, text }): ItemError => ({ index: -1, code: 'VALIDATION_FAILED', path: path.join('.'), pointer: jsonPointer(path), message: text.en, localized: text })),
  );

function fields(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function read<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * The fields of a body the schema refused that read on their own, so that their own checks (a
 * condition compiles, a message's placeholders exist) still run beside the schema's problems.
 * Only the fields `body` holds are given: a change's fields not sent are the saved plan's.
 */
export function planDraft(body: unknown): Partial<CarePlanDraft> {
  const given = fields(body);
  const draft: Partial<CarePlanDraft> = {};
  if ('trigger' in given) draft.trigger = read(careTriggerSchema, given.trigger);
  if ('condition' in given) draft.condition = read(carePlanInputSchema.shape.condition, given.condition);
  if ('cancel_on' in given) draft.cancel_on = read(careCancelSchema.nullable(), given.cancel_on);
  if ('steps' in given) {
    draft.steps = (Array.isArray(given.steps) ? given.steps : []).map((step) => {
      const sent = fields(step);
      return { after: read(careStepSchema.shape.after, sent.after), message: read(careStepSchema.shape.message, sent.message), condition: read(careStepSchema.shape.condition, sent.condition) };
    });
  }
  return draft;
}

/** Problems found in a plan, told together once every check has run. */
export class PlanProblems {
  private readonly found: TagbaseError[] = [];

  add(problem: TagbaseError): void {
    this.found.push(problem);
  }

  /**
   * Throws what was found: one problem as it is; several as one `CARE_PLAN_INVALID` whose
   * `errors[]` holds every one, each with its own code and place, and whose detail names the places.
   */
  throwIfAny(): void {
    const [first, ...rest] = this.found;
    if (first === undefined) return;
    if (rest.length === 0) throw first;
    const items = this.found.flatMap((problem) => problem.items ?? [{ index: -1, code: problem.code, message: problem.messageIn('en'), localized: localized(problem.messageIn('en'), problem.messageIn('zh-CN')) }]);
    const places = [...new Set(items.flatMap((item) => (item.path ? [item.path] : [])))];
    const count = items.length;
    const detail = localized(`${count} problems, each in errors: ${places.join(', ')}`, `共 ${count} 处问题，逐条见 errors：${places.join('、')}`);
    throw new TagbaseError('CARE_PLAN_INVALID', { detail }, items);
  }
}
