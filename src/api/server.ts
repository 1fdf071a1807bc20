// Assembles the HTTP server: JSON under /api/v1, the OpenAPI document and browsable docs,
// problem+json errors, and the health check. Each area is one plugin file under routes/.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZodObject, z } from 'zod';
import { fieldError, TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { REPORT_INPUT } from '../core/validation.js';
import { toIso, type Clock } from '../core/time.js';
import { indexAudience } from '../index/audience.js';
import { indexRuleCandidates } from '../index/rule-candidates.js';
import { IndexRegistry } from '../index/registry.js';
import { BackgroundRulePasses } from '../engine/rule-passes.js';
import { backgroundErrors } from '../engine/background-errors.js';
import { refusedConnection, storeDamaged, type Store } from '../store/connect.js';
import { assertRoleRights, permissionDenied, refusedOnTable } from '../store/permissions.js';
import { assertWritable, isStoreFull, isStoreNotWritable, isStoreUnavailable, notWritableHint } from '../store/unavailable.js';
import type { AppOptions } from './app.js';
import { bodyCheckedAs } from './batch-body.js';
import { registerJsonBodies } from './json-body.js';
import { registerCors, type CorsOrigins } from './cors.js';
import { registerConditionalRequests } from './conditional.js';
import { ACTOR_HEADER, WORKSPACE_HEADER } from './headers.js';
import { API_PREFIX } from './location.js';
import { documentProblems, documentRoute } from './openapi.js';
import { shortcutOf } from './shortcuts.js';
import { MAX_PATH_PARAMETER_LENGTH, answerClientError, classifyError, sendProblem } from './problems.js';
import { consoleRoutes } from './routes/console.js';
import { customerRoutes } from './routes/customers.js';
import { demoRoutes } from './routes/demo.js';
import { eventRoutes } from './routes/events.js';
import { governanceRoutes } from './routes/governance.js';
import { importRoutes } from './routes/imports.js';
import { metricRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { segmentRoutes } from './routes/segments.js';
import { tagRoutes } from './routes/tags.js';
import { templateRoutes } from './routes/templates.js';
import { webhookRoutes } from './routes/webhooks.js';
import { careRoutes } from './routes/care.js';
import { sessionRoutes } from './routes/session.js';
import { RouteMethods } from './route-methods.js';
import { auditRoutes } from './routes/audit.js';
import { tokenRoutes } from './routes/tokens.js';
import { registerAccessControl } from './access.js';
import { registerAuditTrail } from './audit-trail.js';
import { AccessTokenDirectory } from '../engine/access-tokens.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { CONSOLE_DIR, registerConsole, serveConsole } from './static.js';

export { API_PREFIX };
export const VERSION = '0.1.0';
/** The largest refused body read to its end so that its sender hears why; a larger one closes the connection. */
const MAX_DRAINED_BODY = 256 * 1024 * 1024;

export interface ServerOptions {
  store: Store;
  now: Clock;
  logger?: FastifyServerOptions['logger'];
  /** The workspaces' bitmap indexes; one is made when none is given. */
  index?: IndexRegistry;
  /** Where the built web console lives; `false` serves none. Served once built. */
  consoleDir?: string | false;
  /** Customers per transaction of a saved rule's pass, the first (after which the save answers) and the rest. */
  rulePassBatch?: number;
  /** Whether reads that show customers' identifiers (portraits, lists, previews) go into the audit trail too. */
  auditPersonalReads?: boolean;
  /** The live access tokens, read again every couple of seconds; one is made when none is given. */
  accessTokens?: AccessTokenDirectory;
  /** The web pages of other origins that may call the API from a browser (CORS); none when not given. */
  corsOrigins?: CorsOrigins | undefined;
}

const NO_HOST = localized(
  'an HTTP/1.1 request names the server it is for in a Host header (RFC 9112, section 3.2), and this one has none',
  'HTTP/1.1 请求须在 Host 请求头中写明所访问的服务器（RFC 9112 第 3.2 节），此请求没有',
);

/**
 * The first run of percent-encoded bytes in a query that is not UTF-8 (`%D5%C5`, 张 in GBK), if
 * any. The query parser keeps such a run as its literal text, so a search or lookup would look
 * for 「%D5%C5」 and find nobody without a word. A lone `%` typed as text is left alone.
 */
function percentEncodedNotUtf8(query: string): string | undefined {
  for (const [run] of query.matchAll(/(?:%[0-9A-Fa-f]{2})+/g)) {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => Number.parseInt(hex, 16));
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return run;
    }
  }
  return undefined;
}

/** The methods whose requests may carry a body the route reads. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose answer says nothing of whether the store takes writes: a CORS preflight (OPTIONS) writes nothing either. */
const READING_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How long the health check says "degraded" after the last change refused for lack of disk space, before it probes again. */
const FULL_DISK_HOLD_MS = 60_000;

export async function buildServer(serverOptions: ServerOptions): Promise<FastifyInstance> {
  const index = serverOptions.index ?? new IndexRegistry(serverOptions.store);
  // Reports through the app's log, which exists only once the app does.
  const rulePasses = new BackgroundRulePasses((error) => app.log.error({ err: error }, 'a rule pass failed; the scheduler finishes it'), { firstBatchSize: serverOptions.rulePassBatch, batchSize: serverOptions.rulePassBatch });
  const accessTokens = serverOptions.accessTokens ?? new AccessTokenDirectory(serverOptions.store, undefined, serverOptions.now);
  const options: AppOptions = { store: serverOptions.store, now: serverOptions.now, audience: indexAudience(index), observer: index, ruleCandidates: indexRuleCandidates(index), rulePasses, accessTokens, forgetWorkspace: (workspaceId) => index.evict(workspaceId) };
  const logger = serverOptions.logger ?? false;
  const app = Fastify({
    // The request log shows what a search looked for as `***`, as the audit trail keeps no search words.
    logger: typeof logger === 'object' ? { ...logger, serializers: { req: requestLogLine, ...logger.serializers } } : logger,
    bodyLimit: 1024 * 1024,
    // A customer id may be longer than the default 100.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // A path the router cannot read (bad percent-encoding, a part too long) is a problem too.
    frameworkErrors: (error, request, reply) => sendProblem(reply, classifyError(error, request), request.url),
    // And so is a request the HTTP parser could not read at all.
    clientErrorHandler: answerClientError,
    // Node answers an HTTP/1.1 request without a Host header with a bare 400 before any hook
    // runs; let it through to be refused as a problem, as every other error is (below).
    http: { requireHostHeader: false },
  }).withTypeProvider<ZodTypeProvider>();
  // The request's language is only known when the error is written, so validation keeps zod's
  // issues (with their input, which zod's wording needs) and the problem writer words them.
  app.setValidatorCompiler<z.ZodType>(({ schema, httpPart }) => {
    // An address's query is checked as bodies are: a parameter the call does not take (a misspelt
    // `limt`) is refused, rather than ignored for a default the caller did not ask for.
    // `_` is let through: clients that must not be answered from a cache add `?_=<time>` (jQuery's `cache: false`).
    // A batch body is checked for its shape only; the engine checks its items, every one at once.
    const checked = httpPart === 'querystring' && schema instanceof ZodObject ? schema.extend({ _: z.string().optional() }).strict() : httpPart === 'body' ? bodyCheckedAs(schema) : schema;
    const validate = (data: unknown) => {
      const result = checked.safeParse(data, REPORT_INPUT);
      return result.success ? { value: result.data } : { error: result.error };
    };
    const shortcut = shortcutOf(schema);
    if (!shortcut) return validate;
    return (data: unknown) => {
      const value = shortcut(data);
      return value === undefined ? validate(data) : { value };
    };
  });
  app.setSerializerCompiler(serializerCompiler);
  registerJsonBodies(app);
  // First: a preflight is answered before any check, and the checks' refusals reach the page that called.
  if (serverOptions.corsOrigins !== undefined) registerCors(app, serverOptions.corsOrigins, accessTokens);
  // No text the API reads may hold the NUL character (see src/core/storable-text.ts), the path and query included.
  app.addHook('onRequest', async (request) => {
    // RFC 9112 §3.2: a server answers 400 to an HTTP/1.1 request that names no host (HTTP/1.0 needs none).
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) throw new TagbaseError('REQUEST_UNREADABLE', { detail: NO_HOST });
    if (/%00/.test(request.url)) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('the address holds the NUL character (%00)', '地址中含有 NUL 字符（%00）') });
    // An empty workspace header is a client's unset variable more often than a wish for the default workspace.
    const workspace = request.headers[WORKSPACE_HEADER];
    if (typeof workspace === 'string' && workspace.trim() === '') {
      throw fieldError('header', WORKSPACE_HEADER, localized('X-Tagbase-Workspace is empty: name a workspace, or leave the header out for the default one', 'X-Tagbase-Workspace 为空：请指定工作空间，或不发送这个请求头以使用默认工作空间'));
    }
    // Node joins a header sent twice into one value (`demo, other`): a workspace or an actor so
    // joined is none of those sent, and would be refused as an odd key or recorded as an odd name.
    for (const [name, shown] of [[WORKSPACE_HEADER, 'X-Tagbase-Workspace'], [ACTOR_HEADER, 'X-Tagbase-Actor']] as const) {
      const times = request.raw.rawHeaders.filter((header, index) => index % 2 === 0 && header.toLowerCase() === name).length;
      if (times < 2) continue;
      const sent = String(request.headers[name] ?? '').slice(0, 200);
      throw fieldError('header', name, localized(`header ${shown} given ${times} times (${sent}); give it once`, `请求头 ${shown} 出现了 ${times} 次（${sent}），只能给一次`));
    }
    const notUtf8 = percentEncodedNotUtf8(request.url.slice(request.url.indexOf('?') + 1 || request.url.length));
    if (notUtf8 !== undefined) {
      throw new TagbaseError('VALIDATION_FAILED', {
        detail: localized(
          `the query holds percent-encoded bytes that are not UTF-8 (${notUtf8}): encode its text as UTF-8 (张 is %E5%BC%A0), not GBK`,
          `查询参数中的百分号编码不是 UTF-8（${notUtf8}）：请按 UTF-8 编码（「张」为 %E5%BC%A0），不要用 GBK`,
        ),
      });
    }
  });
  registerAccessControl(app, accessTokens, serverOptions.store);
  registerAuditTrail(app, serverOptions.store, serverOptions.now, { personalReads: serverOptions.auditPersonalReads });
  registerConditionalRequests(app);
  // Before the store closes: a running pass stops at its next batch, recorded for the scheduler.
  app.addHook('onClose', () => rulePasses.stop());
  app.addHook('onClose', () => accessTokens.writeUsage());

  // A store that stops taking writes while the server runs (a full disk, a failover that left
  // the URL on a standby) fails every change; the health check says so as well, until a write
  // goes through again, so that a monitor sees it rather than only the callers.
  let writesRefused: { since: number; fullAt?: number } | undefined;
  // So does a change refused for a right the database role lacks (a grant revoked under the
  // server), which does not pass by itself: `said` is the refusal's line, `onTable` whether it was
  // a right on one of the store's tables or sequences, which the health check can see granted back.
  let rightRefused: { since: number; said: string; onTable: boolean } | undefined;
  app.addHook('onResponse', async (request, reply) => {
    if (READING_METHODS.has(request.method) || reply.statusCode >= 400) return;
    writesRefused = undefined;
    rightRefused = undefined;
  });

  // While the database is away every request fails alike (a client sending accepted event batches
  // under load, thousands a minute): said once a minute, where each logged a stack trace. The
  // request log still has a line per request, with its 503.
  const storeAway = backgroundErrors((error, message) => app.log.error(error === undefined ? {} : { err: error }, message), 'answering requests failed', () => serverOptions.now().getTime());
  app.setErrorHandler(async (error, request, reply) => {
    // A client gone before its body arrived (a phone off the network midway) is Node's
    // ECONNRESET "aborted", which would otherwise be read as a database out of reach.
    if (request.raw.readableAborted && (error as { code?: unknown }).code === 'ECONNRESET') {
      request.log.info('the client closed the connection before its request had arrived');
      return reply.status(400).send();
    }
    const problem = classifyError(error, request);
    // Fastify closes the connection on a body it refused unread, while the client is still
    // sending it: the client then often sees a broken pipe instead of the answer. A body of a
    // declared length is left to Node, which reads and drops the rest once the answer is sent.
    if (problem.code === 'BODY_TOO_LARGE' && Number(request.headers['content-length']) <= MAX_DRAINED_BODY) reply.removeHeader('connection');
    if (problem.code === 'INTERNAL') request.log.error({ err: error }, storeDamaged(error, options.store.location)?.messageIn('en') ?? 'unhandled error');
    if (problem.code === 'STORE_NOT_WRITABLE') {
      request.log.error({ err: error }, `the store cannot be written (${options.store.location}): ${notWritableHint(error).en}`);
      const now = serverOptions.now().getTime();
      writesRefused = { since: writesRefused?.since ?? now, ...(isStoreFull(error) ? { fullAt: now } : {}) };
    }
    // The URL and the server's words in one line: a stack trace would say nothing more.
    // The role, the table and the GRANT in one line, asked of the database (which the role may still read).
    if (problem.code === 'STORE_PERMISSION_DENIED') {
      const said = await permissionDenied(options.store.db, error, options.store.location).catch(() => undefined);
      const line = said?.messageIn('en') ?? `the database role lacks a right the store needs (${options.store.location}): ${error instanceof Error ? error.message : String(error)}`;
      request.log.error(line);
      if (!READING_METHODS.has(request.method)) rightRefused = { since: rightRefused?.since ?? serverOptions.now().getTime(), said: line, onTable: refusedOnTable(error) };
    }
    if (problem.code === 'STORE_REFUSED') request.log.error(refusedConnection(error, options.store.location)?.messageIn('en') ?? 'the database refused the connection');
    if (problem.code === 'STORE_UNAVAILABLE') {
      if (isStoreUnavailable(error)) storeAway(error);
      else request.log.error({ err: error }, 'the database cannot be reached');
      void reply.header('retry-after', '5');
    }
    return sendProblem(reply, problem, request.url);
  });
  const consoleDir = serverOptions.consoleDir === false ? undefined : (serverOptions.consoleDir ?? CONSOLE_DIR);
  if (consoleDir !== undefined) await registerConsole(app, consoleDir);
  app.setNotFoundHandler((request, reply) => {
    const page = consoleDir === undefined ? undefined : serveConsole(request, reply, consoleDir);
    if (page) return page;
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routeMethods.allowed(path);
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendProblem(reply, new TagbaseError('METHOD_NOT_ALLOWED', { method: request.method, url: path, allowed: localized(allowed.join(', '), allowed.join('、')) }), request.url);
    }
    return sendProblem(reply, new TagbaseError('NOT_FOUND', { method: request.method, url: path }), request.url);
  });
  const routeMethods = new RouteMethods();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(`${API_PREFIX}/`)) return;
    routeMethods.add(route.url, route.method);
    // A call that declares no query parameters takes none: `?limit=1` there is refused, as a
    // misspelt parameter is where there are some, rather than answered as if it were not sent.
    if (route.schema !== undefined && route.schema.hide !== true && route.schema.querystring === undefined) route.schema = { ...route.schema, querystring: z.object({}) };
    // Nor a body, where it reads none: `POST /models/rfm/refresh {"params": …}` would otherwise
    // answer 200 as if the parameters had been taken. An empty object or null, as many clients send, is let through.
    const methods = typeof route.method === 'string' ? [route.method] : route.method;
    if (route.schema !== undefined && route.schema.hide !== true && route.schema.body === undefined && methods.some((method) => BODY_METHODS.has(method))) {
      route.schema = { ...route.schema, body: z.strictObject({}).nullish() };
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tagbase API',
        version: VERSION,
        description:
          'Customer tags and segments (客户标签系统). Every call acts in one workspace, named by the `X-Tagbase-Workspace` header (default: `default`). Once an administrator has created an access token (`tagbase token create`), every call sends one as `Authorization: Bearer <token>` and acts as the token\'s owner in its role (admin, operator, viewer; see `GET /session`); until then the API is open and a call acts as the staff member named by `X-Tagbase-Actor`. Errors are RFC 9457 `application/problem+json` with a stable `code`.',
      },
      components: { securitySchemes: { accessToken: { type: 'http', scheme: 'bearer', description: 'An access token from `tagbase token create`; required once any exists.' } } },
      security: [{ accessToken: [] }],
    },
    transform: documentRoute,
    transformObject: documentProblems,
  });
  await app.register(swaggerUi, { routePrefix: `${API_PREFIX}/docs` });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    await options.store.db.selectFrom('workspaces').select('id').limit(1).execute();
    // Writing is tried only once a change was refused: the probe takes the write lock for a moment.
    const refused = writesRefused;
    if (refused !== undefined) {
      // The probe succeeds on a full disk (it writes nothing, and the write-ahead log reuses its
      // own space): after a change refused for lack of room the store is held degraded for a while,
      // then probed, so that a node a load balancer took out comes back to be tried again.
      const sinceFull = refused.fullAt === undefined ? Infinity : serverOptions.now().getTime() - refused.fullAt;
      if (sinceFull < FULL_DISK_HOLD_MS) {
        const problem = `the store cannot be written since ${toIso(refused.since)}: a change was refused for lack of disk space at ${toIso(refused.fullAt ?? refused.since)}; free space where the store is kept`;
        return reply.code(503).send({ status: 'degraded', version: VERSION, store: options.store.dialect, problem });
      }
      try {
        await assertWritable(options.store);
        writesRefused = undefined;
      } catch (error) {
        if (!isStoreNotWritable(error)) throw error;
        const problem = `the store cannot be written since ${toIso(refused.since)}: ${notWritableHint(error).en}`;
        return reply.code(503).send({ status: 'degraded', version: VERSION, store: options.store.dialect, problem });
      }
    }
    const lacking = rightRefused;
    if (lacking !== undefined) {
      // The role's rights on the store's tables, asked again (a read of the catalog): they name the
      // right and the table, and once granted back the check reads "ok" before the next change, so
      // that a node a load balancer took out is tried again. A refusal on anything else (its
      // schema) holds until a change goes through.
      const missing = await assertRoleRights(options.store).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof TagbaseError && error.code === 'STORE_PERMISSION_DENIED') return error;
          throw error;
        },
      );
      if (missing === undefined && lacking.onTable) {
        rightRefused = undefined;
      } else {
        const problem = `the store cannot be written since ${toIso(lacking.since)}: STORE_PERMISSION_DENIED: ${missing?.messageIn('en') ?? lacking.said}`;
        return reply.code(503).send({ status: 'degraded', version: VERSION, store: options.store.dialect, problem });
      }
    }
    return { status: 'ok', version: VERSION, store: options.store.dialect };
  });
  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(sessionRoutes, options);
      await api.register(auditRoutes, options);
      await api.register(tokenRoutes, options);
      await api.register(workspaceRoutes, options);
      await api.register(demoRoutes, options);
      await api.register(customerRoutes, options);
      await api.register(eventRoutes, options);
      await api.register(tagRoutes, options);
      await api.register(metricRoutes, options);
      await api.register(segmentRoutes, options);
      await api.register(modelRoutes, options);
      await api.register(templateRoutes, options);
      await api.register(webhookRoutes, options);
      await api.register(careRoutes, options);
      await api.register(governanceRoutes, options);
      await api.register(consoleRoutes, options);
      await api.register(importRoutes, options);
    },
    { prefix: API_PREFIX },
  );
  return app;
}

/**
 * Query parameters that carry what a user searched for or looked up: a name, a phone number, an
 * e-mail address (`/customers?q=…`, `/customers/lookup?kind=phone&value=…`).
 */
const SEARCH_PARAMETERS = new Set(['q', 'value']);

/** The query parameters a route declares; read once per route. */
const declaredByRoute = new WeakMap<object, ReadonlySet<string>>();
const NONE_DECLARED: ReadonlySet<string> = new Set();

function declaredParameters(schema: unknown): ReadonlySet<string> {
  if (!(schema instanceof ZodObject)) return NONE_DECLARED;
  let declared = declaredByRoute.get(schema);
  if (!declared) {
    declared = new Set(Object.keys(schema.shape as object));
    declaredByRoute.set(schema, declared);
  }
  return declared;
}

/**
 * A request as the log shows it: Fastify's usual fields, with the values of search parameters
 * hidden, and those of parameters the route does not take (a client's `?phone=` for a lookup, any
 * parameter where no route answers), which may hold whatever the client meant to look for.
 */
export function requestLogLine(request: { method: string; url: string; host?: string; hostname?: string; ip?: string; socket?: { remotePort?: number }; routeOptions?: { schema?: { querystring?: unknown } } }) {
  return { method: request.method, url: withoutSearchWords(request.url, declaredParameters(request.routeOptions?.schema?.querystring)), host: request.host ?? request.hostname, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

export function withoutSearchWords(url: string, declared: ReadonlySet<string> = NONE_DECLARED): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && (SEARCH_PARAMETERS.has(name) || !declared.has(name)) ? `${name}=***` : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}
