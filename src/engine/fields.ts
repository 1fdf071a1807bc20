// Custom fields: merchant-declared, typed customer attributes (permanent facts, not tags).
import { z } from 'zod';
import { displayName } from '../core/display-name.js';
import { TagbaseError, fieldError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { BUILTIN_FIELDS, CUSTOM_FIELD_TYPES, isComputedField, type CustomFieldDefinition, type CustomFieldType } from '../core/customer.js';
import { KEY_PATTERN, KEY_RULE, unheldKeyText } from '../core/names.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { writeCatalog, type WorkspaceContext } from './context.js';
import { assertExpressionNamesFree } from './catalog.js';
import { unlessTaken } from './unique-keys.js';

export const customFieldInputSchema = z
  .strictObject({
    key: z.string().regex(KEY_PATTERN, KEY_RULE),
    name: displayName(64),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(128)).max(500).optional(),
  })
  .superRefine((field, context) => {
    if (field.type === 'enum' && (field.options?.length ?? 0) === 0) context.addIssue({ code: 'custom', path: ['options'], message: 'an enum field needs options' });
    if (field.type !== 'enum' && field.options !== undefined) context.addIssue({ code: 'custom', path: ['options'], message: 'only enum fields have options' });
    // A repeated option would show twice in every picker and count its customers under one of them.
    const seen = new Set<string>();
    field.options?.forEach((option, index) => {
      if (seen.has(option)) context.addIssue({ code: 'custom', path: ['options', index], message: `option "${option}" appears twice` });
      seen.add(option);
    });
  });
export type CustomFieldInput = z.infer<typeof customFieldInputSchema>;

export async function listCustomFields(context: WorkspaceContext, db: Kysely<Database> | Transaction<Database> = context.store.db): Promise<CustomFieldDefinition[]> {
  const rows = await db
    .selectFrom('field_definitions')
    .selectAll()
    .where('workspace_id', '=', context.workspaceId)
    .orderBy('created_at')
    .orderBy('key')
    .execute();
  // A field declared under a key a later version makes built-in keeps its row, but the built-in
  // field takes its place, as a built-in metric does a custom one's (see loadCustomMetrics): a key
  // means one field, in expressions, imports and the index alike.
  return rows
    .filter((row) => !Object.hasOwn(BUILTIN_FIELDS, row.key) && !isComputedField(row.key))
    .map((row) => ({ key: row.key, name: row.name, type: row.type as CustomFieldType, options: JSON.parse(row.options) as string[] }));
}

const BUILTIN_FIELD_HINT = localized(' It is a built-in field: a customer takes it beside "id", without declaring it.', '这是内置字段：客户数据中与 "id" 并列发送即可，无需定义。');

const COMPUTED_FIELD_HINT = localized(' It is a built-in field that tagbase computes for every customer.', '这是系统为每位客户计算的内置字段。');

export async function createCustomField(context: WorkspaceContext, input: CustomFieldInput): Promise<CustomFieldDefinition> {
  const unheld = unheldKeyText(input.key, localized('a field', '字段'));
  if (unheld) throw fieldError('body', 'key', unheld);
  if (Object.hasOwn(BUILTIN_FIELDS, input.key)) throw new TagbaseError('FIELD_EXISTS', { field: input.key, hint: BUILTIN_FIELD_HINT });
  if (isComputedField(input.key)) throw new TagbaseError('FIELD_EXISTS', { field: input.key, hint: COMPUTED_FIELD_HINT });
  const existing = await listCustomFields(context);
  if (existing.some((field) => field.key === input.key)) throw new TagbaseError('FIELD_EXISTS', { field: input.key });
  await assertExpressionNamesFree(context, 'field', input.key, input.name);
  const field: CustomFieldDefinition = { key: input.key, name: input.name, type: input.type, options: input.options ?? [] };
  await unlessTaken(
    'field_definitions',
    () => new TagbaseError('FIELD_EXISTS', { field: input.key }),
    () =>
      writeCatalog(context, 'all', (trx) =>
        trx
          .insertInto('field_definitions')
          .values({
            workspace_id: context.workspaceId,
            key: field.key,
            name: field.name,
            type: field.type,
            options: JSON.stringify(field.options),
            created_at: context.now().getTime(),
          })
          .execute(),
      ),
  );
  return field;
}
