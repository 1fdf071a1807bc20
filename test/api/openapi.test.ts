// The API's two descriptions against the server itself: every route it answers is in the
// OpenAPI document (but the health check, the document and its browsable pages), the document
// holds together as OpenAPI 3.1, every operation of the document is named in docs/api.md with
// its query parameters and body fields, and every call docs/api.md and the README name is one
// the server has.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionFor } from '../../src/api/access.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { buildServer } from '../../src/api/server.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { openTestStore } from '../support/stores.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface ProblemSchema {
  required: string[];
  properties: Record<string, unknown> & { errors: { items: { required: string[]; properties: Record<string, unknown> } } };
}

/** Routes the document leaves out on purpose: the health check, the document itself and its pages. */
const UNDOCUMENTED = (path: string) => path === '/healthz' || path === '/api/v1/openapi.json' || path === '/api/v1/docs' || path.startsWith('/api/v1/docs/');

/** `/tags/:tag/values/:value` and `/tags/{tag}/values/{value}` alike, as `/tags/{}/values/{}`. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}');

/** Every method and path the server routes, read from Fastify's route tree (HEAD, which follows each GET, left out). */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = (node[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (node[2] ?? '');
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of (node[3] ?? '').split(', ')) if (method !== '' && method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

/** `GET|PATCH /api/v1/segments/{segment}` and the like, as each names them: one entry per method. */
function namedCalls(text: string): { method: string; path: string }[] {
  const calls: { method: string; path: string }[] = [];
  for (const match of text.matchAll(new RegExp(`\\b((?:${METHODS.join('|')})(?:\\|(?:${METHODS.join('|')}))*) \`?(/[^\\s\`?,)…]*)`, 'g'))) {
    const path = (match[2] ?? '').replace(/[.:;]+$/, '');
    for (const method of (match[1] ?? '').split('|')) calls.push({ method, path: path.startsWith('/api/v1') || path === '/healthz' ? path : `/api/v1${path}` });
  }
  return calls;
}

describe('the API as its documents describe it', () => {
  let app: FastifyInstance | undefined;
  let opened: Awaited<ReturnType<typeof openTestStore>> | undefined;
  let operations: string[] = [];

  beforeAll(async () => {
    opened = await openTestStore('sqlite');
    const now = () => new Date('2026-06-15T10:00:00Z');
    await ensureWorkspace(opened.store, 'default', 'default', now);
    app = await buildServer({ store: opened.store, now, consoleDir: false });
    await app.ready();
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  });

  afterAll(async () => {
    await app?.close();
    await opened?.dispose();
  });

  it('describes every route the server answers in the OpenAPI document', () => {
    if (!app) throw new Error('server not started');
    const routes = registeredRoutes(app);
    expect(routes).toContain('GET /api/v1/models/:model');
    const documented = new Set(operations.map(shape));
    expect(routes.filter((route) => !UNDOCUMENTED(route.split(' ')[1] ?? '') && !documented.has(shape(route)))).toEqual([]);
    // And the document describes nothing the server does not answer.
    const answered = new Set(routes.map(shape));
    expect(operations.filter((operation) => !answered.has(shape(operation)))).toEqual([]);
  });

  it('names the headers a call reads beyond the workspace ones (Prefer for accepting events at once, Idempotency-Key for sending them again), and those its answer carries', async () => {
    if (!app) throw new Error('server not started');
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }>();
    const headers = (document.paths['/api/v1/events']?.post?.parameters ?? []).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
    expect(headers).toEqual(['x-tagbase-workspace', 'x-tagbase-actor', 'x-tagbase-client', 'prefer', 'idempotency-key']);
    // And the headers of the 202 it answers then, as the server sends them.
    const accepted = (document.paths['/api/v1/events']?.post as { responses?: Record<string, { headers?: Record<string, unknown> }> } | undefined)?.responses?.['202'];
    expect(Object.keys(accepted?.headers ?? {})).toEqual(['Location', 'Preference-Applied', 'Idempotent-Replayed']);
    const event = { id: 'e-prefer', customer_id: 'C-prefer', type: 'app_opened', occurred_at: '2026-06-15T09:00:00Z', properties: {} };
    const answer = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { 'content-type': 'application/json', prefer: 'respond-async' }, payload: JSON.stringify({ events: [event] }) });
    expect(answer.statusCode).toBe(202);
    expect([answer.headers.location, answer.headers['preference-applied']]).toEqual([`/api/v1/events/journal/${String(answer.json<{ batch: number }>().batch)}`, 'respond-async']);
  });

  it('says of every time a call takes how it is read: without an offset on the workspace\'s clock, with one exactly', async () => {
    if (!app) throw new Error('server not started');
    type Schema = { description?: string; anyOf?: Schema[]; properties?: Record<string, Schema>; items?: Schema };
    type Body = { requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: { name: string; description?: string }[] };
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, Body>> }>();
    const body = (path: string) => document.paths[path]?.post?.requestBody?.content['application/json']?.schema;
    const described = (schema: Schema | undefined) => schema?.description ?? schema?.anyOf?.[0]?.description;
    const parameter = (path: string, name: string) => document.paths[path]?.get?.parameters?.find((each) => each.name === name)?.description;
    const rule = "with `Z` or an offset exactly that instant, without one the workspace's time";
    for (const text of [
      described(body('/api/v1/events')?.properties?.events?.items?.properties?.occurred_at),
      described(body('/api/v1/customers')?.properties?.customers?.items?.properties?.first_seen_at),
      parameter('/api/v1/customers/{id}/history', 'before'),
      parameter('/api/v1/tags/{tag}/transitions', 'from'),
    ]) expect(text).toContain(`${rule} (\`utc_offset_minutes\`): \`2026-12-01T10:00:00\` is 10:00 there, a date alone (\`2026-12-01\`) that day's start`);
    // What ends a period, an assignment's expiry among them: "valid until 12-31" holds through the 31st.
    for (const text of [
      parameter('/api/v1/tags/{tag}/transitions', 'to'),
      described(body('/api/v1/tags/{tag}/assign')?.properties?.expires_at),
      described(body('/api/v1/customers/{id}/tags')?.properties?.expires_at),
      described(body('/api/v1/segments/tag')?.properties?.expires_at),
      described(body('/api/v1/tags/{tag}/transitions/tag')?.properties?.expires_at),
    ]) expect(text).toContain(`${rule} (\`utc_offset_minutes\`): \`2026-12-01T10:00:00\` is 10:00 there, a date alone (\`2026-12-01\`) the whole of that day`);
  });

  it('describes the exports of customers as the CSV, JSON Lines or workbook they stream, with their row count', async () => {
    if (!app) throw new Error('server not started');
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { description?: string; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }>> }>();
    // What streams customers as JSON Lines too (an import's template is a CSV file, or a workbook, of its header alone).
    const exports = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).filter(([, operation]) => operation.responses['200']?.content?.['application/x-ndjson'] !== undefined).map(([method]) => `${method.toUpperCase()} ${path}`));
    expect(exports.sort()).toEqual(['GET /api/v1/segments/{segment}/export', 'GET /api/v1/segments/{segment}/snapshots/{snapshot}/export', 'GET /api/v1/tags/{tag}/transitions/export', 'POST /api/v1/segments/export']);
    const documented = document.paths['/api/v1/segments/export']?.post?.responses['200'];
    expect(Object.keys(documented?.content ?? {})).toEqual(['text/csv', 'application/x-ndjson', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(Object.keys(documented?.headers ?? {})).toEqual(['X-Tagbase-Members']);
    // The export log holds each of them, the export of a tag transition's customers included.
    expect(document.paths['/api/v1/exports']?.get?.description).toContain('a snapshot or a tag transition');
    for (const format of ['csv', 'jsonl', 'xlsx']) {
      const answer = await app.inject({ method: 'POST', url: `/api/v1/segments/export?format=${format}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ expression: 'id exists' }) });
      expect(answer.statusCode).toBe(200);
      expect(Object.keys(documented?.content ?? {})).toContain(String(answer.headers['content-type']).split(';')[0]);
      expect(answer.headers['x-tagbase-members']).toMatch(/^\d+$/);
    }
  });

  it('refuses a query parameter a call does not take, as it refuses an unknown body field, rather than answering its default', async () => {
    if (!app) throw new Error('server not started');
    for (const url of ['/api/v1/customers?limt=5', '/api/v1/tags?archive=true', '/api/v1/exports?limit=5&page=2']) {
      const answer = (await app.inject({ method: 'GET', url })).json<{ code: string; detail: string }>();
      expect({ url, code: answer.code }).toEqual({ url, code: 'VALIDATION_FAILED' });
      expect(answer.detail).toMatch(/querystring (limt|archive|page): unknown field "(limt|archive|page)"/);
    }
    const chinese = (await app.inject({ method: 'GET', url: '/api/v1/customers?limt=5', headers: { 'accept-language': 'zh-CN' } })).json<{ detail: string }>();
    expect(chinese.detail).toContain('查询参数');
    expect(chinese.detail).toContain('limt');
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers?limit=5' })).statusCode).toBe(200);
    // A cache-buster is no misspelling.
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers?limit=5&_=1764633600000' })).statusCode).toBe(200);
  });

  it('describes every field of the problems the server answers', async () => {
    if (!app) throw new Error('server not started');
    const server = app;
    const document = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ components: { schemas: { Problem: ProblemSchema } } }>();
    const schema = document.components.schemas.Problem;
    const itemSchema = schema.properties.errors.items;
    const json = { 'content-type': 'application/json' };
    const problems = await Promise.all(
      [
        { method: 'POST' as const, url: '/api/v1/customers', headers: json, payload: JSON.stringify({ customers: [{ id: 'C1' }, { id: 'C2', birthday: '1990-13-45' }] }) },
        { method: 'POST' as const, url: '/api/v1/events', headers: json, payload: JSON.stringify({ events: [{ id: 'e1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T00:00:00Z', properties: {} }] }) },
        { method: 'POST' as const, url: '/api/v1/segments/count', headers: json, payload: JSON.stringify({ expression: 'cty = "上海"' }) },
        { method: 'POST' as const, url: '/api/v1/segments/count', headers: json, payload: '{"expression": ' },
        { method: 'GET' as const, url: '/api/v1/customers?limit=501' },
        { method: 'GET' as const, url: '/api/v1/tags/vlp' },
        { method: 'GET' as const, url: '/api/v1/nowhere' },
      ].map(async (request) => (await server.inject(request)).json<Record<string, unknown> & { errors?: Record<string, unknown>[] }>()),
    );
    expect(problems.map((problem) => problem.code)).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED', 'EXPRESSION_UNKNOWN_NAME', 'MALFORMED_JSON', 'VALIDATION_FAILED', 'TAG_NOT_FOUND', 'NOT_FOUND']);
    expect(problems.find((problem) => problem.code === 'EXPRESSION_UNKNOWN_NAME')?.errors?.[0]).toHaveProperty('suggestion', 'city');
    for (const problem of problems) {
      expect(Object.keys(problem).filter((key) => !(key in schema.properties))).toEqual([]);
      expect(schema.required.filter((key) => !(key in problem))).toEqual([]);
      for (const item of problem.errors ?? []) {
        expect(Object.keys(item).filter((key) => !(key in itemSchema.properties))).toEqual([]);
        expect(itemSchema.required.filter((key) => !(key in item))).toEqual([]);
      }
    }
    expect(problems.find((problem) => problem.code === 'VALIDATION_FAILED' && problem.instance === '/api/v1/customers?limit=501')).toBeDefined();
  });

  it('names every operation of the OpenAPI document in docs/api.md', () => {
    const named = new Set(namedCalls(readFileSync('docs/api.md', 'utf8')).map((call) => shape(`${call.method} ${call.path}`)));
    expect(operations.filter((operation) => !named.has(shape(operation)))).toEqual([]);
  });

  it('holds together as an OpenAPI 3.1 document: path parameters declared, references resolved, a success and a summary per operation', async () => {
    if (!app) throw new Error('server not started');
    interface Parameter { in: string; name: string; required?: boolean }
    interface Operation { summary?: string; parameters?: Parameter[]; responses?: Record<string, unknown>; security?: Record<string, unknown>[]; operationId?: string }
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ openapi: string; info: { title?: string; version?: string }; paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>>; security?: Record<string, unknown>[] }>();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
    const faults: string[] = [];
    const operationIds = new Set<string>();
    for (const [path, methods] of Object.entries(document.paths)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!METHODS.includes(method.toUpperCase() as (typeof METHODS)[number])) faults.push(`${where}: not an HTTP method`);
        const parameters = operation.parameters ?? [];
        const declared = parameters.filter((parameter) => parameter.in === 'path');
        if (JSON.stringify(declared.map((parameter) => parameter.name).sort()) !== JSON.stringify(templated)) faults.push(`${where}: path parameters ${declared.map((parameter) => parameter.name).join(',')} for ${templated.join(',')}`);
        for (const parameter of declared) if (parameter.required !== true) faults.push(`${where}: path parameter ${parameter.name} not required`);
        const seen = parameters.map((parameter) => `${parameter.in} ${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`);
        if (new Set(seen).size !== seen.length) faults.push(`${where}: a parameter given twice`);
        if (!operation.summary) faults.push(`${where}: no summary`);
        if (!Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status))) faults.push(`${where}: no success`);
        if (operation.operationId !== undefined) {
          if (operationIds.has(operation.operationId)) faults.push(`${where}: operationId ${operation.operationId} twice`);
          operationIds.add(operation.operationId);
        }
        for (const requirement of [...(operation.security ?? []), ...(document.security ?? [])]) {
          for (const scheme of Object.keys(requirement)) if (document.components.securitySchemes?.[scheme] === undefined) faults.push(`${where}: unknown security scheme ${scheme}`);
        }
      }
    }
    // Every reference points at something in the document.
    const text = JSON.stringify(document);
    for (const match of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = (match[1] ?? '').split('/').reduce<unknown>((node, step) => (node as Record<string, unknown> | undefined)?.[step.replace(/~1/g, '/').replace(/~0/g, '~')], document);
      if (target === undefined) faults.push(`unresolved $ref #/${match[1] ?? ''}`);
    }
    expect(faults).toEqual([]);
  });

  it('says how many items each batch takes (maxItems), as many as the server takes before it answers BATCH_TOO_LARGE', async () => {
    if (!app) throw new Error('server not started');
    interface Operation { requestBody: { content: Record<string, { schema: { properties: Record<string, { maxItems?: number }> } }> } }
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const batches = [
      { path: '/api/v1/customers', list: 'customers', item: (at: number) => ({ id: `B${String(at)}` }) },
      { path: '/api/v1/events', list: 'events', item: (at: number) => ({ id: `e${String(at)}`, customer_id: 'B1', type: 'app_opened', occurred_at: '2026-06-01T00:00:00Z' }) },
      { path: '/api/v1/tags/{tag}/assign', list: 'customers', item: (at: number) => `B${String(at)}`, body: { value: 'x' } },
      { path: '/api/v1/tags/{tag}/unassign', list: 'customers', item: (at: number) => `B${String(at)}` },
    ];
    for (const batch of batches) {
      const max = document.paths[batch.path]?.post?.requestBody.content['application/json']?.schema.properties[batch.list]?.maxItems;
      expect({ path: batch.path, max }).toEqual({ path: batch.path, max: expect.any(Number) });
      const items = Array.from({ length: (max ?? 0) + 1 }, (_, at) => batch.item(at));
      const answer = await app.inject({ method: 'POST', url: batch.path.replace('{tag}', 'anything'), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...batch.body, [batch.list]: items }) });
      expect({ path: batch.path, code: answer.json<{ code: string }>().code }).toEqual({ path: batch.path, code: 'BATCH_TOO_LARGE' });
    }
  });

  it('lists in docs/api.md the POSTs that only read and the calls that export, as the server grants them', () => {
    const api = readFileSync('docs/api.md', 'utf8');
    // The bullets of "Access and roles" that say what each permission covers (`read`: …).
    const bullet = (permission: string) => [...api.matchAll(/^- `([a-z]+)`: [\s\S]*?(?=\n- |\n\n)/gm)].find((match) => match[1] === permission)?.[0] ?? '';
    const reading = bullet('read');
    const exporting = new Set(namedCalls(bullet('export')).map((call) => shape(`${call.method} ${call.path}`)));
    const faults: string[] = [];
    for (const operation of operations) {
      const [method = '', path = ''] = operation.split(' ');
      const permission = permissionFor(method, path.replace(/\{([^}]+)\}/g, ':$1'));
      if (method === 'POST' && permission === 'read' && !reading.includes(`\`${path.replace('/api/v1', '')}\``)) faults.push(`${operation}: reads, not in the read list`);
      if ((permission === 'export') !== exporting.has(shape(operation))) faults.push(`${operation}: ${String(permission)}, ${exporting.has(shape(operation)) ? '' : 'not '}in the export list`);
    }
    expect(faults).toEqual([]);
  });

  it('lists customers in the order they were created, as docs/api.md and the OpenAPI document say, not by their ids', async () => {
    if (!app) throw new Error('server not started');
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { description?: string }>> }>();
    expect(document.paths['/api/v1/customers']?.get?.description).toMatch(/^In the order customers were created;/);
    expect(readFileSync('docs/api.md', 'utf8').replace(/\s+/g, ' ')).toContain('{total, items, next_cursor}`, in the order customers were created');
    const json = { 'content-type': 'application/json' };
    await app.inject({ method: 'POST', url: '/api/v1/customers', headers: json, payload: JSON.stringify({ customers: [{ id: 'order-z', name: '创建顺序' }] }) });
    await app.inject({ method: 'POST', url: '/api/v1/customers', headers: json, payload: JSON.stringify({ customers: [{ id: 'order-a', name: '创建顺序' }] }) });
    for (const url of ['/api/v1/customers?limit=500', `/api/v1/customers?q=${encodeURIComponent('创建顺序')}`]) {
      const ids = (await app.inject({ method: 'GET', url })).json<{ items: { id: string }[] }>().items.map((customer) => customer.id).filter((id) => id.startsWith('order-'));
      expect({ url, ids }).toEqual({ url, ids: ['order-z', 'order-a'] });
    }
  });

  it('names the actor header on every call the audit trail records under it', async () => {
    if (!app) throw new Error('server not started');
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }>();
    const unnamed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => method !== 'get' && (permissionFor(method.toUpperCase(), path.replace(/\{([^}]+)\}/g, ':$1')) ?? 'read') !== 'read')
        .filter(([, operation]) => !(operation.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'x-tagbase-actor'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(unnamed).toEqual([]);
  });

  it('names in docs/api.md every query parameter and body field of each operation, where it names the operation', async () => {
    if (!app) throw new Error('server not started');
    interface Operation { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    // A paragraph or list item of docs/api.md, with the calls it names.
    const passages = readFileSync('docs/api.md', 'utf8')
      .split(/\n(?=- |#+ |\n)/)
      .map((text) => ({ text, calls: new Set(namedCalls(text).map((call) => shape(`${call.method} ${call.path}`))) }));
    const unnamed: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const operationShape = shape(`${method.toUpperCase()} ${path}`);
        const text = passages.filter((passage) => passage.calls.has(operationShape)).map((passage) => passage.text).join('\n');
        const names = [
          ...(operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
          ...Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        ];
        for (const name of names) {
          // As `name`, "name", name= or ?name, or as a key of a JSON example ({name, …}).
          if (!new RegExp(`[\`"?&{ ]${name}[\`"=?&}:, ]`).test(text)) unnamed.push(`${method.toUpperCase()} ${path}: ${name}`);
        }
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('writes no call in docs/api.md with a parameter left empty that the server refuses so, as it refuses `cursor=`, `before=` or `plan=`', async () => {
    if (!app) throw new Error('server not started');
    const server = app;
    const refused = async (url: string) => {
      const answer = (await server.inject({ method: 'GET', url })).json<{ code?: string; errors?: { path?: string }[] }>();
      return answer.code === 'VALIDATION_FAILED' ? (answer.errors?.[0]?.path ?? '') : undefined;
    };
    expect(await Promise.all(['/api/v1/customers?cursor=', '/api/v1/audit?before=', '/api/v1/audit?actor=', '/api/v1/care/reminders?plan=', '/api/v1/care/reminders?customer='].map(refused))).toEqual(['cursor', 'before', 'actor', 'plan', 'customer']);
    // The parameters the server takes empty, each with a call that takes it.
    const takenEmpty: Record<string, string> = { q: '/api/v1/customers?q=', metrics: '/api/v1/tags/none/profile?metrics=' };
    for (const url of Object.values(takenEmpty)) expect({ url, refusedAt: await refused(url) }).toEqual({ url, refusedAt: undefined });
    const calls = readFileSync('docs/api.md', 'utf8').match(/`(?:GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[^`]*`/g) ?? [];
    const empty = calls.flatMap((call) => [...call.matchAll(/[?&]([a-z_]+)=(?=[&`])/g)].map((match) => ({ call, name: match[1] ?? '' })));
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.filter(({ name }) => takenEmpty[name] === undefined)).toEqual([]);
  });

  it('names every aggregation a custom metric may take, in the OpenAPI document\'s words and in docs/api.md', async () => {
    if (!app) throw new Error('server not started');
    interface Operation { description?: string; requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } }
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const declare = document.paths['/api/v1/metrics']?.post;
    const aggregations = declare?.requestBody.content['application/json']?.schema.properties.aggregation?.enum ?? [];
    expect(aggregations).toContain('gap_days');
    const api = readFileSync('docs/api.md', 'utf8');
    expect(aggregations.filter((aggregation) => !(declare?.description ?? '').includes(aggregation) || !api.includes(`\`${aggregation}\``))).toEqual([]);
  });

  it('names in docs/api.md every error code the server answers, with the status of the code in the errors table', () => {
    const api = readFileSync('docs/api.md', 'utf8');
    // What only the command says: a store file that is not there, a store a copy did not finish.
    const commandOnly = new Set(['STORE_NOT_FOUND', 'STORE_COPY_UNFINISHED', 'STORE_FOREIGN']);
    const codes = Object.keys(ERROR_CODES).filter((code) => !commandOnly.has(code));
    expect(codes.filter((code) => !api.includes(`\`${code}\``))).toEqual([]);
    // The table: `A`, `B` | 404, 409 | … (one status for all, or one each).
    const wrong: string[] = [];
    let rows = 0;
    for (const row of api.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) \| ([^|]+) \|/gm)) {
      const named = [...(row[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((match) => match[1] ?? '');
      const statuses = [...(row[2] ?? '').matchAll(/\d{3}/g)].map((match) => Number(match[0]));
      rows++;
      named.forEach((code, at) => {
        const status = statuses.length === named.length ? statuses[at] : statuses[0];
        const actual = (ERROR_CODES as Record<string, { status: number } | undefined>)[code]?.status;
        if (status !== actual) wrong.push(`${code}: ${String(status)} documented, ${String(actual)} answered`);
      });
    }
    expect(rows).toBeGreaterThan(30);
    expect(wrong).toEqual([]);
    // And every code the API answers has its row, not only a mention in the section of its call.
    // A damaged store is answered as INTERNAL (its row says so); STORE_CORRUPT is the command's and the start-up's.
    const tabled = new Set([...api.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) \|/gm)].flatMap((row) => [...(row[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((match) => match[1] ?? '')));
    expect(codes.filter((code) => code !== 'STORE_CORRUPT' && !tabled.has(code))).toEqual([]);
  });

  it('names in docs/api.md and the README only calls the server has', () => {
    const patterns = operations.map((operation) => {
      const [method, path] = operation.split(' ');
      return { method, pattern: new RegExp(`^${(path ?? '').replace(/\{[^}]+\}/g, '[^/]+')}$`) };
    });
    const calls = ['docs/api.md', 'README.md'].flatMap((file) => namedCalls(readFileSync(file, 'utf8')).map((call) => ({ file, ...call })));
    expect(calls.length).toBeGreaterThan(100);
    const unknown = calls.filter(({ method, path }) => path !== '/healthz' && !patterns.some((candidate) => candidate.method === method && candidate.pattern.test(shape(path).replace(/\{\}/g, 'x'))));
    expect(unknown).toEqual([]);
  });
});
