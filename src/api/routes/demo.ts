// The demo store from the console: someone who has just installed tagbase loads a realistic
// shop (customers, two years of events, tags, models, segments, care plans) into a workspace
// of its own and watches it fill, without a terminal. One demo runs at a time, in the server's
// process, through the same engine calls as `tagbase demo`, its index following every batch.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TagbaseError } from '../../core/errors.js';
import { localized } from '../../core/locale.js';
import { toIso } from '../../core/time.js';
import { assertRoomForDemo } from '../../engine/demo/obstacles.js';
import { runDemo, type DemoProgress, type DemoSummary } from '../../engine/demo/run-demo.js';
import { findWorkspaceId, WORKSPACE_KEY_PATTERN, WORKSPACE_KEY_RULE } from '../../engine/workspaces.js';
import { auditActorOf, type AppOptions } from '../app.js';
import { classifyError } from '../problems.js';
import { actorHeader } from './shared.js';

/** Why an existing workspace is refused: not that it exists (an empty one is filled), but that it holds customers. */
const HOLDS_CUSTOMERS = localized(
  ' It holds customers, which the demo\'s would mix with: load the demo into a new workspace, or one without customers.',
  '其中已有客户，示例数据会与之混在一起：请载入新的工作空间，或没有客户的工作空间。',
);

/** The console offers the demo to try the product: large enough to look real, small enough to load in a minute or two. */
export const MAX_DEMO_CUSTOMERS = 100_000;
const DEMO_EVENTS_PER_CUSTOMER = 10;
const DEMO_SEED = 42;

interface DemoJob {
  workspace: string;
  customers: number;
  state: 'running' | 'done' | 'failed';
  progress: DemoProgress;
  started_at: string;
  finished_at: string | null;
  summary: DemoSummary | null;
  /** Why it stopped, in both languages. */
  error: { code: string; detail: { en: string; 'zh-CN': string } } | null;
}

const demoBody = z.strictObject({
  workspace: z.string().regex(WORKSPACE_KEY_PATTERN, WORKSPACE_KEY_RULE).default('demo').describe('The workspace to fill: a new one, or one without customers'),
  customers: z.number().int().min(100).max(MAX_DEMO_CUSTOMERS).default(20_000).describe(`How many customers, 100 to ${MAX_DEMO_CUSTOMERS.toLocaleString('en')}; about ten events each`),
});

const JOB_DESCRIPTION =
  '`{workspace, customers, state, progress: {stage, done, total}, started_at, finished_at, summary, error}`: `state` is `running`, `done` or `failed`; `progress` counts the customers and events written against about how many there will be; `summary` `{customers, events, assignments, seconds}` once done; `error` `{code, detail: {en, zh-CN}}` when failed.';

export const demoRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  let job: DemoJob | undefined;
  let running: Promise<void> | undefined;
  const stop = new AbortController();
  // A demo still running when the server stops ends at its next batch; a second run fills in the rest.
  app.addHook('onClose', async () => {
    stop.abort();
    await running;
  });

  app.get(
    '/demo',
    { schema: { tags: ['workspaces'], summary: 'The demo store being loaded, or the last one loaded since the server started', description: `Answers the job, ${JOB_DESCRIPTION} Without one, \`{state: "idle"}\`.` } },
    async () => job ?? { state: 'idle' },
  );

  app.post(
    '/demo',
    {
      config: { answers: [{ status: 202, description: `The demo store is being loaded (or already was, by a call before): the job, ${JOB_DESCRIPTION}` }] },
      schema: {
        tags: ['workspaces'],
        summary: 'Load a demo store into a new workspace',
        description: `Fills the workspace with a generated shop, as \`tagbase demo\` does: customers, about ten events each over two years, the retail tag template, the RFM, lifecycle and persona models, saved segments and care plans. Answers 202 at once; \`GET /demo\` tells the progress. A workspace that already holds customers is refused (\`WORKSPACE_EXISTS\`). So is one holding a care plan, segment, tag group, tag, field or metric under a key or name the demo gives something of its own (\`DEMO_IN_THE_WAY\`, naming them). While a demo is loading, another call answers that one.`,
        headers: actorHeader,
        body: demoBody,
      },
    },
    async (request, reply) => {
      if (job?.state === 'running') return reply.status(202).send(job);
      const { workspace, customers } = request.body;
      const existing = await findWorkspaceId(options.store, workspace);
      if (existing !== undefined) {
        const held = await options.store.db.selectFrom('customers').select('id').where('workspace_id', '=', existing).limit(1).execute();
        if (held.length > 0) throw new TagbaseError('WORKSPACE_EXISTS', { workspace, hint: HOLDS_CUSTOMERS });
        // Said now rather than as the job's failure: the demo would stop at it halfway.
        await assertRoomForDemo(options.store, existing, workspace, 'api');
      }
      const started = options.now();
      const current: DemoJob = {
        workspace,
        customers,
        state: 'running',
        progress: { stage: 'customers', done: 0, total: customers * (1 + DEMO_EVENTS_PER_CUSTOMER) },
        started_at: toIso(started.getTime()),
        finished_at: null,
        summary: null,
        error: null,
      };
      job = current;
      const finish = (state: DemoJob['state']) => {
        current.state = state;
        current.finished_at = toIso(options.now().getTime());
      };
      running = runDemo(options.store, {
        workspace,
        customers,
        eventsPerCustomer: DEMO_EVENTS_PER_CUSTOMER,
        seed: DEMO_SEED,
        now: options.now,
        observer: options.observer,
        audience: options.audience,
        signal: stop.signal,
        onProgress: (progress) => (current.progress = progress),
        actor: auditActorOf(request),
        source: 'api',
      }).then(
        (summary) => {
          current.summary = summary;
          finish('done');
        },
        (error: unknown) => {
          const problem = classifyError(error, request);
          current.error = { code: problem.code, detail: { en: problem.messageIn('en'), 'zh-CN': problem.messageIn('zh-CN') } };
          finish('failed');
          if (!stop.signal.aborted) request.log.error({ err: error }, 'the demo store could not be loaded');
        },
      );
      return reply.status(202).send(current);
    },
  );
};
