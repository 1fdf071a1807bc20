// `tagbase field list|add`: the custom fields of a workspace's customers (鞋码, 会员备注), which
// imports and the API fill and expressions read; also declared with `POST /api/v1/fields` and
// from the console's import page.
import type { CustomFieldType } from '../core/customer.js';
import type { Locale } from '../core/locale.js';
import { parseInput } from '../core/validation.js';
import { createCustomField, customFieldInputSchema, listCustomFields } from '../engine/fields.js';
import { terminalTable } from './commander-locale.js';
import { auditCli } from './audit-entry.js';
import { inCommandWorkspace } from './store-options.js';

export interface FieldCommandOptions {
  workspace: string;
  database?: string | undefined;
  locale?: Locale | undefined;
  /** `list`: print the fields as `GET /api/v1/fields` lists them, as JSON. */
  json?: boolean | undefined;
  /** `add`: who acts, as the audit trail names them. */
  actor?: string | undefined;
}

export function listFieldsCommand(options: FieldCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const fields = await listCustomFields(context);
    if (options.json) return JSON.stringify({ items: fields }, null, 2);
    if (fields.length === 0) return say('field.none', { workspace: context.workspaceKey });
    // Columns measured as a terminal shows them: a Chinese key or name takes two columns a character.
    return terminalTable(fields.map((field) => [field.key, field.name, field.options.length > 0 ? say('field.typeOptions', { type: field.type, options: field.options }) : say('field.type', { type: field.type })])).join('\n');
  });
}

/** Option lists as people write them: 红,黄,蓝 or 红、黄、蓝. */
export function splitOptions(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(/[,，、]/)
    .map((option) => option.trim())
    .filter(Boolean);
}

export function addFieldCommand(key: string, options: FieldCommandOptions & { name?: string | undefined; type: CustomFieldType; options?: string | undefined }): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    // Checked as the API checks a body, so a bad key or a missing enum option reads the same.
    const input = parseInput(customFieldInputSchema, { key, name: options.name?.trim() || key, type: options.type, options: splitOptions(options.options) });
    const field = await createCustomField(context, input);
    await auditCli(context, 'field add', `/fields/${encodeURIComponent(field.key)}`);
    return say('field.added', { key: field.key, name: field.name, type: field.type, workspace: context.workspaceKey });
  });
}
