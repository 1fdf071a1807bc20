// Turns schema failures into the product's errors: one readable line per problem,
// with the item index (and path) so a batch says exactly which entries are wrong.
import type { z } from 'zod';
import { TagbaseError, type ItemError } from './errors.js';

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** Parses one input or throws VALIDATION_FAILED naming every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new TagbaseError('VALIDATION_FAILED', { detail: describeIssues(result.error) });
  return result.data;
}

/** Parses every item of a batch, collecting errors instead of stopping at the first. */
export function parseBatch<S extends z.ZodType>(schema: S, items: readonly unknown[]): { values: (z.infer<S> | undefined)[]; errors: ItemError[] } {
  const values: (z.infer<S> | undefined)[] = [];
  const errors: ItemError[] = [];
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) {
      values.push(result.data);
    } else {
      values.push(undefined);
      for (const issue of result.error.issues) {
        errors.push({ index, code: 'VALIDATION_FAILED', message: issue.message, path: issue.path.join('.') });
      }
    }
  });
  return { values, errors };
}

/** Throws when a batch had problems: nothing of it is stored. */
export function rejectBatchIfInvalid(errors: ItemError[]): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, 3).map((e) => `item ${e.index}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
  throw new TagbaseError('VALIDATION_FAILED', { detail: `${errors.length} problem(s) in the batch; nothing was stored. ${shown.join('; ')}${more}` }, errors);
}

export function assertBatchSize(count: number, max: number): void {
  if (count > max) throw new TagbaseError('BATCH_TOO_LARGE', { max, count });
}
