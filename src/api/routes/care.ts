// Care automation (客户关怀) over HTTP: plans, the reminders they make, and closing them
// (see src/engine/care.ts).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { REMINDER_STATUSES, carePlanInputSchema, carePlanPatchSchema, snoozeSchema } from '../../core/care.js';
import { REMINDER_PAGE_MAX, createCarePlan, deleteCarePlan, getCarePlan, listCarePlans, listReminders, reopenReminder, resolveReminder, runCare, snoozeReminder, unsnoozeReminder, updateCarePlan } from '../../engine/care.js';
import { assertBrowsable } from '../access.js';
import { contextOf, type AppOptions } from '../app.js';
import { idParameter, numberParameter, workspaceHeaders } from './shared.js';
import { ETAG_NOTE, IF_MATCH_DELETE_NOTE, IF_MATCH_NOTE, NO_CONTENT, created } from '../openapi.js';
import { assertMatch } from '../conditional.js';
import { sendCreated } from '../location.js';
import { checkedByEngine } from '../batch-body.js';
import { classifyError } from '../problems.js';

const planParams = z.object({ plan: z.string().min(1).max(128) });
const reminderParams = z.object({ reminder: idParameter });
const reminderQuery = z.object({
  status: z.enum(REMINDER_STATUSES).default('due'),
  plan: z.string().min(1).max(128).optional().describe('Only this plan’s reminders (key or name)'),
  customer: z.string().min(1).max(128).optional().describe('Only this customer’s reminders (the merchant’s id)'),
  limit: numberParameter(z.number().int().min(1).max(REMINDER_PAGE_MAX).default(50)),
  offset: numberParameter(z.number().int().min(0).max(10_000_000).default(0)),
});
const resolution = z
  .strictObject({
    status: z.enum(['done', 'dismissed']).optional().describe('`done`: acted on; `dismissed`: not needed (a scheduled reminder can be dismissed before it falls due)'),
    snooze: snoozeSchema.optional().describe('Put a due reminder off by this long (`1h`, `3h`, `1d`): scheduled again, due then (outside its plan’s quiet hours)'),
    reopen: z.literal(true).optional().describe('Open a reminder marked done or dismissed again: due again, or scheduled again when it was dismissed before it fell due'),
    unsnooze: z.literal(true).optional().describe('Bring a reminder put off (snooze) back: due again at its own time with its message, as before it was put off'),
  })
  .refine((body) => [body.status, body.snooze, body.reopen, body.unsnooze].filter((given) => given !== undefined).length === 1, 'one of status (done or dismissed), snooze (like 1d), reopen (true) or unsnooze (true)');

export const careRoutes: FastifyPluginAsyncZod<AppOptions> = async (app, options) => {
  app.get('/care/plans', { schema: { tags: ['care'], summary: 'The workspace’s care plans, with how many reminders each has in each status', headers: workspaceHeaders } }, async (request) => ({
    items: await listCarePlans(await contextOf(request, options)),
  }));

  app.post(
    '/care/plans',
    {
      config: created('The new care plan', '/care/plans/{plan}'),
      schema: {
        tags: ['care'],
        summary: 'Save a care plan: a trigger, an optional condition and the steps it reminds of',
        description:
          'Every problem of a plan is told at once: one alone as its own code; several as one `CARE_PLAN_INVALID` whose `errors` holds each, with its own code, `path` and `pointer`. Triggers: `event` (an event type; `time_property` counts the steps from a time among its properties, e.g. a coupon’s `expires_at`), `tag_added` / `tag_removed` (a shared tag, optionally one value), `birthday` (`days_before`). Steps: `after` (`30m`, `9h`, `3d`, `-3d`) and a `message` with `{name}`, `{customer_id}`, `{tag:…}`, `{field:…}`, `{metric:…}`, `{event:…}` (times written `2026-09-01 20:15` at the workspace’s time, a time of day and other named values by their names in the message’s language: Chinese unless the message is written in English). `condition` is an expression checked when a reminder falls due (every condition that does not compile is refused at once, each placed at its `path`: `condition`, `steps.1.condition`); `cancel_on` drops reminders not yet due when the customer does an event (with `same_property`, only one that matches the trigger event’s). A plan reacts to what happens from now on.',
        headers: workspaceHeaders,
        body: checkedByEngine(carePlanInputSchema),
      },
    },
    async (request, reply) => {
      // The schema's problems are told as the API tells a body's, beside the engine's own.
      const plan = await createCarePlan(await contextOf(request, options), request.body, (error) => classifyError(error, request));
      return sendCreated(reply, plan, 'care', 'plans', plan.key);
    },
  );

  app.get(
    '/care/plans/:plan',
    {
      config: { conditional: {} },
      schema: {
        tags: ['care'],
        summary: 'One care plan',
        description:
          `A role that sees personal data masked is shown its conditions (the plan's and its steps') with the personal data in them masked, as saved segments' expressions are; a condition sent back as shown keeps the one saved. ${ETAG_NOTE} Its ETag covers its reminder counts too: it changes as reminders are made and closed.`,
        headers: workspaceHeaders,
        params: planParams,
      },
    },
    async (request) =>
    getCarePlan(await contextOf(request, options), request.params.plan),
  );

  app.patch(
    '/care/plans/:plan',
    {
      config: { conditional: {} },
      schema: {
        tags: ['care'],
        summary: 'Change a care plan (not its key or trigger); switch it off or on with `enabled`',
        description: `A body naming nothing to change (\`{}\`) is \`VALIDATION_FAILED\`. Answers the plan as \`GET /care/plans/{plan}\` does, with its new ETag. ${IF_MATCH_NOTE}`,
        headers: workspaceHeaders,
        params: planParams,
        body: checkedByEngine(carePlanPatchSchema),
      },
    },
    async (request) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await getCarePlan(context, request.params.plan)]);
      return updateCarePlan(context, request.params.plan, request.body, (error) => classifyError(error, request));
    },
  );

  app.delete(
    '/care/plans/:plan',
    { config: { ...NO_CONTENT, deletesTagged: {} }, schema: { tags: ['care'], summary: 'Delete a care plan and its reminders', description: IF_MATCH_DELETE_NOTE, headers: workspaceHeaders, params: planParams } },
    async (request, reply) => {
      const context = await contextOf(request, options);
      await assertMatch(request, async () => [await getCarePlan(context, request.params.plan)]);
      await deleteCarePlan(context, request.params.plan);
      return reply.status(204).send();
    },
  );

  app.get(
    '/care/reminders',
    { schema: { tags: ['care'], summary: 'Reminders: by default those due (the to-do list, oldest first); scheduled ones soonest first, done and dismissed ones the latest closed first, skipped ones the latest due first', headers: workspaceHeaders, querystring: reminderQuery } },
    async (request) => {
      // Each reminder names its customer: a list of customers, read by a viewer as the others are.
      assertBrowsable(request, request.query);
      return listReminders(await contextOf(request, options), request.query);
    },
  );

  app.patch(
    '/care/reminders/:reminder',
    { schema: { tags: ['care'], summary: 'Close a reminder (done or dismissed), put a due one off (snooze), bring one put off back (unsnooze), or open a closed one again (reopen)', headers: workspaceHeaders, params: reminderParams, body: resolution } },
    async (request) => {
      const context = await contextOf(request, options);
      const { status, snooze, unsnooze } = request.body;
      // The schema lets through exactly one of the four.
      if (status !== undefined) return resolveReminder(context, request.params.reminder, status);
      if (snooze !== undefined) return snoozeReminder(context, request.params.reminder, snooze);
      if (unsnooze !== undefined) return unsnoozeReminder(context, request.params.reminder);
      return reopenReminder(context, request.params.reminder);
    },
  );

  app.post(
    '/care/run',
    { schema: { tags: ['care'], summary: 'Run a round of care now (the server runs one every minute): schedule from new triggers, bring due what is due', headers: workspaceHeaders } },
    async (request) => runCare(await contextOf(request, options)),
  );
};
