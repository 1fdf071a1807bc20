// What the OpenAPI document says each operation answers: its success status (a route that does
// not answer 200 declares its own in `config.answers`), and the RFC 9457 problem document every
// error is, under 4XX and 5XX. Only the document reads these; replies are not checked against them.
import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { API_PREFIX } from './location.js';

/** A success a route answers, as the OpenAPI document lists it. */
export interface Answer {
  status: 200 | 201 | 202 | 204;
  description: string;
  /** What it answers other than JSON (an export's CSV or JSON Lines). */
  media?: readonly string[];
  /** The headers that come with it, each a text or a number, and what it says. */
  headers?: Readonly<Record<string, { type: 'string' | 'integer'; description: string }>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The successes this route answers, when not one 200 with JSON. */
    answers?: readonly Answer[];
  }
}

const ANSWERED: readonly Answer[] = [{ status: 200, description: 'OK' }];

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/** The schema transform the document is built with: zod's, plus each route's successes. */
export function documentRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const transformed = jsonSchemaTransform(input);
  const schema = transformed.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide === true) return transformed;
  const answers = input.route.config?.answers ?? ANSWERED;
  // Without a schema, a 204 has no content, and a JSON answer any content of its type.
  schema.response = Object.fromEntries(answers.map((answer) => [answer.status, answerSchema(answer)]));
  if (input.route.config?.conditional !== undefined) documentConditional(schema, input.route.method);
  if (input.route.config?.deletesTagged !== undefined) documentIfMatch(schema);
  return transformed;
}

/** What `GET` of a single resource says of its ETag. */
export const ETAG_NOTE =
  'Answers with a strong `ETag`; sent back in `If-None-Match`, it is answered `304 Not Modified` with no body while the answer would be the same (docs/api.md, "Conditional requests").';

/** What an update that takes If-Match says of it. */
export const IF_MATCH_NOTE =
  'With `If-Match: <ETag>` (as `GET` gave it, in any language) the change is made only if it is still current: otherwise `412 PRECONDITION_FAILED`, and nothing changes. Without the header it is made whatever changed meanwhile.';

/** What a deletion that takes If-Match says of it. */
export const IF_MATCH_DELETE_NOTE =
  'With `If-Match: <ETag>` (as `GET` gave it, in any language) it is deleted only if it is still as it was read: otherwise `412 PRECONDITION_FAILED`, and nothing changes.';

const ETAG_HEADER = { type: 'string', description: 'A strong validator of this answer: send it back in `If-None-Match` (a `GET`) or `If-Match` (an update or a deletion).' } as const;

/** The ETag on a conditional route's 200, its request headers, and its 304 (a `GET`) or 412 (an update). */
function documentConditional(schema: Record<string, unknown>, method: string | readonly string[]): void {
  const reading = (typeof method === 'string' ? [method] : method).includes('GET');
  const responses = schema.response as Record<string, { description?: string; headers?: Record<string, unknown>; content?: unknown }>;
  const ok = responses[200];
  if (ok) ok.headers = { ...ok.headers, ETag: ETAG_HEADER };
  if (!reading) return documentIfMatch(schema);
  responses[304] = { description: 'Not Modified: the answer is still the one `If-None-Match` names; no body, the same `ETag`.', headers: { ETag: ETAG_HEADER } };
  const headers = (schema.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
  schema.headers = { ...headers, properties: { ...headers.properties, 'if-none-match': { type: 'string', description: 'ETags of answers the client keeps (or `*`): answered `304 Not Modified` when one is still current.' } } };
}

/** The If-Match an update or a deletion takes, and its 412. */
function documentIfMatch(schema: Record<string, unknown>): void {
  const responses = schema.response as Record<string, unknown>;
  responses[412] = { description: 'Precondition Failed (`PRECONDITION_FAILED`): `If-Match` names no current ETag of the resource; nothing was changed.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  const headers = (schema.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
  const description = 'The ETag the client read (or `*`): the change is made only while it is current, else `412 PRECONDITION_FAILED`.';
  schema.headers = { ...headers, properties: { ...headers.properties, 'if-match': { type: 'string', description } } };
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details. `code` is stable; `detail` is in the request’s language (Accept-Language).',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
  properties: {
    type: { type: 'string', examples: ['urn:tagbase:problem:tag-not-found'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', examples: ['TAG_NOT_FOUND', 'VALIDATION_FAILED'] },
    instance: { type: 'string', description: 'The address called: its path, and its query when it had one (`/api/v1/customers?limit=501`).' },
    errors: {
      type: 'array',
      description: 'Per-item errors of a batch, of a body, query, path or header that failed validation, or of an expression (at most 1,000).',
      items: {
        type: 'object',
        required: ['index', 'code', 'message'],
        properties: {
          index: { type: 'integer', description: 'The item of the batch, or -1 for the body (query, path) as a whole; 0, 1 … for an expression’s diagnostics.' },
          code: { type: 'string', description: 'An error code, such as `EVENT_PROPERTIES_INVALID` or `EXPRESSION_UNKNOWN_NAME`.' },
          path: { type: 'string', description: 'The field within the item (`birthday`, `properties.amount`) or the body (`params.lost_days`), the query or path parameter, or the header by its name in lower case (`idempotency-key`).' },
          pointer: {
            type: 'string',
            description:
              'Where in the request body the problem is, as an RFC 6901 JSON Pointer in URI fragment form, as RFC 9457 places an item: `#/events/3/properties/amount`, `#/values/2/name`; `~` and `/` in a key written `~0` and `~1`, what a fragment may not hold percent-encoded (UTF-8). Absent for a header, a query or path parameter, an expression’s diagnostic, and wherever the place is not known.',
            examples: ['#/events/3/properties/amount'],
          },
          message: { type: 'string', description: 'In the request’s language.' },
          line: { type: 'integer', description: 'The line (from 1) of the expression, or of the file read, or of a key the body gives twice in one object.' },
          column: { type: 'integer', description: 'Expressions, and a key the body gives twice in one object: the column (from 1, in UTF-16 units).' },
          offset: { type: 'integer', description: 'Expressions: where the problem starts (from 0, in UTF-16 units).' },
          length: { type: 'integer', description: 'Expressions: how long the problem is (UTF-16 units).' },
          found: { type: 'string', description: 'Expressions: what was found there.' },
          expected: { type: 'array', items: { type: 'string' }, description: 'Expressions: what would have fitted.' },
          suggestion: { type: 'string', description: 'Expressions: a near name (“did you mean”).' },
          reason: { type: 'string', description: 'Expressions: which problem (`unknown_name`, `unexpected_token` …; docs/expressions.md lists them), the same in every language.' },
          params: { type: 'object', description: 'Expressions: what the message is made of, for a client wording it itself.' },
        },
      },
    },
  },
} as const;

interface Document {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: Record<string, Record<string, unknown>>;
}

type DocumentInput = Parameters<SwaggerTransformObject>[0];

/** The whole document's last step: every operation's errors as one shared problem response. */
export function documentProblems(input: DocumentInput): ReturnType<SwaggerTransformObject> {
  if (!('openapiObject' in input)) return input.swaggerObject;
  const document = input.openapiObject as Document;
  const problem = { $ref: '#/components/responses/Problem' };
  for (const path of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(path)) {
      operation.responses = { ...operation.responses, '4XX': problem, '5XX': problem };
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
    responses: {
      ...document.components?.responses,
      Problem: { description: 'The request was refused or failed; the problem says why.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
  };
  return input.openapiObject;
}

/**
 * The route answers 201 with what it made; `at`, where what it made has an address of its own to
 * `GET` (`/tags/{tag}`), which its Location header then names (see `sendCreated`).
 */
export function created(description: string, at?: string): { answers: readonly Answer[] } {
  if (at === undefined) return { answers: [{ status: 201, description }] };
  const location = { type: 'string', description: `What was made, to \`GET\` in the same workspace: \`${API_PREFIX}${at}\`, its parts percent-encoded.` } as const;
  return { answers: [{ status: 201, description, headers: { Location: location } }] };
}

/** One answer as the document lists it: nothing for a 204, a text of its media types for a stream (an object for JSON among them), any JSON otherwise; with its headers. */
function answerSchema(answer: Answer) {
  const headers = answer.headers ? { headers: answer.headers } : {};
  if (answer.status === 204) return { description: answer.description, type: 'null', ...headers };
  if (answer.media) return { description: answer.description, content: Object.fromEntries(answer.media.map((type) => [type, { schema: { type: type === 'application/json' ? 'object' : 'string' } }])), ...headers };
  return { description: answer.description, ...headers };
}

/** An export of customers: CSV, JSON Lines or a workbook as `format` asks, streamed, its row count in a header. */
export const MEMBER_EXPORT: { answers: readonly Answer[] } = {
  answers: [
    {
      status: 200,
      description:
        'Every customer, streamed: CSV (`format=csv`, the default; UTF-8 with a byte-order mark, a header row first), JSON Lines (`format=jsonl`, one object per line) or an Excel workbook (`format=xlsx`, one sheet, the header row first and frozen, text kept as text so phone numbers and ids stay as written, numbers as numbers; at most 1,048,575 customers, more is `VALIDATION_FAILED`).',
      media: ['text/csv', 'application/x-ndjson', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      headers: { 'X-Tagbase-Members': { type: 'integer', description: 'How many customers (rows) follow.' } },
    },
  ],
};

/** The route answers 204 with nothing. */
export const NO_CONTENT: { answers: readonly Answer[] } = { answers: [{ status: 204, description: 'Done; no content' }] };
