// Every error the product can return: its stable code, HTTP status and message
// template. The API's problem-JSON writer and the CLI's error printer both read this table.

export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'Request is not valid', message: 'The request is not valid: {detail}' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON', message: 'The request body is not valid JSON: {detail}' },
  BATCH_TOO_LARGE: { status: 413, title: 'Batch too large', message: 'A batch holds at most {max} items; this one holds {count}.' },
  BODY_TOO_LARGE: { status: 413, title: 'Body too large', message: 'The request body exceeds {max} bytes.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', message: 'Send JSON with Content-Type: application/json; got {contentType}.' },
  NOT_FOUND: { status: 404, title: 'Not found', message: 'No route for {method} {url}.' },
  WORKSPACE_NOT_FOUND: { status: 404, title: 'Workspace not found', message: 'Workspace "{workspace}" does not exist.' },
  WORKSPACE_EXISTS: { status: 409, title: 'Workspace exists', message: 'Workspace "{workspace}" already exists.' },
  INVALID_WORKSPACE: { status: 400, title: 'Invalid workspace', message: 'Workspace key "{workspace}" is not valid: use 1-64 letters, digits, "-" or "_".' },
  CUSTOMER_NOT_FOUND: { status: 404, title: 'Customer not found', message: 'Customer "{customer}" does not exist.' },
  CUSTOMERS_NOT_FOUND: { status: 404, title: 'Customers not found', message: '{count} customer id(s) do not exist, e.g. {examples}.' },
  IDENTITY_CONFLICT: { status: 409, title: 'Identity belongs to another customer', message: 'Identity {kind} "{value}" already belongs to customer "{owner}".' },
  MERGE_SELF: { status: 400, title: 'Cannot merge a customer into itself', message: 'Customer "{customer}" cannot be merged into itself.' },
  FIELD_NOT_FOUND: { status: 400, title: 'Unknown field', message: 'Field "{field}" is not declared.{hint}' },
  FIELD_EXISTS: { status: 409, title: 'Field exists', message: 'Field "{field}" already exists.' },
  FIELD_TYPE_MISMATCH: { status: 400, title: 'Field value has the wrong type', message: 'Field "{field}" expects {expected}; got {got}.' },
  EVENT_PROPERTIES_INVALID: { status: 400, title: 'Event properties are not valid', message: 'Event "{type}" has invalid properties: {detail}' },
  EVENT_ID_CONFLICT: { status: 409, title: 'Event id reused', message: 'Event id "{eventId}" appears twice in the batch with different content.' },
  TAG_GROUP_NOT_FOUND: { status: 404, title: 'Tag group not found', message: 'Tag group "{group}" does not exist.' },
  TAG_GROUP_EXISTS: { status: 409, title: 'Tag group exists', message: 'Tag group "{group}" already exists.' },
  TAG_GROUP_NOT_EMPTY: { status: 409, title: 'Tag group is not empty', message: 'Tag group "{group}" still holds {count} tag(s); move or archive them first.' },
  TAG_NOT_FOUND: { status: 404, title: 'Tag not found', message: 'Tag "{tag}" does not exist.{hint}' },
  TAG_EXISTS: { status: 409, title: 'Tag exists', message: 'Tag "{tag}" already exists.' },
  TAG_ARCHIVED: { status: 409, title: 'Tag is archived', message: 'Tag "{tag}" is archived; restore it before assigning it.' },
  TAG_VALUE_NOT_FOUND: { status: 404, title: 'Tag value not found', message: 'Tag "{tag}" has no value "{value}".{hint}' },
  TAG_VALUE_EXISTS: { status: 409, title: 'Tag value exists', message: 'Tag "{tag}" already has a value "{value}".' },
  TAG_VALUE_IN_USE: { status: 409, title: 'Tag value is in use', message: 'Value "{value}" of tag "{tag}" is assigned to {count} customer(s); say onAssigned=remove or onAssigned=move with moveTo.' },
  TAG_NOT_MANUAL: { status: 409, title: 'Tag is not assigned by hand', message: 'Tag "{tag}" is a {kind} tag; only manual tags can be assigned by hand.' },
  TAG_CARDINALITY_CONFLICT: { status: 409, title: 'Customers hold several values', message: 'Tag "{tag}" cannot become single-valued: {count} customer(s) hold several of its values.' },
  PERSONAL_TAG_OWNER_REQUIRED: { status: 400, title: 'Personal tags need an owner', message: 'A personal tag needs an acting user: send the X-Tagbase-Actor header.' },
  METRIC_EXISTS: { status: 409, title: 'Metric exists', message: 'Metric "{metric}" already exists.' },
  METRIC_INVALID: { status: 400, title: 'Metric definition is not valid', message: 'The metric cannot be defined: {detail}' },
  RULE_INVALID: { status: 400, title: 'Rule is not valid', message: 'Value "{value}" of tag "{tag}": {detail}' },
  RULE_CYCLE: { status: 409, title: 'Rules read each other in a cycle', message: 'Tag rules would read each other in a cycle: {cycle}.' },
  SEGMENT_NOT_FOUND: { status: 404, title: 'Segment not found', message: 'Segment "{segment}" does not exist.{hint}' },
  SEGMENT_EXISTS: { status: 409, title: 'Segment exists', message: 'Segment "{segment}" already exists.' },
  SEGMENT_IN_USE: { status: 409, title: 'Segment is in use', message: 'Segment "{segment}" is read by {users}; change those first.' },
  SNAPSHOT_NOT_FOUND: { status: 404, title: 'Snapshot not found', message: 'Snapshot {snapshot} of segment "{segment}" does not exist.' },
  TEMPLATE_NOT_FOUND: { status: 404, title: 'Template not found', message: 'Template "{template}" does not exist.{hint} Templates: {known}.' },
  MODEL_NOT_FOUND: { status: 404, title: 'Model not found', message: 'There is no model "{model}".{hint}' },
  MODEL_NOT_ENABLED: { status: 409, title: 'Model is not enabled', message: 'Model "{model}" is not enabled in this workspace; enable it first.' },
  MODEL_INVALID: { status: 400, title: 'Model parameters are not valid', message: 'Model "{model}": {detail}' },
  MODEL_CONFLICT: { status: 409, title: 'Model conflicts with the library', message: 'Model "{model}" cannot be enabled: {detail}' },
  EXPRESSION_SYNTAX: { status: 400, title: 'Expression syntax error', message: '{detail}' },
  EXPRESSION_UNKNOWN_NAME: { status: 400, title: 'Unknown name in expression', message: '{detail}' },
  EXPRESSION_TYPE: { status: 400, title: 'Expression type error', message: '{detail}' },
  EXPRESSION_INVALID_VALUE: { status: 400, title: 'Invalid value in expression', message: '{detail}' },
  INTERNAL: { status: 500, title: 'Internal error', message: 'Something went wrong on our side: {detail}' },
} as const satisfies Record<string, { status: number; title: string; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorParams = Record<string, string | number | undefined>;

/** Fills `{name}` placeholders of a message template; a missing parameter renders empty. */
export function formatErrorMessage(code: ErrorCode, params: ErrorParams): string {
  return ERROR_CODES[code].message.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return value === undefined ? '' : String(value);
  });
}

/** One problem inside a batch: which item, and what is wrong with it. */
export interface ItemError {
  index: number;
  line?: number;
  code: ErrorCode;
  message: string;
  path?: string;
  /** For expressions: where the problem is (1-based column, 0-based offset and length in UTF-16 units). */
  column?: number;
  offset?: number;
  length?: number;
  found?: string;
  expected?: string[];
  suggestion?: string;
}

/** The product's one exception type: a code from the table, its parameters, and item errors for batches. */
export class TagbaseError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly items: ItemError[] | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, items?: ItemError[]) {
    super(formatErrorMessage(code, params));
    this.name = 'TagbaseError';
    this.code = code;
    this.params = params;
    this.items = items;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isTagbaseError(error: unknown): error is TagbaseError {
  return error instanceof TagbaseError;
}

/** " Did you mean "x"?" when a near name exists, else "". */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}
